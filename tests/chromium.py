"""Debian's Chromium for tests: where it is, how to launch it, and when to skip or fail.

Without /usr/bin/chromium or the playwright package, browser tests skip with the reason;
when the CI environment variable is set they fail instead, so CI never skips them.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright)"
    return None


def require_browser() -> None:
    """Skip when the browser is missing; under CI (the CI variable is set) fail instead."""
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI, but {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def require_package(module: str, install: str) -> None:
    """Skip when Python package ``module`` is missing; under CI fail instead."""
    if importlib.util.find_spec(module) is not None:
        return
    reason = f"the {module} package is not installed ({install})"
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI, but {reason}")
    pytest.skip(f"browser tests skipped: {reason}")
