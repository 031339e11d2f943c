"""Read many input files: through the cache, in batches, on every core when it pays.

Each worker reads, looks up, parses and stores its own files, so the main process does
no per-file work but dispatching; results come back in input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.body_store import BodyStore
from generator.cache import ParseCache
from generator.decode import read_dump_bytes
from generator.errors import DumpError, Problem
from generator.executors import ExecutorFactory, process_pool
from generator.progress import Progress, no_progress
from generator.read import EmptyDumpError, ReadSettings, Understood, understand

INLINE_BELOW = 200
"""Fewer files than this are read in-process: starting workers would cost more."""


@dataclass(frozen=True, slots=True)
class Job:
    """One file to read, with everything a worker needs to know about it.

    Small, as every worker is forked with the main process's list of them: the path is
    the text the file was found by (a ``Path`` object each cost 0.4 KB, and 2.6 times
    that in the resident size of a main process and two workers).
    """

    path: str
    rel: str
    settings: ReadSettings
    max_bytes: int


@dataclass(frozen=True)
class Failure:
    """Why a file could not be used; ``skipped`` marks empty files (not an error)."""

    problems: tuple[Problem, ...]
    skipped: bool = False


Outcome = Understood | Failure


def read_job(job: Job, cache: ParseCache | None) -> Outcome:
    """Read and understand one file, using and filling the cache."""
    try:
        data = read_dump_bytes(Path(job.path), name=job.rel, max_bytes=job.max_bytes)
        key = cache.key(data, job.settings) if cache else ""
        cached = cache.get(key) if cache else None
        if cached is not None:
            return cached
        understood = understand(data, job.rel, job.settings)
    except EmptyDumpError as err:
        return Failure(tuple(err.problems), skipped=True)
    except DumpError as err:
        return Failure(tuple(err.problems))
    except (RecursionError, MemoryError, UnicodeError, ValueError) as err:
        return Failure((Problem(job.rel, f"could not be parsed: {type(err).__name__}: {err}"),))
    if cache:
        cache.put(key, understood)
    return understood


def kept_understood(store: BodyStore, understood: Understood) -> Understood:
    """``understood`` with its body kept in ``store`` (see ``body_store``)."""
    body = store.kept_body(understood.body)
    return understood if body is understood.body else replace(understood, body=body)


def kept_outcome(store: BodyStore, outcome: Outcome) -> Outcome:
    """``outcome`` with its body, if it has one, kept in ``store``."""
    return kept_understood(store, outcome) if isinstance(outcome, Understood) else outcome


def read_batch(jobs: Sequence[Job], cache_folder: Path | None) -> list[Outcome]:
    """Read a batch of files (runs in a worker process)."""
    cache = ParseCache(cache_folder) if cache_folder else None
    return [read_job(job, cache) for job in jobs]


SMALLEST_BATCH = 32
"""Files in the smallest batch: about a tenth of a second of parsing."""
LARGEST_BATCH = 1000
"""Files in the largest batch: a batch's results travel back pickled whole, so this bounds
the memory they take in transit (about 3 MB) however large the archive."""
SHARE_PER_BATCH = 2
"""Each batch takes this share of the files left per worker (1/2: half of a fair share)."""


def batches(jobs: Sequence[Job], workers: int) -> list[Sequence[Job]]:
    """Split into batches that shrink as the work runs out.

    Each takes half of what would be each worker's fair share of the files left: the
    first ones are large (up to ``LARGEST_BATCH``), which pays for the round trips, and
    the last ones are ``SMALLEST_BATCH`` files, so when the work runs out no worker
    waits long for another's last batch. (With four equal batches per worker, one
    worker sat idle for up to a whole batch at the end, a second or more at 10,000
    dumps.)
    """
    result = []
    start = 0
    while start < len(jobs):
        left = len(jobs) - start
        fair = -(-left // (workers * SHARE_PER_BATCH))
        size = max(SMALLEST_BATCH, min(LARGEST_BATCH, fair))
        result.append(jobs[start : start + size])
        start += size
    return result


def read_many(
    jobs: Sequence[Job],
    cache_folder: Path | None,
    *,
    executor: ExecutorFactory = process_pool,
    workers: int | None = None,
    inline_below: int = INLINE_BELOW,
    progress: Progress = no_progress,
    keep: Callable[[Outcome], Outcome] | None = None,
) -> list[Outcome]:
    """Outcomes for every job, in order; on the executor when there are enough of them.

    ``keep`` takes each outcome as its batch arrives and gives what is kept of it (a
    one-shot build moves the body out of memory: see ``body_store``).
    """
    workers = workers or os.cpu_count() or 1
    if len(jobs) < inline_below:
        inline = read_batch(jobs, cache_folder)
        progress("reading", len(inline), len(jobs))
        return list(map(keep, inline)) if keep is not None else inline
    outcomes: list[Outcome] = []
    with executor(workers) as pool:
        futures = [pool.submit(read_batch, chunk, cache_folder) for chunk in batches(jobs, workers)]
        for future in futures:
            arrived = future.result()
            outcomes.extend(map(keep, arrived) if keep is not None else arrived)
            progress("reading", len(outcomes), len(jobs))
    return outcomes
