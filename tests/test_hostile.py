"""Hostile pages: each ends as a record or as a reject with a specific reason, and none hangs the
crawl. Unit checks of each defence first, then two crawls against a hostile local server (a
family spider and the generic one)."""

from __future__ import annotations

import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.settings import Settings
from twisted.python.failure import Failure

from pipelines.budget import BudgetExceeded, cpu_budget
from pipelines.chain import record_from_page
from pipelines.dates import DatesPipeline
from pipelines.errors import RejectItem
from pipelines.extract import ExtractionError, ExtractPipeline, extract_article
from pipelines.html import json_values, load_json, parse_html, strip_invalid
from pipelines.normalize import NormalizePipeline
from pipelines.sitemodel import observe, page_links
from spiders.families.nukeviet import RULES
from spiders.faults import OVERSIZE_KEY, failure_reason
from tests.helpers import read_jsonl, run_file, scrapy_crawl, serve_handler

URL = "http://127.0.0.1/vi/news/tin-tuc/bai-viet-123.html"
BODY = "Sở Thông tin và Truyền thông tổ chức hội nghị chuyển đổi số năm 2024 tại tỉnh."


def page(body: str, *, title: str = "Hội nghị chuyển đổi số", head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body>"
        f"<h1 class='title'>{title}</h1>{body}</body></html>"
    )


def soup(n: int) -> str:
    """Old NukeViet / Word paste: every paragraph opens a <div><font> it never closes."""
    return "".join(f"<div><font><p>Đoạn {i}: {BODY}</p>" for i in range(n))


# ---- 1. noncharacters ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ufdd0", "\U0001fffe", "\x0b"])
def test_noncharacters_are_stripped_not_fatal(char):
    html = page(f"<div class='bodytext'><p><img src=a.jpg>{char}</p><p>{BODY}{char}</p></div>")
    record = record_from_page(URL, html, RULES)
    assert record["text"] == BODY
    assert strip_invalid(f"a{char}b") == "ab"


def test_noncharacters_in_generic_and_site_model_paths():
    html = page(
        f"<p><img src=a.jpg>\uffff</p><p>{BODY}</p><p>{BODY} Hai.</p>"
        "<a href='http://[::1/x'>hỏng</a><a href='/x-1.html'>\uffff</a>"
    )
    assert BODY in record_from_page(URL, html)["text"]
    assert observe(URL, html) is not None
    # the malformed link costs only itself
    assert page_links(URL, html) == ["http://127.0.0.1/x-1.html"]


# ---- 2. a table as the body container ------------------------------------------------------


def test_table_body_container_is_read_row_by_row():
    html = page(
        "<table class='bodytext'><tr><td>Chỉ tiêu</td><td>Kết quả</td></tr>"
        f"<tr><td>{BODY}</td><td>95%</td></tr></table>"
    )
    record = record_from_page(URL, html, RULES)
    assert record["text"] == f"Chỉ tiêu | Kết quả\n{BODY} | 95%"


# ---- 3. JSON-LD nested 5,000 deep --------------------------------------------------------------


def test_deep_jsonld_is_ignored_not_fatal():
    deep = '{"a":' * 5000 + '"x"' + "}" * 5000
    ld = "<script type='application/ld+json'>{}</script>"
    good = '{"@type":"NewsArticle","datePublished":"2024-03-05T08:00:00+07:00"}'
    html = page(
        f"<div class='bodytext'><p>{BODY}</p></div>", head=ld.format(deep) + ld.format(good)
    )
    record = record_from_page(URL, html, RULES)
    assert record["published_at"] == "2024-03-05T08:00:00+07:00"
    assert observe(URL, html) is not None


def test_json_values_is_depth_bounded():
    nested: Any = {"datePublished": "deep"}
    for _ in range(40):
        nested = {"x": [nested]}
    assert list(json_values({"datePublished": "top", "g": nested}, "datePublished")) == ["top"]
    assert list(json_values(nested, "datePublished", max_depth=100)) == ["deep"]
    assert load_json("[" * 100_000) is None


