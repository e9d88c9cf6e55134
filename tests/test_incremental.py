"""Scheduled crawls against the local portal: incremental runs, versions, resume, exit status."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.demo.portal import SITES
from pipelines.validate import errors
from tests.helpers import ENV, FAST, ROOT, read_jsonl, serve_demo

VN = timezone(timedelta(hours=7))


def crawl(targets: dict[str, str], state: Path, out: Path, *extra: str, settings=None):
    args = [sys.executable, "-m", "crawler", "crawl", *(f"{k}={v}" for k, v in targets.items())]
    args += ["--state", str(state), "--output-dir", str(out), "--log-level", "INFO", *extra]
    for name, value in {**FAST, "PROGRESS_INTERVAL": "0", **(settings or {})}.items():
        args += ["-s", f"{name}={value}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=ROOT, env=ENV)


def manifests(out: Path, site: str) -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((out / site).glob("manifests/*.json"))]


def latest(out: Path, site: str) -> dict:
    return manifests(out, site)[-1]


def all_records(out: Path, site: str) -> list[dict]:
    return [r for p in sorted((out / site).glob("records/*.jsonl")) for r in read_jsonl(p)]


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def portal(tmp_path):
    """The demo portal served from an editable copy of its data; the newest article of each
    site is made one day old, so that it falls inside the re-fetch window."""
    data = tmp_path / "data"
    data.mkdir()
    yesterday = datetime.now(VN) - timedelta(days=1)
    for key in SITES:
        src = json.loads((ROOT / "crawler/demo/data" / f"{key}.json").read_text("utf-8"))
        newest = max(src["articles"], key=lambda a: a["published"])
        newest["published"] = stamp(yesterday)
        (data / f"{key}.json").write_text(json.dumps(src, ensure_ascii=False), "utf-8")
    with serve_demo(data) as urls:
        yield urls, data


def edit(data: Path, key: str, change) -> None:
    path = data / f"{key}.json"
    src = json.loads(path.read_text("utf-8"))
    change(src["articles"])
    path.write_text(json.dumps(src, ensure_ascii=False), "utf-8")


def test_first_second_and_changed_runs(portal, tmp_path):
    urls, data = portal
    state, out = tmp_path / "state", tmp_path / "out"
    first = crawl(urls, state, out)
    assert first.returncode == 0, first.stdout + first.stderr
    for key in SITES:
        m = latest(out, key)
        assert m["status"] == "ok" and m["counts"]["records"] == 12 == m["counts"]["new"]
        assert {r["version"] for r in all_records(out, key)} == {1}

    second = crawl(urls, state, out)
    assert second.returncode == 0, second.stdout + second.stderr
    for key in SITES:
        m = latest(out, key)
        assert m["status"] == "ok", m["problems"]
        assert m["counts"]["records"] == 0
        assert m["counts"]["pages"] <= 2, m["counts"]  # first listing page + the young article

    now = datetime.now(VN)
    edited = {}
    for key in SITES:

        def change(articles, key=key):
            newest = max(articles, key=lambda a: a["published"])
            newest["blocks"].insert(
                0, {"p": "Đoạn văn được bổ sung sau khi đăng bài, cập nhật số liệu mới nhất."}
            )
            edited[key] = newest["title"]
            for n in (1, 2):
                fresh = json.loads(json.dumps(newest))
                fresh.update(
                    id=newest["id"] + 10 * n,
                    slug=f"{newest['slug']}-moi-{n}",
                    title=f"Tin mới số {n}: {newest['title']}",
                    published=stamp(now - timedelta(hours=n)),
                )
                fresh.pop("seed", None)
                articles.append(fresh)

        edit(data, key, change)
    time.sleep(0.05)

    third = crawl(urls, state, out)
    assert third.returncode == 0, third.stdout + third.stderr
    for key in SITES:
        m = latest(out, key)
        records = read_jsonl(Path(m["files"]["records"]))
        assert sorted((r["title"].split(":")[0], r["version"]) for r in records) == sorted(
            [("Tin mới số 1", 1), ("Tin mới số 2", 1), (edited[key].split(":")[0], 2)]
        ), key
        updated = next(r for r in records if r["version"] == 2)
        assert "Đoạn văn được bổ sung" in updated["text"]
        everything = all_records(out, key)
        assert len({(r["id"], r["version"]) for r in everything}) == len(everything) == 15
        assert all(errors(r) == [] for r in everything)
    assert "status" in third.stdout and "dienbien" in third.stdout


def outbox_rows(state: Path) -> int:
    path = state / "state.sqlite"
    if not path.exists():
        return 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM outbox WHERE kind='record'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def kill_mid_crawl(urls: dict, state: Path, out: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        f"dienbien={urls['dienbien']}",
        "--state",
        str(state),
        "--output-dir",
        str(out),
        "-s",
        "DOWNLOAD_DELAY=0.15",
        "-s",
        "AUTOTHROTTLE_ENABLED=0",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    ]
    proc = subprocess.Popen(
        args, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 60
    while outbox_rows(state) < 6 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 6 <= outbox_rows(state) < 12, "the kill must land mid-crawl"


@pytest.mark.parametrize("resume", [True, False])
def test_sigkill_then_restart_loses_nothing_and_duplicates_nothing(portal, tmp_path, resume):
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    kill_mid_crawl(urls, state, out)
    again = crawl({"dienbien": urls["dienbien"]}, state, out, *(["--resume"] if resume else []))
    assert again.returncode == 0, again.stdout + again.stderr
    files = sorted((out / "dienbien").glob("records/*.jsonl"))
    # Every finalized file is whole, valid JSONL; no temporary file is left behind.
    records = [r for f in files for r in read_jsonl(f)]
    assert not list((out / "dienbien").glob("*/.*.tmp"))
    assert sorted(r["title"] for r in records) == sorted(
        a["title"] for a in json.loads((portal[1] / "dienbien.json").read_text("utf-8"))["articles"]
    )
    assert len({r["id"] for r in records}) == 12
    if resume:
        assert len(files) == 1 and latest(out, "dienbien")["resumed"] is True
    else:
        # The interrupted run's committed records are delivered by the next run, which says so;
        # every records file has its manifest.
        runs = manifests(out, "dienbien")
        assert len(files) == 1 and [m["status"] for m in runs] == ["ok"]
        assert len(runs[0]["recovered_from"]) == 1 and runs[0]["counts"]["recovered"] >= 6


def test_exit_status_when_a_site_is_down_or_drifted(portal, tmp_path):
    urls, _ = portal
    closed = "http://127.0.0.1:9/"  # discard port: nothing listens
    result = crawl(
        {"dienbien": urls["dienbien"], "bacninh": closed},
        tmp_path / "s",
        tmp_path / "o",
        settings={"RETRY_ENABLED": "0"},
    )
    assert result.returncode == 1
    assert latest(tmp_path / "o", "dienbien")["status"] == "ok"
    down = latest(tmp_path / "o", "bacninh")
    assert down["status"] == "failed" and "unreachable" in down["problems"][0]
    assert "bacninh: unreachable" in result.stdout
    # A NukeViet spider pointed at a newspaper: its selectors find nothing, as after a redesign.
    wrong = crawl({"dienbien": urls["backan"]}, tmp_path / "s2", tmp_path / "o2")
    assert wrong.returncode == 1
    assert "no article seen" in latest(tmp_path / "o2", "dienbien")["problems"][0]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["nosuchsite"],
        ["generic"],
        ["dienbien", "--since", "27/11/2024"],
        ["dienbien", "--max-pages", "0"],
        ["dienbien", "-a", "start_url"],
        ["dienbien", "--full", "--resume"],
        ["--bogus-flag"],
    ],
)
def test_usage_errors_exit_2(args, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", *args, "--state", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "error" in proc.stderr


def test_list_shows_sites_and_last_run(portal, tmp_path):
    urls, _ = portal
    crawl({"dienbien": urls["dienbien"]}, tmp_path / "state", tmp_path / "out")
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "list", "--state", str(tmp_path / "state")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()[1:]}
    assert "nukeviet" in lines["dienbien"] and lines["dienbien"].rstrip().endswith(" ok")
    assert lines["bacninh"].rstrip().endswith("never")


def test_since_skips_older_articles_and_stops_paginating(portal, tmp_path):
    urls, data = portal
    articles = json.loads((data / "dienbien.json").read_text("utf-8"))["articles"]
    since = sorted(a["published"][:10] for a in articles)[6]  # the 7th oldest day
    result = crawl({"dienbien": urls["dienbien"]}, tmp_path / "s", tmp_path / "o", "--since", since)
    assert result.returncode == 0, result.stdout + result.stderr
    records = all_records(tmp_path / "o", "dienbien")
    assert sorted(r["published_at"][:10] for r in records) == sorted(
        a["published"][:10] for a in articles if a["published"][:10] >= since
    )
    # Older articles are not even fetched: pages = listings walked + articles kept.
    m = latest(tmp_path / "o", "dienbien")
    assert m["counts"]["pages"] == m["counts"]["listing_pages"] + len(records)


def test_since_after_every_article_is_no_failure(portal, tmp_path):
    """Listings read, every article older than --since: nothing to deliver, nothing wrong."""
    urls, _ = portal
    result = crawl(
        {"dienbien": urls["dienbien"]}, tmp_path / "s", tmp_path / "o", "--since", "2099-01-01"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    m = latest(tmp_path / "o", "dienbien")
    assert m["status"] == "ok" and m["counts"]["records"] == 0
    assert m["counts"]["older_than_since"] >= 1


def test_temporary_files_of_killed_runs_are_cleaned(portal, tmp_path):
    urls, _ = portal
    state, out = tmp_path / "state", tmp_path / "out"
    orphans = [
        out / "dienbien" / kind / f".x.{n}.tmp" for n, kind in enumerate(["records", "manifests"])
    ]
    for orphan in orphans:
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_text("half a record")
    result = crawl({"dienbien": urls["dienbien"]}, state, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any(o.exists() for o in orphans)
