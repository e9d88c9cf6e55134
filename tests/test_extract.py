"""The generic extraction rules on small page shapes seen across Vietnamese portals."""

import glob
from pathlib import Path

import pytest

from pipelines.extract import ExtractionError, extract_article
from pipelines.html import parse_html
from pipelines.rules import ExtractionRules
from pipelines.xpaths import BY_WALK, PRUNE_BY_NAME, chrome_by_name

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


# ---- related blocks, lists, tables ---------------------------------------------------------------


def test_related_heading_and_link_list_pasted_in_the_body_are_dropped():
    html = page(
        f"<p>{LONG}</p><p style='text-align:right'><strong>Minh Khoa</strong></p>"
        "<p><strong>Tin liên quan:</strong></p>"
        "<ul><li><a href='/a.html'>Diễn tập ứng cứu sự cố năm 2023</a> (12/10/2023)</li>"
        "<li><a href='/b.html'>Cảnh báo thư điện tử giả mạo</a></li></ul>"
    )
    out = extract_article(URL, html, BODY)
    assert out["text"] == LONG
    assert out["author"] == "Minh Khoa"


@pytest.mark.parametrize(
    "related",
    [
        "<p><strong>Xem thêm:</strong> <a href='/x.html'>Hà Giang xóa lõm sóng năm 2020</a></p>",
        "<p>Xem thêm: <a href='/x.html'>Hà Giang xóa lõm sóng năm 2020</a></p>",
        "<p><strong>Tin liên quan</strong></p><p><a href='/1'>» Bài một</a></p><p><a href='/2'>» Bài hai</a></p>",
        "<div class='box'><b>Bài viết liên quan</b><ol><li><a href='/1'>Bài một</a></li></ol></div>",
    ],
)
def test_link_blocks_with_a_related_heading_are_dropped(related):
    out = extract_article(URL, page(f"<p>{LONG}</p>{related}<p>{LONG} Hết.</p>"), BODY)
    assert out["text"].split("\n") == [LONG, f"{LONG} Hết."]


def test_prose_starting_like_a_related_heading_is_kept():
    prose = "Xem thêm các quy định tại Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân."
    out = extract_article(URL, page(f"<p>{LONG}</p><p>{prose}</p>"), BODY)
    assert out["text"].split("\n") == [LONG, prose]


def test_list_of_links_alone_is_dropped_but_a_list_of_text_is_kept():
    html = page(
        f"<p>{LONG}</p><ol><li>Hoàn thiện cơ sở dữ liệu đất đai.</li><li>Nâng cấp hệ thống.</li></ol>"
        "<ul><li><a href='/1'>Tin một</a></li><li><a href='/2'>Tin hai</a></li></ul>"
    )
    out = extract_article(URL, html, BODY)
    assert out["text"].split("\n") == [
        LONG,
        "Hoàn thiện cơ sở dữ liệu đất đai.",
        "Nâng cấp hệ thống.",
    ]


def test_data_table_rows_become_cell_lines_with_the_header_row():
    html = page(
        f"<p>{LONG}</p><table><thead><tr><th>Cấp</th><th>Hồ sơ</th></tr></thead>"
        "<tbody><tr class='ms-rteTableHeaderRow'><td><p>Cấp tỉnh</p></td><td>21.408</td></tr>"
        "<tr><td>Cấp xã</td><td>29.840</td></tr></tbody></table>"
    )
    out = extract_article(URL, html, BODY)
    assert out["text"].split("\n") == [LONG, "Cấp | Hồ sơ", "Cấp tỉnh | 21.408", "Cấp xã | 29.840"]


def test_headings_and_br_separated_paragraphs_are_lines_as_written():
    html = page(
        f"<h3>Gần 2.000 lượt học sinh tham gia</h3><div>{LONG}<br><br>Đoạn hai {LONG}</div>"
        f"<blockquote><p>“Trích dẫn ý kiến”, ông nói.</p></blockquote>"
    )
    out = extract_article(URL, html, BODY)
    assert out["text"].split("\n") == [
        "Gần 2.000 lượt học sinh tham gia",
        LONG,
        f"Đoạn hai {LONG}",
        "“Trích dẫn ý kiến”, ông nói.",
    ]


