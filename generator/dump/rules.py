"""The ordered, named line rules: each a small pure test that marks one kind of furniture."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.dump import patterns
from generator.dump import rule_keys as keys
from generator.dump.lines import Line


@dataclass(frozen=True)
class LineContext:
    """What a rule may know besides the line itself: the dump's language and stopwords."""

    lang: str | None
    stopwords: frozenset[str]


_LONGEST_FURNITURE = 70
_READING_TIME_WORDS = 6

_SENTENCE_MARKS = frozenset(".!?")
_DANGLING_MARKS = ("|",)
_TRAIL_MARKS = frozenset("›»>/|·")

RuleTest = Callable[[Line, LineContext], bool]


@dataclass(frozen=True)
class Rule:
    """A named test; the first rule whose test holds gives the line its label."""

    name: str
    test: RuleTest
    keys: frozenset[str] | None = None
    """Cheap gate: the test runs only when a word of the line starts like one of these."""
    anchored: bool = True
    """Whether the key word must be among the line's first words (the pattern starts there)."""


def stopword_density(line: Line, ctx: LineContext) -> float:
    """Share of the line's tokens that are stopwords of the dump's language."""
    if not line.words or not ctx.stopwords:
        return 0.0
    return sum(map(ctx.stopwords.__contains__, line.words)) / len(line.words)


def _short(line: Line, limit: int) -> bool:
    """Whether the line has at most ``limit`` word-equivalents."""
    return line.size <= limit


def is_skip_link(line: Line, ctx: LineContext) -> bool:
    """ "Skip to content" and its translations."""
    return _short(line, 8) and bool(patterns.SKIP_LINK.search(line.text))


def is_comments_closed(line: Line, ctx: LineContext) -> bool:
    """ "Comments are closed." and its translations."""
    return _short(line, 14) and bool(patterns.COMMENTS_CLOSED.search(line.text))


def is_comment_count(line: Line, ctx: LineContext) -> bool:
    """A comment count or comments heading: "5 commentaires", "Comments (3)"."""
    return _short(line, 14) and bool(patterns.COMMENT_COUNT.match(line.text))


def is_leave_reply(line: Line, ctx: LineContext) -> bool:
    """The heading of a comment form: "Leave a Reply", "Laisser un commentaire"."""
    return _short(line, 12) and bool(patterns.LEAVE_REPLY.match(line.text))


def is_cookie_notice(line: Line, ctx: LineContext) -> bool:
    """A cookie banner sentence or button."""
    return _short(line, 70) and bool(patterns.COOKIE.search(line.text))


def is_newsletter_promo(line: Line, ctx: LineContext) -> bool:
    """An invitation to subscribe to a newsletter or a news feed."""
    return _short(line, 45) and bool(patterns.NEWSLETTER.search(line.text))


def is_share_line(line: Line, ctx: LineContext) -> bool:
    """Share buttons: "Share", "Facebook Twitter Email"."""
    return _short(line, 14) and bool(patterns.SHARE.match(line.text))


def is_footer(line: Line, ctx: LineContext) -> bool:
    """Copyright and legal lines; a long line only when it reserves rights or limits use."""
    if _short(line, 30):
        return bool(patterns.FOOTER.search(line.text))
    return bool(patterns.RIGHTS_NOTICE.search(line.text))


def is_advert(line: Line, ctx: LineContext) -> bool:
    """An advertisement label."""
    return _short(line, 8) and bool(patterns.ADVERT.match(line.text))


def is_read_more(line: Line, ctx: LineContext) -> bool:
    """ "Read more", "Related articles", "Lire aussi" and similar teaser labels."""
    return _short(line, 20) and bool(patterns.READ_MORE.match(line.text))


def is_disclaimer(line: Line, ctx: LineContext) -> bool:
    """A legal or risk disclaimer: "Disclaimer:", "This is not financial advice"."""
    if patterns.DISCLAIMER_LABEL.match(line.text):
        return True
    lower = line.text.lower()
    if not any(cue in lower for cue in patterns.DISCLAIMER_CUES):
        return False
    return bool(patterns.DISCLAIMER.search(line.text))