# ---- 4. tag soup deeper than libxml2's default limit -----------------------------------------


def test_deep_soup_keeps_every_paragraph():
    html = page(f"<div class='bodytext'>{soup(400)}</div>")
    assert len(record_from_page(URL, html, RULES)["text"].split("\n")) == 400
    # no body container: the trafilatura fallback sees the whole tree too
    assert len(record_from_page(URL, page(soup(400)))["text"].split("\n")) == 400


def test_deep_broken_menu_before_the_article():
    menu = "<div class='menu'>" + "<div><font><a href='/m'>Mục</a>" * 300
    html = (
        f"<html><head><title>T</title></head><body>{menu}<h1 class='title'>Tiêu đề</h1>"
        f"<div class='bodytext'><p>{BODY}</p></div></body></html>"
    )
    record = record_from_page(URL, html, RULES)
    assert record["title"] == "Tiêu đề" and record["text"] == BODY
    facts = observe(URL, html)
    assert facts is not None and BODY in facts.html


def test_tree_deeper_than_huge_tree_is_rejected_not_truncated():
    with pytest.raises(ExtractionError) as err:
        extract_article(URL, page(f"<div class='bodytext'>{soup(1100)}</div>"), RULES)
    assert err.value.reason == "too_deep" and "2048" in err.value.detail
    assert len(parse_html(soup(1100)).xpath("//p")) > 1000  # the spiders still see the links


# ---- 7. markup inside iframes and noscript ---------------------------------------------------


def test_iframe_and_noscript_content_never_reaches_text():
    html = page(
        "<div class='hometext'>Sapo <iframe><script>alert(1)</script></iframe></div>"
        f"<div class='bodytext'><p>{BODY}<iframe><p>khung</p></iframe></p>"
        "<noscript><p>bật javascript</p></noscript><template><p>mẫu</p></template></div>",
        title="Tiêu đề <iframe>x</iframe>",
    )
    for rules in (RULES, None):
        record = record_from_page(URL, html, rules)
        fields = " ".join(str(record[k]) for k in ("title", "summary", "text", "author"))
        for leak in ("<", "alert", "khung", "javascript", "mẫu"):
            assert leak not in fields, (rules, leak, fields)
    assert record_from_page(URL, html, RULES)["summary"] == "Sapo"


# ---- 6. bounds on the trafilatura fallback and on CPU time -----------------------------------


def test_fallback_skipped_above_the_link_bound():
    links = "".join(f"<div><a href='/x{i}.html'>liên kết {i}</a></div>" for i in range(60))
    html = page(f"<p>{BODY}</p>{links}")
    with pytest.raises(ExtractionError) as err:
        extract_article(URL, html, fallback_max_links=50)
    assert err.value.reason == "too_many_links"
    assert "60 links" in err.value.detail and "FALLBACK_MAX_LINKS=50" in err.value.detail
    assert extract_article(URL, html, fallback_max_links=100)["text"]


def test_cpu_budget_interrupts_and_restores():
    with pytest.raises(BudgetExceeded), cpu_budget(0.2):
        _spin(10)
    with cpu_budget(5):
        total = sum(range(1000))
    time.sleep(0)  # the cancelled timer fires no more
    assert total == 499500


