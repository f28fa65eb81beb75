"""``nlnews run`` as a user calls it: files in, JSONL out, honest exit codes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import EXIT_MODEL_MISSING, EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, main
from pipeline.runner import errors_path, manifest_path

EXAMPLES = Path(__file__).parents[1] / "examples"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_on_the_examples_writes_one_record_per_article(tmp_path: Path, capsys):
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "run",
            str(EXAMPLES / "belastingdienst_kantoren.txt"),
            str(EXAMPLES / "articles.jsonl"),
            "-o",
            str(out),
            "-c",
            "offline",
        ]
    )
    assert code == EXIT_OK
    records = read_jsonl(out)
    assert [r["id"] for r in records] == [
        "belastingdienst_kantoren.txt",
        "budget-goes-2025",
        "overname-zuivel",
        "ind-expatcentrum",
    ]
    assert all(r["language"] == "nl" and r["summary"] for r in records)
    final_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert final_line.startswith("4 articles, 4 ok, 0 with errors,") and final_line.endswith("articles/s")
    manifest = json.loads(manifest_path(out).read_text())
    assert manifest["counts"]["articles"] == 4
    assert manifest["config"]["translate"]["enabled"] is False
    assert not out.with_name(out.name + ".partial").exists()


def test_broken_json_line_goes_to_errors_jsonl_and_exit_code_1(tmp_path: Path):
    source = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "De IND opent een loket in Zwolle."}),
        '{"id": "b", "text": "kapotte regel',
        json.dumps({"id": "c", "text": "De gemeente Breda bouwt woningen."}),
        json.dumps({"id": "d", "body": "verkeerd veld"}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(source), "-o", str(out), "-c", "offline", "-q"]) == EXIT_RECORD_ERRORS
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["a", "c"]
    assert records[0]["status"]["clean"] == "ok" and records[1]["status"]["entities"] == "ok"
    errors = read_jsonl(errors_path(out))
    assert [e["location"] for e in errors] == [f"{source}:2", f"{source}:4"]
    assert errors[0]["reason"].startswith("invalid JSON") and "no 'text' field" in errors[1]["reason"]


def test_field_flags_map_a_publishers_columns(tmp_path: Path):
    source = tmp_path / "archief.csv"
    source.write_text("guid,kop,body\nx1,Loket,De IND opent een loket in Zwolle.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    argv = ["run", str(source), "-o", str(out), "-c", "offline", "-q", "--text-field", "body"]
    assert main(argv + ["--id-field", "guid", "--title-field", "kop"]) == EXIT_OK
    (record,) = read_jsonl(out)
    assert (record["id"], record["title"], record["text"]) == ("x1", "Loket", "De IND opent een loket in Zwolle.")


def test_a_killed_run_resumes_with_every_id_exactly_once(tmp_path: Path):
    source = tmp_path / "dump.jsonl"
    rows = [
        {
            "id": f"n{i}",
            "text": f"De gemeente Zwolle meldt bericht {i}: er komen {i} nieuwe woningen bij in {2000 + i}.",
        }
        for i in range(600)
    ]
    source.write_text("\n".join(json.dumps(row) for row in rows) + '\n{"kapot\n', encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "run", str(source), "-o", f"{out}/", "-c", "offline", "-q"]
    job = subprocess.Popen(command + ["--shard-size", "50", "--workers", "1"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while len(list(out.glob("part-*.jsonl"))) < 2 and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    job.send_signal(signal.SIGKILL)
    job.wait()
    done_before = len(list(out.glob("part-*.jsonl")))
    assert 0 < done_before < 12, "the job should be killed half way"
    assert main(["run", str(source), "-o", f"{out}/", "-c", "offline", "-q", "--resume"]) == EXIT_RECORD_ERRORS
    ids = [r["id"] for shard in sorted(out.glob("part-*.jsonl")) for r in read_jsonl(shard)]
    assert sorted(ids) == sorted(row["id"] for row in rows) and len(ids) == len(set(ids))
    (error,) = read_jsonl(out / "errors.jsonl")
    assert error["location"] == f"{source}:601"
    manifest = json.loads(manifest_path(f"{out}/").read_text())
    assert manifest["counts"]["resumed"] >= 50 * done_before


def test_stdin_to_stdout_through_python_dash_m():
    article = json.dumps({"id": "s1", "text": "Het RIVM meldt dat de griep in 2024 vroeg begon in Groningen."})
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-", "-o", "-", "-c", "offline", "-q"],
        input=article + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == EXIT_OK, completed.stderr
    (record,) = [json.loads(line) for line in completed.stdout.splitlines()]
    assert record["id"] == "s1" and record["language"] == "nl"
    assert {"Groningen"} <= {e["text"] for e in record["entities"] if e["label"] == "CITY"}


def test_unknown_override_is_a_usage_error(tmp_path: Path, capsys):
    code = main(
        [
            "run",
            str(EXAMPLES / "articles.jsonl"),
            "-o",
            str(tmp_path / "o.jsonl"),
            "-c",
            "offline",
            "--set",
            "translate.ful_text=true",
        ]
    )
    assert code == EXIT_USAGE
    assert "ful_text" in capsys.readouterr().err


def test_strict_with_a_missing_model_exits_before_writing(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "o.jsonl"
    code = main(["run", str(EXAMPLES / "articles.jsonl"), "-o", str(out), "--strict"])
    assert code == EXIT_MODEL_MISSING
    assert "unavailable" in capsys.readouterr().err
    assert not out.exists()


def test_missing_input_file_is_an_error_before_any_work(tmp_path: Path, capsys):
    out = tmp_path / "o.jsonl"
    assert main(["run", str(tmp_path / "nope.txt"), "-o", str(out), "-c", "offline", "-q"]) == EXIT_USAGE
    assert "no such file or directory" in capsys.readouterr().err
    assert not out.exists()


def test_ray_engine_without_ray_says_how_to_install_it(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.delitem(sys.modules, "pipeline.engines.ray", raising=False)
    argv = ["run", str(EXAMPLES / "articles.jsonl"), "-o", str(tmp_path / "o.jsonl"), "-c", "offline"]
    assert main(argv + ["--engine", "ray"]) == EXIT_USAGE
    assert "pip install 'nl-news-pipeline[ray]'" in capsys.readouterr().err


def test_config_command_prints_the_filled_config(capsys):
    assert main(["config", "-c", "offline", "--set", "summarize.sentences=2"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "sentences: 2" in printed and "batch_size: 32" in printed


def test_models_list_reports_missing_models_with_the_fix(monkeypatch, capsys, tmp_path: Path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code = main(["models", "list", "--dir", str(tmp_path)])
    printed = capsys.readouterr().out
    assert code == EXIT_MODEL_MISSING
    assert "Helsinki-NLP/opus-mt-nl-en" in printed and "missing" in printed


@pytest.mark.parametrize("argv", [["run"], ["run", "x.txt"], ["bogus"]])
def test_bad_arguments_exit_with_2(argv):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == EXIT_USAGE


def test_language_field_maps_the_declared_language(tmp_path: Path):
    from pipeline.io import FieldMap, read_inputs

    source = tmp_path / "dump.jsonl"
    source.write_text(json.dumps({"id": "a", "taal": "nl", "text": "De IND opent een loket in Zwolle."}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(source), "-o", str(out), "-c", "offline", "-q", "--language-field", "taal"]) == EXIT_OK
    assert json.loads(manifest_path(out).read_text())["options"]["fields"]["language"] == "taal"
    (article,) = read_inputs([str(source)], FieldMap(language="taal"))
    assert article.language == "nl"


def test_each_output_file_keeps_its_own_manifest(tmp_path: Path):
    pytest.importorskip("pyarrow")
    source = EXAMPLES / "articles.jsonl"
    for suffix in ("jsonl", "parquet"):
        assert main(["run", str(source), "-o", str(tmp_path / f"my.{suffix}"), "-c", "offline", "-q"]) == EXIT_OK
    manifests = {
        suffix: json.loads((tmp_path / f"my.{suffix}.manifest.json").read_text()) for suffix in ("jsonl", "parquet")
    }
    assert manifests["jsonl"]["format"] == "jsonl" and manifests["parquet"]["format"] == "parquet"
    assert not (tmp_path / "my.manifest.json").exists()
