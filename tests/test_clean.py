"""CleanStage: normalised characters, scraped-page navigation removed, the headline as title."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.clean import CleanSettings, CleanStage, html_to_text, normalize_text, truncate
from pipeline.stages.clean.boilerplate import split_removed_blocks
from pipeline.stages.clean.repeats import MARK_RUN_KEPT, cap_repeats

#: A scraped news page in the usual shape: breadcrumbs ending in the headline, the headline
#: again as a heading, a body with a no-break space, curly quotes and a heading line,
#: then teasers of other articles and a "Meer nieuws" link.
SCRAPED_PAGE = (
    "  \u2022 Home\n"
    "  \u2022 Nieuws\n"
    "  \u2022 Gemeente Zwolle opent in 2025 een nieuw stadskantoor\n"
    "\n"
    "Gemeente Zwolle opent in 2025 een nieuw stadskantoor\n"
    "\n"
    "De gemeente Zwolle opent in het voorjaar van 2025\u00a0 een nieuw stadskantoor aan de Stationsweg.\n"
    "\n"
    "Volgens wethouder De Vries is het huidige gebouw \u201cte klein en te oud\u201d. Inwoners kunnen er "
    "straks ook \u2019s avonds terecht voor een paspoort of rijbewijs.\u00a0\n"
    "\n"
    "Meer balies\n"
    "Het nieuwe kantoor krijgt twaalf balies in plaats van acht. De bouw kost \u2013 na een eerdere "
    "tegenvaller \u2013 ruim 40 miljoen euro.\n"
    "\n"
    "\n"
    "Nieuws\n"
    "\n"
    "Begroting 2024 vastgesteld\n"
    "\n"
    "- De gemeenteraad heeft dinsdagavond de begroting voor 2024 vastgesteld. Daarin is extra geld voor...\n"
    "\n"
    "Nieuwe fietsbrug over de IJssel in 2023\n"
    "\n"
    "- De provincie en de gemeente hebben afspraken gemaakt over de bouw van een fietsbr\u2026\n"
    "\n"
    "Meer nieuws"
)
SCRAPED_TITLE = "Gemeente Zwolle opent in 2025 een nieuw stadskantoor"
SCRAPED_BODY = (
    "De gemeente Zwolle opent in het voorjaar van 2025 een nieuw stadskantoor aan de Stationsweg.\n"
    "\n"
    'Volgens wethouder De Vries is het huidige gebouw "te klein en te oud". Inwoners kunnen er '
    "straks ook 's avonds terecht voor een paspoort of rijbewijs.\n"
    "\n"
    "Meer balies\n"
    "Het nieuwe kantoor krijgt twaalf balies in plaats van acht. De bouw kost \u2013 na een eerdere "
    "tegenvaller \u2013 ruim 40 miljoen euro."
)

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Nieuws | Gemeente Deventer</title>
<style>p { color: red; }</style>
<script>var tracking = "volg elke bezoeker";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/nieuws">Nieuws</a></li></ul></nav>
<h1>Nieuwe bibliotheek in Deventer</h1>
<p>De bibliotheek van Deventer verhuist
   naar het oude postkantoor.&nbsp;De opening is in mei.</p>
<p>Het gebouw krijgt een caf&eacute; &amp; een leeszaal.<br>Toegang is gratis.</p>
<script>document.write("<p>reclame</p>")</script>
</body></html>"""

#: A body that must survive whole: an ellipsis mid-text and a list line starting with "- ".
BODY_WITH_LIST_AND_ELLIPSIS = (
    "De provincie Utrecht wil meer woningen bouwen... maar er is te weinig personeel.\n"
    "\n"
    "Gedeputeerde Jansen noemt drie oorzaken:\n"
    "- de stikstofregels vertragen vergunningen\n"
    "- bouwbedrijven vinden geen vakmensen\n"
    "\n"
    "De provincie komt in het voorjaar met een plan."
)

