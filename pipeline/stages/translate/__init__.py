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

Names survive translation: entities (cities, countries, organisations,
persons) and glossary terms are swapped for placeholders before the model and
for their English names after it (``pipeline.stages.translate.translation``). Translations are
kept for the whole run, keyed by a hash of the source, so boilerplate and
syndicated copies are translated once. Two backends run the same batches:
PyTorch through transformers, or CTranslate2 (int8 on CPU, several times faster).
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator

from pipeline.document import Label, Result
from pipeline.models import load_ctranslate2, load_seq2seq, pick_device, resolve_hf_model
from pipeline.segment import ensure_sentences
from pipeline.seq2seq import model_input_limit, split_to_fit
from pipeline.stages.base import Contract, StageContext, StageSettings, ok, register_stage, skip
from pipeline.stages.translate.translation import (
    CTranslate2Backend,
    Name,
    TransformersBackend,
    TranslationCache,
    Translator,
    english_form,
    find_names,
    protect,
    restore,
)

logger = logging.getLogger(__name__)


#: Pieces of one source segment that each fit the model; their translations are joined with a space.
Pieces = tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """One source segment (title, summary sentence or text sentence), ready for the model.

    ``pieces`` is the text with protected names as placeholders, cut to fit;
    ``names[i]`` is the English name that replaces placeholder ``i``. A segment
    without letters (digits, punctuation, nothing) has no pieces: it is copied.
    """

    source: str
    pieces: Pieces
    names: tuple[str, ...] = ()


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
    (``bench/translate.py``) and loses little on sentence-level news; raise it when
    quality matters more than throughput."""

    max_new_tokens: int | None = Field(default=None, gt=0)
    """Longest output in tokens; ``None`` allows twice the batch's input length plus 10.

    Always capped at the model's limit, so a degenerate repeating output stops in time.
    """

    min_new_tokens: int | None = Field(default=None, gt=0)
    """Shortest output in tokens; ``None`` leaves it to the model. Benchmarks set it equal to
    ``max_new_tokens`` so that every backend does the same work."""

    threads: int | None = Field(default=None, gt=0)
    """CPU threads of the CTranslate2 translator (its own ``intra_threads``); ``None`` keeps its default.

    Torch's threads are process-wide, so no stage sets them: ``nlnews run --threads``
    does, or a program calls ``torch.set_num_threads``. With the transformers backend
    this setting is therefore an error rather than silently ignored."""

    backend: Literal["transformers", "ctranslate2"] = "transformers"
    """``ctranslate2`` runs the same batches several times faster on CPU (``bench/translate.py``)
    on the model converted int8-quantised by ``nlnews models pull`` or ``nlnews models convert``
    (in ``ctranslate2-int8/`` beside it); needs ``pip install ctranslate2``."""

    compute_type: str | None = None
    """CTranslate2 compute type; ``None`` is ``int8`` on CPU and ``int8_float16`` on CUDA."""

    protect_names: bool = True
    """Replace entities and glossary terms by placeholders the model copies, then write
    each in its English form (``Den Haag`` -> ``The Hague``; acronyms such as ``IND`` stay)."""

    protected_labels: list[Label] = ["CITY", "COUNTRY", "ORG", "PERSON"]
    """Entity labels protected from translation; years and dates translate fine."""

    glossary: dict[str, str] = {}
    """Extra terms always written as given, source form to English (``{"Tweede Kamer": "House of
    Representatives"}``); matched as whole words in every segment."""

    cache_size: int = Field(default=100_000, ge=0)
    """Translations remembered for the run (least recently used dropped first); 0 turns the cache off."""

    @model_validator(mode="after")
    def _threads_only_for_ctranslate2(self) -> TranslateSettings:
        if self.threads is not None and self.backend != "ctranslate2":
            raise ValueError(
                "threads sets CTranslate2's threads; torch's are process-wide: "
                "use `nlnews run --threads N` (or torch.set_num_threads in a program)"
            )
        return self


@dataclass(frozen=True)
class TranslationPlan:
    """What one document needs translated, each source segment already cut to fit the model.

    ``lines`` follows ``doc.text`` line by line (an empty list for a blank line),
    each line holding its sentences in order; ``None`` unless ``full_text``.
    """

    title: Segment | None
    summary: list[Segment]
    lines: list[list[Segment]] | None

    def segments(self) -> Iterator[Segment]:
        """Every source segment, title first, in reading order."""
        if self.title is not None:
            yield self.title
        yield from self.summary
        for line in self.lines or []:
            yield from line

    def pieces(self) -> Iterator[str]:
        """Every text the model has to translate."""
        for segment in self.segments():
            yield from segment.pieces


def sentence_spans_by_line(doc: Result) -> list[list[tuple[int, int]]]:
    """The document's sentence spans grouped by the line of ``doc.text`` they are on, blank lines included.

    Sentence spans never cross a line, so joining each group with spaces and the
    groups with newlines rebuilds the text's layout; the spans locate the entities
    inside each sentence.
    """
    spans = iter(ensure_sentences(doc))
    span = next(spans, None)
    lines: list[list[tuple[int, int]]] = []
    line_start = 0
    for line in doc.text.split("\n"):
        line_end = line_start + len(line)
        sentences: list[tuple[int, int]] = []
        while span is not None and span[1] <= line_end:
            sentences.append(span)
            span = next(spans, None)
        lines.append(sentences)
        line_start = line_end + 1
    return lines


def load_translator(stage: str, settings: TranslateSettings, context: StageContext) -> Translator:
    """The translator of ``settings.model`` on the run's device, with the configured backend."""
    ref = resolve_hf_model(stage, settings.model, settings.revision, context)
    device = pick_device(context.device)
    backend: TransformersBackend | CTranslate2Backend
    if settings.backend == "ctranslate2":
        if not device.startswith("cuda"):
            device = "cpu"
        compute_type = settings.compute_type or ("int8_float16" if device.startswith("cuda") else "int8")
        tokenizer, translator, config = load_ctranslate2(stage, ref, device, compute_type, settings.threads)
        backend = CTranslate2Backend(tokenizer, translator, settings.num_beams, settings.min_new_tokens)
        model_id = f"{ref.model_id}+ctranslate2-{compute_type}"
    else:
        tokenizer, model = load_seq2seq(stage, ref, device)
        config = model.config
        backend = TransformersBackend(tokenizer, model, device, settings.num_beams, settings.min_new_tokens)
        model_id = ref.model_id
    return Translator(
        tokenizer,
        backend,
        model_input_limit(tokenizer, config),
        model_id=model_id,
        device=device,
        batch_tokens=settings.batch_tokens,
        max_new_tokens=settings.max_new_tokens,
    )


@register_stage("translate")
class TranslateStage:
    """Translate title and summary (and optionally the text) of documents in the source languages into English.

    A summary sentence that ``summary_index`` places in ``sentences`` gets its
    entities by offset; entities are used when an earlier stage found them.
    """

    Settings: ClassVar = TranslateSettings
    requires: ClassVar[tuple[str, ...]] = ("text", "title", "language", "sentences", "summary", "summary_index")
    optional: ClassVar[tuple[str, ...]] = ("entities",)
    assigns: ClassVar[tuple[str, ...]] = ("title_en", "summary_en", "text_en")

    @classmethod
    def contract(cls, settings: TranslateSettings) -> Contract:
        """The fields for these settings.

        With ``full_text`` the stage can run before summarize (which then
        summarises ``text_en``), translating a summary only if one was made;
        otherwise it translates an existing summary.
        """
        if settings.full_text:
            return Contract(
                ("text", "title", "language", "sentences"),
                cls.assigns,
                (*cls.optional, "summary", "summary_index"),
            )
        return Contract(cls.requires, ("title_en", "summary_en"), cls.optional)

    def __init__(
        self, settings: TranslateSettings, context: StageContext, translator: Translator | None = None
    ) -> None:
        """Load the model that ``settings`` name, or use ``translator``, one already in memory.

        An injected translator brings its own model settings (backend, device, beams,
        batch budget); the stage's own settings (names, glossary, cache, full text) still apply.
        """
        self.settings = settings
        self.translator = translator or load_translator(self.name, settings, context)
        self.model_id = self.translator.model_id
        model_limit = self.translator.model_limit
        self.max_input_tokens = min(settings.max_input_tokens or model_limit, model_limit)
        self.cache = TranslationCache(settings.cache_size)
        self._count = lru_cache(maxsize=65_536)(self.translator.count_tokens)

    def __call__(self, docs: list[Result]) -> list[Result]:
        """Plan every document, translate each distinct segment of the whole batch once, write the fields."""
        plans = self.plan(docs)
        segments = list(
            dict.fromkeys(segment for plan in plans if not isinstance(plan, str) for segment in plan.segments())
        )
        self._apply(docs, plans, self._translate_segments(segments))
        return docs

    def _skip_reason(self, doc: Result) -> str | None:
        """Why ``doc`` is not translated, or ``None`` when it is."""
        if not doc.text.strip():
            return "empty text"
        if doc.language == "en":
            return "already English"
        if doc.language not in self.settings.source_languages:
            return f"no translation model for language {doc.language!r}"
        return None

    def _segment(self, text: str, names: Iterable[Name] = ()) -> Segment:
        """Protect the names in a stripped ``text`` and cut it to fit the model; copy it if it has no letters."""
        if not any(character.isalpha() for character in text):
            return Segment(text, ())
        if self.settings.protect_names:
            protected = protect(text, [*names, *find_names(text, self.settings.glossary)])
        else:
            protected = protect(text, ())
        pieces = tuple(split_to_fit(protected.text, self._count, self.max_input_tokens))
        return Segment(text, pieces, protected.names)

    def plan(self, docs: list[Result]) -> list[TranslationPlan | str]:
        """Plan each document's segments, names protected and cut to fit, or give the reason to skip it.

        Nothing is translated: the plans show what the model would be given.
        """
        return [self._skip_reason(doc) or self._plan_document(doc) for doc in docs]

    def _plan_document(self, doc: Result) -> TranslationPlan | str:
        """One document's segments; entity offsets place names in text, summary sentences and title.

        The title's offsets are its ``title_entities`` (the entities stage sets
        them with ``entities``); a title without them, and a summary sentence
        not taken from the text, get the document's entities by their spelling.
        """
        labels = set(self.settings.protected_labels)
        entities = sorted((entity for entity in doc.entities if entity.label in labels), key=lambda e: e.start)
        starts = [entity.start for entity in entities]
        by_text = {entity.text: english_form(entity.text, entity.english) for entity in entities}

        def inside(start: int, end: int) -> list[Name]:
            first, stop = bisect_left(starts, start), bisect_left(starts, end)
            return [
                Name(entity.start - start, entity.end - start, english_form(entity.text, entity.english))
                for entity in entities[first:stop]
                if entity.end <= end
            ]

        def by_string(text: str) -> Segment:
            text = text.strip()
            return self._segment(text, find_names(text, by_text))

        lines = None
        if self.settings.full_text:
            lines = [
                [self._segment(doc.text[start:end], inside(start, end)) for start, end in line]
                for line in sentence_spans_by_line(doc)
            ]
        spans = ensure_sentences(doc) if doc.summary_index else []
        summary = []
        for number, sentence in enumerate(doc.summary):
            index = doc.summary_index[number] if number < len(doc.summary_index) else -1
            if 0 <= index < len(spans) and doc.text[spans[index][0] : spans[index][1]] == sentence:
                summary.append(self._segment(sentence, inside(*spans[index])))
            else:
                summary.append(by_string(sentence))
        title = self._title_segment(doc, labels, by_string) if doc.title and doc.title.strip() else None
        plan = TranslationPlan(title, summary, lines)
        return plan if any(plan.segments()) else "nothing to translate (no title, summary or text)"

    def _title_segment(self, doc: Result, labels: set[str], by_string: Callable[[str], Segment]) -> Segment:
        """The stripped title with its own entities protected by offset, else the document's by spelling."""
        found = doc.title_entities
        if found is None:
            return by_string(doc.title)
        title = doc.title.strip()
        lead = len(doc.title) - len(doc.title.lstrip())
        names = [
            Name(entity.start - lead, entity.end - lead, english_form(entity.text, entity.english))
            for entity in found
            if entity.label in labels and lead <= entity.start and entity.end - lead <= len(title)
        ]
        return self._segment(title, names)

    def _translate_segments(self, segments: list[Segment]) -> dict[Segment, str]:
        """The English of each segment, names restored.

        A segment whose placeholders did not survive the model is translated
        again without protection: a name may then be translated, but is never
        lost, and no placeholder reaches the output.
        """
        translations = self._translate_pieces(piece for segment in segments for piece in segment.pieces)
        english: dict[Segment, str] = {}
        unprotected: dict[Segment, Segment] = {}
        for segment in segments:
            if not segment.pieces:
                english[segment] = segment.source
                continue
            joined = " ".join(translations[piece] for piece in segment.pieces)
            restored = restore(joined, segment.names) if segment.names else joined
            if restored is None:
                pieces = split_to_fit(segment.source, self._count, self.max_input_tokens)
                unprotected[segment] = Segment(segment.source, tuple(pieces))
            else:
                english[segment] = restored
        if unprotected:
            logger.debug(
                "%d of %d segments lost a placeholder; translated without name protection",
                len(unprotected),
                len(segments),
            )
            retranslated = self._translate_pieces(piece for plain in unprotected.values() for piece in plain.pieces)
            for segment, plain in unprotected.items():
                english[segment] = " ".join(retranslated[piece] for piece in plain.pieces)
        return english

    def _translate_pieces(self, pieces: Iterable[str]) -> dict[str, str]:
        """Each distinct piece translated once: from the run's cache, or by the model."""
        translations: dict[str, str] = {}
        missing: list[str] = []
        for piece in dict.fromkeys(pieces):
            cached = self.cache.get(piece)
            if cached is None:
                missing.append(piece)
            else:
                translations[piece] = cached
        for piece, translation in zip(missing, self.translator.translate(missing)):
            translations[piece] = translation
            self.cache.put(piece, translation)
        logger.debug(
            "translated %d pieces, %d from the run cache (run so far: %d hits, %d misses, %d cached)",
            len(translations),
            len(translations) - len(missing),
            self.cache.hits,
            self.cache.misses,
            len(self.cache),
        )
        return translations

    def _apply(self, docs: list[Result], plans: list[TranslationPlan | str], english: dict[Segment, str]) -> None:
        """Write the English fields: each source segment becomes one English segment."""
        for doc, plan in zip(docs, plans):
            if isinstance(plan, str):
                skip(doc, self.name, plan)
                continue
            doc.title_en = None if plan.title is None else english[plan.title]
            doc.summary_en = [english[segment] for segment in plan.summary]
            if plan.lines is not None:
                doc.text_en = "\n".join(" ".join(english[sentence] for sentence in line) for line in plan.lines)
            ok(doc, self.name)
