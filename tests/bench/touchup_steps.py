"""Where the time of a touch-up goes, step by step, in process.

``python -m tests.bench.touchup_steps SITE --samples 7`` appends a line to the first dump
of the built site ``SITE`` (a ``.bench/corpus-N`` folder after ``make bench``), runs
``gleanery build`` in a fresh process with a timer around each step of a touch-up, and
prints each step's median over the samples; the dump is restored at the end (the next
build is then a touch-up too). The figures of docs/performance.md's touch-up section
come from it. A step's time includes the steps it calls (``publish`` holds the staging
steps). With ``--without-spare`` each sample first sets the spare tree aside (as when it
was deleted, or could not be linked): the touch-up then links every file it keeps into a fresh staging
tree (``link_from_output``). The spare trees set aside wait in ``SITE/.bench-trash`` for
the next ``make bench`` to delete them: deleting them here would slow the file creation
of whatever is timed next.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEPS = (
    ("generator.build", None, "discover"),
    ("generator.build", None, "inputs_fingerprint"),
    ("generator.touchup", None, "load_snapshot"),
    ("generator.touchup", None, "recorded_files"),
    ("generator.touchup", None, "edited"),
    ("generator.touchup", None, "touched_files"),
    ("generator.touchup", None, "publish"),
    ("generator.touchup", "Stage", "add"),
    ("generator.touchup", "Stage", "link_from_output"),
    ("generator.touchup", "Stage", "finish"),
    ("generator.touchup", None, "save_snapshot"),
)
"""(module, class or None, function) of each timed step, as the touch-up looks it up."""


def timed(
    function: Callable[..., Any], name: str, spent: defaultdict[str, float]
) -> Callable[..., Any]:
    """``function``, adding the time each call takes to ``spent[name]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    return wrapper


def one_build(site: Path) -> dict[str, float]:
    """Build ``site`` once with the steps timed (seconds by step)."""
    spent: defaultdict[str, float] = defaultdict(float)
    started = time.perf_counter()
    modules = {name: importlib.import_module(name) for name, _, _ in STEPS}
    spent["imports"] = time.perf_counter() - started
    from generator.cli import BUILD_GC_THRESHOLDS

    gc.set_threshold(*BUILD_GC_THRESHOLDS)  # as ``gleanery build`` does
    for module_name, class_name, function in STEPS:
        owner = modules[module_name]
        if class_name is not None:
            owner = getattr(owner, class_name)
        if hasattr(owner, function):  # a step the code of another commit may lack
            setattr(owner, function, timed(getattr(owner, function), function, spent))
    from generator.build import build
    from generator.config import load_config

    config = load_config(site / "config.toml")
    started = time.perf_counter()
    report = build(config)
    spent["build"] = time.perf_counter() - started
    if not report.touched_up:
        raise SystemExit(f"{site}: the build was not a touch-up (build it once first)")
    return dict(spent)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--without-spare", action="store_true", help="set the spare tree aside")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    site = args.site.resolve()
    if args.one:
        print(json.dumps(one_build(site)))
        return
    # Here, not at the top: the timed builds must import everything they need themselves.
    from tests.bench.run import set_aside

    dump = sorted((site / "content").rglob("*.txt"))[0]
    original = dump.read_bytes()
    samples = []
    try:
        for number in range(args.samples):
            line = f"\nOne more line, {number} at {time.time_ns()}.\n"  # never one parsed before
            dump.write_bytes(original + line.encode())
            if args.without_spare:
                set_aside(site / "output.spare")
            done = subprocess.run(
                [sys.executable, "-m", "tests.bench.touchup_steps", str(site), "--one"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(done.stderr.strip() or f"the build exited with {done.returncode}")
            samples.append(json.loads(done.stdout))
    finally:
        dump.write_bytes(original)
    for name in ("build", "imports", *(step for _, _, step in STEPS)):
        values = [sample.get(name, 0.0) * 1000 for sample in samples]
        shown = " ".join(f"{value:.0f}" for value in values)
        print(f"{name:20s} median {statistics.median(values):6.1f} ms  ({shown})")


if __name__ == "__main__":
    main()
