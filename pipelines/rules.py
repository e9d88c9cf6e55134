"""Extraction rules: ordered selector lists that a CMS family or a site hands to the extractor.

Each field is a tuple of XPath expressions, highest priority first. A site's rules are layered over its
family's, and the family's over the generic rules in `pipelines.xpaths`, so that the most specific
selector that matches wins and the generic fallbacks still apply to templates nobody has seen.

A portal that was redesigned declares one `Layout` per template, newest first, each with its own
rules (layered over the site's) and the last day it was served (`valid_until`); see
`pipelines.layouts` for how a page's layout is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date


@dataclass(frozen=True)
class ExtractionRules:
    title: tuple[str, ...] = ()
    # Visible date line of the article (text is parsed by pipelines.dates).
    date: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    # The lead (sapo), when the template keeps it apart from the body.
    lead: tuple[str, ...] = ()
    # Image shown beside the lead (NukeViet "homeimg"): its caption belongs to `images`.
    lead_image: tuple[str, ...] = ()
    # Container of the body text.
    body: tuple[str, ...] = ()
    # Byline elements (name or initials) inside or after the body.
    byline: tuple[str, ...] = ()
    # Elements removed from (a copy of) the body before its text, byline and images are read:
    # chrome inside the article area.
    prune: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Fields (names of the fields above, e.g. "date") whose generic fallbacks (pipelines.xpaths
    # GENERIC and any heuristic of the extractor) must not be used: only these rules' own
    # selectors may fill them. Layering unites the sets.
    no_generic: frozenset[str] = frozenset()

    def over(self, base: ExtractionRules) -> ExtractionRules:
        """These rules first, then `base`'s, field by field (duplicates dropped)."""
        merged = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(base, f.name)
            if f.name == "no_generic":
                merged[f.name] = frozenset(mine) | frozenset(theirs)
            else:
                merged[f.name] = tuple(dict.fromkeys(mine + theirs))
        return ExtractionRules(**merged)


@dataclass(frozen=True)
class Layout:
    """One template of a redesigned portal. `rules` come before the site's (which come before the
    family's and the generic ones); `valid_until` is the last day (portal time, +07:00) pages were
    fetched in this template, None for the current one; `article_url_pattern` also makes links
    of this template's URL scheme articles, when old articles kept old URLs."""

    name: str
    rules: ExtractionRules = ExtractionRules()
    valid_until: date | None = None
    article_url_pattern: str | None = None
