"""PURE text -> Article: the dump parser.

A dump is the visible text of a web page pasted into a file. ``parse_dump`` measures its
lines, marks furniture (skip links, share lines, promos, footers...) with an ordered list
of named rules, finds the article as the densest run of prose, the title just above it,
the byline and date between them, and the comments after it. Every other non-blank line
is reported in ``Article.dropped`` with the name of the rule that dropped it.
"""

from __future__ import annotations

from generator.dump.language import load_stopwords
from generator.dump.parse import parse
from generator.model import Article

__all__ = ["parse_dump", "prepare_parser"]


def parse_dump(text: str, *, first_line: int = 1) -> Article:
    """Parse one decoded, newline-normalised dump; ``first_line`` numbers its first line."""
    return parse(text, first_line)


def prepare_parser() -> None:
    """Load what the first parse would load (the stopword lists), e.g. before forking."""
    load_stopwords()
