"""Related articles: shared tags count most, then the same source, then closeness in time."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

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
    for position, placed in enumerate(articles):
        keys = [f"source:{placed.source}"]
        keys += sorted({f"tag:{slugify(tag)}" for tag in placed.tags})
        for key in keys:
            groups.setdefault(key, []).append(position)
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
    result = {}
    for position, page in enumerate(articles):
        scores = scores_for(position, memberships[position], groups)
        best = sorted(scores, key=lambda other: (-scores[other], abs(other - position), other))
        result[page.url] = [articles[other].url for other in best[:count]]
    return result
