"""Every Dutch and Flemish municipality, and the towns news names, are places: ``places_nl.yaml`` adds what geonames
lacks (its ``municipalities`` and ``towns``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from pipeline.document import Result
from pipeline.errors import ResourceError
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage
from pipeline.stages.entities.gazetteer import load_gazetteer, name_key
from tests.place_names import DUTCH_MUNICIPALITIES, FLEMISH_MUNICIPALITIES, LISTS, VARIANTS, is_place_of

#: Flemish names that mean a bigger place abroad even in Flemish news: Lille is the French city (Rijsel).
MEANT_ABROAD = {"Lille"}


def test_the_lists_hold_every_municipality_of_2025():
    assert sum(map(len, DUTCH_MUNICIPALITIES.values())) == 342
    assert sum(len(names) for province, names in FLEMISH_MUNICIPALITIES.items() if province != "Brussel") == 285
    assert len(FLEMISH_MUNICIPALITIES["Brussel"]) == 19


@pytest.mark.parametrize("kind", list(LISTS))
def test_every_municipality_and_town_is_a_place_of_its_country(kind: str):
    country, names = LISTS[kind]
    gazetteer = load_gazetteer()
    missing = [name for name in names if name not in MEANT_ABROAD and not is_place_of(gazetteer, name, country)]
    assert missing == []


@pytest.mark.parametrize(("spelling", "canonical", "country"), VARIANTS)
def test_other_spellings_name_the_same_place(spelling: str, canonical: str, country: str):
    place = load_gazetteer().places.get(name_key(spelling))
    assert (place.canonical, place.country) == (canonical, country)


def test_a_town_geonames_lacks_has_its_municipalitys_province_and_no_geonames_id():
    places = load_gazetteer().places
    rosmalen, bosch = places.get("Rosmalen"), places.get(name_key("'s-Hertogenbosch"))
    assert (rosmalen.country, rosmalen.admin1, rosmalen.latitude) == ("NL", bosch.admin1, bosch.latitude)
    assert "geonameid" not in rosmalen.facts()
    assert places.get("Landgraaf").admin1 == "05"


def test_a_flemish_municipality_named_like_a_foreign_city_is_flemish_in_flemish_news():
    gazetteer = load_gazetteer()
    assert gazetteer.places.get("Essen").country == "DE"
    assert gazetteer.places_by_country["BE"].get("Essen").country == "BE"


def write_places(directory: Path, change) -> Path:
    data = yaml.safe_load((resources.files("pipeline") / "resources" / "places_nl.yaml").read_text("utf-8"))
    change(data)
    (directory / "places_nl.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("town", "message"),
    [
        ({"name": "Nergenshuizen", "near": "Nergens"}, "'Nergens', near the town 'Nergenshuizen', is no place"),
        ({"name": "Nergenshuizen", "near": "Essen"}, "'Essen', near the town 'Nergenshuizen', is no place"),
        ({"name": "Zwolle", "near": "Kampen"}, "the town 'Zwolle' is a place of geonames already"),
    ],
)
def test_a_town_near_no_place_of_its_country_or_one_geonames_has_is_refused(tmp_path: Path, town: dict, message: str):
    directory = write_places(tmp_path, lambda data: data["towns"].append(town))
    with pytest.raises(ResourceError, match=message):
        load_gazetteer(500_000, directory)


@pytest.fixture(scope="module")
def stage() -> EntitiesStage:
    return EntitiesStage(EntitiesSettings(), StageContext())


def cities(stage: EntitiesStage, text: str, url: str | None = None) -> list[tuple[str, str, str]]:
    doc = Result(id="t", text=text, language="nl", url=url)
    stage([doc])
    return [(e.text, e.canonical, e.extra["country"]) for e in doc.entities if e.label == "CITY"]


@pytest.mark.parametrize(
    ("text", "url", "found"),
    [
        (
            "Een man uit Rosmalen is zaterdag in Kaatsheuvel aangehouden.",
            None,
            [("Rosmalen", "Rosmalen", "NL"), ("Kaatsheuvel", "Kaatsheuvel", "NL")],
        ),
        (
            "In Krommenie, Wormerveer en Oostzaan staan de dijken onder druk.",
            None,
            [("Krommenie", "Krommenie", "NL"), ("Wormerveer", "Wormerveer", "NL"), ("Oostzaan", "Oostzaan", "NL")],
        ),
        ("De inwoners van Etten Leur krijgen een brief.", None, [("Etten Leur", "Etten-Leur", "NL")]),
        ("Blokker opent een winkel in Zwaag.", None, [("Zwaag", "Zwaag", "NL")]),
        ("Engelen bestaan niet, zegt de dominee.", None, []),
        ("De markt in As gaat zondag door.", "https://www.example.be/nieuws", [("As", "As", "BE")]),
        ("As de wind draait, wordt het koud.", "https://www.example.be/nieuws", []),
        (
            "Een man uit Essen is opgepakt in Kalmthout.",
            "https://www.example.be/nieuws",
            [
                ("Essen", "Essen", "BE"),
                ("Kalmthout", "Kalmthout", "BE"),
            ],
        ),
        ("Schalke speelde in Essen.", "https://www.example.nl/nieuws", [("Essen", "Essen", "DE")]),
    ],
)
def test_towns_geonames_lacks_are_found_and_words_among_them_wait_for_a_cue(
    stage: EntitiesStage, text: str, url: str | None, found: list[tuple[str, str, str]]
):
    assert cities(stage, text, url) == found
