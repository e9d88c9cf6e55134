"""Record the fixture pages of every demo site into tests/fixtures/<site>/.

    python tests/record_fixtures.py [SITE ...]

Fetches each site's listing pages and articles over HTTP from the demo portal, rewrites the local
origin to the site's real home URL (so the pages read as recordings of the real portal), and writes
gzipped HTML plus meta.json with the ground truth taken from the article data the pages were
rendered from: expected listing links and next page, and per article title, lead, paragraphs,
captions, byline and date. Re-run it after changing a demo template, then review the diff.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import urllib.request
from pathlib import Path

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.demo.families import renderer_for
from crawler.demo.portal import SITES, load_site
from crawler.demo.server import DemoPortal

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Sites whose article pages print no date: the listing's day is the best evidence.
DAY_FROM_LISTING = {"phutho"}
ARTICLES_PER_SITE = 3


def clean(text: str) -> str:
    """Records carry whitespace collapsed (non-breaking spaces included)."""
    return " ".join(text.split())


def expected_article(key: str, article: dict) -> dict:
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


def record(key: str, origin: str, home: str) -> None:
    site = load_site(key)
    renderer = renderer_for(site)
    out = FIXTURES / key
    out.mkdir(parents=True, exist_ok=True)
    home = home.rstrip("/")

    def fetch(path: str, name: str) -> str:
        body = urllib.request.urlopen(origin + path, timeout=10).read()
        (out / name).write_bytes(
            gzip.compress(body.replace(origin.encode(), home.encode()), mtime=0)
        )
        return home + path

    listings = []
    for n, page in enumerate(site.pages(), start=1):
        url = fetch(renderer.listing_path(n), f"listing-{n}.html.gz")
        nxt = home + renderer.listing_path(n + 1) if n < len(site.pages()) else None
        links = [home + renderer.article_path(a) for a in page]
        listings.append(
            {"file": f"listing-{n}.html.gz", "url": url, "articles": links, "next": nxt}
        )
    chosen = [a for a in site.articles if a.get("seed")]
    chosen += [a for a in site.newest_first if not a.get("seed")][: ARTICLES_PER_SITE - len(chosen)]
    articles = []
    for a in chosen:
        name = f"article-{a['id']}.html.gz"
        url = fetch(renderer.article_path(a), name)
        articles.append(
            {"file": name, "url": url, "seed": a.get("seed"), "expected": expected_article(key, a)}
        )
    meta = {"site": key, "listings": listings, "articles": articles}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{key}: {len(listings)} listing pages, {len(articles)} articles -> {out}")


def main(keys: list[str]) -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    loader = SpiderLoader.from_settings(get_project_settings())
    keys = keys or list(SITES)
    with DemoPortal(keys) as running:
        for site in running:
            record(site.key, site.url.rstrip("/"), loader.load(site.key).home_url)


if __name__ == "__main__":
    main(sys.argv[1:])
