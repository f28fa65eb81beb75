"""Local batch execution: stream inputs through a ``Pipeline`` into a writer.

Reading, processing and writing are chained generators, so memory holds a
bounded number of batches however large the dump. Every input record ends in
exactly one output record or one line of ``errors.jsonl`` beside the output;
with a sharded output folder a crashed run resumes where its last completed
shard ends. The run's filled config, models, inputs and counts are written
beside the output so a result can always be traced back.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from tqdm.auto import tqdm

from pipeline.core import Pipeline
from pipeline.dedupe import DuplicateFinder, DuplicateMode
from pipeline.document import Article, Result, stable_id
from pipeline.errors import ConfigError
from pipeline.io import (
    FieldMap,
    JsonlWriter,
    ParquetWriter,
    ReadFailure,
    ReadProgress,
    ShardedWriter,
    SkippedInput,
    completed_shards,
    expand_inputs,
    read_inputs,
    written_ids,
)
from pipeline.io.readers import InputItem

#: Batches in flight per worker process: enough to keep workers busy, few enough to bound memory.
BATCHES_IN_FLIGHT_PER_WORKER = 2


@dataclass
class JobOptions:
    """How a job reads, parallelises and writes; the CLI's ``run`` options."""

    #: Worker processes for the stages; 1 runs them in this process.
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
    seconds: float = 0.0
    stages: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return self.articles - self.with_errors - self.skipped_duplicates

    @property
    def records_in(self) -> int:
        """Input records accounted for: written, logged in ``errors.jsonl``, or done by an earlier run."""
        return self.articles + self.unreadable + self.duplicate_ids + self.resumed

    def add(self, result: Result) -> None:
        self.articles += 1
        self.with_errors += not result.ok
        self.skipped += result.status.get("read", "").startswith("skipped")
        self.duplicates += result.duplicate_of is not None
        self.skipped_duplicates += any(status.startswith("skipped: duplicate of") for status in result.status.values())
        for stage, status in result.status.items():
            outcome = status.split(":", 1)[0]
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
            f"{self.resumed} already done, {self.seconds:.1f} s, {rate:.1f} articles/s"
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
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles / self.seconds, 2) if self.seconds > 0 else 0.0,
            "stages": {stage: dict(counts) for stage, counts in self.stages.items()},
        }


@dataclass(frozen=True)
class OutputPlan:
    """Where a job writes records, failures and its manifest."""

    target: str
    sharded: bool
    format: str
    errors: Path | None
    manifest: Path | None


def manifest_path(output: str | Path) -> Path:
    """``out.jsonl`` -> ``out.jsonl.manifest.json``; an output folder -> ``DIR/manifest.json``.

    Named after the whole output name, so ``out.jsonl`` and ``out.parquet`` keep a manifest each.
    """
    path = Path(output)
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        return path / "manifest.json"
    return path.with_name(path.name + ".manifest.json")


