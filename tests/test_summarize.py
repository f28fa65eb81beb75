"""SummarizeStage: a few key sentences, exact slices of the text, in article order."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import pipeline.segment
from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.summarize import (
    SummarizeSettings,
    SummarizeStage,
    is_body_sentence,
    is_excluded,
    is_heading,
    restates_title,
)

SEED_PAGE = Path("/work/shared/seed/ind_loketten.txt")

AGENCY_TITLE = "Dienst Wegverkeer sluit balies in Groningen, Arnhem en Maastricht"
AGENCY = """Dienst Wegverkeer sluit balies in Groningen, Arnhem en Maastricht

De Dienst Wegverkeer sluit volgend jaar zijn balies in Groningen, Arnhem en Maastricht. Klanten kunnen \
daarna alleen nog terecht in Veendam, Zwolle en Den Haag. Volgens de dienst regelt ruim negentig procent \
van de klanten zijn zaken inmiddels online. De balies in Groningen, Arnhem en Maastricht werden vorig jaar \
samen door minder dan twintigduizend mensen bezocht.
Lees ook: Wachttijden voor rijexamen lopen verder op
Gevolgen voor personeel
Bij de drie balies werken in totaal 46 mensen. Zij krijgen een functie in Veendam of kunnen thuis gaan \
werken, meldt de ondernemingsraad. Gedwongen ontslagen zijn volgens de directie niet nodig. Vakbond FNV is \
kritisch en noemt de sluiting van de balies een verschraling van de dienstverlening in de regio. Vooral \
ouderen en mensen zonder computer worden volgens de bond hard getroffen.
Heeft u informatie? Bel 0900-1234.
De sluiting moet uiterlijk in het najaar van 2024 zijn afgerond."""

BUDGET_TITLE = "Utrecht trekt 40 miljoen extra uit voor woningbouw"
BUDGET = """Utrecht trekt 40 miljoen extra uit voor woningbouw

De gemeente Utrecht trekt de komende vier jaar 40 miljoen euro extra uit voor de bouw van betaalbare \
woningen. Dat staat in de begroting die het college dinsdag heeft gepresenteerd. Het geld gaat vooral naar \
sociale huurwoningen in de wijken Overvecht en Kanaleneiland. Wethouder Jansen spreekt van een noodzakelijke \
stap omdat de wachtlijst voor een sociale huurwoning in Utrecht inmiddels ruim tien jaar is.
Lees ook: Huurprijzen in Utrecht stijgen harder dan elders
Lastenverhoging
Om de extra uitgaven te betalen stijgt de onroerendezaakbelasting volgend jaar met zes procent. Een \
huishouden met een gemiddelde koopwoning betaalt daardoor ongeveer 25 euro per jaar meer. Ook de \
parkeertarieven in de binnenstad gaan omhoog. De oppositie noemt de lastenverhoging onnodig en wil dat de \
gemeente eerst bezuinigt op externe adviseurs.
Foto: ANP
De gemeenteraad stemt in november over de begroting. Een meerderheid van de raad heeft al laten weten de \
plannen voor woningbouw te steunen.
Heeft u informatie? Bel 0900-1234."""

TAKEOVER_TITLE = "Zuivelconcern Noordmelk neemt kaasmaker Van Dijk over"
TAKEOVER = """Zuivelconcern Noordmelk neemt kaasmaker Van Dijk over.

Het Friese zuivelconcern Noordmelk neemt kaasmakerij Van Dijk uit Gouda over voor 120 miljoen euro. Dat \
hebben beide bedrijven maandag bekendgemaakt. Met de overname wordt Noordmelk de grootste producent van \
Goudse kaas in Nederland. Van Dijk heeft ruim driehonderd medewerkers en exporteert kaas naar meer dan \
dertig landen.
De overname moet nog worden goedgekeurd door de Autoriteit Consument en Markt.
Lees ook: Melkprijs daalt voor derde maand op rij
Banen blijven behouden
Noordmelk belooft dat de kaasmakerij in Gouda open blijft en dat er geen banen verdwijnen. De familie \
Van Dijk, die het bedrijf sinds 1921 leidt, blijft als minderheidsaandeelhouder betrokken. Directeur \
Van Dijk zegt dat het familiebedrijf te klein was geworden om zelfstandig te concurreren op de \
internationale kaasmarkt. Melkveehouders in de regio reageren verdeeld op de overname van de kaasmaker. \
Zij vrezen dat Noordmelk de melkprijs verder onder druk zet.
Heeft u informatie? Bel 0900-1234."""

ARTICLES = {"agency": (AGENCY_TITLE, AGENCY), "budget": (BUDGET_TITLE, BUDGET), "takeover": (TAKEOVER_TITLE, TAKEOVER)}

ENGLISH = """Rail operator cuts night trains to Berlin

