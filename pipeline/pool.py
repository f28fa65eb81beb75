"""Worker processes that no record can take down: deadlines, kill and replace, death with the parent.

Two layers: ``WorkerPool`` runs any function on tasks in processes that may
die; ``process_in_workers`` sends a ``Pipeline``'s batches through it, in
order, with a time budget per record. The runner and ``Pipeline.pipe`` both
run records this way.

``concurrent.futures.ProcessPoolExecutor`` is broken for good once one worker
dies, and cannot stop a worker stuck in a C call (spaCy's tokenizer on a long
run of punctuation ignores signals). This pool runs one task at a time per
worker, gives each task a deadline, and when a worker overruns it or dies it
kills the worker, starts a fresh one and reports the task as failed, so the
runner can retry its records one by one and the job goes on.

Workers never outlive the parent: on Linux the kernel kills them when it dies
(``PR_SET_PDEATHSIG``); everywhere a watch thread exits when the parent is gone.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import connection as connections
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any, Self

from pipeline.core import Pipeline, SkippingStage
from pipeline.document import Result
from pipeline.errors import WorkerError, describe

#: Seconds a worker may take to exit after it is told to, before it is killed.
EXIT_GRACE_SECONDS = 2.0

#: Seconds between a worker's checks that its parent is still alive (the fallback to ``PR_SET_PDEATHSIG``).
PARENT_WATCH_SECONDS = 1.0

#: Workers that may die before they are ready, in a row, before the pool gives up (e.g. no memory for the models).
MAX_FAILED_STARTS = 3

#: Batches in flight per worker process: enough to keep workers busy, few enough to bound memory.
BATCHES_IN_FLIGHT_PER_WORKER = 2

#: Seconds a record may take at least in a worker (``TimeBudget``); longer texts get more.
RECORD_TIMEOUT_SECONDS = 10.0
#: A record's budget grows by this many seconds per 10,000 characters of its text (``--record-timeout`` is the floor).
SECONDS_PER_10K_CHARS = 3.0
#: ... and by this many when the translate stage translates the full text (a neural model, a sentence at a time).
FULL_TEXT_TRANSLATION_SECONDS_PER_10K_CHARS = 60.0
#: A batch's budget grows by this much for each record after its first (per-record work: models, bookkeeping).
SECONDS_PER_FURTHER_RECORD = 1.0

_PR_SET_PDEATHSIG = 1


@dataclass
class Task:
    """Records for one worker; ``key`` is the caller's, ``budget`` the seconds it may take (None: no limit)."""

    key: Any
    docs: list[Any]
    budget: float | None


@dataclass
class Outcome:
    """A finished task: its processed ``docs``, or why it has none (``failure``)."""

    key: Any
    docs: list[Any] | None = None
    failure: str | None = None


@dataclass
class _Worker:
    process: Any
    connection: Connection
    ready: bool = False
    task: Task | None = None
    deadline: float | None = None


