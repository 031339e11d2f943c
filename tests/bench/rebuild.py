"""In-process time of a ``serve --watch`` session's rebuild after one dump's body is edited.

``python -m tests.bench.rebuild --count 10000`` builds a generated corpus once with a
session into a new output folder and warms the session up (as ``serve --watch`` does at
start on a site never built), then several times inserts a paragraph into one dump and
rebuilds with the session, telling it the changed path as the watcher does. Prints each
rebuild's time, the files it rendered and the median. The save-to-visible latency in a
browser is ``tests.bench.latency``.
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from generator.build import build
from generator.config import load_config
from generator.develop import warm_up_session
from generator.session import BuildSession
from tests.bench.corpus import editing_site


def measure(site: Path, samples: int) -> list[tuple[float, int]]:
    """(seconds, files rendered) of each rebuild after an edit."""
    config = load_config(site / "config.toml")
    for tree in ("output", "output.spare"):
        shutil.rmtree(site / tree, ignore_errors=True)
    session = BuildSession()
    build(config, session=session, force=True)
    started = time.perf_counter()
    warm_up_session(session)
    print(f"session warm-up (parser, templates, spare tree): {time.perf_counter() - started:.2f} s")
    dump = sorted((site / "content").rglob("*.txt"))[0]
    original = dump.read_text(encoding="utf-8")
    timings = []
    try:
        for number in range(samples):
            marker = f"Edited paragraph number {number} for the rebuild benchmark."
            dump.write_text(original.replace("\n\n", f"\n\n{marker}\n\n", 12), "utf-8")
            started = time.perf_counter()
            report = build(config, session=session, changed={dump.resolve()})
            timings.append((time.perf_counter() - started, report.rendered))
    finally:
        dump.write_text(original, encoding="utf-8")
    return timings


def main() -> None:
    """Command line."""
    site, count, samples = editing_site(__doc__)
    timings = measure(site, samples)
    print("rebuilds:", " ".join(f"{seconds * 1000:.0f}" for seconds, _ in timings), "ms;",
          "files rendered:", " ".join(str(rendered) for _, rendered in timings))  # fmt: skip
    median = statistics.median(seconds for seconds, _ in timings)
    print(f"median rebuild after an edit: {median * 1000:.0f} ms ({count} dumps)")


if __name__ == "__main__":
    main()
