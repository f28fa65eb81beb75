"""Names survive translation: entities and glossary terms are protected by placeholders.

The wrapper is the unit under test, so most tests hand the stage a stand-in
translator (``tests.translators.RecordingTranslator``, a test double of
``Translator``) that reverses the word order and writes everything in capitals:
a name that went through it unprotected would come out changed, a protected one
comes out in its English form. One test runs the tiny random-weight Marian
model to check the real path end to end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Entity, Result
from pipeline.segment import ensure_sentences
from pipeline.stages.base import StageContext
from pipeline.stages.translate import TranslateSettings, TranslateStage
from pipeline.stages.translate.translation import (
    Name,
    english_form,
    find_names,
    protect,
    restore,
)
from tests.translators import RecordingTranslator

#: What a leaked placeholder would look like, whatever the spacing.
LEAK = re.compile(r"Z\s?Q\s?X", re.IGNORECASE)


def stand_in(texts: list[str]) -> list[str]:
    """A deterministic translator that changes every word but copies codes such as ``ZQX0``."""
    return [" ".join(reversed(text.split())).upper() for text in texts]


def mangling(texts: list[str]) -> list[str]:
    """A translator that spells every word backwards, placeholders included."""
    return [" ".join(word[::-1] for word in text.split()) for text in texts]


def entity(text: str, mention: str, label: str, english: str, occurrence: int = 0) -> Entity:
    """The entity the entities stage would give for the ``occurrence``-th ``mention`` in ``text``."""
    start = [match.start() for match in re.finditer(re.escape(mention), text)][occurrence]
    return Entity(mention, label, start, start + len(mention), mention, english)


def article(title: str | None, text: str, names: list[tuple[str, str, str]], summary_index: list[int]) -> Result:
    """A Dutch record with entities for every occurrence of each ``(mention, label, english)``."""
    entities = [
        entity(text, mention, label, english, occurrence)
        for mention, label, english in names
        for occurrence in range(text.count(mention))
    ]
    doc = Result(id="a", text=text, title=title, language="nl", entities=entities)
    spans = ensure_sentences(doc)
    doc.summary = [text[spans[index][0] : spans[index][1]] for index in summary_index]
    doc.summary_index = summary_index
    return doc


NAMES = [
    ("Den Haag", "CITY", "The Hague"),
    ("IND", "ORG", "Immigration and Naturalisation Service"),
    ("Duitsland", "COUNTRY", "Germany"),
    ("Marieke de Vries", "PERSON", "Marieke de Vries"),
    ("Den Bosch", "CITY", "'s-Hertogenbosch"),
]
TEXT = (
    "De IND opent volgend jaar een loket in Den Haag.\n"
    "Marieke de Vries leidt het loket en woonde eerder in Duitsland.\n\n"
    "Ook in Den Bosch komt een loket van de IND. Het jaar 2025 wordt druk."
)


@pytest.fixture(scope="module")
def stage(tiny_marian_dir: Path) -> TranslateStage:
    return TranslateStage(
        TranslateSettings(model=str(tiny_marian_dir), full_text=True, max_new_tokens=8), StageContext(device="cpu")
    )


def stage_with(translator: RecordingTranslator, **settings: object) -> TranslateStage:
    """A translate stage without a run cache around ``translator``."""
    return TranslateStage(
        TranslateSettings(cache_size=0, **settings), StageContext(device="cpu"), translator=translator
    )


@pytest.fixture
def stand_in_translator(stage: TranslateStage) -> RecordingTranslator:
    return RecordingTranslator(stage.translator, stand_in)


@pytest.fixture
def stand_in_stage(stand_in_translator: RecordingTranslator) -> TranslateStage:
    return stage_with(stand_in_translator, full_text=True)


def english_fields(doc: Result) -> str:
    return "\n".join([doc.title_en or "", *(doc.summary_en or []), doc.text_en or ""])


def test_protected_entities_appear_in_their_english_form_in_every_field(stand_in_stage: TranslateStage):
    doc = article("IND opent loket in Den Haag", TEXT, NAMES, summary_index=[0, 2])
    stand_in_stage([doc])
    assert doc.status["translate"] == "ok"
    assert doc.title_en == "The Hague IN LOKET OPENT IND"
    assert "The Hague" in doc.summary_en[0] and "IND" in doc.summary_en[0]
    assert "'s-Hertogenbosch" in doc.summary_en[1]
    for english in ["The Hague", "IND", "Germany", "Marieke de Vries", "'s-Hertogenbosch"]:
        assert english in doc.text_en
    assert "Den Haag" not in english_fields(doc) and "Duitsland" not in english_fields(doc)
    assert not LEAK.search(english_fields(doc))


def test_the_rest_of_the_sentence_goes_through_the_translator(stand_in_stage: TranslateStage):
    doc = article(None, TEXT, NAMES, summary_index=[0])
    stand_in_stage([doc])
    assert doc.summary_en == ["The Hague. IN LOKET EEN JAAR VOLGEND OPENT IND DE"]


def test_paragraph_layout_is_kept_with_names_protected(stand_in_stage: TranslateStage):
    doc = article(None, TEXT, NAMES, summary_index=[0])
    stand_in_stage([doc])
    assert [bool(line) for line in doc.text_en.split("\n")] == [bool(line) for line in TEXT.split("\n")]


def test_years_are_not_protected_and_acronyms_stay_as_written(
    stand_in_stage: TranslateStage, stand_in_translator: RecordingTranslator
):
    doc = article(None, TEXT, [*NAMES, ("2025", "YEAR", "2025")], summary_index=[2])
    stand_in_stage([doc])
    assert "2025" in " ".join(stand_in_translator.seen), "a year goes to the model as it is"
    assert "Immigration" not in doc.text_en
    assert english_form("IND", "Immigration and Naturalisation Service") == "IND"
    assert english_form("Den Haag", "The Hague") == "The Hague"


def test_the_same_sentence_about_different_places_is_translated_once(
    stand_in_stage: TranslateStage, stand_in_translator: RecordingTranslator
):
    texts = ["De gemeente Utrecht opent een loket.", "De gemeente Zwolle opent een loket."]
    docs = [
        article(None, text, [(city, "CITY", city)], summary_index=[0])
        for text, city in zip(texts, ["Utrecht", "Zwolle"])
    ]
    stand_in_stage(docs)
    assert stand_in_translator.seen == ["De gemeente ZQX0 opent een loket."]
    assert [doc.summary_en for doc in docs] == [
        ["LOKET. EEN OPENT Utrecht GEMEENTE DE"],
        ["LOKET. EEN OPENT Zwolle GEMEENTE DE"],
    ]


def test_a_placeholder_the_model_mangles_falls_back_to_an_unprotected_translation(stage: TranslateStage):
    mangling_stage = stage_with(RecordingTranslator(stage.translator, mangling), full_text=True)
    doc = article("IND in Den Haag", TEXT, NAMES, summary_index=[0])
    mangling_stage([doc])
    assert doc.status["translate"] == "ok"
    assert doc.title_en == "DNI ni neD gaaH"
    assert not LEAK.search(english_fields(doc))


def test_name_protection_can_be_switched_off(stand_in_translator: RecordingTranslator):
    stage = stage_with(stand_in_translator, protect_names=False)
    stage([article("Loket in Den Haag", TEXT, NAMES, summary_index=[0])])
    assert sorted(stand_in_translator.seen) == sorted(
        ["Loket in Den Haag", "De IND opent volgend jaar een loket in Den Haag."]
    )


def test_glossary_terms_are_written_as_configured(stand_in_translator: RecordingTranslator):
    glossary = {"Tweede Kamer": "House of Representatives", "Rijkswaterstaat": "Rijkswaterstaat"}
    stage = stage_with(stand_in_translator, glossary=glossary)
    text = "De Tweede Kamer vraagt Rijkswaterstaat om uitleg."
    doc = article("Tweede Kamer boos", text, [], summary_index=[0])
    stage([doc])
    assert doc.title_en == "BOOS House of Representatives"
    assert doc.summary_en == ["UITLEG. OM Rijkswaterstaat VRAAGT House of Representatives DE"]


def test_a_title_finds_the_documents_entities_by_their_spelling(stand_in_stage: TranslateStage):
    doc = article("Nieuw loket in Duitsland en Den Haag", TEXT, NAMES, summary_index=[])
    stand_in_stage([doc])
    assert doc.title_en == "The Hague EN Germany IN LOKET NIEUW"


def test_a_title_with_its_own_entities_protects_them_by_offset(stand_in_stage: TranslateStage):
    doc = article("  Nieuw loket in Zwolle", TEXT, NAMES, summary_index=[])
    doc.title_entities = [entity(doc.title, "Zwolle", "CITY", "Zwolle (Overijssel)")]
    stand_in_stage([doc])
    assert doc.title_en == "Zwolle (Overijssel) IN LOKET NIEUW"


def test_a_text_that_contains_a_placeholder_lookalike_is_not_protected(stand_in_stage: TranslateStage):
    text = "Het formulier ZQX1 is nodig in Den Haag."
    doc = article(None, text, NAMES, summary_index=[0])
    stand_in_stage([doc])
    assert doc.summary_en == ["HAAG. DEN IN NODIG IS ZQX1 FORMULIER HET"]


@pytest.mark.parametrize(
    ("text", "names", "protected", "kept"),
    [
        ("Naar Den Haag.", [Name(5, 13, "The Hague")], "Naar ZQX0.", ("The Hague",)),
        ("IND-loketten", [Name(0, 3, "IND")], "ZQX0-loketten", ("IND",)),
        (
            "Universiteit Utrecht",
            [Name(0, 20, "Utrecht University"), Name(13, 20, "Utrecht")],
            "ZQX0",
            ("Utrecht University",),
        ),
        ("Geen namen.", [], "Geen namen.", ()),
    ],
    ids=["city", "compound", "overlap-longest-wins", "none"],
)
def test_protect_replaces_names_by_numbered_placeholders(text, names, protected, kept):
    result = protect(text, names)
    assert (result.text, result.names) == (protected, kept)


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("To ZQX0 and ZQX1.", "To The Hague and IND."),
        ("To Z QX 1 and ZQX0.", "To IND and The Hague."),
        ("to zqx1 and Zqx0.", "to IND and The Hague."),
        ("To ZQX0.", None),
        ("To ZQX0 ZQX0 ZQX1.", None),
        ("To ZQX0, ZQX1 and ZQX2.", None),
    ],
    ids=["in-order", "reordered-and-spaced", "lower-case", "lost", "repeated", "invented"],
)
def test_restore_puts_names_back_or_refuses(translation: str, expected: str | None):
    assert restore(translation, ["The Hague", "IND"]) == expected


def test_find_names_matches_whole_words_only():
    names = find_names("Bestuur in Best, Best-Oost", {"Best": "Best"})
    assert [(name.start, name.end) for name in names] == [(11, 15), (17, 21)]


WORDS = st.sampled_from(["de", "gemeente", "opent", "loket", "in", "en", "2024", "het", "kabinet", ",", "."])


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(st.one_of(WORDS, st.sampled_from([name for name, _, _ in NAMES])), min_size=1, max_size=30),
    translator=st.sampled_from([stand_in, mangling]),
)
def test_no_placeholder_ever_reaches_the_output_and_protected_names_survive(
    stage: TranslateStage, words: list[str], translator
):
    text = " ".join(words) + "."
    present = [(mention, label, english) for mention, label, english in NAMES if mention in text]
    doc = article(" ".join(words[:5]), text, present, summary_index=[0])
    stage_with(RecordingTranslator(stage.translator, translator), full_text=True)([doc])
    assert doc.status["translate"] == "ok"
    assert not LEAK.search(english_fields(doc))
    if translator is stand_in:
        for mention, _, english in present:
            assert english_form(mention, english) in doc.text_en


def test_the_tiny_model_translates_protected_documents_without_leaking_placeholders(stage: TranslateStage):
    docs = [
        article("IND opent loket in Den Haag", TEXT, NAMES, summary_index=[0, 2]),
        article(None, "De gemeente Den Haag sluit.", [NAMES[0]], summary_index=[0]),
    ]
    stage(docs)
    for doc in docs:
        assert doc.status["translate"] == "ok"
        assert len(doc.summary_en) == len(doc.summary)
        assert len(doc.text_en.split("\n")) == len(doc.text.split("\n"))
        assert not LEAK.search(english_fields(doc))
