"""Page templates of the demo portal, one renderer per CMS family.

Each renderer reproduces the *shapes* documented for its family (markup classes, URL schemes, date
formats, chrome): banners, menus, breadcrumbs, sidebars with visitor counters, share bars, related
lists, footers, scripts. Real-world oddities are kept on purpose (NukeViet's unclosed pagination
<li>, its broken RSS pubDate, image file names printed as text, captions printed twice).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from crawler.demo.portal import DemoSite, published

# (content type, body or a function that renders it)
Route = tuple[str, bytes | Callable[[], bytes]]
HTML = "text/html; charset=utf-8"

WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
EN_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def esc(value: str | None) -> str:
    return html.escape(value or "", quote=True)


def slug_of(text: str) -> str:
    import re
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class FamilyRenderer:
    """Chrome shared by the government-portal families; subclasses fill in the CMS specifics."""

    generator = ""
    menu = (
        "Trang chủ",
        "Giới thiệu",
        "Tin tức - Sự kiện",
        "Văn bản",
        "Thủ tục hành chính",
        "Liên hệ",
    )

    def __init__(self, site: DemoSite) -> None:
        self.site = site
        self.pages = site.pages()

    # ---- URLs -------------------------------------------------------------------------------
    def article_path(self, a: dict[str, Any]) -> str:
        raise NotImplementedError

    def listing_path(self, page: int) -> str:
        raise NotImplementedError

    def extra_paths(self) -> dict[str, str]:
        """Non-article pages linked from the menu: intro, contact, document list."""
        return {"Giới thiệu": "/gioi-thieu", "Văn bản": "/van-ban", "Liên hệ": "/lien-he"}

    # ---- chrome -----------------------------------------------------------------------------
    def head(self, title: str, extra: str = "") -> str:
        return (
            "<!DOCTYPE html>\n<!-- Offline RECONSTRUCTION of a real portal's page shapes, for tests. -->\n"
            f'<html lang="vi"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<meta name="generator" content="{esc(self.generator)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="stylesheet" href="/themes/default/css/style.css">'
            f"{extra}<script>var nv_base_siteurl='/';window.dataLayer=window.dataLayer||[];</script>"
            "</head>"
        )

    def header(self) -> str:
        links = []
        extra = self.extra_paths()
        for label in self.menu:
            href = "/" if label == "Trang chủ" else extra.get(label, self.listing_path(1))
            links.append(f'<li><a href="{href}">{esc(label)}</a></li>')
        return (
            '<div id="header"><div class="banner"><a href="/"><img src="/uploads/banner.jpg" '
            f'alt="banner"></a><span class="site-name">{esc(self.site.portal_name)}</span></div>'
            '<div class="top-links"><a href="/">Trang chủ</a> | <a href="/sitemap">Sơ đồ cổng</a> | '
            '<a href="/en/">English</a></div></div>'
            f'<nav id="menu-site-default" class="menu navbar"><ul class="nav">{"".join(links)}</ul></nav>'
        )

    def sidebar(self) -> str:
        latest = "".join(
            f'<li><a href="{self.article_path(a)}">{esc(a["title"])}</a></li>'
            for a in self.site.newest_first[:4]
        )
        return (
            '<aside class="sidebar col-right">'
            '<div class="block"><h3 class="block-title">Tin mới nhất</h3>'
            f'<ul class="list-news-new">{latest}</ul></div>'
            '<div class="block"><h3 class="block-title">Liên kết website</h3><select class="weblink">'
            "<option>Cổng thông tin điện tử Chính phủ</option><option>Bộ Thông tin và Truyền thông</option>"
            "</select></div>"
            '<div class="block"><a href="https://dichvucong.gov.vn"><img src="/uploads/icon-dvc.png" '
            'alt="icon"> Cổng dịch vụ công Quốc gia</a></div>'
            '<div class="block counter"><h3 class="block-title">Thống kê truy cập</h3>'
            "<p>Đang truy cập: 27</p><p>Hôm nay: 1.024</p><p>Tổng lượt truy cập: 3.456.789</p></div>"
            "</aside>"
        )

    def footer(self) -> str:
        return (
            '<footer id="footer"><div class="footer-info">'
            f"<p><strong>{esc(self.site.portal_name.upper())}</strong></p>"
            f"<p>Địa chỉ: {esc(self.site.address)}</p>"
            "<p>Điện thoại: 0210.3846.668 - Email: stttt@example.gov.vn</p>"
            "<p>Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp. "
            "Chịu trách nhiệm chính: Giám đốc Sở.</p>"
            "<p>Ghi rõ nguồn khi phát hành lại thông tin từ cổng thông tin điện tử này.</p>"
            '</div><a href="#" class="back-to-top">Top</a></footer>'
            '<script src="/js/jquery.min.js"></script>'
            "<script>$(function(){console.log('ready')});</script>"
        )

    def page(
        self, title: str, main: str, *, head_extra: str = "", crumbs: list[tuple[str, str]] = ()
    ) -> bytes:
        crumb = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for h, t in crumbs)
        return (
            f"{self.head(title, head_extra)}<body>{self.header()}"
            f'<div class="container"><ul class="breadcrumbs breadcrumb"><li><a href="/">Trang chủ</a></li>{crumb}</ul>'
            f'<div class="row"><div class="col-main">{main}</div>{self.sidebar()}</div></div>'
            f"{self.footer()}</body></html>"
        ).encode()

    def share_bar(self) -> str:
        return (
            '<div class="share-tools social"><a class="print" href="#" onclick="window.print()">In bài</a>'
            '<a href="#">Gửi email</a><a href="https://www.facebook.com/sharer">Chia sẻ</a>'
            '<span class="font-size">Cỡ chữ: <a href="#">A-</a><a href="#">A+</a></span></div>'
        )

    def related(self, a: dict[str, Any], heading: str = "Tin liên quan") -> str:
        others = [o for o in self.site.newest_first if o["id"] != a["id"]][:3]
        items = "".join(
            f'<li><a href="{self.article_path(o)}">{esc(o["title"])}</a></li>' for o in others
        )
        return f'<div class="related-news"><h3>{esc(heading)}</h3><ul>{items}</ul></div>'

    # ---- article body -----------------------------------------------------------------------
    def image_html(self, block: dict[str, Any]) -> str:
        """CKEditor's usual output: image alone in a centred paragraph, italic caption below."""
        src = block["img"]
        name = src.rsplit("/", 1)[-1]
        visible = f"<br>{esc(name)}" if block.get("filename_visible") else ""
        out = f'<p style="text-align: center;"><img alt="{esc(name)}" src="{esc(src)}" width="600">{visible}</p>'
        if block.get("caption"):
            out += f'<p style="text-align: center;"><em>{esc(block["caption"])}</em></p>'
        return out

    def body_html(self, a: dict[str, Any]) -> str:
        parts = []
        for block in a["blocks"]:
            if "p" in block:
                parts.append(f'<p style="text-align: justify;">{esc(block["p"])}</p>')
            else:
                parts.append(self.image_html(block))
        return "".join(parts)

    def lead_text(self, a: dict[str, Any]) -> str:
        return (a.get("lead_prefix") or "") + a["lead"]

    # ---- pages ------------------------------------------------------------------------------
    def home(self) -> bytes:
        items = "".join(
            f'<li><a href="{self.article_path(a)}">{esc(a["title"])}</a></li>'
            for a in self.site.newest_first[:5]
        )
        main = (
            '<div class="home-hot"><h2><a href="'
            + self.listing_path(1)
            + '">Tin tức - Sự kiện</a></h2>'
            f"<ul>{items}</ul></div>"
        )
        return self.page(self.site.portal_name, main)

    def static_page(self, label: str) -> bytes:
        if label == "Văn bản":
            rows = "".join(
                f"<tr><td>{n}/QĐ-STTTT</td><td>Quyết định ban hành quy chế số {n}</td>"
                f'<td><a href="/uploads/vanban/qd-{n}.pdf">Tải về</a></td></tr>'
                for n in (12, 27, 45, 63, 88)
            )
            main = f'<h1 class="page-title">Văn bản</h1><table class="doc-list">{rows}</table>'
        elif label == "Liên hệ":
            main = (
                '<h1 class="page-title">Liên hệ</h1>'
                f"<p>Địa chỉ: {esc(self.site.address)}</p><p>Điện thoại: 0210.3846.668</p>"
                '<form action="/lien-he" method="post"><input name="email"><textarea name="noi-dung">'
                "</textarea><button>Gửi</button></form>"
            )
        else:
            main = (
                '<h1 class="page-title">Giới thiệu</h1>'
                f"<p>{esc(self.site.portal_name)} là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, "
                "tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về báo chí; xuất bản, in, phát hành; "
                "phát thanh, truyền hình; thông tin điện tử; thông tin đối ngoại; thông tin cơ sở; bưu chính; "
                "viễn thông; tần số vô tuyến điện; công nghiệp công nghệ thông tin; ứng dụng công nghệ thông tin; "
                "an toàn thông tin mạng; giao dịch điện tử và chuyển đổi số.</p>"
                "<p>Cơ cấu tổ chức gồm Ban Giám đốc, Văn phòng, Thanh tra, các phòng chuyên môn và Trung tâm "
                "Công nghệ thông tin và Truyền thông trực thuộc.</p>"
            )
        return self.page(label, main, crumbs=[(self.extra_paths()[label], label)])

    def robots(self) -> bytes:
        lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search"]
        sitemap = self.sitemap_path()
        if sitemap:
            lines.append(f"Sitemap: {{base}}{sitemap}")
        return ("\n".join(lines) + "\n").encode("utf-8")

    def sitemap_path(self) -> str | None:
        return None

    def routes(self) -> dict[str, Route]:
        """Every path the site answers: (content type, body or a function rendering it on
        request, so that a portal of thousands of articles starts at once). {base} in a body is
        replaced by the served origin."""
        routes: dict[str, Route] = {
            "/": (HTML, self.home),
            "/robots.txt": ("text/plain", self.robots),
        }
        for label, path in self.extra_paths().items():
            routes[path] = (HTML, partial(self.static_page, label))
        for n in range(1, len(self.pages) + 1):
            routes[self.listing_path(n)] = (HTML, partial(self.listing, n))
        for a in self.site.articles:
            routes[self.article_path(a)] = (HTML, partial(self.article, a))
        routes.update(self.feeds())
        return routes

    def feeds(self) -> dict[str, Route]:
        return {}

    def listing(self, n: int) -> bytes:
        raise NotImplementedError

    def article(self, a: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def pager(self, n: int, *, cls: str = "pagination", prev: str = "«", nxt: str = "»") -> str:
        total = len(self.pages)
        items = []
        if n > 1:
            items.append(f'<li><a href="{self.listing_path(n - 1)}" rel="prev">{prev}</a></li>')
        for i in range(1, total + 1):
            if i == n:
                items.append(f'<li class="active"><a>{i}</a></li>')
            else:
                items.append(f'<li><a href="{self.listing_path(i)}">{i}</a></li>')
        if n < total:
            items.append(f'<li><a href="{self.listing_path(n + 1)}" rel="next">{nxt}</a></li>')
        return f'<ul class="{cls}">{"".join(items)}</ul>'


class NukeVietRenderer(FamilyRenderer):
    """NukeViet 4 'news' module, theme default (Điện Biên)."""

    generator = "NukeViet v4.0"
    category_slug = "tin-hoat-dong"

    def article_path(self, a: dict[str, Any]) -> str:
        return f"/vi/news/{slug_of(a['category'])}/{a['slug']}-{a['id']}.html"

    def listing_path(self, page: int) -> str:
        return "/vi/news/" if page == 1 else f"/vi/news/page-{page}/"

    def extra_paths(self) -> dict[str, str]:
        return {
            "Giới thiệu": "/vi/about/gioi-thieu.html",
            "Văn bản": "/vi/laws/",
            "Liên hệ": "/vi/contact/",
        }

    def pager(self, n: int, **kw: Any) -> str:
        # NukeViet leaves the active <li> unclosed when there are few pages.
        html_ = super().pager(n, nxt="›", prev="‹")
        return html_.replace(
            f'<li class="active"><a>{n}</a></li>', f'<li class="active"><a>{n}</a>'
        )

    def listing(self, n: int) -> bytes:
        cols = []
        for a in self.pages[n - 1]:
            when = published(a).strftime("%d/%m/%Y %H:%M")
            img = f'<a href="{self.article_path(a)}" title="{esc(a["title"])}"><img src="/assets/news/{a["id"]}.jpg" alt="{esc(a["title"])}"></a>'
            cols.append(
                '<div class="news_column panel panel-default"><div class="panel-body">'
                f'{img}<h3><a href="{self.article_path(a)}" title="{esc(a["title"])}">{esc(a["title"])}</a></h3>'
                '<div class="text-muted"><ul class="list-unstyled list-inline">'
                f'<li><em class="fa fa-clock-o">&nbsp;</em> {when}</li>'
                f'<li><em class="fa fa-eye">&nbsp;</em> Đã xem: {a.get("views", 0)}</li></ul></div>'
                f"<p>{esc(a['lead'][:160])}…</p></div></div>"
            )
        main = "".join(cols) + f'<div class="text-center">{self.pager(n)}</div>'
        return self.page(
            "Tin Tức",
            main,
            crumbs=[("/vi/news/", "Tin Tức")],
            head_extra='<link rel="alternate" type="application/rss+xml" href="/vi/news/rss/">',
        )

    def body_html(self, a: dict[str, Any]) -> str:
        if not a.get("inline_body"):
            return super().body_html(a)
        # An old article pasted as one run of text, the image and its caption inline.
        parts = []
        for block in a["blocks"]:
            if "p" in block:
                parts.append(esc(block["p"]))
            else:
                parts.append(
                    f'<img alt="{esc(block["img"])}" src="{esc(block["img"])}" width="500"><br>'
                    f"<em>{esc(block.get('caption'))}</em>"
                )
        return f'<div style="text-align: justify;">{" ".join(parts)}</div>'

    def article(self, a: dict[str, Any]) -> bytes:
        pub = published(a)
        when = f"{WEEKDAYS[pub.weekday()]} - {pub.strftime('%d/%m/%Y %H:%M')}"
        lead_img = ""
        if a.get("lead_image"):
            li = a["lead_image"]
            cap = esc(li.get("caption"))
            lead_img = (
                f'<figure class="article left pointer"><a href="{esc(li["img"])}" title="{cap}">'
                f'<img alt="{cap}" src="{esc(li["img"])}" width="200"></a><figcaption>{cap}</figcaption></figure>'
            )
        signature = ""
        if a.get("author_role"):
            signature = (
                f'<p style="text-align: right;"><strong>{esc(a["author"])}</strong><br>'
                f"<em>{esc(a['author_role'])}</em></p>"
            )
        after = ""
        if a.get("author") and not a.get("author_role"):
            after += f'<p class="h5 text-right"><strong>Tác giả: </strong>{esc(a["author"])}</p>'
        if a.get("source"):
            after += f'<p class="h5 text-right"><strong>Nguồn tin: </strong>{esc(a["source"])}</p>'
        tags = "".join(
            f'<a href="/vi/news/tag/{slug_of(t)}">{esc(t)}</a> ' for t in a.get("tags", [])
        )
        ordered = self.site.newest_first
        at = next(i for i, o in enumerate(ordered) if o["id"] == a["id"])
        older, newer = ordered[at + 1 : at + 4], ordered[max(0, at - 3) : at]

        def rel(items: list[dict[str, Any]]) -> str:
            return "".join(
                f'<li><h4><a href="{self.article_path(o)}">{esc(o["title"])}</a>'
                f" <em>({published(o).strftime('%d/%m/%Y')})</em></h4></li>"
                for o in items
            )

        main = (
            '<div class="news-detail panel panel-default"><div class="panel-body">'
            f'<h1 class="title margin-bottom-lg" itemprop="headline">{esc(a["title"])}</h1>'
            '<div class="row margin-bottom-lg"><div class="col-md-12">'
            f'<span class="h5">{when}</span></div></div>'
            '<div class="news-detail-player"><audio controls src="/uploads/voice/1.mp3"></audio>'
            "<span>0:00 / 0:00</span></div>"
            f'<div class="clearfix">{lead_img}<div class="hometext m-bottom" itemprop="description">'
            f"{esc(self.lead_text(a))}</div></div>"
            f'<div id="news-bodyhtml" class="bodytext margin-bottom-lg">{self.body_html(a)}{signature}</div>'
            f'<div class="margin-bottom-lg">{after}</div>'
            f'<div class="keywords"><em class="fa fa-tags"></em> Từ khóa: {tags}</div>'
            f"{self.share_bar()}</div></div>"
            f'<div class="news-detail other-news"><p class="h3"><strong>Những tin mới hơn</strong></p>'
            f'<ul class="related">{rel(newer)}</ul>'
            f'<p class="h3"><strong>Những tin cũ hơn</strong></p><ul class="related">{rel(older)}</ul></div>'
            '<div id="timeoutsess" class="chromeframe">Bạn đã không sử dụng Site, '
            '<a onclick="timeoutsesscancel();" href="#">Bấm vào đây để duy trì trạng thái đăng nhập</a>. '
            'Thời gian chờ: <span id="secField"> 60 </span> giây</div>'
        )
        cat = a["category"]
        return self.page(
            a["title"],
            main,
            crumbs=[("/vi/news/", "Tin Tức"), (f"/vi/news/{slug_of(cat)}/", cat)],
            head_extra=(
                f'<meta name="description" content="{esc(a["lead"][:150])}">'
                f'<meta property="og:title" content="{esc(a["title"])}">'
                # NukeViet's own malformed timestamp ("…+0708:42:50"): offset glued to the time.
                f'<meta name="article:published_time" content="{pub.strftime("%Y-%m-%d")}+07{pub.strftime("%H:%M:%S")}">'
            ),
        )

    def feeds(self) -> dict[str, Route]:
        items = []
        for a in self.site.newest_first:
            gmt = published(a) - timedelta(hours=7)
            # NukeViet 3.4–4.5 bug: gmdate('D, j M Y H:m:s') puts the month where minutes belong.
            pub = (
                gmt.strftime("%a, ")
                + f"{gmt.day} "
                + gmt.strftime("%b %Y %H:")
                + gmt.strftime("%m:%S")
                + " GMT"
            )
            items.append(
                f"<item><title>{esc(a['title'])}</title><link>{{base}}{self.article_path(a)}</link>"
                f'<guid isPermaLink="false">{a["id"]}</guid><description>{esc(a["lead"][:200])}</description>'
                f"<pubDate>{pub}</pubDate></item>"
            )
        rss = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{esc(self.site.portal_name)}</title><link>{{base}}/</link>"
            f"<description>Tin Tức</description>{''.join(items)}</channel></rss>"
        )
        return {"/vi/news/rss/": ("application/rss+xml; charset=utf-8", rss.encode("utf-8"))}


