"""Translate the title, the summary and optionally the whole text into English.

The default translates only the title and the summary sentences: cheap, and
faithful because each sentence is translated on its own. ``full_text`` adds
every sentence of the text, keeping its line and paragraph layout.

All segments of a batch of documents are translated together: identical
segments once, sorted by length and grouped under a token budget, so padding
and repeated work stay small. A sentence longer than the model accepts is never
truncated; it is split at clause boundaries (then words, then characters), the
pieces are translated and joined again, so every source sentence still maps to
exactly one English segment.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ConfigDict, Field

from pipeline.document import Result
from pipeline.errors import StageError
from pipeline.models import load_seq2seq, pick_device, resolve_hf_model
from pipeline.segment import ensure_sentences
from pipeline.stages.base import StageContext, StageSettings, ok, skip

logger = logging.getLogger(__name__)

#: Where a too-long sentence is split first: after clause punctuation or a spaced dash.
_CLAUSE_PUNCTUATION = re.compile(r"(?<=[;:,–—])\s+|(?<=\s-)\s+")
#: Then before a conjunction. Dutch, the source language this project is for;
#: in other languages they rarely match and the word level takes over.
_CONJUNCTION = re.compile(
    r"\s+(?=(?:en|maar|want|of|dus|doch|omdat|doordat|terwijl|zodat|hoewel|nadat|voordat|"
    r"totdat|zodra|wanneer|indien|tenzij|opdat)\b)",
    re.IGNORECASE,
)
#: Then between words.
_WHITESPACE = re.compile(r"\s+")
_SPLIT_LEVELS = (_CLAUSE_PUNCTUATION, _CONJUNCTION, _WHITESPACE)

#: Tokenizers saved without a limit report a huge sentinel instead of ``None``.
_INSANE_LIMIT = 1_000_000
#: The input limit used when neither the tokenizer nor the config states one.
_FALLBACK_LIMIT = 512

#: One source segment (title, summary sentence or text sentence) as the pieces
#: that each fit the model; their translations are joined with a space.
Pieces = tuple[str, ...]


class TranslateSettings(StageSettings):
    """Settings of the ``translate`` stage."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    model: str = "Helsinki-NLP/opus-mt-nl-en"
    """A Hugging Face hub id or a local directory of a Marian (or other seq2seq) model.

    A hub id is looked up in the project's model store, then the Hugging Face cache,
    and downloaded only when the run is online (``pipeline.models.resolve_hf_model``).
    """

    revision: str | None = None
    """The hub revision (branch, tag or commit) to pin; ``None`` takes the newest."""

    full_text: bool = False
    """Translate every sentence of the text into ``text_en`` too, not only title and summary."""

    source_languages: list[str] = ["nl"]
    """Languages the model translates from; documents in other languages are skipped with a reason."""

    batch_tokens: int = Field(default=4096, gt=0)
    """Token budget per model call: padded input length times rows, not a count of segments.

    A budget keeps memory flat whether a batch holds many short titles or a few long sentences.
    """

    max_input_tokens: int | None = Field(default=None, ge=8)
    """Longest input in tokens (end-of-sentence mark included); longer sentences are split.

    ``None`` takes the model's own limit (``tokenizer.model_max_length`` or
    ``config.max_position_embeddings``, the smaller sane one); a larger value is capped at it.
    At least 8: room for one character even when it is spelled as UTF-8 byte tokens.
    """

    num_beams: int = Field(default=1, gt=0)
    """Beam width. Greedy (1) is about 5x faster on CPU than opus-mt's usual 4
    (``bench/translate_speed.py``) and loses little on sentence-level news; raise it when
    quality matters more than throughput."""

    max_new_tokens: int | None = Field(default=None, gt=0)
    """Longest output in tokens; ``None`` allows twice the batch's input length plus 10.

    Always capped at the model's limit, so a degenerate repeating output stops in time.
    """

    threads: int | None = Field(default=None, gt=0)
    """CPU threads for torch (``torch.set_num_threads``, process-wide); ``None`` keeps torch's default."""


@dataclass(frozen=True)
class TranslationPlan:
    """What one document needs translated, each source segment already cut to fit the model.

    ``lines`` follows ``doc.text`` line by line (an empty list for a blank line),
    each line holding its sentences in order; ``None`` unless ``full_text``.
    """

    title: Pieces | None
    summary: list[Pieces]
    lines: list[list[Pieces]] | None

    def segments(self) -> Iterator[Pieces]:
        """Every source segment, title first, in reading order."""
        if self.title is not None:
            yield self.title
        yield from self.summary
        for line in self.lines or []:
            yield from line

    def pieces(self) -> Iterator[str]:
        """Every text the model has to translate."""
        for segment in self.segments():
            yield from segment


