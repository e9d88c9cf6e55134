"""The maintainer commands: record (diff, --accept), check (replay, --live drift), new-site."""

from __future__ import annotations

import hashlib
import io
import json
import re
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


# ---- the README's "Adding a portal", step by step ---------------------------------------------------

_PROJECT = (
    "crawler",
    "spiders",
    "pipelines",
    "tests",
    "benchmarks",
    "scrapy.cfg",
    "pyproject.toml",
)
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


def _shared_files(project: Path, site: str) -> dict[str, str]:
    """Every file of the project but the new site's own two places."""
    return {
        k: v
        for k, v in tree_digest(project).items()
        if k != f"spiders/{site}.py"
        and not k.startswith(f"tests/fixtures/{site}/")
        and "__pycache__" not in k
        and ".pytest_cache" not in k
        and ".hypothesis" not in k
    }


def _copy_project(tmp_path: Path) -> tuple[Path, dict]:
    project = tmp_path / "project"
    for name in _PROJECT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=_IGNORE)
        else:
            shutil.copy2(src, project / name)
    return project, {**ENV, "PYTHONPATH": str(project)}


def _scrapy(project: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=project,
        env=env,
    )


def test_genspider_portal_template_writes_a_valid_site_class(tmp_path):
    project, env = _copy_project(tmp_path)
    made = _scrapy(project, env, "genspider", "-t", "portal", "tinh_moi", "stttt.tinhmoi.gov.vn")
    assert made.returncode == 0, made.stdout + made.stderr
    listed = _scrapy(project, env, "list")
    assert listed.returncode == 0 and "tinh_moi" in listed.stdout.split(), listed.stderr
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from spiders.tinh_moi import TinhMoiSpider as S;print(S.family, S.home_url, S.agency)",
        ],
        capture_output=True,
        text=True,
        cwd=project,
        env=env,
    )
    assert probe.stdout.split() == [
        "nukeviet",
        "https://stttt.tinhmoi.gov.vn/",
        "stttt.tinhmoi.gov.vn",
    ]


def test_scrapy_list_names_the_class_and_attribute_a_site_class_lacks(tmp_path):
    project, env = _copy_project(tmp_path)
    (project / "spiders" / "thieu.py").write_text(
        "from spiders.families.wordpress import WordPressSpider\n\n\n"
        "class ThieuSpider(WordPressSpider):\n"
        '    name = "thieu"\n'
        '    home_url = "https://thieu.example.gov.vn/"\n',
        "utf-8",
    )
    listed = _scrapy(project, env, "list")
    assert listed.returncode != 0
    assert "site class spiders.thieu.ThieuSpider lacks required attribute agency" in listed.stderr


def test_adding_a_portal_the_project_has_never_seen(tmp_path):
    """new-site + review + check give a passing site test, and no shared file is edited."""
    from tests.familyserver import FamilyPortal

    project, env = _copy_project(tmp_path)
    before = _shared_files(project, "so_moi")
    with FamilyPortal("nukeviet") as portal:
        # 1. scaffold
        made = cli("new-site", "so_moi", portal.url, "--pages", "2", cwd=project, env=env)
        assert made.returncode == 0, made.stdout + made.stderr
        assert "could not decide" in made.stdout and "listing_paths" in made.stdout
        source = (project / "spiders" / "so_moi.py").read_text("utf-8")
        # Only what differs from the family: the four names and the listing it found.
        assigned = [line.split("=")[0].strip() for line in source.splitlines() if " = " in line]
        assert assigned == ["name", "home_url", "agency", "listing_paths"]
        assert "NukeVietSpider" in source and "extraction_rules" not in source
        lint = subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--no-cache",
                str(project / "spiders/so_moi.py"),
            ],
            capture_output=True,
            text=True,
        )
        assert lint.returncode == 0, lint.stdout

        # 2. review: the expected records against what the portal's articles really say
        meta = json.loads((project / "tests/fixtures/so_moi/meta.json").read_text("utf-8"))
        gold = portal.gold()
        assert len(meta["listings"]) == 2 and len(meta["articles"]) == 3
        for art in meta["articles"]:
            expected = json.loads(
                (project / "tests/fixtures/so_moi" / art["expected"]).read_text("utf-8")
            )
            truth = gold[art["url"]]
            assert expected["title"] == truth["title"]
            assert expected["published_at"] == truth["published_at"]
            assert expected["paragraphs"][0].startswith(truth["text_start"])

        # 3. check, then the site test
        checked = cli("check", "so_moi", cwd=project, env=env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        tested = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_sites.py",
                "-k",
                "so_moi",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=project,
            env=env,
        )
    assert tested.returncode == 0, tested.stdout[-3000:]
    # has fixtures, listing navigation, one record test per article
    passed = re.search(r"(\d+) passed", tested.stdout)
    assert passed and int(passed.group(1)) == 2 + len(meta["articles"]), tested.stdout[-500:]
    assert _shared_files(project, "so_moi") == before
