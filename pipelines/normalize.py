"""Normalize a record: NFC text, canonical URL, stable id, hashes, counts, schema field order."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import courlan
from w3lib.url import url_query_cleaner

from pipelines.errors import RejectItem, reject_errors

# Query parameters that identify a visit, not a page (courlan already drops utm_*, fbclid, gclid...).
_SESSION_PARAMS = re.compile(
    r"^(?:jsessionid|phpsessid|sessionid|session_id|sid|aspsessionid\w*|cfid|cftoken|zarsrc|gidzl|"
    r"_ga|_gl|mc_cid|mc_eid|utm_\w+|fbclid|gclid|dclid|msclkid|yclid|ref|refid|src)$",
    re.IGNORECASE,
)
_PATH_SESSION = re.compile(r";jsessionid=[^?#/]*|/\(S\([^)]*\)\)", re.IGNORECASE)


def canonicalize_url(url: str, drop_params: tuple[str, ...] = ()) -> str:
    """Lower-case scheme/host, drop default port, fragment, tracking parameters and session ids."""
    return _canonical(url, tuple(drop_params))


# An article's URL is canonicalized about six times on its way (listing, state, record, outbox):
# a bounded cache of the pure function answers all but the first.
@functools.lru_cache(maxsize=8192)
def _canonical(url: str, drop_params: tuple[str, ...]) -> str:
    url = _PATH_SESSION.sub("", url.strip())
    url = courlan.normalize_url(url) or url
    parts = urlsplit(url)
    url = urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )
    keys = [k for k in _query_keys(parts.query) if _SESSION_PARAMS.match(k) or k in drop_params]
    if keys:
        url = url_query_cleaner(url, keys, remove=True)
    return url


def _query_keys(query: str) -> list[str]:
    return [pair.split("=", 1)[0] for pair in query.split("&") if pair]


def same_site(a: str, b: str) -> bool:
    """Same host and port, ignoring a leading 'www.' and the scheme."""

    def key(u: str) -> tuple[str, int | None]:
        p = urlsplit(u)
        host = (p.hostname or "").lower().removeprefix("www.")
        try:
            port = p.port or {"http": 80, "https": 443}.get(p.scheme)
        except ValueError:
            port = None
        if port in (80, 443):
            port = None
        return host, port

    return key(a) == key(b)


def nfc(value: Any) -> Any:
    """NFC-normalize every string inside `value`."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def build_record(
    item: dict[str, Any], schema_version: str, drop_params: tuple[str, ...] = ()
) -> dict:
    """The published record, fields in schema order, from a dated item."""
    item = nfc(item)
    url = item["url"]
    canonical = canonicalize_url(url, drop_params)
    hint = item.get("canonical_hint")
    if hint and hint.startswith(("http://", "https://")) and same_site(hint, url):
        canonical = canonicalize_url(hint, drop_params)
    text = item["text"]
    fetched = item.get("fetched_at") or datetime.now(UTC).isoformat()
    crawled = datetime.fromisoformat(fetched).astimezone(UTC).isoformat(timespec="seconds")
    record = {
        "schema_version": schema_version,
        "id": sha256(canonical),
        "version": item.get("version", 1),
        "url": url,
        "canonical_url": canonical,
        "site": item["site"],
        "province": item.get("province"),
        "agency": item.get("agency"),
        "title": item["title"],
        "summary": item.get("summary"),
        "text": text,
        "published_at": item.get("published_at"),
        "published_at_raw": item.get("published_at_raw"),
        "published_at_precision": item.get("published_at_precision"),
        "modified_at": item.get("modified_at"),
        "author": item.get("author"),
        "images": [
            {"url": canonicalize_url(i["url"]), "caption": i.get("caption")}
            for i in item.get("images", [])
        ],
        "category": item.get("category"),
        "tags": list(dict.fromkeys(item.get("tags", []))),
        "language": "vi",
        "word_count": len(text.split()),
        "content_hash": sha256(text),
        "crawled_at": crawled.replace("+00:00", "Z"),
    }
    if schema_version != "1":
        # Version 2: who holds the portal's remit since the 2025 mergers.
        record = _with_current(record)
    return record


def _with_current(record: dict[str, Any]) -> dict[str, Any]:
    from crawler.provinces import agency_now, current_province

    out: dict[str, Any] = {}
    for key, value in record.items():
        out[key] = value
        if key == "agency":
            out["province_current"] = current_province(record["province"])
            out["agency_current"] = agency_now(record["agency"], record["province"], record["site"])
    return out


class NormalizePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        return cls(crawler)

    @reject_errors
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        version = self.crawler.settings.get("SCHEMA_VERSION", "1")
        drop = tuple(getattr(self.crawler.spider, "canonical_drop_params", ()))
        try:
            return build_record(item, version, drop)
        except (KeyError, ValueError) as exc:
            raise RejectItem("normalize_failed", f"{type(exc).__name__}: {exc}") from exc
