"""Find the input files under the content folder in a sorted, deterministic order."""

from __future__ import annotations

import os
import sys
from collections.abc import Set
from pathlib import Path

from generator.errors import Problem
from generator.model import SourceFile, SourceKind

KINDS: dict[str, SourceKind] = {".txt": "dump", ".md": "markdown"}


def kind_of(name: str) -> SourceKind | None:
    """The kind of input a file of this name (or path) is, by its extension; None when it
    is no input."""
    dot = name.rfind(".")
    return KINDS.get(name[dot:].lower()) if dot >= 0 else None


def source_folder(rel: str) -> str:
    """The source an input belongs to: the top folder of its path ("" at the top)."""
    folder, slash, _ = rel.partition("/")
    return folder if slash else ""


def is_ignored_name(name: str) -> bool:
    """Hidden files, editor backups and lock files are never content."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", "#"))


def discover(
    content_dir: Path, known: dict[str, SourceFile] | None = None, only: Set[str] | None = None
) -> tuple[list[SourceFile], list[Problem]]:
    """Every dump and page under ``content_dir``, sorted by relative path.

    Symlinks are followed only when they stay inside the content folder; the others,
    and loops, are reported as problems and skipped. ``known`` holds the files of an
    earlier call (a session's): a file whose size and time are unchanged comes back as
    the same object, and ``known`` is updated to this call's files.

    ``only`` names the folders (relative paths) where something changed since that call:
    they are scanned again and ``known`` stands for the rest. Only for a ``known`` made by
    a call that found no problem; the top folder ("") means everything.
    """
    earlier = known if known is not None else {}
    root = content_dir.resolve()
    problems: list[Problem] = []
    folders = outermost(only) if only is not None and known and "" not in only else None
    if folders is None:
        found = scanned(root, [(root, "")], earlier, problems)
    else:
        starts = [(root / folder, f"{folder}/") for folder in folders]
        inside = tuple(prefix for _, prefix in starts)
        kept = [source for rel, source in earlier.items() if not rel.startswith(inside)]
        here = [(path, prefix) for path, prefix in starts if is_plain_folder(path)]
        found = kept + scanned(root, here, earlier, problems)
    found.sort(key=lambda s: s.rel)
    if known is not None:
        known.clear()
        known.update((source.rel, source) for source in found)
    return found, sorted(problems, key=lambda p: p.path)


def outermost(folders: Set[str]) -> list[str]:
    """The folders not inside another of them, less those a scan never enters (hidden
    or editor names), sorted."""
    result: list[str] = []
    for folder in sorted(folders):
        if any(is_ignored_name(part) for part in folder.split("/")):
            continue
        if not any(folder.startswith(f"{outer}/") for outer in result):
            result.append(folder)
    return result


def is_plain_folder(path: Path) -> bool:
    """A folder that is not a symlink (those are never followed)."""
    return path.is_dir() and not path.is_symlink()


def scanned(
    root: Path,
    pending: list[tuple[Path, str]],
    earlier: dict[str, SourceFile],
    problems: list[Problem],
) -> list[SourceFile]:
    """The files under each pending (folder, relative prefix), in no particular order."""
    found: list[SourceFile] = []
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            listed = list(entries)  # in no order: the caller sorts what it found
        for entry in listed:
            name = entry.name
            if is_ignored_name(name):
                continue
            rel = f"{prefix}{name}"
            if entry.is_dir(follow_symlinks=False):
                pending.append((folder / name, f"{rel}/"))
            elif entry.is_symlink() and links_to_folder(entry):
                problems.append(Problem(rel, "symlink to a folder is not followed; skipped"))
            else:
                kind = kind_of(name)
                if not kind:
                    continue
                source = source_file(root, entry, rel, kind, earlier, problems)
                if source is not None:
                    found.append(source)
    return found


def links_to_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a symlink leads to a folder (a broken or looping link does not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def source_file(
    root: Path,
    entry: os.DirEntry[str],
    rel: str,
    kind: SourceKind,
    earlier: dict[str, SourceFile],
    problems: list[Problem],
) -> SourceFile | None:
    """Describe the file ``entry`` of the content folder ``root`` (the ``earlier`` object
    when its kind, size and time are the same), or record why it is skipped."""
    try:
        symlink = entry.is_symlink()
        if symlink:
            real = Path(entry.path).resolve(strict=True)
            if not real.is_relative_to(root):
                problems.append(Problem(rel, "symlink escapes the content folder; skipped"))
                return None
        stat = entry.stat()
    except (OSError, RuntimeError) as err:
        problems.append(Problem(rel, f"cannot be read: {getattr(err, 'strerror', err)}"))
        return None
    known = earlier.get(rel) if earlier else None
    if (
        known is not None
        and not symlink
        and (known.kind, known.size, known.mtime_ns) == (kind, stat.st_size, stat.st_mtime_ns)
    ):
        return known
    source = sys.intern(source_folder(rel))  # one copy for all the folder's files
    return SourceFile(entry.path, rel, source, kind, stat.st_mtime_ns, stat.st_size)
