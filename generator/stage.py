"""Staging one build: a complete new tree beside the output, filled file by file from a plan.

Files whose key is unchanged are kept or linked from the current output without rendering;
the others are rendered (on every core for one-shot builds) and written; then the tree is
recorded and swapped in at once (see ``write`` for the swap and the spare tree).
"""

from __future__ import annotations

import contextlib
import posixpath
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from functools import partial
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from generator.errors import OutputError, Problem, problems_as_data
from generator.forked import map_forked
from generator.write import (
    MARKER,
    NO_SPARE,
    STAGING,
    OutputLock,
    SpareFiles,
    SpareRecord,
    WriteFile,
    digest,
    file_table,
    link_spare,
    link_tree,
    link_unchanged,
    marker_text,
    read_marker,
    recorded_files,
    relink_many,
    remove_leftovers,
    remove_stale,
    safe_rel,
    safe_target,
    same_file,
    sibling,
    spare_folder,
    swap_in,
    take_spare,
    update_spare,
    write_file,
)


class Planned(NamedTuple):
    """One output file before rendering: where it goes, what decides its bytes, how to make it.

    ``key`` is a hash of every input of the file (template set, configuration, code and
    the page's context); two builds that give a file the same key give it the same bytes,
    so a file whose key is unchanged is never rendered again. (A named tuple: a plan has a
    few files per article, and a frozen dataclass took three times as long to make.)
    """

    path: str
    key: str
    make: Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """What a build of this process staged, so that its next build need not read it back."""

    marker: tuple[int, int, int]
    """Inode, size and time of the marker it wrote: the record holds while they do."""
    files: dict[str, str]
    keys: dict[str, str]
    inputs: str | None = None
    """The fingerprint of the inputs it recorded (None when it had failing inputs)."""

    def as_spare(self) -> SpareRecord:
        """The record of this build's tree once it is the spare (known by its own files)."""
        return SpareRecord(self.marker, SpareFiles({}, self.files))


def spare_ahead(output: Path, record: BuildRecord) -> BuildRecord | None:
    """Make the spare tree the next build would otherwise make first (the output's files,
    linked), so that it only brings the files it changes up to date; the spare's record.

    Nothing is made (None) while a build of ``output`` runs, once the output is no longer
    the build ``record`` describes, when something is already where the spare goes, or
    where files cannot be hard-linked.
    """
    lock = OutputLock(output)
    try:
        if not lock.acquire(wait=False):
            return None
    except OSError:  # the output's folder is gone
        return None
    try:
        spare = spare_folder(output)
        if marker_identity(output) != record.marker:
            return None
        identity = marker_identity(spare) if link_spare(output, record.files) else None
    finally:
        lock.release()
    return replace(record, marker=identity) if identity is not None else None


def marker_identity(folder: Path) -> tuple[int, int, int] | None:
    """Inode, size and modification time of a folder's marker, if it has one."""
    try:
        stat = (folder / MARKER).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True, slots=True)
class Recorded:
    """An output's marker as read, with the identity its file had just before."""

    identity: tuple[int, int, int] | None
    marker: Mapping[str, object]


