"""Downloader middleware: retries that back off and honour Retry-After."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import reactor
from twisted.internet.error import ConnectionRefusedError as TwistedConnectionRefused
from twisted.internet.task import deferLater

from spiders.faults import OVERSIZE_KEY

logger = logging.getLogger(__name__)
# The statuses Scrapy's RedirectMiddleware follows.
_FOLLOWED = frozenset({301, 302, 303, 307, 308})

try:  # Scrapy ≥ 2.14 wraps Twisted's error in its own
    from scrapy.exceptions import DownloadConnectionRefusedError

    _REFUSED: tuple[type[Exception], ...] = (
        DownloadConnectionRefusedError,
        TwistedConnectionRefused,
    )
except ImportError:  # pragma: no cover - older Scrapy
    _REFUSED = (TwistedConnectionRefused,)
# A retry pause at least this long is worth an INFO line (it explains a silent log); shorter
# ones are DEBUG: the page's outcome is logged once, by the rejects log, if it fails for good.
LONG_PAUSE = 10.0


def retry_after(response: Response, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), if any."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each after a pause: the server's Retry-After when it gives one,
    otherwise RETRY_BACKOFF_BASE * 2**(attempt-1) seconds, capped at RETRY_BACKOFF_MAX. The
    whole site's download slot slows down too, so other pages do not hammer it meanwhile.

    A connection refused by a host that has not answered once in this run is not retried: the
    site is down (or the URL's port is wrong), and backing off would only spend a minute before
    saying so. Once the host has answered, a refusal is retried like any error (a restart)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.answered: set[bytes | str] = set()  # netlocs that sent a response this run

    def delay_for(self, attempt: int, response: Response | None = None) -> float:
        asked = retry_after(response) if response is not None else None
        delay = asked if asked is not None else self.base * 2 ** max(0, attempt - 1)
        return min(delay, self.cap)

    async def _pause(self, request: Request, delay: float) -> None:
        if delay <= 0:
            return
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        if downloader is not None:
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is not None and slot.delay < delay:
                slot.delay = delay
        await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))

    async def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Any:
        self.answered.add(urlparse_cached(request).netloc)
        result = RetryMiddleware.process_response(self, request, response)
        if isinstance(result, Request):
            delay = self.delay_for(result.meta.get("retry_times", 1), response)
            level = logging.INFO if delay >= LONG_PAUSE else logging.DEBUG
            logger.log(level, "retrying %s in %.1fs (HTTP %d)", request.url, delay, response.status)
            await self._pause(request, delay)
        return result

    async def process_exception(
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Any:
        if isinstance(exception, _REFUSED) and urlparse_cached(request).netloc not in self.answered:
            logger.debug("not retrying %s: refused by a host that never answered", request.url)
            return None
        result = RetryMiddleware.process_exception(self, request, exception)
        if isinstance(result, Request):
            await self._pause(request, self.delay_for(result.meta.get("retry_times", 1)))
        return result


class ContactUserAgentMiddleware:
    """User-Agent naming the project and the CONTACT setting, unless USER_AGENT is set by hand."""

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Any) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        agent = (
            settings.get("USER_AGENT")
            or f"{settings.get('BOT_NAME')}/0.1 (+{settings.get('CONTACT')})"
        )
        return cls(agent)

    def process_request(self, request: Request, spider: Any = None) -> None:
        request.headers.setdefault(b"User-Agent", self.user_agent.encode())


class SiteGuardMiddleware:
    """Never leave the site: a request (or a redirect) to another host or port, or to a
    non-HTTP scheme, is dropped with a reason the rejects file shows."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        on_site = getattr(self.crawler.spider, "on_site", None)
        if on_site is None or on_site(request.url):
            return
        origin = request.meta.get("redirect_urls")
        if origin:
            raise IgnoreRequest(f"offsite redirect from {origin[0]} to {request.url}")
        raise IgnoreRequest(f"offsite request to {request.url}")

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteGuardMiddleware:
        return cls(crawler)


class RedirectLoopMiddleware:
    """Name a redirect loop. Left alone, the redirect back to a URL already fetched is dropped
    by the duplicate filter without a word, and the page simply vanishes from the crawl.
    A redirect Scrapy would not follow (to file:, ftp:, javascript: … or a malformed Location) is
    named too: it would otherwise surface as a bare HTTP 3xx error."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            raw = location.decode("latin-1").strip()
            try:
                target = urljoin(request.url, raw)
                scheme = urlsplit(target).scheme.lower()
            except ValueError:
                raise IgnoreRequest(f"bad redirect to a malformed URL {raw!r}") from None
            followed = response.status in _FOLLOWED and not request.meta.get("dont_redirect")
            if followed and scheme not in ("http", "https"):
                raise IgnoreRequest(f"bad redirect to a non-HTTP URL {target!r}")
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if target in chain:
                raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])}")
        return response


class DownloadSizeMiddleware:
    """Count each download's bytes, so that a body without Content-Length that outgrows
    DOWNLOAD_MAXSIZE is rejected as too large: Scrapy cancels it mid-stream and the failure alone
    reads as a bare "cancelled"."""

    def __init__(self, crawler: Any) -> None:
        self.default = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.received: dict[int, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> DownloadSizeMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.bytes_received, signal=signals.bytes_received)
        crawler.signals.connect(mw.response_downloaded, signal=signals.response_downloaded)
        return mw

    def process_request(self, request: Request, spider: Any = None) -> None:
        request.meta.pop(OVERSIZE_KEY, None)  # a retry starts counting again
        self.received.pop(id(request), None)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        self.received.pop(id(request), None)

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        self.received.pop(id(request), None)

    def bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        limit = request.meta.get("download_maxsize", self.default)
        total = self.received.get(id(request), 0) + len(data)
        self.received[id(request)] = total
        if limit and total > limit and OVERSIZE_KEY not in request.meta:
            request.meta[OVERSIZE_KEY] = (
                f"the body passed the download size limit: {total} bytes received, limit {limit}"
                f" bytes (DOWNLOAD_MAXSIZE={limit})"
            )
