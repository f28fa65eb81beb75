"""Readers that stream articles from news dumps, one record at a time, in a stable order.

Every format is read lazily (JSONL line by line, CSV row by row, Parquet by
record batch, WARC record by record), so memory holds one record however large
the dump. A record that cannot be read becomes a ``ReadFailure`` naming where it
is (``file:line``, ``file#row``, ``file@offset``), never an exception that ends
the job and never a silent gap; a page that is not an article becomes a
``SkippedInput`` so that it is still accounted for in the output.
"""

from __future__ import annotations

import csv
import datetime
import glob
import gzip
import importlib.util
import io
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from pipeline.document import Article, stable_id
from pipeline.errors import InputError

try:
    from zstandard import ZstdError as _ZstdError
except ImportError:  # optional: without zstandard, expand_inputs refuses .zst files before any work

    class _ZstdError(Exception):
        """Never raised: stands in for zstandard's error when the package is absent."""


#: Share of control bytes above which a file is treated as binary, not text.
BINARY_CONTROL_RATIO = 0.05

#: Encodings of Dutch text from Windows and old web pages; on a tie with an
#: Eastern European code page (same bytes, equally plausible) these win.
WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")

#: Extracted text shorter than this many words is a navigation, contact or
#: index page, not an article: guessing an article out of it would be noise.
MIN_ARTICLE_WORDS = 25

#: Rows per Parquet record batch: small enough to keep memory flat, large enough to be fast.
PARQUET_BATCH_ROWS = 512

#: File name endings each reader takes, longest first so ``.jsonl.gz`` wins over ``.gz``.
FORMATS = {
    ".jsonl.gz": "jsonl",
    ".jsonl.zst": "jsonl",
    ".ndjson.gz": "jsonl",
    ".ndjson.zst": "jsonl",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv.gz": "csv",
    ".csv.zst": "csv",
    ".csv": "csv",
    ".parquet": "parquet",
    ".warc.gz": "warc",
    ".warc": "warc",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
}

#: The optional package each format needs, and the extra that installs it.
NEEDS = {"parquet": ("pyarrow", "parquet"), "warc": ("warcio", "html"), "html": ("trafilatura", "html")}


@dataclass(frozen=True)
class ReadFailure:
    """An input record that could not be read; ``location`` says where it is."""

    location: str
    message: str


@dataclass(frozen=True)
class SkippedInput:
    """A record that was read but is not an article (a contact page, an image in a WARC).

    It is written as a record whose ``status.read`` is ``skipped: <reason>``,
    so that every input still ends in exactly one output record.
    """

    location: str
    reason: str
    id: str
    url: str | None = None
    title: str | None = None


InputItem = Article | ReadFailure | SkippedInput


