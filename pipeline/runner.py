"""Local batch execution: stream inputs through a ``Pipeline`` into a writer.

Reading, processing and writing are chained generators, so memory holds one
batch at a time however large the dump. The run's filled config, models and
counts are written beside the output so a result can always be traced back.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.core import Pipeline
from pipeline.document import Article, Result
from pipeline.io import JsonlWriter, ReadFailure, read_inputs


@dataclass
class RunSummary:
    """Counts of a finished run: per article, and per stage ``ok``/``skipped``/``error``."""

    articles: int = 0
    with_errors: int = 0
    seconds: float = 0.0
    stages: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return self.articles - self.with_errors

    def add(self, result: Result) -> None:
        self.articles += 1
        self.with_errors += not result.ok
        for stage, status in result.status.items():
            outcome = status.split(":", 1)[0]
            self.stages.setdefault(stage, Counter())[outcome] += 1

    def report(self) -> str:
        """Per-stage counts, then one final line: articles, ok, with errors, articles/s."""
        lines = [
            f"{stage:>10}: " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
            for stage, counts in self.stages.items()
        ]
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        lines.append(f"{self.articles} articles, {self.ok} ok, {self.with_errors} with errors, {rate:.1f} articles/s")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "ok": self.ok,
            "with_errors": self.with_errors,
            "seconds": round(self.seconds, 3),
            "stages": {stage: dict(counts) for stage, counts in self.stages.items()},
        }


def manifest_path(output: str | Path) -> Path:
    """``out.jsonl`` -> ``out.manifest.json``: the config, models and counts of the run."""
    path = Path(output)
    return path.with_name(path.stem + ".manifest.json")


def run_job(pipeline: Pipeline, inputs: list[str], output: str, *, progress: bool = True) -> RunSummary:
    """Process every input record into exactly one output record."""
    summary = RunSummary()
    started = time.perf_counter()
    with (
        JsonlWriter(output) as writer,
        tqdm(unit=" articles", disable=not progress, desc="nlnews", dynamic_ncols=True) as bar,
    ):
        for result in pipeline.run(_as_items(inputs)):
            writer.write(result.to_dict())
            summary.add(result)
            bar.update()
    summary.seconds = time.perf_counter() - started
    if output != "-":
        manifest = {
            "inputs": inputs,
            "output": output,
            "models": pipeline.models,
            "fallbacks": pipeline.fallbacks,
            "counts": summary.to_dict(),
            "config": pipeline.config.model_dump(mode="json"),
        }
        manifest_path(output).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return summary


def _as_items(inputs: list[str]) -> Iterator[Article | Result]:
    for item in read_inputs(inputs):
        yield Result.failed_input(item.location, item.message) if isinstance(item, ReadFailure) else item
