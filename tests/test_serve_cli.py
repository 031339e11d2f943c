"""``gleanery serve --watch`` end to end: a real process, real files, real HTTP."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ARTICLE_EN, SiteMaker

PAGE = "herald/crane/index.html"


def start(root: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``gleanery serve`` on a free port; return the process and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", *args],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"serve did not start: {process.stderr.read() if process.stderr else ''}")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared at {url}")


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Ctrl-C the server; return its exit code and everything it printed."""
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    return process.returncode, stdout + stderr


def test_serve_watch_rebuilds_an_edited_dump_and_exits_cleanly(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    process, base = start(root, "--watch")
    try:
        page = fetch(base + PAGE)
        assert "Harbour crane returns" in page
        assert "__gleanery" in page, "served pages carry the live-reload script"
        dump = root / "content" / "herald" / "crane.txt"
        dump.write_text(ARTICLE_EN.replace("landmark", "beloved landmark"), encoding="utf-8")
        wait_for(base + PAGE, "beloved landmark")
    finally:
        code, stderr = stop(process)
    assert code == 0
    assert "Traceback" not in stderr
    assert "__gleanery" not in (root / "output" / PAGE).read_text(encoding="utf-8")
    assert not list(root.glob("output.staging-*"))


def test_a_broken_config_while_serving_keeps_the_last_good_site(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    process, base = start(root, "--watch")
    try:
        (root / "config.toml").write_text('titel = "oops"\n', encoding="utf-8")
        time.sleep(1.5)
        assert "Harbour crane returns" in fetch(base + PAGE)
        (root / "config.toml").write_text('title = "Fixed"\nsearch = false\n', encoding="utf-8")
        wait_for(base + "index.html", "Fixed")
    finally:
        code, stderr = stop(process)
    assert code == 0
    assert "titel: unknown key" in stderr


def test_plain_serve_has_no_live_reload(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    process, base = start(root)
    try:
        assert "__gleanery" not in fetch(base + PAGE)
    finally:
        code, _ = stop(process)
    assert code == 0
