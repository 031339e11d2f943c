"""Write a rendered site: stage a complete tree beside output/, then swap it in at once.

The output folder is never half-written: readers see the previous complete build until
the swap, which is a single atomic exchange of two directory entries where the kernel
offers one. Files whose bytes did not change are hard-linked from the previous build, so
their modification times stay and sync tools copy only what changed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import posixpath
import shutil
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.errors import OutputError, Problem
from generator.forked import map_forked

MARKER = ".gleanery-output"
"""File in every output folder we made; it lists each file's hash (the manifest)."""
STAGING = ".staging-"
OLD = ".old-"
SPARE = ".spare"
"""The previous build's tree, kept beside the output to be brought up to date next time."""
RENAME_EXCHANGE = 2

WriteFile = Callable[[Path, bytes], None]


@dataclass(frozen=True)
class Planned:
    """One output file before rendering: where it goes, what decides its bytes, how to make it.

    ``key`` is a hash of every input of the file (template set, configuration, code and
    the page's context); two builds that give a file the same key give it the same bytes,
    so a file whose key is unchanged is never rendered again.
    """

    path: str
    key: str
    make: Callable[[], bytes]


def write_file(path: Path, data: bytes) -> None:
    """Write one file (the seam where faults are injected in tests)."""
    path.write_bytes(data)


def check_output_dir(output: Path, content: Path, root: Path) -> None:
    """Refuse output folders whose replacement could destroy what we did not make."""
    output, content = output.resolve(), content.resolve()
    home = Path.home().resolve()
    reason = None
    if output == Path(output.anchor) or output == home:
        reason = "is the root or home folder"
    elif output == content or content.is_relative_to(output) or output.is_relative_to(content):
        reason = "is, contains or is inside the content folder"
    elif output == root.resolve() or root.resolve().is_relative_to(output):
        reason = "contains the site's own files"
    elif output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        reason = f"is not empty and was not made by Gleanery (no {MARKER} file in it)"
    if reason:
        raise OutputError(Problem(str(output), f"refusing to use as output folder: it {reason}"))


def preflight(output: Path) -> None:
    """Prove before any work that a staging folder can be made beside the output folder."""
    output = output.resolve()
    probe = sibling(output, STAGING)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        probe.mkdir(exist_ok=True)
        probe.rmdir()
    except OSError as err:
        where = err.filename or output.parent
        raise OutputError(
            Problem(str(where), f"cannot write the site here: {err.strerror or err}")
        ) from err


def is_intact(output: Path) -> bool:
    """Whether every file the previous build recorded is still in the output folder."""
    files = read_manifest(output)
    root = str(output)
    # Plain strings: a Path per file cost half a second on 30,000 files.
    return bool(files) and all(os.path.isfile(f"{root}/{rel}") for rel in files)  # noqa: PTH113


def sibling(output: Path, kind: str) -> Path:
    """A fresh staging or old-build folder name beside the output folder."""
    return output.with_name(f"{output.name}{kind}{os.getpid()}")


class OutputLock:
    """An exclusive lock on building one output folder, held from staging to swap.

    Two builds of the same output (``gleanery build`` while ``serve --watch`` rebuilds)
    would share the spare tree and delete each other's staging folders; the second waits.
    The lock is a ``flock`` on the folder that holds the output, staging and spare trees
    (no file is made for it; builds of other outputs in that folder wait too), released
    by the kernel if the process dies.
    """

    def __init__(self, output: Path) -> None:
        self.path = output.parent
        self.fd: int | None = None

    def acquire(self, *, wait: bool = True) -> bool:
        """Take the lock (waiting for another build when ``wait``); False when busy."""
        fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def remove_leftovers_unless_busy(output: Path) -> None:
    """Remove what an interrupted build left, unless a build of this output is running."""
    lock = OutputLock(output)
    with contextlib.suppress(OSError):
        if lock.acquire(wait=False):
            try:
                remove_leftovers(output)
            finally:
                lock.release()


def remove_leftovers(output: Path) -> list[Path]:
    """Delete staging and old folders that an interrupted build left behind."""
    removed = []
    for kind in (STAGING, OLD):
        for path in sorted(output.parent.glob(f"{output.name}{kind}*")):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def read_manifest(output: Path) -> dict[str, str]:
    """The hashes of the previous build's files, or nothing when unknown."""
    return string_map(read_marker(output).get("files"))


