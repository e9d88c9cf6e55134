"""Local portals of "standard installs", one per CMS family, for the family spiders.

Each portal has a home page with a menu, two news categories of two listing pages each, twelve
articles with their gold (title, published_at, text start), chrome (menus, sidebars, footers,
related lists with dates) and some non-news pages. None of the listings is at the family's
default path: the spiders have to find them from the home page. The markup is what each CMS
prints on a standard install (NukeViet 4 default theme, WordPress with a core-style theme and
Jetpack related posts, Liferay 6.2/7 asset publisher, SharePoint publishing, a newspaper CMS).
Serve with `FamilyPortal(kind)` as a context manager; only 127.0.0.1 is bound.
"""

from __future__ import annotations

import html
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

VN = timezone(timedelta(hours=7))
EDT = timezone(timedelta(hours=-4))
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
CATEGORIES = [("hoat-dong-cua-so", "Hoạt động của Sở"), ("chuyen-doi-so", "Chuyển đổi số")]
TOPICS = [
    "Hội nghị triển khai kế hoạch chuyển đổi số năm",
    "Tập huấn kỹ năng an toàn thông tin cho cán bộ cấp xã đợt",
    "Kiểm tra hoạt động bưu chính viễn thông trên địa bàn huyện lần",
    "Ra mắt nền tảng số phục vụ người dân tại khu vực",
    "Đoàn công tác khảo sát hạ tầng mạng di động vùng sâu số",
    "Tổng kết phong trào thi đua ứng dụng công nghệ thông tin khối",
]
PAGE_SIZE = 3


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def _articles() -> list[dict[str, Any]]:
    out = []
    base = datetime(2023, 8, 1, 8, 15, tzinfo=VN)
    for i in range(12):
        cat, cat_name = CATEGORIES[i % 2]
        title = f"{TOPICS[i % 6]} {i + 1}"
        published = base + timedelta(days=3 * i, hours=(i * 5) % 14, minutes=7 * i)
        first = (
            f"Ngày {published.day}/{published.month}, Sở Thông tin và Truyền thông tổ chức "
            f"sự kiện số {i + 1} với sự tham gia của đại diện các sở, ngành và địa phương."
        )
        out.append(
            {
                "id": 1001 + i,
                "slug": f"bai-viet-so-{i + 1}-ve-chuyen-doi-so",
                "title": title,
                "cat": cat,
                "cat_name": cat_name,
                "published": published,
                # The last edit, printed only in hidden microdata: another day.
                "edited": published + timedelta(days=2, hours=3),
                "paragraphs": [
                    first,
                    "Tại buổi làm việc, các đại biểu đã thảo luận những khó khăn, vướng mắc và "
                    "đề xuất giải pháp để đẩy mạnh ứng dụng công nghệ thông tin trong thời gian tới.",
                    "Kết thúc chương trình, lãnh đạo Sở đề nghị các đơn vị khẩn trương triển khai "
                    "các nhiệm vụ được giao, bảo đảm đúng tiến độ và chất lượng.",
                ],
            }
        )
    return out


ARTICLES = _articles()
NEWEST = sorted(ARTICLES, key=lambda a: a["published"], reverse=True)


def in_category(cat: str) -> list[dict[str, Any]]:
    return [a for a in NEWEST if a["cat"] == cat]


def pages_of(cat: str) -> list[list[dict[str, Any]]]:
    arts = in_category(cat)
    return [arts[i : i + PAGE_SIZE] for i in range(0, len(arts), PAGE_SIZE)]


