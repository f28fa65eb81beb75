"""The stage registry: one table from stage name to stage class.

Registration is explicit and checked here, so a stage that breaks the
contract fails at import with a clear message rather than mid-run.
"""

from __future__ import annotations

from pipeline.stages.base import Stage, StageSettings
from pipeline.stages.clean import CleanStage
from pipeline.stages.detect import DetectStage
from pipeline.stages.entities import EntitiesStage
from pipeline.stages.summarize import SummarizeStage
from pipeline.stages.translate import TranslateStage


def _checked(cls: type) -> type[Stage]:
    """Refuse a class that does not satisfy the ``Stage`` contract."""
    missing = [attr for attr in ("name", "Settings", "requires", "assigns", "__call__") if not hasattr(cls, attr)]
    if missing:
        raise TypeError(f"{cls.__name__} is not a stage: lacks {', '.join(missing)}")
    if not issubclass(cls.Settings, StageSettings):
        raise TypeError(f"{cls.__name__}.Settings must subclass StageSettings")
    return cls


STAGES: dict[str, type[Stage]] = {
    cls.name: _checked(cls) for cls in (CleanStage, DetectStage, EntitiesStage, SummarizeStage, TranslateStage)
}

#: Record fields present before any stage runs (they come from the input).
INPUT_FIELDS = ("id", "text", "title")

__all__ = ["STAGES", "INPUT_FIELDS"]
