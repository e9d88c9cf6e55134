"""Which of a page's dates becomes published_at: evidence order and sanity limits."""

from datetime import datetime

import pytest

from pipelines.dates import VN_TZ, choose_date, date_fields

FETCHED = datetime(2025, 6, 15, 12, 0, tzinfo=VN_TZ)


def c(source, raw):
    return {"source": source, "raw": raw}


@pytest.mark.parametrize(
    ("candidates", "url", "lead", "expected", "raw"),
    [
        # Structured data agreeing with the visible date to the day wins (it has seconds/offset).
        (
            [c("meta", "2023-08-28T07:15:00+0700"), c("page", "Thứ Hai, 28/08/2023 07:15")],
            "",
            None,
            "2023-08-28T07:15:00+07:00",
            "2023-08-28T07:15:00+0700",
        ),
        # ...but a datePublished that is really the edit time (another day) loses to the page.
        (
            [
                c("jsonld", "2024-02-01T10:00:00+07:00"),
                c("page", "15/01/2021 10:27 Số lượt xem: 343"),
            ],
            "",
            None,
            "2021-01-15T10:27:00+07:00",
            "15/01/2021 10:27 Số lượt xem: 343",
        ),
        # NukeViet's malformed meta still reads, and agrees with the visible date.
        (
            [c("meta", "2012-05-30+0723:25:00"), c("page", "Thứ tư - 30/05/2012 23:25")],
            "",
            None,
            "2012-05-30T23:25:00+07:00",
            "2012-05-30+0723:25:00",
        ),
        # A future or ancient structured date is not evidence.
        (
            [c("meta", "2031-01-01T00:00:00Z"), c("page", "16/01/2018 08:47")],
            "",
            None,
            "2018-01-16T08:47:00+07:00",
            "16/01/2018 08:47",
        ),
        ([c("meta", "1970-01-01T00:00:00Z")], "", None, None, None),
        (
            [c("page", "Thứ ba, 16/01/2018 08:47"), c("listing", "17/01/2018")],
            "",
            None,
            "2018-01-16T08:47:00+07:00",
            "Thứ ba, 16/01/2018 08:47",
        ),
        # No date on the page: the listing's; then a date in the URL.
        (
            [c("listing", "27/11/2024")],
            "",
            "Sáng 27/11, Sở TT&TT tổ chức",
            "2024-11-27T00:00:00+07:00",
            "27/11/2024",
        ),
        (
            [],
            "https://x.vn/2023/08/28/bai-viet/",
            None,
            "2023-08-28T00:00:00+07:00",
            "https://x.vn/2023/08/28/bai-viet/",
        ),
        # Lead with a full date; a yearless lead date alone is not enough.
        (
            [],
            "",
            "Ngày 11/1/2018, Sở TT&TT Phú Thọ tổ chức hội nghị",
            "2018-01-11T00:00:00+07:00",
            None,
        ),
        ([], "", "Sáng 27/11, Sở TT&TT tổ chức gặp mặt", None, None),
        ([c("page", "không rõ")], "", None, None, None),
    ],
)
def test_choose_date(candidates, url, lead, expected, raw):
    found = choose_date(candidates, FETCHED, url, lead)
    assert (found.iso() if found else None) == expected
    if raw is not None:
        assert found.raw == raw


def test_yearless_lead_takes_year_from_other_evidence():
    found = choose_date(
        [],
        FETCHED,
        "",
        "Sáng 27/11, Sở TT&TT tổ chức",
        year_hint=datetime(2024, 12, 2, tzinfo=VN_TZ),
    )
    assert found.iso() == "2024-11-27T00:00:00+07:00" and found.precision == "day"


def test_date_fields_uses_modified_date_as_year_hint():
    item = {
        "fetched_at": "2026-01-01T00:00:00+00:00",
        "summary": "Sáng 27/11, Sở Thông tin và Truyền thông tổ chức gặp mặt kỷ niệm 20 năm.",
        "published_candidates": [],
        "modified_candidates": [c("meta", "2024-11-28T08:00:00+07:00")],
    }
    fields = date_fields(item)
    assert fields["published_at"] == "2024-11-27T00:00:00+07:00"
    assert fields["modified_at"] == "2024-11-28T08:00:00+07:00"


def test_cli_through_python_m_crawler():
    import subprocess
    import sys

    from tests.helpers import ENV, ROOT

    one = subprocess.run(
        [sys.executable, "-m", "crawler", "dates", "Thứ tư - 30/05/2012 23:25"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    assert one.stdout.strip() == "2012-05-30T23:25:00+07:00"
    many = subprocess.run(
        [sys.executable, "-m", "crawler", "dates", "--reference", "2021-01-20T00:00:00+07:00"],
        input="Chiều 14/1\nkhông phải ngày\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    assert many.returncode == 1  # one line is not a date
    assert many.stderr.strip() == "dates: 1 input line(s) not a date"
    assert many.stdout.splitlines() == [
        '{"input": "Chiều 14/1", "value": "2021-01-14T00:00:00+07:00", "precision": "day"}',
        '{"input": "không phải ngày", "value": null, "precision": null}',
    ]


def test_feed_date_with_nukeviet_month_in_minutes():
    # 23:25 on 30/05/2012 in Vietnam is 16:25 GMT; NukeViet printed "16:05" (05 = May).
    feed = {"source": "feed", "raw": "Wed, 30 May 2012 16:05:00 GMT", "nukeviet_bug": True}
    found = choose_date([feed], FETCHED)
    assert found.iso() == "2012-05-30T23:00:00+07:00" and found.precision == "hour"
    # The page's own date line still outranks the feed.
    found = choose_date([feed, c("page", "Thứ tư - 30/05/2012 23:25")], FETCHED)
    assert found.iso() == "2012-05-30T23:25:00+07:00"
