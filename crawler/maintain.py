"""Maintainer commands: `record`, `check` and `new-site` (fixtures in `crawler/fixtures.py`).

    python -m crawler record SITE[=BASE] [URL ...] [--from BASE] [--pages N] [--accept]
    python -m crawler check SITE [--live [BASE]]
    python -m crawler new-site NAME URL [--family F] [--pages N]

Exit status: 0 fine; 1 a difference (changed expected record, template drift), a page that
cannot be fetched or a site that cannot be decided; 2 a usage error (unknown site, bad name).
"""

from __future__ import annotations

import argparse
import importlib
import json
import keyword
import re
import sys
from dataclasses import fields as dataclass_fields
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler import fixtures
from crawler.fixtures import FixtureError
from pipelines.encoding import decode_html
from pipelines.errors import RejectItem
from pipelines.layouts import dated
from pipelines.rules import ExtractionRules
from spiders.faults import header_charset

SPIDERS_DIR = Path(__file__).resolve().parent.parent / "spiders"
FAMILIES = {
    "nukeviet": "spiders.families.nukeviet.NukeVietSpider",
    "liferay": "spiders.families.liferay.LiferaySpider",
    "aspnet": "spiders.families.aspnet.AspNetSpider",
    "wordpress": "spiders.families.wordpress.WordPressSpider",
    "newspaper": "spiders.families.newspaper.NewspaperSpider",
}
# Fingerprint families that are crawled with another family's spider.
_FAMILY_ALIAS = {"dnn": "aspnet"}
# Record fields whose share of non-empty values is the coverage.
COVERAGE_FIELDS = (
    "title",
    "summary",
    "text",
    "published_at",
    "author",
    "images",
    "category",
    "tags",
)
# A field drifted when its share on today's pages falls below this part of the fixtures'.
DRIFT_RATIO = 0.5


class UsageError(Exception):
    pass


def _site(name: str) -> str:
    if name not in fixtures.sites():
        raise UsageError(f"unknown site {name!r} (python -m crawler list)")
    return name


# ---- coverage and selector matches ---------------------------------------------------------------


def rule_matches(rules: ExtractionRules, html: str) -> dict[str, bool]:
    """Per rule field (the site's and family's own selectors, not the generic ones): does any
    selector match something on the page?"""
    try:
        doc = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return {}
    out = {}
    for f in dataclass_fields(rules):
        selectors = getattr(rules, f.name)
        if f.name in ("no_generic", "prune") or not selectors:
            continue
        out[f.name] = any(_matches(doc, x) for x in selectors)
    return out


def _matches(doc: Any, xpath: str) -> bool:
    try:
        found = doc.xpath(xpath)
    except etree.XPathError:
        return False
    if not isinstance(found, list):
        return bool(found)
    for node in found:
        text = node if isinstance(node, str) else node.text_content()
        if text.strip() or (not isinstance(node, str) and node.xpath(".//img")):
            return True
    return False


class Tally:
    """Shares of pages with each record field filled and each rule field matched."""

    def __init__(self) -> None:
        self.pages = 0
        self.fields: dict[str, int] = dict.fromkeys(COVERAGE_FIELDS, 0)
        self.rules: dict[str, int] = {}
        self.rejected: list[str] = []

    def add(
        self,
        spider: Any,
        page: fixtures.Page,
        record: dict[str, Any] | None,
        rules: ExtractionRules | None = None,
    ) -> None:
        """Count one page; selectors are the site's (and family's), or `rules` (a layout's)."""
        self.pages += 1
        for name in COVERAGE_FIELDS:
            self.fields[name] += bool(record and record.get(name))
        html, _ = decode_html(page.body, header_charset(fixtures.response_for(page)) or None)
        for name, hit in rule_matches(rules or spider.extraction_rules, html).items():
            self.rules[name] = self.rules.get(name, 0) + hit

    def share(self, kind: str, name: str) -> float:
        counts = self.fields if kind == "field" else self.rules
        return counts.get(name, 0) / self.pages if self.pages else 0.0


