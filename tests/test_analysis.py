"""DataFrames and plots over results: what an analyst gets from one call.

The 100-article test generates Dutch articles whose city, organisation and
year mentions it chooses itself, so the expected counts are known before the
pipeline runs and are counted independently of it.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import pipeline  # noqa: E402
from pipeline import Pipeline, Result  # noqa: E402
from pipeline.analysis import (  # noqa: E402
    ARTICLE_COLUMNS,
    ENTITY_COLUMNS,
    entities_frame,
    plot_cooccurrence,
    plot_mentions_over_time,
    plot_top_entities,
    read_results,
    to_dataframe,
)
from pipeline.document import Entity  # noqa: E402
from pipeline.errors import InputError  # noqa: E402

#: Name in the text -> (label, canonical, english), as the offline gazetteer and glossary give them.
CITIES = {
    "Amsterdam": ("CITY", "Amsterdam", "Amsterdam"),
    "Rotterdam": ("CITY", "Rotterdam", "Rotterdam"),
    "Zwolle": ("CITY", "Zwolle", "Zwolle"),
    "Groningen": ("CITY", "Groningen", "Groningen"),
    "Den Haag": ("CITY", "'s-Gravenhage", "The Hague"),
}
ORGANISATIONS = {
    "IND": ("ORG", "Immigratie- en Naturalisatiedienst", "Immigration and Naturalisation Service"),
    "Belastingdienst": ("ORG", "Belastingdienst", "Tax and Customs Administration"),
    "NS": ("ORG", "Nederlandse Spoorwegen", "Dutch Railways"),
}
YEARS = ("2019", "2021", "2023", "2025")

#: Sentence templates; each slot is filled with one name and is one mention.
TEMPLATES = (
    "De {org} opent in {year} een nieuw kantoor in {city}.",
    "Volgens de {org} is het loket in {city} vaak druk.",
    "De wethouder van {city} is blij met het besluit.",
    "Het plan moet in {year} klaar zijn.",
    "Bewoners hebben nog veel vragen over de kosten.",
)


def generate_articles(count: int, seed: int = 7) -> tuple[list[dict], dict[str, Counter]]:
    """Articles with chosen mentions, and per article the expected ``(label, canonical, english)`` counts."""
    rng = random.Random(seed)
    articles, expected = [], {}
    for number in range(count):
        sentences, counts = [], Counter()
        for template in rng.sample(TEMPLATES, k=rng.randint(2, 5)):
            names = {
                "city": rng.choice(list(CITIES)),
                "org": rng.choice(list(ORGANISATIONS)),
                "year": rng.choice(YEARS),
            }
            sentences.append(template.format(**names))
            for slot, table in (("city", CITIES), ("org", ORGANISATIONS)):
                if "{" + slot + "}" in template:
                    counts[table[names[slot]]] += 1
            if "{year}" in template:
                counts[("YEAR", names["year"], names["year"])] += 1
        article_id = f"art-{number:03d}"
        day = 1 + number % 28
        articles.append({"id": article_id, "text": " ".join(sentences), "date": f"2024-{1 + number % 6:02d}-{day:02d}"})
        expected[article_id] = counts
    return articles, expected


@pytest.fixture(scope="module")
def generated() -> tuple[list[dict], dict[str, Counter], list[Result]]:
    articles, expected = generate_articles(100)
    return articles, expected, Pipeline("offline")(articles)


def test_entities_frame_counts_each_distinct_entity_per_article(generated):
    articles, expected, results = generated
    frame = entities_frame(results)
    assert list(frame.columns) == list(ENTITY_COLUMNS)
    found = {
        article_id: Counter({(row.label, row.canonical, row.english): row.count for row in rows.itertuples()})
        for article_id, rows in frame.groupby("id")
    }
    assert {key: value for key, value in found.items()} == {key: value for key, value in expected.items() if value}
    assert frame["count"].sum() == sum(sum(counts.values()) for counts in expected.values())


def test_entities_frame_is_ready_for_groupby(generated):
    articles, expected, results = generated
    frame = entities_frame(results)
    articles_per_city = frame[frame["label"] == "CITY"].groupby("english")["id"].nunique()
    independent = Counter(english for counts in expected.values() for (label, _, english) in counts if label == "CITY")
    assert articles_per_city.to_dict() == dict(independent)
    dates = dict(zip(frame["id"], frame["date"]))
    assert dates["art-000"] == pd.Timestamp(articles[0]["date"])


def test_to_dataframe_has_one_row_per_article_with_stage_statuses(generated):
    articles, expected, results = generated
    frame = to_dataframe(results)
    assert len(frame) == 100
    assert list(frame["id"]) == [article["id"] for article in articles]
    assert (frame["n_entities"] == [sum(expected[a["id"]].values()) for a in articles]).all()
    assert (frame["status_entities"] == "ok").all()
    assert frame["status_translate"].str.startswith("skipped").all()
    assert frame["date"].dtype.kind == "M"


def test_frames_are_exported_from_the_package():
    assert pipeline.to_dataframe is to_dataframe
    assert pipeline.entities_frame is entities_frame
    assert pipeline.read_results is read_results


def test_a_finished_runs_jsonl_loads_in_one_call(generated, tmp_path):
    _, _, results = generated
    output = tmp_path / "run.jsonl"
    output.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results), "utf-8")
    assert read_results(output)[5].to_dict() == results[5].to_dict()
    pd.testing.assert_frame_equal(entities_frame(output), entities_frame(results))
    pd.testing.assert_frame_equal(to_dataframe(str(output)), to_dataframe(results))


def test_a_folder_of_shards_is_read_in_order_without_errors_file(generated, tmp_path):
    _, _, results = generated
    for shard, part in enumerate((results[:40], results[40:])):
        lines = "".join(json.dumps(r.to_dict()) + "\n" for r in part)
        (tmp_path / f"part-{shard:05d}.jsonl").write_text(lines, "utf-8")
    (tmp_path / "errors.jsonl").write_text('{"location": "dump.jsonl:3", "message": "invalid JSON"}\n', "utf-8")
    assert [r.id for r in read_results(tmp_path)] == [r.id for r in results]


def test_a_parquet_table_gives_the_same_frames(generated, tmp_path):
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    _, _, results = generated
    path = tmp_path / "run.parquet"
    parquet.write_table(pa.Table.from_pylist([r.to_dict() for r in results]), path)
    pd.testing.assert_frame_equal(entities_frame(path), entities_frame(results))
    assert read_results(path)[0].status == results[0].status


def test_the_runs_own_parquet_output_reads_back_record_for_record(generated, tmp_path):
    pytest.importorskip("pyarrow")
    writers = pytest.importorskip("pipeline.io.writers")
    if not hasattr(writers, "ParquetWriter"):
        pytest.skip("this checkout has no Parquet writer")
    _, _, results = generated
    path = tmp_path / "run.parquet"
    with writers.ParquetWriter(path) as writer:
        for result in results:
            writer.write(result.to_dict())
    assert [r.to_dict() for r in read_results(path)] == [r.to_dict() for r in results]


def test_distinct_entities_from_the_stage_are_used_when_present():
    result = Result(id="a", text="Zwolle en Zwolle", date="2024-05-01")
    result.entities = [
        Entity("Zwolle", "CITY", 0, 6, "Zwolle", "Zwolle"),
        Entity("Zwolle", "CITY", 10, 16, "Zwolle", "Zwolle"),
    ]
    assert entities_frame([result])["count"].tolist() == [2]
    result.distinct_entities = [{"label": "CITY", "canonical": "Zwolle", "english": "Zwolle", "count": 5}]
    assert entities_frame([result])["count"].tolist() == [5]


def test_the_title_entities_are_counted_with_the_body_ones():
    result = Result(id="a", text="Zwolle groeit.", title="Zwolle")
    result.entities = [Entity("Zwolle", "CITY", 0, 6, "Zwolle", "Zwolle")]
    result.title_entities = [Entity("Zwolle", "CITY", 0, 6, "Zwolle", "Zwolle")]
    assert entities_frame([result])["count"].tolist() == [2]
    assert to_dataframe([result])["n_entities"].tolist() == [2]


def test_records_as_dicts_are_accepted_and_empty_input_gives_typed_columns():
    record = Result(id="a", text="x", status={"clean": "ok"}).to_dict()
    assert to_dataframe([record])["id"].tolist() == ["a"]
    empty = entities_frame([])
    assert list(empty.columns) == list(ENTITY_COLUMNS) and len(empty) == 0
    assert list(to_dataframe([]).columns) == list(ARTICLE_COLUMNS)


def test_unreadable_dates_become_nat_with_a_warning():
    results = [Result(id="a", text="t", date="gisteren"), Result(id="b", text="t", date="2024-02-03T10:00:00+01:00")]
    with pytest.warns(UserWarning, match="1 dates are not ISO 8601"):
        frame = to_dataframe(results)
    assert pd.isna(frame["date"][0]) and frame["date"][1] == pd.Timestamp("2024-02-03 09:00")


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json\n", "run.jsonl:1: invalid JSON"), ('{"id": "x"}\n', "run.jsonl:1: record lacks fields")],
)
def test_a_broken_output_file_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "run.jsonl"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        read_results(path)


def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_results(tmp_path / "nothing.jsonl")


def test_top_entities_has_one_panel_per_label_with_the_most_named_first(generated):
    _, expected, results = generated
    figure = plot_top_entities(results, labels=["CITY", "ORG"], n=3)
    city_axes, org_axes = figure.axes
    assert city_axes.get_title(loc="left") == "Cities" and org_axes.get_title(loc="left") == "Organisations"
    articles_per_city = Counter(e for c in expected.values() for (label, _, e) in c if label == "CITY")
    top_bar = city_axes.get_yticklabels()[-1].get_text().replace("\n", " ")
    assert articles_per_city[top_bar] == max(articles_per_city.values())
    assert len(city_axes.patches) == 3
    matplotlib.pyplot.close(figure)


def test_top_entities_by_mentions_sums_the_counts(generated):
    _, expected, results = generated
    figure = plot_top_entities(results, labels=["ORG"], measure="mentions")
    bars = figure.axes[0]
    shown = {
        label.get_text().replace("\n", " "): bar.get_width() for label, bar in zip(bars.get_yticklabels(), bars.patches)
    }
    mentions = Counter()
    for counts in expected.values():
        mentions.update({english: n for (label, _, english), n in counts.items() if label == "ORG"})
    assert shown == dict(mentions)
    assert bars.get_xlabel() == "times named"
    matplotlib.pyplot.close(figure)


def test_mentions_over_time_counts_articles_per_month(generated):
    _, _, results = generated
    frame = entities_frame(results)
    ax = plot_mentions_over_time(frame, label="CITY", entities=["Zwolle"], freq="M")
    line = ax.get_lines()[0]
    per_month = frame[frame["english"] == "Zwolle"].groupby(frame["date"].dt.month)["id"].nunique()
    assert list(line.get_ydata()) == per_month.reindex(range(1, 7), fill_value=0).tolist()
    assert ax.get_ylabel() == "articles" and ax.get_title(loc="left") == "Cities in the news: articles per month"
    matplotlib.pyplot.close(ax.figure)


def test_weekly_mentions_are_a_three_week_average_over_dots_of_each_week(generated):
    _, _, results = generated
    frame = entities_frame(results)
    ax = plot_mentions_over_time(frame, label="CITY", entities=["Zwolle"], freq="W")
    zwolle = frame[frame["english"] == "Zwolle"]
    weeks = zwolle["date"].dt.to_period("W").dt.start_time
    per_week = zwolle.groupby(weeks)["id"].nunique()
    per_week = per_week.reindex(pd.period_range(weeks.min(), weeks.max(), freq="W").start_time, fill_value=0)
    dots = ax.collections[0].get_offsets()[:, 1]
    assert list(dots) == per_week.tolist()
    expected = [per_week.iloc[max(0, i - 1) : i + 2].mean() for i in range(len(per_week))]
    assert ax.get_lines()[0].get_ydata() == pytest.approx(expected)
    assert "3-week average" in ax.get_title(loc="left")
    matplotlib.pyplot.close(ax.figure)


def test_the_years_panel_reads_in_time_order(generated):
    _, _, results = generated
    figure = plot_top_entities(results, labels=["YEAR", "CITY"], n=4)
    years, cities = figure.axes
    top_to_bottom = [label.get_text() for label in years.get_yticklabels()][::-1]
    assert top_to_bottom == sorted(YEARS)
    widths = [bar.get_width() for bar in cities.patches][::-1]
    assert widths == sorted(widths, reverse=True), "other panels stay largest first"
    matplotlib.pyplot.close(figure)


def test_cooccurrence_cells_count_articles_naming_both(generated):
    _, expected, results = generated
    ax = plot_cooccurrence(results, rows="ORG", columns="CITY", n=10)
    cells = {(text.get_position()): int(text.get_text()) for text in ax.texts}
    rows = [label.get_text().replace("\n", " ") for label in ax.get_yticklabels()]
    columns = [label.get_text().replace("\n", " ") for label in ax.get_xticklabels()]
    both = Counter()
    for counts in expected.values():
        orgs = {e for (label, _, e) in counts if label == "ORG"}
        cities = {e for (label, _, e) in counts if label == "CITY"}
        both.update((org, city) for org in orgs for city in cities)
    assert {(rows[int(y)], columns[int(x)]): n for (x, y), n in cells.items()} == {
        (org, city): both[(org, city)] for org in rows for city in columns
    }
    matplotlib.pyplot.close(ax.figure)


def test_plots_reject_what_they_cannot_draw():
    with pytest.raises(ValueError, match="freq"):
        plot_mentions_over_time([], freq="D")
    with pytest.raises(ValueError, match="no entities"):
        plot_top_entities([])
    with pytest.raises(ValueError, match="entities_frame"):
        plot_cooccurrence(pd.DataFrame({"id": []}))


def test_reading_a_results_folder_ignores_manifests(tmp_path: Path):
    (tmp_path / "run.manifest.json").write_text("{}", "utf-8")
    assert read_results(tmp_path) == []
