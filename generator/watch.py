"""Turn watchdog events into debounced rebuilds: one builder thread, editor noise dropped."""

from __future__ import annotations

import errno
import os
import re
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from generator.livereload import LiveState

MAX_BATCH_DELAY = 1.0
"""A burst of events is built at the latest this many seconds after its first event."""

DIRTY_EVENT_TYPES = frozenset({"created", "modified", "deleted", "moved"})
"""Event types that may change the site; opened, closed and attrib never do."""

IGNORED_DIR_NAMES = frozenset({".git", ".hg", ".svn", ".gleanery-cache", "__pycache__"})
"""Folders whose contents never feed the site."""

WATCH_LIMIT_FILES = ("/proc/sys/fs/inotify/max_user_watches", "/proc/sys/user/max_inotify_watches")

_TEMP_NAME = re.compile(
    r"""^(?:
        \d+                        # vim's write probe (4913, 5036, ...)
      | .*~                        # vim / emacs backups
      | .*\.sw[a-z]x?              # vim swap files (.swp, .swo, .swx, .swpx)
      | .*___jb_(?:tmp|old)___     # JetBrains safe write
      | \.\#.*                     # emacs lock links
      | \#.*\#                     # emacs auto-save
      | sed[^.]*                   # sed -i temp files (no extension)
      | \.~lock\..*\#              # LibreOffice locks
      | \.DS_Store
      | .*\.crdownload | .*\.tmp   # browser downloads in progress
      | \.goutputstream-.*         # GNOME atomic writes
    )$""",
    re.VERBOSE | re.DOTALL,
)

Rebuild = Callable[[frozenset[Path]], Sequence[str]]


def is_editor_temp(name: str) -> bool:
    """Whether a file name is an editor's or a tool's temporary file, never content."""
    return _TEMP_NAME.match(name) is not None


class WatchLimitError(RuntimeError):
    """The native watcher cannot watch every folder; --poll is the way out."""


def limit_message(directories: int, limit: int | str) -> str:
    """The one message users see when inotify runs out of watches."""
    return (
        f"inotify watch limit reached ({directories} directories, limit {limit}): "
        "raise fs.inotify.max_user_watches or use --poll"
    )


@dataclass(frozen=True)
class WatchPlan:
    """What to schedule and which event paths matter, all as absolute strings."""

    trees: tuple[str, ...]
    """Folders watched recursively."""
    folders: tuple[str, ...]
    """Folders watched only for the single files in `files`."""
    files: frozenset[str]
    """Single files (such as config.toml) watched through their folder."""
    ignore: tuple[str, ...]
    """Paths whose events are dropped (output/, and output.* siblings such as staging)."""


def _absolute(path: Path) -> str:
    """An absolute path string without following symlinks (watchdog reports paths so)."""
    return str(Path(path).absolute())


def plan_watch(roots: Sequence[Path], ignore: Sequence[Path]) -> WatchPlan:
    """Split roots into recursive trees and single files watched through their folder."""
    trees = sorted({_absolute(r) for r in roots if Path(r).is_dir()})
    files = frozenset(_absolute(r) for r in roots if not Path(r).is_dir())
    parents = {str(Path(f).parent) for f in files}
    folders = sorted(d for d in parents if Path(d).is_dir() and not _under_any(d, trees))
    return WatchPlan(tuple(trees), tuple(folders), files, tuple(_absolute(p) for p in ignore))


