"""Where the article ends and the comments begin: comment headers that really open comments."""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.dump import patterns
from generator.dump.comments import SAYS, header_at
from generator.dump.lines import Line
from generator.dump.regions import (
    BODY_EXPANSION,
    LENIENT,
    STRICT,
    TITLE_EXPANSION,
    Region,
    best_run,
    expand,
    is_headline_line,
    line_kinds,
    line_scores,
    run_through,
    teaser_runs,
    without_teasers,
)
from generator.dump.rules import COMMENT_HEADER_RULES, LineContext

_MIN_ARTICLE_SCORE = 12.0
_LOOKAHEAD = 14
_SIGNALS_NEEDED = 2
_HEADER_GAP = 3
_LONGEST_SHARE = 0.6
_NOTE_SHARE = 0.4
_HEAD_WORDS = 14
_IMPLICIT_REACH = 40
_IMPLICIT_HEADS = 3
_IMPLICIT_SPAN = 40
_NONZERO = re.compile(r"[1-9]")
_TAIL_MARKERS = frozenset({"read-more", "newsletter-promo", "share-line"})
_TAIL_SHARE = 0.25
_LABEL_WORDS = 6
_RELATED_LIST = 4
_HEADLINE_WORDS = 4
_CARD_LINES = 4
_LIST_ITEM_WORDS = 25
_LIST_ITEMS = 2
_RESUME_SHARE = 0.15
_SIZE = operator.attrgetter("size")


@dataclass(frozen=True)
class Layout:
    """The article region and, when there are comments, the index where they start."""

    article: Region
    comments_start: int | None
    title_anchor: int = 0
    """Where the title search takes the article to start (may be above the body's start)."""
    teasers: tuple[tuple[int, int], ...] = ()
    """Runs [start, end) of headline lines (lists of links to other pages)."""


def comments_follow(
    lines: Sequence[Line], labels: Sequence[str | None], header: int, lang: str | None
) -> bool:
    """Whether comment structure (author/date heads, Reply links, numbers) follows a header."""
    signals = 0
    for index in range(header + 1, min(len(lines), header + 1 + _LOOKAHEAD)):
        line = lines[index]
        if (
            (labels[index] is None and header_at(lines, index, lang) is not None)
            or patterns.COMMENT_ACTION.match(line.text)
            or line.bullet == "1"
        ):
            signals += 1
    return signals >= _SIGNALS_NEEDED


def is_strong_header(line: Line, label: str | None) -> bool:
    """A comment form heading, or a count of comments that is not zero."""
    if label == "comment-form":
        return True
    return label == "comment-count" and bool(_NONZERO.search(line.text))


def _cuts(state: _Scan, region: Region, header: int) -> bool:
    """Whether a header inside the region ends the article there."""
    before = sum(state.scores[region.start : header])
    if before < _MIN_ARTICLE_SCORE:
        return False
    if comments_follow(state.lines, state.labels, header, state.lang):
        return True
    after = sum(state.scores[header + 1 : region.end])
    strong = is_strong_header(state.lines[header], state.labels[header])
    return strong and before >= after


@dataclass(frozen=True)
class _Scan:
    """The inputs every layout step reads."""

    lines: Sequence[Line]
    labels: Sequence[str | None]
    scores: tuple[float, ...]
    lang: str | None


def _opens_comments(state: _Scan, header: int) -> bool:
    """Whether a header after the article opens a comments section."""
    line, label = state.lines[header], state.labels[header]
    return is_strong_header(line, label) or comments_follow(
        state.lines, state.labels, header, state.lang
    )


def find_layout(lines: Sequence[Line], labels: Sequence[str | None], ctx: LineContext) -> Layout:
    """The article (densest run of prose) and the start of the comments, if any."""
    plain = line_kinds(lines, labels, ctx)
    runs = teaser_runs(lines)
    kinds = without_teasers(lines, plain, runs)
    state = _Scan(lines, labels, line_scores(lines, kinds, STRICT), ctx.lang)
    lenient = line_scores(lines, kinds, LENIENT)
    layout = _layout(state, lines, labels, ctx)
    bound = layout.comments_start - 1 if layout.comments_start is not None else len(lines)
    stop = _article_stop(state, layout.article, bound)
    if stop is not None and stop < layout.article.end:
        kept = best_run(state.scores[layout.article.start : stop], layout.article.start)
        layout = Layout(kept, layout.comments_start)
    if stop is not None:
        bound = min(bound, stop)
    body = with_announced_list(
        lines, labels, expand(layout.article, lenient, bound, BODY_EXPANSION), bound
    )
    # The title search reads standfirsts as prose: a headline run may end with the title.
    anchor_scores = lenient if plain == kinds else line_scores(lines, plain, LENIENT)
    anchor = expand(layout.article, anchor_scores, bound, TITLE_EXPANSION)
    return Layout(body, layout.comments_start, min(anchor.start, body.start), runs)


