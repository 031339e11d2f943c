"""A session told which paths changed scans only their folders, and finds what a full scan finds."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from generator.build import changed_folders
from generator.discover import discover
from generator.model import SourceFile


def full_scan(content: Path) -> list[tuple[str, int, int]]:
    return [(s.rel, s.size, s.mtime_ns) for s in discover(content)[0]]


def facts(sources: list[SourceFile]) -> list[tuple[str, int, int]]:
    return [(s.rel, s.size, s.mtime_ns) for s in sources]


FOLDERS = ["", "herald", "herald/2024", "herald/2024/spring", "gazette", ".drafts", "gazette~"]


def change_at_random(content: Path, rng: random.Random, step: int) -> set[Path]:
    """A file written, removed or renamed, or a folder made, removed or renamed; the paths
    a watcher reports."""
    files = sorted(p for p in content.rglob("*") if p.is_file())
    folders = sorted(p for p in content.rglob("*") if p.is_dir())
    kind = rng.choice(["write", "write", "remove", "rename", "mkdir", "rmdir", "mvdir"])
    if kind == "remove" and files:
        victim = rng.choice(files)
        victim.unlink()
        return {victim}
    if kind == "rename" and files:
        victim = rng.choice(files)
        target = rng.choice([*folders, content]) / f"moved-{step}.txt"
        victim.rename(target)
        return {victim, target}
    if kind == "rmdir" and folders:
        victim = rng.choice(folders)
        shutil.rmtree(victim)
        return {victim}
    if kind == "mvdir" and folders:
        victim = rng.choice(folders)
        target = content / f"folder-{step}"
        victim.rename(target)
        return {victim, target}
    folder = content / rng.choice(FOLDERS)
    if kind == "mkdir":
        folder = folder / f"new-{step}"
    folder.mkdir(parents=True, exist_ok=True)
    written = folder / rng.choice([f"story-{step}.txt", "story-1.txt", f"page-{step}.md"])
    written.write_text(f"Story {step}\n\n" + "words " * rng.randrange(5, 50), encoding="utf-8")
    return {folder, written} if kind == "mkdir" else {written}


def test_scanning_only_the_changed_folders_finds_what_a_full_scan_finds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    rng = random.Random(11)
    for step in range(12):
        change_at_random(content, rng, step)
    known: dict[str, SourceFile] = {}
    discover(content, known)
    for step in range(12, 80):
        changed = change_at_random(content, rng, step)
        only = changed_folders({path.resolve() for path in changed}, content)
        found, problems = discover(content, known, only)
        assert not problems
        assert facts(found) == full_scan(content), f"step {step}: {changed}"


def test_a_change_outside_the_content_folder_scans_nothing_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "herald").mkdir(parents=True)
    (content / "herald" / "story.txt").write_text("Story\n\nText.\n", encoding="utf-8")
    known: dict[str, SourceFile] = {}
    first, _ = discover(content, known)
    (content / "herald" / "later.txt").write_text("Later\n\nText.\n", encoding="utf-8")
    only = changed_folders({(tmp_path / "config.toml").resolve()}, content)
    assert only == set()
    again, _ = discover(content, known, only)
    assert again == first, "nothing under content was reported, so the known files stand"
    assert len(discover(content, known, {"herald"})[0]) == 2
