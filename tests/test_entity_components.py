"""The entity components one by one: each is a registered spaCy component adding candidates to ``doc._.mentions``."""

from __future__ import annotations

import subprocess
import sys

import pytest
import spacy

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage
from pipeline.stages.entities.tokens import RuleTokenizer, Tokens


def blank_with(*components: str, config: dict | None = None) -> spacy.language.Language:
    nlp = spacy.blank("nl")
    nlp.tokenizer = RuleTokenizer(nlp.vocab, sentences=True)
    for name in components:
        nlp.add_pipe(name, config=config or {})
    return nlp


def found(doc, label: str) -> dict[str, str]:
    return {doc.text[m.start : m.end]: m.canonical for m in doc._.mentions if m.label == label}


@pytest.fixture(scope="module")
def stage() -> EntitiesStage:
    return EntitiesStage(EntitiesSettings(), StageContext())


def entities(stage: EntitiesStage, text: str, url: str | None = None) -> list[tuple[str, str, str, str]]:
    doc = Result(id="t", text=text, language="nl", url=url)
    stage([doc])
    return [(e.text, e.label, e.canonical, e.english) for e in doc.entities]


def test_the_tokenizer_keeps_the_text_and_starts_a_sentence_at_each_line():
    nlp = blank_with()
    text = "Geen afname\n\nDe IND-loketten  sluiten. Daarna Zwolle."
    doc = nlp(text)
    assert doc.text == text
    tokens = Tokens.of(doc)
    assert tokens.words[:6] == ["Geen", "afname", "De", "IND", "-", "loketten"]
    assert [tokens.words[i] for i in sorted(tokens.sentence_initial)] == ["Geen", "De", "Daarna"]


def test_the_components_read_a_batch_in_turn_and_find_what_they_find_doc_by_doc():
    nlp = blank_with(
        "nlnews_persons", "nlnews_organisations", "nlnews_places", "nlnews_teams", "nlnews_years", "nlnews_merge"
    )
    texts = [
        "Minister Hugo de Jonge opende in 2021 het IND-loket in Zwolle.",
        "De gemeente Utrecht en FC Volendam tekenden een akkoord.",
        "Geen namen hier.",
    ]

    piped = list(nlp.pipe(texts, batch_size=2))

    assert [[(m.start, m.end, m.label, m.canonical) for m in doc._.entities] for doc in piped] == [
        [(m.start, m.end, m.label, m.canonical) for m in nlp(text)._.entities] for text in texts
    ]
    assert piped[0]._.entities and piped[1]._.entities and not piped[2]._.entities


def test_persons_by_first_name_particles_initials_and_cues():
    doc = blank_with("nlnews_persons")(
        "Hugo de Jonge sprak met J.P. Balkenende. Later zei De Jonge niets, aldus Vermeulen. Premier Jetten zweeg."
    )
    persons = found(doc, "PERSON")
    assert persons["Hugo de Jonge"] == "Hugo de Jonge"
    assert persons["J.P. Balkenende"] == "J.P. Balkenende"
    assert persons["De Jonge"] == "Hugo de Jonge"  # the short mention is the person named in full
    assert persons["Vermeulen"] == "Vermeulen" and persons["Jetten"] == "Jetten"


def test_a_surname_with_an_apostrophe_is_one_name():
    doc = blank_with("nlnews_persons")("Volgens Lien D'Haenens en Kevin O'Neill klopt het. Ook Ward D’hondt zwijgt.")
    assert set(found(doc, "PERSON")) == {"Lien D'Haenens", "Kevin O'Neill", "Ward D’hondt"}


def test_a_first_name_that_is_also_a_word_still_opens_a_name():
    doc = blank_with("nlnews_persons")("Gisteren sprak minister Elke Vermandel met Ben Claessens. Elke dag telt.")
    assert set(found(doc, "PERSON")) == {"Elke Vermandel", "Ben Claessens"}


def test_a_name_alone_before_an_age_in_a_sentence_is_a_person_but_a_place_or_a_headlines_noun_is_not():
    doc = blank_with("nlnews_persons")(
        "Zoë-Lou (9) en Brunhilde (10) zingen. Westerlo (3) en Anderlecht (2) volgen. Daarna kijken ze naar Titanic (1997)."
        "\nVrouw (38) opgepakt na brand"
    )
    assert set(found(doc, "PERSON")) == {"Zoë-Lou", "Brunhilde"}


def test_a_first_name_alone_before_an_age_in_brackets_is_a_person():
    doc = blank_with("nlnews_persons")(
        "Yannick (27) uit Lier werd opgepakt. Ook Sarah (31) moest mee naar het kantoor."
    )
    assert set(found(doc, "PERSON")) == {"Yannick", "Sarah"}


def test_a_name_before_a_result_code_a_party_or_an_age_in_brackets_is_a_person():
    doc = blank_with("nlnews_persons")(
        "Uitslag: 1. Brankovic (Ser) in 4:12 -- 2. K. Olafsson (IJs / 3) -- 3. Bram van Tielen (Ned)\n"
        "Schepen Verhelst (Groen) en Tamsin Okoro-De Wit (CD&V) stemden tegen. Volgens Dusart (47) kan het niet.\n"
        "Rabobank (Ned) en Nederland (Ned) winnen. Een gesprek met Ahmed.\nZomerdromen (3)\nVrouw (41) opgepakt\n"
    )
    assert set(found(doc, "PERSON")) == {
        "Brankovic",
        "K. Olafsson",
        "Bram van Tielen",
        "Verhelst",
        "Tamsin Okoro-De Wit",
        "Dusart",
    }


def test_a_first_name_is_no_adjective_of_a_city_abroad_and_a_dutch_citys_stays_one():
    doc = blank_with("nlnews_persons")("Dat zei Georges Lemaire. Dat zegt Mira Osakas.\nEls Maes Haarlems raadslid")
    assert set(found(doc, "PERSON")) == {"Georges Lemaire", "Mira Osakas", "Els Maes"}


def test_the_names_in_a_list_with_two_people_are_people_but_no_place_or_single_word_of_the_language():
    doc = blank_with("nlnews_persons")(
        "In de cast: Jack Nolan, Mirela Dravcova, Okonkwo en Ingrid Haugen.\n"
        "Eerder bezocht Piet Claes met Anna Berg, Gent, Brugge en Leefmilieu.\n"
        "Kandidaten zijn Solvita, Marc Verbeke en Orvado."
    )
    assert set(found(doc, "PERSON")) == {
        "Jack Nolan",
        "Mirela Dravcova",
        "Okonkwo",
        "Ingrid Haugen",
        "Piet Claes",
        "Anna Berg",
        "Marc Verbeke",
    }


def test_given_names_from_abroad_open_a_name():
    doc = blank_with("nlnews_persons")("Gisteren ontmoette Itamar Goldfarb in Kyiv Chrystia Novak en Bukayo Mensah.")
    assert set(found(doc, "PERSON")) == {"Itamar Goldfarb", "Chrystia Novak", "Bukayo Mensah"}


def test_a_compound_title_a_relative_or_a_role_heading_a_name_cues_a_person_but_a_subsidiary_does_not():
    doc = blank_with("nlnews_persons")(
        "Justitieminister Okoye reageerde. Ook legerwoordvoerder Tavita en zijn broer Wendel waren er, "
        "net als kleindochter Saskia. De Renault-dochter Miravo en computerdochter Teldrix groeien. "
        "Minister Kok sprak met Jan de Vriend en Niels Baas.\nWoordvoerder: Tamsin Verhulst"
    )
    assert set(found(doc, "PERSON")) == {
        "Okoye",
        "Tavita",
        "Wendel",
        "Saskia",
        "Kok",
        "Jan de Vriend",
        "Niels Baas",
        "Tamsin Verhulst",
    }


