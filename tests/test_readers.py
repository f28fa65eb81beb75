"""Every dump format streams articles with a location, and bad records become located failures."""

from __future__ import annotations

import gzip
import io
import json
import random
from pathlib import Path

import pytest

from pipeline.document import Article
from pipeline.io import FieldMap, MissingInput, ReadFailure, ReadProgress, SkippedInput, expand_inputs, read_inputs

PARAGRAPH = (
    "De gemeenteraad van Deventer heeft dinsdagavond ingestemd met de bouw van driehonderd huurwoningen "
    "aan de rand van de stad. Wethouder Bakker verwacht dat de eerste bewoners in 2026 hun sleutel krijgen. "
    "Omwonenden vrezen meer verkeer op de smalle dijkweg en willen een tweede ontsluiting."
)

ARTICLE_PAGE = f"""<html><head><title>Deventer bouwt driehonderd huurwoningen</title>
<meta property="article:published_time" content="2024-05-14T09:30:00+02:00"></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Deventer bouwt driehonderd huurwoningen</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH.upper()}</p></article>
<footer>Copyright Dagblad Oost</footer></body></html>"""

CONTACT_PAGE = """<html><head><title>Contact</title></head><body>
<nav><a href="/">Home</a></nav><form>Naam <input name="naam"> E-mail <input name="mail"></form></body></html>"""


def records(count: int) -> list[dict[str, str]]:
    return [
        {"guid": f"n{index}", "body": f"Bericht {index}. {PARAGRAPH}", "kop": f"Kop {index}"} for index in range(count)
    ]


MAPPING = FieldMap(text="body", id="guid", title="kop")


def write_lines(path: Path, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data)
    elif path.suffix == ".zst":
        zstandard = pytest.importorskip("zstandard")
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.jsonl.gz", "dump.jsonl.zst"])
def test_jsonl_plain_gzip_and_zstandard_give_the_same_articles_with_line_locations(tmp_path: Path, name: str):
    path = tmp_path / name
    write_lines(path, [json.dumps(record) for record in records(3)])
    articles = list(read_inputs([str(path)], MAPPING))
    assert [a.id for a in articles] == ["n0", "n1", "n2"]
    assert articles[1].title == "Kop 1" and articles[1].text.startswith("Bericht 1.")
    assert [a.location for a in articles] == [f"{path}:{line}" for line in (1, 2, 3)]


def test_field_mapping_names_the_missing_field(tmp_path: Path):
    path = tmp_path / "dump.jsonl"
    write_lines(path, [json.dumps({"guid": "x", "text": "verkeerd veld"})])
    (failure,) = read_inputs([str(path)], MAPPING)
    assert failure == ReadFailure(f"{path}:1", "record has no 'body' field (fields: ['guid', 'text'])")


