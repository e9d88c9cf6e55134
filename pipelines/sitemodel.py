"""A site model learned from the portal's own pages: which pages are articles, where their fields sit.

Extractors judge one page at a time; a crawler sees dozens of pages built from the same few
templates. This module uses that, and no class-name list:

- *URL templates*: every URL is reduced to its shape (ids, slugs, dates and query values
  generalized). A template whose pages mostly carry one long run of text, a title and a date is an
  article template; listing, tag, search and static templates fail one of those tests.
- *Boilerplate by repetition*: a block whose text recurs on many pages of the site is template
  (menus, footers, "Tin tiêu điểm" headings, counters once their digits are ignored); a link whose
  target recurs on many pages is navigation.
- *Entry groups*: three or more sibling blocks of one shape, each led by a link, are a list of other
  pages (a listing, a related-news list, a document table); nothing is read from inside one except
  the date printed beside a link to a page.
- *Fields by position*: the body is the block holding most of the page's own text, net of loose
  links; the title is the heading before it that other pages use as the link text to this page
  (or that the page's <title> repeats); the date line is the visible date nearest the title.

`SiteModel.learn(pages)` builds the model from (url, html) pairs; `model.judge(url, html)` says
whether a page is an article and returns the page annotated for `pipelines.extract`, which then
reads the fields with `MODEL_RULES` (pure functions: no crawl needed to test them).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
from lxml import etree

from pipelines.dates import parse_date, search_date
from pipelines.html import collapse_space, json_values, load_json, parse_html, trampoline
from pipelines.normalize import canonicalize_url
from pipelines.rules import ExtractionRules

MODEL_VERSION = 1

# Elements that start a block of text of their own.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    ]
)
# Never text.
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "iframe",
        "object",
        "embed",
        "select",
        "option",
        "button",
        "textarea",
        "input",
        "canvas",
        "video",
        "audio",
        "map",
    ]
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Class tokens of the CSS frameworks' "not shown" helpers (evidence, not a dependency).
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "hide", "sr-only", "visually-hidden", "invisible"})
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
_ONCLICK_URL = re.compile(r"""['"]((?:https?://|/|\.\./|\?)[^'"\s]+)['"]""")
_LINK_ATTRS = ("data-href", "data-url", "data-link", "data-next", "data-page-url")

# Rules that read the annotated page (see `SiteModel.judge`).
MODEL_RULES = ExtractionRules(
    title=("//*[@data-sm='title']",),
    date=("//*[@data-sm='date']",),
    lead=("//*[@data-sm='lead']",),
    body=("//*[@data-sm='body']",),
    prune=(".//*[@data-sm='drop']",),
)
# What the generic rules still contribute under a site model: structural pruning and the byline,
# category and tag selectors; never a class-based body, date or chrome rule.
MODEL_BASE = ExtractionRules(
    prune=(
        ".//script",
        ".//style",
        ".//noscript",
        ".//template",
        ".//iframe",
        ".//form//input",
        ".//button",
        ".//select",
        ".//textarea",
        ".//svg",
        ".//object",
        ".//embed",
        ".//canvas",
        ".//audio",
        ".//video",
    ),
    byline=(
        "//*[@itemprop='author' and not(self::meta)]",
        "//*[self::p or self::div or self::span][starts-with(normalize-space(),'Tác giả:')]",
    ),
    category=("//meta[@property='article:section']/@content",),
    tags=("//meta[@property='article:tag']/@content",),
)


# Why a page that is an article in all else is not one: a listing read later may date it, or
# list it among articles.
NO_DATE = "no date anywhere"
NOT_ARTICLE_TEMPLATE = "is not an article template"
# Article pages the model needs to tell lines of the article template that only some articles
# carry ("follow us on Zalo").
MIN_ARTICLES = 6
# Past the sample, articles still teach the template's lines until the model has seen this many.
LATE_LINES_UNTIL = 200


def _nfc(text: str) -> str:
    # One copy of a page may be served decomposed (NFD), another composed: the same text.
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).lower())


def clean(text: str | None) -> str:
    return collapse_space(text)


def _key(text: str) -> str:
    """A block's text with case and digits ignored: "Lượt xem: 343" and "Lượt xem: 12" agree."""
    return _DIGITS.sub("0", text.lower())


def _words(text: str) -> int:
    return len(_WORD.findall(text))


# ---- URL templates ------------------------------------------------------------------------------

_ID_END = re.compile(r"^(.*?)[-_.]?(\d+)$")


def _segment_shape(seg: str) -> str:
    if not seg:
        return ""
    stem, dot, ext = seg.rpartition(".")
    if not dot or not ext.isalpha() or len(ext) > 5:
        stem, ext = seg, ""
    ext = f".{ext.lower()}" if ext else ""
    if stem.isdigit():
        return "{n}" + ext
    m = _ID_END.match(stem)
    if m and m.group(1) and re.search(r"[a-zA-Z]", m.group(1)):
        return "{s}-{n}" + ext
    if re.search(r"[-_\s%]", stem) or len(stem) > 24:
        return "{s}" + ext
    if re.search(r"\d", stem):
        return "{x}" + ext
    return stem.lower() + ext


def url_template(url: str) -> str:
    """The shape of a URL: `/tin-tuc/hoi-nghi-123.html` → `/{s}/{s}-{n}.html`; query keys kept,
    numeric and long values generalized (`?ItemID={n}`), short words kept (`view=article`)."""
    parts = urlsplit(url)
    path = "/".join(_segment_shape(s) for s in parts.path.split("/"))
    query = []
    for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        k = k.lower()
        if v.isdigit():
            v = "{n}"
        elif not re.fullmatch(r"[A-Za-z_]{1,20}", v):
            v = "/".join(_segment_shape(s) for s in v.split("/"))
        query.append(f"{k}={v}")
    return path + ("?" + "&".join(query) if query else "")


# ---- Text units -----------------------------------------------------------------------------------


@dataclass
class Piece:
    """A run of a unit's text: one inline element (and what it holds), or a bare text node."""

    text: str
    linked: bool
    el: Any = None  # the inline element; None for a bare text node
    owner: Any = None  # bare text: the element whose .text it is, or the child whose .tail it is
    is_tail: bool = False

    def blank(self) -> None:
        """Remove this text from the tree."""
        if self.el is not None:
            _detach(self.el)
        elif self.is_tail:
            self.owner.tail = None
        elif self.owner is not None:
            self.owner.text = None


