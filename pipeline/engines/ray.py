"""The same stages on a Ray cluster through Ray Data; imported only for ``--engine ray``.

One ``AdmissionActor`` reads the input files in order with nlnews's own readers
(so bad records keep their locations) and runs the local engine's ``Admission``
over their items before any processing: size limit, unreadable records,
repeated ids, duplicate texts, ``--resume`` and ``--skip-duplicates`` are
decided once, by the same code, on both engines. ``PipelineActor``, a callable
class that builds the ``Pipeline`` once per actor, runs the stages and returns
each record's fields as Arrow columns. The driver builds no Pipeline and loads
no model: it reads the rows in input order, settles rejections through the
same ``Ledger`` (``errors.jsonl``, counts) and writes the records through the
same writers and manifest as the local engine, so both engines give identical
records.

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

from pipeline.config import PipelineConfig
from pipeline.core import Pipeline
from pipeline.document import Result
from pipeline.errors import ConfigError, NlnewsError, describe
from pipeline.io import FieldMap, InputFile, expand_inputs, input_files, written_ids
from pipeline.io.writers import result_schema
from pipeline.pool import run_batch
from pipeline.runner import (
    Admission,
    Admitted,
    BuiltPipeline,
    ErrorLog,
    JobOptions,
    Ledger,
    OutputPlan,
    Rejection,
    Resumed,
    RunSummary,
    Writer,
    claim_output,
    finish_job,
    open_writer,
    plan_output,
    read_guarded,
)

#: Hosts a local cluster reaches without a proxy: its own processes.
LOOPBACK = ("localhost", "127.0.0.0/8", "::1")
#: Decisions per table the admission actor hands on while it reads a file.
ADMITTED_PER_TABLE = 1000


class Columns:
    """A row of the job between actors and driver: what kind of row, then a record's fields as Arrow columns.

    The record's fields are ``Result.to_dict``'s, in its order. A field the
    writer's schema (``result_schema``) holds as text, or as a list of texts,
    is a column of UTF-8 bytes with lone surrogates kept (``surrogatepass``),
    so that every string arrives as it was read, as it does in the local
    engine's processes; any other field (numbers, statuses, entities) is its
    JSON text, which keeps key order and types exactly.
    """

    def __init__(self) -> None:
        writer_types = {field.name: field.type for field in result_schema()}
        self.fields = tuple(Result(id="", text="").to_dict())
        self.texts = {name for name in self.fields if writer_types.get(name) == pyarrow.string()}
        self.text_lists = {name for name in self.fields if writer_types.get(name) == pyarrow.list_(pyarrow.string())}
        record = [(name, self._arrow_type(name)) for name in self.fields]
        # A Result's working state; a Rejection's reason (or an unwritable record's); what an actor was built with.
        working = [("location", pyarrow.binary()), ("declared_language", pyarrow.binary())]
        rejection = [("reason", pyarrow.binary()), ("duplicate_id", pyarrow.bool_()), ("built", pyarrow.binary())]
        # ``row``: record, rejection, resumed, unwritable or built.
        self.schema = pyarrow.schema([("row", pyarrow.string()), *record, *working, *rejection])

    def _arrow_type(self, name: str) -> pyarrow.DataType:
        return pyarrow.list_(pyarrow.binary()) if name in self.text_lists else pyarrow.binary()

    def table(self, rows: list[dict[str, Any]]) -> pyarrow.Table:
        return pyarrow.Table.from_pylist(rows, schema=self.schema)

    def admitted_row(self, decision: Admitted) -> dict[str, Any]:
        """A decision of ``Admission`` as a row; a Result that cannot be encoded is rejected instead."""
        if isinstance(decision, Resumed):
            return {"row": "resumed", "id": _bytes(decision.id)}
        if isinstance(decision, Rejection):
            return self._rejection_row(decision)
        try:
            return self.result_row(decision)
        except Exception as error:  # noqa: BLE001 - confined to this record
            reason = f"cannot admit the record: {describe(error)}"
            return self._rejection_row(Rejection(decision.location or "", reason, decision.id))

    def _rejection_row(self, rejection: Rejection) -> dict[str, Any]:
        return {
            "row": "rejection",
            "id": _bytes(rejection.id),
            "location": _bytes(rejection.location),
            "reason": _bytes(rejection.reason),
            "duplicate_id": rejection.duplicate_id,
        }

    def result_row(self, result: Result) -> dict[str, Any]:
        """A Result as a row: its record's fields and its working state."""
        record = result.to_dict()
        row = {name: self._encode(name, record[name]) for name in self.fields}
        row.update(row="record", location=_bytes(result.location), declared_language=_bytes(result.declared_language))
        return row

    def processed_row(self, decision: Admitted) -> dict[str, Any]:
        """A decision after the stages: a record that cannot be encoded is ``unwritable``, as the writers would say."""
        if not isinstance(decision, Result):
            return self.admitted_row(decision)
        try:
            return self.result_row(decision)
        except Exception as error:  # noqa: BLE001 - confined to this record
            return {
                "row": "unwritable",
                "id": _bytes(decision.id),
                "location": _bytes(decision.location),
                "reason": _bytes(describe(error)),
            }

    def built_row(self, pipeline: Pipeline) -> dict[str, Any]:
        """What one actor's Pipeline was built with, for the manifest."""
        built = {"models": pipeline.models, "fallbacks": pipeline.fallbacks}
        return {"row": "built", "built": _bytes(json.dumps(built, ensure_ascii=False))}

    def _encode(self, name: str, value: Any) -> Any:
        if name in self.texts:
            return _bytes(_text(value))
        if name in self.text_lists:
            return None if value is None else [_bytes(_text(item)) for item in value]
        return _bytes(json.dumps(value, ensure_ascii=False))

    def record(self, row: dict[str, Any]) -> dict[str, Any]:
        """The record of a ``record`` row, as ``Result.to_dict`` gave it."""
        return {name: self._decode(name, row[name]) for name in self.fields}

    def _decode(self, name: str, value: Any) -> Any:
        if name in self.texts:
            return _str(value)
        if name in self.text_lists:
            return None if value is None else [_str(item) for item in value]
        return json.loads(_str(value))

    def admitted(self, row: dict[str, Any]) -> Admitted:
        """A row back as the decision it was made from; a record row as a Result to process."""
        if row["row"] == "resumed":
            return Resumed(_str(row["id"]))
        if row["row"] == "rejection":
            return Rejection(_str(row["location"]), _str(row["reason"]), _str(row["id"]), row["duplicate_id"])
        result = Result.from_dict(self.record(row))
        result.location = _str(row["location"])
        result.declared_language = _str(row["declared_language"])
        return result


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else text.encode("utf-8", "surrogatepass")