def test_a_name_with_an_apostrophe_stays_whole():
    doc = blank_with("nlnews_persons")("Dat zei Martin O'Rourke. Volgens Paula D'Haenens klopt het, zegt D'Haenens.")
    assert found(doc, "PERSON") == {
        "Martin O'Rourke": "Martin O'Rourke",
        "Paula D'Haenens": "Paula D'Haenens",
        "D'Haenens": "Paula D'Haenens",
    }


def test_a_surname_ends_before_van_and_a_given_name_that_is_a_word_opens_a_name():
    doc = blank_with("nlnews_persons")(
        "Dat zegt Marc Leemans van Tradovia. Ook Ben Verhoef van Kwadrant en Jan van der Poorten waren er."
    )
    assert set(found(doc, "PERSON")) == {"Marc Leemans", "Ben Verhoef", "Jan van der Poorten"}


def test_an_english_body_and_a_compound_of_country_adjectives_are_no_persons():
    doc = blank_with("nlnews_persons")(
        "Een Frans-Italiaans drama won de Maria Lindqvist Award. Het Tessa Marlow Orchestra speelde, zegt Jan Duits."
    )
    assert set(found(doc, "PERSON")) == {"Jan Duits"}


def test_a_person_never_runs_into_a_body_or_a_place():
    doc = blank_with("nlnews_persons")("Premier Dick Schoof de Tweede Kamer in. Burgemeester Halsema van Amsterdam.")
    assert set(found(doc, "PERSON")) == {"Dick Schoof", "Halsema"}


def test_a_town_after_a_preposition_that_places_it_speaks_for_no_one():
    doc = blank_with("nlnews_persons")("Het ministerie in Den Haag zegt dat Rinky Hijikata zei dat het klopt.")
    assert set(found(doc, "PERSON")) == {"Rinky Hijikata"}


def test_a_town_after_a_place_cue_and_van_speaks_for_no_one(stage: EntitiesStage):
    found = entities(
        stage,
        "De burgemeester van Sint-Katelijne-Waver reageert verheugd. Ook de inwoners van De Pinte zeggen het.",
        url="https://nieuws.example.be/fusie",
    )
    assert [(e[0], e[1]) for e in found] == [("Sint-Katelijne-Waver", "CITY"), ("De Pinte", "CITY")]


def test_a_surname_that_is_a_town_ending_like_a_building_is_the_persons():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        "Wethouder Erik Meerkerk presenteerde het plan. Meerkerk wil meer woningen."
    )
    assert not found(doc, "CITY") and not found(doc, "LOCATION")
    assert found(doc, "PERSON")["Meerkerk"] == "Erik Meerkerk"


def test_places_keep_the_longest_name_and_shouted_names():
    doc = blank_with("nlnews_places")("BRUSSEL - De raad van Leidschendam-Voorburg vergaderde in Den Haag.")
    cities = found(doc, "CITY")
    assert cities["BRUSSEL"] == "Brussel"
    assert cities["Leidschendam-Voorburg"] == "Leidschendam-Voorburg"
    assert cities["Den Haag"] == "'s-Gravenhage"


def test_a_place_inside_a_persons_name_is_no_place():
    doc = blank_with("nlnews_persons", "nlnews_places")("Minister Jan Tilburg sprak in Tilburg.")
    assert [doc.text[m.start : m.end] for m in doc._.mentions if m.label == "CITY"] == ["Tilburg"]
    assert found(doc, "PERSON") == {"Jan Tilburg": "Jan Tilburg"}


def test_the_article_country_chooses_between_places_of_one_name(stage: EntitiesStage):
    flemish = entities(stage, "Het vuur in Bergen werd geblust.", url="https://www.hln.be/x")
    dutch = entities(stage, "Het vuur in Bergen werd geblust.", url="https://nos.nl/x")
    assert [e[3] for e in flemish if e[1] == "CITY"] == ["Mons"]
    assert [e[3] for e in dutch if e[1] == "CITY"] == ["Bergen"]


def test_the_other_places_of_the_article_choose_the_province(stage: EntitiesStage):
    found_places = {e[0]: e for e in entities(stage, "Van Maastricht en Gulpen reden ze naar Valkenburg.")}
    assert "Valkenburg" in found_places
    doc = Result(id="t", text="Van Maastricht en Gulpen reden ze naar Valkenburg.", language="nl")
    stage([doc])
    valkenburg = next(e for e in doc.entities if e.text == "Valkenburg")
    assert valkenburg.extra["admin1"] == "05"  # Limburg, like Maastricht and Gulpen


def test_open_classes_of_organisations(stage: EntitiesStage):
    found_orgs = {
        e[0]: e for e in entities(stage, "FC Volendam won. Het kabinet-Schoof en Rutte 3 en OM Oost-Brabant.")
    }
    assert found_orgs["FC Volendam"][1] == "ORG"
    assert found_orgs["kabinet-Schoof"][2:] == ("kabinet-Schoof", "Schoof cabinet")
    assert found_orgs["Rutte 3"][2:] == ("kabinet-Rutte III", "Third Rutte cabinet")
    assert found_orgs["OM Oost-Brabant"][1] == "ORG"
    assert not any(e[1] == "CITY" for e in found_orgs.values())  # Volendam is inside the club's name


def test_an_ambiguous_alias_counts_only_with_support():
    nlp = blank_with("nlnews_organisations")
    doc = nlp("Hij schreef op X dat het klopte. X is een letter.")
    orgs = [(doc.text[m.start : m.end], m.start, m.extra["type"]) for m in doc._.mentions if m.label == "ORG"]
    assert orgs == [("X", doc.text.index("X"), "company")]


def test_years_come_from_their_own_component():
    doc = blank_with("nlnews_years")("In 2023 kostte het 2024 euro; het plan loopt van 2021-2022.")
    assert sorted(found(doc, "YEAR")) == ["2021", "2022", "2023"]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("De vrede werd in 1648 in Münster getekend, het kasteel dateert uit 1250.", ["1648", "1250"]),
        ("Rond het jaar 1000 was Brugge een dorp; sinds 1830 is het land onafhankelijk.", ["1000", "1830"]),
        ("De schilder Jan Sluyters (1881-1957) woonde in Laren.", ["1881", "1957"]),
        ("Hij leefde van 1885 tot 1955.", ["1885", "1955"]),
        ("Na de overstroming van 1953 kwamen de dijken, net als de Spelen van 2028.", ["1953", "2028"]),
        ("Het verdrag van 1839 en dat van 1919, 1945 en 1957.", ["1839", "1919", "1945", "1957"]),
        (
            "In de jaren 1980 groeide de haven. Tegen 2030 moet de uitstoot omlaag, vóór 2040 op nul.",
            ["1980", "2030", "2040"],
        ),
        ("2024 was een warm jaar.\n2025 wordt nog warmer, zegt het KNMI.", ["2024", "2025"]),
        ("Euro 2024 werd in Duitsland gespeeld. Giro 2025: de renners zijn klaar.", ["2024", "2025"]),
        ("Verkiezingen 2029\nDe partijen beginnen.", ["2029"]),
        ("Terugblik\n2023: het jaar van de boer", ["2023"]),
        (
            "Dit stuk verscheen eerder.\n© 2019 Persbureau. Alle rechten voorbehouden. Copyright 2020 Uitgeverij",
            ["2019", "2020"],
        ),
        ("Op 12 mei 1940 viel de stad, op 1 januari 2027 gaat de wet in.", ["1940", "2027"]),
        ("1-1-2021 was de start; de wet van 12-10-2022 en die van 2023-05-01 gelden.", ["2021", "2022", "2023"]),
        ("Het seizoen 2021/22 begint, 01/02/2024 is de datum; bel 0900-2023 of 1-2-34567.", ["2021", "2022", "2024"]),
    ],
)
def test_every_four_digit_year_in_the_shapes_news_writes_it(text: str, years: list[str]):
    doc = blank_with("nlnews_years")(text)
    assert {m.canonical for m in doc._.mentions if m.label == "YEAR"} == set(years)


