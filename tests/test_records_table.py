"""The records table (RECORDS_TABLE, --records-table) on a PostgreSQL state: typed rows equal to
the JSONL records, written in the state's transactions, visible once their run is delivered,
exactly one per (id, version) whatever killed a run, rebuilt from the delivered output. Every
test but the usage errors needs the server (pg_url skips, saying so, when none answers)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines.state import StateError, open_store
from tests.helpers import ENV, FAST, ROOT
from tests.test_delivery import ARTICLES, delivered, exactly_once
from tests.test_incremental import edit, portal  # noqa: F401  (the fixture)

TABLE = "article_rows"
SITE, RUN = "dienbien", "20260101T000000Z"
TIMES = ("published_at", "modified_at", "crawled_at")
TEXTS = (
    "id", "site", "schema_version", "url", "canonical_url", "province", "agency",
    "province_current", "agency_current", "title", "author", "category",
    "published_at_precision", "content_hash",
)  # fmt: skip


def crawl(urls: dict, state: str | Path, out: Path, *extra: str, env=None, table=TABLE):
    args = [sys.executable, "-m", "crawler", "crawl", f"{SITE}={urls[SITE]}", "--state", str(state)]
    args += ["--output-dir", str(out), "--log-level", "INFO", *extra]
    if table:
        args += ["--records-table", table]
    for name, value in {**FAST, "PROGRESS_INTERVAL": "0"}.items():
        args += ["-s", f"{name}={value}"]
    return subprocess.run(
        args, capture_output=True, text=True, timeout=300, cwd=ROOT, env={**ENV, **(env or {})}
    )


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=120,
    )  # fmt: skip


def rows(pg_url: str, where: str = "TRUE") -> list[dict]:
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(pg_url, row_factory=dict_row) as db:
        return db.execute(f"SELECT * FROM {TABLE} WHERE {where} ORDER BY id, version").fetchall()


def delivered_runs(out: Path) -> dict[tuple[str, int], str]:
    """(id, version) → the run whose delivered records file holds it."""
    found = {}
    for path in sorted((out / SITE).glob("records/*.jsonl")):
        if (out / SITE / "manifests" / f"{path.stem}.json").exists():
            for line in path.read_text("utf-8").splitlines():
                r = json.loads(line)
                assert (r["id"], r["version"]) not in found, "delivered twice"
                found[(r["id"], r["version"])] = path.stem
    return found


def assert_table_is_the_delivered_output(pg_url: str, out: Path) -> None:
    """One row per delivered (id, version), each delivered, with the run that delivered it;
    nothing else in the table."""
    table = rows(pg_url)
    keys = [(r["id"], r["version"]) for r in table]
    assert len(keys) == len(set(keys))
    assert all(r["delivered_at"] is not None for r in table), "an undelivered row is left"
    assert {k: r["run_id"] for k, r in zip(keys, table, strict=True)} == delivered_runs(out)


# ---- the store ------------------------------------------------------------------------------
def record(aid: str, version: int = 1, **extra) -> dict:
    return {
        "schema_version": "2", "id": aid, "version": version, "site": SITE,
        "url": f"https://stttt.example.vn/tin/{aid}.html?utm=x",
        "canonical_url": f"https://stttt.example.vn/tin/{aid}.html",
        "province": "Điện Biên", "agency": "Sở Thông tin và Truyền thông tỉnh Điện Biên",
        "province_current": "Điện Biên", "agency_current": None, "title": "Tin",
        "published_at": "2026-01-02T00:30:00+07:00", "published_at_precision": "minute",
        "modified_at": None, "author": None, "category": None, "tags": ["chuyển đổi số"],
        "word_count": 3, "content_hash": f"h-{aid}-{version}", "crawled_at": "2026-01-02T01:00:00Z",
        **extra,
    }  # fmt: skip


@pytest.fixture
def store(pg_url):
    store = open_store(pg_url, records_table=TABLE)
    yield store
    store.close()


def test_a_row_is_written_with_its_record_and_visible_once_its_run_completes(store, pg_url):
    store.start_run(SITE, RUN)
    store.emit(SITE, RUN, record("a"), "u")
    (row,) = rows(pg_url)
    assert row["delivered_at"] is None and (row["run_site"], row["run_id"]) == (SITE, RUN)
    # The +07:00 calendar day, not the UTC one (17:30 on 1 January).
    assert row["published_date"] == date(2026, 1, 2)
    assert row["published_at"] == datetime.fromisoformat("2026-01-02T00:30:00+07:00")
    assert row["record"] == record("a") and row["tags"] == ["chuyển đổi số"]
    store.mark_delivering(SITE, RUN, {"run_id": RUN})
    assert rows(pg_url)[0]["delivered_at"] is None  # the manifest may not be written yet
    store.complete_run(SITE, RUN, "ok", {"run_id": RUN})
    assert rows(pg_url)[0]["delivered_at"] is not None


def test_emit_in_a_failed_transaction_leaves_no_row_and_no_outbox(store, pg_url):
    with pytest.raises(Exception, match="null value"):
        store.emit(SITE, RUN, record("a", site=None), "u")  # the row's NOT NULL fails
    assert rows(pg_url) == [] and store.outbox_count(SITE, RUN, "record") == 0
    assert store.lookup(SITE, "a") is None  # so the next run fetches it again


def test_hand_over_and_complete_old_run_carry_the_rows(store, pg_url):
    old, new = RUN, "20260102T000000Z"
    store.start_run(SITE, old)
    store.emit(SITE, old, record("a"), "u")
    store.start_run(SITE, new)
    store.hand_over(SITE, old, new)
    assert [r["run_id"] for r in rows(pg_url)] == [new]
    store.emit(SITE, new, record("a", 2), "u")  # an edit: a new row
    store.mark_delivering(SITE, new, {"run_id": new})
    store.complete_old_run(SITE, new, {"run_id": new, "status": "ok"})
    assert [(r["version"], r["delivered_at"] is not None) for r in rows(pg_url)] == [
        (1, True),
        (2, True),
    ]


def test_emitted_again_an_undelivered_row_is_replaced_and_a_delivered_one_kept(store, pg_url):
    store.emit(SITE, RUN, record("a", title="first"), "u")
    store.emit(SITE, RUN, record("a", title="again"), "u")  # no duplicate key error
    assert [r["title"] for r in rows(pg_url)] == ["again"]
    store.complete_run(SITE, RUN, "ok", {})
    store.emit(SITE, "20260103T000000Z", record("a", title="third"), "u")
    (row,) = rows(pg_url)
    assert (row["title"], row["run_id"]) == ("again", RUN) and row["delivered_at"]
    # Another site's record of the same (id, version) never takes over the row.
    store.emit("generic_x", RUN, record("b"), "u")
    store.emit(SITE, RUN, record("b", title="other site"), "u")
    assert rows(pg_url, "id = 'b'")[0]["run_site"] == "generic_x"


def test_load_rebuilt_upserts_the_delivered_and_drops_the_undelivered(store, pg_url):
    store.emit(SITE, "lost-run", record("orphan"), "u")  # its outbox is gone with the state
    store.emit(SITE, RUN, record("a", title="before"), "u")
    store.complete_run(SITE, RUN, "ok", {})
    first = rows(pg_url, "id = 'a'")[0]["delivered_at"]
    store.load_rebuilt(
        [], [], [], replace=True,
        records=[(SITE, RUN, "2026-01-02T02:00:00Z", record("a", title="file")),
                 (SITE, RUN, None, record("b"))],
    )  # fmt: skip
    table = {r["id"]: r for r in rows(pg_url)}
    assert sorted(table) == ["a", "b"]
    assert table["a"]["title"] == "file" and table["a"]["delivered_at"] == first
    assert table["b"]["delivered_at"] is not None  # no finish time in its manifest: now


def test_a_table_of_that_name_made_by_something_else_is_refused_in_one_line(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute(f"CREATE TABLE {TABLE} (id text PRIMARY KEY, body text)")
    with pytest.raises(StateError) as err:
        open_store(pg_url, records_table=TABLE)
    message = str(err.value)
    assert "\n" not in message and f"records table {TABLE}" in message and "version" in message


@pytest.mark.parametrize("name", ["outbox", "Bad-Name", "x" * 59])
def test_a_bad_table_name_is_refused(name):
    pytest.importorskip("psycopg", reason="psycopg not installed (the [postgres] extra)")
    with pytest.raises(StateError, match=f"RECORDS_TABLE {name}"):
        open_store("postgresql://postgres@127.0.0.1:1/x", records_table=name)


# ---- usage errors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--records-table", TABLE], f"--records-table {TABLE}"),
        (["-s", f"RECORDS_TABLE={TABLE}"], f"-s RECORDS_TABLE={TABLE}"),
    ],
)
def test_the_sink_with_a_sqlite_state_is_a_usage_error_in_one_line(tmp_path, args, named):
    done = cli("crawl", SITE, "--state", str(tmp_path / "state"), "--output-dir",
               str(tmp_path / "out"), *args)  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "PostgreSQL" in lines[0], lines
    assert not (tmp_path / "state").exists()  # refused before any folder was made
    rebuilt = cli("rebuild-state", "--state", str(tmp_path / "state"), "--output-dir",
                  str(tmp_path), "--records-table", TABLE)  # fmt: skip
    assert rebuilt.returncode == 2 and len(rebuilt.stderr.strip().splitlines()) == 1
    assert f"--records-table {TABLE}" in rebuilt.stderr and "PostgreSQL" in rebuilt.stderr


def test_a_bad_name_and_an_unusable_table_are_usage_errors_in_one_line(tmp_path, pg_url):
    import psycopg

    bad = cli("crawl", SITE, "--state", pg_url, "--records-table", "runs")
    assert bad.returncode == 2 and "--records-table runs" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute(f"CREATE VIEW {TABLE} AS SELECT 1 AS id")
    done = cli("crawl", SITE, "--state", pg_url, "--output-dir", str(tmp_path / "out"),
               "--records-table", TABLE)  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"records table {TABLE}" in lines[0], lines
    assert "Traceback" not in done.stderr


# ---- crawls ---------------------------------------------------------------------------------
def test_typed_columns_equal_the_jsonl_and_an_edit_adds_a_version_row(
    portal,  # noqa: F811
    tmp_path,
    pg_url,
):
    urls, data = portal
    out = tmp_path / "out"
    first = crawl(urls, pg_url, out)
    assert first.returncode == 0, first.stdout + first.stderr
    records = {(r["id"], r["version"]): r for r in delivered(out, SITE)}
    table = {(r["id"], r["version"]): r for r in rows(pg_url)}
    assert len(records) == ARTICLES and table.keys() == records.keys()
    for key, rec in records.items():
        row = table[key]
        for field in TEXTS:
            assert row[field] == rec[field], field
        for field in TIMES:
            expected = datetime.fromisoformat(rec[field]) if rec[field] else None
            assert row[field] == expected, field
        day = date.fromisoformat(rec["published_at"][:10]) if rec["published_at"] else None
        assert row["published_date"] == day
        assert (row["version"], row["word_count"]) == (rec["version"], rec["word_count"])
        assert row["tags"] == rec["tags"] and row["record"] == rec
        assert row["delivered_at"] is not None and row["run_site"] == SITE
    assert_table_is_the_delivered_output(pg_url, out)

    def change(articles):
        newest = max(articles, key=lambda a: a["published"])
        newest["blocks"].insert(0, {"p": "Đoạn văn được bổ sung sau khi đăng bài."})

    edit(data, SITE, change)
    second = crawl(urls, pg_url, out)
    assert second.returncode == 0, second.stdout + second.stderr
    assert_table_is_the_delivered_output(pg_url, out)
    versions = rows(pg_url, "version = 2")
    assert len(versions) == 1 and "Đoạn văn được bổ sung" in versions[0]["record"]["text"]
    assert len(rows(pg_url, f"id = '{versions[0]['id']}'")) == 2  # version 1 is kept
    latest = cli_latest(pg_url)
    assert len(latest) == ARTICLES and {r[1] for r in latest if r[0] == versions[0]["id"]} == {2}


def cli_latest(pg_url: str) -> list[tuple]:
    """The README's query: the latest delivered version of each article."""
    import psycopg

    with psycopg.connect(pg_url) as db:
        return db.execute(
            f"SELECT DISTINCT ON (site, id) id, version, title FROM {TABLE}"
            " WHERE delivered_at IS NOT NULL ORDER BY site, id, version DESC"
        ).fetchall()


