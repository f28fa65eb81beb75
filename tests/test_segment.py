"""The shared segmenter on hard Dutch news sentences: quotes, abbreviations, initials, numbers, lines."""

import pytest

from pipeline.document import Result
from pipeline.segment import ensure_sentences, sentence_spans, split_sentences
from tests.segment_cases import CASES


@pytest.mark.parametrize(
    ("text", "expected"), [(text, sentences) for _, text, sentences in CASES], ids=[c[0] for c in CASES]
)
def test_hard_case_is_split_where_a_reader_splits(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_the_table_is_large_and_its_names_unique() -> None:
    assert len(CASES) >= 80
    assert len({name for name, _, _ in CASES}) == len(CASES)


def test_spans_are_trimmed_slices_of_the_text() -> None:
    text = "  Eerste zin.   Tweede zin.  \n\n Kop zonder punt \n"
    spans = sentence_spans(text)
    assert [text[start:end] for start, end in spans] == ["Eerste zin.", "Tweede zin.", "Kop zonder punt"]
    assert all(not text[start].isspace() and not text[end - 1].isspace() for start, end in spans)


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n\t ") == []


def test_ensure_sentences_segments_once() -> None:
    doc = Result(id="a", text="Eerste zin. Tweede zin.")
    first = ensure_sentences(doc)
    assert first == [(0, 11), (12, 23)]
    assert ensure_sentences(doc) is first
