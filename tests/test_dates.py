import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.dates import (
    VN_TZ,
    ParsedDate,
    is_plausible,
    main,
    parse_date,
    parse_feed_date,
    search_date,
)

CORPUS = Path(__file__).parent / "data" / "date_corpus.tsv"
DEFAULT_REFERENCE = datetime(2025, 6, 15, 12, 0, tzinfo=VN_TZ)
SEVEN_HOURS = timedelta(hours=7)


def _load_corpus() -> list:
    rows = []
    for lineno, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip("\t"):
            continue
        text, reference, expected, precision, mode = (line.split("\t") + [""] * 5)[:5]
        rows.append(pytest.param(text, reference, expected, precision, mode, id=f"L{lineno}"))
    return rows


CORPUS_ROWS = _load_corpus()


def test_corpus_is_large_enough():
    assert len(CORPUS_ROWS) >= 220
    assert sum(1 for row in CORPUS_ROWS if row.values[2] == "null") >= 30


@pytest.mark.parametrize(("text", "reference", "expected", "precision", "mode"), CORPUS_ROWS)
def test_corpus(text, reference, expected, precision, mode):
    ref = datetime.fromisoformat(reference) if reference else DEFAULT_REFERENCE
    parse = search_date if mode == "search" else parse_date
    result = parse(text, ref)
    if expected == "null":
        assert result is None
        return
    assert result is not None
    assert result.iso() == expected
    assert result.precision == precision
    assert result.raw == text.strip()
    assert result.value.utcoffset() == SEVEN_HOURS


def test_parsed_date_api():
    result = parse_date("  Thứ ba, 16/01/2018 08:47  ")
    assert isinstance(result, ParsedDate)
    assert result.raw == "Thứ ba, 16/01/2018 08:47"
    assert result.value == datetime(2018, 1, 16, 8, 47, tzinfo=VN_TZ)
    assert result.iso() == "2018-01-16T08:47:00+07:00"
    with pytest.raises(AttributeError):
        result.precision = "day"  # frozen


def test_non_string_inputs_are_none():
    assert parse_date(None) is None
    assert search_date(None) is None
    assert parse_feed_date(None) is None
    assert parse_date(12345) is None  # type: ignore[arg-type]


def test_reference_naive_is_vietnam_time_and_aware_is_converted():
    naive = datetime(2024, 12, 1, 9, 0)
    utc = datetime(2024, 11, 30, 20, 0, tzinfo=UTC)  # 2024-12-01 03:00 in Vietnam
    assert parse_date("2 giờ trước", naive).iso() == "2024-12-01T07:00:00+07:00"
    assert parse_date("2 giờ trước", utc).iso() == "2024-12-01T01:00:00+07:00"
    assert parse_date("1/12", utc).iso() == "2024-12-01T00:00:00+07:00"


def test_default_reference_is_now():
    result = parse_date("vừa xong")
    assert result is not None
    assert abs(result.value - datetime.now(VN_TZ)) < timedelta(minutes=2)


# --- search_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sáng 27/11, Sở Thông tin và Truyền thông tổ chức tập huấn", "2024-11-27T00:00:00+07:00"),
        ("Chiều 2/12, Sở TT&TT làm việc với Viettel tỉnh", "2024-12-02T00:00:00+07:00"),
        ("Ngày 3/12/2024 lúc 14:30, hội nghị bế mạc", "2024-12-03T14:30:00+07:00"),
        ("Căn cứ Quyết định 258/QĐ-TTg ngày 15/3/2024, Sở triển khai", "2024-03-15T00:00:00+07:00"),
        ("Kỷ niệm Quốc khánh (2/9/1945-2/9/2024), tỉnh tổ chức", "1945-09-02T00:00:00+07:00"),
    ],
)
def test_search_date_in_lead_sentences(text, expected):
    result = search_date(text, datetime(2024, 12, 3, 10, 0, tzinfo=VN_TZ))
    assert result is not None
    assert result.iso() == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hệ thống đã cấp 5.000 tài khoản cho cán bộ",
        "Theo Quyết định 258/QĐ-TTg của Thủ tướng",
        "Kế hoạch giai đoạn 2021 - 2025",
        "Hỗ trợ 24/7, có 12/15 huyện triển khai",
        "Hơn 2.500 trạm BTS phủ sóng 98,5% dân số",
        "",
    ],
)
def test_search_date_ignores_plain_numbers(text):
    assert search_date(text, DEFAULT_REFERENCE) is None


def test_search_date_takes_the_first_date():
    text = "Ngày 20/11/2024, Sở họp; đến 25/11/2024 hoàn thành."
    assert search_date(text, DEFAULT_REFERENCE).iso() == "2024-11-20T00:00:00+07:00"


def test_search_date_yearless_resolves_to_previous_year():
    ref = datetime(2025, 1, 5, 9, 0, tzinfo=VN_TZ)
    assert search_date("Sáng 27/11, đoàn công tác ...", ref).iso() == "2024-11-27T00:00:00+07:00"


# --- parse_feed_date --------------------------------------------------------------------------


def test_feed_date_rfc822():
    result = parse_feed_date("Wed, 30 May 2012 16:25:00 GMT")
    assert result.iso() == "2012-05-30T23:25:00+07:00"
    assert result.precision == "second"
    assert parse_feed_date("Wed, 30 May 2012 16:25:00 +0700").iso() == "2012-05-30T16:25:00+07:00"


