"""The translate stage on a tiny random-weight Marian model.

The weights are random, so the English is gibberish: these tests check routing,
shapes, counts, batching and that no source text is ever dropped or truncated.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.document import Result
from pipeline.errors import ConfigError, ModelUnavailable, StageError
from pipeline.segment import ensure_sentences
from pipeline.stages.base import StageContext
from pipeline.stages.translate import (
    TranslateSettings,
    TranslateStage,
    model_input_limit,
    sentence_spans_by_line,
    split_to_fit,
)
from pipeline.stages.translate.translation import TransformersBackend, Translator, batch_by_tokens
from tests.translators import RecordingTranslator

CITIES = ["Utrecht", "Rotterdam", "Eindhoven", "Zwolle", "Den Haag", "Amsterdam", "Groningen", "Maastricht"]
SENTENCES = [
    "De gemeente {city} opent in {year} een nieuw loket voor inwoners.",
    "Volgens de burgemeester wachten nu {number} mensen op een afspraak.",
    "Het kabinet trekt {number} miljoen euro uit voor betaalbare woningen in {city}.",
    "De wethouder zegt dat de wachttijden de komende maanden korter worden.",
    "Bewoners van {city} klagen al jaren over de drukte bij het station.",
    "De politie onderzoekt de brand in een leegstaand pand aan de rand van {city}.",
    "In {year} steeg het aantal aanvragen met {number} procent.",
    "Waarom duurt het zo lang?",
    "Het ziekenhuis in {city} zoekt dringend verpleegkundigen en artsen.",
    "De provincie besluit pas na de zomer over de nieuwe vergunning.",
]
#: A run-on sentence far over the fixture's 64-token limit, with clause boundaries to split at.
LONG_SENTENCE = (
    "De minister zegt dat het aantal aanvragen in {city} sterk is gestegen, dat de wachttijden voor "
    "inwoners daardoor oplopen tot vele maanden; de gemeente wil extra medewerkers aannemen, maar "
    "de raad vindt de kosten te hoog omdat het budget voor {year} al is verdeeld, terwijl bewoners "
    "en bedrijven in de hele provincie om een snelle oplossing vragen – en dat geldt ook voor "
    "studenten, leraren en boeren die op een vergunning wachten."
)


def make_stage(model_dir: Path, **settings: object) -> TranslateStage:
    return TranslateStage(TranslateSettings(model=str(model_dir), **settings), StageContext(device="cpu"))


def identity(texts: list[str]) -> list[str]:
    return list(texts)


def stage_with(translator: RecordingTranslator, **settings: object) -> TranslateStage:
    return TranslateStage(TranslateSettings(**settings), StageContext(device="cpu"), translator=translator)


def dutch_doc(id: str, title: str | None, summary: list[str], text: str | None = None) -> Result:
    return Result(id=id, text=text or " ".join(summary) or "Tekst.", title=title, language="nl", summary=summary)


def dutch_article(words: int, seed: int = 0) -> str:
    """Paragraphs of news sentences with headings and blank lines, about ``words`` words long."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            template = LONG_SENTENCE if rng.random() < 0.05 else rng.choice(SENTENCES)
            sentences.append(
                template.format(city=rng.choice(CITIES), year=rng.randint(1990, 2025), number=rng.randint(2, 9000))
            )
        paragraph = " ".join(sentences)
        if rng.random() < 0.2:
            paragraph = f"Nieuws uit {rng.choice(CITIES)}\n{paragraph}"
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def letters(text: str) -> str:
    """The text without any whitespace: what splitting and re-joining must preserve."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def stage(tiny_marian_dir: Path) -> TranslateStage:
    return make_stage(tiny_marian_dir)


@pytest.fixture(scope="module")
def full_text_stage(tiny_marian_dir: Path) -> TranslateStage:
    return make_stage(tiny_marian_dir, full_text=True, max_new_tokens=8)


@pytest.fixture(scope="module")
def tiny_translator(stage: TranslateStage) -> Translator:
    return stage.translator


def test_title_and_summary_are_translated_sentence_by_sentence(stage: TranslateStage):
    docs = [
        dutch_doc("1", "Nieuw loket in Zwolle", ["De IND opent een loket in Zwolle.", "Het loket is elke dag open."]),
        dutch_doc("2", "Brand in Utrecht", ["De politie onderzoekt de brand."]),
        dutch_doc("3", "Woningen", ["Het kabinet betaalt.", "De raad wacht.", "Bewoners klagen."]),
    ]
    assert stage(docs) is docs
    for doc in docs:
        assert doc.status["translate"] == "ok"
        assert isinstance(doc.title_en, str) and doc.title_en.strip()
        assert len(doc.summary_en) == len(doc.summary)
        assert all(sentence.strip() for sentence in doc.summary_en)
        assert doc.text_en is None


def test_document_without_title_gets_only_its_summary_translated(stage: TranslateStage):
    doc = dutch_doc("1", None, ["De gemeente sluit het loket."])
    stage([doc])
    assert doc.status["translate"] == "ok"
    assert doc.title_en is None and len(doc.summary_en) == 1


@pytest.mark.parametrize(
    ("language", "text", "summary", "reason"),
    [
        ("en", "The city opens a new office.", ["The city opens a new office."], "already English"),
        ("de", "Die Stadt wächst.", ["Die Stadt wächst."], "no translation model for language 'de'"),
        ("und", "<div>&nbsp;</div> 12345", [], "no translation model for language 'und'"),
        (None, "???", [], "no translation model for language None"),
        ("nl", "", [], "empty text"),
        ("nl", "  \n\t ", [], "empty text"),
        ("nl", "Een tekst zonder samenvatting.", [], "nothing to translate (no title, summary or text)"),
    ],
    ids=["english", "german", "html-junk", "no-language", "empty", "whitespace-only", "no-summary"],
)
def test_documents_that_cannot_be_translated_are_skipped_with_a_reason(
    stage: TranslateStage, language: str | None, text: str, summary: list[str], reason: str
):
    doc = Result(id="x", text=text, language=language, summary=summary)
    stage([doc])
    assert doc.status["translate"] == f"skipped: {reason}"
    assert doc.title_en is None and doc.summary_en is None and doc.text_en is None


def test_english_text_is_not_translated_but_its_dutch_neighbour_is(stage: TranslateStage):
    text = "The mayor opens the office."
    english = Result(id="en", text=text, title="News", language="en", summary=[text])
    dutch = dutch_doc("nl", "Nieuws", ["De burgemeester opent het loket."])
    stage([english, dutch])
    assert english.status["translate"] == "skipped: already English" and english.title_en is None
    assert dutch.status["translate"] == "ok" and dutch.title_en


def test_full_text_of_a_long_article_keeps_one_segment_per_sentence_and_its_layout(full_text_stage: TranslateStage):
    doc = dutch_doc("long", "Lang artikel", ["De gemeente opent een loket."], dutch_article(20_000))
    assert len(doc.text.split()) >= 20_000
    sentences = ensure_sentences(doc)

    (plan,) = full_text_stage.plan([doc])
    planned = [segment for line in plan.lines for segment in line]
    assert len(planned) == len(sentences)
    for segment, (start, end) in zip(planned, sentences):
        assert letters(" ".join(segment.pieces)) == letters(doc.text[start:end])
    translator = full_text_stage.translator
    assert all(translator.count_tokens(piece) <= translator.model_limit for piece in plan.pieces())
    assert any(len(segment.pieces) > 1 for segment in planned), "the long sentences must have been split"

    full_text_stage([doc])
    assert doc.status["translate"] == "ok"
    source_lines, english_lines = doc.text.split("\n"), doc.text_en.split("\n")
    assert len(english_lines) == len(source_lines)
    assert [bool(line.strip()) for line in english_lines] == [bool(line.strip()) for line in source_lines]


def test_identity_backend_gives_back_every_source_word_in_order(tiny_translator: Translator):
    """With a backend that returns its input, the output is the input: nothing is dropped or reordered."""
    echoing = stage_with(RecordingTranslator(tiny_translator, identity), full_text=True, cache_size=0)
    summary = ["Eerste zin.", LONG_SENTENCE.format(city="Zwolle", year=2023)]
    doc = dutch_doc("id", "Loketten dicht", summary, dutch_article(800, seed=3))
    echoing([doc])
    assert doc.title_en == "Loketten dicht"
    assert [letters(s) for s in doc.summary_en] == [letters(s) for s in doc.summary]
    expected = [" ".join(line.split()) for line in doc.text.split("\n")]
    assert doc.text_en.split("\n") == expected


def test_a_real_scraped_page_keeps_its_lines_and_sentences(full_text_stage: TranslateStage, seed_page: str):
    text = seed_page
    doc = Result(id="seed", text=text, language="nl", summary=[])
    (plan,) = full_text_stage.plan([doc])
    assert [len(line) for line in plan.lines] == [len(line) for line in sentence_spans_by_line(doc)]
    full_text_stage([doc])
    assert doc.status["translate"] == "ok"
    assert [bool(line.strip()) for line in doc.text_en.split("\n")] == [bool(line.strip()) for line in text.split("\n")]


def test_identical_segments_in_a_batch_are_translated_once(tiny_translator: Translator):
    recording = RecordingTranslator(tiny_translator, tiny_translator.translate)
    stage = stage_with(recording, cache_size=0)
    shared = "De IND sluit loketten in Utrecht."
    docs = [
        dutch_doc("1", "IND sluit loketten", [shared, "Het loket in Zwolle blijft open."]),
        dutch_doc("2", "IND sluit loketten", [shared, shared]),
        dutch_doc("3", "Andere titel", [shared]),
    ]
    stage(docs)
    assert sorted(recording.seen) == sorted(
        {"IND sluit loketten", "Andere titel", shared, "Het loket in Zwolle blijft open."}
    )
    assert docs[1].summary_en[0] == docs[1].summary_en[1] == docs[0].summary_en[0] == docs[2].summary_en[0]


class EchoingModel:
    """Test double for a seq2seq model: ``generate`` gives back its input ids and records each batch's shape."""

    def __init__(self) -> None:
        self.batch_shapes: list[tuple[int, int]] = []

    def generate(self, input_ids: torch.Tensor, **_: object) -> torch.Tensor:
        self.batch_shapes.append(tuple(input_ids.shape))
        return input_ids