def _spin(seconds: float) -> None:
    """Busy for `seconds` of CPU time (a bound on the test itself, should no budget stop it)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _pipeline(cls: type, **settings: Any) -> Any:
    spider = SimpleNamespace(extraction_rules=RULES, canonical_drop_params=())
    return cls(SimpleNamespace(spider=spider, settings=Settings(settings)))


def _item(html: str) -> dict[str, Any]:
    return {"url": URL, "html": html, "site": "t", "fetched_at": "2024-03-05T00:00:00+00:00"}


def test_extraction_over_its_cpu_budget_is_a_named_reject(monkeypatch):
    def slow(*args: Any, **kwargs: Any) -> dict:
        _spin(10)
        return {}

    monkeypatch.setattr("pipelines.extract.extract_article", slow)
    pipeline = _pipeline(ExtractPipeline, EXTRACT_MAX_SECONDS=0.3)
    with pytest.raises(RejectItem) as err:
        pipeline.process_item(_item(page(BODY)))
    assert err.value.reason == "extraction_timeout"
    assert "EXTRACT_MAX_SECONDS=0.3" in err.value.detail


# ---- 9. any exception in an extraction step is a reject naming it ----------------------------


def test_extract_pipeline_exception_is_extraction_error(monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> dict:
        raise AttributeError("'NoneType' object has no attribute 'replace'")

    monkeypatch.setattr("pipelines.extract.extract_article", broken)
    with pytest.raises(RejectItem) as err:
        _pipeline(ExtractPipeline).process_item(_item(page(BODY)))
    assert err.value.reason == "extraction_error"
    assert err.value.detail.startswith("AttributeError: 'NoneType' object")


def test_dates_and_normalize_pipeline_exceptions_are_extraction_errors():
    with pytest.raises(RejectItem) as err:
        DatesPipeline().process_item({"published_candidates": 5})
    assert err.value.reason == "extraction_error" and err.value.detail.startswith("TypeError")
    item = {"url": URL, "site": "t", "title": "T", "text": None}
    with pytest.raises(RejectItem) as err:
        _pipeline(NormalizePipeline).process_item(item)
    assert err.value.reason == "extraction_error" and "AttributeError" in err.value.detail
    with pytest.raises(RejectItem) as err:  # its own reject is kept as it was
        _pipeline(NormalizePipeline).process_item({"url": URL})
    assert err.value.reason == "normalize_failed"


# ---- 8. fetch failures named for what they are -----------------------------------------------


def _failure(exc: Exception, **meta: Any) -> Failure:
    failure = Failure(exc)
    failure.request = Request("http://127.0.0.1/a.html", meta=meta)  # type: ignore[attr-defined]
    return failure


def test_streamed_body_over_maxsize_is_too_large_not_cancelled():
    detail = "the body passed the download size limit (DOWNLOAD_MAXSIZE=100)"
    assert failure_reason(_failure(DownloadCancelledError(), **{OVERSIZE_KEY: detail})) == (
        "too_large",
        detail,
    )
    assert failure_reason(_failure(DownloadCancelledError()))[0] == "cancelled"


def test_redirect_to_a_non_http_scheme_is_bad_redirect():
    exc = IgnoreRequest("bad redirect to a non-HTTP URL 'file:///etc/passwd'")
    assert failure_reason(_failure(exc)) == ("bad_redirect", str(exc))


# ---- end to end: a family spider against a hostile portal --------------------------------------

CAT = "/vi/news/tin-tuc"
GOOD = page(f"<span class='h5'>05/03/2024 08:00</span><div class='bodytext'><p>{BODY}</p></div>")
MAXSIZE = 200_000


def _nukeviet(body: str) -> str:
    return page(f"<span class='h5'>05/03/2024 08:00</span>{body}")


# path -> (body or handler name, expected outcome)
ARTICLES: dict[str, tuple[str, tuple[str, str]]] = {
    f"{CAT}/tot-1.html": (GOOD, ("ok", BODY)),
    f"{CAT}/ky-tu-ffff-2.html": (
        _nukeviet(f"<div class='bodytext'><p><img src=a.jpg>\uffff</p><p>{BODY}</p></div>"),
        ("ok", BODY),
    ),
    f"{CAT}/bang-3.html": (
        _nukeviet(f"<table class='bodytext'><tr><td>{BODY}</td><td>95%</td></tr></table>"),
        ("ok", f"{BODY} | 95%"),
    ),
    f"{CAT}/jsonld-sau-4.html": (
        page(
            f"<span class='h5'>05/03/2024</span><div class='bodytext'><p>{BODY}</p></div>",
            head="<script type='application/ld+json'>" + "[" * 5000 + "]" * 5000 + "</script>",
        ),
        ("ok", BODY),
    ),
    f"{CAT}/long-sau-5.html": (
        _nukeviet(f"<div class='bodytext'>{soup(400)}</div>"),
        ("ok", "400 lines"),
    ),
    f"{CAT}/iframe-6.html": (
        _nukeviet(
            "<div class='hometext'>Sapo <iframe><script>alert(1)</script></iframe></div>"
            f"<div class='bodytext'><p>{BODY}</p></div>",
        ),
        ("ok", f"Sapo\n{BODY}"),
    ),
    f"{CAT}/qua-lon-7.html": ("stream-large", ("reject", "too_large")),
    f"{CAT}/sang-file-8.html": ("redirect-file", ("reject", "bad_redirect")),
    f"{CAT}/nhieu-lien-ket-9.html": (
        _nukeviet(f"<p>{BODY}</p>" + "<a href='/x.html'>x</a>" * 300),
        ("reject", "too_many_links"),
    ),
    f"{CAT}/trang-hai-10.html": (GOOD.replace("Hội nghị", "Trang hai"), ("ok", BODY)),
}


def _entry(path: str) -> str:
    return f"<li><h3><a href='{path}'>Bài {path}</a></h3></li>"


def _listing(paths: list[str], nxt: str | None) -> str:
    # The malformed link comes first: it must cost only itself.
    items = _entry("http://[::1/x") + "".join(_entry(p) for p in paths)
    pager = (
        f"<ul class='pagination'><li><a href='http://[::1/p'>1</a></li>"
        f"<li><a rel='next' href='{nxt}'>›</a></li></ul>"
        if nxt
        else ""
    )
    return f"<html><body><div class='news_column'><ul>{items}</ul>{pager}</div></body></html>"


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send(self, status: int, body: str | bytes, **headers: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": "text/html; charset=utf-8"} | {
            k.replace("_", "-"): v for k, v in headers.items()
        }
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        self.server.hits[self.path] += 1  # type: ignore[attr-defined]
        paths = list(ARTICLES)
        if self.path == "/vi/news/":
            return self.send(200, _listing(paths[:-1], f"{CAT}/page-2"))
        if self.path == f"{CAT}/page-2":
            return self.send(200, _listing(paths[-1:], None))
        body, _ = ARTICLES.get(self.path, ("", ("", "")))
        if body == "stream-large":
            # No Content-Length: Scrapy cancels the download when it passes DOWNLOAD_MAXSIZE.
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(b"<html><body>")
                for _ in range(4 * MAXSIZE // 10_000):
                    self.wfile.write(b"x" * 10_000)
            except OSError:
                pass
            self.close_connection = True
            return None
        if body == "redirect-file":
            return self.send(302, b"", Location="file:///etc/passwd")
        if body:
            return self.send(200, body)
        return self.send(404, "<h1>404</h1>")


@pytest.fixture
def hostile_server():
    with serve_handler(HostileHandler) as server:
        yield server


def test_family_crawl_every_hostile_page_is_a_record_or_named_reject(hostile_server, tmp_path):
    port = hostile_server.server_address[1]
    out = tmp_path / "out"
    proc = scrapy_crawl(
        "dienbien",
        f"http://127.0.0.1:{port}/",
        settings={
            "OUTPUT_DIR": str(out),
            "RETRY_ENABLED": "0",
            "ROBOTSTXT_OBEY": "0",
            "DOWNLOAD_MAXSIZE": str(MAXSIZE),
            "DOWNLOAD_WARNSIZE": "0",
            "FALLBACK_MAX_LINKS": "200",
        },
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Error processing" not in proc.stderr
    base = f"http://127.0.0.1:{port}"
    records = {r["url"].removeprefix(base): r for r in read_jsonl(run_file(out, "dienbien"))}
    rejects = {
        r["url"].removeprefix(base): r for r in read_jsonl(run_file(out, "dienbien", "rejects"))
    }
    assert set(records) | set(rejects) == set(ARTICLES), (records.keys(), rejects)
    for path, (_, (outcome, expected)) in ARTICLES.items():
        if outcome == "ok":
            text = records[path]["text"]
            if expected == "400 lines":
                assert len(text.split("\n")) == 400, path
            else:
                assert text == expected, path
            assert "<" not in (records[path]["summary"] or "") + text
        else:
            assert rejects[path]["reason"] == expected, (path, rejects[path])
    assert "DOWNLOAD_MAXSIZE" in rejects[f"{CAT}/qua-lon-7.html"]["detail"]
    assert "file:///etc/passwd" in rejects[f"{CAT}/sang-file-8.html"]["detail"]
    assert "FALLBACK_MAX_LINKS=200" in rejects[f"{CAT}/nhieu-lien-ket-9.html"]["detail"]
    assert "'links/bad_href': 2" in proc.stderr  # the bad entry, on each listing page


# ---- end to end: the generic spider against endless sitemaps and a page of links -------------


class EndlessHandler(HostileHandler):
    def do_GET(self) -> None:  # noqa: N802
        hits = self.server.hits  # type: ignore[attr-defined]
        hits[self.path] += 1
        if self.path.startswith("/sitemap"):
            n = int(self.path.removeprefix("/sitemap").removesuffix(".xml") or 0)
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            locs = "".join(
                f"<sitemap><loc>{host}/sitemap{n * 2 + k}.xml</loc></sitemap>" for k in (1, 2)
            )
            xml = (
                "<?xml version='1.0'?><sitemapindex"
                f" xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{locs}</sitemapindex>"
            )
            return self.send(200, xml, Content_Type="application/xml")
        if self.path == "/":
            links = "<a href='http://[::1/x'>hỏng</a>" + "".join(
                f"<a href='/tin/bai-{i}.html'>Bài {i}</a> " for i in range(3000)
            )
            return self.send(200, page(f"<p>{BODY}</p><div>{links}</div>"))
        if self.path.startswith("/tin/"):
            return self.send(200, page(f"<p>{BODY}</p>", title=self.path))
        return self.send(404, "<h1>404</h1>")


@pytest.fixture
def endless_server():
    with serve_handler(EndlessHandler) as server:
        yield server


def test_generic_crawl_bounds_sitemaps_and_links(endless_server, tmp_path):
    port = endless_server.server_address[1]
    out = tmp_path / "out"
    proc = scrapy_crawl(
        "generic",
        f"http://127.0.0.1:{port}/",
        settings={
            "OUTPUT_DIR": str(out),
            "RETRY_ENABLED": "0",
            "ROBOTSTXT_OBEY": "0",
            "SITEMAP_MAX_DEPTH": "20",
            "SITEMAP_MAX_FILES": "15",
            "MAX_LINKS_PER_PAGE": "100",
        },
        timeout=180,
    )
    # The portal has no article: the run ends (bounded), and fails as such (exit 1).
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "no article seen" in proc.stderr
    hits = endless_server.hits
    assert sum(n for p, n in hits.items() if p.startswith("/sitemap")) == 15
    assert 0 < sum(n for p, n in hits.items() if p.startswith("/tin/")) <= 100
    rejects = read_jsonl(run_file(out, f"generic_127.0.0.1_{port}", "rejects"))
    reasons = Counter(r["reason"] for r in rejects)
    assert reasons["sitemap_limit"] >= 1 and reasons["link_limit"] == 1, reasons
    details = " ".join(r["detail"] for r in rejects)
    assert "SITEMAP_MAX_FILES=15" in details and "MAX_LINKS_PER_PAGE=100" in details
    assert "3000 links" in details
