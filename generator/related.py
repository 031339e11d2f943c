"""Related articles: shared tags count most, then the same source, then closeness in time."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence, Set

from generator.site import Placement
from generator.slug import slugify

RELATED_COUNT = 3
"""Related articles shown under each article."""
WINDOW = 12
"""Neighbours (in date order) looked at inside each tag or source, so large groups stay cheap."""
TAG_WEIGHT = 2
SOURCE_WEIGHT = 1


def groups_by_position(articles: Sequence[Placement]) -> dict[str, list[int]]:
    """Group key (``tag:SLUG`` or ``source:NAME``) -> positions in ``articles``, in order."""
    groups: dict[str, list[int]] = {}
    known: dict[tuple[str, tuple[str, ...]], list[list[int]]] = {}
    for position, placed in enumerate(articles):
        # Articles share sources and tags: each combination is slugged once.
        lists = known.get((placed.source, placed.tags))
        if lists is None:
            keys = group_keys(placed)
            lists = known[placed.source, placed.tags] = [groups.setdefault(k, []) for k in keys]
        for members in lists:
            members.append(position)
    return groups


def neighbours(members: list[int], position: int) -> list[int]:
    """Up to WINDOW members nearest to ``position`` in the group (not itself).

    ``members`` is in increasing order, so ``position`` is found by bisection: a linear
    search made related lists quadratic in the size of the largest group (a source of
    4,000 articles in a 50,000-dump archive).
    """
    index = bisect_left(members, position)
    half = WINDOW // 2
    window = members[max(0, index - half) : index + half + 1]
    return [member for member in window if member != position]


def group_keys(placed: Placement) -> list[str]:
    """The groups an article is in, sorted: its source and each of its tags."""
    return sorted({f"source:{placed.source}", *(f"tag:{slugify(tag)}" for tag in placed.tags)})


def scores_for(position: int, keys: list[str], groups: dict[str, list[int]]) -> dict[int, int]:
    """How related each nearby article is to the one at ``position``."""
    scores: dict[int, int] = {}
    for key in keys:
        weight = TAG_WEIGHT if key.startswith("tag:") else SOURCE_WEIGHT
        for other in neighbours(groups[key], position):
            scores[other] = scores.get(other, 0) + weight
    return scores


def related_urls(articles: Sequence[Placement], count: int = RELATED_COUNT) -> dict[str, list[str]]:
    """Article url -> urls of up to ``count`` related articles, most related first."""
    groups = groups_by_position(articles)
    memberships: dict[int, list[str]] = {}
    for key in sorted(groups):
        for position in groups[key]:
            memberships.setdefault(position, []).append(key)
    return {
        page.url: [
            articles[other].url for other in closest(position, memberships[position], groups, count)
        ]
        for position, page in enumerate(articles)
    }


def closest(position: int, keys: list[str], groups: dict[str, list[int]], count: int) -> list[int]:
    """The positions of the ``count`` articles most related to the one at ``position``."""
    scores = scores_for(position, keys, groups)
    best = sorted(scores, key=lambda other: (-scores[other], abs(other - position), other))
    return best[:count]


def related_after(
    before: Sequence[Placement],
    related_before: Sequence[Sequence[int]],
    after: Sequence[Placement],
    changed: Set[str],
    count: int = RELATED_COUNT,
) -> tuple[list[tuple[int, ...]], set[int]]:
    """The related lists of ``after`` by position (those ``related_urls`` gives by url),
    and the positions of the lists worked out again; ``related_before`` holds the lists
    of ``before`` the same way.

    ``changed`` holds the urls of the articles added, removed, or whose placement may
    differ; every other article keeps its groups and its order among the others. Such an
    article's list can only differ when a change falls within the reach of its windows:
    a member that comes, goes or passes within its six nearest in one of its groups, or
    any article that comes or goes between it and one of those (which changes a
    distance, the tie-breaker). For each group, the members whose windows reach a given
    place are found by bisection: a dozen around it. The others' lists are those before,
    renumbered.
    """
    now = {placed.url: position for position, placed in enumerate(after)}
    moved_to = [now.get(placed.url, -1) for placed in before]
    kept = [position for position, placed in enumerate(before) if placed.url not in changed]
    removals = [position for position, placed in enumerate(before) if placed.url in changed]
    insertions = []
    last_kept = -1
    taken = iter(kept)
    for placed in after:
        if placed.url in changed:
            insertions.append(last_kept)  # just after this old position
        else:
            last_kept = next(taken)  # the others keep their order
    redo = {now[url] for url in changed if url in now}
    for members in groups_by_position(before).values():
        for start, end in reached(members, removals, insertions):
            redo.update(moved_to[member] for member in members[start:end])
    redo.discard(-1)
    groups = groups_by_position(after)
    result: list[tuple[int, ...]] = []
    taken = iter(kept)
    for position, placed in enumerate(after):
        old = -1 if placed.url in changed else next(taken)
        if position in redo:
            result.append(tuple(closest(position, group_keys(placed), groups, count)))
        else:
            result.append(tuple(map(moved_to.__getitem__, related_before[old])))
    return result, redo


def reached(
    members: list[int], removals: Iterable[int], insertions: Iterable[int]
) -> Iterable[tuple[int, int]]:
    """The slices of ``members`` (positions in a group, increasing) whose windows reach the
    ``removals`` (positions) or the ``insertions`` (just after a position, -1 for first).

    The member at index i looks from ``members[i - 6]`` to ``members[i + 6]`` (to the
    group's end where there are fewer): a removal at r is in reach when it lies within
    those, an insertion after r when it falls between them.
    """
    half = WINDOW // 2
    for removed in removals:
        low, high = bisect_left(members, removed), bisect_right(members, removed)
        yield max(0, low - half), high + half
    for place in insertions:
        index = bisect_right(members, place)
        yield max(0, index - half), index + half
