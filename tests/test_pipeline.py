"""End to end through ``Pipeline``: the library call users make."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from pipeline import ConfigError, ModelUnavailable, Pipeline, Result
from pipeline.document import EXTENSION_FIELDS, FIELDS, RECORD_FIELDS

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(scope="module")
def offline() -> Pipeline:
    return Pipeline("offline")


def by_label(result: Result, label: str) -> dict[str, object]:
    return {entity.text: entity for entity in result.entities if entity.label == label}


def test_example_page_gives_a_complete_record(offline: Pipeline):
    result = offline((EXAMPLES / "belastingdienst_kantoren.txt").read_text(encoding="utf-8"))
    assert result.language == "nl" and result.language_score > 0.9
    assert result.title == "Belastingdienst sluit in 2025 kantoren in Groningen, Breda en Arnhem"
    cities = by_label(result, "CITY")
    assert {"Groningen", "Breda", "Arnhem", "Den Haag", "Utrecht", "Den Bosch", "Leeuwarden"} <= set(cities)
    assert cities["Den Haag"].english == "The Hague"
    assert cities["Den Bosch"].canonical == "'s-Hertogenbosch"
    years = {entity.canonical for entity in result.entities if entity.label == "YEAR"}
    assert "2025" in years and "2024" not in years  # 2024 is only in the teaser list
    assert "Belastingdienst" in by_label(result, "ORG")
    assert "Meer nieuws" not in result.text and "•" not in result.text
    assert 2 <= len(result.summary) <= 4
    assert all(sentence in result.text for sentence in result.summary)
    for entity in result.entities:
        assert result.text[entity.start : entity.end] == entity.text


def test_offline_profile_says_why_it_does_not_translate(offline: Pipeline):
    result = offline("De gemeente Utrecht opent in 2025 een nieuw stadskantoor aan het Jaarbeursplein.")
    assert result.status["translate"].startswith("skipped: ")
    assert "disabled" in result.status["translate"]
    assert result.title_en is None and result.summary_en is None and result.text_en is None


def test_seed_page_meets_the_product_promise(offline: Pipeline, seed_page: str):
    result = offline(seed_page)
    assert result.language == "nl"
    cities = by_label(result, "CITY")
    assert {"Utrecht", "Rotterdam", "Eindhoven", "Den Haag", "Amsterdam", "Den Bosch", "Zwolle"} <= set(cities)
    assert cities["Den Haag"].english == "The Hague"
    years = {entity.canonical for entity in result.entities if entity.label == "YEAR"}
    assert "2023" in years and "2021" not in years
    assert "IND" in by_label(result, "ORG")
    assert "• " not in result.text and "Meer nieuws" not in result.text
    assert "Einde project Brexit" not in result.text
    assert 2 <= len(result.summary) <= 4
    assert all(sentence in result.text for sentence in result.summary)


def test_one_text_gives_a_result_a_list_a_list_and_a_generator_a_generator(offline: Pipeline):
    texts = ["De IND opent een loket in Zwolle.", "Het RIVM meldt meer griepgevallen in Groningen."]
    assert isinstance(offline(texts[0]), Result)
    assert [r.text for r in offline(texts)] == texts
    stream = offline(iter(texts))
    assert not isinstance(stream, list)
    assert [r.text for r in stream] == texts


def test_run_yields_lazily_in_input_order(offline: Pipeline):
    records = [{"id": f"a{i}", "text": f"Artikel {i} gaat over de gemeente Breda en haar begroting."} for i in range(7)]
    results = offline.run(records, batch_size=3)
    assert [r.id for r in results] == [f"a{i}" for i in range(7)]


def test_record_has_the_design_fields_in_order_then_the_extensions(offline: Pipeline):
    article = {
        "id": "x1",
        "title": "Nieuw loket",
        "text": "De IND opent in 2025 een loket in Zwolle.",
        "date": "2025-01-02",
    }
    record = offline(article).to_dict()
    stage_fields = ("title_entities", "dateline_entities", "credit_entities")
    assert tuple(record) == (*RECORD_FIELDS, *EXTENSION_FIELDS, *stage_fields) == tuple(FIELDS)
    assert record["date"] == "2025-01-02"
    assert record["id"] == "x1"
    assert Result.from_dict(record).to_dict() == record


def test_a_result_survives_the_trip_to_a_worker_process_and_back(offline: Pipeline):
    result = offline((EXAMPLES / "belastingdienst_kantoren.txt").read_text(encoding="utf-8"))
    assert result.entities
    returned = pickle.loads(pickle.dumps(result))
    assert returned == result
    assert returned.to_dict() == result.to_dict()


def test_id_is_a_stable_hash_of_the_text_when_absent(offline: Pipeline):
    first = offline("De gemeente Leiden verlaagt de parkeertarieven.")
    again = offline("De gemeente Leiden verlaagt de parkeertarieven.")
    assert first.id == again.id and len(first.id) == 16


def huge_article(words: int = 20_000) -> str:
    sentence = "De gemeenteraad van Zwolle bespreekt volgende week opnieuw de plannen voor het nieuwe station. "
    per_sentence = len(sentence.split())
    paragraphs = [sentence * 8 for _ in range(words // (per_sentence * 8) + 1)]
    return "\n\n".join(paragraphs)


def test_bad_input_never_stops_the_batch(offline: Pipeline):
    junk = random.Random(7).randbytes(5_000_000).decode("utf-8", errors="replace")
    good = "De Belastingdienst opent in 2026 een nieuw kantoor in Arnhem. Er komen tweehonderd banen bij."
    inputs = [
        "",
        "   \n\t ",
        junk,
        {"title": "zonder tekst"},
        "<html><script>alert('x')</script><p>De gemeente Ede bouwt in 2025 nieuwe woningen.</p></html>",
        huge_article(),
        good,
    ]
    results = offline(inputs)
    assert len(results) == len(inputs)
    empty, blank, binary, no_text, html, huge, normal = results
    assert empty.status["clean"].startswith("skipped") and blank.status["clean"].startswith("skipped")
    assert binary.status["clean"].startswith("skipped: not text")
    assert no_text.status["read"].startswith("error: record has no 'text' field")
    assert all(
        status.startswith("skipped: earlier error") for stage, status in no_text.status.items() if stage != "read"
    )
    assert "alert" not in html.text and "Ede" in html.text
    assert huge.ok and len(huge.text.split()) >= 20_000 and huge.summary
    assert normal.ok and normal.language == "nl"
    assert all(set(r.status) >= {"clean", "detect", "entities", "summarize", "translate"} for r in results)


def explode_on_boom(pipe: Pipeline, monkeypatch) -> None:
    """Make the entities stage of ``pipe`` raise on any batch holding the word BOEM."""
    stage_class = type(dict(pipe.stages)["entities"])
    original = stage_class.__call__

    def call(self, docs):
        if any("BOEM" in doc.text for doc in docs):
            raise RuntimeError("kapot")
        return original(self, docs)

    monkeypatch.setattr(stage_class, "__call__", call)


def test_a_failing_stage_is_isolated_to_the_offending_article(monkeypatch):
    pipe = Pipeline("offline")
    explode_on_boom(pipe, monkeypatch)
    results = pipe(
        ["De IND opent een loket in Zwolle.", "BOEM zegt de krant in Breda.", "Het CBS meldt groei in Delft."]
    )
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].status["entities"] == "error: RuntimeError: kapot"
    assert results[1].status["summarize"].startswith("skipped: earlier error in entities")
    assert {e.text for e in results[2].entities} >= {"CBS", "Delft"}


def test_fail_fast_reraises_the_first_stage_error(monkeypatch):
    pipe = Pipeline("offline", fail_fast=True)
    explode_on_boom(pipe, monkeypatch)
    with pytest.raises(RuntimeError, match="kapot"):
        pipe("BOEM in Breda.")


@pytest.mark.parametrize("stage", ["clean", "detect", "entities", "summarize", "translate"])
def test_every_stage_can_be_switched_off(stage: str):
    result = Pipeline("offline", overrides={f"{stage}.enabled": False})("De IND opent een loket in Zwolle.")
    assert result.status[stage] == f"skipped: disabled in config ({stage}.enabled: false)"


def test_a_field_a_skipped_stage_declares_reads_as_none_like_the_built_in_ones():
    result = Pipeline("offline", overrides={"entities.enabled": False})("Kamerleden in Den Haag.")
    assert result.title_entities is None and result.entities == []
    with pytest.raises(AttributeError, match="no_such_field"):
        result.no_such_field


def test_a_stage_before_its_inputs_is_a_config_error():
    with pytest.raises(ConfigError, match="translate"):
        Pipeline("offline", overrides={"pipeline": ["clean", "translate", "detect", "entities", "summarize"]})


def test_missing_models_fall_back_and_say_how_to_fix(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    pipe = Pipeline("default", overrides={"entities.model": "nl_core_news_md"})
    messages = "\n".join(pipe.fallbacks)
    assert "entities" in messages and "python -m spacy download nl_core_news_md" in messages
    assert "translate" in messages and "nlnews models pull" in messages
    result = pipe("De IND sluit in 2023 loketten in Utrecht en Rotterdam.")
    assert {"Utrecht", "Rotterdam"} <= {e.text for e in result.entities}
    assert result.status["translate"].startswith("skipped: model 'Helsinki-NLP/opus-mt-nl-en' unavailable")
    assert result.summary_en is None


def test_strict_turns_a_missing_model_into_an_error_before_any_work(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable):
        Pipeline("default", strict=True)


def test_tiny_translation_model_fills_the_english_fields(tiny_marian_dir: Path):
    pipe = Pipeline("offline", overrides={"translate.enabled": True, "translate.model": str(tiny_marian_dir)})
    results = pipe.run(
        [
            {
                "title": "Nieuw loket in Zwolle",
                "text": "De IND opent in 2025 een loket in Zwolle. Het loket is elke dag open. Klanten kunnen er hun pas ophalen.",
            },
            {
                "title": "English news",
                "text": "The city of Utrecht opens a new office in 2025. It will be open every day of the week.",
            },
        ]
    )
    dutch, english = list(results)
    assert dutch.status["translate"] == "ok"
    assert dutch.title_en and len(dutch.summary_en) == len(dutch.summary) > 0
    assert all(sentence.strip() for sentence in dutch.summary_en)
    assert dutch.models["translate"].startswith(str(tiny_marian_dir))
    assert english.status["translate"] == "skipped: already English" and english.summary_en is None


AFTER_TRANSLATION = ["clean", "detect", "entities", "translate", "summarize"]


def test_summarizing_the_translation_needs_full_text_translation_first():
    with pytest.raises(ConfigError, match="translate"):
        Pipeline("offline", overrides={"pipeline": AFTER_TRANSLATION, "summarize.after_translation": True})


def test_summarize_after_translation_reads_the_translated_text(tiny_marian_dir: Path):
    overrides = {
        "pipeline": AFTER_TRANSLATION,
        "summarize.after_translation": True,
        "translate.enabled": True,
        "translate.full_text": True,
        "translate.model": str(tiny_marian_dir),
        "translate.max_new_tokens": 8,
    }
    text = "De IND opent in 2025 een loket in Zwolle. Het loket is elke dag open. Klanten halen er hun pas op."
    result = Pipeline("offline", overrides=overrides)(text)
    assert result.status["translate"] == "ok" and result.text_en
    # Random weights write no punctuation, so whether a summary results is not asserted; only that
    # summarize ran on the English text rather than finding none.
    assert result.ok and "no English text" not in result.status["summarize"]
