"""Assemble documents into a Site: addresses, order, listings. Nothing is written here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from generator.config import Config
from generator.model import Document, Listing, Page, Site
from generator.reading import blocks_text, count_words, reading_minutes
from generator.slug import slugify, unique_slugs

RESERVED_TOP = frozenset({"page", "sources", "static", "tags", "feeds", "pagefind", "404"})
"""Top-level names the site itself uses; a source or page with one of them gets a suffix."""
HASH_LIKE = re.compile(r"^[\W\d_]*([0-9a-f]{8,}|[\W\d_]*)$", re.IGNORECASE)


def wanted_slug(document: Document) -> str:
    """The slug a document asks for: front matter, else a readable file name, else its title."""
    if document.slug_hint:
        return slugify(document.slug_hint)
    stem = re.sub(r"^\d+[_\-\s]+", "", PurePosixPath(document.source_file.rel).stem)
    readable = not HASH_LIKE.match(stem) and re.search(r"[^\W\d_]{3}", stem)
    return slugify(stem if readable else document.title)


def source_slug(source: str) -> str:
    """The address part of a source folder."""
    slug = slugify(source)
    return f"{slug}-source" if slug in RESERVED_TOP else slug


def document_urls(documents: Sequence[Document]) -> list[str]:
    """Site-relative addresses, unique, each depending only on its own file and clashes."""
    folders = [source_slug(d.source_file.source) if d.source_file.source else "" for d in documents]
    wanted = []
    for folder, document in zip(folders, documents, strict=True):
        slug = wanted_slug(document)
        if not folder and slug in RESERVED_TOP:
            slug = f"{slug}-page"
        wanted.append(f"{folder}/{slug}" if folder else slug)
    ids = [d.source_file.rel for d in documents]
    return [f"{url}/" for url in unique_slugs(wanted, ids)]


def newest_first(pages: Sequence[Page]) -> list[Page]:
    """Newest first by published (else archived) date; equal dates in path order."""
    by_path = sorted(pages, key=lambda page: page.document.source_file.rel)
    return sorted(
        by_path, key=lambda p: (p.document.date or p.document.archived)[:19], reverse=True
    )


def make_page(document: Document, url: str) -> Page:
    """Place one document at its address, with its reading facts."""
    text = blocks_text(document.blocks) if document.is_article else strip_tags(document.html)
    return Page(
        document=document,
        url=url,
        word_count=count_words(text),
        reading_minutes=reading_minutes(text, document.lang),
    )


def strip_tags(html: str) -> str:
    """Text of rendered Markdown, for counting words."""
    return re.sub(r"<[^>]+>", " ", html)


def paginate(pages: Sequence[Page], per_page: int) -> tuple[tuple[Page, ...], ...]:
    """Split into pages of ``per_page``; an empty list still has one (empty) page."""
    chunks = tuple(tuple(pages[i : i + per_page]) for i in range(0, len(pages), per_page))
    return chunks or ((),)


def source_listings(articles: Sequence[Page], config: Config) -> list[Listing]:
    """One listing per source folder, sorted by folder name."""
    by_source: dict[str, list[Page]] = {}
    for page in articles:
        by_source.setdefault(page.document.source_file.source, []).append(page)
    return [
        Listing(
            key=f"source:{name}",
            title=config.source_title(name) if name else "Unsorted",
            base_url=f"sources/{source_slug(name) if name else 'unsorted'}/",
            pages=paginate(pages, config.per_page),
        )
        for name, pages in sorted(by_source.items())
    ]


def assemble_site(documents: Sequence[Document], config: Config) -> Site:
    """Everything the renderer needs, decided before any file is written."""
    published = [d for d in documents if config.drafts or not d.draft]
    placed = [make_page(d, url) for d, url in zip(published, document_urls(published), strict=True)]
    articles = newest_first([p for p in placed if p.document.is_article])
    pages = tuple(sorted((p for p in placed if not p.document.is_article), key=lambda p: p.url))
    home = Listing("home", config.title, "", paginate(articles, config.per_page))
    sources = source_listings(articles, config)
    counts = tuple((lst.key.split(":", 1)[1], sum(map(len, lst.pages))) for lst in sources)
    return Site(
        articles=tuple(articles),
        pages=pages,
        listings=(home, *sources),
        sources=counts,
    )