PARAGRAPH = (
    "De gemeenteraad van Arnhem sprak {n} uur lang over de plannen voor het stationsgebied. "
    "Volgens de oppositie zijn de kosten niet goed onderbouwd en ontbreekt een plan voor parkeren. "
    "Het college belooft voor de zomer een nieuwe berekening."
)


def long_article(words: int) -> str:
    """Distinct paragraphs until ``words`` words: long input without a headline on top."""
    paragraphs, count = [], 0
    while count < words:
        paragraph = PARAGRAPH.format(n=len(paragraphs) + 1)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def random_bytes_as_text(size: int) -> str:
    return random.Random(0).randbytes(size).decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def stage() -> CleanStage:
    return CleanStage(CleanSettings(), StageContext())


def clean(stage: CleanStage, text: str, title: str | None = None) -> Result:
    return stage([Result(id="a", text=text, title=title)])[0]


def test_stage_declares_its_contract() -> None:
    stage = CleanStage(CleanSettings(), StageContext())
    assert (stage.name, stage.requires) == ("clean", ("text", "title"))
    assert stage.assigns == ("text", "title", "dateline", "credits", "removed")
    assert stage.model_id is None


def test_scraped_page_keeps_title_and_body_and_drops_navigation(stage: CleanStage) -> None:
    doc = clean(stage, SCRAPED_PAGE)
    assert doc.title == SCRAPED_TITLE
    assert doc.text == SCRAPED_BODY
    assert doc.status["clean"] == "ok: removed 9 boilerplate lines"


def test_real_scraped_page_is_reduced_to_headline_and_article(stage: CleanStage, seed_page: str) -> None:
    doc = clean(stage, seed_page)
    assert doc.title == "IND sluit uiterlijk 2023 loketten in Utrecht, Rotterdam en Eindhoven"
    assert doc.text.startswith("De IND gaat uiterlijk in 2023 zijn loketten")
    lines = doc.text.split("\n")
    assert not any(line.startswith("\u2022") for line in lines)
    assert "Meer nieuws" not in doc.text
    assert "Einde project Brexit" not in doc.text
    assert "2021" not in doc.text
    assert "Geen afname" in lines
    assert "Dit heeft onder andere te maken" in doc.text
    assert "biometrie-techniek - de identiteit" in doc.text
    assert "\u00a0" not in doc.text
    assert doc.status["clean"].startswith("ok: removed ")


def test_normalization_fixes_characters_and_keeps_line_structure() -> None:
    raw = (
        "Cafe\u0301 \u201eDe Zon\u201d\u00a0heropent\r\n"
        "\tna  de  verbouwing\u200b van\u00adwege  \u2018groot\u2019 onderhoud \u2013 eindelijk.   \r\n"
        "\r\n\r\n\r\n"
        "  Tweede\u202falinea.\ufeff  "
    )
    assert normalize_text(raw) == (
        "Caf\u00e9 \"De Zon\" heropent\nna de verbouwing vanwege 'groot' onderhoud \u2013 eindelijk.\n\nTweede alinea."
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalization_is_idempotent_and_leaves_no_odd_whitespace(raw: str) -> None:
    text = normalize_text(raw)
    assert normalize_text(text) == text
    assert not any(char in text for char in "\u00a0\u200b\r\t\x00")
    assert "\n\n\n" not in text
    assert text == text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300), st.none() | st.text(max_size=30))
def test_any_input_gets_a_status_and_a_normalized_text(raw: str, title: str | None) -> None:
    doc = clean(CleanStage(CleanSettings(), StageContext()), raw, title)
    assert doc.status["clean"].startswith(("ok", "skipped: "))
    assert (doc.text == "") == doc.status["clean"].startswith("skipped")
    assert doc.text == normalize_text(doc.text)
    assert doc.title is None or doc.title == " ".join(doc.title.split())


