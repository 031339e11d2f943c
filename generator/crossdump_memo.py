"""The cross-dump step for a build session: the same answer as ``crossdump.cross_dump``, at
a cost that follows what changed since the session's last call, not the archive's size.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, compress, count
from operator import is_not

from generator.crossdump import (
    CROWDED,
    MIN_REPEATS,
    SAME_ARTICLE,
    Merge,
    block_keys,
    drop_repeated,
    merge_duplicates,
    prose_folds,
    shingles,
    without_template_cruft,
)
from generator.model import Document

WHOLESALE = 8
"""When more than one document in this many changed, a memo starts again from scratch."""


Hunk = tuple[int, int, int, int]
"""Where two lists differ: ``old[a:b]`` became ``new[c:d]`` for (a, b, c, d)."""


def hunks_between(old: Sequence[Document], new: Sequence[Document]) -> list[Hunk]:
    """The stretches where two lists hold different objects, found at C speed by identity."""
    if len(old) == len(new):
        return [(i, i + 1, i, i + 1) for i in compress(count(), map(is_not, old, new))]
    shorter = min(len(old), len(new))
    front = next(compress(count(), map(is_not, old, new)), shorter)
    back = next(compress(count(), map(is_not, reversed(old), reversed(new))), shorter)
    back = min(back, shorter - front)
    return [(front, len(old) - back, front, len(new) - back)]


@dataclass(frozen=True, slots=True)
class Diff:
    """What came and went between two calls, by identity."""

    removed: dict[int, Document]
    added: dict[int, Document]
    hunks: list[Hunk]
    wholesale: bool
    """So much changed that the memo starts again: ``added`` is then every document."""


def diff(old: Sequence[Document], new: Sequence[Document], known: Container[int]) -> Diff | None:
    """How ``new`` differs from ``old`` (all ``known``); None when it lists an object twice."""
    hunks = hunks_between(old, new)
    if sum(max(b - a, d - c) for a, b, c, d in hunks) * WHOLESALE > len(new):
        everything = dict(zip(map(id, new), new, strict=True))
        return Diff({}, everything, hunks, True) if len(everything) == len(new) else None
    went = {id(doc): doc for a, b, _, _ in hunks for doc in old[a:b]}
    came = [doc for _, _, c, d in hunks for doc in new[c:d]]
    arrived = {id(doc): doc for doc in came}
    if len(arrived) < len(came) or any(i in known and i not in went for i in arrived):
        return None
    removed = {i: doc for i, doc in went.items() if i not in arrived}
    return Diff(removed, {i: doc for i, doc in arrived.items() if i not in went}, hunks, False)


def patched(
    old: list[Document], hunks: Sequence[Hunk], stretch: Callable[[int, int], list[Document]]
) -> list[Document]:
    """``old`` with each hunk's stretch replaced by ``stretch(c, d)``."""
    pieces: list[Sequence[Document]] = []
    done = 0
    for a, b, c, d in hunks:
        pieces += [old[done:a], stretch(c, d)]
        done = b
    pieces.append(old[done:])
    return list(chain.from_iterable(pieces))


def same_if_equal(new: Document, old: Document | None) -> Document:
    """The old object when it equals the new one, so identity-keyed layers see no change."""
    return old if old is not None and (old is new or old == new) else new


class CrossDumpMemo:
    """What a build session keeps so the cross-dump step costs O(change).

    Documents are told apart by identity: pass an unchanged file's Document as the same
    object as last time. The answer always equals ``cross_dump(documents)``.
    """

    def __init__(self) -> None:
        self.duplicates = DuplicateMemo()
        self.cruft = CruftMemo()

    def clean(self, documents: Sequence[Document]) -> tuple[list[Document], list[Merge]]:
        """What ``cross_dump`` returns, with last call's output objects wherever still equal."""
        try:
            unique, merges = self.duplicates.merge(documents)
            return self.cruft.clean(unique), merges
        except BaseException:
            self.duplicates.reset()  # half-applied changes must not leak into the next call
            self.cruft.reset()
            raise


@dataclass(frozen=True, slots=True)
class CruftFacts:
    """What the template-cruft step needs of one document, worked out once per object."""

    document: Document
    source: str
    """The source whose repeats may be dropped from it (empty: none)."""
    prose: frozenset[int]
    counted: bool
    """Whether its paragraphs count towards its source's repeats (dumps only)."""


def cruft_facts(document: Document) -> CruftFacts:
    """The facts of one document, hashing its blocks only when it carries no folds."""
    source = document.source_file.source
    if not source:
        return CruftFacts(document, "", frozenset(), counted=False)
    return CruftFacts(document, source, prose_folds(document), document.is_article)


