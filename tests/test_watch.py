"""The change watcher: editor save styles, debounce, one builder, ignored output (W1-W9)."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)
from watchdog.observers.polling import PollingObserver

import generator.watch as watch_module
from generator.livereload import LiveState
from generator.watch import (
    ChangeWatcher,
    WatchLimitError,
    event_paths,
    is_editor_temp,
    is_relevant,
    plan_watch,
)

OBSERVERS = [pytest.param(None, id="native"), pytest.param(0.05, id="polling")]
DEBOUNCE = 0.1


def quiet_time(poll: float | None) -> float:
    """How long to keep watching after the expected builds to catch extra ones."""
    return 0.2 if poll is None else 0.2 + 2 * poll


class Recorder:
    """A fake rebuild: records batches and how many builds ran at once."""

    def __init__(self, delay: float = 0.0, work: Callable[[], None] | None = None) -> None:
        self.delay = delay
        self.work = work
        self.batches: list[frozenset[Path]] = []
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()

    def __call__(self, paths: frozenset[Path]) -> Sequence[str]:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        time.sleep(self.delay)
        if self.work is not None:
            self.work()
        with self.lock:
            self.active -= 1
            self.batches.append(paths)
        return []


@contextmanager
def watching(
    roots: Sequence[Path],
    rebuild: Callable[[frozenset[Path]], Sequence[str]],
    *,
    poll: float | None,
    ignore: Sequence[Path] = (),
    live: LiveState | None = None,
    logs: list[str] | None = None,
) -> Iterator[ChangeWatcher]:
    """A started watcher, always stopped and joined."""
    sink = logs if logs is not None else []
    watcher = ChangeWatcher(
        roots,
        ignore=ignore,
        rebuild=rebuild,
        live=live,
        poll=poll,
        debounce=DEBOUNCE,
        log=sink.append,
    )
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()
        watcher.join(5)


def wait_until(condition: Callable[[], bool], timeout: float = 3.0) -> bool:
    """Poll a condition until it holds or the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def settle(watcher: ChangeWatcher, expected: int, poll: float | None) -> int:
    """Wait for `expected` builds, then a quiet spell; returns the final count."""
    wait_until(lambda: watcher.builds >= expected)
    time.sleep(quiet_time(poll))
    return watcher.builds


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder holding one dump."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "article.txt").write_text("first version\n")
    return folder


def save_plain(article: Path) -> None:
    """open('w') and write."""
    article.write_text("plain save\n")


def save_vim(article: Path) -> None:
    """vim with backupcopy=no: probe file 4913, rename to backup, write new, drop backup."""
    probe = article.parent / "4913"
    probe.write_text("")
    probe.unlink()
    backup = article.with_name(article.name + "~")
    article.rename(backup)
    article.write_text("vim save\n")
    backup.unlink()


def save_jetbrains(article: Path) -> None:
    """JetBrains safe write: tmp file, orig to old, tmp onto orig, old deleted."""
    tmp = article.with_name(article.name + "___jb_tmp___")
    old = article.with_name(article.name + "___jb_old___")
    tmp.write_text("jetbrains save\n")
    article.rename(old)
    tmp.rename(article)
    old.unlink()


def save_sed(article: Path) -> None:
    """sed -i: a temp file without extension replaces the original."""
    tmp = article.parent / "sedq8Zk2P"
    tmp.write_text("sed save\n")
    tmp.replace(article)


def save_emacs(article: Path) -> None:
    """emacs: lock symlink, backup copy, two writes, lock removed."""
    lock = article.parent / (".#" + article.name)
    lock.symlink_to("user@host.4242:1700000000")
    shutil.copy2(article, article.with_name(article.name + "~"))
    with article.open("w") as handle:
        handle.write("emacs ")
        handle.flush()
        handle.write("save\n")
    article.write_text("emacs save\n")
    lock.unlink()


SAVES = [save_plain, save_vim, save_jetbrains, save_sed, save_emacs]


@pytest.mark.parametrize("poll", OBSERVERS)
@pytest.mark.parametrize("save", SAVES, ids=lambda f: f.__name__)
def test_each_editor_save_style_rebuilds_once_with_the_article(
    content: Path, save: Callable[[Path], None], poll: float | None
) -> None:
    recorder = Recorder()
    article = content / "article.txt"
    with watching([content], recorder, poll=poll) as watcher:
        save(article)
        assert settle(watcher, 1, poll) == 1
    assert recorder.batches == [frozenset({article})]


