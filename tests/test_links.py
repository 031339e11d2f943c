"""Link check of the built sample archive: every internal href and src names a file in
output/ (so the site works from disk and under any sub-path), and so does every URL that
sitemap.xml and the feeds give."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

from generator.build import build
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent
BASE_URL = "https://example.org/archive/"
LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")}
LINK_ATTRIBUTES |= {("form", "action"), ("source", "src"), ("iframe", "src")}
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


class LinkCollector(HTMLParser):
    """Collects the URL-valued attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and ("rel", "canonical") in attrs:
            return  # the one link that is absolute on purpose (only with base_url)
        for name, value in attrs:
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.links.append(value)


def page_links(html: str) -> list[str]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.links


def build_sample(workdir: Path, search: bool) -> Path:
    """The repository's sample archive, built with a base URL."""
    site = workdir / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    settings = tomllib.loads(config)
    config = re.sub(r"(?m)^(base_url|search)\s*=.*$", "", config)
    config += f'\nbase_url = "{BASE_URL}"\nsearch = {"true" if search else "false"}\n'
    assert settings.get("output_dir", "output") == "output"
    (site / "config.toml").write_text(config, encoding="utf-8")
    report = build(load_config(site / "config.toml"))
    assert not report.failed, report.failed
    return site / "output"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("links"), search=True)


def broken_links(output: Path) -> list[str]:
    """Every internal link that names no file, as ``page -> link``."""
    broken = []
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        if rel.startswith("pagefind/"):
            continue
        for link in page_links(page.read_text(encoding="utf-8")):
            if EXTERNAL.match(link) or link.startswith("#"):
                continue
            path = unquote(urlsplit(urljoin(f"http://h/{rel}", link)).path).lstrip("/")
            if not path or not (output / path).is_file():
                broken.append(f"{rel} -> {link}")
    return broken


def test_every_internal_link_names_a_file(sample: Path) -> None:
    assert broken_links(sample) == []


def test_internal_links_are_relative(sample: Path) -> None:
    absolute = []
    for page in sorted(sample.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html" or "pagefind" in page.parts:
            continue
        absolute += [link for link in page_links(html) if link.startswith(("/", BASE_URL))]
    assert absolute == []


def test_the_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/index.html">x</a><a href="../a/">dir</a><a href="https://x.org/">x</a>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == ["a/index.html -> ../b/index.html", "a/index.html -> ../a/"]


def test_every_sitemap_url_exists(sample: Path) -> None:
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(urls) > 20
    for url in urls:
        assert url.startswith(BASE_URL)
        path = url.removeprefix(BASE_URL)
        target = sample / path / "index.html" if path.endswith("/") or not path else sample / path
        assert target.is_file(), url


def test_sitemap_lists_every_article(sample: Path) -> None:
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    for twin in sample.rglob("index.md"):
        article = twin.parent.relative_to(sample).as_posix()
        assert f"<loc>{BASE_URL}{article}/</loc>" in sitemap


def test_every_feed_entry_links_an_existing_article(sample: Path) -> None:
    feeds = sorted(sample.rglob("feed.xml"))
    assert len(feeds) > 3
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, feed
        for entry in parsed.entries:
            path = PurePosixPath(entry.link.removeprefix(BASE_URL))
            assert (sample / path).is_file(), (feed, entry.link)


def test_search_bundle_and_page_are_built(sample: Path) -> None:
    assert (sample / "search" / "index.html").is_file()
    assert (sample / "pagefind" / "pagefind-ui.js").is_file()
    bundles = json.loads((sample / "pagefind" / "gleanery-bundles.json").read_text("utf-8"))
    assert bundles["bundles"]
    for number, bundle in enumerate(bundles["bundles"]):
        assert (sample / "pagefind" / bundle / "pagefind-entry.json").is_file()
        assert not (sample / "pagefind" / bundle / "pagefind-ui.js").exists()
        # the search page loads Pagefind's library from the first bundle only
        assert (sample / "pagefind" / bundle / "pagefind.js").is_file() == (number == 0)
