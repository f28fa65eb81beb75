"""Summaries: the article's key sentences (extractive), or a model's own words (abstractive).

Extractive, the default, needs no model. A news article puts its key facts
first and repeats its theme across the body, so a sentence scores by how
similar it is to the article as a whole (TF-IDF similarity to the centroid),
how early it comes (lead bias), how much it shares with the title, and how many
of the article's recurring entities (cities, organisations, years) it names.
Sentences are then picked by maximal marginal relevance, so a sentence that
repeats one already chosen loses to one that adds something. Only body text is
a candidate: headings, the title, "Lees ook" links, tip lines and photo credits
never make a summary, and every summary sentence is an exact slice of the text,
with its index in ``doc.sentences`` in ``summary_index``, so it can be traced
back and translated faithfully.

The ``transformers`` backend runs a seq2seq summarisation model
(``pipeline.stages.summarize.abstractive``). With ``after_translation`` either backend
summarises the English translation (``text_en``) into ``summary_en``; the
stage must then come after ``translate`` with ``full_text: true``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.nl.stop_words import STOP_WORDS

from pipeline.document import Entity, Result
from pipeline.segment import ensure_sentences, sentence_spans
from pipeline.stages.base import StageContext, StageSettings, ok, skip

if TYPE_CHECKING:
    from pipeline.stages.summarize.abstractive import Seq2SeqSummarizer

# Lines that point elsewhere or ask something of the reader, not news: Dutch
# calls to action, contact and tip lines, photo credits, links and phone numbers,
# calls for witnesses, pointers to embedded media ("hieronder"), embedded tweets,
# and questions (a summary states what happened; it does not ask).
# A trailing agency credit ``(ANP)`` marks a caption; the dateline form
# ``DEN HAAG (ANP) -`` opens a lead sentence and is deliberately not matched.
#: Openings of a line (after any punctuation) that address the reader.
_EXCLUDED_OPENINGS = (
    r"(lees|kijk|luister) (ook|meer|verder|hier|terug|het hele)\b",
    r"(bekijk|volg|abonneer|download|reageer|meld je|schrijf je)\b",
    r"deel (dit|dit artikel|het artikel|deze pagina)\b",
    r"meer (nieuws|over|lezen)\b",
    r"(foto|beeld|video|fotografie|tekst|bron|illustratie)\s*:",
    r"(heeft|hebt|heb|wilt|wil|weet|kent|ken) (u|je|jij)\b",
    r"neem (dan )?contact op\b",
    r"(klik|praat mee|mis niets|tip (de|ons|onze)|dit artikel)\b",
)
#: Phrases anywhere in a line, each starting at a word boundary.
_EXCLUDED_PHRASES = (
    r"heeft u (informatie|een tip|tips)\b",
    r"heb je (informatie|een tip|tips)\b",
    r"tips? (voor|naar) de redactie\b",
    r"bel (de politie|met|naar)?\s*\+?\d",
    r"0[89]00\b",
    r"(hieronder|hierboven)\b",
    r"gaat verder (onder|na)\b",
    r"getuigen\b.*\b(zich )?(te )?melden\b",
    r"wie (iets|meer) (weet|heeft gezien|heeft gehoord)\b",
    r"contact (op)?nemen met (de )?(politie|recherche|redactie)\b",
    r"tipformulier\b",
    r"via\s+[\w-]+\.(nl|com|be|org|eu|net)\b",
    r"www\.",
    r"pic\.twitter\.com",
)
#: Shapes: a question, a phone number, a link, an e-mail address (searched from its ``@``), an
#: embedded tweet's handle, an agency credit at the end.
_EXCLUDED_SHAPES = (
    r"\?[\"'”’»)]*$",
    r"(?<![\d.,])(\+31|0031|0)[1-9]\d{0,2}[- ]?\d{4,8}(?!\d|[.,]\d)",
    r"https?://",
    r"@(?<=[\w.+-]@)[\w-]+\.\w",
    r"\(@\w+\)",
    r"\((foto:?\s*)?(anp|afp|ap|epa|reuters|getty images|hollandse hoogte|shutterstock)(/[^)]*)?\)\W*$",
)
#: The openings and the phrases are one alternation each: a sentence is scanned a few times, not 25.
EXCLUDE_PATTERNS = (
    re.compile(r"^\W*(?:" + "|".join(_EXCLUDED_OPENINGS) + ")", re.IGNORECASE),
    re.compile(r"\b(?:" + "|".join(_EXCLUDED_PHRASES) + ")", re.IGNORECASE),
    *(re.compile(shape, re.IGNORECASE) for shape in _EXCLUDED_SHAPES),
)

#: Characters that end a sentence; a short line without one is a heading.
_FINAL_PUNCTUATION = tuple(".!?…:;\"'”’»")
#: Headings are short: longer unpunctuated lines are body text that lacks a full stop.
_HEADING_MAX_WORDS = 12
#: A sentence this similar (character-wise) to the title restates it; a lead that
#: rephrases the title with more facts stays a candidate.
_TITLE_SIMILARITY = 0.9

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset(STOP_WORDS) | frozenset(ENGLISH_STOP_WORDS)


class SummarizeSettings(StageSettings):
    """How a summary is made, how long it is and how its sentences are chosen."""

    backend: Literal["extractive", "transformers"] = Field(
        default="extractive",
        description=(
            "'extractive' picks sentences; needs no model and works for any language written with spaces. "
            "'transformers' writes a summary with a seq2seq model (summarize.model)."
        ),
    )
    sentences: int = Field(default=3, ge=1, description="The number of sentences an extractive summary aims for.")
    max_ratio: float = Field(
        default=0.4,
        gt=0.0,
        le=1.0,
        description=(
            "An extractive summary never has more than this share of the article's body sentences (at least one; "
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
            "Share of the score from position (1 for the first body sentence, falling as 1/rank): news puts "
            "the key facts in the lead. Centrality (TF-IDF similarity to the article's centroid) gets what the "
            "three weights leave."
        ),
    )
    title_weight: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="Share of the score from TF-IDF similarity to the title, which names the news in a few words.",
    )
    entity_weight: float = Field(
        default=0.15,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the score from the article's entities a sentence names (from the entities stage), each "
            "weighted by how often the article mentions it: who and where."
        ),
    )
    redundancy_penalty: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description=(
            "Maximal marginal relevance: each next sentence maximises (1 - penalty) * score - penalty * its "
            "highest similarity to a sentence already chosen."
        ),
    )
    redundancy_threshold: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description=(
            "A candidate whose TF-IDF cosine similarity to an already chosen sentence is above this "
            "is never chosen: it repeats that sentence."
        ),
    )
    after_translation: bool = Field(
        default=False,
        description=(
            "Summarise the English translation (text_en) into summary_en instead of the source text into summary; "
            "the stage must then run after translate with translate.full_text: true. English articles are "
            "summarised from their text into both fields."
        ),
    )
    model: str | None = Field(
        default=None,
        description="For backend 'transformers': a Hugging Face hub id or local directory of a seq2seq summariser.",
    )
    revision: str | None = Field(default=None, description="The hub revision of summarize.model; None is the newest.")
    prefix: str = Field(
        default="",
        description="Text put before every model input, e.g. 'summarize: ' for T5-style models.",
    )
    num_beams: int = Field(default=4, gt=0, description="Beam width of the abstractive model.")
    max_new_tokens: int = Field(
        default=128,
        gt=0,
        description="Longest abstractive summary of one chunk, in tokens (capped at the model's limit).",
    )
    max_input_tokens: int | None = Field(
        default=None,
        ge=8,
        description=(
            "Longest model input in tokens; longer articles are cut into chunks of whole sentences, each "
            "summarised, and the chunk summaries summarised again when they fit. None takes the model's limit."
        ),
    )
    batch_size: int = Field(default=8, gt=0, description="Chunks per abstractive model call.")

    @model_validator(mode="after")
    def _weights_leave_room_and_model_is_named(self) -> SummarizeSettings:
        if self.position_weight + self.title_weight + self.entity_weight > 1.0 + 1e-9:
            raise ValueError("position_weight + title_weight + entity_weight must not exceed 1")
        if self.backend == "transformers" and not self.model:
            raise ValueError("backend 'transformers' needs summarize.model (a hub id or a local directory)")
        return self


@dataclass(frozen=True)
class _Source:
    """What one document is summarised from: its text or its English translation."""

    text: str
    title: str | None
    sentences: list[tuple[int, int]]
    #: ``(start, end, key)`` of each entity mention, offsets into ``text``.
    mentions: list[tuple[int, int, str]]
    #: Whether the summary goes to ``summary_en`` (and ``summary`` too, for an English article).
    english: bool
    #: Whether ``sentences`` are ``doc.sentences``, so indices are provenance.
    aligned: bool


@dataclass(frozen=True)
class _Plan:
    """The body sentences of one document (the candidates, by index into its sentences) and how many to pick."""

    indices: list[int]
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
    ours, theirs = _normalized(sentence), _normalized(title)
    # The bound on lengths alone (SequenceMatcher's real_quick_ratio) rules out most sentences before a
    # matcher is built; quick_ratio is the next cheapest bound.
    if 2 * min(len(ours), len(theirs)) < _TITLE_SIMILARITY * (len(ours) + len(theirs)):
        return False
    matcher = SequenceMatcher(None, ours, theirs)
    return matcher.quick_ratio() >= _TITLE_SIMILARITY and matcher.ratio() >= _TITLE_SIMILARITY


def _normalized(sentence: str) -> str:
    return " ".join(_WORD.findall(sentence.lower()))


def is_body_sentence(sentence: str, title: str | None) -> bool:
    """Whether ``sentence`` may be part of a summary: not a heading, a link or credit, or the title."""
    return not (is_heading(sentence) or is_excluded(sentence) or restates_title(sentence, title))


def content_words(sentence: str) -> list[str]:
    """Lowercased word tokens without Dutch or English stop words or single characters."""
    return [word for word in _WORD.findall(sentence.lower()) if len(word) > 1 and word not in _STOP_WORDS]


def tfidf_vectors(sentences: list[str]) -> np.ndarray:
    """Unit-length smoothed TF-IDF rows, one per sentence, each sentence a document for IDF.

    Words that occur in every sentence weigh little, and the article's recurring
    specific terms weigh most.
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
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


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