class WorkerPool:
    """``size`` worker processes, each running ``work(state, docs)`` on one task at a time.

    Args:
        context: a ``multiprocessing`` context (fork shares the parent's loaded models).
        setup: builds the worker's state from ``source``, once per worker (e.g. a Pipeline).
        work: processes one task's docs with that state; runs in the worker.

    A task whose worker dies, overruns its budget or cannot send its result
    back comes out as an ``Outcome`` with a ``failure``; an exception ``work``
    raises on purpose (``--fail-fast``) is raised again here.
    """

    def __init__(
        self,
        size: int,
        context: BaseContext,
        setup: Callable[[Any], Any],
        work: Callable[[Any, list[Any]], list[Any]],
        source: Any,
    ) -> None:
        self._size = size
        self._context = context
        self._target = (setup, work, source, os.getpid())
        self._queue: deque[Task] = deque()
        self._workers: list[_Worker] = []
        self._failed_starts = 0

    def __enter__(self) -> Self:
        self._workers = [self._start() for _ in range(self._size)]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def busy(self) -> int:
        """Tasks queued or running: what the caller waits for."""
        return len(self._queue) + sum(worker.task is not None for worker in self._workers)

    def submit(self, task: Task, first: bool = False) -> None:
        """Queue a task; ``first`` puts it ahead of the others (a retry that holds back ordered output)."""
        if first:
            self._queue.appendleft(task)
        else:
            self._queue.append(task)

    def wait(self) -> list[Outcome]:
        """Hand queued tasks to idle workers and block until at least one task is finished."""
        outcomes: list[Outcome] = []
        while not outcomes:
            self._dispatch()
            if not self.busy:
                return outcomes
            ready = connections.wait(self._waitables(), timeout=self._seconds_to_next_deadline())
            for worker in list(self._workers):
                outcomes.extend(self._check(worker, ready))
        return outcomes

    def close(self) -> None:
        """Stop every worker: ask an idle one, kill a busy one (or one that does not listen), and reap them all."""
        for worker in self._workers:
            if worker.task is not None:
                worker.process.kill()
                continue
            with contextlib.suppress(OSError, ValueError):
                worker.connection.send(None)
        deadline = time.monotonic() + EXIT_GRACE_SECONDS
        for worker in self._workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self._workers = []

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child_end, *self._target), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._queue:
                return
            if worker.ready and worker.task is None:
                task = self._queue.popleft()
                worker.task = task
                worker.deadline = None if task.budget is None else time.monotonic() + task.budget
                try:
                    worker.connection.send((task.key, task.docs))
                except (OSError, ValueError):
                    pass  # it died; its sentinel says so in the next wait

    def _waitables(self) -> list[Any]:
        return [w.connection for w in self._workers] + [w.process.sentinel for w in self._workers]

    def _seconds_to_next_deadline(self) -> float | None:
        deadlines = [worker.deadline for worker in self._workers if worker.deadline is not None]
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _check(self, worker: _Worker, ready: list[Any]) -> list[Outcome]:
        """What one worker has to say: a message, its death, or an overrun deadline."""
        if worker.connection in ready:
            try:
                message = worker.connection.recv()
            except (EOFError, OSError):
                return self._replace(worker, _death(worker))
            return self._receive(worker, message)
        if worker.process.sentinel in ready:
            return self._replace(worker, _death(worker))
        if worker.deadline is not None and time.monotonic() >= worker.deadline:
            assert worker.task is not None
            return self._replace(worker, f"timeout: ran over its {worker.task.budget:.1f} s budget (--record-timeout)")
        return []

    def _receive(self, worker: _Worker, message: tuple[Any, ...]) -> list[Outcome]:
        kind, key, payload = message
        if kind == "ready":
            worker.ready = True
            self._failed_starts = 0
            return []
        if kind == "setup-failed":
            raise payload
        task, worker.task, worker.deadline = worker.task, None, None
        assert task is not None and key == task.key, "a worker answered a task it was not given"
        if kind == "raised":
            raise payload
        if kind == "failed":
            return [Outcome(key, failure=payload)]
        return [Outcome(key, docs=payload)]

    def _replace(self, worker: _Worker, failure: str) -> list[Outcome]:
        """Kill a worker that died or overran, start a fresh one in its place, and fail its task."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.connection.close()
        if not worker.ready:
            self._failed_starts += 1
            if self._failed_starts >= MAX_FAILED_STARTS:
                raise WorkerError(f"worker processes die while they start ({failure}), {MAX_FAILED_STARTS} in a row")
        self._workers[self._workers.index(worker)] = self._start()
        return [] if worker.task is None else [Outcome(worker.task.key, failure=failure)]


def _death(worker: _Worker) -> str:
    worker.process.join(timeout=EXIT_GRACE_SECONDS)
    return f"worker died: {_exit_description(worker.process.exitcode)}"


def _exit_description(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit code {code}"


def _worker_main(
    connection: Connection,
    setup: Callable[[Any], Any],
    work: Callable[[Any, list[Any]], list[Any]],
    source: Any,
    parent_pid: int,
) -> None:
    """A worker's life: die with the parent, ignore Ctrl-C (the parent stops us), then serve tasks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)
    try:
        state = setup(source)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        _send(connection, ("setup-failed", None, error))
        return
    _send(connection, ("ready", None, None))
    while True:
        try:
            message = connection.recv()
        except Exception:  # noqa: BLE001 - a parent gone or stopped mid-send: nothing left to serve
            return
        if message is None:
            return
        key, docs = message
        try:
            reply = ("done", key, work(state, docs))
        except Exception as error:  # noqa: BLE001 - only --fail-fast lets one through; the parent raises it
            reply = ("raised", key, error)
        _send(connection, reply)


