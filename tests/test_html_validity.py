"""Every HTML page of the sample archive, in both built-in themes, passes the Nu HTML checker.

The checker is the npm package ``vnu-jar`` (a Java program), installed outside the repository:
``npm install --prefix .tools --no-audit --no-fund vnu-jar``; ``VNU_JAR`` may point elsewhere.
It runs once, over every page, because each Java start costs seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEMES = ("default", "broadsheet")
JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1"]
"""A big thread stack (the checker needs at least 512k) and quick start-up compilation."""
BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title></head>
<body><p><div>A block inside a paragraph that is closed too late</p></body></html>
"""
pytestmark = pytest.mark.slow


def checker_jar() -> Path:
    """Where vnu.jar is: ``VNU_JAR`` if set, else the .tools/ install."""
    return Path(os.environ.get("VNU_JAR", VNU_JAR))


def missing_checker() -> str | None:
    """Why the checker cannot run here, or None."""
    if shutil.which("java") is None:
        return "java is not installed (apt-get install default-jre-headless)"
    if not checker_jar().is_file():
        return f"{checker_jar()} is missing (npm install --prefix .tools vnu-jar)"
    return None


def require_checker() -> None:
    """Skip when java or vnu.jar is missing; under CI (the CI variable is set) fail instead."""
    reason = missing_checker()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the HTML check must run in CI, but {reason}")
    pytest.skip(f"HTML check skipped: {reason}")


def build_sample(work: Path, theme: str) -> Path:
    """The sample archive built with ``theme`` (search on, so the search page exists too)."""
    site = work / f"site-{theme}"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(theme|search)\s*=.*$", "", config)
    config += f'\ntheme = "{theme}"\nsearch = true\n'
    (site / "config.toml").write_text(config, encoding="utf-8")
    report = build(load_config(site / "config.toml"), output=work / theme)
    assert not report.failed, report.failed
    return work / theme


def check_html(files: list[Path]) -> list[dict[str, object]]:
    """The checker's error messages for ``files``, from one Java run."""
    command = ["java", *JAVA_OPTIONS, "-jar", str(checker_jar())]
    command += ["--errors-only", "--no-langdetect", "--format", "json", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    messages: list[dict[str, object]] = json.loads(done.stderr)["messages"]
    return messages


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path, list[str]]:
    """(pages checked, the deliberately broken page, ``file: line: message`` of each error)."""
    require_checker()
    work = tmp_path_factory.mktemp("html")
    pages = sorted(p for theme in THEMES for p in build_sample(work, theme).rglob("*.html"))
    broken = work / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    errors = [
        f"{str(m['url']).removeprefix('file:')}:{m.get('lastLine')}: {m['message']}"
        for m in check_html([*pages, broken])
    ]
    return pages, broken, errors


def test_every_page_of_both_themes_is_valid_html(
    checked: tuple[list[Path], Path, list[str]],
) -> None:
    pages, broken, errors = checked
    assert len(pages) > 2 * 40
    assert {page.parent.name for page in pages} >= {"search", "sources", "tags"}
    assert [error for error in errors if not error.startswith(str(broken))] == []


def test_the_checker_reports_errors_it_finds(checked: tuple[list[Path], Path, list[str]]) -> None:
    _pages, broken, errors = checked
    assert any(error.startswith(f"{broken}:3: ") for error in errors), errors


def test_missing_checker_skips_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("VNU_JAR", str(tmp_path / "absent.jar"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"absent\.jar is missing"):
        require_checker()


def test_missing_checker_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("VNU_JAR", str(tmp_path / "absent.jar"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        require_checker()
