"""View objects for templates: plain, frozen, and shaped for display (see docs/theming.md)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from markupsafe import Markup

from generator.config import Config
from generator.markup import is_safe_url
from generator.model import Block, Body, Comment, Listing, Page
from generator.reading import excerpt
from generator.site import Placement, article_month, placement
from generator.slug import slugify


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    base_url: str | None


@dataclass(frozen=True, slots=True)
class ArticleView:
    title: str
    url: str
    source: str
    source_title: str
    source_url_listing: str
    original_url: str | None
    site_name: str | None
    author: str | None
    date: str | None
    archived: str
    lang: str
    tags: tuple[str, ...]
    word_count: int
    reading_minutes: tuple[int, int]
    excerpt: str
    body: Body
    """The body and comments: packed, recalled when unpacked (a touch-up's unchanged
    articles), or unpacked for rendering (see ``opened``)."""
    tag_links: list[TagLink] = field(default_factory=list)
    """The article's tags with the address of each tag's listing."""
    related: list[RelatedLink] = field(default_factory=list)
    """A few articles from the same source or sharing tags, closest first."""
    month_url: str = ""
    """Site path of the listing of the month the article is filed under."""

    @property
    def text_url(self) -> str:
        """Site path of the plain-text twin. (Worked out when asked: kept, the two twins'
        addresses took 1.8 MB at 10,000 dumps, held by every rendering process.)"""
        return text_twin_path(self.url)

    @property
    def markdown_url(self) -> str:
        """Site path of the Markdown twin."""
        return markdown_twin_path(self.url)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The body's blocks (unpacked at each call unless the view is ``opened``)."""
        return self.body.unpack().blocks

    @property
    def comments(self) -> tuple[Comment, ...]:
        """The comments (unpacked at each call unless the view is ``opened``)."""
        return self.body.unpack().comments

    def opened(self) -> ArticleView:
        """The same view with its body unpacked once, for the pages made from it."""
        return replace(self, body=self.body.unpack())


def text_twin_path(url: str) -> str:
    """Where the plain-text twin of the article at ``url`` is written."""
    return f"{url}index.txt"


def markdown_twin_path(url: str) -> str:
    """Where the Markdown twin of the article at ``url`` is written."""
    return f"{url}index.md"


@dataclass(frozen=True, slots=True)
class TagLink:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class RelatedLink:
    title: str
    url: str
    source_title: str
    date: str | None
    lang: str


@dataclass(frozen=True, slots=True)
class PageView:
    title: str
    url: str
    html: Markup
    lang: str


@dataclass(frozen=True, slots=True)
class ListingView:
    title: str
    kind: str
    items: list[ArticleView]
    prev_url: str | None
    """The page of newer articles (None on the first page)."""
    next_url: str | None
    """The page of older articles (None on the last page)."""
    total: int | None
    """Articles in the whole listing, on its first page only: the other pages stay as
    they are while newer articles come."""
    period: tuple[str, str] | None
    """The dates (published, else archived) of the page's newest and oldest articles."""


@dataclass(frozen=True, slots=True)
class SourceLink:
    name: str
    title: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class NavSource:
    """A source as any page may link to it: without its article count, which only the
    sources overview shows (a page showing counts would be rendered again whenever a dump
    is added or removed, and so would every page)."""

    name: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class PageLink:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class YearLink:
    """A year of the archive with its months (each a SourceLink-like count link)."""

    title: str
    url: str
    count: int
    months: list[SourceLink]


def web_url(url: str | None) -> str | None:
    """An original address fit for an href: absolute http(s) only."""
    if url and url.lower().startswith(("http://", "https://")) and is_safe_url(url):
        return url
    return None


def source_listing_url(source: str, listings: dict[str, Listing]) -> str:
    """Where the listing of an article's source lives."""
    return listings[f"source:{source}"].base_url


class ArticleFacts(NamedTuple):
    """What an article's view shows beside its placement, body and related links: a
    touch-up's snapshot keeps them, so that listing an unchanged article needs neither
    its parse cache entry nor the cross-dump step."""

    title: str
    original_url: str | None
    site_name: str | None
    author: str | None
    word_count: int
    reading_minutes: tuple[int, int]
    excerpt: str


def article_facts(page: Page) -> ArticleFacts:
    """The facts of an article's view."""
    doc = page.document
    return ArticleFacts(
        doc.title,
        web_url(doc.source_url),
        doc.site_name,
        doc.author,
        page.word_count,
        page.reading_minutes,
        excerpt(doc.blocks) if doc.excerpt is None else doc.excerpt,
    )


def article_view(page: Page, config: Config, listings: dict[str, Listing]) -> ArticleView:
    """What an article template gets to know about one article."""
    doc = page.document
    placed = placement(doc, page.url)
    return placed_view(placed, article_facts(page), doc.body, config, listings)


def placed_view(
    placed: Placement,
    facts: ArticleFacts,
    body: Body,
    config: Config,
    listings: dict[str, Listing],
    related: list[RelatedLink] | None = None,
) -> ArticleView:
    """An article's view from where it stands, its facts and its body."""
    source = placed.source
    return ArticleView(
        title=facts.title,
        url=placed.url,
        source=source,
        source_title=config.source_title(source) if source else "Unsorted",
        source_url_listing=source_listing_url(source, listings),
        original_url=facts.original_url,
        site_name=facts.site_name,
        author=facts.author,
        date=placed.date,
        archived=placed.archived,
        lang=placed.lang or config.language,
        tags=placed.tags,
        word_count=facts.word_count,
        reading_minutes=facts.reading_minutes,
        excerpt=facts.excerpt,
        body=body,
        tag_links=tag_links(placed.tags, listings),
        related=[] if related is None else related,
        month_url=listings[f"month:{article_month(placed)}"].base_url,
    )


def tag_links(tags: tuple[str, ...], listings: dict[str, Listing]) -> list[TagLink]:
    """Each distinct tag (by address) with its listing's address, in the article's order."""
    links: dict[str, TagLink] = {}
    for tag in tags:
        url = listings[f"tag:{slugify(tag)}"].base_url
        links.setdefault(url, TagLink(tag, url))
    return list(links.values())


def related_link(view: ArticleView) -> RelatedLink:
    """The short form of an article shown in another article's "related" list."""
    return RelatedLink(view.title, view.url, view.source_title, view.date, view.lang)


def page_view(page: Page, config: Config) -> PageView:
    """What the page template gets to know about a Markdown page."""
    doc = page.document
    return PageView(doc.title, page.url, Markup(doc.html), doc.lang or config.language)
