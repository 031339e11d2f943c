"""What a one-shot build leaves beside its parse cache so that the next one, when only a few
dumps changed, can render just what they touch (see ``touchup``).

A snapshot describes one output folder exactly as its last build left it: the inputs it
was made from (by path, size and time), each article's address, keys and layout facts,
the listings, and the counts the cross-dump step worked from. It is plain data written
with ``marshal``: loading it costs a few milliseconds at 10,000 dumps, where rebuilding
the objects it stands for costs seconds. Like the rest of the cache it is safe to delete;
a missing, unreadable or outdated snapshot only means a full build.
"""

from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import accumulate
from pathlib import Path
from typing import Any

from generator.config import CACHE_DIR, Config
from generator.crossdump import CROWDED, block_keys, prose_folds
from generator.model import Document
from generator.render_memo import digest_of
from generator.site import wanted_slug

SNAPSHOT = "snapshot.marshal"
FORMAT = 6
"""Bumped whenever the snapshot's fields or layout change: an older one is then ignored."""
HEAD_LENGTH = 4
"""Bytes of the length of the head record (format, salt, folder) that starts the file."""
LENGTH = 8
"""Bytes of the length of each later record but the last."""

ProblemData = list[list[object]]
PlacedData = tuple[str, str | None, str, tuple[str, ...], str | None]
FactsData = tuple[str, str | None, str | None, str | None, int, tuple[int, int], str]
"""``views.ArticleFacts`` as plain data."""
HolderData = tuple[tuple[bytes, bytes], bytes, dict[int, list[int]]]
"""``FoldHolders`` as plain data."""


class FoldCounts:
    """How many documents hold each fold, as two sorted arrays (loaded without building
    a dictionary of 100,000 entries)."""

    def __init__(self, folds: array[int], counts: array[int]) -> None:
        self.folds = folds
        self.counts = counts

    @classmethod
    def of(cls, counter: Counter[int]) -> FoldCounts:
        folds = sorted(counter)
        return cls(array("Q", folds), array("L", [counter[fold] for fold in folds]))

    @classmethod
    def from_data(cls, data: tuple[bytes, bytes]) -> FoldCounts:
        folds, counts = array("Q"), array("L")
        folds.frombytes(data[0])
        counts.frombytes(data[1])
        return cls(folds, counts)

    def data(self) -> tuple[bytes, bytes]:
        return self.folds.tobytes(), self.counts.tobytes()

    def get(self, fold: int) -> int:
        """How many documents hold ``fold``."""
        at = bisect_left(self.folds, fold)
        return self.counts[at] if at < len(self.folds) and self.folds[at] == fold else 0

    def add(self, folds: Iterable[int], change: int) -> None:
        """Count each of ``folds`` ``change`` more times (a fold counted zero times stays
        listed with zero: harmless, and gone at the next full build)."""
        for fold in folds:
            at = bisect_left(self.folds, fold)
            if at < len(self.folds) and self.folds[at] == fold:
                self.counts[at] += change
            else:
                self.folds.insert(at, fold)
                self.counts.insert(at, change)


