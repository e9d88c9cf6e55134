"""Rebuild a lost or corrupt crawl state from the runs it delivered.

Every delivered run has its records file and manifest under OUTPUT_DIR (pipelines.write), and
every record carries what the state remembers of its article: id, canonical URL, content hash,
version, publication and fetch times. Reading them back gives a state in which every delivered
article is known at its latest version, so that the next run emits only what is new or changed
instead of re-emitting the whole archive as version 1.

A PostgreSQL state with a records table (pipelines.records_table) gets every delivered record
there too, marked delivered, in the same transaction: the table then holds exactly the delivered
(id, version)s, once each, as the files do.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipelines.normalize import canonicalize_url
from pipelines.state import StateStore
from pipelines.write import KINDS

logger = logging.getLogger(__name__)
_REQUIRED = ("id", "version", "site", "schema_version", "url", "canonical_url", "content_hash")


def _runs(output_dir: Path) -> list[tuple[str, str, Path, Path]]:
    """(site, run id, manifest, records file) of every delivered run, in run order per site."""
    manifests_dir, manifest_suffix = KINDS["manifest"]
    records_dir, records_suffix = KINDS["records"]
    runs = []
    for manifest in sorted(output_dir.glob(f"*/{manifests_dir}/*{manifest_suffix}")):
        site_dir = manifest.parent.parent
        run_id = manifest.name.removesuffix(manifest_suffix)
        records = site_dir / records_dir / f"{run_id}{records_suffix}"
        runs.append((site_dir.name, run_id, manifest, records))
    return runs


def _delivered_records(
    files: list[tuple[str, str, str | None, Path]],
) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
    """(site, run id, delivered at, record) of each readable record of the delivered runs, read
    again file by file so that the archive is never all in memory."""
    for site, run_id, finished_at, path in files:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                # Records passed the schema when they were delivered; a line that lost the
                # table's NOT NULL fields since is skipped (counted by the first pass).
                if isinstance(record, dict) and all(record.get(k) for k in _REQUIRED):
                    yield site, run_id, finished_at, record


def rebuild(store: StateStore, output_dir: Path, replace: bool = False) -> dict[str, Any]:
    """Fill an empty store (`replace`: emptied first, in the same transaction) from the
    delivered runs under `output_dir`; returns what it read."""
    articles: dict[tuple[str, str], dict[str, Any]] = {}
    urls: dict[tuple[str, str], str] = {}
    runs: list[tuple] = []
    files: list[tuple[str, str, str | None, Path]] = []
    bad_lines = 0
    for site, run_id, manifest_path, records_path in _runs(output_dir):
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("%s: unreadable manifest, run skipped: %s", manifest_path, exc)
            continue
        runs.append(
            (
                site,
                run_id,
                manifest.get("started_at") or manifest.get("finished_at") or "",
                manifest.get("finished_at"),
                manifest.get("status", "ok"),
                json.dumps(manifest, ensure_ascii=False),
            )
        )
        if not records_path.exists():
            continue
        files.append((site, run_id, manifest.get("finished_at"), records_path))
        with records_path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    record = json.loads(line)
                    key = (site, record["id"])
                    seen = record.get("crawled_at") or manifest.get("finished_at") or ""
                    known = articles.get(key)
                    if known is None or record["version"] >= known["version"]:
                        articles[key] = {
                            "canonical_url": record["canonical_url"],
                            "content_hash": record["content_hash"],
                            "version": record["version"],
                            "published_at": record.get("published_at"),
                            "first_seen": min(seen, known["first_seen"]) if known else seen,
                            "last_seen": max(seen, known["last_seen"]) if known else seen,
                        }
                    elif known is not None:
                        known["first_seen"] = min(seen, known["first_seen"])
                    for url in (record["canonical_url"], record.get("url")):
                        if url:
                            urls[(site, canonicalize_url(url))] = record["id"]
                            urls[(site, url)] = record["id"]
                except (ValueError, KeyError, TypeError):
                    bad_lines += 1
    store.load_rebuilt(
        runs,
        [
            (
                site,
                aid,
                a["canonical_url"],
                a["content_hash"],
                a["version"],
                a["published_at"],
                a["first_seen"],
                a["last_seen"],
            )
            for (site, aid), a in articles.items()
        ],
        [(site, url, aid) for (site, url), aid in urls.items()],
        replace=replace,
        records=_delivered_records(files) if store.records_table else (),
    )
    return {
        "sites": len({r[0] for r in runs}),
        "runs": len(runs),
        "articles": len(articles),
        "bad_lines": bad_lines,
    }
