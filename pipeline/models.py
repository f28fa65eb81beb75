"""The one place that finds, downloads and loads models.

Resolution order, the same for every stage: an explicit local path in the
config; the project's model store (``models_dir``, e.g. ``./models``); the
library's own cache (spaCy packages, the Hugging Face cache); the network,
unless the run is offline. Failures become ``ModelUnavailable`` with the exact
fix, so a stage never sees a raw ``OSError`` from a hub client.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ModelUnavailable
from pipeline.stages.base import StageContext

if TYPE_CHECKING:
    import spacy.language

logger = logging.getLogger(__name__)

#: Files a translation or summarisation model needs; weights as safetensors
#: first, ``pytorch_model.bin`` only for repositories that ship nothing else.
HF_MODEL_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors", "*.bin"]


@dataclass(frozen=True)
class ModelRef:
    """Where a model was found: ``path`` is a local directory ready to load."""

    name: str
    path: Path
    revision: str

    @property
    def model_id(self) -> str:
        return f"{self.name}@{self.revision}"


def store_path(models_dir: Path | None, name: str) -> Path | None:
    """The directory a model has in the project's store (``org/name`` -> ``org--name``)."""
    return None if models_dir is None else models_dir / name.replace("/", "--")


def is_offline(context: StageContext) -> bool:
    return context.offline or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")


def resolve_hf_model(stage: str, name: str, revision: str | None, context: StageContext) -> ModelRef:
    """Find a Hugging Face model directory, downloading it only as the last resort."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    explicit = Path(name).expanduser()
    if explicit.is_dir():
        return ModelRef(name, explicit, "local")
    stored = store_path(context.models_dir, name)
    if stored is not None and stored.is_dir():
        return ModelRef(name, stored, revision or "local")
    fix = (
        f"run `nlnews models pull` on a machine with internet and copy {stored or 'models/'}, "
        f"or set {stage}.model to a local directory"
    )
    if "/" not in name or name.startswith((".", "/", "~")):
        raise ModelUnavailable(stage, name, "no such directory", fix)
    try:
        path = snapshot_download(name, revision=revision, local_files_only=True)
        return ModelRef(name, Path(path), revision or Path(path).name)
    except LocalEntryNotFoundError:
        pass
    if is_offline(context):
        raise ModelUnavailable(stage, name, "not on disk and the run is offline", fix)
    try:
        path = snapshot_download(name, revision=revision, allow_patterns=HF_MODEL_FILES)
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as error:
        raise ModelUnavailable(stage, name, f"download failed: {str(error).splitlines()[0]}", fix) from error
    return ModelRef(name, Path(path), revision or Path(path).name)


def pick_device(requested: str) -> str:
    """``auto`` means the fastest device present: CUDA, then Apple MPS, then CPU."""
    if requested != "auto":
        return requested
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def load_seq2seq(stage: str, ref: ModelRef, device: str) -> tuple[Any, Any]:
    """Load tokenizer and model from a resolved directory, in eval mode on ``device``.

    Remote code is never trusted; half precision is used on CUDA only, where it
    is both supported and faster.
    """
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(ref.path, trust_remote_code=False)
        dtype = torch.float16 if device.startswith("cuda") else torch.float32
        model = AutoModelForSeq2SeqLM.from_pretrained(ref.path, trust_remote_code=False, dtype=dtype)
    except (OSError, ValueError) as error:
        raise ModelUnavailable(stage, ref.name, f"cannot load {ref.path}: {error}", "check the model files") from error
    return tokenizer, model.to(device).eval()


def load_spacy(stage: str, name: str, context: StageContext) -> tuple[spacy.language.Language, str]:
    """Load a spaCy pipeline by package name or path; ``blank`` means ``spacy.blank("nl")``.

    Returns the pipeline and its ``name@version`` for the record's ``models`` field.
    """
    import spacy

    if name == "blank":
        return spacy.blank("nl"), f"blank:nl@spacy-{spacy.__version__}"
    candidates = [Path(name).expanduser(), store_path(context.models_dir, name)]
    for path in candidates:
        if path is not None and path.is_dir():
            nlp = spacy.load(path)
            return nlp, f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}@{nlp.meta.get('version')}"
    if spacy.util.is_package(name):
        nlp = spacy.load(name)
        return nlp, f"{name}@{nlp.meta.get('version')}"
    raise ModelUnavailable(
        stage,
        name,
        "spaCy package not installed",
        f"python -m spacy download {name}, or set {stage}.model to a local directory or to 'blank'",
    )


@dataclass(frozen=True)
class ModelStatus:
    """One row of ``nlnews models list``."""

    stage: str
    name: str
    kind: str
    state: str
    location: str


def configured_models(config: Any) -> list[tuple[str, str, str, str | None]]:
    """``(stage, kind, name, revision)`` for every enabled stage that needs a model."""
    rows = []
    if config.entities.enabled and config.entities.model != "blank":
        rows.append(("entities", "spacy", config.entities.model, None))
    if config.translate.enabled:
        rows.append(("translate", "huggingface", config.translate.model, config.translate.revision))
    return rows


def locate(stage: str, kind: str, name: str, revision: str | None, context: StageContext) -> ModelStatus:
    """Where a model would be loaded from, without downloading or loading it."""
    offline = StageContext(models_dir=context.models_dir, offline=True)
    try:
        if kind == "spacy":
            import spacy

            stored = store_path(context.models_dir, name)
            if Path(name).expanduser().is_dir() or (stored is not None and stored.is_dir()):
                where = name if Path(name).expanduser().is_dir() else str(stored)
                return ModelStatus(stage, name, kind, "present", where)
            if spacy.util.is_package(name):
                return ModelStatus(stage, name, kind, "present", "installed spaCy package")
            raise ModelUnavailable(stage, name, "not installed", f"python -m spacy download {name}")
        ref = resolve_hf_model(stage, name, revision, offline)
        return ModelStatus(stage, name, kind, "present", str(ref.path))
    except ModelUnavailable as error:
        return ModelStatus(stage, name, kind, "missing", error.fix)


def pull(stage: str, kind: str, name: str, revision: str | None, models_dir: Path) -> Path | str:
    """Download one model into the project's store (spaCy: install its package).

    A Hugging Face download goes to a ``.partial`` folder renamed when complete,
    so an interrupted pull never leaves a model that later looks present.
    """
    fix = "check the network, or copy the model directory from a machine that has it"
    if kind == "spacy":
        from spacy.cli import download

        try:
            download(name)
        except SystemExit as error:
            raise ModelUnavailable(stage, name, f"spaCy download exited with {error.code}", fix) from None
        return name
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    target = store_path(models_dir, name)
    assert target is not None
    partial = target.with_name(target.name + ".partial")
    try:
        snapshot_download(name, revision=revision, allow_patterns=HF_MODEL_FILES, local_dir=partial)
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as error:
        raise ModelUnavailable(stage, name, f"download failed: {str(error).splitlines()[0]}", fix) from error
    partial.replace(target)
    return target
