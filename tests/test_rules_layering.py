"""Site rules over family rules over generic rules, layered by the base class."""

from __future__ import annotations

from crawler import fixtures
from pipelines.rules import ExtractionRules
from spiders.families.nukeviet import RULES as NUKEVIET
from spiders.families.nukeviet import NukeVietSpider

PAGE = """<html><head><meta charset="utf-8"><title>Tin</title></head><body>
<div class="news_column"><h1 class="title">Hội nghị chuyển đổi số</h1>
<div class="tin-khac"><span class="date">Thứ hai, 01/01/2024</span>
 <a href="/vi/news/a/b-1.html">Tin khác</a></div>
<div class="thoi-gian">Ngày đăng: 15/03/2024 08:30</div>
<div id="news-bodyhtml"><p>{text}</p></div></div></body></html>""".format(
    text="Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số. " * 6
)


class _WithDate(NukeVietSpider):
    name = "layer_test"
    home_url = "https://stttt.layer.gov.vn/"
    agency = "Sở TT&TT"
    extraction_rules = ExtractionRules(date=("//div[@class='thoi-gian']",))


class _NoGenericDate(NukeVietSpider):
    name = "layer_test_nogeneric"
    home_url = "https://stttt.layer.gov.vn/"
    agency = "Sở TT&TT"
    extraction_rules = ExtractionRules(no_generic=frozenset({"date"}))


def _record(cls: type) -> dict:
    spider = fixtures.spider_for_class(cls)
    page = fixtures.Page(
        "https://stttt.layer.gov.vn/vi/news/a/hoi-nghi-2.html",
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        PAGE.encode("utf-8"),
        "2024-06-01T00:00:00+00:00",
    )
    return fixtures.replay_article(spider, page)


def test_site_rules_come_first_and_keep_the_family_rules_after_them():
    rules = _WithDate.extraction_rules
    assert rules.date[0] == "//div[@class='thoi-gian']"
    assert rules.date[1:] == NUKEVIET.date  # the family's, without .over() in the site class
    assert rules.body == NUKEVIET.body and rules.title == NUKEVIET.title
    record = _record(_WithDate)
    assert record["published_at"] == "2024-03-15T08:30:00+07:00"
    assert record["title"] == "Hội nghị chuyển đổi số"  # family title rule still applies


def test_no_generic_switches_a_fields_generic_fallbacks_off():
    # Without the switch the generic date rules read the related entry's date...
    plain = _record(
        type(
            "Plain",
            (NukeVietSpider,),
            {
                "__module__": __name__,
                "name": "plain",
                "home_url": "https://x.gov.vn/",
                "agency": "A",
            },
        )
    )
    assert plain["published_at"] is not None
    # ...with it, only the site's and family's own selectors may fill the date: none matches.
    assert _NoGenericDate.extraction_rules.no_generic == frozenset({"date"})
    assert _record(_NoGenericDate)["published_at"] is None


class _Override(NukeVietSpider):
    """A site whose parse_article fixes its pages before extraction (a broken heading)."""

    name = "layer_test_override"
    home_url = "https://stttt.layer.gov.vn/"
    agency = "Sở TT&TT"

    def parse_article(self, response):
        for item in super().parse_article(response):
            item["html"] = item["html"].replace("Hội nghị", "Hội thảo")
            yield item


def test_replay_goes_through_the_sites_own_parse_article():
    assert _record(_Override)["title"] == "Hội thảo chuyển đổi số"
    assert _record(_WithDate)["title"] == "Hội nghị chuyển đổi số"