def _print_tally(
    label: str, tally: Tally, out: TextIO, other: Tally | None = None, note: str = ""
) -> None:
    print(f"{label}: {tally.pages} articles{note}", file=out)
    for kind, names in (("field", COVERAGE_FIELDS), ("selector", sorted(tally.rules))):
        cells = []
        for name in names:
            cell = f"{name} {tally.share(kind, name):.0%}"
            if other is not None:
                cell += f" (was {other.share(kind, name):.0%})"
            cells.append(cell)
        print(f"  {kind + 's':9} " + ", ".join(cells), file=out)


class LayoutTally:
    """For a site with layouts: per layout, the pages it served (with its own selectors' and the
    record fields' coverage), and how many of them it served as an older layout's fallback."""

    def __init__(self, spider: Any) -> None:
        self.spider = spider
        self.tallies = {x.name: Tally() for x in spider.layouts}
        self.fallbacks = dict.fromkeys(self.tallies, 0)

    def add(self, page: fixtures.Page, record: dict[str, Any] | None, served: dict) -> None:
        name = served.get("layout")
        if name not in self.tallies:
            return
        self.tallies[name].add(self.spider, page, record, self.spider.layout_rules[name])
        names = list(self.tallies)
        at = datetime.fromisoformat(page.fetched_at)
        self.fallbacks[name] += names[dated(self.spider.layouts, at)] != name

    def report(self, label: str, out: TextIO, other: LayoutTally | None = None) -> None:
        for layout in self.spider.layouts:
            name = layout.name
            tally = self.tallies[name]
            when = "current" if layout.valid_until is None else f"until {layout.valid_until}"
            head = f"{label} layout {name} ({when})"
            if not tally.pages:
                print(f"{head}: no article in this layout", file=out)
                continue
            note = f", {self.fallbacks[name]} as fallback" if self.fallbacks[name] else ""
            before = other.tallies.get(name) if other else None
            _print_tally(head, tally, out, before if before and before.pages else None, note)


def drifted(before: Tally, now: Tally) -> list[str]:
    """Fields that stopped matching: a rule selector or record field that matched most fixture
    pages and fewer than half as many of today's (other articles than the fixtures', so a field
    only some articles have is not judged)."""
    names = []
    for kind, label, keys in (
        ("rule", "selector", sorted(before.rules)),
        ("field", "field", COVERAGE_FIELDS),
    ):
        for name in keys:
            was, now_share = before.share(kind, name), now.share(kind, name)
            if was >= 0.5 and now_share < was * DRIFT_RATIO:
                names.append(f"{label}:{name}")
    return names


# ---- check ----------------------------------------------------------------------------------------


def check(
    site: str, live: str | None = None, root: Path | None = None, out: TextIO = sys.stdout
) -> int:
    """Replay the site's fixtures (and, with `live`, today's pages of the same listings)."""
    meta = fixtures.load_meta(site, root)
    spider = fixtures.spider_for(site)
    recorded, status = Tally(), 0
    by_layout = LayoutTally(spider)
    for entry in meta["listings"]:
        listing = fixtures.listing_of(spider, fixtures.load_page(site, entry, root))
        if [u for u, _ in listing.articles] != entry["articles"] or listing.next != entry["next"]:
            print(f"{site}: {entry['file']}: the listing's links or next page changed", file=out)
            status = 1
    for entry in meta["articles"]:
        page = fixtures.load_page(site, entry, root)
        # An encoding variant repeats an article: it would weigh that article twice.
        variant = bool(entry.get("variant"))
        tally = Tally() if variant else recorded
        served: dict[str, Any] = {}
        try:
            record = fixtures.replay_article(spider, page, entry.get("meta"), served=served)
        except RejectItem as exc:
            print(f"{site}: {entry['file']}: rejected ({exc.reason}: {exc.detail})", file=out)
            tally.add(spider, page, None)
            if not variant:
                by_layout.add(page, None, served)
            status = 1
            continue
        tally.add(spider, page, record)
        if not variant:
            by_layout.add(page, record, served)
        lines = fixtures.diff_expected(
            fixtures.load_expected(site, entry, root) or {}, fixtures.expected_of(record)
        )
        if lines:
            print(f"{site}: {entry['file']}: differs from its expected record:", file=out)
            print("\n".join(lines), file=out)
            status = 1
    _print_tally(f"{site}: fixtures", recorded, out)
    by_layout.report(f"{site}: fixtures", out)
    if live is None:
        if status == 0:
            print(f"{site}: every fixture replays to its expected record", file=out)
        return status
    return max(status, _check_live(site, live, meta, recorded, out, by_layout))


