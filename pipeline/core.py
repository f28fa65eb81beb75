"""``Pipeline``: the one object for a single text, a list, or a stream of articles.

It builds the stages a config names (checking their order), runs them batch by
batch, and turns every failure into a per-record status: a batch that raises
is re-run document by document so one bad article never costs the others.
Between them it runs one segmentation step, right after the last stage that
writes ``text``, so every stage after it reads the same ``sentences``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, overload

from pipeline.config import PipelineConfig, load_config
from pipeline.document import Article, Result
from pipeline.errors import ConfigError, Fallback, InputError, ModelsUnavailable, ModelUnavailable
from pipeline.models import models_store
from pipeline.segment import Segmentation
from pipeline.stages.base import Contract, Stage, StageContext, StageSettings, contract_of, skip
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


@dataclass(frozen=True)
class BuiltStage:
    """A stage as built for a run, with what it lost to missing models (one line each, with the fix)."""

    stage: Stage | SkippingStage
    fallbacks: tuple[str, ...] = ()


def build_stage(name: str, settings: StageSettings, context: StageContext) -> BuiltStage:
    """Build the registered stage ``name``: the one place that decides what a missing model costs.

    A stage raises ``ModelUnavailable`` for a model it cannot run without, and
    ``Fallback`` for one it can: then it is built again under the fallback's
    settings (it may fall back again, for another model), and each degradation is
    reported. A stage that cannot run is a ``SkippingStage`` whose status says why.

    Raises:
        ModelUnavailable: under ``context.strict``, the first missing model, fallback or not.
    """
    if not settings.enabled:
        return BuiltStage(SkippingStage(name, f"disabled in config ({name}.enabled: false)"))
    fallbacks: list[str] = []
    while True:
        try:
            return BuiltStage(STAGES[name](settings, context), tuple(fallbacks))
        except Fallback as error:
            degraded = settings.model_copy(update=error.settings)
            # A fallback that changes nothing would be built again forever: it is the error it names.
            if context.strict or degraded == settings:
                raise
            fallbacks.append(f"{name}: {error.model} unavailable ({error.reason}) -> {error.outcome}; fix: {error.fix}")
            settings = degraded
        except ModelUnavailable as error:
            if context.strict:
                raise
            reason = f"model {error.model!r} unavailable ({error.reason})"
            fallbacks.append(f"{name}: {reason} -> stage skipped; fix: {error.fix}")
            return BuiltStage(SkippingStage(name, reason), tuple(fallbacks))


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
        built = self._build_stages()
        self.stages: list[tuple[str, Stage | SkippingStage]] = [(name, stage.stage) for name, stage in built]
        self._fallbacks = [message for _, stage in built for message in stage.fallbacks]
        for message in self._fallbacks:
            logger.warning(message)

    @property
    def fallbacks(self) -> list[str]:
        """What degrades in this run and how to fix it, one line per missing model, as the builder reported it."""
        return list(self._fallbacks)

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
        for batch in self._batches(items, batch_size):
            yield from self.process_batch(batch)

    def pipe(
        self,
        items: Iterable[ArticleLike | Result],
        *,
        n_process: int = 1,
        batch_size: int | None = None,
        record_timeout: float | None = None,
    ) -> Iterator[Result]:
        """Process lazily, in input order, in ``n_process`` worker processes: spaCy's ``nlp.pipe`` for articles.

        ``n_process=1`` runs here, as ``run`` does; ``-1`` starts one worker per
        CPU core, as in spaCy. With more, each worker builds the stages once and
        takes whole batches, as ``nlnews run --workers`` does: a worker that
        dies or runs over the budget (``record_timeout`` seconds a record at
        least, more for a long text; None: the runner's 10 s, 0: no budget) is
        replaced and its batch retried record by record, so only the record
        that caused it gets an ``error`` status. The workers stop when the
        results are exhausted or the generator is closed (leaving a ``for``
        loop early, an exception in the loop, or ``contextlib.closing``).

        >>> texts = ["Utrecht bouwt een brug.", "Gent krijgt een tram."]
        >>> [result.language for result in Pipeline("offline").pipe(texts, n_process=2)]
        ['nl', 'nl']
        """
        if n_process == -1:
            n_process = os.cpu_count() or 1
        if n_process < 1:
            raise ValueError(f"n_process must be a number of processes, or -1 for one per core; got {n_process}")
        if n_process == 1:
            yield from self.run(items, batch_size)
            return
        from pipeline.pool import RECORD_TIMEOUT_SECONDS, process_in_workers, time_budget

        budget = time_budget(self, RECORD_TIMEOUT_SECONDS if record_timeout is None else record_timeout)
        yield from process_in_workers(self, self._unreadable_skipped(items, batch_size), n_process, budget)

    def _batches(self, items: Iterable[ArticleLike | Result], batch_size: int | None) -> Iterator[list[Result]]:
        """Items as Results, ``batch_size`` at a time; an invalid one is numbered by its place in the whole stream."""
        size = batch_size or self.config.batch_size
        iterator = iter(items)
        start = 0
        while batch := list(islice(iterator, size)):
            yield [self._to_result(item, start + index) for index, item in enumerate(batch)]
            start += len(batch)

    def _unreadable_skipped(
        self, items: Iterable[ArticleLike | Result], batch_size: int | None
    ) -> Iterator[list[Result]]:
        """Batches whose unreadable items already have every stage skipped, as ``run`` gives them, without a worker."""
        for batch in self._batches(items, batch_size):
            self.process_batch([doc for doc in batch if doc.errors])
            yield batch

    def process_batch(self, docs: list[Result]) -> list[Result]:
        """Run every stage over one batch, segmenting where ``_check_order`` placed it; the unit the engines call."""
        for index, (name, stage) in enumerate(self.stages):
            ready = self._ready_for(name, docs)
            if index == self._segment_at:
                SEGMENTATION(ready)
            self._run_stage(name, stage, ready)
        return docs

    def _to_result(self, item: ArticleLike | Result, index: int) -> Result:
        if isinstance(item, Result):
            return item
        try:
            return Result.from_article(Article.coerce(item))
        except InputError as error:
            return Result.failed_input(f"invalid-input-{index}", str(error))

    @staticmethod
    def _ready_for(name: str, docs: list[Result]) -> list[Result]:
        """The documents without an error so far; each of the others gets a status that skips stage ``name``.

        ``errors`` builds a dict from the whole status, so each document's is read once per stage, for the
        segmentation step and the stage alike.
        """
        ready = []
        for doc in docs:
            errors = doc.errors
            if errors:
                skip(doc, name, f"earlier error in {', '.join(errors)}")
            else:
                ready.append(doc)
        return ready

    def _run_stage(self, name: str, stage: Stage | SkippingStage, ready: list[Result]) -> None:
        """Run ``stage`` on documents without an error (``_ready_for``); check that each got a status, record the model."""
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
        model_id = stage.model_id
        for doc in ready:
            status = doc.status
            if name not in status:
                status[name] = "error: StageError: the stage recorded no status"
            elif model_id and not status[name].startswith("skipped"):
                doc.models[name] = model_id

    def _run_one(self, name: str, stage: Stage | SkippingStage, doc: Result) -> None:
        try:
            stage([doc])
        except Exception as error:  # noqa: BLE001 - recorded per document by design
            message = " ".join(str(error).split())[:500]
            doc.status[name] = f"error: {type(error).__name__}: {message}"

    def _build_stages(self) -> list[tuple[str, BuiltStage]]:
        """Every configured stage; under strict, one error naming every missing model, before any work."""
        missing: list[ModelUnavailable] = []
        built = []
        for name in self.config.pipeline:
            try:
                built.append((name, build_stage(name, getattr(self.config, name), self.context)))
            except ModelUnavailable as error:
                missing.append(error)
        if missing:
            raise missing[0] if len(missing) == 1 else ModelsUnavailable(missing)
        return built

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
