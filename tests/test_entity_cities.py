"""Cities in context: small foreign towns, names that are no city where they stand, and cities' English names."""

from __future__ import annotations

import pytest

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage
from pipeline.stages.entities.gazetteer import NameIndex, PackedNames, load_gazetteer, name_key


@pytest.fixture(scope="module")
def stage() -> EntitiesStage:
    return EntitiesStage(EntitiesSettings(), StageContext())


def cities(stage: EntitiesStage, text: str) -> dict[str, tuple[str, str, str]]:
    """Each CITY's surface form -> (canonical, English name, country code)."""
    doc = Result(id="t", text=text, language="nl")
    stage([doc])
    return {e.text: (e.canonical, e.english, e.extra["country"]) for e in doc.entities if e.label == "CITY"}


def labels(stage: EntitiesStage, text: str) -> dict[str, str]:
    doc = Result(id="t", text=text, language="nl")
    stage([doc])
    return {e.text: e.label for e in doc.entities}


def test_packed_names_find_the_longest_name_and_nothing_else():
    names = PackedNames({"Santa": "a", "Santa Margherita": "b", "Vaals": "c", "Zermatt": "d"})
    assert len(names) == 4 and names.get("Vaals") == "c" and names.get("Vad") is None
    assert names.match(["in", "Santa", "Margherita", "."], 1, 4) == (3, "b")
    assert names.match(["Santa", "is"], 0, 2) == (1, "a")
    assert names.match(["Santastraat"], 0, 1) is None
    assert PackedNames({}).match(["Santa"], 0, 1) is None
    assert names.match(["Vad"], 0, 1) is None and names.match(["Zz"], 0, 1) is None  # before a name, after all


def test_a_name_index_finds_the_longest_name_of_the_words_that_start_it():
    names = NameIndex({"Bergen": "a", "Bergen op Zoom": "b", "Den Haag": "c", "Den Helder": "d"})
    assert names.first_words == {"Bergen", "Den"}
    assert names.match(["Bergen", "op", "Zoom"], 0, 3) == (3, "b")
    assert names.match(["Bergen", "op", "Zoom"], 0, 2) == (1, "a")  # the line ends before "Zoom"
    assert names.match(["in", "Den", "Haag"], 1, 3) == (3, "c")
    assert names.match(["Den", "Bosch"], 0, 2) is None  # "Den" alone is no name
    assert names.match(["Bergen"], 0, 0) is None


def test_the_gazetteer_keeps_small_foreign_towns_apart_from_the_bare_word_index():
    gazetteer = load_gazetteer()
    (zermatt,) = gazetteer.villages_of("Zermatt")
    assert (zermatt.country, zermatt.canonical) == ("CH", "Zermatt") and zermatt.population < 15000
    assert gazetteer.places.get("Zermatt") is None  # never matched as a bare word
    assert gazetteer.villages_of("Amersfoort") == ()  # Dutch places are in the index itself


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("De Zwitserse skiër won zaterdag in Zermatt de afdaling.", "Zermatt", "CH"),
        ("Het gezin woonde al jaren in het Oostenrijkse Hallstatt.", "Hallstatt", "AT"),
        ("Giverny (Frankrijk) trekt elk voorjaar duizenden bezoekers.", "Giverny", "FR"),
        ("De fiets werd teruggevonden bij Portofino, een vissersdorp aan de kust.", "Portofino", "IT"),
        ("Het ongeluk gebeurde in het bergdorp Kitzbühel.", "Kitzbühel", "AT"),
        ("ZERMATT (ANP) - Een lawine heeft zaterdag drie skiërs bedolven.", "ZERMATT", "CH"),
        ("Uitslagen\nKITZBÜHEL - De afdaling is afgelast wegens mist.", "KITZBÜHEL", "AT"),
    ],
)
def test_a_small_foreign_town_counts_where_the_context_places_it(stage, text, name, country):
    assert cities(stage, text)[name][2] == country


@pytest.mark.parametrize(
    "text",
    [
        "Zermatt is duur, zegt de reisgids.",  # no place cue: a bare capitalised word
        "De Italiaanse Rossi won de tweede set.",  # an adjective after "de" describes a person
        "Hij nam de trein in Zermatt Express richting het dal.",  # the name goes on in capitals
        "De sfeer in Portofino's villa's was uitgelaten.",  # a genitive: an owner
    ],
)
def test_a_small_foreign_town_needs_a_place_context(stage, text):
    assert not {"Zermatt", "Rossi", "Portofino"} & cities(stage, text).keys()


