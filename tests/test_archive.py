"""The archive around the articles: listings by tag, date and language, overviews, related
articles, plain-text and Markdown twins, head metadata and machine-readable files."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from generator import search
from generator.build import build
from generator.config import load_config
from generator.head import script_json
from tests.conftest import ARTICLE_EN, ARTICLE_FR, SiteMaker
from tests.test_session import tagged

NO_SEARCH = 'title = "Test archive"\nper_page = 3\nsearch = false\n'


WORDS = [
    "harbour",
    "crane",
    "ferry",
    "island",
    "tide",
    "lamp",
    "keeper",
    "market",
    "bakery",
    "bread",
    "river",
    "bridge",
    "school",
    "library",
    "garden",
    "orchard",
    "engine",
    "radio",
    "notebook",
    "paper",
    "council",
    "street",
    "square",
    "tower",
    "bell",
    "winter",
    "summer",
    "morning",
    "evening",
    "storm",
    "harvest",
    "quiet",
    "busy",
    "old",
    "new",
    "bright",
    "narrow",
    "wide",
    "green",
    "stone",
    "iron",
    "glass",
    "wooden",
    "painted",
    "broken",
    "mended",
    "opened",
    "closed",
    "carried",
    "watched",
    "counted",
]


def body_text(seed: str) -> str:
    """A body of three paragraphs of its own, so no two test dumps look like one article."""
    chooser = random.Random(seed)
    paragraphs = []
    for _ in range(3):
        words = chooser.choices(WORDS, k=40)
        paragraphs.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paragraphs) + "\n"


def dated(title: str, date: str, tags: str = "[]", lang: str = "en") -> str:
    """A small English dump with front matter and a body of its own."""
    front = f'+++\ntitle = "{title}"\ndate = {date}\ntags = {tags}\nlang = "{lang}"\n+++\n'
    return front + body_text(title)


def build_site(
    make_site: SiteMaker, files: dict[str, str | bytes], config: str = NO_SEARCH
) -> Path:
    root = make_site(files, config=config)
    report = build(load_config(root / "config.toml"))
    assert not report.failed
    return root / "output"


def read(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


def titles_in(html: str) -> list[str]:
    """Entry titles of a listing page, in order."""
    return re.findall(r'class="entry__title"><a href="[^"]+">([^<]+)</a>', html)


def test_tag_listing_holds_only_tagged_articles_newest_first(make_site: SiteMaker) -> None:
    output = build_site(
        make_site,
        {
            "herald/a.txt": dated("Old crane", "2024-01-02", '["port"]'),
            "herald/b.txt": dated("New crane", "2024-03-02", '["port"]'),
            "herald/c.txt": dated("Bakery", "2024-02-02", '["food"]'),
        },
    )
    assert titles_in(read(output, "tags/port/index.html")) == ["New crane", "Old crane"]
    assert titles_in(read(output, "tags/food/index.html")) == ["Bakery"]


def test_tag_spellings_that_share_an_address_are_one_tag(make_site: SiteMaker) -> None:
    output = build_site(
        make_site,
        {
            "herald/a.txt": dated("One", "2024-01-02", '["Énergie"]'),
            "herald/b.txt": dated("Two", "2024-01-03", '["énergie"]'),
        },
    )
    assert sorted(titles_in(read(output, "tags/energie/index.html"))) == ["One", "Two"]
    overview = read(output, "tags/index.html")
    assert overview.count('href="../tags/energie/index.html"') == 1
    assert "2 articles" in overview


def test_tag_listings_are_paginated_like_the_home_page(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {
        f"herald/s{n}.txt": dated(f"Story {n}", f"2024-01-0{n}", '["port"]') for n in range(1, 8)
    }
    output = build_site(make_site, files)
    newest, oldest = ["Story 7", "Story 6", "Story 5", "Story 4"], ["Story 3", "Story 2", "Story 1"]
    assert titles_in(read(output, "tags/port/index.html")) == newest
    assert titles_in(read(output, "tags/port/page/1/index.html")) == oldest


def test_year_and_month_listings_group_by_published_date(make_site: SiteMaker) -> None:
    output = build_site(
        make_site,
        {
            "herald/a.txt": dated("March story", "2024-03-10"),
            "herald/b.txt": dated("Other March story", "2024-03-01"),
            "herald/c.txt": dated("Last year", "2023-12-31"),
        },
    )
    assert titles_in(read(output, "years/2024/index.html")) == ["March story", "Other March story"]
    assert titles_in(read(output, "years/2024/03/index.html")) == [
        "March story",
        "Other March story",
    ]
    assert titles_in(read(output, "years/2023/12/index.html")) == ["Last year"]
    overview = read(output, "years/index.html")
    assert overview.index("years/2024/index.html") < overview.index("years/2023/index.html")
    assert "March 2024" in overview
    assert "December 2023" in overview


def test_language_listings_split_the_archive_by_language(make_site: SiteMaker) -> None:
    output = build_site(
        make_site, {"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR}
    )
    french = read(output, "languages/fr/index.html")
    assert "Le marché couvert" in french
    assert "Harbour crane" not in french
    assert "In French" in french
    assert "French" in read(output, "languages/index.html")


def test_listings_other_than_a_source_link_each_entry_to_its_source(make_site: SiteMaker) -> None:
    output = build_site(make_site, {"herald/a.txt": dated("One", "2024-01-02", '["port"]')})
    entry = read(output, "tags/port/index.html").split('<ol class="entries">', 1)[1]
    assert 'href="../../sources/herald/index.html"' in entry


def test_navigation_links_the_overview_pages(make_site: SiteMaker) -> None:
    output = build_site(make_site, {"herald/a.txt": dated("One", "2024-01-02", '["port"]')})
    home = read(output, "index.html")
    for overview in ("tags/index.html", "years/index.html", "languages/index.html"):
        assert f'href="{overview}"' in home
        assert (output / overview).is_file()


def test_title_slug_stays_when_a_same_titled_dump_is_added(make_site: SiteMaker) -> None:
    first, second = dated("Harbour news", "2024-01-02"), dated("Harbour news", "2024-02-03")
    root = make_site({"herald/a1b2c3d4e5f6.txt": first}, config=NO_SEARCH)
    build(load_config(root / "config.toml"))
    before = sorted(p.parent.name for p in (root / "output" / "herald").glob("*/index.html"))
    second = second.replace(body_text("Harbour news"), body_text("Other harbour news"))
    (root / "content" / "herald" / "0f9e8d7c6b5a.txt").write_text(second, encoding="utf-8")
    build(load_config(root / "config.toml"), force=True)
    after = sorted(p.parent.name for p in (root / "output" / "herald").glob("*/index.html"))
    assert len(after) == 2
    assert set(before) <= set(after)


def test_related_articles_prefer_shared_tags(make_site: SiteMaker) -> None:
    output = build_site(
        make_site,
        {
            "herald/crane-one.txt": dated("Crane one", "2024-01-01", '["port", "crane"]'),
            "herald/unrelated.txt": dated("Unrelated", "2024-01-02"),
            "gazette/crane-two.txt": dated("Crane two", "2024-01-03", '["port", "crane"]'),
        },
    )
    related = read(output, "herald/crane-one/index.html").split('class="related"', 1)[1]
    assert related.index("Crane two") < related.index("Unrelated")
    assert "Crane one" not in related


def test_article_links_its_text_and_markdown_twins(make_site: SiteMaker) -> None:
    output = build_site(make_site, {"herald/crane.txt": ARTICLE_EN})
    page = read(output, "herald/crane/index.html")
    assert 'href="../../herald/crane/index.txt"' in page
    assert 'href="../../herald/crane/index.md"' in page
    text = read(output, "herald/crane/index.txt")
    assert text.startswith("Harbour crane returns after two years of repairs\n")
    assert "Author: Mara Quill" in text
    assert "Share this article" not in text
    markdown = read(output, "herald/crane/index.md")
    assert markdown.startswith("# Harbour crane returns after two years of repairs\n")
    assert "\n## What happens next\n" in markdown


def test_markdown_twin_shows_markup_characters_as_text(make_site: SiteMaker) -> None:
    body = ARTICLE_EN.replace(
        "Engineers replaced", "# not a heading <b>nor html</b> *nor emphasis* [nor](link)"
    )
    output = build_site(make_site, {"herald/crane.txt": body})
    markdown = read(output, "herald/crane/index.md")
    assert "<b>" not in markdown
    assert "\\*nor emphasis\\*" in markdown
    assert "\\[nor\\](link)" in markdown


def test_json_ld_text_can_never_close_its_script_element() -> None:
    text = script_json({"headline": "</script><script>alert(1)</script> & more"})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(str(text))["headline"] == "</script><script>alert(1)</script> & more"


def test_article_head_has_open_graph_and_article_data(make_site: SiteMaker) -> None:
    evil_title = '+++\ntitle = "Cranes </script><script>x()</script>"\n+++\n' + ARTICLE_EN
    config = NO_SEARCH + 'base_url = "https://example.org/archive"\n'
    output = build_site(make_site, {"herald/crane.txt": evil_title}, config)
    page = read(output, "herald/crane/index.html")
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:url" content="https://example.org/archive/herald/crane/">' in page
    assert '<link rel="canonical" href="https://example.org/archive/herald/crane/">' in page
    data = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    article = json.loads(data)
    assert article["@type"] == "Article"
    assert article["headline"] == "Cranes </script><script>x()</script>"
    assert article["author"]["name"] == "Mara Quill"
    assert "<script>x()" not in page


def test_index_json_lists_every_article_with_its_metadata(make_site: SiteMaker) -> None:
    output = build_site(
        make_site, {"herald/crane.txt": ARTICLE_EN, "gazette/marche.txt": ARTICLE_FR}
    )
    data = json.loads(read(output, "index.json"))
    by_url = {item["url"]: item for item in data["articles"]}
    assert set(by_url) == {"herald/crane/index.html", "gazette/marche/index.html"}
    crane = by_url["herald/crane/index.html"]
    assert crane["author"] == "Mara Quill"
    assert crane["lang"] == "en"
    assert crane["published"] == "2025-03-04"
    assert (output / crane["markdown_url"]).is_file()


def test_sitemap_needs_a_base_url(make_site: SiteMaker) -> None:
    output = build_site(make_site, {"herald/crane.txt": ARTICLE_EN})
    assert not (output / "sitemap.xml").exists()
    assert "Sitemap:" not in read(output, "robots.txt")


def test_sitemap_lists_pages_but_not_the_404_page(make_site: SiteMaker) -> None:
    config = NO_SEARCH + 'base_url = "https://example.org/archive/"\n'
    output = build_site(make_site, {"herald/crane.txt": ARTICLE_EN}, config)
    sitemap = read(output, "sitemap.xml")
    assert "<loc>https://example.org/archive/herald/crane/</loc>" in sitemap
    assert "<loc>https://example.org/archive/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://example.org/archive/sitemap.xml" in read(output, "robots.txt")


def test_search_off_writes_no_search_page_box_or_index(make_site: SiteMaker) -> None:
    output = build_site(make_site, {"herald/crane.txt": ARTICLE_EN})
    assert not (output / "search").exists()
    assert not (output / "pagefind").exists()
    assert 'role="search"' not in read(output, "index.html")


def test_every_page_loads_the_keyboard_script(make_site: SiteMaker) -> None:
    output = build_site(make_site, {"herald/crane.txt": ARTICLE_EN})
    for page in ("index.html", "herald/crane/index.html", "tags/index.html"):
        assert re.search(
            r'<script src="[./]*static/keys\.[0-9a-f]{8}\.js" defer>', read(output, page)
        )


def pagefind_tree(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("pagefind/**/*")
        if p.is_file()
    }


def test_search_indexes_only_the_articles(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {
        "herald/crane.txt": ARTICLE_EN,
        "gazette/marche.txt": ARTICLE_FR,
        "about.md": "# About\n\nHello.",
    }
    output = build_site(make_site, files, 'title = "Test archive"\nlanguage = "fr"\n')
    bundles = json.loads(read(output, "pagefind/gleanery-bundles.json"))["bundles"]
    assert len(bundles) == 1  # a small archive has one bundle
    entry = json.loads(read(output, f"pagefind/{bundles[0]}pagefind-entry.json"))
    assert list(entry["languages"]) == ["fr"]
    assert entry["languages"]["fr"]["page_count"] == 2
    assert (output / "search" / "index.html").is_file()
    assert 'role="search"' in read(output, "index.html")
    article = read(output, "herald/crane/index.html")
    assert "data-pagefind-body" in article
    assert "data-pagefind-body" not in read(output, "index.html")


def test_unchanged_articles_reuse_the_search_index(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config='title = "Test archive"\n')
    build(load_config(root / "config.toml"))
    first = pagefind_tree(root / "output")
    (root / "content" / "about.md").write_text("# About\n\nHello.", encoding="utf-8")
    build(load_config(root / "config.toml"), force=True)
    assert pagefind_tree(root / "output") == first


def recorded_indexing(monkeypatch: pytest.MonkeyPatch) -> list[list[list[str]]]:
    """The pages of each bundle each later build gives Pagefind, one list a build that
    indexes."""
    indexed: list[list[list[str]]] = []
    write = search.write_bundles

    def recorded(folder: Path, language: str, jobs: list[tuple[list[str], Path]]) -> None:
        indexed.append(sorted(sorted(pages) for pages, _ in jobs))
        write(folder, language, jobs)

    monkeypatch.setattr(search, "write_bundles", recorded)
    return indexed


STORIES = 6


class SplitArchive(NamedTuple):
    """A built archive whose search index is split, what Pagefind was asked to index
    (one list of bundles' pages a build) and its bundles after that first build."""

    root: Path
    indexed: list[list[list[str]]]
    bundles: dict[str, list[str]]


def split_archive(make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch) -> SplitArchive:
    """Six stories in two sources and the top folder, their index split into four bundles
    (an archive of thousands would be), built once."""
    monkeypatch.setattr(search, "bundle_count", lambda pages: 4)
    files: dict[str, str | bytes] = {
        f"{['herald/', 'gazette/', ''][n % 3]}story-{n}.txt": tagged(
            f"Story {n}", n, ["x"], f"2024-01-0{n + 1}"
        )
        for n in range(STORIES)
    }
    root = make_site(files, config='title = "Test archive"\n')
    indexed = recorded_indexing(monkeypatch)
    rebuild(root)
    return SplitArchive(root, indexed, bundles_of(root))


def rebuild(root: Path) -> None:
    build(load_config(root / "config.toml"))


def bundles_of(root: Path) -> dict[str, list[str]]:
    """Each bundle's folder, with the articles it holds (by the folder of their page)."""
    pagefind = root / "output" / "pagefind"
    listed = json.loads((pagefind / "gleanery-bundles.json").read_text("utf-8"))["bundles"]
    return {
        bundle: [
            url.removesuffix("/index.html").lstrip("/") for url in indexed_urls(pagefind / bundle)
        ]
        for bundle in listed
    }


def pages_of(folders: list[str]) -> list[str]:
    """The pages Pagefind is given for a bundle of these articles (by page folder)."""
    return sorted(f"{folder}/index.html" for folder in folders)


def test_an_edit_indexes_only_its_bundle_again(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, indexed, bundles = split_archive(make_site, monkeypatch)
    first = pagefind_tree(root / "output")
    assert len(bundles) >= 2 and sum(map(len, bundles.values())) == STORIES
    assert len(indexed[0]) == len(bundles)
    story = root / "content" / "herald" / "story-3.txt"
    story.write_text(story.read_text("utf-8") + "\nOne more line.\n", encoding="utf-8")
    rebuild(root)
    holder = next(bundle for bundle, pages in bundles.items() if "herald/story-3" in pages)
    assert indexed[1] == [pages_of(bundles[holder])]
    again = pagefind_tree(root / "output")
    prefix = f"pagefind/{holder}"
    assert {p: d for p, d in again.items() if not p.startswith(prefix)} == {
        p: d for p, d in first.items() if not p.startswith(prefix)
    }
    assert again != first


def test_a_dump_added_then_removed_by_touch_ups_comes_and_goes_from_the_index(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, indexed, bundles = split_archive(make_site, monkeypatch)
    added = root / "content" / "gazette" / "story-new.txt"
    added.write_text(tagged("Story new", 40, ["y"], "2024-01-09"), encoding="utf-8")
    report = build(load_config(root / "config.toml"))
    assert report.touched_up
    after = bundles_of(root)
    holders = [bundle for bundle, pages in after.items() if "gazette/story-new" in pages]
    assert len(holders) == 1 and holders[0] in bundles
    assert pages_of(after[holders[0]]) in indexed[1]
    assert sum(map(len, after.values())) == STORIES + 1
    added.unlink()
    report = build(load_config(root / "config.toml"))
    assert report.touched_up
    assert bundles_of(root) == bundles


def test_pagefind_writes_its_bundles_in_memory_when_there_is_room(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Creating a bundle's files on a slow disk took most of Pagefind's run; a folder in
    memory is used instead, unless it is missing or short of room (or TMPDIR is set)."""
    written: list[Path] = []
    write_bundles = search.write_bundles

    def spying(site: Path, language: str, jobs: list[tuple[str, Path]]) -> None:
        written.extend(bundle for _, bundle in jobs)
        write_bundles(site, language, jobs)

    monkeypatch.setattr(search, "write_bundles", spying)
    monkeypatch.delenv("TMPDIR", raising=False)
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY_FOLDER", memory)
    # A killed build's scratch folder, another build's (younger than SCRATCH_HOURS), and
    # something else's: only the first is removed.
    for name in ("gleanery-search-killed", "gleanery-search-running", "other"):
        (memory / name / "part").mkdir(parents=True)
        (memory / name / "part" / "fragment").write_bytes(b"x")
    hours_ago = time.time() - (search.SCRATCH_HOURS + 1) * 3600
    os.utime(memory / "gleanery-search-killed", (hours_ago, hours_ago))
    os.utime(memory / "other", (hours_ago, hours_ago))
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    (root / "config.toml").write_text('title = "Test archive"\n', encoding="utf-8")
    build(load_config(root / "config.toml"))
    assert written and all(memory in bundle.parents for bundle in written)
    assert sorted(path.name for path in memory.iterdir()) == ["gleanery-search-running", "other"]
    assert list(bundles_of(root).values()) == [["herald/crane"]]  # staged from there
    assert search.scratch_folder(10) == str(memory)
    assert search.scratch_folder(10, {"TMPDIR": str(tmp_path)}) is None
    room = os.statvfs(memory)
    assert search.scratch_folder(room.f_bavail * room.f_frsize // search.BYTES_A_PAGE + 1) is None
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path / "none")
    assert search.scratch_folder(10) is None


def test_the_first_bundle_always_carries_pagefind_library(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, indexed, bundles = split_archive(make_site, monkeypatch)
    first, second = list(bundles)[:2]
    for page in bundles[first]:  # the first bundle's articles go
        (root / "content" / f"{page}.txt").unlink()
    rebuild(root)
    # the new first bundle is indexed again for the library, even if its articles kept
    # their keys (removing articles can change what others show, and so their bundles)
    assert pages_of(bundles[second]) in indexed[1]
    pagefind = root / "output" / "pagefind"
    listed = json.loads((pagefind / "gleanery-bundles.json").read_text("utf-8"))["bundles"]
    assert listed == list(bundles)[1:]
    assert [(pagefind / bundle / "pagefind.js").is_file() for bundle in listed] == [
        number == 0 for number in range(len(listed))
    ]
    assert not (pagefind / first).exists()


def test_a_bundle_missing_a_file_is_indexed_again(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, indexed, bundles = split_archive(make_site, monkeypatch)
    victim = list(bundles)[-1]
    fragments = root / "output" / "pagefind" / victim / "fragment"
    next(fragments.iterdir()).unlink()
    rebuild(root)
    assert indexed[1:] == [[pages_of(bundles[victim])]]
    assert len(list(fragments.iterdir())) == len(bundles[victim])


def test_a_missing_search_interface_is_made_again(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, indexed, bundles = split_archive(make_site, monkeypatch)
    interface = root / "output" / "pagefind" / "pagefind-ui.js"
    made = interface.read_bytes()
    interface.unlink()  # every bundle is still as it was: the first is indexed again
    rebuild(root)
    assert indexed[1:] == [[pages_of(bundles[min(bundles)])]]
    assert interface.read_bytes() == made


def test_bundles_keep_their_pages_while_their_number_holds() -> None:
    pages = [(f"source-{n % 7}/story-{n}/index.html", f"key{n}") for n in range(3000)]
    assert search.bundle_count(500) == 1
    assert search.bundle_count(len(pages)) == 8  # bundles of at most max(500, 8 * sqrt(3000))
    parts = search.parts_of(pages)
    assert len(parts) == 8
    held = [page for part in parts.values() for page in part]
    assert sorted(held) == sorted(pages)
    assert all(part == sorted(part) for part in parts.values())
    new = ("source-1/story-new/index.html", "new")
    grown = search.parts_of([*pages, new])
    assert grown.keys() == parts.keys()
    changed = [folder for folder in parts if grown[folder] != parts[folder]]
    assert len(changed) == 1 and new in grown[changed[0]]


def odd_site(root: Path) -> Path:
    """A site of two pages, one of them named with glob characters."""
    for folder in ("herald/[odd],{x}*?", "herald/odd-x"):
        (root / folder).mkdir(parents=True)
        (root / folder / "index.html").write_text(
            f"<html><body><h1>Odd</h1><p>A page in {folder}.</p></body></html>", encoding="utf-8"
        )
    return root


def indexed_urls(bundle: Path) -> list[str]:
    """The address of each page a bundle indexed."""
    return sorted(
        json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
        for fragment in (bundle / "fragment").iterdir()
    )


def linked_while_indexing(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes | None]:
    """What the folder Pagefind is given holds while it runs (it goes afterwards): each
    file's path, with its bytes if it is a copy, None if it is a link."""
    seen: dict[str, bytes | None] = {}
    link = search.link_pages

    def listed(site: Path, pages: list[str], folder: Path) -> None:
        link(site, pages, folder)
        for path in sorted(folder.rglob("*")):
            if not path.is_dir():
                copy = None if path.is_symlink() else path.read_bytes()
                seen[path.relative_to(folder).as_posix()] = copy

    monkeypatch.setattr(search, "link_pages", listed)
    return seen


def test_pagefind_reads_only_the_pages_of_its_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind walks the folder it is given: it gets one holding links to the bundle's
    pages alone, whatever their names, not the site (any name is no glob now)."""
    from pagefind.service import get_executable

    seen = linked_while_indexing(monkeypatch)
    site = odd_site(tmp_path / "site")
    pages = ["herald/[odd],{x}*?/index.html", "herald/gone/index.html"]
    bundle = tmp_path / "scratch" / "bundle"
    bundle.parent.mkdir()
    search.write_bundle(str(get_executable()), site, pages, "en", bundle)
    assert indexed_urls(bundle) == ["/herald/[odd],{x}*?/index.html"]  # not herald/odd-x
    settings = json.loads((tmp_path / "scratch" / "bundle.settings" / "pagefind.json").read_text())
    assert settings["site"] == str(bundle.with_name("bundle.pages"))
    assert seen == {pages[0]: None}  # a link; the missing page is left out
    assert not bundle.with_name("bundle.pages").exists()  # gone once indexed


def test_pages_are_copied_where_links_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pagefind.service import get_executable

    def refused(self: Path, target: Path) -> None:
        raise OSError("symbolic links are not supported here")

    monkeypatch.setattr(Path, "symlink_to", refused)
    seen = linked_while_indexing(monkeypatch)
    site = odd_site(tmp_path / "site")
    pages = ["herald/[odd],{x}*?/index.html", "herald/odd-x/index.html"]
    bundle = tmp_path / "bundle"
    search.write_bundle(str(get_executable()), site, pages, "en", bundle)
    assert indexed_urls(bundle) == sorted(f"/{page}" for page in pages)
    assert seen == {page: (site / page).read_bytes() for page in pages}


def test_search_without_pagefind_warns_and_builds_the_rest(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "pagefind_available", lambda: False)
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config='title = "Test archive"\n')
    report = build(load_config(root / "config.toml"))
    assert [p.message for p in report.warnings if "pagefind" in p.message]
    assert "pip install 'pagefind[bin]'" in report.warnings[-1].message
    assert (root / "output" / "herald" / "crane" / "index.html").is_file()
    assert not (root / "output" / "pagefind").exists()


def test_a_failing_indexer_is_a_warning_not_a_broken_build(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> list[tuple[str, bytes]]:
        raise RuntimeError("service died")

    monkeypatch.setattr(search, "search_files", broken)
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config='title = "Test archive"\n')
    report = build(load_config(root / "config.toml"))
    assert any("service died" in p.message for p in report.warnings)
    assert (root / "output" / "herald" / "crane" / "index.html").is_file()