def test_translate_restores_the_input_order_across_length_sorted_batches(tiny_translator: Translator):
    """A generate that echoes its input shows each output lands at its own input's position."""
    tokenizer, model = tiny_translator.tokenizer, EchoingModel()
    backend = TransformersBackend(tokenizer, model, "cpu", num_beams=1, min_new_tokens=None)
    translator = Translator(tokenizer, backend, tiny_translator.model_limit, batch_tokens=20)
    texts = ["de raad", "de gemeente sluit het loket in Utrecht", "ook", "het kabinet betaalt de woningen", "de stad"]
    assert translator.translate(texts) == texts
    assert len(model.batch_shapes) > 1
    assert all(rows * length <= 20 for rows, length in model.batch_shapes)


def test_translate_refuses_an_input_longer_than_the_model_instead_of_truncating(tiny_translator: Translator):
    with pytest.raises(StageError, match="exceed the model limit"):
        tiny_translator.translate(["de gemeente " * 100])


@given(
    lengths=st.lists(st.integers(min_value=1, max_value=120), max_size=200),
    budget=st.integers(min_value=1, max_value=2000),
)
def test_batches_stay_within_the_token_budget_and_cover_every_segment_once(lengths: list[int], budget: int):
    batches = batch_by_tokens(lengths, budget)
    assert sorted(index for batch in batches for index in batch) == list(range(len(lengths)))
    for batch in batches:
        padded = max(lengths[index] for index in batch) * len(batch)
        assert padded <= budget or len(batch) == 1
    firsts = [lengths[batch[0]] for batch in batches]
    assert firsts == sorted(firsts, reverse=True)


