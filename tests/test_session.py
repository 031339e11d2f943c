"""Rebuilds read and render again only what changed, in a session and from the command line."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.build import SCOPED_SCAN, build
from generator.config import load_config
from generator.session import BuildSession
from generator.write import MARKER, OutputLock
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


def test_a_session_keeps_the_views_and_plan_of_unchanged_articles(make_site: SiteMaker) -> None:
    """A session's renderer keeps what its next build looks up (a one-shot build's keeps
    nothing): the full view and the plan entries of an article whose inputs did not
    change are the very objects of the build before."""
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    memo = session.render_memo
    assert memo is not None and len(memo.full) == len(memo.articles) == 6
    views = {url: entry[1] for url, entry in memo.full.items()}
    units = dict(memo.articles)
    revise_story_3(root)
    build(config, session=session)
    kept = [url for url in views if memo.full[url][1] is views[url]]
    planned = [url for url in units if memo.articles[url] is units[url]]
    assert "herald/story-3/" not in kept and 0 < len(kept) < 6
    assert set(planned) <= set(kept) and planned


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


def files_of(tree: Path) -> dict[str, int]:
    """Every file of a built tree (path -> inode)."""
    return {p.relative_to(tree).as_posix(): p.stat().st_ino for p in tree.rglob("*") if p.is_file()}


def count_links(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The targets of every hard link made from now on."""
    made: list[str] = []
    link = os.link

    def counted(source: str, target: str) -> None:
        made.append(str(target))
        link(source, target)

    monkeypatch.setattr(os, "link", counted)
    return made


