"""Export delivered records as one typed table: Parquet, CSV or JSON lines, one row per article.

Built on DuckDB: it reads the JSONL runs with declared column types in one pass, keeps each
article's latest version with a window function and writes Parquet or CSV itself, so the export
is a single SQL statement with no dataframe library in between. Only delivered runs are read
(records files whose manifest exists, pipelines.write), never rejects.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pipelines.write import KINDS, out_file_problem

# The record's columns (crawler/schema/article-v2.schema.json; v1 records lack province_current
# and agency_current, which the export derives from the merger table) as read; timestamps are read as
# text first so that the local day and the offset the portal printed are not lost on the way.
COLUMNS = {
    "schema_version": "VARCHAR",
    "id": "VARCHAR",
    "version": "INTEGER",
    "url": "VARCHAR",
    "canonical_url": "VARCHAR",
    "site": "VARCHAR",
    "province": "VARCHAR",
    "agency": "VARCHAR",
    "province_current": "VARCHAR",
    "agency_current": "VARCHAR",
    "title": "VARCHAR",
    "summary": "VARCHAR",
    "text": "VARCHAR",
    "published_at": "VARCHAR",
    "published_at_raw": "VARCHAR",
    "published_at_precision": "VARCHAR",
    "modified_at": "VARCHAR",
    "author": "VARCHAR",
    "images": "STRUCT(url VARCHAR, caption VARCHAR)[]",
    "category": "VARCHAR",
    "tags": "VARCHAR[]",
    "language": "VARCHAR",
    "word_count": "INTEGER",
    "content_hash": "VARCHAR",
    "crawled_at": "VARCHAR",
}
TIMESTAMPS = ("published_at", "modified_at", "crawled_at")
FORMATS = ("parquet", "csv", "jsonl")


class ExportError(Exception):
    """Bad input for an export (exit 2), or nothing to export (exit 1): the message says which."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def delivered_files(output_dir: Path, sites: list[str] | None = None) -> list[Path]:
    """Records files of delivered runs (their manifest exists), per site in run order."""
    records_dir, records_suffix = KINDS["records"]
    manifests_dir, manifest_suffix = KINDS["manifest"]
    known = (
        sorted(p.name for p in output_dir.iterdir() if p.is_dir()) if output_dir.is_dir() else []
    )
    unknown = [s for s in sites or [] if s not in known]
    if unknown:
        raise ExportError(
            f"--site {', '.join(unknown)}: no output under {output_dir}"
            f" (sites there: {', '.join(known) or 'none'})"
        )
    files = []
    for site in sites or known:
        for path in sorted((output_dir / site / records_dir).glob(f"*{records_suffix}")):
            run = path.name.removesuffix(records_suffix)
            if (output_dir / site / manifests_dir / f"{run}{manifest_suffix}").exists():
                files.append(path)
    return files


def _select(files: list[Path], since: date | None, all_versions: bool, fmt: str) -> str:
    paths = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items()) + "}"
    raw = f"read_json([{paths}], format='newline_delimited', columns={columns})"
    # Version 1 records: the current province and agency as crawler.provinces derives them.
    source = (
        "(SELECT r.* REPLACE (COALESCE(r.province_current, m.current) AS province_current,"
        " COALESCE(r.agency_current, s.agency_current,"
        " CASE WHEN r.agency LIKE 'Sở Thông tin và Truyền thông%' THEN m.current_agency"
        " WHEN r.agency LIKE 'Bộ Thông tin và Truyền thông%' THEN 'Bộ Khoa học và Công nghệ'"
        " ELSE r.agency END) AS agency_current)"
        f" FROM {raw} r LEFT JOIN merger m ON m.province = r.province"
        " LEFT JOIN registry_sites s ON s.site = r.site)"
    )
    out = []
    for name in COLUMNS:
        if fmt == "parquet" and name in TIMESTAMPS:
            out.append(f"CAST({name} AS TIMESTAMPTZ) AS {name}")
        elif fmt == "csv" and name in ("images", "tags"):
            out.append(f"to_json({name})::VARCHAR AS {name}")  # CSV has no lists: JSON text
        else:
            out.append(name)
        if name == "published_at":
            # The portal's calendar day: the date part of the +07:00 timestamp, not of its UTC.
            out.append("CAST(left(published_at, 10) AS DATE) AS published_date")
    where = f"WHERE left(published_at, 10) >= '{since.isoformat()}'" if since else ""
    latest = (
        ""
        if all_versions
        else "QUALIFY row_number() OVER (PARTITION BY site, id ORDER BY version DESC,"
        " crawled_at DESC) = 1"
    )
    return (
        f"SELECT {', '.join(out)} FROM {source} {where} {latest}"
        " ORDER BY site, published_at NULLS LAST, id, version"
    )


def _merger_table(con) -> None:
    from crawler.provinces import current_agency, portals, provinces

    con.execute("CREATE TEMP TABLE registry_sites (site VARCHAR, agency_current VARCHAR)")
    con.executemany(
        "INSERT INTO registry_sites VALUES (?, ?)",
        [(r["site"], r["agency_current"]) for r in portals() if r["site"]],
    )
    con.execute(
        "CREATE TEMP TABLE merger (province VARCHAR, current VARCHAR, current_agency VARCHAR)"
    )
    rows = {}
    for row in provinces():
        for name in (row["province"], row["province_current"]):
            rows[name] = (name, row["province_current"] if name == row["province"] else name)
    con.executemany(
        "INSERT INTO merger VALUES (?, ?, ?)",
        [(name, cur, current_agency(name)) for name, cur in rows.values()],
    )


def export(
    output_dir: Path,
    target: Path,
    fmt: str,
    *,
    sites: list[str] | None = None,
    since: date | None = None,
    all_versions: bool = False,
) -> int:
    """Write the selection to `target` atomically; returns the rows written."""
    import duckdb

    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    target = Path(target).resolve()
    problem = out_file_problem(target)
    if problem:
        raise ExportError(problem)
    files = delivered_files(Path(output_dir), sites)
    if not files:
        raise ExportError(f"nothing to export: no delivered run under {output_dir}", status=1)
    query = _select(files, since, all_versions, fmt)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    options = {
        "parquet": "FORMAT parquet, COMPRESSION zstd",
        "csv": "FORMAT csv, HEADER true",
        "jsonl": "FORMAT json",
    }[fmt]
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        _merger_table(con)
        rows = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        if not rows:
            raise ExportError("nothing to export: the selection is empty", status=1)
        tmp_sql = str(tmp).replace("'", "''")
        con.execute(f"COPY ({query}) TO '{tmp_sql}' ({options})")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except duckdb.Error as exc:
        raise ExportError(f"export failed: {exc}".splitlines()[0], status=1) from exc
    finally:
        con.close()
        tmp.unlink(missing_ok=True)
    return rows
