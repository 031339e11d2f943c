"""The build pipeline, in the one place that knows its order.

config -> discover -> read each file -> assemble the site -> render -> publish; or, when
only a few dumps changed since the last one-shot build and the change stays within them,
config -> discover -> touch up (``touchup``: read those dumps, render what shows them).
"""

from __future__ import annotations

import gc
import os
import posixpath
import time
from collections.abc import Iterator, Mapping, Sequence, Set
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path

from generator.body_store import open_store
from generator.config import CACHE_DIR, Config
from generator.discover import discover
from generator.errors import Problem, problems_as_data, problems_from_data
from generator.executors import ExecutorChoice
from generator.fingerprint import inputs_fingerprint
from generator.gather import LOCAL, ReadResult, read_all
from generator.model import SourceFile
from generator.progress import Progress, no_progress
from generator.report import BuildReport as BuildReport
from generator.session import BuildSession
from generator.stage import Recorded, Stage, marker_identity
from generator.theme import Theme, load_theme
from generator.write import (
    WriteFile,
    check_output_dir,
    is_intact,
    preflight,
    read_marker,
    remove_leftovers_unless_busy,
    write_file,
)

SCOPED_SCAN = 256
"""A session told of at most this many changed paths scans only their folders again; more
(a checkout, a copy of many files) get a full scan, which also covers events the kernel
dropped when its queue overflowed under such a burst."""
FULL_PASS_EVERY = 1000
"""While publishing, young-generation passes between two full passes of the collector."""
YOUNG_PASS_EVERY = 700
"""While publishing, new objects between two young-generation passes (the interpreter's
default): rendering makes reference cycles (template contexts holding a page's body),
which a one-shot build's rarer passes (``cli.BUILD_GC_THRESHOLDS``) would let pile up,
20 MB more per rendering process at 10,000 dumps for no time saved."""


def render_workers(executor: ExecutorChoice, session: BuildSession | None) -> int:
    """Processes that render: every core for a one-shot build; one in a session, whose
    process also runs the server and watcher threads (forking it is not safe)."""
    if session is not None or not executor.parallel:
        return 1
    return os.cpu_count() or 1


def site_theme(config: Config) -> Theme:
    """The configured theme, with the site's own template overrides when it has them."""
    overrides = config.root / "templates"
    return load_theme(
        config.themes_dir,
        config.theme,
        site_templates=overrides if overrides.is_dir() else None,
        ui_language=config.language,
        options=config.theme_options,
        compiled=config.root / CACHE_DIR / "templates",
    )


def session_theme(config: Config, session: BuildSession | None) -> Theme:
    """The configured theme; a session's own when nothing it is made from changed."""
    if session is not None and session.theme is not None:
        salt, theme = session.theme
        if site_salt(config, theme) == salt:
            return theme
    theme = site_theme(config)
    if session is not None:
        session.theme = (site_salt(config, theme), theme)
    return theme


def theme_folders(theme: Theme, config: Config) -> list[Path]:
    """Every folder whose files can change what the theme renders."""
    return [layer.path for layer in theme.chain] + [config.root / "templates"]


def site_salt(config: Config, theme: Theme) -> str:
    """Everything outside a page's context that can change how it renders."""
    folders = theme_folders(theme, config)
    return inputs_fingerprint(config.file, folders, (), config.output_dir)


def unchanged_report(
    marker: Mapping[str, object], target: Path, fingerprint: str, started: float
) -> BuildReport | None:
    """The previous build's report when ``marker`` (the output's) shows it was made from
    exactly these inputs."""
    summary = marker.get("summary")
    if marker.get("inputs") != fingerprint or not isinstance(summary, dict):
        return None
    if not is_intact(target):
        return None
    remove_leftovers_unless_busy(target)
    return BuildReport(
        output=target,
        articles=int(summary["articles"]),
        pages=int(summary["pages"]),
        files=int(summary["files"]),
        failed=(),
        skipped=problems_from_data(summary.get("skipped")),
        merged=problems_from_data(summary.get("merged")),
        warnings=problems_from_data(summary.get("warnings")),
        seconds=time.perf_counter() - started,
        unchanged=True,
    )


