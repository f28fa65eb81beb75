"""``--engine ray`` on a local Ray instance gives the same records and errors as the local engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from pipeline.core import Pipeline  # noqa: E402
from pipeline.engines.ray import run_ray_job  # noqa: E402
from pipeline.errors import ConfigError  # noqa: E402
from pipeline.runner import JobOptions, errors_path, run_job  # noqa: E402

TEXTS = [
    "De IND opent in 2025 een nieuw loket in Zwolle voor kennismigranten uit India en Brazilië.",
    "Het RIVM meldt dat het aantal griepgevallen in Groningen en Assen deze winter sterk is gestegen.",
    "De gemeente Breda wil voor 2030 vijfduizend woningen bouwen op het oude kazerneterrein.",
]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


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
