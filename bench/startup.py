"""Start-up cost: what a user waits for before the first article is processed, and what a worker waits for.

Each figure is the best of ``--repeat`` fresh interpreters (5), since a shared
machine measures its neighbours as much as the code; beside each wall time
stands the CPU time the process itself spent (user + system), which a busy
machine disturbs far less:

* ``import pipeline``: the public names are imported lazily, so this is the
  package alone;
* ``nlnews --help`` and ``nlnews --version``: the CLI parser without the stages;
* ``import pipeline.core``: spaCy and the stages' modules (thinc, under spaCy,
  imports torch to learn whether it may use it: the line below says whether
  torch was loaded);
* ``Pipeline("offline")``: construction (gazetteers, knowledge base, detectors)
  after that import, with the disk cache warm (a first run fills it), then the
  first call on one article;
* workers: a ``WorkerPool`` worker from start to its first one-article batch,
  forked from a parent that holds the Pipeline (Linux) and spawned, building its
  own from the config (macOS, Windows, or CUDA in the parent).

The baseline is ``python -c pass`` in the same run: every ratio is against it.

    python -m bench.startup --repeat 5

Last line: ``startup: import X.XXs, --help Y.YYs, Pipeline("offline") Z.ZZs (cpu C.CCs), first call W.WWs,
worker fork F.FFs spawn S.SSs``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import time
from typing import Any

CONSTRUCT = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
import pipeline.core
imported, imported_cpu = time.perf_counter(), time.process_time()
pipe = pipeline.core.Pipeline("offline")
built, built_cpu = time.perf_counter(), time.process_time()
pipe("De IND opent in 2025 een loket in Zwolle, meldt de gemeente.")
print(json.dumps({
    "import": imported - start, "import_cpu": imported_cpu - cpu,
    "built": built - imported, "built_cpu": built_cpu - imported_cpu,
    "first_call": time.perf_counter() - built,
    "torch": "torch" in sys.modules, "transformers": "transformers" in sys.modules,
}))
"""

ARTICLE = "De IND opent in 2025 een loket in Zwolle, meldt de gemeente."


def best_wall(command: list[str], repeat: int) -> float:
    """The shortest wall time of ``repeat`` fresh runs of a command."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def best_construction(repeat: int) -> dict[str, Any]:
    """The shortest of each phase over fresh interpreters, and whether torch or transformers was loaded."""
    subprocess.run([sys.executable, "-c", CONSTRUCT], check=True, capture_output=True)  # fills the disk cache
    runs = []
    for _ in range(repeat):
        output = subprocess.run([sys.executable, "-c", CONSTRUCT], check=True, capture_output=True, text=True)
        runs.append(json.loads(output.stdout))
    best = {name: min(run[name] for run in runs) for name in runs[0] if not isinstance(runs[0][name], bool)}
    return {**best, "torch": any(run["torch"] for run in runs), "transformers": any(r["transformers"] for r in runs)}


def build_pipeline(config: Any) -> Any:
    """A worker's setup: the Pipeline it was handed (fork) or one built from the config (spawn)."""
    from pipeline.core import Pipeline

    return config if isinstance(config, Pipeline) else Pipeline(config)


def run_batch(pipe: Any, docs: list[Any]) -> list[Any]:
    return pipe.process_batch(docs)


def worker_start(method: str, repeat: int) -> float:
    """The shortest time from starting a one-worker pool to its first one-article batch coming back."""
    from pipeline.core import Pipeline
    from pipeline.document import Article, Result
    from pipeline.pool import Task, WorkerPool

    pipe = Pipeline("offline")
    source = pipe if method == "fork" else pipe.config.model_dump(mode="json")
    context = multiprocessing.get_context(method)
    fastest = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with WorkerPool(1, context, build_pipeline, run_batch, source) as pool:
            pool.submit(Task("first", [Result.from_article(Article.coerce(ARTICLE))], None))
            (outcome,) = pool.wait()
        assert outcome.failure is None, outcome.failure
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    python = best_wall([sys.executable, "-c", "pass"], args.repeat)
    rows = {
        "import pipeline": best_wall([sys.executable, "-c", "import pipeline"], args.repeat),
        "nlnews --help": best_wall([sys.executable, "-m", "pipeline", "--help"], args.repeat),
        "nlnews --version": best_wall([sys.executable, "-m", "pipeline", "--version"], args.repeat),
    }
    phases = best_construction(args.repeat)
    total, total_cpu = phases["import"] + phases["built"], phases["import_cpu"] + phases["built_cpu"]
    workers = {method: worker_start(method, args.repeat) for method in ("fork", "spawn")}
    print(f"{'what':<34} {'seconds':>8} {'cpu s':>7} {'x python -c pass':>17}")
    print(f"{'python -c pass (baseline)':<34} {python:8.3f} {'':>7} {1.0:17.2f}")
    for name, seconds in rows.items():
        print(f"{name:<34} {seconds:8.3f} {'':>7} {seconds / python:17.2f}")
    in_process = "(in process)"
    print(
        f"{'import pipeline.core (spaCy...)':<34} {phases['import']:8.3f} {phases['import_cpu']:7.3f} {in_process:>17}"
    )
    print(
        f"{'then Pipeline(offline), cache warm':<34} {phases['built']:8.3f} {phases['built_cpu']:7.3f} {in_process:>17}"
    )
    print(f"{'Pipeline(offline) from nothing':<34} {total:8.3f} {total_cpu:7.3f} {in_process:>17}")
    print(f"{'first call':<34} {phases['first_call']:8.3f} {'':>7} {in_process:>17}")
    for method, seconds in workers.items():
        print(f"{f'worker ({method}) to first batch':<34} {seconds:8.3f}")
    print(f"torch loaded: {phases['torch']}, transformers loaded: {phases['transformers']}")
    print(
        f"startup: import {rows['import pipeline']:.2f}s, --help {rows['nlnews --help']:.2f}s, "
        f'Pipeline("offline") {total:.2f}s (cpu {total_cpu:.2f}s), first call {phases["first_call"]:.2f}s, '
        f"worker fork {workers['fork']:.2f}s spawn {workers['spawn']:.2f}s"
    )


if __name__ == "__main__":
    main()
