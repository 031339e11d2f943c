"""Assemble an Article: run the rules, find the body, title, header facts and comments."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.dump import meta
from generator.dump.blocks import build_blocks, stray_reason
from generator.dump.comments import parse_comments
from generator.dump.language import detect_language, stopwords
from generator.dump.lines import Line, split_lines
from generator.dump.regions import Region, is_headline_line
from generator.dump.rules import LineContext, furniture_labels
from generator.dump.sections import find_layout
from generator.dump.title import find_title, has_site_separator, split_site_name
from generator.model import Article, Block, Comment, DroppedLine

_HEADER_LINES_IN_BODY = 2
_LABEL_WORDS = 6
_BIOGRAPHY_WORDS = 80
_REPEATED_WORDS = 5
_REPEATS = 2
_TESTIMONIALS = 3
_SIGNATURE_WORDS = 5
_HEADING_WORDS = 10
_SIGNATURE = re.compile(r"^(?:[A-Z]\.\s*)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:\s+[A-Z]\.){1,2}$")
"""A reviewer's signature: a first name and initials, "Dawn H.", "Miranda E. R."."""

TITLE = "title"
BODY = "body"
COMMENT = "comment"


@dataclass(frozen=True)
class ParseState:
    """Everything one parse knows about a dump; built once, read by every stage."""

    lines: tuple[Line, ...]
    ctx: LineContext
    labels: tuple[str | None, ...]
    """The furniture rule each line matched, or None."""
    article: Region
    comments_start: int | None
    """Index of the first line after the comments header, when comments follow."""
    title_anchor: int
    """Where the title search takes the article to start."""
    teasers: tuple[tuple[int, int], ...]
    """Runs [start, end) of headline lines (see ``regions.teaser_runs``)."""


def _start(text: str, first_line: int) -> ParseState:
    """Lines measured, language found, rules run, article region chosen."""
    lines = split_lines(text, first_line)
    lang = detect_language(lines)
    ctx = LineContext(lang, stopwords(lang))
    labels = furniture_labels(lines, ctx)
    layout = find_layout(lines, labels, ctx)
    return ParseState(
        lines,
        ctx,
        labels,
        layout.article,
        layout.comments_start,
        layout.title_anchor,
        layout.teasers,
    )


def leftover_reason(line: Line, label: str | None) -> str:
    """Why a line outside title, body and comments is dropped."""
    if label is not None:
        return label
    if line.size < 4 and not line.ends_sentence:
        return "menu-word"
    if not line.ends_sentence:
        return "teaser"
    return "outside-article"


def teaser_lines_in(
    lines: Sequence[Line],
    labels: Sequence[str | None],
    article: Region,
    runs: Sequence[tuple[int, int]],
) -> frozenset[int]:
    """Lines of headline runs that end the article or follow a "Related" label."""
    found: set[int] = set()
    for start, end in runs:
        if end <= article.start or start >= article.end:
            continue
        tail = all(labels[i] is not None for i in range(end + 1, article.end))
        related = start > 0 and labels[start - 1] == "read-more"
        if (tail or related) and not _announced(lines, labels, start):
            found.update(range(max(start, article.start), min(end, article.end)))
    for index in range(article.start, article.end):
        if labels[index] == "read-more" and is_bare_label(lines[index]):
            found.update(_related_links(lines, labels, index + 1, article.end))
        elif labels[index] == "author-box":
            found.update(_author_note(lines, labels, index + 1, article.end))
    return frozenset(found)


def _announced(lines: Sequence[Line], labels: Sequence[str | None], start: int) -> bool:
    """Whether a run of short lines is a list announced by a colon ("Tour dates:") on its
    first line or the line above, rather than a list of links."""
    intro = start if lines[start].text.endswith(":") else start - 1
    return intro >= 0 and labels[intro] is None and lines[intro].text.endswith(":")


def is_bare_label(line: Line) -> bool:
    """A few words with nothing after a colon: "Related", "Lire aussi :" (not "Read more: X")."""
    return line.size <= _LABEL_WORDS and ":" not in line.text.rstrip(" :")


def _related_links(
    lines: Sequence[Line], labels: Sequence[str | None], start: int, end: int
) -> range:
    """The headline lines (and furniture between them) just under a "Related" label."""
    stop = start
    while stop < end and (labels[stop] is not None or is_headline_line(lines[stop])):
        stop += 1
    return range(start, stop)


def _author_note(
    lines: Sequence[Line], labels: Sequence[str | None], start: int, end: int
) -> range:
    """The name lines and the short biography under an "About the author" heading."""
    stop = _related_links(lines, labels, start, end).stop
    if stop < end and lines[stop].size <= _BIOGRAPHY_WORDS:
        stop += 1
    return range(start, stop)


def repeated_short_lines(lines: Sequence[Line], article: Region) -> frozenset[str]:
    """Texts of short unpunctuated lines that recur outside the article: menu and button
    words (a heading repeated only inside the article, as in a listicle, is not one; nor is
    a table row, whose cells are joined by tabs)."""
    outside = Counter(
        line.text
        for line in (*lines[: article.start], *lines[article.end :])
        if line.size <= _REPEATED_WORDS and not line.ends_sentence and "\t" not in line.text
    )
    return frozenset(text for text, count in outside.items() if count >= _REPEATS)


