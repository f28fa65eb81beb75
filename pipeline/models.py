"""The one place that finds, downloads, pins and loads models.

Resolution order, the same for every stage: an explicit local path in the
config; the project's model store (``--models-dir`` or ``models_dir``, then
``$NLNEWS_MODELS``, then ``./models`` when it exists, else the user cache);
the library's own cache (installed spaCy packages, the Hugging Face cache);
the network, unless the run is offline. Failures become ``ModelUnavailable``
with the exact fix, so a stage never sees a raw ``OSError`` from a hub client.

The store is pinned by ``lock.json`` (the revision each model resolved to and
the sha256 of every file), written by ``pull`` and checked by ``verify``;
``export_bundle`` and ``import_bundle`` carry a verified store to a machine
without network. What a config can name is listed in ``models/manifest.yaml``.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import logging
import lzma
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tqdm.auto import tqdm

from pipeline.errors import ModelStoreError, ModelUnavailable, NlnewsError
from pipeline.stages.base import StageContext

if TYPE_CHECKING:
    import spacy.language

logger = logging.getLogger(__name__)

#: The environment variable naming the model store (below ``--models-dir`` and ``models_dir``).
MODELS_ENV = "NLNEWS_MODELS"
#: The lock file at the top of the store.
LOCK_FILE = "lock.json"
#: A lock of a few models is kilobytes; anything this big is not one and is never parsed.
LOCK_MAX_BYTES = 64 * 2**20
#: Config, tokenizer and vocabulary files of a hub model; ``hub_allow_patterns`` adds the weights.
HF_SUPPORT_FILES = ["*.json", "*.spm", "*.model", "*.txt"]

_OFFLINE_FIX = (
    "pull on a machine with internet, `nlnews models export BUNDLE.tar` there and "
    "`nlnews models import BUNDLE.tar` here"
)


@dataclass(frozen=True)
class ModelRef:
    """Where a model was found: ``path`` is a local directory ready to load."""

    name: str
    path: Path
    revision: str

    @property
    def model_id(self) -> str:
        return f"{self.name}@{self.revision}"


class ManifestEntry(BaseModel):
    """One model a config can name: where it comes from, what it is pinned to, what it costs."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["spacy", "huggingface"] = Field(description="A spaCy package or a Hugging Face hub repository.")
    version: str | None = Field(None, description="The spaCy package version pulled (spaCy models only).")
    revision: str | None = Field(
        None, description="Hub branch, tag or commit pulled; the lock records the commit it resolved to."
    )
    stage: str = Field(description="The stage that uses the model.")
    licence: str = Field(description="The licence of the model files.")
    size_mb: int = Field(description="Approximate download size in MB.")
    optional: bool = Field(False, description="Needed only by configs that ask for it, never by the profiles.")
    url: str = Field(description="Where the model is published.")


def load_manifest() -> dict[str, ManifestEntry]:
    """Every model the project knows, by name, from ``models/manifest.yaml`` (read with a safe loader)."""
    try:
        data = yaml.safe_load(_manifest_text())
        return {name: ManifestEntry.model_validate(entry) for name, entry in data["models"].items()}
    except (yaml.YAMLError, ValidationError, KeyError, TypeError, AttributeError) as error:
        raise NlnewsError(f"models/manifest.yaml is invalid: {error}") from None


def _manifest_text() -> str:
    """The copy installed as ``pipeline.manifest``; in a checkout installed before that mapping, the source file."""
    try:
        return resources.files("pipeline.manifest").joinpath("manifest.yaml").read_text("utf-8")
    except ModuleNotFoundError:
        return (Path(__file__).parents[1] / "models" / "manifest.yaml").read_text("utf-8")


def models_store(models_dir: Path | str | None = None) -> Path:
    """The project's model store.

    An explicit ``models_dir`` (``--models-dir`` or the config key) wins, then
    ``$NLNEWS_MODELS``, then ``./models`` when it exists (a checkout), else the
    per-user cache, so an installed package never writes into the working directory.
    """
    if models_dir is not None:
        return Path(models_dir).expanduser()
    if os.environ.get(MODELS_ENV):
        return Path(os.environ[MODELS_ENV]).expanduser()
    if Path("models").is_dir():
        return Path("models")
    import platformdirs

    return Path(platformdirs.user_cache_dir("nlnews")) / "models"


def store_path(models_dir: Path | None, name: str) -> Path:
    """The directory a model has in the store (``org/name`` -> ``org--name``)."""
    return models_store(models_dir) / name.replace("/", "--")


def is_offline(context: StageContext) -> bool:
    return context.offline or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")


