"""DetectStage: language and confidence per article, reproducible and on a bounded sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.detector import Detector

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.detect import DetectSettings, DetectStage

SEED_PAGE = Path("/work/shared/seed/ind_loketten.txt")

DUTCH = (
    "De gemeente Groningen trekt volgend jaar twaalf miljoen euro extra uit voor het onderhoud "
    "van bruggen en kademuren. Volgens de wethouder zijn veel constructies in de binnenstad ouder "
    "dan honderd jaar en is uitstel niet langer verantwoord."
)
ENGLISH = (
    "The city of Groningen will spend twelve million euros more next year on the maintenance of "
    "bridges and quay walls. According to the alderman, many structures in the city centre are "
    "more than a hundred years old."
)
GERMAN = (
    "Die Stadt Groningen gibt im kommenden Jahr zwölf Millionen Euro zusätzlich für die Instandhaltung "
    "von Brücken und Kaimauern aus. Viele Bauwerke in der Innenstadt sind älter als hundert Jahre."
)
FRENCH = (
    "La ville de Groningue consacrera l'année prochaine douze millions d'euros supplémentaires à "
    "l'entretien des ponts et des quais. Selon l'échevin, de nombreux ouvrages ont plus de cent ans."
)
#: Short and mixed: unseeded langdetect answers pt, en or nl from run to run.
AMBIGUOUS = "Team Jumbo-Visma wint de Tour de France"


@pytest.fixture(scope="module")
def stage() -> DetectStage:
    return DetectStage(DetectSettings(), StageContext())


def detect(stage: DetectStage, text: str, title: str | None = None) -> Result:
    return stage([Result(id="a", text=text, title=title)])[0]


@pytest.mark.parametrize(
    ("text", "language"),
    [(DUTCH, "nl"), (ENGLISH, "en"), (GERMAN, "de"), (FRENCH, "fr")],
    ids=["dutch", "english", "german", "french"],
)
def test_news_paragraph_gets_its_iso_639_1_code_and_a_high_score(stage: DetectStage, text: str, language: str) -> None:
    doc = detect(stage, text)
    assert doc.language == language
    assert 0.9 <= doc.language_score <= 1.0
    assert doc.language_score == round(doc.language_score, 4)
    assert doc.status["detect"] == "ok"


def test_chinese_profiles_are_reported_as_plain_zh(stage: DetectStage) -> None:
    doc = detect(stage, "阿姆斯特丹市政府明年将拨出额外资金用于维修运河沿岸的桥梁和码头墙。")
    assert doc.language == "zh"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("GEMEENTE GRONINGEN VERHOOGT DE TOERISTENBELASTING FORS", "nl"),
        ("THE CITY OF GRONINGEN RAISES ITS TOURIST TAX SHARPLY", "en"),
    ],
)
def test_text_in_capitals_is_detected_like_ordinary_text(stage: DetectStage, text: str, language: str) -> None:
    assert detect(stage, text).language == language


def test_script_without_a_profile_gets_und(stage: DetectStage) -> None:
    doc = detect(stage, "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵣⴰⴽⵉⵏ ⵉⵏⵓⵔⵣⵓⵖ ⵜⴰⵎⴰⵣⵉⵖⵜ ⴰⵎⴰⵣⵉⵖ")
    assert (doc.language, doc.language_score) == ("und", None)
    assert doc.status["detect"] == "skipped: no known letter sequences in text"


def test_title_only_headline_is_too_short_to_tell(stage: DetectStage) -> None:
    doc = detect(stage, "Nieuwe brug open")
    assert (doc.language, doc.language_score) == ("und", None)
    assert doc.status["detect"] == "skipped: text too short (16 characters)"


def test_title_adds_evidence_to_a_short_text(stage: DetectStage) -> None:
    doc = detect(stage, "Het college wil meer geld.", title="Gemeente Groningen verhoogt de toeristenbelasting fors")
    assert doc.language == "nl"
    assert doc.status["detect"] == "ok"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "skipped: empty text"),
        ("  \n\t \n", "skipped: empty text"),
        ("2023 2024 12.345 67.890 3-1 (4) 55% 0,75", "skipped: mostly non-letters (0 letters in 33 characters)"),
        (
            "€ 1.250.000,- / 2023 / 14:30 / 12% / 3-1 / Ajax",
            "skipped: mostly non-letters (4 letters in 36 characters)",
        ),
    ],
    ids=["empty", "whitespace", "digits-only", "numbers-table"],
)
def test_text_without_language_gets_und_and_no_score(stage: DetectStage, text: str, status: str) -> None:
    doc = detect(stage, text)
    assert (doc.language, doc.language_score) == ("und", None)
    assert doc.status["detect"] == status


def test_same_text_gives_the_same_answer_every_time(stage: DetectStage) -> None:
    answers = {(doc.language, doc.language_score) for doc in (detect(stage, AMBIGUOUS) for _ in range(20))}
    assert len(answers) == 1


def test_answer_does_not_depend_on_the_order_of_the_batch(stage: DetectStage) -> None:
    texts = [AMBIGUOUS, DUTCH, "Premier bezoekt Washington en Ottawa", ENGLISH, GERMAN, FRENCH]
    forward = stage([Result(id=str(i), text=text) for i, text in enumerate(texts)])
    backward = stage([Result(id=str(i), text=text) for i, text in reversed(list(enumerate(texts)))])
    assert {d.id: (d.language, d.language_score) for d in forward} == {
        d.id: (d.language, d.language_score) for d in backward
    }


def test_a_fresh_stage_with_the_same_seed_agrees(stage: DetectStage) -> None:
    other = DetectStage(DetectSettings(seed=0), StageContext())
    assert detect(other, AMBIGUOUS).language_score == detect(stage, AMBIGUOUS).language_score


def test_global_langdetect_seed_is_left_alone() -> None:
    before = DetectorFactory.seed
    detect(DetectStage(DetectSettings(seed=1234), StageContext()), DUTCH)
    assert DetectorFactory.seed == before


@pytest.mark.parametrize("sample_chars", [5000, 300])
def test_long_text_is_detected_on_a_sample_of_at_most_sample_chars(
    monkeypatch: pytest.MonkeyPatch, sample_chars: int
) -> None:
    appended: list[str] = []
    original = Detector.append

    def recording_append(self: Detector, text: str) -> None:
        appended.append(text)
        original(self, text)

    monkeypatch.setattr(Detector, "append", recording_append)
    huge = "\n\n".join([DUTCH] * 25_000)
    assert len(huge) > 5_000_000
    stage = DetectStage(DetectSettings(sample_chars=sample_chars), StageContext())
    doc = stage([Result(id="huge", text=huge, title="Groningen investeert in bruggen")])[0]
    assert doc.language == "nl"
    assert len(appended) == 1
    assert len(appended[0]) <= sample_chars
    assert appended[0].startswith("Groningen investeert in bruggen\nDe gemeente Groningen")


def test_sample_cuts_at_a_word_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    appended: list[str] = []
    original = Detector.append
    monkeypatch.setattr(Detector, "append", lambda self, text: (appended.append(text), original(self, text))[1])
    stage = DetectStage(DetectSettings(sample_chars=100), StageContext())
    stage([Result(id="a", text=DUTCH)])
    assert DUTCH.startswith(appended[0])
    assert DUTCH[len(appended[0])] == " "


def test_model_id_names_langdetect_and_its_version(stage: DetectStage) -> None:
    name, _, version = stage.model_id.partition("@")
    assert name == "langdetect"
    assert version[0].isdigit()


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="shared seed page not present")
def test_scraped_dutch_news_page_is_dutch(stage: DetectStage) -> None:
    doc = detect(stage, SEED_PAGE.read_text(encoding="utf-8"))
    assert doc.language == "nl"
    assert doc.language_score > 0.9
