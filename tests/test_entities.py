"""The entities stage: cities, countries, organisations and years with canonical and English names."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import spacy
import yaml

from pipeline import Pipeline
from pipeline.core import build_stage
from pipeline.document import Result
from pipeline.errors import Fallback, ModelUnavailable, ResourceError
from pipeline.segment import sentence_spans
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage
from pipeline.stages.entities.gazetteer import load_gazetteer, load_glossary, name_key
from pipeline.stages.entities.places import _BELGIAN_CONTEXT_POPULATION as BELGIAN_CONTEXT_POPULATION

AGENCY_ARTICLE = """\
UWV sluit eind 2024 kantoren in Leeuwarden, Den Bosch en Enschede

Het Uitvoeringsinstituut Werknemersverzekeringen sluit uiterlijk eind 2024 zijn kantoren in Leeuwarden, Den Bosch en Enschede.
Klanten met een afspraak kunnen daarna terecht in Den Haag, Utrecht en Zwolle. De vakbond FNV noemt het besluit onverstandig.
De IND-loketten in Den Haag blijven wel open, laat de IND weten. De OR van het UWV heeft met de plannen ingestemd.
"""

BUDGET_ARTICLE = """\
Goes trekt extra geld uit voor de binnenstad

De gemeenteraad van Goes heeft dinsdagavond de begroting voor 2025 aangenomen.
Wethouder Jansen sprak van het best haalbare plan. Best verkochte product op de weekmarkt blijft de bolus, zegt een marktkoopman.
Inwoners uit Goes en Middelburg mogen tot 1 maart reageren. Een deel van het geld gaat naar de wijk Goes-Oost.
"""

TAKEOVER_ARTICLE = """\
Bakkerij Jansen B.V. uit Ede neemt concurrent over

