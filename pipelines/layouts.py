"""Which layout of a redesigned portal a page is read with.

A site class declares its templates newest first (`PortalSpider.layouts`, `pipelines.rules.Layout`):
the current one without `valid_until`, then each older one with the last day it was served. A page
is first given the layout valid at its fetch time, so that a page recorded (or crawled) before a
redesign is read as it was then. Redesigns rarely re-render the archive: old articles keep the old
template, so when that layout's essential fields (title and body, or more) find nothing on the
page, the older layouts are tried, newest first, and the first whose essential selectors all find
text wins. Matching uses the selectors themselves (the layout's own for the fields it names, else
the site's and family's), never the generic ones: those match almost any page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from lxml import etree

from pipelines.extract import found
from pipelines.html import parse_html
from pipelines.rules import ExtractionRules, Layout

# valid_until is a calendar day of the portal, which is in Vietnam.
PORTAL_TZ = timezone(timedelta(hours=7))
ESSENTIAL = ("title", "body")
_SELECTOR_FIELDS = frozenset(f.name for f in fields(ExtractionRules) if f.name != "no_generic")
# A layout's name is part of a stats key (layout/<name>) and of check's report.
_NAME = re.compile(r"[A-Za-z0-9][\w.-]*")


@dataclass(frozen=True)
class Choice:
    """The layout a page is read with, and how it was chosen: "dated" (valid at the fetch time
    and its essential fields match), "fallback" (an older one matched instead) or "unmatched"
    (no layout matched: the dated one serves, with the generic fallbacks)."""

    layout: Layout
    how: str


def layouts_problem(layouts: Any, essential: Any) -> str | None:
    """What is wrong with a class's `layouts` (and `layout_essentials`), in one line, or None."""
    if not isinstance(essential, tuple) or not {"title", "body"} <= set(essential):
        return (
            f"layout_essentials must be a tuple naming at least title and body, got {essential!r}"
        )
    unknown = [f for f in essential if f not in _SELECTOR_FIELDS]
    if unknown:
        return f"layout_essentials names unknown rule fields {', '.join(map(repr, unknown))}"
    if not isinstance(layouts, tuple) or not all(isinstance(x, Layout) for x in layouts):
        return "layouts must be a tuple of pipelines.rules.Layout, newest first"
    seen: set[str] = set()
    previous: date | None = None
    for i, layout in enumerate(layouts):
        where = f"layouts[{i}] ({layout.name!r})"
        if not isinstance(layout.name, str) or not _NAME.fullmatch(layout.name):
            return f"{where}: name must be letters, digits, '.', '_' or '-'"
        if layout.name in seen:
            return f"{where}: name used twice"
        seen.add(layout.name)
        if not isinstance(layout.rules, ExtractionRules):
            return f"{where}: rules must be an ExtractionRules, got {type(layout.rules).__name__}"
        until = layout.valid_until
        if until is not None and (not isinstance(until, date) or isinstance(until, datetime)):
            return f"{where}: valid_until must be a datetime.date, got {until!r}"
        if i == 0 and until is not None:
            return (
                f"{where}: layouts go newest first, and the newest (current) layout takes no"
                f" valid_until (got {until.isoformat()})"
            )
        if i > 0 and until is None:
            return f"{where}: only the newest (first) layout may lack valid_until; layouts go newest first"
        if previous is not None and until is not None and until >= previous:
            return (
                f"{where}: layouts go newest first, so valid_until {until.isoformat()} must be"
                f" before layouts[{i - 1}]'s {previous.isoformat()}"
            )
        previous = until
        if layout.article_url_pattern is not None:
            try:
                re.compile(layout.article_url_pattern)
            except (re.error, TypeError) as exc:
                return f"{where}: article_url_pattern is not a regular expression ({exc})"
    return None


def dated(layouts: Sequence[Layout], at: datetime) -> int:
    """Index of the layout valid at `at`: the oldest whose valid_until is not before the day
    (portal time) of `at`, a naive `at` being UTC like the spider's clock; the newest when
    every valid_until is past."""
    day = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(PORTAL_TZ).date()
    index = 0
    for i, layout in enumerate(layouts):
        if layout.valid_until is not None and layout.valid_until >= day:
            index = i  # dates go back with i: the last one still valid is the oldest
    return index


def judges(
    layout: Layout, site: ExtractionRules, essential: Sequence[str]
) -> list[tuple[str, ...]]:
    """Per essential field, the selectors that decide whether a page is in `layout`: the layout's
    own when it names that field (its template's mark), else the site's and family's."""
    return [getattr(layout.rules, f) or getattr(site, f) for f in essential]


def choose_layout(
    html: str,
    layouts: Sequence[Layout],
    at: datetime,
    site: ExtractionRules,
    essential: Sequence[str] = ESSENTIAL,
) -> Choice:
    """The layout to read `html`, fetched at `at`, with (see the module's docstring). Pure: the
    page and the declarations decide; nothing is remembered between pages."""
    start = dated(layouts, at)
    try:
        doc = parse_html(html) if html and html.strip() else None
    except (etree.ParserError, ValueError):
        doc = None
    if doc is None:  # extraction rejects it anyway, with the reason
        return Choice(layouts[start], "unmatched")
    for i in range(start, len(layouts)):
        if all(found(doc, xpaths) for xpaths in judges(layouts[i], site, essential)):
            return Choice(layouts[i], "dated" if i == start else "fallback")
    return Choice(layouts[start], "unmatched")
