"""Site + theme -> [(path, bytes)]: every output file rendered in memory, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator import __version__
from generator.config import Config
from generator.model import Listing, Site
from generator.theme import Theme, render_template, static_files
from generator.views import (
    ListingView,
    PageLink,
    SiteView,
    SourceLink,
    article_view,
    page_view,
)

OutputFile = tuple[str, bytes]


def root_of(url: str) -> str:
    """The relative prefix from a page at ``url`` back to the site root."""
    return "../" * url.count("/")


def page_url(listing: Listing, number: int) -> str:
    """The address of page ``number`` (1-based) of a listing."""
    return listing.base_url if number == 1 else f"{listing.base_url}page/{number}/"


class Renderer:
    """Renders one assembled site with one theme; holds only read-only inputs."""

    def __init__(self, site: Site, config: Config, theme: Theme) -> None:
        self.site = site
        self.config = config
        self.theme = theme
        self.listings = {listing.key: listing for listing in site.listings}
        self.site_view = SiteView(
            config.title, config.description, config.language, config.base_url
        )
        self.nav_pages = [PageLink(p.document.title, p.url) for p in site.pages]
        self.source_links = [
            SourceLink(
                name,
                self.listings[f"source:{name}"].title,
                self.listings[f"source:{name}"].base_url,
                count,
            )
            for name, count in site.sources
        ]
        self.article_views = [article_view(p, config, self.listings) for p in site.articles]

    def context(self, url: str, title: str, lang: str, description: str) -> dict[str, Any]:
        """Variables every template receives."""
        page_title = (
            self.config.title if title == self.config.title else (f"{title} · {self.config.title}")
        )
        base = self.config.base_url
        return {
            "site": self.site_view,
            "root": root_of(url),
            "page_title": page_title,
            "page_lang": lang,
            "page_description": description or self.config.description,
            "canonical_url": f"{base}{url}" if base else None,
            "nav_pages": self.nav_pages,
            "sources": self.source_links,
            "generator_version": __version__,
        }

    def html(self, template: str, url: str, context: dict[str, Any]) -> OutputFile:
        """Render one template to the page at ``url``."""
        text = render_template(self.theme, template, context)
        path = f"{url}index.html" if url.endswith("/") or not url else url
        return path, text.encode("utf-8")

    def articles(self) -> Iterator[OutputFile]:
        views = self.article_views
        for index, view in enumerate(views):
            context = self.context(view.url, view.title, view.lang, view.excerpt)
            context["article"] = view
            context["prev"] = views[index - 1] if index > 0 else None
            context["next"] = views[index + 1] if index + 1 < len(views) else None
            yield self.html("article.html", view.url, context)

    def pages(self) -> Iterator[OutputFile]:
        for page in self.site.pages:
            view = page_view(page, self.config)
            context = self.context(view.url, view.title, view.lang, "")
            context["page"] = view
            yield self.html("page.html", view.url, context)

    def listing(self, listing: Listing) -> Iterator[OutputFile]:
        views = {v.url: v for v in self.article_views}
        total = sum(map(len, listing.pages))
        count = len(listing.pages)
        kind = listing.key.split(":", 1)[0]
        for number, chunk in enumerate(listing.pages, start=1):
            url = page_url(listing, number)
            view = ListingView(
                title=listing.title,
                kind=kind,
                items=[views[p.url] for p in chunk],
                page_number=number,
                page_count=count,
                prev_url=page_url(listing, number - 1) if number > 1 else None,
                next_url=page_url(listing, number + 1) if number < count else None,
                total=total,
            )
            context = self.context(url, listing.title, self.config.language, "")
            context["listing"] = view
            yield self.html("list.html", url, context)

    def overview(self) -> Iterator[OutputFile]:
        context = self.context("sources/", "Sources", self.config.language, "")
        yield self.html("sources.html", "sources/", context)
        yield self.html(
            "404.html", "404.html", self.context("", "Not found", self.config.language, "")
        )

    def all_files(self) -> list[OutputFile]:
        """Every output file of the site, sorted by path."""
        files: list[OutputFile] = [*self.articles(), *self.pages(), *self.overview()]
        for listing in self.site.listings:
            files.extend(self.listing(listing))
        files.extend(static_files(self.theme))
        return sorted(files)


def render_site(site: Site, config: Config, theme: Theme) -> list[OutputFile]:
    """All output files of ``site`` as (relative path, bytes), sorted by path."""
    return Renderer(site, config, theme).all_files()

