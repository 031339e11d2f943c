"""Touch-up builds: a one-shot build after a few changed dumps renders only what they touch,
from the last build's snapshot, and publishes exactly what a full build would."""

from __future__ import annotations

import errno
import marshal
import os
import random
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from generator import write
from generator.build import BuildReport, build, site_theme
from generator.config import CACHE_DIR, Config, load_config
from generator.machine_files import index_from_records, index_records
from generator.model import Document, SourceFile
from generator.read import ReadSettings, make_document, understand
from generator.render import Renderer
from generator.render_memo import RenderMemo
from generator.site import assemble_site
from generator.snapshot import (
    SNAPSHOT,
    FactsData,
    FactsTable,
    FoldCounts,
    load_snapshot,
    save_snapshot,
)
from generator.touchup import MAX_TOUCHED, NO_FACTS, RECLEANED
from generator.write import MARKER, link_many, read_manifest, read_marker, recorded_files
from tests.conftest import FIXED_MTIME, SiteMaker, tree_digest
from tests.samples import prose
from tests.test_session import CRUFT, edit_at_random, tagged, tagged_stories


def newsroom(make_site: SiteMaker, config: str | None = None) -> Path:
    """Twelve tagged, dated stories in two sources and the top folder; a quarter of them
    end with the same paragraph."""
    files = tagged_stories(12, cruft_every=4)
    return make_site(files, config or 'title = "Herald"\nper_page = 4\nsearch = false\n')


def built_newsroom(make_site: SiteMaker) -> tuple[Path, Config]:
    """The newsroom, built once (which leaves the snapshot a touch-up starts from)."""
    root = newsroom(make_site)
    config = load_config(root / "config.toml")
    build(config)
    return root, config


def rebuilt_from_scratch(root: Path) -> tuple[BuildReport, str]:
    """A forced full build of the same folder: its report and what its marker records."""
    report = build(load_config(root / "config.toml"), force=True)
    return report, (root / "output" / MARKER).read_text(encoding="utf-8")


def fresh_digest(root: Path, where: Path) -> str:
    """The output of a build of a copy of the site, without any cache, with ``root``'s
    marker (the marker's keys cover the site's own folder)."""
    shutil.copytree(root / "content", where / "content")
    shutil.copy2(root / "config.toml", where / "config.toml")
    build(load_config(where / "config.toml"), cache=False)
    (where / "output" / MARKER).write_bytes((root / "output" / MARKER).read_bytes())
    return tree_digest(where / "output")


