"""Zero-config spider: point it at any portal and it finds the articles.

    scrapy crawl generic -a start_url=https://stttt.example.gov.vn/ -O out.jsonl

Discovery: RSS/Atom feeds (autodiscovered), sitemaps (robots.txt, /sitemap.xml) and a
breadth-first walk of the site's own links (JavaScript pagers' fallbacks and load-more buttons
too). It never leaves the start URL's host and port. Pages are not judged one by one: a site
model is learned from a sample of them (`pipelines.sitemodel`: URL templates, boilerplate by
repetition, fields by position), the first SITE_MODEL_SAMPLE_PAGES pages of the walk or the whole
site when it is smaller, and only the pages it finds to be articles are emitted, annotated so
that extraction reads the fields where the model found them. Past the sample, each page is judged
as it arrives and emitted at once, and article pages are fetched before further listing pages:
what the spider holds stays flat whatever the portal's size (`spiders.frontier`). The model is
kept in the crawl state, so that an incremental run that fetches only a few new pages still knows
the site's templates.

`looks_like_article` is the older single-page test, kept for callers that have one page only.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from pipelines.budget import BudgetExceeded, cpu_budget
from pipelines.dates import date_fields, search_date
from pipelines.encoding import decode_html
from pipelines.extract import ExtractionError
from pipelines.fingerprint import fingerprint
from pipelines.html import parse_html
from pipelines.normalize import canonicalize_url
from pipelines.sitemodel import (
    MIN_ARTICLES,
    NO_DATE,
    NOT_ARTICLE_TEMPLATE,
    Copies,
    PageFacts,
    SiteModel,
    Verdict,
    extract_fields,
    observe,
    page_links,
    same_articles,
    url_template,
)
from pipelines.state import state_for
from spiders.base import _PRINT, KnownTracker, PortalSpider, releases_selector
from spiders.families.nukeviet import NukeVietSpider
from spiders.faults import header_charset, not_a_page
from spiders.frontier import Frontier, Rank

# Links that are never pages of the site's news.
_SKIP_EXT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|webp|bmp|svg|ico|mp3|mp4|avi|wmv|flv|css|js|xml|rss|exe|apk)$",
    re.IGNORECASE,
)
_SKIP_PATH = re.compile(
    r"(?:/(?:login|dang-nhap|dangnhap|register|search|tim-kiem|timkiem|admin|print|in-bai)\b|[?&]print=|/feed/?$)",
    re.IGNORECASE,
)
# Article URL shapes across the families: numeric id at the end, Liferay "/-/", ItemID=, dated path.
_ARTICLE_URL = re.compile(
    r"(?:-\d{3,}\.(?:html?|aspx)$|[?&](?:itemid|id|newsid|articleid)=\d+|/-/[^/]+|/\d{4}/\d{1,2}/\d{1,2}/[^/]+)",
    re.IGNORECASE,
)
# Page numbers in a URL mark a listing page: ?page=2, &trang=3, _cur=2, /page-2/, /trang-2.html
_LISTING_URL = re.compile(
    r"(?:[?&](?:\w*_)?(?:page|trang|pg|pageindex|cur|start|offset)=\d+|/(?:page|trang)-\d+(?:\.html?)?/?$)",
    re.IGNORECASE,
)
_NUKEVIET_ARTICLE = re.compile(NukeVietSpider.article_url_pattern)
_CHROME = (
    "//script|//style|//noscript|//nav|//header|//footer|//aside|//form"
    "|//*[contains(@class,'related') or contains(@class,'other-news') or contains(@class,'sidebar')"
    " or contains(@class,'menu') or contains(@class,'breadcrumb') or contains(@class,'footer')"
    " or contains(@class,'banner') or contains(@id,'footer') or contains(@id,'header')]"
)
_STRUCTURED_ARTICLE = (
    "//meta[@property='og:type'][contains(@content,'article')]"
    " | //meta[@property='article:published_time' or @name='article:published_time']"
)


def _words(text: str) -> int:
    return len(text.split())


_PAGER_TEXT = {
    "sau",
    "trang sau",
    "tiếp",
    "trước",
    "trang trước",
    "»",
    "›",
    "next",
    "prev",
    ">",
    ">>",
}


def _has_pager(doc: Any) -> bool:
    """Pagination: rel=next/prev, a 'next' label, or two or more links that are page numbers."""
    if doc.xpath("//a[@rel='next' or @rel='prev']"):
        return True
    texts = [" ".join(a.text_content().split()).lower() for a in doc.xpath("//a")]
    return (
        any(t in _PAGER_TEXT for t in texts) or sum(t.isdigit() and len(t) < 4 for t in texts) >= 2
    )


def looks_like_article(url: str, html: str) -> bool:
    """A page is an article if it has one title, a body of running text and an article signal
    (structured data, a date near the title, or an article-shaped URL), and is not a listing."""
    try:
        doc = parse_html(html)
    except (etree.ParserError, ValueError):
        return False
    structured = bool(doc.xpath(_STRUCTURED_ARTICLE)) or any(
        re.search(r'"@type"\s*:\s*"(?:News)?Article"', s.text or "")
        for s in doc.xpath("//script[@type='application/ld+json']")
    )
    for node in doc.xpath(_CHROME):
        if node.getparent() is not None:
            node.getparent().remove(node)
    # A listing repeats title-like links to other pages of the site.
    host = urlsplit(url).netloc
    title_links = {
        urljoin(url, a.get("href", ""))
        for a in doc.xpath("//a[@href]")
        if _words(a.text_content()) >= 5
        and urlsplit(urljoin(url, a.get("href", ""))).netloc == host
    }
    title_links.discard(url)
    if len(title_links) >= 4 or (
        len(title_links) >= 2 and (_has_pager(doc) or _LISTING_URL.search(url))
    ):
        return False
    paragraphs = [p.text_content() for p in doc.xpath("//p | //div[not(*)] | //div[br]")]
    running = sum(_words(p) for p in paragraphs if _words(p) >= 12)
    if running < 60:
        return False
    if structured:
        return True
    headings = doc.xpath("//h1 | //*[contains(@class,'title') and not(self::title)]")
    if not headings:
        return False
    after_title = " ".join(headings[0].xpath("string(following::*[1])").split())
    near = (after_title + " " + " ".join(paragraphs[:2]))[:400]
    return bool(_ARTICLE_URL.search(url)) or search_date(near) is not None


def _held(verdict: Verdict) -> bool:
    return verdict.reason == NO_DATE or verdict.reason.endswith(NOT_ARTICLE_TEMPLATE)


class GenericSpider(PortalSpider):
    name = "generic"
    family = "generic"
    home_url = "http://127.0.0.1/"  # placeholder: generic needs -a start_url
    agency = "unknown"
    required: ClassVar[tuple[str, ...]] = ("name",)

    def __init__(self, *args: Any, start_url: str | None = None, **kwargs: Any) -> None:
        if not start_url:
            raise ValueError("generic: pass the portal to crawl with -a start_url=URL")
        super().__init__(*args, start_url=start_url, **kwargs)
        self.province = kwargs.get("province")
        self.agency = kwargs.get("agency")
        self.max_depth = int(kwargs.get("max_depth", 100))
        self.page_budget = int(kwargs.get("max_site_pages", 0))
        self._known: KnownTracker | None = None
        self.facts: dict[str, PageFacts] = {}  # the sample the model learns from
        self.judged: set[str] = set()  # pages judged past the sample
        # Pages that were articles but for a date or their URL's template, packed, until a
        # listing read later dates them or lists them among articles.
        self.held: dict[str, tuple[bytes, dict[str, Any]]] = {}
        self.promoted: list[str] = []  # held pages whose template turned out an article's
        self.requested: set[str] = set()
        self.frontier = Frontier(self._sample_rank)
        self.in_flight = 0  # page requests handed to Scrapy and not yet answered
        self.dead_templates: Counter[str] = Counter()
        self.live_templates: Counter[str] = Counter()
        self.queued = 0
        self.model: SiteModel | None = None
        self.flushed = False  # the walk's end: the sample learned from, or tried
        self.copies = Copies()
        self.model_summary: dict[str, Any] | None = None
        self.verdicts: list[Verdict] = []
        self.sitemap_files = 0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> GenericSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        return spider

    @property
    def known(self) -> KnownTracker:
        """What the crawl state already has (created once the crawl has started)."""
        if self._known is None:
            self._known = KnownTracker(self)
        return self._known

    @property
    def site_id(self) -> str:
        """One state and output folder per portal crawled, e.g. generic_stttt.example.gov.vn."""
        host, port = self.site_key
        return f"generic_{host}" + (f"_{port}" if port else "")

    @property
    def budget(self) -> int:
        """Pages the walk may fetch (SITE_MODEL_MAX_PAGES, or -a max_site_pages=N)."""
        return self.page_budget or self.settings.getint("SITE_MODEL_MAX_PAGES", 20000)

    @property
    def sample_size(self) -> int:
        """Pages the model learns from before the crawl judges pages as they come."""
        return self.settings.getint("SITE_MODEL_SAMPLE_PAGES", 1000)

    @property
    def sample_target(self) -> int:
        """Pages to sample before learning: SITE_MODEL_SAMPLE_PAGES, grown when too few of
        them are articles."""
        return getattr(self, "_sample_target", None) or self.sample_size

    @sample_target.setter
    def sample_target(self, value: int) -> None:
        self._sample_target = value

    @property
    def window(self) -> int:
        """Page requests handed to Scrapy at once: enough to keep every download slot busy."""
        per_site = self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1)
        return self.settings.getint("FRONTIER_REQUESTS", 0) or max(8, 4 * per_site)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        root = urljoin(self.base_url, "/")
        self.queued += 1
        self.requested.add(canonicalize_url(self.base_url))
        self.in_flight += 1
        yield scrapy.Request(
            self.base_url,
            callback=self.parse_page,
            errback=self.on_page_error,
            cb_kwargs={"depth": 0},
            priority=10,
        )
        yield scrapy.Request(
            urljoin(root, "/robots.txt"),
            callback=self.parse_robots,
            errback=self.ignore,
            dont_filter=True,
        )
        self.sitemap_files += 1
        yield scrapy.Request(
            urljoin(root, "/sitemap.xml"), callback=self.parse_sitemap, errback=self.ignore
        )

    def ignore(self, failure: Any) -> None:
        """Optional discovery files (robots.txt, sitemap.xml) may be missing."""

    # ---- the frontier ------------------------------------------------------------------------
    @staticmethod
    def _sample_rank(key: str, depth: int, listed: bool) -> Rank:
        # Breadth first through the site's own links, so that the sample mixes home, listings
        # and articles the way the site does; sitemap and feed entries after the walk.
        return (int(listed), depth)

    def _model_rank(self, key: str, depth: int, listed: bool) -> Rank:
        # Articles first, so that a listing's entries are fetched before its next page and the
        # frontier holds one listing page's worth; sitemap and feed entries last, when the
        # listings have given their dates.
        if listed:
            return (2, depth)
        model = self.model
        assert model is not None
        if url_template(key) in model.article_templates or key in model.listed_with_articles:
            return (0, depth)
        return (1, depth)

    def refill(self) -> Any:
        """Requests for the best pages waiting, up to `window` pages in flight."""
        while self.in_flight < self.window:
            found = self.frontier.pop()
            if found is None:
                return
            _, pending = found
            self.in_flight += 1
            yield scrapy.Request(
                pending.url,
                callback=self.parse_page,
                errback=self.on_page_error,
                cb_kwargs={"depth": pending.depth},
            )

    def on_dropped(self, request: scrapy.Request, spider: Any = None) -> None:
        """A page request the scheduler refused (a duplicate by Scrapy's fingerprint)."""
        if request.callback == self.parse_page:
            self.in_flight = max(0, self.in_flight - 1)

    def follow_page(self, url: str, depth: int, listed: bool = False) -> bool:
        """Put a link in the frontier; False when it is not to be fetched."""
        try:
            return self._follow_page(url, depth, listed)
        except ValueError:  # "http://[::1/x", "http://host:99999/": skipped, the others kept
            self.crawler.stats.inc_value("links/bad_href")
            self.logger.debug("bad link %r skipped", url)
            return False

    def _follow_page(self, url: str, depth: int, listed: bool) -> bool:
        url = url.split("#", 1)[0]
        if not self.on_site(url) or _SKIP_EXT.search(urlsplit(url).path) or _SKIP_PATH.search(url):
            return False
        if _PRINT.search(url):
            return False
        canonical = canonicalize_url(url)
        if canonical in self.frontier:  # found again: walking the site may move it up
            self.frontier.push(canonical, url, depth, listed)
            return True
        if self.queued >= self.budget or canonical in self.requested:
            return False
        template = url_template(canonical)
        if self.dead_templates[template] >= 3 and not self.live_templates[template]:
            # Three pages of this shape failed and none answered (links to a module the site
            # lacks): the rest of them would fail too.
            self.crawler.stats.inc_value("sitemodel/dead_template_skipped")
            return False
        self.requested.add(canonical)  # decided once, fetched or not
        if self.known.skip(url, None):
            return False  # an article the state already has
        self.queued += 1
        # Requested as the site wrote it (some servers read their query in order); known by
        # its canonical form, so that tracking parameters never fetch a page twice.
        self.frontier.push(canonical, url, depth, listed)
        return True

    def on_page_error(self, failure: Any) -> None:
        response = getattr(failure.value, "response", None)
        # Only "not found" marks a URL shape dead; timeouts and 5xx say nothing of it.
        if response is not None and response.status in (404, 410):
            self.dead_templates[url_template(canonicalize_url(failure.request.url))] += 1
        self.on_error(failure)
        self.in_flight = max(0, self.in_flight - 1)
        engine = self.crawler.engine
        for request in self.refill():
            engine.crawl(request)

    def parse_robots(self, response: Response) -> Any:
        urls: list[str] = []
        for line in response.body.splitlines():
            # One line at a time: a malformed Sitemap: URL costs only itself.
            try:
                urls += sitemap_urls_from_robots(line, base_url=response.url)
            except ValueError:
                self.crawler.stats.inc_value("links/bad_href")
        yield from self._sitemap_requests(response, [u for u in urls if self.on_site(u)], 1)

    def _sitemap_requests(self, response: Response, locs: list[str], depth: int) -> Any:
        """Requests for the sitemaps `response` lists, within SITEMAP_MAX_DEPTH levels of
        sitemap indexes and SITEMAP_MAX_FILES files per site: an index chain never ends."""
        max_depth = self.settings.getint("SITEMAP_MAX_DEPTH", 3)
        max_files = self.settings.getint("SITEMAP_MAX_FILES", 200)
        skipped = 0
        for loc in locs:
            if depth > max_depth or self.sitemap_files >= max_files:
                skipped += 1
                continue
            try:
                request = scrapy.Request(
                    loc,
                    callback=self.parse_sitemap,
                    errback=self.ignore,
                    cb_kwargs={"depth": depth},
                )
            except ValueError:
                self.crawler.stats.inc_value("links/bad_href")
                continue
            self.sitemap_files += 1
            yield request
        if skipped:
            self.crawler.stats.inc_value("sitemap/skipped", skipped)
            bound = (
                f"SITEMAP_MAX_DEPTH={max_depth} levels of sitemap indexes"
                if depth > max_depth
                else f"SITEMAP_MAX_FILES={max_files} sitemap files fetched"
            )
            self.reject(
                response.url, "sitemap_limit", f"{skipped} sitemaps listed not fetched: {bound}"
            )

    def parse_sitemap(self, response: Response, depth: int = 0) -> Any:
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # not XML: nothing to learn here
            return
        children: list[str] = []
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if sitemap.type == "sitemapindex":
                if self.on_site(loc):
                    children.append(loc)
            else:
                self.follow_page(loc, 1, listed=True)
        yield from self._sitemap_requests(response, children, depth + 1)
        yield from self.refill()

    def parse_feed(self, response: Response) -> Any:
        try:
            root = etree.fromstring(response.body, parser=etree.XMLParser(recover=True))
        except etree.XMLSyntaxError:
            return
        if root is None:
            return
        # NukeViet 3.4-4.5 feeds print the month where the minutes belong (pipelines.dates).
        generator = " ".join(root.xpath("//*[local-name()='generator']/text()")).lower()
        for entry in root.xpath("//*[local-name()='item' or local-name()='entry']"):
            link = entry.xpath("string(*[local-name()='link']/@href)") or entry.xpath(
                "string(*[local-name()='link'])"
            )
            try:
                written = response.urljoin(link.strip())
                url = canonicalize_url(written)
            except ValueError:
                self.crawler.stats.inc_value("links/bad_href")
                continue
            pub = entry.xpath(
                "string(*[local-name()='pubDate' or local-name()='published' or local-name()='updated'])"
            ).strip()
            if pub:
                bug = "nukeviet" in generator or bool(_NUKEVIET_ARTICLE.search(url))
                self.feed_dates[url] = self.feed_dates_folded[url.lower()] = {
                    "raw": pub,
                    "nukeviet_bug": bug,
                }
            # Fetched as the feed wrote it: canonical forms sort the query, which some servers
            # do not read (index.php?option=…&view=…&id=… answers 404 in another order).
            self.follow_page(written, 1, listed=True)
        yield from self.refill()

    @property
    def feed_dates(self) -> dict[str, dict[str, Any]]:
        if not hasattr(self, "_feed_dates"):
            self._feed_dates: dict[str, dict[str, Any]] = {}
            # Feeds may link an article under another spelling of its path (IIS ignores case).
            self.feed_dates_folded: dict[str, dict[str, Any]] = {}
        return self._feed_dates

    def feed_date(self, url: str) -> dict[str, Any] | None:
        return self.feed_dates.get(url) or self.feed_dates_folded.get(url.lower())

    @releases_selector
    def parse_page(self, response: Response, depth: int = 0) -> Any:
        self.in_flight = max(0, self.in_flight - 1)
        yield from self._read_page(response, depth)
        yield from self.refill()

    def _read_page(self, response: Response, depth: int) -> Any:
        head = response.body[:300].lstrip().lower()
        if head.startswith(b"<?xml") or head.startswith(b"<rss") or b"<rss" in head:
            # A feed or sitemap linked like a page ("RSS" in a footer).
            if b"<urlset" in head or b"<sitemapindex" in head:
                yield from self.parse_sitemap(response)
            else:
                yield from self.parse_feed(response)
            return
        if not isinstance(response, TextResponse) or not_a_page(response):
            self.crawler.stats.inc_value("sitemodel/not_html")
            return
        html, _ = decode_html(response.body, header_charset(response) or None)
        url = canonicalize_url(response.url)
        self.live_templates[url_template(url)] += 1
        if url in self.facts or url in self.judged:  # reached again through a redirect
            return
        seconds = self.settings.getfloat("EXTRACT_MAX_SECONDS", 5.0)
        items: list[dict[str, Any]] = []
        try:
            with cpu_budget(seconds):
                links = page_links(response.url, html) if depth < self.max_depth else []
                if self.model is None:
                    facts = observe(url, html, fetched_at=datetime.now(UTC).isoformat())
                else:
                    facts = None
                    self.judged.add(url)
                    items = self._judge_now(url, html)
        except BudgetExceeded as exc:
            self.reject(
                response.url,
                "extraction_timeout",
                f"reading the page used {exc} (EXTRACT_MAX_SECONDS={seconds:g})",
            )
            return
        if self.model is None:
            if facts is None:
                self.crawler.stats.inc_value("sitemodel/unparsable")
                return
            self.facts[url] = facts
        else:
            yield from items
        for href in response.xpath(
            "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"
        ).getall():
            try:
                feed = response.urljoin(href)
            except ValueError:
                self.crawler.stats.inc_value("links/bad_href")
                continue
            if self.on_site(feed):
                yield scrapy.Request(
                    feed, callback=self.parse_feed, errback=self.ignore, priority=8
                )
        limit = self.settings.getint("MAX_LINKS_PER_PAGE", 2000)
        if 0 < limit < len(links):
            self.links_capped(response.url, len(links), limit)
            links = links[:limit]
        for link in links:
            self.follow_page(link, depth + 1)
        if self.model is None and len(self.facts) >= self.sample_target:
            yield from self.learn_and_emit(final=False)

    def _judge_now(self, url: str, html: str) -> list[dict[str, Any]]:
        """Past the sample: judge the page by the model, and the undated pages its entries
        date; the new articles among them, to emit."""
        model = self.model
        assert model is not None
        told = model.read_listing(url, html)  # its entries' dates, for the articles it lists
        items = []
        if (item := self._judge(url, html)) is not None:
            items.append(item)
        again = [*self.promoted, *(told & self.held.keys())]
        self.promoted.clear()
        for target in again:
            if target not in self.held:
                continue
            packed, extra = self.held.pop(target)
            self.crawler.stats.inc_value("sitemodel/judged_again")
            self.crawler.stats.inc_value("sitemodel/pages/other", -1)
            html = zlib.decompress(packed).decode("utf-8")
            if (item := self._judge(target, html, extra, again=True)) is not None:
                items.append(item)
        return items

    def _hold(self, url: str, packed: bytes, extra: dict[str, Any]) -> None:
        if len(self.held) < self.sample_size:  # bounded: beyond it, judged as they are
            self.held[url] = (packed, extra)

    def _judge(
        self, url: str, html: str, extra: dict[str, Any] | None = None, again: bool = False
    ) -> dict[str, Any] | None:
        model = self.model
        assert model is not None
        if extra is None:
            feed_date = self.feed_date(url)
            extra = {"feed_date": feed_date} if feed_date else {}
        verdict = model.judge(url, html, extra)
        model.forget(url)
        self.crawler.stats.inc_value(f"sitemodel/pages/{verdict.kind}")
        self.logger.debug("site model: %s %s (%s)", verdict.kind, url, verdict.reason)
        if not again:
            template = url_template(url)
            passed = verdict.kind == "article" or verdict.reason.endswith(NOT_ARTICLE_TEMPLATE)
            if model.tally(template, passed):
                self.logger.debug("site model: %s is an article template too", template)
                self.crawler.stats.inc_value("sitemodel/templates_learned_late")
                self.frontier.rerank(self._model_rank)
                for key in [k for k in self.held if url_template(k) == template]:
                    self.promoted.append(key)
        if _held(verdict):
            self._hold(url, zlib.compress(html.encode("utf-8"), 1), extra)
        if verdict.kind != "article":
            return None
        if self.copies.seen(verdict):
            verdict.lines = None
            self.crawler.stats.inc_value("sitemodel/aliases")
            self.logger.debug("site model: %s is an article emitted under another URL", url)
            return None
        self.copies.add(verdict)
        model.learn_lines(verdict)
        return self._article(verdict, extra.get("feed_date"), datetime.now(UTC).isoformat())

    def _article(
        self, verdict: Verdict, feed_date: dict[str, Any] | None, fetched_at: str
    ) -> dict[str, Any]:
        if len(self.verdicts) < 3:
            self.verdicts.append(verdict)
        if self.model_summary is not None:
            self.model_summary["articles"] += 1
        return {
            "url": verdict.url,
            "html": verdict.html,
            "site_model": True,
            "site": self.name,
            "province": self.province,
            "agency": self.agency,
            "family": self.family,
            "listing_date": verdict.listing_date,
            "listing_category": None,
            "feed_date": feed_date,
            "fetched_at": fetched_at,
        }

    # ---- learning and emitting -------------------------------------------------------------
    def on_idle(self) -> None:
        """Nothing in flight: hand Scrapy the next pages, or, the walk done, learn the model
        from what it fetched (a site smaller than the sample) and emit its articles."""
        self.in_flight = 0  # whatever was lost on the way (a refused redirect) is not in flight
        if self.frontier:
            for request in self.refill():
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
        if self.model is not None:
            self.write_report()
            return
        if not self.facts or self.flushed:
            return  # flushed once: a model that failed to learn is not tried again
        self.flushed = True
        # Emitted from a callback, so that the items go through the pipelines.
        self.crawler.engine.crawl(
            scrapy.Request(
                self.base_url,
                callback=self.emit_articles,
                errback=self.emit_articles,
                dont_filter=True,
                priority=100,
            )
        )
        raise DontCloseSpider

    def emit_articles(self, _response: Any = None) -> Any:
        yield from self.learn_and_emit()
        self.write_report()

    def learn_and_emit(self, final: bool = True) -> Iterator[dict[str, Any]]:
        """Learn the site model from the sample, order the rest of the walk by it, and emit the
        sample's articles (one per article served under several URLs). The learning is done
        before the first item is asked for: other responses arrive while Scrapy consumes them.
        Unless the walk is over (`final`), a sample with too few articles to tell the article
        template's own lines grows instead, to four times SITE_MODEL_SAMPLE_PAGES at most."""
        chosen = self._learn(final)
        return iter(()) if chosen is None else self._emit_sample(chosen)

    def _emit_sample(
        self, chosen: list[tuple[Verdict, bytes, PageFacts]]
    ) -> Iterator[dict[str, Any]]:
        for verdict, packed, facts in chosen:
            verdict.html = zlib.decompress(packed).decode("utf-8")
            fetched_at = facts.extra.get("fetched_at") or datetime.now(UTC).isoformat()
            yield self._article(verdict, facts.extra.get("feed_date"), fetched_at)
            if not any(v is verdict for v in self.verdicts):  # kept for the report
                verdict.html = None

    def _learn(self, final: bool) -> list[tuple[Verdict, bytes, PageFacts]] | None:
        store = state_for(self.crawler)
        prior = store.site_model(self.site_id)
        for url, facts in self.facts.items():
            found = self.feed_date(url)
            if found:
                facts.extra["feed_date"] = found
        model = SiteModel.learn(self.facts.values(), prior)
        if (
            not final
            and model.article_pages < MIN_ARTICLES
            and self.sample_target < 4 * self.sample_size
        ):
            self.sample_target *= 2
            self.crawler.stats.inc_value("sitemodel/sample_grown")
            return None
        dump = self.settings.get("SITE_MODEL_DUMP")
        if dump:
            # The pages the model learns from, for a person to replay (`SiteModel.learn`).
            with open(dump, "w", encoding="utf-8") as fh:
                for facts in self.facts.values():
                    row = {"url": facts.url, "html": facts.html, "extra": facts.extra}
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        store.save_site_model(self.site_id, model.to_json())
        stats = self.crawler.stats
        verdicts: list[tuple[Verdict, bytes, PageFacts]] = []
        for url, facts in self.facts.items():
            verdict = model.judge(url, facts.html, facts.extra)
            verdict.lines = None  # the sample's lines are counted already
            stats.inc_value(f"sitemodel/pages/{verdict.kind}")
            self.logger.debug("site model: %s %s (%s)", verdict.kind, url, verdict.reason)
            if _held(verdict):
                self._hold(url, facts.packed, facts.extra)
            if verdict.kind == "article":
                # Held packed until chosen: the annotated page is the size of the page.
                packed = zlib.compress((verdict.html or "").encode("utf-8"), 1)
                verdict.html = None
                verdicts.append((verdict, packed, facts))
        # One article served under several URLs (aliases, /node/N and its path): keep one.
        # Copies are one article when they share the body fingerprint or the title and day.
        parent: dict[str, str] = {}

        def root(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        for v, k in same_articles(v for v, _, _ in verdicts).items():
            parent[root(v)] = root("t:" + k)
        for v, _, _ in verdicts:
            parent[root(v.url)] = root("f:" + (v.fingerprint or v.url))
        key = {v.url: root(v.url) for v, _, _ in verdicts}
        best: dict[str, str] = {}
        rank = {v.url: (v.date_raw is None, *model.preference(v.url)) for v, _, _ in verdicts}
        for verdict, _, _ in verdicts:
            kept = best.get(key[verdict.url])
            # The copy that prints its date, else the URL the listings use.
            if kept is None or rank[verdict.url] < rank[kept]:
                best[key[verdict.url]] = verdict.url
        summary = {**model.describe(), "articles": 0}
        sample = list(self.facts.values())[:20]
        summary["fingerprint"] = fingerprint((f.url, f.html, None) for f in sample).to_json()
        self.model_summary = summary
        chosen = []
        for verdict, packed, facts in verdicts:
            url = verdict.url
            if best[key[url]] != url:
                stats.inc_value("sitemodel/aliases")
                self.logger.debug("site model: %s is %s again", url, best[key[url]])
                continue
            self.copies.add(verdict)  # now: a copy judged before these are emitted is one
            chosen.append((verdict, packed, facts))
        for url in self.facts:
            model.forget(url)  # judged; the frontier's pages keep the dates listings gave
            self.judged.add(url)
        self.facts.clear()  # the pages are in the records now; free their memory
        self.model = model
        self.frontier.rerank(self._model_rank)
        return chosen

    def write_report(self) -> None:
        """SITE_MODEL_REPORT: the model and three articles as extraction reads them."""
        report = self.settings.get("SITE_MODEL_REPORT")
        if not report or self.model_summary is None:
            return
        samples = []
        for verdict in self.verdicts:
            try:
                fields = extract_fields(verdict)
            except ExtractionError as exc:
                samples.append({"url": verdict.url, "error": str(exc)})
                continue
            fields.update(url=verdict.url, fetched_at=datetime.now(UTC).isoformat())
            if verdict.listing_date:
                fields["published_candidates"].append(
                    {"source": "listing", "raw": verdict.listing_date}
                )
            dates = date_fields(fields)
            samples.append(
                {
                    "url": verdict.url,
                    "positions": verdict.positions,
                    "title": fields["title"],
                    "published_at": dates["published_at"],
                    "author": fields["author"],
                    "text": fields["text"],
                }
            )
        with open(report, "w", encoding="utf-8") as fh:
            json.dump({**self.model_summary, "samples": samples}, fh, ensure_ascii=False, indent=2)