def build(
    config: Config,
    *,
    output: Path | None = None,
    write: WriteFile = write_file,
    cache: bool = True,
    force: bool = False,
    executor: ExecutorChoice = LOCAL,
    progress: Progress = no_progress,
    session: BuildSession | None = None,
    changed: Set[Path] | None = None,
) -> BuildReport:
    """Build the whole site into ``output`` (default: the configured output folder).

    When nothing the build reads has changed since the last clean build, nothing is done.
    ``changed`` holds the paths a session's watcher saw change since its last build.
    """
    # A session freezes what it keeps from the start of each build (see heap_frozen).
    with heap_frozen(thaw=False) if session is not None else nullcontext():
        started = time.perf_counter()
        target = (output or config.output_dir).resolve()
        check_output_dir(target, config.content_dir, config.root)
        preflight(target)
        theme = session_theme(config, session)
        made = session.documents_for(config) if session else None  # first: it may forget sources
        known, only = None, None
        if session is not None:
            known = session.sources
            if changed is not None and session.sources_complete and len(changed) <= SCOPED_SCAN:
                only = changed_folders(changed, config.content_dir)
        sources, unreadable = discover(config.content_dir, known, only)
        if session is not None:
            session.sources_complete = not unreadable
        fingerprint = inputs_fingerprint(config.file, theme_folders(theme, config), sources, target)
        stale = session is not None and known_stale(session, target, fingerprint)
        why = full_pipeline_cause(force=force, unreadable=bool(unreadable), cache=cache)
        if not (force or unreadable or stale):
            done = shortcut_report(
                config, theme, target, sources, fingerprint, started, write,
                render_workers(executor, None) if session is None and cache else 0,
            )  # fmt: skip
            if isinstance(done, BuildReport):
                return done
            why = why or done
        reads = session.reads if session else None
        # A session keeps its documents from build to build, bodies and all.
        store = open_store(target.parent) if session is None else None
        with store or nullcontext():
            result = read_all(
                sources, config, cache=cache, executor=executor, progress=progress,
                memo=reads, made=made, keyed_memo=session.keyed if session else None,
                store=store,
            )  # fmt: skip
            if store is not None:
                store.seal()  # before rendering forks: no process inherits unwritten bytes
            with heap_frozen(thaw=True) if session is None else nullcontext():
                report = publish_site(
                    result, unreadable, config, theme, target, fingerprint, started,
                    write=write, executor=executor, progress=progress, session=session,
                    snapshot_of=sources if session is None and cache else None,
                )  # fmt: skip
    return replace(report, full_because=why) if why and session is None else report


def full_pipeline_cause(*, force: bool, unreadable: bool, cache: bool) -> str:
    """Why a one-shot build runs the full pipeline without trying a touch-up ("" when it
    may try one)."""
    if force:
        return "--force"
    if unreadable:
        return "a folder or file of the content could not be read"
    if not cache:
        return "the cache is off (--no-cache)"
    return ""


def shortcut_report(
    config: Config,
    theme: Theme,
    target: Path,
    sources: Sequence[SourceFile],
    fingerprint: str,
    started: float,
    write: WriteFile,
    touch_up_workers: int,
) -> BuildReport | str:
    """The report of a build that needs no full pipeline: nothing changed, or (with
    ``touch_up_workers``) a touch-up did it; else why the full pipeline must run ("" when
    no touch-up was tried).

    The output's marker is read once here, for both. It is let go on return: at 50,000
    dumps its file table is 32 MB of text, which the full pipeline would otherwise hold
    to the end, and every forked renderer with it.
    """
    recorded = Recorded(marker_identity(target), read_marker(target))
    previous = unchanged_report(recorded.marker, target, fingerprint, started)
    if previous is not None:
        return previous
    if not touch_up_workers:
        return ""
    from generator.touchup import touch_up  # here: a no-change build needs none of it

    salt = site_salt(config, theme)
    return touch_up(
        config, theme, salt, target, sources, fingerprint, started, recorded,
        write=write, workers=touch_up_workers,
    )  # fmt: skip


def known_stale(session: BuildSession, target: Path, fingerprint: str) -> bool:
    """Whether the session's own record shows the output was built from other inputs (so
    its marker need not be read to know the build must run)."""
    record = session.records_for(target)[0]
    if record is None:
        return False
    return record.inputs != fingerprint and marker_identity(target) == record.marker


