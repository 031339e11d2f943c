"""A touch-up build: when a few dumps changed, came or went since the last one-shot build,
render only what they touch, working from that build's snapshot (``snapshot``) instead of
reading, assembling and viewing the whole archive again.

It applies only when nothing else changed (code, configuration, theme, output folder), each
changed, new or removed file is an article or an input that is not published (a draft, or
an empty file the build skips), or a stand-alone page that stays one with the same title
and address (it shows on itself only). An article that becomes a draft or empty is gone,
one whose address changes is gone from the old and added at the new, and an input
published that was not is added; their warnings and skips are reported as a full build
would. No other document's address may depend on them, and the cross-dump step's counts
(drafts count there, as in a full build) must show that
the change pairs no dump with another (no long block is shared with another dump). A
paragraph that crosses the repeated-paragraph threshold of its source makes every article
holding it an edit too, cleaned again (``recleaned``). Then what it
renders is exactly what a full build would render again: the changed articles' files,
their neighbours' pages, the listing pages and feeds that show them and index.json; every
other file keeps the key the output recorded. An article whose date, tags or language
changed moves among the others, and one added or removed moves them: the order, listings
and related lists are worked out again from the placements the snapshot keeps
(``rearrange``), and every listing page whose articles, neighbours, count or articles'
views changed is planned, its key deciding whether it is rendered (``changed_pages``).
Anything else, or a file to keep that is missing from the output, and the full build runs
instead (and writes a fresh snapshot); ``gleanery build -v`` says why.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from generator.batch import Failure, Job, read_batch
from generator.cache import ParseCache
from generator.config import CACHE_DIR, Config
from generator.crossdump import (
    CROWDED,
    MIN_REPEATS,
    SAME_ARTICLE,
    Merge,
    block_keys,
    drop_repeated,
    prose_folds,
    shingles,
    similarity,
)
from generator.discover import kind_of, source_folder
from generator.errors import Problem, problems_as_data, problems_from_data
from generator.feeds import feed_path
from generator.gather import ReadResult, read_key
from generator.machine_files import encoded_record, index_records
from generator.model import Document, Listing, OpenBody, Page, Site, SourceFile
from generator.read import Understood, make_document, read_settings
from generator.related import related_after
from generator.render import ArticleTable, Renderer, listing_count, page_links, page_url
from generator.render_memo import digest_of, own_key
from generator.report import BuildReport
from generator.site import (
    Placement,
    arrangement,
    make_page,
    page_placement,
    placement,
    unique_addresses,
    wanted_address,
    wanted_slug,
)
from generator.snapshot import (
    FactsData,
    FactsTable,
    FoldCounts,
    FoldHolders,
    PlacedData,
    ProblemData,
    Snapshot,
    fold_tables,
    layout_digest,
    load_snapshot,
    save_snapshot,
    snapshot_path,
)
from generator.stage import BuildRecord, Planned, Recorded, Stage, marker_identity
from generator.theme import Theme, static_files
from generator.views import (
    ArticleFacts,
    ArticleView,
    PageLink,
    RelatedLink,
    article_facts,
    markdown_twin_path,
    placed_view,
    text_twin_path,
)
from generator.write import SpareFiles, SpareRecord, WriteFile, recorded_files

MAX_TOUCHED = 64
"""More changed files than this take the full build. Each change costs a touch-up its
checks and its files; at 10,000 dumps 64 edits, or 64 new dumps, still took a third to
two thirds of the full pipeline's time (whose reading of every document is fixed)."""

# Why a touch-up does not apply (``NoTouchUpError``, and ``gleanery build -v``).
NO_SNAPSHOT = (
    "no snapshot of the last build to work from (the first build of this code, "
    "configuration and theme into this folder, or the last build had an input fail)"
)
OTHER_OUTPUT = "the output folder changed since the last build's snapshot"
TOO_MANY = f"more than {MAX_TOUCHED} dumps changed, came or went"
PAIRING_CHANGES = "a long block of it changes which other dumps are compared as copies"
HOLDS = "became or stopped being one its source repeats"
RECLEANED = (
    "paragraphs became or stopped being ones their sources repeat (boilerplate), and more "
    f"than {MAX_TOUCHED} articles hold them"
)


class StaleSnapshotError(Exception):
    """The snapshot does not hold for the output or the parse cache."""


class NoTouchUpError(Exception):
    """Why a touch-up does not apply: the full pipeline runs instead."""


class AddressChangedError(NoTouchUpError):
    """A changed article asks for another address: not an edit, but the article at its
    old address gone and one added at its new (``read_changes``)."""


DAMAGED = (KeyError, IndexError, TypeError, ValueError, AttributeError)
"""What a snapshot whose data has the right shape but wrong values (a damaged file that
still loads) can raise: then it is let go, and the full build runs."""


@dataclass(frozen=True)
class Edit:
    """One changed article, read and cleaned as the full build would clean it."""

    source: SourceFile
    position: int
    document: Document
    moved: bool = False
    """Whether its date, tags or language changed (its place among the others)."""


def placed_data(placed: Placement) -> PlacedData:
    """What the snapshot keeps of an article's placement (its address and path are kept
    apart)."""
    return (placed.source, placed.date, placed.archived, placed.tags, placed.lang)


def spare_record(snapshot: Snapshot, files: dict[str, str]) -> SpareRecord | None:
    """The spare tree's record: the output's files with the snapshot's differences."""
    if snapshot.spare is None:
        return None
    marker, changes = snapshot.spare
    return SpareRecord(marker, SpareFiles(files, changes))


