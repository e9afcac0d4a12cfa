"""Progress of a long build on a terminal: phase, count and rate on one line.

Silent when stderr is not a terminal or ``CI`` is set, so logs and CI output
stay clean; the build's own summary line is printed either way.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

__all__ = ["Progress"]

INTERVAL = 0.25  # seconds between redraws


def enabled(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("CI") and not os.environ.get("PORTAL_QUIET")


class Progress:
    """``Progress("Dựng trang", total).step()`` … ``.done()``; total may be unknown (None)."""

    def __init__(self, phase: str, total: int | None = None, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.phase, self.total, self.count = phase, total, 0
        self.stream = stream or sys.stderr
        self.on = not quiet and enabled(self.stream) and total != 0
        self.started = self._last = time.monotonic()

    def step(self, n: int = 1) -> None:
        self.count += n
        if self.on and time.monotonic() - self._last >= INTERVAL:
            self._draw(end="")

    def done(self) -> None:
        if self.on and self.count:
            self._draw(end="\n")

    def _draw(self, end: str) -> None:
        self._last = now = time.monotonic()
        count = min(self.count, self.total) if self.total else self.count
        rate = count / max(now - self.started, 1e-6)
        of = f"/{self.total}" if self.total else ""
        self.stream.write(f"\r{self.phase}: {count}{of} ({rate:,.0f}/giây)\x1b[K{end}")
        self.stream.flush()