class FoldHolders:
    """Which articles hold each long-block fold (``merge_duplicates`` pairs the bodies that
    share one): for each fold its count and one holder, and every holder of the folds few
    enough articles share to pair them (at most ``CROWDED`` + 1: one more and a change
    that takes the fold out of one article would leave them unknown)."""

    def __init__(
        self, counts: FoldCounts, owners: array[int], shared: dict[int, list[int]]
    ) -> None:
        self.counts = counts
        self.owners = owners
        """One holder of each fold of ``counts``, in the same order."""
        self.shared = shared

    @classmethod
    def of(cls, first: dict[int, int], more: dict[int, list[int]]) -> FoldHolders:
        """From each fold's first holder (the lowest number) and, for a fold held more
        than once, all its holders in order: most folds are held once, so the arrays are
        made without a Python step per fold."""
        folds = array("Q", sorted(first))
        counts = array("L", [1]) * len(folds)
        for fold, held in more.items():
            counts[bisect_left(folds, fold)] = len(held)
        owners = array("L", map(first.__getitem__, folds))
        shared = {fold: held for fold, held in more.items() if len(held) <= CROWDED + 1}
        return cls(FoldCounts(folds, counts), owners, shared)

    @classmethod
    def from_data(cls, data: HolderData) -> FoldHolders:
        owners = array("L")
        owners.frombytes(data[1])
        return cls(FoldCounts.from_data(data[0]), owners, data[2])

    def data(self) -> HolderData:
        return self.counts.data(), self.owners.tobytes(), self.shared

    def holders(self, fold: int) -> set[int] | None:
        """The articles holding ``fold``; None when too many share it to be listed."""
        count = self.counts.get(fold)
        if count == 0:
            return set()
        if count == 1:
            return {self.owners[bisect_left(self.counts.folds, fold)]}
        listed = self.shared.get(fold)
        return set(listed) if listed is not None else None

    def move(self, holder: int, gone: Iterable[int], came: Iterable[int]) -> bool:
        """Record that ``holder`` no longer holds ``gone`` and now holds ``came``; False
        (and nothing recorded) when some fold's holders would no longer be known."""
        changes = [(fold, -1) for fold in gone] + [(fold, 1) for fold in came]
        after: dict[int, set[int] | None] = {}
        for fold, change in changes:
            held = self.holders(fold)
            if held is None and change < 0 and self.counts.get(fold) <= CROWDED + 2:
                return False  # the fold's holders would have to be listed again
            if held is not None:
                held = held - {holder} if change < 0 else held | {holder}
            after[fold] = held
        for (fold, change), held in zip(changes, after.values(), strict=True):
            self.counts.add([fold], change)
            at = bisect_left(self.counts.folds, fold)
            if len(self.owners) < len(self.counts.folds):
                self.owners.insert(at, holder)
            if held:
                self.owners[at] = min(held)
            if held is not None and 1 < len(held) <= CROWDED + 1:
                self.shared[fold] = sorted(held)
            else:
                self.shared.pop(fold, None)
        return True


class FactsTable:
    """Each article's ``FactsData`` by position, marshalled one by one into a single
    block of bytes: a touch-up shows a few dozen of them (thousands when it shifts a
    listing's pages), and decoding them all as tuples weighed on every touch-up, a body
    edit's included (see the commit that brought the table, 1525bc8)."""

    def __init__(self, ends: array[int], blob: bytes) -> None:
        self.ends = ends
        """Where each position's bytes end in ``blob``."""
        self.blob = blob
        self.changed: dict[int, FactsData] = {}

    @classmethod
    def of(cls, rows: Iterable[FactsData]) -> FactsTable:
        return cls.joined([marshal.dumps(row) for row in rows])

    @classmethod
    def joined(cls, pieces: Sequence[bytes | memoryview]) -> FactsTable:
        return cls(array("Q", accumulate(map(len, pieces))), b"".join(pieces))

    def __len__(self) -> int:
        return len(self.ends)

    def start(self, position: int) -> int:
        """Where the position's bytes start in ``blob``."""
        return self.ends[position - 1] if position > 0 else 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FactsTable) or len(self) != len(other):
            return False
        return all(self[position] == other[position] for position in range(len(self)))

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __getitem__(self, position: int) -> FactsData:
        row = self.changed.get(position)
        if row is not None:
            return row
        start = self.start(position)
        facts: FactsData = marshal.loads(self.blob[start : self.ends[position]])
        return facts

    def __setitem__(self, position: int, row: FactsData) -> None:
        if not 0 <= position < len(self.ends):
            raise IndexError(position)
        self.changed[position] = row

    def piece(self, position: int) -> bytes | memoryview:
        """The position's bytes as they are now."""
        row = self.changed.get(position)
        if row is not None:
            return marshal.dumps(row)
        start = self.start(position)
        return memoryview(self.blob)[start : self.ends[position]]

    def reordered(self, earlier: Sequence[int | None], missing: FactsData) -> FactsTable:
        """The table with the rows of ``earlier`` positions in order (``missing`` for
        None)."""
        new = marshal.dumps(missing)
        return self.joined([new if was is None else self.piece(was) for was in earlier])

    def data(self) -> tuple[bytes, bytes]:
        """The ends and the bytes, the changed rows written in (spliced: a touch-up
        changes a few rows of thousands)."""
        if not self.changed:
            return self.ends.tobytes(), self.blob
        view, ends = memoryview(self.blob), array("Q", self.ends)
        pieces: list[bytes | memoryview] = []
        kept_from, shift = 0, 0
        changed = sorted(self.changed)
        for at, position in enumerate(changed):
            start = self.start(position)
            row = marshal.dumps(self.changed[position])
            pieces += (view[kept_from:start], row)
            kept_from = self.ends[position]
            shift += len(row) - (kept_from - start)
            following = changed[at + 1] if at + 1 < len(changed) else len(ends)
            for later in range(position, following):
                ends[later] += shift
        pieces.append(view[kept_from:])
        return ends.tobytes(), b"".join(pieces)

    @classmethod
    def from_data(cls, ends: bytes, blob: bytes) -> FactsTable:
        """The table ``data`` gave; ValueError when the two do not fit (a damaged file)."""
        table = array("Q")
        table.frombytes(ends)
        if len(blob) != (table[-1] if table else 0):
            raise ValueError("the facts table's bytes do not end where its rows do")
        return cls(table, blob)