Bakkerij Jansen B.V. neemt branchegenoot Korenschoof over. De overname werd in de periode 2021-2022 voorbereid.
Klanten met vragen kunnen bellen naar 0900-1234. Een jaarabonnement kost klanten 2023 euro, wat volgens de ACM redelijk is.
De Autoriteit Consument & Markt keurde de overname in 2022 goed.
"""


@pytest.fixture(scope="module")
def stage() -> EntitiesStage:
    return EntitiesStage(EntitiesSettings(), StageContext())


def run(stage: EntitiesStage, text: str, language: str | None = "nl") -> Result:
    doc = Result(id="t", text=text, language=language)
    stage([doc])
    return doc


def mentions(doc: Result, label: str) -> dict[str, object]:
    return {entity.text: entity for entity in doc.entities if entity.label == label}


def read_resource(name: str) -> dict:
    return yaml.safe_load((resources.files("pipeline") / "resources" / name).read_text(encoding="utf-8"))


def assert_well_formed(doc: Result) -> None:
    """Offsets round-trip, entities are sorted and never overlap."""
    previous_end = 0
    for entity in doc.entities:
        assert doc.text[entity.start : entity.end] == entity.text
        assert entity.start >= previous_end
        previous_end = entity.end


def test_agency_article_gives_canonical_and_english_names(stage: EntitiesStage):
    doc = run(stage, AGENCY_ARTICLE)
    assert doc.status["entities"] == "ok"
    assert_well_formed(doc)
    cities = mentions(doc, "CITY")
    assert {"Leeuwarden", "Den Bosch", "Enschede", "Den Haag", "Utrecht", "Zwolle"} <= set(cities)
    assert cities["Den Bosch"].canonical == "'s-Hertogenbosch"
    assert cities["Den Haag"].english == "The Hague"
    assert cities["Den Haag"].canonical == "'s-Gravenhage"
    assert cities["Zwolle"].extra["country"] == "NL" and 52 < cities["Zwolle"].extra["latitude"] < 53
    organisations = mentions(doc, "ORG")
    assert organisations["IND"].english == "Immigration and Naturalisation Service"
    assert organisations["Uitvoeringsinstituut Werknemersverzekeringen"].english == "Employee Insurance Agency"
    assert organisations["UWV"].canonical == "Uitvoeringsinstituut Werknemersverzekeringen"
    assert organisations["FNV"].english == "Netherlands Trade Union Confederation"
    assert organisations["OR"].english == "works council"
    assert {entity.canonical for entity in doc.entities if entity.label == "YEAR"} == {"2024"}


def test_hyphenated_compound_yields_the_organisation_before_the_hyphen(stage: EntitiesStage):
    doc = run(stage, AGENCY_ARTICLE)
    start = AGENCY_ARTICLE.index("IND-loketten")
    (entity,) = [e for e in doc.entities if e.start == start]
    assert (entity.text, entity.label, entity.end) == ("IND", "ORG", start + 3)


def test_budget_article_tells_the_town_of_goes_from_the_word_best(stage: EntitiesStage):
    doc = run(stage, BUDGET_ARTICLE)
    assert_well_formed(doc)
    goes = [e for e in doc.entities if e.text == "Goes"]
    assert len(goes) == 2  # "gemeenteraad van Goes", "uit Goes"; not the headline's first word
    assert all(e.label == "CITY" and e.extra["country"] == "NL" for e in goes)
    assert "Middelburg" in mentions(doc, "CITY")
    assert not [e for e in doc.entities if e.text.lower() == "best"]
    assert {e.canonical for e in doc.entities if e.label == "YEAR"} == {"2025"}


def test_takeover_article_finds_the_company_and_the_years_but_not_numbers(stage: EntitiesStage):
    doc = run(stage, TAKEOVER_ARTICLE)
    assert_well_formed(doc)
    organisations = mentions(doc, "ORG")
    assert organisations["Bakkerij Jansen B.V."].canonical == "Bakkerij Jansen B.V."
    assert organisations["ACM"].english == "Authority for Consumers and Markets"
    assert organisations["Autoriteit Consument & Markt"].canonical == "Autoriteit Consument & Markt"
    assert "Ede" in mentions(doc, "CITY")
    years = [e.canonical for e in doc.entities if e.label == "YEAR"]
    assert years == ["2021", "2022", "2022"]


def test_seed_page_cities_and_year(stage: EntitiesStage, seed_page: str):
    doc = run(stage, seed_page)
    assert_well_formed(doc)
    cities = mentions(doc, "CITY")
    assert {"Utrecht", "Rotterdam", "Eindhoven", "Den Haag", "Amsterdam", "Den Bosch", "Zwolle"} <= set(cities)
    assert "2023" in {e.canonical for e in doc.entities if e.label == "YEAR"}
    assert "IND" in mentions(doc, "ORG")


@pytest.mark.parametrize(
    ("text", "name", "is_city"),
    [
        ("Het bedrijf verhuist volgend jaar naar Best.", "Best", True),
        ("Best verkochte boek van het jaar is een thriller.", "Best", False),
        ("De gemeenteraad van Goes stemde in met het plan.", "Goes", True),
        ("Mark Goes won de wedstrijd.", "Goes", False),
        ("Hugo van der Goes schilderde het altaarstuk.", "Goes", False),
        ("Tussen Ede en Wageningen komt een fietspad.", "Ede", True),
        ("Zanger Ede Staal schreef het lied.", "Ede", False),
        ("Bij Lent wordt een nieuwe brug gebouwd.", "Lent", True),
        ("Lent is het woord voor de vastentijd.", "Lent", False),
        ("De universiteit in Leiden groeit.", "Leiden", True),
        ("Leiden de maatregelen tot minder klanten?", "Leiden", False),
        ("Wijk en buurt krijgen meer geld.", "Wijk", False),
        ("De winkel in Wijk bij Duurstede sluit.", "Wijk bij Duurstede", True),
        ("Hij woont sinds kort in Horn.", "Horn", True),
        ("Trompettist Horn speelde de solo.", "Horn", False),
        ("In Born staat een autofabriek.", "Born", True),
        ("Natuurkundige Max Born won de Nobelprijs.", "Born", False),
        ("De burgemeester van Epe bouwt woningen.", "Epe", True),
        ("Het merk Epe verkoopt fietsen.", "Epe", False),
        ("Peter de Vries verhuist naar Groningen.", "Vries", False),
        ("Het Zeeuwse Goes krijgt een nieuw station.", "Goes", True),
        ("In Utrecht, Best en Goes sluiten kantoren.", "Best", True),
        ("In Utrecht, Best en Goes sluiten kantoren.", "Goes", True),
        ("Noord-Holland en Zuid-Holland groeien.", "Holland", False),
        ("Het Duitse Kleve krijgt een nieuwe brug.", "Kleve", True),
        ("Kleve is een stad.", "Kleve", False),
        ("De Pisa-scores van onze scholieren dalen opnieuw.", "Pisa", False),
        ("Volgens het PISA-rapport lezen tieners minder.", "PISA", False),
        ("Zij studeerde twee jaar in Pisa.", "Pisa", True),
        ("De prijs van een vat Brent steeg, net als de Brent-olie.", "Brent", False),
    ],
)
def test_ambiguous_place_names_need_a_place_context(stage: EntitiesStage, text: str, name: str, is_city: bool):
    doc = run(stage, text)
    assert (name in mentions(doc, "CITY")) is is_city


def test_a_municipality_and_a_university_are_organisations_named_after_their_city(stage: EntitiesStage):
    doc = run(stage, "De gemeente Utrecht en de Universiteit Utrecht openen samen een loket.")
    assert [(e.text, e.label, e.canonical, e.english) for e in doc.entities] == [
        ("gemeente Utrecht", "ORG", "Gemeente Utrecht", "Municipality of Utrecht"),
        ("Universiteit Utrecht", "ORG", "Universiteit Utrecht", "Utrecht University"),
    ]


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("De fiets werd gestolen in de gemeente Vado Ligure, in Italië.", "Vado Ligure"),
        ("De Duitse gemeente Gronau ligt vlak bij Enschede.", "Gronau"),
        ("Het festival trekt naar de Franse stad Avignon.", "Avignon"),
    ],
)
def test_a_municipality_abroad_is_a_town_not_one_of_our_bodies(stage: EntitiesStage, text: str, town: str):
    doc = run(stage, text)
    assert town in mentions(doc, "CITY")
    assert not mentions(doc, "ORG")


def test_foreign_places_and_countries_get_english_names(stage: EntitiesStage):
    doc = run(stage, "De trein van Keulen naar Parijs rijdt via België. In Nederland en de VS stijgen de prijzen.")
    cities = mentions(doc, "CITY")
    assert (cities["Keulen"].canonical, cities["Keulen"].english, cities["Keulen"].extra["country"]) == (
        "Köln",
        "Cologne",
        "DE",
    )
    assert cities["Parijs"].english == "Paris"
    countries = mentions(doc, "COUNTRY")
    assert countries["België"].english == "Belgium"
    assert (countries["VS"].canonical, countries["VS"].english) == ("Verenigde Staten", "United States")
    assert countries["Nederland"].extra["country"] == "NL"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Uiterlijk 2023 sluit het loket.", {"2023"}),
        ("Sinds 1998 bestaat de dienst.", {"1998"}),
        ("In september 2021 steeg de instroom.", {"2021"}),
        ("Het seizoen 2021-2022 was goed.", {"2021", "2022"}),
        ("Het seizoen 2021 – 2022 was goed.", {"2021", "2022"}),
        ("Het schooljaar 2021/22 begon laat.", {"2021", "2022"}),
        ("Tussen 2020 en 2023 daalde het aantal.", {"2020", "2023"}),
        ("Op 1-10-2021 opende het loket.", {"2021"}),
        ("De film Oppenheimer (2023) won prijzen.", {"2023"}),
        ("In de eerste negen maanden van 2024 groeide de omzet.", {"2024"}),
        ("Het Belastingplan 2025 en de Voorjaarsnota 2026 zijn klaar.", {"2025", "2026"}),
        ("EK 2028: Oranje is erbij.", {"2028"}),
    ],
)
def test_years_in_a_date_context(stage: EntitiesStage, text: str, years: set[str]):
    doc = run(stage, text)
    assert {e.canonical for e in doc.entities if e.label == "YEAR"} == years
    assert_well_formed(doc)


@pytest.mark.parametrize(
    "text",
    [
        "Bel 0900-2023 voor informatie.",
        "Er kwamen vorige maand 2023 klanten.",
        "Het abonnement kost € 2000.",
        "Het abonnement kost 2.023 euro.",
        "Voor 2000 euro heb je een goede fiets.",
        "Voor 2000 nieuwe woningen is geen plek.",
        "Het kantoor ligt in 2023 AB Haarlem.",
        "De vergadering begint om 20.23 uur.",
        "Het pand aan de Hoofdstraat 2023 staat te koop.",
        "In de jaren 80 en de jaren tachtig groeide de stad.",
        "Bij Ajax 2000 supporters in het stadion.",
        "Ruim 2000 huishoudens zaten zonder stroom.",
        "Hij zei het gisteren. Bijna 2000 huishoudens zaten zonder stroom.",
    ],
)
def test_numbers_that_are_not_years(stage: EntitiesStage, text: str):
    doc = run(stage, text)
    assert not [e for e in doc.entities if e.label == "YEAR"]
    assert "AB" not in mentions(doc, "ORG")


def test_year_bounds_come_from_the_settings():
    stage = EntitiesStage(EntitiesSettings(year_min=2000), StageContext())
    doc = run(stage, "Sinds 1998 en vanaf 2024 gelden andere regels.")
    assert [e.canonical for e in doc.entities if e.label == "YEAR"] == ["2024"]


def test_unknown_acronyms_are_organisations_but_numerals_and_shouting_are_not(stage: EntitiesStage):
    text = (
        "De KNZB meldt meer leden.\nHoofdstuk IV van de wet.\nGEEN AFNAME VAN KLANTEN\nDe BTW stijgt en ZZP'ers klagen."
    )
    doc = run(stage, text)
    assert [(e.text, e.label, e.english) for e in doc.entities] == [("KNZB", "ORG", "KNZB")]


@pytest.mark.parametrize(
    ("text", "acronym"),
    [
        ("Vakbond AVV eist meer loon.", "AVV"),
        ("Het Koninklijk Instituut voor de Tropen (KIT) sluit.", "KIT"),
        ("Volgens de KNZB is het zwembad te klein.", "KNZB"),
        ("KNZB wil een nieuw zwembad.", "KNZB"),
    ],
)
def test_unknown_acronyms_need_a_cue(stage: EntitiesStage, text: str, acronym: str):
    assert acronym in mentions(run(stage, text), "ORG")


@pytest.mark.parametrize(
    "text",
    [
        "Ook de aanvraag voor een XTC-test noemt het rapport als voorbeeld.",
        "Het rapport noemt ook PLX als voorbeeld.",
        "HET GAAT OM GELD, ZEGT DE MINISTER",
        "GEEN GELD VOOR OR EN NS",
        "De or heeft ingestemd, maar ns en ggd in kleine letters zijn geen namen.",
        # technical terms written as acronyms, after a cue word
        "Het dorp krijgt de ADSL-lijn pas later, zegt de buurt.",
        "Bij de PCB-besmetting van het veevoeder en de BSE-crisis werd de UV-filter vergeten.",
        "Wie zonder vignet de LEZ inrijdt, riskeert een boete van de stad.",
        "De renner won vorig jaar de GP van Denain.",
        "Steeds minder leerlingen uit het ASO kiezen voor het TSO of het KSO.",
        "Volgens de KMO is de nieuwe heffing te hoog.",
    ],
)
def test_capitals_without_support_and_lower_case_words_are_not_organisations(stage: EntitiesStage, text: str):
    assert mentions(run(stage, text), "ORG") == {}


@pytest.mark.parametrize(
    ("text", "name", "acronym"),
    [
        ("Het Vlaams Jeugdcentrum (VJC) in Gent krijgt meer geld.", "Vlaams Jeugdcentrum", "VJC"),
        (
            "Het Nationaal Waterinformatiecentrum (NWIC) waarschuwt voor hoog water.",
            "Nationaal Waterinformatiecentrum",
            "NWIC",
        ),
    ],
)
def test_a_compound_gives_a_letter_of_each_part_to_the_acronym_after_the_name(
    stage: EntitiesStage, text: str, name: str, acronym: str
):
    organisations = mentions(run(stage, text), "ORG")
    assert name in organisations
    assert acronym in organisations


def test_one_word_before_a_bracketed_code_is_no_name_with_an_acronym(stage: EntitiesStage):
    doc = run(stage, "De renner Jonathan Vaughters (VS) werd derde in de rit naar Gent.")
    assert "Vaughters" not in mentions(doc, "ORG")


def test_an_acronym_takes_the_name_it_abbreviates_in_the_same_article(stage: EntitiesStage):
    text = "De Autoriteit Persoonsgegevens beboet een gemeente. Volgens de AP is de privacy geschonden."
    organisations = mentions(run(stage, text), "ORG")
    assert organisations["AP"].canonical == "Autoriteit Persoonsgegevens"
    assert organisations["AP"].english == "Dutch Data Protection Authority"


@pytest.mark.parametrize(
    ("text", "name", "canonical", "english"),
    [
        (
            "De gemeente Den Haag opent een loket.",
            "gemeente Den Haag",
            "Gemeente 's-Gravenhage",
            "Municipality of The Hague",
        ),
        (
            "De provincie Noord-Brabant betaalt mee.",
            "provincie Noord-Brabant",
            "Provincie Noord-Brabant",
            "Province of North Brabant",
        ),
        (
            "Het ministerie van Financiën rekent.",
            "ministerie van Financiën",
            "Ministerie van Financiën",
            "Ministry of Finance",
        ),
        (
            "Het ministerie van VWS rekent.",
            "ministerie van VWS",
            "Ministerie van Volksgezondheid, Welzijn en Sport",
            "Ministry of Health, Welfare and Sport",
        ),
        (
            "Het ministerie van Onderwijs, Cultuur en Wetenschap rekent.",
            "ministerie van Onderwijs, Cultuur en Wetenschap",
            "Ministerie van Onderwijs, Cultuur en Wetenschap",
            "Ministry of Education, Culture and Science",
        ),
        (
            "De Veiligheidsregio Zeeland oefent.",
            "Veiligheidsregio Zeeland",
            "Veiligheidsregio Zeeland",
            "Zeeland Safety Region",
        ),
        (
            "Hij werkt bij de GGD Hollands Midden.",
            "GGD Hollands Midden",
            "GGD Hollands Midden",
            "Hollands Midden Public Health Service",
        ),
        (
            "De rechtbank Overijssel doet uitspraak.",
            "rechtbank Overijssel",
            "Rechtbank Overijssel",
            "Overijssel District Court",
        ),
        (
            "Het waterschap Aa en Maas waarschuwt.",
            "waterschap Aa en Maas",
            "Waterschap Aa en Maas",
            "Aa en Maas Water Authority",
        ),
        (
            # "en" before a word that names a body of its own (a compound of "dienst") joins two bodies, not one name
            "Volgens de GGD Gooi en Vechtstreek en Omgevingsdienst Flevoland is het veilig.",
            "GGD Gooi en Vechtstreek",
            "GGD Gooi en Vechtstreek",
            "Gooi en Vechtstreek Public Health Service",
        ),
        (
            "De stichting Kinderhulp Twente helpt.",
            "stichting Kinderhulp Twente",
            "Stichting Kinderhulp Twente",
            "Stichting Kinderhulp Twente",
        ),
        (
            "Het Jeroen Bosch Ziekenhuis breidt uit.",
            "Jeroen Bosch Ziekenhuis",
            "Jeroen Bosch Ziekenhuis",
            "Jeroen Bosch Ziekenhuis",
        ),
        (
            "Zij leidt het Koninklijk Instituut voor de Scheepsbouw.",
            "Koninklijk Instituut voor de Scheepsbouw",
            "Koninklijk Instituut voor de Scheepsbouw",
            "Koninklijk Instituut voor de Scheepsbouw",
        ),
        (
            # a unit's name written out is the unit its short name names
            "Het Openbaar Ministerie Limburg vervolgt hem.",
            "Openbaar Ministerie Limburg",
            "OM Limburg",
            "Limburg Public Prosecutor's Office",
        ),
        (
            "Het Openbaar Ministerie Twente vervolgt hem.",
            "Openbaar Ministerie Twente",
            "Openbaar Ministerie Twente",
            "Public Prosecution Service Twente",
        ),
        (
            # a hyphen for a compound's tail before "en" is inside the name, never its end
            "Zij werkt bij het Vlaams Instituut voor Natuur- en Bosonderzoek.",
            "Vlaams Instituut voor Natuur- en Bosonderzoek",
            "Vlaams Instituut voor Natuur- en Bosonderzoek",
            "Vlaams Instituut voor Natuur- en Bosonderzoek",
        ),
        (
            "Het Koninklijk Instituut voor Taal-, Land- en Volkenkunde zit in Leiden.",
            "Koninklijk Instituut voor Taal-, Land- en Volkenkunde",
            "Koninklijk Instituut voor Taal-, Land- en Volkenkunde",
            "Koninklijk Instituut voor Taal-, Land- en Volkenkunde",
        ),
        (
            "Zij studeert aan de Hogeschool Dordrecht.",
            "Hogeschool Dordrecht",
            "Hogeschool Dordrecht",
            "Dordrecht University of Applied Sciences",
        ),
        (
            "Hij doceert aan de Hogeschool Oosterwold.",
            "Hogeschool Oosterwold",
            "Hogeschool Oosterwold",
            "Oosterwold University of Applied Sciences",
        ),
        (
            # the template takes a place or a proper name, never a phrase
            "Hij doceert aan de Hogeschool voor de Scheepvaart Delft.",
            "Hogeschool voor de Scheepvaart Delft",
            "Hogeschool voor de Scheepvaart Delft",
            "Hogeschool voor de Scheepvaart Delft",
        ),
        (
            "De Nederlandse Vereniging van Makelaars meldt het.",
            "Nederlandse Vereniging van Makelaars",
            "Nederlandse Vereniging van Makelaars",
            "Dutch Association of Estate Agents",
        ),
        ("Triodos Bank verhoogt de rente.", "Triodos Bank", "Triodos Bank", "Triodos Bank"),
        (
            # a Flemish school by its kind, in lower case too, and a campus by its name
            "De kinderen van basisschool De Notelaar gaan naar het Koninklijk Atheneum Lier.",
            "basisschool De Notelaar",
            "Basisschool De Notelaar",
            "Basisschool De Notelaar",
        ),
        (
            "De kinderen van basisschool De Notelaar gaan naar het Koninklijk Atheneum Lier.",
            "Koninklijk Atheneum Lier",
            "Koninklijk Atheneum Lier",
            "Koninklijk Atheneum Lier",
        ),
        ("Het labo staat op de campus Oude Dokken.", "campus Oude Dokken", "Campus Oude Dokken", "Campus Oude Dokken"),
    ],
)
def test_organisation_words_make_names_organisations(
    stage: EntitiesStage, text: str, name: str, canonical: str, english: str
):
    found = mentions(run(stage, text), "ORG")
    assert (found[name].canonical, found[name].english) == (canonical, english)


@pytest.mark.parametrize(
    ("text", "canonical", "english"),
    [
        (
            "Het ministerie van Binnenlandse Zaken reageert.",
            "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            "Ministry of the Interior and Kingdom Relations",
        ),
        (
            "Een woordvoerder van het ministerie van Onderwijs bevestigt het.",
            "Ministerie van Onderwijs, Cultuur en Wetenschap",
            "Ministry of Education, Culture and Science",
        ),
        (
            "Het ministerie van Justitie zwijgt.",
            "Ministerie van Justitie en Veiligheid",
            "Ministry of Justice and Security",
        ),
        (
            "Het Belgische ministerie van Justitie zwijgt.",
            "Federale Overheidsdienst Justitie",
            "Federal Public Service Justice",
        ),
        ("Het Amerikaanse ministerie van Defensie zwijgt.", "Ministerie van Defensie", "Ministerie van Defensie"),
        # an earlier cabinet's ministry by its own name; a first portfolio two ministries share is today's
        (
            "Het ministerie van Verkeer en Waterstaat zwijgt.",
            "Ministerie van Verkeer en Waterstaat",
            "Ministry of Transport, Public Works and Water Management",
        ),
        (
            "Het ministerie van Infrastructuur zwijgt.",
            "Ministerie van Infrastructuur en Waterstaat",
            "Ministry of Infrastructure and Water Management",
        ),
        # Belgium's defence department is named by its portfolio alone
        ("Het Belgische ministerie van Defensie zwijgt.", "Defensie", "Belgian Defence"),
        ("Het Vlaamse ministerie van Financiën zwijgt.", "Ministerie van Financiën", "Flemish Ministry of Finance"),
    ],
)
def test_a_ministry_named_by_its_first_portfolio_is_that_of_its_country(
    stage: EntitiesStage, text: str, canonical: str, english: str
):
    (ministry,) = mentions(run(stage, text), "ORG").values()
    assert (ministry.canonical, ministry.english) == (canonical, english)


@pytest.mark.parametrize(
    ("text", "portfolios"),
    [
        (
            "De Vlaamse minister van Leefmilieu Ann Peeters opent een park in Gent.",
            {"Leefmilieu": "Departement Omgeving"},
        ),
        (
            "Volgens minister van Verkeer Luc Janssens blijft de brug in Antwerpen dicht.",
            {"Verkeer": "Federale Overheidsdienst Mobiliteit en Vervoer"},
        ),
        (
            "De groene ministers Peeters (Pensioenen) en Claes (Buitenlandse Handel) spraken in Brussel.",
            {
                "Pensioenen": "Federale Overheidsdienst Sociale Zekerheid",
                "Buitenlandse Handel": "Federale Overheidsdienst Buitenlandse Zaken",
            },
        ),
        # one cue names every portfolio of a list
        (
            "De ministers van Landbouw en Volksgezondheid overleggen vandaag in Leuven.",
            {
                "Landbouw": "Departement Landbouw en Visserij",
                "Volksgezondheid": "Federale Overheidsdienst Volksgezondheid",
            },
        ),
        # a Dutch minister's portfolio is the Dutch ministry's
        (
            "Minister van Landbouw Piet de Vries bezocht boeren in Drenthe en Groningen.",
            {"Landbouw": "Ministerie van Landbouw, Natuur en Voedselkwaliteit"},
        ),
    ],
)
def test_a_ministers_portfolio_names_the_department_that_holds_it(
    stage: EntitiesStage, text: str, portfolios: dict[str, str]
):
    found = mentions(run(stage, text), "ORG")
    assert {name: found[name].canonical for name in portfolios if name in found} == portfolios


@pytest.mark.parametrize(
    "text",
    ["Landbouw en Volksgezondheid staan vandaag op de agenda.", "Cultuur is er voor iedereen in Brugge."],
)
def test_a_portfolio_without_a_minister_or_cue_names_no_body(stage: EntitiesStage, text: str):
    assert not mentions(run(stage, text), "ORG")


@pytest.mark.parametrize(
    ("text", "name", "english"),
    [
        (
            "De provincie Oost-Vlaanderen legt een fietspad aan.",
            "provincie Oost-Vlaanderen",
            "Province of East Flanders",
        ),
        ("De provincie Henegouwen sluit een brug.", "provincie Henegouwen", "Province of Hainaut"),
        ("De provincie Noord-Brabant sluit een brug.", "provincie Noord-Brabant", "Province of North Brabant"),
        ("De gemeente 's-Gravenhage sluit een brug.", "gemeente 's-Gravenhage", "Municipality of The Hague"),
        # a Belgian province in a body's name, which the Dutch provinces' index does not hold
        ("De Rechtbank West-Vlaanderen doet uitspraak.", "Rechtbank West-Vlaanderen", "West Flanders District Court"),
        ("Het Parket Henegouwen zwijgt.", "Parket Henegouwen", "Hainaut Public Prosecutor's Office"),
        (
            "Hij doceert aan de Hogeschool Vlaams-Brabant.",
            "Hogeschool Vlaams-Brabant",
            "Flemish Brabant University of Applied Sciences",
        ),
    ],
)
def test_a_body_named_by_its_province_or_municipality_has_the_places_english_name(
    stage: EntitiesStage, text: str, name: str, english: str
):
    assert mentions(run(stage, text), "ORG")[name].english == english


def test_a_known_name_after_another_countrys_or_regions_adjective_is_another_body(stage: EntitiesStage):
    walloon = mentions(run(stage, "De Waalse Belastingdienst stuurt de aanslagen in Namen uit."), "ORG")
    assert [(e.canonical, e.english) for e in walloon.values()] == [("Waalse Belastingdienst",) * 2]
    dutch = mentions(run(stage, "De Nederlandse Belastingdienst stuurt de aanslagen uit."), "ORG")
    assert dutch["Belastingdienst"].english == "Tax and Customs Administration"
    british = mentions(run(stage, "De Britse Hoge Raad oordeelt anders."), "ORG")
    assert [(e.canonical, e.english) for e in british.values()] == [("Britse Hoge Raad",) * 2]
    belgian = mentions(run(stage, "Het Belgische Rode Kruis zamelt bloed in."), "ORG")
    assert belgian["Rode Kruis"].extra["country"] == "BE"


@pytest.mark.parametrize(
    ("text", "too_long"),
    [
        ("De rechtbank in Zwolle doet uitspraak.", "rechtbank in Zwolle"),
        ("Directeur Jansen van het ziekenhuis reageert.", "Jansen"),
        ("De Rabobank en ING verhogen de rente.", "Rabobank en ING"),
        ("Hij zit in de Raad van Bestuur van Philips.", "Bestuur van Philips"),
        ("Vakbond FNV eist meer loon.", "Vakbond"),
    ],
)
def test_organisation_words_do_not_swallow_their_neighbours(stage: EntitiesStage, text: str, too_long: str):
    assert not [name for name in mentions(run(stage, text), "ORG") if too_long in name]


def test_legal_forms_make_company_names(stage: EntitiesStage):
    doc = run(stage, "Dura Vermeer NV en ASML Holding N.V. kopen samen Van der Valk Groep.")
    assert [(e.text, e.canonical) for e in doc.entities if e.label == "ORG"] == [
        ("Dura Vermeer NV", "Dura Vermeer N.V."),
        ("ASML Holding N.V.", "ASML Holding N.V."),
        ("Van der Valk Groep", "Van der Valk Groep"),
    ]


def test_a_persons_name_and_van_before_a_legal_form_are_the_companys_man_not_its_name(stage: EntitiesStage):
    doc = run(stage, "Volgens topman Piet Smit van de Smit Groep daalt de omzet.")
    assert [(e.text, e.label) for e in doc.entities] == [("Piet Smit", "PERSON"), ("Smit Groep", "ORG")]


def test_en_after_a_word_that_ends_an_organisations_name_joins_two_bodies(stage: EntitiesStage):
    doc = run(stage, "Jansen Holding en Bakkerij Jansen B.V. fuseren.")
    assert [e.text for e in doc.entities if e.label == "ORG"] == ["Jansen Holding", "Bakkerij Jansen B.V."]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Het pakje werd door bpost bezorgd.", "bpost"),
        ("Ze verkocht de fiets via eBay.", "eBay"),
        ("Het toestel van easyJet landde in Nice.", "easyJet"),
        ("Onderzoekers van imec bouwen een nieuwe chip.", "imec"),
        ("Ook 50PLUS diende een motie in.", "50PLUS"),
        ("Volgens cd&v komt er geen akkoord.", "cd&v"),
    ],
)
def test_brands_written_without_an_initial_capital_are_organisations(stage: EntitiesStage, text: str, name: str):
    assert list(mentions(run(stage, text), "ORG")) == [name]


@pytest.mark.parametrize(
    "text",
    ["Een woordvoerder van McDonald's bevestigt het.", "Ze at bij McDonald's."],
)
def test_a_name_ending_in_s_with_an_apostrophe_is_one_name_before_a_space_or_a_full_stop(
    stage: EntitiesStage, text: str
):
    assert list(mentions(run(stage, text), "ORG")) == ["McDonald's"]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("RABOBANK SLUIT TWINTIG KANTOREN", "Rabobank"),
        ("Proximus verhoogt zijn prijzen in januari (BELGA).", "Belga"),
        ("De beurs zakte, meldt REUTERS.", "Reuters"),
    ],
)
def test_a_known_name_written_in_capitals_is_the_known_body(stage: EntitiesStage, text: str, canonical: str):
    assert canonical in {e.canonical for e in run(stage, text).entities if e.label == "ORG"}


def test_labels_setting_limits_the_output():
    stage = EntitiesStage(EntitiesSettings(labels=["CITY"]), StageContext())
    doc = run(stage, "De IND sluit in 2023 het loket in Zwolle.")
    assert [(e.text, e.label) for e in doc.entities] == [("Zwolle", "CITY")]


def test_sentences_are_the_shared_line_by_line_segmentation(stage: EntitiesStage):
    doc = run(stage, AGENCY_ARTICLE)
    assert doc.sentences == sentence_spans(AGENCY_ARTICLE)
    assert doc.sentence_texts()[0] == "UWV sluit eind 2024 kantoren in Leeuwarden, Den Bosch en Enschede"


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("", "nl", "skipped: empty text"),
        ("   \n\t ", None, "skipped: empty text"),
        ("The IND closes its offices in Utrecht in 2023.", "en", "skipped: language en"),
        ("Die IND schließt 2023 ihre Schalter in Utrecht.", "de", "skipped: language de"),
        ("De IND sluit het loket in Zwolle.", None, "ok"),
        ("De IND sluit het loket in Zwolle.", "und", "ok"),
        ("FC Utrecht verloor van Heracles.", "af", "ok"),  # short, full of names: a detector may say Afrikaans
    ],
)
def test_status_per_document(stage: EntitiesStage, text: str, language: str | None, status: str):
    doc = run(stage, text, language)
    assert doc.status["entities"] == status
    assert bool(doc.entities) is (status == "ok")


def test_html_junk_keeps_offsets_right(stage: EntitiesStage):
    text = "<div class='x'><p>De IND opent een loket in Zwolle.</p>&nbsp;</div>"
    doc = run(stage, text)
    assert [(e.text, e.label) for e in doc.entities] == [("IND", "ORG"), ("Zwolle", "CITY")]
    assert_well_formed(doc)


def test_very_long_input_is_processed_whole(stage: EntitiesStage):
    paragraph = "Het CBS meldt dat in 2023 meer mensen naar Groningen verhuisden dan naar Den Haag."
    text = "\n\n".join([paragraph] * 400) + "\n" + "x" * 1_200_000
    doc = run(stage, text)
    assert_well_formed(doc)
    assert len(doc.entities) == 400 * 4
    assert len(doc.sentences) == 401


@pytest.fixture(scope="module")
def tiny_ner_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spaCy pipeline with an entity ruler, saved like a trained model: the model plumbing without a download."""
    nlp = spacy.blank("nl")
    nlp.meta.update(name="tiny_ner", version="0.0.1")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Marjolein Faber"},
            {"label": "LOC", "pattern": "Veluwe"},
            {"label": "LOC", "pattern": "Best"},
            {"label": "MISC", "pattern": "Prinsjesdag"},
            {"label": "CARDINAL", "pattern": "drie"},
            {"label": "ORG", "pattern": [{"LOWER": "de"}, {"TEXT": "IND"}]},
            {"label": "PERSON", "pattern": "Dick Schoof"},
            {"label": "GPE", "pattern": "Goes"},
            {"label": "GPE", "pattern": "Duitsland"},
            {"label": "GPE", "pattern": "Gelderland"},
            {"label": "LOC", "pattern": "Tweede Kamer"},
            {"label": "ORG", "pattern": "UWV Zwolle"},
            {"label": "DATE", "pattern": "2019"},
            {"label": "DATE", "pattern": "vorige week"},
        ]
    )
    path = tmp_path_factory.mktemp("spacy") / "tiny_ner"
    nlp.to_disk(path)
    return path


