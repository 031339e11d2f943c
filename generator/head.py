"""What goes in a page's ``<head>`` besides the title: feed links, Open Graph, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.views import ArticleView

SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
"""Characters escaped inside JSON in a script element, so text can never end the element."""


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    url: str
    """Site path of the feed file."""


@dataclass(frozen=True, slots=True)
class HeadMeta:
    """Head data of one page (templates read it as ``meta``)."""

    og_type: str
    """``article`` for articles, ``website`` for everything else."""
    title: str
    feeds: list[FeedLink] = field(default_factory=list)
    published: str | None = None
    tags: list[str] = field(default_factory=list)
    json_ld: Markup | None = None
    """Ready-to-insert JSON for a ``<script type="application/ld+json">`` element."""


@dataclass(frozen=True, slots=True)
class ArchiveNav:
    """Which archive-wide pages exist, for the navigation (templates read it as ``archive``)."""

    search: bool
    tags: bool
    years: bool
    languages: bool


def script_json(data: object) -> Markup:
    """JSON safe to place inside a script element: ``<``, ``>`` and ``&`` are escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    for char, escaped in SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return Markup(text)  # every character that could close the element is escaped above


def article_ld(view: ArticleView, site_title: str, canonical: str | None) -> dict[str, object]:
    """schema.org ``Article`` data for one article."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": view.title,
        "inLanguage": view.lang,
        "wordCount": view.word_count,
        "description": view.excerpt,
        "keywords": [tag.name for tag in view.tag_links],
        "isPartOf": {"@type": "WebSite", "name": site_title},
        "publisher": {"@type": "Organization", "name": view.site_name or view.source_title},
    }
    optional = {
        "url": canonical,
        "isBasedOn": view.original_url,
        "datePublished": view.date,
        "author": {"@type": "Person", "name": view.author} if view.author else None,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def article_meta(
    view: ArticleView, site_title: str, canonical: str | None, feeds: list[FeedLink]
) -> HeadMeta:
    """Head data of an article page."""
    return HeadMeta(
        og_type="article",
        title=view.title,
        feeds=feeds,
        published=view.date,
        tags=[tag.name for tag in view.tag_links],
        json_ld=script_json(article_ld(view, site_title, canonical)),
    )