def digest(data: bytes) -> str:
    """The hash recorded in the manifest."""
    return hashlib.sha256(data).hexdigest()


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths are the same file (one inode), as a link from the output is."""
    try:
        first, second = a.stat(), b.stat()
    except OSError:
        return False
    return (first.st_ino, first.st_dev) == (second.st_ino, second.st_dev)


def remove_stale(staging: Path, stale: Mapping[str, str]) -> None:
    """Delete files a reused tree has but this build does not, and folders left empty."""
    folders: set[Path] = set()
    for rel in stale:
        target = safe_target(staging, rel)
        target.unlink(missing_ok=True)
        folders.update(p for p in target.parents if p != staging and p.is_relative_to(staging))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()


def take_spare(output: Path, staging: Path) -> dict[str, str]:
    """Reuse the spare tree as this build's staging folder; what it holds (path -> hash).

    Only a spare that carries our marker is used; without one there is nothing to reuse
    and a fresh staging folder is made. A folder we did not make is never touched.
    """
    spare = output.with_name(f"{output.name}{SPARE}")
    if not (spare / MARKER).is_file():
        staging.mkdir()
        return {}
    holds = read_manifest(spare)
    spare.rename(staging)
    (staging / MARKER).unlink()
    return holds


def link_unchanged(old: Path, new: Path, size: int | None) -> bool:
    """Hard-link a file from the previous build (when ``size`` is given, only of that size)."""
    try:
        if size is not None and old.stat().st_size != size:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def safe_target(staging: Path, rel: str) -> Path:
    """The staging path of an output file, refusing anything that would leave the folder.

    The check is on the path's text (``resolve()`` cost 1.6 s per 1,000 dumps): the
    staging folder is new and holds only what this build made, so no link in it can lead
    elsewhere.
    """
    clean = posixpath.normpath(rel) if rel else "."
    if clean in (".", "..") or clean.startswith(("/", "../")) or "\0" in clean:
        raise OutputError(Problem(rel, "output path escapes the output folder"))
    return staging / clean


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directory entries (Linux renameat2); False where unsupported."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    function = getattr(libc, "renameat2", None)
    if function is None:
        return False
    at_fdcwd = -100
    result = function(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def swap_in(staging: Path, output: Path) -> None:
    """Make the staged tree the output folder; keep the previous build as the spare.

    Once swapped, the new site is published: a previous build that cannot be kept or
    deleted is left for the next build's clean-up, not reported as a failure. Without an
    atomic exchange the previous build is deleted instead.
    """
    if not output.exists():
        staging.rename(output)
        return
    if exchange(staging, output):
        try:
            staging.rename(output.with_name(f"{output.name}{SPARE}"))
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
        return
    old = sibling(output, OLD)
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def read_marker(output: Path) -> dict[str, object]:
    """What the previous build recorded about itself, or nothing."""
    try:
        data = json.loads((output / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


PARALLEL_FROM = 256
"""Fewer files to render than this are rendered here: forking would cost more."""


@dataclass(frozen=True)
class Pending:
    """A planned file that must be rendered, where it goes, and what the reused tree held."""

    item: Planned
    target: Path
    held: str | None


class Stage:
    """The next build's complete tree, made beside the output folder, then swapped in.

    The spare tree (the build before the current one) is reused as the staging folder.
    For each planned file: when its key is the one the current output recorded, its bytes
    are known without rendering, and the file is kept from the spare tree or hard-linked
    from the output; otherwise it is rendered, and written only when its bytes changed.
    Nothing is ever written into an existing file, which may share its inode with the
    live output: it is unlinked first.
    """

    def __init__(
        self,
        output: Path,
        write: WriteFile = write_file,
        guard: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
        written_last: frozenset[str] | None = None,
    ) -> None:
        self.output = output.resolve()
        self.lock = OutputLock(self.output)
        self.guard = guard
        self.written_last = written_last
        """Files the previous build of this process wrote anew, when known: every other file
        of the spare tree is the output's own (one inode), with no need to check it."""
        self.written: set[str] = set()
        """Files this build wrote anew (the others were kept or linked)."""
        """Held around the swap (the dev server holds requests meanwhile)."""
        self.folder = sibling(self.output, STAGING)
        self.write = write
        marker = read_marker(self.output)
        self.previous = string_map(marker.get("files"))
        self.previous_keys = string_map(marker.get("keys"))
        self.holds: dict[str, str] = {}
        """What the reused tree holds (path -> hash); what is left at the end is stale."""
        self.files: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.made: set[Path] = set()
        self.rendered = 0
        """Files rendered in this build (the others were known by their keys)."""

    def __enter__(self) -> Stage:
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.lock.acquire()
            remove_leftovers(self.output)
            self.holds = take_spare(self.output, self.folder)
        except BaseException as err:
            self.__exit__(type(err), err, None)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, _: object
    ) -> None:
        try:
            if err is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            self.lock.release()
        if isinstance(err, OSError):
            where = err.filename or self.output
            raise OutputError(
                Problem(
                    str(where),
                    f"{err.strerror or err} while writing the site; the previous output is "
                    "unchanged",
                )
            ) from err

    def add(self, planned: Iterable[Planned], workers: int = 1) -> None:
        """Stage each planned file, rendering only those whose key changed.

        With ``workers`` > 1 and enough files to render, they are rendered and written by
        forked copies of this process (see ``forked``).
        """
        todo: list[Pending] = []
        for item in planned:
            if self.already_staged(item):
                continue
            target = safe_target(self.folder, item.path)
            if target.parent not in self.made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.made.add(target.parent)
            known = self.previous.get(item.path)
            held = self.holds.pop(item.path, None)
            same_key = self.previous_keys.get(item.path) == item.key
            if known is not None and same_key and self.reuse(item.path, target, known, None, held):
                self.keep(item.path, item.key, known)
                continue
            todo.append(Pending(item, target, held))
        parallel = workers if len(todo) >= PARALLEL_FROM else 1
        for rel, key, hashed, wrote in map_forked(self.render, todo, parallel):
            self.keep(rel, key, hashed)
            if wrote:
                self.written.add(rel)
        self.rendered += len(todo)

    def render(self, job: Pending) -> tuple[str, str, str, bool]:
        """Render one file into the staging tree: (path, key, hash of its bytes, whether it
        was written anew)."""
        data = job.item.make()
        hashed = digest(data)
        if self.reuse(job.item.path, job.target, hashed, data, job.held):
            return job.item.path, job.item.key, hashed, False
        self.write(job.target, data)
        return job.item.path, job.item.key, hashed, True

    def already_staged(self, item: Planned) -> bool:
        """Whether the reused tree already holds this unchanged file as the output's own.

        The common case of a rebuild, so it is checked with two ``stat`` calls on plain
        strings and nothing else.
        """
        rel = item.path
        known = self.previous.get(rel)
        if known is None or self.holds.get(rel) != known or self.previous_keys.get(rel) != item.key:
            return False
        if self.written_last is None or rel in self.written_last:
            return self.linked(rel, item.key, known)
        del self.holds[rel]
        self.keep(rel, item.key, known)
        return True

    def linked(self, rel: str, key: str, known: str) -> bool:
        """Keep the reused tree's copy when it is the output's own file (one inode)."""
        try:
            live = os.stat(f"{self.output}/{rel}")  # noqa: PTH116 (hot path: no Path objects)
            staged = os.stat(f"{self.folder}/{rel}")  # noqa: PTH116
        except OSError:
            return False
        if (live.st_ino, live.st_dev) != (staged.st_ino, staged.st_dev):
            return False
        del self.holds[rel]
        self.keep(rel, key, known)
        return True

    def add_data(self, files: Iterable[tuple[str, bytes]]) -> None:
        """Stage files whose bytes are already made (keyed by their hash)."""
        self.add(Planned(path, digest(data), partial(bytes, data)) for path, data in files)

    def keep(self, rel: str, key: str, hashed: str) -> None:
        self.files[rel], self.keys[rel] = hashed, key

    def reuse(
        self, rel: str, target: Path, hashed: str, data: bytes | None, held: str | None
    ) -> bool:
        """Whether the staged file now holds the bytes hashing to ``hashed``, without writing.

        The spare tree's copy stays when it is the output's own file (one inode) or when
        the output's copy is different; otherwise the output's copy is linked, which keeps
        the modification time of files that did not change. ``data`` is None when the
        bytes are only known by their hash (then the output's copy must be the right one).
        ``held`` is the hash of the reused tree's copy, if it has one.
        """
        unchanged = self.previous.get(rel) == hashed
        if held == hashed and (not unchanged or same_file(self.output / rel, target)):
            return True
        target.unlink(missing_ok=True)
        if not unchanged:
            return False
        size = len(data) if data is not None else None
        return link_unchanged(self.output / rel, target, size)

    def finish(self, notes: Mapping[str, object] | None = None) -> None:
        """Remove what the reused tree had beyond this build, record the build, swap it in."""
        remove_stale(
            self.folder, {rel: h for rel, h in self.holds.items() if rel not in self.files}
        )
        record = {**(notes or {}), "generator": "gleanery", "files": self.files, "keys": self.keys}
        marker = json.dumps(record, sort_keys=True)  # not indented: the C encoder is used
        self.write(self.folder / MARKER, marker.encode("utf-8"))
        with self.guard():
            swap_in(self.folder, self.output)


def string_map(value: object) -> dict[str, str]:
    """A recorded path -> text mapping, or nothing when absent or malformed."""
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