def take_snapshot(
    config: Config,
    salt: str,
    target: Path,
    sources: Sequence[SourceFile],
    result: ReadResult,
    merges: Sequence[Merge],
    renderer: Renderer,
    plan_count: int,
    stage: Stage,
) -> Snapshot | None:
    """The snapshot of a full build that just published ``target`` through ``stage`` (None
    without a marker)."""
    identity = marker_identity(target)
    if identity is None:
        return None
    site, order = renderer.site, renderer.order
    position = {url: index for index, url in enumerate(order)}
    related = renderer.memo.related[1] if renderer.memo.related is not None else {}
    numbers = {source.rel: number for number, source in enumerate(sources)}
    prose, long = fold_tables(result.documents, numbers, (merge.merged for merge in merges))
    views = [renderer.views_by_url[url] for url in order]
    articles = {page.document.source_file.rel: page for page in site.articles}
    pages = {page.document.source_file.rel: page for page in site.pages}
    slugs = {rel: wanted_slug(page.document) for rel, page in (*articles.items(), *pages.items())}
    return Snapshot(
        salt=salt,
        target=str(target),
        marker=identity,
        files={source.rel: (source.size, source.mtime_ns) for source in sources},
        articles={p.document.source_file.rel: position[p.url] for p in site.articles},
        layout={rel: layout_digest(p.document, slugs[rel]) for rel, p in articles.items()},
        addresses={
            rel: (wanted_address(p.document, slugs[rel]), p.url)
            for rel, p in (*articles.items(), *pages.items())
        },
        order=list(order),
        own_keys=[renderer.own_keys[url] for url in order],
        view_keys=[renderer.view_keys[url] for url in order],
        related=[tuple(position[other] for other in related.get(url, ())) for url in order],
        placed=[placed_data(page_placement(page)) for page in site.articles],  # in ``order``
        links=[(v.title, v.source_title, v.date, v.lang) for v in views],
        listings=[
            (lst.key, lst.title, lst.base_url, positions(lst.pages, position))
            for lst in site.listings
        ],
        sources=site.sources,
        nav=[(link.title, link.url) for link in renderer.nav_pages],
        pages=len(site.pages),
        common_key=renderer.common_key,
        plan_count=plan_count,
        prose={name: counts.data() for name, counts in prose.items()},
        long=long.data(),
        warnings=problems_as_data(result.warnings),
        skipped=problems_as_data(result.skipped),
        merged=problems_as_data([merge.problem() for merge in merges]),
        paired=sorted({rel for merge in merges for rel in (merge.kept, merge.merged)}),
        spare=stage.spare_left,
        facts=FactsTable.of((*article_facts(page),) for page in site.articles),  # in ``order``
    )


def record_snapshot(config: Config, snapshot: Snapshot | None) -> None:
    """Store the snapshot of a full build; without one (some input failed, and the next
    build must read it again), remove the last one."""
    path = snapshot_path(config)
    if snapshot is None:
        path.unlink(missing_ok=True)
    else:
        save_snapshot(path, snapshot)


def positions(
    pages: Sequence[Sequence[str]], position: dict[str, int]
) -> tuple[tuple[int, ...], ...]:
    """A listing's pages as the positions of their articles."""
    return tuple(tuple(map(position.__getitem__, chunk)) for chunk in pages)


class Unpublished(NamedTuple):
    """An input changed or new that is not published (a draft, or an empty file), with
    what a full build would report of it."""

    source: SourceFile
    warnings: tuple[Problem, ...]
    skipped: tuple[Problem, ...]


class Changes(NamedTuple):
    """The inputs changed since the snapshot."""

    changed: list[SourceFile]
    added: list[SourceFile]
    removed: list[str]
    """The relative paths of the inputs gone."""
    pages: list[SourceFile]
    """The stand-alone pages changed."""
    unpublished: list[SourceFile]
    """The inputs changed that were not published (drafts, empty files, copies merged)."""


def changed_sources(snapshot: Snapshot, sources: Sequence[SourceFile]) -> Changes:
    """The inputs changed, added and removed since the snapshot, when they are few and none
    of the removed ones was a stand-alone page (NoTouchUpError otherwise)."""
    files, articles = snapshot.files, snapshot.articles
    changed: list[SourceFile] = []
    added: list[SourceFile] = []
    pages: list[SourceFile] = []
    unpublished: list[SourceFile] = []
    for source in sources:
        known = files.get(source.rel)
        if known is None:
            added.append(source)
        elif known[0] != source.size or known[1] != source.mtime_ns:
            if source.rel in articles:
                changed.append(source)
            elif source.rel in snapshot.addresses:  # a published page
                pages.append(source)
            else:
                unpublished.append(source)
        else:
            continue
        if sum(map(len, (changed, added, pages, unpublished))) > MAX_TOUCHED:
            raise NoTouchUpError(TOO_MANY)
    removed: list[str] = []
    present = len(files) - sum(known is None for known in files.values())
    if len(sources) - len(added) != present:  # then some input is gone
        rels = {source.rel for source in sources}
        removed = [rel for rel, known in files.items() if known is not None and rel not in rels]
        if sum(map(len, (changed, added, pages, unpublished))) + len(removed) > MAX_TOUCHED:
            raise NoTouchUpError(TOO_MANY)
        for rel in removed:
            if rel not in articles and rel in snapshot.addresses:
                raise NoTouchUpError(
                    f"{rel} is gone, and it was a page every page's navigation shows"
                )
    return Changes(changed, added, removed, pages, unpublished)