class Portal:
    """A family's standard install: URLs, pages and routes."""

    family = ""
    generator = ""

    def article_url(self, a: dict[str, Any]) -> str:
        raise NotImplementedError

    def listing_url(self, cat: str, page: int) -> str:
        raise NotImplementedError

    def static_urls(self) -> dict[str, str]:
        return {}

    def home_url(self) -> str:
        return "/"

    def gold(self) -> dict[str, dict[str, str]]:
        return {
            self.article_url(a): {
                "title": a["title"],
                "published_at": a["published"].isoformat(),
                "text_start": a["paragraphs"][0][:60],
            }
            for a in ARTICLES
        }

    # ---- pages -----------------------------------------------------------------------------
    def doc(self, title: str, body: str, head: str = "") -> bytes:
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title>"
            f'<meta name="generator" content="{esc(self.generator)}">{head}</head>'
            f"<body>{body}</body></html>"
        ).encode()

    def menu_items(self) -> list[tuple[str, str]]:
        items = [(self.home_url(), "Trang chủ")]
        items += [(self.listing_url(c, 1), name) for c, name in CATEGORIES]
        items += [(url, label) for label, url in self.static_urls().items()]
        return items

    def static_page(self, label: str) -> bytes:
        raise NotImplementedError

    def home(self) -> bytes:
        raise NotImplementedError

    def listing(self, cat: str, page: int) -> bytes:
        raise NotImplementedError

    def article(self, a: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def routes(self) -> dict[str, bytes]:
        routes = {"/": self.home(), self.home_url(): self.home()}
        routes["/robots.txt"] = b"User-agent: *\nDisallow: /admin/\n"
        for cat, _ in CATEGORIES:
            for n in range(1, len(pages_of(cat)) + 1):
                routes[self.listing_url(cat, n)] = self.listing(cat, n)
        for a in ARTICLES:
            routes[self.article_url(a)] = self.article(a)
        for label, url in self.static_urls().items():
            routes[url] = self.static_page(label)
        return routes


def vn_line(when: datetime) -> str:
    return f"{WEEKDAYS[when.weekday()]} - {when.strftime('%d/%m/%Y %H:%M')}"


# ---- NukeViet 4 ---------------------------------------------------------------------------


class NukeVietPortal(Portal):
    """NukeViet 4.x, theme default, news as the home module, rewriting on, one language
    (URLs /<category>/<alias>-<id>.html). site_timezone=byCountry: times are printed in the
    visitor's zone (here EDT), visible line and meta alike."""

    family = "nukeviet"
    generator = "NukeViet v4.5"
    zone = EDT
    zone_name = "EDT"

    def article_url(self, a: dict[str, Any]) -> str:
        return f"/{a['cat']}/{a['slug']}-{a['id']}.html"

    def listing_url(self, cat: str, page: int) -> str:
        return f"/{cat}/" if page == 1 else f"/{cat}/page-{page}"

    def static_urls(self) -> dict[str, str]:
        return {"Giới thiệu": "/about/", "Liên hệ": "/contact/", "Văn bản": "/laws/"}

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.zone)

    def meta_time(self, when: datetime) -> str:
        # PHP date('Y-m-dTH:i:s'): the unescaped T prints the zone abbreviation.
        w = self.local(when)
        return f"{w.strftime('%Y-%m-%d')}{self.zone_name}{w.strftime('%H:%M:%S')}"

    def frame(self, title: str, main: str, head: str = "") -> bytes:
        menu = "".join(
            f'<li><a title="{esc(label)}" href="{url}"><span>{esc(label)}</span></a></li>'
            for url, label in self.menu_items()
        )
        newest = "".join(
            f'<li class="clearfix"><a href="{self.article_url(a)}" title="{esc(a["title"])}">'
            f"{esc(a['title'])}</a></li>"
            for a in NEWEST[:4]
        )
        body = (
            '<div class="body-bg"><div class="wraper"><header><div class="container">'
            '<div id="header" class="row"><div class="logo col-xs-24 col-sm-24 col-md-8">'
            '<a title="Sở Thông tin và Truyền thông" href="/"><img src="/uploads/logo.png" '
            'alt="Sở Thông tin và Truyền thông"></a></div></div></div></header>'
            '<nav class="second-nav" id="menusite"><div class="container"><div class="row">'
            '<div class="bg box-shadow"><div class="navbar navbar-default navbar-static-top" '
            f'role="navigation"><ul class="nav navbar-nav">{menu}</ul></div></div></div></div></nav>'
            '<section><div class="container" id="body"><nav class="third-nav"><div class="row">'
            '<div class="bg"><div class="clearfix"><div class="col-xs-24 col-sm-18 col-md-18">'
            '<div class="breadcrumbs-wrap"><div class="display"><ul class="breadcrumbs list-none">'
            '<li><a href="/"><span>Trang nhất</span></a></li></ul></div></div></div></div></div></div>'
            '</nav><div class="row"><div class="col-sm-16 col-md-18">'
            f"{main}</div>"
            '<div class="col-sm-8 col-md-6"><div class="panel panel-primary">'
            '<div class="panel-heading">Tin mới</div><div class="panel-body">'
            f'<ul class="block_tophits list-none list-items">{newest}</ul></div></div>'
            '<div class="panel panel-primary"><div class="panel-heading">Thống kê truy cập</div>'
            '<div class="panel-body"><ul class="counter list-none display-table">'
            "<li><span>Đang truy cập</span><span>12</span></li></ul></div></div></div></div></div>"
            '</section></div><footer id="footer" class="footer-nested"><div class="wraper">'
            '<div class="container"><p>Sở Thông tin và Truyền thông - Địa chỉ: số 1 đường A</p>'
            '</div></div></footer></div><div id="timeoutsess" class="chromeframe">Bạn đã không sử '
            'dụng Site, <a onclick="timeoutsesscancel();" href="#">Bấm vào đây để duy trì trạng '
            'thái đăng nhập</a>. Thời gian chờ: <span id="secField"> 60 </span> giây</div>'
        )
        return self.doc(title, body, head)

    def entry(self, a: dict[str, Any]) -> str:
        url = self.article_url(a)
        return (
            '<div class="news_column panel panel-default"><div class="panel-body">'
            f'<a href="{url}" title="{esc(a["title"])}"><img alt="{esc(a["title"])}" '
            f'src="/assets/news/{a["id"]}.jpg" width="183" class="img-thumbnail pull-left imghome">'
            f'</a><h3><a href="{url}" title="{esc(a["title"])}">{esc(a["title"])}</a></h3>'
            '<div class="text-muted"><ul class="list-unstyled list-inline">'
            f'<li><em class="fa fa-clock-o">&nbsp;</em> '
            f"{self.local(a['published']).strftime('%d/%m/%Y %H:%M')}</li>"
            '<li><em class="fa fa-eye">&nbsp;</em> Đã xem: 15</li></ul></div>'
            f"{esc(a['paragraphs'][0][:120])}</div></div>"
        )

    def pager(self, cat: str, page: int) -> str:
        total = len(pages_of(cat))
        items = []
        for n in range(1, total + 1):
            if n == page:
                items.append(f'<li class="active"><a href="#">{n}</a></li>')
            else:
                items.append(f'<li><a href="{self.listing_url(cat, n)}">{n}</a></li>')
        if page < total:
            items.append(f'<li><a href="{self.listing_url(cat, page + 1)}">&raquo;</a></li>')
        return f'<div class="text-center"><ul class="pagination">{"".join(items)}</ul></div>'

    def home(self) -> bytes:
        # viewcat_main_right: a block per category with its newest articles.
        blocks = []
        for cat, name in CATEGORIES:
            first, *rest = in_category(cat)[:3]
            others = "".join(
                f'<li class="icon_list"><a class="show" href="{self.article_url(o)}">'
                f"{esc(o['title'])}</a></li>"
                for o in rest
            )
            blocks.append(
                '<div class="news_column"><div class="panel panel-default clearfix">'
                f'<div class="panel-heading"><ul class="list-inline sub-list-icon"><li><h4>'
                f'<a title="{esc(name)}" href="{self.listing_url(cat, 1)}"><span>{esc(name)}'
                "</span></a></h4></li></ul></div>"
                f'<div class="panel-body"><div class="row"><div class="col-md-12">'
                f'<h3><a href="{self.article_url(first)}" title="{esc(first["title"])}">'
                f"{esc(first['title'])}</a></h3></div>"
                f'<div class="col-md-12"><ul class="related list-items">{others}</ul></div>'
                "</div></div></div></div>"
            )
        return self.frame("Sở Thông tin và Truyền thông", "".join(blocks))

    def listing(self, cat: str, page: int) -> bytes:
        main = "".join(self.entry(a) for a in pages_of(cat)[page - 1]) + self.pager(cat, page)
        return self.frame(dict(CATEGORIES)[cat], main)

    def article(self, a: dict[str, Any]) -> bytes:
        others = [o for o in in_category(a["cat"]) if o["id"] != a["id"]][:4]
        related = "".join(
            f'<li><em class="fa fa-angle-right">&nbsp;</em><a href="{self.article_url(o)}" '
            f'title="{esc(o["title"])}"><h4>{esc(o["title"])}</h4></a>'
            f"<em>({self.local(o['published']).strftime('%d/%m/%Y')})</em>"
            f'<span class="date">{self.local(o["published"]).strftime("%d/%m/%Y")}</span></li>'
            for o in others
        )
        body = "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"][1:])
        main = (
            '<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle"'
            ' itemscope><div class="panel-body">'
            f'<h1 class="title margin-bottom-lg" itemprop="headline">{esc(a["title"])}</h1>'
            '<div class="hidden hide d-none" itemprop="author" itemtype="http://schema.org/Person"'
            ' itemscope><span itemprop="name">admin</span></div>'
            '<span class="hidden hide d-none" itemprop="datePublished">'
            f"{a['edited'].isoformat()}</span>"
            '<span class="hidden hide d-none" itemprop="dateModified">'
            f"{a['edited'].isoformat()}</span>"
            '<div class="row margin-bottom-lg"><div class="col-md-12">'
            f'<span class="h5">{vn_line(self.local(a["published"]))}</span></div>'
            '<div class="col-md-12"><ul class="list-inline text-right"><li><a class="dimgray" '
            f'rel="nofollow" title="Gửi bài viết qua email" href="/sendmail/{a["cat"]}/'
            f'{a["slug"]}-{a["id"]}.html"><em class="fa fa-envelope fa-lg">&nbsp;</em></a></li>'
            f'<li><a class="dimgray" rel="nofollow" title="In ấn" href="/print/{a["cat"]}/'
            f'{a["slug"]}-{a["id"]}.html"><em class="fa fa-print fa-lg">&nbsp;</em></a></li>'
            "</ul></div></div>"
            f'<div class="clearfix"><div class="hometext m-bottom">{esc(a["paragraphs"][0])}</div>'
            "</div>"
            f'<div id="news-bodyhtml" class="bodytext margin-bottom-lg">{body}</div>'
            '<div class="margin-bottom-lg"><p class="h5 text-right"><strong>Tác giả: </strong>'
            "Minh Anh</p></div></div></div>"
            '<div class="news_column panel panel-default"><div class="panel-body other-news">'
            '<p class="h3"><strong>Những tin cũ hơn</strong></p>'
            f'<div class="clearfix"><ul class="detail-related related list-none list-items">'
            f"{related}</ul></div></div></div>"
        )
        head = (
            f'<meta property="og:title" content="{esc(a["title"])}">'
            f'<meta property="article:published_time" content="{self.meta_time(a["published"])}">'
            f'<meta property="article:modified_time" content="{self.meta_time(a["edited"])}">'
            f'<link rel="canonical" href="{{base}}{self.article_url(a)}">'
        )
        return self.frame(a["title"], main, head)

    def static_page(self, label: str) -> bytes:
        return self.frame(
            label,
            f'<div class="page panel panel-default"><div class="panel-body"><h1>{esc(label)}</h1>'
            "<p>Sở Thông tin và Truyền thông là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh.</p>"
            "</div></div>",
        )


