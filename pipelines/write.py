"""Deliver each run's records as JSONL files that are never half-written, never lost, never doubled.

Layout under OUTPUT_DIR, one folder per kind so that one glob matches records only:

    <site>/records/<run>.jsonl      the run's records
    <site>/rejects/<run>.jsonl      the pages that could not become records, with the reason
    <site>/manifests/<run>.json     written last: a run's files may be consumed once it exists

A run holds its site's lock (pipelines.state) from its first step to its last. During the run,
records are committed to the state outbox; when it closes, the files are written under temporary
names, fsynced and renamed into place, the manifest is stored in the state (`delivering`),
written, and finally the outbox is cleared and the lock released in one transaction. The next run
of the site, once it holds the lock, repairs whatever a kill left:

- `delivering` (files complete, manifest maybe not written): the manifest is written from the
  state and the run completed, so nothing is delivered twice;
- `running` (killed while crawling or writing): its files, which have no manifest, are removed,
  and its committed records and rejects become the new run's (its manifest says
  `recovered_from`); with RESUME the new run carries on under the old run's id instead.

Local -o/-O feeds are written atomically too (AtomicFileFeedStorage).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import signal
from pathlib import Path
from typing import IO, Any

import jsonlines
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from pipelines.normalize import canonicalize_url
from pipelines.session import keeps_run
from pipelines.state import STATE_ERRORS, StateStore, describe_holder, state_for, utcnow

logger = logging.getLogger(__name__)
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
_RUN_ID = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?$")
KINDS = {
    "records": ("records", ".jsonl"),
    "rejects": ("rejects", ".jsonl"),
    "manifest": ("manifests", ".json"),
}


def site_dir(settings: Any, site: str) -> Path:
    """`<OUTPUT_DIR>/<site>`, refusing a site name that would lead outside OUTPUT_DIR."""
    base = Path(settings.get("OUTPUT_DIR") or "output").resolve()
    path = (base / site).resolve()
    if base not in path.parents or not _SAFE_NAME.fullmatch(site):
        raise ValueError(f"site name {site!r} would write outside {base}")
    return path


def output_path(settings: Any, site: str, run_id: str, kind: str = "records") -> Path:
    """Where a run's records, rejects or manifest go (see the module docstring); OUTPUT_FILE
    overrides the records path."""
    if kind == "records" and settings.get("OUTPUT_FILE"):
        return Path(settings.get("OUTPUT_FILE")).resolve()
    folder, suffix = KINDS[kind]
    return site_dir(settings, site) / folder / f"{run_id}{suffix}"


def failpoint(name: str) -> None:
    """Crash tests set CRAWLER_FAILPOINT=<name> to SIGKILL the process at that step of the
    delivery, where a random kill rarely lands (the steps take milliseconds)."""
    if os.environ.get("CRAWLER_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicJsonlFile:
    """A JSONL file written under a temporary name and renamed into place by `commit()`;
    `abort()` removes the temporary file (a failed write leaves nothing behind)."""

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
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._fh.close()
        self.tmp.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def out_file_problem(target: Path) -> str | None:
    """Why `--out target` cannot be written (one line naming it), or None; checked before the
    work that produces the file."""
    if target.is_dir():
        return f"--out {target}: is a directory; name a file"
    if not target.parent.is_dir():
        return f"--out {target}: its directory {target.parent} does not exist"
    if not os.access(target.parent, os.W_OK):
        return f"--out {target}: {target.parent} is not writable"
    return None


def write_manifest(settings: Any, site: str, run_id: str, manifest: dict[str, Any]) -> Path:
    path = output_path(settings, site, run_id, "manifest")
    write_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return path


def new_run_id(store: StateStore, site: str) -> str:
    """The run's UTC start time, e.g. 20261123T094500Z. Run ids sort in run order: when that
    second is taken, or the clock is behind the site's last run (corrected, or the state came
    from another host), the last run's id with the next counter (…Z-002)."""
    now = utcnow().strftime("%Y%m%dT%H%M%SZ")
    last = store.last_run(site)
    if not last or last[0] < now:
        return now
    m = _RUN_ID.match(last[0])
    if not m:
        raise ValueError(f"{site}: the state's last run id {last[0]!r} is not a run id")
    if m.group(1) > now:
        logger.warning(
            "%s: the clock (%s) is behind the last run (%s); numbering after it", site, now, last[0]
        )
    return f"{m.group(1)}-{int(m.group(2) or 1) + 1:03d}"


