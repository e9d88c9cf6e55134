"""The navigation every portal spider shares: listing → pagination → article.

A family subclass fills in the selectors of its CMS; a site subclass names the portal. Spiders only
navigate: each article page is handed to the pipelines as (url, html, hints) for extraction.
"""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from pipelines.dates import parse_date
from pipelines.encoding import decode_html
from pipelines.layouts import ESSENTIAL, choose_layout, layouts_problem
from pipelines.normalize import canonicalize_url
from pipelines.rejects import page_rejected
from pipelines.rules import ExtractionRules, Layout
from pipelines.state import state_for
from spiders.faults import failure_reason, header_charset, not_a_page

# Print/printable variants of an article page: the same article again.
_PRINT = re.compile(
    r"(?:[?&](?:print|printable|inbai)=|[?&]view=print|/(?:print|printer|in-bai|inbai)(?:/|\.))",
    re.IGNORECASE,
)
_NON_HTTP = re.compile(r"^(?!https?:)[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Links on a home page that are never news listings: files, feeds, search, accounts, contact
# forms, sitemaps, print views and the other language editions of the portal.
_NOT_LISTING = re.compile(
    r"(?:\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|webp|bmp|svg|ico|mp[34]|avi|wmv|flv"
    r"|css|js|xml|rss|txt|exe|apk)(?:[?#]|$)"
    r"|/(?:feed|rss|search|tim-kiem|timkiem|login|dang-nhap|dangnhap|register|dang-ky|users?"
    r"|wp-admin|wp-login\.php|wp-json|admin|sitemap|so-do-cong|print|in-bai|contact|lien-he)"
    r"(?:[/?.#]|$)"
    r"|[?&](?:nv|op)=(?:rss|search|contact|users|seek|feeds|sitemap)(?:&|$)|[?&]s=|[?&]print="
    r"|[?&](?:language|lang)=(?!vi)[a-z]{2}\b|^https?://[^/?#]+/(?!vi(?:[/?#]|$))[a-z]{2}(?:[/?#]|$))",
    re.IGNORECASE,
)
# Page chrome: links in it are not a page's own entries.
_CHROME_ANCESTOR = (
    "ancestor::*[self::nav or self::header or self::footer or self::aside"
    " or contains(@class,'sidebar') or contains(@id,'sidebar') or contains(@class,'menu')"
    " or contains(@id,'menu') or contains(@class,'breadcrumb') or contains(@class,'footer')"
    " or contains(@id,'footer') or contains(@id,'header') or contains(@class,'widget')"
    " or contains(@class,'related') or contains(@class,'other-news') or contains(@class,'tin-khac')]"
)
_MAIN_LINKS = f"//a[@href][not({_CHROME_ANCESTOR})]/@href"
# Menus first: the categories of a portal are in its navigation.
_MENU_LINKS = (
    "//nav//a/@href | //*[contains(@class,'menu') or contains(@id,'menu')"
    " or contains(@class,'navbar') or contains(@class,'nav ')]//a/@href"
)
# Pager containers, for numbered pagers without a "next" link.
_PAGER = (
    "//*[contains(@class,'pag') or contains(@class,'pager') or contains(@class,'page-nav')"
    " or contains(@class,'nav-links') or contains(@class,'page-numbers')"
    " or contains(@class,'page-iterator')]"
)
# Scheduler priority of article requests over listing pages (0).
ARTICLE_PRIORITY = 10
# How many article links make a page a listing.
MIN_LISTING_ENTRIES = 3


def host_port(url: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # "http://[::1/x", "http://host:99999/": on no site
        return "", None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.hostname or "").lower(), (None if port in (None, default) else port)


def release_selector(response: Response) -> None:
    """Drop the Selector Scrapy caches on a response: it refers back to the response, a reference
    cycle that keeps the body and its parsed tree alive until the cyclic collector runs (a
    listing page's tree, per listing page, piling up between full collections)."""
    if getattr(response, "_cached_selector", None) is not None:
        response._cached_selector = None  # re-parsed on demand if anything asks again


def releases_selector(callback: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """A generator callback that releases its response's selector once its output is done."""

    @functools.wraps(callback)
    def wrapper(self: Any, response: Response, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from callback(self, response, *args, **kwargs)
        finally:
            release_selector(response)

    return wrapper


class KnownTracker:
    """Incremental decisions for one listing page: which links the state already has (and need
    no fetch), which are older than SINCE, and whether to go on to the next page."""

    def __init__(self, spider: PortalSpider) -> None:
        settings = spider.settings
        self.spider = spider
        self.store = state_for(spider.crawler)
        self.incremental = settings.getbool("INCREMENTAL", True)
        self.resume = settings.getbool("RESUME") or bool(
            spider.crawler.stats.get_value("run/after_interrupt")
        )
        self.window = timedelta(days=settings.getfloat("REFRESH_WINDOW_DAYS", 3))
        self.stop_after = settings.getint("KNOWN_RUN_STOP", 10)
        since = settings.get("SINCE")
        self.since = date.fromisoformat(since) if since else None
        self.now = datetime.now(UTC)
        self.trail: list[bool] = []  # known? per article link, in page order
        self.older = 0

    def skip(self, url: str, listing_date: str | None) -> bool:
        stats = self.spider.crawler.stats
        if self.since and listing_date:
            parsed = parse_date(listing_date)
            if parsed and parsed.value.date() < self.since:
                self.older += 1
                stats.inc_value("state/older_than_since")
                return True
        canonical = canonicalize_url(url, tuple(self.spider.canonical_drop_params))
        article_id = self.store.known_id(self.spider.site_id, canonical)
        self.trail.append(article_id is not None)
        if article_id is None or not self.incremental:
            return False
        if self.store.is_fresh(self.spider.site_id, article_id, self.now, self.window):
            stats.inc_value("state/refetched")
            return False  # recent: fetch again to catch edits
        stats.inc_value("state/known_skipped")
        return True

    def run_after(self, run: int) -> int:
        """Known articles in a row, carried over from the previous pages."""
        for known in self.trail:
            run = run + 1 if known else 0
        return run

    def stop_paginating(self, entries: int, known_run: int) -> bool:
        if self.since and entries and self.older == entries:
            return True  # the whole page is older than --since
        if not self.incremental or self.resume:
            return False
        whole_page_known = bool(self.trail) and all(self.trail)
        return whole_page_known or known_run >= self.stop_after


class PortalSpider(scrapy.Spider):
    """Base of all site spiders. Required on a site class: name, home_url, province, agency."""

    required: ClassVar[tuple[str, ...]] = ("name", "home_url", "agency", "family")
    family: ClassVar[str] = ""
    home_url: ClassVar[str] = ""
    province: ClassVar[str | None] = None
    agency: ClassVar[str] = ""
    # Paths (relative to the home URL) of the news listings to walk.
    listing_paths: ClassVar[tuple[str, ...]] = ("/",)
    # One listing entry; the article link, date and category are read relative to it.
    listing_item_xpath: ClassVar[str] = "//article | //li[.//a]"
    listing_link_xpath: ClassVar[str] = ".//h1//a/@href | .//h2//a/@href | .//h3//a/@href"
    listing_date_xpath: ClassVar[str | None] = None
    listing_category_xpath: ClassVar[str | None] = None
    next_page_xpath: ClassVar[str] = "//a[@rel='next']/@href"
    # Which links are articles.
    article_url_pattern: ClassVar[str] = r".*"
    extraction_rules: ClassVar[ExtractionRules] = ExtractionRules()
    # A redesigned portal's templates, newest first (pipelines.layouts): each layout's rules are
    # layered over the site's; the page's fetch time picks one, old articles fall back to theirs.
    layouts: ClassVar[tuple[Layout, ...]] = ()
    # Fields whose selectors must all find text for a page to be in a layout.
    layout_essentials: ClassVar[tuple[str, ...]] = ESSENTIAL
    # Set by the base class: per layout name, its rules over the site's (over the family's).
    layout_rules: ClassVar[dict[str, ExtractionRules]] = {}
    canonical_drop_params: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Layer a subclass's own `extraction_rules` over its parent's (site over family; the
        extractor adds the generic rules last) and each of its `layouts` over those, and refuse
        a site class without its required attributes, or with layouts that are not in order, as
        soon as it is imported (`scrapy list` names the class and attribute)."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("extraction_rules")
        if isinstance(own, ExtractionRules):
            parent = super(cls, cls).extraction_rules  # type: ignore[misc]
            cls.extraction_rules = own.over(parent)
        if cls.layouts or "layouts" in cls.__dict__:
            problem = layouts_problem(cls.layouts, cls.layout_essentials)
            if problem:
                raise NotConfigured(f"site class {cls.__module__}.{cls.__qualname__}: {problem}")
            # Recomputed on every subclass: an inherited layout sits over this class's rules.
            cls.layout_rules = {x.name: x.rules.over(cls.extraction_rules) for x in cls.layouts}
        site_class = "name" in cls.__dict__ and not cls.__module__.startswith("spiders.families.")
        missing = [a for a in cls.required if site_class and not getattr(cls, a, None)]
        if missing:
            raise NotConfigured(
                f"site class {cls.__module__}.{cls.__qualname__} lacks required attribute"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            )

    def __init__(self, *args: Any, start_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        missing = [a for a in self.required if not getattr(self, a, None)]
        if missing:
            raise NotConfigured(f"spider {type(self).__name__} lacks {', '.join(missing)}")
        base = start_url or self.home_url
        if not base.startswith(("http://", "https://")):
            raise ValueError(f"{self.name}: start_url must be an http(s) URL, got {base!r}")
        self.base_url = base
        self.site_key = host_port(base)
        # The fetch time stamped on each page; fixture replay sets the recorded one.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        # Old articles may keep an old layout's URL scheme: its links are articles too.
        self._article_res = [re.compile(self.article_url_pattern)] + [
            re.compile(x.article_url_pattern) for x in self.layouts if x.article_url_pattern
        ]

    @property
    def site_id(self) -> str:
        """Key of this site's state and output files: the spider name."""
        return self.name

    def listing_urls(self) -> list[str]:
        """The home URL's listings; a start_url with a path of its own is itself a listing."""
        path = urlsplit(self.base_url).path
        if path not in ("", "/") and self.base_url != self.home_url:
            return [self.base_url]
        return [urljoin(self.base_url, p) for p in self.listing_paths]

    @classmethod
    def guesses_listings(cls) -> bool:
        """True when the listing paths are the family's default guess, not set by the site."""
        owner = next(c for c in cls.__mro__ if "listing_paths" in vars(c))
        return owner is PortalSpider or owner.__module__.startswith("spiders.families.")

    def _discovering(self) -> bool:
        path = urlsplit(self.base_url).path
        explicit_start = path not in ("", "/") and self.base_url != self.home_url
        return self.guesses_listings() and not explicit_start

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Walk the site's listings. When they are only the family's guess, the guessed paths are
        tried (a 404 there is no reject) and the listings are discovered from the home page's
        menus and category links: always when the guess is the home page itself, or setting
        DISCOVER_LISTINGS=always; otherwise when no guessed path turns out to be a listing."""
        self._discovery_started = False
        self._guess_ok = False
        self._candidates: set[str] = set()
        if not self._discovering():
            for url in self.listing_urls():
                yield scrapy.Request(
                    url, callback=self.parse_listing, errback=self.on_error, cb_kwargs={"page": 1}
                )
            return
        home = urljoin(self.base_url, "/")
        guesses = [u for u in self.listing_urls() if u != home]
        always = self.settings.get("DISCOVER_LISTINGS", "fallback") == "always"
        self._guesses_pending = len(guesses)
        if always or len(guesses) < len(self.listing_urls()) or not guesses:
            yield self._home_request()
        for url in guesses:
            yield scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.on_guess_error,
                cb_kwargs={"page": 1, "role": "guess"},
            )

    def _home_request(self) -> scrapy.Request:
        self._discovery_started = True
        self.crawler.stats.inc_value("discovery/home")
        return scrapy.Request(
            urljoin(self.base_url, "/"),
            callback=self.parse_home,
            errback=self.on_error,
            dont_filter=True,
        )

    def _guess_done(self, listing: bool) -> Any:
        """One guessed path answered; discover from the home page if none was a listing."""
        self._guesses_pending -= 1
        self._guess_ok = self._guess_ok or listing
        if self._guesses_pending <= 0 and not self._guess_ok and not self._discovery_started:
            yield self._home_request()

    def on_guess_error(self, failure: Failure) -> Any:
        """A guessed listing path that does not exist (404, 410) is no reject."""
        reason, detail = failure_reason(failure)
        if reason in ("http_404", "http_410", "http_403", "robots_disallowed"):
            self.crawler.stats.inc_value("discovery/guess_missing")
        else:
            self.on_error(failure)
        yield from self._guess_done(False)

    def on_candidate_error(self, failure: Failure) -> None:
        """A menu link that fails is not a listing; nothing of the site is lost."""
        self.crawler.stats.inc_value("discovery/candidate_failed")

    def parse_home(self, response: Response) -> Any:
        """The home page: a listing itself when it lists articles; its menu and category links
        are the candidate listings."""
        if not isinstance(response, TextResponse) or not_a_page(response):
            return
        yield from self.parse_listing(response, page=1, role="home")
        limit = self.settings.getint("MAX_LISTINGS", 50)
        hrefs = [
            *self._capped(response, _MENU_LINKS).getall(),
            *self._capped(response, _MAIN_LINKS).getall(),
        ]
        home = canonicalize_url(response.url)
        for href in hrefs:
            if len(self._candidates) >= limit:
                self.crawler.stats.inc_value("discovery/candidates_capped")
                break
            href = href.strip()
            if not href or href.startswith("#") or _NON_HTTP.match(href):
                continue
            try:
                url = response.urljoin(href).split("#", 1)[0]
                if not self.on_site(url) or self.is_article(url) or _NOT_LISTING.search(url):
                    continue
                key = canonicalize_url(url, tuple(self.canonical_drop_params))
                if key == home or key in self._candidates:
                    continue
                request = response.follow(
                    url,
                    callback=self.parse_listing,
                    errback=self.on_candidate_error,
                    cb_kwargs={"page": 1, "role": "candidate"},
                )
            except ValueError:
                self.bad_href(response, href)
                continue
            self._candidates.add(key)
            self.crawler.stats.inc_value("discovery/candidates")
            yield request

    def bad_href(self, response: Response, href: str) -> None:
        """A link that is no URL ("http://[::1/x"): skipped, counted, the page's others kept."""
        self.crawler.stats.inc_value("links/bad_href")
        self.logger.debug("bad link %r on %s skipped", href, response.url)

    def _capped(self, response: Response, xpath: str) -> Any:
        """What `xpath` selects on the page, at most MAX_LINKS_PER_PAGE of it: a page of 100,000
        links would otherwise queue them all. A page over the bound is a reject naming it."""
        limit = self.settings.getint("MAX_LINKS_PER_PAGE", 2000)
        if limit <= 0:
            return response.xpath(xpath)
        found = response.xpath(f"({xpath})[position() <= {limit + 1}]")
        if len(found) > limit:
            total = int(float(response.xpath(f"count({xpath})").get() or 0))
            self.links_capped(response.url, total, limit)
            found = found[:limit]
        return found

    def links_capped(self, url: str, total: int, limit: int) -> None:
        self.crawler.stats.inc_value("links/capped_pages")
        self.reject(
            url,
            "link_limit",
            f"{total} links on the page; only the first {limit} followed"
            f" (MAX_LINKS_PER_PAGE={limit})",
        )

    def _entries(self, response: Response, fallback: bool) -> list[tuple[str, Any]]:
        """(article URL, listing entry) pairs of a listing page; without the family's entries,
        on a guessed or discovered listing, the article links of the page's main area."""
        out: list[tuple[str, Any]] = []
        for entry in self._capped(response, self.listing_item_xpath):
            href = entry.xpath(self.listing_link_xpath).get()
            if not href or _NON_HTTP.match(href.strip()):
                continue
            try:
                url = response.urljoin(href.strip())
                if self.is_article(url):
                    out.append((url, entry))
            except ValueError:
                self.bad_href(response, href)
        if out or not fallback:
            return out
        seen: set[str] = set()
        for href in self._capped(response, _MAIN_LINKS).getall():
            if _NON_HTTP.match(href.strip()):
                continue
            try:
                url = response.urljoin(href.strip())
                key = canonicalize_url(url, tuple(self.canonical_drop_params))
            except ValueError:
                self.bad_href(response, href)
                continue
            if self.is_article(url) and key not in seen:
                seen.add(key)
                out.append((url, None))
        return out

    def _next_page(self, response: Response, page: int, numbered: bool) -> str | None:
        nxt = response.xpath(self.next_page_xpath).get()
        if nxt or not numbered:
            return nxt
        # A numbered pager without a "next" link: the link to the number after the current one
        # (the pager's marked or unlinked number; else the pages walked so far).
        for pager in response.xpath(_PAGER):
            marked = [
                node.xpath("normalize-space()").get()
                for node in pager.xpath(
                    ".//*[@aria-current or contains(@class,'active') or contains(@class,'current')"
                    " or self::a[not(@href)] or self::span or self::strong or self::b]"
                    "[not(self::a[@href])][not(.//a[@href])]"
                )
            ]
            current = next((int(t) for t in marked if t.isdigit()), page)
            for href in pager.xpath(f".//a[normalize-space()='{current + 1}']/@href").getall():
                href = href.strip()
                if href and not href.startswith("#") and not _NON_HTTP.match(href):
                    return href
        return None

    def on_site(self, url: str) -> bool:
        return url.startswith(("http://", "https://")) and host_port(url) == self.site_key

    def is_article(self, url: str) -> bool:
        return (
            self.on_site(url)
            and any(r.search(url) for r in self._article_res)
            and not _PRINT.search(url)
        )

    @releases_selector
    def parse_listing(
        self, response: Response, page: int = 1, known_run: int = 0, role: str = "site"
    ) -> Any:
        """Queue the page's articles, skipping those the state already has; follow the next page
        unless the crawl is incremental and has reached articles it already knows.

        role: "site" (a listing the site names), "guess" (the family's default path), "home" or
        "candidate" (a link of the home page): the last three are walked only when they turn
        out to be listings (enough article links, or a pager through them)."""
        if not isinstance(response, TextResponse):
            if role == "guess":
                yield from self._guess_done(False)
            return
        discovered = role != "site"
        found = self._entries(response, fallback=discovered)
        nxt = self._next_page(response, page, numbered=True)
        if discovered and page == 1:
            distinct = {canonicalize_url(u, tuple(self.canonical_drop_params)) for u, _ in found}
            listing = len(distinct) >= MIN_LISTING_ENTRIES or bool(found and nxt)
            if role == "guess":
                yield from self._guess_done(listing)
            if not listing:
                return
            self.crawler.stats.inc_value(f"discovery/listings_{role}")
        tracker = KnownTracker(self)
        entries = 0
        category = (
            " ".join(response.xpath(self.listing_category_xpath).get("").split()) or None
            if self.listing_category_xpath
            else None
        )
        for url, entry in found:
            entries += 1
            meta = {"listing_url": response.url}
            if self.listing_date_xpath and entry is not None:
                meta["listing_date"] = (
                    " ".join(" ".join(entry.xpath(self.listing_date_xpath).getall()).split())
                    or None
                )
            if self.listing_category_xpath:
                meta["listing_category"] = category  # the page's: read once, not per entry
            try:
                if tracker.skip(url, meta.get("listing_date")):
                    continue
                # Fetch the canonical form: tracking parameters and session ids only split one
                # article into several downloads.
                canonical = canonicalize_url(url, tuple(self.canonical_drop_params))
                # Articles before further listing pages: pending requests stay one listing
                # page deep whatever the portal's size (memory flat in portal size).
                request = response.follow(
                    canonical,
                    callback=self.parse_article,
                    errback=self.on_error,
                    meta=meta,
                    priority=ARTICLE_PRIORITY,
                )
            except ValueError:  # "http://host:99999/…": no URL Scrapy can fetch
                self.bad_href(response, url)
                continue
            yield request
        self.crawler.stats.inc_value("listing/pages")
        self.crawler.stats.inc_value("listing/entries", entries)
        known_run = tracker.run_after(known_run)
        if tracker.stop_paginating(entries, known_run):
            return
        limit = self.settings.getint("MAX_LISTING_PAGES", 200)
        if nxt:
            try:
                next_url = response.urljoin(nxt.strip())
                next_request = response.follow(
                    next_url,
                    callback=self.parse_listing,
                    errback=self.on_error,
                    cb_kwargs={
                        "page": page + 1,
                        "known_run": known_run,
                        "role": "site" if role == "site" else "walk",
                    },
                )
            except ValueError:
                self.bad_href(response, nxt)
                return
        if nxt and page >= limit:
            # Calendars and broken pagers go on forever; say where we stopped.
            self.reject(
                next_url,
                "pagination_limit",
                f"not followed: {limit} listing pages walked from {self.base_url}",
            )
        elif nxt and self.on_site(next_url):
            yield next_request

    def parse(self, response: Response, **kwargs: Any) -> Any:
        """A page handed over without its role (`scrapy parse URL`): an article when its URL is
        one, else a listing."""
        if self.is_article(response.url):
            return self.parse_article(response)
        return self.parse_listing(response)

    def parse_article(self, response: Response) -> Any:
        """Hand the page to the pipelines, decoded to Unicode (legacy Vietnamese encodings too)."""
        problem = not_a_page(response)
        if problem:
            self.reject(response.url, *problem)
            return
        declared = response.encoding if isinstance(response, TextResponse) else None
        html, encoding = decode_html(response.body, header_charset(response) or None)
        if encoding not in ("utf-8", (declared or "").lower()):
            self.crawler.stats.inc_value(f"encoding/{encoding}")
        fetched = self.clock()
        item = {
            "url": response.url,
            "html": html,
            "site": self.name,
            "province": self.province,
            "agency": self.agency,
            "family": self.family,
            "listing_date": response.meta.get("listing_date"),
            "listing_category": response.meta.get("listing_category"),
            "feed_date": response.meta.get("feed_date"),
            "fetched_at": fetched.isoformat(),
        }
        if self.layouts:
            # The spider chooses; ExtractPipeline reads the page with that layout's rules.
            choice = choose_layout(
                html, self.layouts, fetched, self.extraction_rules, self.layout_essentials
            )
            item["layout"] = choice.layout.name
            self.crawler.stats.inc_value(f"layout/{choice.layout.name}")
            if choice.how != "dated":
                self.crawler.stats.inc_value(f"layout_choice/{choice.how}")
        yield item

    def reject(self, url: str, reason: str, detail: str = "") -> None:
        self.crawler.signals.send_catch_log(page_rejected, url=url, reason=reason, detail=detail)

    def on_error(self, failure: Failure) -> None:
        # Report the URL the site linked to, not where its redirects ended.
        url = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]
        if failure.request.callback == self.parse_listing:
            # Articles behind a listing page that failed were not seen: the walk is not complete.
            self.crawler.stats.inc_value("listing/failed")
        self.reject(url, *failure_reason(failure))
