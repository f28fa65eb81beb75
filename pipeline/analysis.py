"""Results as pandas DataFrames, and the first plots an analyst asks for.

Analysts explore in notebooks with pandas and matplotlib, so a finished run
becomes a frame in one call: ``to_dataframe`` (one row per article) and
``entities_frame`` (one row per distinct entity per article, ready for
``groupby``). Each takes results, their written records, or the path of a
run's output (JSONL, or Parquet when pyarrow is installed). The plot helpers
take the same inputs or an entities frame and return matplotlib objects, so a
notebook can restyle or save them.

pandas and matplotlib are the ``notebooks`` extra; the rest of nlnews does not need them.
"""

from __future__ import annotations

import gzip
import json
import textwrap
import warnings
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.document import FIELDS, Result
from pipeline.document import distinct_entities as count_entities
from pipeline.errors import InputError

try:
    import pandas as pd
except ImportError as error:
    raise ImportError("pipeline.analysis needs pandas: pip install 'nl-news-pipeline[notebooks]'") from error

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: What the frame and plot functions accept: results, written records, or a run's output path.
ResultsLike = Iterable[Result | dict[str, Any]] | str | PathLike

#: Columns of ``to_dataframe``, in order; one ``status_<stage>`` column per stage follows them.
ARTICLE_COLUMNS = (
    "id",
    "date",
    "url",
    "language",
    "language_score",
    "title",
    "title_en",
    "n_entities",
    "summary",
    "summary_en",
    "text",
    "text_en",
    "duplicate_of",
    "ok",
)

#: Columns of ``entities_frame``, in order.
ENTITY_COLUMNS = ("id", "label", "canonical", "english", "count", "date")

#: Files in an output folder that are not result records.
_NOT_RESULTS = ("errors.jsonl",)

#: Tick labels longer than this wrap onto more lines, so long English names do not squeeze the plot.
_WRAP_CHARS = 26

_INSTALL_HINT = "pip install 'nl-news-pipeline[notebooks]'"


