"""Long runs of punctuation, cut short before any tokenizer sees them.

spaCy's tokenizer takes time quadratic in the length of a run of marks with no
space in it: 16,000 of one character (``'``, ``‹``, ``&``, ``[``, ``…``, ``?``,
``<``) took about a minute, 100,000 did not finish in ten, and mixed runs
(``'&'&'&…``, ``<><>…``) are as slow. No article needs more than a few of one
mark in a row ("!!!", "...") or a long string of marks, so clean keeps
``REPEATS_KEPT`` of one repeated mark and the first ``MARK_RUN_KEPT`` of a mixed
run, and says in ``status.clean`` what it cut. Letters, digits and whitespace
are never cut: "1000000" is a number, and spaces are normalised elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter

#: Copies of one mark kept from a longer run of it.
REPEATS_KEPT = 3

#: Characters kept from a longer run of mixed marks; tokenizing this many costs well under a millisecond.
MARK_RUN_KEPT = 20

#: A mark is a character that is not a letter, digit or space (``_`` counts as a mark).
_MARK = r"(?:[^\w\s]|_)"
_REPEATED_MARK = re.compile(rf"({_MARK})\1{{{REPEATS_KEPT},}}")
_MARK_RUN = re.compile(rf"{_MARK}{{{MARK_RUN_KEPT + 1},}}")
#: What either cut needs in a text without ``_``: more than ``REPEATS_KEPT`` marks in a row. A pattern that
#: opens with a character class is scanned for fast; ``_MARK``, an alternation, and a repeat such as
#: ``[^\w\s]{4}`` are tried at every character, so the first mark stands apart.
_FEW_MARKS_IN_A_ROW = re.compile(rf"[^\w\s][^\w\s]{{{REPEATS_KEPT}}}")

#: A text's UTF-8 bytes mapped so that its runs of marks show as runs of ``!``: each ASCII mark as ``!``, every
#: other ASCII character as a space, each non-ASCII character as ``!`` (its lead byte; the continuation bytes are
#: deleted, so it is one byte). A non-ASCII letter reads as a mark here, a mark never as anything else.
_MARK_BYTES = bytes(
    ord("!") if byte >= 0x80 or re.fullmatch(r"[^\w\s]", chr(byte)) else ord(" ") for byte in range(256)
)
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))

#: Marks named in the status note; a text with more distinct runs says "and N more".
_NAMED_MARKS = 5


def cap_repeats(text: str) -> tuple[str, str | None]:
    """``text`` with runs of marks cut short, and a note of what was cut (None when nothing was).

    Returns:
        The capped text and a note such as ``cut 99,997 characters from runs of marks ('<' 99,997)``;
        a mixed run is counted as ``mixed``.
    """
    if "_" not in text and (not _may_hold_marks_in_a_row(text) or _FEW_MARKS_IN_A_ROW.search(text) is None):
        return text, None
    removed: Counter[str] = Counter()

    def keep_a_few(match: re.Match[str]) -> str:
        removed[repr(match.group(1))] += len(match.group()) - REPEATS_KEPT
        return match.group(1) * REPEATS_KEPT

    def keep_the_start(match: re.Match[str]) -> str:
        removed["mixed"] += len(match.group()) - MARK_RUN_KEPT
        return match.group()[:MARK_RUN_KEPT]

    capped = _MARK_RUN.sub(keep_the_start, _REPEATED_MARK.sub(keep_a_few, text))
    if not removed:
        return text, None
    named = ", ".join(f"{mark} {count:,}" for mark, count in removed.most_common(_NAMED_MARKS))
    more = len(removed) - _NAMED_MARKS
    if more > 0:
        named += f" and {more} more"
    return capped, f"cut {sum(removed.values()):,} characters from runs of marks ({named})"


def _may_hold_marks_in_a_row(text: str) -> bool:
    """Whether ``text`` may hold more than ``REPEATS_KEPT`` marks in a row: false only where it holds none.

    One byte translation and one substring search in C, where the pattern tests every mark and the characters
    after it; only a text this does not clear (a few non-ASCII letters in a row count) is searched.
    """
    marks = text.encode("utf-8", "surrogatepass").translate(_MARK_BYTES, _CONTINUATION_BYTES)
    return b"!" * (REPEATS_KEPT + 1) in marks
