"""The knowledge base behind the entities stage: organisations.yaml and the places and locations of places_nl.yaml."""

from __future__ import annotations

import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import get_args

import pytest
import yaml

from pipeline.errors import ResourceError
from pipeline.stages.entities.gazetteer import (
    LocationKind,
    OrganisationType,
    Scope,
    load_gazetteer,
    load_glossary,
    name_key,
)


def read_resource(name: str) -> dict:
    return yaml.safe_load((resources.files("pipeline") / "resources" / name).read_text("utf-8"))


def write_resources(directory: Path, organisations: dict | None = None, places: dict | None = None) -> Path:
    """The packaged resource files, or changed copies of them, in ``directory``."""
    for name, data in (("organisations.yaml", organisations), ("places_nl.yaml", places)):
        content = data if data is not None else read_resource(name)
        (directory / name).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return directory


ENTRIES = read_resource("organisations.yaml")["organisations"]


def plain_names(entry: dict) -> list[str]:
    names = list(entry.get("aliases", []))
    canonical, english = entry["canonical"], entry["english"]
    common_noun = english[:1].islower() and english != canonical
    if canonical not in entry.get("ambiguous_aliases", []) and (
        canonical[:1].isupper() or not (common_noun or canonical.split()[0] in ("de", "het"))
    ):
        names.append(canonical)
    return names


def test_every_entry_loads_with_a_valid_type_and_country():
    glossary = load_glossary()
    assert len(glossary.entries) == len(ENTRIES) >= 500
    for organisation in glossary.entries:
        assert organisation.type in get_args(OrganisationType), organisation
        assert organisation.country in get_args(Scope), organisation
        assert organisation.canonical.strip() and organisation.english.strip(), organisation


