"""Long runs of one repeated mark, cut to a few before any tokenizer sees them.

spaCy's tokenizer takes time quadratic in the length of a run of one
punctuation character (``'``, ``‹``, ``&``, ``[``, ``…``, ``?``, ``<``): 16,000
of them took about a minute, and 100,000 did not finish in ten. No article
needs more than a few of one mark in a row ("!!!", "..."), so clean keeps
``REPEATS_KEPT`` and says in ``status.clean`` what it cut. Letters, digits and
whitespace are never cut: "1000000" is a number, and spaces are normalised
elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter

#: Copies of one mark kept from a longer run.
REPEATS_KEPT = 3

#: A character that is not a letter, digit or space (``_`` counts as a mark), repeated more than REPEATS_KEPT times.
_RUN = re.compile(rf"([^\w\s]|_)\1{{{REPEATS_KEPT},}}")

#: Marks named in the status note; a text with more distinct runs says "and N more".
_NAMED_MARKS = 5


def cap_repeats(text: str) -> tuple[str, str | None]:
    """``text`` with each run of one repeated mark cut to ``REPEATS_KEPT`` copies, and a note of what was cut.

    Returns:
        The capped text and ``None`` when nothing was cut, else a note such as
        ``cut 99,997 repeated characters ('<' 99,997)``.
    """
    removed: Counter[str] = Counter()

    def keep_a_few(match: re.Match[str]) -> str:
        removed[match.group(1)] += len(match.group()) - REPEATS_KEPT
        return match.group(1) * REPEATS_KEPT

    capped = _RUN.sub(keep_a_few, text)
    if not removed:
        return text, None
    named = ", ".join(f"{mark!r} {count:,}" for mark, count in removed.most_common(_NAMED_MARKS))
    more = len(removed) - _NAMED_MARKS
    if more > 0:
        named += f" and {more} more"
    return capped, f"cut {sum(removed.values()):,} repeated characters ({named})"