def test_a_trained_pipeline_adds_persons_locations_and_misc(tiny_ner_dir: Path):
    built = build_stage("entities", EntitiesSettings(model=str(tiny_ner_dir)), StageContext())
    stage = built.stage
    assert stage.model_id == "nl_tiny_ner@0.0.1" and built.fallbacks == ()
    text = "Minister Marjolein Faber bezocht op Prinsjesdag drie dorpen op de Veluwe.\nBest verkocht de IND niets."
    doc = run(stage, text)
    found = [(e.text, e.label, e.english) for e in doc.entities]
    assert found == [
        ("Marjolein Faber", "PERSON", "Marjolein Faber"),
        ("Prinsjesdag", "MISC", "Prinsjesdag"),
        ("Veluwe", "LOCATION", "Veluwe"),
        ("Best", "CITY", "Best"),
        ("IND", "ORG", "Immigration and Naturalisation Service"),
    ]
    assert len(doc.sentences) == 2


def test_a_pipeline_already_in_memory_is_used_as_it_is_given():
    """As ``transformers.pipeline(model=...)`` takes a loaded model: the pipeline the settings name is never loaded."""
    nlp = spacy.blank("nl")
    nlp.meta.update(name="in_memory", version="0.0.1")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "Marjolein Faber"}])
    context = StageContext(strict=True)
    stage = EntitiesStage(EntitiesSettings(model="nl_no_such_pipeline"), context, nlp=nlp)
    assert stage.nlp is nlp and stage.model_id == "nl_in_memory@0.0.1"
    doc = run(stage, "Minister Marjolein Faber bezocht Utrecht.")
    assert [(e.text, e.label) for e in doc.entities] == [("Marjolein Faber", "PERSON"), ("Utrecht", "CITY")]


