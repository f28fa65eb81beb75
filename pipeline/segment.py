"""Sentence segmentation shared by every stage, so text is split once and the same way.

``sentence_spans`` is the one segmenter: rules written for Dutch news, where a
general tokenizer's sentencizer goes wrong (``bench/segment.py`` compares them).

* A line break always ends a sentence: a heading such as ``Geen afname`` or a
  list item has no full stop and must not be glued to the paragraph under it.
* A sentence ends at ``.``, ``!``, ``?`` or an ellipsis followed by whitespace
  and a sentence start (a capital or a digit, after any opening quote, bracket
  or dialogue dash). Closing quotes and brackets right after the full stop stay
  with their sentence; the opening quote after the space goes to the next, so
  ``"We gaan door," zei hij. "Altijd."`` is two sentences, each balanced.
* A full stop after an abbreviation (``dhr.``, ``o.a.``, ``i.v.m.``), an
  initial (``J.P. Balkenende``) or a list number at the start of a line ends
  nothing. Abbreviations that also close sentences (``enz.``, ``jl.``) and a
  surname initial (``Michael P.``) end one only when a word that opens
  sentences (``De``, ``Hij``) follows. ``nr.`` and ``blz.`` before a number
  end nothing.
* ``!`` or ``?`` before a lower-case word (``"Waarom?" vroeg ze.``) and an
  ellipsis inside a sentence (``Hij wachtte… en wachtte``) end nothing.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS as _ENGLISH_STOP_WORDS
from spacy.lang.nl.stop_words import STOP_WORDS as _DUTCH_STOP_WORDS

from pipeline.document import Result

_LINE = re.compile(r"[^\n]+")

#: Abbreviations that never end a sentence: titles before a name, and those inside a phrase.
NEVER_FINAL = frozenset(
    {
        "dhr",
        "mevr",
        "mw",
        "mej",
        "mr",
        "mrs",
        "ms",
        "dr",
        "drs",
        "ir",
        "ing",
        "prof",
        "ds",
        "mgr",
        "st",
        "sr",
        "jr",
        "burg",
        "gen",
        "lt",
        "kol",
        "o.a",
        "bijv",
        "bv",
        "bijvoorbeeld",
        "ca",
        "i.v.m",
        "m.b.t",
        "t.a.v",
        "n.a.v",
        "o.l.v",
        "m.m.v",
        "i.p.v",
        "i.s.m",
        "d.w.z",
        "m.a.w",
        "z.g",
        "zgn",
        "resp",
        "vgl",
        "evt",
        "incl",
        "excl",
        "ong",
        "vs",
        "e.g",
        "i.e",
        "approx",
    }
)
#: Abbreviations that may also close a sentence: they end one before a word that opens sentences.
MAY_BE_FINAL = frozenset(
    {
        "enz",
        "etc",
        "jl",
        "j.l",
        "e.d",
        "e.a",
        "a.s",
        "e.v",
        "v.chr",
        "n.chr",
        "min",
        "max",
        "sec",
        "jan",
        "feb",
        "mrt",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "okt",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
    }
)
#: Abbreviations that stand before a number: ``nr. 5``, ``blz. 12``, ``art. 3``.
BEFORE_NUMBER = frozenset({"nr", "nrs", "no", "blz", "pag", "art", "tel", "fig", "hfst"})

#: Lower-cased words that open sentences (articles, pronouns, conjunctions): after an ambiguous full stop
#: such a word, capitalised, shows that a new sentence starts.
OPENING_WORDS = frozenset(_DUTCH_STOP_WORDS) | frozenset(_ENGLISH_STOP_WORDS)

_CLOSERS = "\"'”’»›“‘)]"
#: A sentence end, in one pass over a line: a final mark, then either the rest of a run of them with the closing
#: quotes and brackets that belong to the sentence, before a space (``spaced``), or, after three letters and
#: before the next sentence's capital, nothing but a closing quote (``glued``: a scraped paragraph's
#: ``meekreeg.Kris``). The two never overlap. The mark stands first, outside the alternation, so the search skips
#: from mark to mark: a pattern that opens with an alternation is tried at every character.
_AFTER_FINAL_MARK = (
    r"(?:"
    rf"(?P<spaced>[.!?…]*(?:''|[{re.escape(_CLOSERS)}])*(?=\s))"
    r"|(?P<glued>(?<=[a-zà-ÿ]{3}[.!?])[\"”’»]?(?=[A-ZÀ-Ý][a-zà-ÿ]))"
    r")"
)
_ENDS = re.compile(r"[.!?…]" + _AFTER_FINAL_MARK)
#: ``_ENDS`` for a line whose only final mark is the full stop, as most are: a search for one character skips
#: ahead several times faster than one for a class of them.
_ENDS_AT_FULL_STOPS = re.compile(r"\." + _AFTER_FINAL_MARK)
#: The space after a sentence's final marks and what opens the next sentence before its first word: quotes,
#: brackets, a dialogue dash.
_SPACE_AND_OPENING = re.compile(r"\s*(?:,,|[\"'„“‘‚«»‹›(\[¡¿]|[-–—]\s+)*")
#: What is left of ``'s`` and ``'t`` once their apostrophe is read as an opening quote: a lower-case sentence
#: start (``'s Avonds``, ``'s-Hertogenbosch``).
_LOWER_CASE_START = re.compile(r"[st][\s-]")
_FIRST_WORD = re.compile(r"[^\W_]+")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}")
_LEADING_PUNCTUATION = "\"'„“‘‚«»‹›([,"
_ABBREVIATIONS = NEVER_FINAL | MAY_BE_FINAL | BEFORE_NUMBER


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, line by line, whitespace trimmed.

    >>> text = 'Dhr. J.P. de Vries zei: "We gaan door." "Altijd."'
    >>> [text[start:end] for start, end in sentence_spans(text)]
    ['Dhr. J.P. de Vries zei: "We gaan door."', '"Altijd."']
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        offset, content = line.start(), line.group()
        start = 0
        for end in (*_line_ends(content), len(content)):
            sentence = content[start:end].lstrip()
            if sentence:
                first = offset + end - len(sentence)
                spans.append((first, first + len(sentence.rstrip())))
            start = end
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (``sentence_spans`` sliced)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _line_ends(line: str) -> list[int]:
    """Offsets in ``line`` where a sentence ends (the end of the line not included), in order."""
    ends = _ENDS if "!" in line or "?" in line or "…" in line else _ENDS_AT_FULL_STOPS
    return [
        match.end()
        for match in ends.finditer(line)
        if (_ends_sentence if match.lastgroup == "spaced" else _glued_end)(line, match)
    ]


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    """Whether the final marks of ``match`` end a sentence, from the token before and the text after.

    The text after is read in place (an index into ``line``), never sliced off: a paragraph is one line,
    and a copy of its rest at every full stop would cost in proportion to its length.
    """
    end = match.end()
    # Most sentences end in a mark, one space and the next one's first word: nothing but the space opens it.
    if line[end] == " " and line[end + 1 : end + 2].isalnum():
        next_start = end + 1
    else:
        next_start = _SPACE_AND_OPENING.match(line, end).end()
    if next_start == len(line):
        return False
    first = line[next_start]
    if not (first.isupper() or first.isdigit() or _LOWER_CASE_START.match(line, next_start)):
        return False
    if match.group() != ".":
        return True  # ``!``, ``?``, an ellipsis, or a full stop with the quotes or brackets that close its sentence
    before = _last_token(line, match.start())
    if before is None:
        return True
    return _full_stop_ends(line, before[0], before[1].lstrip(_LEADING_PUNCTUATION), next_start)


#: How far back ``_last_token`` looks first: longer than nearly every token, so the rest of the line is not copied.
_TOKEN_REACH = 64


def _last_token(text: str, end: int) -> tuple[int, str] | None:
    """Where the run of non-space characters that ends at ``end`` starts, and the run; None after a space.

    Read from ``end`` backwards, within ``_TOKEN_REACH`` characters first (the whole prefix only for a
    longer run), so a sentence end late in a long paragraph costs no more than an early one.
    """
    if end == 0 or text[end - 1].isspace():
        return None
    reach = max(0, end - _TOKEN_REACH)
    parts = text[reach:end].rsplit(None, 1)
    if len(parts) == 1 and reach:
        parts = text[:end].rsplit(None, 1)
    token = parts[-1]
    return end - len(token), token


def _full_stop_ends(line: str, token_start: int, token: str, next_start: int) -> bool:
    """Whether a bare full stop after ``token`` ends a sentence that the text from ``next_start`` does not continue."""
    key = token.lower()
    if key in NEVER_FINAL:
        return False
    if key in BEFORE_NUMBER:
        return not line[next_start].isdigit()
    if key in MAY_BE_FINAL:
        return _opens_sentence(line, next_start)
    if token.isdigit() and not line[:token_start].strip():
        return False
    if len(token) > 1 and "." not in token:
        return True  # a word: neither an initial nor a dotted abbreviation, whose patterns need not be tried
    if _INITIALS.fullmatch(token) and token[0].isupper():
        if len(token) > 1:
            return False
        before = line[:token_start].rstrip()
        previous = _last_token(before, len(before))
        after_name = previous is not None and previous[1][:1].isupper() and previous[1].isalpha()
        return after_name and _opens_sentence(line, next_start)
    if _DOTTED.fullmatch(token) and token.islower():
        return _opens_sentence(line, next_start)
    return True


def _opens_sentence(line: str, start: int) -> bool:
    """Whether ``line`` from ``start`` opens with a word that opens sentences (``De``, ``Hij``).

    Asked only after an abbreviation or an initial, not after every full stop.
    """
    next_word = _FIRST_WORD.match(line, start)
    return next_word is not None and next_word.group().lower() in OPENING_WORDS


def _glued_end(line: str, match: re.Match[str]) -> bool:
    """A full stop between two words with no space: a sentence end unless a known abbreviation or a domain."""
    before = _last_token(line, match.start())
    token = before[1].lstrip(_LEADING_PUNCTUATION) if before else ""
    return token.isalpha() and token.lower() not in _ABBREVIATIONS


class Segmentation:
    """The pipeline's one segmentation step: ``sentences`` from ``sentence_spans`` of the final ``text``.

    ``Pipeline`` runs it once per batch after the last stage that writes
    ``text``, so ``summary_index`` and entity offsets always refer to the same
    spans, whichever stages ran and whatever parser the entities stage has.
    """

    requires = ("text",)
    assigns = ("sentences",)

    def __call__(self, docs: list[Result]) -> list[Result]:
        for doc in docs:
            doc.sentences = sentence_spans(doc.text)
        return docs


def ensure_sentences(doc: Result) -> list[tuple[int, int]]:
    """The document's ``sentences``; a stage called on its own (outside ``Pipeline``) segments here, the same way."""
    if doc.sentences is None:
        doc.sentences = sentence_spans(doc.text)
    return doc.sentences
