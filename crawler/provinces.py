"""The provinces and their department portals: the registry in `crawler/data/`.

`provinces.csv` maps each of the 63 former provinces (before 1 July 2025) to the one of the 34
current ones that took it over (Resolution 202/2025/QH15). `portals.csv` lists, per province, the
former Sở Thông tin và Truyền thông portal (merged into the Sở Khoa học và Công nghệ on 1 March
2025), the current Sở Khoa học và Công nghệ portal, and provincial newspapers we crawl; each row
says whether we hold recorded pages of it (`fixture`) or only know its address (`unverified`) and
where the address comes from (`url_basis`: fixture, public, pattern).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

PORTAL_FIELDS = (
    "province",
    "province_current",
    "kind",
    "agency",
    "agency_current",
    "home_url",
    "family",
    "site",
    "status",
    "url_basis",
)
STATUSES = ("fixture", "unverified")
KINDS = ("stttt", "skhcn", "newspaper")
# How portals and bylines write a province: "tỉnh Bắc Kạn", "TP. Hồ Chí Minh", "Thành phố Huế".
_PREFIXES = ("thành phố ", "tp. ", "tp ", "tỉnh ")


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files("crawler") / "data" / name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def provinces() -> tuple[dict[str, str], ...]:
    return tuple(_read("provinces.csv"))


@lru_cache(maxsize=1)
def portals() -> tuple[dict[str, str], ...]:
    return tuple(_read("portals.csv"))


def _key(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split())).lower()
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    # Old and new tone placement ("Hòa"/"Hoà", "Thanh Hóa"/"Thanh Hoá") name the same place.
    return name.replace("oà", "òa").replace("oá", "óa").replace("uỳ", "ủy").replace("uý", "úy")


@lru_cache(maxsize=1)
def _current_by_name() -> dict[str, dict[str, str]]:
    table = {}
    for row in provinces():
        table[_key(row["province"])] = row
        # A current province's own name maps to itself (new articles use it).
        table.setdefault(
            _key(row["province_current"]),
            {
                "province": row["province_current"],
                "province_kind": row["province_current_kind"],
                "province_current": row["province_current"],
                "province_current_kind": row["province_current_kind"],
            },
        )
    return table


def current_province(name: str | None) -> str | None:
    """The current (34-province) name of a province, former or current; None if unknown."""
    if not name:
        return None
    row = _current_by_name().get(_key(name))
    return row["province_current"] if row else None


def current_agency(name: str | None) -> str | None:
    """The department that now holds a provincial Sở TT&TT's remit: the current province's
    Sở Khoa học và Công nghệ."""
    row = _current_by_name().get(_key(name)) if name else None
    if not row:
        return None
    return f"Sở Khoa học và Công nghệ {row['province_current_kind']} {row['province_current']}"


@lru_cache(maxsize=1)
def _by_site() -> dict[str, dict[str, str]]:
    return {r["site"]: r for r in portals() if r["site"]}


def agency_now(agency: str | None, province: str | None, site: str | None = None) -> str | None:
    """Who holds `agency`'s remit today: the registry's word for a registered site; for a
    provincial Sở Thông tin và Truyền thông, its current province's Sở Khoa học và Công nghệ;
    for the Ministry of Information and Communications, the Ministry of Science and Technology
    (merged on 1 March 2025); otherwise the agency itself."""
    row = _by_site().get(site or "")
    if row and row["agency_current"]:
        return row["agency_current"]
    if not agency:
        return None
    if agency.startswith("Sở Thông tin và Truyền thông"):
        return current_agency(province) or agency
    if agency.startswith("Bộ Thông tin và Truyền thông"):
        return "Bộ Khoa học và Công nghệ"
    return agency


def select(
    province: str | None = None, status: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """Portal rows, filtered by province (former or current name), status and kind."""
    rows = list(portals())
    if province:
        key = _key(province)
        rows = [r for r in rows if key in (_key(r["province"]), _key(r["province_current"]))]
    if status:
        rows = [r for r in rows if r["status"] == status]
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    return rows
