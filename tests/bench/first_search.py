"""What a reader's first search costs on a built archive, in a real browser.

``python -m tests.bench.first_search OUTPUT WORD...`` serves the built site ``OUTPUT``
over HTTP on this machine and, for each word, opens the search page in Debian's Chromium
with that query and waits for the first result. Prints the requests made to
``pagefind/``, the bytes they brought and the time to the first result: the reader's side
of how the search index is split into bundles (``generator.search.bundle_count``).
"""

from __future__ import annotations

import argparse
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: Any) -> None:
        return


def first_search(base_url: str, word: str, browser: Any) -> str:
    """One first search for ``word``: a line saying what it cost."""
    page = browser.new_page()
    bundle_requests: list[str] = []
    sizes: list[int] = []

    def answered(response: Any) -> None:
        if "/pagefind/" in response.url:
            bundle_requests.append(response.url)
            sizes.append(int(response.headers.get("content-length", 0)))

    page.on("response", answered)
    started = time.perf_counter()
    page.goto(f"{base_url}search/index.html?q={word}")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=120_000)
    seconds = time.perf_counter() - started
    page.close()
    return (
        f"{word}: first result after {seconds:.2f} s; {len(bundle_requests)} requests to "
        f"pagefind/ for {sum(sizes) / 1024:.0f} KB"
    )


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, help="a built site with search on")
    parser.add_argument("words", nargs="+")
    args = parser.parse_args()
    handler = functools.partial(QuietHandler, directory=str(args.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for word in args.words:
                print(first_search(f"http://127.0.0.1:{server.server_port}/", word, browser))
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
