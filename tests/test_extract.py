"""The generic extraction rules on small page shapes seen across Vietnamese portals."""

import pytest

from pipelines.extract import ExtractionError, extract_article
from pipelines.rules import ExtractionRules

URL = "https://stttt.example.gov.vn/tin-tuc/bai-viet-123.html"
LONG = "Sở Thông tin và Truyền thông tổ chức hội nghị triển khai nhiệm vụ công tác năm 2024 với sự tham dự của lãnh đạo tỉnh."
BODY = ExtractionRules(body=("//div[@class='noidung']",))


def page(body: str, head: str = "", title: str = "Tiêu đề bài viết") -> str:
    return (
        f"<html><head><title>{title} - Cổng TTĐT</title>{head}</head><body>"
        "<div class='menu'><a href='/'>Trang chủ</a><a href='/lh'>Liên hệ</a></div>"
        f"<h1>{title}</h1><div class='noidung'>{body}</div>"
        "<footer>Địa chỉ: Số 1 đường A. Giấy phép số 12/GP-TTĐT</footer></body></html>"
    )


def test_paragraphs_in_order_without_chrome():
    out = extract_article(URL, page(f"<p>{LONG}</p><p>Đoạn hai {LONG}</p>"), BODY)
    assert out["title"] == "Tiêu đề bài viết"
    assert out["text"] == f"{LONG}\nĐoạn hai {LONG}"


def test_caption_in_next_centred_italic_paragraph():
    html = page(
        f"<p>{LONG}</p><p style='text-align:center'><img src='/a/anh1.jpg' alt='anh1.jpg'></p>"
        "<p style='text-align:center'><em>Lãnh đạo tỉnh phát biểu tại hội nghị. Ảnh: MT</em></p>"
        f"<p>{LONG} Hết.</p>"
    )
    out = extract_article(URL, html, BODY)
    assert out["images"] == [
        {
            "url": "https://stttt.example.gov.vn/a/anh1.jpg",
            "caption": "Lãnh đạo tỉnh phát biểu tại hội nghị. Ảnh: MT",
        }
    ]
    assert "Lãnh đạo tỉnh phát biểu" not in out["text"]
    assert "anh1.jpg" not in out["text"]


def test_figcaption_and_image_marker_and_caption_printed_twice():
    cap = "Toàn cảnh hội nghị triển khai nhiệm vụ."
    html = page(
        f"<p>{LONG}</p><figure><img src='/b.jpg' alt='{cap} ảnh 1'><figcaption>{cap}</figcaption></figure>"
        f"<p>{cap}</p><p>{LONG} Kết thúc.</p>"
    )
    out = extract_article(URL, html, BODY)
    assert out["images"][0]["caption"] == cap
    assert cap not in out["text"] and "ảnh 1" not in out["text"]


def test_caption_row_of_image_table():
    html = page(
        f"<p>{LONG}</p><table align='center'><tr><td><img src='/c.jpg'></td></tr>"
        "<tr><td><em>Đại biểu tham quan gian trưng bày.</em></td></tr></table><p>Đoạn cuối {LONG}</p>"
    )
    out = extract_article(URL, html, BODY)
    assert out["images"][0]["caption"] == "Đại biểu tham quan gian trưng bày."
    assert "gian trưng bày" not in out["text"]


def test_inline_image_splits_running_text_and_lifts_caption():
    html = page(
        f"<div>Phần đầu {LONG} <img src='/uploads/x.jpg' alt='/uploads/x.jpg'><br>"
        f"<em>Giám đốc Sở ký kết chương trình phối hợp Ảnh P.V</em> Phần sau {LONG}</div>"
    )
    out = extract_article(URL, html, BODY)
    assert out["text"].split("\n") == [f"Phần đầu {LONG}", f"Phần sau {LONG}"]
    assert out["images"][0]["caption"] == "Giám đốc Sở ký kết chương trình phối hợp Ảnh P.V"