def hub_allow_patterns(files: Iterable[str]) -> list[str]:
    """The files of a hub repository worth fetching: safetensors weights when it has them.

    Only a repository without safetensors gets ``pytorch_model*.bin`` (loaded by
    transformers with ``weights_only``); TF, Flax and Rust weights and
    ``training_args.bin`` are never fetched.
    """
    weights = "*.safetensors" if any(name.endswith(".safetensors") for name in files) else "pytorch_model*.bin"
    return [*HF_SUPPORT_FILES, weights]


def _hub_listing(name: str, revision: str | None) -> tuple[str, list[str]]:
    """The commit ``revision`` resolves to and the files of the repository at that commit.

    Bounded by ``HF_HUB_ETAG_TIMEOUT`` (default 10 s), so a network that drops
    packets fails as fast as one that refuses them.
    """
    from huggingface_hub import constants, model_info

    info = model_info(name, revision=revision, timeout=constants.HF_HUB_ETAG_TIMEOUT)
    return info.sha, [sibling.rfilename for sibling in info.siblings or []]


def hub_client_errors() -> tuple[type[Exception], ...]:
    """Everything a hub or download client raises when the network or the hub fails, or a name is invalid.

    huggingface_hub 2.x raises ``httpx2`` errors (``httpx2.ConnectError`` is no
    ``OSError``), older releases ``requests`` or ``httpx`` ones, and its own classes
    have no common base; so the boundary catches all of those that are importable.
    Evaluated only when something was raised, so no client is imported for nothing.
    """
    from huggingface_hub import errors

    found: list[type[Exception]] = [OSError]
    found += [value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, Exception)]
    for module, names in (
        ("httpx2", ("HTTPError", "InvalidURL", "StreamError")),
        ("httpx", ("HTTPError", "InvalidURL", "StreamError")),
        ("requests", ("RequestException",)),
    ):
        try:
            client = importlib.import_module(module)
        except ImportError:
            continue
        found += [getattr(client, name) for name in names if isinstance(getattr(client, name, None), type)]
    return tuple(found)


def _failure(error: BaseException) -> str:
    """One line for a failed download: the error's class and its first line."""
    lines = str(error).strip().splitlines()
    return f"download failed: {type(error).__name__}: {lines[0] if lines else 'no message'}"


def resolve_hf_model(
    stage: str, name: str, revision: str | None, context: StageContext, *, setting: str = "model"
) -> ModelRef:
    """Find a Hugging Face model directory, downloading it only as the last resort.

    A store copy counts when the config pins no revision or the one it was locked at.
    ``setting`` is the stage's config key that names the model, for the fix a failure prints.
    """
    from huggingface_hub import snapshot_download

    explicit = Path(name).expanduser()
    if explicit.is_dir():
        return ModelRef(name, explicit, "local")
    store = models_store(context.models_dir)
    stored = store_path(context.models_dir, name)
    locked = read_lock(store).get(name)
    if stored.is_dir() and _store_matches(locked, revision):
        return ModelRef(name, stored, locked["revision"] if locked else revision or "local")
    if stored.is_dir():
        logger.info("%s: %s in %s is locked at %s, not %s", stage, name, store, locked["revision"], revision)
    fix = (
        f"run `nlnews models pull` (or `nlnews models import BUNDLE.tar` where there is no network) "
        f"to fill {store}, or set {stage}.{setting} to a local directory"
    )
    if "/" not in name or name.startswith((".", "/", "~")):
        raise ModelUnavailable(stage, name, "no such directory", fix)
    try:
        path = snapshot_download(name, revision=revision, local_files_only=True)
        return ModelRef(name, Path(path), revision or Path(path).name)
    except hub_client_errors():
        pass
    if is_offline(context):
        raise ModelUnavailable(stage, name, "not on disk and the run is offline", fix)
    try:
        commit, files = _hub_listing(name, revision)
        path = snapshot_download(name, revision=commit, allow_patterns=hub_allow_patterns(files))
    except hub_client_errors() as error:
        raise ModelUnavailable(stage, name, _failure(error), fix) from error
    return ModelRef(name, Path(path), commit)


