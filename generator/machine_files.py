"""Files for machines: ``sitemap.xml``, ``robots.txt`` and ``index.json``.

A sitemap must list absolute URLs, so it is written only when ``base_url`` is set;
without it there is no address to give, and ``robots.txt`` names no sitemap.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from generator import __version__
from generator.views import ArticleView

NOT_IN_SITEMAP = ("404.html", "search/index.html")


def sitemap_urls(html_paths: Sequence[str], base_url: str) -> list[str]:
    """Absolute pretty URLs of every page worth listing, sorted."""
    urls = []
    for path in sorted(html_paths):
        if path in NOT_IN_SITEMAP or not path.endswith("index.html"):
            continue
        urls.append(f"{base_url}{path.removesuffix('index.html')}")
    return urls


def sitemap_xml(html_paths: Sequence[str], base_url: str, lastmod: dict[str, str]) -> bytes:
    """A sitemap of the site's pages; articles carry their archived date."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in sitemap_urls(html_paths, base_url):
        modified = lastmod.get(url.removeprefix(base_url), "")
        when = f"<lastmod>{modified}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{escape(url)}</loc>{when}</url>")
    lines += ["</urlset>", ""]
    return "\n".join(lines).encode("utf-8")


def robots_txt(base_url: str | None) -> bytes:
    """Allow everything; point at the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def article_record(view: ArticleView) -> dict[str, object]:
    """The metadata of one article, as index.json lists it."""
    return {
        "title": view.title,
        "url": f"{view.url}index.html",
        "text_url": view.text_url,
        "markdown_url": view.markdown_url,
        "source": view.source,
        "source_title": view.source_title,
        "site_name": view.site_name,
        "original_url": view.original_url,
        "author": view.author,
        "published": view.date,
        "archived": view.archived,
        "lang": view.lang,
        "tags": [tag.name for tag in view.tag_links],
        "word_count": view.word_count,
        "reading_minutes": list(view.reading_minutes),
        "excerpt": view.excerpt,
    }


@dataclass
class RecordMemo:
    """The views of the last index.json, in order, and their encoded records."""

    views: list[ArticleView] = field(default_factory=list)
    records: list[bytes] = field(default_factory=list)

    def encoded(self, views: Sequence[ArticleView]) -> list[bytes]:
        """The encoded record of each view; a view that is the same object at the same
        place as in the last call keeps its record."""
        same_length = len(self.views) == len(views)
        encoded = [
            record if view is old else encoded_record(view)
            for view, old, record in zip(
                views,
                self.views if same_length else [None] * len(views),
                self.records if same_length else [b""] * len(views),
                strict=True,
            )
        ]
        self.views, self.records = list(views), encoded
        return encoded


INDEX_OPENING = b"[\n"
INDEX_SEPARATOR = b",\n"
INDEX_CLOSING = b"\n]}\n"


def index_from_records(records: Iterable[bytes], site_title: str) -> bytes:
    """index.json: the site's head, then each article's encoded record on its own line.

    Each record is encoded on its own (an indented dump goes through the pure-Python
    encoder, several times slower on a large archive), which also lets a touch-up build
    take the records of unchanged articles back out of the file (``index_records``).
    They are written one by one into the file's bytes, so a build need not hold them
    all as well (33 MB at 50,000 dumps): ``getvalue`` hands over the buffer uncopied.
    """
    head = json.dumps(
        {"generator": f"Gleanery {__version__}", "title": site_title}, ensure_ascii=False
    )
    made = io.BytesIO()
    made.write(f'{head[:-1]}, "articles": '.encode())
    separator = INDEX_OPENING
    for record in records:
        made.write(separator)
        made.write(record)
        separator = INDEX_SEPARATOR
    made.write(INDEX_CLOSING if separator is INDEX_SEPARATOR else b"[]}\n")
    return made.getvalue()


def index_records(data: bytes) -> list[bytes] | None:
    """The encoded records of an index.json written by ``index_from_records`` (None when
    it is not one: then they must be encoded again)."""
    start = data.find(INDEX_OPENING)
    if start < 0 or not data.endswith(INDEX_CLOSING):
        return None
    body = data[start + len(INDEX_OPENING) : -len(INDEX_CLOSING)]
    return body.split(INDEX_SEPARATOR)


def encoded_record(view: ArticleView) -> bytes:
    """One article's index.json record, encoded (on one line: JSON escapes line breaks)."""
    return json.dumps(article_record(view), ensure_ascii=False).encode()
