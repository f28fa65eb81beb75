"""DetectStage: language, calibrated score and per-paragraph languages; right on short and neighbouring text."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from langdetect import DetectorFactory
from py3langid import langid
from pydantic import ValidationError

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.detect import DetectSettings, DetectStage, _letters_and_capitals, _sample_text, language
from pipeline.stages.detect.language import (
    DutchLexicon,
    LanguageIdentifier,
    build_backend,
    marker_counts,
    normalize_language,
)

DEV_SET = Path(__file__).parents[1] / "bench" / "data" / "language_dev.tsv"

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
AFRIKAANS = (
    "Die stad Kaapstad gaan volgende jaar ekstra geld aan die herstel van brûe bestee. Volgens die "
    "raadslid is baie van die strukture ouer as honderd jaar en kan dit nie langer uitgestel word nie."
)
FRISIAN = (
    "De gemeente Ljouwert wol takom jier mear jild útjaan oan it ûnderhâld fan brêgen. Neffens de "
    "wethâlder binne in protte brêgen âlder as hûndert jier en kin it net langer wachtsje."
)
QUOTE = '"We will not comment on an ongoing investigation by the prosecution service," the embassy said.'
#: Short and mixed: unseeded langdetect answers pt, en or nl from run to run.
AMBIGUOUS = "Team Jumbo-Visma wint de Tour de France"


@pytest.fixture(scope="module")
def stage() -> DetectStage:
    return DetectStage(DetectSettings(), StageContext())


def detect(stage: DetectStage, text: str, title: str | None = None, declared: str | None = None) -> Result:
    return stage([Result(id="a", text=text, title=title, declared_language=declared)])[0]


@pytest.mark.parametrize(
    ("text", "language"),
    [(DUTCH, "nl"), (ENGLISH, "en"), (GERMAN, "de"), (FRENCH, "fr"), (AFRIKAANS, "af"), (FRISIAN, "fy")],
    ids=["dutch", "english", "german", "french", "afrikaans", "frisian"],
)
def test_news_paragraph_gets_its_iso_639_1_code_and_a_high_score(stage: DetectStage, text: str, language: str) -> None:
    doc = detect(stage, text)
    assert doc.language == language
    assert 0.9 <= doc.language_score <= 1.0
    assert doc.language_score == round(doc.language_score, 4)
    assert doc.status["detect"] == "ok"
    assert doc.paragraph_languages is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nieuwe brug open", "nl"),
        ("het kabinet", "nl"),
        ("ziekenhuis", "nl"),
        ("Het schepencollege van Leuven keurt de nieuwe mobiliteitsplannen goed.", "nl"),
        ("Wy hawwe it der oer hân", "fy"),
        ("Ons het gister daaroor gepraat", "af"),
        ("the government", "en"),
        ("neuer Bürgermeister", "de"),
    ],
)
def test_headlines_and_word_pairs_are_told_apart_from_neighbouring_languages(
    stage: DetectStage, text: str, language: str
) -> None:
    assert detect(stage, text).language == language


def test_chinese_is_reported_as_plain_zh(stage: DetectStage) -> None:
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


def test_script_no_detector_knows_gets_und(stage: DetectStage) -> None:
    doc = detect(stage, "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵣⴰⴽⵉⵏ ⵉⵏⵓⵔⵣⵓⵖ ⵜⴰⵎⴰⵣⵉⵖⵜ ⴰⵎⴰⵣⵉⵖ")
    assert (doc.language, doc.language_score) == ("und", None)
    assert doc.status["detect"] == "skipped: no detector knows the Tifinagh script"


def test_title_adds_evidence_to_a_short_text(stage: DetectStage) -> None:
    doc = detect(stage, "Het college wil meer geld.", title="Gemeente Groningen verhoogt de toeristenbelasting fors")
    assert doc.language == "nl"
    assert doc.status["detect"] == "ok"


def test_declared_language_decides_a_snippet_two_languages_share(stage: DetectStage) -> None:
    assert detect(stage, "de gemeente", declared="fy").language == "fy"
    assert detect(stage, "de gemeente", declared="nl").language == "nl"
    assert detect(stage, "de gemeente", declared="nl-NL").language_score > detect(stage, "de gemeente").language_score


def test_declared_language_does_not_override_a_paragraph_in_another_language(stage: DetectStage) -> None:
    assert detect(stage, ENGLISH, declared="nl").language == "en"


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
        ("a", "skipped: text too short (1 characters)"),
    ],
    ids=["empty", "whitespace", "digits-only", "numbers-table", "one-letter"],
)
def test_text_without_language_gets_und_and_no_score(stage: DetectStage, text: str, status: str) -> None:
    doc = detect(stage, text)
    assert (doc.language, doc.language_score) == ("und", None)
    assert doc.status["detect"] == status


def test_dutch_article_with_an_english_quote_stays_dutch_and_marks_the_quote(stage: DetectStage) -> None:
    text = f"{DUTCH}\n\n{QUOTE}\n\n{DUTCH}"
    doc = detect(stage, text)
    assert doc.language == "nl"
    assert doc.status["detect"].startswith("ok: mixed languages (nl ")
    runs = doc.paragraph_languages
    assert [run["language"] for run in runs] == ["nl", "en", "nl"]
    quote = runs[1]
    assert text[quote["start"] : quote["end"]] == QUOTE
    assert all(0.0 <= run["score"] <= 1.0 for run in runs)


def test_article_mostly_in_english_is_routed_as_english(stage: DetectStage) -> None:
    doc = detect(stage, f"{DUTCH}\n\n{ENGLISH}\n\n{ENGLISH}\n\n{QUOTE}")
    assert doc.language == "en"
    assert [run["language"] for run in doc.paragraph_languages] == ["nl", "en"]


def test_paragraph_runs_cover_the_text_and_short_lines_join_their_neighbours(stage: DetectStage) -> None:
    text = f"Door onze verslaggever\n{ENGLISH}\nAmsterdam\n\n{DUTCH}\nReactie:"
    doc = detect(stage, text)
    runs = doc.paragraph_languages
    assert [run["language"] for run in runs] == ["en", "nl"]
    assert runs[0]["start"] == 0
    assert runs[-1]["end"] == len(text)
    assert runs[0]["end"] < runs[1]["start"]


def test_single_language_article_of_many_paragraphs_has_no_paragraph_languages(stage: DetectStage) -> None:
    doc = detect(stage, "\n\n".join([DUTCH, "Dat meldt de gemeente.", DUTCH]))
    assert (doc.language, doc.paragraph_languages, doc.status["detect"]) == ("nl", None, "ok")


@pytest.mark.parametrize("neighbour", [FRISIAN, AFRIKAANS, GERMAN, ENGLISH])
def test_a_paragraph_in_a_neighbouring_language_is_not_waved_through_as_dutch(
    stage: DetectStage, neighbour: str
) -> None:
    doc = detect(stage, f"{DUTCH}\n\n{DUTCH}\n\n{neighbour}\n\n{DUTCH}")
    whole = DetectStage(DetectSettings(confirm_probability=1.0), StageContext())
    expected = detect(whole, f"{DUTCH}\n\n{DUTCH}\n\n{neighbour}\n\n{DUTCH}").paragraph_languages
    assert [run["language"] for run in doc.paragraph_languages] == ["nl", detect(stage, neighbour).language, "nl"]
    assert [(run["start"], run["end"], run["language"]) for run in doc.paragraph_languages] == [
        (run["start"], run["end"], run["language"]) for run in expected
    ]


def test_paragraphs_confirmed_in_the_language_before_them_skip_the_whole_decision(
    monkeypatch: pytest.MonkeyPatch, stage: DetectStage
) -> None:
    decided: list[str] = []
    original = stage.identifier.identify
    monkeypatch.setattr(
        stage.identifier, "identify", lambda text, declared=None: (decided.append(text), original(text, declared))[1]
    )
    doc = detect(stage, f"{DUTCH}\n\n{DUTCH}\n\n{QUOTE}\n\n{DUTCH}\n\n{DUTCH}")
    assert [run["language"] for run in doc.paragraph_languages] == ["nl", "en", "nl"]
    assert len(decided) == 3  # the first paragraph, the quote, and the first Dutch paragraph after it


def test_paragraph_detection_can_be_switched_off() -> None:
    stage = DetectStage(DetectSettings(paragraphs=False), StageContext())
    doc = stage([Result(id="a", text=f"{DUTCH}\n\n{QUOTE}")])[0]
    assert (doc.language, doc.paragraph_languages) == ("nl", None)


def test_same_text_gives_the_same_answer_every_time(stage: DetectStage) -> None:
    answers = {(doc.language, doc.language_score) for doc in (detect(stage, AMBIGUOUS) for _ in range(20))}
    assert len(answers) == 1


def test_answer_does_not_depend_on_the_order_of_the_batch(stage: DetectStage) -> None:
    texts = [AMBIGUOUS, DUTCH, "Premier bezoekt Washington en Ottawa", ENGLISH, GERMAN, FRENCH, FRISIAN]
    forward = stage([Result(id=str(i), text=text) for i, text in enumerate(texts)])
    backward = stage([Result(id=str(i), text=text) for i, text in reversed(list(enumerate(texts)))])
    assert {d.id: (d.language, d.language_score) for d in forward} == {
        d.id: (d.language, d.language_score) for d in backward
    }


@pytest.mark.parametrize("backend", ["py3langid+lingua", "py3langid", "lingua", "langdetect"])
def test_every_backend_detects_dutch_and_names_itself_in_model_id(backend: str) -> None:
    stage = DetectStage(DetectSettings(backend=backend), StageContext())
    doc = stage([Result(id="a", text=DUTCH)])[0]
    assert doc.language == "nl"
    for library in backend.split("+"):
        assert library in stage.model_id


def test_unknown_backend_is_a_settings_error() -> None:
    with pytest.raises(ValidationError, match="py3langid"):
        DetectSettings(backend="cld3")


def test_seeded_langdetect_backend_is_reproducible_and_leaves_the_global_seed_alone() -> None:
    before = DetectorFactory.seed
    first = DetectStage(DetectSettings(backend="langdetect", seed=1234), StageContext())
    second = DetectStage(DetectSettings(backend="langdetect", seed=1234), StageContext())
    assert detect(first, AMBIGUOUS).language_score == detect(second, AMBIGUOUS).language_score
    assert DetectorFactory.seed == before


def test_long_text_is_read_in_bounded_samples(monkeypatch: pytest.MonkeyPatch, stage: DetectStage) -> None:
    read: list[str] = []
    original = stage.identifier.identify
    monkeypatch.setattr(
        stage.identifier, "identify", lambda text, declared=None: (read.append(text), original(text, declared))[1]
    )
    huge = "\n\n".join([DUTCH] * 25_000)
    assert len(huge) > 5_000_000
    doc = stage([Result(id="huge", text=huge, title="Groningen investeert in bruggen")])[0]
    assert doc.language == "nl"
    assert doc.status["detect"] == "ok: 25000 paragraphs, judged on the leading sample only"
    assert len(read) == 1
    assert len(read[0]) <= stage.settings.sample_chars
    assert read[0].startswith("Groningen investeert in bruggen\nDe gemeente Groningen")


def test_each_paragraph_is_read_up_to_paragraph_chars(monkeypatch: pytest.MonkeyPatch) -> None:
    stage = DetectStage(DetectSettings(paragraph_chars=100), StageContext())
    read: list[str] = []
    original = stage.identifier.identify
    monkeypatch.setattr(
        stage.identifier, "identify", lambda text, declared=None: (read.append(text), original(text, declared))[1]
    )
    stage([Result(id="a", text=f"{DUTCH}\n\n{ENGLISH}")])
    assert [len(text) for text in read] == [100, 100]


@pytest.mark.parametrize(
    ("word", "dutch"),
    [
        ("ziekenhuis", True),
        ("stikstofplan", True),  # stikstof + plan: a compound no dictionary lists
        ("verkeersongeval", True),  # verkeer + s + ongeval
        ("ierdbeving", False),  # Frisian
        ("wetterskip", False),  # Frisian
        ("werkloosheidsyfer", False),  # Afrikaans: werkloosheid + syfer, and syfer is not Dutch
    ],
)
def test_dutch_word_list_knows_compounds_of_dutch_words(word: str, dutch: bool) -> None:
    assert DutchLexicon().is_dutch(word) is dutch


def test_markers_name_frisian_and_afrikaans_function_words() -> None:
    assert marker_counts("Wy hawwe it der oer hân")["fy"] >= 3
    assert marker_counts("Hulle sê dit is nie waar nie")["af"] >= 4
    assert marker_counts("Het is niet waar, zegt hij.")["nl"] >= 3


@pytest.mark.parametrize(
    "text",
    [
        "wij zijn thuis, whisky's, light; the show's what we'll see",
        "dis 'n baie môre, sê jy, ek wêreld rûe",
        "hja tsjerke, ús, wâld, iis, buorren, sjen",
        "straße, grüße, öl, ändern, regierung",
        "l'été, qu'il, j'ai, à ça, où, déjà, lorsqu'elle",
    ],
)
def test_marker_patterns_find_what_their_plain_alternation_finds(text: str) -> None:
    """The start look-ahead only skips positions: every match, its place and its language stay the same."""
    plain = re.compile(language._MARKER_ALTERNATION)
    assert [(m.span(), m.lastgroup) for m in language._MARKER_PATTERN.finditer(text)] == [
        (m.span(), m.lastgroup) for m in plain.finditer(text)
    ]
    assert any(m.lastgroup for m in plain.finditer(text))


@pytest.mark.parametrize(
    "text",
    [
        "wij zijn thuis, whisky light, the show what we see; bijii, shij, iij",
        "hja tsjerke, ús, wâld, iis, buorren, sjen, hjir, dúnsje, ahj, asj",
        "straße, grüße, öl, ändern, regierung, ung, jung, zeitung",
        "à ça, où, déjà, noël, côte",
    ],
)
def test_markers_of_a_text_without_apostrophes_are_those_of_the_whole_pattern(text: str) -> None:
    """Without an apostrophe, ê or û the plain markers find every match the whole pattern finds, in its language."""
    assert not any(mark in text for mark in language._APOSTROPHE_OR_HAT)
    whole = [(m.group(), m.lastgroup) for m in language._MARKER_PATTERN.finditer(text)]
    plain = language._PLAIN_MARKER_PATTERN.findall(text)
    assert whole == [(marker, language._PLAIN_MARKERS[marker]) for marker in plain]
    assert sum(marker_counts(text).values()) >= len(whole)


@pytest.mark.parametrize("gap", [" ", "  ", " \t ", "          "])
def test_a_long_paragraph_is_sampled_from_its_collapsed_start(gap: str) -> None:
    """A start of a long paragraph is collapsed, or the whole where runs of whitespace leave too little of it."""
    paragraph = gap.join(DUTCH.split() * 40)
    collapsed = " ".join(paragraph.split())
    sample = _sample_text("Kademuren", f"{paragraph}\n{DUTCH}", 300)
    head = collapsed[: 300 - len("Kademuren") - 1]
    assert sample == "Kademuren\n" + head.rsplit(" ", 1)[0]


@pytest.mark.parametrize(("code", "iso"), [("NL", "nl"), ("nl-BE", "nl"), ("nld", "nl"), ("fry", "fy"), ("  ", None)])
def test_declared_language_codes_are_normalised(code: str, iso: str | None) -> None:
    assert normalize_language(code) == iso


def test_probabilities_of_an_identification_are_a_calibrated_distribution() -> None:
    found = LanguageIdentifier(build_backend("py3langid")).identify("het kabinet")
    assert found.score == max(found.probabilities.values())
    assert sum(found.probabilities.values()) <= 1.0 + 1e-9


@pytest.mark.skipif(not DEV_SET.exists(), reason="labelled development set not present")
def test_dutch_precision_and_recall_on_the_labelled_dev_set(stage: DetectStage) -> None:
    with DEV_SET.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    docs = stage([Result(id=str(i), text=row["text"]) for i, row in enumerate(rows)])
    said = [doc.language == "nl" for doc in docs]
    truly = [row["language"] == "nl" for row in rows]
    hits = sum(s and t for s, t in zip(said, truly))
    assert hits / sum(said) >= 0.97
    assert hits / sum(truly) >= 0.97


def test_scraped_dutch_news_page_is_dutch(stage: DetectStage, seed_page: str) -> None:
    doc = detect(stage, seed_page)
    assert doc.language == "nl"
    assert doc.language_score > 0.9


def test_py3langid_from_the_disk_cache_scores_as_the_wheels_model(tmp_path, monkeypatch):
    """The cached arrays are the wheel's, restricted to the same languages: every ranking is the same."""
    monkeypatch.setenv("NLNEWS_CACHE_DIR", str(tmp_path))
    wheel = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    wheel.set_languages([code for code in language.PY3LANGID_LANGUAGES if code in wheel.labels])
    wheel.nb_ptc = np.ascontiguousarray(wheel.nb_ptc, dtype=np.float32)
    language._py3langid_model.cache_clear()
    built = language.Py3langidBackend()._identifier
    language._py3langid_model.cache_clear()
    cached = language.Py3langidBackend()._identifier
    assert len(list(tmp_path.glob("py3langid-*.pickle"))) == 1
    texts = ["Het kabinet valt over stikstof.", "The cabinet falls.", "Dit is ’n toets", "It wetterskip docht it"]
    for identifier in (built, cached):
        assert [identifier.rank(text) for text in texts] == [wheel.rank(text) for text in texts]
        assert identifier.nb_classes == wheel.nb_classes