def _str(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "surrogatepass")


def _text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


class AdmissionActor:
    """The one actor that reads the input files, in input order, and admits every item, before any processing.

    A single actor, because admission depends on every earlier record; it
    reads each file as the local engine does (``read_guarded``) and hands on
    its decisions as rows of ``Columns``. It writes nothing: the driver does.
    """

    def __init__(self, stages: list[str], done: set[str], options: JobOptions) -> None:
        self.admission = Admission.for_job(stages, done, options)
        self.fields: FieldMap = options.fields
        self.columns = Columns()

    def __call__(self, files: pyarrow.Table) -> Iterator[pyarrow.Table]:
        inputs = [InputFile(row["path"], row["root"]) for row in files.to_pylist()]
        rows = []
        for decision in self.admission(read_guarded(inputs, self.fields)):
            rows.append(self.columns.admitted_row(decision))
            if len(rows) == ADMITTED_PER_TABLE:
                yield self.columns.table(rows)
                rows = []
        if rows:
            yield self.columns.table(rows)


class PipelineActor:
    """A Ray Data callable class: the Pipeline is built once per actor; batches are Arrow tables of ``Columns``.

    Records are run as the local engine runs them (``run_batch``: a batch
    that raises is retried record by record); rejections pass through. The
    Pipeline is built on the first batch, which also carries what it was built
    with (models, fallbacks): Ray keeps only the text of an error raised while
    an actor starts, but the error itself when a call raises, so that the
    driver can raise a missing model (``strict``) or a bad config as itself.
    """

    def __init__(self, config: dict[str, Any], strict: bool, fail_fast: bool) -> None:
        self.settings = (config, strict, fail_fast)
        self.pipeline: Pipeline | None = None
        self.columns = Columns()

    def __call__(self, batch: pyarrow.Table) -> pyarrow.Table:
        built = []
        if self.pipeline is None:
            config, strict, fail_fast = self.settings
            self.pipeline = Pipeline(config, strict=strict, fail_fast=fail_fast)
            built.append(self.columns.built_row(self.pipeline))
        decisions = [self.columns.admitted(row) for row in batch.to_pylist()]
        processed = iter(run_batch(self.pipeline, [item for item in decisions if isinstance(item, Result)]))
        decisions = [next(processed) if isinstance(item, Result) else item for item in decisions]
        return self.columns.table(built + [self.columns.processed_row(decision) for decision in decisions])


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
    config: PipelineConfig,
    inputs: list[str],
    output: str,
    *,
    options: JobOptions,
    strict: bool = False,
    fail_fast: bool = False,
    address: str | None = None,
) -> RunSummary:
    """``run_job`` on Ray Data: same inputs, same records, same ``errors.jsonl`` and manifest.

    The driver needs only the filled config: each actor builds its own
    Pipeline from it (``strict``, ``fail_fast`` as for ``Pipeline``), and an
    error in building one (a missing model under ``strict``) is raised here.

    Args:
        address: a Ray cluster (``auto``, ``ray://host:10001``); None starts or reuses a local Ray.
    """
    files = expand_inputs(inputs)
    if "-" in files:
        raise ConfigError("--engine ray reads files, not stdin")
    plan = plan_output(output, options)
    with claim_output(plan, options):
        return _run_claimed(config, inputs, files, plan, options, (strict, fail_fast), address)


