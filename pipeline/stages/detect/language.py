"""Language identification for news: a fast n-gram detector, cheap evidence, a calibrated probability.

A character n-gram detector alone is weak exactly where routing needs it most:
a headline of two words, Dutch next to Afrikaans and Frisian, a Dutch article
quoting English. So the detector's log-probabilities are only one term of the
decision. Added to them, in the same log-odds units:

* marker words and letter patterns of the languages a Dutch news dump holds
  (Dutch function words and ``ij``; Afrikaans ``'n``, ``nie``, ``hulle``;
  Frisian ``fan``, ``binne``, ``hawwe``, ``ú``/``â``), which tell neighbouring
  languages apart on a word or two;
* for samples of a few words, whether they are Dutch words at all (a word list);
* a prior that favours the languages such a dump contains, Dutch first;
* the language the source declares, when the input has one.

The sum goes through a softmax with a temperature fitted on a labelled
development set (``python -m bench.language --calibrate``), so the probability
of the chosen language is calibrated: of the answers given with 0.9, about nine
in ten are right.
"""

from __future__ import annotations

import importlib.metadata
import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

import numpy as np

from pipeline.cache import cache_key, cached

#: Detector backends by setting name (``detect.backend``); the first, the default, measured best (bench/language.py).
BackendName = Literal["py3langid+lingua", "py3langid", "lingua", "langdetect"]
BACKENDS: tuple[BackendName, ...] = get_args(BackendName)

#: Samples up to this many characters are also read by lingua in the ``py3langid+lingua`` backend.
SHORT_CHARS = 30

#: ...unless py3langid is already this sure (log-probability): lingua would not change its mind.
SURE = math.log(0.95)

#: Prior log-odds of the languages of Dutch news dumps: Dutch, its neighbours and the languages it
#: quotes. Languages not listed get ``OTHER_PRIOR``. A head start for Dutch was tried on
#: bench/data/language_dev.tsv: it bought Dutch recall with more precision than it was worth.
PRIORS = {"nl": 0.0, "en": 0.0, "de": 0.0, "fr": 0.0, "af": 0.0, "fy": 0.0}

#: Prior log-odds of a language not in the priors: finite, so a long Spanish or Chinese text is still recognised.
OTHER_PRIOR = -3.0

#: Probabilities at or below this count as none: a language the backend does not know or rules out entirely.
_FLOOR_PROBABILITY = 1e-6
#: Log-probability given to such a language.
LOG_FLOOR = math.log(_FLOOR_PROBABILITY)

#: Softmax temperature of the combined score, fitted on bench/data/language_dev.tsv.
TEMPERATURE = 0.4

#: Weight of the square root of a language's marker count, in log-odds.
MARKER_WEIGHT = 2.0

#: Markers are counted in the first this many characters: enough to decide, and bounded work.
MARKER_CHARS = 300

#: Log-odds taken from Dutch when none of a short sample's words is a Dutch word (in proportion).
LEXICON_PENALTY = 2.0

#: Samples of at most this many words get the Dutch word-list check; longer ones need no help.
LEXICON_MAX_WORDS = 4

_ISO_639 = {
    "dut": "nl",
    "nld": "nl",
    "vls": "nl",
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "fre": "fr",
    "fra": "fr",
    "afr": "af",
    "fry": "fy",
    "zh-cn": "zh",
    "zh-tw": "zh",
}

#: Words that, among the expected languages, mostly belong to one (a few to two, where they cancel).
_MARKER_WORDS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        "de het een niet zijn wordt worden werd heeft hebben hij zij wij ze naar voor bij zich deze zou zal "
        "dus toch echter tijdens door tegen uit volgens gisteren vandaag morgen haar hun "
        "jullie wel nu er zo maar nog al".split()
    ),
    "af": frozenset(
        "die 'n nie hulle ons is gewees sal vir baie gesê sê jy julle ek hierdie daardie deur oor teen "
        "gister vandag môre ná mense wat nog ook maar het".split()
    ),
    "fy": frozenset(
        "de it fan yn binne hawwe hat wy hja dêr hjir mei oer troch foar út wie wiene wurdt wurde waard sil "
        "soe moat ek noch gjin gjinien neat tige hjoed juster moarn jier minsken om't dy't sa't "
        "wannear't syn harren har dizze no sei seit".split()
    ),
    "en": frozenset(
        "the and of to is was were are has have had it that this with for by from will would not "
        "be been said says which who what their they there at on his her she he after about than also but "
        "or could should".split()
    ),
    "de": frozenset(
        "der die das und nicht ist sind war wird wurde werden mit für auf von zu den dem des ein eine "
        "einen im auch sich noch nach bei über gegen wie".split()
    ),
    "fr": frozenset(
        "le la les des du un une et est sont a été pas ne que qui dans pour sur avec par au aux "
        "ce cette il elle ils plus".split()
    ),
}