class NukeVietNoRewritePortal(NukeVietPortal):
    """NukeViet 4 without rewriting: index.php?language=vi&nv=news&op=<category>/<alias>-<id>,
    site timezone Asia/Ho_Chi_Minh (PHP prints its abbreviation as "+07")."""

    zone = VN
    zone_name = "+07"

    def home_url(self) -> str:
        return "/index.php?language=vi"

    def article_url(self, a: dict[str, Any]) -> str:
        return f"/index.php?language=vi&nv=news&op={a['cat']}/{a['slug']}-{a['id']}"

    def listing_url(self, cat: str, page: int) -> str:
        base = f"/index.php?language=vi&nv=news&op={cat}"
        return base if page == 1 else f"{base}/page-{page}"

    def static_urls(self) -> dict[str, str]:
        return {
            "Giới thiệu": "/index.php?language=vi&nv=about",
            "Liên hệ": "/index.php?language=vi&nv=contact",
        }


# ---- WordPress ----------------------------------------------------------------------------


class WordPressPortal(Portal):
    """WordPress with /%postname%/ permalinks and category base /chuyen-muc/, a core-style
    theme (Twenty-ish markup), Yoast meta and Jetpack related posts (with dates)."""

    family = "wordpress"
    generator = "WordPress 6.4.2"

    def article_url(self, a: dict[str, Any]) -> str:
        return f"/{a['slug']}/"

    def listing_url(self, cat: str, page: int) -> str:
        return f"/chuyen-muc/{cat}/" if page == 1 else f"/chuyen-muc/{cat}/page/{page}/"

    def static_urls(self) -> dict[str, str]:
        return {"Giới thiệu": "/gioi-thieu/", "Liên hệ": "/lien-he/"}

    def frame(self, title: str, main: str, head: str = "", cls: str = "home blog") -> bytes:
        menu = "".join(
            f'<li class="menu-item menu-item-type-taxonomy"><a href="{u}">{esc(t)}</a></li>'
            for u, t in self.menu_items()
        )
        recent = "".join(
            f'<li><a href="{self.article_url(a)}">{esc(a["title"])}</a></li>' for a in NEWEST[:5]
        )
        body = (
            f'<div id="page" class="site {cls}"><a class="skip-link screen-reader-text" '
            'href="#primary">Chuyển đến nội dung</a><header id="masthead" class="site-header">'
            '<div class="site-branding"><p class="site-title"><a href="/" rel="home">Sở TT&amp;TT'
            '</a></p></div><nav id="site-navigation" class="main-navigation">'
            f'<ul id="primary-menu" class="menu">{menu}</ul></nav></header>'
            f'<div id="content" class="site-content"><main id="primary" class="site-main">{main}'
            '</main><aside id="secondary" class="widget-area"><section id="recent-posts-2" '
            f'class="widget widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>'
            f"{recent}</ul></section></aside></div>"
            '<footer id="colophon" class="site-footer"><div class="site-info">'
            '<a href="https://wordpress.org/">Vận hành bởi WordPress</a></div></footer></div>'
        )
        return self.doc(title, body, head)

    def post_summary(self, a: dict[str, Any]) -> str:
        url = self.article_url(a)
        iso = a["published"].isoformat()
        return (
            f'<article id="post-{a["id"]}" class="post-{a["id"]} post type-post status-publish '
            f'format-standard hentry category-{a["cat"]}"><header class="entry-header">'
            f'<h2 class="entry-title"><a href="{url}" rel="bookmark">{esc(a["title"])}</a></h2>'
            '<div class="entry-meta"><span class="posted-on">Đăng vào <a href="'
            f'{url}" rel="bookmark"><time class="entry-date published" datetime="{iso}">'
            f"{a['published'].strftime('%d/%m/%Y')}</time></a></span></div></header>"
            f'<div class="entry-summary"><p>{esc(a["paragraphs"][0][:100])} [&hellip;]</p></div>'
            "</article>"
        )

    def nav(self, cat: str | None, page: int, total: int) -> str:
        def url(n: int) -> str:
            if cat is None:
                return "/" if n == 1 else f"/page/{n}/"
            return self.listing_url(cat, n)

        links = []
        for n in range(1, total + 1):
            if n == page:
                links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            else:
                links.append(f'<a class="page-numbers" href="{url(n)}">{n}</a>')
        if page < total:
            links.append(f'<a class="next page-numbers" href="{url(page + 1)}">Sau &raquo;</a>')
        return (
            '<nav class="navigation pagination" aria-label="Bài viết"><div class="nav-links">'
            f"{''.join(links)}</div></nav>"
        )

    def home(self) -> bytes:
        main = "".join(self.post_summary(a) for a in NEWEST[:4])
        return self.frame("Sở TT&TT", main)

    def listing(self, cat: str, page: int) -> bytes:
        name = dict(CATEGORIES)[cat]
        main = (
            '<header class="page-header"><h1 class="page-title">Chuyên mục: '
            f"<span>{esc(name)}</span></h1></header>"
            + "".join(self.post_summary(a) for a in pages_of(cat)[page - 1])
            + self.nav(cat, page, len(pages_of(cat)))
        )
        return self.frame(name, main, cls="archive category")

    def article(self, a: dict[str, Any]) -> bytes:
        iso = a["published"].isoformat()
        others = [o for o in NEWEST if o["id"] != a["id"]][:3]
        related = "".join(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{i}"><h4 class="jp-relatedposts-'
            f'post-title"><a class="jp-relatedposts-post-a" href="{self.article_url(o)}">'
            f"{esc(o['title'])}</a></h4>"
            f'<p class="jp-relatedposts-post-date">{o["published"].strftime("%d/%m/%Y")}</p></div>'
            for i, o in enumerate(others)
        )
        body = "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"])
        main = (
            f'<article id="post-{a["id"]}" class="post-{a["id"]} post type-post status-publish '
            'hentry"><header class="entry-header">'
            f'<h1 class="entry-title">{esc(a["title"])}</h1><div class="entry-meta">'
            f'<span class="posted-on">Đăng vào <a href="{self.article_url(a)}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{iso}">'
            f"{a['published'].strftime('%d/%m/%Y')}</time>"
            f'<time class="updated" datetime="{a["edited"].isoformat()}">'
            f"{a['edited'].strftime('%d/%m/%Y')}</time></a></span>"
            '<span class="byline"> bởi <span class="author vcard"><a class="url fn n" '
            'href="/author/admin/">admin</a></span></span></div></header>'
            f'<div class="entry-content">{body}'
            '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Chia sẻ:</h3></div>'
            '<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">'
            f'<em>Có liên quan</em></h3><div class="jp-relatedposts-items">{related}</div></div>'
            "</div>"
            f'<footer class="entry-footer"><span class="cat-links">Chuyên mục <a href="'
            f'{self.listing_url(a["cat"], 1)}" rel="category tag">{esc(a["cat_name"])}</a></span>'
            "</footer></article>"
        )
        head = (
            f'<meta property="og:type" content="article"><meta property="article:published_time" '
            f'content="{iso}"><link rel="canonical" href="{{base}}{self.article_url(a)}">'
        )
        return self.frame(a["title"], main, head, cls="single")

    def static_page(self, label: str) -> bytes:
        main = (
            '<article class="page type-page status-publish hentry"><header class="entry-header">'
            f'<h1 class="entry-title">{esc(label)}</h1></header><div class="entry-content">'
            "<p>Trang thông tin của Sở.</p></div></article>"
        )
        return self.frame(label, main, cls="page")