@dataclass
class Unit:
    """The text a block element holds itself (its inline descendants, not its child blocks)."""

    el: Any
    order: int
    text: str = ""
    link_chars: int = 0
    in_link: bool = False
    group: int | None = None  # id of the entry group it sits in
    pieces: list[Piece] = field(default_factory=list)
    has_blocks: bool = False

    @property
    def own_chars(self) -> int:
        return max(0, len(self.text) - self.link_chars)

    @property
    def alone(self) -> bool:
        """The element holds this text and nothing else: it can stand for the text."""
        return not self.has_blocks and len([p for p in self.pieces if p.text]) <= 1


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _is_hidden(el: Any) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    return bool(_classes(el) & _HIDDEN_CLASSES)


def parse(html: str) -> Any:
    return parse_html(html)


def _is_link(el: Any) -> bool:
    return el.tag == "a" and el.get("href") is not None


def _flat(node: Any, linked: bool, unit: Unit, units: list[Unit]) -> Any:
    """Text of an inline element (pieces with whether each is link text), nested blocks becoming
    units of their own."""
    out = [(node.text or "", linked)]
    for ch in node:
        if isinstance(ch.tag, str) and ch.tag not in SKIP_TAGS and not _is_hidden(ch):
            if ch.tag in BLOCK_TAGS:
                unit.has_blocks = True
                yield _block(ch, linked, units)
            else:
                out += yield _flat(ch, linked or _is_link(ch), unit, units)
        out.append((ch.tail or "", linked))
    return out


def _block(el: Any, in_link: bool, units: list[Unit]) -> Any:
    """A block element's unit, appended to `units`, then its nested blocks'."""
    unit = Unit(el, len(units), in_link=in_link)
    units.append(unit)
    linked_el = in_link or _is_link(el)
    if el.text and el.text.strip():
        unit.pieces.append(Piece(clean(el.text), linked_el, owner=el))
    for ch in el:
        if isinstance(ch.tag, str) and ch.tag not in SKIP_TAGS and not _is_hidden(ch):
            if ch.tag in BLOCK_TAGS:
                unit.has_blocks = True
                yield _block(ch, linked_el, units)
            else:
                parts = yield _flat(ch, linked_el or _is_link(ch), unit, units)
                text = clean(" ".join(p for p, _ in parts))
                if text:
                    links = len(clean(" ".join(p for p, lk in parts if lk)))
                    piece = Piece(text, links >= 0.5 * len(text), el=ch)
                    piece.link_chars = links  # type: ignore[attr-defined]
                    unit.pieces.append(piece)
        if ch.tail and ch.tail.strip():
            unit.pieces.append(Piece(clean(ch.tail), linked_el, owner=ch, is_tail=True))
    unit.text = clean(" ".join(p.text for p in unit.pieces))
    if unit.text:
        links = sum(getattr(p, "link_chars", len(p.text) if p.linked else 0) for p in unit.pieces)
        unit.link_chars = len(unit.text) if in_link else min(len(unit.text), links)


def text_units(doc: Any) -> list[Unit]:
    """Every visible block's own text, in document order."""
    units: list[Unit] = []
    body = doc.body if doc.body is not None else doc
    # Generators run by `trampoline` (tag soup nests deeper than Python's recursion limit), at
    # module level: nested recursive functions would be a reference cycle holding the page's tree
    # until the cyclic collector runs.
    trampoline(_block(body, False, units))
    return [u for u in units if u.text]


def _links(doc: Any, base: str) -> list[tuple[Any, str, str]]:
    """(element, absolute URL, anchor text) of every followable link, JS pager fallbacks too."""
    out = []
    for el in doc.iter("a", "button", "span", "div", "li", "option", "area"):
        if not isinstance(el.tag, str):
            continue
        href = el.get("href") if el.tag in ("a", "area") else None
        candidates = [href] if href else []
        candidates += [el.get(a) for a in _LINK_ATTRS if el.get(a)]
        if el.tag == "option" and el.get("value", "").startswith(("/", "http", "?")):
            candidates.append(el.get("value"))
        onclick = el.get("onclick")
        if onclick:
            candidates += _ONCLICK_URL.findall(onclick)
        for c in candidates:
            c = c.strip()
            if not c or c.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "file:")):
                continue
            try:
                url = urljoin(base, c).split("#", 1)[0]
            except ValueError:  # "http://[::1/x": a bad link is skipped, not the page's others
                continue
            out.append((el, url, clean(el.text_content())))
    return out


def _canonical_links(doc: Any, base: str) -> list[tuple[Any, str, str]]:
    out = []
    for el, url, text in _links(doc, base):
        try:
            out.append((el, canonicalize_url(url), text))
        except ValueError:
            continue
    return out


def page_links(url: str, html: str) -> list[str]:
    """Every URL a page links to (anchors, load-more buttons' data-href, onclick targets)."""
    try:
        doc = parse(html)
    except (etree.ParserError, ValueError):
        return []
    return list(dict.fromkeys(u for _, u, _ in _links(doc, url)))


# ---- Entry groups ------------------------------------------------------------------------------


_MAX_ENTRY = 800


def _signature(el: Any) -> str:
    # The tag only: entries of one list often alternate classes ("item", "item odd", "featured").
    return el.tag


def entry_shape(el: Any) -> str:
    """An entry's structure: its tag and its children's ("li>a,span"); classes, order and the
    heading level (entries of one list vary them) ignored."""
    kids = {
        "h" if c.tag in HEADINGS else c.tag
        for c in el
        if isinstance(c.tag, str) and c.tag not in SKIP_TAGS
    }
    return f"{el.tag}>{','.join(sorted(kids))}"


