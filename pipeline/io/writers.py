"""Writers for the output records: one JSONL or Parquet file, or a folder of shards.

Every file is written under a temporary ``.partial`` name and renamed when
complete, so a crashed run never leaves a truncated file that looks finished,
and a resumed run can trust every file without that suffix. A writer that
stops on an error removes its ``.partial``: it cannot be resumed.

Two kinds of failure are kept apart: a record that cannot be serialised raises
``UnwritableRecord`` before a byte of it is written (the run logs it and goes
on); a file system error (disk full, unwritable path) raises ``OutputError``
(the run stops).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pipeline.document import FIELDS, RecordField
from pipeline.errors import OutputError, UnwritableRecord

#: Records per Parquet row group: bounds the memory a writer holds.
PARQUET_ROW_GROUP = 1000

#: Completed shard names: ``part-00000.jsonl``, ``part-00001.parquet``, ...
SHARD_NAME = re.compile(r"^part-(\d{5,})\.(jsonl|parquet)$")


@contextmanager
def output_errors(path: str | Path) -> Iterator[None]:
    """Turn a file system error while writing ``path`` into an ``OutputError`` that names it."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error


def encode_record(record: dict[str, Any]) -> bytes:
    """One JSON line as UTF-8; raise ``UnwritableRecord`` rather than write part of a line."""
    try:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:
        raise UnwritableRecord(f"cannot serialise the record: {type(error).__name__}: {error}"[:500]) from error


def is_stream(target: str | Path) -> bool:
    """``-`` (stdout), or an existing file that is not a regular file or folder: a device, a named pipe.

    A stream is written straight into: renaming a ``.partial`` over ``/dev/null`` would replace the device.
    """
    path = Path(target)
    return str(target) == "-" or (path.exists() and not path.is_file() and not path.is_dir())


def remove_partial(partial: Path | None) -> None:
    """Delete an unfinished ``.partial``: nothing can resume from it."""
    if partial is not None:
        with suppress(FileNotFoundError):
            partial.unlink()


class JsonlWriter:
    """One JSON object per line to a file, or straight into a stream: stdout for ``-``, a device, a pipe."""

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        self._stream: IO[bytes] | None = None
        self._partial: Path | None = None

    def __enter__(self) -> JsonlWriter:
        if self.target == "-":
            self._stream = getattr(sys.stdout, "buffer", None) or _TextStream(sys.stdout)
            return self
        if is_stream(self.target):
            with output_errors(self.target):
                self._stream = open(self.target, "wb")
            return self
        final = Path(self.target)
        self._partial = final.with_name(final.name + ".partial")
        with output_errors(self.target):
            final.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self._partial.open("wb")
        return self

    def write(self, record: dict[str, Any]) -> None:
        assert self._stream is not None, "use JsonlWriter as a context manager"
        line = encode_record(record)
        with output_errors(self.target):
            self._stream.write(line)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._stream is not None
        if self._partial is None:
            with output_errors(self.target) if kind is None else suppress(OSError):
                try:
                    self._stream.flush()
                finally:
                    if self.target != "-":
                        self._stream.close()
            return
        if kind is not None:
            self._abandon()
            return
        try:
            with output_errors(self.target):
                self._stream.flush()
                os.fsync(self._stream.fileno())
                self._stream.close()
                os.replace(self._partial, self.target)
        except BaseException:  # a full disk, or SIGINT during the fsync: nothing unfinished is left behind
            self._abandon()
            raise

    def _abandon(self) -> None:
        with suppress(OSError):
            self._stream.close()
        remove_partial(self._partial)


