"""The crawl state in PostgreSQL: pipelines.state's tables and transactions, for several
processes or hosts sharing one state.

Same interface and semantics as pipelines.state.StateStore (see its docstring and
pipelines.write's for the delivery protocol); what differs is only how each guarantee is had:

- every write block of the SQLite store is one transaction here too (`emit`: the article, its
  URLs and its outbox row; `complete_run`: status, outbox, lock; ...);
- `acquire_lock` checks and takes the site's lock row under `SELECT ... FOR UPDATE` (SQLite's
  `BEGIN IMMEDIATE`), so that two processes never both take it; liveness is
  pipelines.state.holder_alive (pid on this host, lease elsewhere);
- values are stored as the SQLite store stores them (ISO text times, JSON text bodies, so that
  a record reads back byte for byte in its key order), and run ids sort bytewise (`COLLATE "C"`)
  whatever the database's collation.

The tables live in the connection's schema: `?options=-csearch_path%3Dcrawler` in the URL puts
them in schema `crawler` (it must exist), e.g. one schema per deployment or per test run.

With `records_table` (RECORDS_TABLE) the store also keeps pipelines.records_table's table there:
`emit` inserts the record's row in its transaction, `hand_over` moves undelivered rows with the
outbox, `complete_run`/`complete_old_run` mark the run's rows delivered in the transaction that
clears its outbox, and `load_rebuilt` fills it from the delivered files.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg

from pipelines.records_table import RecordsTable
from pipelines.state import (
    LOCK_KEYS,
    Known,
    StateError,
    describe_holder,
    fresh,
    holder_alive,
    iso,
    lock_claim,
    utcnow,
)

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
    site TEXT NOT NULL, run_id TEXT COLLATE "C" NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, status TEXT NOT NULL, manifest TEXT, PRIMARY KEY (site, run_id)
);
CREATE TABLE IF NOT EXISTS outbox (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, site TEXT NOT NULL,
    run_id TEXT COLLATE "C" NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL
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
# Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL: the first run of
# several workers creates the schema under this advisory lock (any 64-bit constant).
_SCHEMA_LOCK = 0x7374617465  # "state"
_TABLES = ("articles", "urls", "runs", "outbox", "site_models", "locks")
_OUTBOX_PAGE = 500  # outbox rows fetched at a time: a large run's records are not all in memory


def redact(url: str) -> str:
    """The URL without its password, for messages and the manifest."""
    return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", url)


class PgStateStore:
    def __init__(self, url: str, records_table: str | None = None) -> None:
        self.url = url
        try:
            self.records = RecordsTable(records_table) if records_table else None
        except ValueError as exc:
            raise StateError(str(exc)) from exc
        self.records_table = records_table
        # Named like the SQLite store's file in messages ("state <path>: ..."), never None: a
        # PostgreSQL state is always a persistent one.
        self.path = redact(url)
        try:
            # Autocommit: each read stands alone, each write block is an explicit transaction
            # (conn.transaction()), as the SQLite store's `with self.db:` blocks.
            self.db = psycopg.connect(
                url,
                autocommit=True,
                **({} if "connect_timeout" in url else {"connect_timeout": 10}),
            )
        except psycopg.Error as exc:
            raise StateError(f"state {self.path}: cannot connect ({_first_line(exc)})") from exc
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                self.db.execute(SCHEMA)
        except psycopg.Error as exc:
            self.db.close()
            raise StateError(
                f"state {self.path}: cannot create its tables ({_first_line(exc)})"
            ) from exc
        if self.records is not None:
            self._create_records_table()

    def _create_records_table(self) -> None:
        """Create the records table (or check that an existing one has our columns)."""
        assert self.records is not None
        name = self.records.name
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                self.db.execute(self.records.ddl)
                present = [r[0] for r in self.db.execute(self.records.columns_sql, (name,))]
                missing = self.records.missing_columns(present)
                if not missing:
                    self.db.execute(self.records.index_ddl)
        except psycopg.Error as exc:
            self.db.close()
            raise StateError(
                f"records table {name} in {self.path}: cannot be created ({_first_line(exc)})"
            ) from exc
        if missing:  # a table of that name made by something else: never write into it
            self.db.close()
            raise StateError(
                f"records table {name} in {self.path}: exists without the columns"
                f" {', '.join(missing[:5])}{'...' if len(missing) > 5 else ''}; name another table"
            )

    def close(self) -> None:
        self.db.close()

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        return self.db.execute(sql, params).fetchone()

    # ---- the per-site lock ------------------------------------------------------------------
    def acquire_lock(self, site: str, lease_s: float) -> dict[str, Any] | None:
        """Take the site's lock for this process; None when taken, else the live holder. A lock
        whose holder died (dead pid on this host, expired lease elsewhere) is taken over."""
        now = utcnow()
        me = lock_claim(lease_s, now)
        values = (
            site,
            me["pid"],
            me["host"],
            me["proc_start"],
            me["started_at"],
            me["lease_until"],
        )
        while True:
            with self.db.transaction():
                # The row stays locked until commit: no other process between check and take.
                row = self._one(
                    "SELECT run_id, pid, host, proc_start, started_at, lease_until FROM locks"
                    " WHERE site=%s FOR UPDATE",
                    (site,),
                )
                if row is None:
                    # No row to lock: the primary key decides between two first takers; the
                    # loser sees the winner's row on the next pass.
                    taken = self.db.execute(
                        "INSERT INTO locks (site, run_id, pid, host, proc_start, started_at,"
                        " lease_until) VALUES (%s,NULL,%s,%s,%s,%s,%s) ON CONFLICT (site) DO NOTHING",
                        values,
                    ).rowcount
                    if taken:
                        return None
                    continue
                holder = dict(zip(LOCK_KEYS, row, strict=True))
                mine = holder["pid"] == me["pid"] and holder["host"] == me["host"]
                if not mine and holder_alive(holder, now):
                    return holder
                if not mine:
                    logger.warning(
                        "%s: taking over the lock of a run that died (%s)",
                        site,
                        describe_holder(holder),
                    )
                self.db.execute(
                    "UPDATE locks SET run_id=NULL, pid=%s, host=%s, proc_start=%s, started_at=%s,"
                    " lease_until=%s WHERE site=%s",
                    (*values[1:], site),
                )
                return None

    def lock_holder(self, site: str) -> dict[str, Any] | None:
        """The site's lock row as stored (live or not), None when free."""
        row = self._one(
            "SELECT run_id, pid, host, proc_start, started_at, lease_until FROM locks WHERE site=%s",
            (site,),
        )
        return dict(zip(LOCK_KEYS, row, strict=True)) if row else None

    def _mine(self) -> tuple[int, str]:
        return os.getpid(), socket.gethostname()

    def set_lock_run(self, site: str, run_id: str) -> None:
        self.db.execute(
            "UPDATE locks SET run_id=%s WHERE site=%s AND pid=%s AND host=%s",
            (run_id, site, *self._mine()),
        )

    def renew_lock(self, site: str, lease_s: float) -> None:
        self.db.execute(
            "UPDATE locks SET lease_until=%s WHERE site=%s AND pid=%s AND host=%s",
            (iso(utcnow() + timedelta(seconds=lease_s)), site, *self._mine()),
        )

    def release_lock(self, site: str) -> None:
        self._release(site)

    def _release(self, site: str) -> None:
        self.db.execute(
            "DELETE FROM locks WHERE site=%s AND pid=%s AND host=%s", (site, *self._mine())
        )

    # ---- runs -------------------------------------------------------------------------------
    def unfinished_runs(self, site: str) -> list[tuple[str, str]]:
        """(run id, status) of the site's runs that did not complete their delivery."""
        rows = self.db.execute(
            "SELECT run_id, status FROM runs WHERE site=%s AND status IN ('running','delivering')"
            " ORDER BY run_id",
            (site,),
        )
        return [(r[0], r[1]) for r in rows]

    def run_count(self) -> int:
        """Runs of every site the state knows (rebuild-state refuses to overwrite them)."""
        return self._one("SELECT COUNT(*) FROM runs")[0]  # type: ignore[index]

    def has_runs(self, site: str) -> bool:
        return self._one("SELECT 1 FROM runs WHERE site=%s LIMIT 1", (site,)) is not None

    def stored_manifest(self, site: str, run_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT manifest FROM runs WHERE site=%s AND run_id=%s", (site, run_id))
        return json.loads(row[0]) if row and row[0] else None

    def mark_delivering(self, site: str, run_id: str, manifest: dict[str, Any]) -> None:
        """The run's files are complete: store the manifest about to be written beside them."""
        self.db.execute(
            "UPDATE runs SET status='delivering', manifest=%s WHERE site=%s AND run_id=%s",
            (json.dumps(manifest, ensure_ascii=False), site, run_id),
        )

    def complete_run(self, site: str, run_id: str, status: str, manifest: dict[str, Any]) -> None:
        """Delivered: final status, outbox emptied and lock released, in one transaction."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at=%s, status=%s, manifest=%s WHERE site=%s AND run_id=%s",
                (iso(utcnow()), status, json.dumps(manifest, ensure_ascii=False), site, run_id),
            )
            self.db.execute("DELETE FROM outbox WHERE site=%s AND run_id=%s", (site, run_id))
            self._deliver_records(site, run_id)
            self._release(site)

    def complete_old_run(self, site: str, run_id: str, manifest: dict[str, Any]) -> None:
        """Complete an earlier run (killed while delivering) without releasing the lock the
        current run holds: its status and manifest stored, its outbox emptied, in one
        transaction."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at=COALESCE(finished_at, %s), status=%s, manifest=%s"
                " WHERE site=%s AND run_id=%s",
                (
                    manifest.get("finished_at") or utcnow().isoformat(),
                    manifest.get("status", "failed"),
                    json.dumps(manifest, ensure_ascii=False),
                    site,
                    run_id,
                ),
            )
            self.db.execute("DELETE FROM outbox WHERE site=%s AND run_id=%s", (site, run_id))
            self._deliver_records(site, run_id)

    def _deliver_records(self, site: str, run_id: str) -> None:
        """The run's rows become visible (inside the caller's transaction)."""
        if self.records is not None:
            self.db.execute(self.records.deliver_sql, (site, run_id))

    def hand_over(self, site: str, old: str, new: str) -> int:
        """An interrupted run's committed records and rejects become the new run's, and the old
        run is closed as interrupted, in one transaction. Returns the records moved."""
        with self.db.transaction():
            moved = self._one(
                "SELECT COUNT(*) FROM outbox WHERE site=%s AND run_id=%s AND kind='record'",
                (site, old),
            )[0]  # type: ignore[index]
            self.db.execute(
                "UPDATE outbox SET run_id=%s WHERE site=%s AND run_id=%s", (new, site, old)
            )
            if self.records is not None:
                self.db.execute(self.records.hand_over_sql, (new, site, old))
            note = {"site": site, "run_id": old, "status": "interrupted", "recovered_by": new}
            self.db.execute(
                "UPDATE runs SET finished_at=%s, status='interrupted', manifest=%s WHERE site=%s"
                " AND run_id=%s",
                (iso(utcnow()), json.dumps(note), site, old),
            )
        return moved

    def start_run(self, site: str, run_id: str) -> None:
        self.db.execute(
            "INSERT INTO runs (site, run_id, started_at, status) VALUES (%s,%s,%s,'running')"
            " ON CONFLICT (site, run_id) DO NOTHING",
            (site, run_id, iso(utcnow())),
        )

    def previous_manifests(self, site: str, limit: int = 5) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT manifest FROM runs WHERE site=%s AND status IN ('ok','failed')"
            " AND manifest IS NOT NULL ORDER BY run_id DESC LIMIT %s",
            (site, limit),
        )
        return [json.loads(r[0]) for r in rows]

    def last_run(self, site: str) -> tuple[str, str, str | None] | None:
        row = self._one(
            "SELECT run_id, status, finished_at FROM runs WHERE site=%s ORDER BY run_id DESC"
            " LIMIT 1",
            (site,),
        )
        return tuple(row) if row else None  # type: ignore[return-value]

    def last_delivered(self, site: str) -> dict[str, Any] | None:
        """The manifest of the site's latest delivered run."""
        row = self._one(
            "SELECT manifest FROM runs WHERE site=%s AND status IN ('ok','failed')"
            " AND manifest IS NOT NULL ORDER BY run_id DESC LIMIT 1",
            (site,),
        )
        return json.loads(row[0]) if row else None

    # ---- articles ---------------------------------------------------------------------------
    def known_id(self, site: str, url: str) -> str | None:
        row = self._one("SELECT id FROM urls WHERE site=%s AND url=%s", (site, url))
        return row[0] if row else None

    def is_fresh(self, site: str, article_id: str, now: datetime, window: timedelta) -> bool:
        """Published (or, undated, first seen) within `window`: worth re-fetching for edits."""
        row = self._one(
            "SELECT published_at, first_seen FROM articles WHERE site=%s AND id=%s",
            (site, article_id),
        )
        return True if row is None else fresh(row[0] or row[1], now, window)

    def lookup(self, site: str, article_id: str) -> Known | None:
        row = self._one(
            "SELECT content_hash, version FROM articles WHERE site=%s AND id=%s",
            (site, article_id),
        )
        return Known(row[0], row[1]) if row else None

    def _remember_urls(self, site: str, article_id: str, urls: list[str]) -> None:
        with self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO urls (site, url, id) VALUES (%s,%s,%s)"
                " ON CONFLICT (site, url) DO UPDATE SET id=excluded.id",
                [(site, u, article_id) for u in dict.fromkeys(urls)],
            )

    def touch(self, site: str, record: dict[str, Any], fetched_url: str) -> None:
        """An unchanged article was seen again."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE articles SET last_seen=%s WHERE site=%s AND id=%s",
                (iso(utcnow()), site, record["id"]),
            )
            self._remember_urls(site, record["id"], [record["canonical_url"], fetched_url])

    def emit(self, site: str, run_id: str, record: dict[str, Any], fetched_url: str) -> None:
        """Commit a new or changed article and its record in one transaction."""
        now = iso(utcnow())
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO articles (site, id, canonical_url, content_hash, version,"
                " published_at, first_seen, last_seen) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (site, id) DO UPDATE SET content_hash=excluded.content_hash,"
                " version=excluded.version, published_at=excluded.published_at,"
                " last_seen=excluded.last_seen",
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
                "INSERT INTO outbox (site, run_id, kind, body) VALUES (%s,%s,%s,%s)",
                (site, run_id, "record", json.dumps(record, ensure_ascii=False)),
            )
            if self.records is not None:
                self.db.execute(
                    self.records.emit_sql, self.records.emit_params(site, run_id, record)
                )

    def reject(self, site: str, run_id: str, entry: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO outbox (site, run_id, kind, body) VALUES (%s,%s,%s,%s)",
            (site, run_id, "reject", json.dumps(entry, ensure_ascii=False)),
        )

    def outbox(self, site: str, run_id: str, kind: str) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT seq, body FROM outbox WHERE site=%s AND run_id=%s AND kind=%s AND seq>%s"
                " ORDER BY seq LIMIT %s",
                (site, run_id, kind, last, _OUTBOX_PAGE),
            ).fetchall()
            for seq, body in rows:
                last = seq
                yield json.loads(body)
            if len(rows) < _OUTBOX_PAGE:
                return

    def outbox_count(self, site: str, run_id: str, kind: str) -> int:
        return self._one(
            "SELECT COUNT(*) FROM outbox WHERE site=%s AND run_id=%s AND kind=%s",
            (site, run_id, kind),
        )[0]  # type: ignore[index]

    def load_rebuilt(
        self,
        runs: list[tuple],
        articles: list[tuple],
        urls: list[tuple],
        replace: bool = False,
        records: Iterable[tuple[str, str, str | None, dict[str, Any]]] = (),
    ) -> None:
        """pipelines.rebuild's rows in one transaction (see StateStore.load_rebuilt); with a
        records table, `records` (site, run id, delivered at, record) of the delivered runs are
        upserted as delivered and the undelivered rows, whose outbox is gone, removed."""
        with self.db.transaction(), self.db.cursor() as cur:
            if replace:
                cur.execute(f"TRUNCATE {', '.join(_TABLES)}")
            cur.executemany(
                "INSERT INTO runs (site, run_id, started_at, finished_at, status, manifest)"
                " VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (site, run_id) DO UPDATE SET"
                " started_at=excluded.started_at, finished_at=excluded.finished_at,"
                " status=excluded.status, manifest=excluded.manifest",
                runs,
            )
            cur.executemany(
                "INSERT INTO articles (site, id, canonical_url, content_hash, version,"
                " published_at, first_seen, last_seen) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (site, id) DO UPDATE SET canonical_url=excluded.canonical_url,"
                " content_hash=excluded.content_hash, version=excluded.version,"
                " published_at=excluded.published_at, first_seen=excluded.first_seen,"
                " last_seen=excluded.last_seen",
                articles,
            )
            cur.executemany(
                "INSERT INTO urls (site, url, id) VALUES (%s,%s,%s)"
                " ON CONFLICT (site, url) DO UPDATE SET id=excluded.id",
                urls,
            )
            if self.records is not None:
                cur.execute(self.records.drop_undelivered_sql)
                cur.executemany(self.records.rebuilt_sql, self.records.rebuilt_params(records))

    # ---- learned site models (pipelines.sitemodel) -------------------------------------------
    def site_model(self, site: str) -> dict[str, Any] | None:
        row = self._one("SELECT model FROM site_models WHERE site=%s", (site,))
        return json.loads(row[0]) if row else None

    def save_site_model(self, site: str, model: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO site_models (site, model, updated_at) VALUES (%s,%s,%s)"
            " ON CONFLICT (site) DO UPDATE SET model=excluded.model, updated_at=excluded.updated_at",
            (site, json.dumps(model, ensure_ascii=False), iso(utcnow())),
        )


def _first_line(exc: BaseException) -> str:
    """psycopg's messages run over several lines (DETAIL, HINT): one line for a usage error."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
