"""`scrapy crawl SITE`: Scrapy's command, with the exit status of `python -m crawler crawl`:
1 when the run failed (its manifest says why), 75 when another run of the site holds its lock,
so that a scheduler (cron, Scrapyd) sees it."""

from __future__ import annotations

import logging
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl

logger = logging.getLogger(__name__)


class Command(ScrapyCrawl):
    _crawler: Any = None

    def _create_crawler(self, spidercls: Any) -> Any:
        self._crawler = super()._create_crawler(spidercls)
        return self._crawler

    def run(self, args: list[str], opts: Any) -> None:
        from pipelines.state import records_table_problem

        table = self.settings.get("RECORDS_TABLE")
        problem = records_table_problem(self.settings.get("STATE_URL")) if table else None
        if problem:  # a usage error, as in `python -m crawler crawl`: one line, before any request
            print(f"scrapy crawl: error: -s RECORDS_TABLE={table}: {problem}", file=sys.stderr)
            self.exitcode = 2
            return
        super().run(args, opts)
        stats = getattr(self._crawler, "stats", None)
        manifest = stats.get_value("run/manifest") if stats else None
        if manifest and manifest.get("status") == "locked":
            logger.warning("%s: %s", manifest.get("site"), "; ".join(manifest.get("problems", [])))
            self.exitcode = 75
        elif manifest and manifest.get("status") != "ok":
            logger.error(
                "%s: run %s failed: %s",
                manifest.get("site"),
                manifest.get("run_id"),
                "; ".join(manifest.get("problems", [])),
            )
            self.exitcode = 1