@pytest.mark.parametrize(
    "text",
    [
        "Voor 1500 deelnemers is geen plaats, tot 1200 woningen wel.",
        "Het dodental is opgelopen tot 1700, zegt de regering. Het aantal steeg naar 2000.",
        "Ruim 1500 mensen kwamen kijken. Bijna 2000 was het doel. Nog 2000 te gaan.",
        "Kamer 1201 is vrij. Vlucht KL 1234 is vertraagd. Artikel 1401 is duidelijk.",
        "Hij woont op de Kerkstraat 1234. De Dorpsstraat 1950 is te koop.",
        "In de 17e eeuw voeren de schepen uit. De Expo 58 trok veel volk.",
        "Een Boeing 737 landde om 20.15 uur; het kostte € 1.950 of 1.200 euro.",
    ],
)
def test_amounts_numbers_and_addresses_are_no_years(text: str):
    doc = blank_with("nlnews_years")(text)
    assert [doc.text[m.start : m.end] for m in doc._.mentions if m.label == "YEAR"] == []


def test_the_merge_keeps_the_longest_and_gives_a_models_place_the_gazetteers_names():
    nlp = blank_with("nlnews_organisations", "nlnews_places", "nlnews_merge")
    text = "De Universiteit Utrecht ligt niet in Zeist."
    doc = nlp.make_doc(text)
    zeist, university = text.index("Zeist"), text.index("Universiteit")
    doc._.model_spans = [(zeist, zeist + 5, "LOC", 0.9), (university, university + 20, "ORG", 0.8)]
    doc = nlp(doc)
    kept = [(doc.text[m.start : m.end], m.label, m.canonical) for m in doc._.entities]
    assert ("Universiteit Utrecht", "ORG", "Universiteit Utrecht") in kept
    assert ("Zeist", "CITY", "Zeist") in kept
    assert [span.label_ for span in doc.spans["entities"]] == [label for _, label, _ in kept]


def test_streets_stations_and_motorways_are_locations():
    doc = blank_with("nlnews_places")("Een ongeval op de E34 bij afrit Kemzeke; ook de Dansaertstraat was dicht.")
    assert set(found(doc, "LOCATION")) == {"E34", "afrit Kemzeke", "Dansaertstraat"}


def test_regions_and_continents_are_locations():
    doc = blank_with("nlnews_places")("Vlaanderen en Wallonië liggen in Europa.")
    assert set(found(doc, "LOCATION")) == {"Vlaanderen", "Wallonië", "Europa"}


def test_a_title_before_a_particle_that_opens_another_name_ends_without_a_person():
    """``professor Van`` + a sea: the name would be empty. It once never moved on (and grew without bound);
    run apart so that such a regression fails at the time limit instead of hanging the suite."""
    script = (
        "from pipeline.stages.base import StageContext\n"
        "from pipeline.stages.entities import EntitiesSettings, EntitiesStage\n"
        "from pipeline.document import Result\n"
        "doc = Result(id='t', text='Volgens professor Van der Noordzee is het water koud.', language='nl')\n"
        "EntitiesStage(EntitiesSettings(), StageContext())([doc])\n"
        "print(sorted((e.text, e.label) for e in doc.entities))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[('Noordzee', 'LOCATION')]"


def test_a_title_before_a_surname_with_particles_is_a_person(stage: EntitiesStage):
    found_here = entities(stage, "Minister Van der Laan opende de brug. Dat zei burgemeester Van Zanen gisteren.")
    assert [(text, label) for text, label, *_ in found_here] == [("Van der Laan", "PERSON"), ("Van Zanen", "PERSON")]


def test_a_country_names_the_netherlands_in_english_without_an_article(stage: EntitiesStage):
    assert ("Nederland", "COUNTRY", "Nederland", "Netherlands") in entities(stage, "Zij woont al jaren in Nederland.")


def test_a_court_is_named_in_english_word_order(stage: EntitiesStage):
    found = entities(stage, "De zaak komt voor de rechtbank Den Haag en daarna bij de rechtbank Almelo.")
    assert [e[3] for e in found if e[1] == "ORG"] == ["The Hague District Court", "Almelo District Court"]


def test_countries_in_a_match_are_their_national_teams(stage: EntitiesStage):
    found = entities(stage, "Na de 2-1 zege van België op Wales was het feest. Vanavond: Peru - Chili")
    teams = {e[0]: e[3] for e in found if e[1] == "ORG"}
    assert teams == {
        "België": "Belgium national football team",
        "Wales": "Wales national football team",
        "Peru": "Peru national football team",
        "Chili": "Chile national football team",
    }


def test_countries_outside_a_match_stay_countries(stage: EntitiesStage):
    found = entities(stage, "De oorlog van Rusland tegen Oekraïne en de spanning China-Taiwan duren voort.")
    assert [e[0] for e in found if e[1] == "COUNTRY"] == ["Rusland", "Oekraïne", "China", "Taiwan"]


def test_districts_of_a_city_are_locations_in_their_countrys_news(stage: EntitiesStage):
    flemish = entities(stage, "Een brand in Hoboken en een tweede in Ekeren.", url="https://nieuws.example.be/brand")
    assert [(e[0], e[1]) for e in flemish] == [("Hoboken", "LOCATION"), ("Ekeren", "LOCATION")]
    dutch = entities(stage, "Onrust in Amsterdam Osdorp, in de Schilderswijk en in het Rotterdamse Kralingen.")
    assert [(e[0], e[1]) for e in dutch] == [
        ("Amsterdam", "CITY"),
        ("Osdorp", "LOCATION"),
        ("Schilderswijk", "LOCATION"),
        ("Kralingen", "LOCATION"),
    ]


def test_palaces_buildings_and_streets_with_their_particles_are_locations():
    nlp = blank_with("nlnews_persons", "nlnews_places")
    doc = nlp("Koningin Beatrix verruilde Clarence House voor de Nekkerhal, vlak bij de De Keyserlei en Brussel-Zuid.")
    assert set(found(doc, "LOCATION")) == {"Clarence House", "Nekkerhal", "De Keyserlei", "Brussel-Zuid"}


def test_the_sites_flemish_news_names_most_are_locations_with_their_english_names(stage: EntitiesStage):
    found = entities(
        stage,
        "Na het Rubenshuis en het Gravensteen reden ze door de Kennedytunnel naar het Zoniënwoud en Manneken Pis.",
        url="https://nieuws.example.be/toerisme",
    )
    assert {e[0]: e[3] for e in found if e[1] == "LOCATION"} == {
        "Rubenshuis": "Rubens House",
        "Gravensteen": "Gravensteen",
        "Kennedytunnel": "Kennedy Tunnel",
        "Zoniënwoud": "Sonian Forest",
        "Manneken Pis": "Manneken Pis",
    }


def test_a_persons_name_ends_where_a_palace_starts(stage: EntitiesStage):
    found = entities(stage, "Toen ruilde koningin Juliana Buckingham Palace in voor een buitenhuis.")
    assert [(e[0], e[1]) for e in found] == [("Juliana", "PERSON"), ("Buckingham Palace", "LOCATION")]


def test_the_province_after_a_locative_is_the_region(stage: EntitiesStage):
    found = entities(stage, "Er kwamen meldingen uit de provincie Drenthe. De provincie Drenthe betaalt.")
    assert [(e[0], e[1]) for e in found] == [("Drenthe", "LOCATION"), ("provincie Drenthe", "ORG")]


def test_a_big_city_after_a_capitalised_word_and_van_is_a_place(stage: EntitiesStage):
    found = entities(stage, "Hij droomt van de Spelen van Los Angeles.")
    assert ("Los Angeles", "CITY", "Los Angeles", "Los Angeles") in found


def test_the_name_after_a_word_for_a_company_is_an_organisation(stage: EntitiesStage):
    text = "Ze werkt bij advocatenkantoor Brandt & Visser. Dieven beroofden computerwinkel Snel B in Gent."
    assert [(e[0], e[1]) for e in entities(stage, text) if e[1] == "ORG"] == [
        ("Brandt & Visser", "ORG"),
        ("Snel B", "ORG"),
    ]
    headline = entities(stage, "Marktonderzoeksbureau Peilpunt meldt een daling.")
    assert [(e[0], e[1]) for e in headline] == [("Peilpunt", "ORG")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("De Zweedse mijnexploitant Nordic Ore zoekt koper in Lapland.", "Nordic Ore"),
        ("Volgens de Duitse krant Der Abendbote is de fusie rond.", "Der Abendbote"),
        ("De mediagroep Kwadrant wil naar de beurs.", "Kwadrant"),
        ("Zakenbank Van Aken & Zonen waardeert het aandeel af.", "Van Aken & Zonen"),
        ("Twee Gentse verenigingen, Fietsberaad en Stadsgroen, dienen klacht in.", "Fietsberaad"),
        ("De vakbond Metaalunie dreigt met een staking.", "Metaalunie"),
        # a plural names each of the list after it
        ("Twee Gentse verenigingen, Fietsberaad en Stadsgroen, dienen klacht in.", "Stadsgroen"),
        ("De Franse bedrijven Lumotel en Gravis kopen aandelen.", "Lumotel"),
        ("De Franse bedrijven Lumotel en Gravis kopen aandelen.", "Gravis"),
        # a hyphen inside the name joins two capitalised words
        ("De telecomgroep Radio-Nova Holland meldt winst.", "Radio-Nova Holland"),
    ],
)
def test_the_name_after_a_word_for_a_group_bank_paper_or_association_is_an_organisation(
    stage: EntitiesStage, text: str, name: str
):
    assert (name, "ORG") in [(e[0], e[1]) for e in entities(stage, text)]


