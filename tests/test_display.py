"""What a result looks like in a notebook: highlighted entities, summaries side by side, statuses.

Records come from scraped pages, so every piece of text must be escaped.
"""

from __future__ import annotations

import re
from html import escape

import pytest

from pipeline import Pipeline, Result
from pipeline.display import ResultsTable, render_result, results_table
from pipeline.document import Entity

SCRIPT = "<script>alert('x')</script>"


def marks(html: str) -> list[tuple[str, str, str]]:
    """Each highlighted entity as (hover title, text, label)."""
    pattern = r'<mark class="entity" title="([^"]*)"[^>]*>\s*(.*?)\s*<span[^>]*>(.*?)</span>\s*</mark>'
    return re.findall(pattern, html, flags=re.S)


@pytest.fixture(scope="module")
def result() -> Result:
    return Pipeline("offline")(
        {
            "id": "ind-zwolle",
            "title": "IND sluit loket",
            "date": "2024-04-12",
            "text": "De IND sluit in 2025 het loket in Zwolle. Aanvragers moeten naar Den Haag.",
        }
    )


def test_each_entity_is_highlighted_with_its_label_and_english_name_on_hover(result):
    html = result._repr_html_()
    assert marks(html) == [
        ("Immigration and Naturalisation Service (Immigratie- en Naturalisatiedienst)", "IND", "ORG"),
        ("Immigration and Naturalisation Service (Immigratie- en Naturalisatiedienst)", "IND", "ORG"),
        ("2025", "2025", "YEAR"),
        ("Zwolle", "Zwolle", "CITY"),
        ("The Hague (&#x27;s-Gravenhage)", "Den Haag", "CITY"),
    ]


def test_summaries_sit_side_by_side_and_a_missing_translation_says_why(result):
    html = render_result(result)
    assert 'class="nlnews-summaries"' in html and "grid-template-columns:1fr 1fr" in html
    assert "<h4>Summary (nl)</h4>" in html and "<h4>English summary</h4>" in html
    assert "not translated (skipped: disabled in config" in html


def test_the_footer_shows_language_and_every_stage_status(result):
    footer = render_result(result).split('class="nlnews-footer"')[1]
    assert re.search(r"language nl \(\d\.\d\d\)", footer)
    for stage in ("clean", "detect", "entities", "summarize", "translate"):
        assert f"{stage} " in footer
    assert 'title="skipped: disabled in config (translate.enabled: false)"' in footer


def test_an_english_summary_is_listed_next_to_the_dutch_one():
    result = Result(id="a", text="Zwolle.", language="nl", summary=["Zwolle groeit."], summary_en=["Zwolle grows."])
    assert "<li>Zwolle grows.</li>" in render_result(result)


def test_all_record_text_is_escaped():
    text = f"In Zwolle {SCRIPT} en meer."
    result = Result(
        id=SCRIPT,
        text=text,
        title=SCRIPT,
        url=f'https://example.org/"{SCRIPT}',
        date=SCRIPT,
        language="nl",
        entities=[Entity("Zwolle", "CITY", 3, 9, "Zwolle", f'Zwolle"{SCRIPT}')],
        summary=[SCRIPT],
        status={"clean": f"error: ValueError: {SCRIPT}"},
    )
    for html in (render_result(result), results_table([result])._repr_html_()):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
    assert marks(render_result(result))[0][1:] == ("Zwolle", "CITY")


def test_overlapping_or_out_of_range_entities_from_a_file_are_not_drawn_twice():
    result = Result(
        id="a",
        text="Den Haag",
        entities=[
            Entity("Den Haag", "CITY", 0, 8, "'s-Gravenhage", "The Hague"),
            Entity("Haag", "CITY", 4, 8, "Haag", "Haag"),
            Entity("x", "ORG", 5, 99, "x", "x"),
        ],
    )
    assert [text for _, text, _ in marks(render_result(result))] == ["Den Haag"]


def test_a_list_of_results_displays_as_a_table_with_one_row_each(result):
    other = Result(id="b", text="Tekst.", language="nl", summary=["Een " + "lange zin " * 30], status={"clean": "ok"})
    table = results_table([result, other.to_dict()])
    assert isinstance(table, ResultsTable) and len(table) == 2 and table[0] is result
    html = table._repr_html_()
    assert html.count("<tr>") == 3
    assert '<th class="nlnews-num">entities</th>' in html and '<td class="nlnews-num">5</td>' in html, (
        "the title's entity counted too"
    )
    assert "…" in html, "long summaries are cut to a snippet"


def test_the_table_has_its_own_sans_serif_style_and_an_unwrapped_status_column(result):
    html = results_table([result])._repr_html_()
    style = html[html.index("<style>") : html.index("</style>")]
    assert re.search(r"\.nlnews-table\{font-family:[^}]*sans-serif", style)
    assert ".nlnews-table .nlnews-status{white-space:nowrap" in style
    (status,) = re.findall(r'<td class="nlnews-status">(.*?)</td>', html)
    ok = [stage for stage, value in result.status.items() if value == "ok"]
    assert re.sub("<[^>]+>", "", status).startswith(f"{len(ok)} ok")
    assert status.count("<span") == 1 + len(result.status) - len(ok), "the ok stages as one count, the others each"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "java\nscript:alert(1)", "data:text/html,<b>x</b>"],
)
def test_only_a_web_address_becomes_a_link(url: str):
    html = render_result(Result(id="a", text="Tekst.", url=url))
    assert "<a " not in html and "href" not in html
    assert escape(url) in html, "the address is still shown, as text"


def test_an_https_address_is_a_link_that_opens_without_the_notebook_as_opener():
    html = render_result(Result(id="a", text="Tekst.", url="https://krant.example/a?b=1&c=2"))
    assert '<a href="https://krant.example/a?b=1&amp;c=2" rel="noopener noreferrer">' in html