WORDS = st.sampled_from(
    ["de", "gemeente", "Utrecht", "sluit", "loketten", "en", "maar", "omdat", "het", "kabinet", "2023", "één"]
)
PUNCTUATION = st.sampled_from(["", "", "", "", ",", ";", ":", " –", " -"])
#: A URL-like run without spaces, so that splitting has to fall back to characters.
LONG_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/.-", min_size=60, max_size=400)
SENTENCES_OF_ANY_LENGTH = st.lists(
    st.tuples(st.one_of(WORDS, WORDS, WORDS, LONG_WORDS), PUNCTUATION), min_size=1, max_size=160
).map(lambda words: " ".join(word + mark for word, mark in words) + ".")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentence=SENTENCES_OF_ANY_LENGTH, limit=st.sampled_from([8, 16, 64]))
def test_a_sentence_of_any_length_is_split_into_pieces_that_fit_without_losing_text(
    tiny_translator: Translator, sentence: str, limit: int
):
    count_tokens = tiny_translator.count_tokens
    pieces = split_to_fit(sentence, count_tokens, limit)
    assert all(piece and piece == piece.strip() for piece in pieces)
    assert all(count_tokens(piece) <= limit for piece in pieces)
    assert letters("".join(pieces)) == letters(sentence)
    if count_tokens(sentence) <= limit:
        assert pieces == [sentence]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(SENTENCES_OF_ANY_LENGTH, min_size=1, max_size=4), min_size=1, max_size=4))
