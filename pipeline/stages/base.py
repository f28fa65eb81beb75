"""What every stage shares: its settings base, its protocol, its registration and its context.

A stage is a callable class, like a spaCy component or a Ray Data actor:
``__init__(settings, context)`` does the expensive setup once (model load,
gazetteers), ``__call__(docs)`` processes a whole batch and records its outcome
per document in ``doc.status[stage.name]``. A constructor changes nothing outside
its stage (no process-wide threads, no files written) and reports a missing model
by raising (``ModelUnavailable``, or ``Fallback`` when it can run without it).
``@register_stage(name)`` checks the class against ``Stage`` and enters it in ``STAGES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from pipeline.document import FIELDS, RecordField, Result, add_field


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


class Contract(NamedTuple):
    """What a stage reads and writes: field names of ``Result`` (``pipeline.document.FIELDS`` or working state).

    ``requires`` must come from the input or an earlier stage; ``optional`` is
    read when an earlier stage filled it and never fails the order check.
    """

    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    optional: tuple[str, ...] = ()


@runtime_checkable
class Stage(Protocol):
    """The contract ``register_stage`` checks when a stage class is registered.

    A stage whose fields depend on its settings (summarize after translation)
    also has a ``contract(settings) -> Contract`` classmethod; its class
    ``requires`` and ``optional`` then describe the default settings, and
    ``assigns`` every field it may write under any settings (the record's fields).
    """

    name: ClassVar[str]
    Settings: ClassVar[type[StageSettings]]
    #: The record fields this stage needs filled by the input or an earlier stage.
    requires: ClassVar[tuple[str, ...]]
    #: The record fields this stage writes (under some settings, for a stage with a ``contract``).
    assigns: ClassVar[tuple[str, ...]]
    #: The fields it reads when an earlier stage filled them, and does without otherwise.
    optional: ClassVar[tuple[str, ...]]
    #: Record fields this stage adds to the record (and the Parquet schema), beyond ``pipeline.document.FIELDS``.
    fields: ClassVar[tuple[RecordField, ...]]
    #: ``name@revision`` of the model the stage runs, or ``None`` if it has none.
    model_id: str | None

    def __init__(self, settings: Any, context: StageContext) -> None: ...

    def __call__(self, docs: list[Result]) -> list[Result]: ...


#: Every registered stage by its factory name, in registration order; filled by ``register_stage``.
STAGES: dict[str, type[Stage]] = {}

#: Fields a stage may read that are no part of the record: set from the input or by the pipeline itself.
WORKING_FIELDS = ("sentences", "declared_language", "location")


def register_stage(name: str) -> Callable[[type], type]:
    """Register a stage class under ``name``, as spaCy's ``@Language.factory`` does, after checking its contract.

    The name is the stage's config section, its ``status`` key and its entry in
    ``pipeline:``; the fields it declares in ``fields`` join the record.

    >>> @register_stage("words")  # doctest: +SKIP
    ... class WordsStage: ...
    """

    def register(cls: type) -> type:
        if name in STAGES and STAGES[name] is not cls:
            raise TypeError(f"stage {name!r} is registered already ({STAGES[name].__qualname__})")
        _check_stage(cls)
        cls.name = name
        cls.optional = getattr(cls, "optional", ())
        cls.fields = getattr(cls, "fields", ())
        for record_field in cls.fields:
            add_field(record_field)
        STAGES[name] = cls
        return cls

    return register


def _check_stage(cls: type) -> None:
    """Refuse, with a TypeError naming the class, a class that does not satisfy ``Stage``."""
    missing = [attr for attr in ("Settings", "requires", "assigns", "__call__") if not hasattr(cls, attr)]
    if missing:
        raise TypeError(f"{cls.__qualname__} is not a stage: lacks {', '.join(missing)}")
    if not (isinstance(cls.Settings, type) and issubclass(cls.Settings, StageSettings)):
        raise TypeError(f"{cls.__qualname__}.Settings must subclass StageSettings")
    declared = getattr(cls, "fields", ())
    if not (isinstance(declared, tuple) and all(isinstance(item, RecordField) for item in declared)):
        raise TypeError(f"{cls.__qualname__}.fields must be a tuple of RecordField, got {declared!r}")
    taken = [item.name for item in declared if _taken(item)]
    if taken:
        raise TypeError(f"{cls.__qualname__}.fields declares {taken}, which the record or Result has already")
    known = {*FIELDS, *WORKING_FIELDS, *(item.name for item in declared)}
    for attr in ("requires", "assigns", "optional"):
        names = getattr(cls, attr, ())
        if not (isinstance(names, tuple) and all(isinstance(item, str) for item in names)):
            raise TypeError(f"{cls.__qualname__}.{attr} must be a tuple of field names, got {names!r}")
        unknown = [item for item in names if item not in known]
        if unknown:
            raise TypeError(
                f"{cls.__qualname__}.{attr} names unknown fields {unknown}; declare new ones in {cls.__qualname__}.fields"
            )
    both = set(cls.requires) & set(getattr(cls, "optional", ()))
    if both:
        raise TypeError(f"{cls.__qualname__}: {sorted(both)} are both required and optional")
    if hasattr(cls, "contract") and not callable(cls.contract):
        raise TypeError(f"{cls.__qualname__}.contract must be a classmethod taking the settings")


def _taken(record_field: RecordField) -> bool:
    """Whether a declared field would clash: another type for a record field, or a name ``Result`` uses."""
    if record_field.name in FIELDS:
        return FIELDS[record_field.name] != record_field
    return record_field.name in WORKING_FIELDS or hasattr(Result, record_field.name)


def contract_of(cls: type[Stage], settings: StageSettings) -> Contract:
    """What a stage reads and writes under these settings: its ``contract`` classmethod, else its class attributes."""
    contract = getattr(cls, "contract", None)
    if contract is not None:
        return contract(settings)
    return Contract(cls.requires, cls.assigns, cls.optional)


def skip(doc: Result, stage: str, reason: str) -> None:
    doc.status[stage] = f"skipped: {reason}"


def ok(doc: Result, stage: str, note: str | None = None) -> None:
    doc.status[stage] = "ok" if note is None else f"ok: {note}"