def _send(connection: Connection, reply: tuple[Any, Any, Any]) -> None:
    """Send a reply; one that cannot be pickled becomes a failure the parent can read."""
    kind, key, _ = reply
    try:
        connection.send(reply)
    except (OSError, ValueError, EOFError):
        os._exit(1)
    except Exception as error:  # noqa: BLE001 - e.g. an unpicklable result: the task fails, the worker lives
        message = f"cannot send the result back: {type(error).__name__}: {error}"[:500]
        connection.send(("failed", key, message) if kind != "setup-failed" else (kind, key, RuntimeError(message)))


def die_with_parent(parent_pid: int) -> None:
    """Exit as soon as the parent process is gone, even if it was killed with SIGKILL.

    Linux delivers SIGKILL to this process when the parent dies; a daemon
    thread that watches the parent's pid covers other systems, and the case
    where the parent died before the signal was armed.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="nlnews-parent-watch").start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_WATCH_SECONDS)
    os._exit(1)


@dataclass(frozen=True)
class TimeBudget:
    """The seconds a record may take: ``floor``, or more for a long text at ``seconds_per_10k_chars``.

    A batch gets the budget of one record as long as the whole batch, plus
    ``SECONDS_PER_FURTHER_RECORD`` for each record after the first. A batch
    that overruns is only a signal: its records are then run alone, each
    with its own budget, and only a record that overruns alone fails.
    """

    floor: float
    seconds_per_10k_chars: float

    def seconds(self, docs: list[Result]) -> float:
        characters = sum(len(doc.text) for doc in docs)
        alone = max(self.floor, self.seconds_per_10k_chars * characters / 10_000)
        return alone + SECONDS_PER_FURTHER_RECORD * (len(docs) - 1)


def time_budget(pipeline: Pipeline, record_timeout: float) -> TimeBudget | None:
    """The budget records of this pipeline get with ``record_timeout`` as the floor; None when it is 0."""
    if record_timeout <= 0:
        return None
    translate = dict(pipeline.stages).get("translate")
    translates_text = (
        translate is not None and not isinstance(translate, SkippingStage) and pipeline.config.translate.full_text
    )
    rate = FULL_TEXT_TRANSLATION_SECONDS_PER_10K_CHARS if translates_text else SECONDS_PER_10K_CHARS
    return TimeBudget(record_timeout, rate)


def is_final(doc: Result) -> bool:
    """A record whose status already holds an error or a skip bypasses the stages; ``ok: ...`` is a note."""
    return any(not status.startswith("ok") for status in doc.status.values())


@dataclass
class _Job:
    """One batch on its way through the workers: its records in order, and how many tasks are out."""

    docs: list[Result]
    pending: int


def process_in_workers(
    pipeline: Pipeline,
    batches: Iterator[list[Result]],
    workers: int,
    budget: TimeBudget | None,
    *,
    ordered: bool = True,
    threads: int | None = None,
) -> Iterator[Result]:
    """Batches through a ``WorkerPool``; a batch that overruns or loses its worker is retried record by record.

    A record that then overruns alone gets ``error: timeout``, one whose worker
    dies again gets ``error: worker died``: its neighbours are not affected.
    Records that are final already (``is_final``) are passed through. The pool
    is closed when this generator ends or is closed. Each worker gets ``threads``
    torch threads, by default its share of the cores.
    """
    threads = threads or max(1, (os.cpu_count() or 1) // workers)
    if _can_fork():
        context, source = multiprocessing.get_context("fork"), pipeline
    else:
        context, source = multiprocessing.get_context("spawn"), pipeline.config.model_dump(mode="json")
    limit = BATCHES_IN_FLIGHT_PER_WORKER * workers
    jobs: dict[int, _Job] = {}
    submitted = delivered = 0
    exhausted = False
    with WorkerPool(workers, context, _start_worker, run_batch, (source, pipeline.fail_fast, threads)) as pool:

        def submit(number: int, positions: tuple[int, ...], first: bool = False) -> None:
            docs = [jobs[number].docs[position] for position in positions]
            pool.submit(Task((number, positions), docs, budget and budget.seconds(docs)), first=first)

        def deliver() -> Iterator[Result]:
            """Finished batches: in input order (ordered), or all of them; before reading on, which may block."""
            nonlocal delivered
            for number in sorted(number for number, job in jobs.items() if job.pending == 0):
                if ordered and number != delivered:
                    return
                yield from jobs.pop(number).docs
                delivered += 1

        while True:
            while not exhausted and len(jobs) < limit:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                positions = tuple(index for index, doc in enumerate(batch) if not is_final(doc))
                jobs[submitted] = _Job(batch, pending=1 if positions else 0)
                if positions:
                    submit(submitted, positions)
                submitted += 1
            yield from deliver()
            if exhausted and not jobs:
                return
            for outcome in pool.wait():
                number, positions = outcome.key
                job = jobs[number]
                job.pending -= 1
                if outcome.docs is not None:
                    for position, doc in zip(positions, outcome.docs):
                        job.docs[position] = doc
                elif len(positions) > 1:
                    for position in reversed(positions):
                        submit(number, (position,), first=True)
                        job.pending += 1
                else:
                    fail_unfinished(pipeline, job.docs[positions[0]], _failure_status(outcome.failure or ""))
            yield from deliver()


def _failure_status(failure: str) -> str:
    if failure.startswith("timeout"):
        return f"error: {failure}; its worker process was killed and replaced"
    if failure.startswith("worker died"):
        return f"error: {failure}, also when the record was retried alone on a fresh worker"
    return f"error: {failure}"


def fail_unfinished(pipeline: Pipeline, doc: Result, status: str) -> None:
    """Give every stage that has no status yet the error that stopped the record (a stage that never runs: its skip)."""
    for name, stage in pipeline.stages:
        doc.status.setdefault(name, f"skipped: {stage.reason}" if isinstance(stage, SkippingStage) else status)


def run_batch(pipeline: Pipeline, batch: list[Result]) -> list[Result]:
    """The stages over a batch; if the batch raises, its records run one by one so that only the culprit fails.

    Stages already turn their own exceptions into per-record statuses; this is
    the backstop for anything else (a failure in the bookkeeping around them).
    """
    positions = [index for index, doc in enumerate(batch) if not is_final(doc)]
    todo = [batch[position] for position in positions]
    if not todo:
        return batch
    pristine = copy.deepcopy(todo) if len(todo) > 1 else todo
    try:
        pipeline.process_batch(todo)
        return batch
    except Exception as error:  # confined below, record by record
        if pipeline.fail_fast:
            raise
        failure = error
    if len(todo) == 1:
        fail_unfinished(pipeline, todo[0], f"error: {describe(failure)}")
        return batch
    batch = list(batch)
    for position, doc in zip(positions, pristine):
        try:
            pipeline.process_batch([doc])
        except Exception as error:  # noqa: BLE001 - this record's failure, recorded in its status
            fail_unfinished(pipeline, doc, f"error: {describe(error)}")
        batch[position] = doc
    return batch


def _can_fork() -> bool:
    """Fork (workers share the parent's loaded models) unless unavailable or CUDA is initialised.

    CUDA cannot survive a fork; spawned workers build their own Pipeline
    from the filled config instead, once each.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    torch = sys.modules.get("torch")
    return not (torch is not None and torch.cuda.is_initialized())


def _start_worker(source: tuple[Pipeline | dict[str, Any], bool, int]) -> Pipeline:
    """The worker's Pipeline, set up once, so models load once per worker, never per batch."""
    pipeline, fail_fast, threads = source
    if not isinstance(pipeline, Pipeline):
        pipeline = Pipeline(pipeline, fail_fast=fail_fast)
    set_torch_threads(threads)
    return pipeline


def set_torch_threads(threads: int) -> None:
    """Torch's CPU threads for this whole process; nothing to set where no stage has imported torch."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