_WORD_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _language, _words in _MARKER_WORDS.items():
    for _word in _words:
        _WORD_LANGUAGES[_word] = (*_WORD_LANGUAGES.get(_word, ()), _language)

#: Letter patterns that mark one language among the expected ones.
_MARKER_PATTERNS: dict[str, re.Pattern[str]] = {
    "nl": re.compile(r"ij"),
    "en": re.compile(r"th|wh|ght|sh|\w'(?:s|t|re|ll|ve)\b"),
    "af": re.compile(r"(?<!\w)'n(?!\w)|[ëô]|\w(?:ê|û)"),
    "fy": re.compile(r"(?<!\w)hj|tsj|ú|â|ii|uo|(?<!\w)sj"),
    "de": re.compile(r"ß|[äöü]|(?<=\w)ung\b"),
    "fr": re.compile(r"[éèàçù]|(?<!\w)[ldjnsqu]+'\w"),
}

#: How a match of any of them starts, its first two letters where it has them (keep in step with the patterns):
#: one look rules out most positions, where the alternation alone would try each of its branches.
_MARKER_STARTS = r"ij|th|wh|gh|sh|hj|ts|ii|uo|sj|un|[ëôúâßäöüéèàçù']|\w['êû]|[ldjnsqu]+'"
_MARKER_ALTERNATION = "|".join(f"(?P<{lang}>{pattern.pattern})" for lang, pattern in _MARKER_PATTERNS.items())
_MARKER_PATTERN = re.compile(f"(?={_MARKER_STARTS})(?:{_MARKER_ALTERNATION})")
_WORD = re.compile(r"\w+(?:'\w+)?|'n\b")

#: What every branch of ``_MARKER_PATTERNS`` left out of ``_PLAIN_MARKERS`` needs: an apostrophe, ``ê`` or ``û``.
_APOSTROPHE_OR_HAT = ("'", "ê", "û")
#: The marker patterns' other branches, each a string and its language, for a text that holds none of
#: ``_APOSTROPHE_OR_HAT`` (most): a branch can only match there if it is one of these.
_PLAIN_MARKERS = {
    **dict.fromkeys(("ij",), "nl"),
    **dict.fromkeys(("th", "wh", "ght", "sh"), "en"),
    **dict.fromkeys(("ë", "ô"), "af"),
    **dict.fromkeys(("hj", "tsj", "ú", "â", "ii", "uo", "sj"), "fy"),
    **dict.fromkeys(("ß", "ä", "ö", "ü", "ung"), "de"),
    **dict.fromkeys(("é", "è", "à", "ç", "ù"), "fr"),
}
#: ``_PLAIN_MARKERS`` as one pattern, each branch opening with its first letter (the look-behinds of ``hj``, ``sj``
#: and ``ung`` placed after it): a search then skips in C to the letters that open one, where a pattern that opens
#: with a look-ahead or a group is tried at every character. Branches that open with one letter differ in the
#: next, so at most one matches anywhere: their order is the patterns' order, and each match is theirs.
_PLAIN_MARKER_PATTERN = re.compile(
    "|".join(
        {"hj": r"h(?<!\wh)j", "sj": r"s(?<!\ws)j", "ung": r"u(?<=\wu)ng\b"}.get(marker, marker)
        for marker in _PLAIN_MARKERS
    )
)
_PLAIN_WORD = re.compile(r"\w+")
#: Each Latin-1 byte that ``\w`` matches (``str.isalnum`` or the underscore) as it is, every other byte a space.
_LATIN_1_WORD_CHARACTERS = bytes(code if chr(code).isalnum() or chr(code) == "_" else ord(" ") for code in range(256))
_LETTERS = re.compile(r"[^\W\d_]+")
_ASCII_LETTERS = string.ascii_letters.encode()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=1024)
def normalize_language(code: str | None) -> str | None:
    """An ISO 639-1 code for a declared or detected language (``NL``, ``nl-BE``, ``nld`` -> ``nl``)."""
    if code is None or not code.strip():
        return None
    code = code.strip().lower().replace("_", "-")
    if code in _ISO_639:
        return _ISO_639[code]
    base = code.split("-", 1)[0]
    return _ISO_639.get(base, base)


def marker_counts(text: str) -> dict[str, int]:
    """How many marker words and letter patterns of each expected language the start of ``text`` holds."""
    lowered = text[:MARKER_CHARS].lower()
    counts = dict.fromkeys(_MARKER_WORDS, 0)
    if any(mark in lowered for mark in _APOSTROPHE_OR_HAT):
        words = _WORD.findall(lowered)
        letters = [match.lastgroup for match in _MARKER_PATTERN.finditer(lowered)]
    else:
        # Without an apostrophe a word is a run of word characters, and every marker one of ``_PLAIN_MARKERS``.
        words = _plain_words(lowered)
        letters = list(map(_PLAIN_MARKERS.__getitem__, _PLAIN_MARKER_PATTERN.findall(lowered)))
    # Most words are no marker: they are looked up and tallied in C (``map``, ``Counter``), and only each set of
    # languages that markers name loops here.
    for languages, count in Counter(filter(None, map(_WORD_LANGUAGES.get, words))).items():
        for language in languages:
            counts[language] += count
    for language in letters:
        counts[language] += 1
    return counts


