"""``pipeline.lexicon``: simplemma's Dutch dictionary from the disk cache gives simplemma's own answers."""

from __future__ import annotations

import simplemma

from pipeline import lexicon

#: Forms, lemmas, compounds, names, apostrophes, capitals and words of the neighbours, for both lookups.
WORDS = [
    "woningen",
    "huizen",
    "liep",
    "gelopen",
    "stikstofplan",
    "jeugdzorg",
    "Kamer",
    "kabinet",
    "Rutte",
    "'s",
    "avonds",
    "auto's",
    "zo'n",
    "ierdbeving",
    "wetterskip",
    "werkloosheidsyfer",
    "the",
    "cabinet",
    "Gemeente",
    "AMSTERDAM",
    "fietspaden",
    "ging",
    "gemeenteraadsverkiezingen",
    "geen-woorden",
    "xyzzy",
    "België",
]


def test_lemmas_and_known_words_are_simplemmas():
    for word in WORDS:
        assert lexicon.lemmatize(word) == simplemma.lemmatize(word, lang="nl"), word
        assert lexicon.is_known(word) == simplemma.is_known(word, "nl"), word


def test_a_second_process_reads_the_dictionary_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NLNEWS_CACHE_DIR", str(tmp_path))
    built = lexicon.CachedDictionaryFactory().get_dictionary("nl")
    read = lexicon.CachedDictionaryFactory().get_dictionary("nl")
    assert len(list(tmp_path.glob("simplemma-*.pickle"))) == 1
    assert len(read) == len(built) > 300_000
    assert read.get("woningen") == built.get("woningen") == "woning"


def test_is_word_reads_the_dictionary_as_written():
    """``man`` is a Dutch word and ``Man`` is not; ``parijs`` is no word, ``Parijs`` the dictionary's name."""
    assert lexicon.is_word("man") and not lexicon.is_word("Man")
    assert not lexicon.is_word("parijs") and lexicon.is_word("Parijs")
