"""Writers for the output records.

A file is written under a temporary name and renamed when complete, so a
crashed run never leaves a truncated file that looks finished.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any


class JsonlWriter:
    """One JSON object per line to a file, or to stdout for ``-``."""

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        self._stream: IO[str] | None = None
        self._partial: Path | None = None

    def __enter__(self) -> JsonlWriter:
        if self.target == "-":
            self._stream = sys.stdout
        else:
            final = Path(self.target)
            final.parent.mkdir(parents=True, exist_ok=True)
            self._partial = final.with_name(final.name + ".partial")
            self._stream = self._partial.open("w", encoding="utf-8")
        return self

    def write(self, record: dict[str, Any]) -> None:
        assert self._stream is not None, "use JsonlWriter as a context manager"
        self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._stream is not None
        self._stream.flush()
        if self._partial is None:
            return
        os.fsync(self._stream.fileno())
        self._stream.close()
        if kind is None:
            os.replace(self._partial, self.target)