def _check_live(
    site: str,
    base: str,
    meta: dict,
    recorded: Tally,
    out: TextIO,
    recorded_layouts: LayoutTally | None = None,
) -> int:
    spider = fixtures.spider_for(site, base or None)
    home, origin = fixtures.origin_of(spider.home_url), fixtures.origin_of(spider.base_url)
    # The first page of each recorded listing, as served today.
    starts = [
        e["url"] for e in meta["listings"] if e["url"] not in {x["next"] for x in meta["listings"]}
    ]
    starts = [u.replace(home, origin, 1) for u in starts] or spider.listing_urls()
    wanted = max(3, len(meta["articles"]))
    today, links = Tally(), []
    today_layouts = LayoutTally(spider)
    for url in starts:
        page = fixtures.fetch(url)
        listing = fixtures.listing_of(spider, page) if page.status == 200 else None
        if not listing or not listing.articles:
            print(f"{site}: listing {url} lists no article today (HTTP {page.status})", file=out)
            continue
        links += [(u, m) for u, m in listing.articles if u not in dict(links)]
    if not links:
        print(f"{site}: DRIFT: listing (no article link found on {', '.join(starts)})", file=out)
        return 1
    for url, request_meta in links[:wanted]:
        page = fixtures.fetch(url)
        served: dict[str, Any] = {}
        try:
            record = (
                fixtures.replay_article(spider, page, request_meta, served=served)
                if page.status == 200
                else None
            )
        except RejectItem:
            record = None
        today.add(spider, page, record)
        today_layouts.add(page, record, served)
    _print_tally(f"{site}: live {spider.base_url}", today, out, other=recorded)
    today_layouts.report(f"{site}: live", out, other=recorded_layouts)
    names = drifted(recorded, today)
    if names:
        print(f"{site}: DRIFT: {', '.join(names)} stopped matching", file=out)
        return 1
    print(f"{site}: no drift", file=out)
    return 0


# ---- record ---------------------------------------------------------------------------------------