def test_every_source_sentence_maps_to_exactly_one_planned_segment_in_order(
    full_text_stage: TranslateStage, paragraphs: list[list[str]]
):
    text = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
    doc = Result(id="p", text=text, language="nl", summary=[])
    (plan,) = full_text_stage.plan([doc])
    planned = [segment for line in plan.lines for segment in line]
    sentences = doc.sentence_texts()
    assert len(planned) == len(sentences)
    for segment, sentence in zip(planned, sentences):
        assert segment.source == sentence
        sent_to_model = letters(sentence) if any(character.isalpha() for character in sentence) else ""
        assert letters("".join(segment.pieces)) == sent_to_model
    translator = full_text_stage.translator
    assert all(translator.count_tokens(piece) <= translator.model_limit for piece in plan.pieces())


@pytest.mark.parametrize(
    "text",
    [
        "gemeente" * 6250,
        " ".join(["loket\x07\x1b"] * 7000),
    ],
    ids=["50000-characters-without-a-space", "control-characters-without-punctuation"],
)
def test_a_huge_sentence_without_punctuation_is_split_not_truncated(tiny_translator: Translator, text: str):
    echoing = stage_with(RecordingTranslator(tiny_translator, identity), full_text=True, cache_size=0)
    doc = dutch_doc("huge", None, [text], text)
    echoing([doc])
    assert doc.status["translate"] == "ok"
    assert letters(doc.summary_en[0]) == letters(text) and letters(doc.text_en) == letters(text)


@pytest.mark.parametrize("summary", [["12345."], ["!!! ???"], ["2023 - 2024"]])
def test_segments_without_letters_are_copied_not_sent_to_the_model(tiny_translator: Translator, summary):
    recording = RecordingTranslator(tiny_translator, identity)
    stage = stage_with(recording)
    doc = dutch_doc("digits", "Cijfers", summary)
    stage([doc])
    assert doc.status["translate"] == "ok"
    assert doc.summary_en == summary
    assert recording.seen == ["Cijfers"]


def test_repeated_sentences_across_batches_are_translated_once_per_run(tiny_translator: Translator):
    recording = RecordingTranslator(tiny_translator, lambda texts: [text.upper() for text in texts])
    stage = stage_with(recording, cache_size=2)
    boilerplate = "Lees ook ons nieuwsoverzicht."
    stage([dutch_doc("1", None, [boilerplate, "De raad besluit."])])
    stage([dutch_doc("2", None, [boilerplate])])
    stage([dutch_doc("3", None, ["Het kabinet betaalt.", "De wethouder wacht."])])
    stage([dutch_doc("4", None, [boilerplate])])
    assert recording.seen.count(boilerplate) == 2, "cached once, then evicted by two newer sentences"
    assert (stage.cache.hits, len(stage.cache)) == (1, 2)