PARALLEL_FROM = 64
"""Fewer files to render than this are rendered here: forking would cost more. Forking a
copy and collecting its hashes took about 7 ms with a 100 MB heap (the touch-up of a
10,000-dump archive), and a page takes 0.4-0.7 ms to render, a text or Markdown copy
0.05 ms: from about 30 pages the second core pays. A dump added among older ones at
10,000 dumps renders about 250 files, which 256 had left to one core."""


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
        records: tuple[BuildRecord | None, SpareRecord | None] = (None, None),
        spare_threads: int = 0,
    ) -> None:
        self.output = output.resolve()
        self.lock = OutputLock(self.output)
        self.guard = guard
        """Held around the swap (the dev server holds requests meanwhile)."""
        self.records = records
        """This process's records of the builds now in the output and in the spare tree,
        when it made them (each is checked against the marker on disk before use)."""
        self.folder = sibling(self.output, STAGING)
        self.write = write
        self.previous: dict[str, str] = {}
        self.previous_keys: dict[str, str] = {}
        self.previous_marker: tuple[int, int, int] | None = None
        """The identity of the output's marker: once this build is swapped in, of the spare
        tree's."""
        self.record: BuildRecord | None = None
        """What this build staged, once finished."""
        self.spare = NO_SPARE
        """What the reused tree holds; what this build does not stage of it is stale."""
        self.restaged: list[str] = []
        """The files staged other than as the output holds them (rendered or linked)."""
        self.files: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.made: set[str] = set()
        """Folders (relative) this process knows exist in the staging tree."""
        self.rendered = 0
        """Files rendered in this build (the others were known by their keys)."""
        self.spare_threads = spare_threads
        """Threads that link a spare tree when this build goes into a new folder; any
        marks a one-shot build, which also brings the spare it keeps up to date (0: a
        session's build, which leaves both to its next; see ``finish``)."""
        self.spare_left: tuple[tuple[int, int, int], dict[str, str | None]] | None = None
        """Once swapped in: the identity of the spare tree's marker and how the spare
        differs from this build (path -> the spare's hash, None where it has no file)."""

    def __enter__(self) -> Stage:
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.lock.acquire()
            remove_leftovers(self.output)
            self.recall_previous()
            self.spare = take_spare(self.output, self.folder, self.previous, self.records[1])
        except BaseException as err:
            self.__exit__(type(err), err, None)
            raise
        return self

    def recall_previous(self) -> None:
        """What the output holds: from this process's record when it made it, else from
        its marker."""
        last = self.records[0]
        self.previous_marker = marker_identity(self.output)
        if last is not None and self.previous_marker == last.marker:
            self.previous, self.previous_keys = last.files, last.keys
        else:
            self.previous, self.previous_keys = recorded_files(read_marker(self.output))

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
        planned = list(planned)
        paths = [item.path for item in planned]
        self.files.update(dict.fromkeys(paths, ""))  # the record lists files in plan order
        self.keys.update(dict.fromkeys(paths, ""))
        todo: list[Planned] = []  # what the spare tree holds there is looked up as rendered
        linked: list[Planned] = []  # unchanged, and the reused tree has no copy
        replaced: list[Planned] = []  # unchanged, and the reused tree has another copy
        for item in self.not_kept_as_is(planned):
            # The output's copy is the file when its key is unchanged (its bytes are known).
            if self.previous_keys.get(item.path) != item.key or item.path not in self.previous:
                todo.append(item)
            elif self.spare.held(item.path) is None:
                linked.append(item)
            else:
                replaced.append(item)
        failed = self.link_from_output({item.path: item.key for item in linked}, workers)
        failed |= self.link_from_output({item.path: item.key for item in replaced}, replace=True)
        todo.extend(item for item in (*linked, *replaced) if item.path in failed)
        parallel = workers if len(todo) >= PARALLEL_FROM else 1
        if parallel > 1:  # each forked child then writes into folders of its own
            todo.sort(key=attrgetter("path"))
        hashes = map_forked(self.render, todo, parallel)
        for item, hashed in zip(todo, hashes, strict=True):
            self.keep(item.path, item.key, hashed)
        self.rendered += len(todo)

    def link_from_output(
        self, keyed: Mapping[str, str], workers: int = 1, *, replace: bool = False
    ) -> set[str]:
        """Stage the output's copies of the files ``keyed`` names (path -> key; unchanged
        files) as links (``write.link_many``); the paths that could not be linked, to be
        made anew.

        When they are many, ``workers`` threads share them (``write.link_tree``). With
        ``replace``, the reused tree holds another copy of each, which goes first
        (``write.relink_many``). After a build that changed every page, that is most of
        the site: handled one at a time (a ``Path``, a folder made and a file removed
        each), they made the first edit after it take 0.75 s at 10,000 dumps, against
        0.62 s.
        """
        if not keyed:
            return set()
        checked = {safe_rel(rel): rel for rel in keyed}
        if replace:
            missed = relink_many(str(self.output), str(self.folder), sorted(checked))
        else:
            missed = link_tree(str(self.output), str(self.folder), checked, workers)
        failed = {checked[rel] for rel in missed}
        for rel, key in keyed.items():
            if rel not in failed:
                self.keep(rel, key, self.previous[rel])
        return failed

    def add_as_recorded(
        self,
        paths: Sequence[str],
        planned: Mapping[str, Planned],
        missing: Callable[[str], bytes],
        workers: int = 1,
    ) -> None:
        """Stage ``paths`` (in order) as the output recorded them, except the files in
        ``planned``, planned anew: a plan that is mostly the last build's, without an
        entry made for each file it keeps. A file to keep that neither tree holds as
        recorded is made by ``missing`` (given its path).

        When the spare tree is known by its differences from the output, only the files
        planned or differing are looked at one by one: the others are the output's own.
        """
        self.files.update(dict.fromkeys(paths, ""))  # the record lists files in plan order
        self.keys.update(dict.fromkeys(paths, ""))
        previous, recorded, spare = self.previous, self.previous_keys, self.spare
        files, keys = self.files, self.keys
        rest: Sequence[str] = paths
        if spare.base is previous:
            odd = set(planned).union(spare.differences)
            own = [rel for rel in paths if rel not in odd and rel in previous]
            files.update(zip(own, map(previous.__getitem__, own), strict=True))
            keys.update(zip(own, map(recorded.__getitem__, own), strict=True))
            rest = [rel for rel in paths if rel in odd or rel not in previous]

        def made_anew(rel: str) -> Planned:
            return Planned(rel, recorded[rel], partial(missing, rel))

        todo = []
        linked = []  # kept files the reused tree lacks: linked from the output
        for rel in rest:
            item = planned.get(rel)
            if item is None:
                known = previous.get(rel)
                if known is not None:
                    held = spare.held(rel)
                    if held == known:
                        files[rel], keys[rel] = known, recorded[rel]
                        continue
                    if held is None:
                        linked.append(rel)
                        continue
                item = made_anew(rel)
            todo.append(item)
        failed = self.link_from_output({rel: recorded[rel] for rel in linked}, workers)
        todo.extend(made_anew(rel) for rel in linked if rel in failed)
        self.add(todo, workers)

    def add_recorded_plan(
        self,
        count: int,
        planned: Mapping[str, Planned],
        missing: Callable[[str], bytes],
        workers: int = 1,
    ) -> None:
        """``add_as_recorded`` for the first ``count`` files the output recorded (the
        files its build planned, before the search bundle's), as the first files staged
        (by up to ``workers`` processes, as ``add``).

        With the spare tree known by its differences from the output, the record is
        copied whole and only the planned and differing files are looked at: at 10,000
        dumps this takes 3 ms where staging the 32,000 paths one by one took 25 ms.
        """
        previous, recorded = self.previous, self.previous_keys
        if self.files or self.spare.base is not previous:
            self.add_as_recorded(list(islice(previous, count)), planned, missing, workers)
            return
        whole = count == len(previous)
        self.files = dict(previous) if whole else dict(islice(previous.items(), count))
        self.keys = dict(recorded) if whole else dict(islice(recorded.items(), count))
        differing = [
            rel for rel in self.spare.differences if rel in self.files and rel not in planned
        ]
        self.add_as_recorded([*planned, *differing], planned, missing, workers)

    def output_bytes(self, rel: str) -> bytes:
        """A file of the current output (for one kept as it is there that can be neither
        kept from the spare tree nor linked)."""
        return (self.output / rel).read_bytes()

    def make_folder(self, rel: str, target: Path) -> None:
        """Make the staging folder of the file ``rel`` (staged at ``target``) unless this
        process knows it is there.

        Files to render get theirs as they are rendered, so that forked processes make
        their shares' folders side by side: made here before forking, the 10,000 folders
        of a new output took 0.35-0.45 s in this process alone.
        """
        folder = posixpath.dirname(rel)
        if folder not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def render(self, item: Planned) -> str:
        """Render one file into the staging tree; the hash of its bytes. (Only the hash:
        a forked renderer sends its results back, and the main process, which has every
        path and key already, held a copy of each it was sent until the build ended.)

        Its staging path, and what the reused tree holds there, are worked out here, not
        kept from planning: a Path a file, made before forking, took 8 MB of the main
        process at 10,000 dumps, and an object pairing each file with the reused tree's
        hash 1.6 MB, which every rendering process copied."""
        rel = item.path
        target = safe_target(self.folder, rel)
        data = item.make()
        hashed = digest(data)
        self.make_folder(rel, target)
        if not self.reuse(rel, target, hashed, data, self.spare.held(rel)):
            self.write(target, data)
        return hashed

    def not_kept_as_is(self, planned: list[Planned]) -> list[Planned]:
        """The planned files, less those kept as the reused tree holds them: unchanged key,
        and the same bytes as the output's copy. The common case of a rebuild, in one tight
        loop of lookups (set operations on the records' items are slower: they build a
        tuple per file).

        Such a copy is always the output's own file (one inode): a build writes a file only
        when its bytes differ from the reused tree's copy, and links every other file from
        the output unless the reused copy is that file already; so after a swap, the spare
        tree and the output differ in bytes wherever they differ in inode.
        """
        previous, keys, files, held = self.previous, self.previous_keys, self.files, self.spare.held
        left = []
        for item in planned:
            rel = item.path
            known = previous.get(rel)
            if known is not None and keys.get(rel) == item.key and held(rel) == known:
                files[rel] = known
                self.keys[rel] = item.key
            else:
                left.append(item)
        return left

    def add_data(self, files: Iterable[tuple[str, bytes]]) -> None:
        """Stage files whose bytes are already made (keyed by their hash)."""
        self.add(Planned(path, digest(data), partial(bytes, data)) for path, data in files)

    def keep(self, rel: str, key: str, hashed: str) -> None:
        self.files[rel], self.keys[rel] = hashed, key
        self.restaged.append(rel)

    def reuse(self, rel: str, target: Path, hashed: str, data: bytes, held: str | None) -> bool:
        """Whether the staged file now holds ``data`` (hashing to ``hashed``), without
        writing.

        The spare tree's copy stays when it is the output's own file (one inode) or when
        the output's copy is different; otherwise the output's copy is linked, which keeps
        the modification time of files that did not change. ``held`` is the hash of the
        reused tree's copy, if it has one.
        """
        unchanged = self.previous.get(rel) == hashed
        if held == hashed and (not unchanged or same_file(self.output / rel, target)):
            return True
        if held is not None:  # the reused tree's copy goes (a stray file fails the link)
            target.unlink(missing_ok=True)
        if not unchanged:
            return False
        return link_unchanged(self.output / rel, target, len(data))

    def spare_changes(self) -> dict[str, str | None]:
        """How the tree this build replaces (the next spare tree) differs from what it
        staged: path -> that tree's hash (None where it had no such file). Only the files
        staged other than as that tree holds them can differ, or the files it lacks."""
        previous, files = self.previous, self.files
        changes: dict[str, str | None] = {
            rel: previous.get(rel) for rel in self.restaged if previous.get(rel) != files[rel]
        }
        changes.update((rel, previous[rel]) for rel in sorted(previous.keys() - files.keys()))
        return changes

    def finish_site(
        self,
        indexed: Sequence[tuple[str, str]],
        *,
        search: bool,
        language: str,
        warnings: Sequence[Problem],
        summary: Mapping[str, object],
        inputs: str | None,
    ) -> tuple[Problem, ...]:
        """Add the search bundle of the ``indexed`` pages (when ``search`` is on), record
        the build (``summary`` with the file count and every warning, and the fingerprint
        of its ``inputs``) and swap it in; every warning, the search step's included."""
        from generator.search import with_search  # here: a build with nothing to do skips it

        found, problems = with_search(
            self.folder,
            indexed,
            enabled=search,
            language=language,
            previous=self.output,
            recorded=self.previous_keys.keys(),
        )
        self.add_data(found.files)
        self.add_as_recorded(found.kept, {}, self.output_bytes)
        every = (*warnings, *problems)
        record = {**summary, "files": len(self.files), "warnings": problems_as_data(every)}
        self.finish({"inputs": inputs, "summary": record})
        return every

    def finish(self, notes: Mapping[str, object] | None = None) -> None:
        """Remove what the reused tree had beyond this build, record the build, swap it in."""
        files = self.files
        remove_stale(self.folder, self.spare.left_over(files))
        table = file_table(files, self.keys)
        record = {**(notes or {}), "generator": "gleanery"}
        self.write(self.folder / MARKER, marker_text(record, table).encode("utf-8"))
        identity = marker_identity(self.folder)  # a folder's rename keeps its files' own
        if identity is not None and table is not None:
            inputs = (notes or {}).get("inputs")
            fingerprint = inputs if isinstance(inputs, str) else None
            self.record = BuildRecord(identity, files, self.keys, fingerprint)
        with self.guard():
            kept = swap_in(self.folder, self.output)
        if not kept:  # the output folder was new, or the previous build was deleted
            if self.spare_threads and table is not None:
                self.link_spare()
            return
        changes = self.spare_changes()  # the tree this build replaced is the spare now
        if self.spare_threads and changes and table is not None:
            self.update_spare(changes)
        else:
            marker = self.previous_marker
            self.spare_left = (marker, changes) if marker is not None else None

    def update_spare(self, changes: Mapping[str, str | None]) -> None:
        """Bring the spare tree (the tree this one-shot build replaced) up to date with the
        output now, rather than leave it to the next build.

        After a build that rendered most pages again (a new theme, setting or version),
        the spare holds the only copy left of each stale page. The next build, typically
        a one-dump edit, deleted them as it brought the spare up to date: 12,400 files and
        1.0-1.7 s at 10,000 dumps after a new site title, in what should be a touch-up.
        The work is the same here, in a build that is slow already. A session's next build
        still does it (``spare_left``).
        """
        files = self.files
        changed = [rel for rel in changes if rel in files]
        gone = [rel for rel in changes if rel not in files]
        if update_spare(self.output, changed, gone):
            identity = marker_identity(spare_folder(self.output))
            self.spare_left = (identity, {}) if identity is not None else None
        else:  # the next build reads what the spare holds from its marker
            self.spare_left = None

    def link_spare(self) -> None:
        """Link a spare tree of the output this build just made, when no previous build
        was kept as one (the output folder was new, or the previous build was deleted).

        Without one, the next build (typically a touch-up after one dump was edited) would
        link the whole site into its staging tree first: 0.4 s of its time at 10,000
        dumps. Made here, with the folders and links shared among threads, it costs the
        full build about as much, once, and every build after it finds a spare to bring
        up to date. Where hard links fail nothing is left, and the next build links anew;
        a folder already where the spare goes (not ours: the build would have reused it)
        is left alone.
        """
        if link_spare(self.output, self.files, self.spare_threads):
            identity = marker_identity(spare_folder(self.output))
            self.spare_left = (identity, {}) if identity is not None else None
