"""Local batch execution: stream inputs through a ``Pipeline`` into a writer.

Reading, processing and writing are chained generators, so memory holds a
bounded number of batches however large the dump. Every input record ends in
exactly one output record or one line of ``errors.jsonl`` beside the output;
with a sharded output folder a crashed run resumes where its last completed
shard ends. The run's filled config, models, inputs and counts are written
beside the output so a result can always be traced back.

No record can end the job: an exception while reading, admitting, processing
or writing one record is confined to that record. Records run in worker
processes with a time budget each; a worker that overruns it or dies is
replaced and its records are retried one by one. The output is locked for the
whole run, so a second run on it stops before touching anything.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from filelock import FileLock, Timeout
from tqdm.auto import tqdm

from pipeline.config import PipelineConfig
from pipeline.core import Pipeline
from pipeline.dedupe import DuplicateFinder, DuplicateMode
from pipeline.document import Article, Result
from pipeline.errors import ConfigError, OutputError, describe
from pipeline.io import (
    FieldMap,
    InputFile,
    JsonlWriter,
    ParquetWriter,
    ReadFailure,
    ReadProgress,
    ShardedWriter,
    SkippedInput,
    completed_shards,
    expand_inputs,
    input_files,
    read_file,
    written_ids,
)
from pipeline.io.readers import InputItem
from pipeline.io.writers import is_stream, output_errors
from pipeline.pool import RECORD_TIMEOUT_SECONDS, process_in_workers, run_batch, set_torch_threads, time_budget

#: What a run writes its records through.
Writer = JsonlWriter | ParquetWriter | ShardedWriter


@dataclass
class JobOptions:
    """How a job reads, parallelises and writes; the CLI's ``run`` options."""

    #: Worker processes for the stages; 1 with ``record_timeout=0`` runs them in this process.
    workers: int = 1
    #: Write records in input order (False: as workers finish, a little faster).
    ordered: bool = True
    #: Skip ids already in the completed shards of the output folder.
    resume: bool = False
    #: ``jsonl`` or ``parquet``; None: from the output file's suffix, JSONL for a folder.
    output_format: str | None = None
    #: Records per shard in a sharded output folder: the most a crash can lose.
    shard_size: int = 1000
    #: Which source fields hold the article fields (JSONL, CSV, Parquet).
    fields: FieldMap = field(default_factory=FieldMap)
    #: ``off``, ``exact`` (same normalised text) or ``near`` (also MinHash LSH).
    duplicates: DuplicateMode = "exact"
    #: Do not run the stages on a duplicate; its status says which article it copies.
    skip_duplicates: bool = False
    #: A text longer than this is a broken record (a whole dump in one field), not an article:
    #: it goes to errors.jsonl instead of costing minutes and gigabytes in the stages.
    max_record_chars: int = 5_000_000
    #: Seconds a record may take at least (``TimeBudget``); longer texts get more. A record over its
    #: budget gets ``error: timeout`` and its worker process is replaced. Records then always run in
    #: worker processes, even with ``workers=1``; 0 turns budgets off (and ``workers=1`` runs here).
    record_timeout: float = RECORD_TIMEOUT_SECONDS
    #: Torch CPU threads of each process that runs the stages; None: torch's default here, and
    #: cores / workers in each worker process. Torch's thread pool is process-wide, so the runner
    #: sets it, never a stage.
    threads: int | None = None


