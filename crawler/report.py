"""What a run tells the people who schedule it: progress lines, a manifest, a status, drift alarms."""

from __future__ import annotations

import json
import logging
import os
import statistics
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from twisted.internet import task

from pipelines.session import keeps_run
from pipelines.state import iso, state_for
from pipelines.write import current_run, output_path

logger = logging.getLogger("crawler.report")
FIELDS = ("title", "published_at", "text")


def counts(stats: dict[str, Any]) -> dict[str, int]:
    """The run's figures from Scrapy's stats, named for people."""
    responses = stats.get("response_received_count", 0)
    records = stats.get("output/records", stats.get("item_scraped_count", 0))
    return {
        "pages": responses - stats.get("robotstxt/response_count", 0),
        "records": records,
        "new": stats.get("state/new", 0),
        "updated": stats.get("state/updated", 0),
        "unchanged": stats.get("state/unchanged", 0),
        "known_skipped": stats.get("state/known_skipped", 0),
        "rejects": stats.get("rejects/count", 0),
        "duplicates": stats.get("dedupe/dropped", 0),
        "listing_pages": stats.get("listing/pages", 0),
        "listing_entries": stats.get("listing/entries", 0),
    }


def drift(current: dict[str, Any], previous: list[dict[str, Any]], settings: Any) -> list[str]:
    """Compare field coverage and articles per listing page with the previous runs' medians:
    a sharp fall is the usual sign that a portal changed its templates."""
    alarms = []
    drop = settings.getfloat("DRIFT_COVERAGE_DROP", 0.3)
    for field in FIELDS:
        before = [m["coverage"][field] for m in previous if m.get("coverage")]
        now = (current.get("coverage") or {}).get(field)
        if before and now is not None and now < statistics.median(before) - drop:
            alarms.append(f"{field} coverage {now:.0%} (was {statistics.median(before):.0%})")
    per_page = [m["per_listing_page"] for m in previous if m.get("per_listing_page")]
    now = current.get("per_listing_page")
    fraction = settings.getfloat("DRIFT_SEEN_FRACTION", 0.5)
    if per_page and now is not None and now < fraction * statistics.median(per_page):
        alarms.append(
            f"{now:.1f} articles per listing page (was {statistics.median(per_page):.1f})"
        )
    return alarms


class RunReport:
    """At the end of a run: status, problems and a manifest beside the output files."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.started = datetime.now(UTC)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReport:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Any, reason: str) -> None:
        if not keeps_run(self.crawler):
            return
        stats = self.crawler.stats.get_stats()
        settings = self.crawler.settings
        store = state_for(self.crawler)
        run_id = current_run(self.crawler)
        figures = counts(stats)
        records = figures["records"]
        coverage = {f: stats.get(f"coverage/{f}", 0) / records for f in FIELDS} if records else None
        per_page = (
            figures["listing_entries"] / figures["listing_pages"]
            if figures["listing_pages"]
            else None
        )
        manifest: dict[str, Any] = {
            "schema_version": settings.get("SCHEMA_VERSION", "1"),
            "site": spider.site_id,
            "run_id": run_id,
            "resumed": bool(stats.get("run/resumed")),
            "started_at": iso(self.started),
            "finished_at": iso(datetime.now(UTC)),
            "duration_s": round((datetime.now(UTC) - self.started).total_seconds(), 3),
            "finish_reason": reason,
            "start_url": getattr(spider, "base_url", None),
            "counts": figures,
            "coverage": coverage,
            "per_listing_page": per_page,
            "rejects_by_reason": {
                k.removeprefix("rejects/reason/"): v
                for k, v in stats.items()
                if k.startswith("rejects/reason/")
            },
            "site_model": getattr(spider, "model_summary", None),
            "files": {
                "records": stats.get("output/file"),
                "rejects": stats.get("rejects/file"),
            },
        }
        problems = []
        if figures["pages"] == 0:
            problems.append("unreachable: no page was fetched")
        elif records + figures["unchanged"] + figures["known_skipped"] == 0:
            problems.append("no article seen, new or known")
        if reason not in ("finished", "closespider_pagecount", "closespider_itemcount"):
            problems.append(f"stopped early: {reason}")
        write_error = stats.get("output/error")
        if write_error:
            problems.append(f"output not written: {write_error}")
        problems += [
            f"drift: {a}"
            for a in drift(manifest, store.previous_manifests(spider.site_id), settings)
        ]
        manifest["status"] = "failed" if problems else "ok"
        manifest["problems"] = problems
        path = output_path(settings, spider.site_id, run_id, "manifest")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
            os.replace(tmp, path)
            manifest["files"]["manifest"] = str(path)
        except OSError as exc:
            logger.error("%s: the manifest could not be written: %s", spider.name, exc)
            manifest["status"] = "failed"
            problems.append(f"manifest not written: {type(exc).__name__}: {exc}")
        if not write_error:  # else the run stays unfinished: the next run writes its records
            store.finish_run(spider.site_id, run_id, manifest["status"], manifest)
        self.crawler.stats.set_value("run/manifest", manifest)
        log = logger.warning if problems else logger.info
        log(
            "%s: run %s %s (%s)",
            spider.name,
            run_id,
            manifest["status"],
            "; ".join(problems) or "no problems",
        )


class Progress:
    """A progress line per site every PROGRESS_INTERVAL seconds."""

    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        ext = cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 15))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        if self.interval > 0:
            self.loop = task.LoopingCall(self.report, spider)
            self.loop.start(self.interval, now=False)

    def report(self, spider: Any) -> None:
        c = counts(self.crawler.stats.get_stats())
        logger.info(
            "%s: %d pages, %d records (%d new, %d updated), %d known, %d rejects",
            spider.name,
            c["pages"],
            c["records"],
            c["new"],
            c["updated"],
            c["known_skipped"] + c["unchanged"],
            c["rejects"],
        )

    def spider_closed(self, spider: Any) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
