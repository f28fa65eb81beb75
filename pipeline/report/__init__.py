"""``nlnews report``: one self-contained HTML page of a finished run, for an analyst to read and pass on.

A run's output is thousands of JSON records; what a colleague wants is the
page a dashboard would show: how the run went, who and where the news is
about, when, and the articles themselves with their English summaries,
searchable in the page. The page is one file with everything inlined (CSS,
script, charts as PNG data URIs) so it opens offline, from an e-mail or a
shared drive. The charts are the plot helpers of ``pipeline.analysis``.

Article strings are hostile input (scraped pages): the template escapes
everything (Jinja2 autoescape), the highlighted text comes from
``pipeline.display`` (escaped there), and only ``http(s)`` URLs become links.

Needs pandas and matplotlib: ``pip install 'nl-news-pipeline[report]'``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import warnings
from collections import Counter
from collections.abc import Iterable
from html import escape
from importlib import resources
from itertools import combinations
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup

from pipeline.document import Result
from pipeline.report.geography import admin1_name, country_name

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: The pip extra that brings what a report needs (pandas for the frames, matplotlib for the charts).
INSTALL_HINT = "pip install 'nl-news-pipeline[report]'"

#: Articles listed in the page by default (newest first); counts and charts always cover the whole run.
MAX_ARTICLES = 2000

#: Rows in each top-entities table.
TOP_ROWS = 10

#: Labels with a top-entities table, in page order.
TOP_LABELS = (("CITY", "Cities"), ("ORG", "Organisations"), ("PERSON", "People"))

#: Labels whose entities take part in the co-occurrence list (years and dates co-occur with everything).
PAIR_LABELS = ("CITY", "COUNTRY", "LOCATION", "ORG", "PERSON")

#: Chart resolution: sharp on a high-density screen at the page's width.
CHART_DPI = 144


def write_report(
    run: str | PathLike, output: str | PathLike | None = None, *, max_articles: int = MAX_ARTICLES
) -> Path:
    """Render the report of a finished run into one HTML file and return its path.

    Args:
        run: a run's output: ``.jsonl`` (or ``.jsonl.gz``), ``.parquet``, or a folder of shards.
        output: where to write; default beside the run (``out/my.jsonl`` -> ``out/my.jsonl.report.html``,
            a folder ``DIR/`` -> ``DIR/report.html``).
        max_articles: how many articles (newest first) the page lists.

    Raises:
        InputError: the run is missing or holds a record that is not a result.
    """
    target = Path(output) if output is not None else default_report_path(run)
    html = render_report(run, max_articles=max_articles)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, "utf-8")
    return target


class ReportView:
    """A report shown inline in a notebook: the self-contained page in a sandboxed frame.

    The page goes in the frame's ``srcdoc``, so it needs no file server and
    survives in a saved notebook; the sandbox lets the page's filter script run
    but keeps it (and any article text) away from the notebook itself.
    """

    def __init__(self, html: str, height: int = 820) -> None:
        self.html = html
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{escape(self.html, quote=True)}" sandbox="allow-scripts" title="nlnews report" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #d0d7de; border-radius: 6px">'
            "</iframe>"
        )


def show_report(
    run: str | PathLike | Iterable[Result],
    *,
    height: int = 820,
    max_articles: int = MAX_ARTICLES,
    title: str | None = None,
) -> ReportView:
    """The report of a run (its output path) or of results in memory, to display in a notebook cell."""
    return ReportView(render_report(run, max_articles=max_articles, title=title), height=height)


def default_report_path(run: str | PathLike) -> Path:
    """``out/my.jsonl`` -> ``out/my.jsonl.report.html``; a folder of shards -> ``DIR/report.html``."""
    path = Path(run)
    return path / "report.html" if path.is_dir() else path.with_name(path.name + ".report.html")


def render_report(
    run: str | PathLike | Iterable[Result | dict[str, Any]],
    *,
    max_articles: int = MAX_ARTICLES,
    title: str | None = None,
) -> str:
    """The report as one HTML document (a string), for a run's output path, or results (or their records)."""
    from pipeline.analysis import entities_frame, read_results

    if isinstance(run, (str, PathLike)):
        results, manifest, name = read_results(run), read_manifest(run), str(run)
    else:
        results = [item if isinstance(item, Result) else Result.from_dict(item) for item in run]
        manifest, name = None, "results"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        entities = entities_frame(results)
    page = {
        "title": title or f"nlnews report: {Path(name).name}",
        "run": name,
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "manifest": _manifest_facts(manifest),
        "cards": _cards(results, manifest),
        "stages": _stage_rows(results),
        "languages": _languages(results),
        "tops": [_top_table(entities, label, heading) for label, heading in TOP_LABELS],
        "charts": _charts(entities),
        "geography": _geography(results),
        "pairs": _pairs(results),
        "articles": [_article(result) for result in _newest_first(results)[:max_articles]],
        "total": len(results),
        "entity_options": _entity_options(entities),
        "css": Markup(_resource("report.css") + _label_css()),
        "script": Markup(_resource("report.js")),
    }
    page["period"] = _period(results)
    return _template().render(**page)


