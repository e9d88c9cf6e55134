"""`scrapy parse --spider SITE URL`: prints the finished records, i.e. the spider's items after
the project's pipelines (extract, dates, normalize, ..., validate), and a rejected page as
{url, rejected, detail} (the reason its rejects line would give). Nothing is written: a parse is no run. `--raw` prints the spider's own
items (url, html, hints) as Scrapy does. A site's spider is put on the URL's site unless
`-a start_url=...` says otherwise."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy import signals
from scrapy.commands.parse import Command as ScrapyParse

from crawler.commands import portal_start_url
from pipelines.rejects import page_rejected


class Command(ScrapyParse):
    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyParse.default_settings,
        "RUN_FILES": False,
    }
    _depth = 1

    def short_desc(self) -> str:
        return (
            "Parse URL with its spider and print the finished records (--raw: the spider's items)"
        )

    def add_options(self, parser: Any) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--raw",
            action="store_true",
            help="print the spider's own items (url, html, ...) instead of the finished records",
        )

    def run(self, args: list[str], opts: Any) -> None:
        if not opts.raw:
            # The crawl's own pipelines finish every item once; Scrapy's --pipelines would run
            # them a second time (and drop every record as a duplicate of itself).
            opts.pipelines = False
        super().run(args, opts)

    def set_spidercls(self, url: str, opts: Any) -> None:
        super().set_spidercls(url, opts)
        start_url = portal_start_url(self.spidercls, url)
        if start_url and "start_url" not in opts.spargs:
            opts.spargs["start_url"] = start_url

    def _create_crawler(self, spidercls: Any) -> Any:
        crawler = super()._create_crawler(spidercls)
        crawler.signals.connect(self._finished, signal=signals.item_scraped)
        crawler.signals.connect(self._dropped, signal=signals.item_dropped)
        crawler.signals.connect(self._rejected, signal=page_rejected)
        return crawler

    def scraped_data(self, args: tuple[Any, ...]) -> list[Any]:
        items, requests, opts, depth, spider, callback = args
        if opts.raw:
            return super().scraped_data(args)
        self._depth = depth
        # The items go to the engine like a crawl's; what the pipelines make of them is
        # printed (item_scraped, item_dropped) instead of the items themselves.
        return [*items, *super().scraped_data(([], requests, opts, depth, spider, callback))]

    def _finished(self, item: Any) -> None:
        self.add_items(self._depth, [item])

    def _dropped(self, item: Any, exception: BaseException) -> None:
        url = item.get("url") if hasattr(item, "get") else None
        reason = getattr(exception, "reason", "dropped")
        self._rejected(url, reason, getattr(exception, "detail", str(exception)))

    def _rejected(self, url: str | None, reason: str, detail: str = "") -> None:
        """A page the spider (empty, binary...) or a pipeline rejected, as the rejects file has it."""
        self.add_items(self._depth, [{"url": url, "rejected": reason, "detail": detail}])
