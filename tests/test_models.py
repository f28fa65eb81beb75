"""The model manager: pull at a pinned revision, lock, verify, move air-gapped, resolve.

No hub is reachable here, so the hub is faked at its boundary: ``model_info``
and ``snapshot_download`` of ``huggingface_hub`` serve the tiny Marian fixture,
and ``spacy.cli.download`` "installs" a blank Dutch pipeline. Everything after
that boundary (partial folders, hashing, the lock, bundles, the real loaders)
runs for real.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import shutil
import tarfile
from pathlib import Path
from types import SimpleNamespace

import huggingface_hub
import pytest
import spacy
from huggingface_hub.errors import LocalEntryNotFoundError

from pipeline.cli import EXIT_MODEL_MISSING, EXIT_OK, EXIT_USAGE, main
from pipeline.config import load_config
from pipeline.errors import ModelUnavailable
from pipeline.models import (
    LOCK_FILE,
    MODELS_ENV,
    ModelRef,
    configured_models,
    hub_allow_patterns,
    load_manifest,
    load_seq2seq,
    load_spacy,
    models_store,
    read_lock,
    resolve_hf_model,
    store_path,
)
from pipeline.stages.base import StageContext

OPUS = "Helsinki-NLP/opus-mt-nl-en"
OPUS_DIR = "Helsinki-NLP--opus-mt-nl-en"
#: The commit the fake hub resolves every revision to.
COMMIT = "c0ffee" * 6 + "abcd"


class FakeHub:
    """Serves the tiny Marian model as if it were the hub repository at ``COMMIT``."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.info_calls: list[tuple[str, str | None]] = []
        self.download_calls: list[dict] = []
        self.fail_after: int | None = None

    def files(self) -> list[str]:
        # Like the real repository: pickled weights and a TF copy beside the safetensors.
        names = [path.name for path in self.source.iterdir()]
        return [*names, "pytorch_model.bin", "tf_model.h5", "training_args.bin"]

    def model_info(self, repo_id: str, *, revision: str | None = None, **_: object) -> SimpleNamespace:
        self.info_calls.append((repo_id, revision))
        return SimpleNamespace(sha=COMMIT, siblings=[SimpleNamespace(rfilename=name) for name in self.files()])

    def snapshot_download(self, repo_id: str, **kwargs: object) -> str:
        if kwargs.get("local_files_only"):
            raise LocalEntryNotFoundError("not in the cache")
        self.download_calls.append({"repo_id": repo_id, **kwargs})
        target = Path(kwargs["local_dir"])
        target.mkdir(parents=True, exist_ok=True)
        (target / ".cache" / "huggingface").mkdir(parents=True)
        (target / ".cache" / "huggingface" / "download.metadata").write_text(COMMIT)
        wanted = [
            path
            for path in sorted(self.source.iterdir())
            if any(fnmatch.fnmatch(path.name, pattern) for pattern in kwargs["allow_patterns"])
        ]
        for count, path in enumerate(wanted):
            if self.fail_after is not None and count == self.fail_after:
                raise OSError("Connection reset by peer")
            shutil.copy(path, target / path.name)
        return str(target)


@pytest.fixture
def hub(monkeypatch, tiny_marian_dir: Path) -> FakeHub:
    fake = FakeHub(tiny_marian_dir)
    monkeypatch.setattr(huggingface_hub, "model_info", fake.model_info)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake.snapshot_download)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return fake


@pytest.fixture
def spacy_release(monkeypatch, tmp_path: Path) -> list[tuple]:
    """``spacy.cli.download`` that installs a blank Dutch pipeline as the package, into a fake site-packages."""
    site = tmp_path / "site-packages"
    installed: dict[str, str] = {}
    calls: list[tuple] = []

    def download(model: str, direct: bool = False, *args: object) -> None:
        calls.append((model, direct))
        name, version = model.rsplit("-", 1)
        nlp = spacy.blank("nl")
        nlp.meta.update(name=name.removeprefix("nl_"), version=version)
        (site / name).mkdir(parents=True, exist_ok=True)
        nlp.to_disk(site / name / f"{name}-{version}")
        installed[name] = version

    monkeypatch.setattr(spacy.cli, "download", download)
    monkeypatch.setattr(spacy.util, "get_package_version", installed.get)
    monkeypatch.setattr(spacy.util, "get_package_path", lambda name: site / name)
    return calls


