"""Summaries: the article's key sentences (extractive), or a model's own words (abstractive).

Extractive, the default, needs no model. A news article puts its key facts
first and repeats its theme across the body, so a sentence scores by how
similar it is to the article as a whole (TF-IDF similarity to the centroid),
how early it comes (lead bias, falling gently: a publisher's introduction draws
on the first several sentences, not the first alone), how many of the title's
words it names (an introduction restates the headline's who, what and where),
and how many of the article's recurring entities (cities, organisations, years)
it names.
Sentences are then picked by maximal marginal relevance, so a sentence that
repeats one already chosen loses to one that adds something. Only body text is
a candidate: headings, the title, "Lees ook" links, tip lines, photo credits,
a paragraph's closing colon over a removed video and a quote in another
language than the article never make a summary, and every summary sentence is
an exact slice of the text, with its index in ``doc.sentences`` in
``summary_index``, so it can be traced back and translated faithfully.

A summary must read on its own. A quotation that runs over several sentences
is one candidate, taken whole or not at all, and a candidate whose quotes or
brackets do not balance is never taken. A sentence that leans on the one
before (``Daarom``, ``Maar``, ``Dat``, a bare ``Hij``) is taken only after its
predecessor. Articles of four sentences or more get two to four; from eight
sentences on, the summary keeps under ``max_ratio`` of the text's characters.

The ``transformers`` backend runs a seq2seq summarisation model
(``pipeline.stages.summarize.abstractive``). With ``after_translation`` either backend
summarises the English translation (``text_en``) into ``summary_en``; the
stage must then come after ``translate`` with ``full_text: true``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, cached_property, lru_cache
from itertools import chain
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.nl.stop_words import STOP_WORDS
from threadpoolctl import ThreadpoolController

from pipeline.document import Entity, Result
from pipeline.segment import ensure_sentences, sentence_spans
from pipeline.stages.base import Contract, StageContext, StageSettings, ok, register_stage, skip

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
    r"(tip|tips) (voor|naar) de redactie\b",
    r"bel (de politie|met|naar)?\s*\+?\d",
    r"(0800|0900)\b",
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
#: Shapes: a question, a sentence the source cut off (an ellipsis at its end), a phone number (searched from
#: its ``+`` or ``0``), a link, an e-mail address (searched from its ``@``), an embedded tweet's handle, an agency
#: credit at the end.
_EXCLUDED_SHAPES = (
    r"\?[\"'”’»)]*$",
    r"(?:…|\.\.\.)[\"'”’»)]*$",
    r"(?=[+0])(?<![\d.,])(\+31|0031|0)[1-9]\d{0,2}[- ]?\d{4,8}(?!\d|[.,]\d)",
    r"https?://",
    r"@(?<=[\w.+-]@)[\w-]+\.\w",
    r"\(@\w+\)",
    r"\((foto:?\s*)?(anp|afp|ap|epa|reuters|getty images|hollandse hoogte|shutterstock)(/[^)]*)?\)\W*$",
    r"©",
)
#: What a match of any shape starts with (keep in step with the shapes): the shapes are one alternation, tried
#: only where one of them can start, instead of eight scans of every sentence.
_SHAPE_STARTS = "?….+0h@(©"
#: What a text must hold somewhere for a shape to match in it (keep in step with the shapes): a question mark, an
#: ellipsis, a phone number's ``0`` or ``+``, a link's ``://``, an address's or handle's ``@``, a credit's bracket, ``©``.
_SHAPE_MARKS = ("?", "…", "...", "0", "+", "://", "@", "(", "©")


def _first_characters(phrases: tuple[str, ...]) -> str:
    """The characters the phrases can start with: each opens with a literal or a group of literal alternatives."""
    firsts = set()
    for phrase in phrases:
        alternatives = phrase[1 : phrase.index(")")].split("|") if phrase.startswith("(") else [phrase]
        firsts.update(alternative[0] for alternative in alternatives)
    if not all(first.isalnum() for first in firsts):
        raise ValueError(f"an excluded phrase opens with something other than a letter or digit: {sorted(firsts)}")
    return "".join(sorted(firsts))


def _opening_words(phrases: tuple[str, ...]) -> frozenset[str]:
    """The words the phrases open with, each a whole word: a literal, or a group of alternatives that each open with
    one, then a space, a colon, a full stop or a word boundary. A sentence can hold a phrase only if one of its
    ``words_of`` is one of them.
    """
    words = set()
    for phrase in phrases:
        for alternative, following in _alternatives(phrase):
            opening = re.match(r"[a-z0-9]+", alternative)
            rest = alternative[opening.end() :] or following if opening else ""
            if opening is None or not rest.startswith((" ", ":", r"\b", r"\s", r"\.")):
                raise ValueError(f"an excluded phrase opens with something other than whole literal words: {phrase!r}")
            words.add(opening[0])
    return frozenset(words)


def _alternatives(phrase: str) -> list[tuple[str, str]]:
    """The ways ``phrase`` can open, each with what follows it: the alternatives of the group it opens with (split
    where no inner group is open), or the whole phrase.
    """
    if not phrase.startswith("("):
        return [(phrase, "")]
    depth, parts, start = 0, [], 1
    for index, character in enumerate(phrase):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 1 and character == "|" or depth == 0:
            parts.append(phrase[start:index])
            start = index + 1
        if depth == 0:
            return [(part, phrase[index + 1 :]) for part in parts]
    raise ValueError(f"an excluded phrase opens a group it does not close: {phrase!r}")


#: Every word an excluded phrase can open with (``_opening_words``).
_PHRASE_OPENING_WORDS = _opening_words(_EXCLUDED_PHRASES)
#: Every word an excluded opening can open with: in a text without a case-fold trap, the first of a sentence's
#: ``words_of`` (its opening only follows characters of no word).
_FIRST_OPENING_WORDS = _opening_words(_EXCLUDED_OPENINGS)
#: The only characters whose ``str.lower`` is not the one case-insensitive matching compares them by (``İ`` lowers to
#: two characters, ``ı`` and ``ſ`` match ``i`` and ``s``), found by trying every code point: in a text without them a
#: phrase the patterns find opens one of the sentence's ``words_of``.
_CASE_FOLD_TRAPS = "İıſ"


@dataclass(frozen=True)
class _Marks:
    """What a text holds that tells which exclusion patterns can match in its sentences, found once per text by
    substring tests, far cheaper than a pattern's scan (and instant for a character above U+00FF in the many texts
    without one).
    """

    #: Whether the text holds none of ``_CASE_FOLD_TRAPS``, so a sentence's words tell which phrases it can hold.
    lowers_plainly: bool
    #: The ``_SHAPE_MARKS`` the text holds: a sentence without any of them has no excluded shape.
    shape_marks: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Marks:
        return cls(
            not any(trap in text for trap in _CASE_FOLD_TRAPS), tuple(mark for mark in _SHAPE_MARKS if mark in text)
        )


#: The openings, the phrases and the shapes are one alternation each: a sentence is scanned three times, not 25.
#: The phrases' alternation is tried only at a word start that one of them can begin with.
EXCLUDE_PATTERNS = (
    re.compile(r"^\W*(?:" + "|".join(_EXCLUDED_OPENINGS) + ")", re.IGNORECASE),
    re.compile(
        rf"\b(?=[{_first_characters(_EXCLUDED_PHRASES)}])(?:" + "|".join(_EXCLUDED_PHRASES) + ")", re.IGNORECASE
    ),
    re.compile(f"(?=[{re.escape(_SHAPE_STARTS)}])(?:" + "|".join(_EXCLUDED_SHAPES) + ")", re.IGNORECASE),
)

#: Characters that end a sentence; a short line without one is a heading.
_FINAL_PUNCTUATION = tuple(".!?…:;\"'”’»")
#: Headings are short: longer unpunctuated lines are body text that lacks a full stop.
_HEADING_MAX_WORDS = 12
#: Articles of this many sentences or more get at least two summary sentences.
_MIN_SENTENCES_FOR_TWO = 4
#: From this many sentences on an article is long: its summary keeps under ``max_ratio`` of the characters.
_LONG_ARTICLE_SENTENCES = 8
#: How many of an article's most mentioned entities count as its main ones, the who and where of its lead.
_MAIN_ENTITIES = 3
#: A sentence this similar (character-wise) to the title restates it; a lead that
#: rephrases the title with more facts stays a candidate.
_TITLE_SIMILARITY = 0.9

_WORD = re.compile(r"[^\W_]+")
#: ``_WORD`` for a text without an underscore, where the two match alike: the plain class is the faster scan.
_WORD_WITHOUT_UNDERSCORES = re.compile(r"\w+")
#: ``_WORD`` for an ASCII text, where the two match alike: the ASCII classes need no Unicode look-up per character.
_ASCII_WORD = re.compile(r"[^\W_]+", re.ASCII)
#: Each Latin-1 byte that is a ``_WORD`` character (``str.isalnum``: ``\w`` is that or the underscore) as it is,
#: every other byte a space.
_LATIN_1_WORD_CHARACTERS = bytes(code if chr(code).isalnum() else ord(" ") for code in range(256))
#: The first two of a text's ``_WORD``s (the second None if there is one only): all an opening is judged by.
_OPENING_WORDS = re.compile(r"[\W_]*([^\W_]+)(?:[\W_]+([^\W_]+))?")
_STOP_WORDS = frozenset(STOP_WORDS) | frozenset(ENGLISH_STOP_WORDS)
#: Function words of one language that the other does not use: enough to tell a quote's language.
_ENGLISH_ONLY = frozenset(ENGLISH_STOP_WORDS) - frozenset(STOP_WORDS)
_DUTCH_ONLY = frozenset(STOP_WORDS) - frozenset(ENGLISH_STOP_WORDS)

#: Sentence openers that refer back to the sentence before: connectives, pronoun subjects, demonstratives.
DEPENDENT_OPENERS = frozenset(
    {
        "daarom",
        "daardoor",
        "daarna",
        "daarbij",
        "daarmee",
        "daarnaast",
        "daaruit",
        "daarover",
        "daarop",
        "daarvoor",
        "daar",
        "hierdoor",
        "hiermee",
        "hierbij",
        "hierna",
        "hierover",
        "maar",
        "ook",
        "toch",
        "en",
        "want",
        "dus",
        "echter",
        "bovendien",
        "verder",
        "tevens",
        "evenmin",
        "desondanks",
        "wel",
        "zo",
        "dat",
        "die",
        "dit",
        "deze",
        "hij",
        "zij",
        "ze",
        "hun",
        "zijn",
        "haar",
        "hem",
        "het",
        "aldus",
        "vervolgens",
        "but",
        "however",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "these",
        "those",
        "also",
        "therefore",
        "so",
        "and",
        "his",
        "her",
        "their",
        "moreover",
    }
)
#: Words after a demonstrative that make it a time phrase ("Deze week", "Dit jaar"), which stands on its own.
_TIME_NOUNS = frozenset(
    {
        "week",
        "jaar",
        "maand",
        "keer",
        "zomer",
        "winter",
        "lente",
        "herfst",
        "ochtend",
        "middag",
        "avond",
        "nacht",
        "dag",
        "eeuw",
        "seizoen",
        "weekend",
        "week,",
        "year",
        "week's",
        "month",
        "morning",
        "time",
    }
)
#: ``Het`` opens a sentence on its own as an article (``Het kabinet``); as a pronoun a verb follows it.
_PRONOUN_HET_VERBS = frozenset({"is", "was", "gaat", "ging", "wordt", "werd", "zal", "kan", "moet", "blijkt", "bleek"})
_QUOTE_CHARACTERS = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‹": "'", "›": "'"}
)
_TYPOGRAPHIC_QUOTES = "".join(map(chr, _QUOTE_CHARACTERS))
#: A single quote that opens and one that closes. Each opens with the quote, the character before it read by a
#: lookbehind over both, so a search skips from quote to quote instead of trying a lookbehind at every character.
_SINGLE_OPEN = re.compile(r"'(?<![\w']')(?=[^\W\d])(?!(?:s|t|n)\b)")
_SINGLE_CLOSE = re.compile(r"'(?<=[\w.,!?…]')(?![\w'])")
_BRACKETS = re.compile(r"[()\[\]]")


class SummarizeSettings(StageSettings):
    """How a summary is made, how long it is and how its sentences are chosen."""

    backend: Literal["extractive", "transformers"] = Field(
        default="extractive",
        description=(
            "'extractive' picks sentences; needs no model and works for any language written with spaces. "
            "'transformers' writes a summary with a seq2seq model (summarize.model)."
        ),
    )
    sentences: int = Field(
        default=2,
        ge=1,
        description=(
            "The number of sentences an extractive summary aims for; publishers' own introductions are one or two "
            "sentences (bench/summaries.py --real)."
        ),
    )
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
        default=0.35,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the score from position (1 for the first body sentence, falling as 1/sqrt(rank)): news puts "
            "the key facts in the lead. Centrality (TF-IDF similarity to the article's centroid) gets what the "
            "three weights leave."
        ),
    )
    title_weight: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the score from the share of the title's content words a sentence names: the title names the "
            "news in a few words, and the sentence that restates most of them is the lead."
        ),
    )
    entity_weight: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the score from the share of the article's main entities (the three it mentions most, from "
            "the entities stage) a sentence names: who and where."
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
    quote_penalty: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Share of its score a sentence of direct speech loses, in proportion to its quoted share: a summary "
            "states what happened, the quotes around it colour it."
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
    """What one document is summarised from (its text or its English translation), read once per sentence.

    Every rule and feature reads the same few things of a sentence (its words, its quotes, its language's
    function words), most of them more than once: each is made here once, and each rule reads it by index.
    """

    text: str
    title: str | None
    sentences: list[tuple[int, int]]
    #: ``(start, end, key)`` of each entity mention, offsets into ``text``.
    mentions: list[tuple[int, int, str]]
    #: Whether the summary goes to ``summary_en`` (and ``summary`` too, for an English article).
    english: bool
    #: Whether ``sentences`` are ``doc.sentences``, so indices are provenance.
    aligned: bool
    #: The text of each sentence.
    texts: list[str]
    #: Each sentence lowercased, as its ``words`` are read from it.
    lowered: list[str]
    #: The lowercased words of each sentence (``words_of``).
    words: list[list[str]]
    #: Each sentence with its quotes straightened (``_straight_quotes``), as the quote rules count them.
    plain: list[str]
    #: Each sentence's ``_plain_quote_state``: double quotes left open and single quotes opened minus closed.
    quotes: list[tuple[int, int]]
    #: How many English-only function words the whole text has (each sentence's are ``english_words``).
    english_total: int
    #: What the text holds that tells which exclusion patterns can match in its sentences.
    marks: _Marks
    #: The title as every sentence is compared with it (``_title_form``), made with the rest: nearly every text
    #: reads it, and a cached property's first read takes a lock.
    title_form: tuple[str, tuple[tuple[str, int], ...]] | None

    @classmethod
    def of(
        cls,
        text: str,
        title: str | None,
        sentences: list[tuple[int, int]],
        mentions: list[tuple[int, int, str]],
        english: bool,
        aligned: bool,
    ) -> _Source:
        """The source with what the rules read of each sentence."""
        texts = [text[start:end] for start, end in sentences]
        lowered, words = _lowered_and_words(text, sentences, texts)
        plain = _straightened_sentences(text, sentences, texts)
        # A text without a quote of any kind leaves none open in any sentence.
        quotes = [_plain_quote_state(sentence) for sentence in plain] if _has_quote(text) else [(0, 0)] * len(plain)
        english_total = _english_only_total(words)
        marks = _Marks.of(text)
        return cls(
            text,
            title,
            sentences,
            mentions,
            english,
            aligned,
            texts,
            lowered,
            words,
            plain,
            quotes,
            english_total,
            marks,
            _title_form(title),
        )

    @cached_property
    def english_words(self) -> list[int]:
        """How many English-only function words each sentence has: counted only in a text with two of them (a unit
        can be foreign in a Dutch article only then) or an English article, which few are.
        """
        return [sum(map(_ENGLISH_ONLY.__contains__, sentence_words)) for sentence_words in self.words]

    @cached_property
    def dutch_words(self) -> list[int]:
        """How many Dutch-only function words each sentence has: counted only once a text or unit has two English ones
        (what makes it foreign in a Dutch article) or the article is English, which few are.
        """
        return [sum(map(_DUTCH_ONLY.__contains__, sentence_words)) for sentence_words in self.words]

    def unit_words(self, unit: tuple[int, ...]) -> list[str]:
        """The ``words`` of the unit's sentences in turn."""
        return self.words[unit[0]] if len(unit) == 1 else [word for index in unit for word in self.words[index]]

    def is_body_sentence(self, index: int) -> bool:
        """``is_body_sentence`` of the sentence at ``index``, from what is read of it once."""
        return _is_body_sentence(self.texts[index], self.lowered[index], self.words[index], self.title_form, self.marks)

    def is_foreign(self, indices: Iterable[int], english_article: bool) -> bool:
        """``is_foreign`` of the sentences at ``indices`` together, from their counted function words."""
        if not english_article and self.english_total < 2:
            return False  # no sentences have two English-only words where the whole text has not
        theirs = sum(map((self.dutch_words if english_article else self.english_words).__getitem__, indices))
        if theirs < 2:
            return False
        ours = sum(map((self.english_words if english_article else self.dutch_words).__getitem__, indices))
        return theirs > ours