def _store_matches(locked: dict[str, Any] | None, revision: str | None) -> bool:
    """Whether a store copy serves a config's revision: any when none is pinned or the copy is unlocked."""
    return locked is None or revision is None or revision in (locked["requested"], locked["revision"])


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

    Remote code is never trusted; safetensors weights are required when the
    directory has them, so a stray pickle beside them is never read; half
    precision is used on CUDA only, where it is both supported and faster.
    """
    from transformers import AutoModelForSeq2SeqLM

    use_safetensors = True if any(ref.path.glob("*.safetensors")) else None
    return _load_pretrained(stage, ref, device, AutoModelForSeq2SeqLM, use_safetensors)


def _load_pretrained(
    stage: str, ref: ModelRef, device: str, model_class: Any, use_safetensors: bool | None
) -> tuple[Any, Any]:
    """A tokenizer and a ``model_class`` model from ``ref``: no remote code, half precision on CUDA only, eval mode."""
    import torch
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(ref.path, trust_remote_code=False)
        dtype = torch.float16 if device.startswith("cuda") else torch.float32
        model = model_class.from_pretrained(
            ref.path, trust_remote_code=False, dtype=dtype, use_safetensors=use_safetensors
        )
    except (OSError, ValueError) as error:
        raise ModelUnavailable(stage, ref.name, f"cannot load {ref.path}: {error}", "check the model files") from error
    return tokenizer, model.to(device).eval()


def load_token_classification(stage: str, ref: ModelRef, device: str) -> tuple[Any, Any]:
    """Load a fast tokenizer and a token-classification model from a resolved directory, in eval mode on ``device``.

    Safetensors weights only: a token classifier is an optional extra, and the
    published ones the manifest names ship safetensors (at the revision it pins),
    so no pickle is ever read for one. Remote code is never trusted. A slow
    tokenizer is refused, since entity spans come from its character offsets;
    half precision is used on CUDA only, as in ``load_seq2seq``.
    """
    from transformers import AutoModelForTokenClassification

    if not any(ref.path.glob("*.safetensors")):
        raise ModelUnavailable(
            stage,
            ref.name,
            f"{ref.path} has no safetensors weights",
            "pull a revision that ships model.safetensors (the manifest pins one), "
            "or save the model again with save_pretrained()",
        )
    tokenizer, model = _load_pretrained(stage, ref, device, AutoModelForTokenClassification, True)
    if not tokenizer.is_fast:
        raise ModelUnavailable(
            stage,
            ref.name,
            "its tokenizer has no fast version, so no character offsets",
            "use a model with tokenizer.json",
        )
    return tokenizer, model


def load_spacy(stage: str, name: str, context: StageContext) -> tuple[spacy.language.Language, str]:
    """Load a spaCy pipeline by package name or path; ``blank`` means ``spacy.blank("nl")``.

    Returns the pipeline and its ``name@version`` for the record's ``models`` field.
    """
    import spacy

    if name == "blank":
        return spacy.blank("nl"), f"blank:nl@spacy-{spacy.__version__}"
    for path in (Path(name).expanduser(), store_path(context.models_dir, name)):
        if path.is_dir():
            nlp = spacy.load(path)
            return nlp, f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}@{nlp.meta.get('version')}"
    if spacy.util.is_package(name):
        nlp = spacy.load(name)
        return nlp, f"{name}@{nlp.meta.get('version')}"
    raise ModelUnavailable(
        stage,
        name,
        "spaCy package not installed",
        f"python -m spacy download {name} (or `nlnews models pull`, which pins and locks it), "
        f"or set {stage}.model to a local directory or to 'blank'",
    )


@dataclass(frozen=True)
class ModelStatus:
    """One row of ``nlnews models list``.

    ``state`` is present, missing or corrupt (the store copy fails its lock);
    ``origin`` says where a present model was found: path, store or cache.
    ``location`` is that place, or what is wrong; ``size`` is bytes on disk.
    """

    stage: str
    name: str
    kind: str
    state: str
    location: str
    origin: str = ""
    revision: str | None = None
    size: int | None = None
    licence: str = ""


def configured_models(config: Any) -> list[tuple[str, str, str, str | None]]:
    """``(stage, kind, name, revision)`` for every enabled stage that needs a model."""
    rows = []
    if config.entities.enabled and config.entities.model != "blank":
        rows.append(("entities", "spacy", config.entities.model, None))
    if config.entities.enabled and config.entities.token_model:
        rows.append(("entities", "huggingface", config.entities.token_model, config.entities.token_model_revision))
    if config.summarize.enabled and config.summarize.backend == "transformers" and config.summarize.model:
        rows.append(("summarize", "huggingface", config.summarize.model, config.summarize.revision))
    if config.translate.enabled:
        rows.append(("translate", "huggingface", config.translate.model, config.translate.revision))
    return rows


def locate(
    stage: str, kind: str, name: str, revision: str | None, context: StageContext, *, progress: bool = False
) -> ModelStatus:
    """Where a model would be loaded from, without downloading or loading it.

    A store copy with a lock entry is hashed against it, so a damaged file shows as corrupt.
    """
    manifest = load_manifest().get(name)
    licence = manifest.licence if manifest else "see the model card"
    row = {"stage": stage, "name": name, "kind": kind, "licence": licence}
    explicit = Path(name).expanduser()
    if explicit.is_dir():
        return ModelStatus(**row, state="present", location=str(explicit), origin="path", size=_tree_size(explicit))
    store = models_store(context.models_dir)
    stored = store_path(context.models_dir, name)
    locked = read_lock(store).get(name)
    if stored.is_dir() and _store_matches(locked, revision):
        problems = check_model(store, locked, progress=progress) if locked else []
        return ModelStatus(
            **row,
            state="corrupt" if problems else "present",
            location="; ".join(problems) if problems else str(stored),
            origin="store",
            revision=locked["revision"] if locked else None,
            size=_tree_size(stored),
        )
    cached = _library_cache(kind, name, revision)
    if cached is not None:
        where, found_revision, size = cached
        return ModelStatus(**row, state="present", location=where, origin="cache", revision=found_revision, size=size)
    approx = manifest.size_mb * 1_000_000 if manifest else None
    return ModelStatus(**row, state="missing", location=f"not in {store} nor in a library cache", size=approx)


def _library_cache(kind: str, name: str, revision: str | None) -> tuple[str, str | None, int | None] | None:
    """``(where, revision, size)`` of a model in spaCy's packages or the Hugging Face cache, else ``None``."""
    if kind == "spacy":
        import spacy

        if not spacy.util.is_package(name):
            return None
        return "installed spaCy package", spacy.util.get_package_version(name), None
    if "/" not in name:
        return None
    from huggingface_hub import snapshot_download

    try:
        path = Path(snapshot_download(name, revision=revision, local_files_only=True))
    except hub_client_errors():
        return None
    return str(path), path.name, _tree_size(path)


