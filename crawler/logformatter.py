"""Log lines a data engineer can read: a dropped item is one short line, not a dump of the item."""

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