@pytest.mark.skipif(spacy.util.is_package("nl_core_news_md"), reason="nl_core_news_md is installed here")
def test_missing_model_falls_back_to_rules_and_says_how_to_fix():
    built = build_stage("entities", EntitiesSettings(model="nl_core_news_md"), StageContext())
    stage = built.stage
    (message,) = built.fallbacks
    assert message.startswith("entities: nl_core_news_md unavailable (")
    assert "rules only (blank Dutch pipeline)" in message and "nlnews models pull" in message
    assert stage.model_id.startswith("blank:nl")
    doc = run(stage, "De IND sluit in 2023 loketten in Utrecht en Rotterdam.")
    assert {"IND", "2023", "Utrecht", "Rotterdam"} <= {e.text for e in doc.entities}


@pytest.mark.skipif(spacy.util.is_package("nl_core_news_md"), reason="nl_core_news_md is installed here")
def test_a_missing_model_is_a_fallback_that_a_strict_run_refuses():
    with pytest.raises(Fallback, match="nl_core_news_md") as raised:
        EntitiesStage(EntitiesSettings(model="nl_core_news_md"), StageContext())
    assert raised.value.settings == {"model": "blank"}
    with pytest.raises(ModelUnavailable, match="nl_core_news_md"):
        build_stage("entities", EntitiesSettings(model="nl_core_news_md"), StageContext(strict=True))


