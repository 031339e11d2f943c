"""Two builds of one output folder never run their staging at the same time."""

from __future__ import annotations

import threading
import time

from generator.build import build
from generator.config import load_config
from generator.write import OutputLock
from tests.conftest import ARTICLE_EN, SiteMaker


def test_a_second_build_waits_for_the_running_one(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    config = load_config(root / "config.toml")
    running = OutputLock(root / "output")
    assert running.acquire()
    waiting = threading.Thread(target=build, args=(config,))
    waiting.start()
    time.sleep(0.5)
    assert waiting.is_alive(), "the second build waits while the lock is held"
    assert not (root / "output").exists()
    running.release()
    waiting.join(timeout=30)
    assert (root / "output" / "index.html").is_file()


def test_leftovers_of_a_running_build_are_not_removed(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    config = load_config(root / "config.toml")
    build(config)
    staging = root / "output.staging-99999999"
    staging.mkdir()
    running = OutputLock(root / "output")
    assert running.acquire()
    try:
        assert build(config).unchanged
        assert staging.is_dir(), "another build may be filling it"
    finally:
        running.release()
    assert build(config).unchanged
    assert not staging.exists(), "with no build running, it is a leftover"
