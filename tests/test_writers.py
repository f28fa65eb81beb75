"""Writers: one file or a folder of shards, renamed only when complete, readable by pandas and DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.document import Entity, Result
from pipeline.io import JsonlWriter, ParquetWriter, ShardedWriter, completed_shards, written_ids


def result(index: int) -> dict:
    record = Result(id=f"r{index}", text="Den Haag en de IND.", language="nl", language_score=0.99)
    record.entities = [
        Entity("Den Haag", "CITY", 0, 8, "'s-Gravenhage", "The Hague", {"country": "NL", "latitude": 52.07}),
        Entity("IND", "ORG", 12, 15, "Immigratie- en Naturalisatiedienst", "Immigration Service", {"seat": "Rijswijk"}),
    ]
    record.status = {"clean": "ok", "translate": "skipped: disabled"}
    record.summary = ["Den Haag en de IND."]
    return record.to_dict()


def test_writer_leaves_no_final_file_when_the_run_crashes(tmp_path: Path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt), JsonlWriter(target) as writer:
        writer.write({"id": "1"})
        raise KeyboardInterrupt
    assert not target.exists()


def test_a_shard_interrupted_while_it_is_closed_leaves_nothing_unfinished(tmp_path: Path, monkeypatch):
    """Ctrl-C during a full shard's fsync: the shard is neither kept nor left as a ``.partial``."""

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt), ShardedWriter(tmp_path / "out", shard_size=1) as writer:
        writer.write({"id": "1"})
    assert list((tmp_path / "out").iterdir()) == []


def test_parquet_keeps_entities_as_a_list_of_structs_for_pandas(tmp_path: Path):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    target = tmp_path / "out.parquet"
    with ParquetWriter(target) as writer:
        for index in range(3):
            writer.write(result(index))
    frame = pandas.read_parquet(target)
    assert list(frame["id"]) == ["r0", "r1", "r2"]
    city, organisation = frame["entities"][0]
    assert city["english"] == "The Hague" and city["country"] == "NL" and city["extra"] is None
    assert json.loads(organisation["extra"]) == {"seat": "Rijswijk"}
    assert dict(frame["status"][0])["translate"] == "skipped: disabled"


def test_duckdb_reads_a_folder_of_parquet_shards_as_one_table(tmp_path: Path):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    with ShardedWriter(tmp_path, "parquet", shard_size=2) as writer:
        for index in range(5):
            writer.write(result(index))
    assert writer.shards == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    rows = duckdb.sql(
        f"select e.english, count(*) from (select unnest(entities) as e from '{tmp_path}/part-*.parquet') group by 1"
    ).fetchall()
    assert sorted(rows) == [("Immigration Service", 5), ("The Hague", 5)]


def test_a_shard_becomes_visible_only_when_complete(tmp_path: Path):
    with pytest.raises(RuntimeError), ShardedWriter(tmp_path, "jsonl", shard_size=2) as writer:
        for index in range(3):
            writer.write(result(index))
        assert [p.name for p in completed_shards(tmp_path)] == ["part-00000.jsonl"]
        raise RuntimeError("killed")
    assert [p.name for p in completed_shards(tmp_path)] == ["part-00000.jsonl"]
    assert written_ids(tmp_path) == {"r0", "r1"}


def test_a_resumed_writer_numbers_after_the_completed_shards_and_drops_stale_partials(tmp_path: Path):
    (tmp_path / "part-00000.jsonl").write_text(json.dumps(result(0)) + "\n", encoding="utf-8")
    (tmp_path / "part-00001.jsonl.partial").write_text('{"id": "half', encoding="utf-8")
    with ShardedWriter(tmp_path, "jsonl", shard_size=10) as writer:
        writer.write(result(1))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-00000.jsonl", "part-00001.jsonl"]
    assert written_ids(tmp_path) == {"r0", "r1"}
