"""Readers that stream articles from news dumps, one record at a time, in a stable order.

Every format is read lazily (JSONL line by line, CSV row by row, Parquet by
record batch, WARC record by record), so memory holds one record however large
the dump. A record that cannot be read becomes a ``ReadFailure`` naming where it
is (``file:line``, ``file#row``, ``file@offset``), never an exception that ends
the job and never a silent gap; a page that is not an article becomes a
``SkippedInput`` so that it is still accounted for in the output.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import glob
import gzip
import importlib.util
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from pipeline.document import Article, stable_id
from pipeline.errors import InputError

_ARTICLE_FIELDS = ("text", "id", "title", "date", "url", "language")

#: Share of control bytes above which a file is treated as binary, not text.
BINARY_CONTROL_RATIO = 0.05

#: Byte order marks and the codec that reads past each; UTF-32 first, since its LE mark begins with UTF-16's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Non-UTF-8 text is read as cp1252 (the Windows superset of Latin-1 that Dutch text
#: comes in) unless more than this share of its letters are then non-ASCII: Dutch has
#: a few accents per sentence, while Cyrillic or Greek bytes read as cp1252 are
#: almost all accented letters, and are left to charset detection.
WESTERN_MAX_NON_ASCII_LETTERS = 0.5

#: Bytes of a streamed file (CSV, JSONL) that decide its encoding.
ENCODING_SAMPLE_BYTES = 65536

#: The csv module's own cap on a field (131,072 characters) is far below the record
#: limit (``--max-record-chars``); that limit decides, with a reason that names it.
CSV_FIELD_LIMIT = 2**31 - 1

#: Compressed bytes fed to the Zstandard decoder at a time, which bounds how far a
#: hostile file can expand in one step.
ZSTD_INPUT_CHUNK = 4096


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
        """Validate one record under this mapping; raise ``InputError`` saying what is wrong.

        A record without the text field is an error; an empty or null text is an
        article with empty text, which the stages give a status. Such an article
        has no text to derive an id from, so without an id its location names it.
        """
        if not isinstance(record, dict):
            kind = "int" if isinstance(record, _IntegerLiteral) else type(record).__name__
            raise InputError(f"expected a JSON object, got {kind}")
        if self.text not in record:
            raise InputError(f"record has no {self.text!r} field (fields: {sorted(map(str, record))})")
        mapped: dict[str, Any] = {"text": ""}
        for name in _ARTICLE_FIELDS:
            value = _field_value(name, record.get(getattr(self, name)))
            if value is not None and value != "":
                mapped[name] = value
        if not mapped["text"] and "id" not in mapped:
            mapped["id"] = stable_id(location)
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


class _IntegerLiteral(str):
    """A JSON integer kept as its digits: an id of thousands of digits is still an id,
    while ``int()`` of it raises past Python's 4,300-digit conversion limit."""


def _field_value(name: str, value: Any) -> Any:
    """A source value as an article field: dates as ISO text, integer ids as their digits.

    Lone surrogates (``"\\ud800"`` in JSON) are kept: admission replaces them and says so
    in the record's status, whatever format they came in."""
    if isinstance(value, _IntegerLiteral):
        if name != "id":
            raise InputError(f"field {name!r} must be a string, got int")
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class MissingInput(InputError):
    """An input path or glob that matches nothing; raised before any work starts."""


def decode_bytes(data: bytes) -> str:
    """Decode text of unknown encoding (see ``detect_encoding``).

    Binary data is decoded as UTF-8 with replacement characters rather than
    guessed at, so the clean stage can recognise it as junk and say so.
    """
    encoding = detect_encoding(data)
    return data.decode(encoding or "utf-8", errors="replace")


