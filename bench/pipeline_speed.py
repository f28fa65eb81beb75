"""Throughput and memory of the offline pipeline, each against a baseline in the same run.

* Batching: articles/s with the configured batch size against one article per
  batch (the baseline a naive ``for text in texts: pipe(text)`` loop gets).
* Stages: seconds per article spent in each stage, to show where time goes.
* Memory: peak RSS of ``nlnews run`` over a dump of N articles against a dump of
  ``--scale`` x N; a streaming runner keeps the ratio near 1.0.

    python -m bench.pipeline_speed --articles 400
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline import Pipeline

EXAMPLES = Path(__file__).parents[1] / "examples"


def synthetic_articles(count: int, seed: int = 0) -> list[dict[str, str]]:
    """Distinct articles made by reshuffling the paragraphs of the shipped examples."""
    sources = [json.loads(line) for line in (EXAMPLES / "articles.jsonl").read_text("utf-8").splitlines()]
    sources.append({"text": (EXAMPLES / "belastingdienst_kantoren.txt").read_text("utf-8")})
    paragraphs = [p for source in sources for p in source["text"].split("\n\n") if len(p) > 80]
    rng = random.Random(seed)
    return [
        {"id": f"bench-{index}", "text": "\n\n".join(rng.sample(paragraphs, k=min(6, len(paragraphs))))}
        for index in range(count)
    ]


def articles_per_second(pipe: Pipeline, articles: list[dict[str, str]], batch_size: int) -> float:
    started = time.perf_counter()
    for _ in pipe.run(articles, batch_size=batch_size):
        pass
    return len(articles) / (time.perf_counter() - started)


class TimedStage:
    """Wraps a stage and adds up the wall time of its calls."""

    def __init__(self, stage) -> None:
        self.stage = stage
        self.model_id = stage.model_id
        self.seconds = 0.0

    def __call__(self, docs):
        started = time.perf_counter()
        try:
            return self.stage(docs)
        finally:
            self.seconds += time.perf_counter() - started


def stage_seconds(pipe: Pipeline, articles: list[dict[str, str]]) -> dict[str, float]:
    """Wall time per stage per article."""
    original = pipe.stages
    pipe.stages = [(name, TimedStage(stage)) for name, stage in original]
    try:
        for _ in pipe.run(articles):
            pass
        return {name: timed.seconds / len(articles) for name, timed in pipe.stages}
    finally:
        pipe.stages = original


def peak_rss_mib(count: int, workdir: Path) -> float:
    """Peak RSS of a whole ``nlnews run`` over ``count`` articles, in a fresh process."""
    dump = workdir / f"dump-{count}.jsonl"
    with dump.open("w", encoding="utf-8") as stream:
        for article in synthetic_articles(count, seed=count):
            stream.write(json.dumps(article, ensure_ascii=False) + "\n")
    script = (
        "import resource, sys; from pipeline.cli import main; "
        f"code = main(['run', {str(dump)!r}, '-o', {str(workdir / 'out.jsonl')!r}, '-c', 'offline', '-q']); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024); sys.exit(code)"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--scale", type=int, default=4, help="memory run: the large dump is this many times bigger")
    args = parser.parse_args()

    articles = synthetic_articles(args.articles)
    pipe = Pipeline("offline")
    pipe(articles[:8])  # warm caches (gazetteer, langdetect profiles) outside the timings
    baseline = articles_per_second(pipe, articles, batch_size=1)
    batched = articles_per_second(pipe, articles, batch_size=args.batch_size)
    print(
        f"offline profile, {args.articles} articles of ~{sum(len(a['text']) for a in articles) // len(articles)} chars"
    )
    print(f"  batch 1 (baseline)   {baseline:8.1f} articles/s")
    print(f"  batch {args.batch_size:<3}            {batched:8.1f} articles/s   ratio {batched / baseline:.2f}x")
    print("seconds per article by stage:")
    for name, seconds in stage_seconds(pipe, articles).items():
        print(f"  {name:<10} {seconds * 1000:8.2f} ms")
    with tempfile.TemporaryDirectory() as workdir:
        small = peak_rss_mib(args.articles, Path(workdir))
        large = peak_rss_mib(args.articles * args.scale, Path(workdir))
    print("peak RSS of `nlnews run` (fresh process):")
    print(f"  {args.articles:>6} articles (baseline) {small:8.1f} MiB")
    print(f"  {args.articles * args.scale:>6} articles            {large:8.1f} MiB   ratio {large / small:.2f}x")


if __name__ == "__main__":
    main()
