"""portalgen2, the second portal generator: deterministic, gold consistent with the pages, reachable."""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.error
import urllib.request

import pytest

from tests.portalgen.generator import BASE_TOKEN, Portal
from tests.portalgen2 import build_portal, serve
from tests.test_portalgen import walk  # the same link walk over either generator

SEEDS = list(range(1, 21))
BASE = "http://portal.test"


def decode(portal: Portal, path: str) -> str:
    body = portal.pages[path].body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1258")
    return unicodedata.normalize("NFC", text)


def visible(portal: Portal, path: str) -> str:
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", decode(portal, path), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


@pytest.fixture(scope="module")
def portals() -> dict[int, Portal]:
    return {s: build_portal(s) for s in SEEDS}


def test_deterministic():
    for seed in (1, 8, 17):
        a, b = build_portal(seed), build_portal(seed)
        assert a.pages.keys() == b.pages.keys() and all(a.pages[k] == b.pages[k] for k in a.pages)
        assert a.gold == b.gold and a.boilerplate == b.boilerplate and a.aliases == b.aliases
    assert build_portal(1).gold[0].title != build_portal(2).gold[0].title


def test_variety(portals):
    assert len({p.meta["scheme"] for p in portals.values()}) >= 6
    assert len({p.meta["layout"] for p in portals.values()}) >= 3
    assert "cp1258" in {p.meta["encoding"] for p in portals.values()}


@pytest.mark.parametrize("seed", SEEDS)
def test_gold_matches_pages(portals, seed):
    portal = portals[seed]
    assert 10 <= len(portal.gold) <= 80
    titles = [g.title for g in portal.gold]
    assert len(set(titles)) == len(titles)
    non = set(portal.non_articles)
    gold_paths = {g.path for g in portal.gold}
    for alias, target in portal.aliases.items():
        assert target in gold_paths and alias not in non and portal.pages[alias].status == 200
    for g in portal.gold:
        assert g.path not in non and portal.pages[g.path].status == 200
        assert g.title == " ".join(unicodedata.normalize("NFC", g.title).split())
        text = visible(portal, g.path)
        assert g.title in text
        assert g.published_precision in ("minute", "day")
        assert g.published_at.endswith("+07:00") and g.published_at < "2026-11-30"
        if g.published_precision == "day":
            assert g.published_at.endswith("T00:00:00+07:00")
        assert g.paragraphs
        for p in g.paragraphs:
            assert p == " ".join(unicodedata.normalize("NFC", p).split())
            for piece in p.split(" | "):
                assert piece in text, piece
        if g.author:
            assert g.author in text
        joined = "\n".join(g.paragraphs)
        for b in portal.boilerplate:
            assert b not in joined, b
        for other in titles:
            assert other == g.title or other not in joined


@pytest.mark.parametrize("seed", SEEDS)
def test_everything_reachable(portals, seed):
    portal = portals[seed]
    broken: list[str] = []
    reached = walk(portal, broken)
    assert not broken
    assert not [g.path for g in portal.gold if g.path not in reached]
    assert not [
        p
        for p in portal.non_articles
        if portal.non_article_kinds[p] not in ("feed", "sitemap") and p not in reached
    ]


def test_served_over_http(portals):
    portal = portals[3]
    server, url = serve(portal)
    try:
        g = portal.gold[0]
        with urllib.request.urlopen(url.rstrip("/") + g.path, timeout=5) as resp:
            assert resp.status == 200
            body = resp.read()
            assert BASE_TOKEN.encode() not in body
        with urllib.request.urlopen(url + "robots.txt", timeout=5) as resp:
            assert resp.status == 200
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url + "khong-co-trang-nay-404.html", timeout=5)
        assert err.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