@pytest.mark.parametrize(
    "point", ["after_records_file", "after_rejects_file", "after_delivering", "after_manifest"]
)
def test_a_kill_at_each_step_of_the_delivery_leaves_exactly_one_delivered_row_each(
    portal,  # noqa: F811
    tmp_path,
    pg_url,
    point,
):
    urls, _ = portal
    out = tmp_path / "out"
    killed = crawl(urls, pg_url, out, env={"CRAWLER_FAILPOINT": point})
    assert killed.returncode == -signal.SIGKILL
    assert len(rows(pg_url)) == ARTICLES
    # Before the run completes in the state, no row is visible, even with its manifest written.
    assert rows(pg_url, "delivered_at IS NOT NULL") == []
    again = crawl(urls, pg_url, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)
    assert_table_is_the_delivered_output(pg_url, out)
    third = crawl(urls, pg_url, out)
    assert third.returncode == 0, third.stdout + third.stderr
    assert_table_is_the_delivered_output(pg_url, out)


@pytest.mark.parametrize("resume", [False, True])
def test_sigkill_mid_crawl_then_the_next_run_delivers_the_rows_once(
    portal,  # noqa: F811
    tmp_path,
    pg_url,
    resume,
):
    urls, _ = portal
    out = tmp_path / "out"
    args = [sys.executable, "-m", "crawler", "crawl", f"{SITE}={urls[SITE]}", "--state", pg_url,
            "--output-dir", str(out), "--records-table", TABLE, "-s", "DOWNLOAD_DELAY=0.15",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]  # fmt: skip
    proc = subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.time() + 60
    try:
        while proc.poll() is None and time.time() < deadline:
            if len(_safe_rows(pg_url)) >= 5:
                break
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    committed = rows(pg_url)
    assert 5 <= len(committed) < ARTICLES, "the kill must land mid-crawl"
    assert all(r["delivered_at"] is None for r in committed)
    again = crawl(urls, pg_url, out, *(["--resume"] if resume else []))
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)
    assert_table_is_the_delivered_output(pg_url, out)
    # The killed run's rows went to the run that delivered them (its own, resumed).
    runs = {r["run_id"] for r in rows(pg_url)}
    assert runs == {p.stem for p in (out / SITE).glob("records/*")}
    assert (runs == {committed[0]["run_id"]}) is resume