#: Invented texts of every kind the backend meets: Dutch and its neighbours, shouted, a score line, nothing at
#: all, other scripts, curly quotes, and one longer than any chunk the automaton is cut into.
SCORED_TEXTS = [
    DUTCH,
    ENGLISH,
    FRISIAN,
    AFRIKAANS,
    "Het kabinet valt over stikstof.",
    "DE RAAD STEMT IN MET HET PLAN",
    "1-0 (23') 2-1",
    "",
    "a",
    "Москва и Киев сегодня",
    "東京で会議が開かれた",
    "Zo’n ‘feest’ — één keer per jaar",
    "😀 ✓ ★",
    " ".join([DUTCH, ENGLISH, GERMAN] * 4),
]


def py3langid_answers(identifier, text: str) -> tuple[tuple[str | None, float], dict[str, float]]:
    """What py3langid's own ``classify`` and ``rank`` make of ``text``, as the backend reports it."""
    label, probability = identifier.classify(text)
    ranked = identifier.rank(text)
    top = (
        {}
        if ranked[0][1] - ranked[-1][1] < 1e-9
        else {normalize_language(code): language._log(p) for code, p in ranked[:10]}
    )
    return (normalize_language(label), probability), top


def test_py3langid_backend_scores_as_py3langid_to_the_bit_alone_and_in_a_batch() -> None:
    """Its own reading of py3langid's automaton, one text or a batch at once, gives py3langid's own numbers."""
    backend = language.Py3langidBackend()
    expected = [py3langid_answers(backend._identifier, text) for text in SCORED_TEXTS]
    alone = [(backend.best(text), backend.log_probs(text)) for text in SCORED_TEXTS]
    backend.prepare([*SCORED_TEXTS, SCORED_TEXTS[0]])
    batched = [(backend.best(text), backend.log_probs(text)) for text in SCORED_TEXTS]
    assert alone == expected
    assert batched == expected


