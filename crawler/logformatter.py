"""Log lines a data engineer can read: a dropped item is one short line, not a dump of the item,
and a failed download one line, not a traceback (kept at LOG_LEVEL=DEBUG)."""

from __future__ import annotations

import logging
from typing import Any

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


class ConciseErrorLog:
    """Extension: download errors in one line unless LOG_LEVEL is DEBUG."""

    def __init__(self, debug: bool) -> None:
        for name in _DOWNLOAD_LOGGERS:
            log = logging.getLogger(name)
            if debug:
                log.removeFilter(_ONE_LINE)
            elif _ONE_LINE not in log.filters:
                log.addFilter(_ONE_LINE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConciseErrorLog:
        return cls(str(crawler.settings.get("LOG_LEVEL", "DEBUG")).upper() == "DEBUG")
