"""The one exception a pipeline raises for a page that cannot become a valid record."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class RejectItem(DropItem):
    """Drop an item with a short reason code; `pipelines.rejects.RejectsLog` records and counts it."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