class CruftMemo:
    """``without_template_cruft`` with per-source counts patched as documents come and go."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything."""
        self.facts: dict[int, CruftFacts] = {}
        self.by_source: dict[str, dict[int, CruftFacts]] = defaultdict(dict)
        """Per source, the documents its repeats may be dropped from."""
        self.counts: dict[str, Counter[int]] = defaultdict(Counter)
        self.outputs: dict[int, Document] = {}
        self.listed: list[Document] = []
        self.returned: list[Document] = []

    def clean(self, documents: Sequence[Document]) -> list[Document]:
        """What ``without_template_cruft(documents)`` returns."""
        change = diff(self.listed, documents, self.facts)
        if change is None:
            self.reset()
            return without_template_cruft(documents)
        previous = self.outputs
        if change.wholesale:
            self.reset()
        delta: dict[str, Counter[int]] = defaultdict(Counter)
        for identity in change.removed:
            self.forget(identity, delta)
        for document in change.added.values():
            self.learn(document, delta)
        recounted = self.recounted(delta)
        for identity in change.added.keys() | recounted:
            output = self.cleaned(self.facts[identity])
            self.outputs[identity] = same_if_equal(output, previous.get(identity))
        others_changed = not recounted <= change.added.keys()
        self.returned = self.in_order(documents, change, others_changed)
        self.listed = list(documents)
        return list(self.returned)

    def in_order(
        self, documents: Sequence[Document], change: Diff, others_changed: bool
    ) -> list[Document]:
        """The outputs in list order, patched into last call's list when only new ones changed."""
        if change.wholesale or others_changed:
            return list(map(self.outputs.__getitem__, map(id, documents)))

        def stretch(c: int, d: int) -> list[Document]:
            return [self.outputs[id(document)] for document in documents[c:d]]

        return patched(self.returned, change.hunks, stretch)

    def learn(self, document: Document, delta: dict[str, Counter[int]]) -> None:
        """Take a document in; its paragraphs' counts go into ``delta``."""
        facts = cruft_facts(document)
        self.facts[id(document)] = facts
        if facts.prose:
            self.by_source[facts.source][id(document)] = facts
        if facts.counted:
            delta[facts.source].update(facts.prose)

    def forget(self, identity: int, delta: dict[str, Counter[int]]) -> None:
        """Let a document go; its paragraphs' counts come off in ``delta``."""
        facts = self.facts.pop(identity)
        self.outputs.pop(identity, None)
        if facts.prose:
            del self.by_source[facts.source][identity]
        if facts.counted:
            delta[facts.source].subtract(facts.prose)

    def recounted(self, delta: dict[str, Counter[int]]) -> set[int]:
        """Apply ``delta``; the documents holding a paragraph whose repeat entry changed."""
        redo: set[int] = set()
        for source, changes in delta.items():
            shown = self.count(source, changes)
            if shown:
                holders = self.by_source[source].items()
                redo.update(i for i, facts in holders if not shown.isdisjoint(facts.prose))
        return redo

    def count(self, source: str, changes: Counter[int]) -> set[int]:
        """Apply one source's changes; the paragraphs whose repeat entry (count shown) changed."""
        counts = self.counts[source]
        if not counts:  # nothing was counted, so nothing was taken off: all changes are gains
            self.counts[source] = changes
            return {key for key, n in changes.items() if n >= MIN_REPEATS}
        shown: set[int] = set()
        for key, change in changes.items():
            if change:
                before = counts[key]
                counts[key] = before + change
                if not counts[key]:
                    del counts[key]
                if max(before, before + change) >= MIN_REPEATS:
                    shown.add(key)
        return shown

    def cleaned(self, facts: CruftFacts) -> Document:
        """One document less its source's repeats, as ``without_template_cruft`` makes it."""
        counts = self.counts.get(facts.source)
        if not counts:
            return facts.document
        repeated = {key: n for key in facts.prose if (n := counts[key]) >= MIN_REPEATS}
        return drop_repeated(facts.document, repeated) if repeated else facts.document


@dataclass(frozen=True, slots=True)
class DuplicateFacts:
    """What duplicate finding needs of one document, worked out once per object."""

    document: Document
    rel: str
    keys: frozenset[int]
    """Its long-block keys (dumps only: other documents are never merged)."""


def duplicate_facts(document: Document) -> DuplicateFacts:
    """The facts of one document."""
    keys = block_keys(document) if document.is_article else frozenset()
    return DuplicateFacts(document, document.source_file.rel, keys)


PACKED = "I" if array("I").itemsize >= 4 else "L"
"""Array type code that holds a CRC32."""


def packed_similarity(a: frozenset[int], b: array[int]) -> float:
    """``similarity`` of a shingle set and a packed one (the same number, to the last bit)."""
    if not a or not b:
        return 0.0
    common = len(a.intersection(b))
    return common / (len(a) + len(b) - common)


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    """The pair with the smaller identity first (how pairs are filed)."""
    return (a, b) if a < b else (b, a)


