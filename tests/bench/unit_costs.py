"""What reading one dump and making each kind of output file cost, in CPU time, in process.

``python -m tests.bench.unit_costs SITE --dumps 1000 --rounds 5`` decodes and parses the
first dumps of the site ``SITE`` (a ``.bench/corpus-N`` folder) from their bytes, without
the parse cache, and makes every file of the site's plan without writing it, with a new
theme and renderer each round (so the template helpers start with nothing remembered).
It prints the median over the rounds, per dump and per file of each kind. To compare two
commits, run it on each in turn, several times: this machine's pace drifts. The per-page
and per-dump figures of docs/performance.md come from it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections import defaultdict
from pathlib import Path

from generator.build import site_salt, site_theme
from generator.config import load_config
from generator.crossdump import cross_dump
from generator.discover import discover
from generator.gather import read_all
from generator.read import read_settings, understand
from generator.render import Renderer
from generator.site import assemble_site


def reading_cost(site: Path, dumps: int, rounds: int) -> list[float]:
    """CPU ms per dump to understand the first ``dumps`` dumps, each round."""
    config = load_config(site / "config.toml")
    sources, _ = discover(config.content_dir, None, None)
    jobs = [
        (Path(source.path).read_bytes(), source.rel, read_settings(source, config))
        for source in sources[:dumps]
    ]
    costs = []
    for _ in range(rounds):
        started = time.process_time()
        for data, name, settings in jobs:
            understand(data, name, settings)
        costs.append((time.process_time() - started) * 1000 / len(jobs))
    return costs


def kind_of(path: str, article_pages: set[str]) -> str:
    """Which kind of output file ``path`` is."""
    if path in article_pages:
        return "article page"
    if path.endswith(".md"):
        return "Markdown twin"
    if path.endswith(".txt"):
        return "text twin"
    return "listing or other page" if path.endswith(".html") else "feed, index, static"


def making_costs(site: Path, rounds: int) -> dict[str, list[float]]:
    """CPU ms per file to make each kind of planned file, each round."""
    config = load_config(site / "config.toml")
    sources, _ = discover(config.content_dir, None, None)
    cleaned, _ = cross_dump(read_all(sources, config).documents)
    assembled = assemble_site(cleaned, config)
    gc.freeze()  # as a build does before rendering
    costs: defaultdict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        theme = site_theme(config)
        renderer = Renderer(assembled, config, theme, site_salt(config, theme))
        article_pages = {f"{url}index.html" for url in renderer.order}
        spent: defaultdict[str, float] = defaultdict(float)
        count: defaultdict[str, int] = defaultdict(int)
        for item in renderer.plan():
            kind = kind_of(item.path, article_pages)
            started = time.process_time()
            item.make()
            spent[kind] += time.process_time() - started
            count[kind] += 1
        for kind, seconds in spent.items():
            costs[kind].append(seconds * 1000 / count[kind])
    return dict(costs)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--dumps", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    site = args.site.resolve()
    rows = {"reading a dump": reading_cost(site, args.dumps, args.rounds)}
    rows.update(making_costs(site, args.rounds))
    for name, values in rows.items():
        shown = " ".join(f"{value:.3f}" for value in values)
        print(f"{name:22s} median {statistics.median(values):6.3f} ms  ({shown})")


if __name__ == "__main__":
    main()