# ---- Liferay ------------------------------------------------------------------------------


class LiferayPortal(Portal):
    """Liferay 7 with an asset publisher per category page (/web/guest/<category>), article
    links /web/guest/<category>/-/asset_publisher/<instance>/content/<urlTitle>."""

    family = "liferay"
    generator = "Liferay Portal"
    instance = "Xk3pQ9aB"

    def portlet(self) -> str:
        return f"com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_{self.instance}"

    def article_url(self, a: dict[str, Any]) -> str:
        return f"/web/guest/{a['cat']}/-/asset_publisher/{self.instance}/content/{a['slug']}"

    def listing_url(self, cat: str, page: int) -> str:
        if page == 1:
            return f"/web/guest/{cat}"
        p = self.portlet()
        return (
            f"/web/guest/{cat}?p_p_id={p}&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
            f"&_{p}_delta=3&_{p}_cur={page}"
        )

    def static_urls(self) -> dict[str, str]:
        return {"Giới thiệu": "/web/guest/gioi-thieu", "Liên hệ": "/web/guest/lien-he"}

    def frame(self, title: str, main: str, head: str = "") -> bytes:
        menu = "".join(
            f'<li class="lfr-nav-item nav-item"><a class="nav-link text-truncate" href="{u}">'
            f'<span class="text-truncate">{esc(t)}</span></a></li>'
            for u, t in self.menu_items()
        )
        body = (
            '<div class="d-flex flex-column min-vh-100"><div class="d-flex flex-column flex-fill"'
            ' id="wrapper"><header id="banner" role="banner"><div id="heading"><div '
            'class="navbar navbar-classic"><a class="logo" href="/" title="Trang chủ"><img '
            'alt="" src="/image/layout_set_logo"></a></div></div>'
            '<nav class="sort-pages modify-pages" id="navigation" role="navigation">'
            f'<ul aria-label="Trang web" class="navbar-blank navbar-nav" role="menubar">{menu}</ul>'
            '</nav></header><section class="flex-fill" id="content"><div class="columns-2" '
            'id="main-content" role="main"><div class="portlet-layout row"><div class="col-md-8 '
            f'portlet-column portlet-column-first" id="column-1">{main}</div>'
            '<div class="col-md-4 portlet-column portlet-column-last" id="column-2">'
            '<section class="portlet" id="portlet_weblinks"><div class="portlet-content">'
            '<a href="https://dichvucong.gov.vn">Cổng dịch vụ công</a></div></section></div></div>'
            '</div></section><footer id="footer" role="contentinfo"><p class="powered-by">'
            "Bản quyền thuộc Sở Thông tin và Truyền thông</p></footer></div></div>"
        )
        return self.doc(title, body, head)

    def abstract(self, a: dict[str, Any]) -> str:
        return (
            '<div class="asset-abstract"><div class="asset-content"><h4 class="asset-title">'
            f'<a href="{esc(self.article_url(a))}?redirect=%2Fweb%2Fguest%2F{a["cat"]}">'
            f"{esc(a['title'])}</a></h4>"
            '<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">'
            f"{a['published'].strftime('%d/%m/%Y')}</span></div>"
            f'<div class="asset-summary">{esc(a["paragraphs"][0][:100])}</div></div></div>'
        )

    def home(self) -> bytes:
        rows = "".join(self.abstract(a) for a in NEWEST[:3])
        return self.frame(
            "Trang chủ",
            '<section class="portlet"><div class="portlet-content"><h2 class="portlet-title">'
            f'<span class="portlet-title-text">Tin nổi bật</span></h2>{rows}</div></section>',
        )

    def listing(self, cat: str, page: int) -> bytes:
        total = len(pages_of(cat))
        rows = "".join(self.abstract(a) for a in pages_of(cat)[page - 1])
        nav = '<div class="taglib-page-iterator"><ul class="lfr-pagination-buttons pager">'
        if page > 1:
            nav += f'<li><a href="{esc(self.listing_url(cat, page - 1))}">Trước</a></li>'
        if page < total:
            nav += f'<li><a href="{esc(self.listing_url(cat, page + 1))}">Tiếp</a></li>'
        nav += "</ul></div>"
        return self.frame(
            dict(CATEGORIES)[cat],
            '<section class="portlet" id="portlet_asset_publisher"><header class="portlet-topper">'
            f'<h2 class="portlet-title-text">{esc(dict(CATEGORIES)[cat])}</h2></header>'
            f'<div class="portlet-content">{rows}{nav}</div></section>',
        )

    def article(self, a: dict[str, Any]) -> bytes:
        body = "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"])
        others = [o for o in in_category(a["cat"]) if o["id"] != a["id"]][:3]
        related = "".join(
            f'<li><a href="{esc(self.article_url(o))}">{esc(o["title"])}</a> '
            f'<span class="date">({o["published"].strftime("%d/%m/%Y")})</span></li>'
            for o in others
        )
        main = (
            '<section class="portlet" id="portlet_asset_publisher"><div class="portlet-content">'
            '<div class="asset-full-content clearfix show-asset-title">'
            f'<h3 class="header-title"><span>{esc(a["title"])}</span></h3>'
            '<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">'
            f"{a['published'].strftime('%d/%m/%Y %H:%M')}</span></div>"
            '<div class="asset-content"><div class="journal-content-article">'
            f"{body}</div></div>"
            '<div class="taglib-social-bookmarks"><a href="#">Facebook</a></div></div>'
            '<div class="other-news"><h4>Tin khác</h4>'
            f"<ul>{related}</ul></div></div></section>"
        )
        return self.frame(a["title"], main)

    def static_page(self, label: str) -> bytes:
        return self.frame(
            label,
            '<section class="portlet"><div class="portlet-content"><div class="journal-content-'
            f'article"><h2>{esc(label)}</h2><p>Thông tin giới thiệu.</p></div></div></section>',
        )


