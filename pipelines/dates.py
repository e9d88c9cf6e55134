"""All date logic: visible date lines, lead sentences, feed pubDates and meta values.

A hand-written fast path (regexes over a lower-cased, diacritic-free copy of the text) covers the
formats these portals actually print; dateparser is only a guarded fallback for month-name forms the
fast path does not know. Everything is returned as an aware datetime in Vietnam time (UTC+07:00)
with an explicit precision, because many sources give no time, no minute or no year.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from pipelines.errors import reject_errors

__all__ = [
    "VN_TZ",
    "ParsedDate",
    "is_plausible",
    "main",
    "parse_date",
    "parse_feed_date",
    "search_date",
]

# Vietnam has used UTC+07:00 without DST since 1975, so a fixed offset is exact.
VN_TZ = timezone(timedelta(hours=7))

PRECISIONS = ("second", "minute", "hour", "day", "month")
_EARLIEST = datetime(1990, 1, 1, tzinfo=VN_TZ)


@dataclass(frozen=True)
class ParsedDate:
    value: datetime  # aware, in VN_TZ
    precision: str  # one of PRECISIONS
    raw: str  # the input as given, stripped

    def iso(self) -> str:
        return self.value.isoformat()


# --------------------------------------------------------------------------------------------
# Folding: one str.translate call removes diacritics, lower-cases đ and unifies spaces/dashes,
# so every regex below can be plain ASCII.


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in range(0xC0, 0x2000):  # Latin-1 Supplement .. Latin Extended Additional
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base.lower()
    for cp in range(0x300, 0x370):  # combining marks of decomposed (NFD) input
        table[cp] = None
    for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad":  # invisible characters
        table[ord(ch)] = None
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d"})
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(ch)] = "-"
    for ch in "\u00a0\u2007\u202f\u3000\t\r\n\f\v":
        table[ord(ch)] = " "
    for cp in range(0x2000, 0x200B):
        table[cp] = " "
    table.update({ord("\uff0f"): "/", ord("\u2215"): "/", ord("\uff1a"): ":"})
    return table


_FOLD = _build_fold_table()
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_FOLD).lower()).strip()


# --------------------------------------------------------------------------------------------
# Patterns (applied to folded text; re.ASCII keeps \d and \b to ASCII, which int() expects).

_A = re.ASCII

_EN_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])"
)
_EN_MONTHS = {
    k: i + 1
    for i, k in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
# "Tháng Mười Hai" style names; longest alternatives first so "muoi hai" beats "muoi".
_VN_MONTH_WORDS = {
    "muoi mot": 11,
    "muoi hai": 12,
    "muoi": 10,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
_VN_MONTH = r"(\d{1,2}|muoi ?mot|muoi ?hai|muoi|mot|hai|ba|tu|nam|sau|bay|tam|chin)(?![a-z\d])"
_THANG = r"(?:thang|thg)"

# Full dates (rank 0).
_YMD = re.compile(r"(?<![\d/.:])(\d{4})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)", _A)
_DMY = re.compile(r"(?<![\d/.:])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?!\d|/\d)", _A)
_VN_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*{_THANG}\s*{_VN_MONTH}\s*(?:,|nam|/|-|\.)?\s*(\d{{4}})(?!\d)", _A
)
# WordPress "F j, Y" in Vietnamese: "Tháng Một 16, 2018".
_VN_MDY = re.compile(rf"\b{_THANG}\s*{_VN_MONTH}\s+(\d{{1,2}}),\s*(\d{{4}})(?!\d)", _A)
_EN_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?{_EN_MONTH},?[\s-]+(\d{{4}})(?!\d)", _A
)
_EN_MDY = re.compile(
    rf"\b{_EN_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:]),?\s+(\d{{4}})(?!\d)", _A
)
# Month and year only (rank 1).
_VN_MY = re.compile(
    rf"(?<!\d)(?<!\d\s){_THANG}\s*{_VN_MONTH}\s*(?:[/.,-]|nam)?\s*(\d{{4}})(?!\d)", _A
)
_EN_MY = re.compile(rf"\b{_EN_MONTH},?\s+(\d{{4}})(?!\d)", _A)
# Day and month without a year (rank 2): resolved against the reference.
# Not followed by a year ("27/11/2024", "27/11 - 2024"), but a time may follow ("27/11 - 09:15").
_NO_YEAR = r"(?!\d|[/.-]\d|\s*(?:[/.,-]|nam)?\s*\d+(?![\d:h]))"
_DM = re.compile(r"(?<![\d/.:-])(\d{1,2})([/-])(\d{1,2})" + _NO_YEAR, _A)
_VN_DM = re.compile(rf"(?<!\d)(\d{{1,2}})\s*{_THANG}\s*{_VN_MONTH}" + _NO_YEAR, _A)

# Time of day; "+" in the lookbehind keeps "GMT+07:00" from reading as 07:00.
_TIME = re.compile(
    r"(?<![\d:/.+])(?:"
    r"([01]?\d|2[0-3])\s*:\s*([0-5]\d)(?:\s*:\s*([0-5]\d)(?:[.,]\d+)?)?(?![\d:])"
    r"|([01]?\d|2[0-3])(?:\s?h|\s*gio)(?![a-z])"
    r"(?:\s*([0-5]?\d)(?![\d/.:])(?:\s*(?:phut|p)(?![a-z]))?)?"
    r")(?:\s*(a\.?m\.?|p\.?m\.?|sa|ch|sang|trua|chieu|toi|dem)(?![a-z]))?",
    _A,
)
_DAYPART = re.compile(r"\b(sang|trua|chieu|toi|dem)\b", _A)
# ISO time glued to a Y-m-d date, with its optional UTC offset.
_ISO_TAIL = re.compile(
    r"[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"(z(?![a-z])|[+-]\d{2}(?::?\d{2})?(?!\d)| ?[+-]\d{2}:?\d{2}(?!\d))?",
    _A,
)
# NukeViet writes meta dates with an unescaped PHP "T" (zone abbreviation): 2024-03-27+0708:42:50.
_NV_META = re.compile(r"(\d{4})-(\d{2})-(\d{2})([+-]\d{2}|[a-z]{2,5})(\d{2}):(\d{2}):(\d{2})", _A)
_TIMESTAMP = re.compile(r"[1-9]\d{9}(?:\.\d+)?|[1-9]\d{12}", _A)
_RFC822 = re.compile(
    r"(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})\s+"
    + _EN_MONTH
    + r"\s+(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*(gmt|utc|ut|z|[+-]\d{2}:?\d{2}|[a-z]{1,5})?",
    _A,
)
_ZONES = {
    "gmt": 0,
    "utc": 0,
    "ut": 0,
    "z": 0,
    "ict": 7,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    # The zones PHP prints for "T" (NukeViet's site_timezone=byCountry renders pages in the
    # visitor's GeoIP zone, so any of them can appear in a meta value).
    "akst": -9,
    "akdt": -8,
    "hst": -10,
    "hdt": -9,
    "ast": -4,
    "adt": -3,
    "nst": -3.5,
    "ndt": -2.5,
    "wet": 0,
    "west": 1,
    "bst": 1,
    "ist": 5.5,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "wat": 1,
    "cat": 2,
    "sast": 2,
    "eat": 3,
    "pkt": 5,
    "wib": 7,
    "wita": 8,
    "wit": 9,
    "hkt": 8,
    "sgt": 8,
    "pht": 8,
    "awst": 8,
    "jst": 9,
    "kst": 9,
    "acst": 9.5,
    "acdt": 10.5,
    "aest": 10,
    "aedt": 11,
    "nzst": 12,
    "nzdt": 13,
}

# Noise removed before scanning: zone notes ("GMT+7") and numeric weekdays ("Thứ 2 - 12-05-2012"
# would otherwise read as 2/12/05). A weekday digit glued to "/" or followed by a month is a date.
_NOISE = re.compile(
    r"\b(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?(?!\d)"
    r"|\b(?:thu\s*|t)[2-8](?![\d/.:])(?!\s*(?:" + _EN_MONTH + r"|thang|thg|gio|h\b))",
    _A,
)
# What must sit before a yearless date for it to count ("Sáng 27/11", "ngày 27/11", "(27/11)"),
# so that "Hỗ trợ 24/7" or "số 10-12" is not read as a date. Date lines also allow labels.
_CUE_WORDS = (
    r"sang|trua|chieu|toi|dem|ngay|nay|qua|chu nhat|cn|t[2-8]"
    r"|thu\s*(?:hai|ba|tu|nam|sau|bay|bau|[2-8])"
)
_YEARLESS_CUE = re.compile(rf"(?:\b(?:{_CUE_WORDS})|\()\s*[,:-]?\s*\Z", _A)
_YEARLESS_CUE_LINE = re.compile(
    rf"(?:\A|\b(?:{_CUE_WORDS}|luc|dang|nhat|on)|[(:|])[\s,:|(-]*\Z", _A
)
_GAP_AFTER = re.compile(r"[\s,|/()\-:]*(?:(?:vao\s*)?luc|vao|at)?[\s,|/()\-]*", _A)
_GAP_BEFORE = re.compile(r"[\s,|/()\-]*(?:ngay|date)?[\s,|/()\-:]*", _A)

_REL_AGO = re.compile(
    r"(?<![\d.,])(\d{1,4})\s*(giay|phut|tieng|gio|ngay|tuan|thang|seconds?|secs?|minutes?"
    r"|mins?|hours?|hrs?|days?|weeks?|months?)(?:\s*(\d{1,2})\s*(?:phut|minutes?|mins?))?"
    r"\s*(?:truoc|ago)\b",
    _A,
)
_REL_DAY = re.compile(r"\b(hom nay|hom qua|hom kia|today|yesterday)\b", _A)
_JUST_NOW = re.compile(r"\b(vua xong|vua moi dang|just now)\b", _A)
_REL_UNITS = {
    "giay": "s",
    "sec": "s",
    "second": "s",
    "phut": "min",
    "min": "min",
    "minute": "min",
    "gio": "h",
    "tieng": "h",
    "hour": "h",
    "hr": "h",
    "ngay": "d",
    "day": "d",
    "tuan": "w",
    "week": "w",
    "thang": "mon",
    "month": "mon",
}
_FALLBACK_GATE = re.compile(rf"\b{_EN_MONTH}|\b{_THANG}\b", _A)
_DIGIT = re.compile(r"\d", _A)


# --------------------------------------------------------------------------------------------
# Small helpers


def _reference(reference: Any) -> datetime:
    """The reference as an aware VN datetime; naive values are VN wall time."""
    if reference is None:
        return datetime.now(VN_TZ)
    if not isinstance(reference, datetime):
        if isinstance(reference, date):
            return datetime(reference.year, reference.month, reference.day, tzinfo=VN_TZ)
        raise TypeError("reference must be a datetime")
    if reference.tzinfo is None or reference.utcoffset() is None:
        return reference.replace(tzinfo=VN_TZ)
    try:
        return reference.astimezone(VN_TZ)
    except (OverflowError, ValueError):
        # At the edges of the datetime range: keep the wall time rather than fail.
        return reference.replace(tzinfo=VN_TZ)


def _year2(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _vn_month(token: str) -> int:
    if token.isdigit():
        return int(token)
    return _VN_MONTH_WORDS[token.replace(" ", "").replace("muoi", "muoi ").strip()]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _resolve_year(month: int, day: int, ref: datetime) -> int | None:
    """Most recent year in which day/month exists and is not after the reference date."""
    today = ref.date()
    for year in range(today.year, today.year - 9, -1):
        if year >= 1 and _valid(year, month, day) and date(year, month, day) <= today:
            return year
    return None


def _offset(token: str | None) -> timezone | None:
    if not token:
        return None
    token = token.strip()
    if token.isalpha():
        hours = _ZONES.get(token)
        return None if hours is None else timezone(timedelta(hours=hours))
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        raise ValueError("bad offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _make(
    y: int,
    mo: int,
    d: int,
    h: int = 0,
    mi: int = 0,
    s: int = 0,
    tz: timezone | None = None,
) -> datetime:
    value = datetime(y, mo, d, h, mi, s, tzinfo=tz or VN_TZ)
    return value if tz is None or tz == VN_TZ else value.astimezone(VN_TZ)


# --------------------------------------------------------------------------------------------
# Whole-string machine formats: Unix timestamps, NukeViet meta, RFC 822


def _parse_timestamp(s: str) -> tuple[datetime, str] | None:
    if not _TIMESTAMP.fullmatch(s):
        return None
    seconds = float(s) / 1000 if len(s) == 13 and "." not in s else float(s)
    return datetime.fromtimestamp(int(seconds), VN_TZ), "second"


def _parse_nv_meta(s: str) -> tuple[datetime, str] | None:
    m = _NV_META.fullmatch(s)
    if not m:
        return None
    y, mo, d, zone, h, mi, sec = m.groups()
    tz = _offset(zone) or VN_TZ  # an unknown abbreviation is the site's own zone
    return _make(int(y), int(mo), int(d), int(h), int(mi), int(sec), tz), "second"


def _parse_rfc822(s: str, *, nukeviet_bug: bool = False) -> tuple[datetime, str] | None:
    m = _RFC822.fullmatch(s)
    if not m:
        return None
    d, mon, y, h, mi, sec, zone = m.groups()
    month = _EN_MONTHS[mon[:3]]
    tz = _offset(zone) if zone else VN_TZ
    if zone and tz is None:
        tz = UTC  # RFC 822: an unknown zone means an unknown offset, read as UTC
    hour, minute, second = int(h), int(mi), int(sec or 0)
    if nukeviet_bug and minute == month:
        # gmdate('... H:m:s') put the month where the minute belongs: the minute is lost.
        value = _make(_year2(y), month, int(d), hour, 0, 0, tz)
        return value.replace(minute=0, second=0), "hour"
    if minute > 59 or second > 60:
        return None
    second = min(second, 59)
    precision = "second" if sec is not None else "minute"
    return _make(_year2(y), month, int(d), hour, minute, second, tz), precision


# --------------------------------------------------------------------------------------------
# The scanner for human-written dates


class _Hit:
    __slots__ = ("start", "end", "rank", "iso", "y", "m", "d")

    def __init__(self, m: re.Match[str], rank: int, y: int, mo: int, d: int) -> None:
        self.start, self.end, self.rank = m.start(), m.end(), rank
        self.iso = m.re is _YMD  # may carry an ISO time and offset
        self.y, self.m, self.d = y, mo, d


class _State:
    __slots__ = ("rejected",)

    def __init__(self) -> None:
        self.rejected = False  # a date-shaped token was an impossible date: don't guess further


def _ymd_of(pat: re.Pattern[str], m: re.Match[str], ref: datetime) -> tuple[int, int, int] | None:
    g = m.groups()
    if pat is _YMD:
        return int(g[0]), int(g[2]), int(g[3])
    if pat is _DMY:
        if g[1] == "." and len(g[3]) == 2:
            return None  # "1.2.3" is a version or a list number, not a date
        day, month = int(g[0]), int(g[2])
        if month > 12 >= day:
            day, month = month, day  # unambiguous US order ("1/15/2021 10:27 AM", SharePoint)
        return _year2(g[3]), month, day
    if pat is _VN_DMY:
        return int(g[2]), _vn_month(g[1]), int(g[0])
    if pat is _VN_MDY:
        return int(g[2]), _vn_month(g[0]), int(g[1])
    if pat is _EN_DMY:
        return int(g[2]), _EN_MONTHS[g[1][:3]], int(g[0])
    if pat is _EN_MDY:
        return int(g[2]), _EN_MONTHS[g[0][:3]], int(g[1])
    if pat is _VN_MY:
        return int(g[1]), _vn_month(g[0]), 1
    if pat is _EN_MY:
        return int(g[1]), _EN_MONTHS[g[0][:3]], 1
    month, day = (int(g[2]), int(g[0])) if pat is _DM else (_vn_month(g[1]), int(g[0]))
    if not _valid(2000, month, day):  # 2000 is a leap year: accepts 29/2
        return None
    year = _resolve_year(month, day, ref)
    return None if year is None else (year, month, day)


_RANKED = ((_YMD, 0), (_DMY, 0), (_VN_DMY, 0), (_VN_MDY, 0), (_EN_DMY, 0), (_EN_MDY, 0))
_RANKED += ((_VN_MY, 1), (_EN_MY, 1), (_DM, 2), (_VN_DM, 2))


def _first_hit(
    pat: re.Pattern[str], rank: int, s: str, ref: datetime, strict: bool, state: _State
) -> _Hit | None:
    """First calendar-valid match of one pattern; impossible dates are skipped, not fatal."""
    cue = _YEARLESS_CUE if strict else _YEARLESS_CUE_LINE
    pos = 0
    while True:
        m = pat.search(s, pos)
        if m is None:
            return None
        pos = m.start() + 1
        if rank == 2 and not cue.search(s, max(0, m.start() - 24), m.start()):
            continue
        ymd = _ymd_of(pat, m, ref)
        if ymd is None or not _valid(*ymd):
            state.rejected = True
            continue
        return _Hit(m, rank, *ymd)


def _find_dates(s: str, ref: datetime, strict: bool, state: _State) -> _Hit | None:
    """Parse mode: best rank first, then leftmost. Search mode: leftmost, then best rank."""
    best: _Hit | None = None
    for pat, rank in _RANKED:
        if best is not None and not strict and rank > best.rank:
            break
        hit = _first_hit(pat, rank, s, ref, strict, state)
        if hit is not None and (best is None or (hit.start, hit.rank) < (best.start, best.rank)):
            best = hit
    return best


def _time_of(m: re.Match[str]) -> tuple[int, int, int, str, str | None]:
    h1, m1, s1, h2, m2, suffix = m.groups()
    if h1 is not None:
        precision = "second" if s1 is not None else "minute"
        return int(h1), int(m1), int(s1 or 0), precision, suffix
    if m2 is not None:
        return int(h2), int(m2), 0, "minute", suffix
    return int(h2), 0, 0, "hour", suffix


def _adjust_hour(hour: int, part: str | None) -> int:
    """Apply AM/PM (SA/CH) or a Vietnamese daypart to a 12-hour clock reading."""
    if not part:
        return hour
    part = part.replace(".", "")
    if part in ("am", "sa", "sang"):
        return 0 if hour == 12 else hour
    if part in ("pm", "ch", "chieu", "toi"):
        return hour + 12 if hour < 12 else hour
    if part == "trua":
        return hour + 12 if 1 <= hour <= 4 else hour
    if part == "dem":
        return hour + 12 if 6 <= hour <= 11 else hour
    return hour


def _find_time(s: str, hit: _Hit, strict: bool) -> re.Match[str] | None:
    # Right after the date ("15/01/2021 10:27", "07/01/2015 | 22:34", "... lúc 15:08").
    after = _TIME.search(s, hit.end)
    if after and after.start() - hit.end <= 24 and _GAP_AFTER.fullmatch(s, hit.end, after.start()):
        return after
    # Right before it ("06:44 13/03/2026", "lúc 10:27 ngày 15/01/2021"). Lookbehinds still see
    # the text before `lo`, so the window cannot cut "12:30" down to "2:30".
    before = None
    for m in _TIME.finditer(s, max(0, hit.start - 32), hit.start):
        before = m
    if before and _GAP_BEFORE.fullmatch(s, before.end(), hit.start):
        return before
    if strict:
        return None
    # A date line: any time outside the date itself, after it first.
    return after or _TIME.search(s, 0, hit.start)


def _scan(s: str, ref: datetime, strict: bool, state: _State) -> tuple[datetime, str] | None:
    hit = _find_dates(s, ref, strict, state)
    if hit is None:
        return None
    if hit.rank == 1:
        return _make(hit.y, hit.m, 1), "month"
    iso = _ISO_TAIL.match(s, hit.end) if hit.iso else None
    # Only a "T" or an offset makes it ISO; "2024-01-05 2:15 CH" still needs the CH handled below.
    if iso and (iso.group(4) or s[hit.end] == "t"):
        h, mi, sec, zone = iso.groups()
        if int(h) > 23 or int(mi) > 59 or int(sec or 0) > 59:
            return None
        precision = "second" if sec is not None else "minute"
        value = _make(hit.y, hit.m, hit.d, int(h), int(mi), int(sec or 0), _offset(zone))
        return value, precision
    tm = _find_time(s, hit, strict)
    if tm is None:
        return _make(hit.y, hit.m, hit.d), "day"
    hour, minute, second, precision, suffix = _time_of(tm)
    if not suffix:
        if strict:
            window = s[max(0, min(hit.start, tm.start()) - 20) : max(hit.end, tm.end()) + 12]
        else:
            window = s
        dp = _DAYPART.search(window)
        suffix = dp.group(1) if dp else None
    hour = _adjust_hour(hour, suffix)
    return _make(hit.y, hit.m, hit.d, hour, minute, second), precision


# --------------------------------------------------------------------------------------------
# Relative phrases ("2 giờ trước", "hôm qua 08:16", "vừa xong")


def _relative(s: str, ref: datetime) -> tuple[datetime, str] | None:
    m = _REL_AGO.search(s)
    if m:
        n = int(m.group(1))
        unit = m.group(2)
        unit = _REL_UNITS.get(unit) or _REL_UNITS[unit.rstrip("s")]
        if unit == "s":
            return (ref - timedelta(seconds=n)).replace(microsecond=0), "second"
        if unit == "min":
            return (ref - timedelta(minutes=n)).replace(second=0, microsecond=0), "minute"
        if unit == "h" and m.group(3):  # "2 giờ 30 phút trước"
            value = ref - timedelta(hours=n, minutes=int(m.group(3)))
            return value.replace(second=0, microsecond=0), "minute"
        if unit == "h":
            return (ref - timedelta(hours=n)).replace(minute=0, second=0, microsecond=0), "hour"
        if unit in ("d", "w"):
            days = n * 7 if unit == "w" else n
            d = ref.date() - timedelta(days=days)
            return _make(d.year, d.month, d.day), "day"
        months = ref.year * 12 + ref.month - 1 - n
        return _make(months // 12, months % 12 + 1, 1), "month"
    if _JUST_NOW.search(s):
        return ref.replace(second=0, microsecond=0), "minute"
    m = _REL_DAY.search(s)
    if m:
        back = {"hom nay": 0, "today": 0, "hom qua": 1, "yesterday": 1, "hom kia": 2}[m.group(1)]
        d = ref.date() - timedelta(days=back)
        tm = _TIME.search(s)
        if tm is None:
            return _make(d.year, d.month, d.day), "day"
        hour, minute, second, precision, suffix = _time_of(tm)
        if not suffix:
            dp = _DAYPART.search(s)
            suffix = dp.group(1) if dp else None
        hour = _adjust_hour(hour, suffix)
        return _make(d.year, d.month, d.day, hour, minute, second), precision
    return None


# --------------------------------------------------------------------------------------------
# dateparser fallback, built once on first use (importing dateparser costs ~0.3 s)

_fallback_parser: Any = None


def _get_fallback() -> Any:
    global _fallback_parser
    if _fallback_parser is None:
        from dateparser.date import DateDataParser

        # Relative parsing is excluded: it would depend on RELATIVE_BASE, which is fixed per
        # parser. Relative phrases are handled above and missing years are resolved by us.
        _fallback_parser = DateDataParser(
            languages=["vi", "en"],
            settings={
                "DATE_ORDER": "DMY",
                "PREFER_LOCALE_DATE_ORDER": False,
                "PREFER_DAY_OF_MONTH": "first",
                "PARSERS": ["custom-formats", "absolute-time"],
                "TIMEZONE": "+0700",
                "RETURN_AS_TIMEZONE_AWARE": True,
            },
        )
    return _fallback_parser


def _fallback(raw: str, ref: datetime) -> tuple[datetime, str] | None:
    try:
        data = _get_fallback().get_date_data(raw)
    except Exception:
        return None
    value = data.date_obj if data else None
    parts = set(getattr(data, "parts", ()) or ())
    if value is None or "month" not in parts:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    value = value.astimezone(VN_TZ)
    if "day" not in parts:
        if "year" not in parts:
            return None
        return _make(value.year, value.month, 1), "month"
    if "year" not in parts:
        year = _resolve_year(value.month, value.day, ref)
        if year is None:
            return None
        value = value.replace(year=year)
    if "time" not in parts:
        return value.replace(hour=0, minute=0, second=0, microsecond=0), "day"
    precision = "second" if value.second else "minute"
    return value.replace(microsecond=0), precision


# --------------------------------------------------------------------------------------------
# Public API


def _result(found: tuple[datetime, str] | None, raw: str) -> ParsedDate | None:
    if found is None:
        return None
    value, precision = found
    return ParsedDate(value=value, precision=precision, raw=raw)


def _parse(text: Any, reference: Any) -> ParsedDate | None:
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw:
        return None
    s = _fold(raw)
    if not s:
        return None
    for machine in (_parse_timestamp, _parse_nv_meta, _parse_rfc822):
        try:
            found = machine(s)
        except (ValueError, OverflowError, OSError):
            found = None
        if found:
            return _result(found, raw)
    ref = _reference(reference)
    state = _State()
    has_digit = _DIGIT.search(s) is not None
    if has_digit:
        found = _scan(_NOISE.sub(" ", s), ref, False, state)
        if found:
            return _result(found, raw)
    found = _relative(s, ref)
    if found:
        return _result(found, raw)
    if has_digit and not state.rejected and len(s) <= 120 and _FALLBACK_GATE.search(s):
        return _result(_fallback(raw, ref), raw)
    return None


def parse_date(text: str | None, reference: datetime | None = None) -> ParsedDate | None:
    """Parse one date string, ignoring labels, weekdays and view counters around it.

    `reference` is the fetch time (naive = VN time, default now); it anchors relative phrases and
    dates printed without a year. Returns None for anything that is not a date; never raises.
    """
    try:
        return _parse(text, reference)
    except Exception:
        return None


def search_date(text: str | None, reference: datetime | None = None) -> ParsedDate | None:
    """Find the first date expression in free text, e.g. a lead "Sáng 27/11, Sở ...".

    Stricter than parse_date: a yearless date needs a cue (daypart, "ngày", weekday, "(") before
    it, a time must be adjacent to the date, and relative phrases are not considered.
    """
    try:
        if not isinstance(text, str):
            return None
        raw = text.strip()
        s = _fold(raw)
        if not _DIGIT.search(s):
            return None
        found = _scan(_NOISE.sub(" ", s), _reference(reference), True, _State())
        return _result(found, raw)
    except Exception:
        return None


def parse_feed_date(
    text: str | None, reference: datetime | None = None, *, nukeviet_bug: bool = False
) -> ParsedDate | None:
    """Parse an RSS/Atom date (RFC 822 first, then anything parse_date accepts).

    nukeviet_bug: NukeViet 3.4–4.5 writes pubDate with gmdate('D, j M Y H:m:s'), so the minute
    field holds the month number. When it does, the minute is unknown: precision is "hour".
    If the field differs from the month the feed is not affected and is read normally.
    """
    try:
        if not isinstance(text, str):
            return None
        raw = text.strip()
        s = _fold(raw)
        try:
            found = _parse_rfc822(s, nukeviet_bug=nukeviet_bug)
        except (ValueError, OverflowError):
            found = None
        if found:
            return _result(found, raw)
        return parse_date(raw, reference)
    except Exception:
        return None


def is_plausible(value: datetime, fetched_at: datetime | None = None) -> bool:
    """A publication date is plausible from 1990-01-01 until one day after the fetch."""
    try:
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=VN_TZ)
        limit = _reference(fetched_at) + timedelta(days=1)
        return _EARLIEST <= value <= limit
    except (OverflowError, TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# CLI: `dates "Thứ ba, 16/01/2018 08:47"` or one string per line on stdin -> JSON lines


def _iso_reference(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {value!r}") from exc


# ---- Evidence: which of a page's dates is its publication date ----------------------------------

_STRUCTURED = ("jsonld", "meta", "time")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# /2023/08/28/ or /2023-08-28/ in article URLs (WordPress, some newspapers).
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/.-]|$)")


def _evidence(cand: dict[str, Any], fetched_at: datetime) -> ParsedDate | None:
    raw = cand.get("raw", "")
    if cand.get("source") == "feed":
        found = parse_feed_date(raw, fetched_at, nukeviet_bug=bool(cand.get("nukeviet_bug")))
    else:
        found = parse_date(raw, fetched_at)
    if found is None or not is_plausible(found.value, fetched_at):
        return None
    return found


def _source_zone(raw: str) -> timezone | None:
    """The UTC offset a machine date was written in (None: none given, or Vietnam's)."""
    s = _fold(raw)
    m = _NV_META.fullmatch(s)
    zone = m.group(4) if m else None
    if m is None and (ymd := _YMD.search(s)):
        tail = _ISO_TAIL.match(s, ymd.end())
        zone = tail.group(4) if tail else None
    try:
        tz = _offset(zone)
    except ValueError:
        return None
    return None if tz is None or tz.utcoffset(None) == timedelta(hours=7) else tz


def _same_wall_day(structured: ParsedDate, visible: ParsedDate) -> bool:
    """A page rendered in the visitor's zone (NukeViet byCountry) prints the visible date in the
    zone its meta value names: then the two agree on the wall clock of that zone."""
    tz = _source_zone(structured.raw)
    return tz is not None and structured.value.astimezone(tz).date() == visible.value.date()


_FINER = {p: i for i, p in enumerate(PRECISIONS)}


def choose_date(
    candidates: list[dict[str, Any]],
    fetched_at: datetime,
    url: str = "",
    lead: str | None = None,
    year_hint: datetime | None = None,
) -> ParsedDate | None:
    """Pick a page's date from `candidates` ({"source", "raw"}; feed dates may carry
    "nukeviet_bug"; a candidate read from an invisible element carries "hidden": True),
    most reliable evidence first:
    the visible date line, cross-checked with structured data (JSON-LD, meta, <time>): the
    same day, the one of them with the finer time; another day, the visible one (unless the
    structured value names a zone in which it is the visible day: it is then the same moment);
    structured data alone; the listing's date; the feed's pubDate; hidden microdata (often the
    last edit time, so only when nothing visible exists); a date in the URL; a date opening
    the lead. A yearless lead date ("Sáng 27/11") needs `year_hint` (another date of the page):
    resolved against the fetch time it would silently date an archive page to this year. Dates
    before 1990 or after the fetch time plus a day are not evidence."""
    hidden_raws = {c.get("raw") for c in candidates if c.get("hidden")}
    found: dict[str, ParsedDate] = {}
    for cand in candidates:
        source = cand.get("source", "")
        # A "visible" date line that the generic rules read from a hidden element is hidden.
        if cand.get("hidden") or (source == "page" and cand.get("raw") in hidden_raws):
            source = "hidden"
        if source not in found and (parsed := _evidence(cand, fetched_at)):
            found[source] = parsed
    structured = next((found[s] for s in _STRUCTURED if s in found), None)
    visible = found.get("page")
    if structured and visible:
        if structured.value.date() == visible.value.date():
            finer = _FINER[visible.precision] < _FINER[structured.precision]
            return visible if finer else structured
        return structured if _same_wall_day(structured, visible) else visible
    ranked = [structured, visible, found.get("listing"), found.get("feed"), found.get("hidden")]
    ranked = [d for d in ranked if d is not None]
    if ranked:
        best = ranked[0]
        # A day-only date is completed by a later source that gives the same day with a time
        # (a listing's "(30/05/2021)" and the feed's pubDate at 07:45).
        for other in (found.get("listing"), found.get("feed")):
            if (
                other is not None
                and other is not best
                and other.value.date() == best.value.date()
                and _FINER[other.precision] < _FINER[best.precision]
            ):
                best = other
        return best
    if match := _URL_DATE.search(url):
        year, month, day = map(int, match.groups())
        if _valid(year, month, day):
            value = datetime(year, month, day, tzinfo=VN_TZ)
            if is_plausible(value, fetched_at):
                return ParsedDate(value, "day", url)
    if lead:
        head = lead[:100]
        if _YEAR.search(head):
            hit = search_date(head, fetched_at)
        elif year_hint is not None:
            hit = search_date(head, year_hint)
        else:
            hit = None
        if hit is not None and is_plausible(hit.value, fetched_at):
            return hit
    return None


def date_fields(item: dict[str, Any]) -> dict[str, Any]:
    """published_at (with raw string and precision) and modified_at of an extracted item."""
    fetched = item.get("fetched_at")
    fetched_at = _reference(datetime.fromisoformat(fetched) if fetched else None)
    modified = choose_date(item.get("modified_candidates", []), fetched_at)
    published = choose_date(
        item.get("published_candidates", []),
        fetched_at,
        item.get("url", ""),
        item.get("summary") or item.get("text", "").split("\n", 1)[0],
        year_hint=modified.value if modified else None,
    )
    return {
        "published_at": published.iso() if published else None,
        "published_at_raw": published.raw if published else None,
        "published_at_precision": published.precision if published else None,
        "modified_at": modified.iso() if modified else None,
    }


class DatesPipeline:
    """Scrapy stage: turn an item's date candidates into its date fields."""

    @reject_errors
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item.update(date_fields(item))
        item.pop("published_candidates", None)
        item.pop("modified_candidates", None)
        return item


def main(argv: list[str] | None = None) -> int:
    """Exit status 0 when every input is a date, 1 when one is not (2: usage error)."""
    from crawler.preflight import OneLineArgumentParser

    parser = OneLineArgumentParser(
        prog="dates",
        description="Parse Vietnamese portal dates to ISO 8601 in Vietnam time (+07:00).",
    )
    parser.add_argument(
        "text", nargs="?", help="one date string; without it, read one string per line from stdin"
    )
    parser.add_argument(
        "--reference",
        type=_iso_reference,
        default=None,
        help="fetch time for relative and yearless dates (ISO; naive = VN time; default now)",
    )
    args = parser.parse_args(argv)
    if args.text is not None:
        parsed = parse_date(args.text, args.reference)
        print(parsed.iso() if parsed else "null")
        if parsed is None:
            print(f"dates: not a date: {args.text!r}", file=sys.stderr)
        return 0 if parsed else 1
    # One output line per input line (a null value for what is not a date), so that the output
    # pastes beside the input; blank lines are not counted as failures.
    failed = 0
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        parsed = parse_date(text, args.reference)
        record = {
            "input": text,
            "value": parsed.iso() if parsed else None,
            "precision": parsed.precision if parsed else None,
        }
        failed += parsed is None and bool(text.strip())
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failed:
        print(f"dates: {failed} input line(s) not a date", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
