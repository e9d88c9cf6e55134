"""Crawl state in SQLite: every article seen, every run, an outbox of records not yet delivered,
and one lock per site.

Records are committed to the outbox (with the article's new state) in one transaction as they are
emitted, and written out as JSONL only when the run closes. A run moves through
`running` → `delivering` (its files are written, its manifest is stored) → `ok`/`failed` (outbox
cleared, lock released), so that a run killed at any moment loses nothing and delivers nothing
twice: see pipelines.write for the recovery of each phase. With no STATE_DIR the store lives in
memory.

Where the state is: STATE_URL, a `postgresql://` URL, selects the PostgreSQL store of
pipelines.state_pg (same tables, same transactions, for several processes or hosts sharing one
state); else the SQLite file `state.sqlite` in STATE_DIR, the embedded default. STATE_DIR is
always a directory: a URL there is refused rather than taken for a folder name.

RECORDS_TABLE (pipelines.records_table) needs the PostgreSQL store: the rows are written in its
transactions. The SQLite store has no such table, and asking for one there is refused.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DropItem

from pipelines.normalize import canonicalize_url

if TYPE_CHECKING:
    from pipelines.state_pg import PgStateStore

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL, id TEXT NOT NULL, canonical_url TEXT NOT NULL, content_hash TEXT NOT NULL,
    version INTEGER NOT NULL, published_at TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (site, id)
);
CREATE TABLE IF NOT EXISTS urls (
    site TEXT NOT NULL, url TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS runs (
    site TEXT NOT NULL, run_id TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    status TEXT NOT NULL, manifest TEXT, PRIMARY KEY (site, run_id)
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, site TEXT NOT NULL, run_id TEXT NOT NULL,
    kind TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_run ON outbox (site, run_id, kind, seq);
CREATE TABLE IF NOT EXISTS site_models (
    site TEXT PRIMARY KEY, model TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS locks (
    site TEXT PRIMARY KEY, run_id TEXT, pid INTEGER NOT NULL, host TEXT NOT NULL,
    proc_start TEXT, started_at TEXT NOT NULL, lease_until TEXT NOT NULL
);
"""


class StateError(Exception):
    """The state cannot be used as it is (not a database, unreadable): the message says what to do."""


def _backend_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # the optional [postgres] extra is not installed
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


# What a failed state read or write raises, whichever backend: callers catch this tuple.
STATE_ERRORS = _backend_errors()
URL_SCHEMES = ("postgresql://", "postgres://")


def is_state_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def _proc_start(pid: int) -> str | None:
    """The kernel's start time of a process (Linux), to tell a live holder from a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def lock_claim(lease_s: float, now: datetime) -> dict[str, Any]:
    """The lock row this process writes when it takes a site's lock."""
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "proc_start": _proc_start(os.getpid()),
        "started_at": iso(now),
        "lease_until": iso(now + timedelta(seconds=lease_s)),
    }


LOCK_KEYS = ("run_id", "pid", "host", "proc_start", "started_at", "lease_until")


