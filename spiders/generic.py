"""Zero-config spider: point it at any portal and it finds the articles.

    scrapy crawl generic -a start_url=https://stttt.example.gov.vn/ -O out.jsonl

Discovery, most specific first: RSS/Atom feeds (autodiscovered on the start page), sitemaps (from
robots.txt and /sitemap.xml), then a breadth-first walk of the site's own links. It never leaves the
start URL's host and port, and emits only pages that look like articles (`looks_like_article`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import lxml.html
import scrapy
from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from pipelines.dates import search_date
from spiders.base import KnownTracker, PortalSpider
from spiders.families.nukeviet import NukeVietSpider

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
        doc = lxml.html.document_fromstring(html)
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
        self.max_depth = int(kwargs.get("max_depth", 5))
        self._known: KnownTracker | None = None

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

    async def start(self) -> AsyncIterator[scrapy.Request]:
        root = urljoin(self.base_url, "/")
        yield scrapy.Request(
            self.base_url,
            callback=self.parse_page,
            errback=self.on_error,
            cb_kwargs={"depth": 0},
            priority=10,
        )
        yield scrapy.Request(
            urljoin(root, "/robots.txt"),
            callback=self.parse_robots,
            errback=self.ignore,
            dont_filter=True,
        )
        yield scrapy.Request(
            urljoin(root, "/sitemap.xml"), callback=self.parse_sitemap, errback=self.ignore
        )

    def ignore(self, failure: Any) -> None:
        """Optional discovery files (robots.txt, sitemap.xml) may be missing."""

    def follow_page(self, url: str, depth: int, priority: int = 0) -> scrapy.Request | None:
        url = url.split("#", 1)[0]
        if not self.on_site(url) or _SKIP_EXT.search(urlsplit(url).path) or _SKIP_PATH.search(url):
            return None
        if self.known.skip(url, None):
            return None  # an article the state already has
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            cb_kwargs={"depth": depth},
            priority=priority,
        )

    def parse_robots(self, response: Response) -> Any:
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if self.on_site(url):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.ignore)

    def parse_sitemap(self, response: Response) -> Any:
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # not XML: nothing to learn here
            return
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if sitemap.type == "sitemapindex":
                if self.on_site(loc):
                    yield scrapy.Request(loc, callback=self.parse_sitemap, errback=self.ignore)
            elif (req := self.follow_page(loc, self.max_depth, priority=5)) is not None:
                yield req

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
            req = self.follow_page(response.urljoin(link.strip()), self.max_depth, 5)
            if req is None:
                continue
            pub = entry.xpath(
                "string(*[local-name()='pubDate' or local-name()='published' or local-name()='updated'])"
            ).strip()
            if pub:
                bug = "nukeviet" in generator or bool(_NUKEVIET_ARTICLE.search(req.url))
                req.meta["feed_date"] = {"raw": pub, "nukeviet_bug": bug}
            yield req

    def parse_page(self, response: Response, depth: int = 0) -> Any:
        if not isinstance(response, TextResponse):
            return
        if looks_like_article(response.url, response.text):
            yield from self.parse_article(response)
        for href in response.xpath(
            "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"
        ).getall():
            url = response.urljoin(href)
            if self.on_site(url):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.ignore, priority=8)
        if depth >= self.max_depth:
            return
        for href in response.xpath("//a/@href").getall():
            href = href.strip()
            if not href or href.startswith(
                ("#", "mailto:", "tel:", "javascript:", "file:", "data:")
            ):
                continue
            if (req := self.follow_page(response.urljoin(href), depth + 1)) is not None:
                yield req
