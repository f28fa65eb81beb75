"""Start-up cost: what a user waits for before the first article is processed.

Each figure is the best of ``--repeat`` fresh interpreters (5), since a shared
machine measures its neighbours as much as the code:

* ``import pipeline``: the public names are imported lazily, so this is the
  package alone;
* ``nlnews --help`` and ``nlnews --version``: the CLI parser without the stages;
* ``Pipeline("offline")``: construction (spaCy, gazetteers, detectors), then the
  first call on one article.

The baseline is ``python -c pass`` in the same run: every ratio is against it.

    python -m bench.startup --repeat 5

Last line: ``startup: import X.XXs, --help Y.YYs, Pipeline("offline") Z.ZZs, first call W.WWs``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

CONSTRUCT = """
import time
start = time.perf_counter()
from pipeline import Pipeline
pipe = Pipeline("offline")
built = time.perf_counter()
pipe("De IND opent in 2025 een loket in Zwolle, meldt de gemeente.")
print(built - start, time.perf_counter() - built)
"""


def best_wall(command: list[str], repeat: int) -> float:
    """The shortest wall time of ``repeat`` fresh runs of a command."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def best_construction(repeat: int) -> tuple[float, float]:
    """The shortest construction time and the shortest first-call time, each over fresh interpreters."""
    runs = []
    for _ in range(repeat):
        output = subprocess.run([sys.executable, "-c", CONSTRUCT], check=True, capture_output=True, text=True)
        built, first_call = map(float, output.stdout.split())
        runs.append((built, first_call))
    return min(run[0] for run in runs), min(run[1] for run in runs)


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
    built, first_call = best_construction(args.repeat)
    print(f"{'what':<28} {'seconds':>8} {'x python -c pass':>17}")
    print(f"{'python -c pass (baseline)':<28} {python:8.3f} {1.0:17.2f}")
    for name, seconds in rows.items():
        print(f"{name:<28} {seconds:8.3f} {seconds / python:17.2f}")
    print(f"{'Pipeline(offline) built':<28} {built:8.3f} {'(in process)':>17}")
    print(f"{'first call':<28} {first_call:8.3f} {'(in process)':>17}")
    print(
        f"startup: import {rows['import pipeline']:.2f}s, --help {rows['nlnews --help']:.2f}s, "
        f'Pipeline("offline") {built:.2f}s, first call {first_call:.2f}s'
    )


if __name__ == "__main__":
    main()