def _plain_words(text: str) -> list[str]:
    """``_PLAIN_WORD.findall(text)``: for a Latin-1 text, as most are, its runs of word characters are the only
    characters that a byte table leaves no space, split apart in C, some three times faster than the pattern's scan.
    """
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        return _PLAIN_WORD.findall(text)
    return latin.translate(_LATIN_1_WORD_CHARACTERS).decode("latin-1").split()


_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûü")
#: Lower-case words in a row that a name may hold (``Notre-Dame-des-Abeilles``, ``Van de Velde``)...
_NAME_PARTICLES = 2
#: ...and the words they may be: the particles of Dutch, French, German, Spanish, Italian and Portuguese names.
_NAME_PARTICLE_WORDS = frozenset(
    "van de der den het ten ter te op in t la le les du des d di da del della dei degli do dos das von zu y e".split()
)
#: What a word may carry around it in running text: punctuation, quotes, brackets.
_PUNCTUATION = ".,:;!?\"'“”‘’„«»()[]{}…-–—/*"


@dataclass(frozen=True)
class ProseEvidence:
    """How much of a text is prose: the words that tell a language, against all its tokens.

    Names, numbers, scores, times and abbreviations say little about the language around
    them: ``Jansen (Dui) 3u12:40`` reads as Frisian or German to an n-gram model as easily as
    Dutch. The words that do tell are the common ones, written in lower case in every language
    of the priors (``de``, ``rit``, ``allen``; German nouns aside, its verbs and articles too).
    A lower-case word or two between capitalised ones is part of a name (``Col de la Croix``,
    ``F. de Boer``), the language of the place or person, not of the text; one without a vowel is
    a unit or an abbreviation (``km``, ``kg``, ``nr``).
    """

    words: tuple[str, ...]
    tokens: int

    @classmethod
    def of(cls, text: str) -> ProseEvidence:
        """The prose words of ``text`` and the count of its whitespace-separated tokens."""
        chunks = text.split()
        return cls(_prose_words(chunks, list(map(_prose_word, chunks))), len(chunks))

    def is_poor(self, min_words: int, min_share: float) -> bool:
        """Too few prose words, or too small a share of the tokens, for the text's own reading to count."""
        return len(self.words) < min_words or len(self.words) < min_share * self.tokens

    @classmethod
    def text_is_poor(cls, text: str, min_words: int, min_share: float) -> bool:
        """``ProseEvidence.of(text).is_poor(min_words, min_share)``, most often settled by counting.

        Each prose word is a chunk's word (``_prose_word``), and only a particle's may be left out as a name's: the
        chunks with a word bound the count from above, those with a word that is no particle from below. The
        particles are placed only where the bounds fall on either side of what ``is_poor`` asks.
        """
        chunks = text.split()
        # Each chunk's word comes from the cache, looked up in C (``map``), and the bounds are counted in C too.
        candidates = list(map(_prose_word, chunks))
        most = len(candidates) - candidates.count(None)
        least = most - sum(map(_NAME_PARTICLE_WORDS.__contains__, candidates))
        needed = max(min_words, min_share * len(chunks))
        if least >= needed or most < needed:
            return most < needed
        return cls(_prose_words(chunks, candidates), len(chunks)).is_poor(min_words, min_share)


def _prose_words(chunks: list[str], candidates: list[str | None]) -> tuple[str, ...]:
    """The prose words among ``candidates``, the ``_prose_word`` of each of ``chunks``: all but a name's particles."""
    return tuple(
        word
        for index, word in enumerate(candidates)
        if word is not None and (word not in _NAME_PARTICLE_WORDS or not _in_name(chunks, index))
    )


@lru_cache(maxsize=65_536)
def _prose_word(chunk: str) -> str | None:
    """The word in a whitespace-separated chunk if it can be a prose word: lower-case, letters only, a vowel.

    Cached: the same chunks (``de``, ``het``, ``van``) come back in every paragraph and sample.
    """
    word = chunk.strip(_PUNCTUATION).rpartition("'")[2].rpartition("’")[2]
    if len(word) < 2 or not word[0].islower() or not word.isalpha() or _VOWELS.isdisjoint(word):
        return None
    return word


