"""Pick published_at / modified_at from the evidence a page offers, most reliable first."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pipelines.dates import ParsedDate, is_plausible, parse_date, search_date

# /2023/08/28/ or /2023-08-28/ style dates in article URLs (WordPress, some newspapers).
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


def _parse(raw: str, reference: datetime) -> ParsedDate | None:
    found = parse_date(raw, reference)
    if found is None or not is_plausible(found.value, reference):
        return None
    return found


def choose_published(
    candidates: list[dict[str, str]], reference: datetime, url: str = "", lead: str | None = None
) -> ParsedDate | None:
    """Evidence order: structured data that agrees with the visible date to the day; the visible
    date; the listing date; a date in the URL; finally a date at the start of the lead."""
    by_source: dict[str, list[ParsedDate]] = {}
    for cand in candidates:
        parsed = _parse(cand["raw"], reference)
        if parsed is not None:
            by_source.setdefault(cand["source"], []).append(parsed)
    structured = next(
        (by_source[s][0] for s in ("jsonld", "meta", "time") if by_source.get(s)), None
    )
    visible = (by_source.get("page") or [None])[0]
    listing = (by_source.get("listing") or [None])[0]
    if structured and (visible is None or structured.value.date() == visible.value.date()):
        return structured
    for found in (visible, listing):
        if found is not None:
            return found
    match = _URL_DATE.search(url)
    if match:
        found = _parse("/".join(reversed(match.groups())), reference)
        if found is not None:
            return found
    if lead:
        # Only a date with its year: resolving a yearless "Sáng 27/11" against the fetch time
        # would silently date an archive page to this year.
        head = lead[:80]
        if _YEAR.search(head):
            found = search_date(head, reference)
            if found is not None and is_plausible(found.value, reference):
                return found
    return None


def date_fields(item: dict[str, Any]) -> dict[str, Any]:
    """published_at (+ raw, precision) and modified_at from an extracted item's candidates."""
    fetched = item.get("fetched_at")
    reference = datetime.fromisoformat(fetched) if fetched else datetime.now(UTC)
    published = choose_published(
        item.get("published_candidates", []), reference, item.get("url", ""), item.get("summary")
    )
    modified = choose_published(item.get("modified_candidates", []), reference)
    return {
        "published_at": published.iso() if published else None,
        "published_at_raw": published.raw if published else None,
        "published_at_precision": published.precision if published else None,
        "modified_at": modified.iso() if modified else None,
    }


class DatesPipeline:
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item.update(date_fields(item))
        item.pop("published_candidates", None)
        item.pop("modified_candidates", None)
        return item
