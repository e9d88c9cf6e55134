"""Site jobs on a real Celery queue (RabbitMQ on 127.0.0.1), state in PostgreSQL: two worker
processes crawl 40 local portals; one is SIGKILLed, with its whole process group, mid-crawl."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import ENV, ROOT, read_jsonl, serve_demo

pytest.importorskip("celery", reason="Celery not installed (the [cluster] extra)")

BROKER = os.environ.get("CRAWLER_TEST_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
ARTICLES = 12  # per demo site
# Fast local crawls, but one request at a time per site, as politeness has it.
JOB_SETTINGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own on the local RabbitMQ, deleted afterwards; skips without one."""
    from kombu import Connection

    try:
        with Connection(BROKER, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        pytest.skip(f"RabbitMQ unreachable at {BROKER}: {exc}")
    name = f"crawler_test_{os.getpid()}_{os.urandom(3).hex()}"
    yield name
    with Connection(BROKER) as conn:
        conn.default_channel.queue_delete(name)


@contextmanager
def demo_sites(copies: int) -> Iterator[list[str]]:
    """`demo --serve --copies N`: 5×N local portals, each on its own port."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--serve", "--copies", str(copies)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    try:
        urls: list[str] = []
        while len(urls) < 5 * copies:
            line = proc.stdout.readline()
            assert line, "demo --serve exited early"
            if "http://127.0.0.1:" in line:
                urls.append(line.split()[-1])
        yield urls
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def crawler_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=ENV,
    )


def start_worker(queue: str, state: str, out: Path, log: Path, *extra: str) -> subprocess.Popen:
    # A session of its own: killing the group kills the worker and its jobs' crawls, as a
    # machine that dies would.
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "worker", "--queue", queue, "--state", state]
        + ["--output-dir", str(out), *JOB_SETTINGS, *extra],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )


def crawls_in_group(pgid: int) -> list[str]:
    """The command lines of the job crawl processes in a worker's process group."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != pgid:
                continue
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue
        if b"crawl" in cmd and b"--summary-json" in cmd:
            found.append(b" ".join(cmd).decode())
    return found


def delivered(out: Path) -> dict[str, list[str]]:
    """Per site, the article ids of every delivered record (records files with a manifest)."""
    ids: dict[str, list[str]] = {}
    for manifest in out.glob("*/manifests/*.json"):
        m = json.loads(manifest.read_text("utf-8"))
        site_ids = ids.setdefault(m["site"], [])
        records = m.get("files", {}).get("records")
        if records:
            site_ids += [r["id"] for r in read_jsonl(Path(records))]
    return ids


def wait_for(cond, timeout: float, what: str, procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        for p in procs:
            assert p.poll() is None, f"a worker exited with {p.returncode} while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def test_two_workers_40_sites_one_killed(queue: str, pg_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with demo_sites(8) as urls:
        assert len(urls) == 40
        # The records go into a PostgreSQL table too, in the state's transactions.
        table = ("-s", "RECORDS_TABLE=records")
        a = start_worker(queue, pg_url, out, tmp_path / "a.log", "--concurrency", "3", *table)
        b = start_worker(queue, pg_url, out, tmp_path / "b.log", "--concurrency", "3", *table)
        try:
            done = crawler_cli("enqueue", "--queue", queue, *[f"generic={u}" for u in urls])
            assert done.returncode == 0, done.stderr
            assert "queued 40 site jobs" in done.stdout

            def some_delivered() -> bool:
                return len(delivered(out)) >= 8

            wait_for(some_delivered, 300, "the first 8 sites", [a, b])
            in_flight = crawls_in_group(a.pid)
            assert in_flight, "worker A had no job running when it was to be killed"
            os.killpg(a.pid, signal.SIGKILL)
            a.wait()

            def all_complete() -> bool:
                got = delivered(out)
                return len(got) == 40 and all(len(set(v)) == ARTICLES for v in got.values())

            wait_for(all_complete, 600, "all 40 sites", [b])
        finally:
            stop([a, b])
        log_b = (tmp_path / "b.log").read_text()
    ids = delivered(out)
    # Every article of every site exactly once, across all delivered runs.
    dupes = {s: [i for i, n in Counter(v).items() if n > 1] for s, v in ids.items()}
    assert not any(dupes.values()), dupes
    assert sorted(len(v) for v in ids.values()) == [ARTICLES] * 40
    # The jobs A was running when it died were redone by B.
    for cmd in in_flight:
        port = cmd.split("generic=http://127.0.0.1:")[1].split("/")[0]
        assert f"generic_127.0.0.1_{port}: ok" in log_b, (port, log_b[-3000:])
    assert not list(out.rglob("*.tmp"))
    import psycopg

    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM locks").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
        rows = conn.execute(
            "SELECT count(*), count(DISTINCT (id, version)), count(delivered_at) FROM records"
        ).fetchone()
    assert rows == (40 * ARTICLES,) * 3


def test_worker_killed_alone_leaves_its_crawls_to_finish(
    queue: str, pg_url: str, tmp_path: Path
) -> None:
    """Only the worker process dies (its crawls live on, orphaned, holding their sites' locks):
    the redelivered jobs wait on the locks, then run; still every article once."""
    out = tmp_path / "out"
    with demo_sites(1) as urls:
        slow = ["-s", "DOWNLOAD_DELAY=0.5"]  # the crawls outlive the kill by ~15 s
        a = start_worker(queue, pg_url, out, tmp_path / "a.log", "--concurrency", "5", *slow)
        b = None
        try:
            done = crawler_cli("enqueue", "--queue", queue, *[f"generic={u}" for u in urls])
            assert done.returncode == 0, done.stderr
            wait_for(lambda: len(crawls_in_group(a.pid)) == 5, 120, "A's five crawls", [a])
            os.kill(a.pid, signal.SIGKILL)  # the worker alone, not its process group
            a.wait()
            assert len(crawls_in_group(a.pid)) == 5  # orphaned, still crawling
            b = start_worker(
                queue, pg_url, out, tmp_path / "b.log", "--concurrency", "5", "--locked-retry", "1"
            )

            def all_complete() -> bool:
                got = delivered(out)
                return len(got) == 5 and all(len(set(v)) == ARTICLES for v in got.values())

            wait_for(all_complete, 300, "all 5 sites", [b])
            log = tmp_path / "b.log"
            wait_for(lambda: log.read_text().count(": ok, ") >= 5, 120, "B's five jobs", [b])
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(a.pid, signal.SIGKILL)  # orphaned crawls, if any are left
            if b is not None:
                stop([b])
    ids = delivered(out)
    assert sorted(len(v) for v in ids.values()) == [ARTICLES] * 5
    assert all(len(set(v)) == ARTICLES for v in ids.values())
    assert "locked by another run" in log.read_text()


def test_beat_queues_sites_periodically(queue: str, pg_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with demo_sites(1) as urls:
        sites = [f"generic={u}" for u in urls[:2]]
        worker = start_worker(queue, pg_url, out, tmp_path / "w.log", "--concurrency", "2")
        beat = subprocess.Popen(
            [sys.executable, "-m", "crawler", "beat", "--queue", queue, "--every", "3", *sites]
            + ["--schedule-file", str(tmp_path / "beat-schedule")],
            stdout=(tmp_path / "beat.log").open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=ENV,
            start_new_session=True,
        )
        try:

            def two_runs_each() -> bool:
                runs = Counter(p.parent.parent.name for p in out.glob("*/manifests/*.json"))
                return len(runs) == 2 and min(runs.values()) >= 2

            wait_for(two_runs_each, 180, "two scheduled runs of each site", [worker, beat])
        finally:
            stop([worker, beat])
    ids = delivered(out)
    # The second runs found nothing new: still every article once.
    assert sorted(len(v) for v in ids.values()) == [ARTICLES, ARTICLES]
    assert all(len(set(v)) == ARTICLES for v in ids.values())


def test_a_locked_site_is_retried_not_dropped(queue: str, pg_url: str, tmp_path: Path) -> None:
    import psycopg

    out = tmp_path / "out"
    with demo_sites(1) as urls:
        url = urls[0]
        worker = start_worker(queue, pg_url, out, tmp_path / "w.log", "--locked-retry", "1")
        # A run of the site outside the cluster holds its lock for a while.
        direct = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", f"generic={url}", "--state", pg_url]
            + ["--output-dir", str(out), "-s", "DOWNLOAD_DELAY=0.3"]
            + ["-s", "AUTOTHROTTLE_ENABLED=False"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env=ENV,
        )
        log = tmp_path / "w.log"
        try:

            def locked() -> bool:
                with psycopg.connect(pg_url) as conn:
                    try:
                        return bool(conn.execute("SELECT count(*) FROM locks").fetchone()[0])
                    except psycopg.errors.UndefinedTable:  # the run has not created it yet
                        return False

            wait_for(locked, 60, "the direct run's lock", [worker])
            done = crawler_cli("enqueue", "--queue", queue, f"generic={url}")
            assert done.returncode == 0, done.stderr
            wait_for(lambda: "locked by another run" in log.read_text(), 60, "a retry", [worker])
            assert direct.wait(timeout=120) == 0
            wait_for(lambda: ": ok, " in log.read_text(), 120, "the retried job", [worker])
        finally:
            direct.kill()
            stop([worker])
    ids = delivered(out)
    assert len(list(out.glob("*/manifests/*.json"))) == 2  # the direct run and the job's
    assert [len(v) for v in ids.values()] == [ARTICLES]
    assert len(set(next(iter(ids.values())))) == ARTICLES


@pytest.mark.parametrize(
    "args, message",
    [
        (["enqueue", "dienbien", "--broker", "amqp://guest:guest@127.0.0.1:1//"], "cannot connect"),
        (
            ["enqueue", "dienbien", "--broker", "amqp://guest:wrong@127.0.0.1:5672//"],
            "ACCESS_REFUSED",
        ),
        (["enqueue", "dienbien", "--broker", "redis://127.0.0.1:1/0"], "cannot connect"),
        (["enqueue", "dienbien", "--broker", "kafka://127.0.0.1:9092"], "amqp:// (RabbitMQ)"),
        (["enqueue", "nosuchsite"], "unknown site"),
        (["enqueue", "dienbien", "-s", "DOWNLAOD_DELAY=1"], "DOWNLAOD_DELAY"),
        (["worker", "--state", "postgresql://nobody@127.0.0.1:5432/test"], "nobody"),
        (["worker", "--concurrency", "0"], "--concurrency"),
        (["worker", "--locked-retry", "0"], "--locked-retry"),
        (["worker", "-s", "RECORDS_TABLE=records"], "RECORDS_TABLE"),
        (["beat", "dienbien", "--every", "0"], "--every"),
    ],
)
def test_bad_configuration_is_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    if "wrong@" in " ".join(args):
        from kombu import Connection

        try:
            with Connection(BROKER, connect_timeout=3) as conn:
                conn.ensure_connection(max_retries=1, timeout=3)
        except Exception as exc:
            pytest.skip(f"RabbitMQ unreachable at {BROKER}: {exc}")
    env_home = ["--output-dir", str(tmp_path)] if args[0] == "worker" else []
    done = subprocess.run(
        [sys.executable, "-m", "crawler", *args, *env_home],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**ENV, "CRAWLER_HOME": str(tmp_path)},
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "guest:wrong" not in done.stderr  # passwords are not printed


def test_a_job_cut_by_its_time_bound_is_continued_only_with_progress(tmp_path: Path) -> None:
    """run_job alone (no broker): a walk cut at --job-max-seconds is continued when the cut run
    committed records; the zero-config spider, which emits nothing before its walk ends, is not
    continued forever but reported."""
    from crawler.cluster import job_spec, run_job

    config = {
        "state": str(tmp_path / "state"),
        "output_dir": str(tmp_path / "out"),
        "job_max_seconds": 4,
        "log_level": "WARNING",
        "log_dir": str(tmp_path / "logs"),
        "settings": {"DOWNLOAD_DELAY": "0.5", "AUTOTHROTTLE_ENABLED": "False"},
    }
    with serve_demo() as urls:
        site = run_job(job_spec("dienbien", {"start_url": urls["dienbien"]}, {}), config)
        generic = run_job(job_spec("generic", {"start_url": urls["phutho"]}, {}), config)
    assert site["continue"] is True and site["records"] > 0, site
    assert generic["continue"] is False, generic
    assert any("not continued" in p for p in generic["problems"]), generic
    # One log per portal, named after its host and port.
    port = {k: urls[k].split(":")[2].strip("/") for k in ("dienbien", "phutho")}
    logs = sorted(f.name for f in (tmp_path / "logs").iterdir())
    expected = [
        f"dienbien_127.0.0.1_{port['dienbien']}.log",
        f"generic_127.0.0.1_{port['phutho']}.log",
    ]
    assert logs == expected, logs
