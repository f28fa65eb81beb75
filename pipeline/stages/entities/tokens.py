"""What every entity component shares: the tokenizer, the token view the rules ask, and the mentions found.

The stage's ``nlp`` tokenises each text once, with ``RuleTokenizer``: the same
tokens as the gazetteers' names (``gazetteer.TOKEN``), so a name found in a
text is a name of the index, and a hyphen is a token (``IND-loketten`` holds
``IND``). Each line starts a sentence, whatever its punctuation: a heading has
no full stop. The components add their candidates to ``doc._.mentions``; the
merge component keeps the ones that do not overlap.
"""

from __future__ import annotations

import re
import weakref
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import accumulate, compress
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import minibatch, registry
from spacy.vocab import Vocab

from pipeline.document import Label
from pipeline.segment import sentence_spans
from pipeline.stages.entities.gazetteer import TOKEN, normalise

_NEWLINE = re.compile(r"\n")
#: ``TOKEN`` in a group: ``split`` then yields the tokens and the text between them, in turn.
_TOKENS_AND_GAPS = re.compile(f"({TOKEN.pattern})")
#: ``_TOKENS_AND_GAPS`` for a text without an underscore, where ``[^\W_]`` and ``\w`` match alike: the plain class
#: is the faster scan.
_TOKENS_AND_GAPS_WITHOUT_UNDERSCORES = re.compile("({})".format(TOKEN.pattern.replace(r"[^\W_]", r"\w")))
_LATIN_1 = [chr(code) for code in range(256)]
#: ``TOKEN``'s two classes as the Latin-1 characters they hold: a word's (``[^\W_]``, ``str.isalnum``) and a mark's
#: (``[^\w\s]``: no word character, no whitespace, no underscore).
_LATIN_1_WORD = "[{}]".format(re.escape("".join(filter(str.isalnum, _LATIN_1))))
_LATIN_1_MARK = "[{}]".format(re.escape("".join(c for c in _LATIN_1 if not (c.isalnum() or c.isspace() or c == "_"))))
#: ``_TOKENS_AND_GAPS`` for a text of Latin-1 characters only, as most are, with those classes: the engine tests
#: such a class by a bitmap, where ``\w`` and ``\s`` ask Unicode's database for each character. A text with
#: accents is split about a third faster, an ASCII one as fast as with ASCII classes.
_LATIN_1_TOKENS_AND_GAPS = re.compile(
    _TOKENS_AND_GAPS.pattern.replace(r"[^\W_]", _LATIN_1_WORD).replace(r"[^\w\s]", _LATIN_1_MARK)
)
#: -1 (no sentence starts at a token) as spaCy's arrays of token attributes hold it: unsigned.
_NOT_A_START = numpy.iinfo(numpy.uint64).max
#: How many words' string keys a tokenizer keeps: the words of a few thousand articles.
_KEYS_CACHED = 100_000
#: The gaps after most tokens: one space (the token's trailing space) or none.
_PLAIN_GAPS = frozenset({"", " "})

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", getter=lambda doc: mentions(doc))
if not Doc.has_extension("article_country"):
    Doc.set_extension("article_country", default=None)


@dataclass(frozen=True)
class Mention:
    """A candidate entity in character offsets; ``source`` decides ties between candidates of the same span."""

    start: int
    end: int
    label: Label
    canonical: str
    english: str
    source: str
    extra: dict[str, Any] = field(default_factory=dict)


def mentions(doc: Doc) -> list[Mention]:
    """The candidates found so far in ``doc`` (components append to this list); also ``doc._.mentions``."""
    found = doc.user_data.get("nlnews_mentions")
    if found is None:
        found = doc.user_data["nlnews_mentions"] = []
    return found


class BatchComponent(ABC):
    """A rule component that reads a whole batch of docs before it hands them on, as spaCy's batch-first pipes do.

    ``nlp.pipe`` then runs each component over the batch in turn, not each doc
    through every component: one component's code and data stay in the
    processor's caches for a whole batch (measured some 5% faster).
    """

    @abstractmethod
    def __call__(self, doc: Doc) -> Doc:
        """Add the component's candidates to ``doc`` and return it."""

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 1000) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            yield from [self(doc) for doc in batch]


