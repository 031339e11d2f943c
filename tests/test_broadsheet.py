"""The built-in broadsheet theme: a child of default that adds a stylesheet, kickers and
its own listing entries through the default templates' blocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from tests.conftest import ARTICLE_EN, ARTICLE_FR

STYLESHEETS = re.compile(
    r'<link rel="stylesheet" href="(?:\.\./)*static/([a-z-]+)\.[0-9a-f]{8}\.css"'
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-source site built with the broadsheet theme, search on."""
    root = tmp_path_factory.mktemp("broadsheet")
    (root / "content" / "harbour").mkdir(parents=True)
    (root / "content" / "carnet").mkdir(parents=True)
    (root / "content" / "harbour" / "crane.txt").write_text(ARTICLE_EN, encoding="utf-8")
    (root / "content" / "carnet" / "atelier.txt").write_text(ARTICLE_FR, encoding="utf-8")
    config = 'title = "Test archive"\ntheme = "broadsheet"\nsearch = true\n'
    (root / "config.toml").write_text(config, encoding="utf-8")
    report = build(load_config(root / "config.toml"))
    assert not report.failed, report.failed
    return root / "output"


def page(output: Path, rel: str) -> str:
    """The text of one output page."""
    return (output / rel).read_text(encoding="utf-8")


def article_page(output: Path, source: str) -> str:
    """The only article page of ``source``."""
    return next((output / source).glob("*/index.html")).read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", ["index.html", "sources/index.html", "search/index.html"])
def test_broadsheet_css_comes_after_the_default_stylesheets(site: Path, rel: str) -> None:
    sheets = STYLESHEETS.findall(page(site, rel))
    assert sheets[0] == "style" and sheets[-1] == "broadsheet"


def test_articles_carry_the_source_as_a_kicker_above_the_headline(site: Path) -> None:
    html = article_page(site, "harbour")
    kicker = html.index('class="kicker"')
    assert kicker < html.index('<h1 class="article-title">')
    assert re.search(r'class="kicker"[^>]*><a href="\.\./\.\./sources/harbour/index\.html">', html)


def test_home_entries_start_with_a_kicker_and_end_with_details(site: Path) -> None:
    html = page(site, "index.html")
    entries = re.findall(r'<li class="entry".*?</li>', html, flags=re.DOTALL)
    assert len(entries) == 2
    for entry in entries:
        assert entry.index('class="kicker"') < entry.index("entry__title")
        assert entry.index("entry__excerpt") < entry.index("entry__meta")


def test_source_listings_leave_out_the_kicker(site: Path) -> None:
    html = page(site, "sources/harbour/index.html")
    assert "entry__title" in html
    assert 'class="kicker"' not in html


def test_pages_keep_the_default_scheme_toggle(site: Path) -> None:
    html = page(site, "index.html")
    assert 'class="scheme-toggle"' in html
    assert re.search(r'<script src="static/theme\.[0-9a-f]{8}\.js">', html)
