"""The project deployed to a real Scrapyd on 127.0.0.1: the egg scrapyd-deploy builds, uploaded
with addversion.json, a site scheduled against the local demo portal with no setting but speed.
Output lands under Scrapyd's working directory (the crawler's home) in scrapy-output/; a run whose
files cannot be written fails visibly, and with STATE_DIR the next job writes its records out."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.demo.server import DemoPortal
from pipelines.write import output_path
from tests.helpers import FAST, ROOT, read_jsonl

PROJECT = "crawler"  # scrapy.cfg [deploy] project
SITE = "dienbien"
SOURCES = ("pyproject.toml", "README.md", "scrapy.cfg", "setup.py")
PACKAGES = ("crawler", "spiders", "pipelines")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, fields: list[tuple[str, str]], egg: Path | None = None) -> dict:
    """A multipart/form-data POST (what addversion.json needs for the egg)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    if egg is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{egg.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + egg.read_bytes()
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=120) as resp:
        return json.loads(resp.read())


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=120) as resp:
        return json.loads(resp.read())


def build_egg(tmp: Path) -> Path:
    """The egg `scrapyd-deploy` uploads, built from a copy (a build writes beside the sources)."""
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        shutil.copy(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    egg = tmp / "project.egg"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "--build-egg", str(egg)],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0 and egg.exists(), proc.stdout + proc.stderr
    return egg


class Scrapyd:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        home.mkdir(parents=True)
        (home / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            f"bind_address = 127.0.0.1\nhttp_port = {self.port}\n"
            f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
            f"items_dir = {home / 'items'}\ndbs_dir = {home / 'dbs'}\n"
            "max_proc = 1\npoll_interval = 0.2\n",
            "utf-8",
        )
        # Not the test run's environment: no project on the path but the egg, no crawler home
        # (so the jobs' home is Scrapyd's working directory), no settings module.
        drop = ("PYTHONPATH", "CRAWLER_HOME", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        self.log = home / "scrapyd.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"],
            cwd=home,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{self.url}/daemonstatus.json")
                return
            except OSError:
                assert self.proc.poll() is None, self.log.read_text("utf-8", "replace")
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)

    def schedule(self, spider: str, args: dict[str, str], settings: dict[str, str]) -> str:
        fields = [("project", PROJECT), ("spider", spider), *args.items()]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        answer = _post(f"{self.url}/schedule.json", fields)
        assert answer["status"] == "ok", answer
        return answer["jobid"]

    def wait(self, job: str, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = _get(f"{self.url}/listjobs.json?project={PROJECT}")
            done = [j for j in jobs["finished"] if j["id"] == job]
            if done:
                return done[0]
            time.sleep(0.3)
        raise AssertionError(f"job {job} not finished: {self.log.read_text('utf-8', 'replace')}")

    def job_log(self, job: str) -> str:
        return (self.home / "logs" / PROJECT / SITE / f"{job}.log").read_text("utf-8")

    def exit_line(self, job: str) -> str:
        """Scrapyd's own log line on how the job's process ended."""
        lines = [
            line
            for line in self.log.read_text("utf-8", "replace").splitlines()
            if f"job='{job}'" in line and ("Process finished" in line or "Process died" in line)
        ]
        assert len(lines) == 1, lines
        return lines[0]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory) -> Iterator[Scrapyd]:
    tmp = tmp_path_factory.mktemp("scrapyd")
    egg = build_egg(tmp)
    server = Scrapyd(tmp / "srv")
    try:
        answer = _post(
            f"{server.url}/addversion.json", [("project", PROJECT), ("version", "r1")], egg
        )
        assert answer["status"] == "ok" and answer["spiders"] > 1, answer
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, int]]:
    with DemoPortal([SITE]) as sites:
        yield sites[0].url, len(sites[0].article_paths)


def _runs(output_dir: Path) -> dict[str, dict]:
    """run id → manifest, for the runs of SITE under output_dir."""
    manifests = [json.loads(p.read_text("utf-8")) for p in output_dir.rglob("*.json")]
    return {m["run_id"]: m for m in manifests if m.get("site") == SITE}


def _file(output_dir: Path, run_id: str, kind: str) -> Path:
    return output_path(Settings({"OUTPUT_DIR": str(output_dir)}), SITE, run_id, kind)


def test_the_egg_lists_the_sites(scrapyd):
    spiders = _get(f"{scrapyd.url}/listspiders.json?project={PROJECT}")["spiders"]
    assert SITE in spiders and "generic" in spiders


def test_a_scheduled_site_writes_records_rejects_and_manifest(scrapyd, portal):
    url, articles = portal
    job = scrapyd.schedule(SITE, {"start_url": url}, FAST)
    scrapyd.wait(job)
    assert "Process finished" in scrapyd.exit_line(job)
    log = scrapyd.job_log(job)
    assert " ERROR " not in log, log
    # Documented location: <Scrapyd's working directory or CRAWLER_HOME>/scrapy-output/.
    out = scrapyd.home / "scrapy-output"
    (manifest,) = _runs(out).values()
    assert manifest["status"] == "ok", manifest
    assert manifest["counts"]["records"] == articles
    records = read_jsonl(_file(out, manifest["run_id"], "records"))
    assert len(records) == articles and len({r["id"] for r in records}) == articles
    assert read_jsonl(_file(out, manifest["run_id"], "rejects")) == []
    # Scrapyd's items_dir gets the same records through the feed exporter.
    items = read_jsonl(scrapyd.home / "items" / PROJECT / SITE / f"{job}.jl")
    assert sorted(r["id"] for r in items) == sorted(r["id"] for r in records)


def test_a_failed_write_fails_the_job_and_the_next_job_writes_the_records_out(
    scrapyd, portal, tmp_path
):
    url, articles = portal
    out, state = tmp_path / "out", tmp_path / "state"
    settings = {**FAST, "OUTPUT_DIR": str(out), "STATE_DIR": str(state)}
    # A file where the run's records must go: nothing can be written there.
    blocker = _file(out, "RUN", "records").parent
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a directory")
    job = scrapyd.schedule(SITE, {"start_url": url}, settings)
    scrapyd.wait(job)
    assert "Process died: exitstatus=1" in scrapyd.exit_line(job)
    log = scrapyd.job_log(job)
    assert "ERROR pipelines.write: dienbien: the run's files could not be written" in log, log
    assert "failed: output not written" in log, log
    assert not any(p.suffix == ".jsonl" for p in out.rglob("*"))
    # Incremental runs under Scrapyd: the same STATE_DIR. The next job delivers the failed job's
    # records (nothing was lost, its manifest says from which run) and fetches none again.
    blocker.unlink()
    job = scrapyd.schedule(SITE, {"start_url": url}, settings)
    scrapyd.wait(job)
    assert "Process finished" in scrapyd.exit_line(job)
    runs = _runs(out)
    latest = runs[max(runs)]
    assert latest["status"] == "ok" and latest["counts"]["records"] == articles, latest
    assert len(latest["recovered_from"]) == 1 and latest["counts"]["recovered"] == articles
    assert latest["counts"]["new"] == 0
    files = [p for p in out.rglob("*.jsonl") if "reject" not in str(p.relative_to(out))]
    records = [r for p in files for r in read_jsonl(p)]
    assert len(records) == articles and {r["version"] for r in records} == {1}