def _tree_size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


class _LockedFile(BaseModel):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class _LockEntry(BaseModel):
    """What ``read_lock`` checks of one entry; the entry itself stays a plain dict."""

    path: str
    revision: str
    requested: str | None
    files: dict[str, _LockedFile]


def read_lock(store: Path, *, source: str | None = None) -> dict[str, dict[str, Any]]:
    """The lock's entries by model name; empty when the store has no lock yet.

    Every entry is checked before anything reads its files: its folder is the one
    its name gives (``org/name`` -> ``org--name``), so no entry can point at another
    model's files, and each file name stays inside that folder.
    """
    path = store / LOCK_FILE
    where = source or str(path)
    if not path.is_file():
        return {}
    if path.stat().st_size > LOCK_MAX_BYTES:
        raise ModelStoreError(f"{where} is {path.stat().st_size:,} bytes, not a lock file (at most {LOCK_MAX_BYTES:,})")
    try:
        models = json.loads(path.read_text("utf-8"))["models"]
        entries = {name: _LockEntry.model_validate(entry) for name, entry in models.items()}
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        reason = " ".join(str(error).split())[:300]
        raise ModelStoreError(f"{where} is not a valid lock file ({reason}); pull or import the models again") from None
    for name, entry in entries.items():
        folder = name.replace("/", "--")
        if entry.path != folder or not _is_model_folder(folder):
            raise ModelStoreError(f"{where}: {name!r} must live in its own folder {folder!r}, not {entry.path!r}")
        unsafe = next((file for file in entry.files if _relative_parts(file) != file.split("/")), None)
        if unsafe is not None:
            raise ModelStoreError(f"{where}: {name} names a file outside its folder: {unsafe!r}")
    return models