def _english_only_total(words: list[list[str]]) -> int:
    """How many English-only function words the sentences' ``words`` hold together: in most Dutch texts none, which
    one set test finds faster than a count.
    """
    if _ENGLISH_ONLY.isdisjoint(chain.from_iterable(words)):
        return 0
    return sum(map(_ENGLISH_ONLY.__contains__, chain.from_iterable(words)))


def _lowered_and_words(
    text: str, sentences: list[tuple[int, int]], texts: list[str]
) -> tuple[list[str], list[list[str]]]:
    """Each sentence lowercased and its ``words_of``.

    A text that lowers to Latin-1, as most do, is lowered once, character for character (only characters outside
    Latin-1 lower otherwise: ``İ`` to two, a final sigma by its context), so its sentences lowered are slices of
    it; and its words are its runs of letters and digits, which a byte table makes the only characters that are
    no space, in one pass in C: each sentence's words are then a ``split`` of its slice, several times faster
    than a pattern's scan.
    """
    whole = text.lower()
    try:
        latin = whole.encode("latin-1")
    except UnicodeEncodeError:
        lowered = [sentence.lower() for sentence in texts]
        return lowered, list(map(_word_pattern(text).findall, lowered))
    spaced = latin.translate(_LATIN_1_WORD_CHARACTERS).decode("latin-1")
    return [whole[start:end] for start, end in sentences], [spaced[start:end].split() for start, end in sentences]


