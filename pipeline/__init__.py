"""nlnews: Dutch news made readable for English speakers.

>>> from pipeline import Pipeline
>>> Pipeline("offline")("De IND opent in 2025 een loket in Zwolle.").language
'nl'

The public names are imported on first use, as httpx and transformers do: the
stages bring in spaCy and torch, which a bare ``import pipeline`` or
``nlnews --help`` should not pay for.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_PUBLIC = {
    "Pipeline": "pipeline.core",
    "Article": "pipeline.document",
    "Result": "pipeline.document",
    "Entity": "pipeline.document",
    "PipelineConfig": "pipeline.config",
    "load_config": "pipeline.config",
    "NlnewsError": "pipeline.errors",
    "ConfigError": "pipeline.errors",
    "ModelUnavailable": "pipeline.errors",
    "StageError": "pipeline.errors",
    # these three need the ``notebooks`` extra (pandas)
    "to_dataframe": "pipeline.analysis",
    "entities_frame": "pipeline.analysis",
    "read_results": "pipeline.analysis",
}

__all__ = list(_PUBLIC)


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use and keep it."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    try:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
    except AttributeError as error:
        # Python would report it as "cannot import name": say what failed (often a local file that shadows a
        # standard module, such as a ``tempfile.py`` in the working directory).
        raise ImportError(f"importing {name} from {_PUBLIC[name]} failed: {error}") from error
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
