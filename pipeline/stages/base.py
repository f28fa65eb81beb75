"""What every stage shares: its settings base, its protocol and its context.

A stage is a callable class, like a spaCy component or a Ray Data actor:
``__init__(settings, context)`` does the expensive setup once (model load,
gazetteers), ``__call__(docs)`` processes a whole batch and records its outcome
per document in ``doc.status[stage.name]``. A constructor changes nothing outside
its stage (no process-wide threads, no files written) and reports a missing model
by raising (``ModelUnavailable``, or ``Fallback`` when it can run without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from pipeline.document import Result


class StageSettings(BaseModel):
    """Settings every stage has. Unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    enabled: bool = True


@dataclass(frozen=True)
class StageContext:
    """Run-wide facts a stage may need at construction; never per-document data, never written to.

    A stage whose model is missing raises ``ModelUnavailable`` (or ``Fallback``
    when it can run without it); the pipeline's stage builder decides what that
    costs the run, so no stage reads ``strict``.

    Args:
        models_dir: the project's local model store, searched before any cache.
        offline: never touch the network (also implied by ``HF_HUB_OFFLINE=1``).
        strict: a missing model is an error instead of a logged fallback.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:1`` or ``mps``.
    """

    models_dir: Path | None = None
    offline: bool = False
    strict: bool = False
    device: str = "auto"


@runtime_checkable
class Stage(Protocol):
    """The contract ``Pipeline`` checks when a stage class is registered."""

    name: ClassVar[str]
    Settings: ClassVar[type[StageSettings]]
    #: The record fields this stage needs filled by an earlier stage.
    requires: ClassVar[tuple[str, ...]]
    #: The record fields this stage writes.
    assigns: ClassVar[tuple[str, ...]]
    #: ``name@revision`` of the model the stage runs, or ``None`` if it has none.
    model_id: str | None

    def __call__(self, docs: list[Result]) -> list[Result]: ...


def skip(doc: Result, stage: str, reason: str) -> None:
    doc.status[stage] = f"skipped: {reason}"


def ok(doc: Result, stage: str, note: str | None = None) -> None:
    doc.status[stage] = "ok" if note is None else f"ok: {note}"
