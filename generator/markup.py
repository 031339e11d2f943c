"""Markdown pages to safe HTML: raw HTML off, links only with allowed schemes."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http", "https", "mailto")
SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def is_safe_url(url: str) -> bool:
    """True for relative links and for http(s) and mailto links, whatever their spelling."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", unescape(url))
    match = SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """A CommonMark parser with tables and strikethrough, raw HTML disabled (imported on
    first use: a build that reads no Markdown page never loads it)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.validateLink = is_safe_url  # type: ignore[method-assign]
    return parser


def render_markdown(text: str) -> str:
    """Render a Markdown page body to HTML that is safe to insert as is."""
    html: str = markdown_parser().render(text)
    return html
