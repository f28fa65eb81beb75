"""The stage registry: every stage by its factory name, and the record fields they make together.

Each stage module registers its class with ``@register_stage(name)``
(``pipeline.stages.base``), which checks it against the ``Stage`` protocol,
so a stage that breaks the contract fails at import with a clear message
rather than mid-run. Importing this module imports the built-in stages; a new
stage is one module with its registration, plus its name in ``BUILTIN``. Its
config section (``pipeline.config``), its record fields (``Result.to_dict``)
and its Parquet columns (``pipeline.io.writers``) follow from what it declares.
"""

from __future__ import annotations

from importlib import import_module

from pipeline.document import INPUT_FIELDS, RUN_FIELDS
from pipeline.stages.base import STAGES, WORKING_FIELDS, Stage, register_stage

#: The stages shipped with the package, in their default order: each names its module ``pipeline.stages.<name>``.
BUILTIN = ("clean", "detect", "entities", "summarize", "translate")

for _module in BUILTIN:
    import_module(f"pipeline.stages.{_module}")

__all__ = ["BUILTIN", "INPUT_FIELDS", "RUN_FIELDS", "STAGES", "WORKING_FIELDS", "Stage", "register_stage"]
