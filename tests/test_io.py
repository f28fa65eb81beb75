"""Readers stream articles and turn unreadable input into located failures."""

from __future__ import annotations

from pathlib import Path

from pipeline.document import Article
from pipeline.io import JsonlWriter, ReadFailure, decode_bytes, read_inputs

DUTCH = "De gemeente Enschede wil dat café's langer open mogen."


def test_utf8_cp1252_and_latin1_are_all_decoded():
    assert decode_bytes(DUTCH.encode("utf-8")) == DUTCH
    assert decode_bytes(("\ufeff" + DUTCH).encode("utf-8")) == DUTCH
    assert (
        decode_bytes((DUTCH + " Één euro, geïnteresseerd, ‘zei’ hij.").encode("cp1252"))
        == DUTCH + " Één euro, geïnteresseerd, ‘zei’ hij."
    )


def test_binary_bytes_are_decoded_with_replacement_for_the_clean_stage_to_reject():
    text = decode_bytes(bytes(range(256)) * 100)
    assert "\ufffd" in text


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("tweede", encoding="utf-8")
    (tmp_path / "1.txt").write_text("eerste", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert items == [
        Article(text="eerste", id="1.txt", location=str(tmp_path / "1.txt")),
        Article(text="tweede", id="b/2.txt", location=str(tmp_path / "b" / "2.txt")),
    ]


def test_jsonl_failures_carry_file_and_line(tmp_path: Path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "goed"}\n\n[1, 2]\n{"text": 5}\n', encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert items[0] == Article(text="goed", location=f"{path}:1")
    assert items[1] == ReadFailure(f"{path}:3", "expected a JSON object, got list")
    assert items[2] == ReadFailure(f"{path}:4", "field 'text' must be a string, got int")


def test_writer_leaves_neither_a_final_file_nor_its_unresumable_partial_when_the_run_stops(tmp_path: Path):
    target = tmp_path / "out.jsonl"
    try:
        with JsonlWriter(target) as writer:
            writer.write({"id": "1"})
            assert (tmp_path / "out.jsonl.partial").exists()
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert list(tmp_path.iterdir()) == []


def test_latin1_and_utf16_with_either_byte_order_mark_decode_to_the_same_dutch():
    text = "Café … één … coöperatie".replace("…", "-")
    assert decode_bytes(text.encode("latin-1")) == text
    assert decode_bytes(("\ufeff" + text).encode("utf-16-le")) == text
    assert decode_bytes(("\ufeff" + text).encode("utf-16-be")) == text
    assert decode_bytes(text.encode("utf-16")) == text


def test_a_non_western_code_page_is_left_to_charset_detection():
    russian = "Новости дня: правительство объявило о новых мерах поддержки."
    assert decode_bytes(russian.encode("cp1251")) == russian