def _entry_groups(doc: Any, base: str, shapes: frozenset[str] = frozenset()) -> list[list[Any]]:
    """Runs of ≥ 3 sibling blocks of one shape, each led by a link to another page: listing
    entries, related lists, sidebars of titles, menus, document tables. With `shapes` (entry
    structures the site uses elsewhere), a shorter run of known entries counts too: the last
    page of a listing may hold only one or two."""
    groups = []
    for parent in doc.iter():
        if not isinstance(parent.tag, str) or parent.tag in SKIP_TAGS:
            continue
        by_sig: dict[str, list[Any]] = defaultdict(list)
        for ch in parent:
            if isinstance(ch.tag, str) and ch.tag not in SKIP_TAGS:
                by_sig[_signature(ch)].append(ch)
        for members in by_sig.values():
            known = shapes and any(entry_shape(m) in shapes for m in members)
            if len(members) < 3 and not known:
                continue
            # An entry is a title, a picture, a date and a summary at most, linking to one page
            # (or two, three: its category); a layout row holding a column is not one.
            light = [
                m
                for m in members
                if len(clean(m.text_content())) <= _MAX_ENTRY
                and len({a.get("href") for a in m.iter("a") if a.get("href")}) <= 3
            ]
            led = [m for m in light if _led_by_link(m, base)]
            if len(led) >= 3 and len(led) >= 0.6 * len(members):
                groups.append(led)
            elif known:
                led = [m for m in led if entry_shape(m) in shapes]
                if led:
                    groups.append(led)
    return groups


def _led_by_link(el: Any, base: str) -> bool:
    """A link to another page comes before any sizeable text of the block."""
    text_before = 0
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
            continue
        if node.tag == "a" and node.get("href"):
            try:
                target = urljoin(base, node.get("href", "")).split("#", 1)[0]
            except ValueError:  # "http://[::1/x": not a link to anything
                continue
            if target != base.split("#", 1)[0] and (
                _words(node.text_content()) >= 1 or node.xpath(".//img")
            ):
                return text_before <= 40
        if node.text and not any(a.tag == "a" for a in node.iterancestors()):
            text_before += len(clean(node.text))
        if text_before > 40:
            return False
    return False


# ---- What one page shows -------------------------------------------------------------------------


@dataclass
class PageFacts:
    """What the site model keeps of one fetched page (its HTML compressed)."""

    url: str
    template: str
    texts: set[str]  # the exact text of each visible block (lower-cased)
    shapes: set[str]  # the same with digits ignored
    targets: set[str]  # URLs linked to
    title_parts: set[str] = field(default_factory=set)  # pieces of <title> and og:title
    packed: bytes = b""
    extra: dict[str, Any] = field(default_factory=dict)  # feed date etc. from the spider

    @property
    def html(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


def observe(url: str, html: str, **extra: Any) -> PageFacts | None:
    """The facts of one page, or None when it is not parsable HTML."""
    try:
        doc = parse(html)
    except (etree.ParserError, ValueError):
        return None
    texts, shapes = set(), set()
    for u in text_units(doc):
        if u.in_link or u.own_chars == 0:
            continue
        # Runs of text count too, a link inside them or not ("Link rút gọn: <a>…</a>"), unless
        # they are nothing but a link.
        runs = [
            p.text for p in u.pieces if not p.linked or getattr(p, "link_chars", 0) < len(p.text)
        ]
        for text in (u.text, *runs):
            low = text.lower()
            texts.add(low)
            shapes.add(_key(low))
    targets = {t for _, t, _ in _canonical_links(doc, url)}
    return PageFacts(
        url,
        url_template(url),
        texts,
        shapes,
        targets,
        set(_title_parts(doc)),
        zlib.compress(html.encode("utf-8"), 6),
        dict(extra),
    )


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|:)\s+")


def _title_parts(doc: Any) -> list[str]:
    out = []
    for text in (
        clean(doc.xpath("string(//title)")),
        clean(doc.xpath("string(//meta[@property='og:title']/@content)")),
    ):
        out += [p.lower() for p in _TITLE_SEPARATORS.split(text) if p.strip()]
    return out


# ---- The model ---------------------------------------------------------------------------------


@dataclass
class Verdict:
    """What the model says of one page."""

    url: str
    kind: str  # article | listing | other
    reason: str
    title: str | None = None
    date_raw: str | None = None
    listing_date: str | None = None
    html: str | None = None  # the page annotated for MODEL_RULES (articles only)
    words: int = 0
    fingerprint: str | None = None  # of the body's text: one article under two URLs
    positions: dict[str, str | None] = field(default_factory=dict)  # where the fields sat
    lines: Any = None  # the body's (prose, edges, adlike) lines, for `SiteModel.learn_lines`


@dataclass
class _Analysis:
    ok: bool
    reason: str
    kind: str = "other"
    title: Any = None  # (unit, text, piece)
    title_text: str | None = None
    date: Any = None  # (unit, text, piece)
    body_el: Any = None
    lead_el: Any = None
    drop: list[Any] = field(default_factory=list)
    remove: list[Any] = field(default_factory=list)
    body_words: int = 0
    dated: bool = False
    date_raw: str | None = None
    doc: Any = None
    blank: list[Any] = field(default_factory=list)
    prose: set[str] = field(default_factory=set)  # the body's running-text lines
    edges: set[str] = field(default_factory=set)  # its first and last one
    adlike: set[str] = field(default_factory=set)  # its lines holding a link or a picture


