"""Split a comments section into comments: numbered items or author/date headed posts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.dump import patterns
from generator.dump.dates import parse_date
from generator.dump.lines import Line
from generator.model import Comment

SAYS = re.compile(
    r"^(.{1,60}?)\s+(?:says|said|wrote|dit|a\s+dit|écrit|schreibt|schrieb|sagt|dice|dijo|"
    r"escribió|scrive|ha\s+scritto|diz|disse|escreveu|zegt|schreef|pisze|napisał|пишет|"
    r"написал)\s*[:,]?$",
    re.IGNORECASE,
)
_SAYS_WORDS = frozenset(
    [
        "says",
        "said",
        "wrote",
        "dit",
        "écrit",
        "schreibt",
        "schrieb",
        "sagt",
        "dice",
        "dijo",
        "escribió",
        "scrive",
        "scritto",
        "diz",
        "disse",
        "escreveu",
        "zegt",
        "schreef",
        "pisze",
        "napisał",
        "пишет",
        "написал",
    ]
)
"""The last word of every line SAYS can match: a cheap test before the regex."""
_DIGIT = re.compile(r"\d")
_END_RULES = frozenset({"comments-closed", "comment-form", "footer"})
_MENU_RUN = 4
_DATE_LINE_WORDS = 5
_NAME_WORDS = 4


@dataclass(frozen=True)
class _Draft:
    """A comment being collected: its line indexes and header facts."""

    indexes: tuple[int, ...]
    texts: tuple[str, ...]
    author: str | None = None
    date: str | None = None
    header: tuple[int, ...] = ()
    """Indexes of the lines that head it (author, date), used as metadata."""

    def add(self, index: int, text: str) -> _Draft:
        """The draft with one more line of text."""
        return _Draft(
            (*self.indexes, index), (*self.texts, text), self.author, self.date, self.header
        )


def comment_header(line: Line, lang: str | None) -> tuple[str | None, str | None] | None:
    """(author, date) when a line heads a comment ("Ann, 3 May 2020 at 10:02"), else None."""
    if line.size > 14 or not line.words:
        return None
    says = SAYS.match(line.text) if line.words[-1] in _SAYS_WORDS else None
    if says and "," not in says.group(1) and len(says.group(1).split()) <= _NAME_WORDS:
        return says.group(1).strip(" -–"), parse_date(line.text, lang)
    date_match = patterns.DATE.search(line.text) if _DIGIT.search(line.text) else None
    if date_match is None:
        return None
    wordy = sum(1 for word in line.words if not word.isdigit())
    if line.ends_sentence and not line.text.endswith(":") and wordy > _DATE_LINE_WORDS:
        return None
    author = line.text[: date_match.start()].strip(" ,-–|·•@") or None
    if author and (len(author.split()) > 5 or not author[:1].isalpha()):
        return None
    author = re.sub(r"\s+(?:on|le|am|el|il|em|op)$", "", author or "", flags=re.I) or None
    return author, parse_date(line.text, lang)


def _is_name(line: Line) -> bool:
    """Whether a line could be a commenter's name: a few words, no sentence."""
    return 1 <= line.n_words <= 4 and not line.ends_sentence and line.bullet is None


def header_at(lines: Sequence[Line], index: int, lang: str | None) -> _Draft | None:
    """An empty draft when a comment header (one line, or a name over a date) starts here."""
    line = lines[index]
    header = comment_header(line, lang)
    if header is not None:
        return _Draft((), (), header[0], header[1], (index,))
    if index + 1 < len(lines) and _is_name(line) and not lines[index + 1].blank_before:
        below = comment_header(lines[index + 1], lang)
        if below is not None and below[0] is None:
            return _Draft((), (), line.text, below[1], (index, index + 1))
    return None


def _with_name_below(lines: Sequence[Line], draft: _Draft) -> _Draft:
    """A date-only header whose next line (no blank between) is a name takes it as author."""
    below = draft.header[-1] + 1
    if draft.author is not None or below >= len(lines) or lines[below].blank_before:
        return draft
    if not _is_name(lines[below]) or comment_header(lines[below], None) is not None:
        return draft
    return _Draft((), (), lines[below].text, draft.date, (*draft.header, below))


def _completes(previous: _Draft, header: _Draft) -> bool:
    """Whether a header names the author of a bare date header just above it."""
    bare = not previous.texts and previous.author is None and previous.date is not None
    return bare and header.author is not None and header.date is None