class Reader:
    """Documents of unchanged files from the parse cache, and changed files read anew."""

    def __init__(self, config: Config, snapshot: Snapshot, sources: dict[str, SourceFile]) -> None:
        self.config = config
        self.folder = config.root / CACHE_DIR / "parse"
        self.cache = ParseCache(self.folder)
        self.paths = self.cache.recorded()
        self.sources = sources
        self.prose = {name: FoldCounts.from_data(data) for name, data in snapshot.prose.items()}
        self.rels = list(snapshot.files)
        """The inputs in order: the fold tables number them so."""
        self.numbers = {rel: number for number, rel in enumerate(self.rels)}
        self.paired = set(snapshot.paired)
        self.skipped = {problem[0] for problem in snapshot.skipped}
        """The inputs the snapshot's build skipped (empty files)."""
        self.before: dict[str, Document] = {}
        """The documents of changed inputs as the snapshot knew them (``earlier``)."""
        self.crossed: dict[str, set[int]] = {}
        """Per source, the prose folds that became, or stopped being, repeated ones."""

    def raw(self, rel: str) -> Document:
        """The document of an unchanged file, before the cross-dump step."""
        return self.document(self.sources[rel])

    def document(self, source: SourceFile) -> Document:
        """The document of ``source`` from the parse cache, before the cross-dump step."""
        return make_document(source, self.recalled(source), self.config)

    def as_known(self, snapshot: Snapshot, rel: str) -> SourceFile:
        """The input at ``rel`` as the snapshot knew it (its size and time then; its
        source folder and kind by its path, when it is gone, as ``discover`` finds them)."""
        known = snapshot.files[rel]
        if known is None:
            raise StaleSnapshotError(f"{rel}: not an input")
        size, mtime_ns = known
        source = self.sources.get(rel)
        if source is None:
            kind = kind_of(rel)
            if kind is None:
                raise StaleSnapshotError(f"{rel}: not an input")
            path = str(self.config.content_dir / rel)
            return SourceFile(path, rel, source_folder(rel), kind, mtime_ns, size)
        return source._replace(size=size, mtime_ns=mtime_ns)

    def earlier(self, snapshot: Snapshot, rel: str) -> Document:
        """The document of the input at ``rel`` as the snapshot knew it; its record in the
        parse cache is let go (the input changed or went), and the document kept for the
        next check that asks (an article whose address changed is checked as edited, then
        as gone)."""
        document = self.before.get(rel)
        if document is None:
            earlier = self.as_known(snapshot, rel)
            document = self.before[rel] = self.document(earlier)
            self.forget(earlier)
        return document

    def now(self, source: SourceFile) -> tuple[Document | None, Unpublished | None]:
        """What a changed or new input is now: its document (None for an empty file) and,
        when it is not published, what a touch-up records of it (None when it is);
        NoTouchUpError when it cannot be read (the full build reports why)."""
        after = self.read(source)
        if isinstance(after, Failure):
            if not after.skipped:
                raise NoTouchUpError(f"{source.rel} could not be read")
            return None, Unpublished(source, (), after.problems)
        document = make_document(source, after, self.config)
        if document.draft and not self.config.drafts:
            warned = tuple(Problem(source.rel, message) for message in document.warnings)
            return document, Unpublished(source, warned, ())
        return document, None

    def forget(self, earlier: SourceFile) -> None:
        """Let go of what the parse cache's record says of an input as it was (it changed
        or went)."""
        self.paths.pop(read_key(earlier, read_settings(earlier, self.config)), None)

    def recalled(self, source: SourceFile) -> Understood:
        """What the cache holds for a file as the snapshot knew it."""
        content = self.paths.get(read_key(source, read_settings(source, self.config)))
        entry = self.cache.get(self.cache.key_of(content)) if content else None
        if entry is None or entry.digest != content:
            raise StaleSnapshotError(source.rel)
        return entry

    def read(self, source: SourceFile) -> Understood | Failure:
        """A changed file read (through the cache), its content recorded."""
        settings = read_settings(source, self.config)
        job = Job(source.path, source.rel, settings, self.config.max_dump_mb << 20)
        outcome = read_batch([job], self.folder)[0]
        if isinstance(outcome, Failure):
            return outcome
        if not outcome.digest:
            return Failure((Problem(source.rel, "could not be read"),))
        self.paths[read_key(source, settings)] = outcome.digest
        return outcome

    def cleaned(self, document: Document) -> Document:
        """The document less the paragraphs its source repeats (``without_template_cruft``)."""
        counts = self.prose.get(document.source_file.source)
        if counts is None:
            return document
        repeated = {}
        for fold in prose_folds(document):
            times = counts.get(fold)
            if times >= MIN_REPEATS:
                repeated[fold] = times
        return drop_repeated(document, repeated) if repeated else document


def problems_after(
    problems: ProblemData, changed: Mapping[str, Sequence[Problem]], gone: Iterable[str]
) -> ProblemData:
    """``problems`` (warnings or skips, by input, in path order, as a full build reports
    them) with those of the ``changed`` inputs replaced (by path) and those of the
    ``gone`` ones left out."""
    left = set(changed).union(gone)
    kept = [problem for problem in problems if problem[0] not in left]
    new = [problem for found in changed.values() for problem in found]
    # A stable sort: each input's problems keep their order.
    return sorted([*kept, *problems_as_data(new)], key=lambda problem: str(problem[0]))


def edited(
    source: SourceFile, new: Document, snapshot: Snapshot, reader: Reader, long: FoldHolders
) -> Edit:
    """A changed article, still published as ``new``, when the change stays within it (see
    the module's docstring; NoTouchUpError otherwise); the fold tables are updated for it."""
    rel = source.rel
    if rel in reader.paired:
        raise NoTouchUpError(f"{rel} was merged with a copy of the same article")
    old = reader.earlier(snapshot, rel)
    moved = layout_digest(new) != snapshot.layout[rel]
    if moved:
        check_movable(rel, old, new)
    crossed(rel, old, new, reader, long)
    return Edit(source, snapshot.articles[rel], reader.cleaned(new), moved)


def page_edit(source: SourceFile, snapshot: Snapshot, reader: Reader) -> Page:
    """A changed stand-alone page, placed at its address, when it shows only on itself:
    still published, with the same title (every page's navigation shows it) and the same
    address (NoTouchUpError otherwise)."""
    rel = source.rel
    new, unpublished = reader.now(source)
    if new is None or unpublished is not None:
        raise NoTouchUpError(f"{rel}: it is no longer published")
    old = reader.earlier(snapshot, rel)
    if new.title != old.title:
        raise NoTouchUpError(f"{rel}: its title changed, which every page's navigation shows")
    wanted, url = snapshot.addresses[rel]
    if wanted_address(new, wanted_slug(new)) != wanted:
        raise NoTouchUpError(f"{rel}: its address changed")
    return make_page(new, url)


def addition(
    source: SourceFile, new: Document, before: Document | None, reader: Reader, long: FoldHolders
) -> Edit:
    """An input published as the article ``new`` that was not one (``before``: the draft
    it was, if any), when it reaches no other dump (as an edit must; NoTouchUpError
    otherwise); the fold tables are updated for it. Placed by ``rearrange``."""
    if not new.is_article:
        raise NoTouchUpError(f"{source.rel} is a new stand-alone page")
    crossed(source.rel, before, new, reader, long)
    return Edit(source, -1, reader.cleaned(new), moved=True)


def removal(
    rel: str, after: Document | None, snapshot: Snapshot, reader: Reader, long: FoldHolders
) -> None:
    """Check that the published article that was at ``rel`` can go (``after``: the draft
    it is now, if any) without reaching another dump (as an edit must; NoTouchUpError
    otherwise), and update the fold tables for it."""
    if rel in reader.paired:
        raise NoTouchUpError(f"{rel} is gone, and it was merged with a copy of the same article")
    crossed(rel, reader.earlier(snapshot, rel), after, reader, long)


