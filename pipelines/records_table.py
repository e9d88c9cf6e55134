"""The records table: an optional sink of every record into PostgreSQL, beside the JSONL files.

With RECORDS_TABLE set (`--records-table NAME`) on a PostgreSQL state, pipelines.state_pg writes
each record into this table in the transaction that commits it to the outbox, so a killed run
has both or neither. One row per (id, version): typed columns for the schema's main fields, the
whole record as `record jsonb`, and the run that delivers it (`run_site`, `run_id`).

Visibility follows delivery, not emission: a row is inserted with `delivered_at` NULL and gets
its time in the transaction that completes its run (status stored, outbox cleared), which comes
after the run's records file and manifest are written. So `WHERE delivered_at IS NOT NULL`
selects exactly the records of runs that completed, the table never leads the files, and the
repairs of pipelines.write carry the rows along: a run killed in `running` hands its rows to the
next run with its outbox, a run killed in `delivering` has them marked when the next run
completes it. A delivered row is never rewritten.

Nothing here imports psycopg at module level: the preflight checks a name without the extra.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

# Lower case only: PostgreSQL folds unquoted names, so `SELECT ... FROM articles_pg` in a
# consumer's SQL finds the table we created. 58 leaves room for the index name's suffix.
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,57}")
# The state's own tables (pipelines.state_pg) share the schema.
RESERVED = frozenset({"articles", "urls", "runs", "outbox", "site_models", "locks"})

# (column, SQL type, expression over the record `r` as jsonb). Times are parsed by PostgreSQL
# from the record's ISO text; published_date is the portal's calendar day (the date part of the
# +07:00 stamp, as the export's), so a day-precision date does not move to the previous day.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "text NOT NULL", "r->>'id'"),
    ("version", "integer NOT NULL", "(r->>'version')::integer"),
    ("site", "text NOT NULL", "r->>'site'"),
    ("schema_version", "text NOT NULL", "r->>'schema_version'"),
    ("url", "text NOT NULL", "r->>'url'"),
    ("canonical_url", "text NOT NULL", "r->>'canonical_url'"),
    ("province", "text", "r->>'province'"),
    ("agency", "text", "r->>'agency'"),
    ("province_current", "text", "r->>'province_current'"),
    ("agency_current", "text", "r->>'agency_current'"),
    ("title", "text", "r->>'title'"),
    ("author", "text", "r->>'author'"),
    ("category", "text", "r->>'category'"),
    ("tags", "text[]", "ARRAY(SELECT jsonb_array_elements_text(COALESCE(r->'tags', '[]')))"),
    ("published_at", "timestamptz", "(r->>'published_at')::timestamptz"),
    ("published_at_precision", "text", "r->>'published_at_precision'"),
    ("published_date", "date", "left(r->>'published_at', 10)::date"),
    ("modified_at", "timestamptz", "(r->>'modified_at')::timestamptz"),
    ("crawled_at", "timestamptz", "(r->>'crawled_at')::timestamptz"),
    ("word_count", "integer", "(r->>'word_count')::integer"),
    ("content_hash", "text NOT NULL", "r->>'content_hash'"),
    ("record", "jsonb NOT NULL", "r"),
)
# Who delivers the row: the run's site key in the state (the output folder; generic_<host> for
# the generic spider, whose records say `generic`), its run id, and when its run completed.
RUN_COLUMNS = ("run_site", "run_id", "delivered_at")
ALL_COLUMNS = tuple(c[0] for c in COLUMNS) + RUN_COLUMNS


def name_problem(name: str) -> str | None:
    """Why `name` cannot be the records table, or None."""
    if not _NAME.fullmatch(name):
        return "expects a table name of lower-case letters, digits and _ (at most 58)"
    if name in RESERVED:
        return f"{name!r} is one of the state's own tables"
    return None


class RecordsTable:
    """The SQL of one records table (its name quoted once, here)."""

    def __init__(self, name: str) -> None:
        problem = name_problem(name)
        if problem:
            raise ValueError(f"RECORDS_TABLE {name}: {problem}")
        self.name = name
        q = f'"{name}"'  # checked above: no quote can be in it
        cols = ",\n    ".join(f"{c} {t}" for c, t, _ in COLUMNS)
        self.ddl = (
            f"CREATE TABLE IF NOT EXISTS {q} (\n    {cols},\n"
            '    run_site text NOT NULL, run_id text COLLATE "C" NOT NULL,'
            " delivered_at timestamptz,\n    PRIMARY KEY (id, version)\n)"
        )
        # Made once the columns are known to be ours: the undelivered rows of a run.
        self.index_ddl = (
            f'CREATE INDEX IF NOT EXISTS "{name}_run" ON {q} (run_site, run_id)'
            " WHERE delivered_at IS NULL"
        )
        names = ", ".join(ALL_COLUMNS)
        exprs = ", ".join(e for _, _, e in COLUMNS)
        insert = (
            f"INSERT INTO {q} AS t ({names}) SELECT {exprs}, %s::text, %s::text, %s::timestamptz"
            " FROM (SELECT %s::jsonb AS r) AS s ON CONFLICT (id, version) DO UPDATE SET"
        )
        every = ", ".join(f"{c} = excluded.{c}" for c in ALL_COLUMNS if c != "delivered_at")
        # A record emitted again before its row was delivered (the state was rebuilt and the
        # run's outbox is gone) replaces it; a delivered row, or another site's, stays as it is.
        self.emit_sql = (
            f"{insert} {every}, delivered_at = NULL"
            " WHERE t.delivered_at IS NULL AND t.run_site = excluded.run_site"
        )
        # rebuild-state: the delivered files are the truth; a row keeps its first delivery time.
        self.rebuilt_sql = (
            f"{insert} {every}, delivered_at = COALESCE(t.delivered_at, excluded.delivered_at)"
        )
        self.hand_over_sql = (
            f"UPDATE {q} SET run_id = %s WHERE run_site = %s AND run_id = %s"
            " AND delivered_at IS NULL"
        )
        self.deliver_sql = (
            f"UPDATE {q} SET delivered_at = now() WHERE run_site = %s AND run_id = %s"
            " AND delivered_at IS NULL"
        )
        # After rebuild-state the outbox is empty: an undelivered row has no run to deliver it.
        self.drop_undelivered_sql = f"DELETE FROM {q} WHERE delivered_at IS NULL"
        self.columns_sql = (
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s"
        )

    def emit_params(self, site: str, run_id: str, record: dict[str, Any]) -> tuple:
        return (site, run_id, None, json.dumps(record, ensure_ascii=False))

    def rebuilt_params(
        self, rows: Iterable[tuple[str, str, str | None, dict[str, Any]]]
    ) -> Iterable[tuple]:
        """(site, run id, delivered at, record) of delivered runs as rebuilt_sql's parameters;
        a run whose manifest has no readable finish time is delivered now (never NULL: the row
        would look undelivered)."""
        now = datetime.now(UTC).isoformat()
        for site, run_id, delivered_at, record in rows:
            try:
                when = datetime.fromisoformat(str(delivered_at).replace("Z", "+00:00")).isoformat()
            except ValueError:
                when = now
            yield (site, run_id, when, json.dumps(record, ensure_ascii=False))

    def missing_columns(self, present: Iterable[str]) -> list[str]:
        """Columns a table of this name lacks (it was made by something else)."""
        have = set(present)
        return [c for c in ALL_COLUMNS if c not in have]