def test_py3langid_backend_in_a_batch_of_many_mixed_sentences(monkeypatch) -> None:
    """Many texts of any length, joined and walked in chunks together (in groups), each still read as if alone."""
    monkeypatch.setattr(language, "SCORED_TOGETHER", 16)
    rng = np.random.default_rng(7)
    words = f"{DUTCH} {ENGLISH} {GERMAN} {FRENCH} {FRISIAN} Zo’n één café 1-0".split()
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 60))) for _ in range(80)]
    backend = language.Py3langidBackend()
    backend.prepare(texts)
    assert [(backend.best(text), backend.log_probs(text)) for text in texts] == [
        py3langid_answers(backend._identifier, text) for text in texts
    ]


#: Invented results in the style of a Flemish sports page: riders and players of many countries, with
#: Dutch country abbreviations, times, scores and ranks, and a Dutch word here and there.
STAGE_RESULT = (
    "Uitslag van de vierde rit, Gent - Doornik (176 km):\n"
    "1. Bram Stevens (Bel / Lotto) 4u12:05 (gem.: 41,8 km / u)\n"
    "2. Luca Moretti (Ita / Lampre) z.t.\n"
    "3. Hans Keller (Zwi / Saeco) z.t.\n"
    "4. Diego Navarro (Spa / Banesto) 0:12\n"
    "5. Paul Girard (Fra / Cofidis) 0:45\n"
    "6. Sven Nyberg (Zwe / Telekom) 1:03\n"
    "Algemeen klassement:\n"
    "1. Luca Moretti (Ita / Lampre) 18u31:44\n"
    "2. Bram Stevens (Bel / Lotto) op 0:04\n"
    "3. Jurgen Rijkaert (Ned / Rabobank) op 0:31"
)
TENNIS_DRAW = (
    "Mannen enkelspel, tweede ronde:\n"
    "Ricardo Lopes (Por / 4) - Kurt Maier (Oos) 6 - 3 7 - 6 (7 - 4) 6 - 2 -- Jack Miller (VS) - "
    "Tim Baker (Aus) 7 - 5 6 - 4 6 - 4 -- Oscar Lindqvist (Zwe) - Pavel Dvorak (Tsj) 3 - 6 6 - 3 6 - 1 6 - 4\n"
    "Vrouwen enkelspel, eerste ronde:\n"
    "Emma Larsson (Zwe) - Lien Peeters 6 - 4 6 - 2 -- Sara Novak (Slo / 12) - Julia Weber (Dui) "
    "3 - 6 6 - 1 6 - 4 -- Anna Kowalska (Pol) - Marie Dubois (Fra) 6 - 0 6 - 1"
)
#: A winners list with not one word of prose: no language can honestly be named.
WINNERS = (
    "2001: Pieter Vermeulen (Bel)\n2002: Lukas Brenner (Dui)\n2003: Tomas Havlik (Tsj)\n"
    "2004: Jan de Wit (Ned)\n2005: Marco Ferri (Ita)\n2006: Diego Navarro (Spa)"
)
FRENCH_RESULT = (
    "Classement de la quatrième étape, disputée sous la pluie entre Gand et Tournai :\n"
    '1. Bram Stevens (Bel) en 4h12\'05"\n2. Luca Moretti (Ita) à 2"\n3. Hans Keller (Sui) m.t.\n'
    "Le maillot jaune reste sur les épaules de Luca Moretti, qui a terminé dans le peloton."
)


