"""``--engine ray`` on a local Ray instance gives the same records and errors as the local engine, and stays local.

Both engines admit records with the same ``Admission`` before any processing, so
repeated ids, duplicate texts (``--skip-duplicates`` too), oversized and
unreadable records and ``--resume`` come out byte for byte the same.

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
from dataclasses import replace
from pathlib import Path

import pytest

os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # before Ray is imported, as the engine does
ray = pytest.importorskip("ray")
pyarrow = pytest.importorskip("pyarrow")

from pipeline.config import load_config
from pipeline.core import Pipeline
from pipeline.engines.ray import AdmissionActor, Columns, PipelineActor, init_ray, run_ray_job
from pipeline.errors import ConfigError
from pipeline.io.writers import encode_record
from pipeline.runner import JobOptions, RunSummary, errors_path, manifest_path, run_job

TEXTS = [
    "De IND opent in 2025 een nieuw loket in Zwolle voor kennismigranten uit India en Brazilië.",
    "Het RIVM meldt dat het aantal griepgevallen in Groningen en Assen deze winter sterk is gestegen.",
    "De gemeente Breda wil voor 2030 vijfduizend woningen bouwen op het oude kazerneterrein.",
]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


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


@pytest.fixture
def awkward_inputs(tmp_path: Path) -> list[str]:
    """Two files with a copied text, a repeated id, an oversized record, an unreadable line and a lone surrogate."""
    first = tmp_path / "a.jsonl"
    rows = [{"id": f"a{i}", "text": f"{text} Bericht {i}."} for i, text in enumerate(TEXTS * 3)]
    rows.append({"id": "kopie", "text": rows[0]["text"]})
    rows.append({"id": "lang", "text": "Een veel te lang bericht. " * 40})
    lines = [json.dumps(row) for row in rows]
    lines.append('{"id": "half", "text": "Een half teken: \\ud800 in Arnhem."}')
    first.write_text("\n".join(lines) + '\n{"kapot\n', encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text(f'id,text\nb1,"{TEXTS[1]}"\na0,"herhaald id"\n', encoding="utf-8")
    return [str(first), str(second)]


def shard_bytes(folder: Path) -> list[bytes]:
    """The output folder's completed shards, as bytes, in order."""
    return [shard.read_bytes() for shard in sorted(folder.glob("part-*.jsonl"))]


def run_both(pipe: Pipeline, inputs: list[str], tmp_path: Path, options: JobOptions) -> tuple[RunSummary, RunSummary]:
    """The same job on both engines, into ``tmp_path/local/`` and ``tmp_path/ray/``."""
    local = run_job(pipe, inputs, f"{tmp_path}/local/", progress=False, options=options)
    remote = run_ray_job(pipe.config, inputs, f"{tmp_path}/ray/", options=options)
    return local, remote


@pytest.mark.parametrize("skip_duplicates", [False, True], ids=["duplicates-run", "skip-duplicates"])
def test_ray_engine_and_local_engine_write_identical_records(
    local_ray, pipe: Pipeline, awkward_inputs: list[str], tmp_path: Path, skip_duplicates: bool
):
    options = JobOptions(shard_size=5, max_record_chars=500, skip_duplicates=skip_duplicates, record_timeout=0)
    local, remote = run_both(pipe, awkward_inputs, tmp_path, options)
    assert shard_bytes(tmp_path / "ray") == shard_bytes(tmp_path / "local")
    assert errors_path(f"{tmp_path}/ray/").read_text() == errors_path(f"{tmp_path}/local/").read_text()
    assert (remote.articles, remote.unreadable, remote.duplicate_ids, remote.duplicates) == (12, 2, 1, 1)
    assert remote.skipped_duplicates == (1 if skip_duplicates else 0)
    assert remote.to_dict() | {"seconds": 0, "articles_per_second": 0} == local.to_dict() | {
        "seconds": 0,
        "articles_per_second": 0,
    }
    records = [json.loads(line) for shard in shard_bytes(tmp_path / "ray") for line in shard.splitlines()]
    copy = next(record for record in records if record["id"] == "kopie")
    assert copy["duplicate_of"] == "a0"
    assert all(status == "skipped: duplicate of 'a0'" for status in copy["status"].values()) is skip_duplicates


