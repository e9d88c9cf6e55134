"""The zero-config spider's frontier and its crawl past the site model's sample: pending requests
stay flat, the pages held stay within the sample, and the records are those a model learned from
the whole site gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.sitemodel import Copies, SiteModel, Verdict
from spiders.frontier import Frontier
from tests.helpers import ENV, ROOT


def by_depth(key: str, depth: int, listed: bool) -> tuple[int, int]:
    return (int(listed), depth)


def drain(frontier: Frontier) -> list[str]:
    out = []
    while (found := frontier.pop()) is not None:
        out.append(found[0])
    return out


def test_frontier_is_best_rank_first_and_fifo_within_a_rank():
    f = Frontier(by_depth)
    f.push("s1", "S1", 1, listed=True)
    f.push("b", "B", 2, listed=False)
    f.push("a", "A", 1, listed=False)
    f.push("c", "C", 2, listed=False)
    assert len(f) == 4 and "b" in f
    assert drain(f) == ["a", "b", "c", "s1"]
    assert f.pop() is None and len(f) == 0


def test_a_url_found_again_moves_up_once_and_keeps_the_url_first_written():
    f = Frontier(by_depth)
    f.push("x", "http://h/X?b=1&a=2", 1, listed=True)  # from the sitemap
    f.push("y", "http://h/y", 3, listed=False)
    f.push("x", "http://h/x?a=2&b=1", 2, listed=False)  # the walk links it: moves up
    f.push("x", "http://h/x", 5, listed=True)  # a worse rank changes nothing
    assert len(f) == 2
    key, pending = f.pop()
    assert key == "x" and pending.url == "http://h/X?b=1&a=2"
    assert (pending.depth, pending.listed) == (1, False)
    assert drain(f) == ["y"]  # the stale heap entry of x is skipped


def test_rerank_orders_what_waits_by_the_new_rule():
    f = Frontier(by_depth)
    for key in ("list-1", "art-1", "list-2", "art-2"):
        f.push(key, key, 1, listed=False)
    f.rerank(lambda key, depth, listed: (0 if key.startswith("art") else 1, depth))
    assert drain(f) == ["art-1", "art-2", "list-1", "list-2"]


def verdict(url: str, title: str, date: str | None, fp: str) -> Verdict:
    return Verdict(url, "article", "", title=title, date_raw=date, fingerprint=fp)


@pytest.mark.parametrize(
    ("first", "later", "copy"),
    [
        (("T", "16/01/2024", "f1"), ("T", "16/01/2024 08:47", "f2"), True),  # same title, day
        (("T", "16/01/2024", "f1"), ("Other", None, "f1"), True),  # same body fingerprint
        (("T", "16/01/2024", "f1"), ("T", None, "f2"), True),  # undated joins the one dated
        (("T", "16/01/2024", "f1"), ("T", "17/01/2024", "f2"), False),  # two days: two
        (("T", None, "f1"), ("T", None, "f2"), False),  # two undated pages of one title
        (("T", None, "f1"), ("T", "17/01/2024", "f2"), True),  # the dated copy of an undated
    ],
)
def test_copies_tell_an_article_emitted_under_another_url(first, later, copy):
    copies = Copies()
    copies.add(verdict("http://h/a", *first))
    assert copies.seen(verdict("http://h/b", *later)) is copy


def test_a_template_seen_after_learning_becomes_an_article_template_by_learns_rule():
    model = SiteModel()
    model.best_template = 10
    # One page passing is not enough, nor two among nine others; two of two pages is.
    assert not model.tally("/tin-moi/{s}.html", True)
    assert not model.tally("/tin-moi/{s}.html", False)
    assert model.tally("/tin-moi/{s}.html", True)
    assert model.article_templates["/tin-moi/{s}.html"] == 2
    assert not model.tally("/tin-moi/{s}.html", True)  # already one: no news
    for _ in range(3):
        model.tally("/lien-he/{s}", False)
    assert "/lien-he/{s}" not in model.article_templates


def test_a_listing_read_after_learning_dates_and_lists_its_entries():
    model = SiteModel()
    model.article_templates = {"/tin/{s}-{n}.html": 9}
    entries = "".join(
        f"<li><a href='/tin/{slug}'>Bài viết về chuyển đổi số số {i}</a><span>1{i}/01/2024</span></li>"
        for i, slug in enumerate(["a-101.html", "b-102.html", "c-2016"])
    )
    html = f"<html><body><ul>{entries}</ul></body></html>"
    told = model.read_listing("http://h/tin/", html)
    assert told == {"http://h/tin/a-101.html", "http://h/tin/b-102.html", "http://h/tin/c-2016"}
    assert "http://h/tin/c-2016" in model.listed_with_articles  # two of three are articles
    assert model.listing_date("http://h/tin/c-2016") == "12/01/2024"
    model.forget("http://h/tin/c-2016")
    assert model.listing_date("http://h/tin/c-2016") is None


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A synthetic dienbien portal of 400 articles, 40 per listing page, on the demo server."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_crawl import synthetic

    data = tmp_path_factory.mktemp("portal")
    synthetic("dienbien", 400, data, 40)
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--serve", "--data-dir", str(data), "dienbien"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    try:
        url = next(x.split()[2] for x in proc.stdout if x.split()[:1] == ["dienbien"])
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def crawl(url: str, work: Path, **settings: int) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_frontier import crawl as measured_crawl

    return measured_crawl("generic", url, work, settings)


def test_past_the_sample_pending_requests_and_pages_held_stay_flat(portal, tmp_path):
    whole = crawl(portal, tmp_path / "whole")
    assert whole["facts"] > 400  # the whole site fits the default sample: learned at once
    part = crawl(portal, tmp_path / "part", SITE_MODEL_SAMPLE_PAGES=60)
    assert part["facts"] <= 60
    # Four requests per concurrent request to the site (8 here), plus feed and sitemap files.
    assert part["pending"] <= 32 + 4, part
    assert part["items"] == whole["items"] == 400
    assert part["records"] == whole["records"]


def test_articles_past_the_sample_teach_template_lines_until_the_cap():
    from pipelines.sitemodel import LATE_LINES_UNTIL

    model = SiteModel()
    follow = "mời quý độc giả theo dõi zalo oa của sở"
    for i in range(LATE_LINES_UNTIL + 5):
        v = verdict(f"http://h/{i}", f"T{i}", None, f"f{i}")
        v.lines = ({f"bài {i}", follow}, {follow}, set())
        model.learn_lines(v)
        assert v.lines is None  # counted, not kept
    assert model.article_pages == LATE_LINES_UNTIL
    assert model.article_text_freq[follow] == LATE_LINES_UNTIL
    assert model.is_static(follow) and not model.is_static("bài 3")