def record(
    site: str,
    base: str | None,
    urls: list[str],
    pages: int | None,
    articles: int,
    accept: bool,
    root: Path | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Re-record: by default the same listing pages and articles as the site's fixtures (as
    served today, from `base` when given); URLs: only those articles."""
    existing = _existing(site, root)
    if pages is None:
        pages = 0 if urls else len(existing["listings"]) or 3
    if not urls and existing["articles"]:
        urls = [a["url"] for a in existing["articles"] if not a.get("variant")]
    if base:  # the recorded URLs are the portal's: fetch them from the mirror
        home = fixtures.origin_of(fixtures.loader().load(site).home_url)
        urls = [u.replace(home, fixtures.origin_of(base), 1) for u in urls]
    rec = fixtures.record(site, base=base, urls=urls, pages=pages, articles=articles)
    return fixtures.save(site, rec, accept=accept, root=root, out=out)


def _existing(site: str, root: Path | None) -> dict[str, Any]:
    try:
        return fixtures.load_meta(site, root)
    except FixtureError:
        return {"listings": [], "articles": []}


# ---- new-site -------------------------------------------------------------------------------------


def _class_of(dotted: str) -> type:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def registry_row(url: str) -> dict[str, str] | None:
    """The registry's portal row for a URL's host (www. ignored)."""
    from crawler.provinces import portals

    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for row in portals():
        if (urlsplit(row["home_url"]).hostname or "").removeprefix("www.") == host:
            return row
    return None


def decide_family(page: fixtures.Page) -> tuple[str | None, str]:
    from pipelines.fingerprint import fingerprint

    html, _ = decode_html(page.body, header_charset(fixtures.response_for(page)) or None)
    fp = fingerprint([(page.url, html, page.headers)])
    family = _FAMILY_ALIAS.get(fp.family or "", fp.family)
    why = f"fingerprint {fp.family or 'none'} ({fp.confidence:.2f}: {', '.join(fp.evidence[:3])})"
    return (family if family in FAMILIES else None), why


def class_source(name: str, family: str, attrs: dict[str, Any], doc: str) -> str:
    family_cls = FAMILIES[family].rsplit(".", 1)
    cls = "".join(p.capitalize() for p in name.split("_")) + "Spider"
    lines = [
        f"from {family_cls[0]} import {family_cls[1]}",
        "",
        "",
        f"class {cls}({family_cls[1]}):",
    ]
    lines.append(f'    """{doc}"""')
    lines.append("")
    for key, value in attrs.items():
        lines.append(f"    {key} = {_literal(value)}")
    return "\n".join(lines) + "\n"


def _literal(value: Any) -> str:
    """Python source of a str or a tuple of str, quoted as the formatter writes it."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return json.dumps(value, ensure_ascii=False)


def new_site(
    name: str,
    url: str,
    family: str | None = None,
    pages: int = 2,
    articles: int = 3,
    out: TextIO = sys.stdout,
    spiders_dir: Path = SPIDERS_DIR,
) -> int:
    if (
        not name.isidentifier()
        or keyword.iskeyword(name)
        or not re.fullmatch(r"[a-z][a-z0-9_]*", name)
    ):
        raise UsageError(f"{name!r} is not a valid site name (a lower-case Python identifier)")
    target = spiders_dir / f"{name}.py"
    if target.exists() or name in fixtures.loader().list():
        raise UsageError(f"a site named {name!r} exists already ({target})")
    if family is not None and family not in FAMILIES:
        raise UsageError(f"unknown family {family!r} (one of {', '.join(FAMILIES)})")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{url!r} is not an http(s) URL")
    home_url = fixtures.origin_of(url) + "/"
    try:
        home = fixtures.fetch(home_url)
    except FixtureError as exc:
        print(f"new-site: {exc}", file=out)
        return 1
    if home.status != 200:
        print(f"new-site: {home_url}: HTTP {home.status}", file=out)
        return 1
    undecided: list[str] = []
    if family is None:
        family, why = decide_family(home)
        if family is None:
            print(f"new-site: cannot decide the CMS family ({why}); give --family", file=out)
            return 1
        print(f"family: {family} ({why})", file=out)
    row = registry_row(home_url)
    attrs: dict[str, Any] = {"name": name, "home_url": home_url}
    if row:
        attrs |= {"province": row["province"], "agency": row["agency"]}
    else:
        title = response_title(home) or home_url
        attrs["agency"] = title
        undecided.append(
            f"agency: not in the registry; guessed from the home page's title: {title!r}"
        )
        undecided.append("province: not in the registry; left unset")
    base_cls = _class_of(FAMILIES[family])
    # The class to be written, tried on the portal before it is written.
    probe_cls = type("Probe", (base_cls,), {"__module__": __name__, **attrs})
    spider = fixtures.spider_for_class(probe_cls)
    default = [u for u in spider.listing_urls() if _is_listing(spider, u)]
    if not default:
        found = fixtures.discover_listings(spider)
        if not found:
            print(
                f"new-site: no news listing found from {home_url} with the {family} family",
                file=out,
            )
            return 1
        paths = tuple(_path_of(u) for u in found[:1])
        attrs["listing_paths"] = paths
        undecided.append(
            f"listing_paths: the {family} default {base_cls.listing_paths} is not a listing here;"
            f" chose {paths[0]} (of {len(found)} found from the menus)"
        )
    doc = f"{attrs['agency']} ({family}); written by `python -m crawler new-site`."
    target.write_text(class_source(name, family, attrs, doc), "utf-8")
    print(f"wrote {target}", file=out)
    try:
        status = record(name, None, [], pages, articles, accept=True, out=out)
    except (FixtureError, RejectItem) as exc:
        target.unlink()
        print(f"new-site: {exc}; {target} removed", file=out)
        return 1
    if undecided:
        print(f"could not decide (review spiders/{name}.py):", file=out)
        for line in undecided:
            print(f"  - {line}", file=out)
    print(
        f"next: review tests/fixtures/{name}/*.expected.json, then"
        f" `python -m crawler check {name}` and `python -m pytest tests/test_sites.py -k {name}`",
        file=out,
    )
    return status