def entity_coverage(spans: list[tuple[int, int]], mentions: list[tuple[int, int, str]]) -> np.ndarray:
    """How much of the article's entity mass each sentence names: who, where and when.

    Each distinct entity weighs as often as the article mentions it, so the
    city the story is about outweighs one named in passing; a sentence counts
    each entity once.
    """
    weights = Counter(key for _, _, key in mentions)
    total = sum(weights.values())
    coverage = np.zeros(len(spans))
    if not total:
        return coverage
    for row, (start, end) in enumerate(spans):
        named = {key for mention_start, mention_end, key in mentions if start <= mention_start and mention_end <= end}
        coverage[row] = sum(weights[key] for key in named) / total
    return coverage


def select_mmr(scores: np.ndarray, similarities: np.ndarray, count: int, penalty: float, threshold: float) -> list[int]:
    """Pick ``count`` indices by maximal marginal relevance, never two more similar than ``threshold``.

    Ties go to the earlier sentence, so the result is deterministic.
    """
    chosen: list[int] = []
    remaining = list(range(len(scores)))
    while remaining and len(chosen) < count:
        redundancy = {i: max((similarities[i, j] for j in chosen), default=0.0) for i in remaining}
        allowed = [i for i in remaining if redundancy[i] <= threshold]
        if not allowed:
            break
        best = max(allowed, key=lambda i: ((1 - penalty) * scores[i] - penalty * redundancy[i], -i))
        chosen.append(best)
        remaining.remove(best)
    return chosen


