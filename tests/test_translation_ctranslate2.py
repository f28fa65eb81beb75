"""The CTranslate2 backend: converted by ``nlnews models convert``, same plumbing, same greedy output.

The fixture model is copied first, so the conversion written inside it never
changes the directory other test modules see.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import Pipeline
from pipeline.cli import EXIT_MODEL_MISSING, EXIT_OK, main
from pipeline.document import Result
from pipeline.errors import ModelUnavailable
from pipeline.stages.base import StageContext
from pipeline.stages.translate import TranslateSettings, TranslateStage

pytest.importorskip("ctranslate2")

SENTENCES = [
    "De gemeente Utrecht opent volgend jaar een nieuw loket.",
    "Het kabinet trekt 40 miljoen euro uit voor woningen.",
    "Waarom duurt het zo lang?",
    "De politie onderzoekt de brand in een leeg pand aan de rand van Zwolle.",
    "Bewoners klagen al jaren over de drukte bij het station, maar de wethouder wacht.",
    "In 2023 steeg het aantal aanvragen met 12 procent.",
    "De provincie besluit pas na de zomer.",
    "Het ziekenhuis zoekt artsen en verpleegkundigen.",
]


@pytest.fixture(scope="module")
def model_dir(tiny_marian_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model, converted as a user converts a model at a local path."""
    copy = tmp_path_factory.mktemp("ct2") / tiny_marian_dir.name
    shutil.copytree(tiny_marian_dir, copy)
    assert main(["models", "convert", str(copy)]) == EXIT_OK
    return copy


@pytest.fixture
def unconverted_dir(tiny_marian_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / tiny_marian_dir.name
    shutil.copytree(tiny_marian_dir, copy)
    return copy


def make_stage(model_dir: Path, **settings: object) -> TranslateStage:
    return TranslateStage(
        TranslateSettings(model=str(model_dir), max_new_tokens=24, **settings), StageContext(device="cpu")
    )


@pytest.fixture(scope="module")
def ct2_stage(model_dir: Path) -> TranslateStage:
    return make_stage(model_dir, backend="ctranslate2")


def token_overlap(tokenize, first: str, second: str) -> float:
    """Share of positions where two outputs have the same token (greedy decoding diverges, not shuffles)."""
    a, b = tokenize(first), tokenize(second)
    return sum(x == y for x, y in zip(a, b)) / max(len(a), len(b), 1)


def test_models_convert_writes_the_conversion_once_inside_the_model_folder(model_dir: Path, capsys):
    converted = model_dir / "ctranslate2-int8" / "model.bin"
    assert converted.is_file()
    written = converted.stat().st_mtime_ns
    assert main(["models", "convert", str(model_dir)]) == EXIT_OK
    assert f"{model_dir}: converted to CTranslate2 in {model_dir / 'ctranslate2-int8'}" in capsys.readouterr().out
    assert converted.stat().st_mtime_ns == written
    again = make_stage(model_dir, backend="ctranslate2")
    assert again.model_id.endswith("+ctranslate2-int8")
    assert again.translator.device == "cpu"


def test_building_a_stage_never_converts_and_names_the_command_that_does(unconverted_dir: Path):
    with pytest.raises(ModelUnavailable, match=f"nlnews models convert {unconverted_dir}"):
        make_stage(unconverted_dir, backend="ctranslate2")
    assert sorted(path.name for path in unconverted_dir.parent.iterdir()) == [unconverted_dir.name]
    assert not list(unconverted_dir.glob("ctranslate2-*"))


def test_an_unconverted_model_skips_translation_with_the_fix_unless_strict(unconverted_dir: Path):
    overrides = {"translate.enabled": True, "translate.model": str(unconverted_dir), "translate.backend": "ctranslate2"}
    (message,) = Pipeline("offline", overrides=overrides).fallbacks
    assert message.startswith(f"translate: model '{unconverted_dir}' unavailable (not converted to CTranslate2")
    assert f"-> stage skipped; fix: run `nlnews models convert {unconverted_dir}`" in message
    with pytest.raises(ModelUnavailable, match="not converted to CTranslate2"):
        Pipeline("offline", overrides=overrides, strict=True)


def test_greedy_output_matches_transformers_within_quantisation(ct2_stage: TranslateStage, model_dir: Path):
    reference = make_stage(model_dir).translator.translate(SENTENCES)
    converted = ct2_stage.translator.translate(SENTENCES)
    overlaps = [token_overlap(ct2_stage.translator.tokenizer.tokenize, a, b) for a, b in zip(reference, converted)]
    assert sum(overlaps) / len(overlaps) >= 0.9, overlaps
    assert sum(a == b for a, b in zip(reference, converted)) >= 0.7 * len(SENTENCES)


def test_float32_compute_gives_the_transformers_output(model_dir: Path):
    reference = make_stage(model_dir).translator.translate(SENTENCES)
    float32 = make_stage(model_dir, backend="ctranslate2", compute_type="float32")
    assert float32.translator.translate(SENTENCES) == reference


def test_the_ctranslate2_stage_fills_the_same_fields(ct2_stage: TranslateStage, model_dir: Path):
    full = make_stage(model_dir, backend="ctranslate2", full_text=True)
    text = "\n\n".join([" ".join(SENTENCES[:4]), " ".join(SENTENCES[4:])])
    docs = [
        Result(id="1", text=text, title="Nieuw loket", language="nl", summary=SENTENCES[:2]),
        Result(id="2", text="The city opens an office.", language="en", summary=["The city opens an office."]),
    ]
    full(docs)
    assert docs[0].status["translate"] == "ok"
    assert docs[0].title_en and len(docs[0].summary_en) == 2
    assert len(docs[0].text_en.split("\n")) == 3
    assert docs[1].status["translate"] == "skipped: already English"


def test_a_long_sentence_is_split_for_ctranslate2_too(ct2_stage: TranslateStage):
    sentence = "De gemeente opent een loket, " * 40 + "en de raad wacht."
    (plan,) = ct2_stage.plan([Result(id="x", text=sentence, language="nl", summary=[sentence])])
    assert len(plan.summary[0].pieces) > 1
    doc = Result(id="x", text=sentence, language="nl", summary=[sentence])
    ct2_stage([doc])
    assert doc.status["translate"] == "ok" and len(doc.summary_en) == 1


def test_the_translator_runs_int8_on_the_cpu(ct2_stage: TranslateStage):
    translator = ct2_stage.translator.backend.translator
    assert translator.device == "cpu" and translator.compute_type.startswith("int8")


def test_a_model_that_cannot_be_converted_is_an_error_naming_its_path(model_dir: Path, tmp_path: Path, capsys):
    broken = tmp_path / "no-weights"
    shutil.copytree(model_dir, broken, ignore=shutil.ignore_patterns("*.safetensors", "ctranslate2-*"))
    assert main(["models", "convert", str(broken)]) == EXIT_MODEL_MISSING
    assert f"cannot convert {broken}" in capsys.readouterr().err
    assert not list(broken.glob("ctranslate2-*"))
