"""The navigation every portal spider shares: listing → pagination → article.

A family subclass fills in the selectors of its CMS; a site subclass names the portal. Spiders only
navigate: each article page is handed to the pipelines as (url, html, hints) for extraction.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from pipelines.dates import parse_date
from pipelines.encoding import decode_html
from pipelines.normalize import canonicalize_url
from pipelines.rejects import page_rejected
from pipelines.rules import ExtractionRules
from pipelines.state import state_for
from spiders.faults import failure_reason, header_charset, not_a_page

# Print/printable variants of an article page: the same article again.
_PRINT = re.compile(
    r"(?:[?&](?:print|printable|inbai)=|[?&]view=print|/(?:print|printer|in-bai|inbai)(?:/|\.))",
    re.IGNORECASE,
)
_NON_HTTP = re.compile(r"^(?!https?:)[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def host_port(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.hostname or "").lower(), (None if port in (None, default) else port)


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
    canonical_drop_params: ClassVar[tuple[str, ...]] = ()

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
        self._article_re = re.compile(self.article_url_pattern)

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

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.listing_urls():
            yield scrapy.Request(
                url, callback=self.parse_listing, errback=self.on_error, cb_kwargs={"page": 1}
            )

    def on_site(self, url: str) -> bool:
        return url.startswith(("http://", "https://")) and host_port(url) == self.site_key

    def is_article(self, url: str) -> bool:
        return self.on_site(url) and bool(self._article_re.search(url)) and not _PRINT.search(url)

    def parse_listing(self, response: Response, page: int = 1, known_run: int = 0) -> Any:
        """Queue the page's articles, skipping those the state already has; follow the next page
        unless the crawl is incremental and has reached articles it already knows."""
        tracker = KnownTracker(self)
        entries = 0
        for entry in response.xpath(self.listing_item_xpath):
            href = entry.xpath(self.listing_link_xpath).get()
            if not href or _NON_HTTP.match(href.strip()):
                continue
            url = response.urljoin(href.strip())
            if not self.is_article(url):
                continue
            entries += 1
            meta = {"listing_url": response.url}
            if self.listing_date_xpath:
                meta["listing_date"] = (
                    " ".join(" ".join(entry.xpath(self.listing_date_xpath).getall()).split())
                    or None
                )
            if self.listing_category_xpath:
                meta["listing_category"] = (
                    " ".join(response.xpath(self.listing_category_xpath).get("").split()) or None
                )
            if tracker.skip(url, meta.get("listing_date")):
                continue
            # Fetch the canonical form: tracking parameters and session ids only split one
            # article into several downloads.
            canonical = canonicalize_url(url, tuple(self.canonical_drop_params))
            yield response.follow(
                canonical, callback=self.parse_article, errback=self.on_error, meta=meta
            )
        self.crawler.stats.inc_value("listing/pages")
        self.crawler.stats.inc_value("listing/entries", entries)
        known_run = tracker.run_after(known_run)
        if tracker.stop_paginating(entries, known_run):
            return
        nxt = response.xpath(self.next_page_xpath).get()
        limit = self.settings.getint("MAX_LISTING_PAGES", 200)
        if nxt and page >= limit:
            # Calendars and broken pagers go on forever; say where we stopped.
            self.reject(
                response.urljoin(nxt.strip()),
                "pagination_limit",
                f"not followed: {limit} listing pages walked from {self.base_url}",
            )
        elif nxt:
            url = response.urljoin(nxt.strip())
            if self.on_site(url):
                yield response.follow(
                    url,
                    callback=self.parse_listing,
                    errback=self.on_error,
                    cb_kwargs={"page": page + 1, "known_run": known_run},
                )

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
        yield {
            "url": response.url,
            "html": html,
            "site": self.name,
            "province": self.province,
            "agency": self.agency,
            "family": self.family,
            "listing_date": response.meta.get("listing_date"),
            "listing_category": response.meta.get("listing_category"),
            "feed_date": response.meta.get("feed_date"),
            "fetched_at": datetime.now(UTC).isoformat(),
        }

    def reject(self, url: str, reason: str, detail: str = "") -> None:
        self.crawler.signals.send_catch_log(page_rejected, url=url, reason=reason, detail=detail)

    def on_error(self, failure: Failure) -> None:
        # Report the URL the site linked to, not where its redirects ended.
        url = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]
        self.reject(url, *failure_reason(failure))
