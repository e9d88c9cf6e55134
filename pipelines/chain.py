"""The whole pipeline as one pure function, for tests, fixtures and evaluation without a crawl."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipelines.dates import date_fields
from pipelines.errors import RejectItem
from pipelines.extract import ExtractionError, extract_article
from pipelines.normalize import build_record
from pipelines.rules import ExtractionRules
from pipelines.validate import CURRENT_VERSION, errors


def record_from_page(
    url: str,
    html: str,
    rules: ExtractionRules | None = None,
    *,
    site: str = "test",
    province: str | None = None,
    agency: str | None = None,
    listing_date: str | None = None,
    fetched_at: datetime | None = None,
    drop_params: tuple[str, ...] = (),
) -> dict[str, Any]:
    """extract → dates → normalize → validate; raises RejectItem with the reason on failure."""
    fetched = (fetched_at or datetime.now(UTC)).isoformat()
    try:
        item: dict[str, Any] = extract_article(url, html, rules)
    except ExtractionError as exc:
        raise RejectItem(exc.reason, exc.detail) from exc
    if listing_date:
        item["published_candidates"].append({"source": "listing", "raw": listing_date})
    item.update(url=url, site=site, province=province, agency=agency, fetched_at=fetched)
    item.update(date_fields(item))
    record = build_record(item, CURRENT_VERSION, drop_params)
    problems = errors(record)
    if problems:
        raise RejectItem("schema_invalid", "; ".join(problems))
    return record
