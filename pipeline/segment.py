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
    import spacy.tokens

_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def sentencizer() -> spacy.language.Language:
    """A blank Dutch pipeline with the rule-based sentencizer; cheap, no model needed."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**8
    return nlp


def parse_lines(text: str, nlp: spacy.language.Language | None = None) -> list[tuple[int, spacy.tokens.Doc]]:
    """Each non-blank line of ``text`` as (its start offset, its spaCy doc).

    Stages that need more than sentences from the same pass (a trained
    pipeline's entities) use this, so the text is parsed once.
    """
    nlp = nlp or sentencizer()
    lines = [match for match in _LINE.finditer(text) if match.group().strip()]
    return [(match.start(), doc) for match, doc in zip(lines, nlp.pipe(match.group() for match in lines))]


def spans_of(text: str, parsed: list[tuple[int, spacy.tokens.Doc]]) -> list[tuple[int, int]]:
    """Character spans of the sentences of parsed lines, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for offset, doc in parsed:
        for sentence in doc.sents:
            start = offset + sentence.start_char
            end = offset + sentence.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
    return spans


def sentence_spans(text: str, nlp: spacy.language.Language | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, line by line, whitespace trimmed."""
    return spans_of(text, parse_lines(text, nlp))


def ensure_sentences(doc: Result) -> list[tuple[int, int]]:
    """The document's sentences, segmenting now if no earlier stage did."""
    if doc.sentences is None:
        doc.sentences = sentence_spans(doc.text)
    return doc.sentences