# ---- ASP.NET / SharePoint -----------------------------------------------------------------


class AspNetPortal(Portal):
    """SharePoint 2013 publishing portal: categories /Pages/DanhMuc.aspx?CatID=<n>, articles
    /tin-tuc/Pages/<title-slug>.aspx (one category) and /Pages/ChiTiet.aspx?ItemID=<id>."""

    family = "aspnet"
    generator = "Microsoft SharePoint"

    def article_url(self, a: dict[str, Any]) -> str:
        if a["cat"] == CATEGORIES[0][0]:
            return f"/tin-tuc/Pages/{a['slug']}.aspx"
        return f"/Pages/ChiTiet.aspx?ItemID={a['id']}"

    def listing_url(self, cat: str, page: int) -> str:
        n = 1 + [c for c, _ in CATEGORIES].index(cat)
        return f"/Pages/DanhMuc.aspx?CatID={n}" + ("" if page == 1 else f"&Page={page}")

    def static_urls(self) -> dict[str, str]:
        return {"Giới thiệu": "/Pages/GioiThieu.aspx", "Liên hệ": "/Pages/LienHe.aspx"}

    def frame(self, title: str, main: str) -> bytes:
        menu = "".join(
            f'<li class="static"><a class="static menu-item" href="{esc(u)}">'
            f'<span class="menu-item-text">{esc(t)}</span></a></li>'
            for u, t in self.menu_items()
        )
        body = (
            '<form method="post" action="./" id="aspnetForm"><div class="aspNetHidden">'
            '<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1"></div>'
            '<div id="s4-workspace"><div id="s4-bodyContainer"><div class="header">'
            '<img src="/PublishingImages/banner.jpg" alt="banner"></div>'
            '<div id="zz1_TopNavigationMenu" class="ms-core-listMenu-horizontalBox">'
            f'<ul class="root ms-core-listMenu-root static">{menu}</ul></div>'
            f'<div id="contentBox" class="ms-pub-contentLayout">{main}</div>'
            '<div class="footer">Cơ quan chủ quản: Sở Thông tin và Truyền thông</div>'
            "</div></div></form>"
        )
        return self.doc(title, body)

    def home(self) -> bytes:
        rows = "".join(
            f'<li><a href="{esc(self.article_url(a))}">{esc(a["title"])}</a></li>'
            for a in NEWEST[:3]
        )
        return self.frame(
            "Trang chủ", f'<div class="ms-webpart-zone"><ul class="news-hot">{rows}</ul></div>'
        )

    def listing(self, cat: str, page: int) -> bytes:
        total = len(pages_of(cat))
        rows = "".join(
            '<div class="news-item">'
            f'<a class="title" href="{esc(self.article_url(a))}">{esc(a["title"])}</a>'
            f'<span class="date">{a["published"].strftime("%d/%m/%Y")}</span>'
            f'<p class="summary">{esc(a["paragraphs"][0][:100])}</p></div>'
            for a in pages_of(cat)[page - 1]
        )
        links = "".join(
            f"<span>{n}</span>"
            if n == page
            else f'<a href="{esc(self.listing_url(cat, n))}">{n}</a>'
            for n in range(1, total + 1)
        )
        name = dict(CATEGORIES)[cat]
        return self.frame(
            name,
            '<div class="ms-webpart-zone"><h2><span id="ctl00_PlaceHolderMain_lblCategoryName">'
            f'{esc(name)}</span></h2>{rows}<div class="paging">{links}</div></div>',
        )

    def article(self, a: dict[str, Any]) -> bytes:
        body = "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"][1:])
        others = [o for o in in_category(a["cat"]) if o["id"] != a["id"]][:3]
        related = "".join(
            f'<li><a href="{esc(self.article_url(o))}">{esc(o["title"])}</a>'
            f'<span class="date">({o["published"].strftime("%d/%m/%Y")})</span></li>'
            for o in others
        )
        when = a["published"].strftime("%d/%m/%Y %H:%M")
        main = (
            '<div class="article-detail">'
            f'<h1><span id="ctl00_PlaceHolderMain_lblTitle">{esc(a["title"])}</span></h1>'
            f'<span id="ctl00_PlaceHolderMain_lblDate" class="date">{when}</span>'
            f'<div id="ctl00_PlaceHolderMain_lblSummary"><strong>{esc(a["paragraphs"][0])}'
            f'</strong></div><div id="ctl00_PlaceHolderMain_lblContent">{body}</div></div>'
            f'<div class="other-news"><h3>Các tin khác</h3><ul>{related}</ul></div>'
        )
        return self.frame(a["title"], main)

    def static_page(self, label: str) -> bytes:
        return self.frame(label, f"<h1>{esc(label)}</h1><p>Thông tin.</p>")


