"""The one exception a pipeline raises for a page that cannot become a valid record."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from scrapy.exceptions import DropItem


class RejectItem(DropItem):
    """Drop an item with a short reason code; `pipelines.rejects.RejectsLog` records and counts it."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def reject_errors(process_item: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an item pipeline's process_item: any exception it raises becomes a reject
    `extraction_error` naming the exception, instead of Scrapy's "Error processing" log line
    and a page that is neither a record nor a reject."""

    @functools.wraps(process_item)
    def wrapper(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return process_item(self, item, *args, **kwargs)
        except DropItem:
            raise
        except Exception as exc:
            raise RejectItem("extraction_error", f"{type(exc).__name__}: {exc}"[:500]) from exc

    return wrapper
