"""The golden set (tests/golden/): boilerplate-free text, measured page by page against bare
trafilatura with benchmarks/evaluate.py. See that module for how the figures are computed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime

import lxml.html
import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from benchmarks import evaluate as ev
from spiders.families.wordpress import WordPressSpider

CASES = ev.load_cases()
IDS = [c.name for c in CASES]


@pytest.fixture(scope="module")
def pairs():
    return ev.evaluate(CASES)


def _page_text(html: str) -> str:
    doc = lxml.html.document_fromstring(html)
    for bad in doc.xpath("//script | //style"):
        bad.drop_tree()
    return " ".join(doc.text_content().split())


# ---- the set itself -----------------------------------------------------------------------------


def test_golden_set_composition():
    assert len(CASES) >= 30
    per_family = Counter(c.family for c in CASES)
    assert {"nukeviet", "liferay", "aspnet", "wordpress", "newspaper"} <= set(per_family)
    assert all(n >= 5 for n in per_family.values()), per_family
    # NukeViet 3 and 4 both present.
    assert any(c.name.startswith("nukeviet3/") for c in CASES)
    assert any(c.name.startswith("nukeviet/") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expected_record_is_what_the_page_says(case):
    exp = case.expected
    assert set(exp) == {"title", "published_at", "summary", "paragraphs", "captions", "author"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", exp["published_at"])
    for value in [exp["title"], exp["summary"] or "", *exp["paragraphs"], *exp["captions"]]:
        assert value == unicodedata.normalize("NFC", value) and value == value.strip()
    page = _page_text(case.html)
    for paragraph in exp["paragraphs"]:
        for part in paragraph.split(" | "):  # table rows: each cell is on the page
            assert part in page, part
    for value in [exp["title"], *exp["captions"], exp["author"] or ""]:
        assert value in page, value
    if exp["summary"]:
        assert exp["summary"] == exp["paragraphs"][0]
    # The chrome strings listed for the leak check are on the page and not in the article.
    text = "\n".join(exp["paragraphs"])
    assert case.junk, "list the page's chrome strings"
    for junk in case.junk:
        assert junk in page or junk in case.html, junk
        assert not ev._contains_phrase(ev._norm(text), ev._norm(junk)), junk


# ---- the floors ---------------------------------------------------------------------------------


def test_mean_f1(pairs):
    assert ev.summary([o for o, _ in pairs])["f1"] >= ev.MIN_MEAN_F1


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_page(pairs, index):
    ours, bare = pairs[index]
    assert ours.error is None, ours.error
    assert ours.f1 >= ev.MIN_PAGE_F1
    assert ours.leaked == [], "boilerplate in the text"
    assert ours.title_ok and ours.date_ok
    assert ours.f1 >= bare.f1, f"bare trafilatura does better: {bare.f1:.3f} > {ours.f1:.3f}"
    # Captions go to images, the byline to author, the lead to summary.
    assert ours.extra == {"summary": True, "captions": True, "author": True}, ev.show(ours.case)


def test_overall_floors(pairs):
    assert ev.floors_met(pairs) == []


def test_report_prints_both_systems(pairs, capsys):
    out = ev.report(pairs)
    assert "overall (" in out and "bare trafilatura" in out
    assert "pages with leaked boilerplate" in out and "date accuracy" in out
    assert ev.main(["--show", "nukeviet/caobang"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].startswith("== nukeviet/caobang") and not [x for x in shown if x[:2] == "!!"]


# ---- the measures -------------------------------------------------------------------------------


def test_tokens_and_f1_count_multiplicity():
    assert ev.tokens("Sở TT&TT, “Chuyển đổi số”.") == ["sở", "tt&tt", "chuyển", "đổi", "số"]
    p, r, f1 = ev.prf("a a b", "a b b c")
    assert (p, r) == (2 / 3, 2 / 4) and f1 == pytest.approx(2 * p * r / (p + r))


def test_leak_check_flags_foreign_lines_and_chrome():
    case = CASES[0]
    text = "\n".join(case.expected["paragraphs"])
    assert ev.leaks(text, case) == []
    leaked = ev.leaks(text + "\nTin liên quan", case)
    assert "Tin liên quan" in leaked


# ---- the WordPress family the golden set introduced ---------------------------------------------


class _Site(WordPressSpider):
    name = "wp_test"
    home_url = "https://tttt.example.gov.vn/"
    agency = "Trung tâm CNTT&TT"


LISTING = """<html><body><main id="main">
<h1 class="page-title">Chuyên mục: <span>Tin tức</span></h1>
<article class="post-12 post type-post status-publish hentry category-tin-tuc">
  <header class="entry-header"><h2 class="entry-title">
    <a href="https://tttt.example.gov.vn/2024/12/24/ra-mat-tong-dai-1022/">Ra mắt tổng đài 1022</a></h2>
  <span class="posted-on"><time class="entry-date published" datetime="2024-12-24T08:30:00+07:00">24 tháng 12, 2024</time></span></header>