class _TextStream:
    """A text stream without a byte buffer (a notebook's stdout) seen as a byte stream."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes) -> None:
        self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()


class ParquetWriter:
    """Records to one Parquet file, a row group at a time, with entities as a list of structs.

    The schema is fixed (``result_schema``) so every shard of a run has the same
    columns and DuckDB or pandas can read a folder of them as one table. Each
    record is converted on its own, so one that does not fit the schema is
    refused alone instead of failing its row group.
    """

    def __init__(self, target: str | Path) -> None:
        self.target = Path(target)
        self._partial = self.target.with_name(self.target.name + ".partial")
        self._rows: list[Any] = []
        self._writer: Any = None
        self._schema = result_schema()

    def __enter__(self) -> ParquetWriter:
        import pyarrow.parquet as pq

        with output_errors(self.target):
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._partial, self._schema)
        return self

    def write(self, record: dict[str, Any]) -> None:
        import pyarrow as pa

        try:
            row = pa.Table.from_pylist([_parquet_row(record)], schema=self._schema)
        except (pa.ArrowException, TypeError, ValueError, OverflowError, RecursionError) as error:
            raise UnwritableRecord(
                f"record does not fit the Parquet schema: {type(error).__name__}: {error}"[:500]
            ) from error
        self._rows.append(row)
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            with output_errors(self.target):
                self._writer.write_table(pa.concat_tables(self._rows))
            self._rows = []

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None:
            with suppress(Exception):
                self._writer.close()
            remove_partial(self._partial)
            return
        try:
            with output_errors(self.target):
                self._flush()
                self._writer.close()
                os.replace(self._partial, self.target)
        except BaseException:  # a full disk, or SIGINT while the file is closed: nothing unfinished is left behind
            remove_partial(self._partial)
            raise


class ShardedWriter:
    """Records to ``DIR/part-00000.<format>``, ``part-00001``, ... of ``shard_size`` records each.

    A shard is renamed from ``.partial`` only when full (or at the end of the
    run), so a crash loses at most the shard being written; ``--resume`` reads
    the ids of the completed ones and continues numbering after them.
    """

    def __init__(self, directory: str | Path, output_format: str = "jsonl", shard_size: int = 1000) -> None:
        if output_format not in ("jsonl", "parquet"):
            raise ValueError(f"unknown output format {output_format!r} (expected jsonl or parquet)")
        self.directory = Path(directory)
        self.format = output_format
        self.shard_size = shard_size
        self.shards: list[str] = []
        self._current: JsonlWriter | ParquetWriter | None = None
        self._count = 0
        self._next_index = 0

    def __enter__(self) -> ShardedWriter:
        """Start after the last complete shard; a stale ``.partial`` is a crashed run's (the output lock says so)."""
        with output_errors(self.directory):
            self.directory.mkdir(parents=True, exist_ok=True)
            for stale in self.directory.glob("part-*.partial"):
                stale.unlink()
        indices = [int(match[1]) for match in map(SHARD_NAME.match, os.listdir(self.directory)) if match]
        self._next_index = max(indices, default=-1) + 1
        return self

    def write(self, record: dict[str, Any]) -> None:
        if self._current is None:
            name = f"part-{self._next_index:05d}.{self.format}"
            self._next_index += 1
            self._current = (JsonlWriter if self.format == "jsonl" else ParquetWriter)(self.directory / name)
            self._current.__enter__()
            self.shards.append(name)
        self._current.write(record)
        self._count += 1
        if self._count >= self.shard_size:
            self._close_shard(None)

    def _close_shard(self, kind: type[BaseException] | None) -> None:
        current, self._current, self._count = self._current, None, 0
        if current is not None:
            current.__exit__(kind, None, None)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._close_shard(kind)


def completed_shards(directory: str | Path) -> list[Path]:
    """The finished shards of an output folder, in order (``.partial`` files are not finished)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(folder / name for name in os.listdir(folder) if SHARD_NAME.match(name))


def written_ids(directory: str | Path) -> set[str]:
    """The ids of every record in the completed shards of an output folder."""
    ids: set[str] = set()
    for shard in completed_shards(directory):
        if shard.suffix == ".parquet":
            import pyarrow.parquet as pq

            ids.update(pq.read_table(shard, columns=["id"]).column("id").to_pylist())
        else:
            with shard.open(encoding="utf-8") as stream:
                ids.update(json.loads(line)["id"] for line in stream if line.strip())
    return ids


def result_schema() -> Any:
    """The Arrow schema of an output record, one column per field of ``pipeline.document.FIELDS``.

    Lists of objects are lists of structs, ``status``/``models`` maps; a field
    a stage declares gets its column here without this module changing.
    """
    import pyarrow as pa

    return pa.schema([(record_field.name, arrow_type(record_field)) for record_field in FIELDS.values()])


def arrow_type(record_field: RecordField) -> Any:
    """The Arrow type of one record field, from its ``column``."""
    import pyarrow as pa

    column = record_field.column
    if column == "list<struct>":
        items = [pa.field(name, getattr(pa, kind)()) for name, kind in record_field.items]
        return pa.list_(pa.struct(items + ([pa.field("extra", pa.string())] if record_field.extra else [])))
    if column == "map<string,string>":
        return pa.map_(pa.string(), pa.string())
    if column.startswith("list<") and column.endswith(">"):
        return pa.list_(getattr(pa, column[len("list<") : -1])())
    return getattr(pa, column)()


def _parquet_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record shaped to ``result_schema``: keys without a column of their own go, as JSON, into ``extra``."""
    row = dict(record)
    for record_field in FIELDS.values():
        if record_field.extra and record_field.items and row.get(record_field.name) is not None:
            row[record_field.name] = [_conform(item, record_field.items) for item in row[record_field.name]]
    return row


def _conform(item: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    known = {name for name, _ in fields}
    shaped = {name: item.get(name) for name in known}
    rest = {key: value for key, value in item.items() if key not in known}
    shaped["extra"] = json.dumps(rest, ensure_ascii=False) if rest else None
    return shaped