def unpublished_change(
    rel: str, after: Document | None, snapshot: Snapshot, reader: Reader, long: FoldHolders
) -> None:
    """Check that an input that was not published and still is not (``after``: the draft
    it is now, if any) reaches no other dump (NoTouchUpError otherwise), and update the
    fold tables for it. A draft counts among its source's paragraphs and may pair with a
    copy, as in a full build; an empty file is no document at all."""
    if rel in reader.paired:
        raise NoTouchUpError(f"{rel} was merged with a copy of the same article")
    crossed(rel, earlier_draft(rel, snapshot, reader), after, reader, long)


def earlier_draft(rel: str, snapshot: Snapshot, reader: Reader) -> Document | None:
    """The document the unpublished input at ``rel`` was (a draft), or None for a new
    input or an empty file (no document)."""
    if snapshot.files.get(rel) is None or rel in reader.skipped:
        return None
    return reader.earlier(snapshot, rel)


def crossed(
    rel: str, old: Document | None, new: Document | None, reader: Reader, long: FoldHolders
) -> None:
    """Account for the input at ``rel`` going from the document ``old`` to ``new`` (None:
    none) in the cross-dump step's tables: its long blocks must pair it with no other dump
    (``check_copies``), and its prose folds are counted again (``recount``)."""
    check_copies(rel, new, block_keys(old) if old is not None else frozenset(), reader, long)
    old_folds = prose_folds(old) if old is not None else frozenset()
    new_folds = prose_folds(new) if new is not None else frozenset()
    recount(rel, source_folder(rel), old_folds - new_folds, new_folds - old_folds, reader)


def recount(
    rel: str, source: str, gone: frozenset[int], came: frozenset[int], reader: Reader
) -> None:
    """Count the prose folds ``gone`` from and ``came`` into the article at ``rel`` of
    ``source``; those that cross the threshold of repeated paragraphs are noted
    (``Reader.crossed``), as every article holding them is cleaned again
    (``recleaned``). (Articles without a source have no repeated paragraphs; a count that
    stays at or above the threshold changes only the wording of the other holders'
    dropped lines, which their digests leave out: ``crossdump.with_drops``.)"""
    if not source:
        return
    counts = reader.prose.setdefault(source, FoldCounts.of(Counter()))
    crossing = {fold for fold in gone if counts.get(fold) == MIN_REPEATS}
    crossing.update(fold for fold in came if counts.get(fold) == MIN_REPEATS - 1)
    if crossing:
        reader.crossed.setdefault(source, set()).update(crossing)
    counts.add(gone, -1)
    counts.add(came, 1)


def recleaned(
    snapshot: Snapshot, reader: Reader, edits: dict[int, Edit], fresh: list[Edit], gone: set[str]
) -> tuple[dict[int, Edit], list[Edit]]:
    """The edits, with every other article holding a paragraph that became or stopped
    being one its source repeats (``Reader.crossed``), all cleaned again with the counts
    as they now are; NoTouchUpError when they are more than a touch-up takes, or one was
    merged with a copy (its document is the merge's)."""
    edits = dict(edits)
    changed = {edit.source.rel for edit in (*edits.values(), *fresh)} | gone
    for position, rel in enumerate(article_paths(snapshot)):
        folds = reader.crossed.get(snapshot.placed[position][0])
        if not folds or rel in changed:
            continue
        document = reader.raw(rel)
        if folds.isdisjoint(prose_folds(document)):
            continue
        if rel in reader.paired:
            raise NoTouchUpError(f"{rel}: it was merged with a copy, and a paragraph of it {HOLDS}")
        edits[position] = Edit(reader.sources[rel], position, document)
        if len(edits) + len(fresh) > MAX_TOUCHED:
            raise NoTouchUpError(RECLEANED)

    def cleaned(edit: Edit) -> Edit:
        return replace(edit, document=reader.cleaned(reader.raw(edit.source.rel)))

    return {position: cleaned(edit) for position, edit in edits.items()}, list(map(cleaned, fresh))


def check_movable(rel: str, old: Document, new: Document) -> None:
    """Check that a touch-up can move the article at ``rel`` whose layout facts changed
    (NoTouchUpError otherwise): its address stands (the same slug asked for, still
    published or not)."""
    if old.draft != new.draft:
        raise NoTouchUpError(f"{rel}: its draft flag changed")
    if wanted_slug(old) != wanted_slug(new):
        raise AddressChangedError(f"{rel}: its address changed (the title names it)")


def check_copies(
    rel: str,
    document: Document | None,
    old_keys: frozenset[int],
    reader: Reader,
    long: FoldHolders,
) -> None:
    """Check that the input at ``rel``, now ``document`` (None: gone), still pairs with no
    other dump as the same article (``merge_duplicates``), and that its long blocks change
    no other pair (NoTouchUpError otherwise); record them."""
    holder = reader.numbers[rel]
    new_keys = block_keys(document) if document is not None else frozenset()
    partners: set[int] = set()
    for key in old_keys ^ new_keys:
        held = long.holders(key)
        count = len(held) if held is not None else long.counts.get(key)
        later = count + (1 if key in new_keys else -1)
        if (count <= CROWDED) != (later <= CROWDED):
            raise NoTouchUpError(f"{rel}: {PAIRING_CHANGES}")
    for key in new_keys:
        held = long.holders(key)
        if held is not None and len(held | {holder}) <= CROWDED:
            partners |= held - {holder}
    if partners and document is not None:
        words = shingles(document)
        for partner in partners:
            other = reader.raw(reader.rels[partner])
            if other.is_article and similarity(words, shingles(other)) >= SAME_ARTICLE:
                raise NoTouchUpError(f"{rel} now holds the same article as {reader.rels[partner]}")
    if not long.move(holder, old_keys - new_keys, new_keys - old_keys):
        raise NoTouchUpError(f"{rel}: {PAIRING_CHANGES}")


class Rearranged(NamedTuple):
    """How moving, adding or removing articles changed the snapshot's tables (see
    ``rearrange``)."""

    edits: dict[int, Edit]
    """The edits (the added articles among them) by their new positions."""
    relisted: set[int]
    """The positions of the articles whose related lists changed."""
    earlier: list[int | None]
    """The earlier position of the article at each position (None: added)."""
    order: list[str]
    listings: tuple[Listing, ...]
    view_keys: list[str]
    own_keys: list[str]
    """The order, listings and keys before."""


NO_LINK = ("", "", None, "")
"""The related link of an added article until its view is made."""
NO_FACTS: FactsData = ("", None, None, None, 0, (0, 0), "")
"""The facts of an added article until its view is made."""


