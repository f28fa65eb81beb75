"""The same stages on a Ray cluster through Ray Data; imported only for ``--engine ray``.

Files are read by Ray tasks with nlnews's own readers (so bad records keep
their locations), articles go through ``map_batches`` with ``PipelineActor``,
a callable class that builds the ``Pipeline`` once per actor, and the driver
writes the records in input order through the same writers, ``errors.jsonl``
and manifest as the local engine, so both engines give identical records.
Checks that need every earlier record (repeated ids, duplicate texts) run in
the driver as the ordered rows arrive.

A local Ray opens no outside connection (``init_ray`` says how): usage
statistics are off, the node is 127.0.0.1 and there is no dashboard.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Read by Ray when it is imported and by every process it starts; "1" would report to usage-stats.ray.io.
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"

import pyarrow
import ray
import ray.data

from pipeline.core import Pipeline
from pipeline.dedupe import DuplicateFinder
from pipeline.document import Article, Result, stable_id
from pipeline.errors import ConfigError
from pipeline.io import (
    FieldMap,
    InputFile,
    ReadFailure,
    SkippedInput,
    expand_inputs,
    input_files,
    read_file,
    written_ids,
)
from pipeline.runner import (
    ErrorLog,
    JobOptions,
    OutputPlan,
    RunSummary,
    claim_output,
    finish_job,
    open_writer,
    oversized,
    plan_output,
)

#: Hosts a local cluster reaches without a proxy: its own processes.
LOOPBACK = ("localhost", "127.0.0.0/8", "::1")
#: Columns of a row between the read tasks, the actors and the driver; all strings or null.
COLUMNS = ("kind", "id", "text", "title", "url", "date", "language", "location", "reason", "record")


def read_file_rows(
    row: dict[str, Any], fields: dict[str, str], done: set[str], max_record_chars: int
) -> Iterator[dict[str, Any]]:
    """One input file as rows: ``article``, ``skipped`` (not an article) or ``error`` (unreadable)."""
    for item in read_file(InputFile(row["path"], row["root"]), FieldMap(**fields)):
        if isinstance(item, ReadFailure):
            yield _row("error", location=item.location, reason=item.message)
        elif isinstance(item, Article) and len(item.text) > max_record_chars:
            yield _row("error", location=item.location, reason=oversized(item.text, max_record_chars))
        elif isinstance(item, SkippedInput):
            if item.id not in done:
                yield _row(
                    "skipped", **{name: getattr(item, name) for name in ("id", "title", "url", "location", "reason")}
                )
        else:
            id = item.id or stable_id(item.text)
            if id not in done:
                names = ("text", "title", "url", "date", "language", "location")
                yield _row("article", id=id, **{name: getattr(item, name) for name in names})


def _row(kind: str, **values: str | None) -> dict[str, Any]:
    return {**dict.fromkeys(COLUMNS), "kind": kind, **values}


class PipelineActor:
    """A Ray Data callable class: the Pipeline is built once per actor; batches are Arrow tables of rows.

    Arrow batches convert to plain Python values; NumPy batches would hand the
    stages NumPy strings and scalars instead of ``str`` and ``float``.
    """

    def __init__(self, config: dict[str, Any], fail_fast: bool) -> None:
        self.pipeline = Pipeline(config, fail_fast=fail_fast)
        self.stages = [name for name, _ in self.pipeline.stages]

    def __call__(self, batch: pyarrow.Table) -> dict[str, list[Any]]:
        rows = batch.to_pylist()
        results: list[Result | None] = [self._result(row) for row in rows]
        self.pipeline.process_batch([r for r in results if r is not None and not r.status])
        for row, result in zip(rows, results):
            row["record"] = None if result is None else json.dumps(result.to_dict(), ensure_ascii=False)
        return {name: [row.get(name) for row in rows] for name in COLUMNS}

    def _result(self, row: dict[str, Any]) -> Result | None:
        if row["kind"] == "error":
            return None
        if row["kind"] == "skipped":
            result = Result(id=row["id"], text="", title=row["title"], url=row["url"], location=row["location"])
            result.status["read"] = f"skipped: {row['reason']}"
            result.status.update({stage: f"skipped: {row['reason']}" for stage in self.stages})
            return result
        fields = ("text", "id", "title", "url", "date", "language", "location")
        return Result.from_article(Article(**{name: row[name] for name in fields}))


def init_ray(address: str | None = None, **options: Any) -> None:
    """Connect to the Ray at ``address`` (or ``$RAY_ADDRESS``), else start a local one that stays on this machine.

    ``options`` go to ``ray.init`` (``num_cpus`` in tests). A Ray already
    initialised in this process is kept.
    """
    if ray.is_initialized():
        return
    if address or os.environ.get("RAY_ADDRESS"):
        ray.init(address=address, log_to_driver=False, **options)
        return
    with _loopback_only():
        ray.init(include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False, **options)


@contextmanager
def _loopback_only() -> Iterator[None]:
    """The settings under which a local Ray and every process it starts open no outside connection.

    Ray turns a node address of 127.0.0.1 into the machine's outward address,
    found by a UDP connect to 8.8.8.8, unless multi-node clusters are off
    (``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``, which Ray reads at import, so the
    driver's copy is set too). Its API server asks cloud metadata services
    (169.254.169.254, metadata.google.internal) which cloud it runs on even with
    usage statistics off; so plain-http requests of the cluster's processes get
    a proxy without a host, which fails before any packet, and loopback bypasses
    it. HTTPS (the model hub) is untouched. The driver's own environment is
    restored once the cluster runs.
    """
    from ray._private import ray_constants

    no_proxy = ",".join(filter(None, [os.environ.get("no_proxy") or os.environ.get("NO_PROXY"), *LOOPBACK]))
    settings = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "http_proxy": "http://", "no_proxy": no_proxy}
    saved = {name: os.environ.get(name) for name in settings}
    cluster_flag = ray_constants.ENABLE_RAY_CLUSTER
    os.environ.update(settings)
    ray_constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        ray_constants.ENABLE_RAY_CLUSTER = cluster_flag
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_ray_job(
    pipeline: Pipeline, inputs: list[str], output: str, *, options: JobOptions, address: str | None = None
) -> RunSummary:
    """``run_job`` on Ray Data: same inputs, same records, same ``errors.jsonl`` and manifest.

    Args:
        address: a Ray cluster (``auto``, ``ray://host:10001``); None starts or reuses a local Ray.
    """
    if options.skip_duplicates:
        raise ConfigError("--skip-duplicates needs the local engine: duplicates are found in input order")
    files = expand_inputs(inputs)
    if "-" in files:
        raise ConfigError("--engine ray reads files, not stdin")
    plan = plan_output(output, options)
    with claim_output(plan, options):
        return _run_claimed(pipeline, inputs, files, plan, options, address)


def _run_claimed(
    pipeline: Pipeline,
    inputs: list[str],
    files: list[str],
    plan: OutputPlan,
    options: JobOptions,
    address: str | None,
) -> RunSummary:
    """The Ray run itself, while this process holds the output's lock."""
    done = written_ids(plan.target) if options.resume else set()
    duplicates = DuplicateFinder(options.duplicates)
    errors = ErrorLog(plan.errors, options.resume) if plan.errors else None
    init_ray(address)
    context = ray.data.DataContext.get_current()
    preserve_order = context.execution_options.preserve_order
    context.execution_options.preserve_order = True
    dataset = (
        ray.data.from_items(
            [{"path": file.name, "root": file.root} for file in input_files(inputs)],
            override_num_blocks=max(1, len(files)),
        )
        .flat_map(
            read_file_rows,
            fn_kwargs={"fields": vars(options.fields), "done": done, "max_record_chars": options.max_record_chars},
        )
        .map_batches(
            PipelineActor,
            batch_size=pipeline.config.batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=max(1, options.workers)),
            fn_constructor_kwargs={"config": pipeline.config.model_dump(mode="json"), "fail_fast": pipeline.fail_fast},
        )
    )
    summary = RunSummary()
    seen: set[str] = set()
    started = time.perf_counter()
    writer = open_writer(plan, options)
    try:
        with writer:
            for row in dataset.iter_rows():
                record = _admit_row(row, errors, seen, duplicates, summary)
                if record is not None:
                    writer.write(record)
                    summary.add(Result.from_dict(record))
    finally:
        context.execution_options.preserve_order = preserve_order
        if errors is not None:
            errors.close()
    return finish_job(pipeline, plan, inputs, files, options, summary, writer, started, engine="ray")


def _admit_row(
    row: dict[str, Any], errors: ErrorLog | None, seen: set[str], duplicates: DuplicateFinder, summary: RunSummary
) -> dict[str, Any] | None:
    """The driver's in-order checks, as ``runner.Admission`` makes them before processing."""
    if row["kind"] == "error" or row["id"] in seen:
        reason = (
            row["reason"]
            if row["kind"] == "error"
            else f"duplicate id {row['id']!r}: an earlier input record has the same id"
        )
        if errors is not None and errors.was_reported(row["location"]):
            summary.resumed += 1
            return None
        if row["kind"] == "error":
            summary.unreadable += 1
        else:
            summary.duplicate_ids += 1
        if errors is None:
            return Result.failed_input(row["location"], reason).to_dict()
        errors.write(row["location"], reason, None if row["kind"] == "error" else row["id"])
        return None
    seen.add(row["id"])
    record = json.loads(row["record"])
    if row["kind"] == "article":
        record["duplicate_of"] = duplicates.check(row["id"], row["text"])
    return record