@dataclass
class Snapshot:
    """One output folder as its last one-shot build left it (plain data only)."""

    salt: str
    """The site's salt (code, configuration, theme, output folder) at that build."""
    target: str
    """The output folder."""
    marker: tuple[int, int, int]
    """Inode, size and time of the output's marker: the snapshot holds while they do."""
    files: dict[str, tuple[int, int] | None]
    """Size and modification time of every input found, by relative path; None for an
    article a touch-up removed (its path keeps its number in the fold tables)."""
    articles: dict[str, int]
    """Each published article's position in ``order``, by relative path."""
    layout: dict[str, str]
    """A digest of each published article's layout facts (``layout_digest``)."""
    addresses: dict[str, tuple[str, str]]
    """The address each published document (pages too) asks for (``wanted_address``) and
    the one it has, by relative path."""
    order: list[str]
    """The articles' addresses, newest first."""
    own_keys: list[str]
    view_keys: list[str]
    related: list[tuple[int, ...]]
    """The positions of each article's related articles."""
    placed: list[PlacedData]
    """What places each article among the others, beside its address and path (source,
    dates, tags, language: a ``Placement``'s other fields)."""
    listings: list[tuple[str, str, str, tuple[tuple[int, ...], ...]]]
    """Key, title, address and pages (article positions) of every listing."""
    sources: tuple[tuple[str, int], ...]
    links: list[tuple[str, str, str | None, str]]
    """What a related link shows of each article (title, source title, date, language)."""
    nav: list[tuple[str, str]]
    """Title and address of each stand-alone page."""
    pages: int
    common_key: str
    plan_count: int
    """How many of the marker's files were planned (the search bundle's come after)."""
    prose: dict[str, tuple[bytes, bytes]]
    """Per source, the folds of prose blocks and how many unique articles hold each."""
    long: HolderData
    """The folds of long blocks and the articles (numbered as in ``files``) holding each
    (``FoldHolders``)."""
    paired: list[str]
    """Every file a merge of two dumps involved (kept or merged)."""
    spare: tuple[tuple[int, int, int], dict[str, str | None]] | None
    """The spare tree's marker identity and how its files differ from the output's (path
    -> its hash, None where it has no such file): read from the output's record instead
    of from the spare's own."""
    warnings: ProblemData
    """What reading the inputs warned about, in input order."""
    skipped: ProblemData
    merged: ProblemData
    facts: FactsTable
    """What each article's view shows beside its placement, body and related links
    (``views.ArticleFacts``), by position: listing it needs neither its parse cache
    entry nor the cross-dump step. Stored after the other fields, as its bytes."""


