"""Build-speed benchmark: ``make bench`` (or ``python -m tests.bench.run --count 10000``).

Generates a deterministic corpus, then times Gleanery's full build (search off, and the
search step on its own; and into a new folder with the parse cache kept, as a CI run that
restores it builds), a no-change build, three one-dump-changed builds (touch-ups; the
first one brings up to date the spare tree the full build left), one whose
title changed, one whose date changed, one dump added and the same one removed (dated
among the others, then newer than all), all touch-ups, with the peak memory of the whole
process tree. Hugo (bare templates, then a theme like Gleanery's) and Pelican are timed on
the equivalent Markdown corpus when they are installed (never installed by this script),
and so is markdown-it-py with Jinja alone (``floor``). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from tests.bench.corpus import CORPUS_SEED, dump_text, make_spec, write_corpus

GLEANERY = [sys.executable, "-m", "generator"]
HUGO_THEME = Path(__file__).with_name("hugo_theme")
"""A Hugo project (configuration and layouts) like Gleanery's default theme."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A dump's date line (``tests.bench.corpus`` writes one under the byline)."""
SAMPLE_SECONDS = 0.1
"""How often memory is sampled: reading PSS walks page tables, so not too often."""


@dataclass(frozen=True)
class Measure:
    """One timed command."""

    label: str
    seconds: float
    peak_mb: float
    """Peak of the process tree's summed RSS (shared pages counted once per process)."""
    peak_pss_mb: float = 0.0
    """Peak of the summed PSS (shared pages split among the processes sharing them)."""


def own_memory_kb(pid: int) -> tuple[int, int]:
    """A process's (RSS, PSS) in KiB.

    Forked workers share their parent's pages until they write to them: a sum of RSS
    counts those pages once per process, a sum of PSS splits them among their users.
    """
    values = {}
    for name, field in (("status", "VmRSS:"), ("smaps_rollup", "Pss:")):
        try:
            rows = Path(f"/proc/{pid}/{name}").read_text().splitlines()
        except OSError:
            rows = []
        found = [int(row.split()[1]) for row in rows if row.startswith(field)]
        values[field] = found[0] if found else 0
    return values["VmRSS:"], values["Pss:"] or values["VmRSS:"]


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) of a process and all its descendants, in KiB."""
    rss = pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        own_rss, own_pss = own_memory_kb(current)
        rss, pss = rss + own_rss, pss + own_pss
        pending.extend(int(child) for child in children)
    return rss, pss


def measured_environment() -> dict[str, str]:
    """This environment, less PYTHONDONTWRITEBYTECODE: with it set (as on some sandboxes),
    every run compiles every module of the package again, about 0.1 s that no installed
    copy (pip writes the compiled files) ever pays."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(label: str, command: list[str], cwd: Path) -> Measure:
    """Run a command to completion, sampling its process tree's memory every 100 ms.

    The disk first writes out what earlier commands left in memory: a build just after a
    full one otherwise shares the disk with the flushing of its 360 MB (the later one-dump
    touch-ups at 10,000 dumps took 0.51-0.66 s in a run without the ``sync``, 0.46-0.47 s
    in the next run with it).
    """
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=measured_environment(),
    )
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.wait(SAMPLE_SECONDS):
            rss, pss = tree_memory_kb(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{label} failed ({process.returncode}): {stderr.decode()[-2000:]}")
    if process.returncode == 1:  # a build with failed inputs: its row, and the next, mislead
        said = stderr.decode(errors="replace").strip().splitlines()[-5:]
        print(f"note: {label} exited with 1:", *said, sep="\n  ", file=sys.stderr, flush=True)
    return Measure(label, seconds, peak / 1024, peak_pss / 1024)


def set_aside(path: Path) -> None:
    """Move a previous run's folder out of the way, to delete after every measure: deleting
    tens of thousands of files just before a timed build slowed that build's own file
    creation by up to 30 s of kernel time on this machine's ext4 disk."""
    if path.exists():
        trash = path.parent / ".bench-trash"
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}-{time.time_ns()}")


