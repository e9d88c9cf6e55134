"""Write each run's records as JSONL so that a reader never sees a half-written file.

During a run, records are committed to the state outbox (pipelines.state); when the run closes they
are written to `<OUTPUT_DIR>/<site>/<run_id>.jsonl` under a temporary name, fsynced and renamed
into place. Local -o/-O feeds get the same treatment (AtomicFileFeedStorage).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import IO, Any

import jsonlines
from scrapy.extensions.feedexport import FileFeedStorage

from pipelines.normalize import canonicalize_url
from pipelines.session import keeps_run
from pipelines.state import StateStore, state_for, utcnow

logger = logging.getLogger(__name__)
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")


def output_path(settings: Any, site: str, run_id: str, kind: str = "records") -> Path:
    """`<OUTPUT_DIR>/<site>/<run_id>.jsonl` (kind "rejects": `.rejects.jsonl`, "manifest":
    `.manifest.json`); OUTPUT_FILE overrides the records path. Never outside OUTPUT_DIR."""
    if kind == "records" and settings.get("OUTPUT_FILE"):
        return Path(settings.get("OUTPUT_FILE")).resolve()
    base = Path(settings.get("OUTPUT_DIR") or "output").resolve()
    suffix = {"records": ".jsonl", "rejects": ".rejects.jsonl", "manifest": ".manifest.json"}[kind]
    path = (base / site / f"{run_id}{suffix}").resolve()
    if base not in path.parents or not _SAFE_NAME.fullmatch(site):
        raise ValueError(f"site name {site!r} would write outside {base}")
    return path


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class AtomicJsonlFile:
    """A JSONL file written under a temporary name and renamed into place by `commit()`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._fh = self.tmp.open("w", encoding="utf-8")
        self._writer = jsonlines.Writer(self._fh, dumps=_dumps, flush=False)
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        self._writer.write(record)
        self.count += 1

    def commit(self) -> None:
        self._writer.close()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.tmp, self.path)


def new_run_id(store: StateStore, site: str) -> str:
    """The run's UTC start time, e.g. 20261123T094500Z (suffixed if that second is taken)."""
    base = utcnow().strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while store.last_run(site) and store.last_run(site)[0] >= run_id:
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def finalize(store: StateStore, settings: Any, site: str, run_id: str) -> dict[str, Any]:
    """Write a run's outbox to its JSONL files (atomically), then clear the outbox."""
    files: dict[str, Any] = {}
    for kind, label in (("record", "records"), ("reject", "rejects")):
        out = AtomicJsonlFile(output_path(settings, site, run_id, label))
        for entry in store.outbox(site, run_id, kind):
            out.write(entry)
        out.commit()
        files[label] = str(out.path)
        files[f"{label}_count"] = out.count
    store.clear_outbox(site, run_id)
    return files


def current_run(crawler: Any) -> str:
    """This crawl's run id. With RESUME, the site's interrupted run carries on; otherwise any
    interrupted run is finalized first (its committed records are not lost) and a new run starts."""
    run_id = getattr(crawler, "_run_id", None)
    if run_id:
        return run_id
    store = state_for(crawler)
    site = crawler.spider.site_id
    leftovers = store.unfinished_runs(site)
    if leftovers:
        # The interrupted run did not finish walking its listings: this one walks them to the end.
        crawler.stats.set_value("run/after_interrupt", True)
    if crawler.settings.getbool("RESUME") and leftovers:
        run_id = leftovers.pop()
        crawler.stats.set_value("run/resumed", True)
        logger.info("%s: resuming run %s", site, run_id)
    for old in leftovers:
        files = finalize(store, crawler.settings, site, old)
        manifest = {"site": site, "run_id": old, "status": "interrupted", "files": files}
        store.finish_run(site, old, "interrupted", manifest)
        logger.warning(
            "%s: run %s was interrupted; finalized its %d records",
            site,
            old,
            files["records_count"],
        )
    if not run_id:
        run_id = new_run_id(store, site)
    store.start_run(site, run_id)
    crawler._run_id = run_id
    crawler.stats.set_value("run/id", run_id)
    return run_id


class OutboxWriterPipeline:
    """Commit each validated record to the state outbox; write the run's JSONL when it closes."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OutboxWriterPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if keeps_run(self.crawler):
            current_run(self.crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if not keeps_run(self.crawler):  # scrapy parse shows the record; nothing is kept
            return item
        spider = self.crawler.spider
        fetched = canonicalize_url(item["url"], tuple(spider.canonical_drop_params))
        state_for(self.crawler).emit(spider.site_id, current_run(self.crawler), dict(item), fetched)
        stats = self.crawler.stats
        for field in ("title", "published_at", "text"):
            if item.get(field):
                stats.inc_value(f"coverage/{field}")
        return item

    def close_spider(self) -> None:
        if not keeps_run(self.crawler):
            return
        site = self.crawler.spider.site_id
        stats = self.crawler.stats
        try:
            files = finalize(
                state_for(self.crawler), self.crawler.settings, site, current_run(self.crawler)
            )
        except OSError as exc:
            # The records stay in the state's outbox; RunReport fails the run and leaves it
            # unfinished, so that the next run (with the same STATE_DIR) writes them out.
            stats.set_value("output/error", f"{type(exc).__name__}: {exc}")
            logger.error("%s: the run's files could not be written: %s", site, exc)
            return
        stats.set_value("output/file", files["records"])
        stats.set_value("output/records", files["records_count"])
        stats.set_value("rejects/file", files["rejects"])


class AtomicFileFeedStorage(FileFeedStorage):
    """Scrapy's local feed storage, but the target only appears (or changes) once complete."""

    def open(self, spider: Any) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        if self.write_mode == "ab" and target.exists():
            shutil.copyfile(target, self._tmp)
        return self._tmp.open(self.write_mode)

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(self._tmp, self.path)