def test_an_organisation_name_stops_at_a_person_and_starts_after_a_link(stage: EntitiesStage):
    found = entities(
        stage,
        "De directeur van het Nederlands Fotomuseum Birgit Donker vertrekt, zegt Anna Berg van het Academisch Ziekenhuis van Bergen.",
    )
    assert [(e[0], e[1]) for e in found if e[1] in ("ORG", "PERSON")] == [
        ("Nederlands Fotomuseum", "ORG"),
        ("Birgit Donker", "PERSON"),
        ("Anna Berg", "PERSON"),
        ("Academisch Ziekenhuis van Bergen", "ORG"),
    ]


def test_an_ambiguous_alias_opening_a_headline_quote_is_the_body(stage: EntitiesStage):
    found = entities(stage, "Groen: 'Te weinig geld voor fietspaden'", url="https://nieuws.example.be/groen")
    assert ("Groen", "ORG") in [(e[0], e[1]) for e in found]
    assert "Groen" not in [e[0] for e in entities(stage, "Groen is de kleur van de hoop.")]


def test_a_city_adjective_before_a_noun_is_no_place(stage: EntitiesStage):
    found = entities(stage, "Zij werd Gents schepen en woont in Gent.")
    assert [(e[0], e[1]) for e in found if e[1] == "CITY"] == [("Gent", "CITY")]


def test_a_reporters_initials_signing_a_piece_are_a_person():
    doc = blank_with("nlnews_persons")(
        "De raad besliste.\n(JdV)\nHet plan van de NMBS (NMBS) is klaar.RV © nieuws.example"
    )
    assert set(found(doc, "PERSON")) == {"RV"}
    signed = blank_with("nlnews_persons")("De raad besliste.\n(PV)\nMeer morgen.")
    assert set(found(signed, "PERSON")) == {"PV"}


def test_an_article_de_before_a_nickname_is_no_surname_particle():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        "Zij verhuist naar de Domstad. De Maasstad groeit, zegt Jan de Vries."
    )
    assert found(doc, "CITY") == {"Domstad": "Utrecht", "Maasstad": "Rotterdam"}


def test_an_adjective_before_a_title_after_a_speech_verb_is_no_person():
    doc = blank_with("nlnews_persons")('"Het komt goed", zegt Vlaams minister Jan Peeters. "Ja", zegt Jansen.')
    assert set(found(doc, "PERSON")) == {"Jan Peeters", "Jansen"}
    doc = blank_with("nlnews_persons")('"Het komt goed", zegt Vlaams Minister van Wonen Els Maes.')
    assert set(found(doc, "PERSON")) == {"Els Maes"}  # a capitalised title too


def test_a_portfolio_after_a_title_is_an_office_not_a_person():
    doc = blank_with("nlnews_persons")("Dat zei staatssecretaris Koninkrijksrelaties en Toerisme Anna de Wit gisteren.")
    assert set(found(doc, "PERSON")) == {"Anna de Wit"}


def test_a_surname_after_a_particle_may_be_a_stop_word_and_a_nationality_cues_a_name():
    doc = blank_with("nlnews_persons")("Dat zegt Anna ter Haar. Hij won van de Sloveen Gorazd Kranjc.")
    assert set(found(doc, "PERSON")) == {"Anna ter Haar", "Gorazd Kranjc"}


def test_a_name_ends_before_a_citys_adjective():
    doc = blank_with("nlnews_persons")("Els Maes Brussels staatssecretaris\nDat zegt Jan Mols.")
    assert set(found(doc, "PERSON")) == {"Els Maes", "Jan Mols"}  # Mol is a town, too small to be an adjective


def test_a_hyphenated_given_name_with_a_lower_case_syllable_stays_whole():
    doc = blank_with("nlnews_persons")("President Moon Jae-in sprak met leider Kim Jong-un.")
    assert set(found(doc, "PERSON")) == {"Moon Jae-in", "Kim Jong-un"}


def test_a_body_named_after_a_person_and_a_local_paper_are_organisations(stage: EntitiesStage):
    assert entities(stage, "Circus Jan Bakker gaat failliet, schrijft Haarlem Actueel.") == [
        ("Circus Jan Bakker", "ORG", "Circus Jan Bakker", "Circus Jan Bakker"),
        ("Haarlem Actueel", "ORG", "Haarlem Actueel", "Haarlem Actueel"),
    ]