# ---- Newspaper CMS -------------------------------------------------------------------------


class NewspaperPortal(Portal):
    """A provincial newspaper CMS: /<category>/<slug>-<id>.html, pagers /<category>/trang-2.html,
    JSON-LD NewsArticle and article:published_time."""

    family = "newspaper"
    generator = "Báo điện tử CMS"

    def article_url(self, a: dict[str, Any]) -> str:
        return f"/{a['cat']}/{a['slug']}-{a['id']}.html"

    def listing_url(self, cat: str, page: int) -> str:
        return f"/{cat}/" if page == 1 else f"/{cat}/trang-{page}.html"

    def static_urls(self) -> dict[str, str]:
        return {"Liên hệ": "/lien-he.html", "Tòa soạn": "/toa-soan.html"}

    def frame(self, title: str, main: str, head: str = "") -> bytes:
        menu = "".join(f'<li><a href="{u}">{esc(t)}</a></li>' for u, t in self.menu_items())
        hot = "".join(
            f'<li><a href="{self.article_url(a)}">{esc(a["title"])}</a></li>' for a in NEWEST[:5]
        )
        body = (
            '<header class="site-header"><a class="logo" href="/"><img src="/logo.png" alt="Báo">'
            f'</a><nav class="main-menu"><ul>{menu}</ul></nav></header>'
            f'<div class="container"><main class="main-col">{main}</main>'
            f'<aside class="sidebar"><h3>Đọc nhiều</h3><ul class="most-read">{hot}</ul></aside>'
            '</div><footer class="site-footer"><p>Giấy phép số 10/GP-BTTTT</p></footer>'
        )
        return self.doc(title, body, head)

    def story(self, a: dict[str, Any]) -> str:
        url = self.article_url(a)
        return (
            f'<article class="story"><a class="story-thumb" href="{url}"><img src="/i/{a["id"]}.jpg"'
            f' alt=""></a><h3 class="story-heading"><a href="{url}">{esc(a["title"])}</a></h3>'
            f'<time datetime="{a["published"].isoformat()}">'
            f"{a['published'].strftime('%d/%m/%Y')}</time></article>"
        )

    def home(self) -> bytes:
        return self.frame(
            "Báo tỉnh",
            '<section class="top-stories">'
            + "".join(self.story(a) for a in NEWEST[:3])
            + "</section>",
        )

    def listing(self, cat: str, page: int) -> bytes:
        total = len(pages_of(cat))
        items = []
        for n in range(1, total + 1):
            if n == page:
                items.append(f'<li class="active"><span>{n}</span></li>')
            else:
                items.append(f'<li><a href="{self.listing_url(cat, n)}">{n}</a></li>')
        main = (
            f'<h1 class="category-title">{esc(dict(CATEGORIES)[cat])}</h1><div class="story-list">'
            + "".join(self.story(a) for a in pages_of(cat)[page - 1])
            + f'</div><ul class="pagination">{"".join(items)}</ul>'
        )
        return self.frame(dict(CATEGORIES)[cat], main)

    def article(self, a: dict[str, Any]) -> bytes:
        pub = a["published"]
        iso = pub.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"
        body = "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"][1:])
        others = [o for o in in_category(a["cat"]) if o["id"] != a["id"]][:3]
        related = "".join(
            f'<li><a href="{self.article_url(o)}">{esc(o["title"])}</a>'
            f'<span class="date">{o["published"].strftime("%d/%m/%Y")}</span></li>'
            for o in others
        )
        main = (
            '<article class="article">'
            f'<div class="article-category"><a href="{self.listing_url(a["cat"], 1)}">'
            f"{esc(a['cat_name'])}</a></div>"
            f'<h1 class="article-title">{esc(a["title"])}</h1>'
            f'<div class="article-meta"><span class="article-date">{WEEKDAYS[pub.weekday()]}, '
            f"{pub.strftime('%d/%m/%Y')} | {pub.strftime('%H:%M')}</span></div>"
            f'<div class="article-sapo"><p>{esc(a["paragraphs"][0])}</p></div>'
            f'<div class="article-body">{body}</div>'
            f'<div class="box-related"><h3>Tin cùng chuyên mục</h3><ul>{related}</ul></div>'
            "</article>"
        )
        head = (
            f'<meta property="article:published_time" content="{iso}">'
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":'
            f'"NewsArticle","datePublished":"{iso}"}}</script>'
        )
        return self.frame(a["title"], main, head)

    def static_page(self, label: str) -> bytes:
        return self.frame(label, f"<h1>{esc(label)}</h1><p>Liên hệ tòa soạn.</p>")