class DuplicateMemo:
    """``merge_duplicates`` with the long-block index and candidate pairs kept up to date.

    Only pairs alike enough to merge can change the outcome, so each candidate pair is
    scored once, when it appears, and only the alike ones are kept and replayed in order.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything."""
        self.facts: dict[int, DuplicateFacts] = {}
        self.members: dict[int, set[int]] = {}
        """Per long-block key, the dumps holding it."""
        self.pairs: dict[tuple[int, int], int] = {}
        """Candidate pairs, with how many uncrowded keys each shares."""
        self.alike: dict[tuple[int, int], float] = {}
        """Candidate pairs similar enough to merge, with their similarity."""
        self.fresh: set[tuple[int, int]] = set()
        """Candidate pairs that appeared in this update, still to be scored."""
        self.by_rel: dict[str, list[int]] = defaultdict(list)
        self.listed: list[Document] = []
        self.shingle_arrays: dict[int, array[int]] = {}
        """Shingles of dumps that were ever paired, packed (sets would cost ten times more)."""

    def merge(self, documents: Sequence[Document]) -> tuple[list[Document], list[Merge]]:
        """What ``merge_duplicates(documents)`` returns."""
        change = diff(self.listed, documents, self.facts)
        if change is None:
            self.reset()
            return merge_duplicates(documents)
        self.update(change)
        self.listed = list(documents)
        if not self.alike:
            return list(documents), []
        position = dict(zip(map(id, documents), count(), strict=False))
        merges = self.decide(position)
        return self.remaining(documents, merges, position), merges

    def update(self, change: Diff) -> None:
        """Bring the index in line with the documents now listed."""
        if change.wholesale:
            arrays = self.shingle_arrays
            self.reset()
            self.shingle_arrays = {i: a for i, a in arrays.items() if i in change.added}
        for identity in change.removed:
            self.forget(identity)
        for document in change.added.values():
            self.learn(document)
        self.score_fresh()

    def learn(self, document: Document) -> None:
        """File a document under its keys, pairing it with the others that share one."""
        identity = id(document)
        facts = duplicate_facts(document)
        self.facts[identity] = facts
        self.by_rel[facts.rel].append(identity)
        for key in facts.keys:
            members = self.members.get(key)
            if members is None:
                self.members[key] = {identity}
                continue
            if len(members) < CROWDED:
                self.count_pairs([(identity, other) for other in members], 1)
            elif len(members) == CROWDED:
                self.count_pairs(combinations(members, 2), -1)
            members.add(identity)

    def forget(self, identity: int) -> None:
        """Take a document out of the index, with its pairs."""
        facts = self.facts.pop(identity)
        self.by_rel[facts.rel].remove(identity)
        if not self.by_rel[facts.rel]:
            del self.by_rel[facts.rel]
        self.shingle_arrays.pop(identity, None)
        for key in facts.keys:
            members = self.members[key]
            members.discard(identity)
            if len(members) < CROWDED:
                self.count_pairs(((identity, other) for other in members), -1)
            elif len(members) == CROWDED:
                self.count_pairs(combinations(members, 2), 1)
            if not members:
                del self.members[key]

    def count_pairs(self, pairs: Iterable[tuple[int, int]], change: int) -> None:
        """Add ``change`` to how many keys each pair shares; drop pairs sharing none."""
        for a, b in pairs:
            pair = ordered_pair(a, b)
            count = self.pairs.get(pair, 0) + change
            if count:
                self.pairs[pair] = count
                if count == change:
                    self.fresh.add(pair)
            else:
                del self.pairs[pair]
                self.alike.pop(pair, None)
                self.fresh.discard(pair)

    def score_fresh(self) -> None:
        """Score the pairs that appeared, keeping those alike enough to merge."""
        sets: dict[int, frozenset[int]] = {}
        for pair in self.fresh:
            a, b = pair if pair[1] not in sets else pair[::-1]
            if a not in sets:
                sets[a] = frozenset(self.shingle_array(a))
            score = packed_similarity(sets[a], self.shingle_array(b))
            if score >= SAME_ARTICLE:
                self.alike[pair] = score
        self.fresh = set()

    def shingle_array(self, identity: int) -> array[int]:
        """A dump's shingles, worked out once while it stays listed."""
        if identity not in self.shingle_arrays:
            found = shingles(self.facts[identity].document)
            self.shingle_arrays[identity] = array(PACKED, found)
        return self.shingle_arrays[identity]

    def decide(self, position: dict[int, int]) -> list[Merge]:
        """The merges, decided pair by pair in list order exactly as ``merge_duplicates`` does."""
        order = sorted(
            (position[a], position[b], a, b) if position[a] < position[b] else
            (position[b], position[a], b, a)
            for a, b in self.alike
        )  # fmt: skip
        merged: dict[int, Merge] = {}
        for _, _, a, b in order:
            if a not in merged and b not in merged:
                score = self.alike[ordered_pair(a, b)]
                merged[b] = Merge(self.facts[a].rel, self.facts[b].rel, score)
        return sorted(merged.values(), key=lambda m: m.merged)

    def remaining(
        self, documents: Sequence[Document], merges: Sequence[Merge], position: dict[int, int]
    ) -> list[Document]:
        """The documents whose path no merge took, cut out of the list by position."""
        gone = {m.merged for m in merges}
        cuts = sorted(position[i] for rel in gone for i in self.by_rel.get(rel, ()))
        starts = [0, *(cut + 1 for cut in cuts)]
        ends = [*cuts, len(documents)]
        return list(chain.from_iterable(documents[s:e] for s, e in zip(starts, ends, strict=True)))
