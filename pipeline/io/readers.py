"""Readers that stream articles from files, one at a time, in a stable order.

A record that cannot be read becomes a ``ReadFailure`` naming the file and
line, never an exception that ends the job and never a silent gap.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from pipeline.document import Article
from pipeline.errors import InputError

#: Share of control bytes above which a file is treated as binary, not text.
BINARY_CONTROL_RATIO = 0.05


#: Encodings of Dutch text from Windows and old web pages; on a tie with an
#: Eastern European code page (same bytes, equally plausible) these win.
WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


@dataclass(frozen=True)
class ReadFailure:
    """An input record that could not be read; ``location`` is ``file:line``."""

    location: str
    message: str


def decode_bytes(data: bytes) -> str:
    """Decode text of unknown encoding: UTF-8 first, then the best detected guess.

    Binary data is decoded as UTF-8 with replacement characters rather than
    guessed at, so the clean stage can recognise it as junk and say so.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    controls = sum(byte < 32 and byte not in (9, 10, 13) for byte in sample)
    if controls > BINARY_CONTROL_RATIO * max(len(sample), 1):
        return data.decode("utf-8", errors="replace")
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return data.decode("utf-8", errors="replace")
    western = [m for m in matches if m.encoding in WESTERN_ENCODINGS and m.chaos <= best.chaos]
    return str(western[0] if western else best)


def read_inputs(inputs: list[str]) -> Iterator[Article | ReadFailure]:
    """Articles from ``.txt`` files (one each), ``.jsonl`` files and ``-`` (JSONL on stdin).

    Folders are read recursively in sorted order so that a re-run sees the same sequence.
    """
    for source in inputs:
        if source == "-":
            yield from _read_jsonl_stream(sys.stdin, "<stdin>")
            continue
        path = Path(source)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl")):
                yield from _read_path(child)
        elif path.is_file():
            yield from _read_path(path)
        else:
            yield ReadFailure(source, "no such file or directory")


def _read_path(path: Path) -> Iterator[Article | ReadFailure]:
    if path.suffix == ".jsonl":
        with path.open("r", encoding="utf-8", errors="replace") as stream:
            yield from _read_jsonl_stream(stream, str(path))
    elif path.suffix == ".txt":
        try:
            text = decode_bytes(path.read_bytes())
        except OSError as error:
            yield ReadFailure(str(path), f"cannot read: {error}")
            return
        yield Article(text=text, id=path.stem)
    else:
        yield ReadFailure(str(path), f"unsupported input type {path.suffix!r} (expected .txt or .jsonl)")


def _read_jsonl_stream(stream: IO[str], name: str) -> Iterator[Article | ReadFailure]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        location = f"{name}:{number}"
        try:
            yield Article.from_dict(json.loads(line))
        except json.JSONDecodeError as error:
            yield ReadFailure(location, f"invalid JSON: {error.msg} at column {error.colno}")
        except InputError as error:
            yield ReadFailure(location, str(error))
