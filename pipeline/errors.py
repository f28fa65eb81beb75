"""One exception hierarchy for the whole project.

Errors from spaCy, transformers or the file system are translated into these
at the boundary (``config.py``, ``models.py``, ``io/``) so that callers catch
``NlnewsError`` and get a message that says what to do.
"""

from __future__ import annotations

from typing import Any


class NlnewsError(Exception):
    """Base class of every error nlnews raises on purpose."""


class ConfigError(NlnewsError):
    """The configuration is invalid: unknown key, wrong type, unknown stage."""


class ModelUnavailable(NlnewsError):
    """A configured model is neither on disk nor downloadable."""

    def __init__(self, stage: str, model: str, reason: str, fix: str) -> None:
        self.stage = stage
        self.model = model
        self.reason = reason
        self.fix = fix
        super().__init__(f"{stage}: model {model!r} unavailable ({reason}); fix: {fix}")


class Fallback(ModelUnavailable):
    """A missing model a stage can run without: under ``settings`` it needs none, and loses ``outcome``.

    A stage raises it instead of degrading itself, so one place, the pipeline's
    stage builder, decides: an error under ``strict``, else the stage built again
    with ``settings`` applied and the degradation reported with the run.
    """

    def __init__(self, error: ModelUnavailable, settings: dict[str, Any], outcome: str) -> None:
        super().__init__(error.stage, error.model, error.reason, error.fix)
        self.settings = settings
        self.outcome = outcome


class ModelsUnavailable(ModelUnavailable):
    """Several configured models are missing: raised once under ``strict``, so one run names them all."""

    def __init__(self, missing: list[ModelUnavailable]) -> None:
        self.missing = missing
        self.stage = ", ".join(error.stage for error in missing)
        self.model = ", ".join(error.model for error in missing)
        self.reason = "; ".join(error.reason for error in missing)
        self.fix = "; ".join(error.fix for error in missing)
        Exception.__init__(self, f"{len(missing)} models unavailable:\n" + "\n".join(f"  {error}" for error in missing))


class ModelStoreError(NlnewsError):
    """The model store, its lock or a bundle is damaged or unsafe; nothing was changed because of it."""


class ResourceError(NlnewsError):
    """A gazetteer or glossary file is missing or malformed; raised when the entities stage starts."""


class StageError(NlnewsError):
    """A stage failed on a document; recorded as ``error: ...`` in its status."""


class InputError(NlnewsError):
    """An input record could not be read (broken JSON, unreadable file)."""


class OutputError(NlnewsError):
    """The output cannot be written (disk full, unwritable or locked path): the run stops with exit code 2."""


class UnwritableRecord(NlnewsError):
    """One record cannot be serialised; it goes to ``errors.jsonl`` and the run goes on."""


class WorkerError(NlnewsError):
    """Worker processes cannot be started (they die before they are ready): the run stops with exit code 2."""


def describe(error: BaseException) -> str:
    """``Type: message`` on one line, at most a few hundred characters, whatever the exception holds."""
    try:
        message = " ".join(str(error).split())
    except Exception:  # noqa: BLE001 - an exception whose message itself fails
        message = "(its message cannot be shown)"
    return f"{type(error).__name__}: {message}"[:300]
