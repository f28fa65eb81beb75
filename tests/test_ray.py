"""``--engine ray`` on a local Ray instance gives the same records and errors as the local engine, and stays local.

Ray is started the way the engine starts it (``init_ray``): usage statistics
off, node 127.0.0.1, no dashboard. One CLI run is watched from inside every
Python process (an audit hook loaded by ``sitecustomize``) and, where strace is
installed, from the kernel's side, so the C++ processes and libc's DNS are seen too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # before Ray is imported, as the engine does
ray = pytest.importorskip("ray")

from pipeline.core import Pipeline
from pipeline.engines.ray import init_ray, run_ray_job
from pipeline.errors import ConfigError
from pipeline.runner import JobOptions, errors_path, run_job

TEXTS = [
    "De IND opent in 2025 een nieuw loket in Zwolle voor kennismigranten uit India en Brazilië.",
    "Het RIVM meldt dat het aantal griepgevallen in Groningen en Assen deze winter sterk is gestegen.",
    "De gemeente Breda wil voor 2030 vijfduizend woningen bouwen op het oude kazerneterrein.",
]


#: An IPv4 or IPv6 address in one line of ``strace -e trace=connect``.
STRACE_ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')


@pytest.fixture(scope="module")
def local_ray():
    init_ray(num_cpus=2)
    yield
    ray.shutdown()


def strace_missing() -> str | None:
    """Why strace cannot watch a run here, or None when it can (it may be installed yet denied ptrace)."""
    if shutil.which("strace") is None:
        return "strace is not installed (apt-get install strace)"
    probe = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "true"], check=False, capture_output=True)
    return None if probe.returncode == 0 else f"strace cannot trace here: {probe.stderr.decode().strip()[:200]}"


@pytest.fixture(scope="module")
def watched_cli_run(module_connect_audit, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path | None]:
    """``nlnews run --engine ray`` on three records with the offline profile; strace's log when strace is there."""
    folder = tmp_path_factory.mktemp("ray-cli")
    (folder / "in.jsonl").write_text(
        "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS))
    )
    command = [sys.executable, "-m", "pipeline", "run", "in.jsonl", "-o", "out.jsonl", "--config", "offline"]
    command += ["--engine", "ray", "--workers", "1"]
    trace = None if strace_missing() else folder / "connect.strace"
    if trace is not None:
        command = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *command]
    env = {**os.environ, **module_connect_audit.env}
    env.pop("RAY_ADDRESS", None)
    run = subprocess.run(command, check=False, cwd=folder, env=env, capture_output=True, text=True, timeout=420)
    assert run.returncode == 0, run.stderr[-3000:]
    assert len((folder / "out.jsonl").read_text().splitlines()) == len(TEXTS)
    return run, trace


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline("offline", overrides={"batch_size": 4})


def read_records(path: Path) -> list[dict]:
    files = sorted(path.glob("part-*.jsonl")) if path.is_dir() else [path]
    return [json.loads(line) for file in files for line in file.read_text("utf-8").splitlines()]


def test_ray_engine_and_local_engine_write_identical_records(local_ray, pipe: Pipeline, tmp_path: Path):
    first = tmp_path / "a.jsonl"
    rows = [{"id": f"a{i}", "text": f"{text} Bericht {i}."} for i, text in enumerate(TEXTS * 3)]
    rows.append({"id": "kopie", "text": rows[0]["text"]})
    first.write_text("\n".join(json.dumps(row) for row in rows) + '\n{"kapot\n', encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text(f'id,text\nb1,"{TEXTS[1]}"\na0,"herhaald id"\n', encoding="utf-8")
    options = JobOptions(workers=1, shard_size=5)
    local = run_job(pipe, [str(first), str(second)], f"{tmp_path}/local/", progress=False, options=options)
    remote = run_ray_job(pipe, [str(first), str(second)], f"{tmp_path}/ray/", options=options)
    assert read_records(tmp_path / "ray") == read_records(tmp_path / "local")
    assert errors_path(f"{tmp_path}/ray/").read_text() == errors_path(f"{tmp_path}/local/").read_text()
    assert (remote.articles, remote.unreadable, remote.duplicate_ids, remote.duplicates) == (11, 1, 1, 1)
    assert remote.to_dict()["stages"] == local.to_dict()["stages"]


def test_skipping_duplicates_needs_the_local_engine(local_ray, pipe: Pipeline, tmp_path: Path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": TEXTS[0]}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="local engine"):
        run_ray_job(
            pipe,
            [str(tmp_path / "a.jsonl")],
            str(tmp_path / "o.jsonl"),
            options=JobOptions(skip_duplicates=True),
        )


def test_a_local_ray_run_connects_only_to_loopback_from_every_python_process(watched_cli_run, module_connect_audit):
    assert module_connect_audit.outside() == []
    programs = module_connect_audit.programs()
    assert {"pipeline", "default_worker.py", "dashboard.py", "agent.py"} <= programs, (
        programs
    )  # the hook was everywhere


def test_a_local_ray_run_under_strace_connects_only_to_loopback(watched_cli_run, module_connect_audit):
    _, trace = watched_cli_run
    if trace is None:
        pytest.skip(f"{strace_missing()}: no kernel-side check of gcs_server, raylet and libc's DNS")
    lines = trace.read_text().splitlines()
    addresses = [next(filter(None, match.groups())) for line in lines for match in STRACE_ADDRESS.finditer(line)]
    assert addresses, "strace saw no IP connect at all: it did not trace the run"
    outside = sorted({address for address in addresses if not module_connect_audit.is_loopback(address)})
    assert outside == [], [line for line in lines if any(address in line for address in outside)][:10]
