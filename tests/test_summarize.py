"""SummarizeStage: a few key sentences, exact slices of the text, in article order.

The abstractive backend runs on the tiny random-weight Marian fixture as a
stand-in seq2seq model: its output is gibberish, so those tests check
statuses, shapes and chunking, never wording.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from threadpoolctl import ThreadpoolController

import pipeline.segment
from pipeline import Pipeline
from pipeline.document import Entity, Result
from pipeline.errors import ModelUnavailable
from pipeline.stages.base import Contract, StageContext
from pipeline.stages.summarize import (
    SummarizeSettings,
    SummarizeStage,
    entity_coverage,
    is_body_sentence,
    is_excluded,
    is_heading,
    position_prior,
    restates_title,
    select_mmr,
    title_coverage,
)
from pipeline.stages.summarize.abstractive import Seq2SeqSummarizer, pack_chunks

DEV_SET = Path(__file__).parents[1] / "bench" / "data" / "summaries_dev.jsonl"

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


def test_scoring_leaves_blas_threads_as_it_found_them(stage: SummarizeStage) -> None:
    controller = ThreadpoolController()
    with controller.limit(limits=2, user_api="blas"):
        before = [library.num_threads for library in controller.select(user_api="blas").lib_controllers]
        doc = summarize(stage, AGENCY, AGENCY_TITLE)
        after = [library.num_threads for library in ThreadpoolController().select(user_api="blas").lib_controllers]
    assert doc.summary and after == before


def test_very_long_article_keeps_the_summary_short(stage: SummarizeStage) -> None:
    body = AGENCY.split("\n", 2)[2]
    doc = summarize(stage, "\n".join([body] * 40), AGENCY_TITLE)
    assert doc.status["summarize"] == "ok"
    assert len(doc.summary) == stage.settings.sentences
    assert len(set(doc.summary)) == len(doc.summary)


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
        "Tip de redactie via het formulier onderaan deze pagina.",
        "Mis niets en ontvang onze nieuwsbrief.",
        "Dit artikel is eerder verschenen in het AD.",
        "De politie vraagt getuigen zich te melden.",
        "Wie meer weet, kan contact opnemen met de recherche.",
        "Tips kunnen ook via het tipformulier op de website van de politie.",
        "Meldingen kunnen ook via politie.nl.",
        "Praat mee in de reacties.",
        "Luister hieronder naar de podcast.",
        "Klik hier voor meer informatie.",
        "Het artikel gaat verder onder de video.",
        "De brug is weer open pic.twitter.com/abc123",
        "Vanavond vergadert de raad over het plan — Gemeente Utrecht (@gemeenteutrecht) 12 maart 2024",
        "Waarom sluit het zwembad in Zwolle al om acht uur?",
        "Het college wil het bad sluiten, maar...",
        "Het volledige rapport staat op HTTPS://EXAMPLE.ORG/RAPPORT",
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
        "Booking.com krijgt een boete van 400 miljoen euro.",
        "Twee getuigen meldden zich later bij de politie.",
        "Het artikel in de Grondwet over privacy wordt aangepast.",
        "De verdachte nam contact op met zijn advocaat.",
    ],
)
def test_ordinary_news_sentences_are_not_excluded(sentence: str) -> None:
    assert not is_excluded(sentence)
    assert not is_heading(sentence)


@pytest.mark.parametrize("line", ["Geen afname", "Gevolgen voor personeel", "Reactie van de gemeente"])
def test_short_unpunctuated_lines_are_headings(line: str) -> None:
    assert is_heading(line)


def test_scraped_news_page_summary_leaves_out_headings_and_teasers(stage: SummarizeStage, seed_page: str) -> None:
    title = "IND sluit uiterlijk 2023 loketten in Utrecht, Rotterdam en Eindhoven"
    doc = summarize(stage, seed_page, title)
    assert doc.status["summarize"] == "ok"
    assert 2 <= len(doc.summary) <= 3
    assert all(sentence in doc.text and sentence != title for sentence in doc.summary)
    assert all(not sentence.startswith(("•", "Meer nieuws", "Geen afname")) for sentence in doc.summary)


def test_summary_index_points_at_each_chosen_sentence(article: Result) -> None:
    assert [article.sentence_texts()[index] for index in article.summary_index] == article.summary
    assert article.summary_index == sorted(article.summary_index)


def test_short_article_has_indices_of_the_whole_body(stage: SummarizeStage) -> None:
    doc = summarize(stage, "Brand in Zwolle\nEen loods is afgebrand. Niemand raakte gewond.", "Brand in Zwolle")
    assert doc.summary_index == [1, 2]


def _dev_articles() -> list[dict]:
    if not DEV_SET.exists():
        return []
    return [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not DEV_SET.exists(), reason="bench dev set not present")
def test_every_dev_article_gets_two_to_four_sentences_within_the_ratio_and_no_boilerplate(
    stage: SummarizeStage,
) -> None:
    docs = stage([Result(id=a["id"], text=a["text"], title=a["title"]) for a in _dev_articles()])
    assert len(docs) == 30
    for doc in docs:
        assert doc.status["summarize"] == "ok", doc.id
        assert 2 <= len(doc.summary) <= 4, doc.id
        assert len(doc.summary) <= 0.4 * len(doc.sentences), doc.id
        assert not any(is_excluded(sentence) or is_heading(sentence) for sentence in doc.summary), doc.id


def test_sentence_closest_to_the_title_wins_when_the_title_decides() -> None:
    settings = SummarizeSettings(sentences=1, position_weight=0.0, title_weight=1.0, entity_weight=0.0)
    doc = summarize(SummarizeStage(settings, StageContext()), BUDGET, "Oppositie tegen lastenverhoging")
    assert doc.summary == [
        "De oppositie noemt de lastenverhoging onnodig en wil dat de gemeente eerst bezuinigt op externe adviseurs."
    ]


def test_entity_coverage_counts_the_main_entities_a_sentence_names() -> None:
    spans = [(0, 10), (10, 20), (20, 30)]
    mentions = [
        (1, 5, "CITY:Utrecht"),
        (12, 18, "CITY:Utrecht"),
        (13, 15, "ORG:FNV"),
        (16, 18, "ORG:FNV"),
        (21, 23, "YEAR:2024"),
        (25, 28, "ORG:NS"),
    ]
    coverage = entity_coverage(spans, mentions)
    assert coverage.tolist() == pytest.approx([1 / 3, 2 / 3, 1 / 3])
    assert entity_coverage(spans, mentions, main=1).tolist() == pytest.approx([1.0, 1.0, 0.0])
    assert entity_coverage(spans, []).tolist() == [0.0, 0.0, 0.0]


def test_sentence_naming_the_main_entities_wins_when_entities_decide() -> None:
    settings = SummarizeSettings(sentences=1, position_weight=0.0, title_weight=0.0, entity_weight=1.0)
    doc = Result(id="a", text=TAKEOVER, title=TAKEOVER_TITLE)
    gouda = [match.start() for match in re.finditer("Gouda", TAKEOVER)]
    doc.entities = [Entity("Gouda", "CITY", start, start + 5, "Gouda", "Gouda") for start in gouda]
    SummarizeStage(settings, StageContext())([doc])
    assert len(doc.summary) == 1 and "Gouda" in doc.summary[0]


def test_mmr_prefers_a_new_fact_over_a_near_repeat() -> None:
    scores = np.array([1.0, 0.7, 0.6])
    similarities = np.array([[1.0, 0.45, 0.0], [0.45, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert select_mmr(scores, similarities, 2, penalty=0.0, threshold=0.5) == [0, 1]
    assert select_mmr(scores, similarities, 2, penalty=0.3, threshold=0.5) == [0, 2]
    assert select_mmr(scores, similarities, 2, penalty=0.0, threshold=0.4) == [0, 2]


def test_weights_that_leave_no_room_for_centrality_are_refused() -> None:
    with pytest.raises(ValidationError, match="must not exceed 1"):
        SummarizeSettings(position_weight=0.6, title_weight=0.3, entity_weight=0.3)


def test_offline_pipeline_summary_uses_entities_and_records_provenance() -> None:
    doc = Pipeline("offline")({"id": "a", "title": BUDGET_TITLE, "text": BUDGET})
    assert doc.status["summarize"] == "ok"
    assert any(entity.label == "CITY" for entity in doc.entities)
    assert [doc.sentence_texts()[index] for index in doc.summary_index] == doc.summary


# Summarising after translation ---------------------------------------------------------------

ENGLISH_TRANSLATION = ENGLISH.split("\n", 2)[2]


def test_after_translation_needs_text_en_and_writes_summary_en() -> None:
    after = SummarizeStage.contract(SummarizeSettings(after_translation=True))
    assert after.requires == ("text", "title", "sentences", "text_en")
    assert "summary_en" in after.assigns
    assert SummarizeStage.contract(SummarizeSettings()) == Contract(
        ("text", "title", "sentences"), ("summary", "summary_index"), ("language", "entities")
    )


def test_after_translation_summarises_the_english_text_into_summary_en() -> None:
    stage = SummarizeStage(SummarizeSettings(after_translation=True), StageContext())
    doc = Result(id="a", text=AGENCY, title=AGENCY_TITLE, language="nl", text_en=ENGLISH_TRANSLATION)
    stage([doc])
    assert doc.status["summarize"] == "ok"
    assert 1 <= len(doc.summary_en) <= 0.4 * 6
    assert all(sentence in ENGLISH_TRANSLATION for sentence in doc.summary_en)
    assert doc.summary == [] and doc.summary_index == []


def test_after_translation_an_english_article_is_summarised_from_its_own_text() -> None:
    stage = SummarizeStage(SummarizeSettings(after_translation=True), StageContext())
    doc = stage([Result(id="a", text=ENGLISH, title="Rail operator cuts night trains to Berlin", language="en")])[0]
    assert doc.status["summarize"] == "ok"
    assert doc.summary_en == doc.summary and doc.summary
    assert [doc.sentence_texts()[index] for index in doc.summary_index] == doc.summary


def test_after_translation_without_a_translation_says_what_is_missing() -> None:
    stage = SummarizeStage(SummarizeSettings(after_translation=True), StageContext())
    doc = stage([Result(id="a", text=AGENCY, title=AGENCY_TITLE, language="nl")])[0]
    assert doc.status["summarize"].startswith("skipped: no English text")
    assert doc.summary_en is None and doc.summary == []


# Abstractive backend -------------------------------------------------------------------------


def test_transformers_backend_needs_a_model() -> None:
    with pytest.raises(ValidationError, match="summarize.model"):
        SummarizeSettings(backend="transformers")


def test_a_missing_summarisation_model_is_unavailable(tmp_path: Path) -> None:
    settings = SummarizeSettings(backend="transformers", model=str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailable, match="summarize"):
        SummarizeStage(settings, StageContext(offline=True))


def test_pipeline_with_a_missing_summariser_falls_back_to_a_skipping_stage(tmp_path: Path) -> None:
    overrides = {"summarize.backend": "transformers", "summarize.model": str(tmp_path / "missing")}
    pipe = Pipeline("offline", overrides=overrides)
    assert any(message.startswith("summarize:") for message in pipe.fallbacks)
    assert pipe(BUDGET).status["summarize"].startswith("skipped: model")


@pytest.fixture(scope="module")
def abstractive(tiny_marian_dir: Path) -> SummarizeStage:
    settings = SummarizeSettings(backend="transformers", model=str(tiny_marian_dir), num_beams=1, max_new_tokens=6)
    return SummarizeStage(settings, StageContext(device="cpu"))


def test_abstractive_summary_is_a_list_of_sentences_without_provenance(abstractive: SummarizeStage) -> None:
    docs = abstractive([Result(id=name, text=text, title=title) for name, (title, text) in ARTICLES.items()])
    for doc in docs:
        assert doc.status["summarize"].startswith("ok")
        assert all(isinstance(sentence, str) and sentence for sentence in doc.summary)
        assert doc.summary_index == []
    assert abstractive.model_id is not None and abstractive.model_id.endswith("@local")


def test_long_article_is_summarised_in_chunks_that_fit_the_model(abstractive: SummarizeStage) -> None:
    short = summarize(
        abstractive, "Een loods in Zwolle is afgebrand. Niemand raakte gewond. De politie onderzoekt het."
    )
    long = summarize(abstractive, AGENCY, AGENCY_TITLE)
    assert short.status["summarize"] == "ok"
    chunks = int(long.status["summarize"].removeprefix("ok: ").removesuffix(" chunks"))
    body = [s for s in long.sentence_texts() if is_body_sentence(s, AGENCY_TITLE)]
    summarizer = abstractive.summarizer
    assert summarizer is not None
    assert chunks == len(pack_chunks(body, summarizer.count_tokens, summarizer.max_input_tokens)) > 1


def test_abstractive_empty_and_boilerplate_only_texts_are_skipped(abstractive: SummarizeStage) -> None:
    docs = abstractive([Result(id="e", text=""), Result(id="b", text="Lees ook: Brand in Zwolle\nFoto: ANP")])
    assert [doc.status["summarize"].split(":")[0] for doc in docs] == ["skipped", "skipped"]
    assert all(doc.summary == [] for doc in docs)


def test_a_model_already_in_memory_is_used_as_it_is_given(tiny_marian_dir: Path) -> None:
    """As ``transformers.pipeline(model=...)`` takes a loaded model: nothing is loaded by name."""
    from transformers import AutoTokenizer, MarianMTModel

    tokenizer = AutoTokenizer.from_pretrained(tiny_marian_dir)
    model = MarianMTModel.from_pretrained(tiny_marian_dir).eval()
    settings = SummarizeSettings(num_beams=1, max_new_tokens=6)
    summarizer = Seq2SeqSummarizer(tokenizer, model, settings, model_id="tiny-marian@in-memory")
    stage = SummarizeStage(settings, StageContext(offline=True), summarizer=summarizer)
    doc = summarize(stage, AGENCY, AGENCY_TITLE)
    assert doc.status["summarize"].startswith("ok")
    assert doc.summary and doc.summary_index == []
    assert stage.model_id == "tiny-marian@in-memory" and stage.summarizer is summarizer


def test_abstractive_after_translation_writes_summary_en(tiny_marian_dir: Path) -> None:
    settings = SummarizeSettings(
        backend="transformers", model=str(tiny_marian_dir), after_translation=True, num_beams=1, max_new_tokens=8
    )
    stage = SummarizeStage(settings, StageContext(device="cpu"))
    doc = Result(id="a", text=AGENCY, language="nl", text_en=ENGLISH_TRANSLATION)
    stage([doc])
    assert doc.status["summarize"].startswith("ok")
    assert isinstance(doc.summary_en, list) and doc.summary == []


def test_chunks_hold_whole_sentences_under_the_limit_and_lose_no_word() -> None:
    def words(text: str) -> int:
        return len(text.split())

    sentences = ["Een twee drie.", "Vier vijf zes zeven.", "Acht.", " ".join(["lang"] * 9) + "."]
    chunks = pack_chunks(sentences, words, 5)
    assert all(words(chunk) <= 5 for chunk in chunks)
    assert " ".join(chunks).split() == " ".join(sentences).split()
    assert chunks[:2] == ["Een twee drie.", "Vier vijf zes zeven. Acht."]
    assert pack_chunks([], words, 5) == []


def test_title_coverage_counts_the_share_of_the_headline_a_sentence_restates() -> None:
    title = "Gemeente Zwolle sluit zwembad De Vrijheid"
    texts = [
        "Het zwembad gaat dicht.",
        "De gemeente Zwolle sluit zwembad De Vrijheid na zestig jaar, omdat renovatie te duur is.",
        "Het weer was zonnig.",
    ]
    coverage = title_coverage(texts, title)
    assert coverage.argmax() == 1
    assert coverage[2] == 0.0
    assert title_coverage(texts, None).tolist() == [0.0, 0.0, 0.0]


def test_the_position_prior_favours_the_lead_but_keeps_later_sentences_in_reach() -> None:
    prior = position_prior(9)
    assert prior[0] == 1.0
    assert np.all(np.diff(prior) < 0)
    assert prior[8] == pytest.approx(1 / 3)
