"""Generic selectors and junk patterns true of every Vietnamese portal, in priority order.

Family- and site-specific selectors live with their spiders (`spiders/families/*.py`, one file per
site); this module only holds what applies everywhere, and is what the zero-config spider relies on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from pipelines.rules import ExtractionRules

# Class/id tokens that mark page chrome rather than article content.
_CHROME_TOKENS = (
    "share",
    "social",
    "print",
    "fontsize",
    "font-size",
    "toolbar",
    "tools",
    "rating",
    "comment",
    "related",
    "other-news",
    "othernews",
    "tin-lien-quan",
    "tinlienquan",
    "tin-khac",
    "tinkhac",
    "breadcrumb",
    "banner",
    "advert",
    "quangcao",
    "sidebar",
    "menu",
    "navbar",
    "footer",
    "header",
    "player",
    "audio",
    "tts",
    "voice",
    "timeoutsess",
    "counter",
    "visitor",
    "luot-xem",
    "luotxem",
    "view-count",
    "tags",
    "keywords",
    "pagination",
    "paging",
    "font_resizer",
    "font-resizer",
)


_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


def has_class_token(*names: str, attr: str = "@class", parts: bool = True) -> str:
    """An XPath test: one of `names` is a whole token of `attr` (split on whitespace, any case).
    Never a substring: "sidebar" is not "content-with-sidebar", "article-body" not "trd-article-body".
    A compound name ("font-resizer", "tin-lien-quan") is specific enough to count also as a run of
    a token's hyphen/underscore-delimited parts ("zeno_font_resizer_container", "box-tin-lien-quan");
    a one-word name never does, nor any name with `parts=False` (what names a container, whose
    parts name its pieces: "entry-content" is not "entry-content-views")."""
    value = f"concat(' ',normalize-space(translate({attr},'{_UPPER}','{_LOWER}')),' ')"
    split = f"concat(' ',normalize-space(translate({attr},'{_UPPER}-_','{_LOWER}  ')),' ')"
    tests = []
    for name in names:
        name = name.lower()
        tests.append(f"contains({value},' {name} ')")
        if parts and ("-" in name or "_" in name):
            run = name.replace("-", " ").replace("_", " ")
            tests.append(f"contains({split},' {run} ')")
    return " or ".join(tests)


def _class_or_id_has(tokens: tuple[str, ...]) -> str:
    """One of `tokens` is a whole class token or the whole id."""
    return f"{has_class_token(*tokens)} or {has_class_token(*tokens, attr='@id')}"


# In the article area: not in the page's own header/footer/navigation/sidebar, nor in a figure
# or a comment (an <article>'s own header is article area).
_IN_ARTICLE = (
    "[not(ancestor::header[not(ancestor::article)] or ancestor::footer or ancestor::nav"
    " or ancestor::aside or ancestor::figure"
    " or ancestor-or-self::*[contains(@class,'comment') or contains(@class,'discussion')])]"
)
_OUTSIDE_HEADERS_AND_COMMENTS = (
    "[not(ancestor::header or ancestor::footer"
    " or ancestor-or-self::*[contains(@class,'comment') or contains(@class,'discussion')])]"
)

# The body container: microdata says so; a class name only suggests it (pipelines.extract keeps a
# class-found container only if it is plausible: enough text, few links).
BODY_BY_MICRODATA = "//*[@itemprop='articleBody']"
_BODY_CLASSES = (
    ("bodytext", "article-body", "entry-content"),
    ("content-detail", "detail-content"),
)
BODY_BY_CLASS = tuple(f"//*[{has_class_token(*names, parts=False)}]" for names in _BODY_CLASSES)
# The class/id rule of the generic prune list (chrome by its name): evidence only, see
# pipelines.extract for when it applies.
PRUNE_BY_NAME = (
    f"//*[{_class_or_id_has(_CHROME_TOKENS)}]"
    "[not(self::tr or self::td or self::th or self::thead or self::tbody)]"
)
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() collapses
_ASCII_LOWER = str.maketrans(_UPPER, _LOWER)  # what translate() in has_class_token lowers
_CHROME_NAMES = frozenset(t.lower() for t in _CHROME_TOKENS)
_CHROME_RUNS = tuple(
    f" {t.lower().replace('-', ' ').replace('_', ' ')} "
    for t in _CHROME_TOKENS
    if "-" in t or "_" in t
)
_NEVER_CHROME = frozenset(("tr", "td", "th", "thead", "tbody"))


def _class_tokens(low: str) -> list[str]:
    """The tokens of an ASCII-lowered class or id value, as normalize-space() splits it."""
    return _XML_SPACE.split(low)


def _chrome_value(value: str) -> bool:
    low = value.translate(_ASCII_LOWER)
    if not _CHROME_NAMES.isdisjoint(_class_tokens(low)):
        return True
    split = f" {' '.join(_XML_SPACE.split(low.replace('-', ' ').replace('_', ' ')))} "
    return any(run in split for run in _CHROME_RUNS)


def chrome_by_name(root: Any) -> list[Any]:
    """The elements under `root` (and root) that PRUNE_BY_NAME selects, in document order, by one
    walk in Python: the 8.7 KB XPath costs ~0.4 ms a page."""
    found = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _NEVER_CHROME:
            continue
        cls, ident = el.get("class"), el.get("id")
        if (cls and _chrome_value(cls)) or (ident and _chrome_value(ident)):
            found.append(el)
    return found


_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_CLASSED = etree.XPath("//*[@class]")  # their elements: one class attribute each, same order


def by_class_value(node: Any, test: Callable[[str], bool], descend: str | None = None) -> list[Any]:
    """The elements of `node`'s whole document whose class value passes `test`, in document
    order (`//*[test on @class]`); with `descend`, their descendants of that tag instead, each
    once, in document order (`//*[...]//a`)."""
    values = _CLASS_VALUES(node)
    hits = [i for i, value in enumerate(values) if test(value)]
    if not hits:
        return []
    classed = _CLASSED(node)
    found = [classed[i] for i in hits]
    if descend is None:
        return found
    out, seen = [], set()
    for el in found:  # a nested match's descendants are its ancestor match's: already in order
        for sub in el.iterdescendants(descend):
            if sub not in seen:
                seen.add(sub)
                out.append(sub)
    return out


def _has_token(value: str, names: frozenset[str]) -> bool:
    low = value.translate(_ASCII_LOWER)
    return any(name in low for name in names) and not names.isdisjoint(_class_tokens(low))


def by_class_token(node: Any, names: frozenset[str]) -> list[Any]:
    """What `//*[has_class_token(*names, parts=False)]` selects (`names` in lower case), read off
    the class values in Python: libxml2 evaluates translate() and normalize-space() per element
    and per name, and on real pages the two body-class rules took 6.5 ms a page, 43% of all
    XPath time."""
    return by_class_value(node, functools.partial(_has_token, names=names))


# The XPaths `pipelines.extract` evaluates in Python instead (same elements, same order:
# tests/test_extract.py checks every entry against libxml2).
BY_WALK: dict[str, Callable[[Any], list[Any]]] = {
    xp: functools.partial(by_class_token, names=frozenset(names))
    for xp, names in zip(BODY_BY_CLASS, _BODY_CLASSES, strict=True)
}


def _by_class(xpath: str, test: Callable[[str], bool], descend: str | None = None) -> str:
    """`xpath`, a test on @class alone (every element it selects has a class), registered with
    its Python equivalent."""
    BY_WALK[xpath] = functools.partial(by_class_value, test=test, descend=descend)
    return xpath


_PD = str.maketrans("PD", "pd")
_D = str.maketrans("D", "d")


# What is not shown is not text, however much of it there is.
PRUNE_HIDDEN = "//*[@hidden or contains(translate(@style,' ',''),'display:none')]"

GENERIC = ExtractionRules(
    title=(
        "//h1[@itemprop='headline']",
        "//*[@itemprop='headline' and not(self::meta)]",
        "//article//h1",
        "//h1",
        "//meta[@property='og:title']/@content",
        "//title",
    ),
    date=(
        "//*[@itemprop='datePublished' and not(self::meta)]",
        _by_class(
            "//*[contains(translate(@class,'PD','pd'),'publish') and contains(translate(@class,'D','d'),'date')]",
            lambda v: "publish" in v.translate(_PD) and "date" in v.translate(_D),
        ),
        _by_class(
            "//*[contains(@class,'post-date') or contains(@class,'news-date') or contains(@class,'ngay-dang')]",
            lambda v: "post-date" in v or "news-date" in v or "ngay-dang" in v,
        ),
        _by_class(
            "//*[contains(@class,'date') and not(contains(@class,'update'))]",
            lambda v: "date" in v and "update" not in v,
        ),
        _by_class(
            "//*[contains(@class,'time') and not(contains(@class,'timeout'))]",
            lambda v: "time" in v and "timeout" not in v,
        ),
    ),
    modified=(
        "//*[@itemprop='dateModified' and not(self::meta)]",
        _by_class(
            "//*[contains(@class,'update') and contains(@class,'date')]",
            lambda v: "update" in v and "date" in v,
        ),
    ),
    lead=(
        f"//*[@itemprop='description' and not(self::meta or self::figcaption)]{_IN_ARTICLE}",
        "//*[contains(@class,'sapo') or contains(@class,'hometext')"
        " or contains(concat(' ',normalize-space(@class),' '),' lead ')"
        f" or contains(@class,'-lead') or contains(@class,'lead-')]{_IN_ARTICLE}",
        "//*[contains(@class,'summary') or contains(@class,'desc')][not(.//img)]"
        f"[not(contains(@class,'site-desc') or contains(@class,'author-desc'))]{_IN_ARTICLE}",
    ),
    body=(BODY_BY_MICRODATA, *BODY_BY_CLASS),
    # Header and footer bylines of blog themes name the uploading account; comments name readers.
    byline=(
        f"//*[@itemprop='author' and not(self::meta)]{_OUTSIDE_HEADERS_AND_COMMENTS}",
        "//*[contains(@class,'author') and not(.//p[string-length(normalize-space())>120])]"
        f"{_OUTSIDE_HEADERS_AND_COMMENTS}",
        "//*[self::p or self::div or self::span][starts-with(normalize-space(),'Tác giả:')]",
    ),
    prune=(
        "//script",
        "//style",
        "//noscript",
        "//template",
        "//iframe",
        "//form",
        "//button",
        "//select",
        "//textarea",
        "//svg",
        "//object",
        "//embed",
        "//canvas",
        "//audio",
        "//video",
        "//nav",
        "//header",
        "//footer",
        "//aside",
        PRUNE_HIDDEN,
        # Table rows and cells are never chrome by their class ("ms-rteTableHeaderRow").
        PRUNE_BY_NAME,
    ),
    category=(
        "(//*[contains(@class,'breadcrumb')]//a)[last()]",
        "//meta[@property='article:section']/@content",
    ),
    tags=(
        _by_class(
            "//*[contains(@class,'tag') or contains(@class,'keyword')]//a",
            lambda v: "tag" in v or "keyword" in v,
            descend="a",
        ),
        "//meta[@property='article:tag']/@content",
        "//meta[@name='keywords']/@content",
    ),
)

# Structured dates, most reliable first: (xpath, source label).
STRUCTURED_PUBLISHED = (
    ("//meta[@property='article:published_time']/@content", "meta"),
    ("//meta[@name='article:published_time']/@content", "meta"),
    ("//meta[@itemprop='datePublished']/@content", "meta"),
    ("//meta[@name='pubdate' or @name='publishdate' or @name='date']/@content", "meta"),
    ("//time[@datetime][1]/@datetime", "time"),
)
STRUCTURED_MODIFIED = (
    ("//meta[@property='article:modified_time']/@content", "meta"),
    ("//meta[@itemprop='dateModified']/@content", "meta"),
)

# Lines that are page furniture wherever they appear inside an article area.
JUNK_LINE = re.compile(
    r"""^(?:
        xem\s+thêm|xem\s+chi\s+tiết|đọc\s+thêm|đọc\s+tiếp|in\s+bài(?:\s+viết)?|in\s+trang|
        chia\s+sẻ|gửi\s+bài(?:\s+viết)?|gửi\s+email|quay\s+lại|về\s+đầu\s+trang|lên\s+đầu\s+trang|top|
        bản\s+in|cỡ\s+chữ.*|phóng\s+to|thu\s+nhỏ|nghe\s+đọc\s+bài|nghe\s+bài\s+viết|
        tin\s+liên\s+quan|tin\s+khác|tin\s+cùng\s+chuyên\s+mục|những\s+tin\s+mới\s+hơn|
        những\s+tin\s+cũ\s+hơn|theo\s+dòng\s+sự\s+kiện|bài\s+viết\s+liên\s+quan|
        (?:số\s+)?lượt\s+xem\s*:?\s*[\d.,]*|đã\s+xem\s*:?\s*[\d.,]*|lượt\s+đọc\s*:?\s*[\d.,]*|
        \d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?|
        \S+\.(?:jpe?g|png|gif|webp|bmp|tiff?|pdf|docx?|xlsx?|pptx?|zip|rar)|
        (?:file|tệp|tập\s+tin|tài\s+liệu)\s+đính\s+kèm\b.*|tải\s+về|
        ảnh\s*\d+|banner|icon|
        bạn\s+đã\s+không\s+sử\s+dụng\s+site.*|
        tags?\s*:.*|từ\s+khóa\s*:.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Image markers glued to the end of a caption or sentence by newspaper CMSes ("… trên địa bàn tỉnh. ảnh 1").
TRAILING_IMAGE_MARKER = re.compile(r"\s+ảnh\s+\d+$", re.IGNORECASE)
# A dateline/agency tag before the lead: "DIC - ", "BBK - ", "(Baophutho.vn) - ", "PTO- ".
# "STTTT AG - ": an agency tag may carry a short upper-case suffix.
LEAD_PREFIX = re.compile(
    r"^\s*(?:\(?[A-ZĐ][A-Za-zĐđ.]{1,20}(?:\.vn)?(?:\s[A-ZĐ]{1,6})?\)?|\([^()]{2,30}\))"
    r"\s*[-–—]\s+(?=\S)"
)
# Byline labels.
AUTHOR_LABEL = re.compile(
    r"^\s*(?:tác\s+giả(?:\s+bài\s+viết)?|người\s+viết|bài\s+và\s+ảnh|bài\s*,?\s*ảnh|theo)"
    r"\s*:?\s*",
    re.I,
)
SOURCE_LABEL = re.compile(r"^\s*(?:nguồn(?:\s+tin)?|theo\s+nguồn)\s*:\s*", re.I)
# A byline is a short name ("Khánh Trang", "Chu Xuân Trường") or initials ("MT", "P.V", "T.H").
BYLINE_TEXT = re.compile(
    r"^(?:[A-ZĐ][.A-ZĐ]{0,7}|(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\.?\s+){0,4}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)"
    r"(?:\s*\([^()]{1,40}\))?$"
)
# The heading of a block of links to other articles ("Tin liên quan:", "Xem thêm: <link>",
# "Bài viết liên quan"), matched at the start of the block's first line.
RELATED_HEADING = re.compile(
    r"""^(?:(?:tin|bài|bài\s+viết)\s+(?:liên\s+quan|cùng\s+chuyên\s+mục|khác|đã\s+đưa)|
        các\s+(?:tin|bài)\s+(?:khác|liên\s+quan|đã\s+đưa)|xem\s+thêm|đọc\s+thêm|mời\s+xem|
        có\s+thể\s+bạn\s+quan\s+tâm|những\s+tin\s+(?:mới|cũ)\s+hơn|theo\s+dòng\s+sự\s+kiện)""",
    re.IGNORECASE | re.VERBOSE,
)
