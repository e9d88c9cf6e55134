"""Scrapy's own tools on the project, as subprocesses from the repository root (scrapy.cfg):
`scrapy shell` with and without a site's spider, `scrapy parse` printing the finished record.
A tool session is no run: nothing is written under the crawler's home or the state."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo.server import DemoPortal
from pipelines.validate import errors
from spiders.dienbien import DienBienSpider
from tests.faultserver import CAT, FaultServer
from tests.helpers import ENV, FAST, ROOT, read_jsonl

SITE = "dienbien"


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, list[str]]]:
    """The demo site's base URL and its article URLs."""
    with DemoPortal([SITE]) as sites:
        base = sites[0].url.rstrip("/")
        yield sites[0].url, [base + path for path in sites[0].article_paths]


@pytest.fixture(scope="module")
def faults() -> Iterator[str]:
    server = FaultServer(canary=9)  # no page links to the canary port in what these tests fetch
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def scrapy(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**ENV, "CRAWLER_HOME": str(home)}
    settings = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, *settings],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def shell_value(proc: subprocess.CompletedProcess):
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return ast.literal_eval(proc.stdout.strip().splitlines()[-1])


def parsed_items(proc: subprocess.CompletedProcess) -> list[dict]:
    """The items `scrapy parse --nocolour --nolinks` printed."""
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    _, sep, printed = proc.stdout.partition("# Scraped Items")
    assert sep, proc.stdout
    return ast.literal_eval(printed.split("\n", 1)[1])


def test_shell_without_a_spider(portal, tmp_path):
    base, articles = portal
    home = tmp_path / "home"
    proc = scrapy(home, "shell", articles[0], "-c", "(response.status, response.url)")
    assert shell_value(proc) == (200, articles[0])
    assert not home.exists()


def test_shell_with_a_site_spider_on_a_local_copy_of_the_site(portal, tmp_path):
    base, articles = portal
    home, state = tmp_path / "home", tmp_path / "state"
    code = "(response.status, spider.base_url, [i['url'] for i in spider.parse_article(response)])"
    args = ["shell", "--spider", SITE, articles[0], "-c", code, "-s", f"STATE_DIR={state}"]
    status, spider_base, items = shell_value(scrapy(home, *args))
    assert (status, spider_base, items) == (200, base, [articles[0]])
    # A shell session is no run: no run opened in the state, no files.
    assert not home.exists() and not state.exists()


def test_parse_prints_the_record_the_crawl_writes(portal, tmp_path):
    base, articles = portal
    home = tmp_path / "home"
    proc = scrapy(home, "parse", "--spider", SITE, "--nocolour", "--nolinks", articles[1])
    (record,) = parsed_items(proc)
    assert not home.exists()
    assert errors(record) == []
    # The very record a crawl of the site writes for that page.
    out = tmp_path / "out"
    crawl = scrapy(home, "crawl", SITE, "-a", f"start_url={base}", "-s", f"OUTPUT_DIR={out}")
    assert crawl.returncode == 0, crawl.stderr
    (records_file,) = [p for p in out.rglob("*.jsonl") if "reject" not in str(p.relative_to(out))]
    crawled = {r["url"]: r for r in read_jsonl(records_file)}
    assert set(crawled) == set(articles)
    expected = dict(crawled[articles[1]])
    for fetched in (expected, record):  # the fetch time is all that differs
        del fetched["crawled_at"]
    assert record == expected


def test_parse_of_a_listing_follows_to_the_records(portal, tmp_path):
    base, articles = portal
    home = tmp_path / "home"
    listing = base.rstrip("/") + DienBienSpider.listing_paths[0]
    args = ["parse", "--spider", SITE, "--nocolour", "--nolinks", "-d", "2", listing]
    items = parsed_items(scrapy(home, *args))
    assert items and {r["url"] for r in items} <= set(articles)
    assert all(errors(r) == [] for r in items)
    assert not home.exists()


def test_parse_raw_shows_the_spiders_item(portal, tmp_path):
    base, articles = portal
    proc = scrapy(
        tmp_path, "parse", "--spider", SITE, "--raw", "--nocolour", "--nolinks", articles[0]
    )
    (item,) = parsed_items(proc)
    assert item["url"] == articles[0] and "<html" in item["html"].lower()
    assert "text" not in item


@pytest.mark.parametrize(
    ("page", "reason"),
    [("trang-rong-9111.html", "empty_page"), ("tep-pdf-9109.html", "binary_content")],
)
def test_parse_shows_a_rejected_page_with_its_reason(faults, tmp_path, page, reason):
    url = f"{faults}{CAT}/{page}"
    home = tmp_path / "home"
    items = parsed_items(scrapy(home, "parse", "--spider", SITE, "--nocolour", "--nolinks", url))
    assert [(i["url"], i["rejected"]) for i in items] == [(url, reason)]
    assert not home.exists()