def _under(path: str, root: str) -> bool:
    """Whether `path` is `root` or below it (plain string paths)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _under_any(path: str, roots: Sequence[str]) -> bool:
    """Whether `path` is in any of the trees."""
    return any(_under(path, root) for root in roots)


def _ignored(path: str, ignore: Sequence[str]) -> bool:
    """Whether a path is in an ignored tree or a sibling like `output.staging-1`."""
    for root in ignore:
        sibling_prefix = root.rstrip(os.sep) + "."
        if _under(path, root) or path.startswith(sibling_prefix):
            return True
    return False


def is_relevant(path: str, plan: WatchPlan, *, is_directory: bool = False) -> bool:
    """Whether a changed path can affect the site (temp names are dropped for files only)."""
    if not is_directory and is_editor_temp(path.rpartition(os.sep)[2]):
        return False
    if _ignored(path, plan.ignore):
        return False
    if any(part in IGNORED_DIR_NAMES for part in Path(path).parts):
        return False
    return path in plan.files or _under_any(path, plan.trees)


def event_paths(event: FileSystemEvent) -> tuple[str, ...]:
    """The paths an event may have changed: both ends of a move; none for noise."""
    if event.event_type not in DIRTY_EVENT_TYPES:
        return ()
    if event.is_directory and event.event_type == "modified":
        return ()
    src = os.fsdecode(event.src_path)
    if event.event_type == "moved":
        return (src, os.fsdecode(event.dest_path))
    return (src,)


def count_watch_dirs(plan: WatchPlan) -> int:
    """How many inotify watches the plan needs: every folder of every tree, plus folders."""
    total = len(plan.folders)
    for tree in plan.trees:
        total += sum(1 for _ in os.walk(tree))
    return total


def read_watch_limit() -> int | None:
    """The smallest readable inotify watch limit for this user, if any."""
    limits = []
    for name in WATCH_LIMIT_FILES:
        try:
            limits.append(int(Path(name).read_text(encoding="ascii").strip()))
        except (OSError, ValueError):
            continue
    return min(limits) if limits else None


def count_inotify_watches() -> int | None:
    """Watches this process actually holds (from /proc/self/fdinfo), if it can be read."""
    try:
        fds = sorted(Path("/proc/self/fd").iterdir())
    except OSError:
        return None
    total = 0
    for fd in fds:
        try:
            if str(fd.readlink()) != "anon_inode:inotify":
                continue
            info = Path("/proc/self/fdinfo", fd.name).read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        total += sum(1 for line in info.splitlines() if line.startswith("inotify wd:"))
    return total


class _EventSink(FileSystemEventHandler):
    """Passes every event to the watcher; never raises into the observer thread."""

    def __init__(self, note: Callable[[FileSystemEvent], None], log: Callable[[str], None]):
        super().__init__()
        self._note = note
        self._log = log

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Record the event; any failure is logged, the observer thread lives on."""
        try:
            self._note(event)
        except Exception as exc:  # the observer thread must never die
            self._log(f"watch: ignored an event that could not be handled: {exc!r}")


