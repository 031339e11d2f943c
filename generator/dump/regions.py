"""Find the article: the densest run of prose lines, scored line by line, between barriers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.dump.lines import Line
from generator.dump.rules import LineContext, stopword_density

_GOOD_SIZE = 10.0
_GOOD_DENSITY = 0.2
_SENTENCE_SCORE = 1.0
_ITEM_SCORE = 0.5
_PROSE_CAP = 80.0
_HEADLINE_WORDS = 20
"""Below this size a line that does not end like a sentence reads as a headline or teaser."""
_TEASER_WORDS = 6
_CLOSERS = "\"”»'’)]"
_STATEMENT_ENDS = (".", "!", ";", "。", "！")
_ELLIPSES = ("...", "…")
_TEASER_RUN = 3
BODY_EXPANSION = 2
"""How far the body may grow past its core at each edge, in lines."""
TITLE_EXPANSION = 8
"""How far the title search looks past the core for the article's true start."""


@dataclass(frozen=True)
class Weights:
    """How much each kind of line counts for (or against) being in the article."""

    furniture: float
    short: float
    medium: float
    prose_offset: float
    teaser: float
    """A line of a headline run: neutral inside the article, against growing into it."""


STRICT = Weights(furniture=-5.0, short=-3.0, medium=-3.0, prose_offset=12.0, teaser=0.0)
"""Finds the core of the article: only solid paragraphs outweigh the gaps between them."""
LENIENT = Weights(furniture=-2.0, short=-1.5, medium=-1.0, prose_offset=0.0, teaser=-1.0)
"""Grows the core at its edges by short paragraphs and small gaps."""
_STANZA_MIN_LINES = 3
_VERSE_WORDS = 12
_VERSE_ENDINGS = (",", ".", ";", ":", "!", "?", "…", "—", "-")


@dataclass(frozen=True)
class Region:
    """A run of lines [start, end) (indexes of non-blank lines) and its summed score."""

    start: int
    end: int
    score: float


def is_prose(line: Line, ctx: LineContext) -> bool:
    """Whether a line reads like running text: long enough, with stopwords or sentences."""
    if line.size < _GOOD_SIZE:
        return False
    if not ctx.stopwords or line.cjk:
        return line.ends_sentence or line.size >= 2 * _GOOD_SIZE
    return stopword_density(line, ctx) >= _GOOD_DENSITY


def _stanza_ends(lines: Sequence[Line], start: int) -> int:
    """End (exclusive) of the run of lines with no blank line between them, from ``start``."""
    end = start + 1
    while end < len(lines) and not lines[end].blank_before:
        end += 1
    return end


def _is_stanza(run: Sequence[Line], ctx: LineContext) -> bool:
    """Short lines that read as verse: mostly punctuated, prose-like when read together."""
    if len(run) < _STANZA_MIN_LINES or any(line.size > _VERSE_WORDS for line in run):
        return False
    punctuated = sum(1 for line in run if line.text.endswith(_VERSE_ENDINGS))
    words = [word for line in run for word in line.words]
    if 2 * punctuated < len(run) or len(words) < _GOOD_SIZE * 1.5:
        return False
    return sum(1 for word in words if word in ctx.stopwords) >= _GOOD_DENSITY * len(words)


def verse_lines(lines: Sequence[Line], ctx: LineContext) -> frozenset[int]:
    """Indexes of lines that belong to stanzas (poems, song lyrics, addresses in verse)."""
    found: set[int] = set()
    start = 0
    while start < len(lines):
        end = _stanza_ends(lines, start)
        if end - start >= _STANZA_MIN_LINES and _is_stanza(lines[start:end], ctx):
            found.update(range(start, end))
        start = end
    return frozenset(found)


def is_headline_line(line: Line) -> bool:
    """A line that does not end like a sentence and is too short to be a paragraph."""
    if line.size >= _HEADLINE_WORDS or line.bullet:
        return False
    text = line.text.rstrip(_CLOSERS)
    return not text.endswith(_STATEMENT_ENDS) or text.endswith(_ELLIPSES)


def teaser_runs(lines: Sequence[Line]) -> tuple[tuple[int, int], ...]:
    """Runs [start, end) of headlines: a list of links to other articles.

    A run is consecutive unpunctuated lines holding at least ``_TEASER_RUN`` lines of
    ``_TEASER_WORDS`` or more; a lone standfirst under a title is not a run.
    """
    found: list[tuple[int, int]] = []
    start, longer = 0, 0
    for index, line in enumerate((*lines, None)):
        if line is not None and is_headline_line(line):
            longer += line.size >= _TEASER_WORDS
            continue
        if longer >= _TEASER_RUN:
            found.append((start, index))
        start, longer = index + 1, 0
    return tuple(found)


