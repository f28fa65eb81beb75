"""HTML views of results for notebooks: what an article says, and to whom it refers.

Analysts would rather look than read JSON. ``render_result`` is what
``Result._repr_html_`` shows; ``results_table`` gives a list of results a
compact table. The article text goes through spaCy's displaCy entity renderer
(already a dependency, and the view spaCy users know), with a template that
adds the English name as a hover title. Every piece of text from a record is
HTML-escaped here or by displaCy: records come from scraped pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from typing import Any
from urllib.parse import urlsplit

from spacy import displacy

from pipeline.document import Entity, Result

#: Background colour per entity label; places in greens, organisations in blue, time in amber.
LABEL_COLORS = {
    "CITY": "#b7e4c7",
    "COUNTRY": "#95d5b2",
    "LOCATION": "#d8f3dc",
    "ORG": "#bde0fe",
    "PERSON": "#ffc8dd",
    "YEAR": "#ffe5a0",
    "DATE": "#fff1c1",
    "MISC": "#e5e5e5",
}

#: displaCy's entity template plus a ``title`` attribute: the English name on hover.
_ENTITY_TEMPLATE = """
<mark class="entity" title="{english}" style="background: {bg}; padding: 0.2em 0.4em; margin: 0 0.15em; \
line-height: 1; border-radius: 0.35em;">
    {text}
    <span style="font-size: 0.7em; font-weight: bold; line-height: 1; vertical-align: middle; \
margin-left: 0.4rem">{label}</span>
</mark>
"""

_STATUS_COLORS = {"ok": "#2d6a4f", "skipped": "#8a6d00", "error": "#b00020"}

_SNIPPET_CHARS = 140

_STYLE = (
    "<style>"
    ".nlnews-result{font-family:system-ui,sans-serif;font-size:14px;max-width:60em}"
    ".nlnews-result .nlnews-title{margin:0 0 .2em 0;font-size:1.2em;font-weight:600}"
    ".nlnews-meta{color:#555;font-size:12px;margin-bottom:.6em}"
    ".nlnews-summaries{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin-top:.8em}"
    ".nlnews-summaries h4{margin:0 0 .3em 0;font-size:13px}"
    ".nlnews-summaries ol{margin:0;padding-left:1.4em}"
    ".nlnews-footer{margin-top:.8em;border-top:1px solid #ddd;padding-top:.3em;font-size:12px;color:#555}"
    ".nlnews-table{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:13px;"
    "line-height:1.4;color:#1f2933;border-collapse:collapse;max-width:90em}"
    ".nlnews-table td,.nlnews-table th{text-align:left;vertical-align:top;padding:.35em .6em}"
    ".nlnews-table th{font-weight:600;font-size:12px;color:#52606d;background:#f4f6f8;border-bottom:2px solid #d9dee3}"
    ".nlnews-table td{border-bottom:1px solid #eceff2}"
    ".nlnews-table tbody tr:nth-child(even){background:#fafbfc}"
    ".nlnews-table .nlnews-num{text-align:right;font-variant-numeric:tabular-nums}"
    ".nlnews-table .nlnews-status{white-space:nowrap;font-size:12px}"
    ".nlnews-table .nlnews-id{white-space:nowrap}"
    "</style>"
)


def render_result(result: Result) -> str:
    """One article as HTML: title, highlighted text, both summaries side by side, statuses.

    Args:
        result: a processed article.

    Returns:
        An HTML fragment (no ``<html>`` page), safe to embed: all record text is escaped.
    """
    meta = [f"id {escape(result.id)}"]
    if result.date:
        meta.append(escape(result.date))
    if result.url:
        meta.append(url_html(result.url))
    heading = (
        f'<div class="nlnews-title">{_highlighted(result.title, result.title_entities)}</div>' if result.title else ""
    )
    if result.title_en:
        heading += f"<div><i>{escape(result.title_en)}</i></div>"
    summaries = (
        '<div class="nlnews-summaries">'
        f"<div><h4>Summary ({escape(result.language or 'und')})</h4>{_sentence_list(result.summary)}</div>"
        f"<div><h4>English summary</h4>{_english_summary(result)}</div>"
        "</div>"
    )
    language = escape(result.language or "und")
    if result.language_score is not None:
        language += f" ({result.language_score:.2f})"
    footer = f'<div class="nlnews-footer">language {language} · {status_badges(result.status)}</div>'
    return (
        f'{_STYLE}<div class="nlnews-result tex2jax_ignore">{heading}'
        f'<div class="nlnews-meta">{" · ".join(meta)}</div>'
        f"{highlight_entities(result)}{summaries}{footer}</div>"
    )


def url_html(url: str) -> str:
    """A link for an ``http(s)`` URL; any other (``javascript:``, ``data:``, ``file:``) is shown as text only.

    Scraped records carry whatever URL the page or dump claims, and a link is a
    click away from running it in the notebook's origin.
    """
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:  # e.g. an unclosed "[" in the host
        scheme = ""
    if scheme in ("http", "https"):
        return f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(url)}</a>'
    return f"<span>{escape(url)}</span>"


def highlight_entities(result: Result) -> str:
    """The text with each entity marked and labelled, its English name on hover (displaCy)."""
    return _highlighted(result.text, result.entities)


def _highlighted(text: str, entities: Iterable[Entity] | None) -> str:
    """``text`` with ``entities`` (offsets into it) marked; one out of range or overlapping a drawn one is skipped."""
    spans: list[dict[str, Any]] = []
    end_of_last = 0
    for entity in sorted(entities or (), key=lambda e: (e.start, -e.end)):
        if entity.start < end_of_last or not 0 <= entity.start < entity.end <= len(text):
            continue
        end_of_last = entity.end
        hover = entity.english if entity.english == entity.canonical else f"{entity.english} ({entity.canonical})"
        spans.append(
            {
                "start": entity.start,
                "end": entity.end,
                "label": escape(entity.label),
                "params": {"english": escape(hover)},
            }
        )
    return displacy.render(
        {"text": text, "ents": spans},
        style="ent",
        manual=True,
        jupyter=False,
        options={"colors": LABEL_COLORS, "template": _ENTITY_TEMPLATE},
    )


def status_badges(status: dict[str, str]) -> str:
    """Each stage as ``name outcome``, coloured by outcome, the full status on hover."""
    badges = []
    for stage, value in status.items():
        outcome = value.split(":", 1)[0]
        color = _STATUS_COLORS.get(outcome, "#555")
        badges.append(f'<span title="{escape(value)}" style="color:{color}">{escape(stage)} {escape(outcome)}</span>')
    return " · ".join(badges)


def compact_status(status: dict[str, str]) -> str:
    """The stages that are ok as one count (named on hover), then each other stage with its outcome.

    A table row has room for one short line: ``4 ok · translate skipped``.
    """
    ok = [stage for stage, value in status.items() if value == "ok"]
    others = {stage: value for stage, value in status.items() if value != "ok"}
    parts = (
        [f'<span title="{escape(", ".join(ok))}" style="color:{_STATUS_COLORS["ok"]}">{len(ok)} ok</span>']
        if ok
        else []
    )
    if others:
        parts.append(status_badges(others))
    return " · ".join(parts)


class ResultsTable:
    """Several results as one table (id, language, title, entities, summary, statuses).

    A plain list has no rich display in Jupyter, so ``results_table(results)``
    wraps it; iterate or index it to get the results back.
    """

    def __init__(self, results: list[Result]) -> None:
        self.results = results

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[Result]:
        return iter(self.results)

    def __getitem__(self, index: int) -> Result:
        return self.results[index]

    def _repr_html_(self) -> str:
        header = "".join(f"<th>{name}</th>" for name in ("id", "language", "title", "entities", "summary", "status"))
        header = header.replace("<th>entities</th>", '<th class="nlnews-num">entities</th>')
        rows = "".join(_table_row(result) for result in self.results)
        return (
            f'{_STYLE}<table class="nlnews-table tex2jax_ignore"><thead><tr>{header}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )


def results_table(results: Iterable[Result | dict[str, Any]]) -> ResultsTable:
    """A table view of results (or of their written records) for a notebook."""
    return ResultsTable([item if isinstance(item, Result) else Result.from_dict(item) for item in results])


def _table_row(result: Result) -> str:
    summary = " ".join(result.summary_en or result.summary)
    if len(summary) > _SNIPPET_CHARS:
        summary = summary[: _SNIPPET_CHARS - 1].rstrip() + "…"
    cells = (
        (' class="nlnews-id"', escape(result.id)),
        ("", escape(result.language or "und")),
        ("", escape(result.title_en or result.title or "")),
        (' class="nlnews-num"', str(len(result.entities) + len(result.title_entities or ()))),
        ("", escape(summary)),
        (' class="nlnews-status"', compact_status(result.status)),
    )
    return "<tr>" + "".join(f"<td{attributes}>{cell}</td>" for attributes, cell in cells) + "</tr>"


def _sentence_list(sentences: list[str]) -> str:
    if not sentences:
        return "<p><i>none</i></p>"
    return "<ol>" + "".join(f"<li>{escape(sentence)}</li>" for sentence in sentences) + "</ol>"


def _english_summary(result: Result) -> str:
    if result.summary_en is not None:
        return _sentence_list(result.summary_en)
    reason = result.status.get("translate", "no translation")
    return f"<p><i>not translated ({escape(reason)})</i></p>"
