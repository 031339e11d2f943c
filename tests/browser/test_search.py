"""Search in a real browser: the header box, Pagefind results, filters, and file://."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SUB_PATH

FRENCH_TITLE = "Les bibliothèques de quartier misent sur les ateliers de réparation"
RESULT_LINK = ".pagefind-ui__result-link"
pytestmark = pytest.mark.browser


def search_from_home(page: Any, base_url: str, query: str) -> list[str]:
    """Type ``query`` in the home page's search box, submit, and return the result titles."""
    page.goto(f"{base_url}index.html")
    page.fill("#site-search-input", query)
    page.press("#site-search-input", "Enter")
    page.wait_for_selector(RESULT_LINK)
    return [link.inner_text() for link in page.query_selector_all(RESULT_LINK)]


def result_count(page: Any) -> int:
    return len(page.query_selector_all(".pagefind-ui__result"))


def test_french_word_from_the_home_page_finds_the_french_article(page: Any, base_url: str) -> None:
    titles = search_from_home(page, base_url, "bibliothèques")
    assert titles[0] == FRENCH_TITLE
    assert page.url.startswith(f"{base_url}search/index.html?q=")


def test_results_mark_the_matched_word_and_show_the_source(page: Any, base_url: str) -> None:
    search_from_home(page, base_url, "bibliothèques")
    first = page.query_selector(".pagefind-ui__result")
    assert "bibliothèques" in first.query_selector(".pagefind-ui__result-excerpt mark").inner_text()
    assert "Le Carnet Numerique" in first.inner_text()


def test_result_links_open_the_article_under_the_sub_path(page: Any, base_url: str) -> None:
    search_from_home(page, base_url, "bibliothèques")
    page.click(RESULT_LINK)
    page.wait_for_load_state()
    assert page.url.startswith(f"{base_url}le-carnet-numerique/")
    assert page.inner_text("h1") == FRENCH_TITLE


def test_one_box_finds_german_and_english_articles_too(page: Any, base_url: str) -> None:
    assert any("Radwege" in title for title in search_from_home(page, base_url, "Radwege"))
    assert any("Lighthouse" in title for title in search_from_home(page, base_url, "lighthouse"))


def test_a_language_filter_narrows_the_results(page: Any, base_url: str) -> None:
    search_from_home(page, base_url, "de")
    before = result_count(page)
    page.click("summary:has-text('Language')")
    page.check("input[name='Language'][value='French']")
    page.wait_for_function(f"document.querySelectorAll('.pagefind-ui__result').length < {before}")
    after = result_count(page)
    assert 0 < after < before
    titles = [link.inner_text() for link in page.query_selector_all(RESULT_LINK)]
    assert FRENCH_TITLE in titles


def test_search_page_opened_from_disk_says_it_needs_http(page: Any, served_root: Path) -> None:
    page.goto((served_root / SUB_PATH / "search" / "index.html").as_uri())
    message = page.locator("#search-file-message")
    message.wait_for(state="visible")
    assert "file://" in message.inner_text()