def read_results(path: str | PathLike) -> list[Result]:
    """Load a finished run's output: a ``.jsonl`` (or ``.jsonl.gz``) or ``.parquet`` file, or a folder of shards.

    A folder is read in sorted file order (``part-00000.jsonl``, ...), leaving
    out ``errors.jsonl``, manifests and unfinished ``.partial`` files.

    Raises:
        InputError: the path is missing, of an unknown type, or holds a record that is not a result,
            named by ``file:line``.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if _is_results_file(p))
    elif path.is_file():
        files = [path]
    else:
        raise InputError(f"no such file or directory: {path}")
    results: list[Result] = []
    for file in files:
        results.extend(_read_file(file))
    return results


def to_dataframe(results: ResultsLike) -> pd.DataFrame:
    """One row per article: id, date, language, titles, summaries, entity count, one column per stage status.

    ``date`` is parsed to a UTC-based timestamp (NaT when absent or unreadable,
    with a warning naming how many could not be read); ``summary`` and
    ``summary_en`` are the sentences joined by spaces.
    """
    rows = []
    for result in _as_results(results):
        row = {
            "id": result.id,
            "date": result.date,
            "url": result.url,
            "language": result.language,
            "language_score": result.language_score,
            "title": result.title,
            "title_en": result.title_en,
            "n_entities": len(result.entities) + len(result.title_entities or ()),
            "summary": " ".join(result.summary),
            "summary_en": None if result.summary_en is None else " ".join(result.summary_en),
            "text": result.text,
            "text_en": result.text_en,
            "duplicate_of": result.duplicate_of,
            "ok": result.ok,
        }
        row.update({f"status_{stage}": value for stage, value in result.status.items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    statuses = [column for column in frame.columns if column.startswith("status_")]
    frame = frame.reindex(columns=[*ARTICLE_COLUMNS, *statuses])
    frame["date"] = _parse_dates(frame["date"])
    return frame


def entities_frame(results: ResultsLike) -> pd.DataFrame:
    """One row per distinct entity per article: ``id, label, canonical, english, count, date``.

    Uses each result's ``distinct_entities`` when the entities stage filled it
    in, and otherwise counts the mentions by ``(label, canonical)`` itself, so
    records from older runs give the same frame.
    """
    rows = []
    for result in _as_results(results):
        for entity in distinct_entities(result):
            rows.append({"id": result.id, **entity, "date": result.date})
    frame = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
    frame["count"] = frame["count"].astype("int64")
    frame["date"] = _parse_dates(frame["date"])
    return frame


def distinct_entities(result: Result) -> list[dict[str, Any]]:
    """Each distinct ``(label, canonical)`` of an article once, with its mention count, in order of first mention."""
    return [
        {key: entity[key] for key in ("label", "canonical", "english", "count")}
        for entity in result.distinct_entities or count_entities([*(result.title_entities or ()), *result.entities])
    ]


def plot_top_entities(
    data: ResultsLike | pd.DataFrame,
    labels: Iterable[str] | None = None,
    n: int = 10,
    measure: str = "articles",
) -> Figure:
    """Horizontal bars of the ``n`` most frequent entities, one panel per label.

    Args:
        data: results, records, a run's output path, or an ``entities_frame``.
        labels: the labels to show, in order; default every label present, most frequent first.
        n: bars per panel.
        measure: ``"articles"`` (how many articles name it) or ``"mentions"`` (how often it is named).

    Returns:
        The figure; its axes are ``figure.axes``, one per label.
    """
    plt = _pyplot()
    frame = _entities(data)
    if measure not in _MEASURES:
        raise ValueError(f"measure must be 'articles' or 'mentions', got {measure!r}")
    if labels is None:
        labels = frame.groupby("label")["count"].sum().sort_values(ascending=False).index
    labels = list(labels)
    if not labels:
        raise ValueError("no entities to plot")
    tops = [_in_reading_order(label, _totals(frame[frame["label"] == label], measure).head(n)) for label in labels]
    names = [[_wrap(name) for name in top.index[::-1]] for top in tops]
    text_lines = max(sum(name.count("\n") + 1 for name in panel) for panel in names)
    height = 1.6 + 0.28 * max(text_lines, 1) + 0.12 * n
    figure, axes = plt.subplots(
        1, len(labels), figsize=(4.2 * len(labels), height), layout="constrained", squeeze=False
    )
    for ax, label, top, panel in zip(axes[0], labels, tops, names):
        ax.barh(panel, top.values[::-1], color="#3a6ea5")
        ax.set_title(LABEL_NAMES.get(label, label), fontsize=13, loc="left")
        ax.set_xlabel(_MEASURES[measure], fontsize=11)
        ax.tick_params(labelsize=11)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.get_major_locator().set_params(integer=True)
        _plain(ax)
    figure.suptitle("Top entities by label", fontsize=14)
    return figure


def plot_mentions_over_time(
    data: ResultsLike | pd.DataFrame,
    label: str | None = "CITY",
    entities: Iterable[str] | None = None,
    top: int = 5,
    freq: str = "W",
    ax: Axes | None = None,
    smooth: int | None = None,
) -> Axes:
    """Articles per period that name each of a few entities: one line per entity.

    Args:
        data: results, records, a run's output path, or an ``entities_frame``.
        label: only entities with this label (``None``: any label).
        entities: the English names to plot; default the ``top`` most frequent.
        top: how many entities when ``entities`` is not given.
        freq: the period, ``"W"`` (weeks, starting Monday) or ``"M"`` (months).
        ax: draw into these axes instead of a new figure.
        smooth: draw a centred rolling mean over this many periods, with each period's own count as a faint
            dot (weekly counts of a news dump jump too much to read as a line); default 3 for weeks, 1 (the
            counts themselves) for months.

    Entities without a date cannot be placed in time: they are left out with a warning saying how many.
    """
    if freq not in ("W", "M"):
        raise ValueError(f"freq must be 'W' (weekly) or 'M' (monthly), got {freq!r}")
    frame = _entities(data)
    if label is not None:
        frame = frame[frame["label"] == label]
    undated = int(frame["date"].isna().sum())
    if undated:
        warnings.warn(f"{undated} entity rows have no date and are left out of the plot", stacklevel=2)
    frame = frame.dropna(subset=["date"])
    names = list(entities) if entities is not None else list(_totals(frame, "articles").head(top).index)
    if not names:
        raise ValueError("no dated entities to plot")
    period = frame["date"].dt.to_period(freq).dt.start_time
    counts = frame.assign(period=period).groupby(["period", "english"])["id"].nunique().unstack(fill_value=0)
    all_periods = pd.period_range(period.min(), period.max(), freq=freq).start_time
    counts = counts.reindex(index=all_periods, columns=names, fill_value=0)
    window = smooth if smooth is not None else {"W": 3, "M": 1}[freq]
    if window < 1:
        raise ValueError(f"smooth must be at least 1 period, got {window}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(9, 4.5), layout="constrained")
    for name in names:
        if window == 1:
            ax.plot(counts.index, counts[name], marker="o", markersize=3, linewidth=1.8, label=name)
            continue
        mean = counts[name].rolling(window, center=True, min_periods=1).mean()
        (line,) = ax.plot(counts.index, mean, linewidth=2.2, label=name)
        ax.scatter(counts.index, counts[name], s=9, color=line.get_color(), alpha=0.35, linewidths=0)
    subject = LABEL_NAMES.get(label, label) if label else "Entities"
    unit = {"W": "week", "M": "month"}[freq]
    average = f" ({window}-{unit} average; dots: each {unit})" if window > 1 else ""
    ax.set_title(f"{subject} in the news: articles per {unit}{average}", fontsize=13, loc="left")
    ax.set_xlabel(f"{unit} (start)", fontsize=11)
    ax.set_ylabel("articles", fontsize=11)
    ax.tick_params(labelsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=10, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _plain(ax)
    return ax


def plot_cooccurrence(
    data: ResultsLike | pd.DataFrame,
    rows: str = "ORG",
    columns: str = "CITY",
    n: int = 10,
    ax: Axes | None = None,
) -> Axes:
    """A heatmap of how many articles name both an entity of ``rows`` and one of ``columns``.

    The ``n`` most frequent entities of each label are shown; each cell is
    annotated with its count, so no colour bar is needed.
    """
    frame = _entities(data)
    row_names = list(_totals(frame[frame["label"] == rows], "articles").head(n).index)
    column_names = list(_totals(frame[frame["label"] == columns], "articles").head(n).index)
    if not row_names or not column_names:
        raise ValueError(f"no articles name both a {rows} and a {columns}")
    left = frame[(frame["label"] == rows) & frame["english"].isin(row_names)][["id", "english"]]
    right = frame[(frame["label"] == columns) & frame["english"].isin(column_names)][["id", "english"]]
    pairs = left.merge(right, on="id", suffixes=("_row", "_column")).drop_duplicates()
    matrix = (
        pairs.groupby(["english_row", "english_column"])["id"]
        .nunique()
        .unstack(fill_value=0)
        .reindex(index=row_names, columns=column_names, fill_value=0)
    )
    if ax is None:
        size = (max(7.0, 3.5 + 0.75 * len(column_names)), 1.6 + 0.5 * len(row_names))
        _, ax = _pyplot().subplots(figsize=size, layout="constrained")
    ax.imshow(matrix.values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(column_names)), [_wrap(name) for name in column_names], rotation=35, ha="right")
    ax.set_yticks(range(len(row_names)), [_wrap(name) for name in row_names])
    ax.tick_params(labelsize=10, length=0)
    threshold = matrix.values.max() / 2 if matrix.size else 0
    for (i, j), count in pd.DataFrame(matrix.values).stack().items():
        color = "white" if count > threshold else "#222"
        ax.text(j, i, str(count), ha="center", va="center", fontsize=9, color=color)
    row_title, column_title = LABEL_NAMES.get(rows, rows), LABEL_NAMES.get(columns, columns)
    ax.set_title(f"{row_title} and {column_title.lower()}: articles naming both", fontsize=13, loc="left")
    ax.set_xlabel(column_title, fontsize=11)
    ax.set_ylabel(row_title, fontsize=11)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


#: Panel titles per label, in plain words.
LABEL_NAMES = {
    "CITY": "Cities",
    "COUNTRY": "Countries",
    "LOCATION": "Locations",
    "ORG": "Organisations",
    "PERSON": "People",
    "YEAR": "Years",
    "DATE": "Dates",
    "MISC": "Other names",
}

#: Axis wording of each measure of ``plot_top_entities``.
_MEASURES = {"articles": "articles naming it", "mentions": "times named"}


#: Labels whose panel reads in time order (the most frequent ``n``, earliest at the top), not by count.
_CHRONOLOGICAL = ("YEAR", "DATE")


def _in_reading_order(label: str, top: pd.Series) -> pd.Series:
    """Years read best in time order; every other panel keeps largest first."""
    return top.sort_index() if label in _CHRONOLOGICAL else top


def _totals(frame: pd.DataFrame, measure: str) -> pd.Series:
    """Per English name: articles naming it or mentions, largest first (ties by name, so plots are stable)."""
    grouped = frame.groupby("english")
    totals = grouped["id"].nunique() if measure == "articles" else grouped["count"].sum()
    return (
        totals.rename("value")
        .reset_index()
        .sort_values(["value", "english"], ascending=[False, True])
        .set_index("english")["value"]
    )


def _entities(data: ResultsLike | pd.DataFrame) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        missing = [column for column in ENTITY_COLUMNS if column not in data.columns]
        if missing:
            raise ValueError(f"expected an entities_frame; the frame lacks columns {missing}")
        return data
    return entities_frame(data)


def _wrap(name: str) -> str:
    return textwrap.fill(name, _WRAP_CHARS)


def _plain(ax: Axes) -> None:
    """Drop the top and right frame lines: they carry no information."""
    ax.spines[["top", "right"]].set_visible(False)


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(f"plots need matplotlib: {_INSTALL_HINT}") from error
    return plt


def _as_results(results: ResultsLike) -> list[Result]:
    if isinstance(results, (str, PathLike)):
        return read_results(results)
    return [item if isinstance(item, Result) else Result.from_dict(item) for item in results]


def _parse_dates(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True).dt.tz_convert(None)
    unreadable = int((parsed.isna() & values.notna()).sum())
    if unreadable:
        example = values[parsed.isna() & values.notna()].iloc[0]
        warnings.warn(f"{unreadable} dates are not ISO 8601 (e.g. {example!r}) and became NaT", stacklevel=3)
    return parsed


def _is_results_file(path: Path) -> bool:
    if path.name in _NOT_RESULTS or not path.is_file():
        return False
    return path.name.endswith((".jsonl", ".jsonl.gz", ".parquet"))


def _read_file(path: Path) -> list[Result]:
    if path.name.endswith(".parquet"):
        records = enumerate(_parquet_records(path), start=1)
        return [_to_result(_from_parquet_row(record), f"{path}:{row}") for row, record in records]
    if path.name.endswith(".jsonl.gz"):
        stream = gzip.open(path, "rt", encoding="utf-8")
    elif path.name.endswith(".jsonl"):
        stream = path.open("r", encoding="utf-8")
    else:
        raise InputError(f"{path}: expected a .jsonl, .jsonl.gz or .parquet file, or a folder of them")
    results = []
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path}:{number}: invalid JSON: {error.msg}") from error
            results.append(_to_result(record, f"{path}:{number}"))
    return results


def _parquet_records(path: Path) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as parquet
    except ImportError as error:
        raise ImportError(f"reading {path} needs pyarrow: pip install pyarrow") from error
    return parquet.read_table(path).to_pylist()


def _from_parquet_row(row: dict[str, Any]) -> dict[str, Any]:
    """The written record back from a Parquet row (the inverse of ``pipeline.io.writers``' shaping).

    Arrow maps (``status``, ``models``) come back as ``(key, value)`` pairs; a
    struct has every field in every row (null where a record lacked it); keys
    without a column of their own were stored as JSON in ``extra``.
    """
    record = dict(row)
    for field in FIELDS.values():
        value = record.get(field.name)
        if field.column == "map<string,string>" and isinstance(value, list):
            record[field.name] = dict(value)
        elif field.column == "map<string,string>" and isinstance(value, dict):
            record[field.name] = {key: item for key, item in value.items() if item is not None}
        elif field.items and field.extra and value is not None:
            record[field.name] = [_from_struct(item) for item in value]
    return record


def _from_struct(item: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in item.items() if value is not None and key != "extra"}
    if isinstance(item.get("extra"), str):
        values.update(json.loads(item["extra"]))
    return values


def _to_result(record: Any, location: str) -> Result:
    if not isinstance(record, dict):
        raise InputError(f"{location}: expected a result record (a JSON object), got {type(record).__name__}")
    try:
        return Result.from_dict(record)
    except InputError as error:
        raise InputError(f"{location}: {error}") from error
