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
]
