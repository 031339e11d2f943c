"""The keys that decide what a build renders again, and what a session keeps between renders
(``RenderMemo``) so that a rebuild after a small change does little more than look up."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from generator.machine_files import RecordMemo
from generator.model import Document, Page, field_values
from generator.stage import Planned
from generator.views import ArticleView

if TYPE_CHECKING:
    from generator.render import Renderer

ViewMemo = dict[tuple[str, str], tuple[ArticleView, str]]
"""A session's article views and own keys by (document key, address), for one salt."""


@dataclass
class RenderMemo:
    """What a session keeps between renders of one salt, so that a rebuild after a small
    change does little more than look things up.

    Every entry is checked against the inputs it was made from (by identity or equality),
    so an entry can only be reused for exactly the same inputs.
    """

    salt: str = ""
    own: ViewMemo = field(default_factory=dict)
    """Article views without their related lists, and their own keys."""
    related: tuple[object, dict[str, list[str]]] | None = None
    """The site layout the related lists were worked out for, and the lists."""
    full: dict[str, tuple[ArticleView, ArticleView, str]] = field(default_factory=dict)
    """By address: the own view, the full view (with its related links) and its key."""
    keys: dict[tuple[str | None, ...], str] = field(default_factory=dict)
    """Keys combined from other keys, by their parts."""
    records: RecordMemo = field(default_factory=RecordMemo)
    """The last index.json's views and encoded records."""
    articles: dict[str, tuple[tuple[str | None, ...], tuple[Planned, ...]]] = field(
        default_factory=dict
    )
    """By address: the keys an article's files were planned from, and those files. Their
    bytes are made by ``renderer``, the latest, which gives unchanged keys the same bytes."""
    listings: dict[str, tuple[tuple[str | None, ...], Planned]] = field(default_factory=dict)
    """By address: the keys a listing page was planned from, and its plan entry."""
    renderer: Renderer | None = None

    def listing_page(self, key: str, url: str) -> bytes:
        """The page at ``url`` of the listing ``key``, rendered by the latest renderer."""
        assert self.renderer is not None
        return self.renderer.listing_page(key, url)

    def article_page(self, url: str) -> bytes:
        """The article page at ``url``, rendered by the latest renderer."""
        assert self.renderer is not None
        return self.renderer.article_page(url)

    def article_twin(self, url: str, make: Callable[[ArticleView], str]) -> bytes:
        """A text twin of the article at ``url``, made by the latest renderer's view."""
        assert self.renderer is not None
        return make(self.renderer.opened_view(url)).encode("utf-8")


class ArticleFile:
    """Makes one of an article's files with the memo's latest renderer: the ``make`` of its
    plan entry. A small slotted object: a ``partial`` of a bound method took about 260
    bytes a file (with its argument tuple, keyword dictionary and method), 8 MB for the
    32,600 files of 10,000 articles, held by every rendering process."""

    __slots__ = ("memo", "twin", "url")

    def __init__(
        self, memo: RenderMemo, url: str, twin: Callable[[ArticleView], str] | None = None
    ) -> None:
        self.memo = memo
        self.url = url
        self.twin = twin
        """None for the article page; else what makes the text twin from the view."""

    def __call__(self) -> bytes:
        if self.twin is None:
            return self.memo.article_page(self.url)
        return self.memo.article_twin(self.url, self.twin)


def digest_of(*parts: object) -> str:
    """A stable hash of plain values (their ``repr``, which is the same in every process)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def document_key(document: Document) -> str:
    """What stands for a document's content in keys: its digest, else the whole of it."""
    return document.digest or digest_of(document)


def own_key(view: ArticleView, page: Page) -> str:
    """What decides how an article shows on its own: its document and its view's fields,
    leaving out the body (the document's digest stands for it) and the related list."""
    return digest_of(document_key(page.document), OWN_FACTS(view))


OWN_FIELDS = tuple(f.name for f in fields(ArticleView) if f.name not in ("body", "related"))
OWN_FACTS = field_values(OWN_FIELDS)
"""A view's values of ``OWN_FIELDS``, as a tuple, in one C call."""
