"""Page classification of the zero-config spider."""

import pytest

from spiders.generic import GenericSpider, looks_like_article

PARA = (
    "Sở Thông tin và Truyền thông tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ trọng tâm "
    "về chuyển đổi số, an toàn thông tin mạng, bưu chính viễn thông trên địa bàn tỉnh trong năm tới. "
)
NAV = "<nav><a href='/'>Trang chủ</a><a href='/gioi-thieu'>Giới thiệu</a></nav>"


def doc(main: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{NAV}<div id='main'>{main}</div><footer>Địa chỉ</footer></body></html>"


ARTICLE = doc(
    f"<h1>Hội nghị tổng kết năm 2023</h1><div class='date'>Thứ ba, 16/01/2024 08:47</div><p>{PARA}</p><p>{PARA}</p>"
)


def listing(n: int, pager: bool) -> str:
    items = "".join(
        f"<div class='item'><h3><a href='/tin/bai-viet-so-{i}-{100 + i}.html'>Tiêu đề bài viết số {i} về chuyển đổi số</a></h3>"
        f"<span>16/01/2024</span><p>{PARA}</p></div>"
        for i in range(n)
    )
    nav = (
        "<div class='paging'><a href='?page=1'>1</a><a href='?page=2'>2</a></div>" if pager else ""
    )
    return doc(f"<h1>Tin tức</h1>{items}{nav}")


@pytest.mark.parametrize(
    ("url", "html", "expected"),
    [
        ("http://x.vn/tin/hoi-nghi-123.html", ARTICLE, True),
        ("http://x.vn/tin/hoi-nghi", ARTICLE, True),  # the date near the title suffices
        ("http://x.vn/tin/", listing(6, pager=False), False),
        ("http://x.vn/tin/?page=3", listing(2, pager=False), False),  # last page of a listing
        ("http://x.vn/tin/", listing(3, pager=True), False),
        ("http://x.vn/gioi-thieu", doc(f"<h1>Giới thiệu</h1><p>{PARA}</p><p>{PARA}</p>"), False),
        ("http://x.vn/lien-he", doc("<h1>Liên hệ</h1><p>Điện thoại: 0210.3846.668</p>"), False),
        (
            "http://x.vn/a",
            doc(f"<p>{PARA}</p>", "<meta property='og:type' content='article'>"),
            False,
        ),
        (
            "http://x.vn/a",
            doc(
                f"<h1>T</h1><p>{PARA}</p><p>{PARA}</p>",
                "<meta property='og:type' content='article'>",
            ),
            True,
        ),
        ("http://x.vn/a", "", False),
    ],
)
def test_looks_like_article(url, html, expected):
    assert looks_like_article(url, html) is expected


def test_generic_needs_start_url_and_stays_on_host_and_port():
    with pytest.raises(ValueError, match="start_url"):
        GenericSpider()
    spider = GenericSpider(start_url="http://127.0.0.1:8001/")
    assert spider.on_site("http://127.0.0.1:8001/a")
    assert not spider.on_site("http://127.0.0.1:8002/a")
    assert not spider.on_site("http://localhost:8001/a")
    assert not spider.on_site("file:///etc/passwd")
    assert spider.follow_page("http://127.0.0.1:8001/van-ban/qd-12.pdf", 1) is False


def test_each_generic_portal_has_its_own_state_and_output_key():
    assert GenericSpider(start_url="http://127.0.0.1:8001/").site_id == "generic_127.0.0.1_8001"
    assert (
        GenericSpider(start_url="https://STTTT.Example.gov.vn/tin/").site_id
        == "generic_stttt.example.gov.vn"
    )


def test_feed_links_are_fetched_as_the_feed_writes_them(tmp_path):
    """Canonical URLs sort the query; a server that reads its query in order (Joomla-style
    index.php?option=…&view=…&id=…) answers 404 to the sorted form."""
    from http.server import BaseHTTPRequestHandler

    from tests.helpers import scrapy_crawl, serve_handler

    written = "/index.php?option=com_content&view=article&id=7"
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            if self.path == "/":
                body = b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><p>Trang chu</p></body></html>'
                ctype = "text/html; charset=utf-8"
            elif self.path == "/rss.xml":
                body = (
                    "<?xml version='1.0'?><rss><channel><item><title>Tin</title>"
                    f"<link>http://{self.headers['Host']}{written.replace('&', '&amp;')}</link>"
                    "</item></channel></rss>"
                ).encode()
                ctype = "application/rss+xml"
            else:
                self.send_error(404 if self.path != written else 200)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serve_handler(Handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        scrapy_crawl("generic", url, settings={"OUTPUT_DIR": str(tmp_path / "out")})
    assert written in seen
    assert not [p for p in seen if p.startswith("/index.php") and p != written]
