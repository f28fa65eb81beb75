"""Worker processes that no record can take down: deadlines, kill and replace, death with the parent.

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
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import connection as connections
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

from pipeline.errors import WorkerError

#: Seconds a worker may take to exit after it is told to, before it is killed.
EXIT_GRACE_SECONDS = 2.0

#: Seconds between a worker's checks that its parent is still alive (the fallback to ``PR_SET_PDEATHSIG``).
PARENT_WATCH_SECONDS = 1.0

#: Workers that may die before they are ready, in a row, before the pool gives up (e.g. no memory for the models).
MAX_FAILED_STARTS = 3

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

    def __enter__(self) -> WorkerPool:
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
