"""The plain-Python schema check (validate.quick_check) never passes a record jsonschema rejects."""

from __future__ import annotations

import copy
import random

import pytest

from pipelines.validate import VERSIONS, errors, quick_check, validator

GOOD = {
    "schema_version": "2",
    "id": "a" * 64,
    "version": 1,
    "url": "http://stttt.example.gov.vn/tin/1.html",
    "canonical_url": "http://stttt.example.gov.vn/tin/1.html",
    "site": "example",
    "province": "Điện Biên",
    "agency": "Sở Thông tin và Truyền thông",
    "province_current": "Điện Biên",
    "agency_current": "Sở Khoa học và Công nghệ",
    "title": "Tiêu đề",
    "summary": None,
    "text": "Nội dung.",
    "published_at": "2025-01-02T08:00:00+07:00",
    "published_at_raw": "02/01/2025 08:00",
    "published_at_precision": "minute",
    "modified_at": None,
    "author": None,
    "images": [{"url": "http://stttt.example.gov.vn/a.jpg", "caption": None}],
    "category": None,
    "tags": ["a", "b"],
    "language": "vi",
    "word_count": 2,
    "content_hash": "b" * 64,
    "crawled_at": "2025-01-02T01:00:00Z",
}
ODD = [
    None,
    0,
    1,
    -1,
    1.0,
    True,
    "",
    "x",
    "2",
    "vi",
    [],
    ["a", "a"],
    ["a", 1],
    {},
    "a" * 1001,
    "http://A/",
    [{"url": "ftp://x", "caption": None}],
    [{"url": "http://x"}],
    [{}],
    [1],
]


@pytest.mark.parametrize("version", VERSIONS)
def test_compiled_for_every_version(version: str) -> None:
    assert quick_check(version) is not None


def test_never_passes_what_jsonschema_rejects() -> None:
    quick, full = quick_check("2"), validator("2")
    assert quick(GOOD) and errors(GOOD) == []
    rng = random.Random(15)
    for _ in range(3000):
        record = copy.deepcopy(GOOD)
        for _ in range(rng.randint(1, 3)):
            key = rng.choice([*record, "extra"])
            if rng.random() < 0.15:
                record.pop(key, None)
            else:
                record[key] = copy.deepcopy(rng.choice(ODD))
        if quick(record):
            assert full.is_valid(record), record
        # errors() answers as jsonschema alone would
        assert bool(errors(record)) != full.is_valid(record), record
