"""Watcher, live state and server together: edit, rebuild, reload, errors shown (W5)."""

from __future__ import annotations

import html
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.livereload import LiveState
from generator.serve import DevServer, make_server, serve_until_interrupted
from generator.watch import ChangeWatcher
from tests.test_serve import get, poll, port_of
from tests.test_watch import wait_until


@dataclass
class TinyBuilder:
    """A stand-in for the real build: one page per dump, staged, swapped under the gate."""

    content: Path
    output: Path
    live: LiveState

    def __call__(self, changed: frozenset[Path]) -> Sequence[str]:
        errors: list[str] = []
        items: list[str] = []
        for dump in sorted(self.content.glob("*.txt")):
            text = dump.read_text(encoding="utf-8")
            if "BROKEN" in text:
                errors.append(f"content/{dump.name}:1: cannot find a title in: {text.strip()}")
            else:
                items.append(f"<li>{html.escape(text.strip())}</li>")
        staging = self.output.with_name("output.staging-1")
        staging.mkdir()
        page = f"<html><body><ul>{''.join(items)}</ul></body></html>"
        (staging / "index.html").write_text(page, encoding="utf-8")
        with self.live.swapping():
            old = self.output.with_name("output.old-1")
            self.output.rename(old)
            time.sleep(0.03)  # widen the gap a slow disk would leave between the renames
            staging.rename(self.output)
        shutil.rmtree(old)
        return errors


@dataclass(frozen=True)
class DevLoop:
    """A running watcher and server over a temporary project."""

    content: Path
    output: Path
    live: LiveState
    server: DevServer
    watcher: ChangeWatcher


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[DevLoop]:
    """Build once, then serve and watch until the test ends."""
    content, output = tmp_path / "content", tmp_path / "output"
    content.mkdir()
    output.mkdir()
    (content / "first.txt").write_text("First dump\n")
    live = LiveState(poll_timeout=5)
    builder = TinyBuilder(content, output, live)
    builder(frozenset())
    server = make_server(output, port=0, live=live)
    watcher = ChangeWatcher(
        [content], ignore=[output], rebuild=builder, live=live, debounce=0.05, log=lambda _: None
    )
    stop = threading.Event()
    runner = threading.Thread(
        target=serve_until_interrupted,
        args=(server, [watcher]),
        kwargs={"health_interval": 0.05, "stop": stop},
    )
    runner.start()
    assert wait_until(lambda: watcher.observer is not None)
    try:
        yield DevLoop(content, output, live, server, watcher)
    finally:
        stop.set()
        runner.join(5)


def test_saving_a_dump_reloads_the_page_with_new_content(loop: DevLoop) -> None:
    port = port_of(loop.server)
    page = get(port, "/")
    assert b"First dump" in page.body
    shown = loop.live.version
    assert f"since = {shown},".encode() in page.body
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(poll, port, shown)
        time.sleep(0.05)
        (loop.content / "second.txt").write_text("Second dump\n")
        answer = pending.result(timeout=5)
    assert answer == {"version": shown + 1, "errors": []}
    assert b"Second dump" in get(port, "/").body


def test_broken_dump_shows_errors_keeps_serving_and_recovers(loop: DevLoop) -> None:
    port = port_of(loop.server)
    first = loop.live.version
    bad = loop.content / "bad.txt"
    bad.write_text("BROKEN\n")
    assert wait_until(lambda: loop.watcher.builds == 1)
    assert poll(port, -1, wait=False)["errors"] == [
        "content/bad.txt:1: cannot find a title in: BROKEN"
    ]
    page = get(port, "/")
    assert page.status == 200
    assert b"First dump" in page.body
    bad.write_text("Fixed dump\n")
    assert wait_until(lambda: loop.watcher.builds == 2)
    assert poll(port, -1, wait=False) == {"version": first + 2, "errors": []}
    assert b"Fixed dump" in get(port, "/").body
    assert loop.watcher.check_alive()


def test_pages_are_never_half_built_during_rebuilds(loop: DevLoop) -> None:
    port = port_of(loop.server)
    stop = threading.Event()
    bodies: list[bytes] = []

    def reader() -> None:
        while not stop.is_set():
            bodies.append(get(port, "/").body)

    with ThreadPoolExecutor(4) as pool:
        readers = [pool.submit(reader) for _ in range(4)]
        for i in range(5):
            (loop.content / f"extra{i}.txt").write_text(f"Extra {i}\n")
            time.sleep(0.1)
        assert wait_until(lambda: b"Extra 4" in get(port, "/").body)
        stop.set()
        for future in readers:
            future.result(timeout=5)
    assert bodies
    assert all(body.startswith(b"<html><body><ul>") for body in bodies)
    assert all(b"</ul>" in body for body in bodies)


class _InterruptingWatcher:
    """A watcher whose health check raises KeyboardInterrupt (Ctrl-C in the main loop)."""

    def __init__(self) -> None:
        self.stopped = False
        self.joined = False

    def start(self) -> None:
        return None

    def stop(self) -> None:
        self.stopped = True

    def join(self, timeout: float | None = None) -> None:
        self.joined = True

    def check_alive(self) -> bool:
        raise KeyboardInterrupt


def test_ctrl_c_shuts_down_server_and_watcher_cleanly(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    live = LiveState(poll_timeout=60)
    server = make_server(tmp_path, port=0, live=live)
    watcher = _InterruptingWatcher()
    started = time.monotonic()
    serve_until_interrupted(server, [watcher], health_interval=0.01)
    assert time.monotonic() - started < 3
    assert watcher.stopped and watcher.joined
    assert server.socket.fileno() == -1
    assert live.wait_for_change(0, 60) == 0
    assert "Traceback" not in capfd.readouterr().err


DEV_LOOP_SCRIPT = """
import sys
from pathlib import Path
from generator.livereload import LiveState
from generator.serve import make_server, serve_until_interrupted
from generator.watch import ChangeWatcher
root = Path(sys.argv[1])
live = LiveState()
server = make_server(root / "output", port=0, live=live)
watcher = ChangeWatcher([root / "content"], ignore=[root / "output"],
                        rebuild=lambda paths: [], live=live)
print("READY", server.server_address[1], flush=True)
serve_until_interrupted(server, [watcher])
print("BYE", flush=True)
"""


def test_sigint_ends_a_real_dev_loop_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("<html><body>hi</body></html>")
    process = subprocess.Popen(
        [sys.executable, "-c", DEV_LOOP_SCRIPT, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline().split()
        assert ready[0] == "READY"
        port = int(ready[1])
        assert get(port, "/").status == 200
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(poll, port, 0)
            time.sleep(0.1)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
            assert pending.result(timeout=5)["version"] == 0
    finally:
        process.kill()
    assert process.returncode == 0
    assert "BYE" in out
    assert "Traceback" not in err


@pytest.mark.browser
def test_browser_reloads_and_shows_escaped_error_overlay(loop: DevLoop, page: Any) -> None:
    page.goto(f"http://127.0.0.1:{port_of(loop.server)}/")
    assert "First dump" in page.inner_text("body")
    (loop.content / "bad.txt").write_text("BROKEN <img src=x onerror=alert(1)>\n")
    overlay = page.wait_for_selector("[role=alert]")
    assert "content/bad.txt:1: cannot find a title in: BROKEN <img" in overlay.inner_text()
    assert page.query_selector("img") is None
    (loop.content / "bad.txt").write_text("Fixed <img src=x onerror=alert(1)>\n")
    page.wait_for_function("document.body.innerText.includes('Fixed <img')")
    page.wait_for_selector("[role=alert]", state="detached")
    assert page.query_selector("img") is None
