"""The maintainer commands: record (diff, --accept), check (replay, --live drift), new-site."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler import fixtures, maintain
from crawler.demo.server import DemoPortal
from tests.helpers import ENV, ROOT

DEMO_DATA = ROOT / "crawler" / "demo" / "data"


def tree_digest(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env or ENV,
    )


# ---- record ----------------------------------------------------------------------------------------


def test_rerecording_a_changed_page_shows_the_diff_and_changes_nothing_without_accept(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(fixtures.FIXTURES / "dienbien", root / "dienbien")
    data = tmp_path / "data"
    shutil.copytree(DEMO_DATA, data)
    site = json.loads((data / "dienbien.json").read_text("utf-8"))
    target = next(a for a in site["articles"] if a["id"] == 10701)
    old_title, new_title = target["title"], target["title"] + " (cập nhật)"
    target["title"] = new_title
    (data / "dienbien.json").write_text(json.dumps(site, ensure_ascii=False), "utf-8")
    before = tree_digest(root / "dienbien")
    with DemoPortal(["dienbien"], data_dir=str(data)) as running:
        base = running[0].url
        out = io.StringIO()
        status = maintain.record("dienbien", base, [], None, 3, accept=False, root=root, out=out)
        assert status == 1
        assert tree_digest(root / "dienbien") == before  # nothing written
        report = out.getvalue()
        assert "article-10701.html.gz: the expected record changed" in report
        assert f"title: - {json.dumps(old_title, ensure_ascii=False)}" in report
        assert f"title: + {json.dumps(new_title, ensure_ascii=False)}" in report
        assert "article-10531.html.gz: the expected record changed" not in report

        status = maintain.record("dienbien", base, [], None, 3, accept=True, root=root, out=out)
    assert status == 0
    meta = fixtures.load_meta("dienbien", root)
    entry = next(a for a in meta["articles"] if a["file"] == "article-10701.html.gz")
    assert fixtures.load_expected("dienbien", entry, root)["title"] == new_title
    # The same pages as before, the legacy-encoding variants kept, the others unchanged.
    assert sorted(a["file"] for a in meta["articles"]) == sorted(
        a["file"] for a in fixtures.load_meta("dienbien")["articles"]
    )
    after = tree_digest(root / "dienbien")
    assert after["article-10531.expected.json"] == before["article-10531.expected.json"]
    assert after["article-10531-tcvn3.html.gz"] == before["article-10531-tcvn3.html.gz"]
    assert after["article-10701.expected.json"] != before["article-10701.expected.json"]
    assert maintain.check("dienbien", root=root, out=io.StringIO()) == 0


def test_record_usage_errors():
    assert cli("record", "nosuchsite").returncode == 2
    dead = cli("record", "dienbien=http://127.0.0.1:9/", "--pages", "1")
    assert dead.returncode == 1 and "cannot fetch" in dead.stderr


# ---- check -----------------------------------------------------------------------------------------


def test_check_replays_fixtures_and_reports_a_difference(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(fixtures.FIXTURES / "backan", root / "backan")
    out = io.StringIO()
    assert maintain.check("backan", root=root, out=out) == 0
    assert "fields    title 100%" in out.getvalue()
    entry = fixtures.load_meta("backan", root)["articles"][0]
    path = fixtures.expected_path("backan", entry, root)
    expected = json.loads(path.read_text("utf-8"))
    expected["author"] = "Someone Else"
    path.write_text(json.dumps(expected, ensure_ascii=False), "utf-8")
    out = io.StringIO()
    assert maintain.check("backan", root=root, out=out) == 1
    assert f"{entry['file']}: differs from its expected record" in out.getvalue()
    assert 'author: - "Someone Else"' in out.getvalue()


class _Switching(ThreadingHTTPServer):
    """A proxy of a demo site that can switch its article template (a redesign)."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _SwitchingHandler)
        self.upstream = upstream.rstrip("/")
        self.redesigned = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _SwitchingHandler(BaseHTTPRequestHandler):
    server: _Switching  # type: ignore[assignment]

    def do_GET(self) -> None:  # noqa: N802
        try:
            with urllib.request.urlopen(self.server.upstream + self.path, timeout=10) as resp:
                status, ctype, body = resp.status, resp.headers["Content-Type"], resp.read()
        except urllib.error.HTTPError as exc:
            status, ctype, body = exc.code, "text/html", exc.read()
        body = body.replace(self.server.upstream.encode(), self.server.url.rstrip("/").encode())
        if self.server.redesigned:
            body = body.replace(b'id="news-bodyhtml" class="bodytext', b'class="noi-dung-bai')
            body = body.replace(b'class="h5', b'class="ngay-dang')
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_check_live_names_the_fields_a_redesign_broke():
    with DemoPortal(["dienbien"]) as running:
        proxy = _Switching(running[0].url)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        try:
            out = io.StringIO()
            assert maintain.check("dienbien", proxy.url, out=out) == 0, out.getvalue()
            assert "no drift" in out.getvalue()
            proxy.redesigned = True
            drift = cli("check", "dienbien", "--live", proxy.url)
        finally:
            proxy.shutdown()
            proxy.server_close()
    assert drift.returncode == 1, drift.stdout + drift.stderr
    line = next(x for x in drift.stdout.splitlines() if "DRIFT" in x)
    assert "selector:body" in line and "selector:date" in line
    assert "selector:title" not in line


# ---- new-site --------------------------------------------------------------------------------------


def test_new_site_refuses_bad_names_existing_sites_and_dead_urls():
    bad = cli("new-site", "Not-A-Name", "http://127.0.0.1:9/")
    assert bad.returncode == 2 and "not a valid site name" in bad.stderr
    taken = cli("new-site", "dienbien", "http://127.0.0.1:9/")
    assert taken.returncode == 2 and "exists already" in taken.stderr
    dead = cli("new-site", "brand_new", "http://127.0.0.1:9/")
    assert dead.returncode == 1 and "cannot fetch" in dead.stdout
    assert not (ROOT / "spiders" / "brand_new.py").exists()


@pytest.mark.parametrize(
    ("host", "province"),
    [("https://stttt.dienbien.gov.vn/vi/news/", "Điện Biên"), ("http://127.0.0.1:1/", None)],
)
def test_registry_row_by_host(host, province):
    row = maintain.registry_row(host)
    assert (row["province"] if row else None) == province
