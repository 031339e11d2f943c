"""Metadata lines near the title: the byline, the publication date, the page's address."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.dump import patterns
from generator.dump.dates import parse_date
from generator.dump.lines import Line

_URL_WINDOW = 5
_DATE_LINE_WORDS = 12
_SEGMENT_SEPARATOR = re.compile(r"\s+[·|•]\s+")


def _is_date_segment(text: str) -> bool:
    """A short piece of a dateline: a few words, at least one number."""
    return len(text.split()) <= _DATE_LINE_WORDS and any(char.isdigit() for char in text)


@dataclass(frozen=True)
class Meta:
    """Facts read from header lines, and the reason each used line is dropped for."""

    author: str | None = None
    date: str | None = None
    source_url: str | None = None
    used: tuple[tuple[int, str], ...] = ()
    """(line index, drop reason) for each line used as metadata."""


def byline_author(line: Line) -> str | None:
    """The name in a "By Jane Doe" line, or None when the line is no byline."""
    if line.n_words > 12 or line.bullet is not None:
        return None
    match = patterns.BYLINE.match(line.text) or patterns.BYLINE_TAIL.search(line.text)
    if match is None:
        return None
    name = match.group(1).strip(" ,.|·•–—-")
    return name if name and name[:1].isupper() else None


def date_of_line(line: Line, lang: str | None) -> str | None:
    """The ISO date of a short dateline, or None.

    "Published 4 March 2025 at 09:15 · Updated ..." counts: a line of several short
    segments that each hold a number is read by its first date.
    """
    segments = _SEGMENT_SEPARATOR.split(line.text)
    if len(segments) > 1 and all(_is_date_segment(segment) for segment in segments):
        return parse_date(segments[0], lang) or parse_date(line.text, lang)
    if line.n_words > _DATE_LINE_WORDS or line.size > _DATE_LINE_WORDS:
        return None
    if line.ends_sentence and line.n_words > 6:
        return None
    return parse_date(line.text, lang)


def read_header(lines: Sequence[Line], candidates: Sequence[int], lang: str | None) -> Meta:
    """Byline and date from the header lines (between title and body), first of each."""
    author: str | None = None
    date: str | None = None
    used: list[tuple[int, str]] = []
    for index in candidates:
        line = lines[index]
        name = byline_author(line) if author is None else None
        when = date_of_line(line, lang) if date is None else None
        if name is not None:
            author = name
            date = date or parse_date(line.text, lang)
            used.append((index, "used-as-byline"))
        elif when is not None:
            date = when
            used.append((index, "used-as-date"))
    return Meta(author=author, date=date, used=tuple(used))


def find_source_url(lines: Iterable[Line]) -> tuple[int, str] | None:
    """A bare web address among the first lines: the page the dump was taken from."""
    for line in itertools.islice(lines, _URL_WINDOW):
        if patterns.URL.match(line.text) and line.text.startswith("http"):
            return line.position, line.text
    return None