@pytest.mark.parametrize("poll", OBSERVERS)
def test_burst_of_fifty_saves_coalesces(content: Path, poll: float | None) -> None:
    recorder = Recorder()
    article = content / "article.txt"
    with watching([content], recorder, poll=poll) as watcher:
        for i in range(50):
            article.write_text(f"save {i}\n")
            time.sleep(0.005)
        assert 1 <= settle(watcher, 1, poll) <= 2
    assert set().union(*recorder.batches) == {article}


@pytest.mark.parametrize("poll", OBSERVERS)
def test_save_during_build_gives_exactly_one_follow_up(content: Path, poll: float | None) -> None:
    recorder = Recorder(delay=0.3)
    article = content / "article.txt"
    with watching([content], recorder, poll=poll) as watcher:
        article.write_text("one\n")
        assert wait_until(lambda: recorder.active == 1)
        for text in ("two\n", "three\n", "four\n"):
            article.write_text(text)
            time.sleep(0.02)
        assert settle(watcher, 2, poll) == 2
    assert recorder.max_active == 1


def swap_in_output(site: Path) -> None:
    """Write like the real builder: a staging folder, a cache, then a rename swap."""
    staging = site / "output.staging-x"
    staging.mkdir()
    (staging / "index.html").write_text("<p>built</p>")
    cache = site / ".gleanery-cache"
    cache.mkdir(exist_ok=True)
    (cache / "article.json").write_text("{}")
    output, old = site / "output", site / "output.old-x"
    if output.exists():
        output.rename(old)
    staging.rename(output)
    if old.exists():
        shutil.rmtree(old)


@pytest.mark.parametrize("poll", OBSERVERS)
def test_writes_to_output_and_staging_trigger_no_builds(tmp_path: Path, poll: float | None) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "output").mkdir()
    article = site / "content" / "article.txt"
    article.write_text("hello\n")
    recorder = Recorder(work=lambda: swap_in_output(site))
    with watching([site], recorder, poll=poll, ignore=[site / "output"]) as watcher:
        article.write_text("hello again\n")
        assert settle(watcher, 1, poll) == 1
        swap_in_output(site)
        assert settle(watcher, 1, poll) == 1
    assert recorder.batches == [frozenset({article})]


