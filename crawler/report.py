"""What a run tells the people who schedule it: progress lines, a manifest, a status, drift alarms."""

from __future__ import annotations

import logging
import statistics
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from twisted.internet import task

from pipelines.session import keeps_run
from pipelines.state import STATE_ERRORS, iso, state_for
from pipelines.write import current_run, failpoint, has_run, output_path, write_manifest

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
        "older_than_since": stats.get("state/older_than_since", 0),
        "recovered": stats.get("state/recovered", 0),
    }


def file_coverage(store: Any, site: str, run_id: str) -> dict[str, float] | None:
    """Share of the run's records with each field, over its outbox: what its records file holds,
    the records recovered from a killed run included (this run's stats count only its own)."""
    present = dict.fromkeys(FIELDS, 0)
    total = 0
    try:
        for record in store.outbox(site, run_id, "record"):
            total += 1
            for field in FIELDS:
                present[field] += bool(record.get(field))
    except STATE_ERRORS:
        return None
    return {f: present[f] / total for f in FIELDS} if total else None


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
        crawler = self.crawler
        if not keeps_run(crawler):
            return
        stats = crawler.stats.get_stats()
        if not has_run(crawler):
            self._not_started(spider, reason, stats)
            return
        settings = crawler.settings
        store = state_for(crawler)
        site = spider.site_id
        run_id = current_run(crawler)
        figures = counts(stats)
        records = figures["records"]
        coverage = file_coverage(store, site, run_id) if records else None
        if records and coverage is None:
            coverage = {f: stats.get(f"coverage/{f}", 0) / records for f in FIELDS}
        per_page = (
            figures["listing_entries"] / figures["listing_pages"]
            if figures["listing_pages"]
            else None
        )
        manifest: dict[str, Any] = {
            "schema_version": settings.get("SCHEMA_VERSION", "1"),
            "site": site,
            "run_id": run_id,
            "resumed": bool(stats.get("run/resumed")),
            "recovered_from": stats.get("run/recovered_from") or [],
            "started_at": iso(self.started),
            "finished_at": iso(datetime.now(UTC)),
            "duration_s": round((datetime.now(UTC) - self.started).total_seconds(), 3),
            "finish_reason": reason,
            # False when the run stopped before walking its listings to the end, or a listing
            # page failed: the next run walks them to the end, so that the backlog arrives.
            "walk_complete": reason == "finished" and not stats.get("listing/failed"),
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
                "manifest": None,
            },
        }
        problems = []
        if figures["pages"] == 0:
            problems.append("unreachable: no page was fetched")
        elif (
            records + figures["unchanged"] + figures["known_skipped"] + figures["older_than_since"]
            == 0
        ):
            problems.append("no article seen, new or known")
        if reason not in ("finished", "closespider_pagecount", "closespider_itemcount"):
            problems.append(f"stopped early: {reason}")
        if stats.get("state/write_failed"):
            problems.append(
                f"state: {stats['state/write_failed']} records could not be committed"
                f" ({stats.get('state/error')}); the next run fetches them again"
            )
        if stats.get("rejects/unsaved"):
            problems.append(f"state: {stats['rejects/unsaved']} rejects could not be saved")
        problems += [
            f"drift: {a}" for a in drift(manifest, store.previous_manifests(site), settings)
        ]
        error = stats.get("output/error")
        if not error and not stats.get("output/file"):
            # The files were not written (close_spider failed with an error it does not catch):
            # completing the run would clear the outbox and lose its records.
            error = "the run's files were not written, see the log"
        if error:
            # Nothing was delivered: the outbox keeps the records for the next run.
            problems.append(
                f"output not written ({error}): {store.outbox_count(site, run_id, 'record')}"
                " records are kept in the state and delivered by the next run"
            )
        manifest["status"] = "failed" if problems else "ok"
        manifest["problems"] = problems
        crawler.stats.set_value("run/manifest", manifest)
        if not error:
            self._deliver(store, settings, site, run_id, manifest)
        else:
            self._release(store, site)
        log = logger.warning if manifest["problems"] else logger.info
        log(
            "%s: run %s %s (%s)",
            spider.name,
            run_id,
            manifest["status"],
            "; ".join(manifest["problems"]) or "no problems",
        )

    def _deliver(
        self, store: Any, settings: Any, site: str, run_id: str, manifest: dict[str, Any]
    ) -> None:
        """Manifest stored, then written, then the run completed: a kill between any two steps
        is repaired by the next run (pipelines.write.open_run)."""
        manifest["files"]["manifest"] = str(output_path(settings, site, run_id, "manifest"))
        try:
            store.mark_delivering(site, run_id, manifest)
        except STATE_ERRORS as exc:
            manifest["files"]["manifest"] = None
            self._undelivered(manifest, f"state not updated ({exc}): the next run delivers")
            self._release(store, site)
            return
        failpoint("after_delivering")
        try:
            write_manifest(settings, site, run_id, manifest)
        except OSError as exc:
            manifest["files"]["manifest"] = None
            self._undelivered(
                manifest, f"manifest not written ({exc.strerror or exc}): the next run writes it"
            )
            self._release(store, site)
            return
        failpoint("after_manifest")
        try:
            store.complete_run(site, run_id, manifest["status"], manifest)
        except STATE_ERRORS as exc:
            logger.warning("%s: run %s delivered, state not updated (%s)", site, run_id, exc)
            self._release(store, site)

    @staticmethod
    def _undelivered(manifest: dict[str, Any], problem: str) -> None:
        manifest["problems"].append(problem)
        manifest["status"] = "failed"

    @staticmethod
    def _release(store: Any, site: str) -> None:
        try:
            store.release_lock(site)
        except STATE_ERRORS as exc:  # a dead holder's lock is taken over by the next run
            logger.warning("%s: could not release the site lock: %s", site, exc)

    def _not_started(self, spider: Any, reason: str, stats: dict[str, Any]) -> None:
        """A run that never opened (its site locked by another run, a state that does not fit
        the output): no files, nothing in the state; the summary says why."""
        problem = getattr(self.crawler, "_run_problem", None) or f"did not start: {reason}"
        status = "locked" if stats.get("run/locked") else "failed"
        manifest = {
            "site": getattr(spider, "site_id", spider.name),
            "status": status,
            "problems": [problem],
            "counts": counts(stats),
            "files": {},
        }
        self.crawler.stats.set_value("run/manifest", manifest)
        logger.warning("%s: %s", spider.name, problem)


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