def test_no_name_stands_for_two_organisations_of_one_country():
    """A name may be Dutch and Belgian (``Raad van State``), never two bodies of the same country."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in ENTRIES:
        for name in plain_names(entry) + entry.get("ambiguous_aliases", []):
            owners[(name_key(name), entry["country"])].add(entry["canonical"])
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


def test_no_canonical_has_two_english_names():
    english: dict[str, set[str]] = defaultdict(set)
    for entry in ENTRIES:
        english[entry["canonical"]].add(entry["english"])
    assert {canonical: names for canonical, names in english.items() if len(names) > 1} == {}


def test_every_qid_is_well_formed():
    qids = [entry["qid"] for entry in ENTRIES if "qid" in entry]
    assert qids
    assert [qid for qid in qids if not re.fullmatch(r"Q[1-9][0-9]*", qid)] == []


def test_no_alias_is_listed_twice_or_repeats_the_canonical_name():
    for entry in ENTRIES:
        aliases = entry.get("aliases", [])
        assert len(aliases) == len(set(aliases)), entry["canonical"]
        assert entry["canonical"] not in aliases, entry["canonical"]
        assert not set(aliases) & set(entry.get("ambiguous_aliases", [])), entry["canonical"]


#: The bodies the issue names, each by a spelling news uses: (name, country, canonical, english).
EXAMPLE_BODIES = [
    ("NRC", "NL", "NRC", "NRC"),
    ("RTL Nieuws", "NL", "RTL Nieuws", "RTL Nieuws"),
    ("Omroep Brabant", "NL", "Omroep Brabant", "Omroep Brabant"),
    ("NPO 1", "NL", "NPO 1", "NPO 1"),
    ("ANP", "NL", "Algemeen Nederlands Persbureau", "ANP"),
    ("Belga", "BE", "Belga", "Belga"),
    ("Wereldvoedselorganisatie", "INT", "Voedsel- en Landbouworganisatie", "Food and Agriculture Organization"),
    ("ESA", "INT", "Europese Ruimtevaartorganisatie", "European Space Agency"),
    ("Hoge Gezondheidsraad", "BE", "Hoge Gezondheidsraad", "Superior Health Council"),
    ("Universitair Medisch Centrum Utrecht", "NL", "UMC Utrecht", "University Medical Center Utrecht"),
    ("Rechtbank Zeeland-West-Brabant", "NL", "Rechtbank Zeeland-West-Brabant", "Zeeland-West-Brabant District Court"),
    ("HLN", "BE", "Het Laatste Nieuws", "Het Laatste Nieuws"),
    ("VRT NWS", "BE", "VRT NWS", "VRT NWS"),
    ("GroenLinks-PvdA", "NL", "GroenLinks-PvdA", "GreenLeft-Labour"),
    ("gl-pvda", "NL", "GroenLinks-PvdA", "GreenLeft-Labour"),
    ("NSC", "NL", "Nieuw Sociaal Contract", "New Social Contract"),
    ("N-VA", "BE", "Nieuw-Vlaamse Alliantie", "New Flemish Alliance"),
    ("ASM International", "NL", "ASM International", "ASM International"),
    ("BE Semiconductor Industries", "NL", "BE Semiconductor Industries", "BE Semiconductor Industries"),
    ("BESI", "NL", "BE Semiconductor Industries", "BE Semiconductor Industries"),
    ("Noordmelk", "NL", "Noordmelk", "Noordmelk"),
    ("Twitter", "INT", "Twitter", "Twitter"),
    ("YouTube", "INT", "YouTube", "YouTube"),
    ("Feyenoord", "NL", "Feyenoord", "Feyenoord"),
    ("Ajax", "NL", "AFC Ajax", "Ajax"),
    ("PSV", "NL", "PSV Eindhoven", "PSV Eindhoven"),
    ("FC Twente", "NL", "FC Twente", "FC Twente"),
    ("FC Volendam", "NL", "FC Volendam", "FC Volendam"),
    ("Club Brugge", "BE", "Club Brugge", "Club Brugge"),
    ("Rode Duivels", "BE", "Belgisch voetbalelftal", "Belgium national football team"),
    ("Oranjeleeuwinnen", "NL", "Nederlands vrouwenvoetbalelftal", "Netherlands women's national football team"),
    ("OM Oost-Brabant", "NL", "OM Oost-Brabant", "East Brabant Public Prosecutor's Office"),
    ("Landelijk Parket", "NL", "Landelijk Parket", "National Office of the Public Prosecution Service"),
    ("Mobiele Eenheid", "NL", "Mobiele Eenheid", "Riot Police"),
    ("BuZa", "NL", "Ministerie van Buitenlandse Zaken", "Ministry of Foreign Affairs"),
    (
        "Infrastructuur en Waterstaat",
        "NL",
        "Ministerie van Infrastructuur en Waterstaat",
        "Ministry of Infrastructure and Water Management",
    ),
    ("IND", "NL", "Immigratie- en Naturalisatiedienst", "Immigration and Naturalisation Service"),
    ("Vlaams Parlement", "BE", "Vlaams Parlement", "Flemish Parliament"),
    ("Vlaamse Regering", "BE", "Vlaamse Regering", "Flemish Government"),
    ("De Lijn", "BE", "De Lijn", "De Lijn"),
    ("NMBS", "BE", "Nationale Maatschappij der Belgische Spoorwegen", "National Railway Company of Belgium"),
    ("VN", "INT", "Verenigde Naties", "United Nations"),
    ("NAVO", "INT", "Noord-Atlantische Verdragsorganisatie", "NATO"),
    ("WHO", "INT", "Wereldgezondheidsorganisatie", "World Health Organization"),
    ("FIFA", "INT", "FIFA", "FIFA"),
    ("UEFA", "INT", "UEFA", "UEFA"),
    ("Raad van State", "BE", "Raad van State", "Council of State"),
    ("Cocof", "BE", "Franse Gemeenschapscommissie", "French Community Commission"),
    ("Kinderrechtencommissariaat", "BE", "Kinderrechtencommissariaat", "Flemish Children's Rights Commissioner"),
    ("VREG", "BE", "Vlaamse Nutsregulator", "Flemish Utility Regulator"),
    (
        "CREG",
        "BE",
        "Commissie voor de Regulering van de Elektriciteit en het Gas",
        "Commission for Electricity and Gas Regulation",
    ),
    ("Fluxys", "BE", "Fluxys", "Fluxys"),
    ("Waterlink", "BE", "Water-link", "Water-link"),
    ("Comeos", "BE", "Comeos", "Comeos"),
    ("Sporza", "BE", "Sporza", "Sporza"),
    ("MAS", "BE", "Museum aan de Stroom", "Museum aan de Stroom"),
    ("Bozar", "BE", "Paleis voor Schone Kunsten", "Centre for Fine Arts"),
    ("Vlaams Belang", "BE", "Vlaams Belang", "Vlaams Belang"),
    ("FOD Volksgezondheid", "BE", "Federale Overheidsdienst Volksgezondheid", "Federal Public Service Health"),
    ("ACOD", "BE", "Algemene Centrale der Openbare Diensten", "Algemene Centrale der Openbare Diensten"),
    ("Artsen Zonder Grenzen", "INT", "Artsen zonder Grenzen", "Doctors Without Borders"),
]

#: Names that need context, with the body each stands for in an article of each country.
AMBIGUOUS_BODIES = [
    ("Kamer", "NL", "Tweede Kamer der Staten-Generaal"),
    ("Kamer", "BE", "Kamer van volksvertegenwoordigers"),
    ("Volksgezondheid", "NL", "Ministerie van Volksgezondheid, Welzijn en Sport"),
    ("Volksgezondheid", "BE", "Federale Overheidsdienst Volksgezondheid"),
    ("Buitenlandse Zaken", "NL", "Ministerie van Buitenlandse Zaken"),
    ("X", "INT", "X"),
    ("Vooruit", "BE", "Vooruit"),
    ("Groen", "BE", "Groen"),
    ("Oranje", "NL", "Nederlands voetbalelftal"),
    ("AZ", "NL", "AZ Alkmaar"),
    ("Schiphol", "NL", "Amsterdam Airport Schiphol"),
]


@pytest.mark.parametrize(("name", "country", "canonical", "english"), EXAMPLE_BODIES)
def test_the_bodies_the_issue_names_are_known(name: str, country: str, canonical: str, english: str):
    found = {o.country: o for o in load_glossary().organisations_by_name.get(name_key(name), ())}
    assert (found[country].canonical, found[country].english) == (canonical, english)


@pytest.mark.parametrize(("name", "country", "canonical"), AMBIGUOUS_BODIES)
def test_ambiguous_names_wait_for_context(name: str, country: str, canonical: str):
    glossary = load_glossary()
    found = {o.country: o.canonical for o in glossary.ambiguous_organisations[name_key(name)]}
    assert found[country] == canonical
    assert all(o.country != country for o in glossary.organisations_by_name.get(name_key(name), ()))


def test_a_name_of_two_countries_keeps_its_first_body_for_the_plain_index():
    glossary = load_glossary()
    both = glossary.organisations_by_name[name_key("Raad van State")]
    assert [o.country for o in both] == ["NL", "BE"]
    assert glossary.organisations.get(name_key("Raad van State")) == both[0]


def test_two_bodies_of_one_country_under_one_name_are_refused(tmp_path: Path):
    data = read_resource("organisations.yaml")
    data["organisations"].append(
        {"canonical": "Ijsvereniging", "english": "Ice Club", "type": "club", "country": "NL", "aliases": ["IND"]}
    )
    with pytest.raises(ResourceError, match="'IND' names two organisations in NL"):
        load_glossary(write_resources(tmp_path, organisations=data))


def test_an_ambiguous_alias_that_is_a_plain_name_of_the_same_country_is_refused(tmp_path: Path):
    data = read_resource("organisations.yaml")
    data["organisations"].append(
        {
            "canonical": "Indische Bond",
            "english": "Indies League",
            "type": "ngo",
            "country": "NL",
            "ambiguous_aliases": ["IND"],
        }
    )
    with pytest.raises(ResourceError, match="ambiguous alias 'IND'"):
        load_glossary(write_resources(tmp_path, organisations=data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "vereniging"}, "organisations.0.type"),
        ({"country": "DE"}, "organisations.0.country"),
        ({"qid": "Q01"}, "organisations.0.qid"),
    ],
)
def test_an_unknown_type_or_country_or_a_malformed_qid_is_refused(tmp_path: Path, change: dict, message: str):
    data = read_resource("organisations.yaml")
    data["organisations"][0].update(change)
    with pytest.raises(ResourceError, match=message):
        load_glossary(write_resources(tmp_path, organisations=data))


@pytest.mark.parametrize(
    ("name", "canonical", "english", "country"),
    [
        ("Mokum", "Amsterdam", "Amsterdam", "NL"),
        ("Maasstad", "Rotterdam", "Rotterdam", "NL"),
        ("Domstad", "Utrecht", "Utrecht", "NL"),
        ("Antwerpen", "Antwerpen", "Antwerp", "BE"),
        ("Brussel", "Brussel", "Brussels", "BE"),
        ("Luik", "Luik", "Liège", "BE"),
        ("Namen", "Namen", "Namur", "BE"),
        ("Doornik", "Doornik", "Tournai", "BE"),
        ("Oostende", "Oostende", "Ostend", "BE"),
        ("Ieper", "Ieper", "Ypres", "BE"),
        ("Mons", "Bergen", "Mons", "BE"),
        ("Rijsel", "Rijsel", "Lille", "FR"),
        ("Aken", "Aken", "Aachen", "DE"),
        ("Parijs", "Parijs", "Paris", "FR"),
        ("Istanboel", "Istanbul", "Istanbul", "TR"),
        ("Nieuw-Delhi", "New Delhi", "New Delhi", "IN"),
        ("Mexico-Stad", "Mexico-Stad", "Mexico City", "MX"),
        ("Luxemburg-Stad", "Luxemburg", "Luxembourg", "LU"),
        ("Rafah", "Rafah", "Rafah", "PS"),
        ("Izmir", "Izmir", "Izmir", "TR"),
        ("Luzern", "Luzern", "Lucerne", "CH"),
        ("Hoek van Holland", "Hoek van Holland", "Hook of Holland", "NL"),
        ("Turijn", "Turijn", "Turin", "IT"),
        ("Genua", "Genua", "Genoa", "IT"),
        ("Triëst", "Triëst", "Trieste", "IT"),
        ("Neurenberg", "Neurenberg", "Nuremberg", "DE"),
    ],
)
def test_nicknames_and_dutch_names_of_foreign_cities(name: str, canonical: str, english: str, country: str):
    place = load_gazetteer().places.get(name_key(name))
    assert (place.canonical, place.english, place.country) == (canonical, english, country)


@pytest.mark.parametrize(
    ("name", "canonical", "english", "country"),
    [
        ("Odessa", "Odessa", "Odesa", "UA"),  # not the city in Texas
        ("Calcutta", "Calcutta", "Kolkata", "IN"),  # not the South African village
        ("Munster", "Münster", "Münster", "DE"),  # not the small town in Lower Saxony
        ("Mekka", "Mekka", "Mecca", "SA"),  # not the town in California
        ("Medina", "Medina", "Medina", "SA"),  # not the town in Ohio
    ],
)
def test_a_dutch_name_that_is_a_smaller_places_own_names_the_city_news_means(
    name: str, canonical: str, english: str, country: str
):
    place = load_gazetteer().places.get(name_key(name))
    assert (place.canonical, place.english, place.country) == (canonical, english, country)


@pytest.mark.parametrize(
    ("name", "english"),
    [("Molenbeek", "Molenbeek"), ("Sint-Jans-Molenbeek", "Molenbeek"), ("Vorst", "Forest"), ("Elsene", "Ixelles")]
    + [("Sint-Gillis", "Saint-Gilles"), ("Schaarbeek", "Schaerbeek")],
)
def test_brussels_municipalities_by_their_dutch_names_have_their_french_english_name(name: str, english: str):
    place = load_gazetteer().places.get(name_key(name))
    assert (place.country, place.english, place.population > 20000) == ("BE", english, True)


@pytest.mark.parametrize(
    ("name", "english"),
    [("Kandahār", "Kandahar"), ("Herāt", "Herat"), ("Huế", "Hue"), ("Kraków", "Kraków"), ("Düsseldorf", "Düsseldorf")],
)
def test_a_transliterated_name_is_written_as_english_writes_it(name: str, english: str):
    assert load_gazetteer().places.get(name_key(name)).english == english


def test_bergen_is_mons_only_in_belgian_news():
    gazetteer = load_gazetteer()
    assert gazetteer.places.get("Bergen").country == "NL"
    assert gazetteer.places_by_country["BE"].get("Bergen").english == "Mons"
    assert "NL" not in gazetteer.places_by_country


@pytest.mark.parametrize(
    ("name", "english", "kind"),
    [
        ("Vlaanderen", "Flanders", "region"),
        ("Wallonië", "Wallonia", "region"),
        ("Brussels Hoofdstedelijk Gewest", "Brussels-Capital Region", "region"),
        ("Randstad", "Randstad", "region"),
        ("Veluwe", "Veluwe", "region"),
        ("Europa", "Europe", "continent"),
        ("Azië", "Asia", "continent"),
        ("Afrika", "Africa", "continent"),
        ("Midden-Oosten", "Middle East", "region"),
        ("Gazastrook", "Gaza Strip", "country_part"),
        ("Noordzee", "North Sea", "water"),
        ("Oost-Vlaanderen", "East Flanders", "province"),
        ("Noord-Brabant", "North Brabant", "province"),
        ("Saksen", "Saxony", "country_part"),
        ("Rijnland-Palts", "Rhineland-Palatinate", "country_part"),
    ],
)
def test_regions_provinces_and_continents_are_locations(name: str, english: str, kind: str):
    (location,) = load_gazetteer().locations.get(name_key(name))
    assert (location.english, location.kind) == (english, kind)


def test_a_province_named_like_a_city_waits_for_a_cue_and_limburg_is_one_per_country():
    locations = load_gazetteer().locations
    assert [(loc.country, loc.ambiguous) for loc in locations.get("Utrecht")] == [("NL", True)]
    assert [(loc.country, loc.english, loc.ambiguous) for loc in locations.get("Antwerpen")] == [
        ("BE", "Antwerp", True)
    ]
    assert [loc.country for loc in locations.get("Limburg")] == ["NL", "BE"]


def test_every_location_loads_under_each_of_its_names():
    gazetteer = load_gazetteer()
    for entry in read_resource("places_nl.yaml")["locations"]:
        for name in (entry["canonical"], *entry.get("aliases", [])):
            found = {loc.country: loc for loc in gazetteer.locations.get(name_key(name))}
            location = found[entry["country"]]
            assert (location.canonical, location.english) == (entry["canonical"], entry["english"])
            assert location.kind in get_args(LocationKind) and location.country in get_args(Scope)


DUTCH_PROVINCES = ["Groningen", "Fryslân", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht"]
DUTCH_PROVINCES += ["Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg"]


def test_the_twelve_dutch_provinces_stay_the_province_index():
    provinces = load_gazetteer().provinces
    assert [provinces.get(name_key(name)).canonical for name in DUTCH_PROVINCES] == DUTCH_PROVINCES
    assert (provinces.get("Friesland").canonical, provinces.get("Brabant").english) == ("Fryslân", "North Brabant")
    assert provinces.get("Henegouwen") is None


def test_two_locations_of_one_country_under_one_name_are_refused(tmp_path: Path):
    places = read_resource("places_nl.yaml")
    places["locations"].append({"canonical": "Limburg", "english": "Limburg", "kind": "region", "country": "NL"})
    with pytest.raises(ResourceError, match="'Limburg' names two locations in NL"):
        load_gazetteer(500_000, write_resources(tmp_path, places=places))


@pytest.mark.parametrize(
    ("name", "admin1"),
    [
        ("Valkenburg aan de Geul", "05"),
        ("Gulpen-Wittem", "05"),
        ("Vijfheerenlanden", "09"),
        ("Edam-Volendam", "07"),
        ("Hardinxveld-Giessendam", "11"),
        ("Nuenen, Gerwen en Nederwetten", "06"),
        ("Ameland", "02"),
    ],
)
def test_merged_municipalities_lie_in_their_province(name: str, admin1: str):
    place = load_gazetteer().places.get(name_key(name))
    assert (place.canonical, place.country, place.admin1) == (name, "NL", admin1)


def test_a_seat_named_by_id_must_be_the_place_of_that_name(tmp_path: Path):
    places = read_resource("places_nl.yaml")
    places["municipalities"].append({"name": "Nergenshuizen", "seat": "Valkenburg", "seat_geonameid": 2745580})
    with pytest.raises(ResourceError, match="the seat 'Valkenburg' of 'Nergenshuizen' is no place"):
        load_gazetteer(500_000, write_resources(tmp_path, places=places))


def test_a_dutch_municipality_beats_a_foreign_place_of_its_name():
    places = load_gazetteer().places
    assert [places.get(name).country for name in ("Altena", "Heusden", "Deurne")] == ["NL", "NL", "NL"]


@pytest.mark.parametrize(("name", "english"), [("Bergen", "Mons"), ("Heusden", "Heusden"), ("Deurne", "Deurne")])
def test_belgian_news_reads_names_shared_with_dutch_places_as_belgian(name: str, english: str):
    place = load_gazetteer().places_by_country["BE"].get(name)
    assert (place.country, place.english) == ("BE", english)


@pytest.mark.parametrize(
    ("name", "english"),
    [("Nederland", "Netherlands"), ("Curaçao", "Curaçao"), ("Togo", "Togo"), ("Kameroen", "Cameroon")]
    # a diaeresis is Dutch spelling, no accent of the name; geonames' "Palestinian Territory" is no country's name
    + [("Israël", "Israel"), ("Haïti", "Haiti"), ("Palestina", "Palestine"), ("Oost-Timor", "East Timor")],
)
def test_countries_have_their_english_name_as_a_sentence_writes_it(name: str, english: str):
    assert load_gazetteer().countries.get(name_key(name)).english == english


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Osdorp", "district"),
        ("Delfshaven", "district"),
        ("Linkeroever", "district"),
        ("Binnenhof", "site"),
        ("Buckingham Palace", "site"),
        ("Brussel-Zuid", "site"),
        ("Schotland", "country_part"),
    ],
)
def test_districts_sites_and_parts_of_countries_are_locations(name: str, kind: str):
    (location,) = load_gazetteer().locations.get(name_key(name))
    assert location.kind == kind


def test_courts_have_their_english_name_in_english_word_order():
    glossary = load_glossary()
    assert glossary.organisations.get(name_key("Rechtbank Den Haag")).english == "The Hague District Court"
    assert glossary.organisation_words["rechtbank"].english.format("Almelo") == "Almelo District Court"


@pytest.mark.parametrize("name", ["Lievegem", "Malle", "Heusden-Zolder", "Puurs-Sint-Amands", "Nazareth-De Pinte"])
def test_flemish_municipalities_named_after_no_single_place_are_cities(name: str):
    place = load_gazetteer().places.get(name_key(name))
    assert (place.canonical, place.country) == (name, "BE")


def test_a_seat_in_the_wrong_country_is_refused(tmp_path: Path):
    data = read_resource("places_nl.yaml")
    data["municipalities"].append({"name": "Nergenshuizen", "seat": "Westmalle", "country": "NL"})
    with pytest.raises(ResourceError, match="Westmalle"):
        load_gazetteer(directory=write_resources(tmp_path, places=data))


def test_a_body_is_known_without_the_voor_de_of_its_name_but_a_party_is_not():
    glossary = load_glossary()
    for short in ("Centraal Bureau Statistiek", "Centraal Bureau voor Statistiek"):
        assert glossary.organisations.get(name_key(short)).canonical == "Centraal Bureau voor de Statistiek"
    assert glossary.organisations.get(name_key("Raad Kinderbescherming")).canonical == "Raad voor de Kinderbescherming"
    assert glossary.organisations.get(name_key("Partij Dieren")) is None


def test_an_acronym_said_as_a_word_is_known_written_as_one():
    glossary = load_glossary()
    assert glossary.organisations.get("Navo").english == "NATO"
    assert glossary.organisations.get("Unesco").canonical == "UNESCO"
    assert glossary.organisations.get("Nmbs") is None  # letters spelled out are not written as a word


@pytest.mark.parametrize(
    ("name", "country", "canonical"),
    [("Ned 3", "NL", "NPO 3"), ("TV 1", "BE", "VRT 1"), ("VT4", "BE", "Play4"), ("BBC 2", "INT", "BBC Two")]
    + [("Radio 3", "NL", "NPO 3FM"), ("Radio 3", "BE", "Radio 3"), ("US Postal", "INT", "US Postal Service")],
)
def test_channels_and_teams_by_their_earlier_names(name: str, country: str, canonical: str):
    found = {o.country: o.canonical for o in load_glossary().organisations_by_name[name_key(name)]}
    assert found[country] == canonical
