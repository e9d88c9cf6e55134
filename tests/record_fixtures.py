"""Record the fixture pages of every demo site into tests/fixtures/<site>/ (fixture format 2).

    python tests/record_fixtures.py [SITE ...] [--accept]

Serves the demo portal and records each site through `crawler.fixtures` (what
`python -m crawler record SITE=http://127.0.0.1:PORT/` does: raw bytes, headers, fetch time, the
mirror's origin rewritten to the site's home URL, expected records by replay). Each article's
meta entry also keeps the ground truth the demo page was rendered from (`truth`: title, lead,
paragraphs, captions, byline, date), which tests/test_sites.py holds the replay to as well, so
that an expected record accepted by mistake cannot hide an extraction bug. The demo's windows-1258
and TCVN3 variants of a seed article are recorded beside the UTF-8 one. Re-run it after changing a
demo template, then review the diff.
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from crawler import fixtures
from crawler.demo.families import renderer_for
from crawler.demo.portal import SITES, load_site
from crawler.demo.server import DemoPortal
from pipelines.encoding import encode_legacy

# Sites whose article pages print no date: the listing's day is the best evidence.
DAY_FROM_LISTING = {"phutho"}
ARTICLES_PER_SITE = 3
# (site, legacy encoding): a seed article of the site served again in that encoding.
VARIANTS = (("dienbien", "windows-1258"), ("dienbien", "tcvn3"))


def clean(text: str) -> str:
    """Records carry whitespace collapsed (non-breaking spaces included)."""
    return " ".join(text.split())


def expected_article(key: str, article: dict) -> dict:
    """The ground truth of a demo article: what the page was rendered from."""
    paragraphs = [clean(article["lead"])] + [clean(b["p"]) for b in article["blocks"] if "p" in b]
    captions = [b["caption"] for b in article["blocks"] if "img" in b and b.get("caption")]
    if article.get("lead_image") and article["lead_image"].get("caption"):
        captions.insert(0, article["lead_image"]["caption"])
    published = article["published"] + ":00+07:00"
    if key in DAY_FROM_LISTING:
        published = article["published"][:10] + "T00:00:00+07:00"
    return {
        "title": article["title"],
        "summary": clean(article["lead"]),
        "paragraphs": paragraphs,
        "captions": list(dict.fromkeys(captions)),
        "author": article.get("author"),
        "published_at": published,
    }


def cp1258_bytes(text: str) -> bytes:
    """windows-1258 as Word saves it: vowel qualities precomposed, tones as combining marks."""
    import re

    nfd = unicodedata.normalize("NFD", text)
    nfd = re.sub("\u0323([\u0302\u0306])", "\\1\u0323", nfd)
    shaped = re.sub(
        "[aeoAEO]\u0302|[aA]\u0306|[ouOU]\u031b", lambda m: unicodedata.normalize("NFC", m[0]), nfd
    )
    return shaped.encode("cp1258", errors="xmlcharrefreplace")


def legacy_page(html: str, encoding: str) -> tuple[bytes, str]:
    """The page in a legacy encoding, as old portals served it: windows-1258 labelled as such;
    TCVN3 typed in a TCVN3 font, served as ISO-8859-1."""
    if encoding == "windows-1258":
        html = html.replace('charset="utf-8"', 'charset="windows-1258"').replace(
            "charset=utf-8", "charset=windows-1258"
        )
        return cp1258_bytes(html), "text/html; charset=windows-1258"
    html = html.replace('charset="utf-8"', 'charset="iso-8859-1"').replace(
        "charset=utf-8", "charset=iso-8859-1"
    )
    return encode_legacy(html, "tcvn3"), "text/html; charset=iso-8859-1"


class _VariantServer(ThreadingHTTPServer):
    """Serves /<encoding>/<path> as the demo site's <path> re-encoded."""

    daemon_threads = True

    def __init__(self, origin: str) -> None:
        super().__init__(("127.0.0.1", 0), _VariantHandler)
        self.upstream = origin


class _VariantHandler(BaseHTTPRequestHandler):
    server: _VariantServer  # type: ignore[assignment]

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        encoding, _, path = self.path.lstrip("/").partition("/")
        page = fixtures.fetch(self.server.upstream + "/" + path)
        body, ctype = legacy_page(page.body.decode("utf-8"), encoding)
        self.send_response(page.status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def record_site(key: str, origin: str, accept: bool) -> int:
    site = load_site(key)
    renderer = renderer_for(site)
    chosen = [a for a in site.articles if a.get("seed")]
    chosen += [a for a in site.newest_first if not a.get("seed")][: ARTICLES_PER_SITE - len(chosen)]
    urls = [origin + renderer.article_path(a) for a in chosen]
    rec = fixtures.record(key, base=origin + "/", urls=urls, pages=len(site.pages()))
    home = fixtures.origin_of(fixtures.spider_for(key).home_url)
    extra = {
        home + renderer.article_path(a): {
            "file": f"article-{a['id']}.html.gz",
            "seed": a.get("seed"),
            "truth": expected_article(key, a),
        }
        for a in chosen
    }
    for variant_key, encoding in VARIANTS:
        if variant_key != key:
            continue
        server = _VariantServer(origin)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            seed = chosen[0]
            path = renderer.article_path(seed)
            url = f"http://127.0.0.1:{server.server_address[1]}/{encoding}{path}"
            page = fixtures.rebase(fixtures.fetch(url), fixtures.origin_of(url), home)
            stem = f"article-{seed['id']}-{encoding.replace('-', '')}"
            rec.articles.append((stem + ".html.gz", page, {}))
            extra[page.url] = {
                "file": stem + ".html.gz",
                "variant": encoding,
                "same_text_as": home + path,
                "truth": expected_article(key, seed),
            }
        finally:
            server.shutdown()
            server.server_close()
    return fixtures.save(key, rec, accept=accept, extra=extra)


def main(argv: list[str]) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    accept = "--accept" in argv
    keys = [a for a in argv if not a.startswith("--")] or list(SITES)
    status = 0
    with DemoPortal(keys) as running:
        for site in running:
            origin = site.url.rstrip("/")
            assert urlsplit(origin).hostname == "127.0.0.1"
            status |= record_site(site.key, origin, accept)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