</article>
<article class="post-11 post type-post status-publish hentry">
  <h2 class="entry-title"><a href="https://tttt.example.gov.vn/tap-huan-chu-ky-so/">Tập huấn chữ ký số</a></h2>
  <span class="posted-on">20/12/2024</span>
</article>
<nav class="navigation pagination"><div class="nav-links">
  <span aria-current="page" class="page-numbers current">1</span>
  <a class="page-numbers" href="https://tttt.example.gov.vn/category/tin-tuc/page/2/">2</a>
  <a class="next page-numbers" href="https://tttt.example.gov.vn/category/tin-tuc/page/2/">Trang sau</a>
</div></nav>
<aside><ul><li><a href="https://tttt.example.gov.vn/category/thong-bao/">Thông báo</a></li></ul></aside>
</main></body></html>"""


def test_wordpress_listing_navigation():
    spider = _Site.from_crawler(get_crawler(_Site))
    url = "https://tttt.example.gov.vn/category/tin-tuc/"
    response = HtmlResponse(url, body=LISTING.encode("utf-8"), encoding="utf-8")
    requests = list(spider.parse_listing(response))
    articles = [r for r in requests if r.callback.__name__ == "parse_article"]
    pages = [r.url for r in requests if r.callback.__name__ == "parse_listing"]
    assert [r.url for r in articles] == [
        "https://tttt.example.gov.vn/2024/12/24/ra-mat-tong-dai-1022/",
        "https://tttt.example.gov.vn/tap-huan-chu-ky-so/",
    ]
    assert [r.meta["listing_date"] for r in articles] == ["2024-12-24T08:30:00+07:00", "20/12/2024"]
    assert articles[0].meta["listing_category"] == "Tin tức"
    assert pages == ["https://tttt.example.gov.vn/category/tin-tuc/page/2/"]
    assert spider.listing_urls() == ["https://tttt.example.gov.vn/category/tin-tuc/"]


@pytest.mark.parametrize(
    ("url", "is_article"),
    [
        ("https://tttt.example.gov.vn/2024/12/24/ra-mat-tong-dai-1022/", True),
        ("https://tttt.example.gov.vn/tin-tuc/ra-mat-tong-dai.html", True),
        ("https://tttt.example.gov.vn/?p=2841", True),
        ("https://tttt.example.gov.vn/category/tin-tuc/page/2/", False),
        ("https://tttt.example.gov.vn/tag/chuyen-doi-so/", False),
        ("https://tttt.example.gov.vn/page/3/", False),
        ("https://tttt.example.gov.vn/wp-content/uploads/2024/12/a.jpg", False),
        ("https://other.example.com/2024/12/24/x/", False),
    ],
)
def test_wordpress_article_urls(url, is_article):
    assert _Site().is_article(url) is is_article


def test_wordpress_golden_pages_use_the_family_rules():
    wp = [c for c in CASES if c.family == "wordpress"]
    fetched = datetime(2026, 1, 1, tzinfo=UTC)
    for case in wp:
        record = ev.record_from_page(
            case.url, case.html, WordPressSpider.extraction_rules, fetched_at=fetched
        )
        assert record["title"] == case.expected["title"]
