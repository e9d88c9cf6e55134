"""`python -m crawler export`: the delivered records as one typed table, read back by DuckDB."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from crawler.demo.portal import SITES
from tests.helpers import ENV, ROOT, read_jsonl, serve_demo
from tests.test_incremental import crawl, edit


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "export", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=120,
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two runs of dienbien and bacninh; the second delivers version 2 of one article (the
    newest, made one day old so that it is re-fetched)."""
    tmp = tmp_path_factory.mktemp("export")
    data = tmp / "data"
    data.mkdir()
    for key in SITES:
        src = json.loads((ROOT / "crawler/demo/data" / f"{key}.json").read_text("utf-8"))
        newest = max(src["articles"], key=lambda a: a["published"])
        newest["published"] = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        (data / f"{key}.json").write_text(json.dumps(src, ensure_ascii=False), "utf-8")
    state, out = tmp / "state", tmp / "out"
    with serve_demo(data) as urls:
        targets = {k: urls[k] for k in ("dienbien", "bacninh")}
        assert crawl(targets, state, out).returncode == 0

        def change(articles):
            newest = max(articles, key=lambda a: a["published"])
            newest["blocks"].insert(0, {"p": "Đoạn văn bổ sung sau khi đăng, cập nhật số liệu."})

        edit(data, "dienbien", change)
        assert crawl(targets, state, out).returncode == 0
    # A run killed before its manifest: its records file must never be exported.
    stray = out / "dienbien" / "records" / "20000101T000000Z.jsonl"
    stray.write_text(next((out / "dienbien" / "records").glob("2*.jsonl")).read_text())
    return out


def test_parquet_has_one_row_per_article_with_declared_types(crawled, tmp_path):
    target = tmp_path / "articles.parquet"
    done = export("--output-dir", str(crawled), "--format", "parquet", "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert "24 rows" in done.stdout
    con = duckdb.connect()
    types = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM '{target}'").fetchall()}
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["crawled_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_date"] == "DATE"
    assert types["schema_version"] == "VARCHAR" and types["version"] == "INTEGER"
    assert types["tags"] == "VARCHAR[]" and types["images"].startswith("STRUCT(")
    rows, ids = con.execute(f"SELECT count(*), count(DISTINCT id) FROM '{target}'").fetchone()
    assert rows == ids == 24
    versions = con.execute(f"SELECT max(version) FROM '{target}' WHERE site='dienbien'").fetchone()
    assert versions == (2,)  # the latest version, not both
    # The same values as the JSONL (the latest version of each article).
    from datetime import datetime as dt

    latest: dict[str, dict] = {}
    for path in sorted(crawled.glob("*/manifests/*.json")):
        for rec in read_jsonl(path.parent.parent / "records" / f"{path.stem}.jsonl"):
            if rec["id"] not in latest or rec["version"] > latest[rec["id"]]["version"]:
                latest[rec["id"]] = rec
    cur = con.execute(f"SELECT * FROM '{target}'")
    names = [d[0] for d in cur.description]
    rows_by_id = {
        row[names.index("id")]: dict(zip(names, row, strict=True)) for row in cur.fetchall()
    }
    assert set(rows_by_id) == set(latest)
    for aid, rec in latest.items():
        row = rows_by_id[aid]
        for field, value in rec.items():
            if field in ("published_at", "modified_at", "crawled_at") and value:
                assert row[field] == dt.fromisoformat(value.replace("Z", "+00:00")), field
            elif field == "images":
                assert row[field] == [dict(i) for i in value], field
            else:
                assert row[field] == value, field
    # The local calendar day: an article at 00:30 +07:00 is on that day, not the UTC day before.
    records = [r for p in crawled.glob("*/records/2*.jsonl") for r in read_jsonl(p)]
    for rec in records:
        if rec["published_at"]:
            day = con.execute(
                f"SELECT published_date FROM '{target}' WHERE id=? LIMIT 1", [rec["id"]]
            ).fetchone()[0]
            assert day.isoformat() == rec["published_at"][:10]


def test_all_versions_and_filters(crawled, tmp_path):
    target = tmp_path / "all.parquet"
    done = export(
        "--output-dir", str(crawled), "--format", "parquet", "--out", str(target),
        "--all-versions", "--site", "dienbien",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*), count(DISTINCT id) FROM '{target}'").fetchone() == (
        13,
        12,
    )
    assert con.execute(f"SELECT DISTINCT site FROM '{target}'").fetchall() == [("dienbien",)]
    since = export(
        "--output-dir", str(crawled), "--format", "jsonl", "--out", str(tmp_path / "s.jsonl"),
        "--since", "2021-01-01",
    )  # fmt: skip
    assert since.returncode == 0, since.stderr
    rows = read_jsonl(tmp_path / "s.jsonl")
    assert rows and all(r["published_at"][:10] >= "2021-01-01" for r in rows)
    latest = {r["id"]: r for p in sorted(crawled.glob("*/records/2*.jsonl")) for r in read_jsonl(p)}
    expected = {i for i, r in latest.items() if (r["published_at"] or "")[:10] >= "2021-01-01"}
    assert {r["id"] for r in rows} == expected


