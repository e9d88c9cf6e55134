"""Real crawl processes ended at random (benchmarks/crash_storm.py), and a double SIGINT: every
article is still delivered exactly once, in files whose manifests tell the truth."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.crash_storm import KINDS, storm
from tests.helpers import ENV, FAST, ROOT
from tests.test_delivery import crawl, exactly_once, portal, start, wait_for_lock  # noqa: F401


def test_a_crash_storm_loses_and_doubles_nothing(tmp_path):
    # Seven events: the storm goes through every kind of ending once before drawing at random.
    res = storm(len(KINDS), seed=7, sites=["dienbien", "bacninh"], articles=20, delay=0.05,
                work=tmp_path, log=lambda line: None)  # fmt: skip
    report = "\n".join(e.line() for e in res.events)
    assert {e.kind for e in res.events} >= set(KINDS), report
    assert res.articles == 40
    assert res.problems == [], report
    assert (res.lost, res.duplicated, res.delivered) == (0, 0, 40), report
    # The storm did cut runs short: a signal landed mid-run, and a failpoint killed a delivery.
    assert any(e.at_s is not None for e in res.events), report
    assert any(e.kind == "failpoint" and e.exits == [-signal.SIGKILL] for e in res.events)


def _outbox_records(state: Path) -> int:
    db = sqlite3.connect(f"file:{state / 'state.sqlite'}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("SELECT COUNT(*) FROM outbox WHERE kind='record'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_a_double_sigint_mid_run_loses_and_doubles_nothing(portal, tmp_path):  # noqa: F811
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    first = start(urls, state, out, delay="0.3")
    wait_for_lock(state, "dienbien", first)
    deadline = time.time() + 60
    while _outbox_records(state) < 2 and time.time() < deadline and first.poll() is None:
        time.sleep(0.05)
    assert first.poll() is None, "the run ended before it could be interrupted"
    first.send_signal(signal.SIGINT)
    time.sleep(0.2)
    first.send_signal(signal.SIGINT)  # the second forces an unclean shutdown
    stdout, _ = first.communicate(timeout=120)
    assert first.returncode != 0  # stopped: not a success
    if not list((out / "dienbien").glob("manifests/*.json")):
        assert "interrupted before delivery" in stdout, stdout  # the summary says so
    for path in (out / "dienbien").glob("manifests/*.json"):
        manifest = json.loads(path.read_text("utf-8"))
        assert manifest["status"] == "failed" and manifest["walk_complete"] is False
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)


def test_records_recovered_from_a_killed_run_count_in_the_coverage(portal, tmp_path):  # noqa: F811
    """The run that delivers a killed run's records says how many of them have a title, a date and
    a text: they are in its records file (no false drift alarm failing the run)."""
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    first = crawl({"dienbien": urls["dienbien"]}, state, out, "--max-pages", "4")
    assert first.returncode == 0, first.stdout + first.stderr
    killed = start(urls, state, out, delay="0", env={"CRAWLER_FAILPOINT": "after_records_file"})
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    exactly_once(out)
    latest = json.loads(sorted((out / "dienbien").glob("manifests/*.json"))[-1].read_text())
    assert latest["recovered_from"] and latest["counts"]["records"] > latest["counts"]["new"]
    assert latest["coverage"] == {"title": 1.0, "published_at": 1.0, "text": 1.0}, latest
    assert latest["status"] == "ok", latest["problems"]
    assert again.returncode == 0, again.stdout


# The crawl CLI with the records writer failing on its third record with an error that is not
# an OSError (MemoryError here: a large outbox on a loaded host); Scrapy logs a failure of a
# pipeline's close_spider and goes on closing the spider.
_FAILING_WRITE = """
import sys
import pipelines.write as w
written = []
def write(self, record):
    written.append(record)
    if len(written) == 3:
        raise MemoryError("simulated")
    self._writer.write(record)
    self.count += 1
w.AtomicJsonlFile.write = write
from crawler.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_records_are_kept_when_writing_the_files_fails_with_any_error(portal, tmp_path):  # noqa: F811
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    args = [sys.executable, "-c", _FAILING_WRITE, "crawl", f"dienbien={urls['dienbien']}"]
    args += ["--state", str(state), "--output-dir", str(out)]
    for name, value in {**FAST, "PROGRESS_INTERVAL": "0"}.items():
        args += ["-s", f"{name}={value}"]
    failed = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, env=ENV)
    assert "simulated" in failed.stderr
    assert failed.returncode == 1, failed.stdout  # nothing was delivered: not a success
    for path in (out / "dienbien").glob("manifests/*.json"):  # none that claims the records
        assert json.loads(path.read_text("utf-8"))["status"] == "failed"
    again = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert again.returncode == 0, again.stdout + again.stderr
    exactly_once(out)
