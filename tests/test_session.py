"""Rebuilds read and render again only what changed, in a session and from the command line."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build import BuildSession, build
from generator.config import load_config
from tests.conftest import SiteMaker, distinct_article, tree_digest


def six_stories(make_site: SiteMaker) -> Path:
    files: dict[str, str | bytes] = {
        f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(6)
    }
    return make_site(files)


REVISED = "day 330 of the survey"
"""A sentence only the revised story 3 has."""


def revise_story_3(root: Path) -> None:
    """Rewrite one dump, keeping its time (its archived date, so the order stays)."""
    edited = root / "content" / "herald" / "story-3.txt"
    stat = edited.stat()
    edited.write_text(distinct_article("Story 3", 33), encoding="utf-8")
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_session_rebuild_matches_a_fresh_build_and_renders_less(make_site: SiteMaker) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    first = build(config, session=session)
    assert first.rendered == first.files
    assert len(session.reads) == 6
    revise_story_3(root)
    second = build(config, session=session)
    assert 0 < second.rendered < first.files // 2, "only the pages showing story 3 are rendered"
    assert REVISED in (root / "output" / "herald" / "story-3" / "index.html").read_text(
        encoding="utf-8"
    )
    remembered = tree_digest(root / "output")
    build(config, force=True)
    assert tree_digest(root / "output") == remembered


def test_session_rebuilds_keep_untouched_files_and_match_fresh_builds(
    make_site: SiteMaker,
) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    untouched = root / "output" / "herald" / "story-0" / "index.txt"
    before = untouched.stat()
    for number in (33, 34, 35):
        edited = root / "content" / "herald" / "story-3.txt"
        stat = edited.stat()
        edited.write_text(distinct_article("Story 3", number), encoding="utf-8")
        os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        build(config, session=session)
        after = untouched.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    remembered = tree_digest(root / "output")
    for folder in root.glob("output*"):
        shutil.rmtree(folder)
    build(config)
    assert tree_digest(root / "output") == remembered


def test_a_command_line_rebuild_renders_only_what_the_change_touches(
    make_site: SiteMaker,
) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    first = build(config)
    untouched = root / "output" / "herald" / "story-0" / "index.txt"
    before = untouched.stat()
    revise_story_3(root)
    second = build(config)
    assert 0 < second.rendered < first.files // 2
    after = untouched.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert REVISED in (root / "output" / "herald" / "story-3" / "index.txt").read_text(
        encoding="utf-8"
    )


def test_a_config_change_renders_every_page(make_site: SiteMaker) -> None:
    root = make_site({"herald/a.txt": distinct_article("Story", 1)})
    session = BuildSession()
    build(load_config(root / "config.toml"), session=session)
    (root / "config.toml").write_text('title = "Renamed"\nsearch = false\n', encoding="utf-8")
    report = build(load_config(root / "config.toml"), session=session)
    pages = list((root / "output").rglob("*.html"))
    assert report.rendered >= len(pages), "every page is rendered again"
    assert all("Renamed" in page.read_text(encoding="utf-8") for page in pages)


def test_a_lost_output_file_is_rendered_again(make_site: SiteMaker) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    build(config)
    page = root / "output" / "herald" / "story-1" / "index.html"
    expected = page.read_bytes()
    page.unlink()
    revise_story_3(root)
    build(config)
    assert page.read_bytes() == expected


def test_a_session_holds_its_guard_only_around_the_swap(make_site: SiteMaker) -> None:
    root = six_stories(make_site)
    output = root / "output"
    seen: list[str] = []

    @contextmanager
    def guard() -> Iterator[None]:
        seen.append("staged" if any(output.parent.glob("output.staging-*")) else "no staging")
        yield
        seen.append("swapped" if (output / "herald" / "story-3").is_dir() else "not swapped")

    build(load_config(root / "config.toml"), session=BuildSession(swap_guard=guard))
    assert seen == ["staged", "swapped"]