class LiferayRenderer(FamilyRenderer):
    """Liferay portal; `variant` 'bkav' (BKAV eGov asset publisher) or 'vnpt' (VNPT eportal)."""

    generator = "Liferay Portal"

    def __init__(self, site: DemoSite, variant: str) -> None:
        super().__init__(site)
        self.variant = variant
        self.section = (
            "/web/guest/tin-tuc-su-kien" if variant == "bkav" else "/web/guest/tin-dia-phuong"
        )
        self.portlet = (
            "101_INSTANCE_AbC123dEf"
            if variant == "bkav"
            else "dsnews_WAR_vnpteportalnewsportlet_INSTANCE_x9Yz"
        )

    def article_path(self, a: dict[str, Any]) -> str:
        if self.variant == "bkav":
            return f"{self.section}/-/asset_publisher/AbC123dEf/content/{a['slug']}"
        return f"/-/details/{slug_of(a['category'])}/{a['slug']}-{a['id']}"

    def listing_path(self, page: int) -> str:
        if page == 1:
            return self.section
        return (
            f"{self.section}?p_p_id={self.portlet}&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
            f"&_{self.portlet}_cur={page}"
        )

    def extra_paths(self) -> dict[str, str]:
        return {
            "Giới thiệu": "/web/guest/gioi-thieu",
            "Văn bản": "/web/guest/van-ban",
            "Liên hệ": "/web/guest/lien-he",
        }

    def listing(self, n: int) -> bytes:
        rows = []
        for a in self.pages[n - 1]:
            href = self.article_path(a)
            if self.variant == "bkav":
                # Liferay appends portlet state to asset links.
                href += "?redirect=%2Fweb%2Fguest%2Ftin-tuc-su-kien&inheritRedirect=true"
                rows.append(
                    '<div class="asset-abstract"><div class="asset-content-wrap">'
                    f'<h3 class="asset-title"><a href="{esc(href)}">{esc(a["title"])}</a></h3>'
                    f'<span class="metadata-entry metadata-publish-date date">{published(a).strftime("%d/%m/%Y")}</span>'
                    f'<div class="asset-summary">{esc(a["lead"][:180])}…</div></div></div>'
                )
            else:
                rows.append(
                    '<div class="news-item row"><a class="thumb" href="'
                    + esc(href)
                    + '"><img src="/documents/thumb/'
                    f'{a["id"]}.jpg" alt=""></a><h4><a href="{esc(href)}">{esc(a["title"])}</a></h4>'
                    f'<span class="date">({published(a).strftime("%d/%m/%Y %H:%M")})</span></div>'
                )
        pager = (
            '<div class="taglib-page-iterator"><ul class="pager lfr-pagination-buttons">'
            + (f'<li><a href="{esc(self.listing_path(n - 1))}">Trước</a></li>' if n > 1 else "")
            + (
                f'<li><a href="{esc(self.listing_path(n + 1))}">Sau</a></li>'
                if n < len(self.pages)
                else ""
            )
            + f"</ul><small>Trang {n} / {len(self.pages)}</small></div>"
        )
        title = "Tin tức - Sự kiện" if self.variant == "bkav" else "Tin địa phương"
        main = (
            f'<section class="portlet"><header class="portlet-topper"><h2 class="portlet-title">'
            f'<span class="portlet-title-text">{title}</span></h2></header>'
            f'<div class="portlet-content">{"".join(rows)}{pager}</div></section>'
        )
        return self.page(title, main, crumbs=[(self.section, title)])

    def article(self, a: dict[str, Any]) -> bytes:
        pub = published(a)
        byline = ""
        if a.get("author"):
            byline = f'<p style="text-align: right;"><strong>{esc(a["author"])}</strong></p>'
        source = f"<p><em>Nguồn: {esc(a['source'])}</em></p>" if a.get("source") else ""
        canonical = f'<link rel="canonical" href="{{base}}{self.article_path(a)}">'
        if self.variant == "bkav":
            main = (
                '<div class="asset_publisher_view_full_content">'
                f'<div class="asset_title">{esc(a["title"])}</div>'
                f'<div class="asset-meta"><span class="assetPublishDate">{pub.strftime("%d/%m/%Y %H:%M")} '
                f'<span class="view-count">Số lượt xem: {a.get("views", 0)}</span></span></div>'
                f"{self.share_bar()}"
                f'<div class="asset-desc"><span class="assetdesc-text">{esc(self.lead_text(a))}</span></div>'
                f'<div class="asset-content">{self.body_html(a)}{byline}{source}</div>'
                '<div class="taglib-ratings"><span>Đánh giá: </span><a href="#">★★★★☆</a></div>'
                f"</div>{self.related(a, 'Tin khác')}"
            )
        else:
            when = f"{WEEKDAYS[pub.weekday()]}, {pub.strftime('%d/%m/%Y %H:%M')}"
            main = (
                f'<div class="news-detail"><h1 class="title">{esc(a["title"])}</h1>'
                f'<div class="date">{when}</div>'
                f'<div class="desc"><strong>{esc(self.lead_text(a))}</strong></div>'
                f'<div class="content">{self.body_html(a)}{byline}{source}</div></div>'
                f"{self.share_bar()}{self.related(a)}"
                '<div class="footer-cards">'
                '<div class="card"><img src="/images/banner-dvc.png" alt="banner"><p>banner</p>'
                "<p>Cổng dịch vụ công<br>Quốc Gia</p><p>Những thông tin thủ tục hành chính<br>khai báo online tại đây</p>"
                '<a href="https://dichvucong.gov.vn">Xem chi tiết <img src="/images/i.png" alt="icon"></a></div>'
                "<p>Cổng thông tin điện tử của các đơn vị thuộc Bộ</p><p>Doanh nghiệp</p></div>"
            )
        tags = "".join(f'<a href="/tag/{slug_of(t)}">{esc(t)}</a>' for t in a.get("tags", []))
        if tags:
            main += f'<div class="taglib-asset-tags-summary">{tags}</div>'
        return self.page(
            a["title"], main, head_extra=canonical, crumbs=[(self.section, a["category"])]
        )


