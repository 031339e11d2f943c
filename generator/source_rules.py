"""The user's last word on a source: ``drop`` and ``keep`` patterns from ``[sources.NAME]``.

They run after the parser, on one document at a time: a body block that matches a
``drop`` pattern is moved to the dropped lines, and a dropped line that matches a
``keep`` pattern is put back into the body in its place, each with a reason that names
the setting, so ``gleanery inspect``-style reports stay honest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.config import SourceSettings
from generator.model import Block, DroppedLine


@dataclass(frozen=True)
class Body:
    """A document's body and its dropped lines, before or after the source rules."""

    blocks: tuple[Block, ...]
    dropped: tuple[DroppedLine, ...]


@lru_cache(maxsize=256)
def compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The patterns compiled once (they were validated with the config)."""
    return tuple(re.compile(pattern) for pattern in patterns)


def first_match(text: str, patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """The first pattern found anywhere in ``text``."""
    return next((pattern for pattern in patterns if pattern.search(text)), None)


def has_rules(settings: SourceSettings | None) -> bool:
    """Whether a source's settings have drop or keep patterns."""
    return settings is not None and bool(settings.drop or settings.keep)


def apply_source_rules(body: Body, settings: SourceSettings | None, source: str) -> Body:
    """The body with the source's drop and keep patterns applied."""
    if settings is None or not has_rules(settings):
        return body
    drop, keep = compiled(settings.drop), compiled(settings.keep)
    blocks: list[Block] = []
    dropped: list[DroppedLine] = []
    for block in body.blocks:
        pattern = first_match(block.text, drop)
        if pattern is None:
            blocks.append(block)
        else:
            reason = f"sources.{source}.drop {pattern.pattern!r}"
            dropped.append(DroppedLine(block.line, block.text, reason))
    for line in body.dropped:
        if first_match(line.text, keep) is None:
            dropped.append(line)
        else:
            blocks.append(Block("paragraph", line.text, line=line.line))
    return Body(
        tuple(sorted(blocks, key=lambda b: b.line)), tuple(sorted(dropped, key=lambda d: d.line))
    )