def test_truncated_gzip_keeps_the_records_before_the_break_and_reports_where_it_broke(tmp_path: Path):
    path = tmp_path / "dump.jsonl.gz"
    lines = [json.dumps(record) for record in records(400)]
    whole = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    path.write_bytes(whole[: len(whole) // 2])
    items = list(read_inputs([str(path)], MAPPING))
    *articles, failure = items
    assert articles and all(isinstance(a, Article) for a in articles)
    assert isinstance(failure, ReadFailure) and failure.message.startswith("truncated or corrupt file")
    assert failure.location.startswith(f"{path}:")


def test_a_line_in_cp1252_is_decoded_not_mangled(tmp_path: Path):
    path = tmp_path / "dump.jsonl"
    path.write_bytes(json.dumps({"text": "Één café in Enschede"}, ensure_ascii=False).encode("cp1252") + b"\n")
    (article,) = read_inputs([str(path)])
    assert article.text == "Één café in Enschede"


def test_csv_rows_with_the_wrong_column_count_are_located_failures(tmp_path: Path):
    path = tmp_path / "dump.csv"
    path.write_text(
        'guid,kop,body\nn1,Eerste,"Een bericht\nover twee regels"\nn2,Tweede\nn3,Derde,"Nog een bericht"\n',
        encoding="utf-8",
    )
    first, failure, third = read_inputs([str(path)], MAPPING)
    assert first.id == "n1" and first.text == "Een bericht\nover twee regels" and first.location == f"{path}:2"
    assert failure == ReadFailure(f"{path}:4", "row has 2 columns, the header has 3")
    assert third.id == "n3" and third.location == f"{path}:5"


def test_parquet_is_read_by_row_with_row_locations_and_dates_as_text(tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime

    path = tmp_path / "dump.parquet"
    rows = records(1100)
    table = pa.Table.from_pylist(
        [{**row, "published": datetime.date(2024, 1, 1 + index % 28), "extra": 1} for index, row in enumerate(rows)]
    )
    pq.write_table(table, path, row_group_size=300)
    articles = list(read_inputs([str(path)], FieldMap(text="body", id="guid", title="kop", date="published")))
    assert len(articles) == 1100 and [a.id for a in articles[:2]] == ["n0", "n1"]
    assert articles[1099].location == f"{path}#1099" and articles[30].date == "2024-01-03"


def test_parquet_without_the_text_column_says_which_columns_it_has(tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "dump.parquet"
    pq.write_table(pa.Table.from_pylist(records(2)), path)
    (failure,) = read_inputs([str(path)])
    assert "no column 'text'" in failure.message and "body" in failure.message


def test_html_pages_give_the_article_or_say_they_are_not_one(tmp_path: Path):
    pytest.importorskip("trafilatura")
    (tmp_path / "deventer.html").write_text(ARTICLE_PAGE, encoding="utf-8")
    (tmp_path / "contact.htm").write_text(CONTACT_PAGE, encoding="utf-8")
    skipped, article = read_inputs([str(tmp_path)])
    assert article.id == "deventer.html" and article.title == "Deventer bouwt driehonderd huurwoningen"
    assert article.date == "2024-05-14" and "Wethouder Bakker" in article.text and "Copyright" not in article.text
    assert skipped == SkippedInput(str(tmp_path / "contact.htm"), "not an article", "contact.htm", None, "Contact")


def write_warc(path: Path, truncate: bool = False) -> None:
    """A small crawl: an article, a contact page, an image and a request record."""
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders

    buffer = io.BytesIO()
    writer = warcio.WARCWriter(buffer, gzip=True)
    pages = [
        ("https://krant.example/deventer", "text/html; charset=utf-8", ARTICLE_PAGE.encode("utf-8")),
        ("https://krant.example/contact", "text/html", CONTACT_PAGE.encode("utf-8")),
        ("https://krant.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ]
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "krant.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request))
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - 40] if truncate else data)


def test_warc_response_records_become_articles_located_by_offset(tmp_path: Path):
    pytest.importorskip("trafilatura")
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    article, contact, image = read_inputs([str(path)])
    assert article.url == "https://krant.example/deventer" and "Deventer" in article.title
    assert article.location == f"{path}@0" and len(article.id) == 36
    assert isinstance(contact, SkippedInput) and contact.reason == "not an article"
    assert isinstance(image, SkippedInput) and image.reason == "not HTML (image/png)"
    offsets = [int(item.location.rsplit("@", 1)[1]) for item in (article, contact, image)]
    assert offsets == sorted(offsets) and len(set(offsets)) == 3


def test_truncated_warc_is_reported_after_the_complete_records(tmp_path: Path):
    pytest.importorskip("trafilatura")
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, truncate=True)
    *complete, failure = read_inputs([str(path)])
    assert len(complete) == 3
    assert isinstance(failure, ReadFailure) and "truncated" in failure.message


def test_globs_and_folders_are_expanded_in_sorted_order(tmp_path: Path):
    for name in ("b.jsonl", "a.jsonl", "c.txt", "notes.md"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert expand_inputs([str(tmp_path / "*.jsonl")]) == [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    assert expand_inputs([str(tmp_path)]) == [str(tmp_path / name) for name in ("a.jsonl", "b.jsonl", "c.txt")]


@pytest.mark.parametrize("pattern", ["nope.jsonl", "nope-*.jsonl"])
def test_a_missing_input_is_an_error_before_anything_is_read(tmp_path: Path, pattern: str):
    with pytest.raises(MissingInput, match="nope"):
        expand_inputs([str(tmp_path / pattern)])


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.jsonl.gz", "dump.jsonl.zst", "dump.csv"])
def test_read_progress_counts_the_bytes_read_of_each_file_towards_their_total(tmp_path: Path, name: str):
    first, second = tmp_path / "a" / name, tmp_path / "b" / name
    noise = random.Random(0)
    rows = [{**row, "kop": noise.randbytes(600).hex()} for row in records(1000)]  # compressed: many read buffers
    for path in (first, second):
        path.parent.mkdir()
        if name.endswith(".csv"):
            path.write_text("guid,body,kop\n" + "".join(f'{r["guid"]},"{r["body"]}",{r["kop"]}\n' for r in rows))
        else:
            write_lines(path, [json.dumps(record) for record in rows])
    files = [str(first), str(second)]
    progress = ReadProgress(files)
    assert progress.total_bytes == first.stat().st_size + second.stat().st_size
    seen = []
    for count, _ in enumerate(read_inputs(files, MAPPING, progress), start=1):
        if count in (500, 1500):
            seen.append((progress.file, progress.bytes_read))
    (file_one, early), (file_two, late) = seen
    assert (file_one, file_two) == (str(first), str(second))
    assert 0 < early < first.stat().st_size < late < progress.total_bytes
    assert progress.bytes_read == progress.total_bytes and progress.file is None


def test_parquet_inputs_give_their_record_count_up_front(tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "dump.parquet"
    parquet.write_table(pa.Table.from_pylist(records(7)), path)
    assert ReadProgress([str(path)]).total_records == 7
    assert ReadProgress([str(path), "-"]).total_records is None and ReadProgress(["-"]).total_bytes is None


def test_a_hostile_json_line_costs_only_itself(tmp_path: Path):
    path = tmp_path / "poison.jsonl"
    lines = [
        json.dumps({"id": "goed-1", "text": PARAGRAPH}),
        "[" * 100_000,
        '{"id": ' + "9" * 5000 + ', "text": "Een id van vijfduizend cijfers."}',
        '{"id": "groot", "text": ' + "7" * 5000 + "}",
        '{"id": "surrogaat", "text": "Half teken: \\ud800."}',
        "12345",
        json.dumps({"id": "goed-2", "text": PARAGRAPH}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, nested, long_id, long_text, surrogate, number, last = read_inputs([str(path)])
    assert (first.id, last.id) == ("goed-1", "goed-2")
    assert nested == ReadFailure(f"{path}:2", "invalid JSON: nested too deeply to read")
    assert isinstance(long_id, Article) and long_id.id == "9" * 5000, "an integer id is read as its digits"
    assert long_text == ReadFailure(f"{path}:4", "field 'text' must be a string, got int")
    assert surrogate.text == "Half teken: \ud800.", "kept for admission, which replaces it and says so"
    assert number == ReadFailure(f"{path}:6", "expected a JSON object, got int")


def test_a_missing_text_field_is_an_error_but_an_empty_text_is_an_article(tmp_path: Path):
    path = tmp_path / "leeg.jsonl"
    path.write_text('{"id": "a"}\n{"id": "b", "text": ""}\n{"text": null}\n{"text": ""}\n', encoding="utf-8")
    missing, empty, null, anonymous = read_inputs([str(path)])
    assert missing == ReadFailure(f"{path}:1", "record has no 'text' field (fields: ['id'])")
    assert (empty.id, empty.text) == ("b", "")
    assert null.text == "" and anonymous.text == "" and null.id != anonymous.id, "located, so never a repeated id"


def test_half_a_zstandard_file_ends_in_a_failure_naming_file_and_byte(tmp_path: Path):
    zstandard = pytest.importorskip("zstandard")
    lines = "".join(json.dumps(record) + "\n" for record in records(2000)).encode("utf-8")
    whole = zstandard.ZstdCompressor().compress(lines)
    path = tmp_path / "dump.jsonl.zst"
    path.write_bytes(whole[: len(whole) // 2])
    *articles, failure = read_inputs([str(path)], MAPPING)
    assert 0 < len(articles) < 2000 and all(isinstance(a, Article) for a in articles)
    assert isinstance(failure, ReadFailure) and failure.location == f"{path}:{len(articles) + 1}"
    assert f"at byte {len(whole) // 2:,} of {len(whole) // 2:,}" in failure.message and "cut short" in failure.message


def test_several_zstandard_frames_are_one_stream(tmp_path: Path):
    zstandard = pytest.importorskip("zstandard")
    frames = [zstandard.ZstdCompressor().compress((json.dumps(r) + "\n").encode()) for r in records(3)]
    path = tmp_path / "frames.jsonl.zst"
    path.write_bytes(b"".join(frames))
    assert [a.id for a in read_inputs([str(path)], MAPPING)] == ["n0", "n1", "n2"]


def test_a_truncated_gzip_failure_says_at_which_byte(tmp_path: Path):
    path = tmp_path / "dump.jsonl.gz"
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in records(50)).encode("utf-8"))
    path.write_bytes(whole[:-20])
    *_, failure = read_inputs([str(path)], MAPPING)
    assert isinstance(failure, ReadFailure) and f"of {len(whole) - 20:,}" in failure.message


def write_plain_warc(path: Path, pages: int = 3) -> int:
    """An uncompressed WARC of article pages as warcio writes it; returns its size."""
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders

    with path.open("wb") as stream:
        writer = warcio.WARCWriter(stream, gzip=False)
        for index in range(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = ARTICLE_PAGE.replace("Deventer bouwt", f"Deventer bouwt {index}").encode("utf-8")
            url = f"https://krant.example/{index}"
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
    return path.stat().st_size


def test_a_valid_uncompressed_warc_has_no_truncation_failure(tmp_path: Path):
    pytest.importorskip("trafilatura")
    path = tmp_path / "crawl.warc"
    write_plain_warc(path)
    items = list(read_inputs([str(path)]))
    assert len(items) == 3 and not any(isinstance(item, ReadFailure) for item in items)


def test_an_uncompressed_warc_cut_short_never_gives_its_last_record_as_complete(tmp_path: Path):
    pytest.importorskip("trafilatura")
    path = tmp_path / "crawl.warc"
    size = write_plain_warc(path)
    path.write_bytes(path.read_bytes()[: size - 300])
    *complete, failure = read_inputs([str(path)])
    assert len(complete) == 2, "the third record is cut: it must not be an article"
    assert isinstance(failure, ReadFailure) and failure.location.startswith(f"{path}@")
    assert "truncated" in failure.message


def test_garbage_that_starts_like_a_warc_is_a_failure(tmp_path: Path):
    pytest.importorskip("warcio")
    path = tmp_path / "garbage.warc"
    path.write_bytes(b"WARC/1.0\r\n" + bytes(range(256)) * 40)
    (failure,) = read_inputs([str(path)])
    assert isinstance(failure, ReadFailure) and failure.location == f"{path}@0"


DUTCH = "Café De Zwaan: één coöperatie uit België, geïnteresseerd in de reünie."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl", ".html"])
def test_dutch_text_decodes_right_in_every_reader_and_common_encoding(tmp_path: Path, encoding: str, suffix: str):
    if suffix == ".html":
        pytest.importorskip("trafilatura")
    text = f"{DUTCH} {PARAGRAPH}"
    content = {
        ".txt": text,
        ".csv": f'id,text\nc1,"{text}"\n',
        ".jsonl": json.dumps({"id": "j1", "text": text}, ensure_ascii=False) + "\n",
        ".html": ARTICLE_PAGE.replace(PARAGRAPH, text, 1),
    }[suffix]
    bom = "\ufeff" if encoding.startswith("utf-16") else ""
    path = tmp_path / f"stuk{suffix}"
    path.write_bytes((bom + content).encode(encoding))
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article) and DUTCH in article.text
    if suffix == ".csv":
        assert article.id == "c1", "a byte order mark must not rename the id column"


def test_a_csv_field_far_over_the_csv_module_default_is_read(tmp_path: Path):
    path = tmp_path / "lang.csv"
    body = ("Een lange zin over de Deventer huurwoningen. " * 6000).strip()
    assert len(body) > 131_072
    path.write_text(f'id,text\nlang,"{body}"\n', encoding="utf-8")
    (article,) = read_inputs([str(path)])
    assert article.id == "lang" and article.text == body


def test_one_article_files_are_named_by_their_path_below_the_input(tmp_path: Path):
    for name in ("a/x.txt", "b/x.txt", "x.txt", "x.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(ARTICLE_PAGE if name.endswith(".html") else PARAGRAPH, encoding="utf-8")
    assert [item.id for item in read_inputs([str(tmp_path)])] == ["a/x.txt", "b/x.txt", "x.html", "x.txt"]
    assert [item.id for item in read_inputs([str(tmp_path / "*" / "x.txt")])] == ["a/x.txt", "b/x.txt"]
    named = [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")]
    assert [item.id for item in read_inputs(named)] == ["a/x.txt", "b/x.txt"], "named files: below their common folder"
    assert [item.id for item in read_inputs(named[:1])] == ["x.txt"]
