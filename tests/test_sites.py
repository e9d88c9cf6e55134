"""One test over every registered site spider and its recorded fixture pages.

Each fixture (format 2: raw bytes, URL, status, headers, fetch time; `crawler/fixtures.py`) is
replayed through the site's own spider (`parse_listing`; `parse_article` with its decode and any
override) and the pipelines, at the page's recorded fetch time, and compared with the expected
record beside it. Adding a portal means adding its spider file and recording its fixtures
(`python -m crawler new-site` or `python -m crawler record <site>`); a site without fixtures
fails here.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from scrapy.exceptions import NotConfigured

from crawler import fixtures

SITES = fixtures.sites()


def _fold(art: dict):
    """TCVN3 has no toned capitals (caps fonts reuse the lowercase codes): its case is lost."""
    return str.casefold if art.get("variant") == "tcvn3" else str


def article_cases() -> list:
    cases = []
    for site in SITES:
        try:
            meta = fixtures.load_meta(site)
        except fixtures.FixtureError:
            continue
        for art in meta["articles"]:
            cases.append(pytest.param(site, art, id=f"{site}/{art['file'].split('.')[0]}"))
    return cases


def test_sites_are_registered():
    assert {"phutho", "mic_units", "dienbien", "bacninh", "backan"} <= set(SITES)


@pytest.mark.parametrize("site", SITES)
def test_site_has_fixtures_and_metadata(site):
    meta = fixtures.load_meta(site)  # raises, naming the command, without fixtures
    assert meta["site"] == site and meta["articles"], f"python -m crawler record {site}"
    cls = fixtures.loader().load(site)
    assert cls.home_url.startswith(("https://", "http://")) and cls.agency and cls.family
    for entry in meta["listings"] + meta["articles"]:
        assert entry["status"] == 200 and entry["fetched_at"] and entry["headers"], entry["file"]


@pytest.mark.parametrize("site", SITES)
def test_listing_navigation(site):
    spider = fixtures.spider_for(site)
    for entry in fixtures.load_meta(site)["listings"]:
        listing = fixtures.listing_of(spider, fixtures.load_page(site, entry))
        assert [u for u, _ in listing.articles] == entry["articles"], entry["url"]
        assert listing.next == entry["next"], entry["url"]


@pytest.mark.parametrize(("site", "art"), article_cases())
def test_article_record(site, art):
    spider = fixtures.spider_for(site)
    page = fixtures.load_page(site, art)
    record = fixtures.replay_article(spider, page, art["meta"])
    assert record["site"] == site and record["language"] == "vi"
    fetched = datetime.fromisoformat(art["fetched_at"])
    assert datetime.fromisoformat(record["crawled_at"].replace("Z", "+00:00")) == fetched
    assert fixtures.expected_of(record) == fixtures.load_expected(site, art)
    truth = art.get("truth")
    if truth:  # demo recordings: the data the page was rendered from
        fold = _fold(art)
        assert fold(record["title"]) == fold(truth["title"])
        assert fold(record["summary"]) == fold(truth["summary"])
        assert [fold(p) for p in record["text"].split("\n")] == [
            fold(p) for p in truth["paragraphs"]
        ]
        captions = [fold(i["caption"]) for i in record["images"] if i["caption"]]
        assert captions == [fold(c) for c in truth["captions"]]
        assert record["author"] == truth["author"]
        assert record["published_at"] == truth["published_at"]


def _variants() -> list:
    return [c for c in article_cases() if c.values[1].get("variant")]


def test_legacy_encoding_fixtures_exist():
    found = {c.values[1]["variant"] for c in _variants()}
    assert {"windows-1258", "tcvn3"} <= found


@pytest.mark.parametrize(("site", "art"), _variants())
def test_legacy_encoding_fixture_replays_to_the_unicode_text(site, art):
    page = fixtures.load_page(site, art)
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")  # the bytes really are legacy-encoded
    record = fixtures.replay_article(fixtures.spider_for(site), page, art["meta"])
    same = next(a for a in fixtures.load_meta(site)["articles"] if a["url"] == art["same_text_as"])
    original = fixtures.replay_article(
        fixtures.spider_for(site), fixtures.load_page(site, same), same["meta"]
    )
    fold = _fold(art)
    assert fold(record["text"]) == fold(original["text"])
    assert fold(record["summary"]) == fold(original["summary"])
    assert record["title"] == original["title"]
    assert record["published_at"] == original["published_at"]


def test_fixture_replay_uses_the_recorded_fetch_time():
    """A relative date is read against the page's own fetch time, not today's."""
    spider = fixtures.spider_for("dienbien")
    html = (
        "<html><head><meta charset='utf-8'><title>T</title></head><body>"
        "<div class='news_column'><h1 class='title'>Tin mới trong ngày</h1>"
        "<span class='h5'>2 giờ trước</span><div id='news-bodyhtml'><p>"
        + "Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ năm mới. " * 8
        + "</p></div></div></body></html>"
    )
    for fetched, want in (
        ("2024-03-05T10:00:00+00:00", "2024-03-05T15:00:00+07:00"),
        ("2019-11-20T01:00:00+00:00", "2019-11-20T06:00:00+07:00"),
    ):
        page = fixtures.Page(
            "https://stttt.dienbien.gov.vn/vi/news/tin-hoat-dong/tin-1001.html",
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            html.encode("utf-8"),
            fetched,
        )
        assert fixtures.replay_article(spider, page)["published_at"] == want


def test_site_class_missing_attributes_fails_at_import():
    from spiders.families.nukeviet import NukeVietSpider

    with pytest.raises(
        NotConfigured, match=r"Incomplete lacks required attributes home_url, agency"
    ):

        class Incomplete(NukeVietSpider):
            name = "incomplete"


def test_start_url_rebases_listings(tmp_path):
    spider = fixtures.loader().load("dienbien")(start_url="http://127.0.0.1:8123/")
    assert spider.listing_urls() == ["http://127.0.0.1:8123/vi/news/"]
    assert spider.is_article("http://127.0.0.1:8123/vi/news/tin-hoat-dong/bai-1-123.html")
    assert not spider.is_article(
        "https://stttt.dienbien.gov.vn/vi/news/tin-hoat-dong/bai-1-123.html"
    )