def _article_stop(state: _Scan, article: Region, bound: int) -> int | None:
    """Where the article ends before its region does (or before its lenient edge): a rights
    notice, a feed of cards, or a label that opens the page's cards and promos."""
    stop = _rights_stop(state, article)
    if stop is None:
        stop = _card_feed_stop(state, article)
    if stop is None:
        reach = Region(article.start, min(bound, article.end + BODY_EXPANSION), 0)
        stop = _tail_stop(state, reach)
    return stop


def with_announced_list(
    lines: Sequence[Line], labels: Sequence[str | None], body: Region, bound: int
) -> Region:
    """The body grown by a list its last line (or the line after it) announces with a colon
    ("Tour dates:"): the run of short lines with no blank line between them that follows."""
    intro = body.end - 1
    if intro < body.start or not lines[intro].text.endswith(":"):
        intro = body.end
    if intro >= bound or not lines[intro].text.endswith(":") or labels[intro] is not None:
        return body
    end = intro + 1
    while (
        end < bound
        and labels[end] is None
        and not lines[end].blank_before
        and lines[end].size <= _LIST_ITEM_WORDS
    ):
        end += 1
    if end - intro - 1 < _LIST_ITEMS:
        return body
    return Region(body.start, max(body.end, end), body.score)


def _is_closing_note(state: _Scan, region: Region) -> bool:
    """A lone paragraph with nothing but furniture and short lines after it: a footer note
    (a disclaimer, a contact notice) rather than the article."""
    if region.end - region.start != 1:
        return False
    return all(score <= 0 for score in state.scores[region.end :])


def _rights_stop(state: _Scan, region: Region) -> int | None:
    """A rights notice ("All rights reserved") inside the article, after enough of it: the
    page's end, with only teasers and cards below it."""
    for index in range(region.start, region.end):
        if state.labels[index] != "footer":
            continue
        notice = patterns.RIGHTS_NOTICE.search(state.lines[index].text)
        if notice and sum(state.scores[region.start : index]) >= _MIN_ARTICLE_SCORE:
            return index
    return None


def _tail_stop(state: _Scan, region: Region) -> int | None:
    """A "Related" label, promo or share line after most of the article (``region``: the
    core and the lines it may grow by), with little prose below it: where the article ends
    and the page's cards begin."""
    total = sum(score for score in state.scores[region.start : region.end] if score > 0)
    before = 0.0
    for index in range(region.start, region.end):
        score = state.scores[index]
        if (
            before >= _MIN_ARTICLE_SCORE
            and _is_end_marker(state.lines[index], state.labels[index])
            and (
                state.labels[index] == "newsletter-promo"
                or index + 1 >= region.end
                or state.scores[index + 1] <= 0
            )
            and (
                _little_prose_below(state, region, index, before, total)
                or _long_list_below(state, region, index, before, total)
            )
        ):
            return index
        before += max(score, 0.0)
    return None


def _card_feed_stop(state: _Scan, region: Region) -> int | None:
    """The furniture line above a feed of cards (headline, excerpt, "Read more") inside the
    region: a bare "Read more" label that recurs ends each card, so the first card starts
    after the last furniture line above its first occurrence."""
    seen: dict[str, int] = {}
    for index in range(region.start, region.end):
        line = state.lines[index]
        if state.labels[index] != "read-more" or not _is_end_marker(line, "read-more"):
            continue
        first = seen.setdefault(line.text.casefold(), index)
        seen[line.text.casefold()] = index
        if first == index or not _is_card(state, first + 1, index):
            continue
        above = first - 1
        while above >= region.start and state.labels[above] is None:
            above -= 1
        if above < region.start or sum(state.scores[region.start : above]) < _MIN_ARTICLE_SCORE:
            return None
        return above
    return None


def _is_card(state: _Scan, start: int, end: int) -> bool:
    """Whether lines [start, end) read as one card: a headline, then a short excerpt."""
    lines = state.lines[start:end]
    return 0 < len(lines) <= _CARD_LINES and not lines[0].ends_sentence


def _little_prose_below(
    state: _Scan, region: Region, index: int, before: float, total: float
) -> bool:
    """Whether the lines under ``index`` hold little prose next to the ``before`` above."""
    if total - before > _TAIL_SHARE * before:
        return False
    return best_run(state.scores[index + 1 : region.end], 0).score <= _RESUME_SHARE * before


def _long_list_below(state: _Scan, region: Region, index: int, before: float, total: float) -> bool:
    """Whether a "Related" label heads a long list of headlines, with no more prose below
    it than above (another article follows: an endless-scroll page)."""
    if state.labels[index] != "read-more" or total - before > before:
        return False
    stop, headlines = index + 1, 0
    while stop < region.end and (
        state.labels[stop] is not None or is_headline_line(state.lines[stop])
    ):
        headlines += state.labels[stop] is None and state.lines[stop].size >= _HEADLINE_WORDS
        stop += 1
    return headlines >= _RELATED_LIST


