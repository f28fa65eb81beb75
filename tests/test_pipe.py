"""``Pipeline.pipe``: spaCy's ``nlp.pipe(texts, n_process=2)`` for articles, on the runner's worker processes.

The records are the ones ``Pipeline.run`` gives, in input order; a worker that
dies or gets stuck costs only the record that did it; and the workers go away
with the generator, however the consumer leaves it.
"""

from __future__ import annotations

import os
import re
import signal

import pytest

from pipeline.core import Pipeline
from pipeline.document import Result
from tests.processes import children, linux_only


def article(index: int, extra: str = "") -> dict[str, str]:
    text = f"De gemeente Zwolle meldt bericht {index}: er komen {index} nieuwe woningen bij in {2000 + index}."
    return {"id": f"n{index}", "text": f"{text} {extra}".strip()}


class FaultyPipeline(Pipeline):
    """The offline pipeline, but in a worker an article that says STERF kills it and one that says VASTLOPEN
    runs a regular expression that backtracks, in C, for about a minute."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.parent = os.getpid()

    def process_batch(self, docs: list[Result]) -> list[Result]:
        in_worker = os.getpid() != self.parent
        if in_worker and any("STERF" in doc.text for doc in docs):
            os.kill(os.getpid(), signal.SIGKILL)
        if in_worker and any("VASTLOPEN" in doc.text for doc in docs):
            re.match(r"(a+)+$", "a" * 28 + "b")
        return super().process_batch(docs)


@pytest.fixture(scope="module")
def pipe() -> FaultyPipeline:
    return FaultyPipeline("offline", overrides={"batch_size": 3})


def records(results: list[Result]) -> list[dict]:
    return [result.to_dict() for result in results]


def test_two_processes_give_the_records_run_gives_in_input_order(pipe: FaultyPipeline):
    items = [article(index) for index in range(10)]
    expected = records(list(pipe.run(items)))
    assert records(list(pipe.pipe(items, n_process=2))) == expected
    assert records(list(pipe.pipe(items, n_process=1))) == expected
    assert [record["id"] for record in expected] == [f"n{index}" for index in range(10)]


def test_n_process_is_a_number_of_processes_or_minus_one_for_one_per_core(pipe: FaultyPipeline):
    assert [result.id for result in pipe.pipe([article(0), article(1)], n_process=-1)] == ["n0", "n1"]
    with pytest.raises(ValueError, match="n_process must be"):
        next(pipe.pipe([article(0)], n_process=0))


def test_an_invalid_item_yields_a_read_error_in_its_place(pipe: FaultyPipeline):
    items = [article(0), {"id": "zonder-tekst"}, article(2)]
    results = list(pipe.pipe(items, n_process=2))
    assert [result.id for result in results] == ["n0", "invalid-input-1", "n2"]
    assert results[1].status["read"].startswith("error: record has no 'text' field")
    assert results[1].status["entities"] == "skipped: earlier error in read"
    assert records(results) == records(list(pipe.run(items)))


def test_a_record_that_kills_its_worker_gets_an_error_and_its_neighbours_do_not(pipe: FaultyPipeline):
    items = [article(index, "STERF" if index == 4 else "") for index in range(6)]
    results = list(pipe.pipe(items, n_process=2))
    assert [result.id for result in results] == [f"n{index}" for index in range(6)]
    assert results[4].status["entities"] == (
        "error: worker died: killed by SIGKILL, also when the record was retried alone on a fresh worker"
    )
    assert [result.status["entities"] for index, result in enumerate(results) if index != 4] == ["ok"] * 5


def test_a_record_over_its_time_budget_gets_error_timeout(pipe: FaultyPipeline):
    items = [article(index, "VASTLOPEN" if index == 1 else "") for index in range(3)]
    results = list(pipe.pipe(items, n_process=2, record_timeout=1.0))
    assert results[1].status["entities"].startswith("error: timeout: ran over its 1.0 s budget")
    assert [results[0].status["entities"], results[2].status["entities"]] == ["ok", "ok"]


@linux_only
def test_closing_the_generator_early_leaves_no_worker_behind(pipe: FaultyPipeline):
    before = set(children(os.getpid()))
    results = pipe.pipe((article(index) for index in range(100)), n_process=2)
    assert next(results).id == "n0"
    assert len(set(children(os.getpid())) - before) == 2
    results.close()
    assert set(children(os.getpid())) - before == set()


@linux_only
def test_an_exception_in_the_consumer_leaves_no_worker_behind(pipe: FaultyPipeline):
    before = set(children(os.getpid()))
    with pytest.raises(KeyError):
        for result in pipe.pipe((article(index) for index in range(100)), n_process=2):
            raise KeyError(result.id)
    assert set(children(os.getpid())) - before == set()