def test_the_named_country_chooses_a_small_town_over_a_bigger_namesake_abroad(stage):
    assert cities(stage, "Ze wonen in het Franse Bayeux, vlak bij de kust.")["Bayeux"][2] == "FR"
    assert cities(stage, "Hij verhuisde naar Bayeux. De Franse politie zoekt hem.")["Bayeux"][2] == "FR"


def test_a_big_city_stays_itself_whatever_country_the_article_names(stage):
    found = cities(stage, "Het Amerikaanse paviljoen op de expo in Montreal trok veel bezoekers.")
    assert found["Montreal"] == ("Montréal", "Montreal", "CA")


def test_english_names_drop_an_official_title_and_use_english_exonyms(stage):
    found = cities(stage, "Na de wedstrijden in Québec en Montréal reist de ploeg naar het Duitse Salzwedel.")
    assert found["Québec"][1] == "Quebec City"
    assert found["Montréal"][1] == "Montreal"
    assert found["Salzwedel"][:2] == ("Salzwedel", "Salzwedel")  # geonames: "Hansestadt Salzwedel"
    assert cities(stage, "De ECB in Frankfurt verhoogt de rente.")["Frankfurt"][1] == "Frankfurt"  # "am Main"


def test_english_names_of_dutch_and_belgian_cities_are_unchanged(stage):
    found = cities(stage, "Hij reisde van Den Haag via Antwerpen en Luik naar Keulen.")
    assert [found[name][1] for name in ("Den Haag", "Antwerpen", "Luik", "Keulen")] == [
        "The Hague",
        "Antwerp",
        "Liège",
        "Cologne",
    ]
    assert cities(stage, "In Bergen opende de Waalse minister een school, zei hij in Luik.")["Bergen"][1] == "Mons"


def test_a_citys_name_before_a_family_or_gang_word_is_no_city(stage):
    assert "Londen" not in cities(stage, "Twee leden van de Londen-clan zijn opgepakt.")
    assert "Londen" in cities(stage, "De trein naar Londen-Noord had vertraging, zei een woordvoerder in Londen.")


def test_a_citys_adjective_before_a_compound_with_a_name_is_no_city(stage):
    assert "Brussels" not in cities(stage, "Volgens Brussels PS-kopman Peeters gaat het goed.")


def test_a_citys_name_with_s_before_a_verb_is_the_city_not_its_adjective(stage):
    assert set(cities(stage, "Parijs is duur, zegt de krant.")) == {"Parijs"}
    assert "Brussels" not in cities(stage, "Het Brussels bier is duur.")


def test_a_city_whose_own_name_ends_in_s_is_the_city_before_any_word(stage):
    assert set(cities(stage, "Franse steden als Parijs werken met autovrije dagen.")) == {"Parijs"}


@pytest.mark.parametrize(
    "text",
    [
        "Man aangehouden na steekpartij in Utrecht.",
        "Rest van de week blijft het droog in Utrecht.",
        "Vele inwoners van Utrecht zijn boos.",
    ],
)
def test_a_sentence_opening_with_a_dutch_word_that_names_a_city_abroad_names_none(stage, text):
    """geonames names big cities abroad in many languages: ``Man`` (Ivory Coast), ``Vele`` (Belém)."""
    assert set(cities(stage, text)) == {"Utrecht"}


def test_the_province_an_article_names_places_its_towns(stage):
    """Valkenburg is a village in South Holland and a town in Limburg: the province named decides."""
    for text, admin1 in [
        ("Noodweer in Limburg: kelders lopen onder in Valkenburg.", "05"),
        ("Storm in Zuid-Holland: in Valkenburg waaien bomen om.", "11"),
    ]:
        doc = Result(id="t", text=text, language="nl")
        stage([doc])
        (valkenburg,) = [e for e in doc.entities if e.label == "CITY"]
        assert (valkenburg.text, valkenburg.extra["admin1"]) == ("Valkenburg", admin1)


def test_a_province_takes_the_admin1_code_of_its_capital():
    gazetteer = load_gazetteer()
    assert {(p.country, p.admin1) for p in gazetteer.locations.get("Limburg")} == {("NL", "05"), ("BE", "VLG")}