@pytest.mark.parametrize("results", [STAGE_RESULT, TENNIS_DRAW], ids=["stage result", "tennis draw"])
def test_a_dutch_results_list_is_dutch_whatever_its_names(stage: DetectStage, results: str) -> None:
    doc = detect(stage, results)
    assert (doc.language, doc.paragraph_languages) == ("nl", None)
    assert doc.status["detect"].startswith("ok")


def test_a_list_with_only_a_few_words_between_its_names_says_what_it_was_judged_on(stage: DetectStage) -> None:
    doc = detect(stage, TENNIS_DRAW)
    assert doc.status["detect"] == "ok: no prose; judged on 6 words between names"
    fewer = detect(stage, TENNIS_DRAW.replace(" enkelspel", ""))
    assert (fewer.language, fewer.status["detect"]) == ("und", "skipped: no prose: 4 words between names")


def test_a_list_without_a_word_of_prose_is_undetermined_not_given_a_confident_language(stage: DetectStage) -> None:
    doc = detect(stage, WINNERS)
    assert (doc.language, doc.language_score) == ("und", None)
    assert doc.status["detect"] == "skipped: no prose: names, numbers and scores only"


@pytest.mark.parametrize("results", [STAGE_RESULT, TENNIS_DRAW], ids=["stage result", "tennis draw"])
def test_a_results_table_under_an_article_leaves_the_article_its_language(stage: DetectStage, results: str) -> None:
    doc = detect(stage, f"{DUTCH}\n{results}")
    assert (doc.language, doc.paragraph_languages) == ("nl", None)
    assert doc.status["detect"] == "ok"