@pytest.mark.parametrize(
    ("tail", "author"),
    [
        ("<p style='text-align: right;'><strong>Khánh Trang</strong></p>", "Khánh Trang"),
        ("<p>MT</p>", "MT"),
        ("<p align='right'><b>Chu Xuân Trường</b><br><i>Giám đốc Sở</i></p>", "Chu Xuân Trường"),
        ("<p>Tác giả: Hoàng Anh</p>", "Hoàng Anh"),
        ("<p><strong>Tác giả:</strong> Lê Văn Nam</p><p>Nguồn tin: Báo Phú Thọ</p>", "Lê Văn Nam"),
    ],
)
def test_bylines_go_to_author_not_text(tail, author):
    out = extract_article(URL, page(f"<p>{LONG}</p>{tail}"), BODY)
    assert out["author"] == author
    assert out["text"] == LONG


def test_lead_prefix_stripped_and_lead_kept_in_text():
    rules = ExtractionRules(body=("//div[@class='noidung']",), lead=("//div[@class='sapo']",))
    html = page(f"<p>{LONG}</p>").replace(
        "<div class='noidung'>",
        f"<div class='sapo'>BBK - {LONG} Mở đầu.</div><div class='noidung'>",
    )
    out = extract_article(URL, html, rules)
    assert out["summary"] == f"{LONG} Mở đầu."
    assert out["text"].split("\n") == [f"{LONG} Mở đầu.", LONG]


@pytest.mark.parametrize(
    "junk",
    [
        "Xem thêm",
        "Số lượt xem: 343",
        "0:00 / 0:00",
        "0:00",
        "20180116-m01.jpg",
        "Những tin mới hơn",
        "In bài",
        "Chia sẻ",
    ],
)
def test_furniture_lines_dropped(junk):
    out = extract_article(URL, page(f"<p>{LONG}</p><p>{junk}</p><p>{LONG} Hai.</p>"), BODY)
    assert junk not in out["text"].split("\n")
    assert out["text"].split("\n") == [LONG, f"{LONG} Hai."]


def test_script_and_style_never_in_text():
    html = page(f"<p>{LONG}</p><script>var x='bí mật';</script><style>.a{{color:red}}</style>")
    out = extract_article(URL, html, BODY)
    assert "bí mật" not in out["text"] and "color" not in out["text"]


def test_structured_and_visible_dates_are_candidates():
    head = "<meta property='article:published_time' content='2023-08-28T07:15:00+0700'>"
    html = page(f"<span class='post-date'>Thứ Hai, 28/08/2023 07:15</span><p>{LONG}</p>", head)
    out = extract_article(URL, html, BODY)
    assert {"source": "meta", "raw": "2023-08-28T07:15:00+0700"} in out["published_candidates"]
    assert {"source": "page", "raw": "Thứ Hai, 28/08/2023 07:15"} in out["published_candidates"]


@pytest.mark.parametrize(
    ("html", "reason"),
    [("", "empty_page"), ("   ", "empty_page"), ("<html><body><p>x</p></body></html>", "no_title")],
)
def test_not_an_article_raises_with_reason(html, reason):
    with pytest.raises(ExtractionError) as err:
        extract_article(URL, html)
    assert err.value.reason == reason


def test_generic_rules_without_family_find_the_body():
    html = (
        "<html><body><nav><a href='/'>Trang chủ</a></nav><h1>Tin chuyển đổi số</h1>"
        f"<article><p>{LONG}</p><p>{LONG} Tiếp.</p></article>"
        "<aside><h3>Tin mới</h3><ul><li><a href='/x'>Bài khác rất dài tiêu đề</a></li></ul></aside>"
        "<footer>Bản quyền thuộc Sở TT&TT</footer></body></html>"
    )
    out = extract_article(URL, html)
    assert out["text"] == f"{LONG}\n{LONG} Tiếp."
