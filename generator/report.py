"""What a build did: the command line's summary, the exit code, the dev server's overlay."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command line summary and the exit code."""

    output: Path
    articles: int
    pages: int
    files: int
    failed: tuple[Problem, ...]
    """Inputs that could not be used; the rest of the site was still published."""
    skipped: tuple[Problem, ...]
    """Inputs left out on purpose (empty files), with the reason."""
    warnings: tuple[Problem, ...]
    """Things worth checking in inputs that were published."""
    seconds: float
    merged: tuple[Problem, ...] = ()
    """Dumps left out because an earlier dump holds the same article."""
    unchanged: bool = False
    """True when nothing had changed since the last build, so nothing was written."""
    rendered: int = 0
    """Files rendered; the others were known unchanged from their keys."""
    touched_up: bool = False
    """True when only what the changed dumps touch was worked out (see ``touchup``)."""
    full_because: str = ""
    """Why a one-shot build ran the full pipeline rather than a touch-up ("" when it had
    no reason to give: a session's build, or no touch-up was wanted)."""

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when clean; 1 when some input failed (or, under --strict, warned)."""
        if self.failed or (strict and (self.warnings or self.skipped)):
            return 1
        return 0
