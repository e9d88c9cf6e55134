"""CMS fingerprints (pipelines/fingerprint.py): synthetic pages per family, distractors,
headers and cookies alone, several pages combined, and the golden and demo-fixture pages."""

from __future__ import annotations

import dataclasses
import gzip
import json
import time
from pathlib import Path

import pytest

from pipelines.encoding import decode_html
from pipelines.fingerprint import FAMILIES, NEWSPAPER_CAP, Fingerprint, fingerprint

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
FIXTURES = HERE / "fixtures"


def fp1(url: str, html: str, headers: dict[str, str] | None = None) -> Fingerprint:
    return fingerprint([(url, html, headers)])


# ---- synthetic pages, one per family --------------------------------------------------------

NUKEVIET = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Hội nghị tổng kết - Sở Thông tin và Truyền thông</title>
<meta name="generator" content="NukeViet v4.5">
<link rel="stylesheet" href="/themes/default/css/bootstrap.min.css">
<script>var nv_base_siteurl="/",nv_lang_data="vi",nv_lang_interface="vi",nv_name_variable="nv",
nv_fc_variable="op",nv_lang_variable="language",nv_module_name="news",nv_func_name="detail",
nv_is_user=0,nv_my_ofs=7,nv_my_abbr="ICT",nv_cookie_prefix="nv4c_Ab12c";</script>
<script src="/assets/js/jquery/jquery.min.js"></script>
<script src="/assets/js/language/vi.js"></script>
<script src="/themes/default/js/main.js"></script>
</head><body><div id="timeoutsess" class="chromeframe">Bạn đã không sử dụng Site</div>
<div class="news_column"><h1 class="title">Hội nghị tổng kết</h1>
<img src="/uploads/news/2024_01/hoi-nghi.jpg" alt="">
<p><a href="/index.php?language=vi&amp;nv=news&amp;op=tin-tuc">Tin tức</a></p></div>
<div id="footer">Powered by <a href="http://nukeviet.vn">NukeViet</a></div></body></html>"""

LIFERAY = """<!DOCTYPE html><html class="ltr" dir="ltr" lang="vi-VN"><head>
<title>Chuyển đổi số - Cổng thông tin</title>
<link href="/o/egov-theme/css/main.css" rel="stylesheet">
<script src="/o/frontend-js-web/liferay/global.bundle.js"></script>
<script>Liferay.ThemeDisplay.getCDNBaseURL=function(){return "https://stttt.example.gov.vn"};
Liferay.AUI.getFilter=function(){return "min"};</script>
</head><body><div class="portlet-boundary portlet-asset-publisher"
id="p_p_id_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_xyz_">
<a href="/web/guest/tin-tuc/-/asset_publisher/xyz/content/ngay-hoi-chuyen-doi-so">Ngày hội</a>
<a href="/web/guest/tin-tuc?p_p_id=abc&amp;_abc_cur=2">Trang 2</a>
<a href="/c/portal/logout">Đăng xuất</a></div></body></html>"""

ASPNET = """<!DOCTYPE html><html><head><title>Tin tức</title>
<meta name="GENERATOR" content="Microsoft SharePoint">
<link rel="stylesheet" href="/_layouts/15/1033/styles/corev15.css">
</head><body><form method="post" action="./tin-tuc.aspx?ItemID=12" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAg==">
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEWAgKK">
<script>function __doPostBack(eventTarget, eventArgument){}</script>
<div class="ms-rtestate-field">Nội dung</div>
<a href="/Pages/danh-sach.aspx">Danh sách</a>
</form></body></html>"""

DNN = """<!DOCTYPE html><html><head><title>Trang chủ</title>
<link href="/Portals/0/skin/portal/skin.css" rel="stylesheet">
<link href="/DesktopModules/NewsArticles/module.css" rel="stylesheet">
<script src="/js/dnncore.js"></script>
</head><body id="Body"><form method="post" action="/tabid/56/Default.aspx" id="Form">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUJNTk2">
<div id="dnn_ContentPane"><div id="dnn_ctr412_ContentPane">Tin</div></div>
</form></body></html>"""

WORDPRESS = """<!DOCTYPE html><html lang="vi"><head><meta charset="UTF-8">
<title>Hội thảo dữ liệu số &#8211; Sở KH&amp;CN</title>
<link rel="https://api.w.org/" href="https://so.example.gov.vn/wp-json/">
<meta name="generator" content="WordPress 6.4.2">
<link rel="stylesheet" href="https://so.example.gov.vn/wp-content/themes/astra/style.css?ver=4.5">
<script src="https://so.example.gov.vn/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
<script>window._wpemojiSettings={"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/14.0.0\\/72x72\\/"};</script>
</head><body class="post-template-default single single-post postid-1210 single-format-standard">
<article class="post-1210 post type-post status-publish format-standard hentry">
<div class="entry-content"><p>Nội dung</p></div></article></body></html>"""

JOOMLA = """<!DOCTYPE html><html><head><meta name="generator" content="Joomla! - Open Source Content Management">
<title>Tin tức</title>
<script src="/media/jui/js/jquery.min.js"></script>
<script src="/media/system/js/caption.js"></script>
<link href="/templates/protostar/css/template.css" rel="stylesheet">
</head><body><a href="/index.php?option=com_content&amp;view=article&amp;id=12&amp;Itemid=101">Bài</a>
</body></html>"""

DRUPAL = """<!DOCTYPE html><html><head><meta name="Generator" content="Drupal 9 (https://www.drupal.org)">
<title>Tin tức</title>
<script type="application/json" data-drupal-selector="drupal-settings-json">{"path":{"baseUrl":"\\/"}}</script>
<script src="/core/misc/drupal.js"></script>
</head><body><img src="/sites/default/files/2023-05/anh.jpg"></body></html>"""

NEWSPAPER = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Lễ hội hoa tam giác mạch</title><link rel="stylesheet" href="/static/css/app.css">
<script>var _cmsArticle={id:254118};</script></head><body>
<h1 class="detail-title">Lễ hội hoa tam giác mạch</h1>
<div class="detail-sapo">Lễ hội năm nay quảng bá du lịch trên nền tảng số.</div>
<img src="/uploads/2023/11/04/tam-giac-mach.jpg">
<a href="/du-lich/ha-giang-don-trieu-luot-khach-post253990.html">Tin 1</a>
<a href="/du-lich/mua-hoa-post253870.html">Tin 2</a></body></html>"""

