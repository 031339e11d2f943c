"""Where the map step runs: serial, a local process pool, or a real Dask cluster."""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator.batch import LARGEST_BATCH, SMALLEST_BATCH, batches
from generator.build import build
from generator.config import load_config
from generator.discover import discover
from generator.errors import ConfigError
from generator.executors import ExecutorChoice, parse_executor
from generator.gather import keyed_sources
from tests.conftest import SiteMaker, distinct_article, tree_digest


def corpus(count: int) -> dict[str, str | bytes]:
    """``count`` distinct dumps over two sources."""
    return {
        f"src-{n % 2}/story-{n:03d}.txt": distinct_article(f"Story number {n}", n)
        for n in range(count)
    }


def test_parses_executor_values() -> None:
    assert parse_executor("local") == ExecutorChoice("local")
    assert parse_executor("dask://10.1.2.3:8786") == ExecutorChoice("dask", "tcp://10.1.2.3:8786")
    with pytest.raises(ConfigError, match="expected local, serial or dask://HOST:PORT"):
        parse_executor("spark://x")


@pytest.mark.parametrize(("count", "workers"), [(1, 2), (200, 2), (10_000, 2), (50_000, 8)])
def test_batches_shrink_towards_the_end(count: int, workers: int) -> None:
    jobs: list[Any] = list(range(count))  # stand-ins: batching never looks inside a job
    made = batches(jobs, workers)
    sizes = [len(batch) for batch in made]
    assert [job for batch in made for job in batch] == jobs
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) <= LARGEST_BATCH
    # Once any worker takes its last batch, at most a small batch per worker is left: no
    # worker sits idle for long while another finishes a large one...
    assert all(size <= SMALLEST_BATCH for size in sizes[-workers:])
    # ... and the large batches first keep the round trips few.
    assert len(made) <= count // LARGEST_BATCH + 8 * workers


def test_files_read_alike_share_one_settings_object(make_site: SiteMaker) -> None:
    """The workers are forked with every file's settings: equal ones are one object."""
    root = make_site({**corpus(6), "about.md": "# About\n\nWho keeps this archive.\n"})
    config = load_config(root / "config.toml")
    sources, _ = discover(config.content_dir, None, None)
    objects: dict[object, set[int]] = {}
    for keyed in keyed_sources(sources, config, None):
        objects.setdefault(keyed.settings, set()).add(id(keyed.settings))
    assert len(objects) == 2, "dumps and Markdown pages are read with different settings"
    assert all(len(same) == 1 for same in objects.values())


def test_process_pool_and_serial_builds_are_identical(make_site: SiteMaker) -> None:
    root = make_site(corpus(240))
    config = load_config(root / "config.toml")
    build(config, executor=ExecutorChoice("serial"), cache=False)
    serial = tree_digest(root / "output")
    report = build(config, executor=ExecutorChoice("local"), cache=False, force=True)
    assert report.articles == 240
    assert tree_digest(root / "output") == serial


def test_dask_cluster_build_matches_local(make_site: SiteMaker) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="the Dask extra is not installed (pip install 'gleanery[dask]')"
    )
    root = make_site(corpus(40))
    config = load_config(root / "config.toml")
    build(config, executor=ExecutorChoice("serial"), cache=False)
    local = tree_digest(root / "output")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        build(config, executor=parse_executor(f"dask://{address}"), cache=False, force=True)
    assert tree_digest(root / "output") == local


def test_unreachable_dask_scheduler_is_a_clear_error(make_site: SiteMaker) -> None:
    pytest.importorskip("distributed", reason="the Dask extra is not installed")
    root = make_site(corpus(2))
    with pytest.raises(ConfigError, match=re.escape("cannot reach Dask at tcp://127.0.0.1:9")):
        build(load_config(root / "config.toml"), executor=parse_executor("dask://127.0.0.1:9"))
