"""The StateStore interface, run against each backend: the embedded SQLite file and PostgreSQL
(a schema of the test's own; skipped without a server). Same calls, same answers: a test here
that passes on one backend and fails on the other is a difference in semantics."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from pipelines.rebuild import rebuild
from pipelines.state import Known, StateError, open_store, state_location, utcnow
from tests.helpers import ENV, ROOT

SITE, RUN = "dienbien", "20260101T000000Z"


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path) -> str:
    """What --state resolves to: a SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "state" / "state.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(location):
    store = open_store(location)
    yield store
    store.close()


def record(aid: str, version: int = 1, text: str = "nội dung", **extra) -> dict:
    return {
        "id": aid,
        "canonical_url": f"https://stttt.example.vn/tin/{aid}.html",
        "url": f"https://stttt.example.vn/tin/{aid}.html?utm=x",
        "content_hash": f"h-{aid}-{text}",
        "version": version,
        "published_at": extra.pop("published_at", None),
        "title": "Sở Thông tin và Truyền thông",
        **extra,
    }


def test_emit_then_lookup_known_id_touch_and_a_new_version(store):
    assert store.lookup(SITE, "a") is None and store.known_id(SITE, "x") is None
    store.start_run(SITE, RUN)
    store.emit(SITE, RUN, record("a"), "https://stttt.example.vn/tin/a.html?id=1")
    assert store.lookup(SITE, "a") == Known("h-a-nội dung", 1)
    assert store.known_id(SITE, "https://stttt.example.vn/tin/a.html") == "a"
    assert store.known_id(SITE, "https://stttt.example.vn/tin/a.html?id=1") == "a"
    assert store.known_id("other", "https://stttt.example.vn/tin/a.html") is None
    store.touch(SITE, record("a"), "https://stttt.example.vn/a-moved")
    assert store.known_id(SITE, "https://stttt.example.vn/a-moved") == "a"
    store.emit(SITE, RUN, record("a", 2, "sửa"), "https://stttt.example.vn/tin/a.html")
    assert store.lookup(SITE, "a") == Known("h-a-sửa", 2)
    assert [r["version"] for r in store.outbox(SITE, RUN, "record")] == [1, 2]


def test_is_fresh_on_the_publication_time_else_the_first_seen(store):
    now = utcnow()
    window = timedelta(days=3)
    assert store.is_fresh(SITE, "unknown", now, window)
    store.emit(SITE, RUN, record("old", published_at="2020-01-01T08:00:00+07:00"), "u1")
    store.emit(SITE, RUN, record("undated"), "u2")  # first seen now
    assert not store.is_fresh(SITE, "old", now, window)
    assert store.is_fresh(SITE, "undated", now, window)
    assert not store.is_fresh(SITE, "undated", now + timedelta(days=4), window)


def test_the_outbox_keeps_order_keys_and_text_and_counts_by_kind(store):
    # More than one page of the PostgreSQL store's outbox reads.
    n = 1203
    for i in range(n):
        store.emit(SITE, RUN, record(f"r{i:04d}", zeta=i, alpha="ư\u0000ơ"), f"u{i}")
    store.reject(SITE, RUN, {"url": "https://x/1", "reason": "no_text", "at": "t"})
    out = list(store.outbox(SITE, RUN, "record"))
    assert [r["id"] for r in out] == [f"r{i:04d}" for i in range(n)]
    assert list(out[7]) == list(record("r0007", zeta=7, alpha="")), "key order changed"
    assert out[7]["alpha"] == "ư\u0000ơ"
    assert store.outbox_count(SITE, RUN, "record") == n
    assert store.outbox_count(SITE, RUN, "reject") == 1
    assert list(store.outbox(SITE, RUN, "reject"))[0]["reason"] == "no_text"
    assert store.outbox_count(SITE, "other-run", "record") == 0


def test_hand_over_moves_records_and_rejects_and_closes_the_old_run(store):
    old, new = RUN, "20260102T000000Z"
    store.start_run(SITE, old)
    store.emit(SITE, old, record("a"), "u")
    store.emit(SITE, old, record("b"), "v")
    store.reject(SITE, old, {"url": "w", "reason": "r"})
    store.start_run(SITE, new)
    assert store.unfinished_runs(SITE) == [(old, "running"), (new, "running")]
    assert store.hand_over(SITE, old, new) == 2
    assert store.outbox_count(SITE, old, "record") == 0
    assert [r["id"] for r in store.outbox(SITE, new, "record")] == ["a", "b"]
    assert store.outbox_count(SITE, new, "reject") == 1
    assert store.unfinished_runs(SITE) == [(new, "running")]
    assert store.last_run(SITE)[:2] == (new, "running")
    assert store.stored_manifest(SITE, old)["recovered_by"] == new