def changed_folders(changed: Set[Path], content_dir: Path) -> set[str]:
    """The content folders (relative; "" for the top one) holding the changed paths."""
    root = content_dir.resolve()
    folders = set()
    for path in changed:
        if path.is_relative_to(root):
            rel = path.relative_to(root).as_posix()
            folders.add("" if rel == "." else posixpath.dirname(rel))
    return folders


@contextmanager
def heap_frozen(*, thaw: bool) -> Iterator[None]:
    """Leave every object made so far (the documents) out of the cyclic collector's passes.

    The documents are long-lived and acyclic; with them in the generations, each of the
    collector's full passes walked millions of objects (rendering 10,000 articles spent
    more than a second in them). Full passes are also made rarer meanwhile: with every
    older object frozen, the collector would otherwise make one every few thousand
    allocations, each walking all that the build had made so far. Young objects are still
    collected as usual.

    A session does not ``thaw``: thawing would cost its next build one full pass over
    every document kept (0.4 s for 10,000). What it froze is still freed by reference
    counting; only reference cycles among frozen objects would stay, and its builds make
    next to none (a few dozen objects).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_PASS_EVERY, thresholds[1], FULL_PASS_EVERY)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if thaw:
            gc.unfreeze()


def publish_site(
    result: ReadResult,
    unreadable: Sequence[Problem],
    config: Config,
    theme: Theme,
    target: Path,
    fingerprint: str,
    started: float,
    *,
    write: WriteFile,
    executor: ExecutorChoice,
    progress: Progress,
    session: BuildSession | None,
    snapshot_of: Sequence[SourceFile] | None = None,
) -> BuildReport:
    """Assemble, render, index and publish what was read. With ``snapshot_of`` (the inputs
    found), what the next build needs to touch the site up is recorded (see ``touchup``)."""
    # Imported here, like the reading modules: a no-change build needs none of them.
    from generator.crossdump import cross_dump
    from generator.render import Renderer
    from generator.site import assemble_site

    progress("rendering", 0, 1)
    if session is None:
        cleaned, merges = cross_dump(result.documents)
        site = assemble_site(cleaned, config)
    else:
        cleaned, merges = session.cross_dump_memo().clean(result.documents)
        site = assemble_site(cleaned, config, session.assembly_memo())
    merged = tuple(merge.problem() for merge in merges)
    salt = site_salt(config, theme)
    renderer = Renderer(
        site, config, theme, salt, session.render_memo_for(salt) if session else None
    )
    plan = renderer.plan()
    progress("writing", 0, len(plan))
    last, before = session.records_for(target) if session is not None else (None, None)
    guard = session.swap_guard if session else nullcontext
    failed = (*unreadable, *result.failed)
    spare = before.as_spare() if before is not None else None
    workers = render_workers(executor, session)
    # A session makes its spare tree in the background (``BuildSession.make_spare_ahead``).
    spare_threads = workers if session is None else 0
    with Stage(target, write, guard, (last, spare), spare_threads) as stage:
        stage.add(plan, workers=workers)
        warnings = stage.finish_site(
            renderer.indexed() if config.search else [],
            search=config.search,
            language=config.language,
            warnings=result.warnings,
            summary={
                "articles": len(site.articles),
                "pages": len(site.pages),
                "skipped": problems_as_data(result.skipped),
                "merged": problems_as_data(merged),
            },
            inputs=None if failed else fingerprint,
        )
    if session is not None:
        session.staged_into(target, stage.record)
    if snapshot_of is not None:
        from generator.touchup import record_snapshot, take_snapshot

        record_snapshot(
            config,
            None if failed else take_snapshot(
                config, salt, target, snapshot_of, result, merges, renderer, len(plan), stage
            ),
        )  # fmt: skip
    return BuildReport(
        output=target,
        articles=len(site.articles),
        pages=len(site.pages),
        files=len(stage.files),
        failed=failed,
        skipped=result.skipped,
        warnings=warnings,
        merged=merged,
        seconds=time.perf_counter() - started,
        rendered=stage.rendered,
    )
