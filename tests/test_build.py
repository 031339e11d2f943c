"""Whole builds of small temporary sites: what lands in output/, and what never does."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import stage, write
from generator.build import build
from generator.config import load_config
from generator.errors import OutputError
from generator.fingerprint import LIBRARIES, library_versions
from generator.write import MARKER, SpareFiles, differing, write_file
from tests.conftest import ARTICLE_EN, ARTICLE_FR, SiteMaker, distinct_article, tree_digest


def build_at(root: Path) -> Path:
    build(load_config(root / "config.toml"))
    return root / "output"


def html_files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))


def test_builds_one_page_per_dump_and_a_home_page(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR})
    output = build_at(root)
    assert (output / "index.html").is_file()
    assert (output / "herald" / "crane" / "index.html").is_file()
    assert (output / "gazette" / "marche" / "index.html").is_file()
    page = (output / "herald" / "crane" / "index.html").read_text(encoding="utf-8")
    assert "Harbour crane returns after two years of repairs" in page
    assert "Share this article" not in page
    assert "Facebook Twitter Email" not in page


def test_same_title_twice_gives_two_pages(make_site: SiteMaker) -> None:
    same_title = "Harbour crane returns after two years of repairs"
    root = make_site(
        {
            "herald/a1b2c3d4e5f6.txt": distinct_article(same_title, 1),
            "herald/0f9e8d7c6b5a.txt": distinct_article(same_title, 2),
        }
    )
    report = build(load_config(root / "config.toml"))
    assert report.articles == 2
    pages = [p for p in html_files(root / "output") if p.startswith("herald/")]
    assert len(pages) == 2


def test_deleted_dump_disappears_on_next_build(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR})
    build_at(root)
    (root / "content" / "gazette" / "marche.txt").unlink()
    output = build_at(root)
    assert not (output / "gazette").exists()
    assert "marche" not in (output / "index.html").read_text(encoding="utf-8")


def test_same_inputs_give_byte_identical_output(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR})
    first = tree_digest(build_at(root))
    second = tree_digest(build_at(root))
    assert first == second


def test_unchanged_files_keep_their_modification_time(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR})
    output = build_at(root)
    page = output / "herald" / "crane" / "index.html"
    os.utime(page, (1_000_000, 1_000_000))
    build_at(root)
    assert page.stat().st_mtime == 1_000_000


def test_broken_dump_fails_alone_and_the_rest_is_published(make_site: SiteMaker) -> None:
    bad = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    root = make_site({"herald/crane.txt": ARTICLE_EN, "herald/picture.txt": bad})
    report = build(load_config(root / "config.toml"))
    assert report.exit_code() == 1
    assert [p.path for p in report.failed] == ["herald/picture.txt"]
    assert (root / "output" / "herald" / "crane" / "index.html").is_file()


def test_empty_dump_is_skipped_with_a_reason(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "herald/blank.txt": "  \n\n"})
    report = build(load_config(root / "config.toml"))
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1
    assert [p.path for p in report.skipped] == ["herald/blank.txt"]


def test_drafts_are_not_published(make_site: SiteMaker) -> None:
    draft = '+++\ndraft = true\ntitle = "Secret plan"\n+++\n' + ARTICLE_EN
    root = make_site({"herald/crane.txt": ARTICLE_EN, "herald/draft.txt": draft})
    output = build_at(root)
    assert not (output / "herald" / "draft").exists()
    assert "Secret plan" not in (output / "index.html").read_text(encoding="utf-8")


def test_front_matter_overrides_inferred_title(make_site: SiteMaker) -> None:
    text = '+++\ntitle = "A better title"\n+++\n' + ARTICLE_EN
    output = build_at(make_site({"herald/crane.txt": text}))
    page = (output / "herald" / "crane" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page
    assert "A better title" in page


def test_markdown_page_is_rendered_without_raw_html(make_site: SiteMaker) -> None:
    page = '+++\ntitle = "About"\n+++\n# About\n\n<script>x()</script>\n\n[bad](javascript:x)\n'
    output = build_at(make_site({"about.md": page, "herald/crane.txt": ARTICLE_EN}))
    html = (output / "about" / "index.html").read_text(encoding="utf-8")
    assert "<script>x()" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_home_is_paginated_newest_first_with_older_pages_counted_from_the_oldest(
    make_site: SiteMaker,
) -> None:
    files = {
        f"herald/story-{n}.txt": f'+++\ndate = 2024-01-0{n}\ntitle = "Story {n}"\n+++\n'
        + distinct_article(f"Story {n}", n)
        for n in range(1, 8)
    }
    output = build_at(make_site(files))
    first = (output / "index.html").read_text(encoding="utf-8")
    # Three a page: the first page takes the four that do not fill an older page.
    assert first.index("Story 7") < first.index("Story 6") < first.index("Story 4")
    assert "Story 3" not in first and "7 articles" in first
    oldest = (output / "page" / "1" / "index.html").read_text(encoding="utf-8")
    assert oldest.index("Story 3") < oldest.index("Story 2") < oldest.index("Story 1")
    assert 'rel="prev" href="../../index.html"' in oldest and 'rel="next"' not in oldest
    assert "articles</p>" not in oldest  # the count, on the first page alone
    assert not (output / "page" / "2").exists()


def test_refuses_an_output_folder_it_did_not_make(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    (root / "output").mkdir()
    (root / "output" / "precious.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not made by Gleanery"):
        build(load_config(root / "config.toml"))
    assert (root / "output" / "precious.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("output", [".", "content", "content/out", "/"])
def test_refuses_dangerous_output_folders(make_site: SiteMaker, output: str) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config=f'output_dir = "{output}"\n')
    before = tree_digest(root / "content")
    with pytest.raises(OutputError, match="refusing"):
        build(load_config(root / "config.toml"))
    assert tree_digest(root / "content") == before


def test_failed_write_leaves_previous_output_intact(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    output = build_at(root)
    before = tree_digest(output)
    (root / "content" / "herald" / "marche.txt").write_text(ARTICLE_FR, encoding="utf-8")
    calls = []

    def failing_write(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 2:
            raise OSError(28, "No space left on device", str(path))
        path.write_bytes(data)

    with pytest.raises(OutputError, match="No space left on device"):
        build(load_config(root / "config.toml"), write=failing_write)
    assert tree_digest(output) == before
    assert not list(root.glob("output.staging-*"))


def test_leftover_staging_folders_are_removed(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    (root / "output.staging-999").mkdir()
    (root / "output.staging-999" / "half.html").write_text("x", encoding="utf-8")
    build_at(root)
    assert not (root / "output.staging-999").exists()
    assert (root / "output" / MARKER).is_file()


def test_second_build_with_nothing_changed_does_nothing(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR})
    config = load_config(root / "config.toml")
    first = build(config)
    second = build(config)
    assert not first.unchanged
    assert second.unchanged
    assert (second.articles, second.files) == (first.articles, first.files)


def test_a_touched_dump_or_changed_config_builds_again(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    build(load_config(root / "config.toml"))
    os.utime(root / "content" / "herald" / "crane.txt", (1_800_000_000, 1_800_000_000))
    assert not build(load_config(root / "config.toml")).unchanged
    (root / "config.toml").write_text('title = "Renamed"\n', encoding="utf-8")
    assert not build(load_config(root / "config.toml")).unchanged
    assert "Renamed" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_a_build_with_failures_is_never_skipped(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "herald/bad.txt": b"%PDF-1.4\x00"})
    build(load_config(root / "config.toml"))
    again = build(load_config(root / "config.toml"))
    assert not again.unchanged
    assert [p.path for p in again.failed] == ["herald/bad.txt"]


def test_cached_and_uncached_builds_agree(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR})
    config = load_config(root / "config.toml")
    build(config, cache=True)
    warm = tree_digest(root / "output")
    assert list((root / ".gleanery-cache").rglob("*.pickle"))
    build(config, cache=False, force=True)
    assert tree_digest(root / "output") == warm
    build(config, cache=True, force=True)
    assert tree_digest(root / "output") == warm


def test_a_damaged_output_is_rebuilt_even_when_inputs_are_unchanged(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    build_at(root)
    (root / "output" / "index.html").unlink()
    (root / "output.staging-4242").mkdir()
    report = build(load_config(root / "config.toml"))
    assert not report.unchanged
    assert (root / "output" / "index.html").is_file()
    build(load_config(root / "config.toml"))
    assert not (root / "output.staging-4242").exists()


def test_an_unusable_output_folder_is_refused_before_any_reading(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config='output_dir = "blocker/out"\n')
    (root / "blocker").write_text("a file, not a folder", encoding="utf-8")

    def must_not_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("read before the output folder was checked")

    monkeypatch.setattr("generator.build.read_all", must_not_read)
    with pytest.raises(OutputError, match="cannot write the site here"):
        build(load_config(root / "config.toml"))


def test_a_symlinked_folder_is_reported_not_followed(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    (root / "content" / "loop").symlink_to(root / "content")
    report = build(load_config(root / "config.toml"))
    assert [(p.path, p.message) for p in report.failed] == [
        ("loop", "symlink to a folder is not followed; skipped")
    ]
    assert report.articles == 1


def site_bytes(output: Path) -> dict[str, bytes]:
    """Every file of a built site but the marker (it records paths and times)."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def test_the_spare_tree_is_brought_up_to_date_exactly(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {
        f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(5)
    }
    root = make_site(files)
    config = load_config(root / "config.toml")
    build(config)
    build(config, force=True)
    assert (root / "output.spare" / MARKER).is_file(), "the previous build is kept as the spare"
    (root / "content" / "herald" / "story-1.txt").unlink()
    (root / "content" / "herald" / "story-2.txt").write_text(
        distinct_article("Story 2, corrected", 2), encoding="utf-8"
    )
    (root / "content" / "gazette").mkdir()
    (root / "content" / "gazette" / "new.txt").write_text(ARTICLE_FR, encoding="utf-8")
    build(config)
    fresh = root / "fresh"
    build(config, output=fresh, force=True)
    assert site_bytes(root / "output") == site_bytes(fresh)
    assert not (root / "output" / "herald" / "story-1").exists()


