"""The site model (pipelines.sitemodel) learned from whole generated portals, without a crawl.

Each case builds a portal from a seed of one of the two independently written generators, feeds
every HTML page it serves to `SiteModel.learn`, and checks that exactly the gold articles are
judged articles, with the gold title, date and text, and no boilerplate. The end-to-end figures
(crawl included) are `benchmarks/generalize.py`'s; CI holds a few seeds to floors there too.
"""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.dates import date_fields
from pipelines.encoding import decode_html
from pipelines.normalize import canonicalize_url
from pipelines.sitemodel import (
    SiteModel,
    _entry_groups,
    extract_fields,
    observe,
    parse,
    url_template,
)
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from evaluate import prf  # noqa: E402

BASE = "http://portal.test"
FETCHED = datetime(2026, 11, 30, 10, tzinfo=UTC).isoformat()
CASES = [("portalgen", s) for s in (1, 2, 3, 4, 5, 6)] + [
    ("portalgen2", s) for s in (1, 2, 3, 11, 14, 16)
]


def _nfc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def learned(generator: str, seed: int):
    portal = importlib.import_module(f"tests.{generator}").build_portal(seed)
    facts, htmls = [], {}
    for path, page in portal.pages.items():
        if page.status != 200 or "html" not in page.content_type:
            continue
        url = canonicalize_url(BASE + path)
        if url in htmls or re.search(r"[?&]print=", url):
            continue  # the spider never fetches print variants
        html, _ = decode_html(portal.page(path, BASE).body, None)
        found = observe(url, html, fetched_at=FETCHED)
        if found is not None:
            facts.append(found)
            htmls[url] = html
    return portal, SiteModel.learn(facts), htmls


@pytest.mark.parametrize(("generator", "seed"), CASES)
def test_model_finds_every_article_and_its_fields(generator, seed):
    portal, model, htmls = learned(generator, seed)
    gold = {canonicalize_url(BASE + g.path): g for g in portal.gold}
    aliases = {
        canonicalize_url(BASE + a): canonicalize_url(BASE + g) for a, g in portal.aliases.items()
    }
    judged = {url: model.judge(url, html) for url, html in htmls.items()}
    articles = {url for url, v in judged.items() if v.kind == "article"}
    # Aliases of an article are the article again (the spider keeps one of them).
    assert {aliases.get(u, u) for u in articles} == set(gold), [
        (u, judged[u].reason) for u in set(gold) ^ {aliases.get(u, u) for u in articles}
    ]
    for url, g in gold.items():
        fields = extract_fields(judged[url])
        assert _nfc(fields["title"]) == _nfc(g.title)
        item = dict(fields, url=url, fetched_at=FETCHED)
        if judged[url].listing_date:
            item["published_candidates"].append(
                {"source": "listing", "raw": judged[url].listing_date}
            )
        published = date_fields(item)["published_at"]
        size = 16 if g.published_precision == "minute" else 10
        if published[:size] != g.published_at[:size]:
            # Only a feed gives the time of this one: the crawl has it, this test does not.
            assert g.published_precision == "minute" and published[:10] == g.published_at[:10]
        assert prf(fields["text"], "\n".join(g.paragraphs))[2] >= 0.95, url
        for junk in portal.boilerplate:
            assert junk not in fields["text"], (url, junk)


def test_url_templates_generalize_ids_slugs_and_query_values():
    assert url_template("http://x/tin-tuc/hoi-nghi-tong-ket-123.html") == "/{s}/{s}-{n}.html"
    assert (
        url_template("http://x/default.aspx?ItemID=5&lang=vi") == "/default.aspx?itemid={n}&lang=vi"
    )
    assert url_template("http://x/2024/03/05/hoi-nghi/") == "/{n}/{n}/{n}/{s}/"
    assert url_template("http://x/news/detail/77") == url_template("http://x/news/detail/912")


def test_entry_groups_are_lists_of_links_not_layout_rows():
    listing = "".join(
        f"<div><h3><a href='/a-{i}.html'>Tiêu đề bài số {i} về chuyển đổi số</a></h3>"
        f"<span>0{i}/01/2024</span><p>Tóm tắt ngắn của bài viết số {i}.</p></div>"
        for i in range(1, 5)
    )
    prose = "<p>" + "Nội dung bài viết dài có nhiều câu văn. " * 40 + "</p>"
    page = (
        "<html><body><table><tr><td><a href='/'>Trang chủ</a></td></tr>"
        f"<tr><td><a href='/tin'>Tin</a>{prose}</td></tr><tr><td><a href='/lh'>Liên hệ</a></td></tr>"
        f"</table><div id='list'>{listing}</div></body></html>"
    )
    groups = _entry_groups(parse(page), "http://x/")
    shapes = [(len(g), g[0].tag) for g in groups]
    assert (4, "div") in shapes
    # The layout row holding the prose is never an entry, however it starts.
    assert all("Nội dung bài viết" not in g[0].text_content() for g in groups)


def test_model_is_the_same_whatever_the_crawl_order():
    portal, model, htmls = learned("portalgen", 7)
    again = SiteModel.learn(reversed([observe(u, h, fetched_at=FETCHED) for u, h in htmls.items()]))
    assert model.to_json() == again.to_json()


def test_model_round_trips_through_the_state(tmp_path: Path):
    from pipelines.state import StateStore

    _, model, _ = learned("portalgen", 8)
    store = StateStore(tmp_path / "state.sqlite")
    store.save_site_model("generic_portal.test", model.to_json())
    prior = StateStore(tmp_path / "state.sqlite").site_model("generic_portal.test")
    assert prior["article_templates"] == model.to_json()["article_templates"]
    # A later run that fetches two new articles only still knows their template.
    _, _, htmls = learned("portalgen", 8)
    two = [u for u in htmls if url_template(u) in prior["article_templates"]][:2]
    small = SiteModel.learn([observe(u, htmls[u]) for u in two], prior)
    assert all(small.judge(u, htmls[u]).kind == "article" for u in two)


def test_a_bad_link_in_a_list_costs_only_itself():
    """'http://[::1/x' in an entry group once made the whole site model fail to learn."""
    from pipelines.sitemodel import SiteModel, observe

    entries = "".join(
        f"<li><a href='{href}'>Bài viết về chuyển đổi số số {i}</a><span>1{i}/01/2024</span></li>"
        for i, href in enumerate(["http://[::1/x", "/tin/a-101.html", "/tin/b-102.html", "/c"])
    )
    pages = [
        observe(f"http://h/tin/?page={n}", f"<html><body><ul>{entries}</ul></body></html>")
        for n in (1, 2)
    ]
    model = SiteModel.learn([p for p in pages if p is not None])
    assert model.pages == 2 and model.listing_date("http://h/tin/a-101.html") == "11/01/2024"