def _is_menu_run(lines: Sequence[Line], start: int) -> bool:
    """Whether a run of short, unpunctuated lines begins here (the page's furniture again)."""
    run = lines[start : start + _MENU_RUN]
    if len(run) < _MENU_RUN:
        return False
    return all(
        line.size < 4 and not line.ends_sentence and not patterns.COMMENT_ACTION.match(line.text)
        for line in run
    )


def _is_continuation(draft: _Draft | None, line: Line, structured: bool) -> bool:
    """Whether a text line belongs to the comment being collected."""
    if draft is None:
        return False
    if not draft.texts or structured:
        return True
    return not line.blank_before or line.indent > 0


def _joined(lines: Sequence[Line], draft: _Draft) -> str:
    """A draft's text: lines joined, a blank line where the dump had one."""
    parts: list[str] = []
    for position, (index, text) in enumerate(zip(draft.indexes, draft.texts, strict=True)):
        if position:
            parts.append("\n\n" if lines[index].blank_before else "\n")
        parts.append(text)
    return "".join(parts)


def _finish(
    lines: Sequence[Line], drafts: list[_Draft]
) -> tuple[list[Comment], list[tuple[int, str]]]:
    """Comments from drafts, exact duplicates merged; placements of every draft line."""
    comments: list[Comment] = []
    placements: list[tuple[int, str]] = []
    seen: set[str] = set()
    for draft in drafts:
        placements.extend((index, "used-as-comment-header") for index in draft.header)
        text = _joined(lines, draft)
        if not text:
            continue
        reason = "duplicate-comment" if text in seen else "comment"
        placements.extend((index, reason) for index in draft.indexes)
        if reason == "comment":
            seen.add(text)
            first = (*draft.header, *draft.indexes)[0]
            comments.append(Comment(text, draft.author, draft.date, lines[first].number))
    return comments, placements


def _is_structured(lines: Sequence[Line], start: int, lang: str | None) -> bool:
    """Whether the section's comments are numbered or headed (then text lines run on)."""
    return any(
        lines[i].bullet == "1" or header_at(lines, i, lang) is not None
        for i in range(start, len(lines))
    )


def _signed_below(
    lines: Sequence[Line], labels: Sequence[str | None], start: int, lang: str | None
) -> bool:
    """Whether comments carry their author/date line after the text, not before it."""
    for index in range(start, len(lines)):
        if labels[index] is not None or patterns.COMMENT_ACTION.match(lines[index].text):
            continue
        return header_at(lines, index, lang) is None and lines[index].bullet is None
    return False


def parse_comments(
    lines: Sequence[Line], labels: Sequence[str | None], start: int, lang: str | None
) -> tuple[tuple[Comment, ...], dict[int, str], int]:
    """Comments from lines[start:], their placements, and the index where the section ends."""
    structured = _is_structured(lines, start, lang)
    signed_below = structured and _signed_below(lines, labels, start, lang)
    drafts: list[_Draft] = []
    dropped: dict[int, str] = {}
    index = start
    while index < len(lines):
        line, label = lines[index], labels[index]
        if label in _END_RULES or (drafts and _is_menu_run(lines, index)):
            break
        header = header_at(lines, index, lang) if label is None else None
        if label is not None and label != "tags":
            dropped[index] = label
        elif patterns.COMMENT_ACTION.match(line.text):
            dropped[index] = "comment-action"
        elif header is not None and signed_below and drafts and not drafts[-1].header:
            drafts[-1] = _Draft(
                drafts[-1].indexes, drafts[-1].texts, header.author, header.date, header.header
            )
            index += len(header.header) - 1
        elif header is not None:
            header = _with_name_below(lines, header)
            index += len(header.header) - 1
            if drafts and _completes(drafts[-1], header):
                last = drafts.pop()
                header = _Draft((), (), header.author, last.date, (*last.header, *header.header))
            drafts.append(header)
        elif line.bullet == "1":
            drafts.append(_Draft((index,), (line.unbulleted,)))
        elif drafts and _is_continuation(drafts[-1], line, structured):
            drafts[-1] = drafts[-1].add(index, line.text)
        else:
            drafts.append(_Draft((index,), (line.text,)))
        index += 1
    comments, placements = _finish(lines, drafts)
    merged = dict(placements)
    merged.update(dropped)
    return tuple(comments), merged, index