def write_files(store: StateStore, settings: Any, site: str, run_id: str) -> dict[str, Any]:
    """Write a run's outbox to its records and rejects files (atomically; on failure nothing is
    left under either name and the outbox is untouched)."""
    files: dict[str, Any] = {}
    written: list[Path] = []
    try:
        for kind, label in (("record", "records"), ("reject", "rejects")):
            out = AtomicJsonlFile(output_path(settings, site, run_id, label))
            try:
                for entry in store.outbox(site, run_id, kind):
                    out.write(entry)
                out.commit()
            except BaseException:
                out.abort()
                raise
            written.append(out.path)
            failpoint(f"after_{label}_file")
            files[label] = str(out.path)
            files[f"{label}_count"] = out.count
    except BaseException:
        for path in written:  # a records file without its rejects would be a partial delivery
            path.unlink(missing_ok=True)
        raise
    return files


def _remove_undelivered(settings: Any, site: str, run_id: str) -> None:
    """Files of a run that has no manifest were never delivered: remove them."""
    for kind in ("records", "rejects"):
        path = output_path(settings, site, run_id, kind)
        if kind == "records" and settings.get("OUTPUT_FILE"):
            continue
        path.unlink(missing_ok=True)


def clean_orphans(settings: Any, site: str) -> int:
    """Temporary files left by killed runs of the site (only the lock holder writes there)."""
    removed = 0
    root = site_dir(settings, site)
    if not root.is_dir():
        return 0
    for tmp in root.glob("*/.*.tmp"):
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def complete_delivering(store: StateStore, settings: Any, site: str, run_id: str) -> None:
    """A run killed after its files were complete: write its manifest from the state (the
    files again from the outbox if they are gone), then complete it."""
    manifest = store.stored_manifest(site, run_id) or {"site": site, "run_id": run_id}
    records = output_path(settings, site, run_id, "records")
    rejects = output_path(settings, site, run_id, "rejects")
    if not records.exists() or not rejects.exists():
        manifest.setdefault("files", {}).update(write_files(store, settings, site, run_id))
    manifest["files"]["manifest"] = str(write_manifest(settings, site, run_id, manifest))
    lock_free_complete(store, site, run_id, manifest)
    logger.warning(
        "%s: run %s was killed while delivering; its manifest is now written", site, run_id
    )


def lock_free_complete(store: StateStore, site: str, run_id: str, manifest: dict[str, Any]) -> None:
    """Complete an old run without releasing the lock the current run holds."""
    store.complete_old_run(site, run_id, manifest)


def _delivered_manifests(settings: Any, site: str) -> int:
    try:
        folder = site_dir(settings, site) / "manifests"
    except ValueError:
        return 0
    return len(list(folder.glob("*.json"))) if folder.is_dir() else 0


def open_run(crawler: Any) -> str:
    """Start this crawl's run of the spider's site: take the site's lock (CloseSpider "locked"
    when another live run holds it), repair what killed runs left, pick the run id."""
    run_id = getattr(crawler, "_run_id", None)
    if run_id:
        return run_id
    store = state_for(crawler)
    settings = crawler.settings
    stats = crawler.stats
    site = crawler.spider.site_id
    site_dir(settings, site)  # refuse a bad site name before anything is crawled
    lease = settings.getfloat("LOCK_LEASE_SECONDS", 600)
    holder = store.acquire_lock(site, lease)
    if holder is not None:
        crawler._run_problem = (
            f"locked: another run of this site is running ({describe_holder(holder)})"
        )
        stats.set_value("run/locked", True)
        raise CloseSpider("locked")
    crawler._lock_held = True
    if store.path is not None and not store.has_runs(site):
        delivered = _delivered_manifests(settings, site)
        if delivered:
            store.release_lock(site)
            crawler._lock_held = False
            crawler._run_problem = (
                f"state {store.path} knows no run of this site, but {settings.get('OUTPUT_DIR')}"
                f" holds {delivered} delivered runs: the state was deleted or replaced; rebuild it"
                " with `python -m crawler rebuild-state` (or point --state at the right one)"
            )
            raise CloseSpider("state_mismatch")
    clean_orphans(settings, site)
    leftovers = store.unfinished_runs(site)
    for old, _status in [r for r in leftovers if r[1] == "delivering"]:
        complete_delivering(store, settings, site, old)
    interrupted = [old for old, status in leftovers if status == "running"]
    if interrupted:
        # The interrupted run did not finish walking its listings: this one walks them to the end.
        stats.set_value("run/after_interrupt", True)
    else:
        last = store.last_delivered(site)
        if last and last.get("walk_complete") is False:
            # Stopped early (SIGTERM, --max-pages): the listings' backlog is still to be fetched.
            stats.set_value("run/after_interrupt", True)
    if settings.getbool("RESUME") and interrupted:
        run_id = interrupted.pop()
        stats.set_value("run/resumed", True)
        _remove_undelivered(settings, site, run_id)
        logger.info("%s: resuming run %s", site, run_id)
    if not run_id:
        run_id = new_run_id(store, site)
    store.start_run(site, run_id)
    recovered: list[str] = []
    moved_total = 0
    for old in interrupted:
        _remove_undelivered(settings, site, old)
        moved = store.hand_over(site, old, run_id)
        recovered.append(old)
        moved_total += moved
        logger.warning(
            "%s: run %s was interrupted; its %d committed records are delivered with run %s",
            site,
            old,
            moved,
            run_id,
        )
    if recovered:
        stats.set_value("run/recovered_from", recovered)
        stats.set_value("state/recovered", moved_total)
    store.set_lock_run(site, run_id)
    crawler._run_id = run_id
    stats.set_value("run/id", run_id)
    return run_id


