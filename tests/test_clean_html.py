"""HTML given straight to ``clean``: what stands beside the article goes, decided by the markup's shape.

A feed's HTML fragment is read by the standard library's parser: ``<aside>``,
``<figure>`` (a photo and its caption) and lists whose items are mostly links
go, an article's own list stays. A whole page goes through trafilatura when
the ``html`` extra is installed, which judges every block by its text and link
density.
"""

from __future__ import annotations

import pytest

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.clean import CleanSettings, CleanStage, extract_article, html_to_text

LEAD = "<p>De gemeente Zwolle sluit zwembad De Vrijheid aan het eind van dit jaar. Dat zei wethouder Bakker.</p>"
REASONS = (
    "<p>Volgens de wethouder zijn er drie redenen:</p>"
    "<ul><li>de renovatie kost acht miljoen euro</li><li>het aantal bezoekers daalt</li>"
    "<li>er komt een nieuw bad in Stadshagen</li></ul>"
)
RELATED = (
    '<ul><li><a href="/brand">Brand in Deventer: drie woningen onbewoonbaar</a></li>'
    '<li><a href="/kampen">Nieuwe burgemeester voor Kampen</a></li></ul>'
)
PHOTO = '<figure><img src="bad.jpg"><figcaption>Het bad in 1965. Foto: ANP</figcaption></figure>'
ASIDE = '<aside><h3>Meer over zwemmen</h3><p><a href="/z">Zwemles duurder in Overijssel</a></p></aside>'
CLOSE = "<p>Zwemclubs zijn boos over het besluit en willen met de gemeente in gesprek.</p>"


def clean(markup: str, **settings: object) -> Result:
    stage = CleanStage(CleanSettings.model_validate(settings), StageContext())
    return stage([Result(id="a", text=markup)])[0]


def test_a_fragment_loses_its_teaser_list_aside_and_photo_caption_but_keeps_its_own_list() -> None:
    doc = clean(LEAD + RELATED + REASONS + PHOTO + ASIDE + CLOSE)
    assert [line for line in doc.text.split("\n") if line] == [
        "De gemeente Zwolle sluit zwembad De Vrijheid aan het eind van dit jaar. Dat zei wethouder Bakker.",
        "Volgens de wethouder zijn er drie redenen:",
        "de renovatie kost acht miljoen euro",
        "het aantal bezoekers daalt",
        "er komt een nieuw bad in Stadshagen",
        "Zwemclubs zijn boos over het besluit en willen met de gemeente in gesprek.",
    ]


def test_a_list_with_a_link_in_running_text_is_the_articles_own() -> None:
    items = '<ul><li>de renovatie kost acht miljoen euro, zegt <a href="/r">een rapport</a></li><li>het bad is oud</li></ul>'
    assert "de renovatie kost acht miljoen euro, zegt een rapport" in html_to_text(items)


def test_with_boilerplate_removal_off_every_visible_line_stays() -> None:
    text = html_to_text(LEAD + RELATED + PHOTO + ASIDE, keep_navigation=True)
    assert "Nieuwe burgemeester voor Kampen" in text
    assert "Het bad in 1965. Foto: ANP" in text
    assert "Zwemles duurder in Overijssel" in text


def page(body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Zwembad dicht | Stadskrant</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/regio">Regio</a></nav>'
        '<div class="menu"><ul><li><a href="/sport">Sport</a></li><li><a href="/cultuur">Cultuur</a></li>'
        '<li><a href="/economie">Economie</a></li></ul></div>'
        f"<article><h1>Zwolle sluit zwembad De Vrijheid na zestig jaar</h1>{body}</article>"
        '<section class="meest-gelezen"><h2>Meest gelezen</h2>' + RELATED + "</section>"
        '<footer><a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer></body></html>'
    )


def test_a_whole_page_keeps_the_article_its_headline_and_its_own_list() -> None:
    pytest.importorskip("trafilatura")
    doc = clean(page(LEAD + REASONS + PHOTO + ASIDE + CLOSE))
    assert doc.title == "Zwolle sluit zwembad De Vrijheid na zestig jaar"
    assert doc.text.startswith("De gemeente Zwolle sluit zwembad De Vrijheid")
    assert "er komt een nieuw bad in Stadshagen" in doc.text
    assert doc.text.endswith("willen met de gemeente in gesprek.")
    for teaser in ("Nieuwe burgemeester voor Kampen", "Meest gelezen", "Privacy", "Economie", "Foto: ANP"):
        assert teaser not in doc.text
    assert extract_article(page(LEAD + CLOSE)).extractor == "trafilatura"


def test_a_whole_page_counts_the_lines_left_out_and_keeps_them_on_request() -> None:
    pytest.importorskip("trafilatura")
    doc = clean(page(LEAD + REASONS + CLOSE), keep_removed=True)
    assert doc.status["clean"].startswith("ok: html stripped; removed ")
    removed = {piece["text"] for piece in doc.removed}
    assert {"Nieuwe burgemeester voor Kampen", "Privacy Contact"} <= removed
    assert "Zwolle sluit zwembad De Vrijheid na zestig jaar" not in removed


def test_a_fragment_is_never_handed_to_the_page_extractor() -> None:
    assert extract_article(LEAD + RELATED).extractor == "html"
