"""Map a function over items in forked copies of this process, for work that cannot be sent.

Rendering closes over the whole assembled site (templates, views, lazily made contexts),
which would cost more to pickle than to render. A forked child already has all of it:
each child takes one contiguous share of the items (so it touches, and copies, only the
objects of its share) and only the small results travel back through a pipe.
This process does its own share meanwhile, so n workers cost n - 1 children.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

PR_SET_PDEATHSIG = 1
"""prctl option: the signal a process gets when its parent dies."""

Item = TypeVar("Item")
Result = TypeVar("Result")


class WorkerError(RuntimeError):
    """A child process died or raised something that could not be sent back."""


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> list[Result]:
    """``[function(item) for item in items]``, shared among ``workers`` processes.

    An exception in a child is raised here (after every child has finished), so a failing
    item fails the whole map as it would in one process.
    """
    workers = max(1, min(workers, len(items)))
    if workers == 1 or not hasattr(os, "fork"):
        return [function(item) for item in items]
    import multiprocessing  # here: a build that renders a few files forks nothing

    context = multiprocessing.get_context("fork")
    children = []
    frozen_here = gc.get_freeze_count() == 0
    gc.freeze()  # the children's collector must not touch (and so copy) every page
    release_free_pages()
    shares = [
        items[len(items) * k // workers : len(items) * (k + 1) // workers] for k in range(workers)
    ]
    for share in shares[1:]:
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(
            target=run_share, args=(function, share, writer, os.getpid()), daemon=True
        )
        child.start()
        writer.close()
        children.append((child, reader))
    try:
        results = [function(item) for item in shares[0]]
    except BaseException:
        for child, _reader in children:
            child.terminate()
        raise
    finally:
        answers = [collect(child, reader) for child, reader in children]
        if frozen_here:
            gc.unfreeze()
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
        results.extend(answer)
    return results


def release_free_pages() -> None:
    """Give the pages the C allocator holds free back to the kernel (glibc's
    ``malloc_trim``; elsewhere nothing is done), before forking.

    What reading made and freed (each body on its way to the body store) leaves free
    pages between the blocks still in use. They stay resident, and a forked child maps
    every resident page of its parent: its resident size counts them once more. At
    50,000 dumps that was 100 MB in the main process, held twice over the rendering.
    """
    import ctypes  # here: only a build that forks needs it

    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # this process's C library
    if trim is not None:
        trim(0)


def die_with(parent: int) -> None:
    """End this child when ``parent`` dies, even by SIGKILL (Linux): else it would go on
    writing into a staging tree that the next build is cleaning up."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def run_share(
    function: Callable[[Item], Result],
    share: Sequence[Item],
    connection: Connection,
    parent: int,
) -> None:
    """A child's work: its share of the items; the results or the exception go back.

    The collector stays on: what the parent made before forking is frozen, so it never
    walks (and copies) those pages, while the cycles rendering makes (Jinja's contexts
    hold the page's view, body and all) are freed as they go.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    die_with(parent)
    try:
        answer: object = [function(item) for item in share]
    except BaseException as error:  # sent to the parent, which raises it
        answer = error
    try:
        connection.send(answer)
    except (pickle.PicklingError, TypeError, AttributeError):
        connection.send(WorkerError(f"a worker failed: {answer!r}"))
    finally:
        connection.close()


def collect(child: BaseProcess, reader: Connection) -> list[Any] | BaseException:
    """What a child sent, once it has finished."""
    try:
        answer = reader.recv()
    except EOFError:
        answer = None
    finally:
        reader.close()
        child.join()
    if answer is None:
        return WorkerError(f"a worker process died (exit code {child.exitcode})")
    return answer  # type: ignore[no-any-return]
