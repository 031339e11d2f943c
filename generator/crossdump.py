"""What only a whole archive shows: lines every dump of a source repeats, and articles saved twice.

Both run after every dump is read and before the site is assembled, so the per-dump
parser stays pure and cacheable.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.errors import Problem
from generator.model import Block, Document, DroppedLine

MIN_REPEATS = 3
"""A paragraph must stand in at least this many dumps of one source to count as cruft."""
SHINGLE = 6
"""Words per shingle when comparing bodies."""
MIN_KEY_BLOCK = 60
"""Blocks at least this long (in characters) are used to find candidate duplicates."""
SAME_ARTICLE = 0.8
"""Share of shingles two bodies must have in common to be one article."""
CROWDED = 64
"""A block shared by more bodies than this is a stock phrase, not a sign of a copy."""
WORD = re.compile(r"\w+")


def normalised(text: str) -> str:
    """Text compared across dumps: case and spacing folded."""
    return " ".join(text.casefold().split())


def fold_digest(text: str) -> bytes:
    """An 8-byte hash of the text with case and spacing folded (stable across runs)."""
    folded = normalised(text).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(folded, digest_size=8).digest()


def fold(text: str) -> int:
    """``fold_digest`` as a number: what the step compares."""
    return int.from_bytes(fold_digest(text), "big")


def folds_of(blocks: Sequence[Block]) -> bytes:
    """The fold of every block, packed as ``fold_digest`` gives them, which ``unpacked``
    turns into numbers. (A tuple of numbers took 650 bytes a document, 6.5 MB at 10,000
    dumps, held by every rendering process.)"""
    return b"".join(fold_digest(block.text) for block in blocks)


def unpacked(folds: bytes) -> tuple[int, ...]:
    """Packed folds (``folds_of``) as numbers."""
    return struct.unpack(f">{len(folds) // 8}Q", folds)


PROSE = 1
"""Shape flag: template cruft can hide in this block (see ``is_prose``)."""
LONG = 2
"""Shape flag: the block is long enough to find copies by (``MIN_KEY_BLOCK``)."""


def shape_of(blocks: Sequence[Block]) -> bytes:
    """What this step asks of every block, as PROSE and LONG flags, a byte each."""
    return bytes(
        (PROSE if is_prose(block) else 0) | (LONG if len(block.text) >= MIN_KEY_BLOCK else 0)
        for block in blocks
    )


def outline(document: Document) -> tuple[tuple[int, ...], bytes]:
    """A document's folds (as numbers) and shape: carried, or worked out from its body."""
    if document.folds and len(document.folds) == 8 * len(document.shape):
        return unpacked(document.folds), document.shape
    blocks = document.blocks
    return tuple(fold(block.text) for block in blocks), shape_of(blocks)


