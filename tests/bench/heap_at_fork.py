"""What the main process holds when it forks its renderers, by type.

``python -m tests.bench.heap_at_fork SITE`` builds the site ``SITE`` (a ``.bench/corpus-N``
folder after ``make bench``) in process, every page rendered again into a folder of its
own, and stops just before the renderers fork. It prints the process's resident size
and every object reachable from the collector's objects (their contents too, tracked or
not), counted and sized by type; ``--strings`` adds the strings held in more than one
copy. The forked renderers copy most of these pages as they render (writing a reference
count or a free slot of a page copies it), so this heap, counted about twice, is what a
full build's peak is made of (docs/performance.md, "The main process stays small").
The build's folder is set aside in ``SITE/.bench-trash``, like ``make bench``'s.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.bench.run import own_memory_kb, set_aside


class Census:
    """Objects by type name: how many, and their bytes (``sys.getsizeof``)."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.size: Counter[str] = Counter()
        self.copies: Counter[str] = Counter()
        """Each string's value, counted once per distinct object holding it."""

    def take(self, roots: list[Any], strings: bool) -> None:
        """Walk everything reachable from ``roots``, each object once."""
        pending = roots
        seen = {id(self.count), id(self.size), id(self.copies), id(pending)}
        while pending:
            found = pending.pop()
            if id(found) in seen:
                continue
            seen.add(id(found))
            kind = type(found).__name__
            self.count[kind] += 1
            self.size[kind] += sys.getsizeof(found)
            if strings and type(found) is str:
                self.copies[found] += 1
            pending.extend(gc.get_referents(found))

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


class CensusTakenError(Exception):
    """Raised where the renderers would fork, once the census is taken."""


def census_before_fork(
    map_forked: Callable[..., Any], strings: bool, top: int
) -> Callable[..., Any]:
    """A stand-in for ``map_forked`` that takes the census instead of forking renderers
    (and passes any other map, such as the linking of kept files, to ``map_forked``)."""

    def stand_in(function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> Any:
        if getattr(function, "__name__", "") != "render" or workers < 2:
            return map_forked(function, items, workers)
        gc.collect()
        resident = own_memory_kb(os.getpid())[0] / 1024
        print(f"{len(items):,} files to render; resident size {resident:.0f} MB")
        census = Census()
        census.take(gc.get_objects(), strings)
        census.report(top)
        raise CensusTakenError

    return stand_in


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--strings", action="store_true", help="list strings held twice or more")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    site = args.site.resolve()
    from generator import forked, stage
    from generator.build import build
    from generator.config import load_config

    stand_in = census_before_fork(forked.map_forked, args.strings, args.top)
    stage.map_forked = stand_in  # type: ignore[attr-defined]
    output = site / f"output.heap-{time.time_ns()}"
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
