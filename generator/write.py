"""The output folder's safety: where a build may write, its marker, the lock, the swap.

The output folder is never half-written: readers see the previous complete build until
the swap, which is a single atomic exchange of two directory entries where the kernel
offers one. Files whose bytes did not change are hard-linked from the previous build, so
their modification times stay and sync tools copy only what changed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import itertools
import json
import os
import posixpath
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.errors import OutputError, Problem

MARKER = ".gleanery-output"
"""File in every output folder we made; it lists each file's hash (the manifest)."""
STAGING = ".staging-"
OLD = ".old-"
SPARE = ".spare"
"""The previous build's tree, kept beside the output to be brought up to date next time."""
RENAME_EXCHANGE = 2

WriteFile = Callable[[Path, bytes], None]


CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
"""Flags of ``os.open`` for a file that must not exist yet."""


def write_file(path: Path, data: bytes) -> None:
    """Write one new file (the seam where faults are injected in tests).

    A file already there is replaced, never written into: in a staging tree it may be a
    hard link to a file of the live output. Creating exclusively makes that hold without
    an ``unlink`` before every write (a build writes into new folders, or where it has
    just removed the reused tree's copy). Written through the descriptor, without a
    buffered file object: a build writes 32,000 files at 10,000 dumps, and the file
    object cost 15-20 us of each file's 60-80.
    """
    try:
        descriptor = os.open(path, CREATE_NEW, 0o666)
    except FileExistsError:
        path.unlink()
        descriptor = os.open(path, CREATE_NEW, 0o666)
    try:
        view = memoryview(data)
        while view:  # a write may take only part of the bytes
            written = os.write(descriptor, view)
            if not written:
                raise OSError(errno.EIO, f"nothing written to {path}")
            view = view[written:]
    finally:
        os.close(descriptor)


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
    return recorded_files(read_marker(output))[0]


def file_table(files: Mapping[str, str], keys: Mapping[str, str]) -> str | None:
    """Every file's path, hash and key, a line each, tab-separated, in the order of
    ``files`` (the marker's record of the build: one string is encoded ten times faster
    than a mapping of 60,000 strings); None when a path holds a tab or a line break, which
    the table cannot carry."""
    lines = zip(files, files.values(), map(keys.__getitem__, files), strict=True)
    table = "\n".join(map("\t".join, lines))
    if table.count("\t") != 2 * len(files) or table.count("\n") != max(len(files) - 1, 0):
        return None
    return table