def write_lock(store: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Replace the lock atomically, so a crash never leaves half a lock."""
    partial = store / (LOCK_FILE + ".partial")
    data = {"version": 1, "models": dict(sorted(entries.items()))}
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    partial.replace(store / LOCK_FILE)


def _is_model_folder(name: str) -> bool:
    """A store folder a model may own: one visible component, neither the lock nor a ``.partial`` of a pull."""
    return (
        bool(name)
        and Path(name).name == name
        and not name.startswith(".")
        and name != LOCK_FILE
        and not name.endswith(".partial")
    )


def hash_files(directory: Path, *, progress: bool = False) -> dict[str, dict[str, Any]]:
    """sha256 and size of every file under ``directory``, by POSIX path relative to it."""
    files = sorted(path for path in directory.rglob("*") if path.is_file())
    total = sum(path.stat().st_size for path in files)
    with tqdm(total=total, unit="B", unit_scale=True, desc=f"sha256 {directory.name}", disable=not progress) as bar:
        return {path.relative_to(directory).as_posix(): _hash_file(path, bar) for path in files}


def _hash_file(path: Path, bar: Any) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            bar.update(len(chunk))
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def check_model(store: Path, entry: dict[str, Any], *, progress: bool = False) -> list[str]:
    """What differs between one locked model on disk and its lock: each problem names the file.

    Files added after the pull and not locked again (``relock``) are not checked;
    every locked file must be there, byte for byte.
    """
    root = store / entry["path"]
    if not root.is_dir():
        return [f"{entry['path']}/: missing"]
    problems = []
    present = {}
    for name, locked in entry["files"].items():
        path = root / name
        if not path.is_file():
            problems.append(f"{entry['path']}/{name}: missing")
        elif path.stat().st_size != locked["size"]:
            problems.append(f"{entry['path']}/{name}: {path.stat().st_size} bytes, locked at {locked['size']}")
        else:
            present[name] = path
    total = sum(path.stat().st_size for path in present.values())
    with tqdm(total=total, unit="B", unit_scale=True, desc=f"verify {entry['path']}", disable=not progress) as bar:
        for name, path in present.items():
            if _hash_file(path, bar)["sha256"] != entry["files"][name]["sha256"]:
                problems.append(f"{entry['path']}/{name}: sha256 differs from the lock")
    return problems


def relock(store: Path, name: str, *, progress: bool = False) -> dict[str, Any]:
    """Hash a locked model's folder again, keeping its revision, after a derived file was added beside it.

    ``nlnews models pull`` does this after converting to CTranslate2, so the
    conversion is verified and carried by bundles like the weights it came from.
    """
    entries = read_lock(store)
    entry = {**entries[name], "files": hash_files(store / entries[name]["path"], progress=progress)}
    write_lock(store, {**entries, name: entry})
    return entry


def verify(models_dir: Path | None = None, *, progress: bool = False) -> dict[str, list[str]]:
    """Every locked model of the store with its problems; an empty list means it matches byte for byte."""
    store = models_store(models_dir)
    return {name: check_model(store, entry, progress=progress) for name, entry in read_lock(store).items()}


def pull(
    stage: str,
    kind: str,
    name: str,
    revision: str | None,
    models_dir: Path | None,
    *,
    offline: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Fetch one model into the store at its pinned revision and lock it; returns its lock entry.

    Pinned means: the config's revision, else the commit the lock already holds
    for the manifest's revision, else the manifest's revision or version. The
    download goes to ``<dir>.partial`` and is renamed only once complete and
    hashed, so an interrupted pull never leaves a model that later looks present.
    Offline, nothing touches the network: only an installed spaCy package can be copied in.
    """
    store = models_store(models_dir)
    target = store_path(models_dir, name)
    partial = target.with_name(target.name + ".partial")
    manifest = load_manifest().get(name)
    locked = read_lock(store).get(name)
    store.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(partial, ignore_errors=True)
    try:
        if kind == "spacy":
            requested = manifest.version if manifest else None
            resolved = _fetch_spacy(stage, name, requested, partial, offline)
        else:
            requested = revision or (manifest.revision if manifest else None) or "main"
            pinned = locked["revision"] if locked and locked["requested"] == requested else requested
            resolved = _fetch_hub(stage, name, pinned, partial, offline)
        files = hash_files(partial, progress=progress)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    partial.replace(target)
    entry = {
        "kind": kind,
        "stage": stage,
        "requested": requested,
        "revision": resolved,
        "licence": manifest.licence if manifest else "see the model card",
        "path": target.name,
        "files": files,
    }
    write_lock(store, {**read_lock(store), name: entry})
    return entry


def _fetch_hub(stage: str, name: str, revision: str, target: Path, offline: bool) -> str:
    """Download a hub snapshot at ``revision`` into ``target``; returns the commit it resolved to."""
    from huggingface_hub import snapshot_download

    if offline:
        raise ModelUnavailable(stage, name, "pull needs the network and the run is offline", _OFFLINE_FIX)
    fix = "check the network and the repository name, or copy the model directory from a machine that has it"
    try:
        commit, files = _hub_listing(name, revision)
        snapshot_download(name, revision=commit, allow_patterns=hub_allow_patterns(files), local_dir=target)
    except hub_client_errors() as error:
        raise ModelUnavailable(stage, name, _failure(error), fix) from error
    # huggingface_hub's bookkeeping for resumed downloads, not part of the model.
    shutil.rmtree(target / ".cache", ignore_errors=True)
    return commit


def _fetch_spacy(stage: str, name: str, version: str | None, target: Path, offline: bool) -> str:
    """Install the spaCy package at ``version`` unless it is installed already, and copy its pipeline into ``target``.

    Returns the installed version. A name the manifest does not pin installs the
    version spaCy's compatibility table picks.
    """
    import spacy

    installed = spacy.util.get_package_version(name)
    if installed is None or (version is not None and installed != version):
        if offline:
            wanted = f"{name}=={version}" if version else name
            raise ModelUnavailable(stage, name, f"{wanted} is not installed and the run is offline", _OFFLINE_FIX)
        from spacy.cli import download

        package = f"{name}-{version}" if version else name
        fix = (
            f"check the network (`python -m spacy download {package}{' --direct' if version else ''}` shows pip's "
            f"reason), or pip install the package wheel from a machine that has it"
        )
        try:
            # pip's own report would be several lines per model; the one line below names the fix.
            download(package, bool(version), False, None, "--quiet", "--quiet", "--quiet")
        except SystemExit as error:
            raise ModelUnavailable(stage, name, f"pip could not install {package} (exit {error.code})", fix) from None
        except hub_client_errors() as error:
            raise ModelUnavailable(stage, name, _failure(error), fix) from None
        importlib.invalidate_caches()
        installed = spacy.util.get_package_version(name)
    data = spacy.util.get_package_path(name) / f"{name}-{installed}"
    shutil.copytree(data, target)
    return str(installed)


def export_bundle(bundle: Path, models_dir: Path | None = None, *, progress: bool = False) -> list[str]:
    """Write every locked model of the store, and the lock, into one tar file.

    The store is verified first, so a damaged file is never carried to a machine
    that cannot fetch it again. ``.tar.gz`` / ``.tgz`` names are compressed.
    Returns the names of the exported models.
    """
    store = models_store(models_dir)
    entries = read_lock(store)
    if not entries:
        raise NlnewsError(f"{store} has no locked models to export; run `nlnews models pull` first")
    problems = [problem for entry in entries.values() for problem in check_model(store, entry, progress=progress)]
    if problems:
        raise NlnewsError(f"{store} fails its lock, not exporting: " + "; ".join(problems))
    lock = (json.dumps({"version": 1, "models": entries}, indent=2, ensure_ascii=False) + "\n").encode()
    partial = bundle.with_name(bundle.name + ".partial")
    mode = "w:gz" if bundle.name.endswith((".tar.gz", ".tgz")) else "w"
    # Dereferenced, so a linked file in the store is carried as the regular file an import accepts.
    with tarfile.open(partial, mode, dereference=True) as tar:
        info = tarfile.TarInfo(LOCK_FILE)
        info.size = len(lock)
        tar.addfile(info, io.BytesIO(lock))
        for entry in entries.values():
            for name in entry["files"]:
                tar.add(store / entry["path"] / name, arcname=f"{entry['path']}/{name}")
    partial.replace(bundle)
    return sorted(entries)


#: How deep a bundle's folders may nest; a model is one or two levels, and deeper trees defeat recursive walks.
BUNDLE_MAX_DEPTH = 16


@dataclass(frozen=True)
class BundleLimits:
    """How much a bundle may unpack to: a compressed bomb stops at these, before the disk fills.

    The defaults hold the largest profile's models several times over; ``nlnews
    models import --max-total/--max-file/--max-ratio`` change them. Model weights
    barely compress (safetensors of trained floats: about 1.1x, vocabularies a few
    times), so a bundle that unpacks to ``ratio`` times its own size is a bomb,
    however far below the size limits it stays; bundles up to ``ratio_floor_bytes``
    unpacked are never judged by their ratio.
    """

    total_bytes: int = 20 * 2**30
    file_bytes: int = 10 * 2**30
    members: int = 100_000
    ratio: int = 50
    ratio_floor_bytes: int = 64 * 2**20

    def total_for(self, packed_bytes: int) -> tuple[int, str]:
        """The most a bundle of ``packed_bytes`` may unpack to, and the option that sets it."""
        by_ratio = max(self.ratio_floor_bytes, self.ratio * packed_bytes)
        if by_ratio < self.total_bytes:
            return by_ratio, f"{self.ratio} times its packed size (--max-ratio)"
        return self.total_bytes, "the limit for a bundle (--max-total)"


def import_bundle(
    bundle: Path, models_dir: Path | None = None, *, limits: BundleLimits | None = None, progress: bool = False
) -> list[str]:
    """Unpack a bundle into the store, verify it against its own lock, and only then make it visible.

    Every member is checked before it is written: only regular files and folders
    (no links, devices or fifos), names that stay inside the staging folder, sizes
    within ``limits``. Files are written one by one by this function, never by
    ``tarfile.extract``, so no filter bypass (such as the PATH_MAX symlink chain of
    CVE-2025-4517) applies. The lock's paths must be the folders named by their
    models and their files inside them. A refused bundle changes nothing in the
    store; models already there under the same name are replaced. Returns the
    imported names.
    """
    store = models_store(models_dir)
    store.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", suffix=".partial", dir=store))
    try:
        _unpack(bundle, staging, limits or BundleLimits())
        entries = read_lock(staging, source=f"{bundle}: {LOCK_FILE}")
        if not entries:
            raise ModelStoreError(f"{bundle} has no {LOCK_FILE}: not an nlnews model bundle")
        for name, entry in entries.items():
            problems = check_model(staging, entry, progress=progress)
            if problems:
                raise ModelStoreError(f"{bundle}: {name} fails its lock, nothing imported: {_first(problems)}")
            _remove_unlocked(staging / entry["path"], entry["files"])
        _replace_models(store, staging, entries)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(entries)


def _unpack(bundle: Path, staging: Path, limits: BundleLimits) -> None:
    """Write a bundle's regular files into ``staging``, refusing the whole bundle at its first unsafe member."""
    total = 0
    try:
        allowed, which = limits.total_for(bundle.stat().st_size)
        with tarfile.open(bundle, "r:*", tarinfo=_BoundedTarInfo) as tar:
            for count, member in enumerate(tar, start=1):
                parts = _member_parts(member)
                if count > limits.members:
                    raise ModelStoreError(f"more than {limits.members:,} members")
                if member.isdir():
                    _make_dirs(staging, parts)
                    continue
                if member.size > limits.file_bytes:
                    raise ModelStoreError(
                        f"{member.name!r} unpacks to {member.size:,} bytes, "
                        f"over the {limits.file_bytes:,}-byte limit per file (--max-file)"
                    )
                total += member.size
                if total > allowed:
                    raise ModelStoreError(f"unpacks to over {allowed:,} bytes, {which}")
                _write_member(tar, member, _make_dirs(staging, parts[:-1]) / parts[-1])
    except ModelStoreError as error:
        raise ModelStoreError(f"cannot import {bundle}: {error}; nothing imported") from None
    except (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError) as error:
        raise ModelStoreError(f"cannot unpack {bundle}: {error}; nothing imported") from None


class _BoundedTarInfo(tarfile.TarInfo):
    """A member header whose extended headers (long names, pax records) are refused over 1 MiB.

    tarfile reads an extended header whole into memory before it yields the
    member it describes, so this bound is checked before that read.
    """

    MAX_EXTENDED_HEADER = 1 << 20
    EXTENDED = (
        tarfile.GNUTYPE_LONGNAME,
        tarfile.GNUTYPE_LONGLINK,
        tarfile.XHDTYPE,
        tarfile.XGLTYPE,
        tarfile.SOLARIS_XHDTYPE,
    )

    def _proc_member(self, tar: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in self.EXTENDED and self.size > self.MAX_EXTENDED_HEADER:
            raise tarfile.SubsequentHeaderError(f"an extended header of {self.size:,} bytes (over 1 MiB)")
        return super()._proc_member(tar)


def _member_parts(member: tarfile.TarInfo) -> list[str]:
    """The path components of a member that is a regular file or folder and stays inside the staging folder."""
    if not (member.isreg() or member.isdir()) or member.issparse():
        kind = {
            tarfile.SYMTYPE: "a symbolic link",
            tarfile.LNKTYPE: "a hard link",
            tarfile.CHRTYPE: "a character device",
            tarfile.BLKTYPE: "a block device",
            tarfile.FIFOTYPE: "a fifo",
        }.get(member.type, "not a regular file")
        raise ModelStoreError(f"{member.name!r} is {kind}; a bundle holds only regular files and folders")
    parts = _relative_parts(member.name)
    if parts is None:
        raise ModelStoreError(f"{member.name!r} leaves the bundle's folder")
    if len(parts) > BUNDLE_MAX_DEPTH:
        raise ModelStoreError(f"{member.name[:80]!r}... is more than {BUNDLE_MAX_DEPTH} folders deep")
    return parts


def _relative_parts(name: str) -> list[str] | None:
    """``name`` as path components below a folder, or None when it is absolute, climbs with ``..`` or is empty."""
    if not name or name.startswith("/") or "\\" in name or "\0" in name:
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return parts


def _make_dirs(root: Path, parts: list[str]) -> Path:
    """Create the folders below ``root`` one level at a time, never through a link, and return the deepest."""
    folder = root
    for part in parts:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ModelStoreError(f"{folder.name!r} is both a file and a folder in the bundle")
        folder.mkdir(mode=0o755, exist_ok=True)
    return folder


def _write_member(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path) -> None:
    """Copy one member into a new file that must not exist yet (a repeated name is refused, a link never followed)."""
    source = tar.extractfile(member)
    if source is None:
        raise ModelStoreError(f"{member.name!r} has no data")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        raise ModelStoreError(f"{member.name!r} appears twice in the bundle") from None
    with source, os.fdopen(descriptor, "wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)


def _first(problems: list[str], shown: int = 5) -> str:
    """The first few problems in one line, and how many more there are."""
    more = f"; and {len(problems) - shown:,} more" if len(problems) > shown else ""
    return "; ".join(problems[:shown]) + more


def _remove_unlocked(root: Path, files: dict[str, Any]) -> None:
    """Drop what a bundle carries beside a model's locked files, so nothing unverified is imported."""
    for path in [path for path in root.rglob("*") if path.is_file()]:
        if path.relative_to(root).as_posix() not in files:
            path.unlink()


def _replace_models(store: Path, staging: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Move verified models from ``staging`` into the store and lock them; on any failure put the old ones back."""
    lock = read_lock(store)
    replaced = staging / ".replaced"
    replaced.mkdir()
    moved: list[str] = []
    try:
        for entry in entries.values():
            target = store / entry["path"]
            moved.append(entry["path"])
            if target.exists() or target.is_symlink():
                target.replace(replaced / entry["path"])
            (staging / entry["path"]).replace(target)
        write_lock(store, {**lock, **entries})
    except BaseException:
        for folder in reversed(moved):
            shutil.rmtree(store / folder, ignore_errors=True)
            if (replaced / folder).exists() or (replaced / folder).is_symlink():
                (replaced / folder).replace(store / folder)
        raise


#: Where a model's CTranslate2 conversion lives, inside the model's own folder.
CTRANSLATE2_FOLDER = "ctranslate2-int8"


def convert_ctranslate2(stage: str, ref: ModelRef) -> Path:
    """Convert a resolved Transformers model to CTranslate2, int8-quantised, in ``<model dir>/ctranslate2-int8``.

    Only ``nlnews models pull`` and ``nlnews models convert`` call this, on a model
    in the store (which they lock again with the conversion) or at a local path:
    building a stage never writes, and a library's cache is never written into.
    The conversion goes to a ``.partial`` folder renamed when complete, so an
    interrupted one never looks finished. Returns the converted folder.
    """
    ctranslate2 = _import_ctranslate2(stage, ref)
    converted = ref.path / CTRANSLATE2_FOLDER
    if (converted / "model.bin").is_file():
        return converted
    partial = converted.with_name(converted.name + ".partial")
    logger.info("converting %s to CTranslate2 int8 in %s", ref.name, converted)
    try:
        ctranslate2.converters.TransformersConverter(str(ref.path)).convert(
            str(partial), quantization="int8", force=True
        )
        partial.replace(converted)
    except (OSError, ValueError, NotImplementedError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise ModelUnavailable(
            stage,
            ref.name,
            f"cannot convert {ref.path} to CTranslate2: {error}",
            f"make {ref.path} writable, or set {stage}.backend to transformers",
        ) from error
    return converted


def _import_ctranslate2(stage: str, ref: ModelRef) -> Any:
    try:
        import ctranslate2
    except ImportError as error:
        raise ModelUnavailable(stage, ref.name, "ctranslate2 is not installed", "pip install ctranslate2") from error
    return ctranslate2


def load_ctranslate2(
    stage: str, ref: ModelRef, device: str, compute_type: str, threads: int | None
) -> tuple[Any, Any, Any]:
    """Load the tokenizer, the CTranslate2 translator and the config of a resolved, converted Transformers model.

    The translator re-quantises the int8 conversion to ``compute_type`` at load
    (int8 on CPU, int8_float16 on CUDA); ``threads`` are its own, not the
    process's. CTranslate2 has no Apple MPS support, so anything but CUDA runs on
    the CPU. A model not converted yet is unavailable, with the command that converts it.
    """
    ctranslate2 = _import_ctranslate2(stage, ref)
    from transformers import AutoConfig, AutoTokenizer

    converted = ref.path / CTRANSLATE2_FOLDER
    if not (converted / "model.bin").is_file():
        raise ModelUnavailable(
            stage,
            ref.name,
            f"not converted to CTranslate2 (no {converted})",
            f"run `nlnews models convert {ref.name}` (with the run's --models-dir, if any), "
            f"or set {stage}.backend to transformers",
        )
    device_type, _, index = device.partition(":")
    on_cuda = device_type == "cuda"
    try:
        tokenizer = AutoTokenizer.from_pretrained(ref.path, trust_remote_code=False)
        config = AutoConfig.from_pretrained(ref.path, trust_remote_code=False)
        translator = ctranslate2.Translator(
            str(converted),
            device="cuda" if on_cuda else "cpu",
            device_index=int(index or 0),
            compute_type=compute_type,
            intra_threads=threads or 0,
        )
    except (OSError, ValueError, RuntimeError) as error:
        raise ModelUnavailable(stage, ref.name, f"cannot load {converted}: {error}", "check the model files") from error
    return tokenizer, translator, config