@registry.tokenizers("nlnews_rule_tokenizer")
def make_rule_tokenizer() -> Callable[[Language], RuleTokenizer]:
    """The tokenizer for ``spacy.blank``'s config: saves building spaCy's own only to replace it."""
    return lambda nlp: RuleTokenizer(nlp.vocab, sentences=True)


class RuleTokenizer:
    """A spaCy tokenizer with the gazetteers' tokens; the first word of each line starts a sentence.

    Whitespace other than one space after a word is a token of its own, as in
    spaCy's tokenizer, so ``doc.text`` is the text and offsets need no mapping.
    With ``sentences``, it also sets every other sentence start where
    ``pipeline.segment`` starts a sentence (the one segmenter of every stage:
    the document's ``sentences`` when the caller passes them, segmented here
    otherwise), so a pipeline of rules needs no sentencizer pass over the tokens.

    The doc's words go to ``Doc`` as their string keys, from a bounded cache:
    spaCy would hash each word anew, the most of what building a doc costs.
    Inside a ``memory_zone`` the words go as they are, so that its strings stay transient.
    """

    def __init__(self, vocab: Vocab, sentences: bool = False) -> None:
        self.vocab = vocab
        self.sentences = sentences
        # Added for good: a key in the cache always has its string in the store, also once the keys start afresh.
        self._keys = Remembered(partial(vocab.strings.add, allow_transient=False), _KEYS_CACHED)

    def __call__(self, text: str, spans: list[tuple[int, int]] | None = None) -> Doc:
        plain = normalise(text)
        # Gap, token, gap, ..., token, gap: the gaps are whitespace (and the odd underscore), often one space.
        pieces = _tokens_and_gaps(plain).split(plain)
        bounds = list(accumulate(map(len, pieces)))
        starts, ends = bounds[0:-1:2], bounds[1::2]
        found = pieces[1::2]
        originals = found if plain == text else [text[start:end] for start, end in zip(starts, ends)]
        words, spaces, positions = _words_and_gaps(pieces[0], originals, pieces[2::2])
        newlines = _newlines(text)
        keys = words if self.vocab.in_memory_zone else list(map(self._keys.__getitem__, words))
        doc = Doc(self.vocab, words=keys, spaces=spaces)
        openings = self._openings(text, spans, newlines, starts)
        if words:
            # One array for the sentence starts: what ``Doc(sent_starts=...)`` sets, without its loop in Python.
            doc.from_array([SENT_START], self._sent_starts(len(words), openings, positions))
        # Nothing after this tokenizer sets sentence starts when it knows the sentences (the stage gives it
        # ``sentences`` only in a pipeline with no parser, senter or sentencizer): ``Tokens`` need not read them back.
        initial = set(openings) if self.sentences else None
        # What ``Tokens`` needs, known here already: saves a pass over the doc's tokens in Python.
        doc.user_data["nlnews_words"] = _Words(text, found, positions, starts, ends, newlines, initial)
        return doc

    def _openings(
        self, text: str, spans: list[tuple[int, int]] | None, newlines: list[int], starts: list[int]
    ) -> list[int]:
        """The tokens (by index among the words) that open the text or a line, and with ``sentences`` a sentence."""
        opening = [0, *newlines]
        if self.sentences and starts:
            opening += [start for start, _ in (sentence_spans(text) if spans is None else spans)]
        size = len(starts)
        return [index for index in [bisect_left(starts, offset) for offset in opening] if index < size]

    def _sent_starts(self, size: int, openings: list[int], positions: list[int]) -> numpy.ndarray:
        """The ``SENT_START`` of the ``size`` doc tokens: 1 for the first one and for the ``openings``' words.

        Sentences count with ``sentences`` only, and then every other token is -1 (none starts there); else 0 (not known).
        """
        # ``empty``, ``fill`` and ``put`` are the array's own methods: ``numpy.full`` and an index by list cost more.
        sent_starts = numpy.empty(size, dtype=numpy.uint64)
        sent_starts.fill(_NOT_A_START if self.sentences else 0)
        sent_starts.put([0, *map(positions.__getitem__, openings)], 1)
        return sent_starts

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> RuleTokenizer:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> RuleTokenizer:
        return self