def rearrange(
    snapshot: Snapshot,
    edits: dict[int, Edit],
    added: dict[str, Edit],
    removed: set[str],
    config: Config,
) -> Rearranged:
    """Place the snapshot's articles again: the edited ones by their new facts, the
    ``added`` ones (by address) too, the ``removed`` ones (by path) left out. The order,
    listings and related lists are worked out anew, and every table by position is
    reordered to match (the keys and links are still those before the edits)."""
    order = snapshot.order
    rels = article_paths(snapshot)
    known = [
        Placement(url, rel, *facts)
        for url, rel, facts in zip(order, rels, snapshot.placed, strict=True)
    ]
    placed = list(known)
    for position, edit in edits.items():
        placed[position] = placement(edit.document, order[position])
    placed = [p for p in placed if p.rel not in removed]
    placed += [placement(edit.document, url) for url, edit in added.items()]
    arranged = arrangement(placed, config)
    by_url = {p.url: p for p in placed}
    now = {url: position for position, url in enumerate(arranged.order)}
    was_at = {url: position for position, url in enumerate(order)}
    earlier = [was_at.get(url) for url in arranged.order]
    changed = {order[position] for position in edits}
    changed.update(added, (p.url for p in known if p.rel in removed))
    articles = [by_url[url] for url in arranged.order]
    related, redone = related_after(known, snapshot.related, articles, changed)
    relisted = set()
    for position in redone:
        was = earlier[position]
        listed = [order[other] for other in snapshot.related[was]] if was is not None else []
        if [arranged.order[other] for other in related[position]] != listed:
            relisted.add(position)
    old_listings = listings_of_snapshot(snapshot)
    view_keys, own_keys = snapshot.view_keys, snapshot.own_keys
    links, facts = snapshot.links, snapshot.facts
    snapshot.order = arranged.order
    snapshot.articles = {by_url[url].rel: position for url, position in now.items()}
    snapshot.own_keys = [own_keys[was] if was is not None else "" for was in earlier]
    snapshot.view_keys = [view_keys[was] if was is not None else "" for was in earlier]
    snapshot.links = [links[was] if was is not None else NO_LINK for was in earlier]
    snapshot.facts = facts.reordered(earlier, NO_FACTS)
    placed_before = snapshot.placed
    snapshot.placed = [
        placed_before[was] if was is not None and url not in changed else placed_data(by_url[url])
        for url, was in zip(arranged.order, earlier, strict=True)
    ]
    snapshot.related = related
    snapshot.listings = [
        (lst.key, lst.title, lst.base_url, positions(lst.pages, now)) for lst in arranged.listings
    ]
    snapshot.sources = arranged.sources
    placed_edits = {**{order[position]: edit for position, edit in edits.items()}, **added}
    moved = {now[url]: replace(edit, position=now[url]) for url, edit in placed_edits.items()}
    return Rearranged(moved, relisted, earlier, order, old_listings, view_keys, own_keys)


def new_addresses(
    snapshot: Snapshot, added: Sequence[Edit], removed: Sequence[str]
) -> dict[str, str]:
    """The addresses of the ``added`` articles by path, when adding them and removing the
    ``removed`` ones leaves every other document's address as it was (NoTouchUpError otherwise:
    the addresses that clash are suffixed, so one more or one less can change another's)."""
    if not added and not removed:
        return {}
    gone = set(removed)
    wanted = {rel: asked for rel, (asked, _) in snapshot.addresses.items() if rel not in gone}
    for edit in added:
        wanted[edit.source.rel] = wanted_address(edit.document, wanted_slug(edit.document))
    urls = dict(zip(wanted, unique_addresses(list(wanted.values()), list(wanted)), strict=True))
    for rel, (_, url) in snapshot.addresses.items():
        if rel not in gone and urls[rel] != url:
            raise NoTouchUpError(f"{rel}: its address changes with the dumps that came or went")
    return {edit.source.rel: urls[edit.source.rel] for edit in added}


def article_paths(snapshot: Snapshot) -> list[str]:
    """The relative path of the article at each position of the snapshot's order."""
    rels = [""] * len(snapshot.order)
    for rel, position in snapshot.articles.items():
        rels[position] = rel
    return rels


def listings_of_snapshot(snapshot: Snapshot) -> tuple[Listing, ...]:
    """The listings the snapshot records, with the articles' addresses."""
    order = snapshot.order
    return tuple(
        Listing(key, title, base_url, tuple(tuple(order[i] for i in chunk) for chunk in pages))
        for key, title, base_url, pages in snapshot.listings
    )


class RecalledBody:
    """The body of an unchanged article, recalled from the parse cache and cleaned when a
    page unpacks it (``model.Body``): a touch-up that shifts the pages of a listing makes
    thousands of views, which show only their facts there."""

    __slots__ = ("reader", "rel")

    def __init__(self, reader: Reader, rel: str) -> None:
        self.reader = reader
        self.rel = rel

    def unpack(self) -> OpenBody:
        return self.reader.cleaned(self.reader.raw(self.rel)).body.unpack()