def fresh(stamp: str | None, now: datetime, window: timedelta) -> bool:
    """is_fresh's test on the stored publication (or first-seen) time."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))  # type: ignore[union-attr]
    except (ValueError, AttributeError):
        return True
    return now - when <= window


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is dead too
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def holder_alive(holder: dict[str, Any], now: datetime | None = None) -> bool:
    """A lock holder on this host is alive while its process is; on another host, while its
    lease runs (the holder renews it while it works)."""
    if holder["host"] == socket.gethostname():
        if not _pid_alive(holder["pid"]):
            return False
        start = _proc_start(holder["pid"])
        return not (holder.get("proc_start") and start and start != holder["proc_start"])
    lease = datetime.fromisoformat(holder["lease_until"].replace("Z", "+00:00"))
    return lease > (now or utcnow())


def describe_holder(holder: dict[str, Any]) -> str:
    run = f"run {holder['run_id']} " if holder.get("run_id") else ""
    return f"{run}pid {holder['pid']} on {holder['host']} since {holder['started_at']}"


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Known:
    content_hash: str
    version: int


class StateStore:
    # The records sink is PostgreSQL's alone (open_store refuses it here).
    records_table: str | None = None

    def __init__(self, path: str | Path | None) -> None:
        if path is None:
            self.path = None
            self.db = sqlite3.connect(":memory:")
            self.db.executescript(SCHEMA)
            return
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Other sites' runs may share the file: wait for their short transactions.
            self.db = sqlite3.connect(self.path, timeout=30)
            # WAL with NORMAL sync survives a killed process (not a power cut) at low cost.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.OperationalError as exc:
            # Full disk, I/O error, read-only file, locked: the file may well be sound.
            raise StateError(f"state {self.path}: cannot be opened for writing ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            raise StateError(
                f"state {self.path}: {exc}; move it aside and run `python -m crawler "
                f"rebuild-state --state {self.path.parent}` to rebuild it from the delivered output"
            ) from exc
        except OSError as exc:
            raise StateError(f"state {self.path}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        self.db.close()

    # ---- the per-site lock ------------------------------------------------------------------
    def acquire_lock(self, site: str, lease_s: float) -> dict[str, Any] | None:
        """Take the site's lock for this process; None when taken, else the live holder. A lock
        whose holder died (dead pid on this host, expired lease elsewhere) is taken over."""
        now = utcnow()
        me = lock_claim(lease_s, now)
        self.db.commit()
        self.db.execute("BEGIN IMMEDIATE")  # no other process between the check and the take
        try:
            row = self.db.execute(
                "SELECT run_id, pid, host, proc_start, started_at, lease_until FROM locks"
                " WHERE site=?",
                (site,),
            ).fetchone()
            if row:
                holder = dict(zip(LOCK_KEYS, row, strict=True))
                mine = holder["pid"] == me["pid"] and holder["host"] == me["host"]
                if not mine and holder_alive(holder, now):
                    self.db.rollback()
                    return holder
                if not mine:
                    logger.warning(
                        "%s: taking over the lock of a run that died (%s)",
                        site,
                        describe_holder(holder),
                    )
            self.db.execute(
                "INSERT OR REPLACE INTO locks (site, run_id, pid, host, proc_start, started_at,"
                " lease_until) VALUES (?,NULL,?,?,?,?,?)",
                (
                    site,
                    me["pid"],
                    me["host"],
                    me["proc_start"],
                    me["started_at"],
                    me["lease_until"],
                ),
            )
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        return None

    def lock_holder(self, site: str) -> dict[str, Any] | None:
        """The site's lock row as stored (live or not), None when free."""
        row = self.db.execute(
            "SELECT run_id, pid, host, proc_start, started_at, lease_until FROM locks WHERE site=?",
            (site,),
        ).fetchone()
        return dict(zip(LOCK_KEYS, row, strict=True)) if row else None

    def _mine(self) -> tuple[int, str]:
        return os.getpid(), socket.gethostname()

    def set_lock_run(self, site: str, run_id: str) -> None:
        with self.db:
            self.db.execute(
                "UPDATE locks SET run_id=? WHERE site=? AND pid=? AND host=?",
                (run_id, site, *self._mine()),
            )

    def renew_lock(self, site: str, lease_s: float) -> None:
        with self.db:
            self.db.execute(
                "UPDATE locks SET lease_until=? WHERE site=? AND pid=? AND host=?",
                (iso(utcnow() + timedelta(seconds=lease_s)), site, *self._mine()),
            )

    def release_lock(self, site: str) -> None:
        with self.db:
            self._release(site)

    def _release(self, site: str) -> None:
        self.db.execute(
            "DELETE FROM locks WHERE site=? AND pid=? AND host=?", (site, *self._mine())
        )

    # ---- runs -------------------------------------------------------------------------------
    def unfinished_runs(self, site: str) -> list[tuple[str, str]]:
        """(run id, status) of the site's runs that did not complete their delivery."""
        rows = self.db.execute(
            "SELECT run_id, status FROM runs WHERE site=? AND status IN ('running','delivering')"
            " ORDER BY run_id",
            (site,),
        )
        return [(r[0], r[1]) for r in rows]

    def run_count(self) -> int:
        """Runs of every site the state knows (rebuild-state refuses to overwrite them)."""
        return self.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]

    def has_runs(self, site: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM runs WHERE site=? LIMIT 1", (site,)).fetchone()
            is not None
        )

    def stored_manifest(self, site: str, run_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT manifest FROM runs WHERE site=? AND run_id=?", (site, run_id)
        ).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def mark_delivering(self, site: str, run_id: str, manifest: dict[str, Any]) -> None:
        """The run's files are complete: store the manifest about to be written beside them."""
        with self.db:
            self.db.execute(
                "UPDATE runs SET status='delivering', manifest=? WHERE site=? AND run_id=?",
                (json.dumps(manifest, ensure_ascii=False), site, run_id),
            )

    def complete_run(self, site: str, run_id: str, status: str, manifest: dict[str, Any]) -> None:
        """Delivered: final status, outbox emptied and lock released, in one transaction."""
        with self.db:
            self.db.execute(
                "UPDATE runs SET finished_at=?, status=?, manifest=? WHERE site=? AND run_id=?",
                (iso(utcnow()), status, json.dumps(manifest, ensure_ascii=False), site, run_id),
            )
            self.db.execute("DELETE FROM outbox WHERE site=? AND run_id=?", (site, run_id))
            self._release(site)

    def complete_old_run(self, site: str, run_id: str, manifest: dict[str, Any]) -> None:
        """Complete an earlier run (killed while delivering) without releasing the lock the
        current run holds: its status and manifest stored, its outbox emptied, in one
        transaction."""
        with self.db:
            self.db.execute(
                "UPDATE runs SET finished_at=COALESCE(finished_at, ?), status=?, manifest=?"
                " WHERE site=? AND run_id=?",
                (
                    manifest.get("finished_at") or utcnow().isoformat(),
                    manifest.get("status", "failed"),
                    json.dumps(manifest, ensure_ascii=False),
                    site,
                    run_id,
                ),
            )
            self.db.execute("DELETE FROM outbox WHERE site=? AND run_id=?", (site, run_id))

    def hand_over(self, site: str, old: str, new: str) -> int:
        """An interrupted run's committed records and rejects become the new run's, and the old
        run is closed as interrupted, in one transaction. Returns the records moved."""
        with self.db:
            moved = self.db.execute(
                "SELECT COUNT(*) FROM outbox WHERE site=? AND run_id=? AND kind='record'",
                (site, old),
            ).fetchone()[0]
            self.db.execute(
                "UPDATE outbox SET run_id=? WHERE site=? AND run_id=?", (new, site, old)
            )
            note = {"site": site, "run_id": old, "status": "interrupted", "recovered_by": new}
            self.db.execute(
                "UPDATE runs SET finished_at=?, status='interrupted', manifest=? WHERE site=? AND"
                " run_id=?",
                (iso(utcnow()), json.dumps(note), site, old),
            )
        return moved

    def start_run(self, site: str, run_id: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO runs (site, run_id, started_at, status) VALUES (?,?,?,'running')",
                (site, run_id, iso(utcnow())),
            )

    def previous_manifests(self, site: str, limit: int = 5) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT manifest FROM runs WHERE site=? AND status IN ('ok','failed') AND manifest IS NOT NULL"
            " ORDER BY run_id DESC LIMIT ?",
            (site, limit),
        )
        return [json.loads(r[0]) for r in rows]

    def last_run(self, site: str) -> tuple[str, str, str | None] | None:
        row = self.db.execute(
            "SELECT run_id, status, finished_at FROM runs WHERE site=? ORDER BY run_id DESC LIMIT 1",
            (site,),
        ).fetchone()
        return tuple(row) if row else None

    def last_delivered(self, site: str) -> dict[str, Any] | None:
        """The manifest of the site's latest delivered run."""
        row = self.db.execute(
            "SELECT manifest FROM runs WHERE site=? AND status IN ('ok','failed')"
            " AND manifest IS NOT NULL ORDER BY run_id DESC LIMIT 1",
            (site,),
        ).fetchone()
        return json.loads(row[0]) if row else None

    # ---- articles ---------------------------------------------------------------------------
    def known_id(self, site: str, url: str) -> str | None:
        row = self.db.execute("SELECT id FROM urls WHERE site=? AND url=?", (site, url)).fetchone()
        return row[0] if row else None

    def is_fresh(self, site: str, article_id: str, now: datetime, window: timedelta) -> bool:
        """Published (or, undated, first seen) within `window`: worth re-fetching for edits."""
        row = self.db.execute(
            "SELECT published_at, first_seen FROM articles WHERE site=? AND id=?",
            (site, article_id),
        ).fetchone()
        return True if row is None else fresh(row[0] or row[1], now, window)

    def lookup(self, site: str, article_id: str) -> Known | None:
        row = self.db.execute(
            "SELECT content_hash, version FROM articles WHERE site=? AND id=?", (site, article_id)
        ).fetchone()
        return Known(row[0], row[1]) if row else None

    def _remember_urls(self, site: str, article_id: str, urls: list[str]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO urls (site, url, id) VALUES (?,?,?)",
            [(site, u, article_id) for u in dict.fromkeys(urls)],
        )

    def touch(self, site: str, record: dict[str, Any], fetched_url: str) -> None:
        """An unchanged article was seen again."""
        with self.db:
            self.db.execute(
                "UPDATE articles SET last_seen=? WHERE site=? AND id=?",
                (iso(utcnow()), site, record["id"]),
            )
            self._remember_urls(site, record["id"], [record["canonical_url"], fetched_url])

    def emit(self, site: str, run_id: str, record: dict[str, Any], fetched_url: str) -> None:
        """Commit a new or changed article and its record in one transaction."""
        now = iso(utcnow())
        with self.db:
            self.db.execute(
                "INSERT INTO articles (site, id, canonical_url, content_hash, version, published_at,"
                " first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?)"
                " ON CONFLICT (site, id) DO UPDATE SET content_hash=excluded.content_hash,"
                " version=excluded.version, published_at=excluded.published_at, last_seen=excluded.last_seen",
                (
                    site,
                    record["id"],
                    record["canonical_url"],
                    record["content_hash"],
                    record["version"],
                    record.get("published_at"),
                    now,
                    now,
                ),
            )
            self._remember_urls(site, record["id"], [record["canonical_url"], fetched_url])
            self.db.execute(
                "INSERT INTO outbox (site, run_id, kind, body) VALUES (?,?,?,?)",
                (site, run_id, "record", json.dumps(record, ensure_ascii=False)),
            )

    def reject(self, site: str, run_id: str, entry: dict[str, Any]) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO outbox (site, run_id, kind, body) VALUES (?,?,?,?)",
                (site, run_id, "reject", json.dumps(entry, ensure_ascii=False)),
            )

    def outbox(self, site: str, run_id: str, kind: str):
        rows = self.db.execute(
            "SELECT body FROM outbox WHERE site=? AND run_id=? AND kind=? ORDER BY seq",
            (site, run_id, kind),
        )
        for (body,) in rows:
            yield json.loads(body)

    def outbox_count(self, site: str, run_id: str, kind: str) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM outbox WHERE site=? AND run_id=? AND kind=?", (site, run_id, kind)
        ).fetchone()[0]

    def load_rebuilt(
        self,
        runs: list[tuple],
        articles: list[tuple],
        urls: list[tuple],
        replace: bool = False,
        records: Iterable[tuple[str, str, str | None, dict[str, Any]]] = (),
    ) -> None:
        """pipelines.rebuild's rows, in one transaction: runs (site, run_id, started_at,
        finished_at, status, manifest), articles (site, id, canonical_url, content_hash, version,
        published_at, first_seen, last_seen), urls (site, url, id). `replace` empties the state
        first, in the same transaction. `records` is for a records table, which this store
        never has: not read."""
        with self.db:
            if replace:
                for table in ("articles", "urls", "runs", "outbox", "site_models", "locks"):
                    self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
            self.db.executemany(
                "INSERT OR REPLACE INTO runs (site, run_id, started_at, finished_at, status,"
                " manifest) VALUES (?,?,?,?,?,?)",
                runs,
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO articles (site, id, canonical_url, content_hash, version,"
                " published_at, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?)",
                articles,
            )
            self.db.executemany("INSERT OR REPLACE INTO urls (site, url, id) VALUES (?,?,?)", urls)

    # ---- learned site models (pipelines.sitemodel) -------------------------------------------
    def site_model(self, site: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT model FROM site_models WHERE site=?", (site,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_site_model(self, site: str, model: dict[str, Any]) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO site_models (site, model, updated_at) VALUES (?,?,?)",
                (site, json.dumps(model, ensure_ascii=False), iso(utcnow())),
            )


def state_location(state_url: str | None, state_dir: str | Path | None) -> str | Path | None:
    """Where the state is (see the module docstring): a URL, a SQLite file, or None (memory)."""
    if state_url:
        if not is_state_url(state_url):
            raise StateError(f"STATE_URL {state_url}: expects a postgresql:// URL")
        return state_url
    if is_state_url(str(state_dir or "")):
        raise StateError(f"STATE_DIR {state_dir}: is a URL; set STATE_URL (or --state URL)")
    return Path(state_dir) / "state.sqlite" if state_dir else None


def records_table_problem(location: str | Path | None) -> str | None:
    """Why a records table cannot go with the state at `location`, or None."""
    if is_state_url(location):
        return None
    return (
        "needs a PostgreSQL state (--state postgresql://...): its rows are written in the"
        " state's transactions, and the SQLite state has none to share"
    )


def open_store(
    location: str | Path | None, records_table: str | None = None
) -> StateStore | PgStateStore:
    """The store at `location` (state_location's answer), SQLite or PostgreSQL; with
    `records_table`, PostgreSQL's records sink too (pipelines.records_table)."""
    if records_table:
        problem = records_table_problem(location)
        if problem:
            raise StateError(f"RECORDS_TABLE {records_table}: {problem}")
    if is_state_url(location):
        try:
            from pipelines.state_pg import PgStateStore
        except ImportError as exc:  # psycopg is the optional [postgres] extra
            raise StateError(
                f"state {location}: PostgreSQL needs psycopg ({exc}); pip install"
                " 'vn-ict-crawler[postgres]'"
            ) from exc
        return PgStateStore(str(location), records_table=records_table)
    return StateStore(location)


def state_for(crawler: Any) -> StateStore | PgStateStore:
    """The crawler's store, opened on first use and closed with the spider."""
    store = getattr(crawler, "_state_store", None)
    if store is None:
        settings = crawler.settings
        store = open_store(
            state_location(settings.get("STATE_URL"), settings.get("STATE_DIR")),
            records_table=settings.get("RECORDS_TABLE") or None,
        )
        crawler._state_store = store
        crawler.signals.connect(lambda: store.close(), signal=signals.engine_stopped, weak=False)
    return store


class VersionPipeline:
    """New article → version 1; changed text → previous version + 1; unchanged → dropped."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> VersionPipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        site = getattr(self.crawler.spider, "site_id", None)
        if site is None:  # not a portal spider: no state to version against
            return item
        store = state_for(self.crawler)
        known = store.lookup(site, item["id"])
        stats = self.crawler.stats
        # state/new and state/updated are counted once the record is committed (pipelines.write).
        if known is None:
            item["version"] = 1
        elif known.content_hash == item["content_hash"]:
            drop = self.crawler.spider.canonical_drop_params
            store.touch(site, item, canonicalize_url(item["url"], tuple(drop)))
            stats.inc_value("state/unchanged")
            raise DropItem(f"unchanged since version {known.version}")
        else:
            item["version"] = known.version + 1
        return item