class Tokens:
    """The tokens of a text, with the neighbourhood questions the rules ask.

    Built once per doc (``Tokens.of``) and shared by the components; the
    whitespace tokens are left out.
    """

    def __init__(self, doc: Doc) -> None:
        # The doc keeps its tokens (``Tokens.of``): a weak reference back makes no cycle, so that a doc and all it
        # holds are freed as soon as it is done with, not kept for the garbage collector to find (and to promote).
        self._doc = weakref.ref(doc)
        known = doc.user_data.get("nlnews_words") or _Words.of(doc)
        self.text, self.words, self.positions, self.starts, self.ends, newlines, initial = known
        #: The words that open a sentence.
        self.sentence_initial = _sentence_initial(doc, self._position) if initial is None else initial
        #: The token starting at each character offset that starts one.
        self.index_at = dict(zip(self.starts, range(len(self.starts))))
        #: Index of the first token of the next line, so no name spans a line break.
        self.line_stop: list[int] = []
        for newline in (*newlines, len(self.text)):
            after = bisect_left(self.starts, newline)
            self.line_stop += [after] * (after - len(self.line_stop))
        # Every doc's rules read the three word lists below: made here, they cost no property lookup on first use.
        words = self.words
        #: The words that start with a capital, in order: what the name rules look at, the rest they skip.
        #: Words are never empty: the first letter of each, tested without a loop in Python.
        self.capitalised = list(compress(range(len(words)), map(str.isupper, map(itemgetter(0), words))))
        #: The words of capitals only (``IND``, ``BRUSSEL``, ``A``): acronyms, initials and shouted words. The few
        #: words with no lower-case letter are found in C; only those are tested in Python for letters only.
        self.all_caps = [
            index for index in compress(range(len(words)), map(str.isupper, words)) if words[index].isalpha()
        ]
        #: Each word in lower case.
        self.lower = list(map(str.lower, words))

    @property
    def doc(self) -> Doc:
        """The doc of these tokens."""
        return self._doc()

    @cached_property
    def _position(self) -> dict[int, int]:
        """The position in ``words`` of each doc token that is no whitespace (``positions`` the other way round)."""
        return dict(zip(self.positions, range(len(self.positions))))

    @cached_property
    def _joining_hyphens(self) -> frozenset[int]:
        """The hyphens glued to a word on either side (``Noord-Holland``), found from the text's few hyphens."""
        hyphens = []
        offset = self.text.find("-")
        while offset >= 0:
            index = self.index_at.get(offset)
            if (
                index is not None
                and 0 < index < len(self.words) - 1
                and self.words[index] == "-"
                and self.glued(index - 1, index)
                and self.glued(index, index + 1)
            ):
                hyphens.append(index)
            offset = self.text.find("-", offset + 1)
        return frozenset(hyphens)

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        """The doc's token view, built on first use."""
        tokens = doc.user_data.get("nlnews_tokens")
        if tokens is None:
            tokens = doc.user_data["nlnews_tokens"] = cls(doc)
        return tokens

    def __len__(self) -> int:
        return len(self.words)

    def from_doc(self, start: int, end: int) -> tuple[int, int]:
        """The word positions of a match's doc tokens ``start:end`` (matches never start or end on whitespace)."""
        return bisect_left(self.positions, start), bisect_left(self.positions, end - 1) + 1

    def word(self, index: int, anchor: int) -> str | None:
        """Token ``index`` if it exists and is on the same line as token ``anchor``."""
        words = self.words
        if not 0 <= index < len(words):
            return None
        if index <= anchor:
            return words[index] if self.line_stop[index] > anchor else None
        return words[index] if self.line_stop[anchor] > index else None

    def glued(self, left: int, right: int) -> bool:
        return 0 <= left and right < len(self.words) and self.ends[left] == self.starts[right]

    def is_compound_tail(self, index: int) -> bool:
        """``Holland`` in ``Noord-Holland``: the token before is a joining hyphen."""
        return index - 1 in self._joining_hyphens

    def is_compound_head(self, end: int) -> bool:
        """``Noord`` in ``Noord-Holland``: the token after the mention (``end``) is a joining hyphen."""
        return end in self._joining_hyphens

    def surface(self, first: int, end: int) -> str:
        """The text of tokens ``first`` up to ``end``."""
        return self.text[self.starts[first] : self.ends[end - 1]]


