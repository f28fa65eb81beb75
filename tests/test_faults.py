"""Faults injected for real: poison records, a stuck C call, killed workers and parents, signals, two runs
on one output, a full disk. Each must cost at most the records it touches, never the job, and never a
traceback. Processes, signals and file systems here are real; where a fault needs a trigger, a Pipeline
subclass pulls it inside a real worker process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.cli import EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, main
from pipeline.core import Pipeline
from pipeline.document import Article, Result
from pipeline.io import InputFile
from pipeline.pool import TimeBudget
from pipeline.runner import ErrorLog, JobOptions, errors_path, run_job
from tests.processes import alive, children, linux_only


def article(index: int, text: str = "") -> dict[str, str]:
    body = text or f"De gemeente Zwolle meldt bericht {index}: er komen {index} nieuwe woningen bij in {2000 + index}."
    return {"id": f"n{index}", "text": body}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_records(output: Path) -> list[dict]:
    files = sorted(output.glob("part-*.jsonl")) if output.is_dir() else [output]
    return [json.loads(line) for file in files for line in file.read_text("utf-8").splitlines()]


def read_errors(output: Path | str) -> list[dict]:
    path = errors_path(output)
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []


def nlnews(*args: str, **popen: object) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "run", *args, "-c", "offline", "-q"]
    return subprocess.Popen(command, stderr=subprocess.PIPE, text=True, **popen)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def stage_errors(record: dict) -> set[str]:
    """The statuses of a record's stages, but for those that never run in the offline profile (translate)."""
    assert record["status"]["translate"].startswith("skipped: disabled")
    return {status for stage, status in record["status"].items() if stage != "translate"}


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline("offline", overrides={"batch_size": 4})


def test_poison_records_cost_one_error_line_each_and_resume_does_not_die_on_them(tmp_path: Path):
    good = write_lines(tmp_path / "a-good.jsonl", [json.dumps(article(i)) for i in range(3)])
    surrogate = write_lines(tmp_path / "b-surrogate.jsonl", ['{"id": "s1", "text": "De stad \\ud800 Utrecht."}'])
    huge_id = write_lines(tmp_path / "c-huge-id.jsonl", ['{"id": ' + "7" * 5000 + ', "text": "Delft."}'])
    huge_text = write_lines(tmp_path / "c-huge-text.jsonl", ['{"id": "h1", "text": ' + "7" * 5000 + "}"])
    nested = write_lines(tmp_path / "d-nested.jsonl", ["[" * 100_000])
    out = tmp_path / "out"
    inputs = [str(path) for path in (good, surrogate, huge_id, huge_text, nested)]
    assert main(["run", *inputs, "-o", f"{out}/", "-c", "offline", "-q"]) == EXIT_RECORD_ERRORS
    records = {record["id"]: record for record in read_records(out)}
    assert sorted(records) == ["7" * 5000, "n0", "n1", "n2", "s1"], "an integer id is an id, digits and all"
    assert records["s1"]["text"] == "De stad \ufffd Utrecht." and "U+FFFD" in records["s1"]["status"]["read"]
    errors = read_errors(f"{out}/")
    assert [error["location"].split(":")[0] for error in errors] == [str(huge_text), str(nested)]
    assert main(["run", *inputs, "-o", f"{out}/", "-c", "offline", "-q", "--resume"]) == EXIT_OK
    assert sorted(record["id"] for record in read_records(out)) == ["7" * 5000, "n0", "n1", "n2", "s1"]
    assert read_errors(f"{out}/") == errors