def _safe_rows(pg_url: str) -> list[dict]:
    import psycopg

    try:
        return rows(pg_url)
    except psycopg.errors.UndefinedTable:  # not created yet
        return []


def test_rebuild_state_fills_the_table_with_the_delivered_records_only(
    portal,  # noqa: F811
    tmp_path,
    pg_url,
):
    import psycopg

    urls, _ = portal
    out = tmp_path / "out"
    assert crawl(urls, pg_url, out).returncode == 0
    with psycopg.connect(pg_url, autocommit=True) as db:
        # The state lost, the table with it but for a row of a run that never completed.
        db.execute("TRUNCATE articles, urls, runs, outbox, site_models, locks")
        db.execute(f"DELETE FROM {TABLE} WHERE id IN (SELECT id FROM {TABLE} LIMIT 4)")
        db.execute(f"UPDATE {TABLE} SET delivered_at = NULL, run_id = 'x' WHERE id IN"
                   f" (SELECT id FROM {TABLE} LIMIT 2)")  # fmt: skip
        db.execute(
            f"INSERT INTO {TABLE} (id, version, site, schema_version, url, canonical_url,"
            " content_hash, record, run_site, run_id) SELECT id, 7, site, schema_version, url,"
            f" canonical_url, content_hash, record, run_site, 'lost' FROM {TABLE} LIMIT 1"
        )
    rebuilt = cli("rebuild-state", "--state", pg_url, "--output-dir", str(out),
                  "--records-table", TABLE)  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"{ARTICLES} articles" in rebuilt.stdout and TABLE in rebuilt.stdout
    assert_table_is_the_delivered_output(pg_url, out)
    again = crawl(urls, pg_url, out)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (
        json.loads(sorted((out / SITE).glob("manifests/*"))[-1].read_text())["counts"]["records"]
        == 0
    )
    assert_table_is_the_delivered_output(pg_url, out)


def test_plain_scrapy_crawl_with_the_sink_on_sqlite_is_exit_2(tmp_path):
    from tests.helpers import scrapy_crawl

    done = scrapy_crawl(SITE, "http://127.0.0.1:9/", settings={
        "STATE_DIR": str(tmp_path / "state"), "OUTPUT_DIR": str(tmp_path / "out"),
        "RECORDS_TABLE": TABLE})  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert errors == [
        f"scrapy crawl: error: -s RECORDS_TABLE={TABLE}: needs a PostgreSQL state"
        " (--state postgresql://...): its rows are written in the state's transactions, and the"
        " SQLite state has none to share"
    ]
    assert not (tmp_path / "state").exists()
