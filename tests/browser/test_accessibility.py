"""axe-core finds no accessibility violation on the main kinds of page, in every colour
scheme, for both built-in themes (axe is bundled by axe-playwright-python: no npm)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import SCHEMES, THEMES, PageOpener
from tests.chromium import require_package

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGE_KINDS = ["home", "article", "listing", "search"]
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
"""Only colours change between schemes, so after the first full run only these rules run."""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The axe-core build bundled with axe-playwright-python."""
    require_package("axe_playwright_python", "pip install axe-playwright-python")
    spec = importlib.util.find_spec("axe_playwright_python")
    assert spec is not None and spec.origin is not None
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page, axe: str, options: object = None) -> list[dict[str, Any]]:
    """axe-core's violations on the loaded page: every default rule unless ``options`` narrow it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe)
    violations: list[dict[str, Any]] = page.evaluate(
        "options => axe.run(document, options || {}).then(results => results.violations)", options
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule, impact and the first offending elements."""
    lines = []
    for violation in violations:
        targets = [str(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {', '.join(targets)}")
    return "\n".join(lines)


def wait_for_search_box(page: Page) -> None:
    """On the search page, let Pagefind draw its search box so axe checks it too."""
    if page.query_selector("#search") is not None:
        page.wait_for_selector("#search input", state="attached")


def violations_per_scheme(page: Page, axe: str) -> dict[str, str]:
    """Switch the page through every scheme as the toggle does (``data-scheme``), run axe."""
    found = {}
    for number, scheme in enumerate(SCHEMES):
        page.evaluate("s => document.documentElement.setAttribute('data-scheme', s)", scheme)
        violations = axe_violations(page, axe, COLOUR_RULES if number else None)
        if violations:
            found[scheme] = describe(violations)
    return found


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_axe_violations_in_any_scheme(
    kind: str,
    theme: str,
    sample_pages: dict[str, dict[str, str]],
    open_page: PageOpener,
    axe_source: str,
) -> None:
    if kind not in sample_pages[theme]:
        pytest.fail(f"the sample archive has no {kind} page (search = true was set)")
    page = open_page(sample_pages[theme][kind], SCHEMES[0])
    wait_for_search_box(page)
    assert violations_per_scheme(page, axe_source) == {}


@pytest.mark.parametrize("theme", THEMES)
def test_pages_ask_nothing_of_other_hosts(
    theme: str, sample_pages: dict[str, dict[str, str]], browser: Browser
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for url in sample_pages[theme].values():
        page.goto(url)
        wait_for_search_box(page)
    context.close()
    local = urlsplit(sample_pages[theme]["home"]).netloc
    assert requested
    assert [url for url in requested if urlsplit(url).netloc not in ("", local)] == []


def test_missing_axe_package_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no_such_axe_module package is not installed"):
        require_package("no_such_axe_module", "pip install it")


def test_missing_axe_package_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        require_package("no_such_axe_module", "pip install it")