@pytest.mark.parametrize("skip_duplicates", [False, True], ids=["duplicates-run", "skip-duplicates"])
def test_the_actors_called_in_this_process_give_the_local_engines_records_and_errors(
    pipe: Pipeline, awkward_inputs: list[str], tmp_path: Path, skip_duplicates: bool
):
    """Without a cluster: what AdmissionActor and PipelineActor hand the driver, against a local run."""
    options = JobOptions(shard_size=5, max_record_chars=500, skip_duplicates=skip_duplicates, record_timeout=0)
    run_job(pipe, awkward_inputs, f"{tmp_path}/local/", progress=False, options=options)
    admission = AdmissionActor(list(pipe.config.pipeline), set(), options)
    actor = PipelineActor(pipe.config.model_dump(mode="json"), strict=False, fail_fast=False)
    files = pyarrow.Table.from_pylist([{"path": name, "root": None} for name in awkward_inputs])
    admitted = pyarrow.concat_tables(table for row in range(files.num_rows) for table in admission(files.slice(row, 1)))
    rows = [row for start in range(0, admitted.num_rows, 3) for row in actor(admitted.slice(start, 3)).to_pylist()]
    columns = Columns()
    records = b"".join(encode_record(columns.record(row)) for row in rows if row["row"] == "record")
    assert records == b"".join(shard_bytes(tmp_path / "local"))
    rejected = [
        (row["location"].decode(), row["id"] and row["id"].decode()) for row in rows if row["row"] == "rejection"
    ]
    logged = [json.loads(line) for line in errors_path(f"{tmp_path}/local/").read_text().splitlines()]
    assert rejected == [(line["location"], line["id"]) for line in logged]
    assert json.loads(rows[0]["built"]) == {"models": pipe.models, "fallbacks": pipe.fallbacks}


def test_ray_engine_gives_the_examples_records_of_the_local_engine(local_ray, pipe: Pipeline, tmp_path: Path):
    inputs = [str(EXAMPLES / "articles.jsonl"), str(EXAMPLES / "belastingdienst_kantoren.txt")]
    run_both(pipe, inputs, tmp_path, JobOptions(workers=2, shard_size=2, record_timeout=0))
    assert shard_bytes(tmp_path / "ray") == shard_bytes(tmp_path / "local")
    assert len(b"".join(shard_bytes(tmp_path / "ray")).splitlines()) == 4


def test_a_resumed_ray_run_continues_as_a_resumed_local_run(
    local_ray, pipe: Pipeline, awkward_inputs: list[str], tmp_path: Path
):
    options = JobOptions(shard_size=5, max_record_chars=500, record_timeout=0)
    run_job(pipe, awkward_inputs[:1], f"{tmp_path}/first/", progress=False, options=options)
    for engine in ("local", "ray"):
        shutil.copytree(tmp_path / "first", tmp_path / engine)
        (tmp_path / engine / "part-00002.jsonl").unlink()  # as if the run had stopped after two shards
    resumed = replace(options, resume=True)
    local, remote = run_both(pipe, awkward_inputs, tmp_path, resumed)
    assert shard_bytes(tmp_path / "ray") == shard_bytes(tmp_path / "local")
    assert errors_path(f"{tmp_path}/ray/").read_text() == errors_path(f"{tmp_path}/local/").read_text()
    assert remote.resumed == local.resumed == 10 + 2, "two shards of five, and both error lines of the first file"
    assert (remote.articles, remote.duplicate_ids) == (local.articles, local.duplicate_ids) == (2, 1)


def test_the_ray_driver_loads_no_model_and_the_manifest_names_the_actors_models(
    local_ray, pipe: Pipeline, tmp_path: Path
):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": TEXTS[0]}) + "\n", encoding="utf-8")
    run_ray_job(pipe.config, [str(tmp_path / "a.jsonl")], str(tmp_path / "o.jsonl"), options=JobOptions())
    manifest = json.loads(manifest_path(tmp_path / "o.jsonl").read_text())
    assert manifest["engine"] == "ray"
    assert (manifest["models"], manifest["fallbacks"]) == (pipe.models, pipe.fallbacks)
    assert manifest["config"] == pipe.config.model_dump(mode="json")


def test_an_error_building_the_pipeline_in_an_actor_is_raised_in_the_driver(local_ray, tmp_path: Path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": TEXTS[0]}) + "\n", encoding="utf-8")
    config = load_config("offline", {"pipeline": ["translate", "clean", "detect"]})
    with pytest.raises(ConfigError, match="earlier stage"):
        run_ray_job(config, [str(tmp_path / "a.jsonl")], str(tmp_path / "o.jsonl"), options=JobOptions())


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
