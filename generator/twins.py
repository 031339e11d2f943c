"""Plain-text and Markdown twins of each article, written next to its HTML."""

from __future__ import annotations

import re

from generator.model import Block
from generator.views import ArticleView

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
LINE_START_SPECIAL = re.compile(r"^([^\S\n]*)([#>+\-=]|\d+[.)])", re.MULTILINE)
"""What would start a heading, quote, list or rule at the start of a line (after its
indent, which never spans a line)."""
FIRST_LINE_SPECIAL = re.compile(r"[^\S\n]*(?:[#>+\-=]|\d+[.)])")
LATER_LINE_SPECIAL = re.compile(r"\n[^\S\n]*(?:[#>+\-=]|\d+[.)])")
"""The same at the start of the text, and after a line break: found much faster than
by the substitution (which tries the pattern at every position), so most texts, which
hold none, are looked at once."""


def metadata_lines(view: ArticleView) -> list[tuple[str, str]]:
    """(label, value) pairs describing the article, in a fixed order."""
    pairs = [
        ("Source", view.source_title),
        ("Original", view.original_url or ""),
        ("Author", view.author or ""),
        ("Published", view.date or ""),
        ("Archived", view.archived),
        ("Language", view.lang),
        ("Tags", ", ".join(tag.name for tag in view.tag_links)),
        ("Words", str(view.word_count)),
    ]
    return [(label, value) for label, value in pairs if value]


def text_block(block: Block) -> str:
    """One block as plain text."""
    if block.kind == "list":
        marks = [f"{n}." if block.ordered else "-" for n in range(1, len(block.items) + 1)]
        return "\n".join(f"{mark} {item}" for mark, item in zip(marks, block.items, strict=True))
    if block.kind == "quote":
        return "\n".join(f"  {line}" if line else "" for line in block.text.split("\n"))
    return block.text


def text_twin(view: ArticleView) -> str:
    """The article as plain text: title, metadata, body, comments left out."""
    head = [view.title, "=" * min(len(view.title), 72), ""]
    head += [f"{label}: {value}" for label, value in metadata_lines(view)]
    body = [text_block(block) for block in view.blocks]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"


def md_escape(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, links, HTML or headings)."""
    if MARKDOWN_SPECIAL.search(text):  # a substitution costs more than looking first
        text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    if FIRST_LINE_SPECIAL.match(text) or LATER_LINE_SPECIAL.search(text):
        text = LINE_START_SPECIAL.sub(r"\1\\\2", text)
    return text


def markdown_block(block: Block) -> str:
    """One block as Markdown."""
    if block.kind == "heading":
        return f"{'#' * min(max(block.level, 2), 4)} {md_escape(block.text)}"
    if block.kind == "list":
        marks = [f"{n}." if block.ordered else "-" for n in range(1, len(block.items) + 1)]
        items = zip(marks, block.items, strict=True)
        return "\n".join(f"{mark} {md_escape(item)}" for mark, item in items)
    if block.kind == "quote":
        return "\n".join(f"> {line}".rstrip() for line in md_escape(block.text).split("\n"))
    return md_escape(block.text)


def markdown_twin(view: ArticleView) -> str:
    """The article as Markdown: a title, a metadata list, then the body."""
    head = [f"# {md_escape(view.title)}", ""]
    for label, value in metadata_lines(view):
        shown = f"<{value}>" if label == "Original" else md_escape(value)
        head.append(f"- **{label}:** {shown}")
    body = [markdown_block(block) for block in view.blocks]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"