def test_a_reader_that_raises_costs_the_rest_of_its_file_not_the_job(pipe: Pipeline, tmp_path: Path, monkeypatch):
    from pipeline import runner

    def reader_that_breaks(file: InputFile, fields: object, progress: object) -> object:
        source = file.name
        yield Article(text=article(0)["text"], id=f"{Path(source).stem}-0", location=f"{source}:1")
        if "broken" in source:
            raise RuntimeError("the decompressor lost its place")
        yield Article(text=article(1)["text"], id=f"{Path(source).stem}-1", location=f"{source}:2")

    broken, fine = (write_lines(tmp_path / name, []) for name in ("broken.jsonl", "fine.jsonl"))
    monkeypatch.setattr(runner, "read_file", reader_that_breaks)
    out = tmp_path / "out.jsonl"
    summary = run_job(pipe, [str(broken), str(fine)], str(out), progress=False)
    assert [record["id"] for record in read_records(out)] == ["broken-0", "fine-0", "fine-1"]
    (error,) = read_errors(out)
    assert error["location"] == str(broken) and f"after {broken}:1" in error["reason"]
    assert "RuntimeError: the decompressor lost its place" in error["reason"] and summary.records_in == 4


@pytest.mark.parametrize("output", ["out.jsonl", "out.parquet"])
def test_lone_surrogates_are_replaced_and_the_status_says_so(pipe: Pipeline, tmp_path: Path, output: str):
    dump = write_lines(
        tmp_path / "dump.jsonl",
        [json.dumps(article(0)), '{"id": "x\\udc80", "title": "Kop \\ud83d", "text": "Nieuws uit \\ud800Gouda."}'],
    )
    run_job(pipe, [str(dump)], str(tmp_path / output), progress=False, options=JobOptions(record_timeout=0))
    if output.endswith(".parquet"):
        records = pytest.importorskip("pyarrow.parquet").read_table(tmp_path / output).to_pylist()
        records[1]["status"] = dict(records[1]["status"])
    else:
        records = read_records(tmp_path / output)
    repaired = records[1]
    assert (repaired["id"], repaired["title"], repaired["text"]) == ("x\ufffd", "Kop \ufffd", "Nieuws uit \ufffdGouda.")
    assert repaired["status"]["read"].endswith("in id, text, title") and repaired["status"]["entities"] == "ok"
    assert "read" not in records[0]["status"]


class BrittlePipeline(Pipeline):
    """Fails a whole batch, outside any stage, whenever one of its articles says BREEK."""

    def process_batch(self, docs: list[Result]) -> list[Result]:
        if any("BREEK" in doc.text for doc in docs):
            raise RecursionError("maximum recursion depth exceeded")
        return super().process_batch(docs)


@pytest.mark.parametrize(("workers", "record_timeout"), [(1, 0.0), (2, 10.0)])
def test_a_batch_that_raises_is_rerun_record_by_record(tmp_path: Path, workers: int, record_timeout: float):
    pipeline = BrittlePipeline("offline", overrides={"batch_size": 4})
    rows = [article(i) for i in range(8)]
    rows[5]["text"] += " BREEK"
    dump = write_lines(tmp_path / "dump.jsonl", [json.dumps(row) for row in rows])
    out = tmp_path / "out.jsonl"
    options = JobOptions(workers=workers, record_timeout=record_timeout)
    summary = run_job(pipeline, [str(dump)], str(out), progress=False, options=options)
    records = read_records(out)
    assert [record["id"] for record in records] == [f"n{i}" for i in range(8)]
    assert stage_errors(records[5]) == {"error: RecursionError: maximum recursion depth exceeded"}
    assert all(record["status"]["entities"] == "ok" for index, record in enumerate(records) if index != 5)
    assert summary.with_errors == 1


class UnwritablePipeline(Pipeline):
    """Leaves a value no output format can hold in the record of an article that says ONSCHRIJFBAAR."""

    def process_batch(self, docs: list[Result]) -> list[Result]:
        super().process_batch(docs)
        for doc in docs:
            if "ONSCHRIJFBAAR" in doc.text:
                doc.distinct_entities = [{"label": "CITY", "count": object()}]
        return docs


