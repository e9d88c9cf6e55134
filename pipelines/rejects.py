"""Record every page that could not become a record: one JSONL line with url, site, reason, detail.

Pipelines reject with `pipelines.errors.RejectItem`; spiders report fetch failures through the
`page_rejected` signal. Both end up in `<OUTPUT_DIR>/<site>.rejects.jsonl` and in the crawl stats.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import signals

from pipelines.errors import RejectItem
from pipelines.write import AtomicJsonlFile, output_path

logger = logging.getLogger(__name__)

# Sent by spiders: page_rejected(url=..., reason=..., detail=...)
page_rejected = object()


class RejectsLog:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.file: AtomicJsonlFile | None = None
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> RejectsLog:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.record, signal=page_rejected)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.file = AtomicJsonlFile(output_path(self.crawler.settings, spider.name, "rejects"))

    def spider_closed(self, spider: Any) -> None:
        if self.file is not None:
            self.file.commit()
            self.crawler.stats.set_value("rejects/file", str(self.file.path))

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Any) -> None:
        if isinstance(exception, RejectItem):
            self.record(
                item.get("url", "") if hasattr(item, "get") else "",
                exception.reason,
                exception.detail,
            )

    def spider_error(self, failure: Any, response: Any, spider: Any) -> None:
        self.record(response.url, "spider_error", failure.getErrorMessage())

    def record(self, url: str, reason: str, detail: str = "") -> None:
        spider = self.crawler.spider
        self.count += 1
        stats = self.crawler.stats
        stats.inc_value("rejects/count")
        stats.inc_value(f"rejects/reason/{reason}")
        logger.warning("rejected %s [%s] %s: %s", url, spider.name, reason, detail)
        if self.file is not None:
            self.file.write(
                {
                    "url": url,
                    "site": spider.name,
                    "reason": reason,
                    "detail": detail,
                    "at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