def _in_name(chunks: list[str], index: int) -> bool:
    """Whether the particle at ``index`` stands inside a name: at most ``_NAME_PARTICLES`` of them in a row
    between capitalised words, nothing but an initial's full stop after the word before (``F. de Boer``);
    ``Tweede ronde: Miller`` or ``Gent, de Zwitser`` is prose between two names.

    In prose the word after a particle is most often neither capitalised nor another particle: that ends it.
    """
    following = chunks[index + 1] if index + 1 < len(chunks) else ""
    if not following[:1].isupper() and following not in _NAME_PARTICLE_WORDS:
        return False
    first = last = index
    while first > 0 and chunks[first - 1] in _NAME_PARTICLE_WORDS:
        first -= 1
    while last + 1 < len(chunks) and chunks[last + 1] in _NAME_PARTICLE_WORDS:
        last += 1
    if last - first >= _NAME_PARTICLES or first == 0 or last + 1 == len(chunks):
        return False
    before, after = chunks[first - 1], chunks[last + 1]
    joined = before[-1].isalpha() or (len(before) == 2 and before.endswith("."))
    return joined and before[0].isupper() and after[0].isupper()


#: Scripts the languages in ``PY3LANGID_LANGUAGES`` are written in (first word of a letter's Unicode name).
KNOWN_SCRIPTS = frozenset(
    "LATIN CYRILLIC GREEK ARABIC HEBREW CJK HIRAGANA KATAKANA HANGUL DEVANAGARI BENGALI GURMUKHI "
    "TAMIL TELUGU MALAYALAM SINHALA THAI GEORGIAN ARMENIAN".split()
)


def unknown_script(text: str, letters: int = 200) -> str | None:
    """The script most of the leading letters are in, if no supported language uses it.

    A detector always names its nearest language, even for a script it has never
    seen (Tifinagh comes out as Chinese); such text gets no language instead.
    Only non-ASCII letters are looked up, and only when there are enough of them to outnumber the ASCII
    ones, so Latin text costs one regex pass (the ASCII letters are the bytes a translation deletes, counted in C),
    and an ASCII text none (Python knows it is one without reading it).
    """
    head = text[: letters * 2]
    if head.isascii():
        return None
    ascii_bytes = head.encode("ascii", "ignore")
    latin = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTERS))
    others = _NON_ASCII.findall(head)
    if latin >= len(others):
        return None
    scripts: dict[str, int] = {"LATIN": latin}
    for char in others:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
            scripts[script] = scripts.get(script, 0) + 1
    total = sum(scripts.values())
    if total == 0:
        return None
    known = sum(count for script, count in scripts.items() if script in KNOWN_SCRIPTS)
    if known * 2 >= total:
        return None
    return max(scripts, key=scripts.__getitem__)


class DutchLexicon:
    """Which words are Dutch: simplemma's Dutch dictionary (``pipeline.lexicon``), loaded on the first question.

    Frisian and Afrikaans words that look Dutch to an n-gram model
    (``ierdbeving``, ``wetterskip``, ``werkloosheidsyfer``) are not in it,
    which tells a short sample apart where letter statistics cannot. Only
    samples of a few words ask (``LEXICON_MAX_WORDS``), so a worker whose
    articles have none never loads its 370,000 entries.
    """

    def __init__(self) -> None:
        self.model_id = f"simplemma@{importlib.metadata.version('simplemma')}"

    def _is_known(self, word: str, language: str) -> bool:
        from pipeline.lexicon import is_known

        return is_known(word, language)

    def unknown_share(self, words: list[str]) -> float:
        """The share of ``words`` that are not Dutch words."""
        return sum(not self.is_dutch(word) for word in words) / len(words)

    def is_dutch(self, word: str) -> bool:
        """A Dutch word, or a compound of two (``stikstof|plan``, ``jeugd|zorg``, ``leraren|tekort``).

        Dutch writes compounds as one word and no dictionary lists them all, so
        without the split every new compound in a headline counts against Dutch.
        Both parts must be words of at least three letters; a linking ``s`` may
        join them (``verkeer|s|ongeval``).
        """
        word = word.lower()
        if self._is_known(word, "nl"):
            return True
        for cut in range(3, len(word) - 2) if len(word) >= 7 else ():
            head, tail = word[:cut], word[cut:]
            if self._is_known(head, "nl") and (
                self._is_known(tail, "nl") or (tail[0] == "s" and len(tail) > 3 and self._is_known(tail[1:], "nl"))
            ):
                return True
        return False


class Backend(Protocol):
    """A language detector: log-probabilities of the languages it knows for a text."""

    name: str
    model_id: str

    def log_probs(self, text: str) -> dict[str, float]: ...

    def best(self, text: str) -> tuple[str, float] | None:
        """The most probable language and its probability, as cheaply as the backend can tell."""
        ...

    def prepare(self, texts: Iterable[str]) -> None:
        """The texts that will be asked about next, for a backend that reads a batch faster than each text alone."""
        ...


def _log(probability: float) -> float:
    """A backend's probability in log-odds units, ``LOG_FLOOR`` for one too small to count (or zero)."""
    return math.log(probability) if probability > _FLOOR_PROBABILITY else LOG_FLOOR