def test_csv_encodes_lists_as_json(crawled, tmp_path):
    target = tmp_path / "a.csv"
    assert (
        export("--output-dir", str(crawled), "--format", "csv", "--out", str(target)).returncode
        == 0
    )
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 24
    assert all(isinstance(json.loads(r["tags"]), list) for r in rows)
    assert all(isinstance(json.loads(r["images"]), list) for r in rows)
    assert all(r["published_at"].endswith("+07:00") for r in rows if r["published_at"])


def test_bad_input_is_one_line_and_leaves_no_file(crawled, tmp_path):
    cases = [
        (["--site", "nosuch"], 2, "nosuch"),
        (["--since", "yesterday"], 2, "--since"),
        (["--since", "2999-01-01"], 1, "empty"),
    ]
    for extra, status, words in cases:
        target = tmp_path / "x.parquet"
        done = export(
            "--output-dir", str(crawled), "--format", "parquet", "--out", str(target), *extra
        )
        assert done.returncode == status, (extra, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr
        assert not target.exists() and not list(tmp_path.glob(".x.parquet*"))
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = export("--output-dir", str(crawled), "--format", "csv", "--out", str(blocker / "a.csv"))
    assert done.returncode == 2 and "does not exist" in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    done = export("--output-dir", str(empty), "--format", "csv", "--out", str(tmp_path / "e.csv"))
    assert done.returncode == 1 and "no delivered run" in done.stderr


def test_schema_command_prints_the_schema_with_its_id():
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "schema"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    schema = json.loads(done.stdout)
    assert schema["$id"].endswith("article-v2.schema.json")
    assert schema == json.loads((ROOT / "crawler/schema/article-v2.schema.json").read_text("utf-8"))
    old = subprocess.run(
        [sys.executable, "-m", "crawler", "schema", "--version", "1"],
        capture_output=True, text=True, cwd=ROOT, env=ENV,
    )  # fmt: skip
    assert json.loads(old.stdout)["properties"]["schema_version"] == {"const": "1"}


def test_version_1_records_are_exported_with_the_current_names(crawled, tmp_path):
    from pipelines.validate import errors

    v2 = read_jsonl(next((crawled / "dienbien" / "records").glob("2*.jsonl")))
    v1 = []
    for record in v2:
        old = {k: v for k, v in record.items() if k not in ("province_current", "agency_current")}
        old["schema_version"] = "1"
        assert errors(old) == []  # a valid version 1 record
        v1.append(old)
    out = tmp_path / "old-output"
    for kind, name, text in [
        ("records", "20240101T000000Z.jsonl", "".join(json.dumps(r) + "\n" for r in v1)),
        ("manifests", "20240101T000000Z.json", json.dumps({"counts": {"records": len(v1)}})),
    ]:
        (out / "dienbien" / kind).mkdir(parents=True)
        (out / "dienbien" / kind / name).write_text(text)
    target = tmp_path / "v1.parquet"
    done = export("--output-dir", str(out), "--format", "parquet", "--out", str(target))
    assert done.returncode == 0, done.stderr
    rows = (
        duckdb.connect()
        .execute(
            f"SELECT DISTINCT schema_version, province_current, agency_current FROM '{target}'"
        )
        .fetchall()
    )
    assert rows == [("1", "Điện Biên", "Sở Khoa học và Công nghệ tỉnh Điện Biên")]