def split_to_fit(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens, at the most natural boundary.

    Clause punctuation first, then conjunctions, then words, and only for a single
    word longer than the limit, characters. Adjacent parts are packed back
    together while they fit, so a sentence is cut as few times as possible.
    Only whitespace is ever removed: joining the pieces with spaces gives the
    text back, up to whitespace (and a space inside an over-long word).

    Args:
        text: one sentence (or title), already stripped.
        count_tokens: the model's token count of a text, special tokens included.
        limit: the largest count a piece may have.

    Returns:
        The pieces in order; ``[text]`` when it fits already.
    """
    return _split(text, count_tokens, limit, 0)


def _split(text: str, count_tokens: Callable[[str], int], limit: int, level: int) -> list[str]:
    if count_tokens(text) <= limit:
        return [text]
    if level == len(_SPLIT_LEVELS):
        return _split_characters(text, count_tokens, limit)
    parts = [part for part in _SPLIT_LEVELS[level].split(text) if part]
    if len(parts) == 1:
        return _split(text, count_tokens, limit, level + 1)
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if count_tokens(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if count_tokens(part) <= limit:
            current = part
        else:
            pieces.extend(_split(part, count_tokens, limit, level + 1))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_characters(word: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut a word without spaces (a URL, a very long compound) into the longest prefixes that fit."""
    pieces: list[str] = []
    rest = word
    while len(rest) > 1 and count_tokens(rest) > limit:
        low, high = 1, len(rest) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens(rest[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        pieces.append(rest[:low])
        rest = rest[low:]
    pieces.append(rest)
    return pieces


def batch_by_tokens(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Group indices into batches whose padded size (longest length x rows) stays within ``budget``.

    Longest first, so padding is small and an out-of-memory error shows in the
    first batch rather than hours into a run. A single segment longer than the
    budget gets a batch of its own.

    Args:
        lengths: token length of each segment.
        budget: the token budget of one batch.

    Returns:
        Lists of indices into ``lengths``; together they hold every index once.
    """
    order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        if current and lengths[current[0]] * (len(current) + 1) > budget:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def sentences_by_line(doc: Result) -> list[list[str]]:
    """The document's sentences grouped by the line of ``doc.text`` they are on, blank lines included.

    Sentence spans never cross a line, so joining each group with spaces and the
    groups with newlines rebuilds the text's layout.
    """
    spans = iter(ensure_sentences(doc))
    span = next(spans, None)
    lines: list[list[str]] = []
    line_start = 0
    for line in doc.text.split("\n"):
        line_end = line_start + len(line)
        sentences: list[str] = []
        while span is not None and span[1] <= line_end:
            sentences.append(doc.text[span[0] : span[1]])
            span = next(spans, None)
        lines.append(sentences)
        line_start = line_end + 1
    return lines


def model_input_limit(tokenizer: Any, config: Any) -> int:
    """The longest input the model accepts, in tokens with the end-of-sentence mark.

    Either number may be missing or a "no limit" sentinel, so take the smaller sane one.
    """
    candidates = (getattr(tokenizer, "model_max_length", None), getattr(config, "max_position_embeddings", None))
    sane = [value for value in candidates if isinstance(value, int) and 0 < value < _INSANE_LIMIT]
    if not sane:
        logger.warning("model states no input limit; assuming %d tokens", _FALLBACK_LIMIT)
        return _FALLBACK_LIMIT
    return min(sane)


class TranslateStage:
    """Translate title and summary (and optionally the text) of documents in the source languages into English."""

    name: ClassVar[str] = "translate"
    Settings: ClassVar = TranslateSettings
    requires: ClassVar[tuple[str, ...]] = ("language", "summary")
    assigns: ClassVar[tuple[str, ...]] = ("title_en", "summary_en", "text_en")

    def __init__(self, settings: TranslateSettings, context: StageContext) -> None:
        import torch

        self.settings = settings
        if settings.threads is not None:
            torch.set_num_threads(settings.threads)
        ref = resolve_hf_model(self.name, settings.model, settings.revision, context)
        self.device = pick_device(context.device)
        self.tokenizer, self.model = load_seq2seq(self.name, ref, self.device)
        self.model_id: str | None = ref.model_id
        self.model_limit = model_input_limit(self.tokenizer, self.model.config)
        self.max_input_tokens = min(settings.max_input_tokens or self.model_limit, self.model_limit)

    def __call__(self, docs: list[Result]) -> list[Result]:
        """Plan every document, translate each distinct piece of the whole batch once, write the fields."""
        plans = self._prepare(docs)
        unique = list(dict.fromkeys(piece for plan in plans if not isinstance(plan, str) for piece in plan.pieces()))
        logger.debug("translating %d unique pieces for %d documents", len(unique), len(docs))
        translations = dict(zip(unique, self._predict(unique)))
        self._apply(docs, plans, translations)
        return docs

    def count_tokens(self, text: str) -> int:
        """The model's input length of ``text``, end-of-sentence mark included."""
        return len(self.tokenizer(text, verbose=False)["input_ids"])

    def _skip_reason(self, doc: Result) -> str | None:
        """Why ``doc`` is not translated, or ``None`` when it is."""
        if not doc.text.strip():
            return "empty text"
        if doc.language == "en":
            return "already English"
        if doc.language not in self.settings.source_languages:
            return f"no translation model for language {doc.language!r}"
        return None

    def _prepare(self, docs: list[Result]) -> list[TranslationPlan | str]:
        """Plan each document's segments, cut to fit the model, or give the reason to skip it."""
        counts: dict[str, int] = {}

        def count(text: str) -> int:
            if text not in counts:
                counts[text] = self.count_tokens(text)
            return counts[text]

        def pieces(text: str) -> Pieces:
            text = text.strip()
            return tuple(split_to_fit(text, count, self.max_input_tokens)) if text else ()

        plans: list[TranslationPlan | str] = []
        for doc in docs:
            reason = self._skip_reason(doc)
            if reason is not None:
                plans.append(reason)
                continue
            lines = None
            if self.settings.full_text:
                lines = [[pieces(sentence) for sentence in line] for line in sentences_by_line(doc)]
            title = pieces(doc.title) if doc.title and doc.title.strip() else None
            plan = TranslationPlan(title, [pieces(sentence) for sentence in doc.summary], lines)
            plans.append(plan if any(plan.pieces()) else "nothing to translate (no title, summary or text)")
        return plans

    def _predict(self, texts: list[str]) -> list[str]:
        """Translate each text; the seam a different backend (CTranslate2) replaces.

        Every text must already fit the model: it is checked, never truncated.
        """
        import torch

        if not texts:
            return []
        encoded = self.tokenizer(texts)["input_ids"]
        lengths = [len(ids) for ids in encoded]
        too_long = [length for length in lengths if length > self.model_limit]
        if too_long:
            raise StageError(
                f"{len(too_long)} input(s) up to {max(too_long)} tokens exceed the model limit "
                f"of {self.model_limit}; split them with split_to_fit first"
            )
        outputs: list[str] = [""] * len(texts)
        for batch in batch_by_tokens(lengths, self.settings.batch_tokens):
            inputs = self.tokenizer.pad({"input_ids": [encoded[index] for index in batch]}, return_tensors="pt")
            longest = lengths[batch[0]]
            max_new_tokens = min(self.settings.max_new_tokens or 2 * longest + 10, self.model_limit)
            # The length goes in as max_length (decoder start token included): with max_new_tokens,
            # transformers warns on every call for models whose generation config sets max_length,
            # as opus-mt's does.
            with torch.inference_mode():
                generated = self.model.generate(
                    **inputs.to(self.device),
                    num_beams=self.settings.num_beams,
                    do_sample=False,
                    max_length=max_new_tokens + 1,
                    max_new_tokens=None,
                )
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            for index, text in zip(batch, decoded):
                outputs[index] = text.strip()
        return outputs

    def _apply(self, docs: list[Result], plans: list[TranslationPlan | str], translations: dict[str, str]) -> None:
        """Write the English fields: each source segment becomes one English segment."""

        def english(segment: Pieces) -> str:
            return " ".join(translations[piece] for piece in segment)

        for doc, plan in zip(docs, plans):
            if isinstance(plan, str):
                skip(doc, self.name, plan)
                continue
            doc.title_en = None if plan.title is None else english(plan.title)
            doc.summary_en = [english(segment) for segment in plan.summary]
            if plan.lines is not None:
                doc.text_en = "\n".join(" ".join(english(sentence) for sentence in line) for line in plan.lines)
            ok(doc, self.name)