def test_a_region_after_a_place_cue_is_the_region_not_a_small_namesake_abroad(stage: EntitiesStage):
    found = entities(stage, "Zij woont in de Kempen en reisde naar Arizona.", url="https://nieuws.example.be/reis")
    assert [(e[0], e[1], e[3]) for e in found] == [
        ("Kempen", "LOCATION", "Campine"),
        ("Arizona", "LOCATION", "Arizona"),
    ]
    assert [(e[0], e[1]) for e in entities(stage, "Hij woont in Groningen.")] == [("Groningen", "CITY")]


def test_a_partys_youth_wing_and_bodies_named_by_forum_campus_or_commissie(stage: EntitiesStage):
    text = "Zij leidde Jong CD&V. Daar geven Campus Lindenhof en het Vlaams Forum Fietsveiligheid les, zegt de Commissie Mertens."
    orgs = [e[0] for e in entities(stage, text, url="https://nieuws.example.be/les") if e[1] == "ORG"]
    assert orgs == ["Jong CD&V", "Campus Lindenhof", "Vlaams Forum Fietsveiligheid", "Commissie Mertens"]


def test_country_codes_in_sports_results_are_countries():
    doc = blank_with("nlnews_places")(
        "Uitslag: 1. Peeters (Bel / Lotto) -- 2. De Wit (Ned) -- 3. Rossi (Ita). Let op de Col."
    )
    assert found(doc, "COUNTRY") == {"Bel": "België", "Ned": "Nederland", "Ita": "Italië"}


def test_a_flemish_citys_government_is_an_organisation_and_a_dutch_city_stays_a_place(stage: EntitiesStage):
    flemish = entities(
        stage, "De stad Gent bouwt een brug. Dat gebeurt in de stad Gent.", url="https://nieuws.example.be/brug"
    )
    assert [(e[0], e[1], e[3]) for e in flemish] == [("stad Gent", "ORG", "City of Ghent"), ("Gent", "CITY", "Ghent")]
    dutch = entities(
        stage, "De stad Zwolle groeit, net als de Hanzestad Kampen.", url="https://nieuws.example.nl/groei"
    )
    assert [(e[0], e[1]) for e in dutch] == [("Zwolle", "CITY"), ("Kampen", "CITY")]


def places(found: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str]]:
    """The places of ``entities``: surface, label and English name."""
    return [(text, label, english) for text, label, _, english in found if label in ("CITY", "COUNTRY", "LOCATION")]


def test_result_codes_after_slashes_hyphenated_and_of_former_countries(stage: EntitiesStage):
    found = entities(
        stage,
        "Dubbelspel: Janssens / Smit (Ned / Den) - Moreau / Dubois (Z-A / 3) 6 - 4, 7 - 5.\n"
        "Sprint: 1. Kowalski (W-Rus) -- 2. Petrov (Sov) -- 3. Carter (VS/US Postal)\n"
        "De ploeg reist daarna naar Den Haag.",
    )
    countries = [(text, canonical, english) for text, label, canonical, english in found if label == "COUNTRY"]
    assert countries == [
        ("Ned", "Nederland", "Netherlands"),
        ("Den", "Denemarken", "Denmark"),
        ("Z-A", "Zuid-Afrika", "South Africa"),
        ("W-Rus", "Belarus", "Belarus"),
        ("Sov", "Sovjet-Unie", "Soviet Union"),
        ("VS", "Verenigde Staten", "United States"),
    ]
    assert ("Den Haag", "CITY", "The Hague") in places(found)


def test_the_name_before_a_result_code_is_a_competitor_not_a_place(stage: EntitiesStage):
    found = entities(stage, "Uitslag: 1. Santiago Lopez (Spa) -- 2. Davenport (VSt / 2) -- 3. Max van Hengelo (Ned)")
    assert [text for text, _, _ in places(found)] == ["Spa", "VSt", "Ned"]


def test_passes_and_summits_are_named_sites(stage: EntitiesStage):
    found = entities(
        stage, "De renners beklimmen de Col de la Croix de Fer, de Col d'Aubisque en daarna Le Mont Ventoux."
    )
    assert places(found) == [
        ("Col de la Croix de Fer", "LOCATION", "Col de la Croix de Fer"),
        ("Col d'Aubisque", "LOCATION", "Col d'Aubisque"),
        ("Le Mont Ventoux", "LOCATION", "Le Mont Ventoux"),
    ]


def test_streets_abroad_by_their_french_english_and_spanish_words(stage: EntitiesStage):
    found = entities(
        stage, "Het hotel ligt in de rue des Bouchers, niet aan de Avenue of the Americas of de Calle Mayor."
    )
    assert [text for text, _, _ in places(found)] == ["rue des Bouchers", "Avenue of the Americas", "Calle Mayor"]


def test_streets_named_after_people_or_by_an_adjective_are_streets_not_persons(stage: EntitiesStage):
    found = entities(
        stage, "Het kantoor verhuist van de Jan Breydelstraat naar de A. Vermeylenlaan, vlak bij de Ninoofse Steenweg."
    )
    assert [(text, label) for text, label, _, _ in found] == [
        ("Jan Breydelstraat", "LOCATION"),
        ("A. Vermeylenlaan", "LOCATION"),
        ("Ninoofse Steenweg", "LOCATION"),
    ]


def test_buildings_by_their_head_word_or_their_compound(stage: EntitiesStage):
    found = entities(
        stage,
        "Het concert in de Koningin Elisabethzaal is uitverkocht. De expo loopt in het Museum voor Schone Kunsten, "
        "in Kasteel Groenhove, in de Sint-Baafsabdij en in het Conrad-hotel; het gala is in Madison Square Garden.",
    )
    assert [(text, label) for text, label, _, _ in found] == [
        ("Koningin Elisabethzaal", "LOCATION"),
        ("Museum voor Schone Kunsten", "LOCATION"),
        ("Kasteel Groenhove", "LOCATION"),
        ("Sint-Baafsabdij", "LOCATION"),
        ("Conrad-hotel", "LOCATION"),
        ("Madison Square Garden", "LOCATION"),
    ]


def test_a_museum_that_acts_is_the_body_and_one_visited_is_the_building(stage: EntitiesStage):
    acting = entities(stage, "De directeur van het Groninger Museum zegt dat de collectie groeit.")
    assert [(text, label) for text, label, _, _ in acting] == [("Groninger Museum", "ORG")]
    visited = entities(stage, "We zagen de collectie in het Groninger Museum.")
    assert [(text, label) for text, label, _, _ in visited] == [("Groninger Museum", "LOCATION")]


def test_a_compass_point_joined_to_a_country_or_continent_is_its_part(stage: EntitiesStage):
    found = entities(
        stage, "Een front trekt van West-Frankrijk naar Zuid-Duitsland. In Centraal-Afrika en Noord-Holland regent het."
    )
    assert places(found) == [
        ("West-Frankrijk", "LOCATION", "Western France"),
        ("Zuid-Duitsland", "LOCATION", "Southern Germany"),
        ("Centraal-Afrika", "LOCATION", "Central Africa"),
        ("Noord-Holland", "LOCATION", "North Holland"),
    ]


