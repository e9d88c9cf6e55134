"""Scheduled crawls with real processes: one run per site at a time, kills at every step of the
delivery, a full disk, a lost state. Every article is delivered exactly once, in a records file
that has its manifest. The tests that need no SQLite file of their own run on a PostgreSQL state
too (the `state` fixture)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ENV, FAST, ROOT, read_jsonl
from tests.test_incremental import crawl, portal  # noqa: F401  (the fixture)

ARTICLES = 12  # per demo site


def delivered(out: Path, site: str) -> list[dict]:
    """Records of the runs that have a manifest, checking the layout's promises on the way."""
    folder = out / site
    manifests = {p.stem: json.loads(p.read_text("utf-8")) for p in folder.glob("manifests/*.json")}
    records = sorted(folder.glob("records/*.jsonl"))
    assert {p.stem for p in records} <= set(manifests), "a records file without its manifest"
    assert not list(folder.glob("*/.*.tmp")), "a temporary file left behind"
    out_records = []
    for path in records:
        rows = read_jsonl(path)
        assert manifests[path.stem]["counts"]["records"] == len(rows)
        out_records += rows
    return out_records


def exactly_once(out: Path, site: str = "dienbien") -> None:
    ids = [r["id"] for r in delivered(out, site)]
    assert len(ids) == len(set(ids)), "an article delivered twice"
    assert len(ids) == ARTICLES, f"{ARTICLES - len(ids)} articles lost"


def start(
    urls: dict, state: Path | str, out: Path, site: str = "dienbien", delay: str = "0.3", env=None
):
    args = [sys.executable, "-m", "crawler", "crawl", f"{site}={urls[site]}"]
    args += ["--state", str(state), "--output-dir", str(out), "--log-level", "INFO"]
    for name, value in {**FAST, "DOWNLOAD_DELAY": delay, "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
                        "PROGRESS_INTERVAL": "0"}.items():  # fmt: skip
        args += ["-s", f"{name}={value}"]
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env={**ENV, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def state(request, tmp_path) -> Path | str:
    """The --state of the run: a SQLite directory, or a PostgreSQL URL on a schema of the test's
    own (skipped without a server): the delivery guarantees hold on either backend."""
    if request.param == "sqlite":
        return tmp_path / "state"
    return request.getfixturevalue("pg_url")


def lock_holder(state: Path | str, site: str) -> int | None:
    if isinstance(state, str):
        from pipelines.state import open_store

        store = open_store(state)
        try:
            holder = store.lock_holder(site)
        finally:
            store.close()
        return holder["pid"] if holder else None
    path = state / "state.sqlite"
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute("SELECT pid FROM locks WHERE site=?", (site,)).fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()


def wait_for_lock(state: Path | str, site: str, proc: subprocess.Popen) -> int:
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        pid = lock_holder(state, site)
        if pid:
            return pid
        time.sleep(0.05)
    raise AssertionError("the first run never took the lock")


def test_an_overlapping_run_of_the_same_site_is_refused_and_names_the_holder(
    portal,  # noqa: F811
    tmp_path,
    state,
):
    urls, _ = portal
    out = tmp_path / "out"
    first = start(urls, state, out)
    holder = wait_for_lock(state, "dienbien", first)
    assert holder == first.pid
    second = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert second.returncode == 75, second.stdout + second.stderr
    assert f"pid {first.pid}" in second.stdout and "locked" in second.stdout
    # Another site is not held up by it.
    other = crawl({"bacninh": urls["bacninh"]}, state, out)
    assert other.returncode == 0, other.stdout + other.stderr
    assert first.wait(timeout=120) == 0, first.stderr
    exactly_once(out)
    assert lock_holder(state, "dienbien") is None


def test_the_lock_of_a_killed_run_is_taken_over(portal, tmp_path, state):  # noqa: F811
    urls, _ = portal
    out = tmp_path / "out"
    first = start(urls, state, out)
    wait_for_lock(state, "dienbien", first)
    time.sleep(1.0)
    first.send_signal(signal.SIGKILL)
    first.wait()  # reaped: its pid is gone
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "taking over the lock" in again.stderr
    exactly_once(out)


def test_the_lock_of_an_unreaped_killed_run_is_taken_over_too(portal, tmp_path, state):  # noqa: F811
    urls, _ = portal
    out = tmp_path / "out"
    first = start(urls, state, out)
    wait_for_lock(state, "dienbien", first)
    os.kill(first.pid, signal.SIGKILL)
    time.sleep(0.5)  # a zombie until wait(): still a pid, no longer a holder
    try:
        again = crawl({"dienbien": urls["dienbien"]}, state, out)
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        first.wait()
    exactly_once(out)


@pytest.mark.parametrize(
    "point", ["after_records_file", "after_rejects_file", "after_delivering", "after_manifest"]
)
def test_a_kill_at_each_step_of_the_delivery_loses_and_doubles_nothing(
    portal,  # noqa: F811
    tmp_path,
    state,
    point,
):
    urls, _ = portal
    out = tmp_path / "out"
    killed = start(urls, state, out, delay="0", env={"CRAWLER_FAILPOINT": point})
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)
    statuses = [json.loads(p.read_text())["status"] for p in (out / "dienbien").glob("manifests/*")]
    assert statuses and set(statuses) == {"ok"}
    third = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert third.returncode == 0, third.stdout + third.stderr
    exactly_once(out)


