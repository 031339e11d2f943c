"""Gathering the inputs: every file read (from a session's memo, the parse cache or the
parser), one bad file never stopping the others."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from generator.body_store import BodyStore
from generator.config import CACHE_DIR, Config
from generator.errors import Problem
from generator.executors import ExecutorChoice, executor_factory
from generator.model import Document, SourceFile
from generator.progress import Progress, no_progress

if TYPE_CHECKING:
    from generator.read import ReadSettings, Understood

LOCAL = ExecutorChoice("local")


@dataclass(frozen=True)
class ReadResult:
    """Every document that could be read, and what went wrong with the others."""

    documents: tuple[Document, ...]
    failed: tuple[Problem, ...]
    skipped: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def read_key(source: SourceFile, settings: ReadSettings) -> str:
    """What identifies a file's content, short of reading it: path, size, time and settings
    (the parse cache's record and the session's memo are keyed by it)."""
    return repr((source.rel, source.size, source.mtime_ns, settings))


@dataclass(frozen=True, slots=True)
class Keyed:
    """A file with the settings it is read with and the key it is known by."""

    source: SourceFile
    settings: ReadSettings
    stat_id: str
    """Its ``read_key``."""


def keyed_sources(
    sources: Sequence[SourceFile], config: Config, memo: dict[str, Keyed] | None
) -> list[Keyed]:
    """Each file with its settings and keys; a session's ``memo`` keeps those of files that
    are the same objects as at its last build (``memo`` holds for one configuration).
    Files read alike share one settings object (nearly all of them)."""
    from generator.read import read_settings

    result = []
    shared: dict[ReadSettings, ReadSettings] = {}
    for source in sources:
        known = memo.get(source.rel) if memo is not None else None
        if known is None or known.source is not source:
            settings = read_settings(source, config)
            settings = shared.setdefault(settings, settings)
            known = Keyed(source, settings, read_key(source, settings))
        result.append(known)
    if memo is not None:
        memo.clear()
        memo.update((keyed.source.rel, keyed) for keyed in result)
    return result


def read_all(
    sources: Sequence[SourceFile],
    config: Config,
    *,
    cache: bool = True,
    executor: ExecutorChoice = LOCAL,
    progress: Progress = no_progress,
    memo: dict[str, Understood] | None = None,
    made: dict[str, Document] | None = None,
    keyed_memo: dict[str, Keyed] | None = None,
    store: BodyStore | None = None,
) -> ReadResult:
    """Read every input file; one bad file never stops the others.

    ``memo``, ``made`` and ``keyed_memo`` are a session's: what each file meant, the
    document made of it and its keys at the last build (``made`` and ``keyed_memo`` only
    hold while the configuration is the same). With ``store``, each body is kept there
    as soon as it is read or recalled, so that the bodies are never all in memory at once
    (see ``body_store``).
    """
    # Imported here: a build that finds nothing changed never loads the parser.
    from generator.batch import (
        INLINE_BELOW,
        Failure,
        Job,
        kept_outcome,
        kept_understood,
        read_many,
    )
    from generator.cache import ParseCache
    from generator.read import Understood, make_document

    keyed = keyed_sources(sources, config, keyed_memo)
    keys = [k.stat_id for k in keyed]
    known = memo if memo is not None else {}
    folder = config.root / CACHE_DIR / "parse"
    parse_cache = ParseCache(folder) if cache else None
    recalled = {}
    if parse_cache is not None:
        wanted = [key for key in keys if key not in known]
        keep = partial(kept_understood, store) if store is not None else None
        recalled = parse_cache.recall(wanted, keep)
        known = {**known, **recalled} if recalled else known
    jobs = [
        Job(k.source.path, k.source.rel, k.settings, config.max_dump_mb << 20)
        for k in keyed
        if k.stat_id not in known
    ]
    fresh = iter(
        read_many(
            jobs,
            folder if cache else None,
            executor=executor_factory(executor),
            inline_below={"serial": len(jobs) + 1, "dask": 1}.get(executor.kind, INLINE_BELOW),
            progress=progress,
            keep=partial(kept_outcome, store) if store is not None else None,
        )
    )
    outcomes = [known[key] if key in known else next(fresh) for key in keys]
    if parse_cache is not None and (jobs or recalled):  # else the record is already right
        contents = {
            key: outcome.digest
            for key, outcome in zip(keys, outcomes, strict=True)
            if isinstance(outcome, Understood) and outcome.digest
        }
        parse_cache.remember(contents)
        if jobs:  # files were read anew: entries of their earlier contents may be orphans
            parse_cache.forget_orphans(set(contents.values()), time.time())
    if memo is not None:
        kept = {k: o for k, o in zip(keys, outcomes, strict=True) if not isinstance(o, Failure)}
        memo.clear()
        memo.update(kept)
    documents: list[Document] = []
    failed: list[Problem] = []
    skipped: list[Problem] = []
    warnings: list[Problem] = []
    before = made if made is not None else {}
    keep_body = store.kept_body if store is not None else None  # bodies source rules made
    now: dict[str, Document] = {}
    for source, key, outcome in zip(sources, keys, outcomes, strict=True):
        if isinstance(outcome, Failure):
            (skipped if outcome.skipped else failed).extend(outcome.problems)
            continue
        document = before.get(key) or make_document(source, outcome, config, keep_body)
        documents.append(document)
        now[key] = document
        if outcome.warnings:
            warnings.extend(Problem(source.rel, w) for w in outcome.warnings)
    if made is not None:
        made.clear()
        made.update(now)
    return ReadResult(tuple(documents), tuple(failed), tuple(skipped), tuple(warnings))