class AspNetRenderer(FamilyRenderer):
    """SharePoint-era ASP.NET portal (Phú Thọ): no date on the article page, only in listings."""

    generator = "Microsoft SharePoint"

    def article_path(self, a: dict[str, Any]) -> str:
        return f"/Pages/tin-tuc.aspx?ItemID={a['id']}&cm=tin-hoat-dong"

    def listing_path(self, page: int) -> str:
        base = "/Pages/ChuyenMuc.aspx?cm=tin-hoat-dong"
        return base if page == 1 else f"{base}&page={page}"

    def extra_paths(self) -> dict[str, str]:
        return {
            "Giới thiệu": "/Pages/GioiThieu.aspx",
            "Văn bản": "/Pages/VanBan.aspx",
            "Liên hệ": "/Pages/LienHe.aspx",
        }

    def image_html(self, block: dict[str, Any]) -> str:
        cap = (
            f'<tr><td class="caption"><em>{esc(block["caption"])}</em></td></tr>'
            if block.get("caption")
            else ""
        )
        return (
            '<table class="image-table" align="center" cellpadding="2"><tr><td>'
            f'<img src="{esc(block["img"])}" alt="" border="0"></td></tr>{cap}</table>'
        )

    def listing(self, n: int) -> bytes:
        rows = "".join(
            '<div class="news-item"><img src="/PublishingImages/thumb/'
            + str(a["id"])
            + '.jpg" alt="">'
            f'<a class="title" href="{esc(self.article_path(a))}">{esc(a["title"])}</a>'
            f'<span class="date">{published(a).strftime("%d/%m/%Y")}</span>'
            f'<p class="summary">{esc(a["lead"][:200])}</p></div>'
            for a in self.pages[n - 1]
        )
        links = "".join(
            f'<a href="{esc(self.listing_path(i))}">{i}</a> ' if i != n else f"<span>{i}</span> "
            for i in range(1, len(self.pages) + 1)
        )
        if n < len(self.pages):
            links += f'<a href="{esc(self.listing_path(n + 1))}">Trang sau</a>'
        main = (
            '<div class="ms-webpart-zone"><h2><span id="ctl00_PlaceHolderMain_lblCategoryName">Tin hoạt động'
            f'</span></h2>{rows}<div class="paging">{links}</div></div>'
        )
        return self.page("Tin hoạt động", main, crumbs=[(self.listing_path(1), "Tin hoạt động")])

    def article(self, a: dict[str, Any]) -> bytes:
        author = ""
        if a.get("author"):
            author = f'<div class="author-line"><span id="ctl00_PlaceHolderMain_lblAuthor">{esc(a["author"])}</span></div>'
        main = (
            '<div id="divArticle" class="article-detail">'
            f'<div id="divArticleDescription3"><h1>{esc(a["title"])}</h1></div>'
            f"{self.share_bar()}"
            f'<div id="divArticleDescription1"><strong>{esc(self.lead_text(a))}</strong></div>'
            f'<div id="divArticleDescription2">{self.body_html(a)}</div>{author}'
            f"</div>{self.related(a, 'Các tin khác')}"
        )
        return self.page(a["title"], main, crumbs=[(self.listing_path(1), "Tin hoạt động")])


