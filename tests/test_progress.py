"""Progress display: only on terminals, only for builds that take a while."""

from __future__ import annotations

import io

from generator.build import build
from generator.config import load_config
from generator.progress import TerminalProgress, progress_for
from tests.conftest import ARTICLE_EN, SiteMaker


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_or_piped_output_gets_no_progress() -> None:
    assert progress_for(io.StringIO(), quiet=False) is None
    assert progress_for(FakeTerminal(), quiet=True) is None
    assert isinstance(progress_for(FakeTerminal(), quiet=False), TerminalProgress)


def test_short_builds_print_nothing_and_long_ones_a_line() -> None:
    quiet = FakeTerminal()
    TerminalProgress(quiet, delay=60)("reading", 1, 2)
    assert quiet.getvalue() == ""
    shown = FakeTerminal()
    progress = TerminalProgress(shown, delay=0)
    progress("reading", 1, 4)
    progress.finish()
    assert "reading: 1/4 (25%)" in shown.getvalue()
    assert shown.getvalue().endswith("\r\x1b[2K")


def test_build_reports_each_stage(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    stages: list[tuple[str, int, int]] = []
    build(load_config(root / "config.toml"), progress=lambda *a: stages.append(a))
    assert [s[0] for s in stages] == ["reading", "rendering", "writing"]
    assert stages[0] == ("reading", 1, 1)