def test_delivering_then_complete_clears_the_outbox_and_releases_the_lock(store):
    assert store.acquire_lock(SITE, 60) is None
    store.start_run(SITE, RUN)
    store.set_lock_run(SITE, RUN)
    assert store.lock_holder(SITE)["run_id"] == RUN
    store.emit(SITE, RUN, record("a"), "u")
    assert store.last_delivered(SITE) is None
    store.mark_delivering(SITE, RUN, {"run_id": RUN, "n": 1})
    assert store.unfinished_runs(SITE) == [(RUN, "delivering")]
    assert store.stored_manifest(SITE, RUN) == {"run_id": RUN, "n": 1}
    store.complete_run(SITE, RUN, "ok", {"run_id": RUN, "n": 2, "status": "ok"})
    assert store.unfinished_runs(SITE) == []
    assert store.outbox_count(SITE, RUN, "record") == 0
    assert store.lock_holder(SITE) is None
    assert store.last_delivered(SITE)["n"] == 2
    last = store.last_run(SITE)
    assert last[:2] == (RUN, "ok") and last[2]


def test_complete_old_run_keeps_the_current_runs_lock(store):
    store.start_run(SITE, RUN)
    store.emit(SITE, RUN, record("a"), "u")
    store.mark_delivering(SITE, RUN, {"run_id": RUN})
    assert store.acquire_lock(SITE, 60) is None  # the next run, repairing
    store.complete_old_run(SITE, RUN, {"run_id": RUN, "status": "ok"})
    assert store.unfinished_runs(SITE) == [] and store.outbox_count(SITE, RUN, "record") == 0
    assert store.lock_holder(SITE)["pid"] > 0
    store.release_lock(SITE)
    assert store.lock_holder(SITE) is None


def test_runs_sort_bytewise_and_are_counted(store):
    assert not store.has_runs(SITE) and store.run_count() == 0
    ids = ["20991231T235959Z", "20991231T235959Z-002", "20991231T235959Z-010", "20260101T000000Z"]
    for run_id in ids:
        store.start_run(SITE, run_id)
        store.start_run(SITE, run_id)  # a resumed run starts again under its id: no new row
        store.complete_run(SITE, run_id, "ok", {"run_id": run_id})
    store.start_run("bacninh", RUN)
    assert store.has_runs(SITE) and store.run_count() == 5
    assert store.last_run(SITE)[0] == "20991231T235959Z-010"
    assert store.last_delivered(SITE)["run_id"] == "20991231T235959Z-010"
    assert [m["run_id"] for m in store.previous_manifests(SITE, limit=3)] == sorted(ids)[::-1][:3]


def test_site_models_are_saved_and_replaced(store):
    assert store.site_model(SITE) is None
    store.save_site_model(SITE, {"listing": ["/tin"], "tên": "Điện Biên"})
    store.save_site_model(SITE, {"listing": ["/tin", "/thong-bao"], "tên": "Điện Biên"})
    assert store.site_model(SITE) == {"listing": ["/tin", "/thong-bao"], "tên": "Điện Biên"}


def test_load_rebuilt_and_replace(store):
    run = (SITE, RUN, "s", "f", "ok", json.dumps({"run_id": RUN}))
    article = (SITE, "a", "cu", "h", 3, None, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")
    store.load_rebuilt([run], [article], [(SITE, "cu", "a")])
    assert store.lookup(SITE, "a") == Known("h", 3) and store.known_id(SITE, "cu") == "a"
    store.load_rebuilt([], [(SITE, "b", "cb", "h", 1, None, "x", "x")], [], replace=True)
    assert store.run_count() == 0 and store.lookup(SITE, "a") is None
    assert store.lookup(SITE, "b") == Known("h", 1)


def test_rebuild_from_output_fills_either_backend(store, tmp_path):
    site = tmp_path / "out" / SITE
    (site / "manifests").mkdir(parents=True)
    (site / "records").mkdir()
    (site / "manifests" / f"{RUN}.json").write_text('{"status": "ok", "finished_at": "f"}')
    (site / "records" / f"{RUN}.jsonl").write_text(
        '{"id": "a", "canonical_url": "cu", "content_hash": "h", "version": 2}\nnot json\n'
    )
    found = rebuild(store, tmp_path / "out")
    assert found == {"sites": 1, "runs": 1, "articles": 1, "bad_lines": 1}
    assert store.lookup(SITE, "a") == Known("h", 2) and store.last_delivered(SITE)["status"] == "ok"


# ---- the lock across processes ------------------------------------------------------------
HOLDER = """
import socket, sys, time
from pipelines.state import open_store
location, host, lease, start = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
if host != "-":
    socket.gethostname = lambda: host  # a holder on another host: judged by its lease
store = open_store(location)
time.sleep(max(start - time.time(), 0))
print("taken" if store.acquire_lock("dienbien", lease) is None else "refused", flush=True)
sys.stdin.readline()
"""


def holder(location: str, host: str = "-", lease: float = 60, start: float = 0):
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, location, host, str(lease), str(start)],
        cwd=ROOT,
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_live_holder_is_refused_and_a_dead_one_taken_over(store, location, caplog):
    other = holder(location)
    try:
        assert other.stdout.readline().strip() == "taken"
        refused = store.acquire_lock(SITE, 60)
        assert refused is not None and refused["pid"] == other.pid
    finally:
        other.kill()
        other.wait()
    assert store.acquire_lock(SITE, 60) is None
    assert "taking over the lock of a run that died" in caplog.text
    assert store.lock_holder(SITE)["pid"] != other.pid
    assert store.acquire_lock(SITE, 60) is None  # this process's own lock: taken again