def test_lists_reach_the_entities_stage_whole() -> None:
    from pipeline import Pipeline

    pipe = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "entities"]})
    for text in (WINNERS, STAGE_RESULT, TENNIS_DRAW):
        result = pipe(text)
        assert result.status["entities"] == "ok"
        assert "\n".join(part for part in (result.title, result.text) if part) == text


def test_a_french_results_list_is_still_french(stage: DetectStage) -> None:
    assert detect(stage, FRENCH_RESULT).language == "fr"


@pytest.mark.parametrize(("text", "language"), [(FRISIAN, "fy"), (FRENCH, "fr"), (GERMAN, "de")])
def test_real_prose_in_a_neighbouring_language_is_still_detected_paragraph_by_paragraph(
    stage: DetectStage, text: str, language: str
) -> None:
    sentences = text.split(". ")
    doc = detect(stage, ".\n".join(sentences))
    assert doc.language == language
    mixed = detect(stage, f"{DUTCH}\n{text}\n{DUTCH.replace('Groningen', 'Zwolle')}")
    assert [run["language"] for run in mixed.paragraph_languages] == ["nl", language, "nl"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Col de la Croix 1.850 m 14,2 km 6%", ()),
        ("3 doelpunten: Pereira (Por), K. de Vries (Ned)", ("doelpunten",)),
        ("Tweede ronde: Miller (VS) - Lopes (Por) 6 - 2", ("ronde",)),
        ("Ajax en PSV spelen gelijk", ("en", "spelen", "gelijk")),
        ("Alex Z\ufffdle (Zwi) -- 3.", ()),
        ("Personne n'a été blessé dans l'incendie", ("été", "blessé", "dans", "incendie")),
    ],
)
def test_prose_words_leave_out_names_their_particles_units_and_broken_words(text: str, words: tuple[str, ...]) -> None:
    assert language.ProseEvidence.of(text).words == words


