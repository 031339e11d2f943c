"""Pick the title: a headline-shaped line shortly before the article's first paragraph."""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.dump import patterns
from generator.dump.lines import Line
from generator.dump.regions import Region

_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,}$")
_SITE_SEPARATOR = re.compile(r"\s+[|·»]\s+|\s+[–—]\s+")
_SEPARATOR_CHARS = frozenset("|·»–—")
"""The characters ``_SITE_SEPARATOR`` needs: a cheap test before the split."""
_SITE_WORDS = 3
_SITE_WORDS_SEEN = 6
_WORD_BONUS = 0.15
_WORDS_CAP = 10.0
_LOOKBACK = 30
_BODY_LINES = 30
_INSIDE = 3
_INSIDE_COST = 3
_DISTANCE_COST = 0.04
_OVERLAP_WEIGHT = 2.0
_BAD_ENDINGS = (".", ",", ":", ";", "|", "-", "–", "—", "/")
_TEXT = operator.attrgetter("text")


def _headline_sized(line: Line) -> bool:
    """A few words, or a few CJK characters."""
    if line.cjk:
        return 4 <= line.cjk <= 80
    return 2 <= line.n_words <= 30 and len(line.text) <= 250


def is_headline_shaped(line: Line) -> bool:
    """Whether a line could be a headline: a few words, not a sentence fragment or a date."""
    if not _headline_sized(line) or line.bullet is not None:
        return False
    if line.text[:2].islower():
        return False
    ends_badly = line.text.endswith(_BAD_ENDINGS) and not line.text.endswith("...")
    if ends_badly and not _ABBREVIATION_END.search(line.text):
        return False
    return not _is_date_or_byline(line)


def _is_date_or_byline(line: Line) -> bool:
    """Whether the line is mostly a date, or a "By someone" byline."""
    if patterns.BYLINE.match(line.text) and line.n_words <= 8:
        return True
    return bool(patterns.DATE.search(line.text)) and line.n_words <= 12


@dataclass(frozen=True)
class _TitleContext:
    """What candidates are compared against: the body's words and each text's repeats."""

    body_words: Counter[str]
    stopwords: frozenset[str]
    counts: Counter[str]
    start: int
    """Index of the article's first line."""


def _overlap(line: Line, tctx: _TitleContext) -> float:
    """Share of the line's content words that the article body uses too."""
    content = [word for word in line.words if word not in tctx.stopwords and not word.isdigit()]
    if not content:
        return 0.0
    own = Counter(line.words) if line.position >= tctx.start else Counter()
    return sum(1 for word in content if tctx.body_words[word] > own[word]) / len(content)


def _candidate_score(line: Line, tctx: _TitleContext) -> float:
    """How title-like a candidate is: near the body, sharing its words, repeated, sized."""
    distance = tctx.start - 1 - line.position
    if distance < 0:
        distance = _INSIDE_COST * (line.position - tctx.start)
    score = 1.0 - _DISTANCE_COST * distance + _OVERLAP_WEIGHT * _overlap(line, tctx)
    if tctx.counts[line.text] > 1:
        score += 0.5
    score += _WORD_BONUS * min(line.size, _WORDS_CAP)
    if line.text[:1].isupper() or line.text[:1].isdigit() or line.cjk:
        score += 0.3
    return score


def _body_words(lines: Sequence[Line], article: Region) -> Counter[str]:
    """The words of the article's first lines (titles echo the opening).

    A "Title | Site" line counts without its site part, so a masthead that repeats the
    site's name does not look like it echoes the article.
    """
    end = min(article.end, article.start + _BODY_LINES)
    words: list[str] = []  # counted once at the end: faster than a Counter update a line
    for line in lines[article.start : end]:
        parts = (
            _SITE_SEPARATOR.split(line.text) if not _SEPARATOR_CHARS.isdisjoint(line.text) else []
        )
        if len(parts) > 1 and len(parts[-1].split()) <= _SITE_WORDS_SEEN:
            site_words = set(parts[-1].casefold().split())
            words.extend(word for word in line.words if word not in site_words)
        else:
            words.extend(line.words)
    return Counter(words)


def find_title(
    lines: Sequence[Line],
    labels: Sequence[str | None],
    article: Region,
    anchor: int,
    stopwords: frozenset[str] = frozenset(),
) -> int | None:
    """Index of the title line near the article's start (``anchor``), or None."""
    tctx = _TitleContext(_body_words(lines, article), stopwords, Counter(map(_TEXT, lines)), anchor)
    best: tuple[float, int] | None = None
    low = max(0, anchor - _LOOKBACK)
    top = min(article.end, anchor + _INSIDE) - 1
    for index in range(top, low - 1, -1):
        line = lines[index]
        if labels[index] is not None or not is_headline_shaped(line):
            continue
        score = _candidate_score(line, tctx)
        if best is None or score > best[0]:
            best = (score, index)
    return None if best is None else best[1]


def has_site_separator(text: str) -> bool:
    """Whether a line could be a "Title | Site" line."""
    return not _SEPARATOR_CHARS.isdisjoint(text) and bool(_SITE_SEPARATOR.search(text))


def split_site_name(text: str, elsewhere: frozenset[str] = frozenset()) -> tuple[str, str | None]:
    """("Title", "Site") from a "Title | Site" line, when the last part is a short name.

    A longer name counts too when it also stands alone on another line of the dump (a
    masthead or a footer): ``elsewhere`` holds those lines, case-folded.
    """
    parts = [part.strip() for part in _SITE_SEPARATOR.split(text)]
    if len(parts) < 2 or not all(parts):
        return text, None
    site = parts[-1]
    head = text[: text.rfind(site)].rstrip(" |–—-·»").strip()
    limit = _SITE_WORDS_SEEN if site.casefold() in elsewhere else _SITE_WORDS
    if len(site.split()) > limit or len(head.split()) < _SITE_WORDS:
        return text, None
    return head, site