def test_a_province_in_an_apposition_is_the_area_not_the_city(stage):
    assert (
        labels(stage, "Ze trekt de lijst in Utrecht, een lastige provincie voor haar partij.")["Utrecht"] == "LOCATION"
    )
    assert labels(stage, "Ze woont in Utrecht, een stad met veel studenten.")["Utrecht"] == "CITY"
    assert name_key("Utrecht") in load_gazetteer().places


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("De doelman tekende vorige week bij Racing Santander een nieuw contract.", "Santander"),
        ("De band Praga Khan speelt zaterdag twee concerten.", "Praga"),
        ("Regisseur Hiroyuki Nakano maakte de film in 1998.", "Nakano"),
        ("Ze promoveerde aan de University of York.", "York"),  # English "of" after a name that is no city
    ],
)
def test_a_foreign_city_glued_to_another_capitalised_word_is_part_of_that_name(stage, text, name):
    assert name not in cities(stage, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ook Madrid wil de spelen organiseren.", "Madrid"),  # the word before opens the sentence
        ('"In Parijs is het duur," zegt ze.', "Parijs"),  # a place cue, capitalised
        ("Een rechtbank in het Senegalese Dakar buigt zich over de zaak.", "Dakar"),  # an adjective
        ("Het hof in Straatsburg België veroordeelde het land.", "Straatsburg"),  # a country after it
        ("In Berlijn of Londen kost een kamer het dubbele.", "Londen"),  # Dutch "of" after a city: one or the other
        ("Het toeristische Venetië van vroeger is terug.", "Venetië"),  # a small city with a Dutch name is well known
    ],
)
def test_a_foreign_city_next_to_a_cue_an_adjective_or_a_country_stays_a_city(stage, text, name):
    assert name in cities(stage, text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "De treinen tussen Amsterdam en Utrecht rijden weer, ook op het traject Amsterdam-Haarlem.",
            {"Amsterdam", "Utrecht", "Haarlem"},
        ),
        ("De nachttrein Brussel-Berlijn vertrekt om tien uur.", {"Brussel", "Berlijn"}),
        ("De veerdienst Vlissingen-Breskens vaart niet.", {"Vlissingen", "Breskens"}),
        ("De ferry Oostende-Dover vaart weer.", {"Oostende", "Dover"}),  # a small town abroad at a route's end
    ],
)
def test_two_towns_joined_by_a_hyphen_are_a_route_of_two_cities(stage, text, names):
    assert set(cities(stage, text)) == names


def test_two_villages_joined_by_a_hyphen_are_the_municipality_they_form(stage):
    assert set(cities(stage, "Op vliegbasis Gilze-Rijen landt een transportvliegtuig.")) == {"Gilze-Rijen"}


def test_a_club_after_a_hyphen_in_a_match_is_no_second_city(stage):
    assert "Utrecht" not in cities(stage, "De wedstrijd Groningen-Utrecht eindigde in 2-1.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a town the gazetteer does not hold, introduced by its country after a preposition of place
        ("Een man sprong in het Zwitserse Oberwilden van een brug.", {"Oberwilden": "CITY"}),
        # after a word for a town or a part of one, each of a list after a plural
        ("De rebellen trokken weg uit de steden Kaborra en Tessalit.", {"Kaborra": "CITY", "Tessalit": "CITY"}),
        ("Het kuuroord Wildmoosbad kreeg een prijs.", {"Wildmoosbad": "CITY"}),
        ("Er brandde een huis in de wijk Gorsveld in Antwerpen.", {"Gorsveld": "LOCATION", "Antwerpen": "CITY"}),
    ],
)
def test_a_place_the_gazetteer_lacks_is_named_by_its_country_or_a_word_for_it(
    stage: EntitiesStage, text: str, expected: dict[str, str]
):
    found = labels(stage, text)
    assert {name: found.get(name) for name in expected} == expected


def test_an_adverb_shaped_like_a_street_opening_a_sentence_is_no_street(stage: EntitiesStage):
    found = labels(stage, "Stilaan sluiten de winkels. Onderweg zagen we de Molenstraat. Gewoonweg te druk.")
    assert found == {"Molenstraat": "LOCATION"}
