"""What the main process holds when it forks its renderers, by type.

``python -m tests.bench.heap_at_fork SITE`` builds the site ``SITE`` (a ``.bench/corpus-N``
folder after ``make bench``) in process, every page rendered again into a folder of its
own, and stops just before the renderers fork. It prints the process's resident size
and every object reachable from the collector's objects (their contents too, tracked or
not), counted and sized by type; ``--strings`` adds the strings held in more than one
copy. Once forked, the renderers and the main process each copy the pages they write
into (a reference count is a write), so this heap, counted about twice, is what a full
build's peak is made of (docs/performance.md, "The main process stays small").

``--pages`` lets the renderers run instead, and shows where their memory goes: each
process (the main one renders a share too) prints how many of the memory pages the main
process had at the fork it wrote into (each such page is then held twice) and how many
pages it added, with the objects on the pages it wrote into. It reads physical page
numbers from ``/proc/self/pagemap``, which needs root (Linux).

``--over-output`` builds over a copy of the site's output instead (hard links, so it
costs no space), every page's key changed as by a theme change: the main process then
also holds the record of the output already there, as the builds after the first do.
The build's folder is set aside in ``SITE/.bench-trash``, like ``make bench``'s.
"""

from __future__ import annotations

import argparse
import gc
import mmap
import os
import shutil
import struct
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tests.bench.run import own_memory_kb, set_aside


def reachable(roots: list[Any], skip: Sequence[object] = ()) -> Iterator[Any]:
    """Every object reachable from ``roots`` (the list itself and ``skip`` left out), each
    once, in no particular order; ``roots`` is used up."""
    seen = {id(roots), *map(id, skip)}
    pending = roots
    while pending:
        found = pending.pop()
        if id(found) not in seen:
            seen.add(id(found))
            yield found
            pending.extend(gc.get_referents(found))


class Census:
    """Objects by type name: how many, and their bytes (``sys.getsizeof``)."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.size: Counter[str] = Counter()
        self.copies: Counter[str] = Counter()
        """Each string's value, counted once per distinct object holding it."""

    def take(self, roots: list[Any], strings: bool) -> None:
        """Count everything reachable from ``roots``, each object once."""
        for found in reachable(roots, (self.count, self.size, self.copies)):
            kind = type(found).__name__
            self.count[kind] += 1
            self.size[kind] += sys.getsizeof(found)
            if strings and type(found) is str:
                self.copies[found] += 1

    def report(self, top: int) -> None:
        total = sum(self.size.values())
        print(f"{total / 1e6:.1f} MB in {sum(self.count.values()):,} objects")
        for kind, size in self.size.most_common(top):
            print(f"{size / 1e6:8.2f} MB {self.count[kind]:9,} {kind}")
        if self.copies:
            wasted = {
                text: (n - 1) * sys.getsizeof(text) for text, n in self.copies.items() if n > 1
            }
            print(f"strings held in more than one copy: {sum(wasted.values()) / 1e6:.2f} MB")
            for text, size in sorted(wasted.items(), key=lambda item: -item[1])[:top]:
                print(f"{size / 1e6:8.2f} MB {self.copies[text]:9,} copies of {text[:40]!r}")


def forks_renderers(function: Callable[[Any], Any], workers: int) -> bool:
    """Whether a ``map_forked`` call is the one that forks the renderers (not, say, the
    linking of kept files)."""
    return getattr(function, "__name__", "") == "render" and workers >= 2


class CensusTakenError(Exception):
    """Raised where the renderers would fork, once the census is taken."""