def _is_end_marker(line: Line, label: str | None) -> bool:
    """A newsletter promo or a bare label ("Related", "Share"), not a link ("Read more: X")
    nor a wiki section heading ("See also[edit]")."""
    if label not in _TAIL_MARKERS:
        return False
    if label == "newsletter-promo":
        return True
    text = line.text.rstrip(" :")
    return line.size <= _LABEL_WORDS and ":" not in text and not text.endswith("]")


def _anchored_run(state: _Scan) -> Region:
    """The best run, unless the run through the longest paragraph scores nearly as well.

    The longest paragraph of a page is almost always article text, while a sidebar of
    quotes or teasers can add up to slightly more. A lone closing note loses to an
    earlier run that scores a fair share of it.
    """
    best = best_run(state.scores, 0)
    if not state.lines:
        return best
    if _is_closing_note(state, best):
        earlier = best_run(state.scores[: best.start], 0)
        if earlier.score >= _NOTE_SHARE * best.score:
            return earlier
    longest = max(state.lines, key=_SIZE).position  # max keeps the first of equals
    if best.start <= longest < best.end or state.scores[longest] <= 0:
        return best
    through = run_through(state.scores, longest)
    return through if through.score >= _LONGEST_SHARE * best.score else best


def _layout(
    state: _Scan, lines: Sequence[Line], labels: Sequence[str | None], ctx: LineContext
) -> Layout:
    """The article core and the comments start, before the core is grown at its edges."""
    region = _anchored_run(state)
    headers = [i for i, label in enumerate(labels) if label in COMMENT_HEADER_RULES]
    for header in headers:
        if region.start < header < region.end and _cuts(state, region, header):
            kept = best_run(state.scores[region.start : header], region.start)
            return Layout(kept, header + 1)
    for header in reversed(headers):
        if header < region.start and region.start - header <= _HEADER_GAP:
            before = best_run(state.scores[:header], 0)
            if before.score >= _MIN_ARTICLE_SCORE and comments_follow(
                lines, labels, header, ctx.lang
            ):
                return Layout(before, header + 1)
            break
    implicit = _implicit_comments(state, region)
    if implicit.comments_start is not None and implicit.comments_start < region.end:
        return implicit
    after = [h for h in headers if h >= region.end and _opens_comments(state, h)]
    if after:
        return Layout(region, after[0] + 1)
    return implicit


def _head_indexes(state: _Scan, start: int, end: int) -> list[int]:
    """Indexes in [start, end) of lines that head a comment (author/date lines)."""
    return [
        index
        for index in range(start, end)
        if state.labels[index] is None
        and state.lines[index].size <= _HEAD_WORDS
        and header_at(state.lines, index, state.lang) is not None
    ]


def _reads_as_comments(state: _Scan, heads: Sequence[int]) -> bool:
    """Heads by several people, or with Reply links between them: comments, not dated posts."""
    authors = set()
    for head in heads:
        draft = header_at(state.lines, head, state.lang)
        if draft is not None and draft.author:
            authors.add(draft.author)
    if len(authors) >= 2:
        return True
    span = state.lines[heads[0] : heads[-1] + 1]
    return any(patterns.COMMENT_ACTION.match(line.text) for line in span)


def _says_lines(state: _Scan, heads: Sequence[int]) -> int:
    """How many "Name said:" lines the span of the heads holds (a sure sign of comments)."""
    span = state.lines[heads[0] : heads[-1] + 2]
    return sum(1 for line in span if SAYS.match(line.text) and line.size <= _HEAD_WORDS)


def _implicit_comments(state: _Scan, region: Region) -> Layout:
    """Comments with no heading: a dense run of author/date heads late in or after the article."""
    end = min(len(state.lines), region.end + _IMPLICIT_REACH)
    heads = _head_indexes(state, region.start + 1, end)
    for position, head in enumerate(heads):
        dense = heads[position : position + _IMPLICIT_HEADS]
        if len(dense) < _IMPLICIT_HEADS or dense[-1] - head > _IMPLICIT_SPAN:
            continue
        if not _reads_as_comments(state, dense):
            continue
        if head < region.end and _says_lines(state, dense) < _IMPLICIT_HEADS - 1:
            continue
        if position and heads[position - 1] >= head - 2:
            head = heads[position - 1]
        before = best_run(state.scores[region.start : head], region.start)
        if head < region.end and before.score < _MIN_ARTICLE_SCORE:
            return Layout(region, None)
        return Layout(before if head < region.end else region, head)
    return Layout(region, None)