class ChangeWatcher:
    """Watches folders and files, and runs `rebuild` once per quiet burst of changes."""

    def __init__(
        self,
        roots: Sequence[Path],
        *,
        ignore: Sequence[Path],
        rebuild: Rebuild,
        live: LiveState | None = None,
        debounce: float = 0.05,
        poll: float | None = None,
        log: Callable[[str], None] = print,
    ) -> None:
        self._plan = plan_watch(roots, ignore)
        self._rebuild = rebuild
        self._live = live
        self._poll = poll
        self._debounce = max(debounce, 1.5 * poll) if poll else debounce
        self._max_delay = max(MAX_BATCH_DELAY, 2 * self._debounce)
        self._log = log
        self._cond = threading.Condition()
        self._dirty: set[str] = set()
        self._first_event = 0.0
        self._last_event = 0.0
        self._stopping = False
        self._builds = 0
        self._sink = _EventSink(self._note_event, log)
        self._observer: BaseObserver | None = None
        self._builder: threading.Thread | None = None

    @property
    def builds(self) -> int:
        """How many rebuilds have finished (clean or not)."""
        with self._cond:
            return self._builds

    @property
    def observer(self) -> BaseObserver | None:
        """The running watchdog observer (for health checks and tests)."""
        return self._observer

    @property
    def plan(self) -> WatchPlan:
        """What is watched and what is ignored."""
        return self._plan

    def start(self) -> None:
        """Start the observer (raises WatchLimitError) and the builder thread."""
        self._observer = self._start_observer()
        self._builder = self._start_builder()
        kind = f"polling every {self._poll:g} s" if self._poll else "native events"
        self._log(
            f"watching {count_watch_dirs(self._plan)} directories ({kind}); "
            "changes not detected? try --poll"
        )

    def stop(self) -> None:
        """Ask the observer and the builder to finish; a running build completes."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the observer and builder threads to end."""
        for thread in (self._observer, self._builder):
            if thread is not None and thread.is_alive():
                thread.join(timeout)

    def check_alive(self) -> bool:
        """Restart a dead observer or builder (logged loudly); False when one was dead."""
        if self._stopping or self._observer is None:
            return True
        healthy = True
        if not self._observer_healthy(self._observer):
            self._log("ERROR: the file watcher died; restarting it and rebuilding everything")
            self._observer.stop()
            self._observer = self._start_observer()
            self._note_paths((*self._plan.trees, *sorted(self._plan.files)))
            healthy = False
        if self._builder is None or not self._builder.is_alive():
            self._log("ERROR: the builder thread died; restarting it")
            self._builder = self._start_builder()
            healthy = False
        return healthy

    def notify(self, paths: Sequence[Path]) -> None:
        """Mark paths dirty by hand (as if an event had arrived for each)."""
        self._note_paths(tuple(_absolute(p) for p in paths))

    @staticmethod
    def _observer_healthy(observer: BaseObserver) -> bool:
        """The observer thread and every emitter thread are running."""
        return observer.is_alive() and all(e.is_alive() for e in observer.emitters)

    def _make_observer(self) -> BaseObserver:
        """PollingObserver when polling was asked for, else the native one."""
        if self._poll:
            return PollingObserver(timeout=self._poll)
        return Observer()

    def _start_observer(self) -> BaseObserver:
        """Schedule every folder and start; refuse a partial native watch."""
        observer = self._make_observer()
        native = not self._poll
        expected = count_watch_dirs(self._plan)
        limit = read_watch_limit()
        if native and limit is not None and expected > limit:
            raise WatchLimitError(limit_message(expected, limit))
        for tree in self._plan.trees:
            observer.schedule(self._sink, tree, recursive=True)
        for folder in self._plan.folders:
            observer.schedule(self._sink, folder, recursive=False)
        try:
            observer.start()
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EMFILE):
                raise WatchLimitError(limit_message(expected, limit or "unknown")) from None
            raise
        if native:
            self._check_watch_count(observer, expected, limit)
        return observer

    def _check_watch_count(self, observer: BaseObserver, expected: int, limit: int | None) -> None:
        """watchdog swallows failures below the root: count the watches we really got."""
        actual = count_inotify_watches()
        if actual is None or actual >= min(expected, count_watch_dirs(self._plan)):
            return
        observer.stop()
        granted = f"{limit}, only {actual} granted" if limit else f"unknown, only {actual} granted"
        raise WatchLimitError(limit_message(expected, granted))

    def _start_builder(self) -> threading.Thread:
        """The single thread that ever calls `rebuild`."""
        thread = threading.Thread(target=self._run_builder, name="gleanery-builder", daemon=True)
        thread.start()
        return thread

    def _note_event(self, event: FileSystemEvent) -> None:
        """Keep the relevant paths of one event (runs on the observer thread)."""
        paths = event_paths(event)
        wanted = [p for p in paths if is_relevant(p, self._plan, is_directory=event.is_directory)]
        if wanted:
            self._note_paths(wanted)

    def _note_paths(self, paths: Sequence[str]) -> None:
        """Add paths to the dirty set and wake the builder."""
        now = time.monotonic()
        with self._cond:
            if not self._dirty:
                self._first_event = now
            self._dirty.update(paths)
            self._last_event = now
            self._cond.notify_all()

    def _next_batch(self) -> frozenset[Path] | None:
        """Wait for changes, then for quiet (or the burst deadline); None when stopping."""
        with self._cond:
            while not self._dirty and not self._stopping:
                self._cond.wait()
            while not self._stopping:
                due = min(self._last_event + self._debounce, self._first_event + self._max_delay)
                remaining = due - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if self._stopping:
                return None
            batch = frozenset(Path(p) for p in self._dirty)
            self._dirty.clear()
            return batch

    def _run_builder(self) -> None:
        """Build batch after batch until stopped."""
        while (batch := self._next_batch()) is not None:
            self._build(batch)

    def _build(self, batch: frozenset[Path]) -> None:
        """Run one rebuild, count it, publish its errors and log a summary."""
        started = time.monotonic()
        live = self._live
        errors = self._call_rebuild(batch)
        if live is not None:
            live.publish(errors)
        with self._cond:
            self._builds += 1
        elapsed = (time.monotonic() - started) * 1000
        self._log(_summary(batch, errors, elapsed))
        for error in errors:
            self._log(f"  {error}")

    def _call_rebuild(self, batch: frozenset[Path]) -> list[str]:
        """Call `rebuild`; an exception becomes an error line (the last good site stays)."""
        try:
            return [str(error) for error in self._rebuild(batch)]
        except Exception as exc:  # a broken build must never stop the watcher
            return [f"{_crash_location(exc)}: rebuild failed: {type(exc).__name__}: {exc}"]


def _summary(batch: frozenset[Path], errors: Sequence[str], elapsed_ms: float) -> str:
    """One log line per rebuild."""
    names = sorted(p.name for p in batch)
    shown = ", ".join(names[:3]) + (f" (+{len(names) - 3} more)" if len(names) > 3 else "")
    status = f"{len(errors)} error(s)" if errors else "ok"
    return f"rebuilt after changes to {shown} in {elapsed_ms:.0f} ms: {status}"


def _crash_location(exc: BaseException) -> str:
    """`file:line` of the innermost frame of an exception."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "gleanery"
    return f"{frames[-1].filename}:{frames[-1].lineno}"