def snapshot_path(config: Config) -> Path:
    return config.root / CACHE_DIR / SNAPSHOT


def load_snapshot(
    path: Path, salt: str | None = None, target: str | None = None
) -> Snapshot | None:
    """The snapshot stored at ``path``, or None when there is none of this format, or it
    was taken with another ``salt`` or of another ``target`` folder (when given).

    Those two come first, in a record of their own after its length, so that the rest is
    not read when they differ: the build after a change of theme, configuration or code
    read the whole snapshot (10 MB at 10,000 dumps: 20-40 ms, and 20 MB of objects) for
    nothing. Then come the other fields but the facts, and the facts table's ends and
    bytes, each after its length but the last. (Each record is read whole, then
    unmarshalled: ``marshal.load`` on the file reads it piece by piece, ten times as long.)
    """
    try:
        with path.open("rb") as file:
            head = marshal.loads(file.read(int.from_bytes(file.read(HEAD_LENGTH), "little")))
            if not isinstance(head, tuple) or len(head) != 3 or head[0] != FORMAT:
                return None
            if (salt is not None and head[1] != salt) or (target is not None and head[2] != target):
                return None
            rest = marshal.loads(file.read(int.from_bytes(file.read(LENGTH), "little")))
            ends = file.read(int.from_bytes(file.read(LENGTH), "little"))
            facts = FactsTable.from_data(ends, file.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    try:
        values: list[Any] = [head[1], head[2], *rest, facts]
        return Snapshot(*values)
    except TypeError:
        return None


def save_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Store ``snapshot`` atomically; one that cannot be written is simply not there."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        salt, target, *rest = field_values(snapshot)[:-1]
        head = marshal.dumps((FORMAT, salt, target))
        others = marshal.dumps(tuple(rest))
        ends, blob = snapshot.facts.data()
        with temporary.open("wb") as file:
            file.write(len(head).to_bytes(HEAD_LENGTH, "little") + head)
            for record in (others, ends):
                file.write(len(record).to_bytes(LENGTH, "little"))
                file.write(record)
            file.write(blob)
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)


def field_values(snapshot: Snapshot) -> tuple[Any, ...]:
    """The snapshot's fields in order (``astuple`` would copy every nested value)."""
    return tuple(getattr(snapshot, f.name) for f in fields(snapshot))


def layout_digest(document: Document, slug: str | None = None) -> str:
    """What decides a document's place in the site, short of its path: kind, the slug it
    asks for, dates, tags, language and draft flag. Its title counts only through the
    slug (a readable file name gives the slug, else the title does); other pages show it
    in related links, which a touch-up follows. The archived date decides nothing while a
    published date orders and files the article (the sitemap lists it, and a touch-up
    plans the sitemap anew). ``slug``: its ``wanted_slug``, when known."""
    archived = document.archived if not document.date else None
    return digest_of(
        document.source_file.kind,
        wanted_slug(document) if slug is None else slug,
        document.date,
        archived,
        document.tags,
        document.lang,
        document.draft,
    )


def fold_tables(
    documents: Sequence[Document], numbers: dict[str, int], merged: Iterable[str]
) -> tuple[dict[str, FoldCounts], FoldHolders]:
    """What the cross-dump step counted: per source, the prose folds of the articles it kept
    (``repeated_paragraphs``), and who holds the long-block folds of every article
    (``merge_duplicates``); articles are numbered by ``numbers``."""
    gone = set(merged)
    prose: dict[str, Counter[int]] = defaultdict(Counter)
    first: dict[int, int] = {}
    more: dict[int, list[int]] = {}
    for document in documents:  # in input order, so by increasing number
        if not document.is_article:
            continue
        rel = document.source_file.rel
        number = numbers[rel]
        for fold in block_keys(document):
            held = first.setdefault(fold, number)
            if held != number:
                more.setdefault(fold, [held]).append(number)
        source = document.source_file.source
        if source and rel not in gone:
            prose[source].update(prose_folds(document))
    holders = FoldHolders.of(first, more)
    return {name: FoldCounts.of(counts) for name, counts in prose.items()}, holders
