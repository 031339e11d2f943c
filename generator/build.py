"""The build pipeline, in the one place that knows its order.

config -> discover -> read each file -> assemble the site -> render -> publish.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.batch import Failure, Job, read_many
from generator.cache import CACHE_DIR
from generator.config import Config
from generator.discover import discover
from generator.errors import Problem
from generator.model import Document, SourceFile
from generator.read import make_document, read_settings
from generator.render import render_site
from generator.site import assemble_site
from generator.theme import load_theme
from generator.write import WriteFile, check_output_dir, publish, write_file


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command line summary and the exit code."""

    output: Path
    articles: int
    pages: int
    files: int
    failed: tuple[Problem, ...]
    """Inputs that could not be used; the rest of the site was still published."""
    skipped: tuple[Problem, ...]
    """Inputs left out on purpose (empty files), with the reason."""
    warnings: tuple[Problem, ...]
    """Things worth checking in inputs that were published."""
    seconds: float

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when clean; 1 when some input failed (or, under --strict, warned)."""
        if self.failed or (strict and (self.warnings or self.skipped)):
            return 1
        return 0


@dataclass(frozen=True)
class ReadResult:
    """Every document that could be read, and what went wrong with the others."""

    documents: tuple[Document, ...]
    failed: tuple[Problem, ...]
    skipped: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def read_all(sources: Sequence[SourceFile], config: Config, *, cache: bool = True) -> ReadResult:
    """Read every input file; one bad file never stops the others."""
    jobs = [
        Job(source.path, source.rel, read_settings(source, config), config.max_dump_mb << 20)
        for source in sources
    ]
    outcomes = read_many(jobs, config.root / CACHE_DIR / "parse" if cache else None)
    documents: list[Document] = []
    failed: list[Problem] = []
    skipped: list[Problem] = []
    warnings: list[Problem] = []
    for source, outcome in zip(sources, outcomes, strict=True):
        if isinstance(outcome, Failure):
            (skipped if outcome.skipped else failed).extend(outcome.problems)
            continue
        documents.append(make_document(source, outcome, config))
        warnings.extend(Problem(source.rel, w) for w in outcome.warnings)
    return ReadResult(tuple(documents), tuple(failed), tuple(skipped), tuple(warnings))


def build(
    config: Config,
    *,
    output: Path | None = None,
    write: WriteFile = write_file,
    cache: bool = True,
) -> BuildReport:
    """Build the whole site into ``output`` (default: the configured output folder)."""
    started = time.perf_counter()
    target = (output or config.output_dir).resolve()
    check_output_dir(target, config.content_dir, config.root)
    overrides = config.root / "templates"
    theme = load_theme(
        config.themes_dir,
        config.theme,
        site_templates=overrides if overrides.is_dir() else None,
        ui_language=config.language,
        options=config.theme_options,
    )
    sources, unreadable = discover(config.content_dir)
    result = read_all(sources, config, cache=cache)
    site = assemble_site(result.documents, config)
    files = render_site(site, config, theme)
    publish(target, files, write=write)
    return BuildReport(
        output=target,
        articles=len(site.articles),
        pages=len(site.pages),
        files=len(files),
        failed=(*unreadable, *result.failed),
        skipped=result.skipped,
        warnings=result.warnings,
        seconds=time.perf_counter() - started,
    )
