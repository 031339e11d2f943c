"""Atom feeds: the whole archive, each source and each tag, newest articles first.

Entry and feed ids are ``urn:uuid:`` names derived from site paths, so they stay the same
whether or not ``base_url`` is set. Links are absolute with ``base_url``; without it they
are relative to the feed file, which Atom allows (they resolve against the feed's address).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from generator import __version__
from generator.model import Block
from generator.views import ArticleView

if TYPE_CHECKING:
    import uuid

FEED_NAME = "feed.xml"
FEED_SIZE = 20
"""Newest articles listed in each feed."""
EPOCH = "1970-01-01T00:00:00Z"
ID_NAMESPACE_URL = "https://gleanery.invalid/"
"""The URL whose ``uuid5`` is the namespace of the name-based ids (never fetched: it only
makes the ids Gleanery's own)."""
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 forbids; one (e.g. from a TOML escape in a title) breaks the feed."""


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed to write: where, what it is called, which listing page it mirrors."""

    path: str
    """Site path of the feed file, e.g. ``tags/energy/feed.xml``."""
    title: str
    listing_url: str
    """Site path of the HTML listing the feed mirrors (ends with "/" or is "")."""
    entries: tuple[ArticleView, ...]
    lang: str


def feed_path(listing_url: str) -> str:
    """The feed of a listing sits in the listing's folder."""
    return f"{listing_url}{FEED_NAME}"


@functools.cache
def id_namespace() -> uuid.UUID:
    """The namespace of the name-based ids."""
    import uuid  # here: builds that render no feed skip the import (it loads ``platform``)

    return uuid.uuid5(uuid.NAMESPACE_URL, ID_NAMESPACE_URL)


def name_id(path: str) -> str:
    """A stable ``urn:uuid:`` id for a site path."""
    import uuid

    return f"urn:uuid:{uuid.uuid5(id_namespace(), path)}"


def rfc3339(iso: str | None) -> str | None:
    """An ISO date or date-time as an Atom timestamp (UTC when no offset is given)."""
    if not iso:
        return None
    try:
        value = dt.datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def href(site_path: str, feed: Feed, base_url: str | None) -> str:
    """A link to ``site_path`` as written inside ``feed``."""
    if base_url:
        return f"{base_url}{site_path}"
    return "../" * feed.path.count("/") + site_path


def block_html(block: Block) -> str:
    """One body block as plain escaped HTML, for feed readers."""
    if block.kind == "heading":
        level = min(max(block.level, 2), 4)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in block.text.split("\n\n") if p.strip())
    return f"<blockquote>{paragraphs}</blockquote>" if block.kind == "quote" else paragraphs


def link_xml(rel: str, url: str, kind: str = "") -> str:
    """A ``<link>`` element."""
    typed = f' type="{kind}"' if kind else ""
    return f'<link rel="{rel}"{typed} href="{escape(url)}"/>'


def entry_updated(view: ArticleView) -> str:
    """When an entry last changed: its archived date, else its published date."""
    return rfc3339(view.archived) or rfc3339(view.date) or EPOCH


def entry_xml(view: ArticleView, feed: Feed, base_url: str | None) -> str:
    """One ``<entry>``."""
    lines = [
        f'<entry xml:lang="{escape(view.lang)}">',
        f"<title>{escape(view.title)}</title>",
        f"<id>{name_id(view.url)}</id>",
        link_xml("alternate", href(view.url, feed, base_url) + "index.html", "text/html"),
    ]
    if view.original_url:
        lines.append(link_xml("via", view.original_url))
    published = rfc3339(view.date)
    if published:
        lines.append(f"<published>{published}</published>")
    lines.append(f"<updated>{max(entry_updated(view), published or EPOCH)}</updated>")
    if view.author:
        lines.append(f"<author><name>{escape(view.author)}</name></author>")
    lines += [f'<category term="{escape(tag.name)}"/>' for tag in view.tag_links]
    lines.append(f"<summary>{escape(view.excerpt)}</summary>")
    body = "".join(block_html(block) for block in view.blocks)
    lines.append(f'<content type="html">{escape(body)}</content>')
    lines.append("</entry>")
    return "\n".join(lines)


def feed_xml(feed: Feed, site_title: str, base_url: str | None) -> bytes:
    """A complete Atom document."""
    updated = max((entry_updated(v) for v in feed.entries), default=EPOCH)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(feed.lang)}">',
        f"<title>{escape(feed.title)}</title>",
        f"<id>{name_id(feed.path)}</id>",
        f"<updated>{updated}</updated>",
        f"<author><name>{escape(site_title)}</name></author>",
        link_xml("self", href(feed.path, feed, base_url), "application/atom+xml"),
        link_xml("alternate", href(feed.listing_url, feed, base_url) + "index.html", "text/html"),
        f'<generator version="{__version__}">Gleanery</generator>',
    ]
    entries = [entry_xml(view, feed, base_url) for view in feed.entries]
    return NOT_XML.sub("", "\n".join([*head, *entries, "</feed>", ""])).encode("utf-8")


def make_feed(listing_url: str, title: str, views: Sequence[ArticleView], lang: str) -> Feed:
    """The feed of one listing: its newest FEED_SIZE articles."""
    return Feed(feed_path(listing_url), title, listing_url, tuple(views[:FEED_SIZE]), lang)
