"""Recorded pages of a site (fixture format 2) and their replay through the site's own spider.

A fixture is the raw response body, gzipped, with its URL, status, headers and fetch time in the
site's meta.json; each article's expected record lies beside it (`<file>.expected.json`). Replay
builds a Scrapy response from exactly those bytes and headers, calls the spider's callbacks
(`parse_listing`, `parse_article`: its decode, its overrides, its rules) with the spider's clock
set to the recorded fetch time, and runs the item through the pipeline stages that make a record.
The recorder fetches a site (live or a mirror), rewrites the mirror's origin to the site's
home URL so that the pages read as recordings of the portal, and keeps the expected records
unless told to accept new ones.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from pipelines.dates import DatesPipeline
from pipelines.errors import RejectItem
from pipelines.extract import ExtractPipeline
from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline

FORMAT = 2
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
# Headers that describe the transfer, not the page: meaningless once the body is stored.
_TRANSFER_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive", "date"}
# Record fields a person reviews and a replay must reproduce (derived ones, the site's constant
# attributes and the crawl time are left out: they follow from these or from the class).
EXPECTED_FIELDS = (
    "title",
    "summary",
    "paragraphs",
    "published_at",
    "published_at_raw",
    "published_at_precision",
    "modified_at",
    "author",
    "images",
    "category",
    "tags",
    "canonical_url",
)


class FixtureError(Exception):
    """A page that could not be fetched or a site that cannot be recorded."""


@dataclass
class Page:
    """One recorded response."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601, UTC

    def describe(self, file: str) -> dict[str, Any]:
        return {
            "file": file,
            "url": self.url,
            "status": self.status,
            "headers": self.headers,
            "fetched_at": self.fetched_at,
        }


@dataclass
class Listing:
    page: Page
    articles: list[tuple[str, dict[str, Any]]]  # (article URL, request meta)
    next: str | None


@dataclass
class Recording:
    """What one recording run produced, before it is written."""

    listings: list[tuple[str, Listing]] = field(default_factory=list)
    articles: list[tuple[str, Page, dict[str, Any]]] = field(default_factory=list)


def loader() -> SpiderLoader:
    return SpiderLoader.from_settings(get_project_settings())


def sites() -> list[str]:
    """Every registered site with fixtures to keep (the zero-config spider has none)."""
    return sorted(n for n in loader().list() if n != "generic")


def spider_for(site: str, start_url: str | None = None) -> Any:
    """The site's spider on an offline crawler: no state, its project's schema version."""
    return spider_for_class(loader().load(site), start_url)


def spider_for_class(cls: type, start_url: str | None = None) -> Any:
    project = get_project_settings()
    crawler = get_crawler(cls, {"SCHEMA_VERSION": project.get("SCHEMA_VERSION"), "STATE_DIR": None})
    kwargs = {"start_url": start_url} if start_url else {}
    spider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


# ---- fetching ---------------------------------------------------------------------------------


# Seconds between two requests to a portal (small government servers); none to loopback.
POLITE_DELAY = 1.0
_last_fetch = [0.0]


def _wait_politely(url: str) -> None:
    if urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
        return
    pause = _last_fetch[0] + POLITE_DELAY - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    _last_fetch[0] = time.monotonic()


def fetch(url: str, timeout: float = 20.0) -> Page:
    """GET a URL as the crawler would see it: the raw body, never decompressed or decoded."""
    _wait_politely(url)
    contact = get_project_settings().get("CONTACT")
    agent = f"vn-ict-crawler/0.1 fixture recorder (+{contact})"
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (http only)
            body, status, final, headers = resp.read(), resp.status, resp.geturl(), resp.headers
    except urllib.error.HTTPError as exc:
        body, status, final, headers = exc.read(), exc.code, exc.geturl() or url, exc.headers
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FixtureError(f"cannot fetch {url}: {getattr(exc, 'reason', exc)}") from exc
    kept = {k: v for k, v in headers.items() if k.lower() not in _TRANSFER_HEADERS}
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    return Page(final, status, kept, body, now)


def rebase(page: Page, origin: str, home: str) -> Page:
    """The page as if fetched from the portal itself: the mirror's origin replaced by home's."""
    if not origin or origin == home:
        return page
    body = page.body.replace(origin.encode(), home.encode())
    return Page(page.url.replace(origin, home, 1), page.status, page.headers, body, page.fetched_at)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ---- replay -----------------------------------------------------------------------------------