PLAIN = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Giới thiệu</title>
<link rel="stylesheet" href="/css/style.css"></head><body><h1>Giới thiệu</h1>
<p>Sở Thông tin và Truyền thông là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh.</p>
<a href="/lien-he">Liên hệ</a></body></html>"""


@pytest.mark.parametrize(
    ("family", "url", "html"),
    [
        ("nukeviet", "https://stttt.example.gov.vn/vi/news/tin-tuc/hoi-nghi-123.html", NUKEVIET),
        ("liferay", "https://stttt.example.gov.vn/web/guest/tin-tuc", LIFERAY),
        ("aspnet", "https://stttt.example.gov.vn/Pages/tin-tuc.aspx?ItemID=12", ASPNET),
        ("dnn", "https://stttt.example.gov.vn/tabid/56/Default.aspx", DNN),
        ("wordpress", "https://so.example.gov.vn/2023/11/10/hoi-thao-du-lieu-so/", WORDPRESS),
        ("joomla", "https://stttt.example.gov.vn/index.php?option=com_content&id=12", JOOMLA),
        ("drupal", "https://stttt.example.gov.vn/node/42", DRUPAL),
    ],
)
def test_each_cms_family_is_recognised_surely(family: str, url: str, html: str) -> None:
    fp = fp1(url, html)
    assert fp.family == family, fp.to_json()
    assert fp.sure, fp.to_json()
    assert fp.confidence >= 0.8
    assert fp.evidence
    assert set(fp.scores) == set(FAMILIES)
    assert all(0.0 <= v <= 1.0 for v in fp.scores.values())


def test_evidence_reads_like_the_markup() -> None:
    ev = fp1("https://stttt.example.gov.vn/", NUKEVIET).evidence
    assert "meta generator NukeViet v4.5" in ev
    assert "js global nv_base_siteurl" in ev
    assert "path /themes/default/" in ev
    assert "footer powered by nukeviet" in ev
    wp = fp1("https://so.example.gov.vn/", WORDPRESS).evidence
    assert "meta generator WordPress 6.4.2" in wp
    asp = fp1("https://x.gov.vn/a.aspx", ASPNET).evidence
    assert "__VIEWSTATE input" in asp


def test_dnn_is_dnn_with_aspnet_second() -> None:
    fp = fp1("https://stttt.example.gov.vn/tabid/56/Default.aspx", DNN)
    assert fp.family == "dnn"
    ranked = sorted(fp.scores, key=fp.scores.get, reverse=True)
    assert ranked[:2] == ["dnn", "aspnet"]


def test_newspaper_is_moderate_never_sure() -> None:
    url = "https://baohagiang.vn/du-lich/le-hoi-hoa-tam-giac-mach-post254118.html"
    fp = fp1(url, NEWSPAPER)
    assert fp.family == "newspaper"
    assert 0.3 <= fp.confidence <= NEWSPAPER_CAP
    assert not fp.sure
    # ...even over many pages of the same site
    many = fingerprint(
        [(url.replace("254118", str(254118 + i)), NEWSPAPER, None) for i in range(6)]
    )
    assert many.family == "newspaper" and not many.sure


def test_url_shape_alone_is_not_enough() -> None:
    fp = fp1("https://baolaocai.vn/5g-khu-kinh-te-post123456.html", PLAIN)
    assert not fp.sure
    assert fp.confidence < 0.8


def test_plain_page_is_none_with_low_confidence() -> None:
    fp = fp1("https://example.gov.vn/gioi-thieu", PLAIN)
    assert fp.family is None
    assert fp.confidence < 0.3
    assert fp.evidence == ()
    assert not fp.sure
    empty = fingerprint([])
    assert empty.family is None and empty.confidence == 0.0


def test_article_about_cms_names_is_judged_by_its_markup() -> None:
    text = (
        "<p>Hội thảo so sánh WordPress, NukeViet, Joomla và Drupal. Diễn giả hướng dẫn cài "
        "wp-content/plugins, biến nv_base_siteurl, thư mục /themes/default/js/ và "
        "Drupal.settings, cổng Liferay.ThemeDisplay với p_p_id. Powered by WordPress là "
        "dòng chữ quen thuộc; xem thêm nukeviet.vn.</p>"
    )
    html = ASPNET.replace('<div class="ms-rtestate-field">Nội dung</div>', text * 3)
    fp = fp1("https://stttt.example.gov.vn/Pages/tin-tuc.aspx?ItemID=7", html)
    assert fp.family == "aspnet", fp.to_json()
    assert fp.sure
    for other in ("wordpress", "nukeviet", "drupal", "liferay", "joomla"):
        assert fp.scores[other] < 0.3, (other, fp.evidence_by_family)


@pytest.mark.parametrize(
    ("headers", "family"),
    [
        ({"set-cookie": "nv4c_Ab12c_sess=abc; path=/; HttpOnly"}, "nukeviet"),
        (
            {"set-cookie": "GUEST_LANGUAGE_ID=vi_VN; Path=/\nCOOKIE_SUPPORT=true; Path=/"},
            "liferay",
        ),
        ({"liferay-portal": "Liferay Community Edition Portal 7.4.3"}, "liferay"),
        ({"x-aspnet-version": "4.0.30319", "x-powered-by": "ASP.NET"}, "aspnet"),
        ({"microsoftsharepointteamservices": "15.0.0.4569"}, "aspnet"),
        ({"set-cookie": "ASP.NET_SessionId=x1y2; path=/; HttpOnly"}, "aspnet"),
        ({"set-cookie": ".DOTNETNUKE=ABC; path=/; HttpOnly", "x-powered-by": "ASP.NET"}, "dnn"),
        ({"x-generator": "Drupal 10 (https://www.drupal.org)"}, "drupal"),
        ({"link": '<https://x.vn/wp-json/>; rel="https://api.w.org/"'}, "wordpress"),
    ],
)
def test_headers_and_cookies_alone(headers: dict[str, str], family: str) -> None:
    fp = fp1("https://example.gov.vn/", "<html><body></body></html>", headers)
    assert fp.family == family, fp.to_json()
    assert fp.confidence >= 0.5


def test_jsessionid_alone_is_weak() -> None:
    fp = fp1("https://example.gov.vn/", "", {"set-cookie": "JSESSIONID=ABC; Path=/"})
    assert fp.family is None


def test_several_pages_raise_confidence() -> None:
    # Liferay pages with weak evidence only: a friendly URL, a theme webapp path, /web/ links.
    def page(i: int) -> tuple[str, str, None]:
        html = (
            '<html><head><link rel="stylesheet" href="/vnpt-eportal-theme/css/main.css"></head>'
            f'<body><a href="/web/stttt/tin-tuc/-/details/tin-{i}-{1000 + i}">Tin {i}</a>'
            f'<a href="/web/stttt/tin-tuc/-/details/tin-{i + 1}-{1001 + i}">Tin</a></body></html>'
        )
        return (f"https://stttt.example.gov.vn/web/stttt/tin-tuc/-/details/tin-{i}", html, None)

    one = fingerprint([page(1)])
    three = fingerprint([page(1), page(2), page(3)])
    assert one.family == three.family == "liferay"
    assert three.confidence > one.confidence
    assert three.pages == 3
    # and a strong page joined to weak ones makes the site sure
    assert fingerprint([page(1), ("https://stttt.example.gov.vn/", LIFERAY, None)]).sure


def test_conflicting_evidence_is_not_sure() -> None:
    html = LIFERAY.replace("</head>", '<script>var nv_base_siteurl="/";</script></head>')
    html = html.replace("<title>", '<meta name="generator" content="NukeViet v4.4"><title>')
    fp = fp1("https://x.gov.vn/", html)
    assert not fp.sure


def test_fingerprint_is_frozen_and_serialisable() -> None:
    fp = fp1("https://stttt.example.gov.vn/", NUKEVIET)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fp.family = "wordpress"  # type: ignore[misc]
    data = json.loads(json.dumps(fp.to_json()))
    assert data["family"] == "nukeviet"
    assert data["sure"] is True
    assert set(data["scores"]) == set(FAMILIES)
    assert data["evidence"] == list(fp.evidence)


def test_headers_may_be_none_and_html_empty() -> None:
    assert fingerprint([("", "", None)]).family is None


def test_fast_on_a_100kb_page() -> None:
    # Target: about 2 ms per 100 KB page on an idle machine; the bound here is loose so a busy
    # CI runner does not fail it.
    body = (
        '<div class="item"><h3><a href="/vi/news/tin-tuc/bai-viet-so-{i}-{i}.html" title="Bài {i}">'
        "Sở Thông tin và Truyền thông tổ chức hội nghị chuyển đổi số lần {i}</a></h3>"
        '<img src="/uploads/news/2024_01/anh-{i}.jpg" alt="Ảnh {i}"><p>Nội dung tóm tắt của bài '
        "viết về chính quyền số, kinh tế số và xã hội số tại địa phương.</p></div>"
    )
    html = NUKEVIET.replace(
        '<div class="news_column">', "".join(body.format(i=i) for i in range(300))
    )
    html = html[:100_000]
    fingerprint([("https://x/", html, None)])
    n = 20
    start = time.perf_counter()
    for _ in range(n):
        fp = fingerprint([("https://x/", html, None)])
    per_page = (time.perf_counter() - start) / n
    assert fp.family == "nukeviet"
    assert per_page < 0.02, f"{per_page * 1000:.1f} ms per page"


# ---- golden pages and demo fixtures ---------------------------------------------------------

GOLDEN_FAMILY = {"nukeviet3": "nukeviet"}
# DNN is an ASP.NET CMS: a page in the aspnet folder that is detected as DNN is a match.
COMPATIBLE = {"aspnet": {"aspnet", "dnn"}}


def _golden_pages() -> list[Path]:
    return sorted(GOLDEN.glob("*/*.html"))


@pytest.mark.parametrize("path", _golden_pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_page_family(path: Path) -> None:
    want = GOLDEN_FAMILY.get(path.parent.name, path.parent.name)
    meta = path.with_suffix(".json")
    url = json.loads(meta.read_text("utf-8")).get("url", "") if meta.exists() else ""
    fp = fp1(url, path.read_text("utf-8"))
    if fp.family is None:
        pytest.skip("the reconstructed page carries no CMS evidence")
    assert fp.family in COMPATIBLE.get(want, {want}), fp.to_json()
    if want == "newspaper":
        assert not fp.sure


def test_golden_hit_rate() -> None:
    pages = _golden_pages()
    if not pages:
        pytest.skip("no golden pages")
    hits = 0
    for path in pages:
        want = GOLDEN_FAMILY.get(path.parent.name, path.parent.name)
        meta = path.with_suffix(".json")
        url = json.loads(meta.read_text("utf-8")).get("url", "") if meta.exists() else ""
        hits += fp1(url, path.read_text("utf-8")).family in COMPATIBLE.get(want, {want})
    assert hits / len(pages) >= 0.9, f"{hits}/{len(pages)}"


# Demo fixtures: recorded pages of the offline demo portal. Its shared page chrome carries a
# NukeViet theme path and `nv_base_siteurl` on every site, so only sites whose own CMS evidence
# outweighs that are checked (the newspaper reconstruction, backan, has none that strong).
DEMO_SITES = {
    "dienbien": "nukeviet",
    "bacninh": "liferay",
    "mic_units": "liferay",
    "phutho": "aspnet",
}


@pytest.mark.parametrize("site", sorted(DEMO_SITES))
def test_demo_fixture_pages(site: str) -> None:
    meta_path = FIXTURES / site / "meta.json"
    if not meta_path.exists():
        pytest.skip("no fixtures")
    meta = json.loads(meta_path.read_text("utf-8"))
    pages = []
    for item in meta["listings"] + meta["articles"]:
        body = gzip.decompress((FIXTURES / site / item["file"]).read_bytes())
        html = decode_html(body)[0]  # raw bytes: some fixtures are in legacy encodings
        pages.append((item["url"], html, None))
    for page in pages:
        assert fp1(*page).family == DEMO_SITES[site], page[0]
    assert fingerprint(pages).family == DEMO_SITES[site]