def is_affiliate_disclosure(line: Line, ctx: LineContext) -> bool:
    """A note that the page earns a commission on links: "We may earn a commission"."""
    return _short(line, _LONGEST_FURNITURE) and bool(patterns.AFFILIATE.search(line.text))


def is_social_promo(line: Line, ctx: LineContext) -> bool:
    """A plug for the site's channel or page on a social network."""
    return (
        _short(line, 15)
        and bool(patterns.SOCIAL_NETWORK.search(line.text))
        and bool(patterns.SOCIAL_PLACE.search(line.text))
    )


def is_prev_next_link(line: Line, ctx: LineContext) -> bool:
    """ "Next article: <headline>", "Article précédent <headline>" and the like."""
    return _short(line, 40) and bool(patterns.PREV_NEXT.match(line.text))


def is_feedback_widget(line: Line, ctx: LineContext) -> bool:
    """Rating, "was this helpful", print and text-size widgets."""
    return _short(line, 14) and bool(patterns.FEEDBACK.match(line.text))


def is_image_credit(line: Line, ctx: LineContext) -> bool:
    """A photo credit or caption source."""
    return _short(line, 30) and bool(patterns.IMAGE_CREDIT.search(line.text))


def is_tags_line(line: Line, ctx: LineContext) -> bool:
    """A tags or categories line."""
    return _short(line, 40) and bool(patterns.TAGS.match(line.text))


def is_login_or_ui(line: Line, ctx: LineContext) -> bool:
    """Log-in, search, menu and other interface words."""
    return _short(line, 4) and bool(patterns.LOGIN.match(line.text))


def is_breadcrumb(line: Line, ctx: LineContext) -> bool:
    """A trail of short items joined by ›, », > or /."""
    if not _short(line, 25) or line.ends_sentence or _TRAIL_MARKS.isdisjoint(line.text):
        return False
    parts = patterns.TRAIL_SEPARATOR.split(line.text)
    if len(parts) < 3 and not (len(parts) == 2 and patterns.HOME.match(parts[0])):
        return False
    return all(0 < len(part.strip()) <= 40 and not _SENTENCE_MARKS & set(part) for part in parts)


def is_dangling_link(line: Line, ctx: LineContext) -> bool:
    """A link text left hanging by its separator: "Some headline |", "· Next item"."""
    return _short(line, 20) and (
        line.text.endswith(_DANGLING_MARKS) or line.text.startswith(_DANGLING_MARKS)
    )


def is_browser_notice(line: Line, ctx: LineContext) -> bool:
    """ "Best viewed in...", "Please enable JavaScript" and similar notices."""
    return _short(line, 70) and bool(patterns.BROWSER_NOTICE.search(line.text))


def is_call_to_action(line: Line, ctx: LineContext) -> bool:
    """A sales button or banner: "Start your free trial", "Book a demo", "Shop now"."""
    return _short(line, 20) and bool(patterns.CALL_TO_ACTION.search(line.text))


def is_category_list(line: Line, ctx: LineContext) -> bool:
    """A category line: "In Travel, Budget Travel, Guides" (each part a capitalised name)."""
    if not _short(line, 25) or not patterns.CATEGORY_LIST.match(line.text):
        return False
    parts = line.text.split(" ", 1)[1].split(",")
    return all(part.strip()[:1].isupper() for part in parts)


def is_consent_checkbox(line: Line, ctx: LineContext) -> bool:
    """A form's consent box: "I have read the privacy policy and agree..."."""
    return _short(line, 70) and bool(patterns.CONSENT.match(line.text))


def is_author_box(line: Line, ctx: LineContext) -> bool:
    """The heading of an about-the-author box: "About the author", "Über den Autor"."""
    return _short(line, 6) and bool(patterns.AUTHOR_BOX.match(line.text))


