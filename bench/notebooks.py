"""How long each notebook in ``notebooks/`` takes to run top to bottom, headless, offline.

``tests/test_notebooks.py`` checks that they run and what they show; this
script says how long they take, which a test must not assert (a loaded machine
measures its neighbours as much as the notebook). Each figure is the best of
``--repeat`` runs in a fresh kernel, with ``python -c pass`` as the baseline
of the same run. Needs the ``notebooks`` extra (nbclient, ipykernel).

    python -m bench.notebooks --repeat 3

Last line: ``notebooks: quickstart X.Xs, explore_a_dump Y.Ys``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: A cell still running after this many seconds has hung.
HANG_SECONDS = 600


def run_once(path: Path) -> float:
    """Seconds to execute the notebook at ``path`` in a fresh kernel, in a scratch folder."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        client = nbclient.NotebookClient(
            notebook, timeout=HANG_SECONDS, kernel_name="python3", resources={"metadata": {"path": folder}}
        )
        started = time.perf_counter()
        client.execute()
        return time.perf_counter() - started


def python_baseline(repeat: int) -> float:
    """The shortest wall time of ``python -c pass``: what the machine's load alone costs a process."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("names", nargs="*", help="notebook file names (default: every notebook)")
    args = parser.parse_args()

    os.environ["HF_HUB_OFFLINE"] = "1"
    paths = [NOTEBOOKS / name for name in args.names] or sorted(NOTEBOOKS.glob("*.ipynb"))
    baseline = python_baseline(args.repeat)
    best = {path.stem: min(run_once(path) for _ in range(args.repeat)) for path in paths}
    print(f"{'notebook':<26} {'seconds':>8} {'x python -c pass':>17}")
    print(f"{'python -c pass (baseline)':<26} {baseline:8.3f} {1.0:17.2f}")
    for name, seconds in best.items():
        print(f"{name:<26} {seconds:8.3f} {seconds / baseline:17.1f}")
    print("notebooks: " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in best.items()))


if __name__ == "__main__":
    main()