def test_single_file_root_is_watched_through_its_folder(tmp_path: Path, content: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("title = 'a'\n")
    recorder = Recorder()
    with watching([content, config], recorder, poll=None) as watcher:
        (tmp_path / "notes.md").write_text("not watched\n")
        config.write_text("title = 'b'\n")
        assert settle(watcher, 1, None) == 1
    assert recorder.batches == [frozenset({config})]


def test_missing_roots_are_skipped_not_fatal(tmp_path: Path, content: Path) -> None:
    plan = plan_watch([content, tmp_path / "themes", tmp_path / "nowhere" / "x.toml"], [])
    assert plan.trees == (str(content),)
    assert plan.folders == (str(tmp_path),)
    with watching([content, tmp_path / "nowhere" / "x.toml"], Recorder(), poll=None) as watcher:
        assert watcher.check_alive()


def test_a_failing_filter_does_not_kill_the_observer(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = watch_module.is_editor_temp

    def flaky(name: str) -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("filter broke")
        return real(name)

    monkeypatch.setattr(watch_module, "is_editor_temp", flaky)
    logs: list[str] = []
    recorder = Recorder()
    article = content / "article.txt"
    with watching([content], recorder, poll=None, logs=logs) as watcher:
        (content / "other.txt").write_text("x\n")
        assert wait_until(lambda: calls["n"] >= 1)
        article.write_text("after the failure\n")
        assert wait_until(lambda: any(article in b for b in recorder.batches))
        assert watcher.observer is not None and watcher.observer.is_alive()
    assert any("filter broke" in line for line in logs)


def test_a_failing_rebuild_is_reported_and_the_next_save_retries(content: Path) -> None:
    live = LiveState()
    attempts = {"n": 0}

    def rebuild(paths: frozenset[Path]) -> Sequence[str]:
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise RuntimeError("template exploded")
        return []

    article = content / "article.txt"
    with watching([content], rebuild, poll=None, live=live) as watcher:
        article.write_text("one\n")
        assert wait_until(lambda: watcher.builds == 1)
        assert live.version == 1
        assert "rebuild failed: RuntimeError: template exploded" in live.errors[0]
        article.write_text("two\n")
        assert wait_until(lambda: watcher.builds == 2)
        assert live.snapshot() == (2, ())


def test_dead_observer_is_restarted_by_the_health_check(content: Path) -> None:
    logs: list[str] = []
    recorder = Recorder()
    article = content / "article.txt"
    with watching([content], recorder, poll=None, logs=logs) as watcher:
        assert watcher.check_alive()
        dead = watcher.observer
        assert dead is not None
        dead.stop()
        dead.join(3)
        assert not watcher.check_alive()
        assert any(line.startswith("ERROR") for line in logs)
        assert watcher.observer is not dead
        assert wait_until(lambda: watcher.builds == 1)
        article.write_text("seen by the new observer\n")
        assert wait_until(lambda: watcher.builds == 2)
    assert recorder.batches[-1] == frozenset({article})


def test_watch_limit_is_refused_before_a_partial_watch(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c", "d"):
        (content / name).mkdir()
    monkeypatch.setattr(watch_module, "read_watch_limit", lambda: 3)
    watcher = ChangeWatcher([content], ignore=[], rebuild=Recorder(), log=lambda _: None)
    with pytest.raises(WatchLimitError, match=r"\(5 directories, limit 3\).*--poll"):
        watcher.start()


def test_inotify_errors_at_start_become_a_clear_message(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullObserver(PollingObserver):
        def start(self) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch_module, "Observer", FullObserver)
    watcher = ChangeWatcher([content], ignore=[], rebuild=Recorder(), log=lambda _: None)
    with pytest.raises(WatchLimitError, match="max_user_watches or use --poll"):
        watcher.start()


LIMITED_WATCH_SCRIPT = """
import sys, tempfile
from pathlib import Path
import generator.watch as watch
root = Path(tempfile.mkdtemp())
for i in range(40):
    (root / f"d{i:02d}").mkdir()
if sys.argv[1] == "trust-watchdog":
    watch.read_watch_limit = lambda: None
watcher = watch.ChangeWatcher([root], ignore=[], rebuild=lambda paths: [], log=print)
try:
    watcher.start()
except watch.WatchLimitError as error:
    print("REFUSED", error)
else:
    print("STARTED", watch.count_inotify_watches())
"""


@pytest.mark.parametrize("mode", ["read-limit", "trust-watchdog"])
def test_real_inotify_limit_is_refused_not_partial(mode: str) -> None:
    shell = f'echo 20 > /proc/sys/user/max_inotify_watches && exec "{sys.executable}" -c "$0" "$1"'
    command = ["unshare", "--user", "--map-root-user", "sh", "-c", shell]
    try:
        probe = subprocess.run(
            [*command[:4], "-c", "echo 20 > /proc/sys/user/max_inotify_watches"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("unshare is not available")
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available here")
    result = subprocess.run(
        [*command, LIMITED_WATCH_SCRIPT, mode],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert "REFUSED inotify watch limit reached (41 directories" in result.stdout, result.stderr
    assert "--poll" in result.stdout


def test_polling_ignores_the_native_watch_limit(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_module, "read_watch_limit", lambda: 0)
    with watching([content], Recorder(), poll=0.1) as watcher:
        assert watcher.observer is not None and watcher.observer.is_alive()


@pytest.mark.parametrize(
    "name",
    [
        "4913",
        "article.txt~",
        ".article.txt.swp",
        ".article.txt.swx",
        "article.txt___jb_tmp___",
        "article.txt___jb_old___",
        ".#article.txt",
        "#article.txt#",
        "sedq8Zk2P",
        ".~lock.notes.odt#",
        ".DS_Store",
        "page.html.crdownload",
        "upload.tmp",
        ".goutputstream-AB12CD",
    ],
)
def test_editor_temp_names_are_recognised(name: str) -> None:
    assert is_editor_temp(name)


@pytest.mark.parametrize(
    "name", ["article.txt", "sed-notes.txt", "2024-report.txt", "config.toml", "#tag.txt"]
)
def test_real_file_names_are_not_temp(name: str) -> None:
    assert not is_editor_temp(name)


def test_ignore_covers_output_and_its_staging_siblings(tmp_path: Path) -> None:
    plan = plan_watch([tmp_path], [tmp_path / "output"])
    for rel in ("output/a.html", "output.staging-1/a.html", "output.old-2", ".gleanery-cache/x"):
        assert not is_relevant(str(tmp_path / rel), plan), rel
    for rel in ("content/a.txt", "outputs.txt", "themes/default/base.html"):
        assert is_relevant(str(tmp_path / rel), plan), rel


def test_event_paths_keep_both_ends_of_a_move_and_drop_noise() -> None:
    noise: list[FileSystemEvent] = [
        FileOpenedEvent("/c/a.txt"),
        FileClosedEvent("/c/a.txt"),
        DirModifiedEvent("/c"),
    ]
    assert all(event_paths(event) == () for event in noise)
    assert event_paths(FileMovedEvent("/c/a.txt", "/c/b.txt")) == ("/c/a.txt", "/c/b.txt")
    assert event_paths(FileCreatedEvent("/c/a.txt")) == ("/c/a.txt",)
