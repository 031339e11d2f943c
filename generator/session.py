"""What a long-running process keeps between its builds (see ``BuildSession``)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config
from generator.model import Document, SourceFile
from generator.stage import BuildRecord, spare_ahead
from generator.theme import Theme

if TYPE_CHECKING:
    from generator.crossdump_memo import CrossDumpMemo
    from generator.gather import Keyed
    from generator.read import Understood
    from generator.render_memo import RenderMemo
    from generator.site import SiteMemo


@dataclass
class BuildSession:
    """What a long-running process (``serve --watch``) keeps between its builds.

    Files whose path, size, time and settings are unchanged are not read again (pages
    whose inputs are unchanged are not rendered again by any build: the output records
    each file's key). One-shot builds have no session.
    """

    sources: dict[str, SourceFile] = field(default_factory=dict)
    """The files found by the last build, by path (unchanged ones keep their object)."""
    sources_complete: bool = False
    """Whether ``sources`` came from a scan that met no problem (then a rebuild told which
    paths changed scans only their folders again)."""
    reads: dict[str, Understood] = field(default_factory=dict)
    keyed: dict[str, Keyed] = field(default_factory=dict)
    """The settings and key of each file, while ``config`` is unchanged."""
    documents: dict[str, Document] = field(default_factory=dict)
    """The document made of each file, while ``config`` is unchanged."""
    config: Config | None = None
    cross_dump: CrossDumpMemo | None = None
    """The cross-dump step's memo (lines repeated across dumps, articles saved twice)."""
    site_memo: SiteMemo | None = None
    """What the last assembly worked out (slugs, pages)."""
    render_memo: RenderMemo | None = None
    """What the last render worked out (views, keys), kept while its salt is unchanged."""
    staged: tuple[Path, BuildRecord | None, BuildRecord | None] | None = None
    """The output folder of the last successful build, its record and the record of the
    build before it (now the spare tree)."""
    swap_guard: Callable[[], AbstractContextManager[None]] = nullcontext
    """Held while a build swaps its output in (the dev server holds requests meanwhile)."""
    theme: tuple[str, Theme] | None = None
    """The theme of the last build with its salt: kept, with its compiled templates, while
    no theme file or setting changes."""

    def documents_for(self, config: Config) -> dict[str, Document]:
        """The documents kept from earlier builds; they, the files found and their keys
        are forgotten when the configuration changed."""
        if self.config != config:
            self.documents.clear()
            self.keyed.clear()
            self.sources.clear()
            self.config = config
        return self.documents

    def records_for(self, output: Path) -> tuple[BuildRecord | None, BuildRecord | None]:
        """This process's records of what ``output`` and its spare tree hold, when its last
        build was of that folder."""
        if self.staged is None or self.staged[0] != output:
            return None, None
        return self.staged[1], self.staged[2]

    def staged_into(self, output: Path, record: BuildRecord | None) -> None:
        """Remember a build of ``output``: its tree is now the output, the last one the spare."""
        self.staged = (output, record, self.records_for(output)[0])

    def make_spare_ahead(self) -> None:
        """When the last build left no spare tree (it made its output folder), make it now,
        so that the next build only brings the files it changes up to date, like the ones
        after it (at 10,000 dumps, linking every file took 0.7 s of the first edit's 1 s).

        Safe beside a build: nothing is made while one runs, and a record that no longer
        matches its tree's marker is never used.
        """
        if self.staged is None:
            return
        output, record, spare = self.staged
        if record is None or spare is not None:
            return
        made = spare_ahead(output, record)
        if made is not None and self.staged[1] is record:
            self.staged = (output, record, made)

    def cross_dump_memo(self) -> CrossDumpMemo:
        """The cross-dump step's memo (made on first use: one-shot builds never load it)."""
        from generator.crossdump_memo import CrossDumpMemo

        self.cross_dump = self.cross_dump or CrossDumpMemo()
        return self.cross_dump

    def assembly_memo(self) -> SiteMemo:
        """What earlier assemblies worked out (made on first use)."""
        from generator.site import SiteMemo

        self.site_memo = self.site_memo or SiteMemo()
        return self.site_memo

    def render_memo_for(self, salt: str) -> RenderMemo:
        """What earlier renders worked out, forgotten when the salt changed."""
        from generator.render_memo import RenderMemo

        if self.render_memo is None or self.render_memo.salt != salt:
            self.render_memo = RenderMemo(salt)
        return self.render_memo
