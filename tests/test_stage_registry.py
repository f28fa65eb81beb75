"""Stages register by factory name: the contract is checked then, and the config, record and Parquet schema follow.

A new stage is one class and one ``register_stage`` call; the toy stage here
gets its config section, its record field and its Parquet column without
another file changing. It is registered for one test at a time, so the rest of
the suite sees only the built-in stages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import spacy

from pipeline import Pipeline
from pipeline.analysis import read_results
from pipeline.config import load_config
from pipeline.document import FIELDS, INPUT_FIELDS, RUN_FIELDS, RecordField, Result
from pipeline.errors import ConfigError
from pipeline.io.writers import ParquetWriter, result_schema
from pipeline.segment import sentence_spans
from pipeline.stages.base import StageContext, StageSettings, contract_of, ok, register_stage
from pipeline.stages.registry import BUILTIN, STAGES, WORKING_FIELDS

ARTICLE = (
    "Utrecht investeert in 2024 in nieuwe fietspaden naar het station. De gemeente trekt er tien miljoen euro "
    "voor uit. Volgens wethouder De Vries is dat hard nodig.\nHet aantal fietsers groeit elk jaar. Ook in "
    "Amersfoort en Zeist komen er paden bij. De eerste paden liggen er in het voorjaar."
)


class WordCountSettings(StageSettings):
    """How words are counted."""

    min_length: int = 1


class WordCountStage:
    """Count the words of ``text`` of at least ``min_length`` letters; a sentence count needs ``sentences``."""

    Settings: ClassVar[type[WordCountSettings]] = WordCountSettings
    requires: ClassVar[tuple[str, ...]] = ("text", "sentences")
    optional: ClassVar[tuple[str, ...]] = ("entities",)
    assigns: ClassVar[tuple[str, ...]] = ("word_count",)
    fields: ClassVar[tuple[RecordField, ...]] = (RecordField("word_count", "int64"),)

    def __init__(self, settings: WordCountSettings, context: StageContext) -> None:
        self.settings = settings
        self.model_id: str | None = None

    def __call__(self, docs: list[Result]) -> list[Result]:
        for doc in docs:
            doc.word_count = sum(len(word) >= self.settings.min_length for word in doc.text.split())
            ok(doc, self.name, f"{len(doc.sentences)} sentences")
        return docs


@pytest.fixture
def word_count() -> Iterator[type[WordCountStage]]:
    register_stage("word_count")(WordCountStage)
    yield WordCountStage
    del STAGES["word_count"], FIELDS["word_count"]


def test_a_registered_stage_gets_a_config_section(word_count: type[WordCountStage]):
    config = load_config("offline", {"pipeline": [*BUILTIN, "word_count"], "word_count.min_length": 4})
    assert config.word_count.min_length == 4 and config.word_count.enabled
    assert "word_count:\n  enabled: true\n  min_length: 4\n" in config.to_yaml()
    with pytest.raises(
        ConfigError, match=r"word_count.typo: Extra inputs are not permitted \(valid keys: enabled, min"
    ):
        load_config("offline", {"word_count": {"typo": 1}})


def test_a_registered_stage_gets_its_record_field_and_parquet_column(word_count: type[WordCountStage], tmp_path: Path):
    import pyarrow.parquet as pq

    pipe = Pipeline("offline", overrides={"pipeline": [*BUILTIN, "word_count"], "word_count.min_length": 4})
    result = pipe(ARTICLE)
    assert result.status["word_count"] == f"ok: {len(sentence_spans(result.text))} sentences"
    record = result.to_dict()
    assert list(record)[-1] == "word_count" and record["word_count"] == result.word_count > 0
    assert Result.from_dict(json.loads(json.dumps(record))).word_count == result.word_count
    assert str(result_schema().field("word_count").type) == "int64"
    with ParquetWriter(tmp_path / "out.parquet") as writer:
        writer.write(record)
    assert pq.read_table(tmp_path / "out.parquet").column("word_count").to_pylist() == [result.word_count]
    assert read_results(tmp_path / "out.parquet")[0].to_dict() == record


def test_a_stage_that_needs_sentences_runs_after_the_last_stage_that_writes_text(word_count: type[WordCountStage]):
    with pytest.raises(ConfigError, match=r"stage 'word_count' needs \['sentences'\]"):
        Pipeline("offline", overrides={"pipeline": ["word_count", "clean"]})
    pipe = Pipeline("offline", overrides={"pipeline": ["detect", "word_count"]})
    assert pipe(ARTICLE).status["word_count"] == f"ok: {len(sentence_spans(ARTICLE))} sentences"


def test_an_optional_input_never_fails_the_order_check(word_count: type[WordCountStage]):
    result = Pipeline("offline", overrides={"pipeline": ["clean", "word_count"]})(ARTICLE)
    assert result.ok and result.word_count > 0


class NoSettings:
    requires = ("text",)
    assigns = ("summary",)

    def __call__(self, docs: list[Result]) -> list[Result]:
        return docs


class PlainSettings(NoSettings):
    Settings = dict


class UnknownField(NoSettings):
    Settings = StageSettings
    assigns = ("sumary",)


class ListNotTuple(NoSettings):
    Settings = StageSettings
    requires = ["text"]  # noqa: RUF012 - the mistake under test


class BothRequiredAndOptional(NoSettings):
    Settings = StageSettings
    optional = ("text",)


class ClashingField(NoSettings):
    Settings = StageSettings
    fields = (RecordField("summary", "string"), RecordField("ok", "bool"))


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (NoSettings, "NoSettings is not a stage: lacks Settings"),
        (PlainSettings, "PlainSettings.Settings must subclass StageSettings"),
        (
            UnknownField,
            r"UnknownField.assigns names unknown fields \['sumary'\]; declare new ones in UnknownField.fields",
        ),
        (ListNotTuple, r"ListNotTuple.requires must be a tuple of field names, got \['text'\]"),
        (BothRequiredAndOptional, r"BothRequiredAndOptional: \['text'\] are both required and optional"),
        (ClashingField, r"ClashingField.fields declares \['summary', 'ok'\], which the record or Result has already"),
    ],
)
def test_registration_refuses_a_class_that_breaks_the_contract(cls: type, message: str):
    with pytest.raises(TypeError, match=message):
        register_stage("broken")(cls)
    assert "broken" not in STAGES


def test_a_name_is_registered_once():
    with pytest.raises(TypeError, match="stage 'clean' is registered already"):
        register_stage("clean")(WordCountStage)


def test_the_record_is_the_input_and_what_the_stages_assign():
    assigned = {field for cls in STAGES.values() for field in cls.assigns}
    assert set(FIELDS) == (set(INPUT_FIELDS) | set(RUN_FIELDS) | assigned) - set(WORKING_FIELDS)
    assert "sentences" not in assigned, "sentences come from the pipeline's one segmentation step"


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"translate.full_text": True},
        {"summarize.after_translation": True, "translate.full_text": True},
    ],
    ids=["default", "full-text", "after-translation"],
)
def test_every_contract_names_known_fields_and_writes_only_what_its_class_declares(overrides: dict):
    config = load_config("offline", overrides)
    known = set(FIELDS) | set(WORKING_FIELDS)
    for name, cls in STAGES.items():
        contract = contract_of(cls, getattr(config, name))
        assert set(contract.requires) | set(contract.optional) | set(contract.assigns) <= known, name
        assert set(contract.assigns) <= set(cls.assigns), name


@pytest.fixture(scope="module")
def sentencizer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved spaCy pipeline that segments on its own (a sentencizer), as a trained parser does."""
    nlp = spacy.blank("nl")
    nlp.meta.update(name="sentencizer", version="0.0.1")
    nlp.add_pipe("sentencizer")
    path = tmp_path_factory.mktemp("spacy") / "sentencizer"
    nlp.to_disk(path)
    return path


def test_summary_index_points_into_the_one_segmentation_whatever_entities_ran(sentencizer_dir: Path):
    rules = Pipeline("offline")(ARTICLE)
    parsed = Pipeline("offline", overrides={"entities.model": str(sentencizer_dir)})(ARTICLE)
    without = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "summarize"]})(ARTICLE)
    for result in (rules, parsed, without):
        assert result.sentences == sentence_spans(result.text)
        assert result.summary == [result.text[slice(*result.sentences[index])] for index in result.summary_index]
    assert rules.summary_index == parsed.summary_index == without.summary_index != []
