"""Site + theme -> a plan of output files: each with its path, its key and how to render it.

Nothing is rendered until a file's bytes are asked for, and nothing is written here.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from itertools import chain, islice
from typing import Any

from generator import __version__
from generator.config import Config
from generator.dates import MONTHS, machine_date, primary_language
from generator.feeds import FEED_SIZE, feed_xml, make_feed
from generator.head import ArchiveNav, FeedLink, HeadMeta, article_meta
from generator.machine_files import encoded_record, index_from_records, robots_txt, sitemap_xml
from generator.model import Listing, Page, Site
from generator.related import related_urls
from generator.render_memo import (
    ArticleFile,
    RenderMemo,
    ViewMemo,
    digest_of,
    document_key,
    own_key,
)
from generator.site import listings_of, page_placement
from generator.stage import Planned
from generator.theme import Theme, render_template, static_files
from generator.twins import markdown_twin, text_twin
from generator.views import (
    ArticleView,
    ListingView,
    NavSource,
    PageLink,
    PageView,
    RelatedLink,
    SiteView,
    SourceLink,
    YearLink,
    article_view,
    markdown_twin_path,
    page_view,
    related_link,
    text_twin_path,
)

FEEDS = ("source", "tag")
"""The kinds of listing with a feed of their own (sources before tags, as listed)."""


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


@dataclass(frozen=True, slots=True)
class ArticleTable:
    """The articles as the renderer needs them: order, full views and keys, by address."""

    order: list[str]
    """Addresses, newest first."""
    views: Mapping[str, ArticleView]
    """Each article's full view (with its related links)."""
    view_keys: dict[str, str]
    """Per article, everything it shows anywhere."""
    own_keys: dict[str, str]
    """Per article, what its text twins show: the document and the view but related."""


def page_url(listing: Listing, position: int) -> str:
    """The address of a listing's page at ``position`` (1-based, newest first): the first
    at the listing's own address, the others at ``page/N/``, N counted from the oldest."""
    if position == 1:
        return listing.base_url
    return f"{listing.base_url}page/{len(listing.pages) - position + 1}/"


def page_position(listing: Listing, url: str) -> int:
    """The position (1-based, newest first) of the listing's page at ``url``."""
    if url == listing.base_url:
        return 1
    number = url.removeprefix(f"{listing.base_url}page/").removesuffix("/")
    return len(listing.pages) - int(number) + 1


def page_links(listing: Listing, position: int) -> tuple[str, str | None, str | None]:
    """The address of a listing's page at ``position`` (1-based, newest first), and those
    of the pages of newer and older articles (None past either end)."""
    newer = page_url(listing, position - 1) if position > 1 else None
    older = page_url(listing, position + 1) if position < len(listing.pages) else None
    return page_url(listing, position), newer, older


def placed_date(view: ArticleView) -> str:
    """The date an article is listed by: published, else archived."""
    return view.date or view.archived