class SiteModel:
    """Learned from a sample of one site's pages; see the module docstring."""

    def __init__(self) -> None:
        self.pages = 0
        self.text_freq: Counter[str] = Counter()
        self.shape_freq: Counter[str] = Counter()
        self.target_freq: Counter[str] = Counter()
        self.article_templates: dict[str, int] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        # target URL -> anchor texts and dates printed beside links to it on other pages
        self.anchors: dict[str, Counter[str]] = defaultdict(Counter)
        self.entry_dates: dict[str, Counter[str]] = defaultdict(Counter)
        self.groups: list[list[str]] = []  # the targets of each entry group seen
        self.listed_with_articles: set[str] = set()
        self.entry_shapes: frozenset[str] = frozenset()
        # Text recurring on several article pages is the template's (a "follow us" line that
        # only some articles carry), not any one article's.
        self.article_text_freq: Counter[str] = Counter()
        self.article_edge_freq: Counter[str] = Counter()
        self.article_adlike: set[str] = set()  # lines that carry a link or a picture
        self.article_shape_freq: Counter[str] = Counter()
        self.article_adlike_shapes: set[str] = set()
        self.article_pages = 0
        self.title_part_freq: Counter[str] = Counter()
        self.prior: dict[str, Any] = {}
        self.best_template = 0  # pages of the template with most articles, in the sample

    # -- thresholds
    @property
    def repeat_threshold(self) -> int:
        """Pages a block must recur on to be template: a fifth of the sample, at least 4."""
        return max(4, math.ceil(0.2 * self.pages))

    def is_static(self, text: str) -> bool:
        low = text.lower()
        return (
            self.text_freq[low] >= self.repeat_threshold
            or low in self.prior.get("static", ())
            or self._template_line(low)
        )

    def _template_line(self, low: str) -> bool:
        """A line several articles end (or open) with, word for word: the template's."""
        seen = self.article_text_freq[low]
        if seen >= self.article_threshold and (
            self.article_edge_freq[low] >= 0.8 * seen or low in self.article_adlike
        ):
            return True
        # A tool bar with a counter ("57 lượt chia sẻ"): the same line but for its digits.
        key = _key(low)
        return key in self.article_adlike_shapes and (
            self.article_shape_freq[key] >= self.article_threshold
        )

    @property
    def article_threshold(self) -> float:
        if self.article_pages < MIN_ARTICLES:
            return math.inf
        return max(3, math.ceil(0.04 * self.article_pages))

    def is_shape_repeat(self, text: str) -> bool:
        key = _key(text.lower())
        return self.shape_freq[key] >= self.repeat_threshold or key in self.prior.get("shapes", ())

    # -- learning
    @classmethod
    def learn(cls, pages: Iterable[PageFacts], prior: dict[str, Any] | None = None) -> SiteModel:
        model = cls()
        model.prior = prior or {}
        facts = sorted(pages, key=lambda f: f.url)  # the same model whatever the crawl order
        model.pages = len(facts)
        for f in facts:
            model.text_freq.update(f.texts)
            model.shape_freq.update(f.shapes)
            model.target_freq.update(f.targets)
        # Entry structures that form lists on at least two pages are the site's entry shapes.
        shapes: Counter[str] = Counter()
        for f in facts:
            found = {entry_shape(m) for g in _entry_groups(parse(f.html), f.url) for m in g}
            shapes.update(found)
        model.entry_shapes = frozenset(
            s for s, n in shapes.items() if n >= 2 and ">" in s and not s.endswith(">")
        )
        for f in facts:
            model._read_entries(f)
        for f in facts:
            model.title_part_freq.update(f.title_parts)
        by_template: dict[str, list[_Analysis]] = defaultdict(list)
        titles: set[str | None] = set()
        ok_pages: dict[str, bool] = {}
        for f in facts:
            a = model._analyse(f.url, f.html, f.extra)
            a.doc = None  # keep no trees: judge() parses the page again
            by_template[f.template].append(a)
            ok_pages[f.url] = a.ok
            if a.ok and a.title_text not in titles:  # an article under two URLs counts once
                titles.add(a.title_text)
                model._count_lines(a.prose, a.edges, a.adlike)
        best = max((sum(a.ok for a in v) for v in by_template.values()), default=0)
        model.best_template = best
        prior_templates = model.prior.get("article_templates", {})
        for template, analyses in by_template.items():
            ok = sum(a.ok for a in analyses)
            kinds = Counter(a.kind for a in analyses)
            is_article = model._article_template(ok, len(analyses)) or (
                template in prior_templates and ok >= 1
            )
            model.templates[template] = {
                "pages": len(analyses),
                "articles": ok,
                "kind": "article"
                if is_article
                else next((k for k, _ in kinds.most_common() if k != "article"), "other"),
                "examples": [],
            }
            if is_article:
                model.article_templates[template] = ok
        # A template that differs from two or more article templates only by one literal word,
        # which varies among them, is one more of those sections (a category of one article).
        for template, info in model.templates.items():
            if info["kind"] == "article" or not info["articles"]:
                continue
            if info["articles"] < 0.5 * info["pages"]:
                continue
            if _sibling_section(template, model.article_templates):
                info["kind"] = "article"
                model.article_templates[template] = info["articles"]
        # A page listed among articles is one, whatever its URL's shape (a slug that happens to
        # end in a year, a second URL scheme): listings are where the site says what it publishes.
        template_of = {f.url: f.template for f in facts}
        for targets in model.groups:
            known = [t for t in targets if t in template_of]
            in_article = [
                t for t in known if template_of[t] in model.article_templates and ok_pages.get(t)
            ]
            if len(in_article) >= 2 and len(in_article) >= 0.5 * len(known):
                model.listed_with_articles.update(known)
        for f in facts:
            ex = model.templates[f.template]["examples"]
            if len(ex) < 2:
                ex.append(f.url)
        return model

    def _article_template(self, ok: int, pages: int) -> bool:
        # Mostly articles; or, where one URL shape serves the whole site (flat slugs), a fair
        # share of its pages pass every test of an article.
        share = 0.5 if ok < 3 else 0.2
        return ok >= 2 and ok >= share * pages and ok >= 0.2 * self.best_template

    def _count_lines(self, prose: set[str], edges: set[str], adlike: set[str]) -> None:
        self.article_text_freq.update(prose)
        self.article_edge_freq.update(edges)
        self.article_adlike.update(adlike)
        self.article_shape_freq.update({_key(t) for t in prose | adlike})
        self.article_adlike_shapes.update(_key(t) for t in adlike)
        self.article_pages += 1

    def learn_lines(self, verdict: Verdict) -> None:
        """Count an article judged after learning towards the template's own lines, as long as
        the model has seen fewer than LATE_LINES_UNTIL articles (a sample poor in articles):
        its lines are counted, not kept, past that."""
        lines, verdict.lines = verdict.lines, None
        if lines is not None and self.article_pages < LATE_LINES_UNTIL:
            self._count_lines(*lines)

    def tally(self, template: str, passed: bool) -> bool:
        """Count a page judged after learning (`passed`: it passes every test of an article
        but perhaps its template's); True when that makes its template an article template by
        `learn`'s rule (a section the sample did not reach)."""
        info = self.templates.setdefault(
            template, {"pages": 0, "articles": 0, "kind": "other", "examples": []}
        )
        info["pages"] += 1
        info["articles"] += passed
        if template in self.article_templates:
            self.article_templates[template] = info["articles"]
            return False
        if not self._article_template(info["articles"], info["pages"]):
            return False
        info["kind"] = "article"
        self.article_templates[template] = info["articles"]
        return True

    def _read_entries(self, f: PageFacts) -> None:
        self.read_listing(f.url, f.html, keep_groups=True)

    def read_listing(self, url: str, html: str, keep_groups: bool = False) -> set[str]:
        """Anchor texts and entry dates of the links in this page's entry groups (a page read
        after the model was learned adds its listing dates, and the pages it lists among
        articles). Returns the pages it told something new of."""
        dated: set[str] = set()
        try:
            doc = parse(html)
        except (etree.ParserError, ValueError):
            return dated
        for members in _entry_groups(doc, url, self.entry_shapes):
            targets = []
            for m in members:
                main = _member_target(m, url)
                if main is None:
                    continue
                target, anchor = main
                targets.append(target)
                if _words(anchor) >= 2:
                    self.anchors[target][anchor] += 1
                raw = _entry_date(m)
                if raw:
                    self.entry_dates[target][raw] += 1
                    dated.add(target)
            if keep_groups:
                self.groups.append(targets)
                continue
            # `learn`'s rule for a page listed among articles, by URL template alone: the pages
            # of this group are mostly not fetched yet.
            in_article = [t for t in targets if url_template(t) in self.article_templates]
            if len(in_article) >= 2 and len(in_article) >= 0.5 * len(targets):
                new = set(targets) - self.listed_with_articles
                self.listed_with_articles |= new
                dated |= new
        return dated

    def forget(self, url: str) -> None:
        """Drop what listings said of a page once it has been judged: a crawl that goes on
        after learning keeps no per-page facts."""
        self.anchors.pop(url, None)
        self.entry_dates.pop(url, None)

    # -- judging one page
    def judge(self, url: str, html: str, extra: dict[str, Any] | None = None) -> Verdict:
        a = self._analyse(url, html, extra or {})
        template = url_template(url)
        listing_date = self.listing_date(url)
        if not a.ok:
            return Verdict(url, a.kind, a.reason)
        if template not in self.article_templates and url not in self.listed_with_articles:
            return Verdict(url, "other", f"template {template} {NOT_ARTICLE_TEMPLATE}")
        # Title and date: the same in every copy of the article, whatever else a copy carries
        # around its text (counters, a second template, decomposed characters).
        body_text = a.date_raw or listing_date or max(sorted(a.prose), key=len, default="")
        tree = a.doc.getroottree()
        positions = {
            "title": _where(tree, a.title),
            "date": _where(tree, a.date),
            "body": tree.getpath(a.body_el),
        }
        return Verdict(
            url,
            "article",
            "article template, one body, a title and a date",
            a.title_text,
            a.date_raw,
            listing_date,
            self._annotate(a),
            a.body_words,
            hashlib.sha1(_nfc(f"{a.title_text}\n{body_text}").encode()).hexdigest(),
            positions,
            (a.prose, a.edges, a.adlike),
        )

    def preference(self, url: str) -> tuple[int, int, int]:
        """Which of several URLs of one article to keep: the one listings link to most, in an
        article template, the shortest."""
        listed = sum(self.anchors.get(url, {}).values())
        return (-listed, url_template(url) not in self.article_templates, len(url))

    def listing_date(self, url: str) -> str | None:
        dates = self.entry_dates.get(url)
        return dates.most_common(1)[0][0] if dates else None

    def repeated(self, text: str) -> bool:
        return self.is_static(text) or self.is_shape_repeat(text)

    def _analyse(self, url: str, html: str, extra: dict[str, Any]) -> _Analysis:
        try:
            doc = parse(html)
        except (etree.ParserError, ValueError):
            return _Analysis(False, "unparsable")
        units = text_units(doc)
        groups = _entry_groups(doc, url, self.entry_shapes)
        member_of: dict[Any, int] = {}
        for gi, members in enumerate(groups):
            for m in members:
                member_of[m] = gi
                for d in m.iterdescendants():
                    member_of.setdefault(d, gi)
        for u in units:
            u.group = member_of.get(u.el)
        content: dict[Any, int] = defaultdict(int)
        loose_links: dict[Any, int] = defaultdict(int)
        total = grouped = 0
        for u in units:
            own = 0 if u.in_link else self._own_chars(u)
            if u.group is not None:
                grouped += own
                continue
            total += own
            links = u.link_chars
            for el in (u.el, *u.el.iterancestors()):
                content[el] += own
                loose_links[el] += links
        if total + grouped == 0:
            return _Analysis(False, "no text of its own", doc=doc)
        if grouped > total:
            return _Analysis(False, "a list of links to other pages", "listing", doc=doc)
        body = max(content, key=lambda el: content[el] - loose_links[el])
        body_chars = content[body]
        # Narrow to the smallest block that still holds nearly all of it.
        while True:
            kids = [
                c for c in body if isinstance(c.tag, str) and content.get(c, 0) >= 0.9 * body_chars
            ]
            if len(kids) != 1:
                break
            body = kids[0]
        body_units = [u for u in units if _inside(u.el, body)]
        body_words = sum(
            _words(" ".join(p.text for p in u.pieces if not p.linked and not self.repeated(p.text)))
            for u in body_units
            if u.group is None and not u.in_link
        )
        if body_words < 25 or body_chars < 0.5 * total:
            return _Analysis(False, "no single run of text", doc=doc)
        # Where the prose begins: the title and date line sit before it, inside the body's block
        # or not.
        prose_starts = [u.order for u in body_units if u.group is None and self._is_prose(u)]
        if not prose_starts:
            return _Analysis(False, "no running text (a table, a form, a list)", doc=doc)
        start = min(prose_starts)
        title, title_text = self._title(url, doc, units, start)
        if not title_text:
            return _Analysis(False, "no title", doc=doc)
        anchor = title[0].order if title is not None else start
        end = max(
            (u.order for u in body_units if u.group is None and self._is_prose(u)),
            default=start,
        )
        date = self._date(units, anchor, start, end, body)
        date_raw = date[1] if date is not None else None
        dated = bool(date_raw) or bool(self.listing_date(url)) or bool(extra.get("feed_date"))
        dated = dated or _structured_date(doc)
        if not dated:
            return _Analysis(False, NO_DATE, doc=doc)
        # Title and date line end the head of the article (a date printed under the text does not).
        after = anchor
        if date is not None and date[0].order < start:
            after = max(anchor, date[0].order)
        # A lead printed apart, between the title (or date) and the body.
        leads = [
            u
            for u in units
            if after < u.order < start
            and u.group is None
            and not u.in_link
            and u.link_chars < 0.3 * len(u.text)
            and _words(u.text) >= 8
            and not self.repeated(u.text)
            and u.alone
            and not _caption_like(u.el)
            # A lead is prose: sentences, not a heading-like subtitle.
            and (_ends_sentence(u.text) or _words(u.text) >= 25)
        ]
        lead_el = leads[0].el if leads else None
        if lead_el is not None and not _inside(lead_el, body):
            # The body's block is where the lead and the prose meet; what sits between the
            # title and the lead (tools, share bars) is not text.
            body = _common_ancestor(body, lead_el)
            body_units = [u for u in units if _inside(u.el, body)]
            after = leads[0].order
        drop: list[Any] = []  # elements marked for MODEL_RULES' prune
        blank: list[Piece] = []  # text taken out of the tree
        for target in (title, date):
            if target is not None and _inside(target[0].el, body):
                unit, text, piece = target
                if piece is None:
                    drop.append(unit.el)
                else:
                    blank.append(piece)
        for u in body_units:
            if u.group is not None or u.el is body:
                if u.el is body:
                    blank += [p for p in u.pieces if self._chrome_piece(p)]
                continue
            if u.order < after and not u.has_blocks:
                drop.append(u.el)  # kicker, toolbar, title, date line
            elif u.order < start and not u.has_blocks and u.el is not lead_el:
                drop.append(u.el)  # a subtitle or a tool line between the title and the text
            elif not u.has_blocks and (
                self.repeated(u.text)
                or (u.link_chars >= 0.6 * len(u.text) and u.link_chars)
                or (u.link_chars and self._prose_words(u) == 0)
                or (_words(u.text) <= 12 and not _ends_sentence(u.text) and parse_date(u.text))
            ):
                # Template text; a line that is only links (a tags line once "Từ khóa:" is
                # known as the template's); a date line ("Ngày cập nhật: …") under the text.
                drop.append(u.el)
            else:
                blank += [p for p in u.pieces if self._chrome_piece(p)]
        remove = [m for members in groups for m in members]
        remove += _list_headings(groups) + _form_blocks(body)
        prose = [u for u in body_units if u.group is None and self._prose_words(u) >= 8]
        return _Analysis(
            True,
            "ok",
            "article",
            title,
            title_text,
            date,
            body,
            lead_el,
            drop,
            remove,
            body_words,
            dated,
            date_raw,
            doc,
            blank,
            {u.text.lower() for u in prose},
            {u.text.lower() for u in prose[:1] + prose[-1:]},
            {
                u.text.lower()
                for u in units
                if u.group is None
                and not u.has_blocks
                and not u.in_link
                # Its own words, not a link's: a related title is no tool bar.
                and _words(" ".join(p.text for p in u.pieces if not p.linked)) >= 3
                and u.el.xpath(".//a[@href] | .//img")
            },
        )

    def _is_prose(self, u: Unit) -> bool:
        """Running text: sentences (a long title is no paragraph)."""
        words = self._prose_words(u)
        return words >= 15 and (_ends_sentence(u.text) or words >= 40)

    def _prose_words(self, u: Unit) -> int:
        """Words of the unit that are running text: not links, not template text."""
        if u.in_link or self.repeated(u.text):
            return 0
        return sum(_words(p.text) for p in u.pieces if not p.linked and not self.repeated(p.text))

    def _own_chars(self, u: Unit) -> int:
        """Characters of the unit that are neither link text nor template text."""
        if self.repeated(u.text):
            return 0
        return sum(len(p.text) for p in u.pieces if not p.linked and not self.repeated(p.text))

    def _chrome_piece(self, p: Piece) -> bool:
        """A run of text inside the body that the template prints on every page ("Chia sẻ:")."""
        return bool(p.text) and _words(p.text) <= 12 and self.repeated(p.text)

    @staticmethod
    def _candidates(units: list[Unit], before: int) -> Iterable[tuple[Unit, str, Piece | None]]:
        """Texts that can stand alone as a field: whole units, or the inline runs of a mixed one."""
        for u in units:
            if u.order > before or u.group is not None:
                continue
            if u.alone:
                yield u, u.text, None
            else:
                for p in u.pieces:
                    if p.text:
                        yield u, p.text, p

    def _title(
        self, url: str, doc: Any, units: list[Unit], start: int
    ) -> tuple[tuple[Unit, str, Piece | None] | None, str | None]:
        anchors = [clean(a).lower().rstrip(". …") for a in self.anchors.get(url, {})]
        head = clean(doc.xpath("string(//title)")).lower()
        og = clean(doc.xpath("string(//meta[@property='og:title']/@content)")).lower()
        best, best_rank = None, (0.0, 0)
        for u, text, piece in self._candidates(units, start + 1):
            words = _words(text)
            if not 2 <= words <= 80 or self.is_static(text):
                continue
            linked = piece.linked if piece is not None else u.in_link
            if linked and not _links_to(piece.el if piece else u.el, url):
                continue
            low = text.lower().rstrip(". …")
            score = 0.0
            if low in anchors:
                score += 5
            elif any(len(a) >= 15 and (low.startswith(a) or a.startswith(low)) for a in anchors):
                score += 3
            if words >= 3 and (low in head or low in og):
                score += 3
            tag = u.el.tag
            if piece is not None and piece.el is not None and piece.el.tag in HEADINGS:
                tag = piece.el.tag
            if tag in ("h1", "h2", "h3"):
                score += 2
            elif tag in HEADINGS:
                score += 1
            rank = (score, -max(0, start - u.order))
            if score >= 2 and (best is None or rank > best_rank):
                best, best_rank = (u, text, piece), rank
        if best is not None:
            return best, best[1]
        # No visible title: the <title> without the site's name (the part every page repeats).
        text = clean(doc.xpath("string(//meta[@property='og:title']/@content)")) or clean(
            doc.xpath("string(//title)")
        )
        parts = [p for p in _TITLE_SEPARATORS.split(text) if p.strip()]
        parts = [p for p in parts if self.title_part_freq[p.lower()] < self.repeat_threshold]
        text = max(parts, key=len) if parts else ""
        return None, (text if _words(text) >= 3 else None)

    def _date(
        self, units: list[Unit], anchor: int, start: int, end: int, body: Any = None
    ) -> tuple[Unit, str, Piece | None] | None:
        """The visible date line: near the title (before the prose or just inside it), else
        right after the body ("Ngày đăng: …" under the text). Of two dates printed there, the
        earlier is the publication (the other an update)."""
        near, after = [], []
        # The first few blocks after the prose, lists of other pages skipped.
        tail = {
            u.order
            for u in units
            if u.order > end
            and u.group is None
            and not self.is_static(u.text)
            and not _in_table_of(u.el, body)  # the rows of a data table in the text
        }
        tail = set(sorted(tail)[:10])
        for u, text, piece in self._candidates(units, max(tail, default=end)):
            # A date line is mostly its date: labels, a weekday, a view counter at most.
            if len(text) > 160 or _words(text) > 14:
                continue
            if piece is not None and (piece.el is None or _words(u.text) - _words(text) > 8):
                continue  # a run inside a paragraph of prose
            in_near = anchor - 3 <= u.order <= max(start + 2, anchor + 6)
            if not in_near and u.order not in tail:
                continue
            linked = piece.linked if piece is not None else u.in_link
            if linked or self.is_static(text):
                continue
            found = parse_date(text)
            if found is None and piece is None and _words(text) <= 8:
                found = search_date(text)
            if found is None:
                continue
            (near if in_near else after).append(
                (found.value, abs(u.order - anchor), (u, text, piece))
            )
        for found in (near, after):
            if found:
                return min(found, key=lambda c: (c[0], c[1]))[2]
        return None

    def _annotate(self, a: _Analysis) -> str:
        doc = a.doc
        body = a.body_el
        for p in a.blank:
            p.blank()
        for el in a.remove:
            if el.getparent() is None:
                continue
            if _inside(body, el):
                continue  # a group around the body: the body's own rules decide
            if _inside(el, body):
                el.set("data-sm", "drop")
            else:
                _detach(el)
        # Invisible elements carry no evidence a reader sees (NukeViet's hidden datePublished).
        for el in list(doc.iter()):
            if (
                isinstance(el.tag, str)
                and el.tag not in ("html", "head", "body", "meta", "link", "script")
                and el.getparent() is not None
                and _is_hidden(el)
            ):
                _detach(el)
        for el in a.drop:
            if el.get("data-sm") is None and el is not body:
                el.set("data-sm", "drop")
        body.set("data-sm", "body")
        if a.lead_el is not None and a.lead_el.get("data-sm") is None:
            a.lead_el.set("data-sm", "lead")
        # The title and the date line as read, apart from the body, whatever held them.
        host = doc.body if doc.body is not None else doc
        for field_name, value in (("title", a.title_text), ("date", a.date_raw)):
            if value:
                twin = etree.SubElement(host, "div", {"data-sm": field_name})
                twin.text = value
        return lxml.html.tostring(doc, encoding="unicode")

    # -- persistence and description
    def to_json(self) -> dict[str, Any]:
        """What later runs reuse: article templates and the template text."""
        thr = self.repeat_threshold
        return {
            "version": MODEL_VERSION,
            "pages": self.pages,
            "article_templates": dict(self.article_templates),
            "static": sorted(t for t, n in self.text_freq.items() if n >= thr)[:2000],
            "shapes": sorted(t for t, n in self.shape_freq.items() if n >= thr)[:2000],
        }

    def describe(self) -> dict[str, Any]:
        thr = self.repeat_threshold
        chrome = [t for t, n in self.text_freq.most_common(40) if n >= thr]
        return {
            "pages": self.pages,
            "repeat_threshold": thr,
            "templates": [
                {"template": t, **info}
                for t, info in sorted(self.templates.items(), key=lambda kv: -kv[1]["pages"])
            ],
            "article_templates": sorted(self.article_templates),
            "chrome_text": chrome[:20],
            "navigation_links": len([1 for n in self.target_freq.values() if n >= thr]),
        }