def test_regions_and_english_names_of_states_and_countries(stage: EntitiesStage):
    found = entities(
        stage, "Zij wandelde door het Zwarte Woud en de Schotse Highlands en dronk wijn uit California en de USA."
    )
    assert places(found) == [
        ("Zwarte Woud", "LOCATION", "Black Forest"),
        ("Schotse Highlands", "LOCATION", "Scottish Highlands"),
        ("California", "LOCATION", "California"),
        ("USA", "COUNTRY", "United States"),
    ]


def test_the_tour_and_races_named_after_a_country_are_no_places(stage: EntitiesStage):
    found = entities(stage, "De Tour vertrekt morgen. Wie wint de Ronde van Frankrijk of de Grote Prijs van Wallonië?")
    assert places(found) == []
    assert places(entities(stage, "Hij fietst graag in Frankrijk.")) == [("Frankrijk", "COUNTRY", "France")]


def test_streets_of_addresses_in_a_list_of_venues(stage: EntitiesStage):
    found = entities(
        stage, "Kasteel Groenhove, Oud Broek 4, tel. 012 / 34.56.78\nZij wonnen op Euro 2000, Frankrijk niet."
    )
    assert [text for text, label, _, _ in found if label == "LOCATION"] == ["Kasteel Groenhove", "Oud Broek"]


def test_straits_bays_and_capes(stage: EntitiesStage):
    found = entities(
        stage, "De tanker voer door de Straat van Gibraltar en de Golf van Biskaje naar Kaap de Goede Hoop."
    )
    assert [text for text, _, _ in places(found)] == ["Straat van Gibraltar", "Golf van Biskaje", "Kaap de Goede Hoop"]


def test_a_body_the_knowledge_base_lacks_gets_an_english_name_from_its_words(stage: EntitiesStage):
    found = entities(
        stage,
        "Het Universitair Ziekenhuis van Bergen opent een afdeling. Het Vlaams Forum Jeugdzorg en het "
        "Maasstad Ziekenhuis tekenen mee.",
    )
    assert [(e[0], e[3]) for e in found if e[1] == "ORG"] == [
        ("Universitair Ziekenhuis van Bergen", "Bergen University Hospital"),
        ("Vlaams Forum Jeugdzorg", "Flemish Youth Care Forum"),
        ("Maasstad Ziekenhuis", "Maasstad Ziekenhuis"),  # a proper name in it: the Dutch name stays
    ]


def test_a_name_with_its_adjective_inflected_names_the_same_body_not_a_person(stage: EntitiesStage):
    found = entities(stage, "De kosten van het Nederlands Filmmuseum stijgen. Het Nederlandse Filmmuseum zwijgt.")
    assert {(e[0], e[1], e[2], e[3]) for e in found} == {
        ("Nederlands Filmmuseum", "ORG", "Nederlands Filmmuseum", "Netherlands Film Museum"),
        ("Nederlandse Filmmuseum", "ORG", "Nederlands Filmmuseum", "Netherlands Film Museum"),
    }


def test_a_known_body_without_voor_de_in_its_name_is_the_body(stage: EntitiesStage):
    found = entities(stage, "Het Centraal Bureau Statistiek telt meer banen, meldt RTL.")
    assert [(e[0], e[2], e[3]) for e in found] == [
        ("Centraal Bureau Statistiek", "Centraal Bureau voor de Statistiek", "Statistics Netherlands"),
        ("RTL", "RTL Nieuws", "RTL Nieuws"),
    ]


def test_a_channel_before_a_clock_time_is_the_broadcaster_in_a_television_guide(stage: EntitiesStage):
    found = entities(stage, "Televisie\nKookles Canvas 19.40\nTV 1 21.05\nHet doek is van canvas.")
    assert [(e[0], e[2]) for e in found if e[1] == "ORG"] == [("Canvas", "VRT Canvas"), ("TV 1", "VRT 1")]


def test_a_reporters_initials_are_no_body_of_the_same_letters(stage: EntitiesStage):
    found = entities(stage, "De nieuwe fabriek opent in maart.\n(AD)\nHet AD meldde het eerst.")
    assert [(e[0], e[1]) for e in found] == [("AD", "PERSON"), ("AD", "ORG")]


def test_a_first_name_before_an_organisation_word_is_a_person(stage: EntitiesStage):
    found = entities(stage, "In de nieuwe film speelt James Bond een kleinere rol.")
    assert [(e[0], e[1]) for e in found] == [("James Bond", "PERSON")]


def test_a_name_before_the_acronym_of_its_initials_is_a_body_not_a_person(stage: EntitiesStage):
    found = entities(
        stage, "Dat zegt Solidarité Locale Bruxelles (SLB). Later reageerde SLB opnieuw, net als Kees Hoorn (KH)."
    )
    assert [(e[0], e[1], e[2]) for e in found if e[0] != "KH"] == [
        ("Solidarité Locale Bruxelles", "ORG", "Solidarité Locale Bruxelles"),
        ("SLB", "ORG", "Solidarité Locale Bruxelles"),
        ("SLB", "ORG", "Solidarité Locale Bruxelles"),
        ("Kees Hoorn", "PERSON", "Kees Hoorn"),
    ]


def test_a_full_name_ends_before_van_and_the_body_or_portfolio_after_it():
    doc = blank_with("nlnews_persons")(
        "Dat zegt Sanne Visser van Zorgpunt Oost. Minister Anna Smit van Natuur en Wonen reageert."
    )
    assert set(found(doc, "PERSON")) == {"Sanne Visser", "Anna Smit"}


def test_a_town_after_a_first_name_and_van_is_the_surname():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        "De 30-jarige Niek van Kuilenburg kijkt thuis. Ook Henk van Essen kijkt. Burgemeester Halsema van Amsterdam niet."
    )
    assert set(found(doc, "PERSON")) == {"Niek van Kuilenburg", "Henk van Essen", "Halsema"}
    assert not found(doc, "CITY").keys() - {"Amsterdam"}


def test_initials_alone_and_the_article_before_a_body_are_no_persons():
    doc = blank_with("nlnews_persons")(
        'Hij schreef het op X. De game komt voor de Xbox Series X en S. "De Rekenkamer zegt het", zei ze.'
    )
    assert found(doc, "PERSON") == {}


def test_emperors_and_a_compound_title_cue_a_name():
    doc = blank_with("nlnews_persons")(
        "Keizer Naruhito ontmoet de Duitse milieuminister Schulze en Commissievoorzitter Von der Leyen."
    )
    assert set(found(doc, "PERSON")) == {"Naruhito", "Schulze", "Von der Leyen"}


def test_a_small_town_abroad_named_like_a_person_of_the_article_is_the_person():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        "Linda Bos kijkt met haar kinderen. Er wordt niet gegeten bij Linda. Ze woont in Hengelo."
    )
    assert set(found(doc, "CITY")) == {"Hengelo"}


def test_a_town_abroad_the_article_writes_inside_a_name_is_that_name_elsewhere():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        "Kaishu Sano scoorde twee keer. Later gaf Sano de assist. Het Duchy of Lancaster betaalt. Ook Madrid wil het."
    )
    assert set(found(doc, "CITY")) == {"Madrid"}


def test_the_first_half_of_an_elided_compound_is_no_town():
    doc = blank_with("nlnews_places")("In Noord- en Midden-Limburg en in Oost- en West-Vlaanderen regent het.")
    assert found(doc, "CITY") == {}


def test_a_surname_ending_in_dijk_is_the_persons_and_a_dijk_alone_a_street():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        '"Het klopt", zegt Cees Hogendijk. Het verkeer op de Zeedijk staat vast.'
    )
    assert found(doc, "PERSON") == {"Cees Hogendijk": "Cees Hogendijk"}
    assert set(found(doc, "LOCATION")) == {"Zeedijk"}


