"""nlnews: Dutch news made readable for English speakers.

>>> from pipeline import Pipeline
>>> Pipeline("offline")("De IND opent in 2025 een loket in Zwolle.").language
'nl'
"""

from pipeline.config import PipelineConfig, load_config
from pipeline.core import Pipeline
from pipeline.document import Article, Entity, Result
from pipeline.errors import ConfigError, ModelUnavailable, NlnewsError, StageError

__version__ = "0.1.0"

__all__ = [
    "Pipeline",
    "Article",
    "Result",
    "Entity",
    "PipelineConfig",
    "load_config",
    "NlnewsError",
    "ConfigError",
    "ModelUnavailable",
    "StageError",
    "to_dataframe",
    "entities_frame",
    "read_results",
]

#: Public names that need the ``notebooks`` extra (pandas): imported on first use.
_ANALYSIS = ("to_dataframe", "entities_frame", "read_results")


def __getattr__(name: str) -> object:
    """Import the pandas-backed names on first use, so ``import pipeline`` works without the extra."""
    if name in _ANALYSIS:
        from pipeline import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