def census_before_fork(
    map_forked: Callable[..., Any], strings: bool, top: int
) -> Callable[..., Any]:
    """A stand-in for ``map_forked`` that takes the census instead of forking renderers
    (and passes any other map, such as the linking of kept files, to ``map_forked``)."""

    def stand_in(function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> Any:
        if not forks_renderers(function, workers):
            return map_forked(function, items, workers)
        gc.collect()
        resident = own_memory_kb(os.getpid())[0] / 1024
        print(f"{len(items):,} files to render; resident size {resident:.0f} MB")
        census = Census()
        census.take(gc.get_objects(), strings)
        census.report(top)
        raise CensusTakenError

    return stand_in


PAGE = mmap.PAGESIZE
FRAME = (1 << 55) - 1
"""The bits of a ``/proc/self/pagemap`` entry that give the page's physical frame."""
PRESENT = 1 << 63


def resident_frames() -> dict[int, int]:
    """Page number -> physical frame, for each resident page of this process's private
    writable memory (its heap and anonymous mappings, not the stack)."""
    frames: dict[int, int] = {}
    rows = Path("/proc/self/maps").read_text().splitlines()
    descriptor = os.open("/proc/self/pagemap", os.O_RDONLY)
    try:
        for row in rows:
            fields = row.split()
            name = fields[5] if len(fields) > 5 else ""
            if "w" not in fields[1] or (name.startswith("[") and name != "[heap]"):
                continue
            start, end = (int(bound, 16) // PAGE for bound in fields[0].split("-"))
            entries = os.pread(descriptor, 8 * (end - start), 8 * start)
            for offset, (entry,) in enumerate(struct.iter_unpack("<Q", entries)):
                if entry & PRESENT:
                    frames[start + offset] = entry & FRAME
    finally:
        os.close(descriptor)
    if frames and not any(frames.values()):
        raise SystemExit("--pages needs root: the kernel hides physical page numbers")
    return frames


def object_pages(roots: list[Any]) -> dict[int, Counter[str]]:
    """Page number -> bytes of each type of object on it, for every object reachable from
    ``roots`` (objects larger than a few pages, allocated apart, are left out)."""
    pages: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for found in reachable(roots, (pages,)):
        start, size = id(found), sys.getsizeof(found)
        if gc.is_tracked(found):  # the collector's header (16 bytes) comes first
            start, size = start - 16, size + 16
        first, last = start // PAGE, (start + size - 1) // PAGE
        if last - first < 4:
            kind = type(found).__name__
            for page in range(first, last + 1):
                pages[page][kind] += min(start + size, (page + 1) * PAGE) - max(start, page * PAGE)
    return dict(pages)


def report_writes(who: str, before: dict[int, int], top: int) -> None:
    """Print the pages of ``before`` this process has written into since (they now sit in
    another frame), the pages it added, and the objects on the pages it wrote into (found
    once the pages are read: walking the objects makes and frees memory of its own)."""
    now = resident_frames()
    gc.unfreeze()  # the build froze what it had made: the walk starts from every object
    on_pages = object_pages(gc.get_objects())
    written = [page for page, frame in before.items() if now.get(page, frame) != frame]
    added = len(now.keys() - before.keys())
    print(
        f"{who}: wrote into {len(written):,} of those pages ({len(written) * PAGE / 2**20:.1f}"
        f" MB), added {added:,} ({added * PAGE / 2**20:.1f} MB)"
    )
    by_kind: defaultdict[str, float] = defaultdict(float)
    for page in written:
        kinds = on_pages.get(page)
        if kinds:
            held = sum(kinds.values())
            for kind, size in kinds.items():
                by_kind[kind] += PAGE * size / held  # the page, shared by what is on it
    for kind, share in sorted(by_kind.items(), key=lambda item: -item[1])[:top]:
        print(f"{share / 2**20:8.2f} MB of pages written, holding {kind}")
    sys.stdout.flush()


def pages_written_in_render(map_forked: Callable[..., Any], top: int) -> Callable[..., Any]:
    """A stand-in for ``map_forked`` that renders as usual, each process reporting the
    pages it wrote into (``report_writes``), then stops the build."""

    def stand_in(function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> Any:
        if not forks_renderers(function, workers):
            return map_forked(function, items, workers)
        gc.collect()
        before = resident_frames()
        print(
            f"{len(items):,} files to render; at the fork the main process has "
            f"{len(before):,} pages of private memory ({len(before) * PAGE / 2**20:.1f} MB)"
        )
        main = os.getpid()
        # The last file of each child's share (as map_forked cuts them).
        last = {len(items) * (k + 1) // workers - 1 for k in range(1, workers)}

        def render_and_report(index: int) -> Any:
            made = function(items[index])
            if index in last and os.getpid() != main:
                report_writes(f"renderer {os.getpid()}", before, top)
            return made

        map_forked(render_and_report, range(len(items)), workers)
        report_writes("main process, its share rendered", before, top)
        raise CensusTakenError

    return stand_in


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--strings", action="store_true", help="list strings held twice or more")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument(
        "--pages", action="store_true", help="render, and count the pages each process writes"
    )
    parser.add_argument(
        "--over-output",
        action="store_true",
        help="build over a copy of the site's output, every page rendered again",
    )
    args = parser.parse_args()
    site = args.site.resolve()
    from generator import build as building
    from generator import forked, stage
    from generator.build import build
    from generator.config import load_config

    if args.pages:
        stand_in = pages_written_in_render(forked.map_forked, args.top)
    else:
        stand_in = census_before_fork(forked.map_forked, args.strings, args.top)
    stage.map_forked = stand_in  # type: ignore[attr-defined]
    output = site / f"output.heap-{time.time_ns()}"
    if args.over_output:
        if not (site / "output").is_dir():
            raise SystemExit("--over-output needs the site built once first")
        shutil.copytree(site / "output", output, copy_function=os.link)
        salt_of = building.site_salt
        building.site_salt = lambda config, theme: f"{salt_of(config, theme)} again"
    try:
        build(load_config(site / "config.toml"), output=output, force=True)
        raise SystemExit("the build rendered too few files to fork (build the site once first)")
    except CensusTakenError:
        pass
    finally:
        for folder in site.glob(f"{output.name}*"):
            set_aside(folder)


if __name__ == "__main__":
    main()
