"""Language detection: per document and per paragraph, deterministic, on bounded samples.

The decision itself lives in ``pipeline.stages.detect.language``: a fast n-gram detector
(py3langid by default; lingua and seeded langdetect are available) whose
log-probabilities are combined with marker words of Dutch and its neighbours,
the source's declared language and a prior for the languages of Dutch news,
then calibrated. This module decides what is read: the title and the leading
paragraphs for the document as a whole (a multi-megabyte dump entry is never
scanned in full for that), then each paragraph on its own, so an English quote
in a Dutch article is marked as English and an article that is mostly English
is routed as English. Lines of names, numbers and scores (a results table)
carry no language of their own and are not judged; a text made of nothing
else is judged on the few prose words between its names, or left ``und``.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, ClassVar

from pydantic import Field

from pipeline.document import UNDETERMINED, Result
from pipeline.stages.base import StageContext, StageSettings, ok, register_stage, skip
from pipeline.stages.detect.language import (
    OTHER_PRIOR,
    PRIORS,
    BackendName,
    DutchLexicon,
    LanguageIdentifier,
    ProseEvidence,
    build_backend,
    unknown_script,
)

__all__ = ["UNDETERMINED", "DetectSettings", "DetectStage"]

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_CAPITALS = string.ascii_uppercase.encode()


def _letters_and_capitals(text: str) -> tuple[int, int]:
    """``sum(map(str.isalpha, text))`` and ``sum(map(str.isupper, text))``, without a call per character.

    The ASCII characters are counted in C (the letters a byte translation deletes); only the others, few in a
    Latin text, are asked one by one, so the counts are those of the string methods for any text. Whether a text
    is all ASCII Python knows without reading it: such a text is not scanned for the others.
    """
    ascii_bytes = text.encode("ascii", "ignore")
    others = [] if text.isascii() else _NON_ASCII.findall(text)
    letters = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTERS)) + sum(map(str.isalpha, others))
    capitals = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_CAPITALS)) + sum(map(str.isupper, others))
    return letters, capitals


class DetectSettings(StageSettings):
    """How the language of an article and of its paragraphs is detected."""

    backend: BackendName = Field(
        default="py3langid+lingua",
        description=(
            "The n-gram detector under the decision (python -m bench.language compares them): "
            "py3langid, with lingua's opinion averaged in on short samples, measured best; "
            "py3langid alone is fastest; lingua has no Frisian; seeded langdetect is the old, slow baseline."
        ),
    )
    seed: int = Field(
        default=0,
        description="Seed of langdetect's random n-gram sampling; fixed so that a run is reproducible.",
    )
    low_accuracy: bool = Field(
        default=True,
        description="lingua backend only: its trigram-only mode, several times faster, weaker on short text.",
    )
    priors: dict[str, float] = Field(
        default_factory=lambda: dict(PRIORS),
        description=(
            "Prior log-odds of the languages the input is expected to hold (ISO 639-1), Dutch first; "
            "a two-word Dutch headline is then not called Afrikaans, Norwegian or Luxembourgish."
        ),
    )
    other_prior: float = Field(
        default=OTHER_PRIOR,
        description="Prior log-odds of every language not in priors; finite, so long foreign text is still named.",
    )
    declared_weight: float = Field(
        default=2.0,
        ge=0.0,
        description=(
            "Log-odds added to the language the input declares (its 'language' field): decisive for "
            "a headline, outweighed by a paragraph of text in another language."
        ),
    )
    min_chars: int = Field(
        default=2,
        ge=1,
        description="Samples shorter than this (whitespace collapsed) get language 'und' and no score.",
    )
    min_letter_ratio: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Samples whose share of letters among non-space characters is below this get 'und': "
            "tables of numbers or symbols carry no language."
        ),
    )
    sample_chars: int = Field(
        default=1000,
        ge=100,
        description=(
            "The title plus the first paragraphs up to this many characters decide the document: "
            "more text no longer changes the answer, only the time."
        ),
    )
    min_paragraph_chars: int = Field(
        default=40,
        ge=1,
        description=(
            "Shorter paragraphs (headings, datelines, names) are not judged on their own: "
            "they belong to the paragraph before them, or to the document's language."
        ),
    )
    paragraph_chars: int = Field(
        default=150,
        ge=20,
        description="Each paragraph is judged on at most its first this many characters.",
    )
    min_prose_words: int = Field(
        default=3,
        ge=0,
        description=(
            "A paragraph (or a many-line text's sample) with fewer prose words than this, lower-case words "
            "outside names, is not judged on its own reading: a line of a results table (names, countries, "
            "times, scores) reads as Frisian or Galician as easily as Dutch."
        ),
    )
    min_prose_share: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description=(
            "...nor one where prose words are fewer than this share of its tokens. Dutch news sentences hold "
            "70-90% (name-heavy ones 20-40%, and are then read with their neighbours), results lines under 10%."
        ),
    )
    min_list_words: int = Field(
        default=6,
        ge=1,
        description=(
            "A text without prose is given a language only on at least this many prose words between its names; "
            "with fewer it gets 'und' (processed as unknown, not skipped as foreign) rather than a guess."
        ),
    )
    list_scan_chars: int = Field(
        default=20_000,
        ge=100,
        description=(
            "A many-line text without prose in its sample (a winners list, a draw) is judged on the prose words "
            "found in at most this many characters of it: the few words between the names."
        ),
    )
    confirm_probability: float = Field(
        default=0.9,
        gt=0.0,
        le=1.0,
        description=(
            "A paragraph the n-gram detector alone gives to the language of the paragraph before, with at "
            "least this probability, stays in that language without the whole decision (one detector call "
            "instead of markers, word list and calibration). On the labelled lines of 40 characters and more "
            "no wrong language passed at 0.9; 1.0 sends every paragraph through the whole decision."
        ),
    )
    lexicon: bool = Field(
        default=True,
        description=(
            "Check samples of a few words against a Dutch word list (simplemma), so Frisian or "
            "Afrikaans words that merely look Dutch are not called Dutch."
        ),
    )
    paragraphs: bool = Field(
        default=True,
        description="Also detect each paragraph (line), filling paragraph_languages when they differ.",
    )
    max_paragraphs: int = Field(
        default=1000,
        ge=2,
        description="Texts with more paragraphs are judged on the sample only (bounded work per record).",
    )


@dataclass(frozen=True)
class _Sample:
    """What the detector reads for one document, or why it reads nothing."""

    text: str
    skip_reason: str | None = None
    #: Too little prose to be read whole (a list or a table): the prose words between its names are read instead.
    prose_poor: bool = False


@dataclass(frozen=True)
class _Reading:
    """What the detector will read of one document, worked out for the whole batch before anything is read.

    ``heads`` holds, per paragraph, the start of it that is judged, or ``None`` for a paragraph too short or
    with too little prose to judge; it is empty when the document is not read by paragraph. ``lead`` is the
    leading sample when the document is read on that from the start (otherwise only if no paragraph decides).
    """

    spans: list[tuple[int, int]]
    heads: list[str | None] = field(default_factory=list)
    lead: _Sample | None = None

    def texts(self) -> list[str]:
        """The texts the detector will be asked about."""
        texts = [head for head in self.heads if head is not None]
        if self.lead is not None and self.lead.skip_reason is None and not self.lead.prose_poor:
            texts.append(self.lead.text)
        return texts


def _sample_text(title: str | None, text: str, max_chars: int) -> str:
    """The title and the leading paragraphs of ``text``, at most ``max_chars`` characters.

    Paragraphs are taken whole while they fit; the one that does not is cut at
    a word boundary, so no half word adds a misleading n-gram.
    """
    parts: list[str] = []
    budget = max_chars
    leading = [title] if title and title.strip() else []
    for paragraph in chain(leading, (match.group() for match in _PARAGRAPH.finditer(text))):
        paragraph = _collapsed_beyond(paragraph, budget)
        if len(paragraph) > budget:
            cut = paragraph[:budget]
            if paragraph[budget] != " " and " " in cut:
                cut = cut.rsplit(" ", 1)[0]
            parts.append(cut)
            break
        parts.append(paragraph)
        budget -= len(paragraph) + 1
        if budget <= 0:
            break
    return "\n".join(parts)


def _collapsed_beyond(paragraph: str, budget: int) -> str:
    """``" ".join(paragraph.split())``, or a start of it longer than ``budget`` characters where it is longer.

    Collapsing whitespace keeps every word and only shortens the text, so the collapse of a start of the paragraph
    is a start of the collapsed paragraph: a long paragraph, of which a sample keeps ``budget`` characters, is not
    split into all its words. Where the characters read for it, an eighth more than it needs, collapse to ``budget`` or
    fewer (runs of whitespace), the whole is collapsed.
    """
    reach = budget + budget // 8 + 1
    if len(paragraph) > reach:
        head = " ".join(paragraph[:reach].split())
        if len(head) > budget:
            return head
    return " ".join(paragraph.split())


@register_stage("detect")
class DetectStage:
    """Set ``language`` (ISO 639-1), ``language_score`` (its calibrated probability) and ``paragraph_languages``.

    ``paragraph_languages`` is ``None`` when every paragraph is in ``language``
    (the common case, and nothing to act on); otherwise it lists runs of
    consecutive paragraphs in one language as ``{start, end, language, score}``,
    character offsets into ``text``, covering every paragraph. ``language`` is
    then the language of most characters. Undetectable documents get ``und``
    and a score of ``None``, not ``0.0``: no probability was measured.
    """

    Settings: ClassVar[type[DetectSettings]] = DetectSettings
    requires: ClassVar[tuple[str, ...]] = ("text", "title", "declared_language")
    assigns: ClassVar[tuple[str, ...]] = ("language", "language_score", "paragraph_languages")

    def __init__(self, settings: DetectSettings, context: StageContext) -> None:
        self.settings = settings
        backend = build_backend(
            settings.backend,
            seed=settings.seed,
            languages=settings.priors,
            low_accuracy=settings.low_accuracy,
        )
        lexicon = DutchLexicon() if settings.lexicon else None
        self.model_id: str | None = backend.model_id + (f"+{lexicon.model_id}" if lexicon else "")
        self.identifier = LanguageIdentifier(
            backend,
            priors=settings.priors,
            other_prior=settings.other_prior,
            declared_weight=settings.declared_weight,
            lexicon=lexicon,
        )

    def __call__(self, docs: list[Result]) -> list[Result]:
        # What every document will be asked about is known before any answer: the detector reads it all at once.
        readings = [self._reading(doc) for doc in docs]
        self.identifier.prepare(text for reading in readings for text in reading.texts())
        for doc, reading in zip(docs, readings):
            self._detect(doc, reading)
        return docs

    def _reading(self, doc: Result) -> _Reading:
        """The paragraphs ``doc`` is judged by, or the leading sample it is judged on."""
        if not doc.text.strip():
            return _Reading([])
        spans = [match.span() for match in _PARAGRAPH.finditer(doc.text)]
        if self.settings.paragraphs and 2 <= len(spans) <= self.settings.max_paragraphs:
            return _Reading(spans, heads=[self._judged_head(doc.text, start, end) for start, end in spans])
        return _Reading(spans, lead=self._lead(doc, spans))

    def _judged_head(self, text: str, start: int, end: int) -> str | None:
        """The start of the paragraph ``text[start:end]`` that is judged, or ``None`` if it is not judged on its own."""
        if end - start < self.settings.min_paragraph_chars:
            return None
        head = text[start : min(end, start + self.settings.paragraph_chars)]
        return None if self._evidence_poor(head) else head

    def _lead(self, doc: Result, spans: list[tuple[int, int]]) -> _Sample:
        """The title and leading paragraphs, prepared; a many-line text with too little prose in them is prose-poor."""
        text = _sample_text(doc.title, doc.text, self.settings.sample_chars)
        if len(spans) >= 2 and self._evidence_poor(text):
            return _Sample(text, prose_poor=True)
        return self._prepare(text)

    def _prepare(self, text: str) -> _Sample:
        """The sample to detect on, or the reason there is nothing worth detecting."""
        if not text.strip():
            return _Sample("", "empty text")
        chunks = text.split()  # drops exactly the str.isspace characters: the rest are visible
        (letters, capitals), visible = _letters_and_capitals(text), sum(map(len, chunks))
        if letters < self.settings.min_letter_ratio * visible:
            return _Sample(text, f"mostly non-letters ({letters} letters in {visible} characters)")
        script = unknown_script(text)
        if script is not None:
            return _Sample(text, f"no detector knows the {script.title()} script")
        length = visible + len(chunks) - 1  # with whitespace collapsed
        if length < self.settings.min_chars:
            return _Sample(text, f"text too short ({length} characters)")
        if capitals * 2 > letters:
            # Detectors skip or misread all-capital words (acronyms), so shouted text would be judged on noise.
            return _Sample(text.lower())
        return _Sample(text)

    def _detect(self, doc: Result, reading: _Reading) -> None:
        doc.paragraph_languages = None
        if not reading.spans:
            return self._undetermined(doc, "empty text")
        note = None
        if self.settings.paragraphs and len(reading.spans) > self.settings.max_paragraphs:
            note = f"{len(reading.spans)} paragraphs, judged on the leading sample only"
        elif reading.heads:
            runs = self._paragraph_runs(reading.spans, reading.heads, doc.declared_language)
            if runs:
                return self._decide_from_runs(doc, runs)
        sample = reading.lead or self._lead(doc, reading.spans)
        if sample.prose_poor:
            return self._detect_on_prose_words(doc)
        if sample.skip_reason is not None:
            return self._undetermined(doc, sample.skip_reason)
        whole = self.identifier.identify(sample.text, declared=doc.declared_language)
        if whole is None:
            return self._undetermined(doc, "no known letter sequences in text")
        self._decide(doc, whole.language, whole.score, note)

    def _evidence_poor(self, text: str) -> bool:
        return ProseEvidence.text_is_poor(text, self.settings.min_prose_words, self.settings.min_prose_share)

    def _detect_on_prose_words(self, doc: Result) -> None:
        """A list or table: the language of the few prose words between its names, or none if it has none.

        Read whole, such a text is judged on the names of foreign athletes and places, and a Dutch
        results list comes out Frisian, German or French with a confident score. Its own words
        (``rit``, ``ronde``, ``allen``, ``doelpunten``) are what shows its language.
        """
        leading = f"{doc.title}\n" if doc.title else ""
        words = ProseEvidence.of(leading + doc.text[: self.settings.list_scan_chars]).words
        if len(words) < self.settings.min_list_words:
            reason = f"{len(words)} words between names" if words else "names, numbers and scores only"
            return self._undetermined(doc, f"no prose: {reason}")
        pooled = _sample_text(None, " ".join(words), self.settings.sample_chars)
        found = self.identifier.identify(pooled, declared=doc.declared_language)
        if found is None:
            return self._undetermined(doc, "no prose: names, numbers and scores only")
        self._decide(doc, found.language, found.score, f"no prose; judged on {len(words)} words between names")

    def _paragraph_runs(
        self, spans: list[tuple[int, int]], heads: list[str | None], declared: str | None
    ) -> list[dict[str, Any]]:
        """Runs of consecutive paragraphs in one language, each with its length and probabilities.

        A paragraph too short, without enough letters or without enough prose words to judge (a heading,
        a table row, a line of names and scores) joins the run before it (the first run, if it leads).
        No run at all means no paragraph could be judged.
        A paragraph the detector confidently gives to the run's language extends the run, weighing in
        with the run's own probabilities; only the others get the whole decision.
        """
        runs: list[dict[str, Any]] = []
        pending_start: int | None = None
        for (start, end), head in zip(spans, heads):
            found = None
            if head is not None:
                if runs and self.identifier.confirms(head, runs[-1]["language"], self.settings.confirm_probability):
                    runs[-1]["chars"] += end - start
                    runs[-1]["end"] = end
                    continue
                sample = self._prepare(head)
                if sample.skip_reason is None:
                    found = self.identifier.identify(sample.text, declared=declared)
            if found is None:
                if runs:
                    runs[-1]["end"] = end
                elif pending_start is None:
                    pending_start = start
                continue
            chars = end - start
            if runs and runs[-1]["language"] == found.language:
                run = runs[-1]
                weight = run["chars"] + chars
                run["probabilities"] = {
                    lang: (
                        run["probabilities"].get(lang, 0.0) * run["chars"] + found.probabilities.get(lang, 0.0) * chars
                    )
                    / weight
                    for lang in run["probabilities"].keys() | found.probabilities.keys()
                }
                run["chars"], run["end"] = weight, end
                continue
            runs.append(
                {
                    "start": start if pending_start is None else pending_start,
                    "end": end,
                    "language": found.language,
                    "probabilities": dict(found.probabilities),
                    "chars": chars,
                }
            )
            pending_start = None
        return runs

    def _decide_from_runs(self, doc: Result, runs: list[dict[str, Any]]) -> None:
        """The language of most judged text; ``paragraph_languages`` only when the runs differ."""
        shares: dict[str, int] = defaultdict(int)
        for run in runs:
            shares[run["language"]] += run["chars"]
        total = sum(shares.values())
        language = max(shares, key=shares.__getitem__)
        score = sum(run["chars"] * run["probabilities"].get(language, 0.0) for run in runs) / max(total, 1)
        if len(shares) == 1:
            return self._decide(doc, language, score)
        doc.paragraph_languages = [
            {
                "start": run["start"],
                "end": run["end"],
                "language": run["language"],
                "score": round(run["probabilities"][run["language"]], 4),
            }
            for run in runs
        ]
        ranked = sorted(shares, key=shares.__getitem__, reverse=True)
        self._decide(
            doc,
            language,
            score,
            "mixed languages (" + ", ".join(f"{lang} {shares[lang] / total:.0%}" for lang in ranked) + ")",
        )

    def _decide(self, doc: Result, language: str, score: float, note: str | None = None) -> None:
        doc.language = language
        doc.language_score = round(score, 4)
        ok(doc, self.name, note)

    def _undetermined(self, doc: Result, reason: str) -> None:
        doc.language = UNDETERMINED
        doc.language_score = None
        skip(doc, self.name, reason)