PORTALS: dict[str, type[Portal]] = {
    "nukeviet": NukeVietPortal,
    "nukeviet_norewrite": NukeVietNoRewritePortal,
    "wordpress": WordPressPortal,
    "liferay": LiferayPortal,
    "aspnet": AspNetPortal,
    "newspaper": NewspaperPortal,
}


def route_key(path: str) -> str:
    path, _, query = path.partition("?")
    return path + ("?" + urlencode(parse_qsl(query, keep_blank_values=True)) if query else "")


class _Handler(BaseHTTPRequestHandler):
    server: _Server  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        # Like PHP and ASP.NET, read the query decoded: op=a%2Fb is op=a/b.
        body = self.server.routes.get(route_key(self.path))
        if body is None:
            body, status = b"<html><body><h1>404 Not Found</h1></body></html>", 404
        else:
            status = 200
        self.server.hits.append((status, self.path))
        body = body.replace(b"{base}", self.server.origin.encode())
        ctype = "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, portal: Portal) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = {route_key(path): body for path, body in portal.routes().items()}
        self.hits: list[tuple[int, str]] = []
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class FamilyPortal:
    """Serve one family's portal on 127.0.0.1 in a background thread."""

    def __init__(self, kind: str) -> None:
        self.portal = PORTALS[kind]()
        self.server = _Server(self.portal)

    @property
    def url(self) -> str:
        return self.server.origin + "/"

    def gold(self) -> dict[str, dict[str, str]]:
        return {self.server.origin + path: g for path, g in self.portal.gold().items()}

    def __enter__(self) -> FamilyPortal:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