@pytest.mark.skipif(spacy.util.is_package("nl_core_news_md"), reason="nl_core_news_md is installed here")
def test_each_missing_model_is_one_fallback_and_the_stage_still_runs_on_rules(tmp_path: Path):
    token_model = tmp_path / "no-such-model"
    built = build_stage(
        "entities", EntitiesSettings(model="nl_core_news_md", token_model=str(token_model)), StageContext()
    )
    spacy_line, token_line = built.fallbacks
    assert spacy_line.startswith("entities: nl_core_news_md unavailable (")
    assert token_line.startswith(
        f"entities: {token_model} unavailable (no such directory) -> rules without the token model; fix: "
    )
    assert built.stage.token_classifier is None and built.stage.model_id.startswith("blank:nl")


def test_year_bounds_must_be_in_order():
    with pytest.raises(ValueError, match="year_min"):
        EntitiesSettings(year_min=2100, year_max=2000)


def test_every_ambiguous_name_is_a_place_that_would_otherwise_count_anywhere():
    """The ambiguity list holds no dead names, and no foreign city or Belgian hamlet that needs a context anyway."""
    gazetteer = load_gazetteer()
    threshold = EntitiesSettings().foreign_context_population
    for name in read_resource("places_nl.yaml")["ambiguous"]:
        place = gazetteer.places.get(name_key(name))
        assert place is not None, name
        belgian = place.country == "BE" and place.population >= BELGIAN_CONTEXT_POPULATION
        assert place.country == "NL" or belgian or place.population >= threshold, name


