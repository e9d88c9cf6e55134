import unicodedata

import pytest

from pipelines.normalize import build_record, canonicalize_url, same_site, sha256


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTP://STTTT.Example.GOV.VN/vi/news/a-1.html#top",
            "http://stttt.example.gov.vn/vi/news/a-1.html",
        ),
        ("https://x.vn:443/a?utm_source=fb&utm_medium=s&id=5", "https://x.vn/a?id=5"),
        ("http://x.vn/a.html;jsessionid=0A1B2C?x=1", "http://x.vn/a.html?x=1"),
        ("http://x.vn/a?PHPSESSID=abc&fbclid=z&page=2", "http://x.vn/a?page=2"),
        (
            "http://127.0.0.1:8123/Pages/tin-tuc.aspx?ItemID=7&cm=a",
            "http://127.0.0.1:8123/Pages/tin-tuc.aspx?ItemID=7&cm=a",
        ),
        ("http://x.vn/(S(lit3py55t21z5v55vlm25s55))/Pages/a.aspx", "http://x.vn/Pages/a.aspx"),
    ],
)
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalize_drops_family_params():
    url = "http://x.vn/-/asset_publisher/A/content/b?redirect=%2Fweb&inheritRedirect=true"
    assert (
        canonicalize_url(url, ("redirect", "inheritRedirect"))
        == "http://x.vn/-/asset_publisher/A/content/b"
    )


def test_same_site():
    assert same_site("http://www.x.vn/a", "https://x.vn/b")
    assert not same_site("http://x.vn:8080/a", "http://x.vn/a")
    assert not same_site("http://y.vn/a", "http://x.vn/a")


def _item(**kw):
    base = {
        "url": "http://x.vn/a-1.html?utm_source=z",
        "site": "demo",
        "title": "Tie\u0302u \u0111e\u0302\u0300",  # NFD
        "text": "Ho\u0300a bi\u0300nh\nĐoạn hai",
        "fetched_at": "2024-01-02T03:04:05+00:00",
    }
    base.update(kw)
    return base


def test_build_record_nfc_ids_and_hashes():
    rec = build_record(_item(), "1")
    assert rec["title"] == unicodedata.normalize("NFC", "Tie\u0302u \u0111e\u0302\u0300")
    assert unicodedata.is_normalized("NFC", rec["text"])
    assert rec["canonical_url"] == "http://x.vn/a-1.html"
    assert rec["id"] == sha256("http://x.vn/a-1.html")
    assert rec["content_hash"] == sha256(rec["text"])
    assert rec["word_count"] == 4
    assert rec["crawled_at"] == "2024-01-02T03:04:05Z"


def test_rel_canonical_only_when_same_site():
    same = build_record(_item(canonical_hint="http://x.vn/canonical-1.html"), "1")
    assert same["canonical_url"] == "http://x.vn/canonical-1.html"
    other = build_record(_item(canonical_hint="http://other.vn/copy.html"), "1")
    assert other["canonical_url"] == "http://x.vn/a-1.html"