def test_a_holder_on_another_host_is_live_until_its_lease_runs_out(store, location):
    other = holder(location, host="worker-2", lease=1.5)
    try:
        assert other.stdout.readline().strip() == "taken"
        assert store.acquire_lock(SITE, 60)["host"] == "worker-2"  # its process lives on
        time.sleep(1.7)
        assert store.acquire_lock(SITE, 60) is None  # not renewed: taken over
    finally:
        other.kill()
        other.wait()


def test_of_many_processes_taking_the_lock_at_once_exactly_one_gets_it(store, location):
    start = time.time() + 3  # all started and connected by then
    procs = [holder(location, start=start) for _ in range(8)]
    try:
        answers = sorted(p.stdout.readline().strip() for p in procs)
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert answers == ["refused"] * 7 + ["taken"]


# ---- where the state is, and what a bad one says -------------------------------------------
def test_state_location_rule(tmp_path):
    assert state_location(None, None) is None
    assert state_location(None, tmp_path) == tmp_path / "state.sqlite"
    url = "postgresql://u@h/db"
    assert state_location(url, tmp_path) == url  # STATE_URL wins
    with pytest.raises(StateError, match="STATE_DIR .*is a URL"):
        state_location(None, url)
    with pytest.raises(StateError, match="expects a postgresql:// URL"):
        state_location("mysql://h/db", None)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    "state_args",
    [
        ["--state", "postgresql://postgres@127.0.0.1:1/test"],
        ["-s", "STATE_URL=postgresql://postgres@127.0.0.1:1/test"],
    ],
)
def test_an_unreachable_database_is_one_line_and_exit_2(tmp_path, state_args):
    pytest.importorskip("psycopg")
    done = _cli("crawl", "dienbien", *state_args, "--output-dir", str(tmp_path / "out"))
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "127.0.0.1" in lines[0] and "cannot connect" in lines[0], lines
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.json*"))


def test_a_url_in_state_dir_is_refused_not_made_a_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "dienbien", "-s",
         "STATE_DIR=postgresql://postgres@127.0.0.1/test", "--output-dir", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "STATE_URL" in done.stderr and not (tmp_path / "postgresql:").exists()


def test_a_password_never_reaches_the_messages(pg_url):
    from pipelines.state_pg import redact

    assert redact("postgresql://crawler:s3cr%40t@db:5432/x") == "postgresql://crawler:***@db:5432/x"
    bad = pg_url.replace("postgres@", "postgres:hunter2@").replace("5432", "1")
    with pytest.raises(StateError) as err:
        open_store(bad)
    assert "hunter2" not in str(err.value) and "***" in str(err.value)


def test_list_and_rebuild_state_take_a_url(pg_url, tmp_path):
    out = tmp_path / "out" / SITE
    (out / "manifests").mkdir(parents=True)
    (out / "manifests" / f"{RUN}.json").write_text('{"status": "ok"}')
    built = _cli("rebuild-state", "--state", pg_url, "--output-dir", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert "1 runs" in built.stdout
    again = _cli("rebuild-state", "--state", pg_url, "--output-dir", str(tmp_path / "out"))
    assert again.returncode == 2 and "already holds 1 runs" in again.stderr
    forced = _cli("rebuild-state", "--state", pg_url, "--output-dir", str(tmp_path / "out"),
                  "--force")  # fmt: skip
    assert forced.returncode == 0, forced.stderr
    listed = _cli("list", "--state", pg_url)
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if line.startswith(SITE + " "))
    assert row.rstrip().endswith(f"{RUN} ok")
    assert not Path(pg_url).exists()


def test_scrapy_crawl_takes_state_url_and_is_incremental_on_it(pg_url, tmp_path):
    """Plain `scrapy crawl` (and so Scrapyd jobs) with -s STATE_URL: the second run of the site
    finds every article known."""
    from tests.helpers import scrapy_crawl, serve_demo

    settings = {"STATE_URL": pg_url, "OUTPUT_DIR": str(tmp_path / "out"), "PROGRESS_INTERVAL": "0"}
    with serve_demo() as urls:
        runs = [scrapy_crawl(SITE, urls[SITE], settings=settings) for _ in range(2)]
    for done in runs:
        assert done.returncode == 0, done.stderr[-2000:]
    manifests = sorted((tmp_path / "out" / SITE).glob("manifests/*.json"))
    counts = [json.loads(p.read_text())["counts"]["records"] for p in manifests]
    assert len(counts) == 2 and counts[0] > 0 and counts[1] == 0
    store = open_store(pg_url)
    try:
        assert store.run_count() == 2 and store.last_run(SITE)[1] == "ok"
    finally:
        store.close()
