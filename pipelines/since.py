"""Drop records published before the SINCE setting (`crawl --since DATE`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from scrapy.exceptions import DropItem


class SincePipeline:
    def __init__(self, since: date | None) -> None:
        self.since = since

    @classmethod
    def from_crawler(cls, crawler: Any) -> SincePipeline:
        value = crawler.settings.get("SINCE")
        return cls(date.fromisoformat(value) if value else None)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        published = item.get("published_at")
        if self.since and published and date.fromisoformat(published[:10]) < self.since:
            raise DropItem(f"published {published[:10]}, before --since {self.since}")
        return item
