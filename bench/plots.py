"""Render each plot helper, one result's HTML view and a run's report to files a reviewer can open without Jupyter.

The data is a generated half year of Dutch local news: a few organisations
and cities recur with different frequencies and one story (the IND office in
Zwolle) peaks in spring, so the charts have something to show. The offline
pipeline finds the entities; nothing in the charts is typed in by hand.
The report (``nlnews report`` of the same run) is also photographed in
headless Chromium, when one is installed, as ``bench/out/report.png``.

    python -m bench.plots --articles 300 --out bench/out/plots
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from pipeline import Pipeline  # noqa: E402
from pipeline.analysis import (  # noqa: E402
    entities_frame,
    plot_cooccurrence,
    plot_mentions_over_time,
    plot_top_entities,
    read_results,
)
from pipeline.display import render_result, results_table  # noqa: E402
from pipeline.report import write_report  # noqa: E402
from pipeline.report.browser import find_chromium, load  # noqa: E402
from pipeline.runner import JobOptions, run_job  # noqa: E402

#: Names as they appear in the text, with how often they are picked (weights).
CITIES = {"Amsterdam": 6, "Rotterdam": 5, "Den Haag": 4, "Utrecht": 4, "Zwolle": 3, "Groningen": 2, "Eindhoven": 2}
ORGANISATIONS = {"IND": 4, "Belastingdienst": 4, "NS": 3, "Rijkswaterstaat": 3, "GGD": 2, "Tweede Kamer": 2}

SENTENCES = (
    "De {org} opent in {year} een nieuw kantoor in {city}.",
    "Volgens de {org} is het loket in {city} te vaak dicht.",
    "De gemeente {city} wacht nog op een antwoord van de {org}.",
    "Bewoners van {city} zijn verdeeld over het plan.",
    "Het besluit moet in {year} worden herzien.",
    "De kosten vallen hoger uit dan verwacht.",
)

HEADLINES = (
    "{org} kiest voor {city}",
    "Nieuw kantoor {org} in {city}",
    "Zorgen in {city} over plan {org}",
    "{city} wacht op {org}",
)


def sample_dump(count: int, seed: int = 3) -> list[dict[str, str]]:
    """Dated articles over the first half of 2024; the IND-in-Zwolle story peaks in April."""
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    articles = []
    for number in range(count):
        day = start + dt.timedelta(days=rng.randrange(182))
        spring_story = dt.date(2024, 3, 25) <= day <= dt.date(2024, 5, 5) and rng.random() < 0.5
        sentences = []
        for template in rng.sample(SENTENCES, k=rng.randint(3, 5)):
            names = {
                "city": "Zwolle" if spring_story else rng.choices(list(CITIES), weights=list(CITIES.values()))[0],
                "org": "IND"
                if spring_story
                else rng.choices(list(ORGANISATIONS), weights=list(ORGANISATIONS.values()))[0],
                "year": str(rng.randint(2024, 2027)),
            }
            sentences.append(template.format(**names))
        title = rng.choice(HEADLINES).format(**names)
        articles.append(
            {"id": f"nieuws-{number:04d}", "title": title, "date": day.isoformat(), "text": " ".join(sentences)}
        )
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench/out/plots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    dump, run = args.out / "dump.jsonl", args.out / "run.jsonl"
    dump.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in sample_dump(args.articles)), "utf-8")
    run_job(Pipeline("offline"), [str(dump)], str(run), progress=False, options=JobOptions(workers=1))
    results = read_results(run)
    frame = entities_frame(results)
    print(f"{len(results)} articles, {len(frame)} entity rows in {time.perf_counter() - started:.1f} s")

    figure = plot_top_entities(frame, labels=["CITY", "ORG", "YEAR"], n=8)
    figure.savefig(args.out / "top_entities.png", dpi=110)
    ax = plot_mentions_over_time(frame, label="CITY", top=4, freq="W")
    ax.figure.savefig(args.out / "mentions_over_time.png", dpi=110)
    ax = plot_cooccurrence(frame, rows="ORG", columns="CITY")
    ax.figure.savefig(args.out / "cooccurrence.png", dpi=110)
    plt.close("all")

    page = render_result(results[0]) + results_table(results[:10])._repr_html_()
    (args.out / "results.html").write_text(f"<!DOCTYPE html><meta charset='utf-8'>{page}", "utf-8")
    for name in ("top_entities.png", "mentions_over_time.png", "cooccurrence.png", "results.html"):
        print(args.out / name)

    started = time.perf_counter()
    report = write_report(run, args.out.parent / "report.html")
    print(f"{report}: {report.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
    if find_chromium() is None:
        print("no Chromium installed (apt-get install chromium): no screenshot of the report")
        return
    screenshot = args.out.parent / "report.png"
    load(report.resolve().as_uri(), screenshot=screenshot.resolve(), size=(1400, 4600))
    print(screenshot)


if __name__ == "__main__":
    main()
