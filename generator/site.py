"""Assemble documents into a Site: addresses, order, listings. Nothing is written here."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from generator.config import Config
from generator.dates import parse_iso_date
from generator.model import Document, Listing, Page, Site
from generator.reading import blocks_text, html_text, minutes_for, text_counts
from generator.slug import DEFAULT_MAX_BYTES, FIRST_HASH_LENGTH, slugify, unique_slugs, with_suffix

SITE_FOLDERS = ("page", "sources", "tags", "years", "languages", "search")
RESERVED_TOP = frozenset({*SITE_FOLDERS, "static", "feeds", "pagefind", "404"})
"""Top-level names the site itself uses; a source or page with one of them gets a suffix."""
HASH_LIKE = re.compile(r"^[\W\d_]*([0-9a-f]{8,}|[\W\d_]*)$", re.IGNORECASE)


def wanted_slug(document: Document) -> str:
    """The slug a document asks for: front matter, else a readable file name, else its title."""
    if document.slug_hint:
        return slugify(document.slug_hint)
    stem = re.sub(r"^\d+[_\-\s]+", "", file_stem(document.source_file.rel))
    if not HASH_LIKE.match(stem) and re.search(r"[^\W\d_]{3}", stem):
        return slugify(stem)
    return title_slug(document)


def file_stem(rel: str) -> str:
    """A path's file name less its extension, as ``PurePosixPath(rel).stem`` gives it
    (without making a path object for each of thousands of files)."""
    name = rel.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def title_slug(document: Document) -> str:
    """A slug from the title, marked with a hash of the file's path.

    Titles repeat (the same article saved twice), so a title slug always carries the
    suffix: the address then never depends on which other dumps exist.
    """
    rel = document.source_file.rel
    return with_suffix(slugify(document.title), rel, FIRST_HASH_LENGTH, DEFAULT_MAX_BYTES)


def source_slug(source: str) -> str:
    """The address part of a source folder."""
    slug = slugify(source)
    return f"{slug}-source" if slug in RESERVED_TOP else slug


@dataclass
class SiteMemo:
    """What a session keeps between assemblies: slugs and pages of unchanged documents."""

    slugs: dict[tuple[str, str | None, str], str] = field(default_factory=dict)
    """The slug each (path, slug hint, title) asks for."""
    pages: dict[str, tuple[Document, str, Page]] = field(default_factory=dict)
    """By path: the document, its address and the page made of them."""
    layout: tuple[Layout, list[str], Site] | None = None
    """What decided the last site's addresses, order and listings; the addresses of its
    published documents, in their order; and the site."""


Layout = tuple[Config, tuple[tuple[object, ...], ...]]
"""Everything that decides a site's addresses, order and listings: the configuration and,
per document, its path, kind, slug hint, title, dates, tags, language and draft flag."""


def layout_of(documents: Sequence[Document], config: Config) -> Layout:
    """The layout facts of a site made of ``documents``."""
    return config, tuple(
        (
            d.source_file.rel,
            d.source_file.kind,
            d.slug_hint,
            d.title,
            d.date,
            d.archived,
            d.tags,
            d.lang,
            d.draft,
        )
        for d in documents
    )


def document_urls(documents: Sequence[Document], memo: SiteMemo | None = None) -> list[str]:
    """Site-relative addresses, unique, each depending only on its own file and clashes."""
    known = memo.slugs if memo is not None else {}
    slugs = {}
    wanted = []
    for document in documents:
        facts = (document.source_file.rel, document.slug_hint, document.title)
        slug = known.get(facts) or wanted_slug(document)
        slugs[facts] = slug
        wanted.append(wanted_address(document, slug))
    if memo is not None:
        memo.slugs = slugs
    return unique_addresses(wanted, [d.source_file.rel for d in documents])


def wanted_address(document: Document, slug: str) -> str:
    """The address a document asks for with the slug it asks for (``wanted_slug``), before
    clashes: in its source's folder; at the top, with a suffix where the site uses the
    name."""
    source = document.source_file.source
    if source:
        return f"{source_slug(source)}/{slug}"
    return f"{slug}-page" if slug in RESERVED_TOP else slug


def unique_addresses(wanted: Sequence[str], ids: Sequence[str]) -> list[str]:
    """The addresses of documents asking for ``wanted`` (by path, ``ids``), made unique
    (``unique_slugs``: independent of their order)."""
    return [f"{url}/" for url in unique_slugs(wanted, ids)]


class Placement(NamedTuple):
    """What places an article among the others: its address, path, source, dates, tags and
    language. The order, the listings and the related lists follow from these alone, so a
    touch-up build can work them out again without the documents (``touchup``)."""

    url: str
    rel: str
    source: str
    date: str | None
    archived: str
    tags: tuple[str, ...]
    lang: str | None


def placement(document: Document, url: str) -> Placement:
    """Where an article (``document`` at ``url``) stands among the others."""
    source = document.source_file
    return Placement(
        url,
        source.rel,
        source.source,
        document.date,
        document.archived,
        document.tags,
        document.lang,
    )


def page_placement(page: Page) -> Placement:
    """Where an article's page stands among the others."""
    return placement(page.document, page.url)


