"""A test double of ``Translator`` for tests of what the translate stage sends to its model and does with the answer."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.stages.translate.translation import Translator


class RecordingTranslator:
    """Test double for ``Translator``: the tiny model's token counts and limit, ``rewrite`` instead of the model.

    It has the public surface the stage uses (``translate``, ``count_tokens``,
    ``model_limit``, ``model_id``) and records every text the stage sends, so a
    test sees what reached the model.
    """

    def __init__(self, tokens_from: Translator, rewrite: Callable[[list[str]], list[str]]) -> None:
        self.model_id = "recording-translator"
        self.model_limit = tokens_from.model_limit
        self.count_tokens = tokens_from.count_tokens
        self.rewrite = rewrite
        self.seen: list[str] = []

    def translate(self, texts: list[str]) -> list[str]:
        self.seen.extend(texts)
        return self.rewrite(texts)
