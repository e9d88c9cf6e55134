"""Log lines a data engineer can read: a dropped item is one short line, not a dump of the item,
and a failed download one line, not a traceback (kept at LOG_LEVEL=DEBUG)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.logformatter import LogFormatter


class ConciseLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict:
        url = item.get("url", "?") if hasattr(item, "get") else "?"
        return {
            "level": logging.INFO,
            "msg": "dropped %(url)s: %(reason)s",
            "args": {"url": url, "reason": exception},
        }


class _DownloadErrorInOneLine(logging.Filter):
    """Scrapy logs a download error it cannot hand to an errback (robots.txt, requests without
    one) at ERROR with the whole traceback: forty lines for a refused connection."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Error downloading"):
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            args = record.args
            if record.name.endswith(".robotstxt") and isinstance(args, dict) and "request" in args:
                # The request named is the page waiting for robots.txt, not robots.txt itself.
                record.msg = "robots.txt not fetched before %(request)s: %(f_exception)s"
        return True


_ONE_LINE = _DownloadErrorInOneLine()
_DOWNLOAD_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper")


def drop_below_handlers() -> None:
    """Set the root logger's level to its handlers' lowest, so that a record no handler would
    take is dropped by the logger's first (cached) check instead of being built and offered to
    every handler. Scrapy leaves the root at NOTSET, and adds a log-counting handler per crawler:
    with 200 sites, each of the debug lines logged per page (Crawled, Scraped) went past 200
    handlers that all refused it."""
    root = logging.getLogger()
    if root.level not in (logging.NOTSET, _set_by_us[0]):
        return  # a level someone else chose
    lowest = min((h.level for h in root.handlers), default=logging.NOTSET)
    if lowest != root.level:  # follows a crawler started later at a lower LOG_LEVEL, too
        root.setLevel(lowest)
    _set_by_us[0] = lowest


_set_by_us = [logging.NOTSET]


class ConciseErrorLog:
    """Extension: download errors in one line unless LOG_LEVEL is DEBUG; records below every
    handler's level dropped at once (drop_below_handlers)."""

    def __init__(self, debug: bool) -> None:
        for name in _DOWNLOAD_LOGGERS:
            log = logging.getLogger(name)
            if debug:
                log.removeFilter(_ONE_LINE)
            elif _ONE_LINE not in log.filters:
                log.addFilter(_ONE_LINE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConciseErrorLog:
        ext = cls(str(crawler.settings.get("LOG_LEVEL", "DEBUG")).upper() == "DEBUG")
        # At engine start: Scrapy's handlers (root, and the crawler's counter) are installed.
        crawler.signals.connect(drop_below_handlers, signal=signals.engine_started)
        return ext