class LazyViews(Mapping[str, ArticleView]):
    """Full article views by address, made when first asked for: the changed articles'
    from their new documents, the others' from the snapshot's placements and facts."""

    def __init__(
        self,
        snapshot: Snapshot,
        reader: Reader,
        edits: dict[int, Edit],
    ) -> None:
        self.snapshot = snapshot
        self.reader = reader
        self.edits = edits
        self.rels = article_paths(snapshot)
        self.position = {url: index for index, url in enumerate(snapshot.order)}
        self.listings: dict[str, Listing] = {}
        self.made: dict[str, ArticleView] = {}
        self.edited: dict[int, tuple[Page, ArticleFacts, ArticleView]] = {}
        self.touched: set[int] = set(edits)
        """The changed articles and those whose related links show one of them anew."""

    def __getitem__(self, url: str) -> ArticleView:
        view = self.made.get(url)
        if view is None:
            view = self.made[url] = self.full_view(url)
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self.snapshot.order)

    def __len__(self) -> int:
        return len(self.snapshot.order)

    def edited_view(self, position: int) -> tuple[Page, ArticleFacts, ArticleView]:
        """A changed article placed at its address, its view's facts and its view without
        related links, made once (its keys and its pages need them)."""
        made = self.edited.get(position)
        if made is None:
            page = make_page(self.edits[position].document, self.snapshot.order[position])
            facts = article_facts(page)
            placed = placement(page.document, page.url)
            view = placed_view(placed, facts, page.document.body, self.reader.config, self.listings)
            made = self.edited[position] = (page, facts, view)
        return made

    def links(self, position: int) -> list[RelatedLink]:
        """The related links an article shows (layout facts only, kept in the snapshot)."""
        order, links = self.snapshot.order, self.snapshot.links
        return [
            RelatedLink(links[other][0], order[other], *links[other][1:])
            for other in self.snapshot.related[position]
        ]

    def full_view(self, url: str) -> ArticleView:
        """The view with its related links; an unchanged article's is made from the
        snapshot, its body left in the parse cache (``RecalledBody``)."""
        position = self.position[url]
        related = self.links(position)
        config = self.reader.config
        if position in self.edits:
            return replace(self.edited_view(position)[2], related=related)
        rel = self.rels[position]
        placed = Placement(url, rel, *self.snapshot.placed[position])
        facts = ArticleFacts(*self.snapshot.facts[position])
        body = RecalledBody(self.reader, rel)
        return placed_view(placed, facts, body, config, self.listings, related)

    @cached_property
    def article_keys(self) -> tuple[dict[str, str], dict[str, str]]:
        """(own keys, view keys) by address: the snapshot's, anew for the changed articles
        and for those whose related links show a changed article's new title."""
        snapshot = self.snapshot
        order, links = snapshot.order, snapshot.links
        own = dict(zip(order, snapshot.own_keys, strict=True))
        full = dict(zip(order, snapshot.view_keys, strict=True))
        relinked = set()
        for position in self.edits:
            page, facts, view = self.edited_view(position)
            own[order[position]] = own_key(view, page)
            snapshot.facts[position] = (*facts,)
            link = (view.title, view.source_title, view.date, view.lang)
            if link != tuple(links[position]):
                links[position] = link
                relinked.add(position)
        if relinked:
            self.touched.update(
                position
                for position, related in enumerate(snapshot.related)
                if relinked.intersection(related)
            )
        for position in self.touched:
            full[order[position]] = digest_of(own[order[position]], self.links(position))
        return own, full


def touch_up(
    config: Config,
    theme: Theme,
    salt: str,
    target: Path,
    sources: Sequence[SourceFile],
    fingerprint: str,
    started: float,
    recorded: Recorded,
    *,
    write: WriteFile,
    workers: int = 1,
) -> BuildReport | str:
    """Publish the few changed dumps into ``target`` from the snapshot, or say why a
    touch-up does not apply (then nothing was written but the parse cache). ``workers``:
    the processes that may stage it (see ``Stage.add``)."""
    path = snapshot_path(config)
    snapshot = load_snapshot(path, salt, str(target))
    if snapshot is None:
        return NO_SNAPSHOT
    if recorded.identity != snapshot.marker or marker_identity(target) != snapshot.marker:
        return OTHER_OUTPUT  # of another output, or this one changed as it was read
    try:
        changes = changed_sources(snapshot, sources)
        if not any(changes):
            return "no dump changed (another input did: the configuration or a theme file)"
        for source in changes.added:  # numbered after the others in the fold tables
            snapshot.files.setdefault(source.rel, None)
        long = FoldHolders.from_data(snapshot.long)
        reader = Reader(config, snapshot, {source.rel: source for source in sources})
        edits = read_changes(changes, snapshot, reader, long)
        published = publish(
            snapshot, reader, edits, theme, salt, target, fingerprint, recorded.marker,
            write, workers,
        )  # fmt: skip
    except NoTouchUpError as why:
        return str(why)
    except (StaleSnapshotError, *DAMAGED):
        path.unlink(missing_ok=True)
        return "the last build's snapshot no longer matched the output or the cache"
    reader.cache.remember(reader.paths)
    published_snapshot, report = published
    published_snapshot.prose = {name: counts.data() for name, counts in reader.prose.items()}
    published_snapshot.long = long.data()
    save_snapshot(path, published_snapshot)
    return replace(report, seconds=time.perf_counter() - started)


class Edits(NamedTuple):
    """What a touch-up publishes (see ``read_changes``)."""

    changed: dict[int, Edit]
    """The changed articles by position."""
    added: dict[str, Edit]
    """The new articles by address."""
    removed: set[str]
    """The paths of the articles gone."""
    pages: list[Page]
    """The stand-alone pages changed."""
    unpublished: dict[str, Unpublished | None]
    """The inputs, by path, that are not published now (None: gone) and were not, or were
    articles now gone."""


def read_changes(changes: Changes, snapshot: Snapshot, reader: Reader, long: FoldHolders) -> Edits:
    """Every change read and checked (``removal``, ``edited``, ``addition``,
    ``unpublished_change``), the new articles' addresses worked out; NoTouchUpError when
    one of them takes the full build."""
    unpublished: dict[str, Unpublished | None] = {}
    gone = []
    # Removed first: a dump renamed (or moved) is then no copy of its old self.
    for rel in changes.removed:
        if rel in snapshot.articles:
            removal(rel, None, snapshot, reader, long)
            gone.append(rel)
        else:
            unpublished_change(rel, None, snapshot, reader, long)
            unpublished[rel] = None
    edits = {}
    coming: list[tuple[SourceFile, Document, Document | None]] = []
    for source in changes.changed:
        new, quiet = reader.now(source)
        if new is None or quiet is not None:  # a draft or an empty file now: the article goes
            removal(source.rel, new, snapshot, reader, long)
            gone.append(source.rel)
            unpublished[source.rel] = quiet
            continue
        try:
            edit = edited(source, new, snapshot, reader, long)
        except AddressChangedError:  # the article at its old address goes, one comes at its new
            removal(source.rel, None, snapshot, reader, long)
            gone.append(source.rel)
            coming.append((source, new, None))
            continue
        edits[edit.position] = edit
    for source in (*changes.unpublished, *changes.added):
        new, quiet = reader.now(source)
        if quiet is None and new is not None:  # published now
            coming.append((source, new, earlier_draft(source.rel, snapshot, reader)))
        else:
            unpublished_change(source.rel, new, snapshot, reader, long)
            unpublished[source.rel] = quiet
    fresh = [addition(source, new, before, reader, long) for source, new, before in coming]
    if reader.crossed:
        edits, fresh = recleaned(snapshot, reader, edits, fresh, set(gone))
    urls = new_addresses(snapshot, fresh, gone)
    added = {urls[edit.source.rel]: edit for edit in fresh}
    pages = [page_edit(source, snapshot, reader) for source in changes.pages]
    return Edits(edits, added, set(gone), pages, unpublished)


