"""No input makes extraction raise anything but its own error; output stays where it belongs."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.utils.project import get_project_settings

from pipelines.chain import record_from_page
from pipelines.encoding import decode_html
from pipelines.errors import RejectItem
from pipelines.extract import ExtractionError, extract_article
from pipelines.write import output_path
from spiders.families.nukeviet import RULES
from spiders.generic import looks_like_article

URL = "https://stttt.example.gov.vn/vi/news/tin-tuc/bai-1-123.html"
TAGS = [
    "p",
    "div",
    "h1",
    "span",
    "em",
    "strong",
    "figure",
    "figcaption",
    "table",
    "td",
    "tr",
    "script",
    "style",
    "img",
    "br",
    "a",
    "ul",
    "li",
    "iframe",
    "noscript",
    "time",
    "meta",
]
ATTRS = [
    "",
    " class='bodytext'",
    " id='news-bodyhtml'",
    " class='hometext'",
    " style='text-align:right'",
    " itemprop='headline'",
    " src='/a.jpg'",
    " href='javascript:x'",
    " datetime='2024-01-01'",
    " property='article:published_time' content='2024-13-45T99:99'",
    " class='h5'",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def html_soup(draw) -> str:
    """Random tag soup with the names, attributes and Vietnamese text the extractor looks for."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(TEXT))
        else:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "Thứ ba, 16/01/2018 08:47",
                            "Sáng 27/11",
                            "DIC - ",
                            "Số lượt xem: 3",
                            "Tác giả: MT",
                            "&nbsp;",
                            "&#7903;",
                            "\u200b",
                            "<!--",
                            "]]>",
                            "<![CDATA[",
                        ]
                    )
                )
            )
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_soup(), TEXT))
def test_extraction_never_raises_anything_else(html):
    for rules in (None, RULES):
        try:
            out = extract_article(URL, html, rules)
        except ExtractionError:
            continue
        assert out["title"] and out["text"]
        assert "<script" not in out["text"]
    with contextlib.suppress(RejectItem):
        record_from_page(URL, html, RULES)
    assert looks_like_article(URL, html) in (True, False)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=2000),
    st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "bogus", "windows-1258"])),
)
def test_decoding_then_extraction_never_raises_anything_else(body, declared):
    text, _ = decode_html(body, declared)
    with contextlib.suppress(ExtractionError):
        extract_article(URL, text)


def test_script_and_style_never_reach_text():
    html = (
        "<html><head><style>p{color:red}</style></head><body><h1>Tiêu đề</h1><div class='bodytext'>"
        "<p>Đoạn văn bản đầu tiên của bài viết đủ dài để được giữ lại trong văn bản.</p>"
        "<script>document.write('quảng cáo')</script><p>Đoạn hai<style>.x{}</style> kết thúc.</p></div></body></html>"
    )
    out = extract_article(URL, html)
    assert (
        "quảng cáo" not in out["text"] and "color" not in out["text"] and ".x{}" not in out["text"]
    )


@pytest.mark.parametrize("site", ["../etc", "/abs", "a/b", "..", "", "x\x00y", "dienbien/../../x"])
def test_site_name_cannot_escape_output_dir(site, tmp_path):
    settings_ = get_project_settings()
    settings_.set("OUTPUT_DIR", str(tmp_path))
    with pytest.raises(ValueError):
        output_path(settings_, site, "20260101T000000Z")


def test_records_are_validated_before_they_are_written():
    order = get_project_settings().getdict("ITEM_PIPELINES")
    assert (
        order["pipelines.validate.ValidatePipeline"] < order["pipelines.write.OutboxWriterPipeline"]
    )
    assert max(order, key=order.get) == "pipelines.write.OutboxWriterPipeline"


def test_script_content_is_never_title_lead_or_text():
    # Found by the property test above: a script inside the lead, marked as the headline.
    html = (
        "<html><body><h1>Tiêu đề thật</h1><p class='hometext'>Lời dẫn<script itemprop='headline'>"
        "var t='<script>';</script></p><div class='bodytext'><p>Nội dung bài viết.</p></div></body></html>"
    )
    out = extract_article(URL, html, RULES)
    assert out["title"] == "Tiêu đề thật"
    assert out["summary"] == "Lời dẫn"
    assert "script" not in out["text"] and "var t" not in out["text"]
