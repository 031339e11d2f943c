"""Atom feeds of the archive, of each source and of each tag, read back with feedparser."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest

from generator.build import build
from generator.config import load_config
from generator.feeds import FEED_SIZE, rfc3339
from tests.conftest import ARTICLE_EN, SiteMaker
from tests.test_archive import body_text

CONFIG = 'title = "Test archive"\nper_page = 3\nsearch = false\n'
BASE = 'base_url = "https://example.org/archive/"\n'


def story(title: str, day: int, tags: str = "[]", body: str = "") -> str:
    """A dump published on day ``day`` of January 2024, with a body of its own."""
    front = f'+++\ntitle = "{title}"\ndate = 2024-01-{day:02d}\ntags = {tags}\n+++\n'
    return front + (body or body_text(title))


def build_feeds(make_site: SiteMaker, files: dict[str, str | bytes], config: str = CONFIG) -> Path:
    root = make_site(files, config=config)
    build(load_config(root / "config.toml"))
    return root / "output"


def parse(output: Path, rel: str) -> feedparser.FeedParserDict:
    """A feed file of the site, parsed as a feed reader would, with no parse errors."""
    parsed = feedparser.parse((output / rel).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


@pytest.fixture
def archive(make_site: SiteMaker) -> Path:
    return build_feeds(
        make_site,
        {
            "herald/one.txt": story("Herald one", 1, '["port"]'),
            "herald/two.txt": story("Herald two", 3, body=ARTICLE_EN),
            "gazette/three.txt": story("Gazette three", 2, '["port", "Fish & Chips"]'),
        },
    )


def test_archive_feed_lists_every_article_newest_first(archive: Path) -> None:
    feed = parse(archive, "feed.xml")
    assert feed.feed.title == "Test archive"
    assert [e.title for e in feed.entries] == ["Herald two", "Gazette three", "Herald one"]


def test_source_feed_lists_only_that_source(archive: Path) -> None:
    feed = parse(archive, "sources/herald/feed.xml")
    assert [e.title for e in feed.entries] == ["Herald two", "Herald one"]


def test_tag_feed_lists_only_tagged_articles(archive: Path) -> None:
    assert [e.title for e in parse(archive, "tags/port/feed.xml").entries] == [
        "Gazette three",
        "Herald one",
    ]
    fish = parse(archive, "tags/fish-chips/feed.xml")
    assert [e.title for e in fish.entries] == ["Gazette three"]
    assert {t.term for t in fish.entries[0].tags} == {"port", "Fish & Chips"}


def test_relative_entry_links_resolve_to_the_article_pages(archive: Path) -> None:
    for rel in ("feed.xml", "sources/herald/feed.xml", "tags/port/feed.xml"):
        feed_url = f"http://host/site/{rel}"
        for entry in parse(archive, rel).entries:
            target = urljoin(feed_url, entry.link).removeprefix("http://host/site/")
            assert (archive / target).is_file(), (rel, entry.link)


def test_entries_carry_dates_author_summary_and_content(archive: Path) -> None:
    entry = parse(archive, "feed.xml").entries[0]
    assert entry.published.startswith("2024-01-03")
    assert entry.author == "Mara Quill"
    assert "harbour crane" in entry.summary.lower()
    assert "<h2>What happens next</h2>" in entry.content[0].value


def test_feed_is_capped_at_the_newest_articles(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {
        f"herald/s{n:02d}.txt": story(f"Story {n}", n) for n in range(1, FEED_SIZE + 3)
    }
    feed = parse(build_feeds(make_site, files), "feed.xml")
    assert len(feed.entries) == FEED_SIZE
    assert feed.entries[0].title == f"Story {FEED_SIZE + 2}"


def test_base_url_makes_links_absolute_and_keeps_ids(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {"herald/one.txt": story("Herald one", 1)}
    plain = parse(build_feeds(make_site, files), "feed.xml")
    based = parse(build_feeds(make_site, files, CONFIG + BASE), "feed.xml")
    assert based.entries[0].link == "https://example.org/archive/herald/one/index.html"
    assert based.entries[0].id == plain.entries[0].id
    assert based.entries[0].id.startswith("urn:uuid:")


def test_markup_in_titles_stays_text(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {"herald/one.txt": story("Cranes <b>&</b> ships", 1)}
    feed = parse(build_feeds(make_site, files), "feed.xml")
    assert feed.entries[0].title == "Cranes <b>&</b> ships"


def test_listing_pages_advertise_their_feeds(archive: Path) -> None:
    page = (archive / "sources" / "herald" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in page
    assert 'href="../../sources/herald/feed.xml"' in page
    assert 'href="../../feed.xml"' in page


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2024-03-04", "2024-03-04T00:00:00Z"),
        ("2023-10-27T08:00:00+02:00", "2023-10-27T08:00:00+02:00"),
        ("2024-03-04T10:00:00Z", "2024-03-04T10:00:00Z"),
        ("sometime", None),
        (None, None),
    ],
)
def test_dates_become_atom_timestamps(iso: str | None, expected: str | None) -> None:
    assert rfc3339(iso) == expected
