"""Save-to-visible latency of ``gleanery serve --watch`` in a real browser.

``python -m tests.bench.latency --count 1000`` builds a generated corpus, serves it with
``--watch``, opens one article in Debian's Chromium and, several times, rewrites that
dump on disk and measures how long until the new text shows in the page without a
manual reload. Prints each sample and the median.
"""

from __future__ import annotations

import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.bench.corpus import editing_site
from tests.chromium import CHROMIUM, CHROMIUM_ARGS


def start_server(site: Path) -> tuple[subprocess.Popen[str], str]:
    """``gleanery serve --watch`` on a free port; its process and base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--watch", "--port", "0", "-q"],
        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("the server did not start")


PAINTED = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return paint ? performance.timeOrigin + paint.startTime : null;
}"""
"""When the page now shown was first painted (ms since the epoch), by the browser's clock."""


def measure(site: Path, samples: int) -> list[tuple[float, float]]:
    """Per save: seconds until the reloaded page showing the new text was painted (the
    browser's own paint timing), and until Playwright's polling saw the text."""
    dump = sorted((site / "content").rglob("*.txt"))[0]
    original = dump.read_text(encoding="utf-8")
    process, base = start_server(site)
    url = base + f"{dump.parent.name}/{dump.stem}/index.html"
    timings = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)  # fmt: skip
            page = browser.new_page()
            page.goto(url)
            for number in range(samples):
                marker = f"Edited paragraph number {number} for the latency benchmark."
                saved = time.time()
                dump.write_text(original.replace("\n\n", f"\n\n{marker}\n\n", 12), "utf-8")
                page.wait_for_function(f"document.body.innerText.includes({marker!r})",
                                       timeout=60_000)  # fmt: skip
                seen = time.time()
                painted = page.evaluate(PAINTED)
                shown = painted / 1000 if painted else seen
                timings.append((shown - saved, seen - saved))
                time.sleep(0.5)
            browser.close()
    finally:
        dump.write_text(original, encoding="utf-8")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    return timings


def main() -> None:
    """Command line."""
    site, count, samples = editing_site(__doc__)
    subprocess.run([sys.executable, "-m", "generator", "build", "-q"], cwd=site, check=False)
    timings = measure(site, samples)
    painted = [shown for shown, _ in timings]
    seen = [seen for _, seen in timings]
    print("painted:", " ".join(f"{t * 1000:.0f}" for t in painted), "ms")
    print("seen by Playwright's polling:", " ".join(f"{t * 1000:.0f}" for t in seen), "ms")
    print(
        f"median save-to-visible (painted): {statistics.median(painted) * 1000:.0f} ms; "
        f"seen by polling: {statistics.median(seen) * 1000:.0f} ms ({count} dumps)"
    )


if __name__ == "__main__":
    main()