def _entry_date(member: Any) -> str | None:
    """The date printed in a listing entry, outside its links: the first short text that is one."""
    for node in member.iter():
        if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
            continue
        for text, linked in ((node.text, node.tag == "a"), (node.tail, False)):
            text = clean(text)
            if not text or len(text) > 60 or linked or _in_link(node, member) and text is node.text:
                continue
            if parse_date(text) is not None:
                return text
    return None


def _in_link(node: Any, root: Any) -> bool:
    while node is not None and node is not root:
        if node.tag == "a":
            return True
        node = node.getparent()
    return False


def _member_target(member: Any, base: str) -> tuple[str, str] | None:
    """The page an entry is about (its longest-titled link) and that link's text."""
    best = None
    for a in member.iter("a"):
        if not a.get("href"):
            continue
        target = absolute(base, a.get("href"))
        if target == base or target is None:
            continue
        anchor = clean(a.text_content())
        if best is not None and target != best[0] and min(_words(anchor), _words(best[1])) >= 3:
            return None  # two titled links: a wrapper of several entries, not one
        if best is None or len(anchor) > len(best[1]):
            best = (target, anchor)
    return best


def absolute(base: str, href: str) -> str | None:
    """A link's canonical absolute URL (pipelines.normalize), as pages are known by."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "file:")):
        return None
    try:
        return canonicalize_url(urljoin(base, href).split("#", 1)[0])
    except ValueError:
        return None


def _structured_date(doc: Any) -> bool:
    if doc.xpath(
        "//meta[@property='article:published_time' or @name='article:published_time'"
        " or @itemprop='datePublished' or @name='pubdate']/@content"
    ):
        return True
    for script in doc.xpath("//script[@type='application/ld+json']"):
        data = load_json(script.text or "")
        if any(True for _ in json_values(data, "datePublished")):
            return True
    return False


def _in_table_of(el: Any, body: Any) -> bool:
    """The element sits in a table inside `body` (a layout table around the page does not count)."""
    table = next(el.iterancestors("table"), None)
    return table is not None and body is not None and _inside(table, body)


def _sibling_section(template: str, articles: dict[str, int]) -> bool:
    path, _, query = template.partition("?")
    segs = path.split("/")
    literals: set[str] = set()
    for other in articles:
        opath, _, oquery = other.partition("?")
        osegs = opath.split("/")
        if oquery != query or len(osegs) != len(segs):
            continue
        diff = [i for i, (a, b) in enumerate(zip(segs, osegs, strict=True)) if a != b]
        if len(diff) == 1 and "{" not in segs[diff[0]] and "{" not in osegs[diff[0]]:
            literals.add(osegs[diff[0]])
    return len(literals) >= 2


def _where(tree: Any, found: Any) -> str | None:
    """XPath of a field's element (the inline run's, when it was one)."""
    if not found:
        return None
    unit, _, piece = found
    el = piece.el if piece is not None and piece.el is not None else unit.el
    return tree.getpath(el)


def _ends_sentence(text: str) -> bool:
    text = text.rstrip().rstrip("\"”’')»")
    return text[-1:] in (".", "!", "?", "…", ":", ";")


def _short_text(el: Any, words: int = 8) -> bool:
    return (
        isinstance(el.tag, str)
        and el.tag not in SKIP_TAGS
        and 0 < _words(clean(el.text_content())) <= words
        and not el.xpath(".//a[@href]")
    )


def _list_headings(groups: list[list[Any]]) -> list[Any]:
    """The heading of each list of links ("Các tin mới hơn", "Tin khác"): the short block right
    before the list, or before the block that holds it."""
    out = []
    for members in groups:
        first = members[0]
        for el in (first.getprevious(), first.getparent().getprevious()):
            if el is not None and _short_text(el):
                out.append(el)
                break
    return out


def _form_blocks(body: Any) -> list[Any]:
    """Comment and poll forms: the outermost short block around each text field."""
    out = []
    for control in body.xpath(".//textarea | .//input[not(@type='hidden')] | .//select"):
        best = None
        for anc in control.iterancestors():
            if anc is body:
                break
            if _words(clean(anc.text_content())) <= 30:
                best = anc
            else:
                break
        if best is not None:
            out.append(best)
    return out


def _caption_like(el: Any) -> bool:
    """Italic-only text, a figure's caption, or the line right under a picture."""
    if any(a.tag in ("figure", "figcaption") for a in el.iterancestors()) or el.tag == "figcaption":
        return True
    text = clean(el.text_content())
    italic = clean(" ".join(clean(e.text_content()) for e in el.iter("em", "i")))
    if text and italic == text:
        return True
    prev = el.getprevious()
    return (
        prev is not None
        and isinstance(prev.tag, str)
        and (prev.tag == "img" or bool(prev.xpath(".//img")) and not clean(prev.text_content()))
    )