def errors_path(output: str | Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl``; an output folder -> ``DIR/errors.jsonl``."""
    path = Path(output)
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        return path / "errors.jsonl"
    return path.with_name(path.stem + ".errors.jsonl")


def plan_output(output: str, options: JobOptions) -> OutputPlan:
    """Check the output before any work: writable, and not silently mixing two runs' shards."""
    if output == "-":
        if options.resume:
            raise ConfigError("--resume needs a sharded output folder (-o DIR/), not stdout")
        return OutputPlan("-", False, "jsonl", None, None)
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
    if sharded and not options.resume and completed_shards(output):
        raise ConfigError(f"{output!r} already holds output shards: pass --resume to continue, or use an empty folder")
    return OutputPlan(output, sharded, output_format, errors_path(output), manifest_path(output))


class ErrorLog:
    """``errors.jsonl``: one line per input record that has no output record, with reason and location.

    Lines are flushed as written, so a crashed run keeps them and ``--resume``
    knows which locations were already reported.
    """

    def __init__(self, path: Path, resume: bool) -> None:
        self.path = path
        #: Locations a previous run of this job already reported (``--resume``).
        self.reported: set[str] = set()
        self._stream: IO[str] | None = None
        if resume and path.exists():
            with path.open(encoding="utf-8") as stream:
                self.reported = {json.loads(line)["location"] for line in stream if line.strip()}
        elif path.exists():
            path.unlink()

    def write(self, location: str, reason: str, id: str | None = None) -> None:
        if self._stream is None:
            self._stream = self.path.open("a", encoding="utf-8")
        self._stream.write(json.dumps({"location": location, "reason": reason, "id": id}, ensure_ascii=False) + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


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
    ``ConfigError`` (unwritable output, shards without ``--resume``) before any work.
    """
    options = options or JobOptions()
    files = expand_inputs(inputs)
    plan = plan_output(output, options)
    done = written_ids(plan.target) if options.resume else set()
    duplicates = DuplicateFinder(options.duplicates)
    errors = ErrorLog(plan.errors, options.resume) if plan.errors else None
    summary = RunSummary()
    started = time.perf_counter()
    writer = open_writer(plan, options)
    reading = ReadProgress(files)
    try:
        with writer, progress_bar(reading, enabled=progress) as bar:
            admitted = _admit(
                read_inputs(inputs, options.fields, reading),
                stages=[name for name, _ in pipeline.stages],
                done=done,
                errors=errors,
                duplicates=duplicates,
                skip_duplicates=options.skip_duplicates,
                max_record_chars=options.max_record_chars,
                summary=summary,
            )
            for result in _process(pipeline, admitted, options):
                writer.write(result.to_dict())
                summary.add(result)
                advance(bar, reading, summary, started)
    finally:
        if errors is not None:
            errors.close()
    return finish_job(pipeline, plan, inputs, files, options, summary, writer, started, engine="local")


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


def finish_job(
    pipeline: Pipeline,
    plan: OutputPlan,
    inputs: list[str],
    files: list[str],
    options: JobOptions,
    summary: RunSummary,
    writer: JsonlWriter | ParquetWriter | ShardedWriter,
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
        "models": pipeline.models,
        "fallbacks": pipeline.fallbacks,
        "counts": summary.to_dict(),
        "config": pipeline.config.model_dump(mode="json"),
    }
    plan.manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return summary


def open_writer(plan: OutputPlan, options: JobOptions) -> JsonlWriter | ParquetWriter | ShardedWriter:
    """The writer a plan asks for: a folder of shards, or one Parquet or JSONL file."""
    if plan.sharded:
        return ShardedWriter(plan.target, plan.format, options.shard_size)
    return ParquetWriter(plan.target) if plan.format == "parquet" else JsonlWriter(plan.target)


def _admit(
    items: Iterable[InputItem],
    *,
    stages: list[str],
    done: set[str],
    errors: ErrorLog | None,
    duplicates: DuplicateFinder,
    skip_duplicates: bool,
    max_record_chars: int,
    summary: RunSummary,
) -> Iterator[Result]:
    """Turn read items into Results to process, in input order, deciding everything that needs the whole stream.

    Runs in the parent process because its decisions depend on every earlier
    record: repeated ids, duplicate texts, what a previous run finished.
    A Result that already has a status is final and bypasses the stages.
    """
    seen: set[str] = set()
    for item in items:
        id, duplicate_id = None, False
        if isinstance(item, ReadFailure):
            reason = item.message
        elif isinstance(item, Article) and len(item.text) > max_record_chars:
            id, reason = item.id, oversized(item.text, max_record_chars)
        else:
            id = item.id if isinstance(item, SkippedInput) else (item.id or stable_id(item.text))
            duplicate_id = id in seen
            reason = f"duplicate id {id!r}: an earlier input record has the same id" if duplicate_id else None
        if reason is not None:
            record = _reject(item.location or "", reason, id, errors, summary, duplicate_id)
            if record is not None:
                yield record
            continue
        seen.add(id)
        duplicate_of = None if isinstance(item, SkippedInput) else duplicates.check(id, item.text)
        if id in done:
            summary.resumed += 1
            continue
        if isinstance(item, SkippedInput):
            result = Result(id=id, text="", title=item.title, url=item.url, location=item.location)
            result.status["read"] = f"skipped: {item.reason}"
            result.status.update({stage: f"skipped: {item.reason}" for stage in stages})
            yield result
            continue
        result = Result.from_article(item)
        result.id = id
        result.duplicate_of = duplicate_of
        if duplicate_of is not None and skip_duplicates:
            result.status.update({stage: f"skipped: duplicate of {duplicate_of!r}" for stage in stages})
        yield result


def _reject(
    location: str,
    reason: str,
    id: str | None,
    errors: ErrorLog | None,
    summary: RunSummary,
    duplicate_id: bool,
) -> Result | None:
    """Account for a record that gets no output record of its own.

    It becomes a line of errors.jsonl, unless a resumed run already logged it;
    with stdout as the output there is nothing beside it, so it becomes an
    error record in the stream instead (returned, to be written).
    """
    if errors is not None and location in errors.reported:
        summary.resumed += 1
        return None
    if duplicate_id:
        summary.duplicate_ids += 1
    else:
        summary.unreadable += 1
    if errors is None:
        return Result.failed_input(location, reason)
    errors.write(location, reason, id)
    return None


def oversized(text: str, limit: int) -> str:
    """The errors.jsonl reason for a record whose text is too long to be an article."""
    return f"text of {len(text):,} characters is over the {limit:,} limit (--max-record-chars): not one article"


def _process(pipeline: Pipeline, results: Iterator[Result], options: JobOptions) -> Iterator[Result]:
    """Results through the stages, batch by batch, here or in worker processes.

    A job of one batch runs here: starting workers would cost more than it saves.
    """
    size = pipeline.config.batch_size
    batches = iter(lambda: list(islice(results, size)), [])
    first = next(batches, [])
    second = next(batches, [])
    if options.workers <= 1 or not second:
        for batch in chain([first, second], batches):
            yield from _run_batch(pipeline, batch)
        return
    batches = chain([first, second], batches)
    threads = max(1, (os.cpu_count() or 1) // options.workers)
    if _can_fork():
        context, source = multiprocessing.get_context("fork"), pipeline
    else:
        context, source = multiprocessing.get_context("spawn"), pipeline.config.model_dump(mode="json")
    with ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(source, pipeline.fail_fast, threads),
    ) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_work, batch))
            if len(pending) >= BATCHES_IN_FLIGHT_PER_WORKER * options.workers:
                yield from _harvest(pending, options.ordered)
        while pending:
            yield from _harvest(pending, options.ordered)


def _harvest(pending: deque[Future[list[Result]]], ordered: bool) -> Iterator[Result]:
    """The oldest batch (ordered), or whichever batches are finished (unordered): the back-pressure point."""
    if ordered:
        yield from pending.popleft().result()
        return
    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in finished:
        pending.remove(future)
        yield from future.result()


def _run_batch(pipeline: Pipeline, batch: list[Result]) -> list[Result]:
    pipeline.process_batch([doc for doc in batch if not doc.status])
    return batch


_worker_pipeline: Pipeline | None = None


def _can_fork() -> bool:
    """Fork (workers share the parent's loaded models) unless unavailable or CUDA is initialised.

    CUDA cannot survive a fork; spawned workers build their own Pipeline
    from the filled config instead, once each.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    torch = sys.modules.get("torch")
    return not (torch is not None and torch.cuda.is_initialized())


def _start_worker(source: Pipeline | dict[str, Any], fail_fast: bool, threads: int) -> None:
    """Set up the worker's Pipeline once, so models load once per worker, never per batch."""
    global _worker_pipeline
    _worker_pipeline = source if isinstance(source, Pipeline) else Pipeline(source, fail_fast=fail_fast)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def _work(batch: list[Result]) -> list[Result]:
    assert _worker_pipeline is not None, "worker started without _start_worker"
    return _run_batch(_worker_pipeline, batch)
