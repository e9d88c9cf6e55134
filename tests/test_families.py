"""Family spiders with only their four required attributes find every article of a portal of
their family (a "standard install", tests/familyserver.py) whose listings are not at the
family's default path: each article exactly once, with its title and published_at."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipelines.normalize import canonicalize_url
from tests.familyserver import FamilyPortal
from tests.helpers import ENV, FAST, ROOT, read_jsonl, run_file

FAMILY_CLASS = {
    "nukeviet": "spiders.families.nukeviet:NukeVietSpider",
    "nukeviet_norewrite": "spiders.families.nukeviet:NukeVietSpider",
    "wordpress": "spiders.families.wordpress:WordPressSpider",
    "liferay": "spiders.families.liferay:LiferaySpider",
    "aspnet": "spiders.families.aspnet:AspNetSpider",
    "newspaper": "spiders.families.newspaper:NewspaperSpider",
}

# A site class made on the spot: the family and the four attributes a site must name.
RUNNER = """
import importlib, json, sys
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

target, site, url, settings = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
module, cls = target.split(":")
family = getattr(importlib.import_module(module), cls)
Site = type("Site", (family,), {
    "name": site, "home_url": url, "province": "Tỉnh Thử", "agency": "Sở Thông tin và Truyền thông",
})
project = get_project_settings()
project.setdict(settings, priority="cmdline")
process = CrawlerProcess(project)
process.crawl(Site)
process.start()
"""


def crawl(kind: str, portal: FamilyPortal, out) -> subprocess.CompletedProcess:
    site = f"fam_{kind}"
    settings = {**FAST, "OUTPUT_DIR": str(out), "LOG_LEVEL": "INFO"}
    args = [
        sys.executable,
        "-c",
        RUNNER,
        FAMILY_CLASS[kind],
        site,
        portal.url,
        json.dumps(settings),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, env=ENV)


@pytest.mark.parametrize("kind", sorted(FAMILY_CLASS))
def test_family_spider_finds_every_article_of_a_standard_install(kind, tmp_path):
    with FamilyPortal(kind) as portal:
        result = crawl(kind, portal, tmp_path)
        hits = list(portal.server.hits)
    assert result.returncode == 0, result.stderr[-3000:]
    site = f"fam_{kind}"
    records = read_jsonl(run_file(tmp_path, site))
    gold = {canonicalize_url(url): g for url, g in portal.gold().items()}
    urls = [canonicalize_url(r["url"]) for r in records]
    assert sorted(urls) == sorted(gold), (sorted(urls), hits)
    for record in records:
        expected = gold[canonicalize_url(record["url"])]
        assert record["title"] == expected["title"], record["url"]
        assert record["published_at"] == expected["published_at"], (
            record["url"],
            record["published_at_raw"],
        )
        assert record["text"].startswith(expected["text_start"]), record["url"]
    rejects = run_file(tmp_path, site, "rejects")
    assert read_jsonl(rejects) == []
    # The family's default listing path answered 404 and was no reject; print views never fetched.
    assert any(status == 404 for status, _ in hits) or kind == "newspaper"
    assert not any("print" in path for _, path in hits)