@pytest.mark.parametrize(
    "junk",
    [
        "<p><strong>File đính kèm:</strong></p><p><a href='/d/tb.pdf'>TB-lich-truc.pdf</a></p>",
        "<p>Tệp đính kèm: <a href='/d/kh.docx'>KH_123.docx</a></p>",
        "<select><option>Giọng nữ miền Bắc</option></select>",
        "<p style='display: none'>Nội dung ẩn</p>",
        "<div class='zeno_font_resizer_container'><a>A-</a> <a>A+</a></div>",
    ],
)
def test_attachments_hidden_and_widget_text_never_in_text(junk):
    out = extract_article(URL, page(f"<p>{LONG}</p>{junk}"), BODY)
    assert out["text"] == LONG


# ---- empty bodies -------------------------------------------------------------------------------


def test_empty_body_container_gives_the_lead_not_the_page():
    rules = ExtractionRules(body=("//div[@class='noidung']",), lead=("//div[@class='sapo']",))
    html = page("&nbsp;").replace(
        "<div class='noidung'>",
        f"<span class='ngay'>Thứ sáu - 21/06/2024 16:05</span><div class='sapo'>{LONG}</div><div class='noidung'>",
    )
    out = extract_article(URL, html, rules)
    assert out["text"] == LONG and out["summary"] == LONG


def test_empty_body_without_lead_is_not_an_article():
    with pytest.raises(ExtractionError) as err:
        extract_article(URL, page("<p>&nbsp;</p>"), BODY)
    assert err.value.reason == "no_text"


# ---- images ---------------------------------------------------------------------------------------


def test_images_in_order_with_their_own_captions():
    html = page(
        f"<p>{LONG}</p><p style='text-align:center'><img src='/1.jpg' alt='1.jpg'></p>"
        "<p style='text-align:center'><em>Chú thích một</em></p>"
        "<table><tr><td><img src='/2.jpg'></td></tr><tr><td>Chú thích hai</td></tr></table>"
        "<figure class='wp-block-gallery'>"
        "<figure><img src='/3.jpg'><figcaption>Chú thích ba</figcaption></figure>"
        "<figure><img src='/4.jpg'><figcaption>Chú thích bốn</figcaption></figure></figure>"
        "<div class='wp-caption'><img src='/5.jpg' alt=''><p class='wp-caption-text'>Chú thích năm</p></div>"
        "<div class='content-img'><img src='/6.png' alt='6.png'><p class='img-caption'>Chú thích sáu</p></div>"
        f"<p>{LONG} Hết.</p>"
    )
    out = extract_article(URL, html, BODY)
    assert [i["caption"] for i in out["images"]] == [
        "Chú thích một",
        "Chú thích hai",
        "Chú thích ba",
        "Chú thích bốn",
        "Chú thích năm",
        "Chú thích sáu",
    ]
    assert out["text"].split("\n") == [LONG, f"{LONG} Hết."]


def test_lead_image_caption_in_an_italic_paragraph():
    rules = ExtractionRules(body=BODY.body, lead_image=("//div[@id='imghome']",))
    html = page(f"<p>{LONG}</p>").replace(
        "<div class='noidung'>",
        "<div id='imghome'><a href='/a.jpg'><img src='/a.jpg' alt='a.jpg'></a>"
        "<p><em>Lãnh đạo Sở tặng hoa chúc mừng</em></p></div><div class='noidung'>",
    )
    out = extract_article(URL, html, rules)
    assert out["images"][0]["caption"] == "Lãnh đạo Sở tặng hoa chúc mừng"


# ---- bylines and leads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        (
            "<div style='text-align:right'><strong>Tác giả bài viết: </strong>Hoàng Văn Tuấn<br>"
            "<strong>Nguồn tin: </strong>Trung tâm CNTT</div>",
            "Hoàng Văn Tuấn",
        ),
        (
            "<p class='text-right'><strong>Tác giả bài viết: </strong>Hoàng Thu Hà</p>",
            "Hoàng Thu Hà",
        ),
        ("<p class='text-right'><strong>Nguồn tin: </strong>Phòng Báo chí</p>", None),
    ],
)
def test_byline_element_after_the_body(byline, author):
    rules = ExtractionRules(body=BODY.body, byline=("//div[@class='byline']/*",))
    html = page(f"<p>{LONG}</p>").replace("<footer>", f"<div class='byline'>{byline}</div><footer>")
    out = extract_article(URL, html, rules)
    assert out["author"] == author
    assert out["text"] == LONG