def test_html_is_reduced_to_visible_text_without_scripts(stage: CleanStage) -> None:
    doc = clean(stage, HTML_PAGE)
    assert doc.title == "Nieuwe bibliotheek in Deventer"
    assert doc.text == (
        "De bibliotheek van Deventer verhuist naar het oude postkantoor. De opening is in mei.\n"
        "\n"
        "Het gebouw krijgt een caf\u00e9 & een leeszaal.\n"
        "Toegang is gratis."
    )
    assert doc.status["clean"].startswith("ok: html stripped")


def test_html_navigation_is_kept_when_boilerplate_removal_is_off() -> None:
    text = html_to_text(HTML_PAGE, keep_navigation=True)
    assert "Home" in text
    assert "volg elke bezoeker" not in text


@pytest.mark.parametrize(
    ("text", "status", "present", "absent"),
    [
        ("", "skipped: empty text", [], []),
        (" \n\t\u00a0\u200b\n  ", "skipped: empty text", [], []),
        ("<html><body><script>alert(1)</script></body></html>", "skipped: empty text", [], ["alert"]),
        (random_bytes_as_text(5_000_000), "skipped: not text (55% undecodable characters)", [], []),
        (
            "<p>De rechtbank in Den Haag doet <b>donderdag</b> uitspraak.</p><script>trackBezoeker();</script>",
            "ok: html stripped",
            ["De rechtbank in Den Haag doet donderdag uitspraak."],
            ["trackBezoeker", "<"],
        ),
        (BODY_WITH_LIST_AND_ELLIPSIS, "ok", [BODY_WITH_LIST_AND_ELLIPSIS], []),
        (
            "Als a < b en b > c is de som 3 < 4.\nDat geldt ook voor 5 > 2.",
            "ok",
            ["Als a < b en b > c is de som 3 < 4.\nDat geldt ook voor 5 > 2."],
            [],
        ),
        (
            "The Dutch government will close three immigration desks by 2023.",
            "ok",
            ["The Dutch government will close three immigration desks by 2023."],
            [],
        ),
        (
            "Die Stadt Utrecht schlie\u00dft \u201eihre\u201c Schalter.\u00a0Das teilte die Beh\u00f6rde mit.",
            "ok",
            ['Die Stadt Utrecht schlie\u00dft "ihre" Schalter. Das teilte die Beh\u00f6rde mit.'],
            [],
        ),
    ],
    ids=[
        "empty",
        "whitespace-only",
        "html-without-text",
        "random-bytes",
        "html-junk",
        "list-and-ellipsis",
        "comparison-signs",
        "english",
        "german",
    ],
)
def test_edge_cases_get_a_clear_status(
    stage: CleanStage, text: str, status: str, present: list[str], absent: list[str]
) -> None:
    doc = clean(stage, text)
    assert doc.status["clean"] == status
    if status.startswith("skipped"):
        assert doc.text == ""
    for fragment in present:
        assert fragment in doc.text
    for fragment in absent:
        assert fragment not in doc.text


def test_five_megabytes_of_random_bytes_are_rejected(stage: CleanStage) -> None:
    """How fast is ``bench/robustness.py``'s business; here only the outcome."""
    doc = clean(stage, random_bytes_as_text(5_000_000))
    assert doc.status["clean"].startswith("skipped: not text")


def test_a_few_control_characters_are_removed_not_rejected(stage: CleanStage) -> None:
    doc = clean(stage, "De trein\x00 naar Venlo\x07 rijdt weer.\ufffd")
    assert doc.text == "De trein naar Venlo rijdt weer.\ufffd"
    assert doc.status["clean"] == "ok"


def test_twenty_thousand_word_article_is_kept_whole(stage: CleanStage) -> None:
    article = long_article(20_000)
    doc = clean(stage, article)
    assert doc.text == article
    assert doc.title is None
    assert doc.status["clean"] == "ok"