def recorded_files(marker: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """The (path -> hash, path -> key) recorded by ``file_table``; empty when absent or
    malformed."""
    table = marker.get("table")
    files: dict[str, str] = {}
    keys: dict[str, str] = {}
    if not isinstance(table, str) or not table:
        return files, keys
    # One split of the whole table (a loop over its lines took four times as long); every
    # line has two tabs and a 64-digit hash where the table is whole.
    parts = table.replace("\n", "\t").split("\t")
    hashes = parts[1::3]
    if len(parts) != 3 * (table.count("\n") + 1) or any(len(h) != HASH_DIGITS for h in hashes):
        return files, keys
    paths = parts[0::3]
    return dict(zip(paths, hashes, strict=True)), dict(zip(paths, parts[2::3], strict=True))


HASH_DIGITS = 64
"""Hex digits of ``digest``."""


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


def remove_stale(staging: Path, stale: Iterable[str]) -> None:
    """Delete files a reused tree has but this build does not, and folders left empty."""
    folders: set[Path] = set()
    for rel in stale:
        target = safe_target(staging, rel)
        target.unlink(missing_ok=True)
        folders.update(p for p in target.parents if p != staging and p.is_relative_to(staging))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()


@dataclass(frozen=True, slots=True)
class SpareFiles:
    """What the spare tree holds (path -> hash): the output's files (``base``), except where
    ``differences`` says otherwise (the spare's hash there; None where it has no file).

    Known by its differences from the output, a spare that differs in a few files is
    brought up to date by looking at those files only: after a touch-up the spare is the
    build before, and nearly every one of its files is the output's own (one inode). A
    spare known by its own record has no base: each of its files is a difference.
    """

    base: Mapping[str, str]
    differences: Mapping[str, str | None]

    def held(self, rel: str) -> str | None:
        """The hash of the spare's copy of ``rel``, or None when it has none."""
        differences = self.differences
        return differences[rel] if rel in differences else self.base.get(rel)

    def left_over(self, files: Mapping[str, str]) -> list[str]:
        """The files the spare holds that ``files`` (a build's) does not, sorted."""
        gone = self.base.keys() - files.keys()
        for rel, hashed in self.differences.items():
            if hashed is None:
                gone.discard(rel)
            elif rel not in files:
                gone.add(rel)
        return sorted(gone)


NO_SPARE = SpareFiles({}, {})


def differing(files: Mapping[str, str], base: Mapping[str, str]) -> SpareFiles:
    """The tree that holds ``files`` (path -> hash), known by how it differs from ``base``.

    A spare tree is mostly the output's own files: after a touch-up, all but the few it
    changed. Kept whole, its record was a second copy of the output's, held through the
    build by the main process and each forked renderer (32,600 paths and hashes at 10,000
    dumps); its differences are what a build needs of it.
    """
    changes: dict[str, str | None] = {
        rel: hashed for rel, hashed in files.items() if base.get(rel) != hashed
    }
    changes.update(dict.fromkeys(sorted(base.keys() - files.keys())))  # None: no such file
    return SpareFiles(base, changes)


@dataclass(frozen=True, slots=True)
class SpareRecord:
    """What the spare tree holds, while its marker has the identity recorded."""

    marker: tuple[int, int, int]
    files: SpareFiles


def spare_folder(output: Path) -> Path:
    """Where the spare tree of ``output`` is kept."""
    return output.with_name(f"{output.name}{SPARE}")


def take_spare(
    output: Path,
    staging: Path,
    output_files: Mapping[str, str],
    known: SpareRecord | None = None,
) -> SpareFiles:
    """Reuse the spare tree as this build's staging folder; what it holds.

    Only a spare that carries our marker is used; without one there is nothing to reuse
    and a fresh staging folder is made. A folder we did not make is never touched.
    ``known`` is this process's record of the spare, used instead of reading its marker
    when the marker's inode, size and time match. A spare read from its marker is kept
    as its differences from ``output_files`` (the output's record).
    """
    spare = spare_folder(output)
    try:
        stat = (spare / MARKER).stat()
    except OSError:
        staging.mkdir()
        return NO_SPARE
    if known is not None and known.marker == (stat.st_ino, stat.st_size, stat.st_mtime_ns):
        holds = known.files
    else:
        holds = differing(read_manifest(spare), output_files)
    spare.rename(staging)
    (staging / MARKER).unlink()
    return holds


def link_unchanged(old: Path, new: Path, size: int) -> bool:
    """Hard-link a file from the previous build, if it has this ``size``."""
    try:
        if old.stat().st_size != size:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def safe_target(staging: Path, rel: str) -> Path:
    """The staging path of an output file, refusing anything that would leave the folder."""
    return staging / safe_rel(rel)


def safe_rel(rel: str) -> str:
    """An output file's path inside the output folder, normalised; refused (OutputError) if
    it would leave the folder.

    The check is on the path's text (``resolve()`` cost 1.6 s per 1,000 dumps): the
    staging folder is new and holds only what this build made, so no link in it can lead
    elsewhere.
    """
    clean = posixpath.normpath(rel) if rel else "."
    if clean in (".", "..") or clean.startswith(("/", "../")) or "\0" in clean:
        raise OutputError(Problem(rel, "output path escapes the output folder"))
    return clean


def link_many(output: str, staging: str, rels: Sequence[str]) -> list[str]:
    """Hard-link each file ``rels`` names (checked by ``safe_rel``) from the ``output``
    folder into the ``staging`` one, making folders as needed; the paths that could not be
    linked (a file missing from the output, a stray file in the way, a file system
    without hard links), to be made anew.

    The staging side of a build that reuses no spare tree: each of its unchanged files is
    linked, one tight loop on text paths (with ``Path`` objects and a check per file,
    linking the 32,600 files of 10,000 dumps took 1.2 s).
    """
    made = {""}
    failed = []
    for rel in rels:
        folder = posixpath.dirname(rel)
        if folder not in made:  # os calls on text: a Path per folder cost 15% more
            try:
                os.mkdir(f"{staging}/{folder}")  # noqa: PTH102
            except FileNotFoundError:  # its parent first
                os.makedirs(f"{staging}/{folder}", exist_ok=True)  # noqa: PTH103
            except FileExistsError:  # made by another share's thread
                pass
            made.add(folder)
        try:
            os.link(f"{output}/{rel}", f"{staging}/{rel}")
        except OSError:
            failed.append(rel)
    return failed


def relink_many(output: str, staging: str, rels: Sequence[str]) -> list[str]:
    """Replace the staged copy of each file ``rels`` names (checked by ``safe_rel``) with a
    hard link to the output's; the paths that could not be linked, to be made anew.

    The files are those the reused tree holds in another version: their folders are
    there, and only the file goes (a folder in its way stays, and fails the link).
    One tight loop on text paths, as ``link_many``.
    """
    failed = []
    for rel in rels:
        target = f"{staging}/{rel}"
        with contextlib.suppress(OSError):
            os.unlink(target)  # noqa: PTH108 (text paths: see above)
        try:
            os.link(f"{output}/{rel}", target)
        except OSError:
            failed.append(rel)
    return failed


def update_spare(output: Path, changed: Iterable[str], gone: Iterable[str]) -> bool:
    """Bring the spare tree of ``output`` up to date with it: each file of ``changed`` (which
    the spare holds in another version, or lacks) replaced by a link to the output's, each
    of ``gone`` (which the output no longer has) removed, then the output's marker written
    over the spare's; whether all of it went. Until the marker is replaced, the spare's
    old one is there, by which the next build finds what still differs.

    The caller holds the output's lock.
    """
    remove_stale(spare_folder(output), sorted(gone))
    spare = str(spare_folder(output))
    missed = relink_many(str(output), spare, sorted(map(safe_rel, changed)))
    if link_many(str(output), spare, missed):  # new files, in folders the spare lacks
        return False
    holder = sibling(output, STAGING)  # beside the trees: a leftover is cleared by the next build
    try:
        holder.mkdir()
        (holder / MARKER).write_bytes((output / MARKER).read_bytes())
        (holder / MARKER).replace(Path(spare) / MARKER)
    except OSError:
        return False
    finally:
        shutil.rmtree(holder, ignore_errors=True)
    return True


PARALLEL_LINKS_FROM = 4096
"""Fewer files to link than this are linked by one thread (``link_tree``)."""


def link_tree(source: str, target: str, rels: Iterable[str], workers: int) -> list[str]:
    """``link_many`` over the paths ``rels`` (already checked by ``safe_rel``), shared
    among ``workers`` threads when they are many; the paths that could not be linked.

    Making folders and links is kernel work, done without the interpreter's lock, and
    threads count no copy of this process in the build's peak, as forked processes did.
    On this project's machine (ext4) two threads were about as fast as one at 10,000
    dumps and somewhat faster at 50,000: the kernel serialises much of the work. Each
    thread takes one contiguous share of the sorted paths, so it makes folders of its own.
    """
    ordered = sorted(rels)
    parallel = max(1, workers) if len(ordered) >= PARALLEL_LINKS_FROM else 1
    if parallel == 1:
        return link_many(source, target, ordered)
    cuts = [len(ordered) * k // parallel for k in range(parallel + 1)]
    shares = [ordered[start:end] for start, end in itertools.pairwise(cuts)]
    from concurrent.futures import ThreadPoolExecutor  # here: most builds link few

    with ThreadPoolExecutor(parallel, thread_name_prefix="gleanery-link") as pool:
        missed = list(pool.map(partial(link_many, source, target), shares))
    return [rel for share in missed for rel in share]


def link_spare(output: Path, rels: Iterable[str], workers: int = 1) -> bool:
    """Make the spare tree of ``output`` now, as hard links to the files ``rels`` (those the
    output's marker records) with a copy of that marker, linked by ``workers`` threads;
    whether it was made (nothing is left when a file could not be linked, and nothing is
    made over whatever is already where the spare goes: a rename would replace an empty
    folder that is not ours).

    The caller holds the output's lock and has seen that the output holds exactly
    ``rels``.
    """
    if spare_folder(output).exists():
        return False
    staging = sibling(output, STAGING)
    ordered = sorted(map(safe_rel, rels))
    try:
        staging.mkdir()
        # One file first: where hard links are not supported, give up after one try.
        if link_many(str(output), str(staging), ordered[:1]):
            return False
        if link_tree(str(output), str(staging), ordered[1:], workers):
            return False
        (staging / MARKER).write_bytes((output / MARKER).read_bytes())
        staging.rename(spare_folder(output))
    except OSError:
        return False
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # what is left unless it became the spare
    return True


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directory entries (Linux renameat2); False where unsupported."""
    import ctypes  # here: only a build that swaps needs it

    libc = ctypes.CDLL(None, use_errno=True)  # this process's symbols, the C library's among them
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


def swap_in(staging: Path, output: Path) -> bool:
    """Make the staged tree the output folder; keep the previous build as the spare, and
    say whether it was kept (False when there was none, or it could not be kept).

    Once swapped, the new site is published: a previous build that cannot be kept or
    deleted is left for the next build's clean-up, not reported as a failure. Without an
    atomic exchange the previous build is deleted instead.
    """
    if not output.exists():
        staging.rename(output)
        return False
    if exchange(staging, output):
        try:
            staging.rename(spare_folder(output))
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            return False
        return True
    old = sibling(output, OLD)
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
    return False


def read_marker(output: Path) -> dict[str, object]:
    """What the previous build recorded about itself, or nothing (see ``marker_text``)."""
    try:
        head, _, table = (output / MARKER).read_text(encoding="utf-8").partition("\n")
        data = json.loads(head)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {**data, "table": table} if table else data


def marker_text(record: Mapping[str, object], table: str | None) -> str:
    """A build's marker: its record as one line of JSON, then its file table as it is (the
    table is long and needs no JSON escaping: it holds no line break of its own)."""
    return json.dumps(record, sort_keys=True) + ("\n" + table if table else "")