@dataclass(frozen=True)
class FieldMap:
    """Which source field (JSONL key, CSV column, Parquet column) holds each article field."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    date: str = "date"
    url: str = "url"
    language: str = "language"

    def article(self, record: Any, location: str) -> Article:
        """Validate one record under this mapping; raise ``InputError`` saying what is wrong."""
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}")
        if record.get(self.text) is None:
            raise InputError(f"record has no {self.text!r} field (fields: {sorted(record)})")
        mapped = {}
        for name in ("text", "id", "title", "date", "url", "language"):
            value = record.get(getattr(self, name))
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()
            if value is not None and value != "":
                mapped[name] = value
        article = Article.from_dict(mapped)
        article.location = location
        return article


class ReadProgress:
    """How far ``read_inputs`` is through its files: the file being read and the bytes behind it.

    A progress bar needs a total to tell the time left. The input files' sizes
    are known before any work (not stdin's), and the position in the file being
    read is the position of its open handle, so ``bytes_read`` / ``total_bytes``
    is the share done. A compressed file counts compressed bytes on both sides.
    Parquet files say their record count in their footer: ``total_records``
    when every input is Parquet.
    """

    def __init__(self, files: list[str]) -> None:
        #: The file being read (``-`` for stdin), None before the first and after the last.
        self.file: str | None = None
        self.total_bytes: int | None = None if "-" in files else sum(_size(file) for file in files)
        self.total_records: int | None = parquet_records(files)
        self._finished = 0
        self._handle: IO[bytes] | None = None

    @property
    def bytes_read(self) -> int:
        """Bytes of the finished files plus the position in the file being read."""
        handle = self._handle
        try:
            position = handle.tell() if handle is not None and not handle.closed else 0
        except (OSError, ValueError):
            position = 0
        return self._finished + position

    def watch(self, handle: IO[bytes]) -> None:
        """Count the position of this open (raw, compressed) file handle as read bytes of the current file."""
        self._handle = handle

    def begin(self, file: str) -> None:
        self.file, self._handle = file, None

    def end(self, file: str) -> None:
        self._finished += 0 if file == "-" else _size(file)
        self.file, self._handle = None, None


def parquet_records(files: list[str]) -> int | None:
    """The records in these files when all are Parquet (read from their footers), else None."""
    if not files or any(input_format(file) != "parquet" for file in files):
        return None
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    try:
        return sum(pq.ParquetFile(file).metadata.num_rows for file in files)
    except (OSError, pa.ArrowException):  # the reader reports a broken footer with its location
        return None


def _size(file: str) -> int:
    try:
        return os.path.getsize(file)
    except OSError:
        return 0


class MissingInput(InputError):
    """An input path or glob that matches nothing; raised before any work starts."""


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


def input_format(path: str | Path) -> str | None:
    """The reader for a file name (``jsonl``, ``csv``, ``parquet``, ``warc``, ``html``, ``txt``), or None."""
    name = str(path).lower()
    return next((kind for ending, kind in FORMATS.items() if name.endswith(ending)), None)


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files to read, in a stable order: globs and folders sorted, ``-`` (stdin) kept.

    Raises ``MissingInput`` for a path or glob that matches nothing, and
    ``InputError`` when a format's optional package is not installed, so a
    job fails before any work rather than hours in.
    """
    files: list[str] = []
    for source in inputs:
        if source == "-":
            files.append(source)
            continue
        if not Path(source).exists() and any(char in source for char in "*?["):
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                raise MissingInput(f"no file matches {source!r}")
        else:
            matches = [source]
        for match in matches:
            path = Path(match)
            if path.is_dir():
                files.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and input_format(p))
            elif path.is_file():
                files.append(str(path))
            else:
                raise MissingInput(f"input {source!r}: no such file or directory")
    if any(f.lower().endswith(".zst") for f in files) and importlib.util.find_spec("zstandard") is None:
        raise InputError("reading .zst files needs zstandard: pip install 'nl-news-pipeline[zstd]'")
    for kind in sorted({input_format(f) for f in files if f != "-"} & set(NEEDS)):
        module, extra = NEEDS[kind]
        if importlib.util.find_spec(module) is None:
            raise InputError(f"reading {kind} files needs {module}: pip install 'nl-news-pipeline[{extra}]'")
    return files


def read_inputs(
    inputs: Iterable[str], fields: FieldMap | None = None, progress: ReadProgress | None = None
) -> Iterator[InputItem]:
    """Articles from every supported format; ``-`` is JSONL on stdin.

    Args:
        inputs: files, folders or globs; folders are read recursively in sorted order.
        fields: which source fields hold text, id, title, date, url, language (JSONL, CSV, Parquet).
        progress: kept up to date with the file being read and the bytes read, for a progress bar.
    """
    fields = fields or FieldMap()
    for source in expand_inputs(inputs):
        if progress is not None:
            progress.begin(source)
        if source == "-":
            yield from _read_jsonl_lines(sys.stdin.buffer, "<stdin>", fields)
        elif (kind := input_format(source)) is None:
            yield ReadFailure(source, f"unsupported input type (expected one of {', '.join(FORMATS)})")
        else:
            yield from READERS[kind](Path(source), fields, progress)
        if progress is not None:
            progress.end(source)


