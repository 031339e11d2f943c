"""Build the sample archive with each built-in theme and photograph one article.

Writes docs/screenshots/<theme>-<view>.png for the views light, dark, sepia, print and phone
(viewport-sized, not full pages). Needs Debian's /usr/bin/chromium and the playwright package:

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from generator.config import load_config  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
THEMES = ("default", "broadsheet")
SCHEME_KEY = "gleanery-scheme"


@dataclass(frozen=True)
class View:
    """One screenshot: a name, a viewport, a stored colour scheme and a media type."""

    name: str
    width: int
    height: int
    scheme: str = "light"
    media: str = "screen"


VIEWS = (
    View("light", 1280, 900),
    View("dark", 1280, 900, scheme="dark"),
    View("sepia", 1280, 900, scheme="sepia"),
    View("print", 1280, 900, media="print"),
    View("phone", 375, 800),
)


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format: str, *args: Any) -> None:
        return


def build_sample(work: Path, theme: str) -> Path:
    """The sample archive built with ``theme`` into ``work/<theme>``."""
    site = work / f"site-{theme}"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(theme|search)\s*=.*$", "", config)
    (site / "config.toml").write_text(f'{config}\ntheme = "{theme}"\nsearch = false\n', "utf-8")
    report = build(load_config(site / "config.toml"), output=work / theme)
    if report.failed:
        raise SystemExit(f"building with {theme} failed: {report.failed}")
    return work / theme


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving ``folder`` from a background thread."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def english_article(browser: Browser, home: str) -> str:
    """The URL of the newest English article listed on the home page."""
    page = browser.new_page()
    page.goto(home)
    url = str(page.eval_on_selector(".entry[lang='en'] .entry__title a", "a => a.href"))
    page.close()
    return url


def photograph(browser: Browser, url: str, view: View, target: Path) -> None:
    """Save a viewport screenshot of ``url`` as seen in ``view``."""
    context = browser.new_context(viewport={"width": view.width, "height": view.height})
    context.add_init_script(f"localStorage.setItem({SCHEME_KEY!r}, {view.scheme!r})")
    page: Page = context.new_page()
    page.emulate_media(media="print" if view.media == "print" else "screen")
    page.goto(url)
    page.screenshot(path=str(target))
    context.close()


def main(argv: list[str] | None = None) -> int:
    """Build, serve and photograph; print each file written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        www = Path(temp) / "www"
        for theme in THEMES:
            build_sample(www, theme)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with serving(www) as base:
            for theme in THEMES:
                article = english_article(browser, f"{base}{theme}/index.html")
                for view in VIEWS:
                    target = args.out / f"{theme}-{view.name}.png"
                    photograph(browser, article, view, target)
                    print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
