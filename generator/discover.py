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
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not is_ignored_name(d))
        for name in dirnames:
            if (here / name).is_symlink():
                rel = (here / name).relative_to(root).as_posix()
                problems.append(Problem(rel, "symlink to a folder is not followed; skipped"))
        for name in sorted(filenames):
            kind = KINDS.get(Path(name).suffix.lower())
            if kind is None or is_ignored_name(name):
                continue
            source = source_file(root, here / name, kind, problems)
            if source is not None:
                found.append(source)
    found.sort(key=lambda s: s.rel)
    return found, problems


def source_file(
    root: Path, path: Path, kind: SourceKind, problems: list[Problem]
) -> SourceFile | None:
    """Describe one file, or record why it is skipped."""
    rel = path.relative_to(root).as_posix()
    try:
        real = path.resolve(strict=True)
        if not real.is_relative_to(root):
            problems.append(Problem(rel, "symlink escapes the content folder; skipped"))
            return None
        stat = real.stat()
    except (OSError, RuntimeError) as err:
        problems.append(Problem(rel, f"cannot be read: {getattr(err, 'strerror', err)}"))
        return None
    parts = rel.split("/")
    source = parts[0] if len(parts) > 1 else ""
    return SourceFile(
        path=path, rel=rel, source=source, kind=kind, mtime_ns=stat.st_mtime_ns, size=stat.st_size
    )
