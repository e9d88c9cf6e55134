"""Whether a crawl is a run of a site: only then does it open a run in the state, commit records
to the outbox and write records, rejects and a manifest.

Not a run: a spider that is no portal spider (Scrapy's DefaultSpider in `scrapy shell URL`, a
user's own spider), and sessions of Scrapy's tools, whose commands set RUN_FILES = False
(crawler/commands/: `scrapy shell`, `scrapy parse`)."""

from __future__ import annotations

from typing import Any


def keeps_run(crawler: Any) -> bool:
    spider = getattr(crawler, "spider", None)
    if getattr(spider, "site_id", None) is None:
        return False
    return crawler.settings.getbool("RUN_FILES", True)