def newest_first(placed: Sequence[Placement]) -> list[Placement]:
    """Newest first by published (else archived) date; equal dates in path order."""
    by_path = sorted(placed, key=lambda p: p.rel)
    return sorted(by_path, key=lambda p: (p.date or p.archived)[:19], reverse=True)


def placed_pages(
    documents: Sequence[Document], urls: Sequence[str], memo: SiteMemo | None
) -> list[Page]:
    """Each document at its address; the memo's page when both are the same as before."""
    if memo is None:
        return [make_page(d, url) for d, url in zip(documents, urls, strict=True)]
    known = memo.pages
    pages = []
    for document, url in zip(documents, urls, strict=True):
        earlier = known.get(document.source_file.rel)
        if earlier is not None and earlier[0] is document and earlier[1] == url:
            pages.append(earlier[2])
        else:
            pages.append(make_page(document, url))
    memo.pages = {p.document.source_file.rel: (p.document, p.url, p) for p in pages}
    return pages


def make_page(document: Document, url: str) -> Page:
    """Place one document at its address, with its reading facts."""
    words, chars = document.counts or document_counts(document)
    return Page(
        document=document,
        url=url,
        word_count=words,
        reading_minutes=minutes_for(chars, document.lang),
    )


def document_counts(document: Document) -> tuple[int, int]:
    """(words, characters) of a document's readable text."""
    if document.is_article:
        return text_counts(blocks_text(document.blocks))
    return text_counts(html_text(document.html))