def publish(
    snapshot: Snapshot,
    reader: Reader,
    changes: Edits,
    theme: Theme,
    salt: str,
    target: Path,
    fingerprint: str,
    marker: Mapping[str, object],
    write: WriteFile,
    workers: int,
) -> tuple[Snapshot, BuildReport]:
    """Stage the output again with only the touched files planned anew, and swap it in;
    the snapshot of the result and the build's report (timed by the caller). ``changes``:
    the edits by position, the added articles by address and the removed ones' paths."""
    config = reader.config
    edits, added, gone, pages, unpublished = changes
    records = index_records((target / "index.json").read_bytes())
    if records is None or len(records) != len(snapshot.order):
        raise StaleSnapshotError("index.json")
    moved = added or gone or any(edit.moved for edit in edits.values())
    rearranged = rearrange(snapshot, edits, added, gone, config) if moved else None
    if rearranged is not None:
        edits = rearranged.edits
    order = snapshot.order
    for edit in edits.values():
        # Its archived date (the file's time, when the dump has none) changes with any edit.
        snapshot.placed[edit.position] = placed_data(placement(edit.document, order[edit.position]))
    documents = [*(edit.document for edit in edits.values()), *(page.document for page in pages)]
    warned = {
        d.source_file.rel: [Problem(d.source_file.rel, m) for m in d.warnings] for d in documents
    }
    skips: dict[str, tuple[Problem, ...]] = dict.fromkeys(warned, ())  # published: not skipped
    for rel, quiet in unpublished.items():
        if quiet is not None:
            warned[rel], skips[rel] = list(quiet.warnings), quiet.skipped
    went = gone.union(rel for rel, quiet in unpublished.items() if quiet is None)
    snapshot.warnings = problems_after(snapshot.warnings, warned, went)
    snapshot.skipped = problems_after(snapshot.skipped, skips, went)
    archived = [placed[2] for placed in snapshot.placed] if config.base_url else None
    listings = listings_of_snapshot(snapshot)
    views = LazyViews(snapshot, reader, edits)
    if rearranged is not None:
        views.touched.update(rearranged.relisted)
    site = Site(articles=(), pages=(), listings=listings, sources=snapshot.sources)
    table = ArticleTable(order=order, views=views, view_keys={}, own_keys={})
    nav = [PageLink(title, url) for title, url in snapshot.nav]
    renderer = Renderer(site, config, theme, salt, articles=table, nav=nav)
    views.listings = renderer.listings  # an article's view shows its listings' addresses
    own_keys, view_keys = views.article_keys
    table.own_keys.update(own_keys)
    table.view_keys.update(view_keys)
    if renderer.common_key != snapshot.common_key:
        raise StaleSnapshotError("common key")
    files, keys = recorded_files(marker)
    listed = list(keys)
    if len(listed) < snapshot.plan_count:
        raise StaleSnapshotError("output marker")
    if rearranged is None:
        planned = touched_files(renderer, views.touched, edits, records)
        planned.update((item.path, item) for item in map(renderer.page_file, pages))
        if archived is not None:
            planned["sitemap.xml"] = sitemap_of(renderer, listed[: snapshot.plan_count], archived)
        indexed = set(listed[snapshot.plan_count :])
        if any(p not in keys or p in indexed for p in planned):
            raise StaleSnapshotError("output marker")
        paths = None
    else:
        records = [records[was] if was is not None else b"" for was in rearranged.earlier]
        paths, fresh = rearranged_files(
            renderer, views.touched, rearranged, edits, records, archived
        )
        fresh += map(renderer.page_file, pages)
        planned = {item.path: item for item in fresh if keys.get(item.path) != item.key}
        if any(path not in keys for path in paths if path not in planned):
            raise StaleSnapshotError("output marker")
    record = BuildRecord(snapshot.marker, files, keys)
    with Stage(target, write, records=(record, spare_record(snapshot, files))) as stage:
        if paths is None:
            stage.add_recorded_plan(snapshot.plan_count, planned, stale, workers)
        else:
            stage.add_as_recorded(paths, planned, stale, workers)
            snapshot.plan_count = len(paths)
        warnings = stage.finish_site(
            renderer.indexed() if config.search else [],
            search=config.search,
            language=config.language,
            warnings=problems_from_data(snapshot.warnings),
            summary={
                "articles": len(order),
                "pages": snapshot.pages,
                "skipped": snapshot.skipped,
                "merged": snapshot.merged,
            },
            inputs=fingerprint,
        )
    identity = marker_identity(target)
    if identity is None:
        raise StaleSnapshotError("no marker")
    for rel in gone:  # first: a dump that moved to another address is gone and added
        snapshot.files[rel] = None
        del snapshot.layout[rel], snapshot.addresses[rel]
    for page in pages:
        source = page.document.source_file
        snapshot.files[source.rel] = (source.size, source.mtime_ns)
    for rel, quiet in unpublished.items():
        snapshot.files[rel] = (quiet.source.size, quiet.source.mtime_ns) if quiet else None
    for edit in edits.values():
        rel = edit.source.rel
        snapshot.files[rel] = (edit.source.size, edit.source.mtime_ns)
        snapshot.own_keys[edit.position] = own_keys[order[edit.position]]
        snapshot.layout[rel] = layout_digest(edit.document)
    for url, edit in added.items():
        rel = edit.source.rel
        snapshot.addresses[rel] = (wanted_address(edit.document, wanted_slug(edit.document)), url)
    for position in views.touched:
        snapshot.view_keys[position] = view_keys[order[position]]
    snapshot.marker = identity
    snapshot.spare = stage.spare_left
    report = BuildReport(
        output=target,
        articles=len(order),
        pages=snapshot.pages,
        files=len(stage.files),
        failed=(),
        skipped=problems_from_data(snapshot.skipped),
        warnings=warnings,
        seconds=0.0,
        merged=problems_from_data(snapshot.merged),
        rendered=stage.rendered,
        touched_up=True,
    )
    return snapshot, report


def stale(rel: str) -> bytes:
    """The maker of a file the output should hold as it is: reached only when it does not."""
    raise StaleSnapshotError(f"{rel}: a kept file is missing from the output")


