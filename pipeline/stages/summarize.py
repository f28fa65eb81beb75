"""Extractive summaries: the most central sentences of the article, in article order.

A news article puts its key facts first and repeats its theme across the body,
so a sentence scores by how similar it is to the article as a whole (TF-IDF
similarity to the article's centroid) and by how early it comes (lead bias). Sentences are then picked
greedily, dropping any that repeat one already picked. Only body text is a
candidate: headings, the title, "Lees ook" links, tip lines and photo credits
never make a summary, and every summary sentence is an exact slice of
``doc.text``, so it can be traced back and translated faithfully.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field
from spacy.lang.nl.stop_words import STOP_WORDS

from pipeline.document import Result
from pipeline.segment import ensure_sentences
from pipeline.stages.base import StageContext, StageSettings, ok, skip

#: Lines that point elsewhere or ask something of the reader, not news: Dutch
#: calls to action, contact and tip lines, photo credits, links and phone numbers,
#: and questions (a summary states what happened; it does not ask).
#: A trailing agency credit ``(ANP)`` marks a caption; the dateline form
#: ``DEN HAAG (ANP) -`` opens a lead sentence and is deliberately not matched.
EXCLUDE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^\W*(lees|kijk|luister) (ook|meer|verder|hier|terug|het hele)\b",
        r"^\W*(bekijk|volg|abonneer|download|reageer|meld je|schrijf je)\b",
        r"^\W*deel (dit|dit artikel|het artikel|deze pagina)\b",
        r"^\W*meer (nieuws|over|lezen)\b",
        r"^\W*(foto|beeld|video|fotografie|tekst|bron|illustratie)\s*:",
        r"\bheeft u (informatie|een tip|tips)\b",
        r"^\W*(heeft|hebt|heb|wilt|wil|weet|kent|ken) (u|je|jij)\b",
        r"^\W*neem (dan )?contact op\b",
        r"\?[\"'”’»)]*$",
        r"\bheb je (informatie|een tip|tips)\b",
        r"\btips? (voor|naar) de redactie\b",
        r"\bbel (de politie|met|naar)?\s*\+?\d",
        r"\b0[89]00\b",
        r"(?<![\d.,])(\+31|0031|0)[1-9]\d{0,2}[- ]?\d{4,8}(?!\d|[.,]\d)",
        r"https?://|\bwww\.",
        r"[\w.+-]+@[\w-]+\.\w",
        r"\((foto:?\s*)?(anp|afp|ap|epa|reuters|getty images|hollandse hoogte|shutterstock)(/[^)]*)?\)\W*$",
    )
)

#: Characters that end a sentence; a short line without one is a heading.
_FINAL_PUNCTUATION = tuple(".!?…:;\"'”’»")
#: Headings are short: longer unpunctuated lines are body text that lacks a full stop.
_HEADING_MAX_WORDS = 12
#: A sentence this similar (character-wise) to the title restates it; a lead that
#: rephrases the title with more facts stays a candidate.
_TITLE_SIMILARITY = 0.9

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset(STOP_WORDS)


class SummarizeSettings(StageSettings):
    """How long a summary is and how its sentences are chosen."""

    backend: Literal["extractive"] = Field(
        default="extractive",
        description="Sentence extraction; needs no model and works for any language written with spaces.",
    )
    sentences: int = Field(default=3, ge=1, description="The number of sentences a summary aims for.")
    max_ratio: float = Field(
        default=0.4,
        gt=0.0,
        le=1.0,
        description=(
            "A summary never has more than this share of the article's body sentences (at least one; "
            "headings, links and credits not counted), so a short article is not merely repeated."
        ),
    )
    min_sentences: int = Field(
        default=3,
        ge=1,
        description=(
            "Articles with fewer body sentences than this are returned whole, status "
            "'ok: article shorter than summary': cutting them would only lose facts."
        ),
    )
    position_weight: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the score that comes from position (1 for the first body sentence, falling as 1/rank); "
            "news puts the key facts in the lead. The rest is TF-IDF similarity to the article's centroid."
        ),
    )
    redundancy_threshold: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description=(
            "A candidate whose TF-IDF cosine similarity to an already chosen sentence is above this "
            "is dropped as repeating it."
        ),
    )


@dataclass(frozen=True)
class _Plan:
    """The body sentences of one document (the candidates) and how many to pick."""

    spans: list[tuple[int, int]]
    count: int
    skip_reason: str | None = None
    whole: bool = False


def is_excluded(sentence: str) -> bool:
    """Whether ``sentence`` is a link, call to action, contact line or credit, never a summary."""
    return any(pattern.search(sentence) for pattern in EXCLUDE_PATTERNS)


def is_heading(sentence: str) -> bool:
    """A short line without final punctuation, such as ``Geen afname`` above a paragraph."""
    stripped = sentence.rstrip()
    return not stripped.endswith(_FINAL_PUNCTUATION) and len(stripped.split()) <= _HEADING_MAX_WORDS


def restates_title(sentence: str, title: str | None) -> bool:
    """Whether ``sentence`` is the title again, possibly with a full stop or small edits."""
    if not title or not title.strip():
        return False
    matcher = SequenceMatcher(None, _normalized(sentence), _normalized(title))
    # The quick ratios are cheap upper bounds; most sentences fail them and skip the full comparison.
    bounds = (matcher.real_quick_ratio, matcher.quick_ratio, matcher.ratio)
    return all(bound() >= _TITLE_SIMILARITY for bound in bounds)


def _normalized(sentence: str) -> str:
    return " ".join(_WORD.findall(sentence.lower()))


def is_body_sentence(sentence: str, title: str | None) -> bool:
    """Whether ``sentence`` may be part of a summary: not a heading, a link or credit, or the title."""
    return not (is_heading(sentence) or is_excluded(sentence) or restates_title(sentence, title))


def content_words(sentence: str) -> list[str]:
    """Lowercased word tokens without Dutch stop words or single characters."""
    return [word for word in _WORD.findall(sentence.lower()) if len(word) > 1 and word not in _STOP_WORDS]


def tfidf_similarities(sentences: list[str]) -> np.ndarray:
    """Cosine similarity between every pair of sentences, over smoothed TF-IDF vectors.

    Each sentence is a document for IDF, so words that occur in every sentence
    weigh little and the article's recurring specific terms weigh most.
    """
    tokens = [Counter(content_words(sentence)) for sentence in sentences]
    vocabulary = {word: index for index, word in enumerate(sorted(set().union(*tokens)))}
    counts = np.zeros((len(sentences), len(vocabulary)))
    for row, counter in enumerate(tokens):
        for word, count in counter.items():
            counts[row, vocabulary[word]] = count
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(sentences)) / (1 + document_frequency)) + 1
    vectors = np.log1p(counts) * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return vectors @ vectors.T


def centroid_similarity(similarities: np.ndarray) -> np.ndarray:
    """Each sentence's cosine similarity to the article's centroid (the sum of its sentence vectors).

    Computed from the pairwise similarities alone, since ``|sum v|^2`` is their
    total. The centroid includes the sentence itself, so in a loosely connected
    article all sentences score alike and position decides, instead of small
    chance overlaps.
    """
    total = similarities.sum()
    if total <= 0:
        return np.zeros(len(similarities))
    return similarities.sum(axis=1) / np.sqrt(total)


class SummarizeStage:
    """Set ``summary`` to the article's key sentences, exact slices of its text in article order."""

    name: ClassVar[str] = "summarize"
    Settings: ClassVar[type[SummarizeSettings]] = SummarizeSettings
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("summary",)

    def __init__(self, settings: SummarizeSettings, context: StageContext) -> None:
        self.settings = settings
        self.model_id: str | None = None

    def __call__(self, docs: list[Result]) -> list[Result]:
        for doc in docs:
            plan = self._prepare(doc.text, doc.title, ensure_sentences(doc))
            self._apply(doc, plan, self._predict(doc.text, plan))
        return docs

    def _prepare(self, text: str, title: str | None, sentences: list[tuple[int, int]]) -> _Plan:
        """The candidate sentences and the summary length, from the article's shape alone."""
        if not text.strip():
            return _Plan([], 0, "empty text")
        candidates = [(start, end) for start, end in sentences if is_body_sentence(text[start:end], title)]
        if not candidates:
            return _Plan([], 0, "no body sentences (only headings, title, links or credits)")
        if len(candidates) < self.settings.min_sentences:
            return _Plan(candidates, len(candidates), whole=True)
        share = math.floor(self.settings.max_ratio * len(candidates) + 1e-9)
        return _Plan(candidates, max(1, min(self.settings.sentences, share)))

    def _predict(self, text: str, plan: _Plan) -> list[tuple[int, int]]:
        """Pick the best-scoring, mutually non-redundant candidates, returned in article order."""
        if plan.skip_reason is not None or plan.whole:
            return plan.spans
        similarities = tfidf_similarities([text[start:end] for start, end in plan.spans])
        centrality = centroid_similarity(similarities)
        if centrality.max() > 0:
            centrality = centrality / centrality.max()
        count = len(plan.spans)
        position = 1.0 / np.arange(1, count + 1)
        weight = self.settings.position_weight
        scores = (1 - weight) * centrality + weight * position
        chosen: list[int] = []
        for index in sorted(range(count), key=lambda i: (-scores[i], i)):
            if len(chosen) == plan.count:
                break
            if all(similarities[index, other] <= self.settings.redundancy_threshold for other in chosen):
                chosen.append(index)
        return [plan.spans[index] for index in sorted(chosen)]

    def _apply(self, doc: Result, plan: _Plan, spans: list[tuple[int, int]]) -> None:
        doc.summary = [doc.text[start:end] for start, end in spans]
        if plan.skip_reason is not None:
            skip(doc, self.name, plan.skip_reason)
        elif plan.whole:
            ok(doc, self.name, "article shorter than summary")
        else:
            ok(doc, self.name)