def _best_of(log_probs: dict[str, float]) -> tuple[str, float] | None:
    if not log_probs:
        return None
    language = max(log_probs, key=log_probs.__getitem__)
    return language, math.exp(log_probs[language])


#: The languages py3langid chooses among: Dutch, its neighbours, the European languages and the
#: world's major scripts. Its many small languages (Fula, Kikuyu, Nigerian Pidgin...) only ever won
#: on Dutch headlines by accident, and each one costs time on every text.
PY3LANGID_LANGUAGES = (
    "nl af fy en de fr lb da sv no nn is fo es pt it ca gl eu oc la ro pl cs sk sl hr bs sr mk bg "
    "ru uk be lt lv et fi hu el sq tr az ku ar fa ur he hi bn pa ta te ml si ne th vi id ms tl "
    "sw zh ja ko ka hy ga cy br mt eo"
).split()


#: Texts py3langid scores in one go: a batch's paragraphs, a few hundred at most.
SCORED_TOGETHER = 256

#: A byte no UTF-8 text holds and no n-gram of py3langid's contains: from any state its automaton reads it back to
#: the start, so texts joined by it are read as if each were alone.
_SEPARATOR = 0xFF


class _NgramAutomaton:
    """py3langid's n-gram automaton (Aho-Corasick over bytes): the feature, if any, each byte of a text completes.

    py3langid walks it a byte at a time in Python (``visit_counts``), a tenth of a microsecond a byte, which
    was most of the stage's time. Its state after a byte is the longest suffix of the text so far that starts
    an n-gram, at most ``depth`` bytes long, so the last ``depth`` bytes alone decide it: a text cut into
    chunks, each walked from the start over the ``depth - 1`` bytes before it, is in the same state at every
    byte. All chunks of all texts of a batch then take each step together, two array lookups per step.
    """

    def __init__(self, nextmove: Any, row: Any, output: list[int], depth: int) -> None:
        self._nextmove = np.frombuffer(nextmove, dtype=nextmove.typecode)
        self._rowbase = np.frombuffer(row, dtype=row.typecode).astype(np.intp) << 8
        self._output = np.asarray(output, dtype=np.intp)
        self._warmup = depth - 1

    def features(self, texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """The feature each byte completes (-1: none) in ``texts`` joined by the separator, and each text's offset."""
        joined = bytes([_SEPARATOR]).join(texts)
        # Wide chunks take fewer steps, narrow ones repeat fewer warm-up bytes: a single paragraph wants ~4 bytes.
        width = max(4, min(32, math.isqrt(len(joined)) // 4))
        chunks = max(1, -(-len(joined) // width))
        padded = np.full(self._warmup + chunks * width, _SEPARATOR, dtype=np.uint8)
        padded[self._warmup : self._warmup + len(joined)] = np.frombuffer(joined, dtype=np.uint8)
        # reads[step, chunk]: the byte a chunk reads at a step, its warm-up bytes (the ones before it) first.
        reads = np.lib.stride_tricks.as_strided(
            padded, shape=(self._warmup + width, chunks), strides=(1, width), writeable=False
        ).astype(np.intp)
        states = np.zeros(chunks, dtype=np.intp)
        moves = np.empty(chunks, dtype=np.intp)
        # Each step's states are written in place into its row. Every index is in range by construction (a state's
        # row holds a move for each byte), so ``clip`` mode changes nothing but that numpy does not buffer the output.
        visited = np.empty((self._warmup + width, chunks), dtype=self._nextmove.dtype)
        for step, read in enumerate(reads):
            self._rowbase.take(states, out=moves, mode="clip")
            moves += read
            states = visited[step]
            self._nextmove.take(moves, out=states, mode="clip")
        features = self._output.take(visited[self._warmup :].T.ravel()[: len(joined)], mode="clip")
        offsets = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
        return features, offsets


def _tally(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` in order of first occurrence and how often each occurs: ``Counter(keys)``, on arrays."""
    if not len(keys):
        return keys, keys
    order = np.argsort(keys)
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts_at_first = np.zeros(len(keys), dtype=np.intp)
    # A key's first occurrence is the smallest position in its run of equal keys.
    counts_at_first[np.minimum.reduceat(order, starts)] = np.diff(np.append(starts, len(keys)))
    firsts = np.flatnonzero(counts_at_first)
    return keys[firsts], counts_at_first[firsts]


class Py3langidBackend:
    """py3langid (langid.py's naive Bayes over byte n-grams, with Frisian), model in the wheel.

    The stage announces the texts of a batch it will ask about (``prepare``) and they are scored together; a
    text not announced is scored alone. Either way the numbers are py3langid's to the bit (its
    ``LanguageIdentifier._decide``: the same n-gram counts in the same order, the same float32 arithmetic),
    and a paragraph asked ``best`` and then ``log_probs`` is scored once.
    """

    name = "py3langid"

    def __init__(self) -> None:
        from py3langid.langid import LanguageIdentifier

        self.model_id = f"py3langid@{importlib.metadata.version('py3langid')}"
        ptc, pc, classes, nextmove, output, row, depth = _py3langid_model(tuple(PY3LANGID_LANGUAGES))
        self._identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
        self._automaton = _NgramAutomaton(nextmove, row, output, depth)
        self._feature_bits = (len(ptc) - 1).bit_length()
        first_column: dict[str, int] = {}
        for column, label in enumerate(classes):
            first_column.setdefault(label, column)
        #: py3langid ranks each label once, at its first column; a script alias (``srl`` -> ``sr``) adds into it.
        self._aliases = [
            (first_column[label], column) for column, label in enumerate(classes) if first_column[label] != column
        ]
        self._columns = np.fromiter(first_column.values(), dtype=np.intp)
        self._labels = [normalize_language(label) for label in classes]
        self._column_labels = [self._labels[column] for column in self._columns]
        self._prepared: dict[str, np.ndarray] = {}

    def prepare(self, texts: Iterable[str]) -> None:
        """Score ``texts`` together, for the questions that follow (until the next batch is announced).

        A few hundred at a time, so that a batch of long documents does not make arrays of millions of bytes.
        """
        unique = list(dict.fromkeys(texts))
        self._prepared = {}
        for start in range(0, len(unique), SCORED_TOGETHER):
            group = unique[start : start + SCORED_TOGETHER]
            self._prepared.update(zip(group, self._score(group)))

    def log_probs(self, text: str) -> dict[str, float]:
        """The ten most probable languages (the rest only cost time); none when no n-gram is known."""
        probabilities = self._probabilities(text).take(self._columns)
        ranked = probabilities.tolist()
        if max(ranked) - min(ranked) < 1e-9:
            return {}
        # A stable sort of the negated values ranks as ``sorted(..., reverse=True)`` does, ties in column order.
        top = (-probabilities).argsort(kind="stable")[:10].tolist()
        return {self._column_labels[index]: _log(ranked[index]) for index in top}

    def best(self, text: str) -> tuple[str, float] | None:
        """One argmax, no ranking: the cheap question a paragraph is asked first."""
        probabilities = self._probabilities(text)
        column = int(probabilities.argmax())
        return self._labels[column], float(probabilities[column])

    def _probabilities(self, text: str) -> np.ndarray:
        prepared = self._prepared.get(text)
        return prepared if prepared is not None else self._score([text])[0]

    def _score(self, texts: list[str]) -> np.ndarray:
        """py3langid's probability per class column for each of ``texts`` (one row each)."""
        identifier = self._identifier
        encoded = [identifier._encode(text) for text in texts]
        features, offsets = self._automaton.features(encoded)
        hits = np.flatnonzero(features >= 0)
        owners = np.searchsorted(offsets, hits, side="right") - 1
        keys, counts = _tally((owners << self._feature_bits) | features[hits])
        weights = np.log1p(counts.astype(np.float32))
        features = keys & ((1 << self._feature_bits) - 1)
        bounds = np.searchsorted(keys >> self._feature_bits, np.arange(len(texts) + 1))
        # A text without a known n-gram keeps zeros: py3langid's uniform answer.
        scores = np.zeros((len(texts), len(identifier.nb_pc)), dtype=np.float32)
        for index, (start, end) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
            if start < end:
                # Fresh arrays, as py3langid's own: the product is the same BLAS call on the same operands.
                rows = identifier.nb_ptc.take(features[start:end], axis=0)
                scores[index] = weights[start:end].copy() @ rows
        # The class priors added to the rows of texts with a known n-gram at once: the same float32 sums.
        scores[bounds[1:] > bounds[:-1]] += identifier.nb_pc
        scores *= np.array([1.0 / math.sqrt(len(text) or 1) for text in encoded], dtype=np.float32)[:, None]
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        for first, alias in self._aliases:
            scores[:, first] += scores[:, alias]
            scores[:, alias] = 0.0
        return scores


@lru_cache(maxsize=1)
def _py3langid_model(languages: tuple[str, ...]) -> tuple[Any, ...]:
    """py3langid's model for ``languages``, from the disk cache: the wheel's LZMA file takes a second to unpack."""
    key = cache_key("py3langid", [Path(__file__).read_bytes()], languages, packages=("py3langid",))
    return cached(key, lambda: _unpack_py3langid_model(languages))


def _unpack_py3langid_model(languages: tuple[str, ...]) -> tuple[Any, ...]:
    """The arrays of py3langid's ``LanguageIdentifier`` for the classes of ``languages`` alone, and its automaton's depth.

    The model ships as float16, strided once columns are dropped: numpy has no BLAS path for that, and the row
    gather plus product cost four times what they cost in contiguous float32 (15 MB more).
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    wanted = set(languages)
    kept = [index for index, code in enumerate(classes) if code in wanted]
    ptc = np.ascontiguousarray(np.asarray(ptc)[:, kept], dtype=np.float32)
    depth = _automaton_depth(nextmove, row, output)
    return ptc, np.asarray(pc)[kept], [classes[index] for index in kept], nextmove, output, row, depth


def _automaton_depth(nextmove: Any, row: Any, output: list[int]) -> int:
    """The length of the longest n-gram prefix a state of py3langid's automaton stands for (its deepest state).

    Breadth first from the start: in an Aho-Corasick automaton a state is first reached by its own string.
    Also checks that the separator leads every state back to the start, where nothing is counted.
    """
    moves = np.frombuffer(nextmove, dtype=nextmove.typecode).reshape(-1, 256)
    rows = np.frombuffer(row, dtype=row.typecode)
    if moves[:, _SEPARATOR].any() or output[0] >= 0:
        raise ValueError(f"py3langid's automaton reads byte {_SEPARATOR:#x}: texts cannot be joined by it")
    depth = np.full(len(rows), -1)
    depth[0] = 0
    frontier = np.zeros(1, dtype=np.intp)
    level = 0
    while frontier.size:
        level += 1
        reached = moves[rows[frontier]].ravel()
        frontier = np.unique(reached[depth[reached] < 0])
        depth[frontier] = level
    return level - 1


class LinguaBackend:
    """lingua: n-gram models of up to five letters; restricted to ``languages`` and built once.

    lingua has no Frisian; ``fy`` gets the floor and only markers can name it.
    """

    name = "lingua"

    def __init__(self, languages: Iterable[str], low_accuracy: bool) -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        known = []
        for code in languages:
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is not None:
                known.append(Language.from_iso_code_639_1(iso))
        builder = LanguageDetectorBuilder.from_languages(*known)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        self._detector = builder.build()
        mode = ",low-accuracy" if low_accuracy else ""
        self.model_id = f"lingua@{importlib.metadata.version('lingua-language-detector')}{mode}"

    def log_probs(self, text: str) -> dict[str, float]:
        return {
            value.language.iso_code_639_1.name.lower(): _log(value.value)
            for value in self._detector.compute_language_confidence_values(text)
        }

    def best(self, text: str) -> tuple[str, float] | None:
        return _best_of(self.log_probs(text))

    def prepare(self, texts: Iterable[str]) -> None:
        """Nothing to gain: each text is read alone."""


@lru_cache(maxsize=1)
def _langdetect_factory():
    """langdetect's profiles, loaded once per process and never modified afterwards."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


class LangdetectBackend:
    """langdetect, seeded per document so the answer never depends on earlier documents or the run.

    It samples random n-grams; the stage seeds every detector itself instead of
    the global ``DetectorFactory.seed``, so no other code in the process is affected.
    """

    name = "langdetect"

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.model_id = f"langdetect@{importlib.metadata.version('langdetect')}"
        self._factory = _langdetect_factory()

    def log_probs(self, text: str) -> dict[str, float]:
        from langdetect.lang_detect_exception import ErrorCode, LangDetectException

        detector = self._factory.create()
        detector.seed = self.seed
        detector.append(text)
        try:
            candidates = detector.get_probabilities()
        except LangDetectException as error:
            if error.get_code() != ErrorCode.CantDetectError:
                raise
            return {}
        return {normalize_language(c.lang): _log(c.prob) for c in candidates}

    def best(self, text: str) -> tuple[str, float] | None:
        return _best_of(self.log_probs(text))

    def prepare(self, texts: Iterable[str]) -> None:
        """Nothing to gain: each text is read alone."""


class CombinedBackend:
    """py3langid everywhere, averaged with lingua on short samples, where py3langid guesses.

    lingua's five-letter models recognise a Dutch word or word pair far better,
    but it is several times slower and has no Frisian; long samples are left
    to py3langid alone. As lingua cannot say Frisian, its opinion only counts
    for the share of probability py3langid does not give to Frisian.
    """

    name = "py3langid+lingua"

    def __init__(self, languages: Iterable[str], short_chars: int = SHORT_CHARS) -> None:
        self._long = Py3langidBackend()
        self._short = LinguaBackend(languages, low_accuracy=False)
        self.short_chars = short_chars
        self.model_id = f"{self._long.model_id}+{self._short.model_id}"

    def log_probs(self, text: str) -> dict[str, float]:
        long = self._long.log_probs(text)
        if len(text) > self.short_chars or max(long.values(), default=0.0) > SURE:
            return long
        short = self._short.log_probs(text)
        frisian = math.exp(long.get("fy", LOG_FLOOR))
        mixed = {"fy": long.get("fy", LOG_FLOOR)}
        for language in (long.keys() | short.keys()) - {"fy"}:
            p_long = math.exp(long.get(language, LOG_FLOOR))
            p_short = math.exp(short.get(language, LOG_FLOOR))
            probability = (p_long + (1 - frisian) * p_short) / 2
            mixed[language] = _log(probability)
        return mixed

    def best(self, text: str) -> tuple[str, float] | None:
        """py3langid's answer: the cheap question is asked of paragraphs, where lingua adds nothing."""
        return self._long.best(text)

    def prepare(self, texts: Iterable[str]) -> None:
        """py3langid reads every text; lingua only the short ones, alone."""
        self._long.prepare(texts)


def build_backend(
    name: BackendName, *, seed: int = 0, languages: Iterable[str] = tuple(PRIORS), low_accuracy: bool = True
) -> Backend:
    """The detector called ``name`` (one of ``BACKENDS``), with its model loaded.

    ``languages`` restricts lingua (its time grows with every language it weighs); py3langid and
    langdetect always weigh all theirs.
    """
    if name == "py3langid+lingua":
        return CombinedBackend(languages)
    if name == "py3langid":
        return Py3langidBackend()
    if name == "lingua":
        return LinguaBackend(languages, low_accuracy)
    if name == "langdetect":
        return LangdetectBackend(seed)
    raise ValueError(f"unknown language detector {name!r}; choose one of {', '.join(BACKENDS)}")


@dataclass(frozen=True)
class Identification:
    """The decision for one text: the language, its calibrated probability, and the runners-up."""

    language: str
    score: float
    probabilities: dict[str, float]


class LanguageIdentifier:
    """Decide a text's language from a backend's scores plus markers, expectations and a declared language.

    Args:
        backend: the detector that supplies log-probabilities.
        priors: prior log-odds per language, for the languages the input is expected to hold.
        other_prior: prior log-odds of every other language.
        declared_weight: log-odds added to the language the source declares.
        marker_weight: log-odds per square root of the marker count of a language.
        temperature: softmax temperature, fitted on the development set.
        lexicon: the Dutch word list that short samples are checked against, or ``None``.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        priors: dict[str, float] | None = None,
        other_prior: float = OTHER_PRIOR,
        declared_weight: float = 2.0,
        marker_weight: float = MARKER_WEIGHT,
        temperature: float = TEMPERATURE,
        lexicon: DutchLexicon | None = None,
    ) -> None:
        self.backend = backend
        self.priors = dict(PRIORS if priors is None else priors)
        self.other_prior = other_prior
        self.declared_weight = declared_weight
        self.marker_weight = marker_weight
        self.temperature = temperature
        self.lexicon = lexicon

    def scores(self, text: str, declared: str | None = None) -> dict[str, float]:
        """Combined log-odds per language, before calibration."""
        scores = self.backend.log_probs(text)
        if not scores:
            return scores
        for language in self.priors:
            scores.setdefault(language, LOG_FLOOR)
        for language, count in marker_counts(text).items():
            if count and language in scores:
                scores[language] += self.marker_weight * math.sqrt(count)
        if self.lexicon is not None and "nl" in scores:
            # Only the first words past the limit are looked for: a long sample is not split into all its words.
            words = [match.group() for match in islice(_LETTERS.finditer(text), LEXICON_MAX_WORDS + 1)]
            if 0 < len(words) <= LEXICON_MAX_WORDS:
                scores["nl"] -= LEXICON_PENALTY * self.lexicon.unknown_share(words)
        prior = self.priors.get
        scores = {language: score + prior(language, self.other_prior) for language, score in scores.items()}
        declared = normalize_language(declared)
        if declared is not None:
            scores[declared] = scores.get(declared, LOG_FLOOR + self.other_prior) + self.declared_weight
        return scores

    def prepare(self, texts: Iterable[str]) -> None:
        """Announce the texts of a batch that will be asked about: the backend may score them together."""
        self.backend.prepare(texts)

    def confirms(self, text: str, language: str, probability: float) -> bool:
        """Whether the backend alone gives ``text`` to ``language`` with at least ``probability``.

        One detector call instead of the whole decision: enough to keep a paragraph in the
        language of the one before it, the common case in an article.
        """
        found = self.backend.best(text)
        return found is not None and found[0] == language and found[1] >= probability

    def identify(self, text: str, declared: str | None = None) -> Identification | None:
        """The most probable language of ``text``, or ``None`` when the backend finds no evidence at all."""
        scores = self.scores(text, declared)
        if not scores:
            return None
        top = max(scores.values())
        weights = {language: math.exp((score - top) / self.temperature) for language, score in scores.items()}
        total = sum(weights.values())
        ranked = sorted(weights.items(), key=itemgetter(1), reverse=True)[:5]
        probabilities = {language: weight / total for language, weight in ranked}
        language, score = ranked[0][0], ranked[0][1] / total
        return Identification(language, score, probabilities)