@pytest.mark.parametrize("output", ["out.jsonl", "out.parquet"])
def test_a_record_that_cannot_be_written_goes_to_errors_jsonl_and_its_neighbours_are_written(
    tmp_path: Path, output: str
):
    pipeline = UnwritablePipeline("offline", overrides={"batch_size": 4})
    rows = [article(i) for i in range(3)]
    rows[1]["text"] += " ONSCHRIJFBAAR"
    dump = write_lines(tmp_path / "dump.jsonl", [json.dumps(row) for row in rows])
    out = tmp_path / output
    options = JobOptions(record_timeout=0)
    summary = run_job(pipeline, [str(dump)], str(out), progress=False, options=options)
    if output.endswith(".parquet"):
        ids = pytest.importorskip("pyarrow.parquet").read_table(out).column("id").to_pylist()
    else:
        ids = [record["id"] for record in read_records(out)]
    assert ids == ["n0", "n2"]
    (error,) = read_errors(out)
    assert error["location"] == f"{dump}:2" and error["id"] == "n1"
    assert error["reason"].startswith("cannot write the record: ") and "object" in error["reason"]
    assert (summary.unwritable, summary.records_in) == (1, 3)


class StuckPipeline(Pipeline):
    """Runs a regular expression that backtracks for about a minute, in C, on an article that says VASTLOPEN."""

    def process_batch(self, docs: list[Result]) -> list[Result]:
        if any("VASTLOPEN" in doc.text for doc in docs):
            re.match(r"(a+)+$", "a" * 28 + "b")
        return super().process_batch(docs)


def test_a_record_over_its_time_budget_gets_error_timeout_and_the_job_goes_on(tmp_path: Path):
    pipeline = StuckPipeline("offline", overrides={"batch_size": 3})
    rows = [article(i) for i in range(6)]
    rows[1]["text"] += " VASTLOPEN"
    dump = write_lines(tmp_path / "dump.jsonl", [json.dumps(row) for row in rows])
    out = tmp_path / "out.jsonl"
    options = JobOptions(workers=1, record_timeout=2.0)
    summary = run_job(pipeline, [str(dump)], str(out), progress=False, options=options)
    records = read_records(out)
    assert [record["id"] for record in records] == [f"n{i}" for i in range(6)]
    (status,) = stage_errors(records[1])
    assert status.startswith("error: timeout: ran over its 2.0 s budget (--record-timeout)")
    assert "killed and replaced" in status
    assert all(record["status"]["entities"] == "ok" for index, record in enumerate(records) if index != 1)
    assert summary.with_errors == 1


