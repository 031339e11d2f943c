"""The session memo of the cross-dump step: same answer as the pure step, unchanged objects kept."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from generator import crossdump, crossdump_memo
from generator.crossdump import cross_dump, folds_of, merge_duplicates, shape_of
from generator.crossdump_memo import CrossDumpMemo
from generator.model import Block, BlockKind, Document, PackedBody, SourceFile, SourceKind

WORDS = (
    "lantern", "tide", "orchard", "copper", "meadow", "harbour", "kettle", "beacon", "willow", "granite",
    "ferry", "thistle", "mill", "ledger", "quarry", "pebble", "saddle", "cider", "barley", "dune",
    "heron", "lamp", "rope", "market", "chapel", "bridge", "cottage", "signal", "rain", "frost",
    "ember",
)  # fmt: skip
CRUFT = {
    "harbour": [
        "Sign up for the Tidewatch letter and get every harbour story in your inbox each Monday.",
        "Share this story",
        "Our reporters are paid by readers like you: become a friend of the Tidewatch today.",
    ],
    "valley": [
        "The Valley Note is printed on recycled paper in the old mill by the river every week.",
        "Comments are closed",
        "Photographs in this article may be reused only with written leave from the editors.",
    ],
    "orchard": [
        "Orchard Diary is written by volunteers; send corrections to the letters desk anytime.",
        "Read more",
    ],
}
Body = tuple[Block, ...]


def sentence(rng: random.Random, words: int) -> str:
    """A made-up sentence of random words."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def story(rng: random.Random) -> list[Block]:
    """A few paragraphs of made-up article text, sometimes under a stock heading."""
    blocks = [Block("heading", "Ingredients", line=1)] if rng.random() < 0.3 else []
    blocks += [
        Block("paragraph", sentence(rng, rng.randint(6, 18))) for _ in range(rng.randint(2, 5))
    ]
    return blocks


def with_cruft(blocks: Sequence[Block], source: str, chosen: Sequence[int]) -> Body:
    """The blocks followed by the chosen template paragraphs of the source, lines numbered."""
    texts: list[tuple[BlockKind, str]] = [(b.kind, b.text) for b in blocks]
    texts += [("paragraph", CRUFT[source][i]) for i in chosen]
    return tuple(Block(kind, text, line=n + 2) for n, (kind, text) in enumerate(texts))


def document(
    rel: str, blocks: Body, kind: SourceKind = "dump", carry_folds: bool = True
) -> Document:
    """A read document; some carry their folds, some leave them to be worked out."""
    source = rel.split("/")[0] if "/" in rel else ""
    return Document(
        source_file=SourceFile(rel, rel, source, kind, 0),
        title=rel, date=None, archived="2024-01-01", author=None, source_url=None,
        site_name=None, lang="en", tags=(), draft=False, slug_hint=None, encoding="utf-8",
        body=PackedBody.pack(blocks), folds=folds_of(blocks) if carry_folds else b"",
        shape=shape_of(blocks) if carry_folds else b"", digest=f"digest-{rel}",
    )  # fmt: skip


