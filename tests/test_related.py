"""Related articles look at a fixed window of neighbours in each group."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from generator.related import RELATED_COUNT, WINDOW, neighbours, related_after, related_urls
from generator.site import Placement, newest_first


def test_neighbours_are_the_window_around_a_member_in_a_large_group() -> None:
    members = list(range(0, 20_000, 2))  # a group's positions, in increasing order
    half = WINDOW // 2
    assert neighbours(members, 5000) == [
        p for p in range(5000 - 2 * half, 5001 + 2 * half, 2) if p != 5000
    ]
    assert neighbours(members, 0) == list(range(2, 2 * half + 1, 2))
    assert neighbours(members, 19_998) == list(range(19_998 - 2 * half, 19_998, 2))


def random_placement(
    rng: random.Random, number: int, tags: Sequence[str], sources: Sequence[str]
) -> Placement:
    """An article of one of ``sources`` with some of ``tags``, dated within a few months:
    many equal dates, so that the path breaks ties too."""
    chosen = tuple(rng.sample(tags, rng.randint(0, len(tags))))
    date = f"2024-0{rng.randint(1, 4)}-1{rng.randint(0, 9)}" if rng.random() < 0.9 else None
    source = rng.choice(sources)
    return Placement(
        f"a{number}/", f"{source}/a{number}.txt", source, date, "2024-06-01", chosen, None
    )


def positions_of(placed: list[Placement], related: dict[str, list[str]]) -> list[tuple[int, ...]]:
    """The related lists by position, as a snapshot keeps them."""
    position = {article.url: index for index, article in enumerate(placed)}
    return [tuple(position[url] for url in related[article.url]) for article in placed]


MANY_TAGS = ["Rivers", "rivers", "bridges", "markets", "ports"]
"""Tags spelt two ways (one group) among them."""


@pytest.mark.parametrize(
    ("cases", "sizes", "tags", "sources", "count"),
    [
        (300, (0, 120), MANY_TAGS, ["a", "b", ""], RELATED_COUNT),
        # Every member of a window ranked: a member at the edge of a window then counts
        # as much as the nearest, so each bound of the reach is needed (one less fails
        # dozens of these cases; with three ranked, one in a thousand).
        (300, (0, 120), MANY_TAGS, ["a", "b", ""], WINDOW),
        (600, (10, 40), ["t", "u"], ["a", "b"], WINDOW),
    ],
)
def test_related_lists_worked_out_again_near_changes_equal_the_whole_work(
    cases: int, sizes: tuple[int, int], tags: list[str], sources: list[str], count: int
) -> None:
    """Adding, removing, moving and retagging a few articles; every list worked out again
    only where a change reaches equals ``related_urls`` of the whole archive."""
    rng = random.Random(20261201)
    for case in range(cases):
        count = rng.randint(*sizes)
        before = newest_first([random_placement(rng, n, tags, sources) for n in range(count)])
        after = list(before)
        changed: set[str] = set()
        for step in range(rng.randint(0, 4)):
            kind = rng.choice(["add", "remove", "move", "retag", "same"])
            if kind == "add" or not after:
                after.append(random_placement(rng, 1000 + step, tags, sources))
                changed.add(after[-1].url)
                continue
            index = rng.randrange(len(after))
            old, new = after[index], random_placement(rng, 0, tags, sources)
            changed.add(old.url)
            if kind == "remove":
                del after[index]
            elif kind == "move":
                after[index] = old._replace(date=new.date)
            elif kind == "retag":
                after[index] = old._replace(tags=new.tags)
        after = newest_first(after)
        lists = positions_of(before, related_urls(before, count))
        related, redone = related_after(before, lists, after, changed, count)
        assert related == positions_of(after, related_urls(after, count)), f"case {case}"
        assert {index for index, placed in enumerate(after) if placed.url in changed} <= redone


def test_a_new_article_redoes_only_the_lists_within_reach() -> None:
    """Three sources and four tags: a new article reaches a dozen members of each group
    around its place, and itself."""
    rng = random.Random(7)
    tags, sources = ["rivers", "bridges", "markets", "ports"], ["a", "b", "c"]
    before = newest_first([random_placement(rng, n, tags, sources) for n in range(3000)])
    lists = positions_of(before, related_urls(before))
    new = random_placement(rng, 5000, tags, sources)
    after = newest_first([*before, new])
    related, redone = related_after(before, lists, after, {new.url})
    assert related == positions_of(after, related_urls(after))
    assert after.index(new) in redone and len(redone) <= 7 * WINDOW + 1