def test_signature_in_the_body_beats_the_theme_account_and_commenters():
    html = (
        "<html><body><header class='entry-header'><h1>Tiêu đề bài viết</h1>"
        "<span class='byline'><span class='author vcard' itemprop='author'>admin</span></span></header>"
        f"<div class='noidung'><p>{LONG}</p><p style='text-align: right;'><strong>Thanh Bình</strong></p></div>"
        "<div class='comments'><div class='comment-author'>Y Nhung</div><p>Rất tiện.</p></div>"
        "</body></html>"
    )
    out = extract_article(URL, html, BODY)
    assert out["author"] == "Thanh Bình" and out["text"] == LONG


def test_commenter_is_never_the_author():
    html = page(f"<p>{LONG}</p>").replace(
        "<footer>",
        "<div class='lfr-discussion'><span class='author-name'>Trần Quang Vinh</span></div><footer>",
    )
    assert extract_article(URL, html, BODY)["author"] is None


@pytest.mark.parametrize("prefix", ["STTTT AG - ", "(CTTĐT) - ", "(Chinhphu.vn) - ", "HGĐT - "])
def test_lead_prefixes(prefix):
    rules = ExtractionRules(body=BODY.body, lead=("//div[@class='sapo']",))
    html = page(f"<p>{LONG}</p>").replace(
        "<div class='noidung'>",
        f"<div class='sapo'>{prefix}{LONG} Mở đầu.</div><div class='noidung'>",
    )
    assert extract_article(URL, html, rules)["summary"] == f"{LONG} Mở đầu."


def test_generic_lead_ignores_sidebar_leader_site_description_and_figure_captions():
    html = (
        "<html><body><header id='masthead'><p class='site-description' itemprop='description'>"
        "Trực thuộc Sở Thông tin và Truyền thông</p></header>"
        "<div class='leader'><p>Giám đốc Sở: Nguyễn Văn Hải</p></div>"
        f"<h1>Tiêu đề bài viết</h1><div class='noidung'><figure><img src='/a.jpg'>"
        f"<figcaption itemprop='description'>Chú thích ảnh</figcaption></figure><p>{LONG}</p></div>"
        "</body></html>"
    )
    out = extract_article(URL, html, BODY)
    assert out["summary"] is None and out["text"] == LONG


# ---- class names are evidence, matched as whole tokens ------------------------------------------

STORY = [
    f"Đoạn {i}: {LONG} Nội dung chi tiết của bài viết được trình bày đầy đủ." for i in range(4)
]


def _bare(main: str) -> str:
    return (
        "<html><head><title>Tiêu đề bài viết</title></head><body>"
        "<nav><a href='/'>Trang chủ</a><a href='/lh'>Liên hệ</a></nav>"
        f"<h1>Tiêu đề bài viết</h1>{main}<footer>Địa chỉ: Số 1 đường A.</footer></body></html>"
    )


@pytest.mark.parametrize(
    "cls",
    ["content-with-sidebar-wrp", "and-w-sidebar", "native-advertising-platform", "visitor-story"],
)
@pytest.mark.parametrize("microdata", [True, False])
def test_article_wrapper_whose_class_merely_contains_a_chrome_word_is_kept(cls, microdata):
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    inner = (
        f"<div class='{cls}'>{paras}</div><div class='sidebar'><a href='/x'>Tin khác nữa</a></div>"
    )
    main = f"<div itemprop='articleBody'>{inner}</div>" if microdata else f"<div>{inner}</div>"
    out = extract_article(URL, _bare(main))
    assert out["text"].split("\n") == STORY


@pytest.mark.parametrize("card", ["trd-article-body", "article-body"])
def test_a_small_card_named_like_a_body_is_not_the_body(card):
    card_html = (
        f"<div class='{card}'><a href='/khac.html'>Một bài viết khác</a>"
        "<p>Tóm tắt ngắn của bài khác.</p></div>"
    )
    story = "".join(f"<p>{p}</p>" for p in STORY)
    out = extract_article(URL, _bare(f"<div class='story'>{story}</div>{card_html}"))
    lines = out["text"].split("\n")
    assert [line for line in lines if line in STORY] == STORY  # not the card alone