The Dutch rail operator will stop its night train to Berlin in March. The company says the service has \
lost money every year since it started. Passengers who already booked a ticket will get a full refund. \
Travel organisations call the decision a setback for climate-friendly travel. The ministry says it will \
not subsidise the service. A daytime connection to Berlin remains available every two hours."""


@pytest.fixture(scope="module")
def stage() -> SummarizeStage:
    return SummarizeStage(SummarizeSettings(), StageContext())


def summarize(stage: SummarizeStage, text: str, title: str | None = None) -> Result:
    return stage([Result(id="a", text=text, title=title)])[0]


@pytest.fixture(params=sorted(ARTICLES), scope="module")
def article(request: pytest.FixtureRequest, stage: SummarizeStage) -> Result:
    title, text = ARTICLES[request.param]
    return summarize(stage, text, title)


def test_news_article_gets_two_to_four_sentences(article: Result) -> None:
    assert 2 <= len(article.summary) <= 4
    assert article.status["summarize"] == "ok"


def test_summary_never_exceeds_max_ratio_of_the_sentences(article: Result) -> None:
    assert len(article.summary) <= 0.4 * len(article.sentences)


def test_summary_sentences_are_exact_slices_in_article_order(article: Result) -> None:
    positions = [article.text.index(sentence) for sentence in article.summary]
    assert positions == sorted(positions)
    assert set(article.summary) <= set(article.sentence_texts())


def test_lead_sentence_is_in_the_summary(article: Result) -> None:
    assert article.summary[0] == article.sentence_texts()[1]


def test_links_tip_lines_headings_and_credits_are_never_chosen(article: Result) -> None:
    for sentence in article.summary:
        assert not sentence.startswith(("Lees ook", "Heeft u informatie", "Bel 0900", "Foto:"))
        assert sentence not in ("Gevolgen voor personeel", "Lastenverhoging", "Banen blijven behouden")


def test_title_is_never_repeated(article: Result) -> None:
    assert all(not restates_title(sentence, article.title) for sentence in article.summary)
    assert all(article.title.rstrip(".") not in sentence for sentence in article.summary)


@pytest.mark.parametrize("target", [1, 2, 3, 5, 8])
def test_sentences_setting_is_capped_by_max_ratio(target: int) -> None:
    stage = SummarizeStage(SummarizeSettings(sentences=target), StageContext())
    doc = summarize(stage, AGENCY, AGENCY_TITLE)
    body = [sentence for sentence in doc.sentence_texts() if is_body_sentence(sentence, AGENCY_TITLE)]
    assert len(body) == 10
    assert 1 <= len(doc.summary) <= min(target, math.floor(0.4 * len(body)))


def test_near_identical_sentences_are_not_both_chosen(stage: SummarizeStage) -> None:
    repeated = (
        "De gemeente Utrecht trekt de komende vier jaar 40 miljoen euro extra uit voor betaalbare woningen. "
        "De gemeente Utrecht trekt de komende vier jaar 40 miljoen euro extra uit voor betaalbare woningen! "
    )
    doc = summarize(stage, repeated + BUDGET.split("\n", 2)[2], BUDGET_TITLE)
    assert len([s for s in doc.summary if s.startswith("De gemeente Utrecht trekt de komende vier jaar")]) == 1


def test_short_article_is_returned_whole(stage: SummarizeStage) -> None:
    text = (
        "Brand in Zwolle\n"
        "In een loods aan de rand van Zwolle heeft vannacht een grote brand gewoed. Niemand raakte gewond.\n"
        "Lees ook: Brandweer waarschuwt voor droge natuur"
    )
    doc = summarize(stage, text, "Brand in Zwolle")
    assert doc.summary == [
        "In een loods aan de rand van Zwolle heeft vannacht een grote brand gewoed.",
        "Niemand raakte gewond.",
    ]
    assert doc.status["summarize"] == "ok: article shorter than summary"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "skipped: empty text"),
        (" \n\t\n ", "skipped: empty text"),
        (
            "Meer nieuws\nLees ook: Brand in Zwolle\nHeeft u informatie? Bel 0900-1234.\nhttps://example.nl/nieuws",
            "skipped: no body sentences (only headings, title, links or credits)",
        ),
    ],
    ids=["empty", "whitespace", "only-links"],
)
def test_text_without_body_gets_an_empty_summary(stage: SummarizeStage, text: str, status: str) -> None:
    doc = summarize(stage, text)
    assert doc.summary == []
    assert doc.status["summarize"] == status


def test_sentences_set_by_an_earlier_stage_are_reused(stage: SummarizeStage, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_segmenting(text: str) -> list[tuple[int, int]]:
        raise AssertionError("summarize segmented again although doc.sentences was set")

    monkeypatch.setattr(pipeline.segment, "sentence_spans", no_segmenting)
    body = AGENCY.split("\n", 2)[2].split("\n", 1)[0]
    paragraph_start = AGENCY.index(body)
    custom = [(paragraph_start, paragraph_start + len(body))] + [
        (AGENCY.index(line), AGENCY.index(line) + len(line)) for line in AGENCY.splitlines()[3:] if line
    ]
    doc = Result(id="a", text=AGENCY, title=AGENCY_TITLE, sentences=custom)
    stage([doc])
    assert doc.sentences is custom
    assert body in doc.summary
    assert set(doc.summary) <= {AGENCY[start:end] for start, end in custom}


def test_english_article_is_summarized_too(stage: SummarizeStage) -> None:
    doc = summarize(stage, ENGLISH, "Rail operator cuts night trains to Berlin")
    assert doc.status["summarize"] == "ok"
    assert doc.summary[0] == "The Dutch rail operator will stop its night train to Berlin in March."
    assert 1 <= len(doc.summary) <= 0.4 * len(doc.sentences)


def test_summary_is_deterministic_and_independent_of_the_batch(stage: SummarizeStage) -> None:
    batch = [Result(id=name, text=text, title=title) for name, (title, text) in ARTICLES.items()]
    first = {doc.id: doc.summary for doc in stage(batch)}
    again = [Result(id=name, text=text, title=title) for name, (title, text) in reversed(ARTICLES.items())]
    assert {doc.id: doc.summary for doc in stage(again)} == first
    assert {doc.id: doc.summary for doc in stage(again)} == first


def test_very_long_article_keeps_the_summary_short(stage: SummarizeStage) -> None:
    body = AGENCY.split("\n", 2)[2]
    doc = summarize(stage, "\n".join([body] * 40), AGENCY_TITLE)
    assert doc.status["summarize"] == "ok"
    assert len(doc.summary) == 3
    assert len(set(doc.summary)) == 3


@pytest.mark.parametrize(
    "line",
    [
        "Lees ook: Wachttijden voor rijexamen lopen verder op",
        "Lees meer over de begroting",
        "Bekijk de video hieronder.",
        "Heeft u informatie over deze zaak?",
        "Heeft u vragen over de begroting?",
        "Wilt u meer weten over de plannen van de gemeente?",
        "Bel 0900-8844.",
        "Tips kunnen ook anoniem via 0800-7000.",
        "Foto: Hollandse Hoogte",
        "Beeld: gemeente Utrecht",
        "Wethouder Jansen bij de presentatie van de begroting. (ANP)",
        "Meer nieuws uit de regio",
        "Deel dit artikel via WhatsApp",
        "Kijk voor het volledige programma op www.example.nl.",
        "Mail uw vragen naar redactie@example.nl.",
        "Het meldpunt is bereikbaar via 020-5551234.",
    ],
)
def test_calls_to_action_contacts_and_credits_are_excluded(line: str) -> None:
    assert is_excluded(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "DEN HAAG (ANP) - Het kabinet trekt 2 miljard euro uit voor de jeugdzorg.",
        "Het aantal aanvragen steeg tussen 2021-2023 van 12.345 naar 67.890.",
        "De rente daalt met 0,25 procentpunt.",
        "Bewoners konden het plan bekijken in het stadhuis.",
        "Deel van de bewoners is tegen het plan.",
        "Volgens de politie was er niemand in het pand.",
    ],
)
def test_ordinary_news_sentences_are_not_excluded(sentence: str) -> None:
    assert not is_excluded(sentence)
    assert not is_heading(sentence)


@pytest.mark.parametrize("line", ["Geen afname", "Gevolgen voor personeel", "Reactie van de gemeente"])
def test_short_unpunctuated_lines_are_headings(line: str) -> None:
    assert is_heading(line)


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="shared seed page not present")
def test_scraped_news_page_summary_leaves_out_headings_and_teasers(stage: SummarizeStage) -> None:
    title = "IND sluit uiterlijk 2023 loketten in Utrecht, Rotterdam en Eindhoven"
    doc = summarize(stage, SEED_PAGE.read_text(encoding="utf-8"), title)
    assert doc.status["summarize"] == "ok"
    assert 2 <= len(doc.summary) <= 3
    assert all(sentence in doc.text and sentence != title for sentence in doc.summary)
    assert all(not sentence.startswith(("•", "Meer nieuws", "Geen afname")) for sentence in doc.summary)
