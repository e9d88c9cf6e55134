"""End to end: the demo portal in a subprocess, crawled by every site spider and by `generic`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.demo.families import renderer_for
from crawler.demo.portal import SITES, load_site
from pipelines.validate import errors
from tests.helpers import ENV, ROOT, read_jsonl, run_file, scrapy_crawl, serve_demo

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

# What a naive scrape of the seed pages kept and a record must not.
JUNK = [
    "Những tin mới hơn",
    "Những tin cũ hơn",
    "Bạn đã không sử dụng Site",
    "Số lượt xem",
    "0:00 / 0:00",
    "Xem chi tiết",
    "Xem thêm",
    "banner",
    "icon",
    "Cổng dịch vụ công",
    "Trang chủ",
    "Liên hệ",
    "Giấy phép",
    "Địa chỉ:",
    "Thống kê truy cập",
    "Tổng lượt truy cập",
    "In bài",
    "Chia sẻ",
    "Tin liên quan",
    "Tin khác",
    "ảnh 1",
    ".jpg",
]
SEED_EXPECTED = {
    "000": ("phutho", "2024-11-27T00:00:00+07:00", None),
    "001": ("mic_units", "2018-01-16T08:47:00+07:00", "Khánh Trang"),
    "002": ("dienbien", "2012-05-30T23:25:00+07:00", "Chu Xuân Trường"),
    "003": ("bacninh", "2021-01-15T10:27:00+07:00", "MT"),
    "004": ("backan", "2023-08-28", None),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-output")
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--output-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=ENV,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc.stdout


def test_demo_prints_a_summary_per_site(demo):
    out, stdout = demo
    for key in SITES:
        row = next(line for line in stdout.splitlines() if line.startswith(key + " "))
        site, status, pages, new, updated, known, rejects, path = row.split()
        assert status == "ok" and int(new) == len(load_site(key).articles) and rejects == "0"
        assert path == str(run_file(out, key))


@pytest.mark.parametrize("key", list(SITES))
def test_demo_one_valid_record_per_article(demo, key):
    out, _ = demo
    records = read_jsonl(run_file(out, key))
    site = load_site(key)
    renderer = renderer_for(site)
    paths = sorted(re.sub(r"^https?://[^/]+", "", r["canonical_url"]) for r in records)
    assert paths == sorted(renderer.article_path(a) for a in site.articles)
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert errors(r) == [], r["url"]
    assert read_jsonl(run_file(out, key, "rejects")) == []
    # No temporary files are left behind once the run has closed its files.
    assert not list(out.glob("**/.*.tmp"))
    manifest = json.loads(run_file(out, key, "manifest").read_text("utf-8"))
    assert manifest["status"] == "ok" and manifest["counts"]["records"] == len(records)


@pytest.mark.parametrize(
    ("key", "province", "current", "agency_current"),
    [
        ("backan", "Bắc Kạn", "Thái Nguyên", "Báo và Phát thanh, Truyền hình Thái Nguyên"),
        ("dienbien", "Điện Biên", "Điện Biên", "Sở Khoa học và Công nghệ tỉnh Điện Biên"),
        ("mic_units", None, None, "Bộ Khoa học và Công nghệ"),
    ],
)
def test_records_name_the_province_and_agency_of_today(
    demo, key, province, current, agency_current
):
    records = read_jsonl(run_file(demo[0], key))
    assert {r["schema_version"] for r in records} == {"2"}
    assert {(r["province"], r["province_current"], r["agency_current"]) for r in records} == {
        (province, current, agency_current)
    }


@pytest.mark.parametrize("seed", sorted(SEED_EXPECTED))
def test_seed_article(demo, seed):
    out, _ = demo
    key, published, author = SEED_EXPECTED[seed]
    article = next(a for a in load_site(key).articles if a.get("seed") == seed)
    record = next(
        r
        for r in read_jsonl(run_file(out, key))
        if r["canonical_url"].endswith(renderer_for(load_site(key)).article_path(article))
    )
    seed_text = next(SEEDS.glob(f"{seed}_*.txt")).read_text("utf-8")
    assert record["title"] == article["title"] and article["title"] in seed_text
    assert record["published_at"].startswith(published)
    assert record["author"] == author
    # Every body paragraph of the seed, in order.
    paragraphs = [article["lead"]] + [b["p"] for b in article["blocks"] if "p" in b]
    pos = 0
    for para in paragraphs:
        assert para in seed_text
        para = " ".join(para.split())  # records collapse whitespace, non-breaking spaces included
        found = record["text"].find(para, pos)
        assert found >= 0, para[:60]
        pos = found + len(para)
    for junk in JUNK:
        assert junk not in record["text"], junk
    captions = {i["caption"] for i in record["images"]}
    for block in article["blocks"]:
        if block.get("caption"):
            assert block["caption"] in captions
            assert block["caption"] not in record["text"]
    if author:
        assert author not in record["text"].split("\n")[-1]


def test_seed_004_title_without_kicker(demo):
    out, _ = demo
    record = next(
        r
        for r in read_jsonl(run_file(out, "backan"))
        if r["title"].startswith("Thực hiện tốt sứ mệnh")
    )
    assert record["title"] == "Thực hiện tốt sứ mệnh dẫn dắt công cuộc chuyển đổi số quốc gia"


@pytest.fixture(scope="module")
def served():
    with serve_demo() as urls:
        yield urls


@pytest.mark.parametrize("key", list(SITES))
def test_generic_spider_finds_every_article_and_nothing_else(served, key, tmp_path):
    target = tmp_path / "generic.jsonl"
    proc = scrapy_crawl(
        "generic",
        served[key],
        "-O",
        str(target),
        settings={"LOG_LEVEL": "WARNING", "OUTPUT_DIR": str(tmp_path / "runs")},
    )
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(target)
    site = load_site(key)
    renderer = renderer_for(site)
    got = sorted(re.sub(r"^https?://[^/]+", "", r["canonical_url"]) for r in records)
    assert got == sorted(renderer.article_path(a) for a in site.articles)
    for r in records:
        assert errors(r) == []
