"""Find the input files under the content folder in a sorted, deterministic order."""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import Problem
from generator.model import SourceFile, SourceKind

KINDS: dict[str, SourceKind] = {".txt": "dump", ".md": "markdown"}


def is_ignored_name(name: str) -> bool:
    """Hidden files, editor backups and lock files are never content."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", "#"))


def discover(content_dir: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every dump and page under ``content_dir``, sorted by relative path.

    Symlinks are followed only when they stay inside the content folder; the others,
    and loops, are reported as problems and skipped.
    """
    root = content_dir.resolve()
    found: list[SourceFile] = []
    problems: list[Problem] = []
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda entry: entry.name)
        for entry in listed:
            if is_ignored_name(entry.name):
                continue
            rel = f"{prefix}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{rel}/"))
            elif entry.is_symlink() and links_to_folder(entry):
                problems.append(Problem(rel, "symlink to a folder is not followed; skipped"))
            else:
                kind = KINDS.get(Path(entry.name).suffix.lower())
                source = source_file(root, entry, rel, kind, problems) if kind else None
                if source is not None:
                    found.append(source)
    found.sort(key=lambda s: s.rel)
    return found, sorted(problems, key=lambda p: p.path)


def links_to_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a symlink leads to a folder (a broken or looping link does not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def source_file(
    root: Path, entry: os.DirEntry[str], rel: str, kind: SourceKind, problems: list[Problem]
) -> SourceFile | None:
    """Describe one file, or record why it is skipped."""
    try:
        if entry.is_symlink():
            real = Path(entry.path).resolve(strict=True)
            if not real.is_relative_to(root):
                problems.append(Problem(rel, "symlink escapes the content folder; skipped"))
                return None
        stat = entry.stat()
    except (OSError, RuntimeError) as err:
        problems.append(Problem(rel, f"cannot be read: {getattr(err, 'strerror', err)}"))
        return None
    parts = rel.split("/")
    source = parts[0] if len(parts) > 1 else ""
    return SourceFile(
        path=Path(entry.path),
        rel=rel,
        source=source,
        kind=kind,
        mtime_ns=stat.st_mtime_ns,
        size=stat.st_size,
    )
