"""Browser tests: Debian's Chromium driven by Playwright, over the sample archive served
under a sub-path by a plain threaded static server.

Without /usr/bin/chromium or the playwright package these tests are skipped with the
reason; when the CI environment variable is set they fail instead, so CI never skips them.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin

import pytest

from generator import search
from generator.build import build
from generator.config import load_config
from tests.chromium import require_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

REPO = Path(__file__).resolve().parent.parent.parent
SUB_PATH = "archive"


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="session")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose ``archive/`` sub-folder is the freshly built sample archive."""
    work = tmp_path_factory.mktemp("browser")
    site = work / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^search\s*=.*$", "", config) + "\nsearch = true\n"
    (site / "config.toml").write_text(config, encoding="utf-8")
    root = work / "www"
    root.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        # Sixteen articles make one search bundle; split them as an archive of thousands
        # is split, so that the search page merges bundles as it does there.
        patch.setattr(search, "bundle_count", lambda pages: 4)
        report = build(load_config(site / "config.toml"), output=root / SUB_PATH)
    assert not report.failed, report.failed
    assert len(list((root / SUB_PATH / "pagefind").glob("part-*"))) > 1
    return root


@pytest.fixture(scope="session")
def base_url(served_root: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/archive/``: the archive served under a sub-path."""
    handler = functools.partial(QuietHandler, directory=str(served_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# ---- Both built-in themes, each colour scheme (accessibility, measure, contrast) ----

THEMES = ("default", "broadsheet")
SCHEMES = ("light", "dark", "sepia")
"""Schemes chosen the way the toggle does it: ``SCHEME_KEY`` in localStorage."""
SCHEME_KEY = "gleanery-scheme"
"""The localStorage key themes/default/static/theme.js reads before the page is drawn."""


def sample_config(theme: str) -> str:
    """The sample archive's config.toml with ``theme`` and search switched on."""
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(theme|search)\s*=.*$", "", config)
    return f'{config}\ntheme = "{theme}"\nsearch = true\n'


@pytest.fixture(scope="session")
def themes_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built once per built-in theme, into ``<root>/<theme>/``."""
    require_browser()
    work = tmp_path_factory.mktemp("themes")
    for theme in THEMES:
        site = work / f"site-{theme}"
        shutil.copytree(REPO / "content", site / "content")
        (site / "config.toml").write_text(sample_config(theme), encoding="utf-8")
        report = build(load_config(site / "config.toml"), output=work / "www" / theme)
        assert not report.failed, report.failed
    return work / "www"


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving ``folder`` from a background thread."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def themes_url(themes_root: Path) -> Iterator[str]:
    """The URL of ``themes_root``: the default theme's home is ``<url>default/index.html``."""
    with serving(themes_root) as url:
        yield url


ENTRY_LINK = r'class="entry__title"><a href="([^"]+)"'
SOURCE_LINK = r'class="source-list__item">\s*<a href="([^"]+)"'


def first_link(html: str, pattern: str) -> str:
    """The href captured by ``pattern`` in ``html`` (our own templates' markup)."""
    found = re.search(pattern, html)
    assert found, f"no link matching {pattern!r}"
    return found[1]


@pytest.fixture(scope="session")
def sample_pages(themes_root: Path, themes_url: str) -> dict[str, dict[str, str]]:
    """Per theme, the URL of the home page, an article, a source listing and the search page."""
    pages: dict[str, dict[str, str]] = {}
    for theme in THEMES:
        base = f"{themes_url}{theme}/"
        home = (themes_root / theme / "index.html").read_text(encoding="utf-8")
        sources = (themes_root / theme / "sources" / "index.html").read_text(encoding="utf-8")
        pages[theme] = {
            "home": f"{base}index.html",
            "article": urljoin(base, first_link(home, ENTRY_LINK)),
            "listing": urljoin(f"{base}sources/", first_link(sources, SOURCE_LINK)),
        }
        if (themes_root / theme / "search" / "index.html").is_file():
            pages[theme]["search"] = f"{base}search/index.html"
    return pages


PageOpener = Callable[..., "Page"]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[PageOpener]:
    """``open_page(url, scheme, width=1280)``: ``url`` loaded in that scheme and width.

    Calls with the same scheme and size reuse one page (a new context costs about a second).

    ``scheme`` is one of SCHEMES (stored the way the toggle stores it) or ``"system-dark"``
    (nothing stored, the system asks for dark).
    """
    tabs: dict[tuple[str, int, int], Page] = {}

    def open_(url: str, scheme: str, width: int = 1280, height: int = 900) -> Page:
        key = (scheme, width, height)
        if key not in tabs:
            system: Literal["dark", "light"] = "dark" if scheme == "system-dark" else "light"
            size: ViewportSize = {"width": width, "height": height}
            context = browser.new_context(viewport=size, color_scheme=system)
            if scheme in SCHEMES:
                context.add_init_script(f"localStorage.setItem({SCHEME_KEY!r}, {scheme!r})")
            tabs[key] = context.new_page()
        tab = tabs[key]
        tab.goto(url)
        shown = tab.evaluate("document.documentElement.getAttribute('data-scheme')")
        assert shown == (scheme if scheme in SCHEMES else None), f"{url}: scheme {shown}"
        return tab

    yield open_
    for tab in tabs.values():
        tab.context.close()
