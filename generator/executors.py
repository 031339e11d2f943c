"""Where the per-file map step runs: this process, a local process pool, or a Dask cluster.

``--executor`` takes ``local`` (default: a process pool on every core when there are
enough files), ``serial`` (everything in this process) or ``dask://HOST:PORT`` (the
optional ``gleanery[dask]`` extra). A Dask cluster's workers must have Gleanery
installed and see the content and cache folders at the same paths (a shared file system).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.errors import ConfigError, Problem

if TYPE_CHECKING:  # concurrent.futures is imported when a pool starts, as most builds start none
    from concurrent.futures import Executor

ExecutorFactory = Callable[[int], AbstractContextManager["Executor"]]


@dataclass(frozen=True)
class ExecutorChoice:
    """A parsed ``--executor`` value."""

    kind: str
    """``local``, ``serial`` or ``dask``."""
    address: str = ""
    """The scheduler address, for Dask."""

    @property
    def parallel(self) -> bool:
        return self.kind != "serial"


def parse_executor(spec: str) -> ExecutorChoice:
    """Understand an ``--executor`` value or raise a ConfigError that says what is allowed."""
    if spec in ("local", "serial"):
        return ExecutorChoice(spec)
    if spec.startswith("dask://") and len(spec) > len("dask://"):
        return ExecutorChoice("dask", "tcp://" + spec.removeprefix("dask://"))
    raise ConfigError(
        Problem("--executor", f"expected local, serial or dask://HOST:PORT, found {spec!r}")
    )


@contextmanager
def process_pool(workers: int) -> Iterator[Executor]:
    """A pool of worker processes on this machine.

    Workers ignore Ctrl-C (it reaches the whole process group): this process handles it,
    cancels what has not started and waits for the batches under way, so no worker dies
    with a traceback.
    """
    from concurrent.futures import ProcessPoolExecutor  # here: most builds start no pool

    pool = ProcessPoolExecutor(max_workers=workers, initializer=leave_interrupts_to_parent)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def leave_interrupts_to_parent() -> None:
    """In a worker: ignore Ctrl-C, which the parent handles (and then stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def dask_cluster(address: str) -> Iterator[Executor]:
    """A concurrent.futures view of a Dask cluster."""
    try:
        from distributed import Client
    except ImportError as err:
        message = "the Dask executor needs the optional extra: pip install 'gleanery[dask]'"
        raise ConfigError(Problem("--executor", message)) from err
    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except OSError as err:
        raise ConfigError(Problem("--executor", f"cannot reach Dask at {address}: {err}")) from err
    try:
        yield client.get_executor()  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]


def executor_factory(choice: ExecutorChoice) -> ExecutorFactory:
    """The factory read_many uses to get an executor for ``workers`` workers."""
    if choice.kind == "dask":
        return lambda _workers: dask_cluster(choice.address)
    return process_pool