def is_bare_url(line: Line, ctx: LineContext) -> bool:
    """A line that is only a web address."""
    return bool(patterns.URL.match(line.text))


def is_symbol_line(line: Line, ctx: LineContext) -> bool:
    """A line with no letters or digits at all (icons, separators, emoji)."""
    return not line.words


def is_reading_time(line: Line, ctx: LineContext) -> bool:
    """ "6 min read", "Lecture : 5 min", "5 Min. Lesezeit" and the like."""
    return _short(line, _READING_TIME_WORDS) and bool(patterns.READING_TIME.match(line.text))


RULES: tuple[Rule, ...] = (
    Rule("skip-link", is_skip_link, keys.SKIP),
    Rule("comments-closed", is_comments_closed, keys.CLOSED, anchored=False),
    Rule("comment-count", is_comment_count, keys.COMMENT),
    Rule("comment-form", is_leave_reply, keys.FORM),
    Rule("cookie-notice", is_cookie_notice, keys.COOKIE, anchored=False),
    Rule(
        "newsletter-promo",
        is_newsletter_promo,
        keys.NEWSLETTER,
        anchored=False,
    ),
    Rule("share-line", is_share_line, keys.SHARE),
    Rule("footer", is_footer, keys.FOOTER, anchored=False),
    Rule("social-promo", is_social_promo, keys.SOCIAL, anchored=False),
    Rule("affiliate-disclosure", is_affiliate_disclosure, keys.AFFILIATE, anchored=False),
    Rule("disclaimer", is_disclaimer, keys.DISCLAIMER, anchored=False),
    Rule("browser-notice", is_browser_notice, keys.BROWSER, anchored=False),
    Rule("advert", is_advert, keys.ADVERT),
    Rule("read-more", is_read_more, keys.READ_MORE),
    Rule("prev-next-link", is_prev_next_link, keys.PREV_NEXT),
    Rule("reading-time", is_reading_time),
    Rule("feedback-widget", is_feedback_widget, keys.FEEDBACK),
    Rule("image-credit", is_image_credit, keys.CREDIT, anchored=False),
    Rule("tags", is_tags_line, keys.TAGS),
    Rule("category-list", is_category_list, keys.CATEGORY),
    Rule("call-to-action", is_call_to_action, keys.ACTION, anchored=False),
    Rule("interface-word", is_login_or_ui, keys.LOGIN),
    Rule("consent-checkbox", is_consent_checkbox, keys.CONSENT),
    Rule("author-box", is_author_box, keys.AUTHOR),
    Rule("breadcrumb", is_breadcrumb),
    Rule("bare-url", is_bare_url, keys.URL),
    Rule("link-separator", is_dangling_link),
    Rule("symbols", is_symbol_line),
)
"""Furniture rules in the order they are tried; the first that holds names the line."""


def _key_index(anchored: bool) -> dict[str, tuple[int, ...]]:
    """Key prefix -> positions (in RULES) of the gated rules it opens."""
    index: dict[str, list[int]] = {}
    for position, rule in enumerate(RULES):
        if rule.keys is not None and rule.anchored == anchored:
            for key in sorted(rule.keys):
                index.setdefault(key, []).append(position)
    return {key: tuple(positions) for key, positions in index.items()}


_HEAD_INDEX = _key_index(anchored=True)
_FREE_INDEX = _key_index(anchored=False)
_HEAD_KEYS = frozenset(_HEAD_INDEX)
_FREE_KEYS = frozenset(_FREE_INDEX)
_COPYRIGHT = frozenset({"©"})
_TEXT = operator.attrgetter("text")
_PREFIX_OF = operator.itemgetter(slice(None, keys.PREFIX))
"""A word's first letters, as the gates compare them (C-level, unlike a slice in a loop)."""
_UNGATED = tuple(position for position, rule in enumerate(RULES) if rule.keys is None)
_UNGATED_WORDS = 25
"""The most words an ungated rule accepts (``is_breadcrumb``)."""
_SHORT, _TRAIL, _NO_WORDS = 1, 2, 4
"""Bits of ``_ungated_mask``: the kinds of line that ungated rules can hold for."""
_UNGATED_NEEDS = {"reading-time": _SHORT, "breadcrumb": _TRAIL, "link-separator": _TRAIL,
                  "symbols": _NO_WORDS}  # fmt: skip