def _word_pattern(text: str) -> re.Pattern[str]:
    """The fastest pattern that finds in ``text`` lowercased what ``_WORD`` finds (an ASCII text lowers to ASCII)."""
    if text.isascii():
        return _ASCII_WORD
    return _WORD if "_" in text else _WORD_WITHOUT_UNDERSCORES


def _straightened_sentences(text: str, sentences: list[tuple[int, int]], texts: list[str]) -> list[str]:
    """Each sentence's ``_straight_quotes``: the typographic quotes are translated one for one, so once in the whole
    text (mostly none), and ``,,`` and ``''`` replaced only in a text that has them. Without either, the
    sentences' ``texts`` are already straight.
    """
    straight = texts
    if _has_typographic_quote(text):
        text = text.translate(_QUOTE_CHARACTERS)
        straight = [text[start:end] for start, end in sentences]
    if ",," in text or "''" in text:
        return [sentence.replace(",,", '"').replace("''", '"') for sentence in straight]
    return straight


@dataclass(frozen=True)
class _Plan:
    """The candidates of one document and how many sentences to pick.

    ``units`` are runs of sentence indices (into the source's sentences) taken
    together or not at all: one sentence, or a quotation over several.
    ``indices`` are all their sentences in order.
    """

    units: list[tuple[int, ...]]
    count: int
    #: Most characters the summary may have; None for no limit.
    max_chars: int | None = None
    whole: bool = False

    @property
    def indices(self) -> list[int]:
        return [index for unit in self.units for index in unit]