class NewspaperRenderer(FamilyRenderer):
    """Provincial newspaper (Báo Bắc Kạn): kicker, sapo, audio player, figure captions, sitemap."""

    generator = "Báo điện tử CMS"
    menu = ("Trang chủ", "Thời sự", "Chuyển đổi số", "Kinh tế", "Xã hội", "Liên hệ")

    def article_path(self, a: dict[str, Any]) -> str:
        return f"/{a['slug']}-post{a['id']}.html"

    def listing_path(self, page: int) -> str:
        return "/chuyen-doi-so/" if page == 1 else f"/chuyen-doi-so/trang-{page}.html"

    def extra_paths(self) -> dict[str, str]:
        return {
            "Liên hệ": "/lien-he.html",
            "Giới thiệu": "/gioi-thieu.html",
            "Văn bản": "/van-ban.html",
        }

    def image_html(self, block: dict[str, Any]) -> str:
        cap = block.get("caption")
        # The CMS stores "<caption> ảnh N" as alt text; the figcaption holds the caption alone.
        alt = f"{cap} ảnh 1" if cap else ""
        figcap = f"<figcaption><p>{esc(cap)}</p></figcaption>" if cap else ""
        return f'<figure class="image align-center"><img src="{esc(block["img"])}" alt="{esc(alt)}">{figcap}</figure>'

    def listing(self, n: int) -> bytes:
        rows = "".join(
            '<article class="story">'
            f'<a class="story-thumb" href="{self.article_path(a)}"><img src="/images/{a["id"]}.jpg" alt=""></a>'
            f'<h3 class="story-heading"><a href="{self.article_path(a)}">{esc(a["title"])}</a></h3>'
            f'<time datetime="{published(a).isoformat()}+07:00">{published(a).strftime("%d/%m/%Y")}</time>'
            f'<p class="story-summary">{esc(a["lead"][:160])}</p></article>'
            for a in self.pages[n - 1]
        )
        main = (
            f'<h1 class="category-title">Chuyển đổi số</h1><div class="story-list">{rows}</div>'
            f'<div class="pagination-wrap">{self.pager(n, cls="pagination")}</div>'
        )
        return self.page(
            "Chuyển đổi số - Báo Bắc Kạn", main, crumbs=[("/chuyen-doi-so/", "Chuyển đổi số")]
        )

    def article(self, a: dict[str, Any]) -> bytes:
        pub = published(a)
        iso = pub.strftime("%Y-%m-%dT%H:%M:%S") + "+0700"
        kicker = f'<div class="article-kicker">{esc(a["kicker"])}</div>' if a.get("kicker") else ""
        author = ""
        if a.get("author"):
            author = f'<p class="article-author" style="text-align: right;"><strong>{esc(a["author"])}</strong></p>'
        tags = "".join(f'<a href="/tag/{slug_of(t)}.html">{esc(t)}</a>' for t in a.get("tags", []))
        main = (
            '<article class="article">'
            f'<div class="article-category"><a href="/chuyen-doi-so/">{esc(a["category"])}</a></div>'
            f'{kicker}<h1 class="article-title">{esc(a["title"])}</h1>'
            f'<div class="article-meta"><span class="article-date">{WEEKDAYS[pub.weekday()]}, '
            f"{pub.strftime('%d/%m/%Y')} | {pub.strftime('%H:%M')}</span>{self.share_bar()}</div>"
            '<div class="article-audio audio-player"><audio src="/audio/a.mp3"></audio>'
            '<span class="time">0:00 / 0:00</span><span class="duration">0:00</span></div>'
            f'<div class="article-sapo"><p>{esc(self.lead_text(a))}</p></div>'
            f'<div class="article-body">{self.body_html(a)}</div>{author}'
            f'<div class="article-tags">{tags}</div>'
            f'<a class="view-more" href="/chuyen-doi-so/">Xem thêm</a>'
            f"{self.related(a, 'Tin cùng chuyên mục')}</article>"
        )
        ld = (
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":{_json(a["title"])},"datePublished":"{iso}"'
            + (f',"dateModified":"{a["modified"]}:00+0700"' if a.get("modified") else "")
            + "}</script>"
        )
        head = (
            f'<meta property="og:type" content="article"><meta property="og:title" content="{esc(a["title"])}">'
            f'<meta property="article:published_time" content="{iso}">'
            f'<link rel="canonical" href="{{base}}{self.article_path(a)}">{ld}'
        )
        return self.page(
            a["title"], main, head_extra=head, crumbs=[("/chuyen-doi-so/", a["category"])]
        )

    def sitemap_path(self) -> str | None:
        return "/sitemap.xml"

    def feeds(self) -> dict[str, Route]:
        urls = "".join(
            f"<url><loc>{{base}}{self.article_path(a)}</loc><lastmod>{a['published']}:00+07:00</lastmod></url>"
            for a in self.site.newest_first
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return {"/sitemap.xml": ("application/xml", xml.encode("utf-8"))}


def _json(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def renderer_for(site: DemoSite) -> FamilyRenderer:
    if site.family == "nukeviet":
        return NukeVietRenderer(site)
    if site.family.startswith("liferay-"):
        return LiferayRenderer(site, site.family.split("-", 1)[1])
    if site.family == "aspnet":
        return AspNetRenderer(site)
    if site.family == "newspaper":
        return NewspaperRenderer(site)
    raise ValueError(f"unknown family {site.family!r}")