def paginate(placed: Sequence[Placement], per_page: int) -> tuple[tuple[str, ...], ...]:
    """The articles' addresses (newest first) in pages as a reader meets them, newest first.

    Pages are counted from the oldest, so that a page keeps its articles while newer ones
    come: every page but the first holds ``per_page``, and the first holds the rest, from
    ``per_page`` to twice that less one (fewer only in a shorter list). An article added
    as the newest changes the first page alone, which a touch-up renders and a deploy
    uploads, where pages counted from the newest would all shift. An empty list still
    has one (empty) page.
    """
    urls = [p.url for p in placed]
    first = len(urls) - max(len(urls) // per_page - 1, 0) * per_page
    older = (tuple(urls[i : i + per_page]) for i in range(first, len(urls), per_page))
    return (tuple(urls[:first]), *older)


def source_listings(articles: Sequence[Placement], config: Config) -> list[Listing]:
    """One listing per source folder, sorted by folder name."""
    by_source: dict[str, list[Placement]] = {}
    for placed in articles:
        by_source.setdefault(placed.source, []).append(placed)
    return [
        Listing(
            key=f"source:{name}",
            title=config.source_title(name) if name else "Unsorted",
            base_url=f"sources/{source_slug(name) if name else 'unsorted'}/",
            pages=paginate(pages, config.per_page),
        )
        for name, pages in sorted(by_source.items())
    ]


def listing(
    key: str, title: str, base_url: str, pages: Sequence[Placement], config: Config
) -> Listing:
    """One paginated listing."""
    return Listing(key=key, title=title, base_url=base_url, pages=paginate(pages, config.per_page))


def tag_groups(articles: Sequence[Placement]) -> dict[str, tuple[str, list[Placement]]]:
    """Tag slug -> (display name, articles); spellings sharing a slug merge, the smallest shows."""
    groups: dict[str, tuple[str, list[Placement]]] = {}
    for page in articles:
        for tag in page.tags:
            slug = slugify(tag)
            name, pages = groups.get(slug, (tag, []))
            if not pages or pages[-1] is not page:
                pages.append(page)
            groups[slug] = (min(name, tag), pages)
    return groups


def tag_listings(articles: Sequence[Placement], config: Config) -> list[Listing]:
    """One listing per tag, sorted by address."""
    groups = tag_groups(articles)
    return [
        listing(f"tag:{slug}", name, f"tags/{slug}/", pages, config)
        for slug, (name, pages) in sorted(groups.items())
    ]


def article_month(placed: Placement) -> str:
    """``YYYY-MM`` of the article's date (published, else archived); ``0000-00`` if none."""
    return month_of(placed.date or placed.archived)


def month_of(iso: str) -> str:
    """``YYYY-MM`` of an ISO date; ``0000-00`` if it is none."""
    day = parse_iso_date(iso)
    return f"{day.year:04d}-{day.month:02d}" if day else "0000-00"


def grouped(
    articles: Sequence[Placement], key: Callable[[Placement], str]
) -> dict[str, list[Placement]]:
    """Articles by ``key``, each group keeping the newest-first order."""
    groups: dict[str, list[Placement]] = {}
    for page in articles:
        groups.setdefault(key(page), []).append(page)
    return groups


def date_listings(articles: Sequence[Placement], config: Config) -> list[Listing]:
    """One listing per year, newest first, each followed by its months, newest first."""
    result = []
    known: dict[str, str] = {}  # by date: articles share dates, and parsing one is slower
    years: dict[str, list[Placement]] = {}
    months: dict[str, list[Placement]] = {}
    for page in articles:
        when = page.date or page.archived
        month = known.get(when) or known.setdefault(when, month_of(when))
        years.setdefault(month[:4], []).append(page)
        months.setdefault(month, []).append(page)
    for year in sorted(years, reverse=True):
        result.append(listing(f"year:{year}", year, f"years/{year}/", years[year], config))
        for month in sorted((m for m in months if m[:4] == year), reverse=True):
            url = f"years/{year}/{month[5:]}/"
            result.append(listing(f"month:{month}", month, url, months[month], config))
    return result


def language_listings(articles: Sequence[Placement], config: Config) -> list[Listing]:
    """One listing per article language, by code."""
    langs = grouped(articles, lambda p: p.lang or config.language)
    return [
        listing(f"lang:{code}", code, f"languages/{slugify(code)}/", langs[code], config)
        for code in sorted(langs)
    ]


def listings_of(site: Site, kind: str) -> list[Listing]:
    """The listings of one kind (``source``, ``tag``, ``year``, ``month``, ``lang``)."""
    return [lst for lst in site.listings if lst.key.split(":", 1)[0] == kind]


def assemble_site(
    documents: Sequence[Document], config: Config, memo: SiteMemo | None = None
) -> Site:
    """Everything the renderer needs, decided before any file is written.

    ``memo`` is a session's: what earlier assemblies worked out for unchanged documents.
    When no document's layout facts changed, the last site's addresses, order and listings
    hold, and only the pages of changed documents are made again.
    """
    published = [d for d in documents if config.drafts or not d.draft]
    if memo is None:
        return site_of(placed_pages(published, document_urls(published), None), config)
    layout = layout_of(documents, config)
    if memo.layout is not None and memo.layout[0] == layout:
        _, urls, last = memo.layout
        by_url = {page.url: page for page in placed_pages(published, urls, memo)}
        articles = tuple(by_url[page.url] for page in last.articles)
        site = replace(last, articles=articles, pages=tuple(by_url[p.url] for p in last.pages))
    else:
        urls = document_urls(published, memo)
        site = replace(site_of(placed_pages(published, urls, memo), config), layout=layout)
    memo.layout = (layout, urls, site)
    return site


def site_of(placed: Sequence[Page], config: Config) -> Site:
    """The site of these placed pages: order and listings."""
    articles = {page.url: page for page in placed if page.document.is_article}
    arranged = arrangement(list(map(page_placement, articles.values())), config)
    pages = tuple(sorted((p for p in placed if not p.document.is_article), key=lambda p: p.url))
    return Site(
        articles=tuple(articles[url] for url in arranged.order),
        pages=pages,
        listings=arranged.listings,
        sources=arranged.sources,
    )


class Arrangement(NamedTuple):
    """The articles' order (addresses, newest first), listings and source counts."""

    order: list[str]
    listings: tuple[Listing, ...]
    sources: tuple[tuple[str, int], ...]


def arrangement(placed: Sequence[Placement], config: Config) -> Arrangement:
    """How articles placed so are ordered and listed."""
    articles = newest_first(placed)
    home = Listing("home", config.title, "", paginate(articles, config.per_page))
    sources = source_listings(articles, config)
    counts = tuple((lst.key.split(":", 1)[1], sum(map(len, lst.pages))) for lst in sources)
    listings = (
        home,
        *sources,
        *tag_listings(articles, config),
        *date_listings(articles, config),
        *language_listings(articles, config),
    )
    return Arrangement([p.url for p in articles], listings, counts)
