"""A fault-injecting portal on 127.0.0.1, for the fault suite (tests/test_faults.py).

    python -m tests.faultserver          # prints "port <N>" (and the canary's port), then serves

A NukeViet-shaped site: its news listing links to one page per fault kind. Good articles come from
the demo portal's Điện Biên data, rendered by the NukeViet template and then damaged in transport
or encoding; bad pages fail in one specific way each. FAULTS maps every path to what the crawl
must make of it: ("ok", article id) or ("reject", reason).
"""

from __future__ import annotations

import gzip
import json
import socket
import struct
import sys
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from crawler.demo.families import NukeVietRenderer
from crawler.demo.portal import load_site
from pipelines.encoding import encode_legacy

SITE = load_site("dienbien")
RENDER = NukeVietRenderer(SITE)
ARTICLES = SITE.newest_first
TIMEOUT = 2  # the DOWNLOAD_TIMEOUT the fault tests use; /slow answers later than this

CAT = "/vi/news/tin-hoat-dong"


def art(i: int) -> dict[str, Any]:
    return ARTICLES[i]


# path -> (expected outcome, detail). Good pages name the article index they carry.
FAULTS: dict[str, tuple[str, Any]] = {
    f"{CAT}/loi-500-roi-on-9001.html": ("ok", 0),
    f"{CAT}/loi-502-roi-on-9002.html": ("ok", 1),
    f"{CAT}/loi-503-roi-on-9003.html": ("ok", 2),
    f"{CAT}/qua-tai-429-9004.html": ("ok", 3),
    f"{CAT}/html-hong-9005.html": ("ok", 4),
    f"{CAT}/sai-charset-9006.html": ("ok", 5),
    f"{CAT}/thieu-charset-cp1258-9007.html": ("ok", 6),
    f"{CAT}/windows-1258-9008.html": ("ok", 7),
    f"{CAT}/tcvn3-9009.html": ("ok", 8),
    f"{CAT}/vni-9010.html": ("ok", 9),
    f"{CAT}/nfd-entities-9011.html": ("ok", 10),
    f"{CAT}/ban-goc-9012.html": ("ok", 11),
    f"{CAT}/khong-ton-tai-9101.html": ("reject", "http_404"),
    f"{CAT}/cham-qua-9102.html": ("reject", "timeout"),
    f"{CAT}/dut-ket-noi-9103.html": ("reject", "connection_lost"),
    f"{CAT}/cut-cut-9104.html": ("reject", "truncated_body"),
    f"{CAT}/chuyen-huong-vong-9105.html": ("reject", "redirect_loop"),
    f"{CAT}/chuyen-sang-site-khac-9106.html": ("reject", "offsite_redirect"),
    f"{CAT}/qua-lon-9107.html": ("reject", "too_large"),
    f"{CAT}/bom-gzip-9108.html": ("reject", "too_large"),
    f"{CAT}/tep-pdf-9109.html": ("reject", "binary_content"),
    f"{CAT}/anh-jpeg-9110.html": ("reject", "binary_content"),
    f"{CAT}/trang-rong-9111.html": ("reject", "empty_page"),
    f"{CAT}/loi-503-mai-mai-9112.html": ("reject", "http_503"),
}
DUPLICATE = f"{CAT}/ban-goc-9012.html"
# The same article linked with tracking parameters, a session id and a print variant.
DUPLICATE_LINKS = [
    DUPLICATE + "?utm_source=zalo&utm_medium=share",
    DUPLICATE.replace(".html", ".html;jsessionid=0AB12CD34EF"),
    DUPLICATE + "?PHPSESSID=9f8e7d6c&fbclid=IwAR0x",
    "/vi/news/print/ban-goc-9012.html",
]
LISTING_PAGES_BEFORE_TRAP = 3  # then /vi/news/page-N/ goes on forever


def article_html(i: int, **kw: Any) -> str:
    html = RENDER.article(art(i)).decode("utf-8")
    return html.replace("{base}", kw.get("origin", ""))


