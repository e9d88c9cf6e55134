"""Layouts valid until a date: a redesigned portal whose old articles keep the old template.

The portal (tests/redesignserver.py) serves NukeViet 4 listings and new articles, and the
articles published before its redesign in an older theme at the same URLs. A site class with the
two layouts reads both in a real crawl; without the old layout the old articles lose their
title, date, lead and byline; a page replayed at a fetch time before the redesign is read with
the old layout directly; declarations out of order or with a valid_until that is no date fail
when the class is defined.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from scrapy.exceptions import NotConfigured

from crawler import fixtures, maintain
from pipelines.layouts import choose_layout, dated
from pipelines.normalize import canonicalize_url
from pipelines.rules import ExtractionRules, Layout
from spiders.families.nukeviet import RULES as NUKEVIET
from spiders.families.nukeviet import NukeVietSpider
from tests.helpers import ENV, FAST, ROOT, read_jsonl, run_file
from tests.redesignserver import REDESIGN, RedesignedPortal

# The old theme, as a maintainer would write it from one of its pages.
OLD_THEME = ExtractionRules(
    title=("//div[@class='tieude-tin']",),
    date=("//div[@class='ngay-cap-nhat']",),
    lead=("//div[@class='tomtat-tin']",),
    body=("//div[@id='noidung-tin']",),
    byline=("//div[@class='nguoiviet-tin']",),
)
HOME = "https://stttt.doimoi.gov.vn/"
LISTINGS = ("/hoat-dong-cua-so/", "/chuyen-doi-so/")


class RedesignedSpider(NukeVietSpider):
    name = "doimoi"
    home_url = HOME
    province = "Tỉnh Thử"
    agency = "Sở Thông tin và Truyền thông"
    listing_paths = LISTINGS
    # Newest first: the NukeViet theme (the family's rules), then the theme before the redesign.
    layouts = (
        Layout("2023"),
        Layout("2015", OLD_THEME, valid_until=date(2023, 8, 17)),
    )


class WithoutOldLayout(NukeVietSpider):
    """The same portal without the old layout: only the family's rules (and the generic ones)."""

    name = "doimoi_plain"
    home_url = HOME
    province = "Tỉnh Thử"
    agency = "Sở Thông tin và Truyền thông"
    listing_paths = LISTINGS


def test_the_base_class_layers_each_layouts_rules_over_the_sites():
    old = RedesignedSpider.layout_rules["2015"]
    assert old.title == OLD_THEME.title + NUKEVIET.title  # the layout's, then the family's
    assert old.body == OLD_THEME.body + NUKEVIET.body
    assert RedesignedSpider.layout_rules["2023"] == RedesignedSpider.extraction_rules

    class Site(NukeVietSpider):
        name = "layered"
        home_url = HOME
        agency = "A"
        extraction_rules = ExtractionRules(date=("//div[@class='site-date']",))
        layouts = (Layout("new"), Layout("old", OLD_THEME, valid_until=date(2020, 1, 1)))

    # layout over site over family, in one attribute each (no .over() in the class)
    assert Site.layout_rules["old"].date == (
        OLD_THEME.date + ("//div[@class='site-date']",) + NUKEVIET.date
    )
    assert Site.layout_rules["new"].date == ("//div[@class='site-date']",) + NUKEVIET.date


# ---- a real crawl of the redesigned portal ------------------------------------------------------

RUNNER = """
import importlib, json, sys
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

url, settings, targets = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
project = get_project_settings()
project.setdict(settings, priority="cmdline")
process = CrawlerProcess(project)
crawlers = []
for target in targets:
    module, name = target.split(":")
    crawler = process.create_crawler(getattr(importlib.import_module(module), name))
    process.crawl(crawler, start_url=url)
    crawlers.append(crawler)
process.start()
print(json.dumps({c.spidercls.name: c.stats.get_stats() for c in crawlers}, default=str))
"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Both site classes crawl the redesigned portal (one process, two crawlers)."""
    out = tmp_path_factory.mktemp("layouts")
    with RedesignedPortal() as portal:
        settings = {**FAST, "OUTPUT_DIR": str(out), "LOG_LEVEL": "WARNING"}
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                RUNNER,
                portal.url,
                json.dumps(settings),
                "tests.test_layouts:RedesignedSpider",
                "tests.test_layouts:WithoutOldLayout",
            ],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=ROOT,
            env=ENV,
        )
        old, new = portal.old_and_new()
        truth = portal.truth()
    assert result.returncode == 0, result.stderr[-3000:]
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    records = {
        site: {canonicalize_url(r["url"]): r for r in read_jsonl(run_file(out, site))}
        for site in ("doimoi", "doimoi_plain")
    }
    rejects = {s: read_jsonl(run_file(out, s, "rejects")) for s in records}
    truth = {canonicalize_url(u): t for u, t in truth.items()}
    old = [canonicalize_url(u) for u in old]
    new = [canonicalize_url(u) for u in new]
    return records, rejects, stats, truth, old, new