def test_a_spare_made_ahead_spares_the_first_edit_the_linking(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session's first build into a new folder leaves no spare tree; made while the user
    has not edited, it is the output's files linked (one inode each) with a copy of its
    marker, and the first rebuild then links nothing (without it, every unchanged file)."""
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    output, spare = root / "output", root / "output.spare"
    assert not spare.exists()
    session.make_spare_ahead()
    live, kept = files_of(output), files_of(spare)
    assert kept.keys() == live.keys()
    assert all(kept[rel] == inode for rel, inode in live.items() if rel != MARKER)
    assert (spare / MARKER).read_bytes() == (output / MARKER).read_bytes()
    assert not list(root.glob("output.staging-*"))
    linked = count_links(monkeypatch)
    revise_story_3(root)
    edited = build(config, session=session)
    assert 0 < edited.rendered < edited.files // 2
    assert linked == []
    monkeypatch.undo()
    remembered = tree_digest(output)
    build(config, force=True)
    assert tree_digest(output) == remembered


def test_no_spare_is_made_ahead_beside_a_build_or_over_what_is_there(make_site: SiteMaker) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    output, spare = root / "output", root / "output.spare"
    before = session.staged
    lock = OutputLock(output)
    assert lock.acquire(wait=False)
    try:
        session.make_spare_ahead()  # a build of this output is running
    finally:
        lock.release()
    assert not spare.exists() and session.staged == before
    spare.mkdir()  # not ours, even empty
    session.make_spare_ahead()
    assert not any(spare.iterdir()) and session.staged == before
    spare.rmdir()
    (output / MARKER).write_bytes((output / MARKER).read_bytes())  # another build's marker
    session.make_spare_ahead()
    assert not spare.exists() and session.staged == before


def test_a_spare_that_cannot_be_linked_whole_is_not_made(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    before = session.staged
    link = os.link

    def no_link_for_story_4(source: str, target: str) -> None:
        if "story-4" in str(target):
            raise OSError(1, "Operation not permitted", target)
        link(source, target)

    monkeypatch.setattr(os, "link", no_link_for_story_4)
    session.make_spare_ahead()
    assert not (root / "output.spare").exists() and not list(root.glob("output.staging-*"))
    assert session.staged == before
    monkeypatch.undo()
    revise_story_3(root)
    build(config, session=session)
    assert REVISED in (root / "output" / "herald" / "story-3" / "index.html").read_text(
        encoding="utf-8"
    )


CRUFT = "Every story of this paper is checked by two editors before it goes out to readers."
"""A paragraph that, in three or more dumps of a source, is template cruft."""


def tagged(title: str, number: int, tags: list[str], date: str) -> str:
    """A distinct dump with front matter setting its tags and date."""
    names = ", ".join(f'"{tag}"' for tag in tags)
    front = f'+++\ntags = [{names}]\ndate = "{date}"\n+++\n'
    return front + distinct_article(title, number)


def edit_at_random(content: Path, rng: random.Random, step: int) -> set[Path]:
    """One edit of the kinds a user makes: a body, a title, tags, a date, a new, removed,
    renamed or duplicated dump, or template cruft appearing and going; the paths a watcher
    would report."""
    dumps = sorted(content.rglob("*.txt"))
    victim = rng.choice(dumps)
    kind = rng.choice(
        ["body", "title", "tags", "date", "new", "remove", "rename", "copy", "cruft", "uncruft"]
    )
    if kind == "new" or len(dumps) < 4:
        source = rng.choice(["herald", "gazette", ""])
        folder = content / source if source else content
        folder.mkdir(exist_ok=True)
        tags = rng.sample(["rivers", "bridges", "markets"], 2)
        text = tagged(f"New story {step}", 100 + step, tags, f"2024-0{1 + step % 9}-1{step % 9}")
        (folder / f"new-{step}.txt").write_text(text, encoding="utf-8")
        return {folder / f"new-{step}.txt"}
    if kind == "remove":
        victim.unlink()
        return {victim}
    if kind == "rename":
        victim.rename(victim.with_name(f"renamed-{step}.txt"))
        return {victim, victim.with_name(f"renamed-{step}.txt")}
    if kind == "copy":
        shutil.copy2(victim, victim.with_name(f"copy-{step}.txt"))
        return {victim.with_name(f"copy-{step}.txt")}
    text = victim.read_text(encoding="utf-8")
    if kind == "body":
        text = text.replace("said resident", f"said neighbour {step}", 1)
    elif kind == "title":
        text = text.replace("Skip to content\n\n", f"Skip to content\n\nRetitled {step} ", 1)
    elif kind == "tags":
        text = text.replace('tags = ["', f'tags = ["topic {step % 3}", "', 1)
    elif kind == "date":
        text = text.replace('date = "2024-0', 'date = "2023-0', 1)
    elif kind == "cruft":
        text = text.rstrip("\n") + f"\n\n{CRUFT}\n"
    else:
        text = text.replace(f"\n\n{CRUFT}\n", "\n")
    victim.write_text(text, encoding="utf-8")
    return {victim}


def tagged_stories(count: int, cruft_every: int) -> dict[str, str | bytes]:
    """``count`` tagged, dated stories in two sources and the top folder; every
    ``cruft_every``-th ends with the same paragraph (template cruft where a source has
    three)."""
    files: dict[str, str | bytes] = {}
    for n in range(count):
        source = ["herald", "gazette", ""][n % 3]
        name = f"{source}/story-{n}.txt" if source else f"story-{n}.txt"
        tags = [["rivers"], ["bridges", "rivers"], ["markets"]][n % 3]
        text = tagged(f"Story {n}", n, tags, f"2024-0{1 + n % 4}-0{1 + n % 7}")
        files[name] = text + (f"\n{CRUFT}\n" if n % cruft_every == 0 else "")
    return files


def test_a_session_stays_equal_to_fresh_builds_through_every_kind_of_edit(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    root = make_site(tagged_stories(9, cruft_every=3))
    # Pagefind's bundle differs byte for byte between two indexings of the same pages.
    (root / "config.toml").write_text('title = "Herald"\nper_page = 2\nsearch = false\n', "utf-8")
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    rng = random.Random(20261129)
    for step in range(14):
        changed = edit_at_random(root / "content", rng, step)
        # Told what changed, as the watcher does, the session scans only those folders.
        build(config, session=session, changed={path.resolve() for path in changed})
        fresh = tmp_path / f"fresh-{step}"
        shutil.copytree(root / "content", fresh / "content")
        shutil.copy2(root / "config.toml", fresh / "config.toml")
        build(load_config(fresh / "config.toml"), cache=False)
        # The marker records keys, which cover the site's own folder, so it differs.
        (fresh / "output" / MARKER).write_bytes((root / "output" / MARKER).read_bytes())
        assert tree_digest(root / "output") == tree_digest(fresh / "output"), f"step {step}"


def test_a_burst_of_changed_paths_gets_a_full_scan(make_site: SiteMaker) -> None:
    root = six_stories(make_site)
    config = load_config(root / "config.toml")
    session = BuildSession()
    assert build(config, session=session).articles == 6
    herald = (root / "content" / "herald").resolve()
    (root / "content" / "gazette").mkdir()
    (root / "content" / "gazette" / "late.txt").write_text(
        distinct_article("A late story", 60), encoding="utf-8"
    )
    told = {herald / "story-1.txt"}
    assert build(config, session=session, changed=told).articles == 6, "only herald rescanned"
    burst = {herald / f"gone-{n}.txt" for n in range(SCOPED_SCAN + 1)}
    assert build(config, session=session, changed=burst).articles == 7