def test_a_smaller_input_limit_splits_more(tiny_marian_dir: Path):
    stage = make_stage(tiny_marian_dir, max_input_tokens=12)
    assert stage.max_input_tokens == 12
    (plan,) = stage.plan([dutch_doc("1", None, [LONG_SENTENCE.format(city="Zwolle", year=2023)])])
    assert len(plan.summary[0].pieces) > 1
    assert all(stage.translator.count_tokens(piece) <= 12 for piece in plan.pieces())


@pytest.mark.parametrize(
    ("tokenizer_limit", "config_limit", "expected"),
    [(64, 64, 64), (int(1e30), 512, 512), (512, None, 512), (1024, 512, 512), (None, None, 512)],
)
def test_the_model_limit_comes_from_the_smaller_sane_of_tokenizer_and_config(
    tokenizer_limit: int | None, config_limit: int | None, expected: int
):
    tokenizer = SimpleNamespace(model_max_length=tokenizer_limit)
    config = SimpleNamespace(max_position_embeddings=config_limit)
    assert model_input_limit(tokenizer, config) == expected


def test_the_stage_names_its_model_and_runs_on_the_requested_device(stage: TranslateStage, tiny_marian_dir: Path):
    assert stage.model_id == f"{tiny_marian_dir}@local"
    assert stage.translator.model_limit == 64, "the fixture's tokenizer and position table both say 64"
    assert stage.translator.device == "cpu"
    assert {parameter.device.type for parameter in stage.translator.backend.model.parameters()} == {"cpu"}


def test_building_a_stage_leaves_the_process_threads_alone(tiny_marian_dir: Path):
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(before + 1)
        make_stage(tiny_marian_dir)
        assert torch.get_num_threads() == before + 1
    finally:
        torch.set_num_threads(before)


def test_threads_are_the_ctranslate2_translator_s_and_an_error_for_torch():
    assert TranslateSettings(backend="ctranslate2", threads=2).threads == 2
    with pytest.raises(ConfigError, match="nlnews run --threads"):
        load_config("offline", {"translate.threads": 2})


def test_a_model_already_in_memory_is_used_as_it_is_given(tiny_marian_dir: Path):
    """As ``transformers.pipeline(model=...)`` takes a loaded model: the hub model the settings name is never loaded."""
    from transformers import AutoTokenizer, MarianMTModel

    tokenizer = AutoTokenizer.from_pretrained(tiny_marian_dir)
    model = MarianMTModel.from_pretrained(tiny_marian_dir).eval()
    backend = TransformersBackend(tokenizer, model, "cpu", num_beams=1, min_new_tokens=None)
    limit = model_input_limit(tokenizer, model.config)
    translator = Translator(tokenizer, backend, limit, model_id="tiny-marian@in-memory", max_new_tokens=8)
    stage = TranslateStage(TranslateSettings(), StageContext(offline=True), translator=translator)
    doc = dutch_doc("1", "Nieuw loket", ["De gemeente opent een loket.", "Het loket is elke dag open."])
    stage([doc])
    assert doc.status["translate"] == "ok"
    assert doc.title_en and len(doc.summary_en) == 2
    assert stage.model_id == "tiny-marian@in-memory" and stage.translator.backend.model is model


def test_a_missing_model_directory_is_unavailable():
    with pytest.raises(ModelUnavailable, match="translate"):
        TranslateStage(TranslateSettings(model="/nonexistent/dir"), StageContext(device="cpu"))


def test_an_uncached_hub_model_is_unavailable_offline_without_trying_the_network(monkeypatch):
    def no_connection(sock: socket.socket, address: object) -> None:
        raise AssertionError(f"offline, yet a connection to {address} was tried")

    monkeypatch.setattr(socket.socket, "connect", no_connection)
    with pytest.raises(ModelUnavailable, match="offline"):
        TranslateStage(TranslateSettings(model="nlnews-tests/opus-mt-xx-en"), StageContext(offline=True, device="cpu"))