def test_after_max_pages_the_next_plain_run_fetches_the_backlog(portal, tmp_path, state):  # noqa: F811
    urls, _ = portal
    out = tmp_path / "out"
    first = crawl({"dienbien": urls["dienbien"]}, state, out, "--max-pages", "4")
    assert first.returncode == 0, first.stdout + first.stderr
    manifests = [json.loads(p.read_text()) for p in (out / "dienbien").glob("manifests/*")]
    assert manifests[0]["walk_complete"] is False
    assert 0 < manifests[0]["counts"]["records"] < ARTICLES
    second = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert second.returncode == 0, second.stdout + second.stderr
    exactly_once(out)


def test_after_sigterm_the_next_plain_run_fetches_the_backlog(portal, tmp_path, state):  # noqa: F811
    urls, _ = portal
    out = tmp_path / "out"
    first = start(urls, state, out, delay="0.4")
    wait_for_lock(state, "dienbien", first)
    time.sleep(2.0)
    first.send_signal(signal.SIGTERM)
    stdout, _ = first.communicate(timeout=120)
    assert first.returncode == 1  # stopped early: not a success
    assert "stopped early: shutdown" in stdout
    second = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert second.returncode == 0, second.stdout + second.stderr
    exactly_once(out)


def test_a_lost_state_is_refused_then_rebuilt_from_the_output(portal, tmp_path):  # noqa: F811
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    assert crawl({"dienbien": urls["dienbien"]}, state, out).returncode == 0
    db = state / "state.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"")  # truncated to nothing: SQLite would take it for a new, empty state
    refused = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert refused.returncode == 1
    assert "rebuild-state" in refused.stdout
    assert len(list((out / "dienbien").glob("records/*"))) == 1  # nothing re-emitted
    rebuilt = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild-state", "--state", str(state),
         "--output-dir", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=60,
    )  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"{ARTICLES} articles" in rebuilt.stdout
    db = sqlite3.connect(state / "state.sqlite")
    first_seen = db.execute("SELECT MIN(first_seen) FROM articles").fetchone()[0]
    db.close()
    # When the articles were crawled, not when the state was rebuilt.
    assert first_seen == min(r["crawled_at"] for r in delivered(out, "dienbien"))
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)


def test_a_lost_postgres_state_is_refused_then_rebuilt_from_the_output(portal, tmp_path, pg_url):  # noqa: F811
    import psycopg

    urls, _ = portal
    out = tmp_path / "out"
    assert crawl({"dienbien": urls["dienbien"]}, pg_url, out).returncode == 0
    with psycopg.connect(pg_url, autocommit=True) as db:  # emptied, as by a restore gone wrong
        db.execute("TRUNCATE articles, urls, runs, outbox, site_models, locks")
    refused = crawl({"dienbien": urls["dienbien"]}, pg_url, out)
    assert refused.returncode == 1 and "rebuild-state" in refused.stdout
    assert len(list((out / "dienbien").glob("records/*"))) == 1  # nothing re-emitted
    rebuilt = subprocess.run(
        [sys.executable, "-m", "crawler", "rebuild-state", "--state", pg_url, "--output-dir",
         str(out)],
        capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=60,
    )  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"{ARTICLES} articles" in rebuilt.stdout
    again = crawl({"dienbien": urls["dienbien"]}, pg_url, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)


def test_a_garbage_state_is_a_usage_error_naming_the_way_out(portal, tmp_path):  # noqa: F811
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    state.mkdir()
    (state / "state.sqlite").write_bytes(b"this is not a database" * 100)
    refused = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "rebuild-state" in lines[0] and "Traceback" not in refused.stderr
    assert not any(p.is_file() for p in out.rglob("*"))  # no records, rejects or manifest


def _mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path):
    mounts: list[Path] = []

    def mount(path: Path, size: str) -> Path:
        _mount_tmpfs(path, size)
        mounts.append(path)
        return path

    yield mount
    for path in reversed(mounts):
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill(disk: Path, leave: int) -> Path:
    """Fill a disk but for about `leave` bytes."""
    st = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(st.f_bavail * st.f_frsize - leave, 0))
    return filler


def test_a_full_output_disk_keeps_the_records_for_the_next_run(portal, tmp_path, small_disk):  # noqa: F811
    urls, _ = portal
    state, out = tmp_path / "state", small_disk(tmp_path / "out", "2m")
    filler = fill(out, 8192)
    full = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert full.returncode == 1
    assert "output not written" in full.stdout and "delivered by the next run" in full.stdout
    assert not list((out / "dienbien").glob("records/*"))  # no partial file under a final name
    filler.unlink()
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)


def test_a_full_state_disk_fails_the_run_and_loses_nothing(portal, tmp_path, small_disk):  # noqa: F811
    urls, _ = portal
    state, out = small_disk(tmp_path / "state", "4m"), tmp_path / "out"
    assert crawl({"bacninh": urls["bacninh"]}, state, out).returncode == 0  # the state exists
    filler = fill(state, 96 * 1024)  # room for the first few records only
    full = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert full.returncode == 1, full.stdout + full.stderr
    assert "could not be committed" in full.stdout and "next run fetches them" in full.stdout, (
        full.stdout
    )
    filler.unlink()
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)


def test_run_ids_keep_their_order_when_the_clock_is_behind(tmp_path):
    from pipelines.state import StateStore
    from pipelines.write import new_run_id

    store = StateStore(tmp_path / "state.sqlite")
    store.start_run("s", "20991231T235959Z")  # the state came from a host whose clock ran ahead
    ids = []
    for _ in range(12):
        ids.append(new_run_id(store, "s"))
        store.start_run("s", ids[-1])
    assert ids[0] == "20991231T235959Z-002" and ids[-1] == "20991231T235959Z-013"
    assert ids == sorted(ids) and len(set(ids)) == 12
    now = new_run_id(StateStore(tmp_path / "other.sqlite"), "s")
    assert now < "20991231T235959Z" and len(now) == 16