def _run_claimed(
    config: PipelineConfig,
    inputs: list[str],
    files: list[str],
    plan: OutputPlan,
    options: JobOptions,
    pipeline_flags: tuple[bool, bool],
    address: str | None,
) -> RunSummary:
    """The Ray run itself, while this process holds the output's lock."""
    done = written_ids(plan.target) if options.resume else set()
    errors = ErrorLog(plan.errors, options.resume) if plan.errors else None
    ledger = Ledger(errors)
    init_ray(address)
    built = BuiltPipeline(config, {}, [])
    started = time.perf_counter()
    writer = open_writer(plan, options)
    columns = Columns()
    try:
        with _data_options(), writer, _actor_errors():
            dataset = _dataset(config, inputs, files, options, done, pipeline_flags)
            for table in dataset.iter_batches(batch_format="pyarrow", batch_size=None):
                for row in table.to_pylist():
                    built = _settle(row, columns, ledger, writer, built)
    finally:
        if errors is not None:
            errors.close()
    return finish_job(built, plan, inputs, files, options, ledger.summary, writer, started, engine="ray")


def _dataset(
    config: PipelineConfig,
    inputs: list[str],
    files: list[str],
    options: JobOptions,
    done: set[str],
    pipeline_flags: tuple[bool, bool],
) -> ray.data.Dataset:
    """The input files, read and admitted by one actor in order, then through the stages in ``--workers`` actors."""
    strict, fail_fast = pipeline_flags
    return (
        ray.data.from_items(
            [{"path": file.name, "root": file.root} for file in input_files(inputs)],
            override_num_blocks=max(1, len(files)),
        )
        .map_batches(
            AdmissionActor,
            batch_size=1,
            batch_format="pyarrow",
            # One actor, one call in flight (so in input order), never restarted: its state is the whole stream's.
            compute=ray.data.ActorPoolStrategy(size=1, max_tasks_in_flight_per_actor=1),
            max_restarts=0,
            # Reading and admitting are light next to the stages: the actor takes no CPU slot from them.
            num_cpus=0,
            fn_constructor_kwargs={"stages": list(config.pipeline), "done": done, "options": options},
        )
        .map_batches(
            PipelineActor,
            batch_size=config.batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=max(1, options.workers)),
            fn_constructor_kwargs={"config": config.model_dump(mode="json"), "strict": strict, "fail_fast": fail_fast},
        )
    )


def _settle(
    row: dict[str, Any], columns: Columns, ledger: Ledger, writer: Writer, built: BuiltPipeline
) -> BuiltPipeline:
    """One row in the driver: a record written, a rejection logged, a count made; what the Pipeline was built with."""
    kind = row["row"]
    if kind == "record":
        ledger.write(writer, columns.record(row), _str(row["location"]))
    elif kind == "unwritable":
        ledger.unwritable(writer, _str(row["id"]), _str(row["location"]), _str(row["reason"]))
    elif kind == "built":
        report = json.loads(_str(row["built"]))
        fallbacks = built.fallbacks + [line for line in report["fallbacks"] if line not in built.fallbacks]
        return BuiltPipeline(built.config, {**built.models, **report["models"]}, fallbacks)
    else:
        failed = ledger.settle(columns.admitted(row))
        if failed is not None:
            ledger.write(writer, failed.to_dict(), failed.location)
    return built


@contextmanager
def _data_options() -> Iterator[None]:
    """Ray Data settings for the run, restored after it: rows in input order; an actor's exception raised as itself.

    Without ``raise_original_map_exception`` Ray Data wraps a UDF's exception
    in a ``UserCodeException`` whose cause does not survive the trip to the driver.
    """
    context = ray.data.DataContext.get_current()
    saved = (context.execution_options.preserve_order, context.raise_original_map_exception)
    context.execution_options.preserve_order = True
    context.raise_original_map_exception = True
    try:
        yield
    finally:
        context.execution_options.preserve_order, context.raise_original_map_exception = saved


@contextmanager
def _actor_errors() -> Iterator[None]:
    """An nlnews error raised in an actor (a missing model under ``strict``) is raised as itself, not as Ray's."""
    try:
        yield
    except ray.exceptions.RayError as error:
        cause = _nlnews_cause(error)
        if cause is None:
            raise
        raise cause from error


def _nlnews_cause(error: BaseException) -> NlnewsError | None:
    """The nlnews error at the root of a Ray error, if any: Ray keeps a remote exception as ``cause``."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NlnewsError) and not isinstance(current, ray.exceptions.RayError):
            return current
        links = (getattr(current, "cause", None), current.__cause__, current.__context__)
        pending += [link for link in links if isinstance(link, BaseException)]
    return None