def is_excluded(sentence: str) -> bool:
    """Whether ``sentence`` is a link, call to action, contact line or credit, never a summary."""
    lowered = sentence.lower()
    return _is_excluded(sentence, lowered, _WORD.findall(lowered), _Marks.of(sentence))


def _is_excluded(sentence: str, lowered: str, words: list[str], marks: _Marks) -> bool:
    """``is_excluded`` from the sentence lowercased, its ``words_of`` and its text's ``_Marks``.

    The openings are searched for only where the first word is one they open with (unless the text holds a case-fold
    trap), and the shapes only where one of their marks is.
    """
    openings, _, shapes = EXCLUDE_PATTERNS
    return bool(
        ((not marks.lowers_plainly or (words and words[0] in _FIRST_OPENING_WORDS)) and openings.search(sentence))
        or _holds_phrase(sentence, lowered, words, marks)
        or (_holds_any(sentence, marks.shape_marks) and shapes.search(sentence))
    )


def _holds_phrase(sentence: str, lowered: str, words: list[str], marks: _Marks) -> bool:
    """Whether one of the excluded phrases stands in ``sentence``, ``lowered`` being it lowercased.

    In a text without a case-fold trap a phrase opens one of the sentence's ``words``, and lowering keeps every
    character one character, so the pattern is tried only where the letters of one of their opening words stand
    in ``lowered``: most sentences have none of those words (a set test), and the rest one or two places to try
    instead of a scan of the whole sentence.
    """
    phrases = EXCLUDE_PATTERNS[1]
    if not marks.lowers_plainly:
        return bool(phrases.search(sentence))
    if _PHRASE_OPENING_WORDS.isdisjoint(words):
        return False
    for word in _PHRASE_OPENING_WORDS.intersection(words):
        start = lowered.find(word)
        while start >= 0:
            if phrases.match(sentence, start):
                return True
            start = lowered.find(word, start + 1)
    return False


def _has_typographic_quote(text: str) -> bool:
    """Whether ``text`` has a typographic quote: a substring test each, cheaper than a character class scan."""
    return _holds_any(text, _TYPOGRAPHIC_QUOTES)


def _holds_any(text: str, parts: Iterable[str]) -> bool:
    """Whether ``text`` holds one of ``parts``: ``any`` of the substring tests, in a loop, which is faster than the
    generator ``any`` needs (each sentence is tested for the shapes' marks, each text for the typographic quotes).
    """
    for part in parts:
        if part in text:
            return True
    return False


def _has_quote(text: str) -> bool:
    """Whether ``text`` has a quote of any kind that ``_straight_quotes`` reads: straight, typographic or ``,,``."""
    return '"' in text or "'" in text or ",," in text or _has_typographic_quote(text)


def _straight_quotes(text: str) -> str:
    """``text`` with its typographic quotes as ``"`` and ``'``, and ``,,`` and ``''`` as ``"``, so quotes count alike.

    Most sentences have no typographic quote, and finding none is much faster than translating.
    """
    if _has_typographic_quote(text):
        text = text.translate(_QUOTE_CHARACTERS)
    return text.replace(",,", '"').replace("''", '"')


def _quote_state(sentence: str) -> tuple[int, int]:
    """How many double quotes the sentence leaves open (0 or 1) and its single quotes opened minus closed."""
    return _plain_quote_state(_straight_quotes(sentence))


def _plain_quote_state(text: str) -> tuple[int, int]:
    """``_quote_state`` of a text whose quotes are already straightened."""
    if "'" not in text:
        return text.count('"') % 2, 0
    return text.count('"') % 2, len(_SINGLE_OPEN.findall(text)) - len(_SINGLE_CLOSE.findall(text))


def quoted_share(text: str) -> float:
    """The share of ``text``'s characters inside double quotes: 1 for a sentence of direct speech."""
    return _plain_quoted_share(_straight_quotes(text))


def _plain_quoted_share(plain: str) -> float:
    """``quoted_share`` of a text whose quotes are already straightened."""
    if '"' not in plain:
        return 0.0
    parts = plain.split('"')
    inside = sum(len(part) for part in parts[1::2])
    return inside / max(1, len(plain))