def test_a_site_with_two_layouts_reads_old_and_new_articles_in_a_real_crawl(crawled):
    records, rejects, stats, truth, old, new = crawled
    assert len(old) == 6 and len(new) == 6
    got = records["doimoi"]
    assert sorted(got) == sorted(truth) and rejects["doimoi"] == []
    for url in old + new:
        record, want = got[url], truth[url]
        assert record["title"] == want["title"], url
        assert record["published_at"] == want["published_at"], url
        assert record["author"] == want["author"], url
        assert record["text"].split("\n") == want["paragraphs"], url
    for url in old:  # the old theme keeps its lead apart
        assert got[url]["summary"] == truth[url]["summary"], url
    # Today every page is first tried with the current layout; the old ones fall back.
    site = stats["doimoi"]
    assert site["layout/2023"] == 6 and site["layout/2015"] == 6
    assert site["layout_choice/fallback"] == 6 and "layout_choice/unmatched" not in site


def test_without_the_old_layout_old_articles_lose_their_fields(crawled):
    records, rejects, stats, truth, old, new = crawled
    got = records["doimoi_plain"]
    for url in new:  # the new theme is the family's: unchanged
        assert got[url]["title"] == truth[url]["title"], url
        assert got[url]["published_at"] == truth[url]["published_at"], url
    assert sorted(got) == sorted(truth) and rejects["doimoi_plain"] == []
    for url in old:
        record, want = got[url], truth[url]
        # The generic fallbacks take the page <title> (with the portal's name), a related
        # entry's date, and no lead or byline.
        assert record["title"] != want["title"], url
        assert record["published_at"] != want["published_at"], url
        assert record["author"] is None and record["summary"] is None, url
    assert not any(k.startswith("layout") for k in stats["doimoi_plain"])


# ---- the fetch time picks the layout --------------------------------------------------------------


def _old_page(fetched_at: str) -> tuple[fixtures.Page, dict]:
    with RedesignedPortal() as portal:
        old, _ = portal.old_and_new()
        page = fixtures.fetch(old[0])
        truth = portal.truth()[old[0]]
    page.fetched_at = fetched_at
    return page, truth


def test_fixture_replay_at_an_old_fetch_time_selects_the_old_layout():
    page, truth = _old_page("2023-08-10T02:00:00+00:00")
    spider = fixtures.spider_for_class(RedesignedSpider)
    served: dict = {}
    record = fixtures.replay_article(spider, page, served=served)
    assert served == {"layout": "2015"}
    stats = spider.crawler.stats.get_stats()
    # Valid at the recorded fetch time: chosen at once, not as a fallback.
    assert stats["layout/2015"] == 1 and "layout_choice/fallback" not in stats
    assert record["title"] == truth["title"] and record["published_at"] == truth["published_at"]
    assert record["crawled_at"].startswith("2023-08-10T02:00:00")

    # The same page fetched today is tried with the current layout first, then falls back.
    page.fetched_at = "2026-12-01T02:00:00+00:00"
    again = fixtures.replay_article(spider, page, served=served)
    assert served == {"layout": "2015"}
    assert spider.crawler.stats.get_value("layout_choice/fallback") == 1
    assert fixtures.expected_of(again) == fixtures.expected_of(record)


