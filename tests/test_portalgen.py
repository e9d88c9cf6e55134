"""The portal generator itself: deterministic, gold consistent with the pages, everything reachable."""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.portalgen import build_portal, serve
from tests.portalgen.generator import BASE_TOKEN, Portal

SEEDS = list(range(1, 13))
BASE = "http://portal.test"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("data-href"):
            self.links.append(a["data-href"])


def _key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def walk(portal: Portal, broken: list[str] | None = None) -> set[str]:
    """Paths reachable from "/" following <a href> and data-href (javascript: links skipped)."""
    seen, queue = {"/"}, ["/"]
    broken = [] if broken is None else broken
    while queue:
        path = queue.pop()
        page = portal.page(path, BASE)
        if page.status in (301, 302, 303, 307, 308):
            k = _key(urljoin(BASE + path, dict(page.headers)["Location"]))
            if k not in seen:
                seen.add(k)
                queue.append(k)
            continue
        if page.status != 200:
            broken.append(path)
            continue
        if not page.content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(page.body.decode("latin-1"))
        for href in parser.links:
            href = href.strip()
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(BASE + path, href)
            if not url.startswith(BASE + "/"):
                continue
            k = _key(url)
            if k not in seen:
                seen.add(k)
                queue.append(k)
    return seen


def page_raw(portal: Portal, path: str) -> str:
    body = portal.pages[path].body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1258")
    return unicodedata.normalize("NFC", text)


def page_text(portal: Portal, path: str) -> str:
    return html.unescape(page_raw(portal, path))


def test_same_seed_same_bytes():
    for seed in (1, 5, 9):
        a, b = build_portal(seed), build_portal(seed)
        assert a.pages.keys() == b.pages.keys()
        assert all(a.pages[k] == b.pages[k] for k in a.pages)
        assert (
            a.gold == b.gold and a.boilerplate == b.boilerplate and a.non_articles == b.non_articles
        )


def test_different_seeds_differ():
    portals = [build_portal(s) for s in SEEDS]
    assert len({tuple(sorted(p.pages)) for p in portals}) == len(portals)
    assert len({p.gold[0].title for p in portals}) == len(portals)
    # the portals vary in their shape, not only their text
    assert len({p.meta["scheme"] for p in portals}) >= 4
    assert len({p.meta["layout"] for p in portals}) >= 2


@pytest.mark.parametrize("seed", SEEDS)
def test_gold_consistent_with_pages(seed):
    portal = build_portal(seed)
    assert 15 <= len(portal.gold) <= 60
    titles = [g.title for g in portal.gold]
    assert len(set(titles)) == len(titles)
    non = set(portal.non_articles)
    gold_paths = {g.path for g in portal.gold}
    for alias, target in portal.aliases.items():
        assert target in gold_paths and alias not in non and portal.pages[alias].status == 200
    for g in portal.gold:
        assert g.path not in non
        assert portal.pages[g.path].status == 200
        text = page_text(portal, g.path)
        assert g.title in text
        assert 6 <= len(g.title.split()) <= 20
        assert g.published_precision in ("minute", "day")
        assert g.published_at.endswith("+07:00") and g.published_at < "2026-11-30"
        if g.published_precision == "day":
            assert g.published_at.endswith("T00:00:00+07:00")
        assert g.paragraphs and all(
            p == " ".join(unicodedata.normalize("NFC", p).split()) for p in g.paragraphs
        )
        # every paragraph is on the page as text (table rows "a | b | c" cell by cell)
        visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_raw(portal, g.path))).split())
        for p in g.paragraphs:
            for piece in p.split(" | "):
                assert piece in visible, piece
        if g.author:
            assert g.author in visible
        for b in portal.boilerplate:
            assert b not in "\n".join(g.paragraphs)
        for other in titles:
            if other != g.title:
                assert other not in "\n".join(g.paragraphs)
    assert portal.boilerplate and all(len(b) >= 6 for b in portal.boilerplate)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_article_reachable(seed):
    portal = build_portal(seed)
    broken: list[str] = []
    reached = walk(portal, broken)
    assert not broken  # no internal link leads to a 404
    missing = [g.path for g in portal.gold if g.path not in reached]
    assert not missing
    assert all(
        p in reached
        for p in portal.non_articles
        if portal.non_article_kinds[p] != "feed" and not p.endswith(".xml")
    )


def test_build_is_fast():
    import time

    start = time.perf_counter()
    for seed in range(100, 110):
        build_portal(seed)
    assert (time.perf_counter() - start) / 10 < 0.5


def test_server_serves_portal():
    portal = build_portal(3)
    server, url = serve(portal)
    try:
        g = portal.gold[0]
        with urllib.request.urlopen(url.rstrip("/") + g.path, timeout=5) as resp:
            assert resp.status == 200
            body = resp.read()
            assert len(body) == int(resp.headers["Content-Length"])
            assert BASE_TOKEN.encode() not in body
        with urllib.request.urlopen(url, timeout=5) as resp:
            assert resp.status == 200
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url + "khong-co-trang-nay-404.html", timeout=5)
        assert err.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