def is_balanced(text: str) -> bool:
    """Whether every quote and bracket that ``text`` opens it also closes, in order."""
    double, single = _quote_state(text)
    return not (double or single) and _brackets_balanced(text)


def _brackets_balanced(text: str) -> bool:
    """Whether every bracket that ``text`` opens it also closes, in order."""
    # Most sentences have no bracket, and four substring tests say so faster than a pattern's scan.
    if "(" not in text and ")" not in text and "[" not in text and "]" not in text:
        return True
    brackets = _BRACKETS.findall(text)
    depth = {"(": 0, "[": 0}
    for char in brackets:
        if char in depth:
            depth[char] += 1
        elif char in ")]":
            opening = "(" if char == ")" else "["
            depth[opening] -= 1
            if depth[opening] < 0:
                return False
    return not any(depth.values())


def needs_predecessor(sentence: str) -> bool:
    """Whether ``sentence`` opens with a word that points back: ``Daarom``, ``Maar``, ``Dat``, a bare ``Hij``."""
    opening = sentence[:80].lower()
    words = _OPENING_WORDS.match(opening)
    if words is None or words[1] not in DEPENDENT_OPENERS or opening.startswith(("zo'n", "zo’n")):
        return False
    first, following = words[1], words[2] or ""
    if first in {"dit", "deze", "die", "dat", "this", "that"} and following in _TIME_NOUNS:
        return False
    return first != "het" or following in _PRONOUN_HET_VERBS


def is_foreign(sentence: str, english_article: bool) -> bool:
    """A quote in the other language: English in a Dutch article (or Dutch in an English one)."""
    return _is_foreign(words_of(sentence), english_article)


def _is_foreign(words: list[str], english_article: bool) -> bool:
    """``is_foreign`` from the sentence's ``words_of``."""
    return _is_foreign_by_counts(_language_counts(words), english_article)


def _language_counts(words: list[str]) -> tuple[int, int]:
    """How many of the words are English-only and how many Dutch-only function words: what tells a quote's language.

    The stage counts them once per sentence (``_Source``): a unit's counts, and the whole text's, are their sums.
    """
    return sum(map(_ENGLISH_ONLY.__contains__, words)), sum(map(_DUTCH_ONLY.__contains__, words))


def _summed(pairs: list[tuple[int, int]]) -> tuple[int, int]:
    """The sums of the first and of the second counts: a unit's (or a text's) from its sentences'."""
    first = second = 0
    for one, other in pairs:
        first += one
        second += other
    return first, second


def _is_foreign_by_counts(counts: tuple[int, int], english_article: bool) -> bool:
    """``is_foreign`` from the ``_language_counts`` of the words."""
    english, dutch = counts
    ours, theirs = (english, dutch) if english_article else (dutch, english)
    return theirs >= 2 and theirs > ours


def is_heading(sentence: str) -> bool:
    """A short line without final punctuation, such as ``Geen afname`` above a paragraph."""
    stripped = sentence.rstrip()
    return not stripped.endswith(_FINAL_PUNCTUATION) and len(stripped.split()) <= _HEADING_MAX_WORDS


def restates_title(sentence: str, title: str | None) -> bool:
    """Whether ``sentence`` is the title again, possibly with a full stop or small edits."""
    return _restates_title(words_of(sentence), title)


def _restates_title(words: list[str], title: str | None) -> bool:
    """``restates_title`` from the sentence's ``words_of``."""
    form = _title_form(title)
    return form is not None and _restates(words, *form)


def _title_form(title: str | None) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """The title as ``_restates`` compares sentences with it (``_normalized_title``); None for no title."""
    return _normalized_title(title) if title and title.strip() else None


def _restates(words: list[str], theirs: str, their_characters: tuple[tuple[str, int], ...]) -> bool:
    """``restates_title`` from the sentence's ``words_of`` and the title's ``_normalized_title``."""
    # SequenceMatcher's two upper bounds on its ratio, cheapest first, rule out most sentences before a
    # matcher is built: the one on lengths alone (real_quick_ratio), then the one on the characters the two
    # share, counted with repetition (quick_ratio), from the title's counts made once, given up on at the first
    # character that rules the sentence out. Two empty strings are alike (ratio 1), as SequenceMatcher has it.
    ours = " ".join(words)
    length = len(ours) + len(theirs)
    if 2 * min(len(ours), len(theirs)) < _TITLE_SIMILARITY * length:
        return False
    if length and not _shares_enough(ours, their_characters, len(theirs), length):
        return False
    return SequenceMatcher(None, ours, theirs).ratio() >= _TITLE_SIMILARITY


def _shares_enough(text: str, counts: tuple[tuple[str, int], ...], total: int, length: int) -> bool:
    """Whether ``text`` shares enough characters (with repetition) with the title of ``total`` characters whose
    ``counts`` these are for ``2 * shared / length`` to reach ``_TITLE_SIMILARITY`` (SequenceMatcher's quick_ratio).

    Counting each of the title's few dozen characters in the sentence is cheaper than counting the sentence.
    Each character the sentence lacks only lowers the bound, so the first that brings it under the threshold
    settles it; the title's most frequent characters come first and most sentences are settled within a few.
    """
    missing = 0
    for character, count in counts:
        found = text.count(character)
        if found < count:
            missing += count - found
            if 2.0 * (total - missing) / length < _TITLE_SIMILARITY:
                return False
    return 2.0 * (total - missing) / length >= _TITLE_SIMILARITY