def detect_encoding(data: bytes, complete: bool = True) -> str | None:
    """The codec of ``data``: its byte order mark, else UTF-8 if it is valid UTF-8, else cp1252
    if that reads as Western text, else charset detection's best guess; None for binary data.

    Args:
        data: a whole text, or the first bytes of one (``complete=False``: a
            character cut at the end of the sample is not an error).
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:ENCODING_SAMPLE_BYTES]
    controls = sum(byte < 32 and byte not in (9, 10, 13) for byte in sample)
    if controls > BINARY_CONTROL_RATIO * max(len(sample), 1):
        return None
    if _reads_as_western(data):
        return "cp1252"
    best = from_bytes(data).best()
    return best.encoding if best is not None else None


def _reads_as_western(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")[:ENCODING_SAMPLE_BYTES]
    except UnicodeDecodeError:
        return False
    letters = sum(char.isalpha() for char in text)
    accented = sum(char.isalpha() and not char.isascii() for char in text)
    return accented <= WESTERN_MAX_NON_ASCII_LETTERS * letters


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


def input_root(source: str) -> Path | None:
    """The folder that ids of one-article files (``.txt``, ``.html``) below a folder or glob are relative to.

    A folder input is its own root and a glob's root is the folder before its
    first wildcard; a file given by name has none (see ``read_inputs``).
    """
    path = Path(source)
    if path.is_dir():
        return path
    if path.exists() or not any(char in source for char in "*?["):
        return None
    fixed: list[str] = []
    for part in path.parts:
        if any(char in part for char in "*?["):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def file_id(path: Path, root: Path) -> str:
    """The id of a one-article file: its path below the input root, extension included.

    ``a/x.txt`` and ``b/x.txt``, or ``x.txt`` and ``x.html``, never share an id,
    and the id does not change with the folder the dump is stored in.
    """
    return Path(os.path.relpath(path, root)).as_posix()


def _common_folder(files: list[str]) -> Path | None:
    """The deepest folder holding every one of ``files`` (None for none)."""
    return Path(os.path.commonpath([os.path.abspath(Path(name).parent) for name in files])) if files else None


@dataclass(frozen=True)
class InputFile:
    """One file to read (``-`` for stdin) and the folder its one-article ids are relative to."""

    name: str
    root: str | None = None


def input_files(inputs: Iterable[str]) -> list[InputFile]:
    """Every file the inputs name, in reading order, each with the root of its one-article ids.

    A ``.txt`` or ``.html`` article's id is its path below the folder or glob
    it was found by, or, for files named one by one, below the folder they share.
    """
    inputs = list(inputs)
    named = [source for source in inputs if input_format(source) in ONE_ARTICLE_READERS and Path(source).is_file()]
    named_root = _common_folder(named)
    files: list[InputFile] = []
    for source in inputs:
        if source == "-":
            files.append(InputFile("-"))
            continue
        root = input_root(source) or named_root
        files += [InputFile(name, None if root is None else str(root)) for name in expand_inputs([source])]
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
    for file in input_files(inputs):
        yield from read_file(file, fields, progress)


def read_file(
    file: InputFile, fields: FieldMap | None = None, progress: ReadProgress | None = None
) -> Iterator[InputItem]:
    """The articles of one input file, by its format (see ``read_inputs``)."""
    fields = fields or FieldMap()
    if progress is not None:
        progress.begin(file.name)
    path = Path(file.name)
    kind = None if file.name == "-" else input_format(path)
    if file.name == "-":
        yield from _read_jsonl_lines(sys.stdin.buffer, "<stdin>", fields)
    elif kind is None:
        yield ReadFailure(file.name, f"unsupported input type (expected one of {', '.join(FORMATS)})")
    elif kind in ONE_ARTICLE_READERS:
        yield ONE_ARTICLE_READERS[kind](path, file_id(path, path.parent if file.root is None else Path(file.root)))
    else:
        yield from READERS[kind](path, fields, progress)
    if progress is not None:
        progress.end(file.name)


def read_jsonl(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """JSON Lines, plain or compressed with gzip (``.gz``) or Zstandard (``.zst``)."""
    try:
        stream, raw = _open_binary(path, progress)
    except OSError as error:
        yield ReadFailure(str(path), f"cannot read: {error}")
        return
    with raw, stream:
        yield from _read_jsonl_lines(stream, str(path), fields, raw)


def _read_jsonl_lines(
    stream: io.BufferedIOBase, name: str, fields: FieldMap, raw: IO[bytes] | None = None
) -> Iterator[InputItem]:
    """Lines of UTF-8 (or, per line, another detected 8-bit encoding); UTF-16 or -32 with a byte order mark."""
    number = 0
    try:
        wide = _wide_encoding(stream.peek(4)[:4])
        lines: Iterable[bytes | str] = stream if wide is None else io.TextIOWrapper(stream, wide, errors="replace")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            location = f"{name}:{number}"
            yield _parse_json_record(line if isinstance(line, str) else _decode_line(line), location, fields)
    except Exception as error:  # noqa: BLE001 - whatever a decoder raises ends this file, located
        yield ReadFailure(f"{name}:{number + 1}", _corrupt(error, raw))


def _parse_json_record(line: str, location: str, fields: FieldMap) -> InputItem:
    """One JSON line as an article, or why it is not one; no record can raise past this."""
    try:
        return fields.article(json.loads(line, parse_int=_IntegerLiteral), location)
    except json.JSONDecodeError as error:
        return ReadFailure(location, f"invalid JSON: {error.msg} at column {error.colno}")
    except InputError as error:
        return ReadFailure(location, str(error))
    except RecursionError:
        return ReadFailure(location, "invalid JSON: nested too deeply to read")
    except Exception as error:  # noqa: BLE001 - a hostile record costs itself, never the rest of the file
        return ReadFailure(location, _unreadable(error))


def read_csv(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """CSV with a header row, in its detected encoding; a row with the wrong number of columns is a located failure."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        binary, raw = _open_binary(path, progress)
    except OSError as error:
        yield ReadFailure(str(path), f"cannot read: {error}")
        return
    line = 1
    with raw, binary:
        try:
            sample = binary.peek(ENCODING_SAMPLE_BYTES)[:ENCODING_SAMPLE_BYTES]
            encoding = detect_encoding(sample, complete=False) or "utf-8"
            stream = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
            rows = csv.reader(stream)
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
                yield _mapped_record(fields, dict(zip(header, row)), f"{path}:{line}")
        except Exception as error:  # noqa: BLE001 - whatever a decoder raises ends this file, located
            yield ReadFailure(f"{path}:{line}", _corrupt(error, raw))