def pulled_store(tmp_path: Path, capsys) -> Path:
    store = tmp_path / "store"
    assert main(["models", "pull", "--models-dir", str(store)]) == EXIT_OK
    capsys.readouterr()
    return store


def test_manifest_pins_every_model_a_profile_can_name():
    manifest = load_manifest()
    for size in ("sm", "md", "lg"):
        entry = manifest[f"nl_core_news_{size}"]
        assert (entry.source, entry.version, entry.stage) == ("spacy", "3.8.0", "entities")
    assert manifest[OPUS].source == "huggingface" and manifest[OPUS].revision
    assert any(entry.optional and entry.stage == "summarize" for entry in manifest.values())
    assert all(entry.licence and entry.size_mb > 0 and entry.url.startswith("https://") for entry in manifest.values())
    for _, _, name, _ in configured_models(load_config("default")):
        assert name in manifest


def test_list_names_missing_models_and_the_exact_pull_command(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    store = tmp_path / "store"
    assert main(["models", "list", "--config", "default", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    printed = capsys.readouterr().out
    assert f"nlnews models pull --config default --models-dir {store}" in printed
    assert "nlnews models import BUNDLE.tar" in printed
    rows = {line.split()[1]: line.split()[2] for line in printed.splitlines()[1:3]}
    assert rows == {"nl_core_news_md": "missing", OPUS: "missing"}


def test_pull_fetches_safetensors_at_the_pinned_revision_and_locks_every_file(
    hub: FakeHub, spacy_release, tmp_path: Path, capsys
):
    store = pulled_store(tmp_path, capsys)
    assert hub.info_calls == [(OPUS, "main")]
    (call,) = hub.download_calls
    assert call["revision"] == COMMIT and call["local_dir"] == store / f"{OPUS_DIR}.partial"
    assert "*.safetensors" in call["allow_patterns"] and not any(".bin" in p for p in call["allow_patterns"])
    assert spacy_release == [("nl_core_news_md-3.8.0", True)]
    model = store / OPUS_DIR
    assert (model / "model.safetensors").is_file() and not (model / ".cache").exists()
    assert not list(store.glob("*.partial"))
    lock = read_lock(store)
    assert lock[OPUS]["revision"] == COMMIT and lock[OPUS]["requested"] == "main"
    assert lock["nl_core_news_md"]["revision"] == "3.8.0"
    files = lock[OPUS]["files"]
    assert set(files) == {path.name for path in model.iterdir()}
    assert (
        files["model.safetensors"]["sha256"] == hashlib.sha256((model / "model.safetensors").read_bytes()).hexdigest()
    )
    assert main(["models", "list", "--models-dir", str(store)]) == EXIT_OK
    assert capsys.readouterr().out.count(" present ") == 2


def test_a_second_pull_fetches_the_locked_commit_not_the_moving_branch(hub: FakeHub, spacy_release, tmp_path, capsys):
    store = pulled_store(tmp_path, capsys)
    shutil.rmtree(store / OPUS_DIR)
    assert main(["models", "pull", "--models-dir", str(store)]) == EXIT_OK
    assert hub.info_calls == [(OPUS, "main"), (OPUS, COMMIT)]
    assert len(spacy_release) == 1  # the spaCy copy in the store was intact


def test_repositories_without_safetensors_get_pytorch_weights_only():
    assert hub_allow_patterns(["config.json", "model.safetensors", "pytorch_model.bin"])[-1] == "*.safetensors"
    patterns = hub_allow_patterns(["config.json", "pytorch_model.bin", "tf_model.h5", "training_args.bin"])
    fetched = [
        n
        for n in ("pytorch_model.bin", "tf_model.h5", "training_args.bin")
        if any(fnmatch.fnmatch(n, p) for p in patterns)
    ]
    assert fetched == ["pytorch_model.bin"]


def test_pulled_store_loads_through_the_real_loaders_offline_and_records_the_commit(
    hub: FakeHub, spacy_release, tmp_path: Path, capsys, monkeypatch
):
    from pipeline.stages.translate import TranslateSettings, TranslateStage

    store = pulled_store(tmp_path, capsys)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv(MODELS_ENV, str(store))
    calls_before = (len(hub.info_calls), len(hub.download_calls))
    context = StageContext(strict=True)  # no models_dir: the store comes from $NLNEWS_MODELS
    translate = TranslateStage(TranslateSettings(), context)
    assert translate.model_id == f"{OPUS}@{COMMIT}"
    nlp, model_id = load_spacy("entities", "nl_core_news_md", context)
    assert model_id == "nl_core_news_md@3.8.0" and nlp.lang == "nl"
    assert (len(hub.info_calls), len(hub.download_calls)) == calls_before


def test_verify_fails_naming_the_file_with_one_flipped_byte(hub, spacy_release, tmp_path: Path, capsys):
    store = pulled_store(tmp_path, capsys)
    assert main(["models", "verify", "--models-dir", str(store)]) == EXIT_OK
    capsys.readouterr()
    weights = store / OPUS_DIR / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))
    assert main(["models", "verify", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    printed = capsys.readouterr().out
    assert f"{OPUS_DIR}/model.safetensors: sha256 differs from the lock" in printed
    assert "nl_core_news_md: ok" in printed


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_list_shows_a_damaged_store_copy_as_corrupt_and_pull_repairs_it(
    hub, spacy_release, tmp_path: Path, capsys, damage: str
):
    store = pulled_store(tmp_path, capsys)
    vocab = store / OPUS_DIR / "vocab.json"
    vocab.unlink() if damage == "delete" else vocab.write_text("{}")
    assert main(["models", "list", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("translate"))
    assert " corrupt " in row and f"{OPUS_DIR}/vocab.json" in row
    assert main(["models", "pull", "--models-dir", str(store)]) == EXIT_OK
    assert main(["models", "verify", "--models-dir", str(store)]) == EXIT_OK


def test_export_then_import_moves_a_complete_verified_store(hub, spacy_release, tmp_path: Path, capsys, monkeypatch):
    source = pulled_store(tmp_path, capsys)
    bundle = tmp_path / "bundle.tar"
    assert main(["models", "export", str(bundle), "--models-dir", str(source)]) == EXIT_OK
    target = tmp_path / "air-gapped"
    monkeypatch.setenv(MODELS_ENV, str(target))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["models", "import", str(bundle)]) == EXIT_OK
    assert read_lock(target) == read_lock(source)
    assert not [path.name for path in target.iterdir() if path.name.startswith(".")]
    capsys.readouterr()
    assert main(["models", "list"]) == EXIT_OK
    assert str(target / OPUS_DIR) in capsys.readouterr().out
    assert main(["models", "verify"]) == EXIT_OK


def test_import_refuses_a_tampered_bundle_and_changes_nothing(hub, spacy_release, tmp_path: Path, capsys):
    source = pulled_store(tmp_path, capsys)
    (source / OPUS_DIR / "config.json").write_text("{}")  # after the lock: the bundle's lock no longer matches
    bundle = tmp_path / "tampered.tar"
    with tarfile.open(bundle, "w") as tar:
        tar.add(source / LOCK_FILE, arcname=LOCK_FILE)
        tar.add(source / OPUS_DIR, arcname=OPUS_DIR)
    target = tmp_path / "target"
    assert main(["models", "import", str(bundle), "--models-dir", str(target)]) == EXIT_MODEL_MISSING
    assert f"{OPUS_DIR}/config.json" in capsys.readouterr().err
    assert list(target.iterdir()) == []


def test_export_refuses_a_store_that_fails_its_lock(hub, spacy_release, tmp_path: Path, capsys):
    source = pulled_store(tmp_path, capsys)
    (source / OPUS_DIR / "vocab.json").write_text("{}")
    bundle = tmp_path / "bundle.tar"
    assert main(["models", "export", str(bundle), "--models-dir", str(source)]) == EXIT_MODEL_MISSING
    assert not bundle.exists() and "vocab.json" in capsys.readouterr().err


@pytest.mark.parametrize("interruption", [OSError, KeyboardInterrupt])
def test_an_interrupted_pull_leaves_nothing_that_looks_present(
    hub: FakeHub, spacy_release, tmp_path: Path, capsys, monkeypatch, interruption
):
    hub.fail_after = 2
    store = tmp_path / "store"
    if interruption is KeyboardInterrupt:

        def interrupted(repo_id: str, **kwargs: object) -> str:
            hub.fail_after = None
            FakeHub.snapshot_download(hub, repo_id, **{**kwargs, "allow_patterns": ["config.json"]})
            raise KeyboardInterrupt

        monkeypatch.setattr(huggingface_hub, "snapshot_download", interrupted)
        with pytest.raises(KeyboardInterrupt):
            main(["models", "pull", "--models-dir", str(store)])
    else:
        assert main(["models", "pull", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
        assert "Connection reset by peer" in capsys.readouterr().err
    assert not (store / OPUS_DIR).exists() and not list(store.glob("*.partial"))
    assert OPUS not in read_lock(store)
    assert main(["models", "list", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    row = next(line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("translate"))
    assert row[1:3] == [OPUS, "missing"]


def test_a_partial_folder_left_by_a_killed_pull_is_never_loaded(tmp_path: Path, tiny_marian_dir: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    shutil.copytree(tiny_marian_dir, tmp_path / f"{OPUS_DIR}.partial")
    with pytest.raises(ModelUnavailable, match="offline"):
        resolve_hf_model("translate", OPUS, None, StageContext(models_dir=tmp_path))


def test_pull_refuses_to_touch_the_network_offline_and_says_how_to_get_models(
    hub: FakeHub, spacy_release, tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["models", "pull", "--models-dir", str(tmp_path)]) == EXIT_MODEL_MISSING
    err = capsys.readouterr().err
    assert "offline" in err and "nlnews models import BUNDLE.tar" in err
    assert hub.info_calls == [] and hub.download_calls == [] and spacy_release == []


def test_an_unknown_extra_model_is_a_usage_error(tmp_path: Path):
    assert main(["models", "pull", "--model", "no/such-model", "--models-dir", str(tmp_path)]) == EXIT_USAGE


def test_the_store_is_the_flag_then_the_env_then_local_models_then_the_user_cache(tmp_path: Path, monkeypatch):
    import platformdirs

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(MODELS_ENV, raising=False)
    assert models_store() == Path(platformdirs.user_cache_dir("nlnews")) / "models"
    (tmp_path / "models").mkdir()
    assert models_store() == Path("models")
    monkeypatch.setenv(MODELS_ENV, str(tmp_path / "env-store"))
    assert models_store() == tmp_path / "env-store"
    assert models_store(tmp_path / "flag") == tmp_path / "flag"


def test_resolution_prefers_an_explicit_path_then_the_store_then_the_cache_then_the_network(
    hub: FakeHub, tiny_marian_dir: Path, tmp_path: Path, monkeypatch
):
    context = StageContext(models_dir=tmp_path)
    assert resolve_hf_model("translate", str(tiny_marian_dir), None, context).path == tiny_marian_dir
    shutil.copytree(tiny_marian_dir, store_path(tmp_path, OPUS))
    assert resolve_hf_model("translate", OPUS, None, context).path == tmp_path / OPUS_DIR
    assert hub.download_calls == []
    shutil.rmtree(tmp_path / OPUS_DIR)

    def download_into_cache(repo_id: str, **kwargs: object) -> str:
        if kwargs.get("local_files_only"):
            raise LocalEntryNotFoundError("not in the cache")
        hub.download_calls.append({"repo_id": repo_id, **kwargs})
        return str(tiny_marian_dir)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", download_into_cache)
    ref = resolve_hf_model("translate", OPUS, "v1.0", context)
    assert ref.revision == COMMIT and hub.info_calls == [(OPUS, "v1.0")]
    assert hub.download_calls[0]["revision"] == COMMIT


def test_resolution_offline_refuses_with_the_fix(hub: FakeHub, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable) as raised:
        resolve_hf_model("translate", OPUS, None, StageContext(models_dir=tmp_path))
    assert "offline" in raised.value.reason and "nlnews models pull" in raised.value.fix
    assert hub.info_calls == [] and hub.download_calls == []


def test_a_config_revision_other_than_the_locked_one_skips_the_store(
    hub: FakeHub, spacy_release, tmp_path: Path, capsys, monkeypatch
):
    store = pulled_store(tmp_path, capsys)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    context = StageContext(models_dir=store)
    assert resolve_hf_model("translate", OPUS, "main", context).revision == COMMIT
    with pytest.raises(ModelUnavailable):
        resolve_hf_model("translate", OPUS, "some-other-tag", context)


def test_loading_never_trusts_remote_code_and_requires_safetensors_when_present(tiny_marian_dir: Path, monkeypatch):
    from transformers import AutoModelForSeq2SeqLM

    seen: list[dict] = []
    real = AutoModelForSeq2SeqLM.from_pretrained

    def spy(*args: object, **kwargs: object):
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(AutoModelForSeq2SeqLM, "from_pretrained", spy)
    _, model = load_seq2seq("translate", ModelRef(OPUS, tiny_marian_dir, "local"), "cpu")
    assert not model.training
    assert seen[0]["trust_remote_code"] is False and seen[0]["use_safetensors"] is True


def test_the_lock_is_plain_json_with_relative_paths(hub, spacy_release, tmp_path: Path, capsys):
    store = pulled_store(tmp_path, capsys)
    data = json.loads((store / LOCK_FILE).read_text())
    assert data["version"] == 1
    assert {entry["path"] for entry in data["models"].values()} == {OPUS_DIR, "nl_core_news_md"}


def test_pull_for_the_ctranslate2_backend_converts_once_and_locks_the_conversion(
    hub, spacy_release, tmp_path: Path, capsys
):
    pytest.importorskip("ctranslate2")
    store = tmp_path / "store"
    argv = ["models", "pull", "--models-dir", str(store), "--set", "translate.backend=ctranslate2"]
    assert main(argv) == EXIT_OK
    files = read_lock(store)[OPUS]["files"]
    assert "ctranslate2-int8/model.bin" in files and "model.safetensors" in files
    assert main(["models", "verify", "--models-dir", str(store)]) == EXIT_OK


def test_convert_converts_a_pulled_model_inside_the_store_and_locks_it(hub, spacy_release, tmp_path: Path, capsys):
    pytest.importorskip("ctranslate2")
    store = pulled_store(tmp_path, capsys)
    assert "ctranslate2-int8/model.bin" not in read_lock(store)[OPUS]["files"]
    assert main(["models", "convert", "--models-dir", str(store)]) == EXIT_OK
    assert f"{OPUS}: converted to CTranslate2 in {store / OPUS_DIR / 'ctranslate2-int8'}" in capsys.readouterr().out
    assert "ctranslate2-int8/model.bin" in read_lock(store)[OPUS]["files"]
    assert main(["models", "verify", "--models-dir", str(store)]) == EXIT_OK


def test_convert_never_writes_into_the_hugging_face_cache(tiny_marian_dir: Path, tmp_path: Path, monkeypatch, capsys):
    cached = tmp_path / "hub" / "snapshots" / COMMIT
    shutil.copytree(tiny_marian_dir, cached)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", lambda *args, **kwargs: str(cached))
    store = tmp_path / "store"
    assert main(["models", "convert", OPUS, "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    error = capsys.readouterr().err
    assert "only in the Hugging Face cache" in error and f"nlnews models pull --models-dir {store}" in error
    assert not list(cached.glob("ctranslate2-*")) and not store.exists()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    assert main(["models", "convert", str(cached), "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    assert "only in the Hugging Face cache" in capsys.readouterr().err
    assert not list(cached.glob("ctranslate2-*"))


def test_convert_names_the_pull_for_a_model_that_is_nowhere(hub, tmp_path: Path, capsys):
    store = tmp_path / "store"
    assert main(["models", "convert", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    assert f"translate: model {OPUS!r} unavailable (missing: not in {store}" in capsys.readouterr().err


def test_an_optional_summariser_from_the_manifest_can_be_pulled_by_name(hub: FakeHub, spacy_release, tmp_path, capsys):
    name = "yhavinga/long-t5-tglobal-small-dutch-cnn"
    assert load_manifest()[name].optional
    store = tmp_path / "store"
    assert main(["models", "pull", "--model", name, "--models-dir", str(store)]) == EXIT_OK
    assert (name, "main") in hub.info_calls
    assert read_lock(store)[name]["stage"] == "summarize"
    rows = [line.split()[:3] for line in capsys.readouterr().out.splitlines()]
    assert ["summarize", name, "present"] in rows
