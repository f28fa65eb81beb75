"""Every input is counted once and named once: empty texts, skipped copies, unreadable items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.core import Pipeline
from pipeline.runner import JobOptions, errors_path, run_job

TEXT = (
    "De gemeente Zwolle legt een nieuw fietspad aan langs de IJssel. Het werk begint in maart en duurt "
    "tot de zomer. Omwonenden krijgen een brief met de omleidingen."
)


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline("offline")


def test_unreadable_items_are_named_by_their_place_in_the_whole_stream(pipe: Pipeline):
    items = [{"title": "geen tekst"}, TEXT, {"title": "ook geen"}, {"title": "en nog een"}, TEXT]
    ids = [result.id for result in pipe.run(items, batch_size=2) if "read" in result.status]
    assert ids == ["invalid-input-0", "invalid-input-2", "invalid-input-3"]


def test_empty_text_gets_a_status_per_stage_not_a_missing_field_error(pipe: Pipeline, tmp_path: Path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"id": "leeg", "text": ""}\n{"text": ""}\n{"text": null}\n{"id": "geen"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_job(pipe, [str(dump)], str(out), progress=False)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3 and all(r["status"]["clean"] == "skipped: empty text" for r in records)
    assert len({r["id"] for r in records}) == 3, "empty texts without an id are not one repeated id"
    (error,) = [json.loads(line) for line in errors_path(out).read_text(encoding="utf-8").splitlines()]
    assert error["location"] == f"{dump}:4" and "no 'text' field" in error["reason"]
    assert summary.records_in == 4 and summary.duplicates == 0


def test_skipped_copies_are_not_counted_as_ok(pipe: Pipeline, tmp_path: Path):
    dump = tmp_path / "dump.jsonl"
    rows = [{"id": "origineel", "text": TEXT}, {"id": "kopie-1", "text": TEXT}, {"id": "kopie-2", "text": TEXT}]
    dump.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    summary = run_job(
        pipe, [str(dump)], str(tmp_path / "out.jsonl"), progress=False, options=JobOptions(skip_duplicates=True)
    )
    assert (summary.articles, summary.ok, summary.duplicates, summary.skipped_duplicates) == (3, 1, 2, 2)
    assert "3 articles, 1 ok, 0 with errors" in summary.report() and "2 duplicates (2 skipped)" in summary.report()
