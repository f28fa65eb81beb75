"""Sentence segmenters on the table of hard Dutch cases (``tests/segment_cases.py``): how many each gets right.

The candidates run line by line, as ``pipeline.segment.sentence_spans`` does
(a line break always ends a sentence), so the comparison is about what happens
inside a line: quotes, abbreviations, initials, numbers, ellipses, dashes.
A case counts as right only when every sentence matches exactly.

    python -m bench.segment              # the score table
    python -m bench.segment --failures   # also each candidate's wrong cases
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from pipeline.segment import split_sentences
from tests.segment_cases import CASES

if TYPE_CHECKING:
    import spacy.language

Splitter = Callable[[str], list[str]]


def by_line(split_line: Splitter) -> Splitter:
    """A splitter applied to each non-blank line, its sentences stripped."""

    def split(text: str) -> list[str]:
        return [s.strip() for line in text.split("\n") if line.strip() for s in split_line(line) if s.strip()]

    return split


def spacy_sentencizer() -> spacy.language.Language:
    """A blank Dutch spaCy pipeline with its rule-based sentencizer: the general library's answer, no model needed."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp


def candidates() -> dict[str, Splitter]:
    """Every installed segmenter, by name; a missing library is left out with a note."""
    found: dict[str, Splitter] = {"pipeline.segment": split_sentences}
    nlp = spacy_sentencizer()
    found["spacy-sentencizer"] = by_line(lambda line: [s.text for s in nlp(line).sents])
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="nl", clean=False)
        found["pysbd-nl"] = by_line(segmenter.segment)
    except ImportError:
        print("pysbd not installed: pip install 'nl-news-pipeline[bench]'")
    try:
        from sentence_splitter import SentenceSplitter

        moses = SentenceSplitter(language="nl")
        found["sentence-splitter-nl"] = by_line(moses.split)
    except ImportError:
        print("sentence-splitter not installed: pip install 'nl-news-pipeline[bench]'")
    return found


def score(split: Splitter) -> tuple[int, list[str]]:
    """Cases split exactly right, and the names of the others."""
    wrong = [name for name, text, expected in CASES if split(text) != expected]
    return len(CASES) - len(wrong), wrong


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list each candidate's wrong cases")
    args = parser.parse_args(argv)
    report = {}
    for name, split in candidates().items():
        right, wrong = score(split)
        report[name] = {"right": right, "cases": len(CASES), "accuracy": round(right / len(CASES), 3)}
        if args.failures:
            report[name]["wrong"] = wrong
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
