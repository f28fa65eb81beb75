"""simplemma's Dutch dictionary, from the disk cache: a word's lemma and whether it is a Dutch word at all.

simplemma ships each dictionary LZMA-compressed and front-coded; decoding the
370,000 Dutch forms takes most of a second in every process (detect's word
list and summarize's lemmas both need them). The decoded dictionary is kept in
``pipeline.cache`` (keyed by simplemma's installed files) and loads in a
fraction of that. Lookups go through simplemma's own strategies, so every
answer is the one ``simplemma.lemmatize`` and ``simplemma.is_known`` give.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    MappingStrToByteString,
    _load_dictionary_from_disk,
)
from simplemma.utils import normalize_token

from pipeline.cache import cache_key, cached


class CachedDictionaryFactory(CachingDictionaryFactory):
    """simplemma's default dictionaries, decoded once and then read from the disk cache."""

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        key = cache_key("simplemma", [], lang, packages=("simplemma",))
        return MappingStrToByteString(cached(key, lambda: _load_dictionary_from_disk(lang)))


@cache
def _factory() -> CachedDictionaryFactory:
    return CachedDictionaryFactory()


@cache
def _lemmatizer() -> Lemmatizer:
    """As ``simplemma.lemmatize``'s own (not greedy), on the cached dictionaries."""
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_factory()))


@cache
def _lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(_factory())


def lemmatize(word: str, lang: str = "nl") -> str:
    """``simplemma.lemmatize(word, lang)``: the dictionary's lemma, else simplemma's rules, else the word."""
    return _lemmatizer().lemmatize(word, lang)


def is_known(word: str, lang: str = "nl") -> bool:
    """``simplemma.is_known(word, lang)``: whether the dictionary holds the word (in either case)."""
    return _lookup().get_lemma(normalize_token(word), lang) is not None


def is_word(word: str, lang: str = "nl") -> bool:
    """Whether the dictionary holds ``word`` exactly as written: ``man`` is a word, ``parijs`` is not (``Parijs`` is)."""
    return word in _factory().get_dictionary(lang)