class MortalPipeline(Pipeline):
    """Kills its own worker process with SIGKILL: always on an article that says STERF, once on a batch of 4."""

    def __init__(self, *args: object, once: Path, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.parent = os.getpid()
        self.once = once

    def process_batch(self, docs: list[Result]) -> list[Result]:
        in_worker = os.getpid() != self.parent
        if in_worker and any("STERF" in doc.text for doc in docs):
            os.kill(os.getpid(), signal.SIGKILL)
        if in_worker and len(docs) == 4 and not self.once.exists():
            self.once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().process_batch(docs)


def test_a_killed_worker_is_replaced_its_batch_retried_and_a_record_that_kills_twice_fails_alone(tmp_path: Path):
    pipeline = MortalPipeline("offline", overrides={"batch_size": 4}, once=tmp_path / "killed-once")
    rows = [article(i) for i in range(12)]
    rows[9]["text"] += " STERF"
    dump = write_lines(tmp_path / "dump.jsonl", [json.dumps(row) for row in rows])
    out = tmp_path / "out.jsonl"
    summary = run_job(pipeline, [str(dump)], str(out), progress=False, options=JobOptions(workers=2))
    assert (tmp_path / "killed-once").exists(), "a worker should have been killed mid-batch"
    records = read_records(out)
    assert [record["id"] for record in records] == [f"n{i}" for i in range(12)]
    (status,) = stage_errors(records[9])
    assert status == "error: worker died: killed by SIGKILL, also when the record was retried alone on a fresh worker"
    assert all(record["status"]["entities"] == "ok" for index, record in enumerate(records) if index != 9)
    assert summary.with_errors == 1


@linux_only
def test_workers_exit_when_their_parent_is_killed(tmp_path: Path):
    job = nlnews("-", "-o", str(tmp_path / "out.jsonl"), "--workers", "2", stdin=subprocess.PIPE)
    try:
        wait_for(lambda: len(children(job.pid)) == 2, 120, "two worker processes")
        workers = children(job.pid)
        job.kill()
        job.wait(timeout=10)
        wait_for(lambda: not any(alive(pid) for pid in workers), 120, "the workers to exit after their parent")
    finally:
        job.kill()
        job.communicate()


@linux_only
def test_kill_9_of_a_worker_costs_no_record_and_no_traceback(tmp_path: Path):
    rows = [json.dumps(article(i)) for i in range(8)]
    out = tmp_path / "out.jsonl"
    job = nlnews("-", "-o", str(out), "--workers", "2", "--batch-size", "2", stdin=subprocess.PIPE)
    try:
        assert job.stdin is not None
        job.stdin.write("\n".join(rows[:4]) + "\n")
        job.stdin.flush()
        wait_for(lambda: len(children(job.pid)) == 2, 120, "two worker processes")
        os.kill(children(job.pid)[0], signal.SIGKILL)
        job.stdin.write("\n".join(rows[4:]) + "\n")
        _, stderr = job.communicate(timeout=120)
    finally:
        job.kill()
    assert (job.returncode, stderr) == (EXIT_OK, "")
    assert [record["id"] for record in read_records(out)] == [f"n{i}" for i in range(8)]


@linux_only
@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_stops_the_run_with_one_line_and_resume_finishes_it(tmp_path: Path, name: str, code: int):
    rows = [json.dumps(article(i)) for i in range(12)]
    out = tmp_path / "out"
    args = ("-", "-o", f"{out}/", "--workers", "2", "--batch-size", "2", "--shard-size", "2")
    job = nlnews(*args, stdin=subprocess.PIPE, start_new_session=True)
    try:
        assert job.stdin is not None
        job.stdin.write("\n".join(rows[:9]) + "\n")
        job.stdin.flush()
        wait_for(lambda: (out / "part-00000.jsonl").exists(), 120, "the first complete shard")
        workers = children(job.pid)
        if name == "SIGINT":
            os.killpg(job.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        else:
            job.send_signal(signal.SIGTERM)
        _, stderr = job.communicate(timeout=60)
    finally:
        job.kill()
    assert job.returncode == code
    (line,) = stderr.strip().splitlines()
    assert re.fullmatch(
        rf"nlnews: stopped by {name}: [1-4] complete shards? (is|are) kept in {out}/; run again "
        r"with --resume to continue",
        line,
    ), line
    assert not list(out.glob("*.partial")) and not [pid for pid in workers if alive(pid)]
    dump = write_lines(tmp_path / "dump.jsonl", rows)
    assert main(["run", str(dump), "-o", f"{out}/", "-c", "offline", "-q", "--resume"]) == EXIT_OK
    assert sorted(record["id"] for record in read_records(out)) == sorted(f"n{i}" for i in range(12))


@pytest.mark.parametrize("output", ["out.jsonl", "out/"])
def test_a_second_run_on_the_same_output_exits_2_naming_the_first(tmp_path: Path, output: str):
    target = tmp_path / output
    argument = f"{target}/" if output.endswith("/") else str(target)
    first = nlnews("-", "-o", argument, "--batch-size", "1", "--workers", "1", stdin=subprocess.PIPE)
    try:
        assert first.stdin is not None
        first.stdin.write(json.dumps(article(0)) + "\n" + json.dumps(article(1)) + "\n")
        first.stdin.flush()
        partial = target / "part-00000.jsonl.partial" if output.endswith("/") else Path(f"{target}.partial")
        wait_for(partial.exists, 120, "the first run's .partial")
        dump = write_lines(tmp_path / "other.jsonl", [json.dumps(article(9))])
        second = nlnews(str(dump), "-o", argument)
        _, stderr = second.communicate(timeout=120)
        assert second.returncode == EXIT_USAGE
        holder = f"(pid {first.pid}); wait for it to end or choose another output"
        assert stderr.strip().splitlines() == [f"nlnews: {argument} is being written by another nlnews run {holder}"]
        assert partial.exists(), "the second run must not touch the first run's .partial"
        first.stdin.write(json.dumps(article(2)) + "\n")
        _, stderr = first.communicate(timeout=120)
    finally:
        first.kill()
    assert first.returncode == EXIT_OK, stderr
    assert [record["id"] for record in read_records(target)] == ["n0", "n1", "n2"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_exits_2_with_one_line(tmp_path: Path, capsys):
    (tmp_path / "out.jsonl").symlink_to("/dev/full")
    dump = write_lines(tmp_path / "dump.jsonl", [json.dumps(article(i)) for i in range(40)])
    assert main(["run", str(dump), "-o", str(tmp_path / "out.jsonl"), "-c", "offline", "-q"]) == EXIT_USAGE
    assert capsys.readouterr().err.splitlines() == [
        f"nlnews: cannot write {tmp_path}/out.jsonl: No space left on device"
    ]
    assert Path("/dev/full").is_char_device() and sorted(os.listdir(tmp_path)) == ["dump.jsonl", "out.jsonl"]


def test_a_full_file_system_keeps_the_complete_shards_and_resume_completes_them(tmp_path: Path):
    small = tmp_path / "small"
    small.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)]
    mounted = subprocess.run(mount, capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    rows = [json.dumps(article(i)) for i in range(120)]
    dump = write_lines(tmp_path / "dump.jsonl", rows)
    try:
        job = nlnews(str(dump), "-o", f"{small}/out/", "--shard-size", "20")
        _, stderr = job.communicate(timeout=300)
        assert job.returncode == EXIT_USAGE
        (line,) = stderr.strip().splitlines()
        assert re.fullmatch(
            rf"nlnews: cannot write {small}/out/part-\d+\.jsonl: No space left on device; the unfinished shard was "
            r"removed; \d+ complete shards are kept: run again with --resume",
            line,
        ), line
        assert not list((small / "out").glob("*.partial"))
        kept = read_records(small / "out")
        assert 0 < len(kept) < len(rows) and len(kept) % 20 == 0
        subprocess.run(["cp", "-r", f"{small}/out", str(tmp_path / "out")], check=True)
    finally:
        subprocess.run(["umount", str(small)], check=True)
    assert main(["run", str(dump), "-o", f"{tmp_path}/out/", "-c", "offline", "-q", "--resume"]) == EXIT_OK
    assert sorted(record["id"] for record in read_records(tmp_path / "out")) == sorted(f"n{i}" for i in range(120))


@pytest.mark.parametrize("output", ["/proc/nlnews-test.jsonl", "/proc/nlnews-test/"])
def test_an_output_that_cannot_exist_exits_2_with_one_line(tmp_path: Path, capsys, output: str):
    dump = write_lines(tmp_path / "dump.jsonl", [json.dumps(article(0))])
    assert main(["run", str(dump), "-o", output, "-c", "offline", "-q"]) == EXIT_USAGE
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("nlnews: cannot ") and "/proc/nlnews-test" in line


def test_a_batch_has_the_budget_of_one_record_as_long_plus_a_second_per_further_record():
    budget = TimeBudget(floor=10.0, seconds_per_10k_chars=3.0)
    short, long = Result(id="kort", text="x" * 1_000), Result(id="lang", text="x" * 100_000)
    assert (budget.seconds([short]), budget.seconds([long])) == (10.0, 30.0)
    assert budget.seconds([short] * 32) == 10.0 + 31 and budget.seconds([long, short]) == 30.3 + 1


def test_a_line_cut_short_in_errors_jsonl_is_skipped_and_the_next_starts_on_its_own_line(tmp_path: Path):
    path = tmp_path / "errors.jsonl"
    path.write_text('{"location": "a.jsonl:1", "reason": "x", "id": null}\n{"location": "a.jsonl:', "utf-8")
    log = ErrorLog(path, resume=True)
    assert log.was_reported("a.jsonl:1") and not log.was_reported("a.jsonl:2")
    log.write("a.jsonl:2", "invalid JSON")
    log.close()
    assert json.loads(path.read_text("utf-8").splitlines()[-1])["location"] == "a.jsonl:2"
