"""Open a report in headless Chromium: the DOM after its script ran, its console messages, a screenshot.

A report is only right if it works in a browser, so the tests load it the
way a reader does, with the network off, and read back what the script made
of the page; ``python -m bench.plots`` takes a screenshot the same way.
Chromium's own command line is enough (``--dump-dom``, ``--screenshot``, and
console messages on stderr), so no driver package is needed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Browser commands tried in order; the first on PATH is used.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags for a headless run that works as root and contacts nothing: no sandbox (root), no GPU,
#: no background networking, updates, sync or first-run pages.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)

#: How Chromium logs a console message on stderr: ``...:INFO:CONSOLE:12] "message", source: url (12)``.
_CONSOLE = re.compile(r':CONSOLE[^\]]*\] "(?P<message>.*)", source: ')


@dataclass(frozen=True)
class PageLoad:
    """What a headless load of a page gave: the serialised DOM (or a screenshot) and the console lines."""

    dom: str
    console: list[str]


def find_chromium() -> str | None:
    """The path of an installed Chromium or Chrome, or None."""
    return next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)


def load(
    url: str, *, screenshot: Path | None = None, size: tuple[int, int] = (1400, 2000), timeout: float = 90
) -> PageLoad:
    """Load ``url`` headless; the DOM after the page's script ran, or a PNG of it at ``screenshot``.

    Raises:
        RuntimeError: no browser is installed, or it failed.
    """
    browser = find_chromium()
    if browser is None:
        raise RuntimeError(f"no Chromium found (tried {', '.join(CHROMIUM_NAMES)}); apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="nlnews-chromium-") as profile:
        action = [f"--screenshot={screenshot}", f"--window-size={size[0]},{size[1]}"] if screenshot else ["--dump-dom"]
        command = [browser, *HEADLESS_FLAGS, f"--user-data-dir={profile}", *action, url]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(browser).name} exited with {done.returncode}: {done.stderr[-2000:]}")
    console = [match["message"] for match in map(_CONSOLE.search, done.stderr.splitlines()) if match]
    return PageLoad(done.stdout, console)