@pytest.mark.parametrize(
    "text",
    [
        "Col de la Croix 1.850 m 14,2 km 6%",
        "F. de Boer en K. van der Berg winnen de rit van de dag",
        "Wethouder De Vries van de gemeente zegt dat het plan in de la ligt",
        "Jansen (Ned) 3u12:40, De Jong (Bel) op 12 s, Van der Poel (Ned) op 1 min",
        "",
    ],
)
@pytest.mark.parametrize(("least_words", "least_share"), [(3, 0.3), (5, 0.0), (0, 0.6), (2, 1.0)])
def test_whether_a_text_is_poor_in_prose_is_what_its_prose_words_say(
    text: str, least_words: int, least_share: float
) -> None:
    """The count that settles most texts without placing their particles agrees with the words themselves."""
    evidence = language.ProseEvidence.of(text)
    expected = evidence.is_poor(least_words, least_share)
    assert language.ProseEvidence.text_is_poor(text, least_words, least_share) is expected


def test_a_batch_of_documents_is_detected_as_each_document_alone(stage: DetectStage) -> None:
    """Scoring a batch's texts together changes nothing: language, score, paragraph runs and status per document."""
    texts = [
        f"{DUTCH}\n\n{QUOTE}\n\n{DUTCH}",
        f"Door onze verslaggever\n{ENGLISH}\nAmsterdam\n\n{DUTCH}\nReactie:",
        f"{DUTCH.upper()}\n\n{DUTCH}",
        AMBIGUOUS,
        STAGE_RESULT,
        "",
        "12 - 3 - 45",
        f"{FRISIAN}\n{AFRIKAANS}",
    ]

    def outcome(doc: Result) -> tuple:
        return doc.language, doc.language_score, doc.paragraph_languages, doc.status["detect"]

    together = stage([Result(id=str(index), text=text) for index, text in enumerate(texts)])
    assert [outcome(doc) for doc in together] == [outcome(detect(stage, text)) for text in texts]


@pytest.mark.parametrize(
    "text",
    [
        "De Raad van State adviseert het kabinet.",
        "ÉÉN ZEGE VOOR ÖZTÜRK IN ’s-HERTOGENBOSCH",
        "Ⅻ uur, ½ liter, ǅemal en Ⓐ: geen gewone letters",
        "",
        "1-0, 2-1 (3.45)",
    ],
)
def test_letters_and_capitals_count_as_the_string_methods(text: str) -> None:
    """The sample's letter and capital counts agree with ``str.isalpha`` and ``str.isupper`` per character."""
    assert _letters_and_capitals(text) == (sum(map(str.isalpha, text)), sum(map(str.isupper, text)))


@pytest.mark.parametrize(
    "text",
    ["de kat_zit op de mat, niet?", "één café in ’s-gravenhage heeft ½ taart", "ﬁets łódź σοφία ıi", ""],
)
def test_plain_words_are_the_runs_of_word_characters(text: str) -> None:
    from pipeline.stages.detect.language import _PLAIN_WORD, _plain_words

    assert _plain_words(text) == _PLAIN_WORD.findall(text)
