"""Language detection with langdetect, deterministic and on a bounded sample.

langdetect draws random n-grams, so without a fixed seed the same article can
get a different language or score on each run. The stage seeds every detector
itself instead of setting the global ``langdetect.DetectorFactory.seed``, so no
other code in the process is affected. It reads only the title and the first
paragraphs: langdetect gains nothing from more text, and a multi-megabyte dump
entry would otherwise be scanned in full by its regular expressions.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import ClassVar

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from pydantic import Field

from pipeline.document import Result
from pipeline.stages.base import StageContext, StageSettings, ok, skip

#: The code recorded when no language can be told (ISO 639-2 "undetermined").
UNDETERMINED = "und"

#: langdetect profile names that are not ISO 639-1 codes.
_ISO_639_1 = {"zh-cn": "zh", "zh-tw": "zh"}

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")


class DetectSettings(StageSettings):
    """How the language of an article is detected."""

    seed: int = Field(
        default=0,
        description="Seed of langdetect's random n-gram sampling; fixed so that a run is reproducible.",
    )
    min_chars: int = Field(
        default=20,
        ge=1,
        description=(
            "Samples shorter than this (whitespace collapsed) get language 'und' and no score: "
            "a headline of two words is too little evidence to name a language."
        ),
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
        default=5000,
        ge=100,
        description="The title plus the first paragraphs up to this many characters are all that is read.",
    )


@dataclass(frozen=True)
class _Sample:
    """What the detector reads for one document, or why it reads nothing."""

    text: str
    skip_reason: str | None = None


@dataclass(frozen=True)
class _Detection:
    """The outcome of detection: a language and its probability, or why there is none."""

    language: str
    score: float | None
    skip_reason: str | None = None


@lru_cache(maxsize=1)
def _loaded_factory() -> DetectorFactory:
    """langdetect's profiles, loaded once per process and never modified afterwards."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


def _sample_text(title: str | None, text: str, max_chars: int) -> str:
    """The title and the leading paragraphs of ``text``, at most ``max_chars`` characters.

    Paragraphs are taken whole while they fit; the one that does not is cut at
    a word boundary, so no half word adds a misleading n-gram.
    """
    parts: list[str] = []
    budget = max_chars
    leading = [title] if title and title.strip() else []
    for paragraph in chain(leading, (match.group() for match in _PARAGRAPH.finditer(text))):
        paragraph = " ".join(paragraph.split())
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


class DetectStage:
    """Set ``language`` (ISO 639-1) and ``language_score`` (probability of that language).

    Undetectable documents get ``und`` and a score of ``None``, not ``0.0``: no
    probability was measured, and a number would suggest one was.
    """

    name: ClassVar[str] = "detect"
    Settings: ClassVar[type[DetectSettings]] = DetectSettings
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("language", "language_score")

    def __init__(self, settings: DetectSettings, context: StageContext) -> None:
        self.settings = settings
        self.model_id: str | None = f"langdetect@{importlib.metadata.version('langdetect')}"
        self._factory = _loaded_factory()

    def __call__(self, docs: list[Result]) -> list[Result]:
        for doc in docs:
            self._apply(doc, self._predict(self._prepare(doc)))
        return docs

    def _prepare(self, doc: Result) -> _Sample:
        """The sample to detect on, or the reason there is nothing worth detecting."""
        if not doc.text.strip():
            return _Sample("", "empty text")
        sample = _sample_text(doc.title, doc.text, self.settings.sample_chars)
        visible = [char for char in sample if not char.isspace()]
        letters = sum(char.isalpha() for char in visible)
        if letters < self.settings.min_letter_ratio * len(visible):
            return _Sample(sample, f"mostly non-letters ({letters} letters in {len(visible)} characters)")
        length = len(" ".join(sample.split()))
        if length < self.settings.min_chars:
            return _Sample(sample, f"text too short ({length} characters)")
        if sum(char.isupper() for char in visible) * 2 > letters:
            # langdetect skips all-capital words (to ignore acronyms), so shouted text would be judged on noise.
            return _Sample(sample.lower())
        return _Sample(sample)

    def _predict(self, sample: _Sample) -> _Detection:
        """Run a freshly seeded detector, so the result never depends on earlier documents."""
        if sample.skip_reason is not None:
            return _Detection(UNDETERMINED, None, sample.skip_reason)
        detector = self._factory.create()
        detector.seed = self.settings.seed
        detector.append(sample.text)
        try:
            candidates = detector.get_probabilities()
        except LangDetectException as error:
            if error.get_code() != ErrorCode.CantDetectError:
                raise
            return _Detection(UNDETERMINED, None, "no known letter sequences in text")
        if not candidates:
            return _Detection(UNDETERMINED, None, "no language stands out")
        best = candidates[0]
        return _Detection(_ISO_639_1.get(best.lang, best.lang), round(best.prob, 4))

    def _apply(self, doc: Result, detection: _Detection) -> None:
        doc.language = detection.language
        doc.language_score = detection.score
        if detection.skip_reason is None:
            ok(doc, self.name)
        else:
            skip(doc, self.name, detection.skip_reason)
