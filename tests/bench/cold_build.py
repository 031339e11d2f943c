"""Where the time of a full build with a cold cache goes.

``python -m tests.bench.cold_build SITE`` builds the site ``SITE`` (a ``.bench/corpus-N``
folder) into a new folder beside its output without the parse cache, as ``gleanery build
--no-cache --output NEW`` does, with a timer around reading the dumps and around
publishing (rendering, writing, swapping in), and prints them with the wall and CPU time
of the whole build, its child processes included. The new folder is then moved into
``SITE/.bench-trash`` (as ``make bench`` sets its folders aside), not deleted: on this
machine's disk, creating files stays slow for minutes after tens of thousands were
deleted, which would slow the next run. ``make bench`` empties the trash when it ends;
delete it yourself when done measuring. To compare two commits, run it on each in turn,
several times. The cold-build figures of the README and docs/performance.md come from it.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from pathlib import Path

from tests.bench.run import set_aside
from tests.bench.touchup_steps import timed


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    site = parser.parse_args().site.resolve()
    import generator.build as build_module
    from generator.config import load_config

    spent: defaultdict[str, float] = defaultdict(float)
    for step in ("read_all", "publish_site"):
        setattr(build_module, step, timed(getattr(build_module, step), step, spent))
    config = load_config(site / "config.toml")
    output = site / f"output.cold-{time.time_ns()}"
    before = os.times()
    started = time.perf_counter()
    try:
        report = build_module.build(config, output=output, cache=False, force=True)
        wall = time.perf_counter() - started
        after = os.times()
    finally:
        set_aside(output)
        set_aside(output.with_name(f"{output.name}.spare"))
    own = after.user + after.system - before.user - before.system
    children = (
        after.children_user + after.children_system
        - before.children_user - before.children_system
    )  # fmt: skip
    print(
        f"{report.articles} articles, {report.files} files: {wall:.2f} s; "
        f"reading {spent['read_all']:.2f} s, publishing {spent['publish_site']:.2f} s; "
        f"CPU {own + children:.1f} s ({own:.1f} s in this process)"
    )


if __name__ == "__main__":
    main()
