"""The entities stage: cities, countries, organisations and years with canonical and English names."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import spacy
import yaml

from pipeline.document import Result
from pipeline.errors import ModelUnavailable
from pipeline.gazetteer import load_gazetteer, load_glossary, name_key
from pipeline.segment import sentence_spans
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage

SEED = Path(__file__).parents[2] / "shared" / "seed" / "ind_loketten.txt"

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


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the repository")
def test_seed_page_cities_and_year(stage: EntitiesStage):
    doc = run(stage, SEED.read_text(encoding="utf-8"))
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
        ("De gemeente Epe bouwt woningen.", "Epe", True),
        ("Het merk Epe verkoopt fietsen.", "Epe", False),
        ("Peter de Vries verhuist naar Groningen.", "Vries", False),
        ("Het Zeeuwse Goes krijgt een nieuw station.", "Goes", True),
        ("In Utrecht, Best en Goes sluiten kantoren.", "Best", True),
        ("In Utrecht, Best en Goes sluiten kantoren.", "Goes", True),
        ("Noord-Holland en Zuid-Holland groeien.", "Holland", False),
        ("Het Duitse Kleve krijgt een nieuwe brug.", "Kleve", True),
        ("Kleve is een stad.", "Kleve", False),
    ],
)
def test_ambiguous_place_names_need_a_place_context(stage: EntitiesStage, text: str, name: str, is_city: bool):
    doc = run(stage, text)
    assert (name in mentions(doc, "CITY")) is is_city


def test_gemeente_names_the_city_and_a_university_is_an_organisation(stage: EntitiesStage):
    doc = run(stage, "De gemeente Utrecht en de Universiteit Utrecht openen samen een loket.")
    assert [(e.text, e.label) for e in doc.entities] == [("Utrecht", "CITY"), ("Universiteit Utrecht", "ORG")]
    assert doc.entities[1].english == "Utrecht University"


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
    text = "De NVM meldt hogere prijzen.\nHoofdstuk IV van de wet.\nGEEN AFNAME VAN KLANTEN\nDe BTW stijgt en ZZP'ers klagen."
    doc = run(stage, text)
    assert [(e.text, e.label, e.english) for e in doc.entities] == [("NVM", "ORG", "NVM")]


def test_legal_forms_make_company_names(stage: EntitiesStage):
    doc = run(stage, "Heijmans NV en ASML Holding N.V. kopen samen Van der Valk Groep.")
    assert [(e.text, e.canonical) for e in doc.entities if e.label == "ORG"] == [
        ("Heijmans NV", "Heijmans N.V."),
        ("ASML Holding N.V.", "ASML Holding N.V."),
        ("Van der Valk Groep", "Van der Valk Groep"),
    ]


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
        ]
    )
    path = tmp_path_factory.mktemp("spacy") / "tiny_ner"
    nlp.to_disk(path)
    return path


def test_a_trained_pipeline_adds_persons_locations_and_misc(tiny_ner_dir: Path):
    context = StageContext()
    stage = EntitiesStage(EntitiesSettings(model=str(tiny_ner_dir)), context)
    assert stage.model_id == "nl_tiny_ner@0.0.1" and context.fallbacks == []
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


@pytest.mark.skipif(spacy.util.is_package("nl_core_news_md"), reason="nl_core_news_md is installed here")
def test_missing_model_falls_back_to_rules_and_says_how_to_fix():
    context = StageContext()
    stage = EntitiesStage(EntitiesSettings(model="nl_core_news_md"), context)
    (message,) = context.fallbacks
    assert message.startswith("entities: nl_core_news_md unavailable (")
    assert "rules only (blank Dutch pipeline)" in message and "python -m spacy download nl_core_news_md" in message
    assert stage.model_id.startswith("blank:nl")
    doc = run(stage, "De IND sluit in 2023 loketten in Utrecht en Rotterdam.")
    assert {"IND", "2023", "Utrecht", "Rotterdam"} <= {e.text for e in doc.entities}


@pytest.mark.skipif(spacy.util.is_package("nl_core_news_md"), reason="nl_core_news_md is installed here")
def test_strict_run_raises_when_the_model_is_missing():
    with pytest.raises(ModelUnavailable, match="nl_core_news_md"):
        EntitiesStage(EntitiesSettings(model="nl_core_news_md"), StageContext(strict=True))


def test_year_bounds_must_be_in_order():
    with pytest.raises(ValueError, match="year_min"):
        EntitiesSettings(year_min=2100, year_max=2000)


def test_every_ambiguous_name_is_a_place_that_would_otherwise_count_anywhere():
    """The ambiguity list holds no dead names, and no foreign city that needs a context anyway."""
    gazetteer = load_gazetteer()
    threshold = EntitiesSettings().foreign_context_population
    for name in read_resource("places_nl.yaml")["ambiguous"]:
        place = gazetteer.places.get(name_key(name))
        assert place is not None, name
        assert place.country == "NL" or place.population >= threshold, name


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