def test_glossary_covers_the_public_bodies_news_mentions():
    organisations = load_glossary().organisations
    expected = {
        "IND": "Immigration and Naturalisation Service",
        "Tweede Kamer": "House of Representatives",
        "Belastingdienst": "Tax and Customs Administration",
        "CBS": "Statistics Netherlands",
        "OM": "Public Prosecution Service",
        "DNB": "Dutch Central Bank",
        "KLM": "KLM Royal Dutch Airlines",
        "Immigratie- en Naturalisatiedienst": "Immigration and Naturalisation Service",
    }
    assert {name: organisations.get(name_key(name)).english for name in expected} == expected
    assert len(read_resource("organisations.yaml")["organisations"]) >= 60


def test_a_trained_pipeline_is_merged_with_the_rules(tiny_ner_dir: Path):
    """GPE becomes CITY or COUNTRY by the gazetteer, a DATE its YEAR; glossary names win over the model's labels."""
    stage = EntitiesStage(EntitiesSettings(model=str(tiny_ner_dir)), StageContext())
    text = (
        "Het was 2019 toen Dick Schoof de Tweede Kamer toesprak over Duitsland en Gelderland.\n"
        "Goes is klein. Het UWV Zwolle opende vorige week een loket."
    )
    doc = run(stage, text)
    found = [(e.text, e.label, e.canonical, e.english) for e in doc.entities]
    assert found == [
        ("2019", "YEAR", "2019", "2019"),
        ("Dick Schoof", "PERSON", "Dick Schoof", "Dick Schoof"),
        ("Tweede Kamer", "ORG", "Tweede Kamer der Staten-Generaal", "House of Representatives"),
        ("Duitsland", "COUNTRY", "Duitsland", "Germany"),
        ("Gelderland", "LOCATION", "Gelderland", "Gelderland"),
        ("Goes", "CITY", "Goes", "Goes"),
        ("UWV", "ORG", "Uitvoeringsinstituut Werknemersverzekeringen", "Employee Insurance Agency"),
        ("Zwolle", "CITY", "Zwolle", "Zwolle"),
        ("vorige week", "DATE", "vorige week", "vorige week"),
    ]
    assert_well_formed(doc)
    assert run(stage, text).entities == doc.entities


def test_distinct_entities_count_each_entity_once_whatever_its_name(stage: EntitiesStage):
    text = (
        "Den Haag groeit. In 's-Gravenhage en Den Haag wonen veel expats.\n"
        "De IND en de Immigratie- en Naturalisatiedienst openen in 2024 een loket."
    )
    doc = run(stage, text)
    assert doc.distinct_entities == [
        {
            "label": "CITY",
            "canonical": "'s-Gravenhage",
            "english": "The Hague",
            "count": 3,
            "texts": ["Den Haag", "'s-Gravenhage"],
        },
        {
            "label": "ORG",
            "canonical": "Immigratie- en Naturalisatiedienst",
            "english": "Immigration and Naturalisation Service",
            "count": 2,
            "texts": ["IND", "Immigratie- en Naturalisatiedienst"],
        },
        {"label": "YEAR", "canonical": "2024", "english": "2024", "count": 1, "texts": ["2024"]},
    ]
    assert len(doc.entities) == 6  # the mention list stays, for highlighting
    assert "distinct_entities" in EntitiesStage.assigns