# A theme tweak: the title and body stayed where they were (both layouts' essential selectors
# match), the date line moved. Only the fetch time can tell which date line to read.
TWEAKED = """<html><head><meta charset="utf-8"><title>Tin</title></head><body>
<div class="news_column"><h1 class="title">Hội nghị chuyển đổi số</h1>
<div class="ngay-moi">Ngày đăng: 15/03/2018 08:30</div>
<div class="ngay-cu">Ngày đăng: 14/03/2018 07:00</div>
<div id="news-bodyhtml"><p>{text}</p></div></div></body></html>""".format(
    text="Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số. " * 6
)


class _Tweaked(NukeVietSpider):
    name = "tweaked"
    home_url = HOME
    agency = "A"
    layouts = (
        Layout("moi", ExtractionRules(date=("//div[@class='ngay-moi']",))),
        Layout("cu", ExtractionRules(date=("//div[@class='ngay-cu']",)), valid_until=REDESIGN),
    )


@pytest.mark.parametrize(
    ("fetched_at", "layout", "published"),
    [
        # valid_until is a day of the portal (+07:00), the last one included
        ("2023-08-18T16:59:59+00:00", "cu", "2018-03-14T07:00:00+07:00"),
        ("2023-08-18T17:00:00+00:00", "moi", "2018-03-15T08:30:00+07:00"),
        ("2019-01-01T00:00:00+00:00", "cu", "2018-03-14T07:00:00+07:00"),
    ],
)
def test_when_several_layouts_match_the_fetch_time_decides(fetched_at, layout, published):
    page = fixtures.Page(
        "https://stttt.doimoi.gov.vn/hoat-dong-cua-so/hoi-nghi-1.html",
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        TWEAKED.encode("utf-8"),
        fetched_at,
    )
    served: dict = {}
    record = fixtures.replay_article(fixtures.spider_for_class(_Tweaked), page, served=served)
    assert served["layout"] == layout and record["published_at"] == published
    at = datetime.fromisoformat(fetched_at)
    choice = choose_layout(TWEAKED, _Tweaked.layouts, at, _Tweaked.extraction_rules)
    assert (choice.layout.name, choice.how) == (layout, "dated")