def repeated_paragraphs(documents: Sequence[Document]) -> dict[str, dict[int, int]]:
    """For each source, the paragraphs (by fold) found in at least MIN_REPEATS of its dumps."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for document in documents:
        source = document.source_file.source
        if source and document.is_article:
            counts[source].update(prose_folds(document))
    return {
        source: {text: n for text, n in counter.items() if n >= MIN_REPEATS}
        for source, counter in counts.items()
    }


def prose_folds(document: Document) -> frozenset[int]:
    """The folds of the blocks that template cruft can hide in."""
    folds, shape = outline(document)
    return frozenset(key for key, flags in zip(folds, shape, strict=True) if flags & PROSE)


def is_prose(block: Block) -> bool:
    """Blocks that template cruft can hide in (headings repeat legitimately: "Ingredients")."""
    return block.kind in ("paragraph", "list", "quote")


def drop_repeated(document: Document, repeated: dict[int, int]) -> Document:
    """The document without paragraphs its source repeats, each recorded as dropped."""
    folds, shape = outline(document)
    source = document.source_file.source
    taken: list[tuple[int, str]] = []
    for position, (key, flags) in enumerate(zip(folds, shape, strict=True)):
        times = repeated.get(key) if flags & PROSE else None
        if times is not None:
            taken.append((position, f"repeated in {times} dumps of {source}"))
    if not taken or len(taken) == len(folds):
        return document
    gone = {position for position, _ in taken}
    blocks = document.blocks
    dropped = [
        DroppedLine(blocks[position].line, blocks[position].text, why) for position, why in taken
    ]
    return replace(
        document,
        body=document.body.without(taken),
        folds=b"".join(
            key.to_bytes(8, "big") for position, key in enumerate(folds) if position not in gone
        ),
        shape=bytes(flags for position, flags in enumerate(shape) if position not in gone),
        counts=None,
        excerpt=None,
        digest=with_drops(document.digest, dropped),
    )


def with_drops(digest: str, dropped: Sequence[DroppedLine]) -> str:
    """A document's digest updated for the lines this step dropped (empty stays empty).

    Only which lines went counts, not their reason's count of dumps: no page shows the
    reason (``gleanery inspect`` does), and counting it made every dump holding a
    repeated paragraph change whenever one more dump of its source came or went with it,
    which took a touch-up build out of reach (``touchup.recount``)."""
    if not digest:
        return ""
    facts = "\0".join([digest, *(str(d.line) for d in dropped)])
    return hashlib.blake2b(facts.encode(), digest_size=16).hexdigest()


def without_template_cruft(documents: Sequence[Document]) -> list[Document]:
    """Every document, less the paragraphs repeated across dumps of its source."""
    repeated = repeated_paragraphs(documents)
    return [
        drop_repeated(d, repeated[d.source_file.source])
        if repeated.get(d.source_file.source)
        else d
        for d in documents
    ]


def shingles(document: Document) -> frozenset[int]:
    """Hashes of the body's overlapping word runs (CRC32: stable across runs)."""
    words = WORD.findall(" ".join(b.text for b in document.blocks).casefold())
    if len(words) < SHINGLE:
        return frozenset({zlib.crc32(" ".join(words).encode())}) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
        for i in range(len(words) - SHINGLE + 1)
    )


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True)
class Merge:
    """A dump left out because an earlier one (by path) holds the same article."""

    kept: str
    merged: str
    similarity: float

    def problem(self) -> Problem:
        return Problem(
            self.merged,
            f"same article as {self.kept} ({self.similarity:.0%} of the text in common); "
            "merged into its page",
        )


def block_keys(document: Document) -> frozenset[int]:
    """Hashes of the body's longer blocks: two pastes of one article share most of them."""
    folds, shape = outline(document)
    return frozenset(key for key, flags in zip(folds, shape, strict=True) if flags & LONG)


def candidate_pairs(keys: Sequence[frozenset[int]]) -> list[tuple[int, int]]:
    """Pairs of bodies sharing a long block that few other bodies have, in index order."""
    by_key: dict[int, list[int]] = defaultdict(list)
    for index, body_keys in enumerate(keys):
        for key in body_keys:
            by_key[key].append(index)
    pairs = {
        (a, b)
        for members in by_key.values()
        if len(members) <= CROWDED
        for a in members
        for b in members
        if a < b
    }
    return sorted(pairs)


def merge_duplicates(documents: Sequence[Document]) -> tuple[list[Document], list[Merge]]:
    """Keep the first dump (by path) of each article saved more than once.

    Candidates come cheaply from shared long blocks; only they are compared word by word.
    """
    articles = [d for d in documents if d.is_article]
    shingle_sets: dict[int, frozenset[int]] = {}
    merged: dict[int, Merge] = {}
    for a, b in candidate_pairs([block_keys(d) for d in articles]):
        if a in merged or b in merged:
            continue
        for index in (a, b):
            if index not in shingle_sets:
                shingle_sets[index] = shingles(articles[index])
        score = similarity(shingle_sets[a], shingle_sets[b])
        if score >= SAME_ARTICLE:
            merged[b] = Merge(articles[a].source_file.rel, articles[b].source_file.rel, score)
    gone = {m.merged for m in merged.values()}
    remaining = [d for d in documents if d.source_file.rel not in gone]
    return remaining, sorted(merged.values(), key=lambda m: m.merged)


def cross_dump(documents: Sequence[Document]) -> tuple[list[Document], list[Merge]]:
    """The whole cross-dump step at once: duplicates merged, then template cruft dropped."""
    unique, merges = merge_duplicates(documents)
    return without_template_cruft(unique), merges