def response_title(page: fixtures.Page) -> str | None:
    title = fixtures.response_for(page).xpath("normalize-space(//title)").get()
    return title or None


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_listing(spider: Any, url: str) -> bool:
    try:
        page = fixtures.fetch(url)
    except FixtureError:
        return False
    return page.status == 200 and len(fixtures.listing_of(spider, page).articles) >= 3


# ---- CLI ------------------------------------------------------------------------------------------


def add_parsers(sub: Any) -> None:
    rec = sub.add_parser("record", help="(re-)record a site's fixtures; --accept takes new records")
    rec.add_argument("site", help="SITE, or SITE=BASE_URL to record from a mirror")
    rec.add_argument("urls", nargs="*", help="article URLs to (re-)record (default: walk listings)")
    rec.add_argument("--from", dest="base", help="base URL of a mirror of the site")
    rec.add_argument("--pages", type=int, help="listing pages to record (default: as many as now)")
    rec.add_argument("--articles", type=int, default=3, help="articles to record (default 3)")
    rec.add_argument("--accept", action="store_true", help="write changed expected records")

    chk = sub.add_parser("check", help="replay a site's fixtures; --live reports template drift")
    chk.add_argument("site")
    chk.add_argument(
        "--live",
        nargs="?",
        const="",
        metavar="BASE_URL",
        help="also fetch today's pages of the same listings (from BASE_URL or the home URL)",
    )

    new = sub.add_parser("new-site", help="scaffold a site class and its fixtures from a portal")
    new.add_argument("name")
    new.add_argument("url")
    new.add_argument("--family", help=f"CMS family ({', '.join(FAMILIES)}); default: fingerprint")
    new.add_argument("--pages", type=int, default=2, help="listing pages to record (default 2)")
    new.add_argument("--articles", type=int, default=3, help="articles to record (default 3)")


def cmd_record(args: argparse.Namespace) -> int:
    site, _, base = args.site.partition("=")
    return record(
        _site(site), args.base or base or None, args.urls, args.pages, args.articles, args.accept
    )


def cmd_check(args: argparse.Namespace) -> int:
    return check(_site(args.site), args.live)


def cmd_new_site(args: argparse.Namespace) -> int:
    return new_site(args.name, args.url, args.family, args.pages, args.articles)


def run(command: str, args: argparse.Namespace) -> int:
    """Dispatch with this module's error handling: usage errors exit 2, fetch failures 1."""
    handler = {"record": cmd_record, "check": cmd_check, "new-site": cmd_new_site}[command]
    try:
        return handler(args)
    except UsageError as exc:
        print(f"python -m crawler {command}: error: {exc}", file=sys.stderr)
        return 2
    except FixtureError as exc:
        print(f"python -m crawler {command}: {exc}", file=sys.stderr)
        return 1


COMMANDS = ("record", "check", "new-site")