def position_prior(count: int) -> np.ndarray:
    """1 for the first body sentence, falling as 1/rank: the lead carries the news."""
    return 1.0 / np.arange(1, count + 1)


def _scaled(values: np.ndarray) -> np.ndarray:
    """Values divided by their maximum, so each feature spans [0, 1] whatever the article."""
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


class SummarizeStage:
    """Set ``summary`` (or ``summary_en``) to the article's key content.

    Extractive summaries are exact slices of the text in article order, with
    their sentence indices in ``summary_index``.
    """

    name: ClassVar[str] = "summarize"
    Settings: ClassVar[type[SummarizeSettings]] = SummarizeSettings
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("summary", "summary_index")

    @classmethod
    def contract(cls, settings: SummarizeSettings) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(requires, assigns)`` for these settings: after translation it reads ``text_en``."""
        if settings.after_translation:
            return ("text_en",), ("summary", "summary_en", "summary_index")
        return cls.requires, cls.assigns

    def __init__(self, settings: SummarizeSettings, context: StageContext) -> None:
        self.settings = settings
        self.model_id: str | None = None
        self.summarizer: Seq2SeqSummarizer | None = None
        if settings.backend == "transformers":
            from pipeline.stages.summarize.abstractive import Seq2SeqSummarizer

            self.summarizer = Seq2SeqSummarizer(self.name, settings, context)
            self.model_id = self.summarizer.model_id

    def __call__(self, docs: list[Result]) -> list[Result]:
        sources = [self._source(doc) for doc in docs]
        plans = [self._prepare(source) if isinstance(source, _Source) else source for source in sources]
        if self.summarizer is not None:
            return self._abstract(docs, sources, plans)
        for doc, source, plan in zip(docs, sources, plans):
            if isinstance(plan, str):
                self._skip(doc, plan)
                continue
            assert isinstance(source, _Source)
            chosen = self._predict(source, plan)
            spans = [source.sentences[index] for index in chosen]
            self._write(doc, source, [source.text[start:end] for start, end in spans], chosen)
            ok(doc, self.name, "article shorter than summary" if plan.whole else None)
        return docs

    def _source(self, doc: Result) -> _Source | str:
        """The text to summarise and its sentences, or why there is none."""
        english_article = doc.language == "en"
        if not self.settings.after_translation or (english_article and doc.text_en is None):
            mentions = [(e.start, e.end, _entity_key(e)) for e in doc.entities]
            return _Source(doc.text, doc.title, ensure_sentences(doc), mentions, english_article, aligned=True)
        if doc.text_en is None:
            return "no English text to summarise (needs translate with full_text: true before summarize)"
        mentions = _name_mentions(doc.text_en, doc.entities)
        title = doc.title_en or None
        return _Source(doc.text_en, title, sentence_spans(doc.text_en), mentions, english=True, aligned=False)

    def _prepare(self, source: _Source) -> _Plan | str:
        """The candidate sentences and the summary length, from the article's shape alone."""
        if not source.text.strip():
            return "empty text"
        candidates = [
            index
            for index, (start, end) in enumerate(source.sentences)
            if is_body_sentence(source.text[start:end], source.title)
        ]
        if not candidates:
            return "no body sentences (only headings, title, links or credits)"
        if len(candidates) < self.settings.min_sentences:
            return _Plan(candidates, len(candidates), whole=True)
        share = math.floor(self.settings.max_ratio * len(candidates) + 1e-9)
        return _Plan(candidates, max(1, min(self.settings.sentences, share)))

    def _predict(self, source: _Source, plan: _Plan) -> list[int]:
        """Indices (into the source's sentences) of the chosen candidates, in article order."""
        if plan.whole:
            return plan.indices
        settings = self.settings
        spans = [source.sentences[index] for index in plan.indices]
        texts = [source.text[start:end] for start, end in spans]
        has_title = bool(source.title and content_words(source.title))
        vectors = tfidf_vectors(texts + [source.title] if has_title else texts)
        similarities = vectors[: len(texts)] @ vectors[: len(texts)].T
        centrality = _scaled(centroid_similarity(similarities))
        position = position_prior(len(texts))
        title = _scaled(vectors[: len(texts)] @ vectors[-1]) if has_title else np.zeros(len(texts))
        entities = _scaled(entity_coverage(spans, source.mentions))
        rest = 1 - settings.position_weight - settings.title_weight - settings.entity_weight
        scores = (
            rest * centrality
            + settings.position_weight * position
            + settings.title_weight * title
            + settings.entity_weight * entities
        )
        chosen = select_mmr(
            scores, similarities, plan.count, settings.redundancy_penalty, settings.redundancy_threshold
        )
        return sorted(plan.indices[index] for index in chosen)

    def _abstract(self, docs: list[Result], sources: list[_Source | str], plans: list[_Plan | str]) -> list[Result]:
        """Summarise the body sentences of every document with the model, in one batched pass."""
        assert self.summarizer is not None
        bodies: list[list[str]] = []
        for source, plan in zip(sources, plans):
            if isinstance(plan, _Plan):
                assert isinstance(source, _Source)
                bodies.append([source.text[start:end] for start, end in (source.sentences[i] for i in plan.indices)])
            else:
                bodies.append([])
        summaries = self.summarizer.summarize([body for body in bodies if body])
        outputs = iter(summaries)
        for doc, source, plan in zip(docs, sources, plans):
            if isinstance(plan, str):
                self._skip(doc, plan)
                continue
            assert isinstance(source, _Source)
            summary = next(outputs)
            self._write(doc, source, summary.sentences, [])
            if not summary.sentences:
                skip(doc, self.name, "the model produced no text")
            else:
                ok(doc, self.name, f"{summary.chunks} chunks" if summary.chunks > 1 else None)
        return docs

    def _skip(self, doc: Result, reason: str) -> None:
        """Empty summary fields and the reason, so a skipped article never keeps a stale summary."""
        self._write(doc, None, [], [])
        skip(doc, self.name, reason)

    def _write(self, doc: Result, source: _Source | None, sentences: list[str], indices: list[int]) -> None:
        """Fill the summary fields; indices are provenance only when they index ``doc.sentences``."""
        after = self.settings.after_translation
        english_only = after and source is not None and source.english and not source.aligned
        doc.summary = [] if english_only else sentences
        doc.summary_index = indices if source is not None and source.aligned else []
        if after:
            doc.summary_en = sentences if source is not None and source.english else None


def _entity_key(entity: Entity) -> str:
    return f"{entity.label}:{entity.canonical or entity.text}"


def _name_mentions(text: str, entities: list[Entity]) -> list[tuple[int, int, str]]:
    """Where the English names of the source's entities occur in its translation."""
    mentions = []
    for key, name in {_entity_key(e): e.english or e.text for e in entities}.items():
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            mentions.append((match.start(), match.end(), key))
    return mentions