def test_older_layouts_are_tried_newest_first_and_a_page_nothing_matches_keeps_the_dated_one():
    rules = NukeVietSpider.extraction_rules
    layouts = (
        Layout("c"),
        Layout("b", ExtractionRules(body=("//div[@id='b']",)), valid_until=date(2022, 1, 1)),
        Layout(
            "a", ExtractionRules(body=("//div[@id='b' or @id='a']",)), valid_until=date(2020, 1, 1)
        ),
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    page = "<html><body><h1>T</h1><div id='{}'><p>Nội dung bài viết.</p></div></body></html>"
    assert choose_layout(page.format("b"), layouts, now, rules).layout.name == "b"  # not "a"
    assert choose_layout(page.format("a"), layouts, now, rules).layout.name == "a"
    nothing = choose_layout(page.format("z"), layouts, now, rules)
    assert (nothing.layout.name, nothing.how) == ("c", "unmatched")
    # Only older layouts are tried: a page fetched in b's time never gets c.
    then = datetime(2021, 6, 1, tzinfo=UTC)
    assert dated(layouts, then) == 1
    assert choose_layout(page.format("z"), layouts, then, rules).layout.name == "b"


def test_a_layouts_article_url_pattern_makes_its_links_articles():
    class OldUrls(NukeVietSpider):
        name = "old_urls"
        home_url = HOME
        agency = "A"
        layouts = (
            Layout("new"),
            Layout(
                "old",
                OLD_THEME,
                valid_until=date(2020, 1, 1),
                article_url_pattern=r"/Pages/ChiTiet\.aspx\?ItemID=\d+$",
            ),
        )

    spider = fixtures.spider_for_class(OldUrls)
    assert spider.is_article(HOME + "Pages/ChiTiet.aspx?ItemID=42")
    assert spider.is_article(HOME + "hoat-dong-cua-so/bai-viet-1001.html")  # the family's
    assert not spider.is_article(HOME + "Pages/DanhSach.aspx")
    assert not fixtures.spider_for_class(WithoutOldLayout).is_article(
        HOME + "Pages/ChiTiet.aspx?ItemID=42"
    )


# ---- declarations checked at import -------------------------------------------------------------


def _declare(layouts: object, **extra: object) -> type:
    return type(
        "Declared",
        (NukeVietSpider,),
        {
            "__module__": __name__,
            "name": "declared",
            "home_url": HOME,
            "agency": "A",
            "layouts": layouts,
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("layouts", "message"),
    [
        (
            (Layout("new"), Layout("old", valid_until="2023-08-17")),
            r"layouts\[1\] \('old'\): valid_until must be a datetime.date, got '2023-08-17'",
        ),
        (
            (Layout("new"), Layout("old", valid_until=datetime(2023, 8, 17))),
            r"layouts\[1\] \('old'\): valid_until must be a datetime.date",
        ),
        (
            (Layout("old", valid_until=date(2019, 1, 1)), Layout("new")),
            r"layouts\[0\] \('old'\): layouts go newest first, and the newest .* no valid_until",
        ),
        (
            (
                Layout("new"),
                Layout("2015", valid_until=date(2019, 1, 1)),
                Layout("2019", valid_until=date(2023, 8, 17)),
            ),
            r"layouts\[2\] \('2019'\): layouts go newest first, so valid_until 2023-08-17 must"
            r" be before layouts\[1\]'s 2019-01-01",
        ),
        (
            (Layout("new"), Layout("new", valid_until=date(2019, 1, 1))),
            r"layouts\[1\] \('new'\): name used twice",
        ),
        ([Layout("new")], r"layouts must be a tuple of pipelines.rules.Layout"),
        (
            (Layout("new"), Layout("old", valid_until=date(2019, 1, 1), article_url_pattern="(")),
            r"layouts\[1\] \('old'\): article_url_pattern is not a regular expression",
        ),
    ],
    ids=[
        "valid_until_a_string",
        "valid_until_a_datetime",
        "newest_with_valid_until",
        "dates_going_forward",
        "name_twice",
        "not_a_tuple",
        "bad_url_pattern",
    ],
)
def test_layouts_out_of_order_or_without_a_date_fail_at_import(layouts, message):
    with pytest.raises(NotConfigured) as info:
        _declare(layouts)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"site class {__name__}.Declared: ")
    assert __import__("re").search(message, text), text


def test_layout_essentials_must_name_title_and_body():
    with pytest.raises(NotConfigured, match=r"Declared: layout_essentials must .* title and body"):
        _declare((Layout("new"),), layout_essentials=("title",))
    assert _declare((Layout("new"),), layout_essentials=("title", "body", "date")).layouts


# ---- check: per-layout coverage -------------------------------------------------------------------


def test_check_prints_per_layout_coverage(tmp_path, monkeypatch):
    root = tmp_path / "fixtures"
    monkeypatch.setattr(
        fixtures,
        "spider_for",
        lambda site, start_url=None: fixtures.spider_for_class(RedesignedSpider, start_url),
    )
    with RedesignedPortal() as portal:
        rec = fixtures.record(
            "doimoi",
            base=portal.url,
            pages=2,
            articles=6,
            listing_urls=[portal.url + LISTINGS[0][1:]],
        )
    assert fixtures.save("doimoi", rec, accept=True, root=root, out=io.StringIO()) == 0
    # One old article recorded before the redesign: read with the old layout at once.
    meta_path = root / "doimoi" / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    old = [
        a
        for a in meta["articles"]
        if "Ngày đăng" in fixtures.load_page("doimoi", a, root).body.decode()
    ]
    assert len(old) == 3 and len(meta["articles"]) == 6
    old[0]["fetched_at"] = "2023-08-17T09:00:00+00:00"  # 16:00 in Vietnam, its last day
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    out = io.StringIO()
    assert maintain.check("doimoi", root=root, out=out) == 0, out.getvalue()
    report = out.getvalue()
    assert "doimoi: fixtures: 6 articles" in report
    assert "doimoi: fixtures layout 2023 (current): 3 articles\n" in report
    assert "doimoi: fixtures layout 2015 (until 2023-08-17): 3 articles, 2 as fallback" in report
    lines = report.splitlines()
    at = lines.index("doimoi: fixtures layout 2015 (until 2023-08-17): 3 articles, 2 as fallback")
    assert "title 100%" in lines[at + 1] and "author 100%" in lines[at + 1]
    assert "body 100%" in lines[at + 2] and "lead 100%" in lines[at + 2]
