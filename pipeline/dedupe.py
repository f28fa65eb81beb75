"""Exact and near-duplicate articles, flagged with the id of the first copy.

News dumps repeat themselves: the same agency story under several ids, or a
syndicated copy with a local intro. Exact copies are found by a hash of the
normalised text; near copies by MinHash LSH (datasketch) over word shingles,
so memory per article is a few hundred bytes and a lookup does not scan the dump.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from functools import lru_cache
from typing import Literal

from pipeline.errors import ConfigError

#: Words per shingle: long enough that shared stock phrases do not make two stories alike.
SHINGLE_WORDS = 5

_WORD = re.compile(r"\w+")

DuplicateMode = Literal["off", "exact", "near"]


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting every combining mark (accents once NFKD splits them off)."""
    return dict.fromkeys(code for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code)))


def normalise(text: str) -> list[str]:
    """The words of a text, case- and accent-folded, so copies differing only in layout compare equal."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall(folded if folded.isascii() else folded.translate(_combining_marks()))


class DuplicateFinder:
    """Remembers the articles seen so far and says which earlier one a new article copies.

    Args:
        mode: ``exact`` (same normalised words), ``near`` (also MinHash LSH) or ``off``.
        threshold: estimated Jaccard similarity of word shingles above which two texts are near-duplicates.
        num_perm: MinHash permutations; more is more precise and slower.
    """

    def __init__(self, mode: DuplicateMode = "exact", threshold: float = 0.7, num_perm: int = 128) -> None:
        self.mode = mode
        self._exact: dict[bytes, str] = {}
        self._order: dict[str, int] = {}
        self._lsh = None
        self._num_perm = num_perm
        if mode == "near":
            try:
                from datasketch import MinHashLSH
            except ImportError as error:
                raise ConfigError("near-duplicates need datasketch: pip install 'nl-news-pipeline[dedupe]'") from error
            self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)

    def check(self, id: str, text: str) -> str | None:
        """The id of an earlier article that ``text`` duplicates, else None; ``id`` is remembered either way."""
        if self.mode == "off":
            return None
        words = normalise(text)
        if not words:
            return None
        key = hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        first = self._exact.setdefault(key, id)
        if first != id:
            return first
        if self._lsh is None or len(words) < SHINGLE_WORDS:
            return None
        from datasketch import MinHash

        signature = MinHash(num_perm=self._num_perm)
        shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
        signature.update_batch([shingle.encode("utf-8", "surrogatepass") for shingle in shingles])
        matches = self._lsh.query(signature)
        self._order[id] = len(self._order)
        self._lsh.insert(id, signature)
        return min(matches, key=self._order.__getitem__) if matches else None