class World:
    """A site's documents by path, edited at random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.docs: dict[str, Document] = {}
        self.serial = 0
        for _ in range(36):
            self.add()
        self.docs["harbour/about.md"] = document(
            "harbour/about.md", with_cruft(story(rng), "harbour", [0]), kind="markdown"
        )
        self.docs["loose.txt"] = document("loose.txt", tuple(story(rng)))

    def listed(self) -> list[Document]:
        return [self.docs[rel] for rel in sorted(self.docs)]

    def dumps(self) -> list[str]:
        return sorted(rel for rel in self.docs if "/" in rel and rel.endswith(".txt"))

    def add(self) -> None:
        source = self.rng.choice(sorted(CRUFT))
        self.serial += 1
        self.put(f"{source}/{self.serial:03d}.txt", story(self.rng), self.some_cruft(source))

    def some_cruft(self, source: str) -> list[int]:
        return [i for i in range(len(CRUFT[source])) if self.rng.random() < 0.6]

    def put(self, rel: str, blocks: Sequence[Block], chosen: Sequence[int]) -> None:
        body = with_cruft(blocks, rel.split("/")[0], chosen)
        self.docs[rel] = document(rel, body, carry_folds=self.rng.random() < 0.8)

    def story_of(self, rel: str) -> list[Block]:
        cruft = set(CRUFT[rel.split("/")[0]])
        return [b for b in self.docs[rel].blocks if b.text not in cruft]

    def cruft_of(self, rel: str) -> list[int]:
        texts = {b.text for b in self.docs[rel].blocks}
        return [i for i, text in enumerate(CRUFT[rel.split("/")[0]]) if text in texts]

    def rewrite(self, rel: str) -> None:
        self.put(rel, story(self.rng), self.cruft_of(rel))

    def toggle_cruft(self, rel: str) -> None:
        chosen = set(self.cruft_of(rel)) ^ {self.rng.randrange(len(CRUFT[rel.split("/")[0]]))}
        self.put(rel, self.story_of(rel), sorted(chosen))

    def copy_story(self, original: str, rel: str) -> None:
        blocks = self.story_of(original)
        if self.rng.random() < 0.5:
            blocks = [*blocks, Block("paragraph", "Updated at noon.")]
        self.put(rel, blocks, self.cruft_of(rel))

    def remake(self, rel: str) -> None:
        self.docs[rel] = document(rel, self.docs[rel].blocks)

    def edit(self) -> None:
        """One random edit, or now and then many at once."""
        rels = self.dumps()
        choice = self.rng.randrange(8)
        if choice == 0:
            self.add()
        elif choice == 1 and len(rels) > 10:
            del self.docs[self.rng.choice(rels)]
        elif choice == 2:
            self.rewrite(self.rng.choice(rels))
        elif choice in (3, 4):
            self.toggle_cruft(self.rng.choice(rels))
        elif choice == 5:
            original, rel = self.rng.sample(rels, 2)
            self.copy_story(original, rel)
        elif choice == 6:
            self.remake(self.rng.choice(sorted(self.docs)))
        else:
            for rel in self.rng.sample(rels, len(rels) // 4):
                self.rewrite(rel)


def outputs_by_input(docs: Sequence[Document], cleaned: Sequence[Document]) -> dict[int, Document]:
    """Each output under the identity of the input document it came from."""
    unique, _ = merge_duplicates(docs)
    return {id(d): out for d, out in zip(unique, cleaned, strict=True)}


@pytest.mark.parametrize(("seed", "crowded"), [(1, 64), (2, 64), (3, 3), (4, 4)])
def test_memo_matches_the_pure_step_through_random_edits(
    seed: int, crowded: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crossdump, "CROWDED", crowded)
    monkeypatch.setattr(crossdump_memo, "CROWDED", crowded)
    world = World(random.Random(seed))
    memo = CrossDumpMemo()
    previous: dict[int, Document] = {}
    merged_seen = 0
    for _ in range(150):
        docs = world.listed()
        cleaned, merges = memo.clean(docs)
        assert (cleaned, merges) == cross_dump(docs)
        now = outputs_by_input(docs, cleaned)
        for identity in now.keys() & previous.keys():
            if now[identity] == previous[identity]:
                assert now[identity] is previous[identity]
        previous = now
        merged_seen += len(merges)
        world.edit()
    assert merged_seen > 0
    assert_holds_only_listed(memo, world.listed())


def assert_holds_only_listed(memo: CrossDumpMemo, docs: Sequence[Document]) -> None:
    """Nothing cached for documents gone from the list (their ids may be reused)."""
    memo.clean(docs)
    listed = set(map(id, docs))
    unique = set(map(id, merge_duplicates(docs)[0]))
    assert memo.duplicates.facts.keys() == listed
    assert {i for pair in memo.duplicates.pairs for i in pair} <= listed
    assert memo.duplicates.alike.keys() <= memo.duplicates.pairs.keys()
    assert memo.cruft.facts.keys() == memo.cruft.outputs.keys() == unique


def test_replacing_one_document_keeps_every_other_output_object() -> None:
    world = World(random.Random(7))
    memo = CrossDumpMemo()
    before, _ = memo.clean(world.listed())
    rel = world.dumps()[5]
    world.rewrite(rel)
    docs = world.listed()
    after, _ = memo.clean(docs)
    assert (after, _) == cross_dump(docs)
    changed = [i for i, d in enumerate(docs) if d.source_file.rel == rel]
    assert len(before) == len(after)
    assert all(
        a is b for i, (a, b) in enumerate(zip(before, after, strict=True)) if i not in changed
    )
    assert any(a.dropped != d.dropped for a, d in zip(after, docs, strict=True))


def three_dumps(extra: int = 0) -> list[Document]:
    """Dumps of one source that all end with the same newsletter paragraph."""
    rng = random.Random(11)
    return [
        document(f"harbour/{n}.txt", with_cruft(story(rng), "harbour", [0]))
        for n in range(3 + extra)
    ]


def test_removing_cruft_from_one_of_three_dumps_keeps_it_again_everywhere() -> None:
    docs = three_dumps()
    memo = CrossDumpMemo()
    cleaned, _ = memo.clean(docs)
    assert all(CRUFT["harbour"][0] not in [b.text for b in d.blocks] for d in cleaned)
    docs[1] = document(docs[1].source_file.rel, docs[1].blocks[:-1])
    cleaned, _ = memo.clean(docs)
    assert cleaned == docs
    assert cleaned[0] is docs[0] and cleaned[2] is docs[2]
    docs[1] = document(docs[1].source_file.rel, with_cruft(docs[1].blocks, "harbour", [0]))
    cleaned, _ = memo.clean(docs)
    assert [d.dropped[-1].reason for d in cleaned] == ["repeated in 3 dumps of harbour"] * 3


def test_the_drop_reason_counts_the_dumps_as_they_come_and_go() -> None:
    docs = three_dumps(extra=1)
    memo = CrossDumpMemo()
    cleaned, _ = memo.clean(docs)
    assert {d.dropped[-1].reason for d in cleaned} == {"repeated in 4 dumps of harbour"}
    first_digest = cleaned[0].digest
    docs[3] = document(docs[3].source_file.rel, docs[3].blocks[:-1])
    cleaned, _ = memo.clean(docs)
    assert (cleaned, _) == cross_dump(docs)
    assert [d.dropped[-1].reason for d in cleaned[:3]] == ["repeated in 3 dumps of harbour"] * 3
    # The same lines dropped: the digest (what decides a page's rendering) stays, as no
    # page shows the reason's count.
    assert cleaned[0].digest == first_digest


def test_a_change_that_touches_no_repeat_redoes_no_other_document() -> None:
    docs = three_dumps(extra=2)
    memo = CrossDumpMemo()
    before, _ = memo.clean(docs)
    rel = docs[2].source_file.rel
    docs[2] = document(rel, with_cruft(story(random.Random(5)), "harbour", [0]))
    after, _ = memo.clean(docs)
    assert (after, _) == cross_dump(docs)
    assert all(after[i] is before[i] for i in (0, 1, 3, 4))


def test_duplicates_merge_and_part_again() -> None:
    rng = random.Random(3)
    docs = [document(f"valley/{n}.txt", with_cruft(story(rng), "valley", [1])) for n in range(4)]
    memo = CrossDumpMemo()
    assert memo.clean(docs)[1] == []
    docs[3] = document("valley/3.txt", docs[0].blocks)
    cleaned, merges = memo.clean(docs)
    assert [(m.kept, m.merged) for m in merges] == [("valley/0.txt", "valley/3.txt")]
    assert (cleaned, merges) == cross_dump(docs)
    docs[3] = document("valley/3.txt", with_cruft(story(rng), "valley", [1]))
    assert memo.clean(docs) == cross_dump(docs) and memo.clean(docs)[1] == []


def test_an_article_saved_three_times_is_merged_into_the_first_dump() -> None:
    rng = random.Random(9)
    body = with_cruft(story(rng), "orchard", [])
    memo = CrossDumpMemo()
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]):
        made = {n: document(f"orchard/{n}.txt", body) for n in order}
        docs = [made[n] for n in range(3)]
        cleaned, merges = memo.clean(docs)
        assert (cleaned, merges) == cross_dump(docs)
        assert [m.kept for m in merges] == ["orchard/0.txt"] * 2


def test_the_same_object_listed_twice_gets_the_pure_answer() -> None:
    docs = World(random.Random(13)).listed()
    memo = CrossDumpMemo()
    memo.clean(docs)
    fresh = document("harbour/again.txt", docs[5].blocks)
    for twice in (
        [*docs[:10], docs[3], *docs[10:]],
        [*docs[:-1], docs[0]],
        [*docs[:5], fresh, fresh, *docs[7:]],
    ):
        assert memo.clean(twice) == cross_dump(twice)
        assert memo.clean(docs) == cross_dump(docs)
