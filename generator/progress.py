"""Progress of long builds on a terminal: silent for short builds, pipes and ``-q``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a build runs."""


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress callback of quiet builds."""


class TerminalProgress:
    """A one-line progress display that appears only once a build has run a while."""

    def __init__(self, stream: TextIO = sys.stderr, *, delay: float = 2.0) -> None:
        self.stream = stream
        self.delay = delay
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.delay:
            return
        percent = 100 * done // total if total else 100
        self.stream.write(f"\r\x1b[2K{stage}: {done}/{total} ({percent}%)")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """Clear the line so the summary starts clean."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def progress_for(stream: TextIO, *, quiet: bool) -> TerminalProgress | None:
    """A terminal display when ``stream`` is a terminal and the user did not ask for quiet."""
    return None if quiet or not stream.isatty() else TerminalProgress(stream)