def touched_files(
    renderer: Renderer, positions: set[int], edits: dict[int, Edit], records: list[bytes]
) -> dict[str, Planned]:
    """The files that show the articles at ``positions`` (the changed ones and those whose
    related links changed), planned anew, by path; index.json with the changed records
    (the output's ``records`` otherwise)."""
    order = renderer.order
    touched = {order[position] for position in positions}
    last = len(order) - 1
    articles = {p + step for p in positions for step in (-1, 0, 1) if 0 <= p + step <= last}
    planned: list[Planned] = []
    for position in sorted(articles):
        url = order[position]
        planned.extend(renderer.article_files(url, renderer.article_inputs(url)))
    for listing in renderer.site.listings:
        numbers = {
            number
            for number, chunk in enumerate(listing.pages, start=1)
            if touched.intersection(chunk)
        }
        if numbers:
            planned.extend(renderer.listing(listing, numbers))
    for listing_url, title, urls in renderer.feed_entries():
        if touched.intersection(urls):
            planned.append(renderer.feed_file(listing_url, title, urls))
    planned.append(index_file(renderer, edits, records))
    return {p.path: p for p in planned}


def sitemap_of(renderer: Renderer, plan: Sequence[str], archived: Iterable[str]) -> Planned:
    """sitemap.xml for the site whose files are ``plan`` (in plan order, as far as
    robots.txt at least), each article ``archived`` as given (in the articles' order)."""
    try:
        end = plan.index("robots.txt")
    except ValueError:
        raise StaleSnapshotError("output marker: no robots.txt") from None
    html = [path for path in plan[:end] if path.endswith(".html")]
    return renderer.sitemap_file(html, archived)


def index_file(renderer: Renderer, edits: dict[int, Edit], records: list[bytes]) -> Planned:
    """index.json of ``records`` (the output's, in the current order), the edited
    articles' made anew."""
    order = renderer.order
    for position in edits:
        records[position] = encoded_record(renderer.views_by_url[order[position]])
    return renderer.index_file(lambda: records)


def inputs_before(rearranged: Rearranged, position: int, common: str) -> tuple[str | None, ...]:
    """What the files of the article at ``position`` before the rearrangement were keyed by."""
    keys = rearranged.view_keys
    before = keys[position - 1] if position > 0 else None
    after = keys[position + 1] if position + 1 < len(keys) else None
    return (common, keys[position], before, after, rearranged.own_keys[position])


def changed_pages(
    listing: Listing,
    before: Listing | None,
    shown: Mapping[str, str],
    shown_before: Mapping[str, str],
) -> set[int] | None:
    """The positions of the pages of ``listing`` whose inputs may differ from those of
    the page at the same address in ``before`` (the listing of the same key before the
    move; None: every page's): other articles, other neighbours, another count, or an
    article whose view key (``shown``, ``shown_before``: by address) changed. The others
    keep the key the output recorded, which need not be worked out (a hash of 20 to 40
    view keys a page: 30 ms at 10,000 dumps, most of whose pages a move leaves as they
    were)."""
    if before is None or (before.title, before.base_url) != (listing.title, listing.base_url):
        return None
    pages_before = {}
    for position, chunk in enumerate(before.pages, start=1):
        url, newer, older = page_links(before, position)
        pages_before[url] = (newer, older, listing_count(before) if position == 1 else None, chunk)
    changed = set()
    for position, chunk in enumerate(listing.pages, start=1):
        url, newer, older = page_links(listing, position)
        total = listing_count(listing) if position == 1 else None
        same = pages_before.get(url) == (newer, older, total, chunk)
        # When it is the same, each of its articles was on it before: ``shown_before`` has it.
        if not same or any(shown[article] != shown_before[article] for article in chunk):
            changed.add(position)
    return changed


def rearranged_files(
    renderer: Renderer,
    positions: set[int],
    rearranged: Rearranged,
    edits: dict[int, Edit],
    records: list[bytes],
    archived: Sequence[str] | None,
) -> tuple[list[str], list[Planned]]:
    """Every file of a site whose articles moved (see ``rearrange``), in the order a full
    build plans them, and the files planned anew: those of the articles whose inputs
    changed (a new key, or new neighbours), every overview page and the listing pages
    whose inputs may have changed (``changed_pages``; their keys tell which did), the
    feeds whose entries changed or show one of the articles at
    ``positions``, and index.json. The others (stand-alone pages, robots.txt, static
    files) stand as the output holds them."""
    paths: list[str] = []
    fresh: list[Planned] = []
    for url, was in zip(renderer.order, rearranged.earlier, strict=True):
        inputs = renderer.article_inputs(url)
        if was is not None and inputs == inputs_before(rearranged, was, renderer.common_key):
            paths += (f"{url}index.html", text_twin_path(url), markdown_twin_path(url))
        else:
            files = renderer.article_files(url, inputs)
            paths += (item.path for item in files)
            fresh += files
    paths += [f"{link.url}index.html" for link in renderer.nav_pages]
    shown = list(renderer.overview())
    paths += [item.path for item in shown]
    listings_before = {listing.key: listing for listing in rearranged.listings}
    shown_before = dict(zip(rearranged.order, rearranged.view_keys, strict=True))
    for listing in renderer.site.listings:
        earlier = listings_before.get(listing.key)
        numbers = changed_pages(listing, earlier, renderer.view_keys, shown_before)
        shown += renderer.listing(listing, numbers)
        paths += [
            f"{page_url(listing, number)}index.html" for number in range(1, len(listing.pages) + 1)
        ]
    fresh += shown
    touched = {renderer.order[position] for position in positions}
    before = {
        url: (title, urls)
        for url, title, urls in renderer.feeds_of(rearranged.listings, rearranged.order)
    }
    for listing_url, title, urls in renderer.feed_entries():
        if before.get(listing_url) == (title, urls) and not touched.intersection(urls):
            paths.append(feed_path(listing_url))
        else:
            fresh.append(renderer.feed_file(listing_url, title, urls))
            paths.append(fresh[-1].path)
    fresh.append(index_file(renderer, edits, records))
    paths += ["robots.txt", fresh[-1].path]
    if archived is not None:
        fresh.append(sitemap_of(renderer, paths, archived))
        paths.append(fresh[-1].path)
    paths += [path for path, _ in static_files(renderer.theme)]
    return paths, fresh