def read_parquet(path: Path, fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """Parquet, one record batch at a time and only the mapped columns; locations are ``file#row``."""
    import pyarrow.parquet as pq

    row = 0
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
        if fields.text not in names:
            yield ReadFailure(str(path), f"no column {fields.text!r} (columns: {names}); set --text-field")
            return
        wanted = [getattr(fields, name) for name in _ARTICLE_FIELDS]
        columns = [name for name in dict.fromkeys(wanted) if name in names]
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            for record in batch.to_pylist():
                location = f"{path}#{row}"
                row += 1
                yield _mapped_record(fields, record, location)
    except Exception as error:  # noqa: BLE001 - whatever a decoder raises ends this file, located
        yield ReadFailure(f"{path}#{row}", f"truncated or corrupt Parquet file: {error}")


def _mapped_record(fields: FieldMap, record: dict[str, Any], location: str) -> InputItem:
    """One CSV row or Parquet row as an article, or why it is not one; no record can raise past this."""
    try:
        return fields.article(record, location)
    except InputError as error:
        return ReadFailure(location, str(error))
    except Exception as error:  # noqa: BLE001 - a hostile record costs itself, never the rest of the file
        return ReadFailure(location, _unreadable(error))


def read_txt(path: Path, id: str) -> InputItem:
    """One article per file; ``id`` is the file's path below the input root (``file_id``)."""
    return _read_one(path, lambda text: Article(text=text, id=id, location=str(path)))


def read_html(path: Path, id: str) -> InputItem:
    """One saved web page per file; ``id`` is the file's path below the input root (``file_id``)."""
    return _read_one(path, lambda html: html_article(html, id=id, location=str(path)))


def _read_one(path: Path, parse: Callable[[str], InputItem]) -> InputItem:
    """A whole file, decoded in whatever encoding it has, then parsed; or why it could not be."""
    try:
        return parse(decode_bytes(path.read_bytes()))
    except OSError as error:
        return ReadFailure(str(path), f"cannot read: {error}")
    except Exception as error:  # noqa: BLE001 - a hostile page costs itself, never the rest of the input
        return ReadFailure(str(path), _unreadable(error))


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
    reported instead of silently ending early. A record is read to its end
    before it is used, so one cut short is reported, never taken as complete.
    """
    from warcio.archiveiterator import ArchiveIterator

    size = path.stat().st_size
    offset = 0
    try:
        with path.open("rb") as stream:
            if progress is not None:
                progress.watch(stream)
            records = ArchiveIterator(stream)
            for record in records:
                complete = record.rec_type is not None and record.length is not None
                payload = record.content_stream().read() if complete and record.rec_type == "response" else b""
                offset = records.get_record_offset()  # after the read: this reads the record to its end
                location = f"{path}@{offset}"
                if not complete:
                    yield ReadFailure(location, "truncated or corrupt WARC: a record without WARC-Type or length")
                    return
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    yield ReadFailure(location, f"truncated WARC: the last record lacks {missing} of its bytes")
                    return
                if record.rec_type == "response":
                    try:
                        yield _warc_page(record, payload, location)
                    except Exception as error:  # noqa: BLE001 - a hostile page costs itself, not the crawl
                        yield ReadFailure(location, _unreadable(error))
            offset = records.offset
    except Exception as error:  # noqa: BLE001 - whatever a decoder raises ends this file, located
        yield ReadFailure(f"{path}@{offset}", f"truncated or corrupt WARC: {error}")
        return
    if offset < size:
        yield ReadFailure(f"{path}@{offset}", f"truncated WARC: {size - offset} bytes after the last complete record")


def _warc_page(record: Any, payload: bytes, location: str) -> Article | SkippedInput:
    """A WARC response as an article, or as skipped when it is not an HTML page."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    record_id = record_id.removeprefix("urn:uuid:") or stable_id(location)
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
    if "html" not in content_type.lower():
        return SkippedInput(location, f"not HTML ({content_type or 'no content type'})", record_id, url)
    return html_article(decode_bytes(payload), id=record_id, location=location, url=url)


#: Readers of files that hold many records: ``reader(path, fields, progress)`` yields them.
READERS = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "parquet": read_parquet,
    "warc": read_warc,
}