def teaser_lines(lines: Sequence[Line], runs: Sequence[tuple[int, int]]) -> frozenset[int]:
    """Indexes of the longer lines of headline runs (see ``teaser_runs``)."""
    return frozenset(
        index
        for start, end in runs
        for index in range(start, end)
        if lines[index].size >= _TEASER_WORDS
    )


def line_kind(line: Line, label: str | None, ctx: LineContext, verse: bool) -> str:
    """What a line is for scoring: furniture, verse, prose, item, short, sentence or medium."""
    if label is not None:
        return "furniture"
    if verse:
        return "verse"
    density = -1.0  # not measured (``is_prose``, inlined: this runs for every line)
    if line.size >= _GOOD_SIZE:
        if not ctx.stopwords or line.cjk:
            if line.ends_sentence or line.size >= 2 * _GOOD_SIZE:
                return "prose"
        else:
            density = stopword_density(line, ctx)
            if density >= _GOOD_DENSITY:
                return "prose"
    if line.bullet is not None or "\t" in line.text:
        return "item"  # a list item, or a table row (innerText joins cells with tabs)
    if line.size < 4:
        return "short"
    # A density measured above is below _GOOD_DENSITY: no sentence then.
    if line.ends_sentence and density < 0 and stopword_density(line, ctx) >= _GOOD_DENSITY:
        return "sentence"
    return "medium"


def line_kinds(
    lines: Sequence[Line], labels: Sequence[str | None], ctx: LineContext
) -> tuple[str, ...]:
    """The kind of every line (see ``line_kind``)."""
    verse = verse_lines(lines, ctx)
    return tuple(
        [
            line_kind(line, label, ctx, line.position in verse)
            for line, label in zip(lines, labels, strict=True)
        ]
    )


def without_teasers(
    lines: Sequence[Line], kinds: Sequence[str], runs: Sequence[tuple[int, int]]
) -> tuple[str, ...]:
    """The kinds with the prose lines of headline ``runs`` (see ``teaser_runs``) made teasers."""
    teasers = teaser_lines(lines, runs)
    return tuple(
        "teaser" if kind == "prose" and index in teasers else kind
        for index, kind in enumerate(kinds)
    )


def line_score(line: Line, kind: str, weights: Weights) -> float:
    """How much a line speaks for being inside the article (negative: against)."""
    if kind == "prose":
        return min(line.size, _PROSE_CAP) - weights.prose_offset
    if kind == "verse":
        return line.size
    if kind == "sentence":
        return _SENTENCE_SCORE
    if kind == "item":
        return _ITEM_SCORE
    penalties = {
        "furniture": weights.furniture,
        "short": weights.short,
        "teaser": weights.teaser,
    }
    return penalties.get(kind, weights.medium)


def best_run(scores: Sequence[float], offset: int) -> Region:
    """The contiguous run with the largest sum (Kadane); empty when all are negative."""
    best = Region(offset, offset, 0.0)
    start, total = 0, 0.0
    for i, score in enumerate(scores):
        if total <= 0:
            start, total = i, 0.0
        total += score
        if total > best.score:
            best = Region(offset + start, offset + i + 1, total)
    return best


def line_scores(lines: Sequence[Line], kinds: Sequence[str], weights: Weights) -> tuple[float, ...]:
    """The score of every line (``line_score``, with the fixed scores looked up once)."""
    fixed = {
        "sentence": _SENTENCE_SCORE,
        "item": _ITEM_SCORE,
        "furniture": weights.furniture,
        "short": weights.short,
        "teaser": weights.teaser,
    }
    offset, medium = weights.prose_offset, weights.medium
    return tuple(
        [
            (min(line.size, _PROSE_CAP) - offset if kind == "prose" else line.size)
            if kind == "prose" or kind == "verse"
            else fixed.get(kind, medium)
            for line, kind in zip(lines, kinds, strict=True)
        ]
    )


def _best_gain(scores: Sequence[float]) -> tuple[int, float]:
    """How many leading scores to take for the largest sum, and that sum."""
    best_count, best_total, total = 0, 0.0, 0.0
    for count, score in enumerate(scores, start=1):
        total += score
        if total > best_total:
            best_count, best_total = count, total
    return best_count, best_total


def run_through(scores: Sequence[float], index: int) -> Region:
    """The best-scoring run that contains line ``index``."""
    left, left_gain = _best_gain(scores[:index][::-1])
    right, right_gain = _best_gain(scores[index + 1 :])
    return Region(index - left, index + 1 + right, scores[index] + left_gain + right_gain)


def expand(region: Region, scores: Sequence[float], high: int, reach: int) -> Region:
    """The region grown at both edges (up to ``reach`` lines, below ``high``) by lines that
    add up positive."""
    if region.end <= region.start:
        return region
    left_from = max(0, region.start - reach)
    left, left_gain = _best_gain(scores[left_from : region.start][::-1])
    right_to = min(high, region.end + reach)
    right, right_gain = _best_gain(scores[region.end : right_to])
    return Region(region.start - left, region.end + right, region.score + left_gain + right_gain)