def test_islands_abroad_venues_and_a_zoo_are_locations(stage: EntitiesStage):
    found = entities(
        stage,
        "De veerboot vaart van Sylt naar Amrum. Op Lesbos wachten vluchtelingen. "
        "Het ijsstadion Thialf is uitverkocht, net als het Concertgebouw. Diergaarde Blijdorp krijgt een olifant.",
    )
    assert [(e[0], e[3]) for e in found if e[1] == "LOCATION"] == [
        ("Sylt", "Sylt"),
        ("Amrum", "Amrum"),
        ("Lesbos", "Lesbos"),
        ("Thialf", "Thialf"),
        ("Concertgebouw", "Concertgebouw"),
        ("Diergaarde Blijdorp", "Rotterdam Zoo"),
    ]


def test_a_surname_after_a_title_ends_before_van_but_a_first_name_goes_on():
    doc = blank_with("nlnews_persons")(
        "Minister Moyo-Dube van Toerisme sprak. Burgemeester Kees van Wijk ook. Dat zegt Rico van Dijk."
    )
    assert set(found(doc, "PERSON")) == {"Moyo-Dube", "Kees van Wijk", "Rico van Dijk"}


def test_a_tournament_named_after_its_grounds_is_no_place(stage: EntitiesStage):
    found = entities(stage, "Zij haalde de kwartfinale van Wimbledon. Op Wimbledon speelt ze altijd goed.")
    assert [e for e in found if e[1] in ("LOCATION", "CITY")] == []


def test_island_groups_are_locations_and_island_states_countries(stage: EntitiesStage):
    found = entities(
        stage, "Vogels van de Kerguelen-eilanden en de Faeröereilanden. Tonga en de Salomonseilanden stemmen."
    )
    assert [(e[0], e[1], e[3]) for e in found] == [
        ("Kerguelen-eilanden", "LOCATION", "Kerguelen-eilanden"),
        ("Faeröereilanden", "LOCATION", "Faeröereilanden"),
        ("Tonga", "COUNTRY", "Tonga"),
        ("Salomonseilanden", "COUNTRY", "Solomon Islands"),
    ]


def test_a_word_for_a_company_ending_a_line_names_nothing_on_the_next(stage: EntitiesStage):
    found = entities(stage, "De strijd rond het waterbedrijf\nGisteren zag niemand een uitweg.")
    assert not [e for e in found if e[1] == "ORG"]


def test_a_company_named_by_its_web_address_is_an_organisation(stage: EntitiesStage):
    text = "Veel jongeren kopen via Kledingkast.be of Boekenhoek.com, en Film-Archief.org groeit. Zie www.voorbeeld.be."
    assert [(e[0], e[1]) for e in entities(stage, text) if e[1] == "ORG"] == [
        ("Kledingkast.be", "ORG"),
        ("Boekenhoek.com", "ORG"),
        ("Film-Archief.org", "ORG"),
    ]


def test_a_body_introduced_by_its_country_is_an_organisation_and_a_town_so_introduced_after_in_is_not(
    stage: EntitiesStage,
):
    text = "Het Zweedse Nordholm en het Deense Vestkyst Media kopen aandelen van het Amerikaanse Larkspur."
    assert [(e[0], e[1]) for e in entities(stage, text) if e[1] == "ORG"] == [
        ("Nordholm", "ORG"),
        ("Vestkyst Media", "ORG"),
        ("Larkspur", "ORG"),
    ]
    town = entities(stage, "In het Zwitserse Oberwilden sprong een man van een brug.")
    assert not [e for e in town if e[1] == "ORG"]
    longer = entities(stage, "Het Britse Institute of Coastal Studies meldt een daling.")
    assert ("Institute", "ORG") not in [(e[0], e[1]) for e in longer]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Hij werkte jaren voor de Northern Rail Preservation Society in Engeland.",
            "Northern Rail Preservation Society",
        ),
        ("De Tribal Council of Elders vergadert morgen opnieuw over de grond.", "Tribal Council of Elders"),
        ("Het Blue Harbour Jazz Orchestra speelt zaterdag in Oostende.", "Blue Harbour Jazz Orchestra"),
        ("Volgens het Britse Institute for Coastal Studies stijgt de zee sneller.", "Institute for Coastal Studies"),
        ("Het Haven & Kade Orchestra speelt vanavond in de stad.", "Haven & Kade Orchestra"),
    ],
)
def test_an_english_name_with_a_word_for_a_body_is_an_organisation(stage: EntitiesStage, text: str, name: str):
    assert (name, "ORG") in [(e[0], e[1]) for e in entities(stage, text)]


def test_dutch_of_between_two_bodies_joins_no_name(stage: EntitiesStage):
    found = entities(stage, "Kiest de stad voor Stichting Gent of Vereniging Brugge? Dat is de vraag.")
    assert [(e[0], e[1]) for e in found if e[1] == "ORG"] == [("Stichting Gent", "ORG"), ("Vereniging Brugge", "ORG")]


def test_the_founding_of_a_body_is_no_foundation(stage: EntitiesStage):
    found = entities(
        stage, "Sinds de stichting van Agalev in 1982 is er veel veranderd. De stichting Kinderhulp helpt."
    )
    assert [(e[0], e[1]) for e in found if e[1] == "ORG"] == [("Agalev", "ORG"), ("stichting Kinderhulp", "ORG")]


def test_a_belgian_prosecutors_office_named_of_its_district_or_federal_is_the_body(stage: EntitiesStage):
    found = entities(
        stage,
        "Het parket van Dendermonde opent een onderzoek naar de inbraak, bevestigt het parket van Antwerpen. "
        "Ook het federaal parket volgt de zaak.",
        url="https://nieuws.example.be/inbraak",
    )
    orgs = {e[0]: e[2:] for e in found if e[1] == "ORG"}
    assert orgs == {
        "parket van Dendermonde": ("Parket Dendermonde", "Dendermonde Public Prosecutor's Office"),
        "parket van Antwerpen": ("parket van Antwerpen", "Antwerp Public Prosecutor's Office"),
        "federaal parket": ("federaal parket", "Federal Prosecutor's Office"),
    }
    assert not [e for e in found if e[1] == "CITY"]  # the district is inside the office's name


def test_an_ambiguous_alias_listed_next_to_a_known_body_of_its_kind_is_that_body(stage: EntitiesStage):
    url = "https://nieuws.example.be/peiling"
    parties = entities(
        stage, "De peiling ziet N-VA, Vooruit en cd&v dalen. Groen en PVDA stijgen, net als MR en PS.", url
    )
    assert {e[0] for e in parties if e[1] == "ORG"} == {"N-VA", "Vooruit", "cd&v", "Groen", "PVDA", "MR", "PS"}
    unlisted = entities(stage, "Het park kleurt groen en de N-VA wil vooruit. Groen en geel zijn de kleuren.", url)
    assert [e[0] for e in unlisted if e[1] == "ORG"] == ["N-VA"]


def test_a_body_that_writes_its_name_in_lower_case_is_found_as_written(stage: EntitiesStage):
    found = entities(
        stage,
        "De bpost-staking vertraagt de pakjes, zegt bpost. Ook imec en de ondernemingsraad reageren. "
        "Dat meldt de Volkskrant.",
        url="https://nieuws.example.be/staking",
    )
    assert {e[0]: e[2] for e in found if e[1] == "ORG"} == {
        "bpost": "bpost",
        "imec": "imec",
        "Volkskrant": "de Volkskrant",
    }