def inodes(output: Path) -> dict[str, int]:
    """Every file of a built site but the marker, with its inode."""
    return {
        p.relative_to(output).as_posix(): p.stat().st_ino
        for p in sorted(output.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def retitled_site(make_site: SiteMaker) -> Path:
    """A site built once, then again with a new title (every page changes), a dump removed
    and one added in a folder of its own."""
    files: dict[str, str | bytes] = {
        f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(4)
    }
    root = make_site(files, config='title = "First title"\nsearch = false\n')
    build(load_config(root / "config.toml"))
    (root / "config.toml").write_text('title = "Second title"\nsearch = false\n', encoding="utf-8")
    (root / "content" / "herald" / "story-0.txt").unlink()
    gazette = root / "content" / "gazette"
    gazette.mkdir()
    (gazette / "story-9.txt").write_text(distinct_article("Story 9", 9), encoding="utf-8")
    return root


def test_after_every_page_changed_the_build_brings_the_spare_tree_up_to_date(
    make_site: SiteMaker,
) -> None:
    """After a new title the tree the build replaced holds the only copy left of each
    stale page. A one-shot build links the output's files into it at once (and removes
    what the output no longer has), so the next build, an edit, relinks nothing: every
    file it does not change keeps its inode, and so its time."""
    root = retitled_site(make_site)
    config = load_config(root / "config.toml")
    build(config)
    before = inodes(root / "output")
    assert inodes(root / "output.spare") == before
    assert (root / "output.spare" / MARKER).read_bytes() == (root / "output" / MARKER).read_bytes()
    story = root / "content" / "herald" / "story-3.txt"
    story.write_text(story.read_text("utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert build(config).touched_up
    after = inodes(root / "output")
    kept = [path for path in before if after.get(path) == before[path]]
    assert len(kept) >= 5  # pages the edit does not show on (an article's among them)
    fresh = root / "fresh"
    build(config, output=fresh, force=True)
    assert site_bytes(root / "output") == site_bytes(fresh)
    assert folders(root / "output") == folders(fresh), "no folder the removed dump left"


def folders(output: Path) -> set[str]:
    """Every folder of a built site, relative to it."""
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_dir()}


def test_a_spare_tree_left_half_updated_is_read_from_its_old_marker(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bringing the spare up to date can stop half way (a full disk, a folder in the
    way): the spare keeps its old marker, and the next build, which reuses it, takes
    every file that marker does not describe as different."""
    root = retitled_site(make_site)
    config = load_config(root / "config.toml")
    halves: list[int] = []

    def half_way(output: Path, changed: list[str], gone: list[str]) -> bool:
        halves.append(len(changed))
        write.relink_many(str(output), str(write.spare_folder(output)), sorted(changed)[::2])
        return False

    monkeypatch.setattr(stage, "update_spare", half_way)
    build(config)
    assert halves and halves[0] >= 10
    monkeypatch.undo()
    story = root / "content" / "herald" / "story-3.txt"
    story.write_text(story.read_text("utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert build(config).touched_up
    fresh = root / "fresh"
    build(config, output=fresh, force=True)
    assert site_bytes(root / "output") == site_bytes(fresh)
    assert folders(root / "output") == folders(fresh)


def test_a_reused_tree_is_never_written_into(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({f"herald/s{n}.txt": distinct_article(f"S {n}", n) for n in range(3)})
    config = load_config(root / "config.toml")
    build(config)
    build(config, force=True)
    (root / "content" / "herald" / "s0.txt").write_text(
        distinct_article("S 0 again", 9), encoding="utf-8"
    )
    live = site_bytes(root / "output")

    def fresh_files_only(path: Path, data: bytes) -> None:
        assert not path.exists(), f"{path} would be written in place (it may be the live file)"
        path.write_bytes(data)

    build(config, write=fresh_files_only)
    assert site_bytes(root / "output.spare") == live, "the previous site is intact as the spare"


def test_a_spare_known_by_its_differences_holds_the_output_but_for_them() -> None:
    output = {"a.html": "1", "b.html": "2", "c.html": "3"}
    spare = SpareFiles(output, {"b.html": "old", "c.html": None, "gone.html": "9"})
    assert [spare.held(rel) for rel in ("a.html", "b.html", "c.html", "gone.html", "x")] == [
        "1", "old", None, "9", None,
    ]  # fmt: skip
    staged = {"a.html": "1", "c.html": "3", "new.html": "4"}
    assert spare.left_over(staged) == ["b.html", "gone.html"]
    on_its_own = SpareFiles({}, {"a.html": "1", "b.html": "2"})
    assert on_its_own.left_over(staged) == ["b.html"]


files_strategy = st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from("123"), max_size=8)


@given(spare=files_strategy, output=files_strategy, staged=files_strategy)
def test_a_spare_read_from_its_marker_is_kept_as_its_differences(
    spare: dict[str, str], output: dict[str, str], staged: dict[str, str]
) -> None:
    """A spare tree read whole is kept as how it differs from the output's record: it
    answers as its whole record would, and holds only the paths where the two differ."""
    known = differing(spare, output)
    assert known.base is output
    for rel in {*spare, *output, "z"}:
        assert known.held(rel) == spare.get(rel)
    assert known.left_over(staged) == sorted(spare.keys() - staged.keys())
    assert set(known.differences) == {
        rel for rel in {*spare, *output} if spare.get(rel) != output.get(rel)
    }


def test_a_foreign_spare_folder_is_left_alone(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    (root / "output.spare").mkdir()
    (root / "output.spare" / "mine.txt").write_text("keep me", encoding="utf-8")
    build(load_config(root / "config.toml"))
    build(load_config(root / "config.toml"), force=True)
    assert (root / "output.spare" / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_library_versions_match_importlib_metadata() -> None:
    """The fingerprint reads versions from metadata folder names: the same answers as
    importlib.metadata, and "-" for a library that is not installed."""
    names = [*LIBRARIES, "Jinja2", "no-such-library-for-gleanery"]
    expected = []
    for name in names:
        try:
            expected.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            expected.append((name, "-"))
    assert library_versions(names) == expected
    assert expected[-1] == ("no-such-library-for-gleanery", "-")


def test_write_file_replaces_a_linked_file_without_writing_into_it(tmp_path: Path) -> None:
    live = tmp_path / "live.html"
    live.write_bytes(b"the live output's copy")
    staged = tmp_path / "staged.html"
    os.link(live, staged)  # a staging tree's file may share its inode with the output
    data = bytes(range(256)) * 40_000  # 10 MB, every byte value
    write_file(staged, data)
    assert staged.read_bytes() == data
    assert live.read_bytes() == b"the live output's copy"
    assert not live.samefile(staged)
    write_file(tmp_path / "new.html", b"")
    assert (tmp_path / "new.html").read_bytes() == b""


def test_files_a_bulk_link_cannot_make_are_rendered(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no spare tree to reuse (here: deleted), unchanged files are linked from the
    output in bulk, here by two threads; a file missing from the output cannot be linked,
    and is rendered again rather than lost."""
    monkeypatch.setattr(write, "PARALLEL_LINKS_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    files = {f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(6)}
    root = make_site(files)
    config = load_config(root / "config.toml")
    build(config)
    shutil.rmtree(root / "output.spare")
    lost = sorted((root / "output").rglob("index.txt"))
    for path in (lost[0], lost[-1]):  # one in each process's share
        path.unlink()
    before = {p: p.stat().st_ino for p in (root / "output").rglob("*.html")}
    report = build(config, force=True)
    assert all(path.is_file() for path in (lost[0], lost[-1]))
    assert report.rendered == 2, "only the lost files were made anew"
    assert all(p.stat().st_ino == ino for p, ino in before.items()), "the rest are links"
    fresh = make_site(files, name="fresh")
    build(load_config(fresh / "config.toml"))
    marker = (root / "output" / MARKER).read_bytes()  # its keys cover the site's own folder
    (fresh / "output" / MARKER).write_bytes(marker)
    assert tree_digest(root / "output") == tree_digest(fresh / "output")
