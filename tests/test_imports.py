"""The import graph runs one way: no module of ``pipeline`` imports, at module
level, a module that (directly or not) imports it back, and every module imports
on its own in a fresh interpreter, whatever was imported before it.

Imports inside functions and under ``if TYPE_CHECKING:`` are the sanctioned way
to break a cycle (a lazy import), so only module-level imports make the graph.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def module_level_imports(path: Path) -> set[str]:
    """The ``pipeline`` modules a file imports when it is itself imported (a package's own submodules aside)."""
    imported: set[str] = set()
    body = [node for node in ast.parse(path.read_text("utf-8")).body if not is_type_checking_block(node)]
    for node in body:
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in imported if name in MODULES and name != module_name(path)}


def graph() -> dict[str, set[str]]:
    return {name: module_level_imports(path) for name, path in MODULES.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle as a list of module names, or None: depth-first search with colours."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_module_level_import_graph_has_no_cycle():
    assert find_cycle(graph()) is None


def test_find_cycle_reports_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


STAGES = ("clean", "detect", "entities", "summarize", "translate")


def test_no_stage_imports_another_stage():
    """What two stages share lives in a leaf module (``document``, ``segment``, ``seq2seq``, ``models``)."""
    crossings = [
        (name, target)
        for name, targets in graph().items()
        for stage in STAGES
        if name.startswith(f"pipeline.stages.{stage}")
        for target in targets
        if target.startswith("pipeline.stages.")
        and not target.startswith((f"pipeline.stages.{stage}", "pipeline.stages.base"))
    ]
    assert crossings == []


def test_the_package_init_and_the_stages_package_import_nothing_heavy():
    """``import pipeline`` must not pull in every stage (and spaCy, torch) before a name is used."""
    assert graph()["pipeline"] == set()
    assert graph()["pipeline.stages"] == set()


def test_every_module_imports_first_in_a_fresh_interpreter():
    """Order-dependent cycles only show when a module is the first one imported.

    One interpreter for all, with every ``pipeline`` module forgotten before
    each import: the project's modules start fresh, spaCy and torch stay loaded.
    """
    names = [name for name in MODULES if not name.endswith("__main__")]
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'pipeline' or m.startswith('pipeline.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        print(f'{name}: {type(error).__name__}: {error}')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_a_failing_lazy_import_says_what_failed(tmp_path: Path):
    """A local ``tempfile.py`` shadows the standard module: the error names it, not a missing ``Pipeline``."""
    (tmp_path / "tempfile.py").write_text("shadowed = True\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "from pipeline import Pipeline"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "importing Pipeline from pipeline.core failed" in result.stderr
    assert "tempfile" in result.stderr.splitlines()[-1]
