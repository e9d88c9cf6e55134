"""Guess which CMS a portal runs on from a few of its pages (markup, URLs, headers, cookies).

    fp = fingerprint([(url, html, headers), ...])   # headers: lower-case keys, or None
    fp.family       # "nukeviet", "liferay", "aspnet", "dnn", "wordpress", "joomla", "drupal",
                    # "newspaper" or None
    fp.confidence   # 0..1;  fp.sure: confident and clearly ahead of the runner-up
    fp.evidence     # ("meta generator NukeViet v4.4", "js global nv_base_siteurl", ...)
    fp.scores       # every family's combined score
    fp.to_json()    # for a run manifest

How it scores: every rule that fires is a signal of strength w in (0, 1) for one family. The
signals of a family combine like independent evidence, score = 1 - prod(1 - w), so one strong
signal (a meta generator, a CMS's own JS global, a CMS header or cookie) nearly settles it, and
several weak ones (asset paths, URL shapes, class names) add up. A signal seen again on further
pages adds a little more (REPEAT_FACTOR of its strength per page). "newspaper" is a bag of
conventions shared by many custom CMSs, so its score is capped at NEWSPAPER_CAP: never sure.

Only markup is searched: tags with their attributes, inline scripts, the head, response headers
and cookies, the page URLs. Text between tags is dropped first, so an article *about* WordPress
does not make a WordPress site; the one exception is a "Powered by X" credit near the end of the
page (the footer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FAMILIES = ("nukeviet", "liferay", "aspnet", "dnn", "wordpress", "joomla", "drupal", "newspaper")

MIN_SCORE = 0.3  # below this the best family is not named
SURE_CONFIDENCE = 0.8
SURE_MARGIN = 0.3  # best score minus runner-up score for `sure`
# confidence = best - COMPETITOR_PENALTY * (runner-up - NOISE_FLOOR): a few stray weak signals
# of another family (a shared URL shape, a "sapo" class) do not make a strong guess unsure.
COMPETITOR_PENALTY = 0.6
NOISE_FLOOR = 0.25
REPEAT_FACTOR = 0.25
MAX_REPEATS = 3  # further pages repeating a signal add nothing more (same templates)
# A meta generator naming one family is evidence against the others: their scores are scaled.
GENERATOR_CONFLICT = 0.75
NEWSPAPER_CAP = 0.7
TAIL_CHARS = 6000  # where a footer credit is looked for

# A sub-family is not a competitor of its parent: a DNN page is an ASP.NET page too.
_PARENT = {"dnn": "aspnet"}
# "newspaper" signals are conventions many CMSs share (a NukeViet article URL is also
# /<slug>-<id>.html), so as a runner-up it only counts this much against a specific CMS.
_RIVAL_WEIGHT = {"newspaper": 0.5}


@dataclass(frozen=True)
class Fingerprint:
    family: str | None
    confidence: float
    evidence: tuple[str, ...]
    scores: dict[str, float] = field(default_factory=dict, hash=False)
    # evidence of every family that scored, strongest first (for debugging a wrong guess)
    evidence_by_family: dict[str, tuple[str, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )
    pages: int = 0

    @property
    def sure(self) -> bool:
        if self.family is None or self.confidence < SURE_CONFIDENCE:
            return False
        return self.scores.get(self.family, 0.0) - _runner_up(self.scores, self.family) >= (
            SURE_MARGIN
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "confidence": round(self.confidence, 3),
            "sure": self.sure,
            "evidence": list(self.evidence),
            "scores": {k: round(v, 3) for k, v in self.scores.items()},
            "pages": self.pages,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)


def _runner_up(scores: Mapping[str, float], best: str) -> float:
    parent = _PARENT.get(best)
    return max(
        (v * _RIVAL_WEIGHT.get(k, 1.0) for k, v in scores.items() if k not in (best, parent)),
        default=0.0,
    )


# --------------------------------------------------------------------------------------------
# Page preparation: the parts of a page that are markup, not article text.

_TAG_RE = re.compile(r"<[^>]*>")
_TEXT_RE = re.compile(rb">[^<]+")  # a text node (what follows a tag up to the next one)
_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""([A-Za-z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_HREF_RE = re.compile(r"""href=["']?([^"'\s>]+)""")
_SRC_RE = re.compile(r"""src=["']?([^"'\s>]+)""")
_ACTION_RE = re.compile(r"""action=["']?([^"'\s>]+)""")
_COOKIE_NAME_RE = re.compile(r"(?:^|[\n,]\s*)([^=;,\s]+)=")


_FOOTER_MARKERS = ("<footer", 'id="footer', 'class="footer', "copyright", "bản quyền")
_NV_LINK = re.compile(r"""href=["']?(?:https?:)?//(?:www\.)?nukeviet\.vn""")


def _footer(tail: str) -> str:
    """The footer at the end of the page, from the last footer-like marker ("" without one):
    a credit anywhere else on the page would be article text."""
    i = max(tail.rfind(mark) for mark in _FOOTER_MARKERS)
    return tail[i:] if i >= 0 else ""


def _split_scripts(low: bytes) -> tuple[list[bytes], list[bytes]]:
    """The page outside <script> bodies (tags kept) and the script bodies (str.find: fast)."""
    outside: list[bytes] = []
    inside: list[bytes] = []
    pos = 0
    while True:
        i = low.find(b"<script", pos)
        if i < 0:
            outside.append(low[pos:])
            break
        gt = low.find(b">", i)
        if gt < 0:
            outside.append(low[pos:])
            break
        outside.append(low[pos : gt + 1])
        end = low.find(b"</script", gt)
        if end < 0:
            end = len(low)
        inside.append(low[gt + 1 : end])
        pos = end
    return outside, inside


def _rooted(m: str, needle: str, start_back: int = 0) -> list[int]:
    """Offsets of `needle` where the URL around it starts at the site root: the text between the
    attribute's opening quote (or `=`) and the match is empty or only an origin.
    `start_back` is how far before the needle the path segment being matched begins."""
    found = []
    pos = m.find(needle)
    while pos >= 0:
        seg_end = pos - start_back
        lo = max(0, seg_end - 120)
        chunk = m[lo:seg_end]
        q = max(chunk.rfind('"'), chunk.rfind("'"), chunk.rfind("="))
        if q >= 0:
            prefix = chunk[q + 1 :]
            if not prefix or _ORIGIN_RE.fullmatch(prefix):
                found.append(pos)
        pos = m.find(needle, pos + 1)
    return found


_ORIGIN_RE = re.compile(r"(?:https?:)?//[^/\"'\s]+")


@dataclass
class _Page:
    url: str  # lower-case
    markup: str  # lower-case tags + inline scripts, text nodes dropped
    scripts: str  # lower-case inline script bodies
    generators: list[str]  # meta generator contents, original case
    links: list[str]  # href/src/action values, lower-case
    tail: str  # the page's footer as text, lower-case (for a "Powered by" credit)
    tail_markup: str  # the same region with its tags, lower-case
    headers: dict[str, str]  # lower-case keys and values
    cookies: set[str]  # lower-case cookie names
    linktext: str = ""  # the links, one a line
    _seen: dict[str, bool] = field(default_factory=dict)

    def has(self, needle: str) -> bool:
        """`needle in markup`, each needle scanned once per page."""
        got = self._seen.get(needle)
        if got is None:
            got = self._seen[needle] = needle in self.markup
        return got


def _prepare(url: str, html: str, headers: Mapping[str, str] | None) -> _Page:
    raw = html or ""
    # Work on ASCII-lowered UTF-8 bytes: every needle is ASCII, and bytes are several times
    # faster to lower-case and scan than a str holding Vietnamese text.
    enc = raw.encode("utf-8", "surrogatepass")
    low = enc.lower()
    outside, inside = _split_scripts(low)
    scripts_b = b"\n".join(inside)
    tags = _TEXT_RE.sub(b">", b"".join(outside))
    markup = (tags + b"\n" + scripts_b).decode("ascii", "ignore")
    scripts = scripts_b.decode("ascii", "ignore")
    end = low.find(b"</head", 0, 60000)
    if end < 0:
        end = low.find(b"<body", 0, 60000)
    head = enc[: end if end >= 0 else 20000]
    generators = []
    if b"generator" in head.lower():
        for tag in _META_RE.findall(head.decode("utf-8", "replace")):
            attrs = {a.lower(): (b or c or d) for a, b, c, d in _ATTR_RE.findall(tag)}
            if attrs.get("name", "").lower() == "generator" and attrs.get("content"):
                generators.append(attrs["content"].strip())
    links = _HREF_RE.findall(markup) + _SRC_RE.findall(markup)
    if "action=" in markup:
        links += _ACTION_RE.findall(markup)
    tail_markup = _footer(raw[-TAIL_CHARS:].lower())
    tail = _TAG_RE.sub(" ", tail_markup)
    hdrs: dict[str, str] = {}
    for k, v in (headers or {}).items():
        if isinstance(v, (list, tuple)):
            v = "\n".join(x.decode("latin-1") if isinstance(x, bytes) else str(x) for x in v)
        elif isinstance(v, bytes):
            v = v.decode("latin-1")
        hdrs[str(k).lower()] = str(v).lower()
    cookies = set(_COOKIE_NAME_RE.findall(hdrs.get("set-cookie", "")))
    cookies |= {c.strip() for c in re.findall(r"(?:^|;)\s*([^=;\s]+)=", hdrs.get("cookie", ""))}
    return _Page(
        (url or "").lower(),
        markup,
        scripts,
        generators,
        links,
        tail,
        tail_markup,
        hdrs,
        cookies,
        "\n".join(links),
    )


# --------------------------------------------------------------------------------------------
# Rules. Each returns a list of (family, strength, evidence) for one page.

Hit = tuple[str, float, str]
_RULES: list[Callable[[_Page], list[Hit]]] = []


def _rule(fn: Callable[[_Page], list[Hit]]) -> Callable[[_Page], list[Hit]]:
    _RULES.append(fn)
    return fn


def _literal_rules(groups: list[tuple[tuple[str, ...], list[tuple[str, float, str, str]]]]) -> None:
    """Substring rules (family, strength, evidence, needle) over the markup. A scan of a 100 KB
    page costs tens of microseconds, so rules come in groups behind gate substrings: a group
    is only looked at when one of its gates is on the page (gates are shared, see _Page.has)."""

    def run(p: _Page) -> list[Hit]:
        hits: list[Hit] = []
        for gates, rows in groups:
            if any(p.has(g) for g in gates):
                hits.extend((f, w, ev) for f, w, ev, needle in rows if p.has(needle))
        return hits

    _RULES.append(run)


_GENERATORS = [
    ("nukeviet", re.compile(r"nukeviet", re.I)),
    ("liferay", re.compile(r"liferay", re.I)),
    ("dnn", re.compile(r"dotnetnuke|\bdnn\b", re.I)),
    ("aspnet", re.compile(r"sharepoint|asp\.net|microsoft", re.I)),
    ("wordpress", re.compile(r"wordpress", re.I)),
    ("joomla", re.compile(r"joomla", re.I)),
    ("drupal", re.compile(r"drupal", re.I)),
    ("newspaper", re.compile(r"\bbáo\b|newspaper|tòa soạn|toà soạn", re.I)),
]
# WordPress plugins and page builders that print their own generator tag.
_WP_PLUGIN_GENERATOR = re.compile(
    r"elementor|wpbakery|site kit by google|yoast|slider revolution|all in one seo|woocommerce",
    re.I,
)
_GENERATOR_WEIGHT = {"newspaper": 0.2}


@_rule
def _meta_generator(p: _Page) -> list[Hit]:
    hits = []
    for gen in p.generators:
        for fam, rx in _GENERATORS:
            if rx.search(gen):
                hits.append((fam, _GENERATOR_WEIGHT.get(fam, 0.9), f"meta generator {gen[:60]}"))
                break
        else:
            if _WP_PLUGIN_GENERATOR.search(gen):
                hits.append(("wordpress", 0.5, f"meta generator {gen[:60]} (WordPress plugin)"))
    return hits


def _generator_families(p: _Page) -> set[str]:
    named = set()
    for gen in p.generators:
        fam = next((f for f, rx in _GENERATORS if rx.search(gen)), None)
        if fam is None and _WP_PLUGIN_GENERATOR.search(gen):
            fam = "wordpress"
        if fam:
            named.add(fam)
    return named


# Script globals and calls -----------------------------------------------------------------

_NV_GLOBALS = re.compile(
    r"nv_(base_siteurl|lang_data|module_name|siteroot|my_ofs|sitelang|name_variable|fc_variable|"
    r"lang_variable|cookie_prefix|area_admin|assets_dir|func_name|lang_interface|is_user|my_abbr|"
    r"module_url|safemode)\b"
)
_NV_CALL = re.compile(r"nv_[a-z_]+\s*\(")
_LIFERAY_JS = re.compile(r"liferay\s*(?:\.\s*([a-z]+)|=\s*\{\s*([a-z]+))")
_LIFERAY_NAMES = {
    "themedisplay": "ThemeDisplay",
    "aui": "AUI",
    "portlet": "Portlet",
    "browser": "Browser",
    "util": "Util",
    "language": "Language",
    "session": "Session",
}
_DNN_JS = re.compile(r"dnn(?:core)?(?:\.[a-z]+)*\.(?:js\b|modalpopup|controls|dom\b|vars\b)")


@_rule
def _scripts(p: _Page) -> list[Hit]:
    hits: list[Hit] = []
    m = p.markup
    found = []
    if p.has("nv_"):
        names = {
            "nv_" + g.group(1)
            for g in _NV_GLOBALS.finditer(m)
            if not (m[g.start() - 1 : g.start()].isalnum() or m[g.start() - 1 : g.start()] == "_")
        }
        found = sorted(names)
    for i, name in enumerate(found):
        hits.append(("nukeviet", 0.85 if i == 0 else 0.25, f"js global {name}"))
    if not found and p.has("nv_") and _NV_CALL.search(m):
        hits.append(("nukeviet", 0.35, "js call nv_*()"))
    lf = sorted({(a or b) for a, b in _LIFERAY_JS.findall(m)}) if p.has("liferay") else []
    for i, name in enumerate(lf[:4]):
        name = _LIFERAY_NAMES.get(name, name)
        hits.append(("liferay", 0.85 if i == 0 else 0.2, f"js Liferay.{name}"))
    if p.has("dnn") and _DNN_JS.search(m):
        hits.append(("dnn", 0.6, "dnn js"))
    return hits


_LIFERAY_GATES = ("liferay", "p_p_", "/-/", "/html/")
_literal_rules(
    [
        (
            ("drupal",),
            [
                ("drupal", 0.85, "js Drupal.settings", "drupal.settings"),
                ("drupal", 0.85, "drupal-settings-json", "drupal-settings-json"),
                ("drupal", 0.6, "data-drupal- attributes", "data-drupal-"),
                ("drupal", 0.6, "path /sites/default/files/", "/sites/default/files/"),
                ("drupal", 0.5, "path /sites/all/", "/sites/all/"),
                ("drupal", 0.6, "path /core/misc/", "/core/misc/"),
            ],
        ),
        (
            ("wp-",),
            [
                ("wordpress", 0.75, "path wp-content/", "wp-content/"),
                ("wordpress", 0.75, "path wp-includes/", "wp-includes/"),
                ("wordpress", 0.6, "wp-json link", "/wp-json/"),
                ("wordpress", 0.6, "wp-json link", "api.w.org"),
                ("wordpress", 0.5, "wp-emoji", "wp-emoji"),
                ("wordpress", 0.5, "wp-emoji", "_wpemojisettings"),
                ("wordpress", 0.6, "form wp-comments-post.php", "wp-comments-post.php"),
                ("wordpress", 0.4, "xmlrpc.php pingback", "xmlrpc.php"),
                ("wordpress", 0.35, "wp-block classes", "wp-block-"),
                ("wordpress", 0.35, "class hentry", " hentry"),
                ("wordpress", 0.4, "classes type-post status-publish", "status-publish"),
                ("wordpress", 0.2, "class entry-content", "entry-content"),
            ],
        ),
        (
            ("com_", "joomla"),
            [
                ("joomla", 0.7, "path /media/jui/", "/media/jui/"),
                ("joomla", 0.55, "path /media/system/js/", "/media/system/js/"),
                ("joomla", 0.6, "path /components/com_", "/components/com_"),
                ("joomla", 0.6, "url option=com_", "option=com_"),
                ("joomla", 0.7, "joomla-script-options", "joomla-script-options"),
            ],
        ),
        (
            _LIFERAY_GATES,
            [
                ("liferay", 0.5, "path /html/js/", "/html/js/"),
                ("liferay", 0.5, "path /html/themes/", "/html/themes/"),
                ("liferay", 0.6, "p_p_id", "p_p_id"),
                ("liferay", 0.4, "portlet _INSTANCE_", "_instance_"),
                ("liferay", 0.6, "path /-/asset_publisher/", "/-/asset_publisher/"),
                ("liferay", 0.5, "path /web/guest/", "/web/guest"),
                ("liferay", 0.5, "path /c/portal/", "/c/portal/"),
                ("liferay", 0.4, "class portlet-boundary", "portlet-boundary"),
                ("liferay", 0.2, "param _cur=", "_cur="),
            ],
        ),
        (
            ("__",),
            [
                ("aspnet", 0.7, "__VIEWSTATE input", "__viewstate"),
                ("aspnet", 0.4, "__EVENTVALIDATION input", "__eventvalidation"),
                ("aspnet", 0.4, "js __doPostBack", "__dopostback"),
                ("aspnet", 0.5, "WebResource.axd", "webresource.axd"),
                ("aspnet", 0.5, "ScriptResource.axd", "scriptresource.axd"),
                ("dnn", 0.6, "dnnVariable input", "__dnnvariable"),
            ],
        ),
        (
            ("/_",),
            [
                ("aspnet", 0.6, "path /_layouts/", "/_layouts/"),
                ("aspnet", 0.5, "path /_catalogs/", "/_catalogs/"),
                ("aspnet", 0.4, "ms-rte classes", "ms-rte"),
                ("aspnet", 0.4, "WebPartZone", "webpartzone"),
                ("aspnet", 0.35, "ms-webpart classes", "ms-webpart"),
            ],
        ),
        (
            ("dnn", "/desktopmodules/"),
            [
                ("dnn", 0.7, "path /DesktopModules/", "/desktopmodules/"),
                ("dnn", 0.3, "path .ascx", ".ascx"),
            ],
        ),
    ]
)

# Asset paths and URL shapes in links ------------------------------------------------------

_SEGMENT = re.compile(r"[a-z0-9_.-]+(?=/)")
_NV_UPLOAD_DATED = re.compile(r"/uploads/([a-z0-9_-]+)/\d{4}_\d{2}/")
_NV_UPLOAD = re.compile(r"/uploads/(news|banner|logo|weblink|voice|laws|about|page|leader)/")
_NV_URL = re.compile(r"(?:[?&]|&amp;)nv=[a-z]")
_LR_WAR = re.compile(r"_war_[a-z0-9]+")
_THEME_WEBAPP = re.compile(r"/[a-z0-9_-]+-theme/$")
_LR_DOCS = re.compile(r"/documents/\d{5,}/")
_DNN_PORTALS = re.compile(r"/portals/\d+/")
_DNN_CTR = re.compile(r"dnn_ctr\d+")
_DNN_ID = re.compile(r"""id=["']dnn_""")
_WP_POSTID = re.compile(r"postid-\d")

_NEWS_JS_ID = re.compile(r"var\s+_?(?:cms)?article\s*=\s*\{\s*id\s*:")


@_rule
def _paths(p: _Page) -> list[Hit]:
    m = p.markup
    links = p.linktext
    hits: list[Hit] = []
    themes = {t for t in _path_segments(m, "/themes/") if t not in ("contrib", "custom")}
    if themes:
        hits.append(("nukeviet", 0.15, f"path /themes/{sorted(themes)[0]}/"))
        if p.has("/themes/default/js/"):
            hits.append(("nukeviet", 0.35, "path /themes/default/js/"))
        if p.has("/assets/js/"):
            hits.append(("nukeviet", 0.35, "path /assets/js/ with /themes/"))
    if p.has("/assets/js/") and p.has("/assets/js/language/"):
        hits.append(("nukeviet", 0.5, "path /assets/js/language/"))
    if p.has("/upload"):
        dated = _NV_UPLOAD_DATED.search(m)
        if dated:
            hits.append(("nukeviet", 0.45, f"path /uploads/{dated.group(1)}/YYYY_MM/"))
        up = _NV_UPLOAD.search(m)
        if up:
            hits.append(("nukeviet", 0.2, f"path /uploads/{up.group(1)}/"))
        if p.has("/uploaded/"):
            hits.append(("newspaper", 0.25, "path /Uploaded/"))
        if p.has("/uploads/news/"):
            hits.append(("newspaper", 0.1, "path /uploads/news/"))
        if _UPLOAD_DATED_DIRS.search(m):
            hits.append(("newspaper", 0.15, "path /uploads/YYYY/MM/DD/"))
    if p.has("nv="):
        if _NV_URL.search(m):
            hits.append(("nukeviet", 0.4, "url nv=<module>"))
        if p.has("language=vi&nv=") or p.has("language=vi&amp;nv="):
            hits.append(("nukeviet", 0.3, "url index.php?language=vi&nv="))
    if (themes or p.has("nv_")) and p.has('id="timeoutsess"'):
        hits.append(("nukeviet", 0.4, "#timeoutsess block"))
    if "nukeviet.vn" in p.tail_markup and _NV_LINK.search(p.tail_markup):
        hits.append(("nukeviet", 0.5, "footer link nukeviet.vn"))

    o = _path_segments(m, "/o/")
    if o:
        hits.append(("liferay", 0.5, f"path /o/{sorted(o)[0]}/"))
    if any(p.has(g) for g in _LIFERAY_GATES):
        if p.has("_war_") and _LR_WAR.search(m):
            hits.append(("liferay", 0.5, "portlet id _WAR_"))
        if p.has("/documents/") and _LR_DOCS.search(m):
            hits.append(("liferay", 0.25, "path /documents/<group>/"))
    if "-theme/" in links and any(_THEME_WEBAPP.search(x) for x in _theme_links(p.links)):
        hits.append(("liferay", 0.3, "path /<name>-theme/"))
    friendly = links.count("/-/")
    if friendly:
        hits.append(("liferay", 0.3 if friendly >= 2 else 0.2, "friendly urls /-/"))
    if "/web/" in links and _WEB_SITE_LINK.search(links):
        hits.append(("liferay", 0.2, "links /web/<site>/"))

    if ".aspx" in links:
        hits.append(("aspnet", 0.3, ".aspx urls"))
    if p.has("<form") and m.count("<form") == 1 and _wraps_page_in_form(m):
        hits.append(("aspnet", 0.15, "page inside one <form>"))
    if p.has("/portals/") and _DNN_PORTALS.search(m):
        hits.append(("dnn", 0.5, "path /Portals/<n>/"))
    if p.has("dnn"):
        if _DNN_CTR.search(m):
            hits.append(("dnn", 0.6, "dnn_ctr ids"))
        elif _DNN_ID.search(m):
            hits.append(("dnn", 0.4, "dnn_ ids"))
    if "/tabid/" in links:
        hits.append(("dnn", 0.4, "url /tabid/"))

    if p.has("wp-") and (p.has("single-post") or (p.has("postid-") and _WP_POSTID.search(m))):
        hits.append(("wordpress", 0.4, "body classes single-post postid-N"))
    if "p=" in links and _WP_SHORTLINK.search(links):
        hits.append(("wordpress", 0.3, "url ?p=N"))
    if "/feed/" in links and _FEED_LINK.search(links):
        hits.append(("wordpress", 0.2, "link /feed/"))

    tpl = _path_segments(m, "/templates/")
    if tpl:
        hits.append(("joomla", 0.3, f"path /templates/{sorted(tpl)[0]}/"))
    if "itemid=" in links and _JOOMLA_ITEMID.search(links):
        hits.append(("joomla", 0.25, "url Itemid="))

    if p.has("sapo") and _sapo_class(m):
        hits.append(("newspaper", 0.3, "class sapo"))
    if "article_id" in m[:20000] or ("article" in p.scripts and _NEWS_JS_ID.search(p.scripts)):
        hits.append(("newspaper", 0.2, "js article id"))
    if len(_NEWS_ARTICLE_URL_M.findall(links)) >= 2:
        hits.append(("newspaper", 0.15, "links /<slug>-<id>.html"))
    return hits


_UPLOAD_DATED_DIRS = re.compile(r"/uploads/\d{4}/\d{2}/\d{2}/")
_WEB_SITE_LINK = re.compile(r"^(?:https?://[^/\n]+)?/web/[a-z0-9_-]+", re.M)
_WP_SHORTLINK = re.compile(r"[?&]p=\d+$", re.M)
_FEED_LINK = re.compile(r"/feed/$", re.M)
_JOOMLA_ITEMID = re.compile(r"index\.php\?[^\n]*itemid=", re.M)


def _path_segments(m: str, needle: str) -> set[str]:
    """The path segment after `needle` where a URL starts with it (/themes/<name>/...)."""
    out = set()
    for pos in _rooted(m, needle):
        seg = _SEGMENT.match(m, pos + len(needle))
        if seg:
            out.add(seg.group(0))
    return out


def _theme_links(links: list[str]) -> list[str]:
    """Links whose first path segment is a <name>-theme webapp (Liferay 6 theme URL)."""
    out = []
    for link in links:
        if "-theme/" not in link:
            continue
        path = link
        if "//" in link[:8]:
            i = link.find("/", link.find("//") + 2)
            path = link[i:] if i >= 0 else ""
        second = path.find("/", 1)
        if path.startswith("/") and second > 0:
            out.append(path[: second + 1])
    return out


def _sapo_class(m: str) -> bool:
    """A class attribute with a "sapo" class (sapo, detail-sapo, article__sapo)."""
    pos = m.find("sapo")
    while pos >= 0:
        chunk = m[max(0, pos - 150) : pos]
        c = chunk.rfind("class=")
        if c >= 0 and chunk.count('"', c) + chunk.count("'", c) == 1:
            return True
        pos = m.find("sapo", pos + 4)
    return False


def _wraps_page_in_form(m: str) -> bool:
    body = m.find("<body")
    form = m.find("<form")
    end = m.rfind("</form")
    return 0 <= body < form and form - body < 400 and end > 0 and len(m) - end < 3000


# The page URLs themselves -----------------------------------------------------------------

_NEWS_HOST = re.compile(r"^https?://(?:www\.)?bao[a-z]+\.(?:com\.vn|org\.vn|vn)(?::\d+)?/")
_NEWS_ARTICLE_URL = re.compile(
    r"-(?:post)?\d{4,}\.html?(?:$|[?#])|/\d{6}/[a-z0-9-]+-\d{5,}/?$|-\d{12}\.html"
)
_NEWS_ARTICLE_URL_M = re.compile(
    r"-(?:post)?\d{4,}\.html?(?:$|[?#])|/\d{6}/[a-z0-9-]+-\d{5,}/?$|-\d{12}\.html", re.M
)
_WP_PERMALINK = re.compile(r"/\d{4}/\d{2}/\d{2}/[a-z0-9%_-]+/?(?:$|[?#])")


@_rule
def _url(p: _Page) -> list[Hit]:
    u = p.url
    if not u:
        return []
    hits: list[Hit] = []
    if "nv=" in u and _NV_URL.search(u):
        hits.append(("nukeviet", 0.4, "url nv=<module>"))
    if re.search(r"/(?:vi|en)/news/", u):
        hits.append(("nukeviet", 0.25, "url /vi/news/"))
    if "p_p_id=" in u:
        hits.append(("liferay", 0.6, "p_p_id"))
    if "/web/guest" in u:
        hits.append(("liferay", 0.5, "path /web/guest/"))
    if "/-/" in u:
        hits.append(("liferay", 0.2, "friendly urls /-/"))
    if re.search(r"\.aspx(?:$|[?#])", u):
        hits.append(("aspnet", 0.3, ".aspx urls"))
    if "/tabid/" in u:
        hits.append(("dnn", 0.4, "url /tabid/"))
    if _WP_PERMALINK.search(u):
        hits.append(("wordpress", 0.25, "url /YYYY/MM/DD/slug/"))
    if re.search(r"[?&]p=\d+(?:$|&)", u):
        hits.append(("wordpress", 0.3, "url ?p=N"))
    if "option=com_" in u:
        hits.append(("joomla", 0.6, "url option=com_"))
    if "index.php?" in u and "itemid=" in u:
        hits.append(("joomla", 0.25, "url Itemid="))
    if re.search(r"/node/\d+(?:$|[/?#])", u):
        hits.append(("drupal", 0.25, "url /node/N"))
    if _NEWS_HOST.search(u):
        hits.append(("newspaper", 0.3, "host bao<name>.vn"))
    if _NEWS_ARTICLE_URL.search(u):
        hits.append(("newspaper", 0.2, "url /<slug>-<id>.html"))
    return hits


# Headers, cookies, footer credit ----------------------------------------------------------

_COOKIE_RULES: list[tuple[str, float, re.Pattern[str]]] = [
    ("nukeviet", 0.8, re.compile(r"^nv[345]c?_|^nvloginhash$")),
    ("liferay", 0.6, re.compile(r"^guest_language_id$")),
    ("liferay", 0.6, re.compile(r"^cookie_support$")),
    ("liferay", 0.4, re.compile(r"^liferay_|^lfr_")),
    ("liferay", 0.1, re.compile(r"^jsessionid$")),
    ("aspnet", 0.7, re.compile(r"^asp\.net_sessionid$")),
    ("aspnet", 0.5, re.compile(r"^\.aspxauth$|^\.aspxanonymous$")),
    ("dnn", 0.85, re.compile(r"^\.?dotnetnuke$")),
    ("dnn", 0.4, re.compile(r"^dnn_")),
    ("wordpress", 0.7, re.compile(r"^wordpress_|^wp-settings-|^wp_")),
    ("drupal", 0.5, re.compile(r"^s?sess[0-9a-f]{32}$")),
]
_CREDIT = re.compile(
    r"(?:powered\s+by|phát\s+triển\s+bởi|xây\s+dựng\s+trên|proudly\s+powered\s+by)\W{0,40}?"
    r"(nukeviet|wordpress|joomla|drupal|liferay|dotnetnuke|sharepoint)"
)
_CREDIT_FAMILY = {"dotnetnuke": "dnn", "sharepoint": "aspnet"}


@_rule
def _headers(p: _Page) -> list[Hit]:
    h = p.headers
    hits: list[Hit] = []
    for name in sorted(p.cookies):
        for fam, w, rx in _COOKIE_RULES:
            if rx.search(name):
                shown = name if len(name) <= 24 else name[:20] + "..."
                hits.append((fam, w, f"cookie {shown}"))
                break
    if "x-aspnet-version" in h or "x-aspnetmvc-version" in h:
        hits.append(("aspnet", 0.8, "header X-AspNet-Version"))
    if "asp.net" in h.get("x-powered-by", ""):
        hits.append(("aspnet", 0.7, "header X-Powered-By: ASP.NET"))
    if "microsoftsharepointteamservices" in h or "sprequestguid" in h:
        hits.append(("aspnet", 0.85, "header MicrosoftSharePointTeamServices"))
    if "liferay-portal" in h or "liferay" in h.get("x-powered-by", ""):
        hits.append(("liferay", 0.9, "header Liferay-Portal"))
    gen = h.get("x-generator", "")
    if "drupal" in gen:
        hits.append(("drupal", 0.9, "header X-Generator: Drupal"))
    if "x-drupal-cache" in h or "x-drupal-dynamic-cache" in h:
        hits.append(("drupal", 0.8, "header X-Drupal-Cache"))
    if "api.w.org" in h.get("link", "") or "x-pingback" in h:
        hits.append(("wordpress", 0.7, "header Link api.w.org"))
    if "joomla" in h.get("x-content-encoded-by", "") or "joomla" in gen:
        hits.append(("joomla", 0.8, "header X-Content-Encoded-By: Joomla"))
    if "nukeviet" in gen or "nukeviet" in h.get("x-powered-by", ""):
        hits.append(("nukeviet", 0.9, "header NukeViet"))
    m = _CREDIT.search(p.tail) if ("by" in p.tail or "bởi" in p.tail or "trên" in p.tail) else None
    if m:
        word = m.group(1)
        hits.append((_CREDIT_FAMILY.get(word, word), 0.6, f"footer powered by {word}"))
    return hits


# --------------------------------------------------------------------------------------------


def fingerprint(
    pages: Iterable[tuple[str, str, Mapping[str, str] | None]],
) -> Fingerprint:
    """The CMS family of a site from one or more of its pages (url, html, response headers)."""
    # (family, evidence) -> (strength, pages seen)
    seen: dict[tuple[str, str], tuple[float, int]] = {}
    n = 0
    named: set[str] = set()  # families some meta generator names
    for url, html, headers in pages:
        n += 1
        page = _prepare(url, html, headers)
        named |= _generator_families(page)
        this_page: dict[tuple[str, str], float] = {}
        for rule in _RULES:
            for fam, w, ev in rule(page):
                key = (fam, ev)
                this_page[key] = max(w, this_page.get(key, 0.0))
        for key, w in this_page.items():
            old_w, k = seen.get(key, (0.0, 0))
            seen[key] = (max(old_w, w), k + 1)

    remaining = {f: 1.0 for f in FAMILIES}
    by_family: dict[str, list[tuple[float, str]]] = {f: [] for f in FAMILIES}
    for (fam, ev), (w, k) in seen.items():
        remaining[fam] *= (1.0 - w) * (1.0 - w * REPEAT_FACTOR) ** min(k - 1, MAX_REPEATS)
        by_family[fam].append((w, ev))
    scores = {f: 1.0 - remaining[f] for f in FAMILIES}
    # DNN is ASP.NET: once it has its own evidence, the ASP.NET signals count for it too.
    if scores["dnn"] > 0:
        scores["dnn"] = 1.0 - (1.0 - scores["dnn"]) * (1.0 - 0.5 * scores["aspnet"])
        scores["aspnet"] = 1.0 - (1.0 - scores["aspnet"]) * (1.0 - 0.2 * scores["dnn"])
    if named:
        for f in FAMILIES:
            if f not in named and not (f == "aspnet" and "dnn" in named):
                scores[f] *= GENERATOR_CONFLICT
    scores["newspaper"] = min(scores["newspaper"], NEWSPAPER_CAP)
    scores = {f: round(s, 4) for f, s in scores.items()}

    order = sorted(FAMILIES, key=lambda f: (-scores[f], FAMILIES.index(f)))
    best = order[0]
    top = scores[best]
    rival = max(0.0, _runner_up(scores, best) - NOISE_FLOOR)
    confidence = max(0.0, min(1.0, top - COMPETITOR_PENALTY * rival))
    family = best if top >= MIN_SCORE else None
    evidence_by_family = {
        f: tuple(ev for _, ev in sorted(by_family[f], key=lambda x: (-x[0], x[1])))
        for f in order
        if by_family[f]
    }
    return Fingerprint(
        family=family,
        confidence=round(confidence, 4),
        evidence=evidence_by_family.get(best, ()) if family else (),
        scores=scores,
        evidence_by_family=evidence_by_family,
        pages=n,
    )


def fingerprint_page(url: str, html: str, headers: Mapping[str, str] | None = None) -> Fingerprint:
    """Shorthand for one page."""
    return fingerprint([(url, html, headers)])