def read_manifest(run: str | PathLike) -> dict[str, Any] | None:
    """The manifest beside a run's output (``out/my.jsonl.manifest.json``, ``DIR/manifest.json``), if any.

    Runs written before manifests were named after their output file have
    ``out/my.manifest.json``; that name is read too.
    """
    path = Path(run)
    if path.is_dir():
        candidates = [path / "manifest.json"]
    else:
        candidates = [path.with_name(path.name + ".manifest.json"), path.with_name(path.stem + ".manifest.json")]
    for candidate in candidates:
        try:
            manifest = json.loads(candidate.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict):
            return manifest
    return None


def _template() -> Any:
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters["thousands"] = lambda number: f"{number:,}"
    return environment.from_string(_resource("report.html.j2"))


def _resource(name: str) -> str:
    return resources.files("pipeline.report").joinpath("templates", name).read_text("utf-8")


def _label_css() -> str:
    """Entity chips and tags in the colours of ``pipeline.display``, so the page matches the notebook view."""
    from pipeline.display import LABEL_COLORS

    return "".join(f".chip.{label}, .tag.{label} {{ background: {color}; }}\n" for label, color in LABEL_COLORS.items())


def _manifest_facts(manifest: dict[str, Any] | None) -> list[tuple[str, list[str]]]:
    """What the run's manifest says about how it was made: a label and its lines."""
    if not manifest:
        return []
    facts = []
    inputs = [str(item) for item in manifest.get("inputs") or []]
    if inputs:
        facts.append(("inputs", inputs[:3] + ([f"and {len(inputs) - 3} more"] if len(inputs) > 3 else [])))
    counts = manifest.get("counts") or {}
    if counts.get("seconds"):
        facts.append(
            ("run time", [f"{counts['seconds']:,.1f} s ({counts.get('articles_per_second', 0):,.1f} articles/s)"])
        )
    if manifest.get("engine"):
        facts.append(("engine", [str(manifest["engine"])]))
    models = manifest.get("models") or {}
    if isinstance(models, dict) and models:
        facts.append(("models", [f"{stage}: {model}" for stage, model in models.items()]))
    return facts