def testimonial_lines(lines: Sequence[Line]) -> frozenset[int]:
    """Quotes signed "Firstname L." under each (customer reviews), when the dump holds at
    least ``_TESTIMONIALS`` of them: the signature lines and the quotes above them."""
    found: set[int] = set()
    for index in range(1, len(lines)):
        line, quote = lines[index], lines[index - 1]
        if line.size > _SIGNATURE_WORDS or not line.text.endswith("."):
            continue
        if _SIGNATURE.match(line.text) and quote.ends_sentence and quote.size > 3:
            found.update((index - 1, index))
    return frozenset(found) if len(found) >= 2 * _TESTIMONIALS else frozenset()


def _body(state: ParseState, places: dict[int, str]) -> tuple[Block, ...]:
    """Body blocks from the article region; its furniture lines are dropped by rule name."""
    kept: list[Line] = []
    teasers = teaser_lines_in(state.lines, state.labels, state.article, state.teasers)
    repeated = repeated_short_lines(state.lines, state.article)
    testimonials = testimonial_lines(state.lines)
    for index in range(state.article.start, state.article.end):
        if index in places:
            continue
        label = "teaser-list" if index in teasers else state.labels[index]
        if label is None and state.lines[index].text in repeated:
            label = "repeated-in-dump"
        if label is None and index in testimonials:
            label = "testimonial"
        if label is None:
            label = stray_reason(state.lines, index, state.article.end, state.ctx)
        if label is None:
            kept.append(state.lines[index])
            places[index] = BODY
        else:
            places[index] = label
    if kept and is_dangling_heading(kept[-1]):
        places[kept.pop().position] = "heading-without-text"
    return build_blocks(kept, state.ctx)


def is_dangling_heading(line: Line) -> bool:
    """A short unpunctuated line with nothing of the article after it: a heading of cards
    or quotes that were dropped ("What our readers say")."""
    if not line.blank_before or line.bullet is not None:
        return False  # the last item of a list or a stanza
    return line.size < _HEADING_WORDS and not line.ends_sentence


def _header(state: ParseState, title: int | None, places: dict[int, str]) -> meta.Meta:
    """Byline and date from the lines between the title and the body."""
    first = title + 1 if title is not None else max(0, state.article.start - 4)
    last = min(state.article.end, max(first, state.article.start) + _HEADER_LINES_IN_BODY)
    candidates = [i for i in range(first, last) if i not in places]
    found = meta.read_header(state.lines, candidates, state.ctx.lang)
    places.update(found.used)
    return found


def _comments(state: ParseState, places: dict[int, str]) -> tuple[Comment, ...]:
    """Comments after the article, when a comments header follows it."""
    start = state.comments_start
    if start is None:
        return ()
    comments, section, _end = parse_comments(state.lines, state.labels, start, state.ctx.lang)
    for index, place in section.items():
        places.setdefault(index, place)
    return comments


def _dropped(state: ParseState, places: dict[int, str]) -> tuple[DroppedLine, ...]:
    """Every line not placed in title, body or comments, with its reason."""
    out: list[DroppedLine] = []
    kept = (TITLE, BODY, COMMENT)
    for line, label in zip(state.lines, state.labels, strict=True):
        place = places.get(line.position) or label or leftover_reason(line, None)
        if place not in kept:
            out.append(DroppedLine(line.number, line.text, place))
    return tuple(out)


def _warnings(title: str | None, blocks: Sequence[Block], lang: str | None) -> tuple[str, ...]:
    """Things a user may want to check by hand."""
    out: list[str] = []
    if not blocks:
        out.append("no article text found")
    if title is None:
        out.append("no title line found")
    if lang is None:
        out.append("language not detected")
    return tuple(out)


def parse(text: str, first_line: int = 1) -> Article:
    """The whole parse of one dump's text."""
    state = _start(text, first_line)
    places: dict[int, str] = {}
    title_index = find_title(
        state.lines, state.labels, state.article, state.title_anchor, state.ctx.stopwords
    )
    title, site_name = None, None
    if title_index is not None:
        title = state.lines[title_index].text
    if title is not None and has_site_separator(title):
        others = frozenset(
            line.text.casefold() for line in state.lines if line.position != title_index
        )
        title, site_name = split_site_name(title, others)
    if title_index is not None:
        places[title_index] = TITLE
    header = _header(state, title_index, places)
    blocks = _body(state, places)
    comments = _comments(state, places)
    source = meta.find_source_url(line for line in state.lines if line.position not in places)
    if source is not None:
        places[source[0]] = "used-as-source-url"
    return Article(
        title=title,
        blocks=blocks,
        comments=comments,
        dropped=_dropped(state, places),
        lang=state.ctx.lang,
        author=header.author,
        date=header.date,
        source_url=source[1] if source is not None else None,
        site_name=site_name,
        warnings=_warnings(title, blocks, state.ctx.lang),
    )
