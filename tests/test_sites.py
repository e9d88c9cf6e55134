"""One test over every registered site spider and its recorded fixture pages.

Adding a portal means adding its spider file and recording its fixtures
(`python tests/record_fixtures.py <site>`); a site without fixtures fails here.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from pipelines.chain import record_from_page

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOADER = SpiderLoader.from_settings(get_project_settings())
SITES = sorted(name for name in LOADER.list() if name != "generic")
# Recorded pages are judged as if fetched now; every fixture date is in the past.
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def meta(site: str) -> dict:
    return json.loads((FIXTURES / site / "meta.json").read_text("utf-8"))


def page(site: str, name: str) -> bytes:
    return gzip.decompress((FIXTURES / site / name).read_bytes())


def make_spider(site: str):
    cls = LOADER.load(site)
    return cls.from_crawler(get_crawler(cls))


def listing_requests(site: str) -> list[tuple[dict, list[Request]]]:
    spider = make_spider(site)
    out = []
    for listing in meta(site)["listings"]:
        response = HtmlResponse(listing["url"], body=page(site, listing["file"]), encoding="utf-8")
        out.append((listing, list(spider.parse_listing(response))))
    return out


def article_cases() -> list:
    cases = []
    for site in SITES:
        if not (FIXTURES / site / "meta.json").exists():
            continue
        for art in meta(site)["articles"]:
            cases.append(pytest.param(site, art, id=f"{site}/{art['file'].split('.')[0]}"))
    return cases


def test_sites_are_registered():
    assert {"phutho", "mic_units", "dienbien", "bacninh", "backan"} <= set(SITES)


@pytest.mark.parametrize("site", SITES)
def test_site_has_fixtures_and_metadata(site):
    assert (FIXTURES / site / "meta.json").exists(), (
        f"record fixtures: python tests/record_fixtures.py {site}"
    )
    cls = LOADER.load(site)
    assert cls.home_url.startswith("https://") and cls.agency and cls.family


@pytest.mark.parametrize("site", SITES)
def test_listing_navigation(site):
    for listing, requests in listing_requests(site):
        articles = [r.url for r in requests if r.callback.__name__ == "parse_article"]
        pages = [r.url for r in requests if r.callback.__name__ == "parse_listing"]
        got = [a.split("?redirect=")[0] for a in articles]  # Liferay appends portlet state
        assert got == listing["articles"], listing["url"]
        assert pages == ([listing["next"]] if listing["next"] else []), listing["url"]


@pytest.mark.parametrize(("site", "art"), article_cases())
def test_article_record(site, art):
    listing_dates = {
        r.url.split("?redirect=")[0]: r.meta.get("listing_date")
        for _, requests in listing_requests(site)
        for r in requests
    }
    spider = LOADER.load(site)
    html = page(site, art["file"]).decode("utf-8")
    record = record_from_page(
        art["url"],
        html,
        spider.extraction_rules,
        site=site,
        province=spider.province,
        agency=spider.agency,
        listing_date=listing_dates.get(art["url"]),
        fetched_at=FETCHED_AT,
        drop_params=spider.canonical_drop_params,
    )
    exp = art["expected"]
    assert record["title"] == exp["title"]
    assert record["summary"] == exp["summary"]
    assert record["text"].split("\n") == exp["paragraphs"]
    assert [i["caption"] for i in record["images"] if i["caption"]] == exp["captions"]
    assert record["author"] == exp["author"]
    assert record["published_at"] == exp["published_at"]
    assert record["site"] == site and record["language"] == "vi"


def test_site_class_missing_attributes_is_not_configured():
    from scrapy.exceptions import NotConfigured

    from spiders.families.nukeviet import NukeVietSpider

    class Incomplete(NukeVietSpider):
        name = "incomplete"

    with pytest.raises(NotConfigured, match="home_url"):
        Incomplete()


def test_start_url_rebases_listings(tmp_path):
    spider = LOADER.load("dienbien")(start_url="http://127.0.0.1:8123/")
    assert spider.listing_urls() == ["http://127.0.0.1:8123/vi/news/"]
    assert spider.is_article("http://127.0.0.1:8123/vi/news/tin-hoat-dong/bai-1-123.html")
    assert not spider.is_article(
        "https://stttt.dienbien.gov.vn/vi/news/tin-hoat-dong/bai-1-123.html"
    )
