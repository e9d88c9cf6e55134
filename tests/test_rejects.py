"""Bad pages are recorded with site, URL and reason, counted, and never stop the crawl."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT, read_jsonl, run_file, scrapy_crawl

FIXTURE = ROOT / "tests" / "fixtures" / "dienbien"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def portal(tmp_path):
    """A NukeViet-shaped static site: one good article, one missing, one empty, one not HTML."""
    meta = json.loads((FIXTURE / "meta.json").read_text("utf-8"))
    good = meta["articles"][0]
    good_path = good["url"].split("/", 3)[3]
    links = [
        good_path,
        "vi/news/tin-hoat-dong/bai-da-xoa-111.html",
        "vi/news/tin-hoat-dong/bai-trong-222.html",
        "vi/news/tin-hoat-dong/tep-333.html",
    ]
    items = "".join(
        f"<div class='news_column'><div class='panel-body'><h3><a href='/{p}'>Bài {i}</a></h3></div></div>"
        for i, p in enumerate(links)
    )
    site = tmp_path / "site"
    (site / "vi/news/tin-hoat-dong").mkdir(parents=True)
    (site / "vi/news/index.html").write_text(f"<html><body>{items}</body></html>", "utf-8")
    html = gzip.decompress((FIXTURE / good["file"]).read_bytes())
    (site / good_path).write_bytes(html)
    (site / links[2]).write_bytes(b"")
    (site / links[3]).write_bytes(b"%PDF-1.4 binary")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/", good
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_rejects_file_names_site_url_and_reason(portal, tmp_path):
    url, good = portal
    out = tmp_path / "out"
    proc = scrapy_crawl(
        "dienbien",
        url,
        settings={"OUTPUT_DIR": str(out), "RETRY_ENABLED": "0", "ROBOTSTXT_OBEY": "0"},
    )
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(run_file(out, "dienbien"))
    assert [r["title"] for r in records] == [good["truth"]["title"]]
    rejects = read_jsonl(run_file(out, "dienbien", "rejects"))
    by_url = {r["url"].rsplit("/", 1)[-1]: r for r in rejects}
    assert by_url["bai-da-xoa-111.html"]["reason"] == "http_404"
    assert by_url["bai-trong-222.html"]["reason"] == "empty_page"
    assert by_url["tep-333.html"]["reason"] == "binary_content"
    assert all(r["site"] == "dienbien" and r["detail"] for r in rejects)
    assert "'rejects/count': 3" in proc.stderr
    assert "rejected" in proc.stderr and "bai-da-xoa-111.html" in proc.stderr