def test_feed_date_nukeviet_bug_loses_the_minute():
    # gmdate('D, j M Y H:m:s'): "05" is May, not the minute.
    result = parse_feed_date("Wed, 30 May 2012 16:05:00 GMT", nukeviet_bug=True)
    assert result.iso() == "2012-05-30T23:00:00+07:00"
    assert result.precision == "hour"
    result = parse_feed_date("Sun, 31 Dec 2023 20:12:41 GMT", nukeviet_bug=True)
    assert result.iso() == "2024-01-01T03:00:00+07:00"
    assert result.precision == "hour"
    # Without the flag the same string is taken at face value.
    plain = parse_feed_date("Wed, 30 May 2012 16:05:00 GMT")
    assert (plain.iso(), plain.precision) == ("2012-05-30T23:05:00+07:00", "second")


def test_feed_date_nukeviet_flag_on_unaffected_feed():
    # A minute field that is not the month number cannot come from the bug: read it normally.
    result = parse_feed_date("Wed, 30 May 2012 16:25:00 GMT", nukeviet_bug=True)
    assert (result.iso(), result.precision) == ("2012-05-30T23:25:00+07:00", "second")


def test_feed_date_falls_back_to_parse_date():
    assert parse_feed_date("2023-08-28T07:15:00+07:00").iso() == "2023-08-28T07:15:00+07:00"
    assert parse_feed_date("16/01/2018 08:47").iso() == "2018-01-16T08:47:00+07:00"
    assert parse_feed_date("not a date", nukeviet_bug=True) is None


# --- is_plausible -----------------------------------------------------------------------------


def test_is_plausible():
    fetched = datetime(2025, 6, 15, 12, 0, tzinfo=VN_TZ)
    assert is_plausible(datetime(2020, 1, 1, tzinfo=VN_TZ), fetched)
    assert is_plausible(datetime(1990, 1, 1, tzinfo=VN_TZ), fetched)
    assert not is_plausible(datetime(1989, 12, 31, 23, 59, tzinfo=VN_TZ), fetched)
    assert is_plausible(fetched + timedelta(hours=23), fetched)
    assert not is_plausible(fetched + timedelta(days=1, minutes=1), fetched)
    # Naive values are Vietnam time; a UTC fetch time is converted.
    assert is_plausible(datetime(2025, 6, 16, 11, 0), datetime(2025, 6, 15, 5, 0, tzinfo=UTC))
    assert not is_plausible(datetime(2025, 6, 16, 13, 0), datetime(2025, 6, 15, 5, 0, tzinfo=UTC))
    assert is_plausible(datetime(2024, 1, 1, tzinfo=VN_TZ))
    assert not is_plausible(datetime(2999, 1, 1, tzinfo=VN_TZ))


# --- CLI --------------------------------------------------------------------------------------


def test_cli_single_string(capsys):
    assert main(["Thứ ba, 16/01/2018 08:47"]) == 0
    assert capsys.readouterr().out.strip() == "2018-01-16T08:47:00+07:00"


def test_cli_reference_and_null(capsys):
    assert main(["Sáng 27/11", "--reference", "2024-12-01T09:00:00+07:00"]) == 0
    assert capsys.readouterr().out.strip() == "2024-11-27T00:00:00+07:00"
    assert main(["Số lượt xem: 343"]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "null"
    assert captured.err.strip() == "dates: not a date: 'Số lượt xem: 343'"


def test_cli_bad_reference_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["27/11", "--reference", "yesterday"])
    assert exc.value.code == 2


def test_cli_stdin_json_lines(capsys, monkeypatch):
    lines = "Thứ ba, 16/01/2018 08:47\nabc\nChiều 14/1\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["--reference", "2021-01-15T08:00:00"]) == 1  # "abc" is not a date
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out == [
        {
            "input": "Thứ ba, 16/01/2018 08:47",
            "value": "2018-01-16T08:47:00+07:00",
            "precision": "minute",
        },
        {"input": "abc", "value": None, "precision": None},
        {"input": "Chiều 14/1", "value": "2021-01-14T00:00:00+07:00", "precision": "day"},
    ]


def test_cli_stdin_all_dates_and_blank_lines_exit_0(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("16/01/2018\n\n"))
    assert main([]) == 0
    assert [json.loads(line)["value"] for line in capsys.readouterr().out.splitlines()] == [
        "2018-01-16T00:00:00+07:00",
        None,
    ]


# --- properties -------------------------------------------------------------------------------

DATE_ALPHABET = st.sampled_from(list("0123456789/-.: ,|()+hT") + ["tháng ", "năm ", "Sáng "])
date_like = st.lists(DATE_ALPHABET, max_size=30).map("".join)
texts = st.one_of(st.text(), date_like)
references = st.one_of(
    st.none(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, VN_TZ, timezone(timedelta(hours=-12))])),
)


def _check(result):
    if result is not None:
        assert result.value.tzinfo is not None
        assert result.value.utcoffset() == SEVEN_HOURS
        assert result.precision in {"second", "minute", "hour", "day", "month"}


@settings(max_examples=200, deadline=None)
@given(texts, references)
def test_parse_date_never_raises(text, reference):
    _check(parse_date(text, reference))


@settings(max_examples=200, deadline=None)
@given(texts, references)
def test_search_date_never_raises(text, reference):
    _check(search_date(text, reference))


@settings(max_examples=200, deadline=None)
@given(texts, references, st.booleans())
def test_parse_feed_date_never_raises(text, reference, nukeviet_bug):
    _check(parse_feed_date(text, reference, nukeviet_bug=nukeviet_bug))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime(1900, 1, 1).date()), st.integers(0, 23), st.integers(0, 59))
def test_round_trip_day_first(day, hour, minute):
    text = f"{day.day}/{day.month}/{day.year} {hour:02d}:{minute:02d}"
    result = parse_date(text, DEFAULT_REFERENCE)
    assert result.value == datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN_TZ)
    assert result.precision == "minute"