def test_text_over_max_chars_is_cut_at_a_paragraph_and_says_so() -> None:
    article = long_article(2_000)
    stage = CleanStage(CleanSettings(max_chars=1_000), StageContext())
    doc = clean(stage, article)
    assert 500 <= len(doc.text) <= 1_000
    assert article.startswith(doc.text)
    assert article[len(doc.text) :].startswith("\n\n")
    assert doc.status["clean"] == f"ok: truncated to {len(doc.text)} of {len(article)} characters"


def test_one_long_paragraph_is_cut_after_a_sentence() -> None:
    paragraph = " ".join(PARAGRAPH.format(n=n) for n in range(50))
    cut = truncate(paragraph, 1_000)
    assert 500 <= len(cut) <= 1_000
    assert cut.endswith("berekening.")
    assert paragraph.startswith(cut)


def test_given_title_is_kept_and_its_repetition_removed(stage: CleanStage) -> None:
    text = "Stadskantoor  Zwolle\n\nDe gemeente opent een nieuw kantoor."
    doc = clean(stage, text, title="Stadskantoor\u00a0Zwolle")
    assert doc.title == "Stadskantoor Zwolle"
    assert doc.text == "De gemeente opent een nieuw kantoor."


def test_first_line_that_is_a_sentence_is_not_a_title(stage: CleanStage) -> None:
    doc = clean(stage, "De gemeente opent een nieuw kantoor.\n\nDe bouw begint in maart.")
    assert doc.title is None
    assert doc.text == "De gemeente opent een nieuw kantoor.\n\nDe bouw begint in maart."


def test_no_title_is_taken_when_title_from_text_is_off() -> None:
    stage = CleanStage(CleanSettings(title_from_text=False), StageContext())
    doc = clean(stage, "Nieuw stadskantoor\n\nDe gemeente opent een nieuw kantoor.")
    assert doc.title is None
    assert doc.text == "Nieuw stadskantoor\n\nDe gemeente opent een nieuw kantoor."


def test_navigation_stays_when_boilerplate_removal_is_off() -> None:
    stage = CleanStage(CleanSettings(remove_boilerplate=False), StageContext())
    doc = clean(stage, SCRAPED_PAGE)
    assert doc.title is None
    assert doc.text.startswith("\u2022 Home\n\u2022 Nieuws\n")
    assert doc.text.endswith("Meer nieuws")


def test_one_line_breadcrumb_gives_the_title(stage: CleanStage) -> None:
    doc = clean(stage, "Home \u203a Nieuws \u203a Nieuw stadskantoor\n\nDe gemeente opent een nieuw kantoor.")
    assert doc.title == "Nieuw stadskantoor"
    assert doc.text == "De gemeente opent een nieuw kantoor."


def test_bulleted_list_at_the_top_of_a_body_is_not_navigation(stage: CleanStage) -> None:
    text = "- De bouw begint in maart\n- De opening is in 2025\n\nDat meldt de gemeente."
    doc = clean(stage, text)
    assert doc.text == text


def test_single_heading_and_paragraph_ending_in_ellipsis_are_body(stage: CleanStage) -> None:
    text = "Het college wil meer geld voor de binnenstad.\n\nAfwachten\nOf de raad akkoord gaat, is nog de vraag..."
    doc = clean(stage, text)
    assert doc.text == text


def test_teasers_under_a_header_and_footer_lines_are_removed(stage: CleanStage) -> None:
    text = (
        "Het college wil meer geld voor de binnenstad.\n\n"
        "Deel dit artikel\n\n"
        "Lees ook\n\n"
        "Raad stemt in met nieuwe parkeertarieven\n"
        "De gemeenteraad heeft ingestemd met hogere tarieven vanaf 1 januari 2024 voor...\n\n"
        "Terug naar boven"
    )
    doc = clean(stage, text)
    assert doc.text == "Het college wil meer geld voor de binnenstad."


