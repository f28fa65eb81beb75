"""No model hub reachable and no ``HF_HUB_OFFLINE``: the default profile falls back exactly as offline does.

The network is really unreachable here: every proxy variable points at a
closed port on this machine, so each client's connection is refused (the way
a machine without network refuses it), and ``HF_HOME`` is an empty folder. The
CLI and ``Pipeline()`` run in subprocesses, because hub clients read these
variables when they start; an audit hook in each process records where it
tried to connect.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import EXIT_MODEL_MISSING, EXIT_OK

OPUS = "Helsinki-NLP/opus-mt-nl-en"
SPACY = "nl_core_news_md"
ARTICLE = {"id": "a1", "text": "De gemeente Utrecht bouwt in 2025 vijfhonderd nieuwe woningen bij het station."}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable(tmp_path: Path, connect_audit) -> dict[str, str]:
    """The environment of a machine whose every outside connection is refused, with empty model caches."""
    proxy = f"http://127.0.0.1:{closed_port()}"
    env = {key: value for key, value in os.environ.items() if key not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env.update({name: proxy for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy")})
    env.update(connect_audit.env)
    env.update(
        NO_PROXY="",
        no_proxy="",
        HF_HOME=str(tmp_path / "hf-home"),
        NLNEWS_MODELS=str(tmp_path / "store"),
        HF_HUB_ETAG_TIMEOUT="3",
        HF_HUB_DOWNLOAD_TIMEOUT="3",
        PIP_RETRIES="0",
    )
    return env


def nlnews(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", *args]
    return subprocess.run(command, check=False, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def assert_only_the_dead_proxy_was_tried(connect_audit, env: dict[str, str]) -> None:
    """Every connection went to the closed local proxy: the hub was tried, and nothing else was."""
    port = int(env["HTTPS_PROXY"].rsplit(":", 1)[1])
    assert connect_audit.outside() == []
    assert any(attempt["address"] == ["127.0.0.1", port] for attempt in connect_audit.attempts())


def test_the_default_profile_falls_back_with_the_offline_warnings_and_exits_0(
    unreachable: dict[str, str], connect_audit, tmp_path: Path
):
    (tmp_path / "in.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    run = nlnews(unreachable, tmp_path, "run", "in.jsonl", "-o", "out.jsonl", "--workers", "1")
    assert run.returncode == EXIT_OK, run.stderr
    assert "Traceback" not in run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING pipeline.core:")]
    assert len(warnings) == 2
    assert f"entities: {SPACY} unavailable (spaCy package not installed) -> rules only" in warnings[0]
    assert f"translate: model '{OPUS}' unavailable (download failed: " in warnings[1]
    assert "-> stage skipped; fix: run `nlnews models pull`" in warnings[1]
    (record,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert record["status"]["translate"].startswith(f"skipped: model '{OPUS}' unavailable (download failed: ")
    assert record["status"]["entities"] == "ok" and record["title_en"] is None
    assert_only_the_dead_proxy_was_tried(connect_audit, unreachable)


def test_strict_exits_3_naming_every_missing_model_in_one_message(
    unreachable: dict[str, str], connect_audit, tmp_path: Path
):
    (tmp_path / "in.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    run = nlnews(unreachable, tmp_path, "run", "in.jsonl", "-o", "out.jsonl", "--strict", "--workers", "1")
    assert run.returncode == EXIT_MODEL_MISSING
    assert run.stderr.startswith("nlnews: 2 models unavailable:\n") and "Traceback" not in run.stderr
    assert f"entities: model '{SPACY}' unavailable" in run.stderr
    assert f"translate: model '{OPUS}' unavailable (download failed: " in run.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_pull_prints_one_line_per_failed_model_and_exits_non_zero(
    unreachable: dict[str, str], connect_audit, tmp_path: Path
):
    run = nlnews(unreachable, tmp_path, "models", "pull")
    assert run.returncode == EXIT_MODEL_MISSING and "Traceback" not in run.stderr
    failures = [line for line in run.stderr.splitlines() if line.startswith("nlnews: ")]
    assert len(failures) == 2
    assert failures[0].startswith(f"nlnews: entities: model '{SPACY}' unavailable (pip could not install ")
    assert failures[1].startswith(f"nlnews: translate: model '{OPUS}' unavailable (download failed: ")
    assert "2 of 2 models not usable" in run.stdout
    assert not list((tmp_path / "store").glob("*.partial"))


def test_pipeline_in_python_falls_back_the_same_way(unreachable: dict[str, str], connect_audit, tmp_path: Path):
    script = (
        "import json; from pipeline import Pipeline; pipe = Pipeline(); result = pipe(json.loads(input())); "
        "print(json.dumps({'fallbacks': pipe.fallbacks, 'status': result.status}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        input=json.dumps(ARTICLE),
        env=unreachable,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert [line.split(":")[0] for line in seen["fallbacks"]] == ["entities", "translate"]
    assert seen["status"]["translate"].startswith(f"skipped: model '{OPUS}' unavailable")
    assert_only_the_dead_proxy_was_tried(connect_audit, unreachable)


def test_spacys_model_lookup_never_touches_the_network(unreachable: dict[str, str], connect_audit, tmp_path: Path):
    script = (
        "from pipeline import Pipeline; pipe = Pipeline(overrides={'translate.enabled': False}); "
        "print(pipe('De gemeente Utrecht bouwt nieuwe woningen.').status['entities'])"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], check=False, env=unreachable, cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
    assert f"entities: {SPACY} unavailable (spaCy package not installed)" in run.stderr
    assert connect_audit.attempts() == []