def response_for(page: Page, meta: dict[str, Any] | None = None) -> HtmlResponse:
    request = Request(page.url, meta=dict(meta or {}))
    return HtmlResponse(
        page.url, status=page.status, headers=page.headers, body=page.body, request=request
    )


def listing_of(spider: Any, page: Page) -> Listing:
    """The spider's own reading of a listing page: its article links (with what each request
    carries) and its next page."""
    articles: list[tuple[str, dict[str, Any]]] = []
    nxt = None
    for request in spider.parse_listing(response_for(page)):
        if not isinstance(request, Request):
            continue
        name = getattr(request.callback, "__name__", "")
        if name == "parse_article":
            meta = {
                k: request.meta.get(k)
                for k in ("listing_url", "listing_date", "listing_category")
                if request.meta.get(k) is not None
            }
            articles.append((request.url, meta))
        elif name == "parse_listing":
            nxt = request.url
    return Listing(page, articles, nxt)


def replay_article(
    spider: Any,
    page: Page,
    meta: dict[str, Any] | None = None,
    *,
    served: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record the site's spider and pipelines make of a recorded article page, at its
    recorded fetch time. Raises RejectItem when the chain rejects it. `served`, when given, gets
    the name of the layout the spider chose (`layout`, None for a site without layouts), also
    when the page is then rejected."""
    fetched = datetime.fromisoformat(page.fetched_at)
    spider.clock = lambda: fetched
    items = [i for i in spider.parse_article(response_for(page, meta)) if isinstance(i, dict)]
    if not items:
        raise RejectItem("not_a_page", f"{spider.name}.parse_article yielded nothing")
    if served is not None:
        served["layout"] = items[0].get("layout")
    crawler = spider.crawler
    item = ExtractPipeline(crawler).process_item(dict(items[0]))
    item = DatesPipeline().process_item(item)
    record = NormalizePipeline(crawler).process_item(item)
    return ValidatePipeline().process_item(record)


def expected_of(record: dict[str, Any]) -> dict[str, Any]:
    """The reviewed part of a record (text as a list of paragraphs, for readable diffs)."""
    view = {k: record.get(k) for k in EXPECTED_FIELDS if k != "paragraphs"}
    view["paragraphs"] = record["text"].split("\n") if record.get("text") else []
    return {k: view[k] for k in EXPECTED_FIELDS}


def diff_expected(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Field by field, what changed from the stored expected record to the new one."""
    if old is None:
        return []
    lines = []
    for key in EXPECTED_FIELDS:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key == "paragraphs" and isinstance(a, list) and isinstance(b, list):
            lines.append(f"  {key}: {len(a)} -> {len(b)} paragraphs")
            for i in range(max(len(a), len(b))):
                pa = a[i] if i < len(a) else None
                pb = b[i] if i < len(b) else None
                if pa != pb:
                    lines.append(f"    [{i}] - {_short(pa)}")
                    lines.append(f"    [{i}] + {_short(pb)}")
        else:
            lines.append(f"  {key}: - {_short(a)}")
            lines.append(f"  {key}: + {_short(b)}")
    return lines


def _short(value: Any, width: int = 110) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


# ---- the store --------------------------------------------------------------------------------


def site_dir(site: str, root: Path | None = None) -> Path:
    return (root or FIXTURES) / site


def load_meta(site: str, root: Path | None = None) -> dict[str, Any]:
    path = site_dir(site, root) / "meta.json"
    if not path.exists():
        raise FixtureError(
            f"{site}: no fixtures in {path.parent} (python -m crawler record {site})"
        )
    meta = json.loads(path.read_text("utf-8"))
    if meta.get("format") != FORMAT:
        raise FixtureError(f"{site}: fixtures in format {meta.get('format', 1)}; re-record them")
    return meta


def load_page(site: str, entry: dict[str, Any], root: Path | None = None) -> Page:
    body = gzip.decompress((site_dir(site, root) / entry["file"]).read_bytes())
    return Page(entry["url"], entry["status"], entry["headers"], body, entry["fetched_at"])


def expected_path(site: str, entry: dict[str, Any], root: Path | None = None) -> Path:
    return site_dir(site, root) / entry["expected"]


def load_expected(site: str, entry: dict[str, Any], root: Path | None = None) -> dict | None:
    path = expected_path(site, entry, root)
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def article_file(url: str, taken: set[str]) -> str:
    """A stable, readable file name: the URL's last number (most CMSs' article id), else a hash."""
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    trailing = re.search(r"(\d+)(?:\.\w+)?$", last)
    numbers = re.findall(r"\d{3,}", parts.query)
    slug = re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")[:40]
    if trailing:
        stem = trailing.group(1)
    elif numbers:
        stem = numbers[-1]
    else:
        stem = slug or hashlib.sha1(url.encode()).hexdigest()[:10]
    name, n = f"article-{stem}.html.gz", 2
    while name in taken:
        name, n = f"article-{stem}-{n}.html.gz", n + 1
    taken.add(name)
    return name


# ---- recording --------------------------------------------------------------------------------


def walk_listings(
    spider: Any, pages: int, listing_urls: Iterable[str] | None = None
) -> list[Listing]:
    """Fetch up to `pages` listing pages: each listing's first page, then its next pages."""
    out: list[Listing] = []
    for start in listing_urls or spider.listing_urls():
        url: str | None = start
        while url and len(out) < pages:
            page = fetch(url)
            if page.status != 200:
                break
            listing = listing_of(spider, page)
            out.append(listing)
            url = listing.next
        if len(out) >= pages:
            break
    return out


def discover_listings(spider: Any, limit: int = 40) -> list[str]:
    """Listings found from the home page's menus, best first (most article links), for a site
    whose family's default listing path does not exist."""
    home = urljoin(spider.base_url, "/")
    page = fetch(home)
    if page.status != 200:
        raise FixtureError(f"{home}: HTTP {page.status}")
    response = response_for(page)
    scored: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    if len(listing_of(spider, page).articles) >= 3:
        scored.append((len(listing_of(spider, page).articles), 0, home))
    hrefs = response.xpath("//nav//a/@href | //*[contains(@class,'menu')]//a/@href").getall()
    hrefs += response.xpath("//a/@href").getall()
    for order, href in enumerate(hrefs):
        url = response.urljoin(href.strip()).split("#", 1)[0]
        if url in seen or url == home or not spider.on_site(url) or spider.is_article(url):
            continue
        seen.add(url)
        if len(seen) > limit:
            break
        try:
            candidate = fetch(url)
        except FixtureError:
            continue
        if candidate.status != 200:
            continue
        found = len(listing_of(spider, candidate).articles)
        if found >= 3:
            scored.append((found, order + 1, url))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [url for _, _, url in scored]


def record(
    site: str,
    *,
    base: str | None = None,
    urls: Iterable[str] = (),
    pages: int = 3,
    articles: int = 3,
    listing_urls: Iterable[str] | None = None,
) -> Recording:
    """Fetch a site's listing pages (`pages` of them, following each listing's next page) and
    articles (those of `urls`, else the first `articles` the listings link to) from `base` (a
    mirror) or the site's home URL."""
    spider = spider_for(site, base)
    home, origin = origin_of(spider.home_url), origin_of(spider.base_url)
    rec = Recording()
    chosen: dict[str, dict[str, Any]] = {}
    if pages > 0:
        starts = list(listing_urls or spider.listing_urls())
        walked = walk_listings(spider, pages, starts)
        if not walked and spider.guesses_listings():
            walked = walk_listings(spider, pages, discover_listings(spider)[:1])
        if not walked:
            raise FixtureError(f"{site}: no listing page answered at {', '.join(starts)}")
        for n, listing in enumerate(walked, start=1):
            rec.listings.append((f"listing-{n}.html.gz", listing))
            for url, meta in listing.articles:
                chosen.setdefault(url, meta)
    wanted = [urljoin(spider.base_url, u) for u in urls]
    # Articles named by URL carry what their listing gave them, when a walked listing has them.
    chosen = (
        {u: chosen.get(u, {}) for u in wanted} if wanted else dict(list(chosen.items())[:articles])
    )
    taken: set[str] = set()
    for url, meta in chosen.items():
        page = fetch(url)
        if page.status != 200:
            raise FixtureError(f"{url}: HTTP {page.status}")
        rec.articles.append((article_file(rebase(page, origin, home).url, taken), page, meta))
    # Store what the portal itself would have served.
    rec.listings = [
        (
            f,
            Listing(
                rebase(li.page, origin, home),
                [(u.replace(origin, home, 1), m) for u, m in li.articles],
                li.next.replace(origin, home, 1) if li.next else None,
            ),
        )
        for f, li in rec.listings
    ]
    rec.articles = [
        (
            f,
            rebase(p, origin, home),
            {k: v.replace(origin, home, 1) if isinstance(v, str) else v for k, v in m.items()},
        )
        for f, p, m in rec.articles
    ]
    return rec


def save(
    site: str,
    rec: Recording,
    *,
    accept: bool = False,
    root: Path | None = None,
    out: TextIO = sys.stdout,
    extra: dict[str, dict[str, Any]] | None = None,
) -> int:
    """Write a recording: 0 when written, 1 when an expected record changed and `accept` is not
    set (then nothing is written, and the diff is printed). `extra`: per article file, fields
    kept in its meta entry (the demo recorder's ground truth)."""
    directory = site_dir(site, root)
    try:
        old = load_meta(site, root)
    except FixtureError:
        old = {"listings": [], "articles": []}
    old_articles = {a["url"]: a for a in old.get("articles", [])}
    spider = spider_for(site)
    entries, expected, changed = [], {}, False
    for file, page, meta in rec.articles:
        try:
            new = expected_of(replay_article(spider, page, meta))
        except RejectItem as exc:
            print(f"{site}: {page.url}: rejected ({exc.reason}: {exc.detail})", file=out)
            return 1
        prior = old_articles.get(page.url)
        more = dict((extra or {}).get(page.url, {}))
        file = more.pop("file", None) or (prior["file"] if prior else file)
        expected_name = file.replace(".html.gz", ".expected.json")
        entry = page.describe(file) | {"meta": meta, "expected": expected_name} | more
        before = load_expected(site, prior, root) if prior and prior.get("expected") else None
        lines = diff_expected(before, new)
        if lines:
            changed = True
            print(f"{site}: {file}: the expected record changed:", file=out)
            print("\n".join(lines), file=out)
        elif before is None:
            print(f"{site}: {file}: new expected record (review {entry['expected']})", file=out)
        entries.append(entry)
        expected[entry["expected"]] = new
    if changed and not accept:
        print(f"{site}: nothing written; re-run with --accept to take the new records", file=out)
        return 1
    listings = [
        li.page.describe(f) | {"articles": [u for u, _ in li.articles], "next": li.next}
        for f, li in rec.listings
    ]
    recorded = {e["url"] for e in entries}
    if not rec.listings:  # articles re-recorded alone: the listings and other articles stay
        listings = old.get("listings", [])
        kept = [a for a in old.get("articles", []) if a["url"] not in recorded]
    else:  # pages recorded by URL (encoding variants) are not on the listings: they stay
        kept = [a for a in old.get("articles", []) if a.get("variant") and a["url"] not in recorded]
    entries = kept + entries
    meta_out = {"format": FORMAT, "site": site, "listings": listings, "articles": entries}
    # Write into a fresh folder and swap it in, so that a failed run leaves the old fixtures.
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site}-", dir=directory.parent))
    try:
        keep = {e["file"] for e in kept} | {e["expected"] for e in kept}
        if not rec.listings:
            keep |= {e["file"] for e in listings}
        if directory.exists():
            for path in directory.iterdir():
                if path.name in keep:
                    shutil.copy2(path, staging / path.name)
        for f, li in rec.listings:
            (staging / f).write_bytes(gzip.compress(li.page.body, mtime=0))
        for _file, page, _ in rec.articles:
            name = next(e["file"] for e in entries if e["url"] == page.url)
            (staging / name).write_bytes(gzip.compress(page.body, mtime=0))
        for name, value in expected.items():
            (staging / name).write_text(_dump(value), "utf-8")
        (staging / "meta.json").write_text(_dump(meta_out), "utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    print(
        f"{site}: {len(listings)} listing pages, {len(entries)} articles -> {directory}", file=out
    )
    return 0
