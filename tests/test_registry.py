"""The registry of provinces and portals, checked against the official lists (NFC)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.provinces import (
    PORTAL_FIELDS,
    current_agency,
    current_province,
    portals,
    provinces,
)
from tests.helpers import ENV, ROOT

# Resolution 202/2025/QH15: each current province or city and the former ones it took over.
OFFICIAL = {
    "Hà Nội": ["Hà Nội"],
    "Huế": ["Thừa Thiên Huế"],
    "Lai Châu": ["Lai Châu"],
    "Điện Biên": ["Điện Biên"],
    "Sơn La": ["Sơn La"],
    "Lạng Sơn": ["Lạng Sơn"],
    "Quảng Ninh": ["Quảng Ninh"],
    "Thanh Hóa": ["Thanh Hóa"],
    "Nghệ An": ["Nghệ An"],
    "Hà Tĩnh": ["Hà Tĩnh"],
    "Cao Bằng": ["Cao Bằng"],
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"],
    "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"],
    "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"],
    "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"],
    "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"],
    "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"],
    "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"],
    "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"],
    "Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"],
    "Tây Ninh": ["Tây Ninh", "Long An"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"],
    "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"],
    "Cà Mau": ["Cà Mau", "Bạc Liêu"],
    "An Giang": ["An Giang", "Kiên Giang"],
}


def test_the_merger_table_is_the_official_one():
    table = {r["province"]: r["province_current"] for r in provinces()}
    assert len(table) == len(provinces()) == 63
    assert len(set(table.values())) == 34
    expected = {former: cur for cur, formers in OFFICIAL.items() for former in formers}
    assert table == expected
    for row in provinces():
        for value in row.values():
            assert value == unicodedata.normalize("NFC", value)


def test_portal_rows_are_complete_unique_and_cover_every_province():
    rows = portals()
    for row in rows:
        assert set(row) == set(PORTAL_FIELDS)
        assert row["status"] in ("fixture", "unverified") and row["home_url"].startswith("https://")
        assert row["province_current"] == current_province(row["province"])
        assert all(v == unicodedata.normalize("NFC", v) for v in row.values())
    urls = [r["home_url"] for r in rows]
    assert len(urls) == len(set(urls)), "two rows share a home URL"
    formers = {r["province"] for r in rows if r["kind"] == "stttt"}
    assert formers == {f for fs in OFFICIAL.values() for f in fs}
    departments = {r["province_current"] for r in rows if r["kind"] in ("stttt", "skhcn")}
    assert departments == set(OFFICIAL)


def test_fixture_rows_are_registered_sites_and_sites_are_in_the_registry():
    loader = SpiderLoader.from_settings(get_project_settings())
    by_site = {r["site"]: r for r in portals() if r["site"]}
    for row in by_site.values():
        assert row["status"] == "fixture"
        cls = loader.load(row["site"])
        assert cls.home_url == row["home_url"] and cls.province == row["province"]
        assert (ROOT / "tests/fixtures" / row["site"]).is_dir()
    for name in loader.list():
        cls = loader.load(name)
        if getattr(cls, "province", None):
            assert name in by_site, f"site {name} ({cls.province}) is missing from the registry"


@pytest.mark.parametrize(
    ("name", "current", "agency"),
    [
        ("Bắc Kạn", "Thái Nguyên", "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"),
        ("tỉnh Điện Biên", "Điện Biên", "Sở Khoa học và Công nghệ tỉnh Điện Biên"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh", "Sở Khoa học và Công nghệ thành phố Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "Sở Khoa học và Công nghệ thành phố Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế", "Sở Khoa học và Công nghệ thành phố Huế"),
        ("Hoà Bình", "Phú Thọ", "Sở Khoa học và Công nghệ tỉnh Phú Thọ"),
        ("Atlantis", None, None),
        (None, None, None),
    ],
)
def test_current_names(name, current, agency):
    assert current_province(name) == current
    assert current_agency(name) == agency


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "registry", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=60,
    )


def test_registry_command():
    rows = json.loads(run("--format", "json").stdout)
    assert len(rows) == len(portals())
    assert {"province", "province_current", "agency", "agency_current", "home_url", "family",
            "status"} <= set(rows[0])  # fmt: skip
    some = json.loads(run("--format", "json", "--province", "Thái Nguyên").stdout)
    assert {r["province"] for r in some} == {"Thái Nguyên", "Bắc Kạn"}
    fixture = run("--status", "fixture", "--format", "csv").stdout.splitlines()
    assert len(fixture) == 1 + sum(r["status"] == "fixture" for r in portals())
    bad = run("--province", "Atlantis")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_unverified_portals_go_to_the_zero_config_spider():
    from crawler.cli import unverified_targets

    targets = unverified_targets()
    rows = [r for r in portals() if r["status"] == "unverified"]
    assert len(targets) == len(rows) and {t[0] for t in targets} == {"generic"}
    assert {t[1]["start_url"] for t in targets} == {r["home_url"] for r in rows}
    assert all(t[1]["province"] and t[1]["agency"] for t in targets)
    alone = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--include-unverified"],
        capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=60,
    )  # fmt: skip
    assert alone.returncode == 2 and "--all" in alone.stderr


def test_the_readme_coverage_table_is_the_registry():
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("<!-- registry:start -->\n", 1)[1].split("<!-- registry:end -->", 1)[0]
    assert table == run("--format", "markdown").stdout, (
        "README's coverage table is stale: paste `python -m crawler registry --format markdown`"
    )
    assert table.count(" | unverified") == sum(r["status"] == "unverified" for r in portals())