def listing(n: int, canary: int) -> bytes:
    links = list(FAULTS) + DUPLICATE_LINKS if n == 1 else []
    if n == 1:
        # Links that must never be followed.
        links += [
            f"http://127.0.0.1:{canary}/vi/news/tin-hoat-dong/canary-9999.html",
            f"http://localhost:{canary}/vi/news/tin-hoat-dong/canary-9998.html",
            "http://10.0.0.1/vi/news/tin-hoat-dong/private-9997.html",
            "file:///etc/passwd",
            "javascript:alert('x')",
        ]
    items = "".join(
        f"<div class='news_column'><div class='panel-body'><h3><a href=\"{href}\">Bài {i}</a></h3></div></div>"
        for i, href in enumerate(links)
    )
    pager = (
        f'<ul class="pagination"><li><a href="/vi/news/page-{n + 1}/" rel="next">›</a></li></ul>'
    )
    return f"<html><head><meta charset='utf-8'></head><body>{items}{pager}</body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send(
        self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        hits = self.server.hits
        hits[path] = hits.get(path, 0) + 1
        self.server.times.setdefault(path, []).append(time.monotonic())
        n = hits[path]
        base = path.split("?")[0].split(";")[0]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if base == "/vi/news/" or base.startswith("/vi/news/page-"):
            page = 1 if base == "/vi/news/" else int(base.rstrip("/").rsplit("-", 1)[1])
            return self.send(200, listing(page, self.server.canary))
        name = base.rsplit("/", 1)[-1]
        if name.startswith("loi-50") and "mai-mai" not in name:
            code = int(name[4:7])
            if n == 1:  # fail once, then succeed
                return self.send(code, b"<h1>Service Unavailable</h1>")
        if name.startswith("qua-tai-429") and n == 1:
            return self.send(429, b"Too many requests", Retry_After="1")
        if "mai-mai" in name:
            return self.send(503, b"<h1>down</h1>")
        if name.startswith("khong-ton-tai"):
            return self.send(404, b"<h1>404</h1>")
        if name.startswith("cham-qua"):
            time.sleep(TIMEOUT + 1.5)
            return self.send(200, article_html(0).encode())
        if name.startswith("dut-ket-noi"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "50000")
            self.end_headers()
            self.wfile.write(article_html(0).encode()[:3000])
            self.wfile.flush()
            # RST instead of FIN: a connection reset mid-body.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if name.startswith("cut-cut"):
            body = article_html(0).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.close_connection = True
            return None
        if name.startswith("chuyen-huong-vong"):
            other = (
                base.replace("9105", "9105b")
                if "9105b" not in base
                else base.replace("9105b", "9105")
            )
            return self.send(302, b"", Location=other)
        if name.startswith("chuyen-sang-site-khac"):
            return self.send(
                301, b"", Location=f"http://127.0.0.1:{self.server.canary}/stolen.html"
            )
        if name.startswith("qua-lon"):
            return self.send(200, b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>")
        if name.startswith("bom-gzip"):
            return self.send(200, self.server.bomb, Content_Encoding="gzip")
        if name.startswith("tep-pdf"):
            return self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50)
        if name.startswith("anh-jpeg"):
            return self.send(200, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20)
        if name.startswith("trang-rong"):
            return self.send(200, b"")
        expected = FAULTS.get(base) or FAULTS.get(base.replace("9105b", "9105"))
        if expected and expected[0] == "ok":
            return self.send_good(name, expected[1])
        if base == "/vi/news/print/ban-goc-9012.html":
            return self.send_good("ban-goc", 11)
        return self.send(404, b"<h1>404</h1>")

    def send_good(self, name: str, i: int) -> None:
        html = article_html(i)
        if name.startswith("html-hong"):
            # NukeViet-style malformed markup: unclosed paragraphs, list items and divs.
            html = (
                html.replace("</p>", "").replace("</li>", "").replace("</div></div>", "</div>", 3)
            )
            return self.send(200, html.encode())
        if name.startswith("sai-charset"):
            return self.send(
                200,
                html.replace('<meta charset="utf-8">', "").encode(),
                "text/html; charset=iso-8859-1",
            )
        if name.startswith("thieu-charset"):
            body = encode_legacy(html.replace('<meta charset="utf-8">', ""), "cp1258")
            return self.send(200, body, "text/html")
        if name.startswith("windows-1258"):
            html = html.replace(
                '<meta charset="utf-8">',
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">',
            )
            return self.send(200, encode_legacy(html, "cp1258"), "text/html; charset=windows-1258")
        if name.startswith("tcvn3") or name.startswith("vni"):
            scheme = "tcvn3" if name.startswith("tcvn3") else "vni"
            html = html.replace('<meta charset="utf-8">', "")
            return self.send(200, encode_legacy(html, scheme), "text/html; charset=iso-8859-1")
        if name.startswith("nfd-entities"):
            # Entities, zero-width and non-breaking spaces as editors leave them; then NFD.
            html = html.replace("Sở ", "S&#7903;\u200b&nbsp;").replace(
                "thông tin", "th&ocirc;ng&#x20;tin"
            )
            html = unicodedata.normalize("NFD", html)
            return self.send(200, html.encode())
        return self.send(200, html.encode())


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, canary: int) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}  # when each path was requested
        self.canary = canary
        # 64 MiB of zeros compress to ~64 KiB: a gzip bomb against an 8 MiB download limit.
        self.bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class CanaryServer(ThreadingHTTPServer):
    """Another local port: any request reaching it means the crawler left the site."""

    def __init__(self) -> None:
        hits: list[str] = []

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *a: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), H)
        self.hits = hits


def main() -> None:
    canary = CanaryServer()
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    server = FaultServer(canary.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"port {server.server_address[1]} canary {canary.server_address[1]}", flush=True)
    try:
        for line in sys.stdin:  # "hits" → JSON of what was requested, for the test to inspect
            if line.strip() == "hits":
                print(
                    json.dumps({"site": server.hits, "times": server.times, "canary": canary.hits}),
                    flush=True,
                )
    finally:
        server.shutdown()
        canary.shutdown()


if __name__ == "__main__":
    main()