class Renderer:
    """Renders one assembled site with one theme; holds only read-only inputs."""

    def __init__(
        self,
        site: Site,
        config: Config,
        theme: Theme,
        salt: str = "",
        memo: RenderMemo | None = None,
        *,
        articles: ArticleTable | None = None,
        nav: list[PageLink] | None = None,
    ) -> None:
        """``articles`` and ``nav``, when given, stand for what would be worked out from the
        site's articles and pages (a touch-up build has neither: see ``touchup``)."""
        self.site = site
        self.salt = salt
        self.memo = memo if memo is not None else RenderMemo(salt)
        self.memo.renderer = self
        self.keeps = memo is not None
        """Whether the memo keeps what this renderer worked out for the next one: a
        session's does; a one-shot build's renders nothing again, and keeping the views,
        keys and plan units of every article cost it 12 MB at 10,000 dumps, in every
        rendering process."""
        self.listed: dict[str, tuple[tuple[str | None, ...], Planned]] = {}
        """The listing pages planned by this renderer (the memo's next ``listings``)."""
        self.used_keys: dict[tuple[str | None, ...], str] = {}
        self.config = config
        self.theme = theme
        self.t = theme.messages.t
        self.listings = {listing.key: listing for listing in site.listings}
        self.site_view = SiteView(
            config.title, config.description, config.language, config.base_url
        )
        self.nav_pages = (
            nav if nav is not None else [PageLink(p.document.title, p.url) for p in site.pages]
        )
        self.source_links = [
            SourceLink(
                name,
                self.listings[f"source:{name}"].title,
                self.listings[f"source:{name}"].base_url,
                count,
            )
            for name, count in site.sources
        ]
        self.nav_sources = [
            NavSource(link.name, link.title, link.url) for link in self.source_links
        ]
        """The sources every page receives; their counts go to the sources overview only."""
        table = articles if articles is not None else self.article_table()
        self.order = table.order
        """The articles' addresses, newest first."""
        self.own_keys = table.own_keys
        self.view_keys = table.view_keys
        self.views_by_url = table.views
        self.last_opened: tuple[str, ArticleView] | None = None
        """The article whose body was unpacked last (see ``opened_view``)."""
        self.archive_nav = ArchiveNav(
            search=config.search,
            tags=bool(listings_of(site, "tag")),
            years=bool(listings_of(site, "year")),
            languages=bool(listings_of(site, "lang")),
        )
        self.site_feed = FeedLink(config.title, "feed.xml")
        self.common_key = digest_of(
            salt, self.site_view, self.nav_pages, self.nav_sources, self.archive_nav
        )

    def article_table(self) -> ArticleTable:
        """Every article's views and keys, worked out from the site (and the memo)."""
        site = self.site
        made = [self.own_view(page, self.memo.own) for page in site.articles]
        if self.keeps:
            self.memo.own.clear()
            self.memo.own.update(
                {
                    (document_key(p.document), p.url): m
                    for p, m in zip(site.articles, made, strict=True)
                }
            )
        self.own_keys = {view.url: key for view, key in made}  # full_views reads them
        full = self.full_views([view for view, _ in made])
        return ArticleTable(
            order=[view.url for view, _ in full],
            views={view.url: view for view, _ in full},
            view_keys={view.url: key for view, key in full},
            own_keys=self.own_keys,
        )

    @property
    def article_views(self) -> list[ArticleView]:
        """Every article's full view, newest first."""
        return [self.views_by_url[url] for url in self.order]

    def own_view(self, page: Page, memo: ViewMemo | None) -> tuple[ArticleView, str]:
        """An article's view (without its related list) and its own key, from ``memo``
        when the same document at the same address was viewed with the same salt."""
        known = memo.get((document_key(page.document), page.url)) if memo is not None else None
        if known is None:
            view = article_view(page, self.config, self.listings)
            known = (view, own_key(view, page))
        return known

    def related_lists(self) -> tuple[dict[str, list[str]], bool]:
        """The related articles of every article, and whether they are the memo's: reused
        while the site's layout is the very same object (their links show only layout
        facts: title, address, source, date and language)."""
        known = self.memo.related
        layout = self.site.layout
        if known is not None and layout is not None and known[0] is layout:
            return known[1], True
        related = related_urls(list(map(page_placement, self.site.articles)))
        self.memo.related = (layout, related)
        return related, False

    def full_views(self, own: list[ArticleView]) -> list[tuple[ArticleView, str]]:
        """Each article's view with its related list, and the key of all it shows; the
        memo's when its own view is the same object and its related links are equal."""
        memo = self.memo.full if self.keeps else {}
        related, same_layout = self.related_lists()
        by_url = {view.url: view for view in own}
        shown: dict[str, RelatedLink] = {}  # one link an article, however many list it

        def link_to(url: str) -> RelatedLink:
            found = shown.get(url)
            if found is None:
                found = shown[url] = related_link(by_url[url])
            return found

        result = []
        for view in own:
            known = memo.get(view.url)
            if known is None or known[0] is not view or not same_layout:
                links = [link_to(url) for url in related.get(view.url, ())]
                if known is None or known[0] is not view or known[1].related != links:
                    full = replace(view, related=links)
                    known = (view, full, digest_of(self.own_keys[view.url], links))
                    memo[view.url] = known
            result.append((known[1], known[2]))
        if len(memo) > len(own):
            for gone in memo.keys() - by_url.keys():
                del memo[gone]
        return result

    def combined(self, *parts: str | None) -> str:
        """A key made of other keys, looked up when the same parts were combined before."""
        key = self.memo.keys.get(parts) or self.used_keys.get(parts)
        if key is None:
            key = digest_of(*parts)
        if self.keeps:
            self.used_keys[parts] = key
        return key

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
            "sources": self.nav_sources,
            "generator_version": __version__,
            "meta": meta or HeadMeta("website", title, [self.site_feed]),
            "archive": self.archive_nav,
        }

    def html(
        self, template: str, url: str, key: str, context: Callable[[], dict[str, Any]]
    ) -> Planned:
        """The page at ``url``: ``template`` rendered with the context made on demand."""
        path = f"{url}index.html" if url.endswith("/") or not url else url

        def make() -> bytes:
            return render_template(self.theme, template, context()).encode("utf-8")

        return Planned(path, self.combined(self.common_key, template, url, key), make)

    def article_feeds(self, view: ArticleView) -> list[FeedLink]:
        """The archive feed and the article's source feed."""
        source = self.listings[f"source:{view.source}"]
        return [self.site_feed, FeedLink(source.title, f"{source.base_url}feed.xml")]

    def articles(self) -> list[Planned]:
        """Each article's page and text twins; the memo's when the keys of everything they
        show are the same as when it planned them."""
        urls = self.order
        keys: list[str | None] = [None, *map(self.view_keys.__getitem__, urls), None]
        known, common, own_keys = self.memo.articles, self.common_key, self.own_keys
        planned = {}
        files: list[Planned] = []
        for index, url in enumerate(urls, start=1):
            inputs = (common, keys[index], keys[index - 1], keys[index + 1], own_keys[url])
            unit = known.get(url)
            if unit is None or unit[0] != inputs:
                unit = (inputs, self.article_files(url, inputs))
            if self.keeps:
                planned[url] = unit
            files.extend(unit[1])
        self.memo.articles = planned
        return files

    def article_files(self, url: str, inputs: tuple[str | None, ...]) -> tuple[Planned, ...]:
        """An article's page and its twins, keyed by ``inputs`` (see ``articles``)."""
        common, shown, before, after, own = inputs
        key = self.combined(common, "article.html", url, self.combined(shown, before, after))
        twins = self.combined(self.salt, own)
        memo = self.memo
        return (
            Planned(f"{url}index.html", key, ArticleFile(memo, url)),
            Planned(text_twin_path(url), twins, ArticleFile(memo, url, text_twin)),
            Planned(markdown_twin_path(url), twins, ArticleFile(memo, url, markdown_twin)),
        )

    @cached_property
    def article_index(self) -> dict[str, int]:
        """Each article's position by address."""
        return {url: index for index, url in enumerate(self.order)}

    def article_inputs(self, url: str) -> tuple[str | None, ...]:
        """What an article's files are keyed by: the site's common key, the keys of the
        article and of its two neighbours (their titles show), and its own key."""
        order, keys = self.order, self.view_keys
        index = self.article_index[url]
        before = keys[order[index - 1]] if index > 0 else None
        after = keys[order[index + 1]] if index + 1 < len(order) else None
        return (self.common_key, keys[url], before, after, self.own_keys[url])

    def article_page(self, url: str) -> bytes:
        """The article page at ``url``."""
        order, views = self.order, self.views_by_url
        index = self.article_index[url]
        before = views[order[index - 1]] if index > 0 else None
        after = views[order[index + 1]] if index + 1 < len(order) else None
        context = self.article_context(self.opened_view(url), before, after)
        return render_template(self.theme, "article.html", context).encode("utf-8")

    def opened_view(self, url: str) -> ArticleView:
        """The view of the article at ``url`` with its body unpacked. The last one is kept:
        an article's page and its twins are made one after the other."""
        if self.last_opened is None or self.last_opened[0] != url:
            self.last_opened = (url, self.views_by_url[url].opened())
        return self.last_opened[1]

    def article_context(
        self, view: ArticleView, before: ArticleView | None, after: ArticleView | None
    ) -> dict[str, Any]:
        """What the article template receives."""
        base = self.config.base_url
        canonical = f"{base}{view.url}" if base else None
        meta = article_meta(view, self.config.title, canonical, self.article_feeds(view))
        context = self.context(view.url, view.title, view.lang, view.excerpt, meta)
        context.update(article=view, prev=before, next=after)
        return context

    def pages(self) -> Iterator[Planned]:
        for page in self.site.pages:
            yield self.page_file(page)

    def page_file(self, page: Page) -> Planned:
        """The file of a stand-alone Markdown page."""
        view = page_view(page, self.config)
        key = digest_of(document_key(page.document), page.word_count, page.reading_minutes)
        return self.html("page.html", view.url, key, partial(self.page_context, view))

    def page_context(self, view: PageView) -> dict[str, Any]:
        """What the page template receives."""
        context = self.context(view.url, view.title, view.lang, "")
        context["page"] = view
        return context

    def listing(self, listing: Listing, numbers: Container[int] | None = None) -> Iterator[Planned]:
        """The pages of a listing (those at positions ``numbers``, 1-based, when given); the
        memo's when the keys of all they show are unchanged. Only the first page counts the
        whole listing: the others show their articles and neighbours alone, so that they
        stay as they are while newer articles come (``site.paginate``)."""
        title = self.listing_title(listing)
        meta = HeadMeta("website", title, self.listing_feeds(listing))
        head = digest_of(self.common_key, meta, title, listing.key)
        known, view_keys = self.memo.listings, self.view_keys
        for number, chunk in enumerate(listing.pages, start=1):
            if numbers is not None and number not in numbers:
                continue
            url, newer, older = page_links(listing, number)
            total = str(listing_count(listing)) if number == 1 else None
            inputs = (head, url, newer, older, total, *map(view_keys.__getitem__, chunk))
            unit = known.get(url)
            if unit is None or unit[0] != inputs:
                key = self.combined("list.html", *inputs)
                make = partial(self.memo.listing_page, listing.key, url)
                unit = (inputs, Planned(f"{url}index.html", key, make))
            self.listed[url] = unit
            yield unit[1]

    def listing_page(self, key: str, url: str) -> bytes:
        """The page at ``url`` of the listing ``key``."""
        listing = self.listings[key]
        number = page_position(listing, url)
        title = self.listing_title(listing)
        meta = HeadMeta("website", title, self.listing_feeds(listing))
        _, newer, older = page_links(listing, number)
        items = [self.views_by_url[item] for item in listing.pages[number - 1]]
        view = ListingView(
            title=title,
            kind=key.split(":", 1)[0],
            items=items,
            prev_url=newer,
            next_url=older,
            total=listing_count(listing) if number == 1 else None,
            period=(placed_date(items[0]), placed_date(items[-1])) if items else None,
        )
        context = self.context(url, view.title, self.config.language, "", meta)
        context["listing"] = view
        return render_template(self.theme, "list.html", context).encode("utf-8")

    def overview_page(self, template: str, url: str, title: str, **extra: object) -> Planned:
        """One overview page (sources, tags, years, languages, search, 404)."""

        def context() -> dict[str, Any]:
            values = self.context(url if url != "404.html" else "", title, self.config.language, "")
            values.update(extra)
            return values

        return self.html(template, url, digest_of(title, extra), context)

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

    def overview(self) -> Iterator[Planned]:
        title = self.t("sources_title")
        yield self.overview_page("sources.html", "sources/", title, sources=self.source_links)
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
        yield self.overview_page("404.html", "404.html", self.t("not_found_title"))

    def feed_entries(self) -> list[tuple[str, str, list[str]]]:
        """(listing address, title, addresses of its newest articles) of every feed: the
        archive's, then one per source and per tag."""
        return self.feeds_of(self.site.listings, self.order)

    def feeds_of(
        self, listings: Sequence[Listing], order: Sequence[str]
    ) -> list[tuple[str, str, list[str]]]:
        """``feed_entries`` of a site with these ``listings`` and articles in ``order``."""
        feeds = [("", self.config.title, list(order[:FEED_SIZE]))]
        for listing in (lst for lst in listings if lst.key.split(":", 1)[0] in FEEDS):
            urls = list(islice(chain.from_iterable(listing.pages), FEED_SIZE))
            title = f"{self.listing_title(listing)} · {self.config.title}"
            feeds.append((listing.base_url, title, urls))
        return feeds

    def feed_file(self, listing_url: str, title: str, urls: list[str]) -> Planned:
        """One feed, keyed by the articles it lists."""
        views = [self.views_by_url[url] for url in urls]
        feed = make_feed(listing_url, title, views, self.config.language)
        base, site_title = self.config.base_url, self.config.title
        key = digest_of(
            self.common_key,
            replace(feed, entries=()),
            base,
            site_title,
            [self.view_keys[url] for url in urls],
        )
        return Planned(feed.path, key, partial(feed_xml, feed, site_title, base))

    def feed_files(self) -> Iterator[Planned]:
        """Every feed."""
        for listing_url, title, urls in self.feed_entries():
            yield self.feed_file(listing_url, title, urls)

    def machine_files(self, html_paths: list[str]) -> list[Planned]:
        """robots.txt, index.json and (with a base URL) sitemap.xml."""
        base = self.config.base_url
        files = [self.robots_file()]
        if self.keeps:  # a session: the records of unchanged articles are kept
            records = self.memo.records
            files.append(self.index_file(lambda: records.encoded(self.article_views)))
        else:
            files.append(self.index_file(lambda: map(encoded_record, self.article_views)))
        if base:
            archived = (self.views_by_url[url].archived for url in self.order)
            files.append(self.sitemap_file(html_paths, archived))
        return files

    def sitemap_file(self, html_paths: list[str], archived: Iterable[str]) -> Planned:
        """sitemap.xml (with a base URL): the pages at ``html_paths``, each article dated
        by when it was archived (``archived``, in the order of the articles)."""
        day = {url: machine_date(date) for url, date in zip(self.order, archived, strict=True)}
        key = digest_of(self.common_key, html_paths, day)
        make = partial(sitemap_xml, html_paths, self.config.base_url or "", day)
        return Planned("sitemap.xml", key, make)

    def robots_file(self) -> Planned:
        """robots.txt (naming the sitemap when there is a base URL)."""
        base = self.config.base_url
        return Planned("robots.txt", digest_of(self.common_key, base), partial(robots_txt, base))

    def index_file(self, records: Callable[[], Iterable[bytes]]) -> Planned:
        """index.json: every article's encoded record (given by ``records``), newest first."""
        key = digest_of(self.common_key, [self.view_keys[url] for url in self.order])

        def make() -> bytes:
            return index_from_records(records(), self.config.title)

        return Planned("index.json", key, make)

    def indexed(self) -> list[tuple[str, str]]:
        """(path, key) of the pages search indexes: the articles, keyed by their content."""
        keys = self.memo.keys if self.keeps else {}
        pages = []
        for url in self.order:
            parts = (self.salt, self.view_keys[url])
            key = keys.get(parts) or keys.setdefault(parts, digest_of(*parts))
            pages.append((f"{url}index.html", key))
        return pages

    def plan(self) -> list[Planned]:
        """Every output file of the site, none rendered yet. The record of the build lists
        them in this order, which ``touchup.rearranged_files`` follows too: a touch-up
        must leave the record a full build would."""
        planned: list[Planned] = [*self.articles(), *self.pages(), *self.overview()]
        for listing in self.site.listings:
            planned.extend(self.listing(listing))
        html_paths = [item.path for item in planned if item.path.endswith(".html")]
        planned += [*self.feed_files(), *self.machine_files(html_paths)]
        planned += [
            Planned(path, digest_of(data), partial(bytes, data))
            for path, data in static_files(self.theme)
        ]
        self.memo.keys = self.used_keys
        self.memo.listings = self.listed
        return planned
