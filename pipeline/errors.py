"""One exception hierarchy for the whole project.

Errors from spaCy, transformers or the file system are translated into these
at the boundary (``config.py``, ``models.py``, ``io/``) so that callers catch
``NlnewsError`` and get a message that says what to do.
"""

from __future__ import annotations


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
