"""Work shared among forked copies of the process: same results, errors raised here."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator import stage
from generator.build import build
from generator.config import load_config
from generator.errors import Problem, TemplateError
from generator.forked import WorkerError, map_forked
from tests.conftest import SiteMaker, distinct_article, tree_digest
from tests.test_touchup import change_body, fresh_digest, newsroom


def square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_every_item_is_mapped_once_across_processes_in_order() -> None:
    results = map_forked(square_with_pid, list(range(40)), workers=3)
    assert [value for value, _ in results] == [n * n for n in range(40)]
    assert len({pid for _, pid in results}) == 3, "the work was shared by three processes"


def refuse_thirteen(number: int) -> int:
    if number == 13:
        raise ValueError("thirteen refused")
    return number


def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="thirteen refused"):
        map_forked(refuse_thirteen, list(range(20)), workers=2)


def refuse_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        raise TemplateError(Problem("themes/plain/article.html", "unknown filter 'shout'", 7))
    return parent


def test_a_gleanery_error_in_a_child_arrives_whole() -> None:
    """What the user is told about a template that fails while rendering is the same from
    a forked renderer as from the main process."""
    with pytest.raises(TemplateError) as raised:
        map_forked(refuse_in_a_child, [os.getpid()] * 4, workers=2)
    expected = Problem("themes/plain/article.html", "unknown filter 'shout'", 7)
    assert raised.value.problems == [expected]
    assert str(raised.value) == str(expected)


def die_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return parent


def test_a_child_that_dies_fails_the_map() -> None:
    with pytest.raises(WorkerError, match="died"):
        map_forked(die_in_a_child, [os.getpid()] * 10, workers=2)


def test_parallel_rendering_gives_the_same_site_as_one_process(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {
        f"source-{n % 3}/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(12)
    }
    root = make_site(files)
    config = load_config(root / "config.toml")
    monkeypatch.setattr(stage, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    build(config)
    serial = tree_digest(root / "output")
    for folder in root.glob("output*"):
        shutil.rmtree(folder)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    report = build(config)
    assert report.rendered == report.files
    assert tree_digest(root / "output") == serial


def test_a_touch_up_rendered_by_forked_processes_equals_a_fresh_build(
    make_site: SiteMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new date moves the article in its listings: the pages it renders, and those kept
    or linked from the output, are shared among two processes writing one staging tree."""
    root = newsroom(make_site)
    config = load_config(root / "config.toml")
    monkeypatch.setattr(stage, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    build(config)
    shares: list[int] = []

    def counted(function: Any, items: Any, workers: int) -> Any:
        shares.append(min(workers, len(items)))
        return map_forked(function, items, workers)

    monkeypatch.setattr(stage, "map_forked", counted)
    change_body(root / "content" / "herald" / "story-3.txt", "2024-04-04", "2023-06-05")
    report = build(config)
    assert report.touched_up
    assert max(shares) == 2, "the touch-up rendered in two processes"
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")


def interrupt_in_parent_sleep_in_child(parent: int) -> int:
    if os.getpid() == parent:
        raise KeyboardInterrupt
    time.sleep(60)
    return parent


def test_ctrl_c_in_the_parent_stops_the_children_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        map_forked(interrupt_in_parent_sleep_in_child, [os.getpid()] * 4, workers=2)
    assert time.monotonic() - started < 30, "the child was terminated, not waited for"


SLOW_MAP = """
import sys, time
from pathlib import Path
from generator.forked import map_forked

log = Path(sys.argv[1])

def note(item):
    with log.open("a") as out:
        out.write(f"{item}\\n")
    time.sleep(0.05)
    return item

map_forked(note, list(range(400)), workers=2)
"""
"""A map whose two processes each note every item they take, slowly (about 10 s each)."""


def test_children_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    log = tmp_path / "log"
    log.touch()
    process = subprocess.Popen([sys.executable, "-c", SLOW_MAP, str(log)])
    deadline = time.monotonic() + 60
    while len(log.read_text().split()) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    taken = {int(n) for n in log.read_text().split()}
    assert any(n >= 200 for n in taken), "the child had started on its share"
    process.kill()  # SIGKILL: the parent gets no chance to stop its children
    process.wait(timeout=30)
    time.sleep(0.5)  # a child still running notes ten items in this time
    before = len(log.read_text().split())
    time.sleep(1.0)
    assert len(log.read_text().split()) == before, "a child went on after its parent died"


FREED_BEFORE_FORKING = """
import sys
from generator.forked import map_forked

def resident_kb(_item: int) -> int:
    with open("/proc/self/status") as status:
        return next(int(row.split()[1]) for row in status if row.startswith("VmRSS:"))

blocks = [bytes([n % 251]) * 1500 for n in range(60_000)]  # 90 MB, each its own malloc block
kept = blocks[::10]  # what stays in use holds the free pages between them in place
del blocks
before = resident_kb(0)
print(before, *map_forked(resident_kb, [0, 1], workers=2))
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads resident sizes from /proc (Linux)"
)
def test_a_child_does_not_map_the_pages_its_parent_freed() -> None:
    """What the parent freed before forking is given back to the kernel first, so the
    children's resident size does not count it once more (at 50,000 dumps, 100 MB)."""
    shown = subprocess.run(
        [sys.executable, "-c", FREED_BEFORE_FORKING],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    before, in_parent, in_child = map(int, shown.split())
    freed = 60_000 * 1500 * 9 // 10 // 1024
    assert in_child < before - freed // 2, (before, in_parent, in_child)