def test_a_view_counter_named_like_a_body_is_not_the_body():
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = _bare(
        "<div class='post'><span class='entry-content-views'>Đã có 1234 người đọc</span>"
        f"<div class='post-text'>{story}</div></div>"
    )
    lines = extract_article(URL, html)["text"].split("\n")
    assert lines[-len(STORY) :] == STORY


def test_chrome_is_never_most_of_the_body():
    # An ASP.NET page wraps everything in a <form>; a form inside the body is still pruned.
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<form id='aspnetForm'>{story}</form><form><input name='q'>Tìm kiếm</form>")
    assert extract_article(URL, html, BODY)["text"].split("\n") == STORY


def test_a_switched_off_generic_fallback_never_fills_the_field():
    page = (
        "<html><body><h1>Hội nghị tổng kết năm</h1><div class='content-detail'><p>"
        + "Nội dung bài viết về chuyển đổi số trên địa bàn tỉnh. " * 8
        + "</p></div><div class='other'><h3>Các tin khác</h3><ul>"
        "<li><a href='/a-1.html'>Tin khác số một</a> <span class='date'>12/03/2020</span></li>"
        "</ul></div></body></html>"
    )
    with_generic = extract_article("http://x.vn/a.html", page)
    assert {"source": "page", "raw": "12/03/2020"} in with_generic["published_candidates"]
    own = ExtractionRules(body=("//div[@class='content-detail']",), no_generic=frozenset({"date"}))
    fields = extract_article("http://x.vn/a.html", page, own)
    assert all(c["source"] != "page" for c in fields["published_candidates"])
    assert fields["title"] == "Hội nghị tổng kết năm"


def _test_pages() -> list[str]:
    """Every HTML file under tests/ (recorded portals, generated pages, golden pages)."""
    return [
        Path(p).read_text("utf-8", "replace")
        for p in glob.glob(str(Path(__file__).parent / "**" / "*.html"), recursive=True)
    ]


def test_chrome_by_name_selects_what_the_xpath_does():
    # The prune pass walks the tree in Python instead of evaluating PRUNE_BY_NAME: same nodes.
    pages = _test_pages()
    pages.append(
        '<div class="Box-Tin-Lien-Quan x">a</div><p id="SIDEBAR">b</p><td class="menu">c</td>'
        '<div class="zeno_font_resizer_container">d</div><div class="content-with-sidebar">e</div>'
        '<div class="a\u00a0share">f</div><div class="share\tx">g</div>'
    )
    assert len(pages) > 40
    for html in pages:
        doc = parse_html(html)
        assert chrome_by_name(doc) == doc.xpath(PRUNE_BY_NAME)


def test_xpaths_evaluated_by_a_walk_select_what_libxml2_does():
    # BY_WALK's functions replace the body-class XPaths in extraction: the same elements, in the
    # same order, from the document root or any node of it.
    pages = _test_pages()
    pages.append(
        '<div class="BodyText">a<div class="x\tentry-content\ny">b</div></div><!-- c -->'
        '<p class="a\u00a0bodytext">c</p><p class="trd-article-body">d</p><p class=" ">e</p>'
        '<section class="CONTENT-DETAIL"><i class="detail-content">f</i></section>'
        '<p class="Đbodytext">g</p><p class="entry-content-views">h</p>'
        '<div class="tags"><a href="/1">x</a><div class="keyword"><a href="/2">y</a></div></div>'
        '<a class="tag" href="/3">z</a><span class="PublishDate">1/1/2024</span>'
        '<span class="PUBLISH-DATE">2/1/2024</span><i class="timeout time">t</i>'
        '<b class="update-date">3/1/2024</b><b class="post-date ngay-dang">4/1/2024</b>'
    )
    assert len(pages) > 40
    hits = dict.fromkeys(BY_WALK, 0)
    for html in pages:
        doc = parse_html(html)
        nodes = [doc, *(el for el in doc.iter() if isinstance(el.tag, str))][:25]
        for xp, walk in BY_WALK.items():
            for node in nodes:
                found = walk(node)
                assert found == node.xpath(xp), (xp, html[:80])
                hits[xp] += bool(found)
    # Every rule selects something somewhere: no comparison is only of empty lists.
    assert [xp for xp, n in hits.items() if not n] == []