class WindowMatcher:
    """A spaCy ``Matcher`` that reads only where a match can start: the words its patterns open with.

    The Matcher's work grows with the tokens it reads times its patterns, and
    most of a text opens none, so each word that can open a pattern gets a
    window as long as the longest pattern (windows that overlap are one) and
    the Matcher reads those. A pattern therefore names its first word
    (``ORTH`` or ``LOWER``) and never repeats a token (``+``, ``*``).
    """

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = Matcher(vocab)
        self._first_words: set[str] = set()
        self._first_lower: set[str] = set()
        self._longest = 0

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        for pattern in patterns:
            if any(token.get("OP") in ("+", "*") for token in pattern):
                raise ValueError(f"a pattern of {key} repeats a token: its matches have no longest length")
            first = pattern[0]
            if first.get("OP") not in (None, "!", "1") or not {"ORTH", "LOWER"} & first.keys():
                raise ValueError(f"a pattern of {key} does not name the word it starts with (ORTH or LOWER)")
            for attribute, words in (("ORTH", self._first_words), ("LOWER", self._first_lower)):
                value = first.get(attribute)
                if value is not None:
                    words.update(normalise(word) for word in (value["IN"] if isinstance(value, dict) else [value]))
            self._longest = max(self._longest, len(pattern))
        self.matcher.add(key, patterns)

    def __call__(self, doc: Doc, tokens: Tokens) -> list[tuple[int, int, int]]:
        """The Matcher's ``(match_id, start, end)`` in doc tokens, as if it had read all of ``doc``."""
        openings = sorted({*indexes_of(tokens.words, self._first_words), *indexes_of(tokens.lower, self._first_lower)})
        windows: list[list[int]] = []
        for index in openings:
            start = tokens.positions[index]
            end = min(start + self._longest, len(doc))
            if windows and start < windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        return [
            (match_id, start + first, start + last)
            for start, end in windows
            for match_id, first, last in self.matcher(doc[start:end])
        ]


def indexes_of(words: list[str], wanted: set[str] | frozenset[str]) -> list[int]:
    """Where the words of ``wanted`` stand in ``words``, in order, found without a loop in Python.

    ``wanted`` is one of the rules' word sets, intersected as it is rather than copied for every text. Most texts
    hold none of its words or one, whose few places ``list.index`` finds, reading the words once (the search past
    the last place ends in a ``ValueError``, cheaper than a count first); where several stand, one pass in C marks
    them all, where an index for each would read the words once per word.
    """
    present = wanted.intersection(words)
    if len(present) != 1:
        return list(compress(range(len(words)), map(present.__contains__, words))) if present else []
    (word,) = present
    found = [words.index(word)]
    try:
        while True:
            found.append(words.index(word, found[-1] + 1))
    except ValueError:
        return found


#: How many words' verdicts a ``Verdicts`` keeps between texts.
CACHED_VERDICTS = 1 << 16

V = TypeVar("V")


class Remembered(dict[str, V]):
    """Each word's value by ``compute``, computed on first sight and kept: a lookup costs a dict's, in C.

    The same few thousand words come back in every text. At most ``limit``
    are kept: the values start afresh once that many are.
    """

    def __init__(self, compute: Callable[[str], V], limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, word: str) -> V:
        if len(self) >= self._limit:
            self.clear()
        value = self[word] = self._compute(word)
        return value