def test_batch_is_processed_in_place_with_a_status_per_document(stage: CleanStage) -> None:
    docs = [Result(id="1", text=SCRAPED_PAGE), Result(id="2", text=""), Result(id="3", text="<p>Utrecht bouwt.</p>")]
    assert stage(docs) is docs
    assert [doc.status["clean"] for doc in docs] == [
        "ok: removed 9 boilerplate lines",
        "skipped: empty text",
        "ok: html stripped",
    ]


@pytest.mark.parametrize("mark", ["'", "‹", "&", "…", "?", "<", "_"])
def test_a_long_run_of_one_mark_is_cut_to_three_and_the_status_says_so(stage: CleanStage, mark: str) -> None:
    result = clean(stage, f"Utrecht bouwt een brug{mark * 100_000} over de Vecht bij Maarssen.")
    assert result.text == f"Utrecht bouwt een brug{mark * 3} over de Vecht bij Maarssen."
    assert result.status["clean"] == f"ok: cut 99,997 characters from runs of marks ({mark!r} 99,997)"


def test_a_long_run_of_brackets_is_cut_and_the_stray_rest_goes_as_link_residue(stage: CleanStage) -> None:
    result = clean(stage, f"Utrecht bouwt een brug{'[' * 100_000} over de Vecht bij Maarssen.")
    assert result.text == "Utrecht bouwt een brug over de Vecht bij Maarssen."
    assert result.status["clean"] == "ok: cut 99,997 characters from runs of marks ('[' 99,997)"


@pytest.mark.parametrize("run", ["'&", "<>", "?!", "_-"])
def test_a_long_run_of_mixed_marks_keeps_its_start(stage: CleanStage, run: str) -> None:
    result = clean(stage, f"Utrecht bouwt een brug {run * 4000} over de Vecht bij Maarssen.")
    assert result.text == f"Utrecht bouwt een brug {(run * 10)[:MARK_RUN_KEPT]} over de Vecht bij Maarssen."
    assert result.status["clean"] == f"ok: cut {8000 - MARK_RUN_KEPT:,} characters from runs of marks (mixed 7,980)"


def test_numbers_words_and_short_runs_are_never_cut() -> None:
    text = "Het kost 1000000 euro, zeeeer veel!!! Echt?? Ja... - zegt hij - en ___ blijft (zie: <https://x.nl/a?b=1>)."
    assert cap_repeats(text) == (text, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("De   raad  stemde in.", "De raad stemde in."),
        ("De \t raad\tstemde  in.", "De raad stemde in."),
        ("Een zin. Nog een.", "Een zin. Nog een."),
    ],
)
def test_runs_of_spaces_and_tabs_become_one_space(raw: str, expected: str) -> None:
    """A text with tabs and one with spaces alone come out single-spaced alike."""
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wat een dag!!!! Echt waar.",
        "Café «……» sluit – écht – om één uur",
        "Hij zei: '–––––' en ging.",
        "Een gewone zin, met één komma.",
        "Prijs: €€€€ of ©©©©",
    ],
)
def test_runs_of_marks_are_found_in_any_script(text: str) -> None:
    """Runs of ASCII and non-ASCII marks are cut the same as the pattern alone finds them."""
    expected = re.sub(r"([^\w\s])\1{3,}", lambda match: match.group(1) * 3, text)
    assert cap_repeats(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het stadion is klaar.   Bekijk ook de foto's", "Het stadion is klaar.\nBekijk ook de foto's"),
        ("Het stadion is klaar. \t Bekijk ook", "Het stadion is klaar.\nBekijk ook"),
        ("Drie  spaties zonder punt", "Drie  spaties zonder punt"),
        ("Klaar.  \nVolgende regel", "Klaar.  \nVolgende regel"),
    ],
)
def test_a_run_of_spaces_after_a_sentence_end_breaks_the_line(text: str, expected: str) -> None:
    """Where a block was cut out of a scraped page, with spaces or tabs, the text goes on on a new line."""
    assert split_removed_blocks(text) == expected
