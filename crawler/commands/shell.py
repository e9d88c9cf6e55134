"""`scrapy shell [--spider SITE] URL`: a session, not a run (no run in the state, no files);
with a site's spider, the spider is put on the URL's site so that its guard lets the page in
and `spider.parse_article(response)` and the like work as in a crawl."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.shell import Command as ScrapyShell
from scrapy.utils.url import guess_scheme

from crawler.commands import portal_start_url


class Command(ScrapyShell):
    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyShell.default_settings,
        "RUN_FILES": False,
    }
    _url: str | None = None

    def run(self, args: list[str], opts: Any) -> None:
        self._url = guess_scheme(args[0]) if args else None
        super().run(args, opts)

    def _place_spider(self, crawler: Any) -> None:
        start_url = portal_start_url(crawler.spidercls, self._url)
        if start_url:
            # The shell opens crawler.spider when set, else a spider made without arguments.
            crawler.spider = crawler._create_spider(start_url=start_url)

    def _init_with_reactor(self, crawler: Any) -> None:
        self._place_spider(crawler)
        super()._init_with_reactor(crawler)

    def _init_without_reactor(self, crawler: Any) -> None:
        self._place_spider(crawler)
        super()._init_without_reactor(crawler)
