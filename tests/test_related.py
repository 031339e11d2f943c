"""Related articles look at a fixed window of neighbours in each group."""

from __future__ import annotations

from generator.related import WINDOW, neighbours


def test_neighbours_are_the_window_around_a_member_in_a_large_group() -> None:
    members = list(range(0, 20_000, 2))  # a group's positions, in increasing order
    half = WINDOW // 2
    assert neighbours(members, 5000) == [
        p for p in range(5000 - 2 * half, 5001 + 2 * half, 2) if p != 5000
    ]
    assert neighbours(members, 0) == list(range(2, 2 * half + 1, 2))
    assert neighbours(members, 19_998) == list(range(19_998 - 2 * half, 19_998, 2))
