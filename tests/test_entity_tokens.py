"""The token view the entity components share: the rule tokenizer's doc, ``Tokens`` and the ``WindowMatcher``."""

from __future__ import annotations

import gc
import weakref

import pytest
import spacy
from spacy.matcher import Matcher

from pipeline.stages.entities.gazetteer import TOKEN, normalise
from pipeline.stages.entities.tokens import RuleTokenizer, Tokens, WindowMatcher

TEXT = (
    "Het kabinet-Rutte IV viel; FC Utrecht won.\n"
    "Politie Midden-Nederland meldt: KABINET-JETTEN  is er.\n\n"
    "Volgens De Croo 2 en het kabinet - Schoof"
)
PATTERNS = {
    "CABINET": [
        [{"LOWER": "kabinet"}, {"ORTH": "-"}, {"IS_TITLE": True}, {"ORTH": {"IN": ["I", "II", "IV"]}, "OP": "?"}],
        [{"ORTH": "De"}, {"ORTH": "Croo"}, {"IS_DIGIT": True}],
    ],
    "CLUB": [[{"ORTH": {"IN": ["FC", "SC"]}}, {"IS_TITLE": True}, {"IS_TITLE": True, "OP": "?"}]],
    "UNIT": [[{"ORTH": "Politie"}, {"IS_TITLE": True}, {"ORTH": "-", "OP": "?"}, {"IS_TITLE": True, "OP": "?"}]],
}


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    nlp = spacy.blank("nl")
    nlp.tokenizer = RuleTokenizer(nlp.vocab, sentences=True)
    return nlp


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII: 's-Hertogenbosch en NL416 (3,5%).",
        "Een code als NL_GM0796 houdt een underscore.",
        "Zwolle\x1cDeventer: een scheidingsteken dat alleen Unicode spatie noemt.",
        "Café ’s-Hertogenbosch, Noord-Holland’s en İstanbul.",
        "Crème brûlée à 5,-\xa0of ½ portie; Ærø\x85ß_ÿ × 2 ª º ¹ ¿Qué? 's",
        "".join(map(chr, range(256))),
    ],
)
def test_the_tokenizer_splits_every_kind_of_text_into_the_gazetteers_tokens(nlp, text):
    tokens = Tokens.of(nlp(text))
    assert tokens.words == TOKEN.findall(normalise(text))
    assert [text[start:end] for start, end in zip(tokens.starts, tokens.ends)] == [
        match.group() for match in TOKEN.finditer(text)
    ]


def test_the_window_matcher_finds_what_the_matcher_finds_over_the_whole_text(nlp):
    doc = nlp(TEXT)
    matcher, windows = Matcher(nlp.vocab), WindowMatcher(nlp.vocab)
    for key, patterns in PATTERNS.items():
        matcher.add(key, patterns)
        windows.add(key, patterns)

    found = windows(doc, Tokens.of(doc))

    assert sorted(found) == sorted(matcher(doc))
    assert {doc[start:end].text for _, start, end in found} >= {"kabinet-Rutte IV", "FC Utrecht", "De Croo 2"}


def test_the_window_matcher_refuses_patterns_without_a_longest_match_or_a_first_word(nlp):
    windows = WindowMatcher(nlp.vocab)
    with pytest.raises(ValueError, match="repeats a token"):
        windows.add("NAME", [[{"ORTH": "FC"}, {"IS_TITLE": True, "OP": "+"}]])
    with pytest.raises(ValueError, match="does not name the word it starts with"):
        windows.add("NAME", [[{"IS_TITLE": True}, {"ORTH": "FC"}]])


def test_the_tokens_know_their_capitalised_and_all_caps_words(nlp):
    tokens = Tokens.of(nlp("De IND en het UWV in Den Haag.\nNAVO-top"))

    assert [tokens.words[index] for index in tokens.capitalised] == ["De", "IND", "UWV", "Den", "Haag", "NAVO"]
    assert [tokens.words[index] for index in tokens.all_caps] == ["IND", "UWV", "NAVO"]
    assert tokens.lower[:2] == ["de", "ind"]
    assert tokens.sentence_initial == {0, tokens.words.index("NAVO")}


def test_a_doc_with_its_tokens_is_freed_without_the_garbage_collector(nlp):
    doc = nlp("De IND opent in 2025 een loket in Zwolle.")
    assert Tokens.of(doc).doc is doc
    freed = weakref.ref(doc)
    collecting = gc.isenabled()
    gc.disable()
    try:
        del doc
        assert freed() is None
    finally:
        if collecting:
            gc.enable()


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (frozenset({"het"}), [0, 4]),
        (frozenset({"besluit"}), [5]),
        (frozenset({"het", "De", "Raad"}), [0, 2, 3, 4]),
        (frozenset({"Zwolle"}), []),
    ],
)
def test_indexes_of_finds_every_place_of_the_wanted_words_in_order(wanted: frozenset[str], expected: list[int]) -> None:
    from pipeline.stages.entities.tokens import indexes_of

    assert indexes_of(["het", "college", "De", "Raad", "het", "besluit"], wanted) == expected