def empty_trash(workdir: Path) -> None:
    """Delete what ``set_aside`` moved away."""
    for trash in workdir.glob("*/.bench-trash"):
        shutil.rmtree(trash, ignore_errors=True)


def gleanery_runs(site: Path, count: int) -> list[Measure]:
    """Full, search-only, no-change and one-changed builds of the dump corpus."""
    for folder in ("output", "output.spare", ".gleanery-cache"):
        set_aside(site / folder)
    config = site / "config.toml"
    config.write_text('title = "Benchmark"\nsearch = false\n', encoding="utf-8")
    measures = [
        run(f"gleanery full build, {count} dumps, search off", [*GLEANERY, "build", "-q"], site)
    ]
    measures.append(run("gleanery no-change build", [*GLEANERY, "build", "-q"], site))
    changed = sorted((site / "content").rglob("*.txt"))[count // 2]
    for label in ("first build after the full one", "again", "and again"):
        text = changed.read_text(encoding="utf-8") + "\nOne more line.\n"
        changed.write_text(text, encoding="utf-8")
        measures.append(
            run(f"gleanery one dump changed, {label}", [*GLEANERY, "build", "-q"], site)
        )
    # A new title is a touch-up that also renders the pages relating to the article; a
    # new date is one too, which moves it in its listings: the order, listings and related
    # lists are worked out again from the snapshot, and every listing page is planned.
    lines = changed.read_text(encoding="utf-8").split("\n")
    title = next(n for n, line in enumerate(lines) if len(line.split()) >= 5)  # after the menu
    # Toggled, not prefixed again on every run: the corpus is reused, and a title grown
    # past what the parser takes for one is no touch-up.
    retitled = lines[title].removeprefix("Retitled ")
    lines[title] = retitled if retitled != lines[title] else f"Retitled {retitled}"
    changed.write_text("\n".join(lines), encoding="utf-8")
    measures.append(run("gleanery one dump retitled", [*GLEANERY, "build", "-q"], site))
    dated = next(n for n, line in enumerate(lines) if ISO_DATE.fullmatch(line))
    # Another date on every run: the corpus is reused, and the same date again would be a
    # touch-up, not the full pipeline this row is about.
    lines[dated] = "2013-01-01" if lines[dated] == "2014-01-01" else "2014-01-01"
    changed.write_text("\n".join(lines), encoding="utf-8")
    measures.append(run("gleanery one dump re-dated", [*GLEANERY, "build", "-q"], site))
    # The usual change to an archive: a new article, then the same one removed, which
    # leaves the corpus as it was for the next run. Dated as the corpus's articles are, it
    # lands somewhere in its listings and moves the pages newer than it (pages are counted
    # from the oldest); dated after all of them, as an article collected the day it came
    # out is, it changes the first page of each listing alone.
    spec = make_spec(count, seed=CORPUS_SEED)
    added = site / "content" / spec.source / f"article-{count:06d}.txt"
    for label, dated_spec in (("", spec), (", newest", replace(spec, date="2026-01-01"))):
        added.write_text(dump_text(dated_spec), encoding="utf-8")
        measures.append(run(f"gleanery one dump added{label}", [*GLEANERY, "build", "-q"], site))
        added.unlink()
        measures.append(run(f"gleanery one dump removed{label}", [*GLEANERY, "build", "-q"], site))
    config.write_text('title = "Benchmark"\nsearch = true\n', encoding="utf-8")
    with_search = run("gleanery build with search (cache warm)", [*GLEANERY, "build", "-q"], site)
    # With search on, only the search bundle holding a changed article is indexed again.
    # The first of these brings the spare tree up to date: the build above rendered every
    # file again.
    for label in ("first", "again"):
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
        measures.append(
            run(f"gleanery one dump changed, search on, {label}", [*GLEANERY, "build", "-q"], site)
        )
    config.write_text('title = "Benchmark"\nsearch = false\n', encoding="utf-8")
    without = run("gleanery build without search (cache warm)", [*GLEANERY, "build", "-q"], site)
    measures += [
        without,
        with_search,
        Measure("search indexing alone (difference)", with_search.seconds - without.seconds, 0),
    ]
    # A CI run that restores `.gleanery-cache/` into a fresh checkout: every file has a new
    # time and there is no output, so every dump is read and hashed again, found in the
    # cache, and every page is rendered into a new folder. Shown after the cold full build.
    now = time.time()
    for dump in (site / "content").rglob("*.txt"):
        os.utime(dump, (now, now))
    for folder in ("output", "output.spare"):
        set_aside(site / folder)
    restored = run(
        "gleanery full build, parse cache restored (as in CI), search off",
        [*GLEANERY, "build", "-q"],
        site,
    )
    return [measures[0], restored, *measures[1:]]


def found_command(name: str) -> str | None:
    """The absolute path of a command on PATH: the tools run in their project's folder,
    where a relative PATH entry (``.venv/bin``) would lead nowhere."""
    found = shutil.which(name)
    return str(Path(found).absolute()) if found is not None else None


def hugo_run(site: Path, count: int) -> list[Measure]:
    """Hugo on the Markdown twins, when the hugo command is installed: with bare
    templates (a title and the body; a list of links), then with a theme doing most of
    what Gleanery's default theme does (``hugo_theme``; what it leaves out and why is in
    its ``hugo.toml``)."""
    hugo = found_command("hugo")
    if hugo is None:
        return []
    bare = site / "hugo"
    set_aside(bare)
    (bare / "layouts" / "_default").mkdir(parents=True)
    shutil.copytree(site / "markdown", bare / "content")
    (bare / "hugo.toml").write_text('title = "Benchmark"\nbaseURL = "/"\n', encoding="utf-8")
    page = "<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>"
    listing = "<html><body>{{ range .Paginator.Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>{{ end }}</body></html>"
    (bare / "layouts" / "_default" / "single.html").write_text(page, encoding="utf-8")
    (bare / "layouts" / "_default" / "list.html").write_text(listing, encoding="utf-8")
    themed = site / "hugo-themed"
    set_aside(themed)
    shutil.copytree(HUGO_THEME, themed)
    shutil.copytree(site / "markdown", themed / "content")
    return [
        run(f"hugo full build, {count} pages, bare templates", [hugo, "--quiet"], bare),
        run(f"hugo full build, {count} pages, themed", [hugo, "--quiet"], themed),
    ]


def pelican_run(site: Path, count: int) -> list[Measure]:
    """Pelican on the Markdown twins, when the pelican command is installed."""
    pelican = found_command("pelican")
    if pelican is None:
        return []
    project = site / "pelican"
    set_aside(project)
    project.mkdir()
    (project / "pelicanconf.py").write_text(
        'SITENAME = "Benchmark"\nPATH = "../markdown"\n', encoding="utf-8"
    )
    return [
        run(
            f"pelican full build, {count} pages",
            [pelican, "-q", "-s", "pelicanconf.py", "-o", "out"],
            project,
        )
    ]


def floor_run(site: Path, count: int) -> list[Measure]:
    """markdown-it-py and Jinja alone on the Markdown twins, in one process (``floor``)."""
    output = site / "floor"
    set_aside(output)
    command = [sys.executable, "-m", "tests.bench.floor", str(site / "markdown"), str(output)]
    project = Path(__file__).resolve().parents[2]  # where ``tests.bench.floor`` is found
    return [run(f"markdown-it-py + Jinja alone, one process, {count} pages", command, project)]


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, nargs="+", default=[1000])
    parser.add_argument("--workdir", type=Path, default=Path(".bench"))
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| what | seconds | peak MB, RSS of the process tree | peak MB, PSS |\n|---|---|---|---|")
    for count in args.count:
        site = args.workdir.resolve() / f"corpus-{count}"
        if not (site / "content").is_dir():
            write_corpus(site, count, markdown=True)
        for measures in (gleanery_runs, hugo_run, pelican_run, floor_run):  # each shown when done
            for measure in measures(site, count):
                print(
                    f"| {measure.label} | {measure.seconds:.2f} | {measure.peak_mb:.0f} "
                    f"| {measure.peak_pss_mb:.0f} |",
                    flush=True,
                )
    empty_trash(args.workdir.resolve())


if __name__ == "__main__":
    main()