@lru_cache(maxsize=256)
def _normalized_title(title: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The title's words as ``restates_title`` compares them, and its characters counted, most frequent first:
    one title, many sentences.
    """
    normalized = " ".join(words_of(title))
    return normalized, tuple(sorted(Counter(normalized).items(), key=lambda item: -item[1]))


def is_body_sentence(sentence: str, title: str | None) -> bool:
    """Whether ``sentence`` may be part of a summary: not a heading, a link or credit, or the title."""
    lowered = sentence.lower()
    return _is_body_sentence(sentence, lowered, _WORD.findall(lowered), _title_form(title), _Marks.of(sentence))


def _is_body_sentence(
    sentence: str,
    lowered: str,
    words: list[str],
    title: tuple[str, tuple[tuple[str, int], ...]] | None,
    marks: _Marks,
) -> bool:
    """``is_body_sentence`` with the sentence lowercased, its ``words_of``, the ``_title_form`` and its text's
    ``_Marks`` (``_is_excluded``).
    """
    return not (
        is_heading(sentence)
        or _is_excluded(sentence, lowered, words, marks)
        or (title is not None and _restates(words, *title))
    )


def words_of(text: str) -> list[str]:
    """The lowercased word tokens of ``text``, as every rule and feature of the stage reads them."""
    return _WORD.findall(text.lower())


def content_words(sentence: str) -> list[str]:
    """Lemmas of the lowercased word tokens without Dutch or English stop words or single characters.

    Lemmas (simplemma's Dutch dictionary) let ``woningen`` in one sentence match ``woning`` in another.
    """
    return _content_words(words_of(sentence))


def _content_words(words: list[str]) -> list[str]:
    """``content_words`` from the sentence's ``words_of``."""
    return [lemma for lemma in map(_CONTENT_LEMMAS.__getitem__, words) if lemma is not None]


def _content_lemma(word: str) -> str | None:
    """The word's lemma, or None for a stop word or a single character (``_CONTENT_LEMMAS`` keeps each)."""
    if len(word) <= 1 or word in _STOP_WORDS:
        return None
    from pipeline.lexicon import lemmatize

    return lemmatize(word, lang="nl")


class _Lemmas(dict[str, str | None]):
    """Each word's ``_content_lemma``, worked out on first sight: a probe costs a dict's look-up, in C, less than a
    call through ``lru_cache``. At most ``limit`` are kept: the lemmas start afresh once that many are.
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit

    def __missing__(self, word: str) -> str | None:
        if len(self) >= self._limit:
            self.clear()
        lemma = self[word] = _content_lemma(word)
        return lemma


_CONTENT_LEMMAS = _Lemmas(200_000)


#: ``np.log1p`` of the counts a word has in a sentence, made once by the same function: an article's counts are looked
#: up in it, which is cheaper than working out the logarithm of every cell of its count matrix, most of them zero.
_LOG1P = np.log1p(np.arange(1024))
_LOG1P.flags.writeable = False


def tfidf_vectors(words: list[list[str]]) -> np.ndarray:
    """Unit-length smoothed TF-IDF rows, one per sentence's ``content_words``, each sentence a document for IDF.

    Words that occur in every sentence weigh little, and the article's recurring
    specific terms weigh most.
    """
    ordered = sorted(set().union(*words))
    size = len(ordered)
    vocabulary = dict(zip(ordered, range(size)))
    # Each word's cell, ``row * size + column``, from the columns looked up in C and the rows' first cells repeated.
    # The arrays are tiny, so each operation costs its call: the intermediate ones are worked on in place.
    cells = np.repeat(np.arange(len(words), dtype=np.intp) * size, list(map(len, words)))
    cells += np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(words)), dtype=np.intp)
    counts = np.bincount(cells, minlength=len(words) * size).reshape(len(words), size)
    idf = np.log((1 + len(words)) / (1 + np.add.reduce(counts > 0, axis=0)))
    idf += 1
    # A word's count in a sentence is at most the cells' number: below the table's size it is looked up.
    vectors = _LOG1P[counts] if len(cells) < len(_LOG1P) else np.log1p(counts)
    vectors *= idf
    # ``np.linalg.norm(vectors, axis=1)``'s own arithmetic, without its checks: a few microseconds an article.
    norms = np.add.reduce(vectors * vectors, axis=1, keepdims=True)
    np.sqrt(norms, out=norms)
    if norms.all():
        vectors /= norms
        return vectors
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


def entity_coverage(
    spans: list[tuple[int, int]], mentions: list[tuple[int, int, str]], main: int = _MAIN_ENTITIES
) -> np.ndarray:
    """The share of the article's main entities each sentence names: who, where and when.

    The main entities are the ``main`` the article mentions most (ties to the
    first named). An introduction names the city and the organisation the story
    keeps returning to; a sentence that lists many entities named once in
    passing covers no more of them than one naming those two.
    """
    counts = Counter(key for _, _, key in mentions)
    top = set(sorted(counts, key=lambda key: -counts[key])[:main])
    coverage = np.zeros(len(spans))
    if not top:
        return coverage
    main_mentions = [mention for mention in mentions if mention[2] in top]
    for row, (start, end) in enumerate(spans):
        named = {
            key for mention_start, mention_end, key in main_mentions if start <= mention_start and mention_end <= end
        }
        coverage[row] = len(named) / len(top)
    return coverage


def select_mmr(scores: np.ndarray, similarities: np.ndarray, count: int, penalty: float, threshold: float) -> list[int]:
    """Pick ``count`` single sentences by maximal marginal relevance, never two more similar than ``threshold``.

    The plain case of ``select_units``: every unit one sentence, no character
    budget, no sentence leaning on another. Ties go to the earlier sentence.
    """
    size = len(scores)
    return select_units(scores, similarities, _Budget(count), [1] * size, [0] * size, [None] * size, penalty, threshold)


@dataclass(frozen=True)
class _Budget:
    """How many sentences a summary aims for and the most characters it may have (None: no limit)."""

    sentences: int
    chars: int | None = None


def select_units(
    scores: np.ndarray,
    similarities: np.ndarray,
    budget: _Budget,
    sizes: list[int],
    lengths: list[int],
    predecessors: list[int | None],
    penalty: float,
    threshold: float,
) -> list[int]:
    """Pick units by maximal marginal relevance within the budget; indices in the order picked.

    ``sizes`` are the units' sentence counts and ``lengths`` their characters
    (with the space that joins them to the next).
    A unit with a ``predecessors`` entry may only join once that unit is in.
    The character budget gives way only to reach two sentences, the least a
    summary of a real article has. Ties go to the earlier unit.
    """
    chosen: list[int] = []
    sentences = chars = 0
    weighted = (1 - penalty) * scores
    while sentences < budget.sentences:
        if chosen:
            redundancy = similarities[:, chosen].max(axis=1)
            novel = (redundancy <= threshold).tolist()
            gains = (weighted - penalty * redundancy).tolist()
        else:
            # Nothing chosen, nothing repeated (a redundancy of zero): the gains are the weighted scores less zero.
            novel = [0.0 <= threshold] * len(scores)
            gains = weighted.tolist()
        allowed = [
            i
            for i in range(len(scores))
            if novel[i]
            and i not in chosen
            and sentences + sizes[i] <= budget.sentences
            and (budget.chars is None or chars + lengths[i] <= budget.chars or sentences + sizes[i] <= 2)
            and (predecessors[i] is None or predecessors[i] in chosen)
        ]
        if not allowed:
            break
        best = max(allowed, key=gains.__getitem__)  # the first of equal gains: ``allowed`` is in article order
        chosen.append(best)
        sentences += sizes[best]
        chars += lengths[best]
    return chosen


def _units(source: _Source) -> list[tuple[int, ...]]:
    """The source's sentences grouped so a quotation that runs over several sentences of a line is one unit."""
    if not any(map(any, source.quotes)):
        return [(index,) for index in range(len(source.sentences))]  # no quote left open: each sentence on its own
    units: list[tuple[int, ...]] = []
    current: list[int] = []
    double = single = 0
    for index, (start, end) in enumerate(source.sentences):
        if current and "\n" in source.text[source.sentences[current[-1]][1] : start]:
            units.append(tuple(current))
            current, double, single = [], 0, 0
        current.append(index)
        opened, singles = source.quotes[index]
        double, single = (double + opened) % 2, max(0, single + singles)
        if not double and not single:
            units.append(tuple(current))
            current = []
    if current:
        units.append(tuple(current))
    return units


def _predecessors(source: _Source, units: list[tuple[int, ...]]) -> list[int | None]:
    """For each unit that leans on the sentence before, the unit holding that sentence; -1 if none may.

    The units are runs of sentences in article order, so the sentence before a unit's first is in a unit only if
    it ends the unit before.
    """
    result: list[int | None] = []
    for position, unit in enumerate(units):
        first = unit[0]
        opening = source.texts[first].lstrip("\"'-–— ")
        if _opens_independently(opening, source.words[first], source.marks) or not needs_predecessor(opening):
            result.append(None)
        else:
            result.append(position - 1 if position and units[position - 1][-1] == first - 1 else -1)
    return result


def _opens_independently(opening: str, words: list[str], marks: _Marks) -> bool:
    """Whether ``needs_predecessor(opening)`` is surely False, from the sentence's ``words_of`` alone: its first word
    opens it and ends well within the 80 characters ``needs_predecessor`` reads (so it reads that word whole), the
    text lowers plainly, and the word is no dependent opener. Most sentences are settled so, without a pattern match.
    """
    return (
        marks.lowers_plainly
        and opening[:1].isalnum()
        and bool(words)
        and len(words[0]) < 80
        and words[0] not in DEPENDENT_OPENERS
    )


def position_prior(count: int) -> np.ndarray:
    """1 for the first body sentence, falling as 1/sqrt(rank): the lead carries the news.

    The fall is gentle because a publisher's introduction draws its facts from
    the first several sentences (measured with ``bench/summaries.py --real``),
    and a steep one would leave every other feature only the first sentence's
    neighbours to choose between.
    """
    return 1.0 / np.sqrt(np.arange(1, count + 1))


@lru_cache(maxsize=128)
def _weighted_position(count: int, weight: float) -> np.ndarray:
    """``weight`` times ``position_prior(count)``: the same few counts and one weight, article after article."""
    weighted = weight * position_prior(count)
    weighted.flags.writeable = False
    return weighted


def title_coverage(texts: list[str], title: str | None) -> np.ndarray:
    """The share of the title's distinct content words (lemmas) each text names; zeros without a title.

    Coverage, not cosine similarity: a long sentence that restates the whole
    headline with its facts is what an introduction does, and cosine would
    rank a short one sharing a single title word above it.
    """
    return _title_coverage([content_words(text) for text in texts], title)


def _title_coverage(words: list[list[str]], title: str | None) -> np.ndarray:
    """``title_coverage`` from the texts' ``content_words``, which the stage makes once for every feature."""
    title_words = _title_content_words(title or "")
    if not title_words:
        return np.zeros(len(words))
    return np.array([len(title_words.intersection(text_words)) / len(title_words) for text_words in words])


@lru_cache(maxsize=256)
def _title_content_words(title: str) -> frozenset[str]:
    """The title's distinct ``content_words``: one title, read for every feature of its article's units."""
    return frozenset(content_words(title))


def _scaled(values: np.ndarray) -> np.ndarray:
    """Values divided by their maximum, so each feature spans [0, 1] whatever the article."""
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


@register_stage("summarize")
class SummarizeStage:
    """Set ``summary`` (or ``summary_en``) to the article's key content.

    Extractive summaries are exact slices of the text in article order, with
    their indices into ``sentences`` in ``summary_index``.
    """

    Settings: ClassVar[type[SummarizeSettings]] = SummarizeSettings
    requires: ClassVar[tuple[str, ...]] = ("text", "title", "sentences")
    optional: ClassVar[tuple[str, ...]] = ("language", "entities")
    assigns: ClassVar[tuple[str, ...]] = ("summary", "summary_index", "summary_en")

    @classmethod
    def contract(cls, settings: SummarizeSettings) -> Contract:
        """The fields for these settings: after translation it reads ``text_en`` (and English articles' ``text``)."""
        if settings.after_translation:
            return Contract((*cls.requires, "text_en"), cls.assigns, (*cls.optional, "title_en"))
        return Contract(cls.requires, ("summary", "summary_index"), cls.optional)

    def __init__(
        self, settings: SummarizeSettings, context: StageContext, summarizer: Seq2SeqSummarizer | None = None
    ) -> None:
        """Extractive, or abstractive with the model that ``settings`` name or ``summarizer``, one already in memory."""
        self.settings = settings
        self.summarizer = summarizer
        if summarizer is None and settings.backend == "transformers":
            from pipeline.stages.summarize.abstractive import load_summarizer

            self.summarizer = load_summarizer(self.name, settings, context)
        self.model_id: str | None = None if self.summarizer is None else self.summarizer.model_id

    def __call__(self, docs: list[Result]) -> list[Result]:
        sources = [self._source(doc) for doc in docs]
        plans = [self._prepare(source) if isinstance(source, _Source) else source for source in sources]
        if self.summarizer is not None:
            return self._abstract(docs, sources, plans)
        with _one_blas_thread():
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
        # The mentions serve only the entity feature: without its weight none are looked for.
        weighted = bool(self.settings.entity_weight)
        if not self.settings.after_translation or (english_article and doc.text_en is None):
            mentions = [(e.start, e.end, _entity_key(e)) for e in doc.entities] if weighted else []
            return _Source.of(doc.text, doc.title, ensure_sentences(doc), mentions, english_article, aligned=True)
        if doc.text_en is None:
            return "no English text to summarise (needs translate with full_text: true before summarize)"
        mentions = _name_mentions(doc.text_en, doc.entities) if weighted else []
        title = doc.title_en or None
        return _Source.of(doc.text_en, title, sentence_spans(doc.text_en), mentions, english=True, aligned=False)

    def _prepare(self, source: _Source) -> _Plan | str:
        """The candidate units and the summary length, from the article's shape alone."""
        if not source.text.strip():
            return "empty text"
        # Without a detected language the text's own function words tell which quotes are foreign. Every word
        # of the text is in one of its sentences.
        english = source.english or source.is_foreign(range(len(source.sentences)), False)
        units = [unit for unit in _units(source) if self._is_candidate(source, unit, english)]
        if not units:
            return "no body sentences (only headings, title, links or credits)"
        body = sum(map(len, units))
        if body < self.settings.min_sentences:
            return _Plan(units, body, whole=True)
        share = math.floor(self.settings.max_ratio * body + 1e-9)
        count = max(1, min(self.settings.sentences, share))
        if len(source.sentences) >= _MIN_SENTENCES_FOR_TWO:
            count = max(count, min(2, self.settings.sentences))
        long_article = len(source.sentences) >= _LONG_ARTICLE_SENTENCES
        max_chars = math.floor(self.settings.max_ratio * len(source.text.strip())) if long_article else None
        return _Plan(units, count, max_chars)

    def _is_candidate(self, source: _Source, unit: tuple[int, ...], english: bool) -> bool:
        """A unit that may be a summary: body sentences only, balanced, in the article's language."""
        # ``is_balanced`` of the joined sentences: their quotes are their sentences' summed, as they were counted
        # for the units; the brackets must close in order, so they are read from the joined text. Most units are
        # one sentence, whose counts are its own. The tests that read what is counted already come first, the
        # body rules' pattern searches last.
        last = source.texts[unit[-1]]
        if len(unit) == 1:
            text, quotes = last, source.quotes[unit[0]]
        else:
            text = " ".join(source.texts[index] for index in unit)
            quotes = _summed([source.quotes[index] for index in unit])
        double, single = quotes
        return (
            not last.rstrip().endswith(":")
            and not (double % 2 or single)
            and not source.is_foreign(unit, english)
            and _brackets_balanced(text)
            and all(map(source.is_body_sentence, unit))
        )

    def _predict(self, source: _Source, plan: _Plan) -> list[int]:
        """Indices (into the source's sentences) of the chosen candidates, in article order."""
        if plan.whole:
            return plan.indices
        settings = self.settings
        spans = [(source.sentences[unit[0]][0], source.sentences[unit[-1]][1]) for unit in plan.units]
        # Each unit's content words; a quotation's are its sentences' in turn. The units share no sentence.
        words = [_content_words(source.unit_words(unit)) for unit in plan.units]
        vectors = tfidf_vectors(words)
        similarities = vectors @ vectors.T
        centrality = _scaled(centroid_similarity(similarities))
        title = _title_coverage(words, source.title)
        rest = 1 - settings.position_weight - settings.title_weight - settings.entity_weight
        scores = (
            rest * centrality + _weighted_position(len(spans), settings.position_weight) + settings.title_weight * title
        )
        # A feature without weight adds nothing to any score (its zeros would be added exactly), so it is left out.
        if settings.entity_weight:
            scores = scores + settings.entity_weight * entity_coverage(spans, source.mentions)
        quoted = self._quoted_shares(source, plan.units, spans)
        # Without direct speech every unit keeps its whole score (times one exactly), so nothing is multiplied.
        if any(quoted):
            scores = scores * (1 - settings.quote_penalty * np.array(quoted))
        chosen = select_units(
            scores,
            similarities,
            _Budget(plan.count, plan.max_chars),
            [len(unit) for unit in plan.units],
            [end - start + 1 for start, end in spans],
            _predecessors(source, plan.units),
            settings.redundancy_penalty,
            settings.redundancy_threshold,
        )
        return sorted(index for unit in chosen for index in plan.units[unit])

    @staticmethod
    def _quoted_shares(source: _Source, units: list[tuple[int, ...]], spans: list[tuple[int, int]]) -> list[float]:
        """Each unit's ``quoted_share``: a sentence's from its straightened text, a quotation's from its span."""
        if not _has_quote(source.text):
            return [0.0] * len(units)  # nothing quoted anywhere
        return [
            _plain_quoted_share(source.plain[unit[0]]) if len(unit) == 1 else quoted_share(source.text[start:end])
            for unit, (start, end) in zip(units, spans)
        ]

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


def _one_blas_thread() -> AbstractContextManager[object]:
    """numpy's BLAS on one thread while the stage scores, as it was before once the block ends.

    An article's similarity product is far too small to share: waking BLAS's
    other threads for each one costs more than the product (many times more on
    a busy machine). The products are the same, bit for bit, on any number of
    threads, so the summaries are too.
    """
    return _blas_libraries().limit(limits=1, user_api="blas")


@cache
def _blas_libraries() -> ThreadpoolController:
    """The BLAS and OpenMP libraries loaded in this process, found once (numpy's is loaded with the stage)."""
    return ThreadpoolController()


def _entity_key(entity: Entity) -> str:
    return f"{entity.label}:{entity.canonical or entity.text}"


def _name_mentions(text: str, entities: list[Entity]) -> list[tuple[int, int, str]]:
    """Where the English names of the source's entities occur in its translation."""
    mentions = []
    for key, name in {_entity_key(e): e.english or e.text for e in entities}.items():
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            mentions.append((match.start(), match.end(), key))
    return mentions
