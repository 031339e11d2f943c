"""How problems are shown to people: paths from where they stand, one line each."""

from __future__ import annotations

import os
from pathlib import Path

from generator.config import Config
from generator.errors import Problem


def shown(problem: Problem, config: Config) -> str:
    """``path:line: message``, an input's path given relative to the current folder."""
    path = Path(problem.path)
    if not path.is_absolute() and (config.content_dir / path).exists():
        path = config.content_dir / path
    try:
        location = os.path.relpath(path) if path.is_absolute() else str(path)
    except ValueError:
        location = str(path)
    line = f":{problem.line}" if problem.line else ""
    return f"{location}{line}: {problem.message}"
