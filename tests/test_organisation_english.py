"""English names for organisations the knowledge base does not know, from the words their Dutch name is made of."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pipeline.stages.entities.organisation_english import english_name, inflected

PLACES = {"Gent": "Ghent", "Leuven": "Leuven", "Bergen": "Bergen", "Nederland": "Netherlands", "België": "Belgium"}
COUNTRIES = frozenset({"Netherlands", "Belgium"})


def place(words: Sequence[str], start: int, stop: int) -> tuple[int, str] | None:
    return (start + 1, PLACES[words[start]]) if words[start] in PLACES else None


def english(name: str) -> str | None:
    return english_name(name.split(), place, COUNTRIES)


@pytest.mark.parametrize(
    ("dutch", "expected"),
    [
        ("Universitair Ziekenhuis van Bergen", "Bergen University Hospital"),
        ("Universitair Ziekenhuis Gent", "Ghent University Hospital"),
        ("Vlaamse Stichting Kankeronderzoek", "Flemish Cancer Research Foundation"),
        ("Vlaams Forum Jeugdzorg", "Flemish Youth Care Forum"),
        ("Nationaal Medisch College", "National Medical College"),
        ("Nederlands Filmmuseum", "Netherlands Film Museum"),
        ("Belgische Vereniging van Huisartsen", "Belgian Association of General Practitioners"),
        ("Instituut voor Tropische Geneeskunde", "Institute for Tropical Medicine"),
        ("Koninklijke Musea voor Kunst en Geschiedenis", "Royal Museums for Art and History"),
        ("Stichting Natuur en Milieu", "Nature and Environment Foundation"),
        ("Vlaams Kenniscentrum Water", "Flemish Water Knowledge Centre"),
        ("Vlaams Ministerie van Onderwijs", "Flemish Ministry of Education"),
        ("ministerie van Buitenlandse Zaken", "Ministry of Foreign Affairs"),
    ],
)
def test_a_name_of_known_words_is_translated_in_english_word_order(dutch: str, expected: str):
    assert english(dutch) == expected


def test_a_university_keeps_of_before_its_place_as_english_names_it():
    assert english("Universiteit van Gent") == "University of Ghent"
    assert english("Katholieke Universiteit van Leuven") == "Catholic University of Leuven"
    assert english("Universiteit Gent") == "Ghent University"


def test_a_country_after_van_stays_after_of_with_its_article():
    assert english("Koninklijke Bibliotheek van België") == "Royal Library of Belgium"
    assert english("Nationaal Archief van Nederland") == "National Archive of the Netherlands"
    assert english("Nationaal Archief van Gent") == "Ghent National Archive"  # a city comes first


def test_subjects_written_apart_before_the_head_read_as_a_compound():
    assert english("Nederlands Kanker Instituut") == "Netherlands Cancer Institute"
    assert english("Vlaams Jeugd Orkest") == "Flemish Youth Orchestra"
    assert english("Vlaamse Kanker") is None  # no head after the subject


@pytest.mark.parametrize(
    "dutch",
    [
        "Maasstad Ziekenhuis",  # a proper name before the head
        "Stichting Vluchtelingenwerk Nederland",  # a word the glossary does not know
        "Vlaamse Stichting voor Zeilsport",  # half of it known: better Dutch than half English
        "Omroep Gelderland",  # a broadcaster's name is a proper name
        "Vlaamse Jeugdzorg",  # no word for a kind of body
        "Nationaal Koninklijk",  # adjectives only
        "Raad voor Nieuwe",  # a preposition with nothing after its adjective
        "Stedelijk Museum",  # the name English uses for every city's museum so named
    ],
)
def test_a_name_with_an_unknown_word_or_no_head_keeps_its_dutch_name(dutch: str):
    assert english(dutch) is None


@pytest.mark.parametrize(
    ("base", "form"),
    [("vlaams", "vlaamse"), ("nationaal", "nationale"), ("algemeen", "algemene"), ("hoog", "hoge")]
    + [("koninklijk", "koninklijke"), ("amerikaans", "amerikaanse")],
)
def test_an_adjective_is_known_inflected_too(base: str, form: str):
    assert inflected(base) == form