def test_distinct_entities_reach_the_record_through_the_offline_pipeline():
    record = Pipeline("offline")("De IND in Den Haag en de IND in Den Bosch.").to_dict()
    assert {(d["canonical"], d["count"]) for d in record["distinct_entities"]} == {
        ("Immigratie- en Naturalisatiedienst", 2),
        ("'s-Gravenhage", 1),
        ("'s-Hertogenbosch", 1),
    }


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Het CBS baseert zich op cijfers over 2022.", "2022"),
        ("Het stadion uit 1937 is te klein.", "1937"),
    ],
)
def test_years_after_over_and_uit(stage: EntitiesStage, text: str, year: str):
    assert [e.canonical for e in run(stage, text).entities if e.label == "YEAR"] == [year]


@pytest.mark.parametrize(
    ("text", "name", "canonical"),
    [
        ("Burgemeester Halsema van Amsterdam reist af.", "Amsterdam", "Amsterdam"),
        ("Het kantoor in Haarlemmermeer sluit.", "Haarlemmermeer", "Haarlemmermeer"),
        ("Het kantoor in Almere sluit.", "Almere", "Almere"),
        ("Het kantoor in Noordwijk sluit.", "Noordwijk", "Noordwijk"),
    ],
)
def test_mayors_places_and_merged_municipalities(stage: EntitiesStage, text: str, name: str, canonical: str):
    city = mentions(run(stage, text), "CITY")[name]
    assert (city.canonical, city.extra["country"]) == (canonical, "NL")


def test_provinces_are_locations_with_english_names(stage: EntitiesStage):
    doc = run(stage, "In Noord-Brabant en Zeeland regent het.")
    assert [(e.text, e.label, e.english) for e in doc.entities] == [
        ("Noord-Brabant", "LOCATION", "North Brabant"),
        ("Zeeland", "LOCATION", "Zeeland"),
    ]


def copy_resources(directory: Path) -> None:
    for name in ("places_nl.yaml", "organisations.yaml"):
        (directory / name).write_text(yaml.safe_dump(read_resource(name), allow_unicode=True), encoding="utf-8")


def test_a_missing_resource_file_is_a_clear_error_at_start(tmp_path: Path):
    with pytest.raises(ResourceError, match="cannot read .*organisations.yaml"):
        EntitiesStage(EntitiesSettings(resources_dir=tmp_path), StageContext())


def test_a_broken_resource_file_is_a_clear_error_at_start(tmp_path: Path):
    copy_resources(tmp_path)
    (tmp_path / "organisations.yaml").write_text("organisations: [\n  {canonical: IND", encoding="utf-8")
    with pytest.raises(ResourceError, match="organisations.yaml is not valid YAML"):
        EntitiesStage(EntitiesSettings(resources_dir=tmp_path), StageContext())


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("organisations.yaml", lambda data: data.pop("acronym_cues"), "acronym_cues: Field required"),
        ("organisations.yaml", lambda data: data["organisations"][0].pop("english"), "organisations.0.english"),
        ("organisations.yaml", lambda data: data.update(extra_key=[]), "extra_key: Extra inputs"),
        ("places_nl.yaml", lambda data: data["countries"].update(XX=["Nergensland"]), "countries.XX"),
        ("places_nl.yaml", lambda data: data["municipalities"].append({"name": "A", "seat": "Nergens"}), "Nergens"),
    ],
)
def test_a_malformed_resource_says_what_is_wrong(tmp_path: Path, name: str, change, message: str):
    copy_resources(tmp_path)
    data = read_resource(name)
    change(data)
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load = load_glossary if name == "organisations.yaml" else lambda path: load_gazetteer(500_000, path)
    with pytest.raises(ResourceError, match=message):
        load(tmp_path)


def test_own_glossary_replaces_the_packaged_one(tmp_path: Path):
    copy_resources(tmp_path)
    data = read_resource("organisations.yaml")
    data["organisations"].append(
        {"canonical": "Kinderhulp Twente", "english": "Child Aid Twente", "type": "ngo", "country": "NL"}
    )
    (tmp_path / "organisations.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    organisations = load_glossary(tmp_path).organisations
    assert organisations.get(name_key("Kinderhulp Twente")).english == "Child Aid Twente"
    assert organisations.get(name_key("IND")).english == "Immigration and Naturalisation Service"


def titled(stage: EntitiesStage, title: str | None, text: str, url: str | None = None) -> Result:
    doc = Result(id="t", text=text, title=title, url=url, language="nl")
    stage([doc])
    return doc


def test_a_headline_city_is_in_title_entities_with_offsets_into_the_title():
    pipe = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "entities"]})
    result = pipe(
        "Nieuwe brug over de rivier bij Deventer geopend\n\n"
        "De provincie opende dinsdag de brug voor het verkeer. Automobilisten kunnen er vanaf woensdag overheen."
    )
    assert result.title == "Nieuwe brug over de rivier bij Deventer geopend"
    (city,) = result.title_entities
    assert (city.label, city.canonical, result.title[city.start : city.end]) == ("CITY", "Deventer", "Deventer")
    assert "Deventer" not in {entity.text for entity in result.entities}
    assert {"label": "CITY", "canonical": "Deventer", "english": "Deventer", "count": 1, "texts": ["Deventer"]} in (
        result.distinct_entities
    )


def test_a_title_given_apart_is_read_with_its_article(stage: EntitiesStage):
    doc = titled(
        stage, "Brand verwoest loods in Zutphen", "De brandweer rukte dinsdagnacht uit. Niemand raakte gewond."
    )
    assert [(e.text, e.label, e.start, e.end) for e in doc.title_entities] == [("Zutphen", "CITY", 24, 31)]
    assert doc.entities == [] and doc.status["entities"] == "ok"


def test_a_title_names_what_its_body_names_as_the_body_reads_it(stage: EntitiesStage):
    doc = titled(stage, "Goes trekt geld uit voor zwembad", "De gemeenteraad van Goes stemde dinsdag in met het plan.")
    (town,) = doc.title_entities
    (body_town,) = doc.entities
    assert (town.text, town.start, town.label, town.extra) == ("Goes", 0, "CITY", body_town.extra)
    assert [(e["canonical"], e["count"]) for e in doc.distinct_entities] == [("Goes", 2)]


def test_a_title_place_of_several_names_is_the_one_of_the_article(stage: EntitiesStage):
    limburg = titled(stage, "Brand in Valkenburg", "De brandweer van Maastricht en Heerlen kwam helpen.")
    belgian = titled(stage, "Brand in Bergen", "Een loods brandde uit.", url="https://www.example.be/nieuws/1")
    assert limburg.title_entities[0].extra["admin1"] == limburg.entities[0].extra["admin1"]
    assert belgian.title_entities[0].english == "Mons"


def test_title_entities_are_empty_for_a_title_without_names_and_none_without_a_title(stage: EntitiesStage):
    assert titled(stage, "Het weer wordt beter", "Vanaf woensdag schijnt de zon in Assen.").title_entities == []
    assert titled(stage, None, "Vanaf woensdag schijnt de zon in Assen.").title_entities is None
    skipped = Result(id="t", text="The sun will shine in Assen.", title="Better weather in Assen", language="en")
    stage([skipped])
    assert skipped.status["entities"].startswith("skipped") and skipped.to_dict()["title_entities"] is None


