"""Site + theme -> [(path, bytes)]: every output file rendered in memory, nothing written."""

from __future__ import annotations

import hashlib
import itertools
import pickle
from collections.abc import Iterator
from typing import Any

from generator import __version__
from generator.config import Config
from generator.dates import MONTHS, primary_language
from generator.feeds import Feed, feed_xml, make_feed
from generator.head import ArchiveNav, FeedLink, HeadMeta, article_meta
from generator.machine_files import machine_files
from generator.model import Listing, Site
from generator.related import related_urls
from generator.site import listings_of
from generator.theme import Theme, render_template, static_files
from generator.twins import twin_files
from generator.views import (
    ArticleView,
    ListingView,
    PageLink,
    SiteView,
    SourceLink,
    YearLink,
    article_view,
    page_view,
    with_related,
)

OutputFile = tuple[str, bytes]


class RenderMemo:
    """Pages a long-running session rendered before, by a digest of what made them.

    A page whose template and context are the same as last time is not rendered again.
    The digest comes from pickling the context (frozen dataclasses and plain data), so an
    object that cannot be pickled only costs a miss, never a stale page. ``salt``
    stands for everything outside the context (theme files, config, code): a new salt
    empties the memo.
    """

    def __init__(self) -> None:
        self.salt = ""
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.hits = 0
        self.counter = itertools.count()

    def start(self, salt: str) -> None:
        """Begin a build; forget everything when the salt changed."""
        if salt != self.salt:
            self.salt, self.pages = salt, {}
        self.hits = 0

    def key(self, template: str, context: dict[str, Any]) -> str:
        """The digest of one page's inputs (pickled: several times faster than dataclass
        repr; stable within the one process that holds the memo)."""
        try:
            data = pickle.dumps((template, context), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return f"unkeyable-{next(self.counter)}"
        return hashlib.blake2b(data, digest_size=20).hexdigest()


def root_of(url: str) -> str:
    """The relative prefix from a page at ``url`` back to the site root."""
    return "../" * url.count("/")


def listing_count(listing: Listing) -> int:
    """Articles in a whole listing."""
    return sum(map(len, listing.pages))


def count_link(listing: Listing, title: str) -> SourceLink:
    """An overview entry: a listing's name, display title, address and size."""
    name = listing.key.split(":", 1)[1] if ":" in listing.key else listing.key
    return SourceLink(name, title, listing.base_url, listing_count(listing))


def page_url(listing: Listing, number: int) -> str:
    """The address of page ``number`` (1-based) of a listing."""
    return listing.base_url if number == 1 else f"{listing.base_url}page/{number}/"


class Renderer:
    """Renders one assembled site with one theme; holds only read-only inputs."""

    def __init__(
        self, site: Site, config: Config, theme: Theme, memo: RenderMemo | None = None
    ) -> None:
        self.memo = memo
        self.site = site
        self.config = config
        self.theme = theme
        self.t = theme.messages.t
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
        views = [article_view(p, config, self.listings) for p in site.articles]
        self.article_views = with_related(views, related_urls(site.articles))
        self.views_by_url = {view.url: view for view in self.article_views}
        self.archive_nav = ArchiveNav(
            search=config.search,
            tags=bool(listings_of(site, "tag")),
            years=bool(listings_of(site, "year")),
            languages=bool(listings_of(site, "lang")),
        )
        self.site_feed = FeedLink(config.title, "feed.xml")

    def listing_title(self, listing: Listing) -> str:
        """The heading of a listing, in the interface language."""
        kind, _, name = listing.key.partition(":")
        if kind == "tag":
            return self.t("tag_title", name=listing.title)
        if kind == "year":
            return self.t("year_title", year=name)
        if kind == "month":
            months = MONTHS.get(primary_language(self.config.language), MONTHS["en"])
            month = months[int(name[5:]) - 1] if name[5:].isdigit() and name[5:] != "00" else ""
            return self.t("month_title", month=month, year=name[:4])
        if kind == "lang":
            return self.t("language_title", name=self.theme.messages.language_name(name))
        return listing.title

    def listing_feeds(self, listing: Listing) -> list[FeedLink]:
        """Feeds offered on a listing page: the archive's, plus the listing's own."""
        if listing.key.split(":", 1)[0] in ("source", "tag"):
            own = FeedLink(self.listing_title(listing), f"{listing.base_url}feed.xml")
            return [self.site_feed, own]
        return [self.site_feed]

    def context(
        self,
        url: str,
        title: str,
        lang: str,
        description: str,
        meta: HeadMeta | None = None,
    ) -> dict[str, Any]:
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
            "meta": meta or HeadMeta("website", title, [self.site_feed]),
            "archive": self.archive_nav,
        }

    def html(self, template: str, url: str, context: dict[str, Any]) -> OutputFile:
        """Render one template to the page at ``url`` (or reuse the memo's copy)."""
        path = f"{url}index.html" if url.endswith("/") or not url else url
        if self.memo is None:
            return path, render_template(self.theme, template, context).encode("utf-8")
        key = self.memo.key(template, context)
        known = self.memo.pages.get(path)
        if known is not None and known[0] == key:
            self.memo.hits += 1
            return path, known[1]
        data = render_template(self.theme, template, context).encode("utf-8")
        self.memo.pages[path] = (key, data)
        return path, data

    def article_feeds(self, view: ArticleView) -> list[FeedLink]:
        """The archive feed and the article's source feed."""
        source = self.listings[f"source:{view.source}"]
        return [self.site_feed, FeedLink(source.title, f"{source.base_url}feed.xml")]

    def articles(self) -> Iterator[OutputFile]:
        views = self.article_views
        base = self.config.base_url
        for index, view in enumerate(views):
            canonical = f"{base}{view.url}" if base else None
            meta = article_meta(view, self.config.title, canonical, self.article_feeds(view))
            context = self.context(view.url, view.title, view.lang, view.excerpt, meta)
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
        total = listing_count(listing)
        count = len(listing.pages)
        kind = listing.key.split(":", 1)[0]
        title = self.listing_title(listing)
        meta = HeadMeta("website", title, self.listing_feeds(listing))
        for number, chunk in enumerate(listing.pages, start=1):
            url = page_url(listing, number)
            view = ListingView(
                title=title,
                kind=kind,
                items=[self.views_by_url[p.url] for p in chunk],
                page_number=number,
                page_count=count,
                prev_url=page_url(listing, number - 1) if number > 1 else None,
                next_url=page_url(listing, number + 1) if number < count else None,
                total=total,
            )
            context = self.context(url, title, self.config.language, "", meta)
            context["listing"] = view
            yield self.html("list.html", url, context)

    def overview_page(self, template: str, url: str, title: str, **extra: object) -> OutputFile:
        """One overview page (sources, tags, years, languages, search)."""
        context = self.context(url, title, self.config.language, "")
        context.update(extra)
        return self.html(template, url, context)

    def year_links(self) -> list[YearLink]:
        """Every year, newest first, with its months."""
        months = listings_of(self.site, "month")
        return [
            YearLink(
                year.title,
                year.base_url,
                listing_count(year),
                [
                    count_link(month, self.listing_title(month))
                    for month in months
                    if month.key.startswith(f"month:{year.title}-")
                ],
            )
            for year in listings_of(self.site, "year")
        ]

    def overview(self) -> Iterator[OutputFile]:
        yield self.overview_page("sources.html", "sources/", self.t("sources_title"))
        tags = [count_link(lst, lst.title) for lst in listings_of(self.site, "tag")]
        tags.sort(key=lambda link: (link.title.casefold(), link.title))
        yield self.overview_page("tags.html", "tags/", self.t("tags_title"), tags=tags)
        years = self.year_links()
        yield self.overview_page("years.html", "years/", self.t("years_title"), years=years)
        languages = [
            count_link(lst, self.theme.messages.language_name(lst.title))
            for lst in listings_of(self.site, "lang")
        ]
        title = self.t("languages_title")
        yield self.overview_page("languages.html", "languages/", title, languages=languages)
        if self.config.search:
            yield self.overview_page("search.html", "search/", self.t("search_title"))
        yield self.html(
            "404.html",
            "404.html",
            self.context("", self.t("not_found_title"), self.config.language, ""),
        )

    def feeds(self) -> list[Feed]:
        """The archive feed, then one per source and per tag."""
        feeds = [make_feed("", self.config.title, self.article_views, self.config.language)]
        for listing in [*listings_of(self.site, "source"), *listings_of(self.site, "tag")]:
            views = [self.views_by_url[p.url] for chunk in listing.pages for p in chunk]
            title = f"{self.listing_title(listing)} · {self.config.title}"
            feeds.append(make_feed(listing.base_url, title, views, self.config.language))
        return feeds

    def data_files(self, html_paths: list[str]) -> list[OutputFile]:
        """Feeds, twins, robots.txt, index.json and sitemap.xml."""
        base = self.config.base_url
        files = [(f.path, feed_xml(f, self.config.title, base)) for f in self.feeds()]
        files += twin_files(self.article_views)
        files += machine_files(self.article_views, html_paths, self.config.title, base)
        return files

    def all_files(self) -> list[OutputFile]:
        """Every output file of the site, sorted by path."""
        files: list[OutputFile] = [*self.articles(), *self.pages(), *self.overview()]
        for listing in self.site.listings:
            files.extend(self.listing(listing))
        files.extend(self.data_files([path for path, _ in files]))
        files.extend(static_files(self.theme))
        return sorted(files)


def render_site(
    site: Site, config: Config, theme: Theme, memo: RenderMemo | None = None
) -> list[OutputFile]:
    """All output files of ``site`` as (relative path, bytes), sorted by path."""
    return Renderer(site, config, theme, memo).all_files()
