"""Drop a second record for the same canonical URL within one run."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem


class DedupePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item["id"] in self.seen:
            self.crawler.stats.inc_value("dedupe/dropped")
            raise DropItem(f"duplicate of {item['canonical_url']} (reached as {item['url']})")
        self.seen.add(item["id"])
        return item
