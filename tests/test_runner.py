"""``run_job``: every input record ends in one output record or one errors.jsonl line, resumably."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.core import Pipeline
from pipeline.dedupe import DuplicateFinder
from pipeline.errors import ConfigError
from pipeline.runner import JobOptions, errors_path, manifest_path, run_job

OPENINGS = [
    "Het kabinet trekt extra geld uit voor de dijken langs de IJssel bij Zutphen.",
    "In Leeuwarden opent volgend jaar een nieuw zwembad met een wedstrijdbad.",
    "De politie in Tilburg zoekt getuigen van een inbraak bij een juwelier.",
    "Schiphol verwacht deze zomer drukte en vraagt reizigers vroeg te komen.",
    "Boeren in Drenthe protesteren tegen nieuwe regels voor mest en water.",
    "De gemeente Almere wil meer bomen planten in nieuwe woonwijken.",
]
BODY = (
    "Volgens de betrokken wethouder is het plan al jaren in voorbereiding. Bewoners konden in het voorjaar "
    "reageren op een eerste ontwerp. De provincie betaalt een deel van de kosten, de rest komt uit de "
    "gemeentebegroting. Een besluit van de raad wordt na de zomer verwacht."
)


def article(index: int) -> dict[str, str]:
    return {"id": f"a{index}", "text": f"{OPENINGS[index % len(OPENINGS)]} Bericht nummer {index}. {BODY}"}


def write_dump(path: Path, rows: list[dict | str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_records(output: Path) -> list[dict]:
    files = sorted(output.glob("part-*.jsonl")) if output.is_dir() else [output]
    return [json.loads(line) for file in files for line in file.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline("offline", overrides={"batch_size": 4})


def test_bad_records_go_to_errors_jsonl_with_reason_and_location(pipe: Pipeline, tmp_path: Path):
    dump = write_dump(
        tmp_path / "dump.jsonl",
        [article(0), '{"id": "kapot", "text": ', article(1), {"id": "a0", "text": "zelfde id"}, {"id": "x"}],
    )
    out = tmp_path / "out.jsonl"
    summary = run_job(pipe, [str(dump)], str(out), progress=False)
    assert [r["id"] for r in read_records(out)] == ["a0", "a1"]
    errors = [json.loads(line) for line in errors_path(out).read_text("utf-8").splitlines()]
    assert [e["location"] for e in errors] == [f"{dump}:2", f"{dump}:4", f"{dump}:5"]
    assert errors[0]["reason"].startswith("invalid JSON") and errors[1]["id"] == "a0"
    assert "duplicate id 'a0'" in errors[1]["reason"] and "no 'text' field" in errors[2]["reason"]
    assert (summary.articles, summary.unreadable, summary.duplicate_ids, summary.records_in) == (2, 2, 1, 5)
    assert json.loads(manifest_path(out).read_text())["counts"]["records_in"] == 5


def test_a_record_too_long_to_be_an_article_goes_to_errors_jsonl(pipe: Pipeline, tmp_path: Path):
    dump = write_dump(tmp_path / "dump.jsonl", [article(0), {"id": "dump-in-een-veld", "text": BODY * 20}])
    out = tmp_path / "out.jsonl"
    options = JobOptions(max_record_chars=len(BODY) * 10)
    summary = run_job(pipe, [str(dump)], str(out), progress=False, options=options)
    assert [r["id"] for r in read_records(out)] == ["a0"] and summary.unreadable == 1
    (error,) = [json.loads(line) for line in errors_path(out).read_text("utf-8").splitlines()]
    assert error["location"] == f"{dump}:2" and error["id"] == "dump-in-een-veld"
    assert "over the" in error["reason"] and "limit" in error["reason"]


def test_a_page_that_is_not_an_article_is_written_with_a_skipped_status(pipe: Pipeline, tmp_path: Path):
    pytest.importorskip("trafilatura")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "contact.html").write_text("<html><body><a href='/'>Home</a></body></html>", "utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_job(pipe, [str(tmp_path / "pages")], str(out), progress=False)
    (record,) = read_records(out)
    assert record["id"] == "contact.html" and record["text"] == ""
    assert set(record["status"].values()) == {"skipped: not an article"} and "read" in record["status"]
    assert summary.skipped == 1 and summary.with_errors == 0


def test_exact_copies_are_flagged_and_can_skip_processing(pipe: Pipeline, tmp_path: Path):
    copy = {"id": "copy", "text": "  " + article(2)["text"].upper().replace(". ", ".\n\n") + " "}
    dump = write_dump(tmp_path / "dump.jsonl", [article(1), article(2), copy])
    out = tmp_path / "out.jsonl"
    run_job(pipe, [str(dump)], str(out), progress=False, options=JobOptions(skip_duplicates=True))
    first, original, duplicate = read_records(out)
    assert first["duplicate_of"] is None and original["status"]["entities"] == "ok"
    assert duplicate["duplicate_of"] == "a2"
    assert duplicate["status"]["entities"] == "skipped: duplicate of 'a2'" and duplicate["entities"] == []


def test_copies_differing_in_case_accents_and_layout_are_exact_duplicates_and_other_words_are_not():
    finder = DuplicateFinder("exact")
    assert finder.check("origineel", "Het café in Zoëterwoude is één dag dicht.") is None
    assert finder.check("kopie", "HET CAFE IN ZOETERWOUDE\n\nis een dag dicht") == "origineel"
    assert finder.check("ander", "Het café in Zoeterwoude is twee dagen dicht.") is None


def test_a_syndicated_copy_with_another_intro_is_a_near_duplicate():
    pytest.importorskip("datasketch")
    story = " ".join(f"{OPENINGS[i % 6]} {BODY}" for i in range(4))
    finder = DuplicateFinder("near")
    assert finder.check("origineel", story) is None
    assert finder.check("ander-verhaal", article(3)["text"] + " " + OPENINGS[0]) is None
    assert finder.check("overname", "Van onze correspondent in Zwolle. " + story) == "origineel"
    assert DuplicateFinder("exact").check("x", story) is None


def test_resume_after_a_lost_shard_writes_every_id_exactly_once(pipe: Pipeline, tmp_path: Path):
    dump = write_dump(tmp_path / "dump.jsonl", [article(i) for i in range(12)] + ["{kapot"])
    out = tmp_path / "out"
    options = JobOptions(shard_size=5, duplicates="off")
    first = run_job(pipe, [str(dump)], f"{out}/", progress=False, options=options)
    assert first.articles == 12 and first.unreadable == 1
    (out / "part-00002.jsonl").rename(out / "part-00002.jsonl.partial")
    with pytest.raises(ConfigError, match="--resume"):
        run_job(pipe, [str(dump)], f"{out}/", progress=False, options=options)
    options.resume = True
    second = run_job(pipe, [str(dump)], f"{out}/", progress=False, options=options)
    assert (second.articles, second.resumed, second.unreadable) == (2, 11, 0)
    ids = [record["id"] for record in read_records(out)]
    assert sorted(ids) == sorted(f"a{i}" for i in range(12)) and len(ids) == 12
    assert len(errors_path(f"{out}/").read_text("utf-8").splitlines()) == 1


def test_two_workers_write_the_same_records_as_one_in_order_unless_asked_not_to(pipe: Pipeline, tmp_path: Path):
    dump = write_dump(tmp_path / "dump.jsonl", [article(i) for i in range(14)])
    single, double = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_job(pipe, [str(dump)], str(single), progress=False, options=JobOptions(workers=1))
    run_job(pipe, [str(dump)], str(double), progress=False, options=JobOptions(workers=2))
    assert read_records(double) == read_records(single)
    unordered = tmp_path / "unordered.jsonl"
    options = JobOptions(workers=2, ordered=False)
    run_job(pipe, [str(dump)], str(unordered), progress=False, options=options)
    assert sorted(read_records(unordered), key=lambda r: r["id"]) == sorted(read_records(single), key=lambda r: r["id"])


def test_the_run_sets_torch_threads_only_when_asked(pipe: Pipeline, tmp_path: Path):
    torch = pytest.importorskip("torch")
    dump = write_dump(tmp_path / "dump.jsonl", [article(0)])
    before = torch.get_num_threads()
    wanted = 1 if before > 1 else 2
    try:
        run_job(
            pipe, [str(dump)], str(tmp_path / "default.jsonl"), progress=False, options=JobOptions(record_timeout=0)
        )
        assert torch.get_num_threads() == before
        options = JobOptions(record_timeout=0, threads=wanted)
        run_job(pipe, [str(dump)], str(tmp_path / "asked.jsonl"), progress=False, options=options)
        assert torch.get_num_threads() == wanted
    finally:
        torch.set_num_threads(before)


def test_parquet_output_file_round_trips_through_pandas(pipe: Pipeline, tmp_path: Path):
    pandas = pytest.importorskip("pandas")
    dump = write_dump(tmp_path / "dump.jsonl", [article(i) for i in range(3)])
    out = tmp_path / "out.parquet"
    run_job(pipe, [str(dump)], str(out), progress=False)
    frame = pandas.read_parquet(out)
    assert list(frame["id"]) == ["a0", "a1", "a2"] and all(len(e) > 0 for e in frame["entities"])


@pytest.mark.parametrize(
    ("output", "options", "message"),
    [
        ("out.jsonl", JobOptions(resume=True), "sharded output folder"),
        ("blocker/out.jsonl", JobOptions(), "cannot create output folder"),
        ("out/", JobOptions(output_format="csv"), "unknown output format"),
    ],
)
def test_output_problems_are_errors_before_any_work(
    pipe: Pipeline, tmp_path: Path, output: str, options: JobOptions, message: str
):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    dump = write_dump(tmp_path / "dump.jsonl", [article(0)])
    with pytest.raises(ConfigError, match=message):
        run_job(pipe, [str(dump)], str(tmp_path / output), progress=False, options=options)


def test_the_progress_bar_has_a_total_and_time_left_for_files_of_known_size(pipe: Pipeline, tmp_path: Path, capsys):
    dump = write_dump(tmp_path / "dump.jsonl", [article(index) for index in range(12)])
    run_job(pipe, [str(dump)], str(tmp_path / "out.jsonl"), progress=True)
    last = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    size = dump.stat().st_size
    assert last.startswith("nlnews: 100%|") and f"{size / 1024:.2f}k/{size / 1024:.2f}k" in last, last
    assert "<00:00" in last and "12 articles" in last and "/s" in last


def test_a_parquet_input_counts_records_against_its_row_count(pipe: Pipeline, tmp_path: Path, capsys):
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    dump = tmp_path / "dump.parquet"
    parquet.write_table(pa.Table.from_pylist([article(index) for index in range(9)]), dump)
    run_job(pipe, [str(dump)], str(tmp_path / "out.jsonl"), progress=True)
    last = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    assert "100%|" in last and "9/9 [" in last and "9 articles" in last, last
