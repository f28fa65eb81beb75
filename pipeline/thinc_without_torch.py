"""spaCy without torch: thinc imports torch (a second and a half) only to learn whether it may use it.

thinc's ``compat`` module runs ``import torch`` when spaCy is first imported,
so every process that touches spaCy pays for torch, the offline profile and
its workers included, though no nlnews spaCy pipeline has a torch layer.
``install`` (run by ``import pipeline``) makes that one import fail while
``thinc.compat`` executes, so thinc records torch as absent; torch itself stays
importable, and the stages that need it (translation, summaries, the token
classifier) import it as before.

thinc keeps its torch support when torch was imported first, or when a spaCy
package with torch layers is installed (``spacy-transformers``,
``spacy-curated-transformers``): a pipeline built on one works as it did.
"""

from __future__ import annotations

import importlib.util
import sys

#: spaCy packages whose pipelines run torch layers through thinc.
TORCH_PLUGINS = ("spacy_transformers", "spacy_curated_transformers")


def install() -> None:
    """Watch for ``thinc.compat``; a second call adds nothing."""
    if not any(isinstance(finder, _ThincCompatFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _ThincCompatFinder())


class _ThincCompatFinder:
    """Finds ``thinc.compat`` as the import system would, and hands it a loader that hides torch.

    A meta path finder and a loader by protocol, typed with builtins alone: ``importlib.abc`` and ``typing``
    would add a tenth to every ``import pipeline``.
    """

    def find_spec(self, fullname: str, path: object, target: object = None) -> object:
        if fullname != "thinc.compat":
            return None
        sys.meta_path.remove(self)  # thinc.compat is imported once per process
        if "torch" in sys.modules or any(importlib.util.find_spec(name) for name in TORCH_PLUGINS):
            return None
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _WithoutTorch(spec.loader)
        return spec


class _WithoutTorch:
    """Executes a module while ``import torch`` raises ``ImportError`` (a ``None`` in ``sys.modules``)."""

    def __init__(self, loader: object) -> None:
        self._loader = loader

    def create_module(self, spec: object) -> object:
        return self._loader.create_module(spec)

    def exec_module(self, module: object) -> None:
        sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            self._loader.exec_module(module)
        finally:
            if "torch" in sys.modules and sys.modules["torch"] is None:
                del sys.modules["torch"]

    def __getattr__(self, name: str) -> object:
        """``get_source``, ``get_filename`` and the rest, for tracebacks and ``inspect``: the file loader's own."""
        return getattr(self._loader, name)
