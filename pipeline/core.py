"""``Pipeline``: the one object for a single text, a list, or a stream of articles.

It builds the stages a config names (checking their order), runs them batch by
batch, and turns every failure into a per-record status: a batch that raises
is re-run document by document so one bad article never costs the others.
Between them it runs one segmentation step, right after the last stage that
writes ``text``, so every stage after it reads the same ``sentences``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, overload

from pipeline.config import PipelineConfig, load_config
from pipeline.document import Article, Result
from pipeline.errors import ConfigError, InputError, ModelsUnavailable, ModelUnavailable
from pipeline.models import models_store
from pipeline.segment import Segmentation
from pipeline.stages.base import Contract, Stage, StageContext, contract_of, skip
from pipeline.stages.registry import INPUT_FIELDS, STAGES, WORKING_FIELDS

logger = logging.getLogger(__name__)

ArticleLike = str | dict[str, Any] | Article


class SkippingStage:
    """Stands in for a stage that is disabled or whose model is missing.

    Its status says why, so a reader of the output never mistakes a missing
    translation for an empty one.
    """

    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    model_id: str | None = None

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def __call__(self, docs: list[Result]) -> list[Result]:
        for doc in docs:
            skip(doc, self.name, self.reason)
        return docs


class Pipeline:
    """Dutch news in, English-readable records out.

    Args:
        config: a profile name (``"default"``, ``"offline"``), a YAML path, a
            dict or a ``PipelineConfig``.
        overrides: dotted keys applied on top, e.g. ``{"translate.full_text": True}``.
        strict: a missing model is an error here instead of a logged fallback.
        fail_fast: re-raise the first stage error instead of recording it.

    >>> pipe = Pipeline("offline")
    >>> result = pipe("Utrecht investeert in 2024 in nieuwe fietspaden naar het station.")
    >>> result.language, [e.text for e in result.entities if e.label == "CITY"]
    ('nl', ['Utrecht'])
    """

    def __init__(
        self,
        config: str | Path | dict[str, Any] | PipelineConfig | None = None,
        *,
        overrides: dict[str, Any] | None = None,
        strict: bool = False,
        fail_fast: bool = False,
    ) -> None:
        self.config = load_config(config, overrides)
        self.fail_fast = fail_fast
        self.context = StageContext(
            # Absolute, so worker processes and Ray actors with another working directory find the same store.
            models_dir=models_store(self.config.models_dir).resolve(),
            offline=self.config.offline,
            strict=strict,
            device=self.config.device,
        )
        self._segment_at = self._check_order()
        missing: list[ModelUnavailable] = []
        self.stages: list[tuple[str, Stage | SkippingStage]] = [
            (name, self._build_stage(name, missing)) for name in self.config.pipeline
        ]
        if missing:
            raise missing[0] if len(missing) == 1 else ModelsUnavailable(missing)
        for message in self.fallbacks:
            logger.warning(message)

    @property
    def fallbacks(self) -> list[str]:
        """What degrades in this run and how to fix it, one line per stage."""
        return list(self.context.fallbacks)

    @property
    def models(self) -> dict[str, str]:
        """The model (and revision) each stage runs, as written into every record."""
        return {name: stage.model_id for name, stage in self.stages if stage.model_id}

    @overload
    def __call__(self, item: ArticleLike) -> Result: ...
    @overload
    def __call__(self, item: list[ArticleLike]) -> list[Result]: ...
    @overload
    def __call__(self, item: Iterable[ArticleLike]) -> Iterator[Result]: ...

    def __call__(self, item: Any) -> Any:
        """A text or record gives one ``Result``, a list a list, any other iterable a generator."""
        if isinstance(item, (str, dict, Article)):
            return next(self.run([item]))
        if isinstance(item, list):
            return list(self.run(item))
        return self.run(item)

    def run(self, items: Iterable[ArticleLike | Result], batch_size: int | None = None) -> Iterator[Result]:
        """Process lazily, in input order, ``batch_size`` articles at a time.

        An item that is not a valid article (a record without ``text``) yields
        a ``Result`` with a ``read`` error instead of stopping the stream; its id,
        ``invalid-input-<n>``, is its position in the whole stream, so it never repeats.
        """
        size = batch_size or self.config.batch_size
        iterator = iter(items)
        start = 0
        while batch := list(islice(iterator, size)):
            yield from self.process_batch([self._to_result(item, start + index) for index, item in enumerate(batch)])
            start += len(batch)

    def process_batch(self, docs: list[Result]) -> list[Result]:
        """Run every stage over one batch, segmenting where ``_check_order`` placed it; the unit the engines call."""
        for index, (name, stage) in enumerate(self.stages):
            if index == self._segment_at:
                SEGMENTATION([doc for doc in docs if not doc.errors])
            self._run_stage(name, stage, docs)
        return docs

    def _to_result(self, item: ArticleLike | Result, index: int) -> Result:
        if isinstance(item, Result):
            return item
        try:
            return Result.from_article(Article.coerce(item))
        except InputError as error:
            return Result.failed_input(f"invalid-input-{index}", str(error))

    def _run_stage(self, name: str, stage: Stage | SkippingStage, docs: list[Result]) -> None:
        ready = []
        for doc in docs:
            if doc.errors:
                skip(doc, name, f"earlier error in {', '.join(doc.errors)}")
            else:
                ready.append(doc)
        if not ready:
            return
        try:
            stage(ready)
        except Exception:
            if self.fail_fast:
                raise
            logger.debug("stage %s failed on a batch of %d; isolating", name, len(ready), exc_info=True)
            for doc in ready:
                self._run_one(name, stage, doc)
        for doc in ready:
            if name not in doc.status:
                doc.status[name] = "error: StageError: the stage recorded no status"
            elif stage.model_id and not doc.status[name].startswith("skipped"):
                doc.models[name] = stage.model_id

    def _run_one(self, name: str, stage: Stage | SkippingStage, doc: Result) -> None:
        try:
            stage([doc])
        except Exception as error:  # noqa: BLE001 - recorded per document by design
            message = " ".join(str(error).split())[:500]
            doc.status[name] = f"error: {type(error).__name__}: {message}"

    def _build_stage(self, name: str, missing: list[ModelUnavailable]) -> Stage | SkippingStage:
        """The stage, or a stand-in that skips it when its model is missing; under strict, ``missing`` collects that."""
        settings = getattr(self.config, name)
        if not settings.enabled:
            return SkippingStage(name, f"disabled in config ({name}.enabled: false)")
        try:
            return STAGES[name](settings, self.context)
        except ModelUnavailable as error:
            if self.context.strict:
                missing.append(error)
                return SkippingStage(name, f"model {error.model!r} unavailable ({error.reason})")
            self.context.fall_back(
                f"{name}: model {error.model!r} unavailable ({error.reason}) -> stage skipped; fix: {error.fix}"
            )
            return SkippingStage(name, f"model {error.model!r} unavailable ({error.reason})")

    def _check_order(self) -> int | None:
        """Check that every field a stage requires comes from the input or an earlier stage.

        Returns:
            Where segmentation runs: the number of stages before it, right after
            the last one that writes ``text``, so ``sentences`` are of the final
            text; ``None`` when no enabled stage reads them.
        """
        order = self.config.pipeline
        duplicates = [name for index, name in enumerate(order) if name in order[:index]]
        if duplicates:
            raise ConfigError(f"stage {duplicates[0]!r} appears twice in pipeline {order}")
        contracts = [_contract(STAGES[name], getattr(self.config, name)) for name in order]
        segment_at = max(
            (
                index + 1
                for index, contract in enumerate(contracts)
                if set(SEGMENTATION.requires) & set(contract.assigns)
            ),
            default=0,
        )
        available = {*INPUT_FIELDS, *WORKING_FIELDS} - set(SEGMENTATION.assigns)
        for index, (name, contract) in enumerate(zip(order, contracts)):
            if index == segment_at:
                available.update(SEGMENTATION.assigns)
            missing = [field for field in contract.requires if field not in available]
            if missing:
                raise ConfigError(f"stage {name!r} needs {missing} from an earlier stage; pipeline is {order}")
            available.update(contract.assigns)
        reads = [
            field
            for name, contract in zip(order[segment_at:], contracts[segment_at:])
            if getattr(self.config, name).enabled
            for field in (*contract.requires, *contract.optional)
        ]
        return segment_at if "sentences" in reads else None


#: The one step that fills ``sentences``.
SEGMENTATION = Segmentation()


def _contract(stage_class: type[Stage], settings: Any) -> Contract:
    """What a stage reads and writes under these settings; it may write only fields its class declares."""
    contract = contract_of(stage_class, settings)
    undeclared = [field for field in contract.assigns if field not in stage_class.assigns]
    if undeclared:
        raise TypeError(f"{stage_class.__qualname__}.contract assigns {undeclared}, not in its class's assigns")
    return contract
