"""Turn the article's lines into blocks: headings, paragraphs, lists and quotes."""

from __future__ import annotations

from collections.abc import Sequence

from generator.dump.lines import Line
from generator.dump.rules import LineContext
from generator.model import Block

_HEADING_MAX_WORDS = 16
_VERSE_MAX_WORDS = 12
_STRAY_WORDS = 10
_QUOTE_PREFIX = (">", "│", "|")


def is_all_caps(line: Line) -> bool:
    """Whether the line's letters are all capitals (and there are a few of them)."""
    if not line.text.isupper():
        return False
    letters = [char for char in line.text if char.isalpha()]
    return len(letters) >= 4 and all(char.isupper() for char in letters)


def is_heading(line: Line, following: Line | None, ctx: LineContext) -> bool:
    """A short unpunctuated line followed by more text, or a short line in capitals."""
    if line.bullet == "-" or line.size > _HEADING_MAX_WORDS or len(line.text) > 150:
        return False
    if "\t" in line.text:
        return False  # a table row
    if line.text.endswith((".", ",", ";", "…", "...")) or following is None:
        return False
    if is_all_caps(line) and line.size <= _VERSE_MAX_WORDS:
        return True
    if line.text.endswith(":"):
        return False
    if not line.blank_after and following.size <= _VERSE_MAX_WORDS:
        return False
    starts_well = line.text[:1].isupper() or line.text[:1].isdigit() or bool(line.cjk)
    return starts_well and following.size > line.size


def _in_stanza(line: Line, following: Line) -> bool:
    """Whether a short line runs on into another short line (verse, an address)."""
    adjacent = not following.blank_before and not line.blank_after
    return adjacent and following.size <= _VERSE_MAX_WORDS and not following.bullet


def stray_reason(lines: Sequence[Line], index: int, end: int, ctx: LineContext) -> str | None:
    """Why a short line inside the article is left out ("stray-line"), or None to keep it.

    Kept: sentences, list items, stanza lines and headings (short lines over a paragraph).
    """
    line = lines[index]
    if line.size >= _STRAY_WORDS or line.ends_sentence or line.bullet is not None:
        return None
    following = lines[index + 1] if index + 1 < end else None
    if following is not None and _in_stanza(line, following):
        return None
    if following is None and index > 0 and _in_stanza(lines[index - 1], line):
        return None  # the last line of a stanza or a list that ends the article
    if following is not None and is_heading(line, following, ctx):
        return None
    return "stray-line"


def _is_verse(line: Line, previous: Line | None) -> bool:
    """Whether a line continues a stanza: short lines with no blank line between them."""
    if previous is None or line.blank_before or line.bullet or previous.bullet:
        return False
    return line.size <= _VERSE_MAX_WORDS and previous.size <= _VERSE_MAX_WORDS


def _quote_text(line: Line) -> str | None:
    """The text of a line marked as quoted with a leading ">", else None."""
    if line.text.startswith(_QUOTE_PREFIX) and len(line.text) > 2:
        return line.text[1:].strip()
    return None


def _list_block(run: Sequence[Line]) -> Block:
    """A list block from a run of bulleted or numbered lines."""
    items = tuple(line.unbulleted for line in run)
    return Block("list", "\n".join(items), run[0].number, items=items, ordered=run[0].bullet == "1")


def _list_run(lines: Sequence[Line], start: int) -> int:
    """End (exclusive) of the run of list items with the same kind of bullet from ``start``."""
    kind = lines[start].bullet
    end = start + 1
    while end < len(lines) and lines[end].bullet == kind:
        end += 1
    return end


def build_blocks(lines: Sequence[Line], ctx: LineContext) -> tuple[Block, ...]:
    """Blocks in reading order from the article's kept lines."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else None
        if line.bullet is not None:
            end = _list_run(lines, i)
            if end - i >= 2 or line.bullet == "-":
                blocks.append(_list_block(lines[i:end]))
                i = end
                continue
        quoted = _quote_text(line)
        if quoted is not None:
            blocks.append(Block("quote", quoted, line.number))
        elif is_heading(line, following, ctx):
            blocks.append(Block("heading", line.text, line.number))
        elif blocks and blocks[-1].kind == "paragraph" and _is_verse(line, lines[i - 1]):
            last = blocks[-1]
            blocks[-1] = Block("paragraph", f"{last.text}\n{line.text}", last.line)
        else:
            blocks.append(Block("paragraph", line.text, line.number))
        i += 1
    return tuple(blocks)