@dataclass
class RunSummary:
    """Counts of a finished run: per article, and per stage ``ok``/``skipped``/``error``."""

    articles: int = 0
    with_errors: int = 0
    skipped: int = 0
    duplicates: int = 0
    #: Duplicates not run through the stages (``--skip-duplicates``): written, but not ``ok``.
    skipped_duplicates: int = 0
    unreadable: int = 0
    duplicate_ids: int = 0
    resumed: int = 0
    unwritable: int = 0
    seconds: float = 0.0
    stages: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return self.articles - self.with_errors - self.skipped_duplicates

    @property
    def records_in(self) -> int:
        """Input records accounted for: written, logged in ``errors.jsonl``, or done by an earlier run."""
        return self.articles + self.unreadable + self.duplicate_ids + self.resumed + self.unwritable

    def add(self, record: dict[str, Any]) -> None:
        """Count one written record by its fields, whichever engine made it."""
        status: dict[str, str] = record["status"]
        self.articles += 1
        self.with_errors += any(value.startswith("error") for value in status.values())
        self.skipped += status.get("read", "").startswith("skipped")
        self.duplicates += record["duplicate_of"] is not None
        self.skipped_duplicates += any(value.startswith("skipped: duplicate of") for value in status.values())
        for stage, value in status.items():
            outcome = value.split(":", 1)[0]
            self.stages.setdefault(stage, Counter())[outcome] += 1

    def report(self) -> str:
        """Per-stage counts, then one final line: articles, ok, errors, skipped, duplicates, time, articles/s."""
        lines = [
            f"{stage:>10}: " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
            for stage, counts in self.stages.items()
        ]
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        skipped_copies = f" ({self.skipped_duplicates} skipped)" if self.skipped_duplicates else ""
        lines.append(
            f"{self.articles} articles, {self.ok} ok, {self.with_errors} with errors, {self.skipped} not articles, "
            f"{self.duplicates} duplicates{skipped_copies}, {self.unreadable} unreadable, {self.duplicate_ids} duplicate ids, "
            f"{self.resumed} already done, "
            + (f"{self.unwritable} unwritable, " if self.unwritable else "")
            + f"{self.seconds:.1f} s, {rate:.1f} articles/s"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "records_in": self.records_in,
            "articles": self.articles,
            "ok": self.ok,
            "with_errors": self.with_errors,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "skipped_duplicates": self.skipped_duplicates,
            "unreadable": self.unreadable,
            "duplicate_ids": self.duplicate_ids,
            "resumed": self.resumed,
            "unwritable": self.unwritable,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles / self.seconds, 2) if self.seconds > 0 else 0.0,
            "stages": {stage: dict(counts) for stage, counts in self.stages.items()},
        }


@dataclass(frozen=True)
class OutputPlan:
    """Where a job writes records, failures and its manifest, and the lock file that claims them."""

    target: str
    sharded: bool
    format: str
    errors: Path | None
    manifest: Path | None
    lock: Path | None = None


def manifest_path(output: str | Path) -> Path:
    """``out.jsonl`` -> ``out.jsonl.manifest.json``; an output folder -> ``DIR/manifest.json``.

    Named after the whole output name, so ``out.jsonl`` and ``out.parquet`` keep a manifest each.
    """
    path = Path(output)
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        return path / "manifest.json"
    return path.with_name(path.name + ".manifest.json")


def errors_path(output: str | Path) -> Path:
    """``out.jsonl`` -> ``out.jsonl.errors.jsonl`` (as the manifest: ``out.parquet`` beside it has its own);
    an output folder -> ``DIR/errors.jsonl``."""
    path = Path(output)
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        return path / "errors.jsonl"
    return path.with_name(path.name + ".errors.jsonl")


def lock_path(output: str | Path) -> Path:
    """``out.jsonl`` -> ``out.jsonl.lock``; an output folder -> ``DIR/.nlnews.lock`` (symlinks resolved)."""
    path = Path(output)
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        return path.resolve() / ".nlnews.lock"
    return path.resolve().with_name(path.name + ".lock")


def plan_output(output: str, options: JobOptions) -> OutputPlan:
    """Check the output before any work: a known format, and a folder that exists and is writable.

    ``-`` and an existing file that is not a regular file (``/dev/null``, a
    named pipe) are streams: records are written straight into them, failed
    inputs stay in the stream as error records, and nothing is put beside them.
    """
    if is_stream(output):
        if options.resume:
            raise ConfigError(f"--resume needs a sharded output folder (-o DIR/), not the stream {output}")
        if (options.output_format or "jsonl") != "jsonl":
            raise ConfigError(f"{output} is a stream: it can take JSONL only, not {options.output_format}")
        return OutputPlan(output, False, "jsonl", None, None)
    sharded = output.endswith(("/", os.sep)) or Path(output).is_dir()
    output_format = options.output_format or ("parquet" if output.endswith(".parquet") else "jsonl")
    if output_format not in ("jsonl", "parquet"):
        raise ConfigError(f"unknown output format {output_format!r} (expected jsonl or parquet)")
    if options.resume and not sharded:
        raise ConfigError("--resume needs a sharded output folder: -o DIR/")
    folder = Path(output) if sharded else Path(output).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create output folder {str(folder)!r}: {error.strerror}") from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"output folder {str(folder)!r} is not writable")
    return OutputPlan(output, sharded, output_format, errors_path(output), manifest_path(output), lock_path(output))