def test_brussels_and_flemish_agencies_named_after_their_region_are_bodies_not_places(stage: EntitiesStage):
    found = entities(
        stage,
        "Leefmilieu Brussel en Brussel Mobiliteit willen minder auto's, Net Brussel ruimt op. "
        "De COCOF en de GGC betalen mee, net als De Vlaamse Waterweg. Kanaal Z bracht het nieuws.",
        url="https://nieuws.example.be/brussel",
    )
    assert {e[0]: e[3] for e in found} == {
        "Leefmilieu Brussel": "Brussels Environment",
        "Brussel Mobiliteit": "Brussels Mobility",
        "Net Brussel": "Net Brussel",
        "COCOF": "French Community Commission",
        "GGC": "Common Community Commission",
        "De Vlaamse Waterweg": "De Vlaamse Waterweg",
        "Kanaal Z": "Kanaal Z",
    }


def test_a_belgian_prosecutors_office_named_by_its_districts_adjective_is_the_body(stage: EntitiesStage):
    found = entities(
        stage,
        "Het Mechelse parket en het Brugse parket zoeken getuigen. Het Gentse parket en het Antwerpse parket zwijgen. "
        "Ook het Dendermondse parket en het Hasseltse parket. Het oude parket in de woonkamer kraakt.",
        url="https://nieuws.example.be/getuigen",
    )
    assert {e[0]: e[3] for e in found} == {
        "Mechelse parket": "Mechelen Public Prosecutor's Office",
        "Brugse parket": "Bruges Public Prosecutor's Office",
        "Gentse parket": "Ghent Public Prosecutor's Office",
        "Antwerpse parket": "Antwerp Public Prosecutor's Office",
        "Dendermondse parket": "Dendermonde Public Prosecutor's Office",
        "Hasseltse parket": "Hasselt Public Prosecutor's Office",
    }


def test_tunnels_are_sites_by_their_ending():
    doc = blank_with("nlnews_persons", "nlnews_places")(
        "De Craeybeckxtunnel gaat dicht, zodat het verkeer langs de Beverentunnel moet. Tunnels zijn duur."
    )
    assert set(found(doc, "LOCATION")) == {"Craeybeckxtunnel", "Beverentunnel"}


def test_an_ambiguous_alias_before_a_persons_role_in_a_compound_is_the_body(stage: EntitiesStage):
    found = entities(
        stage,
        "Groen-fractieleider Ann Peeters en Vooruit-voorzitter Tom Claes debatteren. De groen-blauwe kleuren blijven.",
        url="https://nieuws.example.be/debat",
    )
    assert [(e[0], e[1]) for e in found if e[1] == "ORG"] == [("Groen", "ORG"), ("Vooruit", "ORG")]


def test_a_website_named_by_its_domain_is_an_organisation(stage: EntitiesStage):
    found = entities(
        stage,
        "Tickets koop je via Feestkaartjes.be of Zaalboek.com, meer info op www.Voorbeeld.be en "
        "https://Infosite.be/tickets. Mail naar info@Voorbeeld.be.",
        url="https://nieuws.example.be/tickets",
    )
    assert [(e[0], e[1], e[2]) for e in found] == [
        ("Feestkaartjes.be", "ORG", "Feestkaartjes.be"),
        ("Zaalboek.com", "ORG", "Zaalboek.com"),
    ]


def test_a_town_with_one_club_is_the_club_in_a_match_report():
    nlp = blank_with("nlnews_organisations", "nlnews_places", "nlnews_teams")
    doc = nlp("De supporters van Heerenveen vierden de zege. Trainer Jansen sprak van een verdiende overwinning.")
    assert found(doc, "ORG") == {"Heerenveen": "sc Heerenveen"}
    assert found(doc, "CITY") == {}


def test_a_town_with_a_club_but_a_place_cue_or_no_match_nearby_stays_the_town():
    nlp = blank_with("nlnews_organisations", "nlnews_places", "nlnews_teams")
    assert found(nlp("De supporters vierden feest in Heerenveen."), "CITY") == {"Heerenveen": "Heerenveen"}
    assert found(nlp("Heerenveen bouwt een nieuw gemeentehuis."), "CITY") == {"Heerenveen": "Heerenveen"}
    # a score alone may be a date: it counts only in a text with a match's words
    assert found(nlp("Op 12-3 besloot de raad dat Heerenveen gaat bouwen."), "CITY") == {"Heerenveen": "Heerenveen"}


def test_a_town_with_two_clubs_is_no_club():
    clubs = spacy.blank("nl").add_pipe("nlnews_teams").clubs
    assert clubs["Spakenburg"].canonical == "SV Spakenburg"
    assert "Eindhoven" not in clubs  # PSV Eindhoven and FC Eindhoven: the town does not say which
    assert "Antwerpen" not in clubs and clubs["Antwerp"].canonical == "Royal Antwerp FC"  # the city, and the club


def test_a_country_among_a_matchs_words_is_its_national_team_and_elsewhere_the_country():
    nlp = blank_with("nlnews_organisations", "nlnews_places", "nlnews_teams")
    doc = nlp(
        "Op de tribune zag de koning hoe Curaçao een historisch gelijkspel uit het vuur sleepte: 0-0. "
        "Na de wedstrijd vloog hij terug. Zijn familie woont in Ecuador."
    )
    assert found(doc, "ORG") == {"Curaçao": "nationaal voetbalelftal van Curaçao"}
    assert found(doc, "COUNTRY") == {"Ecuador": "Ecuador"}


def test_one_match_word_in_a_text_is_a_metaphor_and_a_results_code_a_nationality():
    nlp = blank_with("nlnews_organisations", "nlnews_places", "nlnews_teams")
    assert found(nlp("De wet laat zien hoe de VS in de wedstrijd staat."), "COUNTRY") == {"VS": "Verenigde Staten"}
    doc = nlp("Na de wedstrijd van vandaag: 1. Simoni (Ita) 2. Jansen (Ned). Het duel eindigde 2-1.")
    assert set(found(doc, "COUNTRY")) == {"Ita", "Ned"}


def test_a_name_word_before_a_surname_the_text_names_someone_by_is_the_first_name():
    nlp = blank_with("nlnews_persons", "nlnews_merge")
    doc = nlp('Dayana Patino was aan het afwassen toen de aarde schudde. "Ik hoorde niets", zegt Patino.')
    assert found(doc, "PERSON") == {"Dayana Patino": "Dayana Patino", "Patino": "Dayana Patino"}
    # a word of the language before the surname names no one new
    assert found(nlp('Ook Patino was er. "Het is voorbij", zegt Patino.'), "PERSON") == {"Patino": "Patino"}


def test_a_national_team_is_of_the_sport_the_text_names_most_and_football_by_default():
    nlp = blank_with("nlnews_organisations", "nlnews_places", "nlnews_teams")
    hockey = nlp("De hockeyploeg speelt de wedstrijd tegen Australië: 3-1. Het hockey bloeit, net als het rugby.")
    assert found(hockey, "ORG") == {"Australië": "nationaal hockeyteam van Australië"}
    football = nlp("In de wedstrijd tegen Duitsland scoorde Oranje twee doelpunten: 2-1. Hij speelde ooit rugby.")
    assert found(football, "ORG")["Duitsland"] == "nationaal voetbalelftal van Duitsland"