def test_title_entities_survive_json_and_parquet(tmp_path: Path):
    import json

    from pipeline.analysis import read_results
    from pipeline.io.writers import ParquetWriter, result_schema

    pipe = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "entities"]})
    result = pipe({"id": "t", "title": "Brand in Zutphen", "text": "De brandweer van Deventer kwam helpen."})
    record = result.to_dict()
    assert list(record).index("title_entities") > list(record).index("entities")
    assert record["title_entities"][0]["text"] == "Zutphen" and record["title_entities"][0]["admin1"] == "03"
    again = Result.from_dict(json.loads(json.dumps(record)))
    assert again.title_entities == result.title_entities
    assert result_schema().field("title_entities").type == result_schema().field("entities").type
    with ParquetWriter(tmp_path / "out.parquet") as writer:
        writer.write(record)
    assert read_results(tmp_path / "out.parquet")[0].to_dict() == record


@pytest.mark.parametrize(
    ("text", "url", "english", "country"),
    [
        ("DEN HAAG (ANP) - Het kabinet trekt extra geld uit voor de zorg.", None, "The Hague", "NL"),
        ("Palo Alto (ANP) - Het techbedrijf maakte dinsdag hogere winst bekend.", None, "Palo Alto", "US"),
        ("BERGEN - Het stadsbestuur opent een nieuw station.", "https://www.example.be/nieuws/1", "Mons", "BE"),
    ],
)
def test_the_place_of_a_dateline_taken_off_the_text_is_in_dateline_entities(text, url, english, country):
    pipe = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "entities"]})
    result = pipe({"id": "t", "text": text, "url": url})
    (place,) = result.dateline_entities
    assert (place.label, place.english, place.extra["country"]) == ("CITY", english, country)
    assert result.dateline[place.start : place.end] == place.text
    assert place.canonical in {entity["canonical"] for entity in result.distinct_entities}


def test_dateline_entities_are_none_without_a_dateline():
    pipe = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "entities"]})
    assert pipe("Het kabinet trekt extra geld uit voor de zorg in Den Haag.").dateline_entities is None


def test_a_headline_surname_is_the_person_the_body_names_in_full(stage: EntitiesStage):
    doc = titled(stage, "De Graaf opent school in Assen", "Wethouder Pieter de Graaf opende dinsdag de nieuwe school.")
    assert [(e.text, e.label, e.canonical) for e in doc.title_entities] == [
        ("De Graaf", "PERSON", "Pieter de Graaf"),
        ("Assen", "CITY", "Assen"),
    ]
    assert [(e["canonical"], e["count"]) for e in doc.distinct_entities if e["label"] == "PERSON"] == [
        ("Pieter de Graaf", 2)
    ]


@pytest.mark.parametrize(
    ("text", "name", "canonical", "english"),
    [
        ("De centrale bank van de VS, de Fed, verhoogt de rente.", "Fed", "Federal Reserve", "Federal Reserve"),
        (
            "Het Amerikaanse Hooggerechtshof wijst het beroep af.",
            "Amerikaanse Hooggerechtshof",
            "Amerikaans Hooggerechtshof",
            "Supreme Court of the United States",
        ),
        (
            "De toezichthouder FTC onderzoekt de overname.",
            "FTC",
            "Federal Trade Commission",
            "Federal Trade Commission",
        ),
        ("Dat meldt de Israëlische krant Haaretz.", "Haaretz", "Haaretz", "Haaretz"),
        ("Acer en Lenovo verkopen minder laptops.", "Lenovo", "Lenovo", "Lenovo"),
        ("Nintendo brengt een nieuwe console uit.", "Nintendo", "Nintendo", "Nintendo"),
        ("De clouddienst AWS had een storing.", "AWS", "Amazon Web Services", "Amazon Web Services"),
        (
            "Volgens Guinness World Records is dit een record.",
            "Guinness World Records",
            "Guinness World Records",
            "Guinness World Records",
        ),
        ("De wedstrijd is te zien bij NLZiet.", "NLZiet", "NLZiet", "NLZiet"),
        ("Kennisinstituut Deltares waarschuwt voor hoogwater.", "Deltares", "Deltares", "Deltares"),
        (
            "Dat zegt een onderzoeker van Instituut Clingendael.",
            "Instituut Clingendael",
            "Nederlands Instituut voor Internationale Betrekkingen Clingendael",
            "Clingendael Institute",
        ),
        (
            "De bank meldt het aan de Financial Intelligence Unit.",
            "Financial Intelligence Unit",
            "Financial Intelligence Unit-Nederland",
            "Financial Intelligence Unit Netherlands",
        ),
        ("De aanvaller vertrekt naar Olympique Lyon.", "Olympique Lyon", "Olympique Lyon", "Olympique Lyonnais"),
    ],
)
def test_bodies_of_foreign_and_tech_news_are_known(
    stage: EntitiesStage, text: str, name: str, canonical: str, english: str
):
    organisation = mentions(run(stage, text), "ORG")[name]
    assert (organisation.canonical, organisation.english) == (canonical, english)


@pytest.mark.parametrize(
    "text",
    [
        "De kotter KW-12 is na jaren teruggevonden.",
        "De marine koopt extra NH-90 helikopters.",
        "Vanaf 2027 valt ook de ETS 2 onder de regels.",
        "Het wetsvoorstel heet de CHIPS Act.",
        "Hij luistert naar de FM-radio in de auto.",
    ],
)
def test_capitals_with_a_number_or_a_law_word_and_radio_bands_are_not_organisations(stage: EntitiesStage, text: str):
    assert mentions(run(stage, text), "ORG") == {}


def test_the_capitals_that_open_a_clubs_name_are_that_club_in_the_same_article(stage: EntitiesStage):
    doc = run(stage, "De trainer van VVV-Venlo stopt. Bij VVV zoeken ze een opvolger.")
    assert {(e.text, e.canonical) for e in doc.entities if e.label == "ORG"} == {
        ("VVV-Venlo", "VVV-Venlo"),
        ("VVV", "VVV-Venlo"),
    }


@pytest.mark.parametrize(
    ("text", "name", "canonical"),
    [
        ("Volgens de Oostenrijkse krant Der Standard is de coalitie wankel.", "Der Standard", "Der Standard"),
        ("Dat schreef L'Equipe gisteren over de Tour.", "L'Equipe", "L'Équipe"),
        ("Het nieuws kwam via het persbureau IPS uit Mexico.", "IPS", "Inter Press Service"),
        ("Renault en Peugeot verkopen meer wagens in België.", "Peugeot", "Peugeot"),
        ("Celtic Glasgow ontslaat zijn trainer na de nederlaag.", "Celtic Glasgow", "Celtic"),
        ("De Glasgow Rangers winnen de titel.", "Glasgow Rangers", "Rangers FC"),
        # two parties that stood together, written with the sign or the hyphen between them
        ("Volgens Jan Peeters (VU & ID) is het plan klaar.", "VU & ID", "VU&ID"),
        ("Volgens Marc Dubois (PRL-FDF) is het plan klaar.", "PRL-FDF", "PRL-FDF-MCC"),
    ],
)
def test_foreign_papers_agencies_companies_and_clubs_of_the_news_are_known(
    stage: EntitiesStage, text: str, name: str, canonical: str
):
    assert mentions(run(stage, text), "ORG")[name].canonical == canonical