#: Readers of files that are one article: ``reader(path, id)`` returns it.
ONE_ARTICLE_READERS = {"txt": read_txt, "html": read_html}


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_bytes(raw)


def _wide_encoding(head: bytes) -> str | None:
    """``utf-16`` or ``utf-32`` when a stream opens with its byte order mark; these cannot be split at b"\\n"."""
    encoding = next((encoding for mark, encoding in BYTE_ORDER_MARKS if head.startswith(mark)), None)
    return encoding if encoding in ("utf-16", "utf-32") else None


def _unreadable(error: Exception) -> str:
    message = " ".join(str(error).split())[:300]
    return f"unreadable record: {type(error).__name__}: {message}"


def _corrupt(error: BaseException, raw: IO[bytes] | None) -> str:
    """The reason for a compressed stream that ends early or breaks, with the byte where it did."""
    where = ""
    if raw is not None and not raw.closed:
        where = f" at byte {raw.tell():,} of {os.fstat(raw.fileno()).st_size:,}"
    return f"truncated or corrupt file{where}: {error}"


class _ZstdStream(io.RawIOBase):
    """Zstandard frames decoded as one stream; a frame cut short raises ``EOFError``.

    zstandard's ``stream_reader`` ends a truncated frame as if the file were
    complete, so half a ``.zst`` would silently give half its records; the
    decoder object here says whether each frame reached its end.
    """

    def __init__(self, source: IO[bytes]) -> None:
        import zstandard

        self._source = source
        self._decompressor = zstandard.ZstdDecompressor()
        self._frame = self._decompressor.decompressobj()
        self._inside_frame = False
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._source.read(ZSTD_INPUT_CHUNK)
            if not chunk:
                if self._inside_frame:
                    raise EOFError("Zstandard frame ended early (file cut short)")
                return 0
            self._pending = memoryview(self._decode(chunk))
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _decode(self, data: bytes) -> bytes:
        output = []
        while data:
            self._inside_frame = True
            output.append(self._frame.decompress(data))
            if not self._frame.eof:
                break
            self._inside_frame = False
            data = self._frame.unused_data
            self._frame = self._decompressor.decompressobj()
        return b"".join(output)

    def close(self) -> None:
        self._source.close()
        super().close()


def _open_binary(path: Path, progress: ReadProgress | None = None) -> tuple[io.BufferedIOBase, IO[bytes]]:
    """The decompressed stream of a file (by its suffix), and the file itself, whose position locates a break
    (and, watched by ``progress``, tells how far the reading is).

    gzip's own small buffer is kept: a larger one would drop more of the lines
    before a break, since a read that reaches the break raises instead of returning them.
    """
    name = path.name.lower()
    if name.endswith(".gz"):
        raw = path.open("rb")
        stream: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="rb")
    elif name.endswith(".zst"):
        raw = path.open("rb")
        stream = io.BufferedReader(_ZstdStream(raw), ENCODING_SAMPLE_BYTES)
    else:
        raw = stream = path.open("rb", buffering=ENCODING_SAMPLE_BYTES)
    if progress is not None:
        progress.watch(raw)
    return stream, raw