"""The bit each ungated rule needs (one not listed runs for any line with a bit set)."""


def _ungated_for(mask: int) -> tuple[int, ...]:
    """Positions of the ungated rules that may hold for a line of the ``mask`` kinds."""
    return tuple(
        position
        for position in _UNGATED
        if mask & _UNGATED_NEEDS.get(RULES[position].name, _SHORT | _TRAIL | _NO_WORDS)
    )


_RULE_TESTS = tuple((rule.name, rule.test) for rule in RULES)
_UNGATED_BY_MASK = tuple(_ungated_for(mask) for mask in range(8))
_UNGATED_TESTS = tuple(
    tuple(map(_RULE_TESTS.__getitem__, positions)) for positions in _UNGATED_BY_MASK
)
"""The (name, test) of the ungated rules, by ``_ungated_mask``."""

COMMENT_HEADER_RULES = frozenset({"comment-count", "comment-form"})
"""Rules whose lines open a comments section."""


def furniture_labels(lines: Sequence[Line], ctx: LineContext) -> tuple[str | None, ...]:
    """The furniture label of every line; repeated texts are tested once."""
    seen: dict[str, str | None] = {}
    for line in lines:
        if line.text not in seen:
            seen[line.text] = furniture_label(line, ctx)
    return tuple(map(seen.__getitem__, map(_TEXT, lines)))


def furniture_label(line: Line, ctx: LineContext) -> str | None:
    """The name of the first furniture rule the line matches, or None."""
    if line.size > _LONGEST_FURNITURE:
        return None
    for name, test in _candidate_tests(line):
        if test(line, ctx):
            return name
    return None


def _candidate_tests(line: Line) -> tuple[tuple[str, RuleTest], ...]:
    """The (name, test) of the rules whose gate the line opens, and of the ungated ones
    that could hold for it (see ``_ungated_mask``), in order."""
    head = _HEAD_KEYS.intersection(map(_PREFIX_OF, line.words[: keys.HEAD_WORDS]))
    anywhere = _FREE_KEYS.intersection(map(_PREFIX_OF, line.words))
    if "©" in line.text:
        anywhere = anywhere | _COPYRIGHT
    mask = 0 if line.size > _UNGATED_WORDS else _ungated_mask(line)
    if not head and not anywhere:
        return _UNGATED_TESTS[mask]
    return _gated_tests(head, anywhere, mask)


def _ungated_mask(line: Line) -> int:
    """Which ungated rules could hold, as bits: a very short line (a reading time), a line
    with a trail or link separator, a line without words; nothing else can match them, and
    none of them holds for a line longer than ``_UNGATED_WORDS``."""
    if line.size > _UNGATED_WORDS:
        return 0
    mask = _SHORT if line.size <= _READING_TIME_WORDS else 0
    if not _TRAIL_MARKS.isdisjoint(line.text):
        mask |= _TRAIL
    return mask if line.words else mask | _NO_WORDS


@functools.lru_cache(maxsize=16384)
def _gated_tests(
    head: frozenset[str], anywhere: frozenset[str], mask: int
) -> tuple[tuple[str, RuleTest], ...]:
    """The (name, test) of the rules the key prefixes open, with the ungated ones the
    ``mask`` allows (see ``_ungated_mask``), in order."""
    found = set(_UNGATED_BY_MASK[mask])
    for key in head:
        found.update(_HEAD_INDEX[key])
    for key in anywhere:
        found.update(_FREE_INDEX[key])
    return tuple(map(_RULE_TESTS.__getitem__, sorted(found)))