def change_body(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_body_edit_is_touched_up_and_equals_a_full_build(make_site: SiteMaker) -> None:
    root = newsroom(make_site)
    config = load_config(root / "config.toml")
    first = build(config)
    assert not first.touched_up and (root / CACHE_DIR / SNAPSHOT).is_file()
    untouched = root / "output" / "gazette" / "story-1" / "index.txt"
    before = untouched.stat()
    edited = root / "content" / "herald" / "story-3.txt"
    change_body(edited, "said resident", "said the ferry keeper")
    report = build(config)
    assert report.touched_up
    assert 0 < report.rendered < first.files // 4
    assert report.files == first.files
    page = root / "output" / "herald" / "story-3" / "index.html"
    assert "said the ferry keeper" in page.read_text(encoding="utf-8")
    after = untouched.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    published = tree_digest(root / "output")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert full.rendered == 0, "every key the touch-up recorded is the full build's"
    assert full_marker == marker
    assert tree_digest(root / "output") == published


def test_a_new_newest_article_leaves_every_older_listing_page_as_it_was(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """Listing pages are counted from the oldest: the usual addition, an article newer than
    all, changes the first page of each of its listings and no other listing page."""
    root, config = built_newsroom(make_site)
    output = root / "output"
    older = {path: path.stat() for path in output.rglob("page/*/index.html")}
    assert len(older) >= 4  # the home, year, language and "rivers" listings have them
    keys = recorded_files(read_marker(output))[1]
    older_keys = {path: keys[path.relative_to(output).as_posix()] for path in older}
    newest = tagged("Story of the year", 99, ["rivers"], "2024-12-01")
    (root / "content" / "gazette" / "story-99.txt").write_text(newest, encoding="utf-8")
    report = build(config)
    assert report.touched_up
    for path, before in older.items():
        after = path.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), path
    keys = recorded_files(read_marker(output))[1]
    assert {path: keys[path.relative_to(output).as_posix()] for path in older} == older_keys
    for first in ("index.html", "tags/rivers/index.html", "languages/en/index.html"):
        assert "Story of the year" in (output / first).read_text(encoding="utf-8")
    assert tree_digest(output) == fresh_digest(root, tmp_path / "fresh")


def test_consecutive_touch_ups_of_different_dumps_equal_fresh_builds(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """The second touch-up stages into the tree the first one replaced (the spare tree),
    which still holds the first edit's old files."""
    root, config = built_newsroom(make_site)
    for step, name in enumerate(("herald/story-3.txt", "gazette/story-7.txt", "story-2.txt")):
        change_body(root / "content" / name, "said resident", f"said resident {step}")
        assert build(config).touched_up
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}")


def test_editing_one_dump_again_renders_each_of_its_files_once(make_site: SiteMaker) -> None:
    """The second edit plans the files the spare tree still holds from before the first:
    they are rendered once, not also brought up to date as files the spare differs in."""
    root, config = built_newsroom(make_site)
    edited = root / "content" / "herald" / "story-3.txt"
    rendered = []
    for step in range(3):
        change_body(edited, "said resident", f"said resident {step} and")
        report = build(config)
        assert report.touched_up
        rendered.append(report.rendered)
    assert rendered[0] > 0
    assert rendered == [rendered[0]] * 3


def test_touch_ups_stay_equal_to_fresh_builds_through_every_kind_of_edit(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    root, config = built_newsroom(make_site)
    rng = random.Random(20261130)
    kinds = []
    for step in range(24):
        edit_at_random(root / "content", rng, step)
        if step % 8 == 7:  # with a configuration change: the full pipeline, then touch-ups
            text = f'title = "Herald"\nper_page = {4 + step % 3}\nsearch = false\n'
            (root / "config.toml").write_text(text, encoding="utf-8")
            config = load_config(root / "config.toml")
        report = build(config)
        kinds.append(report.touched_up)
        expected = fresh_digest(root, tmp_path / f"fresh-{step}")
        assert tree_digest(root / "output") == expected, f"step {step}"
        if report.touched_up and step % 2:
            marker = (root / "output" / MARKER).read_text(encoding="utf-8")
            full, full_marker = rebuilt_from_scratch(root)
            assert (full.rendered, full_marker) == (0, marker), f"step {step}"
    assert kinds.count(True) > 12 and not all(kinds), "most edits touched up, some not"


EDIT_KINDS = (
    "random", "warning", "mend", "wire title", "page", "cruft", "draft", "publish", "empty",
    "refill",
)  # fmt: skip
"""The changes ``test_touch_ups_of_several_changes_at_once_stay_equal_to_fresh_builds``
picks from."""


def test_touch_ups_of_several_changes_at_once_stay_equal_to_fresh_builds(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """Up to three changes a build, of every kind a touch-up now takes on (warnings that
    come and go, a title that names the address, a page edited, boilerplate that starts
    and stops repeating, drafts and empty files) besides the usual ones, on a site with a
    sitemap."""
    site = 'title = "Herald"\nper_page = 4\nsearch = false\nbase_url = "https://news.test/"\n'
    root = newsroom(make_site, site)
    content = root / "content"
    (content / "about.md").write_text("# About\n\nThe herald.\n", "utf-8")
    for n in range(3):  # file names that are not readable: the title names the address
        text = tagged(f"Wire item {n}", 200 + n, ["wire"], f"2024-05-0{n + 1}")
        (content / "herald" / f"2024-{n:04d}.txt").write_text(text, encoding="utf-8")
    config = load_config(root / "config.toml")
    build(config)
    rng = random.Random(20261201)
    kinds = []
    for step in range(20):
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(EDIT_KINDS)
            dumps = sorted((content / "herald").glob("*.txt"))
            victim = rng.choice(dumps)
            text = victim.read_text(encoding="utf-8")
            if kind == "random":
                edit_at_random(content, rng, 100 + step)
            elif kind == "warning" and "said resident" in text:
                victim.write_text(text.replace("said resident", "said\x00 resident", 1), "utf-8")
            elif kind == "mend":
                victim.write_text(text.replace("\x00", ""), encoding="utf-8")
            elif kind == "wire title":
                wire = content / "herald" / f"2024-{step % 3:04d}.txt"
                if wire.exists():
                    old = wire.read_text(encoding="utf-8")
                    wire.write_text(old.replace("Wire item", f"Wire story {step}", 1), "utf-8")
            elif kind == "page":
                (content / "about.md").write_text(f"# About\n\nThe herald, {step}.\n", "utf-8")
            elif kind == "cruft" and CRUFT not in text:
                victim.write_text(text.rstrip("\n") + f"\n\n{CRUFT}\n", encoding="utf-8")
            elif kind == "draft" and text.startswith("+++\n") and "draft = " not in text:
                victim.write_text(text.replace("+++\n", "+++\ndraft = true\n", 1), "utf-8")
            elif kind == "publish":
                victim.write_text(text.replace("draft = true\n", ""), encoding="utf-8")
            elif kind == "empty":
                victim.write_text("", encoding="utf-8")
            elif kind == "refill" and not text:
                victim.write_text(tagged(f"Refilled {step}", 300 + step, [], "2024-06-01"), "utf-8")
        report = build(config)
        kinds.append(report.touched_up)
        expected = fresh_digest(root, tmp_path / f"fresh-{step}")
        assert tree_digest(root / "output") == expected, f"step {step}: {report.full_because}"
        if report.touched_up and step % 3 == 0:
            marker = (root / "output" / MARKER).read_text(encoding="utf-8")
            full, full_marker = rebuilt_from_scratch(root)
            assert (full.rendered, full_marker) == (0, marker), f"step {step}"
    assert kinds.count(True) > 12, kinds


def test_a_touch_up_records_the_keys_a_full_build_would(make_site: SiteMaker) -> None:
    site = 'title = "Herald"\nper_page = 4\nsearch = false\nbase_url = "https://news.test/"\n'
    root = newsroom(make_site, site)
    config = load_config(root / "config.toml")
    build(config)
    edited = root / "content" / "gazette" / "story-4.txt"
    stat = edited.stat()
    for step in range(3):
        change_body(edited, "said resident", f"said visitor {step} and resident")
        os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + step + 1))
        assert build(config).touched_up
    published = tree_digest(root / "output")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert full.rendered == 0
    assert (full_marker, tree_digest(root / "output")) == (marker, published)


def test_a_paragraph_that_becomes_template_cruft_and_stops_being_it_is_touched_up(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """Every article holding a paragraph that starts or stops repeating in three dumps of
    its source is cleaned again (the unchanged ones too) and rendered anew."""
    root, config = built_newsroom(make_site)
    # story-0 ends with CRUFT in the herald; story-3 and story-6 do not: with one of them,
    # the paragraph is in 2 of the herald's dumps, with both in 3, and must go from all.
    page = root / "output" / "herald" / "story-0" / "index.html"
    for step, name in enumerate(("story-3", "story-6")):
        edited = root / "content" / "herald" / f"{name}.txt"
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n{CRUFT}\n", encoding="utf-8")
        report = build(config)
        assert report.touched_up, report.full_because
        assert (CRUFT in page.read_text(encoding="utf-8")) is (step == 0)
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)
    change_body(root / "content" / "herald" / "story-6.txt", CRUFT, "A closing line of its own.")
    assert build(config).touched_up
    assert CRUFT in page.read_text(encoding="utf-8"), "no longer repeated: shown again"
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-back")


def test_two_edits_that_together_make_a_paragraph_repeated_are_cleaned_with_the_new_count(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """story-3 is read first and holds the paragraph when only two dumps do; story-6,
    read after it, makes three: story-3 is cleaned again with the count as it ends."""
    root, config = built_newsroom(make_site)
    for name in ("story-3", "story-6"):
        edited = root / "content" / "herald" / f"{name}.txt"
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n{CRUFT}\n", encoding="utf-8")
    report = build(config)
    assert report.touched_up, report.full_because
    page = root / "output" / "herald" / "story-3" / "index.html"
    assert CRUFT not in page.read_text(encoding="utf-8")
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")


def test_paragraphs_made_repeated_in_more_dumps_than_a_touch_up_takes_take_the_full_build(
    make_site: SiteMaker,
) -> None:
    """Paragraphs each in two dumps of a source: a dump holding them all makes them
    repeated in more other dumps than a touch-up renders again."""
    count = MAX_TOUCHED // 2 + 1
    notes = [f"Desk note {k}: the office is closed on day {k} of the season." for k in range(count)]
    files: dict[str, str | bytes] = {
        f"desk/item-{n:03d}.txt": tagged(f"Item {n}", 80 + n, ["desk"], "2024-06-01")
        + f"\n{notes[n // 2]}\n"
        for n in range(2 * count)
    }
    files["desk/last.txt"] = tagged("Last", 79, ["desk"], "2024-06-02")
    root = make_site(files)
    config = load_config(root / "config.toml")
    build(config)
    last = root / "content" / "desk" / "last.txt"
    last.write_text(last.read_text(encoding="utf-8") + "\n" + "\n\n".join(notes) + "\n")
    report = build(config)
    assert (report.touched_up, report.full_because) == (False, RECLEANED)


def test_a_dump_made_a_copy_of_another_takes_the_full_build(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    root, config = built_newsroom(make_site)
    original = (root / "content" / "gazette" / "story-1.txt").read_text(encoding="utf-8")
    sentences = original.split("+++\n", 2)[2].split("\n\n", 2)[2]
    edited = root / "content" / "gazette" / "story-4.txt"
    # Half of story 1 in story 4: they share long blocks, but are not one article.
    head = edited.read_text(encoding="utf-8")
    half = "\n\n".join(sentences.split("\n\n")[:3])
    edited.write_text(f"{head}\n{half}\n", encoding="utf-8")
    assert build(config).touched_up
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-half")
    # All of it: the same article saved twice, which a touch-up cannot merge.
    edited.write_text(head.split("\n\n", 2)[0] + "\n\nStory 4\n\n" + sentences)
    report = build(config)
    assert not report.touched_up
    assert report.full_because == (
        "gazette/story-4.txt now holds the same article as gazette/story-1.txt"
    )
    assert [p.path for p in report.merged] == ["gazette/story-4.txt"]
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-all")


def test_a_new_dump_and_its_removal_are_touch_ups_that_render_only_what_shows_it(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """The navigation of every page names the sources but not their article counts (only
    the sources overview shows those), so one more dump leaves most pages as they were;
    its address is worked out as a full build would, from what every document asks for."""
    root = newsroom(make_site)
    config = load_config(root / "config.toml")
    first = build(config)
    added = root / "content" / "gazette" / "story-40.txt"
    added.write_text(tagged("Story 40", 40, ["markets"], "2023-01-02"), encoding="utf-8")
    report = build(config)
    assert report.touched_up
    assert 0 < report.rendered < first.files // 2
    assert (root / "output" / "gazette" / "story-40" / "index.html").is_file()
    overview = (root / "output" / "sources" / "index.html").read_text(encoding="utf-8")
    assert "5 articles" in overview
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)
    added.unlink()
    report = build(config)
    assert report.touched_up and report.articles == 12
    assert not (root / "output" / "gazette" / "story-40").exists()
    assert not (root / "output" / "years" / "2023").exists()
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-again")
    added.write_text(tagged("Story 40", 40, ["markets"], "2023-01-02"), encoding="utf-8")
    assert build(config).touched_up, "a path removed, then back: it keeps its number"
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-back")


def test_a_new_or_removed_dump_that_other_dumps_depend_on(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """A copy of an article is merged into it: the full build. A paragraph in three of a
    source's dumps is dropped from all of them: one dump more or less cleans the others
    again, in a touch-up."""
    root, config = built_newsroom(make_site)
    gazette = root / "content" / "gazette"
    shutil.copy2(gazette / "story-1.txt", gazette / "story-1-again.txt")
    report = build(config)
    assert not report.touched_up
    assert report.full_because == (
        "gazette/story-1-again.txt now holds the same article as gazette/story-1.txt"
    )
    assert [p.path for p in report.merged] == ["gazette/story-1.txt"]  # the later path
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "copied")
    (gazette / "story-1-again.txt").unlink()
    report = build(config)
    assert not report.touched_up, "a merged dump gone"
    assert report.full_because == (
        "gazette/story-1-again.txt is gone, and it was merged with a copy of the same article"
    )
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "uncopied")
    # story-0 is the herald's one dump ending with CRUFT: with two more, it goes from all.
    story = root / "output" / "herald" / "story-0" / "index.html"
    for step in (1, 2):  # the second makes it repeated: cleaned from every holder
        text = tagged(f"News {step}", 50 + step, ["rivers"], f"2024-03-0{step}")
        (root / "content" / "herald" / f"news-{step}.txt").write_text(f"{text}\n{CRUFT}\n")
        assert build(config).touched_up
    assert CRUFT not in story.read_text(encoding="utf-8")
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-added")
    (root / "content" / "herald" / "news-2.txt").unlink()
    assert build(config).touched_up
    assert CRUFT in story.read_text(encoding="utf-8")
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")


def test_one_more_or_one_less_dump_repeating_a_dropped_paragraph_is_a_touch_up(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """Past the threshold, one holder more or less changes only the count in the other
    holders' dropped lines, which no page shows (their digests leave it out)."""
    root, config = built_newsroom(make_site)
    herald = root / "content" / "herald"
    for step in (1, 2, 3):  # with story-0, the third makes CRUFT repeated; the fourth
        text = tagged(f"News {step}", 50 + step, ["rivers"], f"2024-03-0{step}")
        (herald / f"news-{step}.txt").write_text(f"{text}\n{CRUFT}\n", encoding="utf-8")
        report = build(config)
    assert report.touched_up
    page = root / "output" / "herald" / "news-3" / "index.html"
    assert "News 3" in page.read_text(encoding="utf-8")
    assert CRUFT not in page.read_text(encoding="utf-8")
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)
    (herald / "news-3.txt").unlink()
    assert build(config).touched_up
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-again")


def test_a_dump_whose_address_clashes_takes_the_full_build(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """A dump asking for the address a page has: both get a suffix, so the page moves,
    and again when the dump goes."""
    root = newsroom(make_site)
    (root / "content" / "ferries.md").write_text("# Ferries\n\nTimetables.\n", "utf-8")
    config = load_config(root / "config.toml")
    build(config)
    assert (root / "output" / "ferries" / "index.html").is_file()
    dump = root / "content" / "ferries.txt"
    dump.write_text(tagged("Ferry news", 41, ["rivers"], "2024-02-03"), encoding="utf-8")
    report = build(config)
    assert not report.touched_up
    assert report.full_because == (
        "ferries.md: its address changes with the dumps that came or went"
    )
    assert not (root / "output" / "ferries").exists()
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")
    dump.unlink()
    assert not build(config).touched_up
    assert (root / "output" / "ferries" / "index.html").is_file()
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-again")


def test_a_new_title_is_touched_up_with_every_page_that_links_it(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """The address comes from the file name, so a new title moves nothing; but the pages
    listing the article among their related ones show the new title too."""
    root, config = built_newsroom(make_site)
    change_body(root / "content" / "herald" / "story-3.txt", "Story 3", "Story three")
    report = build(config)
    assert report.touched_up
    pages = [
        p
        for p in (root / "output").rglob("index.html")
        if "Story three" in p.read_text(encoding="utf-8")
    ]
    assert len(pages) > 3, "its page, listings and the articles relating to it"
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)


@pytest.mark.parametrize(
    ("old", "new", "shown_at"),
    [
        ('date = "2024-04-04"', 'date = "2023-06-05"', "years/2023/06"),  # a new year and month
        ('date = "2024-04-04"', 'date = "2024-01-01"', "years/2024/01"),  # another month
        ('tags = ["rivers"]', 'tags = ["rivers", "ferries"]', "tags/ferries"),  # a new tag
        ('tags = ["rivers"]', 'tags = ["markets"]', "tags/markets"),  # other related articles
    ],
)
def test_a_new_date_or_new_tags_move_the_article_in_a_touch_up(
    make_site: SiteMaker, tmp_path: Path, old: str, new: str, shown_at: str
) -> None:
    """Its address stands, so the order, listings and related lists are worked out again
    from the snapshot: listing pages appear and go, and what the keys show changed is
    rendered, exactly as a full build would."""
    root, config = built_newsroom(make_site)
    dump = root / "content" / "herald" / "story-3.txt"
    change_body(dump, old, new)
    report = build(config)
    assert report.touched_up
    listing = root / "output" / shown_at / "index.html"
    assert "Story 3" in listing.read_text(encoding="utf-8")
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)
    change_body(dump, new, old)  # and back, from the touch-up's own snapshot
    assert build(config).touched_up
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "again")


@pytest.mark.parametrize("change", ["too many", "page"])
def test_a_build_that_cannot_touch_up_says_why(make_site: SiteMaker, change: str) -> None:
    """The report names the reason (``gleanery build -v`` prints it), and the full build
    publishes the change."""
    root = newsroom(make_site)
    (root / "content" / "about.md").write_text("# About\n\nThe herald.\n", "utf-8")
    config = load_config(root / "config.toml")
    build(config)
    content = root / "content"
    if change == "too many":
        for n in range(MAX_TOUCHED + 1):
            (content / f"more-{n}.txt").write_text(tagged(f"More {n}", 60 + n, [], "2024-05-01"))
        expected = f"more than {MAX_TOUCHED} dumps changed, came or went"
    else:
        (content / "about.md").write_text("# About us\n\nThe herald.\n", "utf-8")
        expected = "about.md: its title changed, which every page's navigation shows"
    report = build(config)
    assert (report.touched_up, report.full_because) == (False, expected)
    assert build(config).unchanged


def test_a_page_edited_within_is_a_touch_up_that_renders_only_it(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """A stand-alone page shows on itself only (the others' navigation shows its title)."""
    root = newsroom(make_site)
    about = root / "content" / "about.md"
    about.write_text("# About\n\nThe herald.\n", "utf-8")
    config = load_config(root / "config.toml")
    build(config)
    about.write_text("# About\n\nThe herald, since 1901.\n", "utf-8")
    report = build(config)
    assert report.touched_up, report.full_because
    assert report.rendered == 1
    page = (root / "output" / "about" / "index.html").read_text(encoding="utf-8")
    assert "since" in page and "1901" in page
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a cooper")
    assert build(config).touched_up, "the snapshot knows the page as it is now"
    # With a dump added in the same build: the whole site is planned, the page with it.
    about.write_text("# About\n\nThe herald, since 1902.\n", "utf-8")
    added = root / "content" / "gazette" / "story-40.txt"
    added.write_text(tagged("Story 40", 40, ["markets"], "2023-01-02"), encoding="utf-8")
    assert build(config).touched_up
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-added")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)


def test_a_site_with_a_sitemap_is_touched_up_too(make_site: SiteMaker, tmp_path: Path) -> None:
    """The sitemap lists every page and dates each article by when it was archived (the
    file's time, for a dump without a date of its own): a touch-up plans it anew, for a
    body edit on another day as for a new date, a new dump and its removal."""
    site = 'title = "Herald"\nper_page = 4\nsearch = false\nbase_url = "https://news.test/"\n'
    root = newsroom(make_site, site)
    config = load_config(root / "config.toml")
    build(config)
    sitemap = root / "output" / "sitemap.xml"
    story = root / "content" / "herald" / "story-3.txt"
    day = 86_400 * 10**9
    steps: dict[str, Callable[[], object]] = {
        "edited the next day": lambda: change_body(story, "said resident", "said a farrier"),
        "re-dated": lambda: change_body(story, "2024-04-04", "2023-02-05"),
        "added": lambda: (root / "content" / "herald" / "story-40.txt").write_text(
            tagged("Story 40", 40, ["markets"], "2023-01-02"), encoding="utf-8"
        ),
        "removed": lambda: (root / "content" / "herald" / "story-40.txt").unlink(),
    }
    for step, (name, change) in enumerate(steps.items()):
        before = sitemap.read_text(encoding="utf-8")
        change()
        if story.exists():  # a later day for the edited dump: another archived date
            os.utime(story, ns=(FIXED_MTIME * 10**9 + (step + 1) * day,) * 2)
        report = build(config)
        assert report.touched_up, (name, report.full_because)
        assert sitemap.read_text(encoding="utf-8") != before, name
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)


def test_a_new_title_that_names_the_address_moves_the_article_in_a_touch_up(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """A dump whose file name is not readable takes its address from its title: a new
    title is the article gone from its old address and added at its new one."""
    root = newsroom(make_site)
    dump = root / "content" / "herald" / "2024-0042.txt"  # not a readable name: the title is
    dump.write_text(tagged("Harbour crane", 42, ["rivers"], "2024-02-02"), encoding="utf-8")
    config = load_config(root / "config.toml")
    build(config)
    assert any((root / "output" / "herald").glob("harbour-crane-*"))
    for step, (old, new) in enumerate(
        (("Harbour crane", "Harbour bell"), ("Harbour bell", "Harbour crane"))
    ):
        change_body(dump, old, new)
        report = build(config)
        assert report.touched_up, report.full_because
        slug = new.lower().replace(" ", "-")
        assert [
            path.name[: len(slug)] for path in (root / "output" / "herald").glob("harbour-*")
        ] == [slug]
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)


def test_warnings_that_come_and_go_are_touched_up_and_reported_as_a_full_build_would(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """An edit that brings or mends a warning (a control character), and a new dump with
    one and its removal: the report and the output's record list the warnings in input
    order, as a full build's do."""
    root, config = built_newsroom(make_site)
    content = root / "content"
    new = content / "herald" / "story-0a.txt"
    expected: list[str] = []
    for step, rel in enumerate(
        ("herald/story-3.txt", "gazette/story-7.txt", "herald/story-0a.txt")
    ):
        if content / rel == new:
            text = tagged("Story 0a", 70, ["rivers"], "2024-01-09")
            new.write_text(text.replace("said resident", "said\x00 resident", 1), encoding="utf-8")
        else:
            change_body(content / rel, "said resident", "said\x00 resident")
        report = build(config)
        assert report.touched_up, report.full_because
        expected = sorted([*expected, rel])
        assert [warning.path for warning in report.warnings] == expected
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}")
    marker = (root / "output" / MARKER).read_text(encoding="utf-8")
    full, full_marker = rebuilt_from_scratch(root)
    assert (full.rendered, full_marker) == (0, marker)
    change_body(content / "herald" / "story-3.txt", "said\x00 resident", "said resident")
    new.unlink()
    report = build(config)
    assert report.touched_up, report.full_because
    assert [warning.path for warning in report.warnings] == ["gazette/story-7.txt"]
    again = build(config)
    assert again.unchanged
    assert [warning.path for warning in again.warnings] == ["gazette/story-7.txt"]


def test_drafts_and_empty_files_that_come_change_and_go_are_touched_up(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """Inputs that are not published (a draft, an empty file) coming, changing, going,
    and becoming or stopping being articles: each is a touch-up whose output, warnings and
    skipped files are a full build's."""
    root, config = built_newsroom(make_site)
    herald = root / "content" / "herald"
    blank, draft, story = herald / "blank.txt", herald / "draft-1.txt", herald / "story-3.txt"
    drafted = tagged("Draft one", 80, ["rivers"], "2024-02-09").replace(
        "+++\n", "+++\ndraft = true\n", 1
    )
    steps: list[tuple[str, Callable[[], object]]] = [
        ("an empty file comes", lambda: blank.write_text("", encoding="utf-8")),
        ("it is filled", lambda: blank.write_text(tagged("Blank no more", 81, [], "2024-03-09"), "utf-8")),
        ("it is emptied", lambda: blank.write_text("  \n", encoding="utf-8")),
        ("it goes", blank.unlink),
        ("a draft with a warning comes", lambda: draft.write_text(drafted.replace("said resident", "said\x00 resident", 1), "utf-8")),
        ("the draft is edited", lambda: change_body(draft, "said\x00 resident", "said neighbour")),
        ("the draft is published", lambda: change_body(draft, "draft = true\n", "")),
        ("it is a draft again", lambda: change_body(draft, "+++\n", "+++\ndraft = true\n")),
        ("an article is made a draft", lambda: change_body(story, "+++\n", "+++\ndraft = true\n")),
        ("the draft goes", draft.unlink),
        ("the other is published again", lambda: change_body(story, "draft = true\n", "")),
    ]  # fmt: skip
    for step, (what, change) in enumerate(steps):
        change()
        report = build(config)
        assert report.touched_up, f"{what}: {report.full_because}"
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}"), what
        marker = (root / "output" / MARKER).read_text(encoding="utf-8")
        full, full_marker = rebuilt_from_scratch(root)
        assert (full.rendered, full_marker) == (0, marker), what
        assert (report.skipped, report.warnings) == (full.skipped, full.warnings), what
        shown = {path.name for path in (root / "output" / "herald").iterdir()}
        assert any(name.startswith("draft-1") for name in shown) == (
            what == "the draft is published"
        )
        assert any(name.startswith("story-3") for name in shown) == (
            what != "an article is made a draft" and what != "the draft goes"
        )
        if what == "an empty file comes":
            assert [problem.path for problem in report.skipped] == ["herald/blank.txt"]
        if what == "a draft with a warning comes":
            assert [problem.path for problem in report.warnings] == ["herald/draft-1.txt"]
            assert report.rendered == 0


def test_drafts_count_among_their_sources_repeated_paragraphs_in_a_touch_up(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """A draft is a document to the cross-dump step: two drafts ending with the paragraph
    one article of their source ends with make it repeated, and the article is cleaned of
    it, as a full build would; their removal brings it back."""
    root, config = built_newsroom(make_site)
    herald = root / "content" / "herald"
    page = root / "output" / "herald"
    drafts = [herald / f"draft-{n}.txt" for n in (1, 2)]
    for step, path in enumerate(drafts):
        text = tagged(f"Draft {step}", 90 + step, [], "2024-02-09") + f"\n{CRUFT}\n"
        path.write_text(text.replace("+++\n", "+++\ndraft = true\n", 1), encoding="utf-8")
        report = build(config)
        assert report.touched_up, report.full_because
        assert tree_digest(root / "output") == fresh_digest(root, tmp_path / f"fresh-{step}")
    story_0 = next(page.glob("story-0*/index.html")).read_text(encoding="utf-8")
    assert CRUFT not in story_0, "three dumps of the source repeat it: template cruft"
    drafts[0].unlink()
    report = build(config)
    assert report.touched_up, report.full_because
    assert CRUFT in next(page.glob("story-0*/index.html")).read_text(encoding="utf-8")
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh-gone")


def test_a_block_made_too_common_to_pair_dumps_takes_the_full_build(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    """Two copies of one article share only a long block that 64 dumps hold (the most
    that still pair): merged. One more dump holding it unpairs them all. (Each other dump
    is in a source of its own, so the block is nowhere repeated template cruft.)"""
    stock = "Every reader of this page is kindly asked to check the facts again later today."
    short = "\n\n".join(f"Note {k} of the story." for k in range(8))
    files: dict[str, str | bytes] = {
        f"wire/copy-{n}.txt": f"Skip to content\n\nThe story\n\n{short}\n\n{stock}\n"
        for n in (1, 2)
    }
    for n in range(63):
        tail = f"\n\n{stock}" if n < 62 else ""
        text = f"Skip to content\n\nFiller {n}\n\n{prose(str(n), 2)}{tail}\n"
        files[f"desk-{n:02d}/filler.txt"] = text
    root = make_site(files)
    config = load_config(root / "config.toml")
    assert [p.path for p in build(config).merged] == ["wire/copy-2.txt"]
    last = root / "content" / "desk-62" / "filler.txt"
    last.write_text(last.read_text(encoding="utf-8") + f"\n{stock}\n", encoding="utf-8")
    os.utime(last, (FIXED_MTIME, FIXED_MTIME))  # undated dumps are ordered by this time
    report = build(config)
    assert not report.touched_up and report.merged == ()
    assert report.full_because == (
        "desk-62/filler.txt: a long block of it changes which other dumps are compared as copies"
    )
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")


@pytest.mark.parametrize("spare", ["kept", "deleted"])
def test_a_kept_file_missing_from_the_output_is_made_again(
    make_site: SiteMaker, spare: str
) -> None:
    """A file deleted from the output comes back: from the spare tree the build left (the
    same bytes, linked), or, with no spare either, by a full build."""
    root, config = built_newsroom(make_site)
    if spare == "deleted":
        shutil.rmtree(root / "output.spare")
    lost = root / "output" / "tags" / "index.html"
    expected = lost.read_bytes()
    lost.unlink()
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a baker")
    report = build(config)
    assert report.touched_up == (spare == "kept")
    assert lost.read_bytes() == expected
    assert build(config).unchanged


@pytest.mark.parametrize("damage", [b"", b"\x00not marshal", b"\xe9\x01\x00\x00\x00"])
def test_an_unreadable_snapshot_means_a_full_build(make_site: SiteMaker, damage: bytes) -> None:
    root, config = built_newsroom(make_site)
    (root / CACHE_DIR / SNAPSHOT).write_bytes(damage)
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a miller")
    report = build(config)
    assert not report.touched_up and report.exit_code() == 0
    assert "said a miller" in (root / "output" / "herald" / "story-3" / "index.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("kept", [0.25, 0.5, 0.9, 0.999])
def test_a_snapshot_cut_short_means_a_full_build(make_site: SiteMaker, kept: float) -> None:
    """Cut anywhere (its last record, the facts table's bytes, is read only as a page
    shows an article): it is not loaded, and the edit is published by a full build."""
    root, config = built_newsroom(make_site)
    path = root / CACHE_DIR / SNAPSHOT
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * kept)])
    assert load_snapshot(path) is None
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a weaver")
    report = build(config)
    assert not report.touched_up and report.exit_code() == 0
    assert "said a weaver" in (root / "output" / "herald" / "story-3" / "index.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("field", ["layout", "order", "listings", "long", "facts"])
def test_a_snapshot_with_wrong_values_means_a_full_build(
    make_site: SiteMaker, tmp_path: Path, field: str
) -> None:
    root, config = built_newsroom(make_site)
    path = root / CACHE_DIR / SNAPSHOT
    snapshot = load_snapshot(path)
    assert snapshot is not None
    value = getattr(snapshot, field)
    empty: object = {} if isinstance(value, dict) else FactsTable.of([]) if field == "facts" else []
    setattr(snapshot, field, empty)
    save_snapshot(path, snapshot)
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a potter")
    report = build(config)
    assert not report.touched_up and report.exit_code() == 0
    assert tree_digest(root / "output") == fresh_digest(root, tmp_path / "fresh")


def test_a_snapshot_of_another_salt_or_folder_is_let_go_unread(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build after a theme, configuration or code change reads only the snapshot's
    head (salt and folder), not the article data behind it."""
    root, _ = built_newsroom(make_site)
    path = root / CACHE_DIR / SNAPSHOT
    whole = load_snapshot(path)
    assert whole is not None
    records: list[object] = []
    loads = marshal.loads

    def counted_loads(data: bytes) -> object:
        records.append(loaded := loads(data))
        return loaded

    monkeypatch.setattr(marshal, "loads", counted_loads)
    for salt, target in (("another salt", whole.target), (whole.salt, "/another/output")):
        records.clear()
        assert load_snapshot(path, salt, target) is None
        assert len(records) == 1, "only the head was read"
    records.clear()
    loaded = load_snapshot(path, whole.salt, whole.target)
    assert len(records) == 2, "the facts table's rows are decoded only when asked for"
    assert loaded == whole


def test_a_snapshot_of_another_output_folder_is_not_used(
    make_site: SiteMaker, tmp_path: Path
) -> None:
    root, config = built_newsroom(make_site)
    build(config, output=tmp_path / "elsewhere")
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a mason")
    assert not build(config).touched_up
    assert build(config, output=tmp_path / "elsewhere").touched_up is False


def test_no_snapshot_is_kept_while_an_input_fails(make_site: SiteMaker) -> None:
    root, config = built_newsroom(make_site)
    assert (root / CACHE_DIR / SNAPSHOT).is_file()
    # A Markdown page with more link brackets than the parser is allowed: always refused.
    (root / "content" / "broken.md").write_text("[" * 20_001, encoding="utf-8")
    assert [p.path for p in build(config).failed] == ["broken.md"]
    assert not (root / CACHE_DIR / SNAPSHOT).exists()
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said a weaver")
    report = build(config)
    assert not report.touched_up and [p.path for p in report.failed] == ["broken.md"]
    assert report.full_because.startswith("no snapshot of the last build to work from")


def dated_documents(folder: Path, count: int) -> tuple[Config, list[Document]]:
    """``count`` tagged stories of one source, a day apart, read as documents."""
    (folder / "config.toml").write_text('title = "Herald"\nper_page = 4\n', encoding="utf-8")
    config = load_config(folder / "config.toml")
    documents = []
    for n in range(count):
        rel = f"herald/story-{n}.txt"
        data = tagged(f"Story {n}", n, ["rivers"], f"2024-01-{n + 1:02d}").encode("utf-8")
        source = SourceFile(str(folder / rel), rel, "herald", "dump", FIXED_MTIME, len(data))
        understood = understand(data, rel, ReadSettings("dump", None, None))
        documents.append(make_document(source, understood, config))
    return config, documents


def test_a_listing_plans_only_the_pages_asked_for(tmp_path: Path) -> None:
    """A touch-up plans the listing pages that show a changed article: each alone must be
    planned as it is among all the pages."""
    config, documents = dated_documents(tmp_path, 12)
    renderer = Renderer(assemble_site(documents, config), config, site_theme(config))
    sizes: Counter[int] = Counter()
    for listing in renderer.site.listings:
        every = [(item.path, item.key) for item in renderer.listing(listing)]
        sizes[len(every)] += 1
        for number in range(1, len(every) + 1):
            alone = [(item.path, item.key) for item in renderer.listing(listing, {number})]
            assert alone == [every[number - 1]]
        assert not list(renderer.listing(listing, {0, len(every) + 1}))
    assert sizes[3] >= 2  # the whole archive's and the tag's listings have three pages


def test_a_listing_page_kept_by_a_session_makes_its_own_page_after_a_new_one_comes(
    tmp_path: Path,
) -> None:
    """Sixteen articles make one listing page more than fifteen, before the older ones:
    page 1 is then fourth, not third, with the same inputs, and the plan entry a session
    kept for it must still make page 1."""
    config, documents = dated_documents(tmp_path, 16)
    theme = site_theme(config)
    memo = RenderMemo()
    Renderer(assemble_site(documents[:15], config), config, theme, memo=memo).plan()
    before = dict(memo.listings)
    planned = Renderer(assemble_site(documents, config), config, theme, memo=memo).plan()
    kept = [url for url, unit in memo.listings.items() if before.get(url) is unit]
    assert "page/1/" in kept and "tags/rivers/page/1/" in kept
    fresh = Renderer(assemble_site(documents, config), config, theme).plan()
    expected = {item.path: item for item in fresh}
    for item in planned:
        if item.path.endswith("page/1/index.html"):
            assert item.make() == expected[item.path].make(), item.path


def test_fold_counts_count_insert_and_survive_a_round_trip() -> None:
    counts = FoldCounts.of(Counter({7: 2, 3: 1, 2**64 - 1: 5}))
    assert [counts.get(fold) for fold in (3, 7, 2**64 - 1, 4)] == [1, 2, 5, 0]
    counts.add([4, 7], 1)
    counts.add([3], -1)
    again = FoldCounts.from_data(counts.data())
    assert [again.get(fold) for fold in (3, 4, 7, 2**64 - 1, 5)] == [0, 1, 3, 5, 0]
    assert list(again.folds) == sorted(again.folds)


def test_the_facts_table_changes_and_reorders_rows_as_a_list_would() -> None:
    """Rows set, reordered and added (``rearrange``) in random steps come back out of the
    table's bytes as from a list treated the same way."""
    generator = random.Random(7)

    def row(n: int) -> FactsData:
        title = prose(f"row {n}", generator.randint(0, 3))
        return (title, None, "Site", None, n, (1, 2), "x" * generator.randint(0, 90))

    for _ in range(200):
        rows = [row(n) for n in range(generator.randint(0, 12))]
        table = FactsTable.of(rows)
        for step in range(generator.randint(1, 6)):
            if rows and generator.random() < 0.6:
                position = generator.randrange(len(rows))
                rows[position] = table[position] = row(100 + step)
            else:
                if generator.random() < 0.5:  # anything
                    earlier = [generator.choice([None, *range(len(rows))]) for _ in range(9)]
                else:  # runs in order, one row taken out and one put in (as rearrange does)
                    earlier = list(range(len(rows)))
                    if earlier:
                        earlier.pop(generator.randrange(len(earlier)))
                    earlier.insert(generator.randint(0, len(earlier)), None)
                table = table.reordered(earlier, NO_FACTS)
                rows = [NO_FACTS if was is None else rows[was] for was in earlier]
            again = FactsTable.from_data(*table.data())
            assert (
                [again[p] for p in range(len(again))]
                == rows
                == [table[p] for p in range(len(table))]
            )
    with pytest.raises(IndexError):
        FactsTable.of([])[0] = NO_FACTS


@pytest.mark.parametrize("count", [0, 1, 3])
def test_index_records_come_back_out_of_index_json(count: int) -> None:
    records = [f'{{"title": "{prose(str(n), 1)}\\nline"}}'.encode() for n in range(count)]
    data = index_from_records(records, "Archive")
    # An empty archive has no record to take back out (and no article to touch up).
    assert index_records(data) == (records or None)
    assert index_records(b'{"articles": []}') is None


def test_without_a_spare_tree_kept_files_are_linked_by_several_threads(
    make_site: SiteMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A touch-up with no spare tree to reuse (deleted, or one that could not be linked):
    every file it keeps is linked from the output (same inode and time), the links shared
    among threads when they are many (here: always)."""
    monkeypatch.setattr(write, "PARALLEL_LINKS_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    shares: list[tuple[int, int]] = []  # (thread, files) of each share of a bulk link

    def spy(output: str, staging: str, rels: Sequence[str]) -> list[str]:
        shares.append((threading.get_ident(), len(rels)))
        return link_many(output, staging, rels)

    root, config = built_newsroom(make_site)
    shutil.rmtree(root / "output.spare")
    monkeypatch.setattr(write, "link_many", spy)
    output = root / "output"
    before = {path: path.stat() for path in output.rglob("*") if path.is_file()}
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said Ada")
    report = build(config)
    assert report.touched_up
    threads = {thread for thread, _ in shares}  # each bulk link: two shares, two threads
    assert shares and len(shares) % 2 == 0 and min(files for _, files in shares) > 0
    assert len(threads) >= 2 and threading.get_ident() not in threads
    linked = sum(files for _, files in shares)
    assert linked >= len(before) - report.rendered - 1  # less the rendered and marker
    after = {path: path.stat() for path in before if path.is_file()}
    kept = [path for path, was in before.items() if same_file_and_time(after.get(path), was)]
    assert len(kept) >= len(before) - report.rendered - 1
    assert tree_digest(output) == fresh_digest(root, tmp_path / "fresh")


def test_a_build_into_a_new_folder_leaves_a_spare_tree_for_the_next_touch_up(
    make_site: SiteMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare tree is the output's own files, linked, with a copy of its marker; the
    first touch-up brings it up to date from the snapshot's record of it, linking nothing
    in bulk and reading no marker of the spare."""
    root, config = built_newsroom(make_site)
    output, spare = root / "output", root / "output.spare"
    files = [path.relative_to(output) for path in output.rglob("*") if path.is_file()]
    assert len(files) > 30
    for rel in files:
        if rel.name == MARKER:  # the next build replaces the spare's marker: not shared
            assert (spare / rel).read_bytes() == (output / rel).read_bytes()
            assert not (spare / rel).samefile(output / rel)
        else:
            assert (spare / rel).samefile(output / rel), rel
    assert {p.relative_to(spare) for p in spare.rglob("*") if p.is_file()} == set(files)
    linked: list[str] = []
    manifests: list[Path] = []

    def linking(source: str, target: str, rels: Sequence[str]) -> list[str]:
        linked.extend(rels)
        return link_many(source, target, rels)

    def reading(folder: Path) -> dict[str, str]:
        manifests.append(folder)
        return read_manifest(folder)

    monkeypatch.setattr(write, "link_many", linking)
    monkeypatch.setattr(write, "read_manifest", reading)
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said Ada")
    report = build(config)
    assert report.touched_up
    assert not linked and spare not in manifests
    assert tree_digest(output) == fresh_digest(root, tmp_path / "fresh")


def test_without_an_atomic_exchange_the_deleted_previous_build_is_replaced_by_links(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the kernel cannot exchange two folders, the previous build is deleted at the
    swap instead of kept: a spare tree is then linked, as after a build into a new folder."""
    monkeypatch.setattr(write, "exchange", lambda a, b: False)
    root, config = built_newsroom(make_site)
    change_body(root / "content" / "herald" / "story-3.txt", "said resident", "said Ada")
    build(config, force=True)
    output, spare = root / "output", root / "output.spare"
    files = [p.relative_to(output) for p in output.rglob("*") if p.is_file()]
    assert all((spare / rel).samefile(output / rel) for rel in files if rel.name != MARKER)
    assert not list(root.glob("output.old-*")) and not list(root.glob("output.staging-*"))


def test_a_folder_where_the_spare_goes_is_left_alone(make_site: SiteMaker) -> None:
    """An empty folder that is not ours where the spare tree would go: the build into a
    new folder does not replace it (a rename onto an empty folder would)."""
    root = newsroom(make_site)
    foreign = root / "output.spare"
    foreign.mkdir()
    build(load_config(root / "config.toml"))
    assert (root / "output" / MARKER).is_file()
    assert foreign.is_dir() and list(foreign.iterdir()) == []


def test_where_hard_links_fail_a_build_leaves_no_spare_tree(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without hard links: the build publishes its site, gives up the spare
    tree after one try and leaves nothing of it behind."""
    tries: list[str] = []

    def no_link(source: str, target: str) -> None:
        tries.append(target)
        raise OSError(errno.EPERM, "hard links not supported", target)

    monkeypatch.setattr(os, "link", no_link)
    root, _config = built_newsroom(make_site)
    assert (root / "output" / "index.html").is_file()
    assert len(tries) == 1
    assert sorted(path.name for path in root.iterdir() if path.name.startswith("output")) == [
        "output"
    ]


def same_file_and_time(now: os.stat_result | None, was: os.stat_result) -> bool:
    return now is not None and (now.st_ino, now.st_mtime_ns) == (was.st_ino, was.st_mtime_ns)
