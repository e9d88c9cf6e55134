"""Date evidence ranking: visible lines beat hidden microdata; structured data is cross-checked
with the visible line; NukeViet byCountry meta values keep their zone."""

from datetime import datetime

import pytest

from pipelines.dates import VN_TZ, choose_date, parse_date

FETCHED = datetime(2025, 6, 15, 12, 0, tzinfo=VN_TZ)


def c(source, raw, **kw):
    return {"source": source, "raw": raw, **kw}


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        # NukeViet: hidden itemprop=datePublished (the last edit) loses to the visible line and
        # to the meta value, also when the generic rules read it as the "visible" date.
        (
            [
                c("meta", "2012-05-30+0723:25:00"),
                c("microdata", "2012-06-02T10:00:00+07:00", hidden=True),
                c("page", "2012-06-02T10:00:00+07:00"),
            ],
            "2012-05-30T23:25:00+07:00",
        ),
        (
            [
                c("microdata", "2012-06-02T10:00:00+07:00", hidden=True),
                c("page", "Thứ tư - 30/05/2012 23:25"),
            ],
            "2012-05-30T23:25:00+07:00",
        ),
        # Hidden values only when nothing visible exists.
        ([c("microdata", "2012-06-02T10:00:00+07:00", hidden=True)], "2012-06-02T10:00:00+07:00"),
        (
            [c("microdata", "2012-06-02T10:00:00+07:00", hidden=True), c("listing", "30/05/2012")],
            "2012-05-30T00:00:00+07:00",
        ),
        # Same day: the one with the time.
        ([c("meta", "2023-08-28"), c("page", "28/08/2023 07:15")], "2023-08-28T07:15:00+07:00"),
        (
            [c("jsonld", "2023-08-28T07:15:30+07:00"), c("page", "28/08/2023")],
            "2023-08-28T07:15:30+07:00",
        ),
        # Another day: the visible one.
        (
            [c("jsonld", "2024-02-01T10:00:00+07:00"), c("page", "15/01/2021 10:27")],
            "2021-01-15T10:27:00+07:00",
        ),
        # byCountry: the page is rendered in the visitor's zone (EDT), meta and visible alike.
        (
            [c("meta", "2023-08-27EDT21:15:00"), c("page", "Chủ nhật - 27/08/2023 21:15")],
            "2023-08-28T08:15:00+07:00",
        ),
    ],
)
def test_rank(candidates, expected):
    found = choose_date(candidates, FETCHED)
    assert (found.iso() if found else None) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-08-27EDT21:15:00", "2023-08-28T08:15:00+07:00"),
        ("2023-08-27CEST21:15:00", "2023-08-28T02:15:00+07:00"),
        ("2023-08-27JST21:15:00", "2023-08-27T19:15:00+07:00"),
        ("2023-08-27+0721:15:00", "2023-08-27T21:15:00+07:00"),
        ("2023-08-27-0421:15:00", "2023-08-28T08:15:00+07:00"),
    ],
)
def test_nukeviet_meta_zones(raw, expected):
    assert parse_date(raw).iso() == expected


def test_nukeviet_rss_month_in_minutes():
    from pipelines.dates import parse_feed_date

    # gmdate('D, j M Y H:m:s'): 30 May 2012 16:05 GMT printed with "05" (May) as minutes.
    found = parse_feed_date("Wed, 30 May 2012 16:05:00 GMT", nukeviet_bug=True)
    assert found.iso() == "2012-05-30T23:00:00+07:00" and found.precision == "hour"