def _cards(results: list[Result], manifest: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The headline numbers: articles, ok, errors, not articles, duplicates, translated."""
    total = len(results)
    with_errors = sum(not result.ok for result in results)
    not_articles = sum(result.status.get("read", "").startswith("skipped") for result in results)
    duplicates = sum(result.duplicate_of is not None for result in results)
    translated = sum(result.summary_en is not None or result.title_en is not None for result in results)
    cards = [
        {"label": "articles", "value": total, "note": "records in the output"},
        {"label": "ok", "value": total - with_errors, "note": _share(total - with_errors, total), "tone": "good"},
        {"label": "with errors", "value": with_errors, "note": _share(with_errors, total), "tone": "bad"},
        {"label": "translated", "value": translated, "note": _share(translated, total)},
        {"label": "duplicates", "value": duplicates, "note": "copies of an earlier article"},
        {"label": "not articles", "value": not_articles, "note": "pages without an article"},
    ]
    counts = (manifest or {}).get("counts") or {}
    if "unreadable" in counts:
        logged = counts.get("unreadable", 0) + counts.get("duplicate_ids", 0)
        cards.append({"label": "in errors.jsonl", "value": logged, "note": "unreadable input records", "tone": "bad"})
    for card in cards:
        card.setdefault("tone", "")
        if card["tone"] == "bad" and not card["value"]:
            card["tone"] = ""
    return cards


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _stage_rows(results: list[Result]) -> list[dict[str, Any]]:
    """Per stage: how many ok, skipped and in error, and the commonest reasons for the last two."""
    outcomes: dict[str, Counter[str]] = {}
    reasons: dict[str, Counter[str]] = {}
    for result in results:
        for stage, status in result.status.items():
            outcome = status.split(":", 1)[0]
            outcomes.setdefault(stage, Counter())[outcome] += 1
            reasons.setdefault(stage, Counter())
            if outcome != "ok":
                reasons[stage][status] += 1
    return [
        {
            "stage": stage,
            "ok": counts.get("ok", 0),
            "skipped": counts.get("skipped", 0),
            "error": counts.get("error", 0),
            "reasons": reasons[stage].most_common(2),
        }
        for stage, counts in outcomes.items()
    ]


def _languages(results: list[Result]) -> list[dict[str, Any]]:
    counts = Counter(result.language or "und" for result in results if result.text)
    total = sum(counts.values())
    return [{"language": code, "articles": n, "share": 100 * n / total} for code, n in counts.most_common(6)]


def _top_table(entities: pd.DataFrame, label: str, heading: str) -> dict[str, Any]:
    """The most named entities of a label: English name, the Dutch name when it differs, articles, mentions."""
    frame = entities[entities["label"] == label]
    if frame.empty:
        return {"heading": heading, "label": label, "rows": []}
    grouped = frame.groupby("english").agg(
        articles=("id", "nunique"), mentions=("count", "sum"), canonical=("canonical", lambda s: s.mode().iloc[0])
    )
    grouped = grouped.reset_index().sort_values(["articles", "mentions", "english"], ascending=[False, False, True])
    most = int(grouped["articles"].max())
    rows = [
        {
            "english": row.english,
            "canonical": row.canonical if row.canonical != row.english else None,
            "articles": int(row.articles),
            "mentions": int(row.mentions),
            "width": 100 * row.articles / most,
        }
        for row in grouped.head(TOP_ROWS).itertuples()
    ]
    return {"heading": heading, "label": label, "rows": rows}


def _charts(entities: pd.DataFrame) -> list[dict[str, str]]:
    """The analysis plots as PNG data URIs; a plot without data to draw is left out."""
    from pipeline.analysis import plot_cooccurrence, plot_mentions_over_time, plot_top_entities

    present = set(entities["label"])
    labels = [label for label in ("CITY", "ORG", "PERSON", "YEAR") if label in present]
    charts = []
    attempts = [
        ("Top entities", lambda: plot_top_entities(entities, labels=labels, n=8)),
        ("Cities over time", lambda: plot_mentions_over_time(entities, label="CITY", top=5, freq="W").figure),
        ("Organisations and cities", lambda: plot_cooccurrence(entities, rows="ORG", columns="CITY", n=8).figure),
    ]
    for title, draw in attempts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            try:
                figure = draw()
            except ValueError:
                continue
        charts.append({"title": title, "src": _png(figure)})
    return charts


def _png(figure: Figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI, facecolor="white")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _geography(results: list[Result]) -> list[dict[str, Any]]:
    """Articles per Dutch province, Belgian region and country, each with its most named places."""
    areas: dict[str, dict[str, Counter[str]]] = {"provinces": {}, "regions": {}, "countries": {}}
    for result in results:
        places: dict[tuple[str, str], set[str]] = {}
        for entity in result.entities:
            country = entity.extra.get("country")
            if entity.label not in ("CITY", "COUNTRY") or not country:
                continue
            places.setdefault(("countries", country), set())
            if entity.label == "CITY":
                places[("countries", country)].add(entity.english)
                area = admin1_name(country, entity.extra.get("admin1"))
                if area is not None:
                    kind = "provinces" if country == "NL" else "regions"
                    places.setdefault((kind, area), set()).add(entity.english)
        for (kind, area), names in places.items():
            counter = areas[kind].setdefault(area, Counter())
            counter["\0articles"] += 1
            counter.update(names)
    titles = {
        "provinces": ("Dutch provinces", "No Dutch places in this run."),
        "regions": ("Belgian regions", "No Belgian places in this run."),
        "countries": ("Countries", "No places of a known country in this run."),
    }
    return [
        {"heading": heading, "none": none, "rows": _area_rows(areas[kind], kind == "countries")}
        for kind, (heading, none) in titles.items()
    ]


def _area_rows(areas: dict[str, Counter[str]], countries: bool) -> list[dict[str, Any]]:
    rows = []
    for area, counter in areas.items():
        articles = counter.pop("\0articles")
        places = [name for name, _ in sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:3]]
        rows.append({"name": country_name(area) if countries else area, "articles": articles, "places": places})
    rows.sort(key=lambda row: (-row["articles"], row["name"]))
    most = rows[0]["articles"] if rows else 1
    for row in rows:
        row["width"] = 100 * row["articles"] / most
    return rows[:12]


def _pairs(results: list[Result], top: int = 15, shown: int = 10) -> list[dict[str, Any]]:
    """The pairs among the most named entities that appear in the most articles together."""
    named: list[set[tuple[str, str]]] = []
    for result in results:
        named.append({(e.label, e.english) for e in result.entities if e.label in PAIR_LABELS})
    frequency = Counter(entity for entities in named for entity in entities)
    leaders = {entity for entity, _ in sorted(frequency.items(), key=lambda item: (-item[1], item[0]))[:top]}
    together: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    for entities in named:
        together.update(combinations(sorted(entities & leaders), 2))
    pairs = sorted(together.items(), key=lambda item: (-item[1], item[0]))[:shown]
    return [
        {"first": first, "second": second, "articles": count, "of": min(frequency[first], frequency[second])}
        for (first, second), count in pairs
    ]


def _newest_first(results: list[Result]) -> list[Result]:
    """Dated articles newest first, then the undated ones in run order."""
    dated = [result for result in results if _day(result)]
    undated = [result for result in results if not _day(result)]
    return sorted(dated, key=_day, reverse=True) + undated


def _day(result: Result) -> str:
    """The ``YYYY-MM-DD`` of an ISO date, or ``""`` when there is none to read."""
    value = (result.date or "")[:10]
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return value


def _article(result: Result) -> dict[str, Any]:
    """One article as the page lists it."""
    from pipeline.display import highlight_entities

    distinct = {(e.label, e.english): e.canonical for e in result.entities}
    names = {name.lower().replace("|", " ") for key, canonical in distinct.items() for name in (key[1], canonical)}
    problems = [(stage, status) for stage, status in result.status.items() if status.startswith("error")]
    url = result.url if result.url and result.url.lower().startswith(("http://", "https://")) else None
    return {
        "id": result.id,
        "date": _day(result),
        "language": result.language or "und",
        "url": url,
        "source": result.url if result.url and url is None else None,
        "title": result.title,
        "title_en": result.title_en,
        "summary": result.summary,
        "summary_en": result.summary_en,
        "missing": None if result.summary_en is not None else result.status.get("translate", "no translate stage"),
        "entities": [{"label": label, "english": english} for label, english in distinct],
        "problems": problems,
        "skipped": result.status.get("read", "") if result.status.get("read", "").startswith("skipped") else None,
        "duplicate_of": result.duplicate_of,
        "text": Markup(highlight_entities(result)) if result.text else None,
        "names": "|".join(sorted(names)),
    }


def _entity_options(entities: pd.DataFrame) -> list[str]:
    """The English names the entity filter suggests, most named first."""
    counts = entities.groupby("english")["id"].nunique().reset_index()
    counts = counts.sort_values(["id", "english"], ascending=[False, True])
    return list(counts["english"].head(500))


def _period(results: list[Result]) -> str:
    days = sorted(day for day in map(_day, results) if day)
    return f"{days[0]} – {days[-1]}" if days else "undated"
