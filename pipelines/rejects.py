"""Record every page that could not become a record: one JSONL line with url, site, reason, detail.

Pipelines reject with `pipelines.errors.RejectItem`; spiders report fetch failures through the
`page_rejected` signal. Both go to the run's outbox (written out as `rejects/<run>.jsonl` when
the run closes) and to the crawl stats.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import signals

from pipelines.errors import RejectItem
from pipelines.session import keeps_run
from pipelines.state import STATE_ERRORS, state_for
from pipelines.write import current_run

logger = logging.getLogger(__name__)

# Sent by spiders: page_rejected(url=..., reason=..., detail=...)
page_rejected = object()


class RejectsLog:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RejectsLog:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.record, signal=page_rejected)
        return ext

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
        stats = self.crawler.stats
        stats.inc_value("rejects/count")
        stats.inc_value(f"rejects/reason/{reason}")
        logger.warning("rejected %s [%s] %s: %s", url, spider.name, reason, detail)
        entry = {
            "url": url,
            "site": spider.name,
            "reason": reason,
            "detail": detail,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if not keeps_run(self.crawler):
            return
        try:
            state_for(self.crawler).reject(spider.site_id, current_run(self.crawler), entry)
        except STATE_ERRORS as exc:  # counted: the run's manifest reports it
            stats.inc_value("rejects/unsaved")
            logger.error("%s: reject of %s not saved: %s", spider.name, url, exc)
