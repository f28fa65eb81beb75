"""The notebooks in ``notebooks/`` run top to bottom, headless, with the offline profile.

Executed here so they never rot. Needs the ``notebooks`` extra (nbclient,
ipykernel); skipped where it is missing, installed in CI.
"""

from __future__ import annotations

import importlib.util
from html import unescape
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"

#: A cell still running after this many seconds has hung; how long a notebook takes is ``bench/notebooks.py``'s.
HANG_SECONDS = 600


@pytest.mark.parametrize("name", ["quickstart.ipynb", "explore_a_dump.ipynb"])
def test_notebook_runs_top_to_bottom_offline(name, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "commit it stripped"
    nbclient.NotebookClient(
        notebook, timeout=HANG_SECONDS, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.output_type == "error"]
    html = [output["data"]["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    assert any('class="entity"' in page for page in html), "a result is shown with highlighted entities"
    if name == "explore_a_dump.ipynb":
        assert sum("image/png" in output.get("data", {}) for output in outputs) == 3, "the three plots"
    (last,) = [output for output in notebook.cells[-1].outputs if "text/html" in output.get("data", {})]
    frame = last["data"]["text/html"]
    assert frame.startswith('<iframe srcdoc="'), "the run's report, inline"
    page = unescape(frame.split('srcdoc="', 1)[1].split('"', 1)[0])
    articles = {"quickstart.ipynb": 4, "explore_a_dump.ipynb": 100}[name]
    assert f'data-card="articles"><div class="value">{articles}<' in page
    if importlib.util.find_spec("ipywidgets") is not None:
        streams = "".join(output.get("text", "") for output in outputs if output.output_type == "stream")
        assert "IProgress not found" not in streams