def current_run(crawler: Any) -> str:
    """This crawl's run id (the run is opened on first use)."""
    return getattr(crawler, "_run_id", None) or open_run(crawler)


def has_run(crawler: Any) -> bool:
    return bool(getattr(crawler, "_run_id", None))


class OutboxWriterPipeline:
    """Commit each validated record to the state outbox; write the run's files when it closes."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.heartbeat: task.LoopingCall | None = None
        self.state_failed = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> OutboxWriterPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if not keeps_run(self.crawler):  # scrapy shell/parse, a spider of someone else's
            return
        open_run(self.crawler)
        lease = self.crawler.settings.getfloat("LOCK_LEASE_SECONDS", 600)
        self.heartbeat = task.LoopingCall(self._renew, lease)
        self.heartbeat.start(max(lease / 3, 1), now=False)

    def _renew(self, lease: float) -> None:
        try:
            state_for(self.crawler).renew_lock(self.crawler.spider.site_id, lease)
        except STATE_ERRORS as exc:
            logger.warning("%s: could not renew the site lock: %s", self.crawler.spider.name, exc)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if not keeps_run(self.crawler):  # scrapy parse shows the record; nothing is kept
            return item
        spider = self.crawler.spider
        stats = self.crawler.stats
        fetched = canonicalize_url(item["url"], tuple(spider.canonical_drop_params))
        try:
            state_for(self.crawler).emit(
                spider.site_id, current_run(self.crawler), dict(item), fetched
            )
        except STATE_ERRORS as exc:
            # Not committed, so not known either: the next run fetches the article again.
            stats.inc_value("state/write_failed")
            if not self.state_failed:
                self.state_failed = True
                stats.set_value("state/error", f"{exc} ({state_for(self.crawler).path})")
                logger.error("%s: the state cannot be written: %s", spider.name, exc)
                deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="state_write_failed")
                )
            raise DropItem(f"state write failed: {exc}") from exc
        stats.inc_value("state/new" if item.get("version", 1) == 1 else "state/updated")
        for field in ("title", "published_at", "text"):
            if item.get(field):
                stats.inc_value(f"coverage/{field}")
        return item

    def close_spider(self) -> None:
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        if not keeps_run(self.crawler) or not has_run(self.crawler):
            return  # locked out, or refused before it started: nothing of ours to write
        site = self.crawler.spider.site_id
        stats = self.crawler.stats
        try:
            files = write_files(
                state_for(self.crawler), self.crawler.settings, site, current_run(self.crawler)
            )
        except (OSError, *STATE_ERRORS) as exc:
            # Kept in the outbox: the next run delivers these records.
            stats.set_value("output/error", f"{getattr(exc, 'strerror', None) or exc}")
            logger.error("%s: the run's files could not be written: %s", site, exc)
            return
        stats.set_value("output/file", files["records"])
        stats.set_value("output/records", files["records_count"])
        stats.set_value("rejects/file", files["rejects"])
        stats.set_value("rejects/written", files["rejects_count"])


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
