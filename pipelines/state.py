"""Crawl state in SQLite: every article seen, every run, and an outbox of records not yet in a file.

Records are committed to the outbox (with the article's new state) in one transaction as they are
emitted, and written out as JSONL only when the run closes. A run killed at any moment therefore
loses nothing: its committed records are still in the outbox, and the next run finalizes them
(or, with --resume, carries on with the same run). With no STATE_DIR the store lives in memory.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from pipelines.normalize import canonicalize_url

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
"""


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Known:
    content_hash: str
    version: int


class StateStore:
    def __init__(self, path: str | Path | None) -> None:
        if path is None:
            self.path = None
            self.db = sqlite3.connect(":memory:")
        else:
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            # WAL with NORMAL sync survives a killed process (not a power cut) at low cost.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # ---- runs -------------------------------------------------------------------------------
    def unfinished_runs(self, site: str) -> list[str]:
        rows = self.db.execute(
            "SELECT run_id FROM runs WHERE site=? AND status='running' ORDER BY run_id", (site,)
        )
        return [r[0] for r in rows]

    def start_run(self, site: str, run_id: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO runs (site, run_id, started_at, status) VALUES (?,?,?,'running')",
                (site, run_id, iso(utcnow())),
            )

    def finish_run(self, site: str, run_id: str, status: str, manifest: dict[str, Any]) -> None:
        with self.db:
            self.db.execute(
                "UPDATE runs SET finished_at=?, status=?, manifest=? WHERE site=? AND run_id=?",
                (iso(utcnow()), status, json.dumps(manifest, ensure_ascii=False), site, run_id),
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
        if row is None:
            return True
        stamp = row[0] or row[1]
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except (ValueError, AttributeError):
            return True
        return now - when <= window

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

    def clear_outbox(self, site: str, run_id: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM outbox WHERE site=? AND run_id=?", (site, run_id))

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


def state_for(crawler: Any) -> StateStore:
    """The crawler's store, opened on first use and closed with the spider."""
    store = getattr(crawler, "_state_store", None)
    if store is None:
        state_dir = crawler.settings.get("STATE_DIR")
        store = StateStore(Path(state_dir) / "state.sqlite" if state_dir else None)
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
        if known is None:
            item["version"] = 1
            stats.inc_value("state/new")
        elif known.content_hash == item["content_hash"]:
            drop = self.crawler.spider.canonical_drop_params
            store.touch(site, item, canonicalize_url(item["url"], tuple(drop)))
            stats.inc_value("state/unchanged")
            raise DropItem(f"unchanged since version {known.version}")
        else:
            item["version"] = known.version + 1
            stats.inc_value("state/updated")
        return item