class Verdicts(Remembered[bool]):
    """Each word's verdict by ``judge`` (``Remembered``), at most ``CACHED_VERDICTS`` of them."""

    def __init__(self, judge: Callable[[str], bool]) -> None:
        super().__init__(judge, CACHED_VERDICTS)


class _Words(NamedTuple):
    """A text's tokens as ``Tokens`` reads them: words looked up by, their doc positions and offsets, its line breaks."""

    text: str
    words: list[str]
    positions: list[int]
    starts: list[int]
    ends: list[int]
    newlines: list[int]
    #: The words that open a sentence, when the tokenizer knows them; else ``Tokens`` reads the doc's sentence starts.
    sentence_initial: set[int] | None = None

    @classmethod
    def of(cls, doc: Doc) -> _Words:
        """The words of a doc another tokenizer made: its tokens that are no whitespace."""
        positions = [token.i for token in doc if not token.is_space]
        starts = [doc[i].idx for i in positions]
        ends = [doc[i].idx + len(doc[i]) for i in positions]
        plain = normalise(doc.text)
        words = [plain[start:end] for start, end in zip(starts, ends)]
        return cls(doc.text, words, positions, starts, ends, _newlines(doc.text))


def _words_and_gaps(lead: str, tokens: list[str], gaps: list[str]) -> tuple[list[str], list[bool | str], list[int]]:
    """The doc's words and spaces from the tokens and the gap after each, and each token's position among the words.

    One space after a token is its trailing space, as in spaCy's tokenizer; any
    other gap (a line break, a second space) is a word of its own, as is ``lead``,
    the text before the first token.

    Most gaps are one space or none, which ``Doc`` reads as the spaces they are
    (``" "`` is true, ``""`` false): the tokens and their gaps are the words and
    spaces as they come, in runs cut only at the few other gaps, without a step in Python per token.
    """
    others = set(gaps).difference(_PLAIN_GAPS)
    if not lead and not others:
        return tokens, gaps, list(range(len(tokens)))
    words: list[str] = [lead] if lead else []
    spaces: list[bool | str] = [False] if lead else []
    positions: list[int] = []
    done = 0
    for index in sorted(indexes_of(gaps, others)):
        positions += range(len(words), len(words) + index + 1 - done)
        words += tokens[done : index + 1]
        spaces += gaps[done:index]
        gap = gaps[index]
        spaced = gap[0] == " "
        # Never empty: a gap of one space is no other gap.
        words.append(gap[1:] if spaced else gap)
        spaces += (spaced, False)
        done = index + 1
    positions += range(len(words), len(words) + len(tokens) - done)
    words += tokens[done:]
    spaces += gaps[done:]
    return words, spaces, positions


def _tokens_and_gaps(text: str) -> re.Pattern[str]:
    """The fastest pattern that splits ``text`` as ``_TOKENS_AND_GAPS`` does (most texts are Latin-1, most of the
    others have no underscore): a test of the whole text in C, against a faster scan of it.
    """
    if _is_latin_1(text):
        return _LATIN_1_TOKENS_AND_GAPS
    return _TOKENS_AND_GAPS if "_" in text else _TOKENS_AND_GAPS_WITHOUT_UNDERSCORES


def _is_latin_1(text: str) -> bool:
    """Whether every character of ``text`` is Latin-1 (U+0000-U+00FF): an ASCII text says so at once, another
    encodes (a copy of its bytes) or fails at its first character beyond.
    """
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _newlines(text: str) -> list[int]:
    """Where ``text``'s line breaks are: none in most titles and in many scraped bodies, which one test in C tells."""
    if "\n" not in text:
        return []
    return [match.start() for match in _NEWLINE.finditer(text)]


def _sentence_initial(doc: Doc, position: dict[int, int]) -> set[int]:
    """The words (by ``position`` of their doc token) that open a sentence, or follow whitespace that opens one."""
    initial = set()
    for start in (doc.to_array(SENT_START) == 1).nonzero()[0].tolist():
        word = position.get(start)
        if word is not None:
            initial.add(word)
        elif doc[start].is_space and start + 1 in position:
            initial.add(position[start + 1])
    return initial


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()
