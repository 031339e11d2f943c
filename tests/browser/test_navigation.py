"""The whole sample archive served under /archive/: every page and asset loads, and the
keyboard shortcuts move between articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.browser.conftest import SUB_PATH

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def internal_links(page: Any, base_url: str) -> list[str]:
    """Every same-site link target on the current page, without fragments."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [urldefrag(href)[0] for href in hrefs if href.startswith(base_url)]


def test_every_page_and_asset_loads_under_a_sub_path(page: Any, base_url: str) -> None:
    failures: list[str] = []

    def note_response(response: Any) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    page.on("response", note_response)
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    start = f"{base_url}index.html"
    queue, seen = [start], {start}
    while queue:
        url = queue.pop()
        if not urlsplit(url).path.endswith(".html"):
            assert page.request.get(url).ok, url
            continue
        response = page.goto(url)
        assert response is not None and response.ok, url
        for link in internal_links(page, base_url):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert failures == []
    assert len(seen) > 40
    assert any(url.endswith("index.md") for url in seen)


def first_article_url(page: Any, base_url: str) -> str:
    page.goto(f"{base_url}index.html")
    return str(page.eval_on_selector(".entry__title a", "a => a.href"))


def test_j_and_k_go_to_the_next_and_previous_article(page: Any, base_url: str) -> None:
    first = first_article_url(page, base_url)
    page.goto(first)
    older = urljoin(first, page.get_attribute(".article-nav a[rel='next']", "href"))
    page.keyboard.press("j")
    page.wait_for_url(older)
    page.keyboard.press("k")
    page.wait_for_url(first)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(older)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(first)


def test_slash_focuses_the_search_box(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-input"
    assert page.input_value("#site-search-input") == ""


def test_j_moves_between_entries_on_a_listing(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}index.html")
    page.keyboard.press("j")
    page.keyboard.press("j")
    focused = page.evaluate("document.activeElement.closest('.entry') !== null")
    assert focused
    second = page.eval_on_selector_all(".entry__title a", "links => links[1].href")
    assert page.evaluate("document.activeElement.href") == second


def test_reading_needs_no_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}index.html")
    page.click(".entry__title a")
    page.wait_for_load_state()
    assert page.inner_text(".article-body").strip()
    context.close()


def test_the_archive_reads_straight_from_disk(page: Any, served_root: Path) -> None:
    page.goto((served_root / SUB_PATH / "index.html").as_uri())
    page.click(".entry__title a")
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert page.inner_text(".article-body").strip()
    page.click(".tag a, .meta a")
    page.wait_for_load_state()
    assert page.query_selector(".entry__title a") is not None