@contextmanager
def claim_output(plan: OutputPlan, options: JobOptions) -> Iterator[None]:
    """Hold an exclusive lock on the output for the whole run, then check it may be written.

    A second run on the same file or folder raises ``OutputError`` naming the
    holder's pid before it reads, deletes or writes anything there. The lock
    is the kernel's (``flock`` through ``filelock``): a killed run holds it no more.
    """
    if plan.lock is None:
        yield
        return
    holder = _lock_holder(plan.lock)
    with output_errors(plan.target):
        plan.lock.touch()
    lock = FileLock(str(plan.lock), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        pid = holder or _lock_holder(plan.lock) or "unknown"
        raise OutputError(
            f"{plan.target} is being written by another nlnews run (pid {pid}); wait for it to end or choose "
            f"another output"
        ) from None
    try:
        with output_errors(plan.lock):
            plan.lock.write_text(f"{os.getpid()}\n", encoding="ascii")
        if plan.sharded and not options.resume and completed_shards(plan.target):
            raise ConfigError(
                f"{plan.target!r} already holds output shards: pass --resume to continue, or use an empty folder"
            )
        yield
    finally:
        lock.release()


def _lock_holder(path: Path) -> str | None:
    """The pid the holding run wrote into the lock file, if it can be read."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.isdigit() else None


#: Code points U+D800..U+DFFF: a lone surrogate (a broken ``\ud800`` escape in JSON) has no UTF-8 encoding.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so that it can be written as UTF-8."""
    return LONE_SURROGATE.sub("\ufffd", text)


class ErrorLog:
    """``errors.jsonl``: one line per input record that has no output record, with reason and location.

    Lines are flushed as written, so a crashed run keeps them and ``--resume``
    knows which locations were already reported; a line cut short by a crash
    is ignored, and the next line starts on a line of its own.
    """

    def __init__(self, path: Path, resume: bool) -> None:
        self.path = path
        #: Locations a previous run of this job already reported (``--resume``).
        self.reported: set[str] = set()
        self._stream: IO[str] | None = None
        with output_errors(path):
            if resume and path.exists():
                self.reported = _reported_locations(path)
            elif path.exists():
                path.unlink()

    def write(self, location: str, reason: str, id: str | None = None) -> None:
        line = {"location": valid_text(location), "reason": valid_text(reason), "id": id and valid_text(id)}
        with output_errors(self.path):
            if self._stream is None:
                self._stream = self.path.open("a", encoding="utf-8")
                if self._stream.tell() > 0 and not _ends_with_newline(self.path):
                    self._stream.write("\n")
            self._stream.write(json.dumps(line, ensure_ascii=False) + "\n")
            self._stream.flush()

    def was_reported(self, location: str) -> bool:
        return valid_text(location) in self.reported

    def close(self) -> None:
        if self._stream is not None:
            with suppress(OSError):
                self._stream.close()


def _reported_locations(path: Path) -> set[str]:
    locations = set()
    with path.open(encoding="utf-8", errors="replace") as stream:
        for line in stream:
            with suppress(ValueError, KeyError, TypeError):
                locations.add(json.loads(line)["location"])
    return locations


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as stream:
        stream.seek(-1, os.SEEK_END)
        return stream.read(1) == b"\n"


def run_job(
    pipeline: Pipeline,
    inputs: list[str],
    output: str,
    *,
    progress: bool = True,
    options: JobOptions | None = None,
) -> RunSummary:
    """Process every input record into exactly one output record or one ``errors.jsonl`` line.

    Raises ``InputError`` (missing input, missing optional package) or
    ``ConfigError`` (unwritable output, shards without ``--resume``) before any
    work; ``OutputError`` when the output is locked by another run, or cannot be
    written (disk full): what cannot be resumed is removed first.
    """
    options = options or JobOptions()
    files = expand_inputs(inputs)
    plan = plan_output(output, options)
    with claim_output(plan, options):
        done = written_ids(plan.target) if options.resume else set()
        errors = ErrorLog(plan.errors, options.resume) if plan.errors else None
        admission = Admission.for_job([name for name, _ in pipeline.stages], done, options)
        ledger = Ledger(errors)
        summary = ledger.summary
        started = time.perf_counter()
        writer = open_writer(plan, options)
        reading = ReadProgress(files)
        try:
            with writer, progress_bar(reading, enabled=progress) as bar:
                admitted = ledger.settled(admission(read_guarded(input_files(inputs), options.fields, reading)))
                with closing(_process(pipeline, admitted, options)) as results:
                    for result in results:
                        _write(ledger, writer, result)
                        advance(bar, reading, summary, started)
        except OutputError as error:
            _discard_unresumable(plan, errors)
            if plan.errors is None:
                raise
            raise OutputError(f"{error}; {_what_is_kept(plan)}") from error
        except BaseException:
            _discard_unresumable(plan, errors)
            raise
        finally:
            if errors is not None:
                errors.close()
        built = BuiltPipeline(pipeline.config, pipeline.models, pipeline.fallbacks)
        return finish_job(built, plan, inputs, files, options, summary, writer, started, engine="local")


def _write(ledger: Ledger, writer: Writer, result: Result) -> None:
    """Write one record; one that cannot even be turned into a record goes to ``errors.jsonl`` instead."""
    try:
        record = result.to_dict()
    except Exception as error:  # noqa: BLE001 - any failure of one record is that record's, by design
        ledger.unwritable(writer, result.id, result.location, describe(error))
        return
    ledger.write(writer, record, result.location)


def _discard_unresumable(plan: OutputPlan, errors: ErrorLog | None) -> None:
    """After a failed run on one output file, its errors log describes an output that does not exist."""
    if errors is not None and not plan.sharded:
        errors.close()
        with suppress(OSError):
            errors.path.unlink()


def _what_is_kept(plan: OutputPlan) -> str:
    if plan.sharded:
        return f"the unfinished shard was removed; {shards_kept(plan.target)}: run again with --resume"
    return "nothing was written (the unfinished .partial was removed)"


def shards_kept(folder: str) -> str:
    """``3 complete shards are kept`` (or ``1 complete shard is``), for the last line of a stopped run."""
    count = len(completed_shards(folder))
    return f"{count} complete shard is kept" if count == 1 else f"{count} complete shards are kept"


# Progress bar: a total and the time left whenever the input's size is known.


def progress_bar(reading: ReadProgress, *, enabled: bool = True) -> tqdm:
    """A bar over records when the total is known up front (Parquet), else over the input's bytes, else a counter.

    ``tqdm.auto`` draws a widget in Jupyter (the ``notebooks`` extra brings ipywidgets) and text elsewhere.
    """
    options: dict[str, Any] = {"desc": "nlnews", "disable": not enabled, "dynamic_ncols": True}
    if reading.total_records is not None:
        return tqdm(total=reading.total_records, unit=" records", **options)
    if reading.total_bytes:
        return tqdm(total=reading.total_bytes, unit="B", unit_scale=True, unit_divisor=1024, **options)
    return tqdm(unit=" articles", **options)


def advance(bar: tqdm, reading: ReadProgress, summary: RunSummary, started: float) -> None:
    """Move the bar to the records (or bytes) done; the articles, their rate and the file being read follow it."""
    if bar.disable:
        return
    file = {None: "inputs read", "-": "stdin"}.get(reading.file) or Path(reading.file).name
    if bar.total is None:
        bar.update(summary.articles - bar.n)
        bar.set_postfix_str(file, refresh=False)
        return
    done = summary.records_in if bar.unit == " records" else min(reading.bytes_read, bar.total)
    bar.update(done - bar.n)
    rate = summary.articles / max(time.perf_counter() - started, 1e-9)
    bar.set_postfix_str(f"{summary.articles:,} articles, {rate:,.1f}/s, {file}", refresh=False)


@dataclass(frozen=True)
class BuiltPipeline:
    """What a run's manifest says of its Pipeline: the filled config, and what its stages were built with."""

    config: PipelineConfig
    #: The model (and revision) each stage runs (``Pipeline.models``).
    models: dict[str, str]
    #: What degrades in this run and how to fix it (``Pipeline.fallbacks``).
    fallbacks: list[str]


def finish_job(
    built: BuiltPipeline,
    plan: OutputPlan,
    inputs: list[str],
    files: list[str],
    options: JobOptions,
    summary: RunSummary,
    writer: Writer,
    started: float,
    engine: str,
) -> RunSummary:
    """Close the books of a run, whatever its engine: its duration, then its manifest.

    The manifest (config, models, inputs, counts) goes beside the output; stdout has none.
    """
    summary.seconds = time.perf_counter() - started
    if plan.manifest is None:
        return summary
    shards = writer.shards if isinstance(writer, ShardedWriter) else None
    manifest = {
        "engine": engine,
        "inputs": inputs,
        "files": files,
        "output": plan.target,
        "format": plan.format,
        "shards": shards,
        "errors": str(plan.errors) if plan.errors is not None and plan.errors.exists() else None,
        "options": {**asdict(options), "fields": asdict(options.fields)},
        "models": built.models,
        "fallbacks": built.fallbacks,
        "counts": summary.to_dict(),
        "config": built.config.model_dump(mode="json"),
    }
    with output_errors(plan.manifest):
        plan.manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return summary


def open_writer(plan: OutputPlan, options: JobOptions) -> JsonlWriter | ParquetWriter | ShardedWriter:
    """The writer a plan asks for: a folder of shards, or one Parquet or JSONL file."""
    if plan.sharded:
        return ShardedWriter(plan.target, plan.format, options.shard_size)
    return ParquetWriter(plan.target) if plan.format == "parquet" else JsonlWriter(plan.target)


def read_guarded(files: list[InputFile], fields: FieldMap, progress: ReadProgress | None = None) -> Iterator[InputItem]:
    """Every file's items; a reader that raises ends its file with an error line, not the job.

    Readers report bad records themselves; this is the backstop for a failure
    they did not foresee. The rest of that file is not read, and the line says
    after which record it stopped.
    """
    for file in files:
        last = None
        try:
            for item in read_file(file, fields, progress):
                last = item.location
                yield item
        except Exception as error:  # noqa: BLE001 - confined to the file being read
            after = f" after {last}" if last else ""
            reason = f"reading stopped{after}: {describe(error)}; the rest of the file was not read"
            yield ReadFailure(file.name, reason)


@dataclass(frozen=True)
class Rejection:
    """An input record that gets no output record of its own: a line of errors.jsonl, or an error record in a stream."""

    location: str
    reason: str
    id: str | None = None
    #: It repeats an earlier record's id (counted apart from the unreadable records).
    duplicate_id: bool = False


@dataclass(frozen=True)
class Resumed:
    """An input record that an earlier run of this job already wrote (``--resume``)."""

    id: str


#: What admission makes of one read item: a Result (to process, or already final), a Rejection, or Resumed.
Admitted = Result | Rejection | Resumed


class Admission:
    """Decide, in input order, what becomes of each read item, everything that needs the whole stream included.

    Its decisions depend on every earlier record: repeated ids, duplicate
    texts, what a previous run finished. So one Admission sees the whole
    stream in order, before any processing: in the local engine's parent
    process, in a single ordered actor on Ray. It writes nothing; the
    process that owns the output settles its rejections (``Ledger``), so both
    engines log and count in one place. A Result that already has a final
    status bypasses the stages. An item that raises here becomes a Rejection,
    and the stream goes on.
    """

    def __init__(
        self,
        *,
        stages: list[str],
        done: set[str],
        duplicates: DuplicateMode,
        skip_duplicates: bool,
        max_record_chars: int,
    ) -> None:
        self.stages = stages
        self.done = done
        self.duplicates = DuplicateFinder(duplicates)
        self.skip_duplicates = skip_duplicates
        self.max_record_chars = max_record_chars
        self.seen: set[str] = set()

    @classmethod
    def for_job(cls, stages: list[str], done: set[str], options: JobOptions) -> Admission:
        """The admission a job's options ask for; ``done``: the ids already written (``--resume``)."""
        return cls(
            stages=stages,
            done=done,
            duplicates=options.duplicates,
            skip_duplicates=options.skip_duplicates,
            max_record_chars=options.max_record_chars,
        )

    def __call__(self, items: Iterable[InputItem]) -> Iterator[Admitted]:
        for item in items:
            yield self.decide(item)

    def decide(self, item: InputItem) -> Admitted:
        """What becomes of one item; never raises."""
        try:
            return self._decide(item)
        except Exception as error:  # noqa: BLE001 - confined to this record
            return Rejection(getattr(item, "location", None) or "", f"cannot admit the record: {describe(error)}")

    def _decide(self, item: InputItem) -> Admitted:
        if isinstance(item, ReadFailure):
            return Rejection(item.location or "", item.message)
        if isinstance(item, Article) and len(item.text) > self.max_record_chars:
            return Rejection(item.location or "", oversized(item.text, self.max_record_chars), item.id)
        result = self._result(item)
        if result.id in self.seen:
            reason = f"duplicate id {result.id!r}: an earlier input record has the same id"
            return Rejection(result.location or "", reason, result.id, duplicate_id=True)
        self.seen.add(result.id)
        if isinstance(item, SkippedInput):
            duplicate_of = None
        else:
            duplicate_of = self.duplicates.check(result.id, result.text)
        if result.id in self.done:
            return Resumed(result.id)
        result.duplicate_of = duplicate_of
        if duplicate_of is not None and self.skip_duplicates:
            result.status.update({stage: f"skipped: duplicate of {duplicate_of!r}" for stage in self.stages})
        return result

    def _result(self, item: Article | SkippedInput) -> Result:
        """The item as a Result whose strings can all be written: lone surrogates replaced, and said so."""
        if isinstance(item, SkippedInput):
            result = Result(id=item.id, text="", title=item.title, url=item.url, location=item.location)
            result.status["read"] = f"skipped: {item.reason}"
            result.status.update({stage: f"skipped: {item.reason}" for stage in self.stages})
        else:
            result = Result.from_article(item)
        repaired = [name for name in ("id", "text", "title", "url", "date") if _repair(result, name)]
        if repaired and "read" not in result.status:
            result.status["read"] = (
                f"ok: lone surrogates (invalid \\u escapes) replaced by U+FFFD in {', '.join(repaired)}"
            )
        return result


class Ledger:
    """The books of the process that owns the output: rejections into errors.jsonl, every input record counted.

    Whatever engine admitted and processed the records, this is the one place
    that writes beside the output and fills the ``RunSummary``.
    """

    def __init__(self, errors: ErrorLog | None) -> None:
        self.errors = errors
        self.summary = RunSummary()

    def settled(self, decisions: Iterable[Admitted]) -> Iterator[Result]:
        """The Results among admission's decisions; rejections and resumed records are accounted for on the way."""
        for decision in decisions:
            result = self.settle(decision)
            if result is not None:
                yield result

    def settle(self, decision: Admitted) -> Result | None:
        """The Result to process or write, or None when the decision is logged or counted here."""
        if isinstance(decision, Resumed):
            self.summary.resumed += 1
            return None
        if isinstance(decision, Rejection):
            return self.reject(decision)
        return decision

    def reject(self, rejection: Rejection) -> Result | None:
        """Account for a record that gets no output record of its own.

        It becomes a line of errors.jsonl, unless a resumed run already logged it;
        with stdout as the output there is nothing beside it, so it becomes an
        error record in the stream instead (returned, to be written).
        """
        if self.errors is not None and self.errors.was_reported(rejection.location):
            self.summary.resumed += 1
            return None
        if rejection.duplicate_id:
            self.summary.duplicate_ids += 1
        else:
            self.summary.unreadable += 1
        if self.errors is None:
            return Result.failed_input(valid_text(rejection.location), valid_text(rejection.reason))
        self.errors.write(rejection.location, rejection.reason, rejection.id)
        return None

    def write(self, writer: Writer, record: dict[str, Any], location: str | None) -> None:
        """Write one record and count it; one that cannot be serialised goes to errors.jsonl instead."""
        try:
            writer.write(record)
        except OutputError:
            raise
        except Exception as error:  # noqa: BLE001 - any failure of one record is that record's, by design
            self.unwritable(writer, record["id"], location, describe(error))
            return
        self.summary.add(record)

    def unwritable(self, writer: Writer, id: str, location: str | None, cause: str) -> None:
        """Account for a record that was processed but cannot be written (``cause``: ``describe``'s line)."""
        reason = f"cannot write the record: {cause}"
        self.summary.unwritable += 1
        if self.errors is None:
            writer.write(Result.failed_input(valid_text(location or id), valid_text(reason)).to_dict())
        else:
            self.errors.write(location or "", reason, id)


def _repair(result: Result, name: str) -> bool:
    value = getattr(result, name)
    if isinstance(value, str) and LONE_SURROGATE.search(value):
        setattr(result, name, valid_text(value))
        return True
    return False


def oversized(text: str, limit: int) -> str:
    """The errors.jsonl reason for a record whose text is too long to be an article."""
    return f"text of {len(text):,} characters is over the {limit:,} limit (--max-record-chars): not one article"


def _process(pipeline: Pipeline, results: Iterator[Result], options: JobOptions) -> Iterator[Result]:
    """Results through the stages, batch by batch, in worker processes (or here, without a time budget)."""
    size = pipeline.config.batch_size
    batches = iter(lambda: list(islice(results, size)), [])
    budget = time_budget(pipeline, options.record_timeout)
    if budget is None and options.workers <= 1:
        if options.threads is not None:
            set_torch_threads(options.threads)
        for batch in batches:
            yield from run_batch(pipeline, batch)
        return
    yield from process_in_workers(
        pipeline, batches, options.workers, budget, ordered=options.ordered, threads=options.threads
    )