def _common_ancestor(a: Any, b: Any) -> Any:
    ancestors = {id(x) for x in (a, *a.iterancestors())}
    for x in (b, *b.iterancestors()):
        if id(x) in ancestors:
            return x
    return a


def _links_to(el: Any, url: str) -> bool:
    """The element is (or sits in) a link to `url` itself."""
    for a in (el, *el.iterancestors("a"), *el.iterdescendants("a")):
        if a.tag == "a" and a.get("href") and absolute(url, a.get("href")) == url:
            return True
    return False


def _inside(el: Any, root: Any) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _detach(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def same_articles(verdicts: Iterable[Verdict]) -> dict[str, str]:
    """Which verdicts are one article served under several URLs: URL -> a key shared by its
    copies. Copies share the title (NFC) and the day when both print one; a copy without a date
    joins the dated one (aliases often drop the date line, or differ in case, counters, NFD)."""
    by_title: dict[str, list[tuple[Verdict, Any]]] = defaultdict(list)
    for v in verdicts:
        raw = v.date_raw or v.listing_date
        found = parse_date(raw) if raw else None
        by_title[_nfc(v.title or v.url)].append((v, found.value.date() if found else None))
    keys: dict[str, str] = {}
    for title, copies in by_title.items():
        days = sorted({d for _, d in copies if d is not None})
        for v, day in copies:
            keys[v.url] = f"{title}\n{day or (days[0] if len(days) == 1 else v.url)}"
    return keys


def _day(v: Verdict) -> Any:
    raw = v.date_raw or v.listing_date
    found = parse_date(raw) if raw else None
    return found.value.date() if found else None


class Copies:
    """The articles emitted so far, to tell that a page judged later is one of them again: the
    same rule as `same_articles`, for a crawl that emits as it goes (what it keeps per article is
    a fingerprint, a title and a day)."""

    def __init__(self) -> None:
        self.fingerprints: set[str] = set()
        self.days: dict[str, set[Any]] = defaultdict(set)

    def seen(self, v: Verdict) -> bool:
        if (v.fingerprint or v.url) in self.fingerprints:
            return True
        days = self.days.get(_nfc(v.title or v.url))
        if not days:
            return False
        day, dated = _day(v), days - {None}
        if day is None:  # an undated copy joins the one dated copy
            return len(dated) == 1
        return day in days or not dated

    def add(self, v: Verdict) -> None:
        self.fingerprints.add(v.fingerprint or v.url)
        self.days[_nfc(v.title or v.url)].add(_day(v))


def extract_fields(verdict: Verdict) -> dict[str, Any]:
    """The article fields of a page the model judged an article (pipelines.extract on it)."""
    from pipelines.extract import extract_article

    if verdict.html is None:
        raise ValueError(f"{verdict.url}: not an article ({verdict.reason})")
    return extract_article(verdict.url, verdict.html, MODEL_RULES, base=MODEL_BASE)