def read_jsonl(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """JSON Lines, plain or compressed with gzip (``.gz``) or Zstandard (``.zst``)."""
    try:
        stream = _open_binary(path, progress)
    except OSError as error:
        yield ReadFailure(str(path), f"cannot read: {error}")
        return
    with stream:
        yield from _read_jsonl_lines(stream, str(path), fields)


def _read_jsonl_lines(stream: IO[bytes], name: str, fields: FieldMap) -> Iterator[InputItem]:
    number = 0
    try:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            location = f"{name}:{number}"
            try:
                yield fields.article(json.loads(_decode_line(raw)), location)
            except json.JSONDecodeError as error:
                yield ReadFailure(location, f"invalid JSON: {error.msg} at column {error.colno}")
            except InputError as error:
                yield ReadFailure(location, str(error))
    except (EOFError, OSError, zlib.error, _ZstdError) as error:
        yield ReadFailure(f"{name}:{number + 1}", f"truncated or corrupt file: {error}")


def read_csv(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """CSV with a header row; a row with the wrong number of columns is a located failure."""
    try:
        stream = io.TextIOWrapper(_open_binary(path, progress), encoding="utf-8", errors="replace", newline="")
    except OSError as error:
        yield ReadFailure(str(path), f"cannot read: {error}")
        return
    with stream:
        rows = csv.reader(stream)
        line = 1
        try:
            header = next(rows, None)
            if header is None:
                return
            while True:
                line = rows.line_num + 1
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield ReadFailure(f"{path}:{line}", f"invalid CSV row: {error}")
                    continue
                if not any(row):
                    continue
                if len(row) != len(header):
                    yield ReadFailure(f"{path}:{line}", f"row has {len(row)} columns, the header has {len(header)}")
                    continue
                try:
                    yield fields.article(dict(zip(header, row)), f"{path}:{line}")
                except InputError as error:
                    yield ReadFailure(f"{path}:{line}", str(error))
        except (EOFError, OSError, zlib.error, _ZstdError) as error:
            yield ReadFailure(f"{path}:{line}", f"truncated or corrupt file: {error}")


def read_parquet(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """Parquet, one record batch at a time and only the mapped columns; locations are ``file#row``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    row = 0
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
        if fields.text not in names:
            yield ReadFailure(str(path), f"no column {fields.text!r} (columns: {names}); set --text-field")
            return
        wanted = [getattr(fields, name) for name in ("text", "id", "title", "date", "url", "language")]
        columns = [name for name in dict.fromkeys(wanted) if name in names]
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            for record in batch.to_pylist():
                location = f"{path}#{row}"
                row += 1
                try:
                    yield fields.article(record, location)
                except InputError as error:
                    yield ReadFailure(location, str(error))
    except (OSError, pa.ArrowException) as error:
        yield ReadFailure(f"{path}#{row}", f"truncated or corrupt Parquet file: {error}")


def read_txt(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """One article per file; its id is the file name without the suffix."""
    text = _read_decoded(path)
    yield text if isinstance(text, ReadFailure) else Article(text=text, id=path.stem, location=str(path))


def read_html(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """One saved web page per file; its id is the file name without the suffix."""
    html = _read_decoded(path)
    yield html if isinstance(html, ReadFailure) else html_article(html, id=path.stem, location=str(path))


def _read_decoded(path: Path) -> str | ReadFailure:
    """A whole file as text of whatever encoding it has, or why it could not be read."""
    try:
        return decode_bytes(path.read_bytes())
    except OSError as error:
        return ReadFailure(str(path), f"cannot read: {error}")


def html_article(html: str, *, id: str, location: str, url: str | None = None) -> Article | SkippedInput:
    """The article in a web page (text, title, date, URL) via trafilatura, or why there is none."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    text = extracted.text if extracted is not None else None
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        title = extracted.title if extracted is not None else None
        return SkippedInput(location, "not an article", id=id, url=url, title=title)
    return Article(
        text=text,
        id=id,
        title=extracted.title or None,
        url=extracted.url or url,
        date=extracted.date or None,
        location=location,
    )


def read_warc(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """Response records of a WARC file (plain or gzip), HTML pages only; locations are ``file@offset``.

    warcio is used rather than FastWARC although FastWARC parses about 6 times
    faster (``python -m bench.throughput``): parsing is a few percent of the time
    spent per page, and warcio's record offsets let a truncated file be
    reported instead of silently ending early.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    size = path.stat().st_size
    offset = 0
    seen = False
    try:
        with path.open("rb") as stream:
            if progress is not None:
                progress.watch(stream)
            records = ArchiveIterator(stream)
            for record in records:
                seen = True
                payload = record.content_stream().read() if record.rec_type == "response" else b""
                offset = records.get_record_offset()  # after the read: warcio reads to the record's end here
                if record.rec_type != "response":
                    continue
                location = f"{path}@{offset}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
                record_id = record_id.removeprefix("urn:uuid:") or stable_id(location)
                content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
                if "html" not in content_type.lower():
                    yield SkippedInput(location, f"not HTML ({content_type or 'no content type'})", record_id, url)
                    continue
                yield html_article(decode_bytes(payload), id=record_id, location=location, url=url)
            if seen:
                records.read_to_end()
                offset = records.get_record_offset() + records.get_record_length()
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as error:
        yield ReadFailure(f"{path}@{offset}", f"truncated or corrupt WARC: {error}")
        return
    if offset < size:
        yield ReadFailure(f"{path}@{offset}", f"truncated WARC: {size - offset} bytes after the last complete record")


READERS = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "parquet": read_parquet,
    "txt": read_txt,
    "html": read_html,
    "warc": read_warc,
}


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_bytes(raw)


def _open_binary(path: Path, progress: ReadProgress | None = None) -> IO[bytes]:
    """The decompressed bytes of a file; ``progress`` watches the raw (compressed) file's position."""
    name = path.name.lower()
    if name.endswith(".gz"):
        stream: IO[bytes] = gzip.open(path, "rb")
        raw = stream.fileobj  # the file on disk, closed with the stream
    elif name.endswith(".zst"):
        import zstandard

        raw = path.open("rb")
        stream = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    else:
        raw = stream = path.open("rb")
    if progress is not None:
        progress.watch(raw)
    return stream
