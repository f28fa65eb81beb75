"""Sentence segmentation shared by every stage, so text is split once and the same way.

Paragraphs (lines) are segmented separately: a heading such as ``Geen afname``
has no full stop and must not be glued to the paragraph under it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.document import Result

if TYPE_CHECKING:
    import spacy.language

_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def sentencizer() -> spacy.language.Language:
    """A blank Dutch pipeline with the rule-based sentencizer; cheap, no model needed."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**8
    return nlp


def sentence_spans(text: str, nlp: spacy.language.Language | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, line by line, whitespace trimmed."""
    nlp = nlp or sentencizer()
    lines = [match for match in _LINE.finditer(text) if match.group().strip()]
    spans: list[tuple[int, int]] = []
    for match, doc in zip(lines, nlp.pipe(match.group() for match in lines)):
        for sentence in doc.sents:
            start = match.start() + sentence.start_char
            end = match.start() + sentence.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
    return spans


def ensure_sentences(doc: Result) -> list[tuple[int, int]]:
    """The document's sentences, segmenting now if no earlier stage did."""
    if doc.sentences is None:
        doc.sentences = sentence_spans(doc.text)
    return doc.sentences
