"""Article extraction: a pure function over (url, html) plus the Scrapy stage that calls it.

The family/site rules locate title, date line, lead, body and byline. A copy of the body is cleaned:
chrome pruned (family rules, then the generic ones in pipelines.xpaths), pasted "Tin liên quan"
blocks dropped, the byline and the images with their captions lifted into their own fields, lists
and data tables flattened ("cell | cell" rows). Its blocks are then the paragraphs, as written.
Only when no rule finds the body does trafilatura look for the main content in the whole page.
Class and id names are evidence, never proof: they are matched as whole tokens, a body container
found by a generic class rule must be plausible (enough text, few links), no rule prunes what is most
of the text, and a whole page reaches trafilatura without the generic pruning by name.
Lines that are furniture wherever they appear (pipelines.xpaths.JUNK_LINE) are dropped last.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from pipelines.budget import BudgetExceeded, cpu_budget
from pipelines.errors import RejectItem, reject_errors
from pipelines.html import (
    TreeTooDeep,
    collapse_space,
    json_values,
    load_json,
    parse_html,
    trampoline,
)
from pipelines.rules import ExtractionRules
from pipelines.xpaths import (
    AUTHOR_LABEL,
    BODY_BY_CLASS,
    BY_WALK,
    BYLINE_TEXT,
    GENERIC,
    JUNK_LINE,
    LEAD_PREFIX,
    PRUNE_BY_NAME,
    PRUNE_HIDDEN,
    RELATED_HEADING,
    SOURCE_LABEL,
    STRUCTURED_MODIFIED,
    STRUCTURED_PUBLISHED,
    TRAILING_IMAGE_MARKER,
    chrome_by_name,
)

_FILENAME = re.compile(r"\S+\.(?:jpe?g|png|gif|webp|bmp|tiff?)\b", re.IGNORECASE)
_BLOCK_TAGS = {
    "p",
    "div",
    "center",
    "li",
    "td",
    "blockquote",
    "section",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_MAX_CAPTION = 400
# Elements that end a line of text.
_LINE_BREAKING = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "center",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "br",
        "figure",
        "figcaption",
        "header",
        "footer",
        "address",
    }
)
_CONTAINERS = {"p", "div", "li", "ul", "ol", "table", "blockquote", "h2", "h3", "h4", "h5", "h6"}
# Table rows and rules as trafilatura prints them ("| a | b |", "|---|---|").
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")


class ExtractionError(ValueError):
    """The page cannot become an article; `reason` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def clean_text(value: str | None) -> str:
    """Collapse whitespace (including zero-width characters) and strip."""
    return collapse_space(value)


# Elements whose content is never text: code, and the raw markup lxml keeps as the text of an
# <iframe> (its fallback content) or a <noscript>.
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "iframe"})
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::iframe)]"
)


def _text(node: Any) -> str:
    """Visible text of a node: never the content of scripts, styles, templates or iframes."""
    if isinstance(node, str):
        return clean_text(node)
    if not isinstance(node.tag, str) or node.tag in _NOT_TEXT:
        return ""
    # lxml filters the descendants by tag in C: no Python object per element.
    if next(node.iterdescendants(*_NOT_TEXT), None) is not None:
        return clean_text("".join(_VISIBLE_TEXT(node)))
    return clean_text(node.text_content())


@functools.lru_cache(maxsize=1024)
def _compiled(xpath: str) -> etree.XPath | None:
    """Rules are evaluated on every page: compile each expression once (None if invalid)."""
    try:
        return etree.XPath(xpath)
    except etree.XPathError:
        return None


def _xpath(node: Any, xpath: str) -> Any:
    """node.xpath(xpath) with the expression compiled once (lxml compiles a string each call)."""
    compiled = _compiled(xpath)
    return node.xpath(xpath) if compiled is None else compiled(node)


def _select(doc: Any, xpath: str) -> list[Any]:
    walk = BY_WALK.get(xpath)
    if walk is not None:
        return walk(doc)
    compiled = _compiled(xpath)
    if compiled is None:
        return []
    try:
        result = compiled(doc)
    except etree.XPathError:
        return []
    return result if isinstance(result, list) else [result]


def _first(doc: Any, xpaths: Iterable[str]) -> Any | None:
    for xp in xpaths:
        found = _select(doc, xp)
        for node in found:
            if _text(node):
                return node
    return None


def found(doc: Any, xpaths: Iterable[str]) -> bool:
    """Whether one of `xpaths` selects something with text: what a field is taken from."""
    return _first(doc, xpaths) is not None


def _first_text(doc: Any, xpaths: Iterable[str]) -> str | None:
    node = _first(doc, xpaths)
    return _text(node) if node is not None else None


def _first_element(doc: Any, xpaths: Iterable[str]) -> Any | None:
    """The first element any of `xpaths` matches, even an empty one."""
    for xp in xpaths:
        for node in _select(doc, xp):
            if not isinstance(node, str) and isinstance(node.tag, str):
                return node
    return None


def _all_texts(doc: Any, xpaths: Iterable[str]) -> list[str]:
    for xp in xpaths:
        values = [v for v in (_text(n) for n in _select(doc, xp)) if v]
        if values:
            return values
    return []


def _remove(node: Any) -> None:
    """Remove an element but keep the text that follows it (lxml drops the tail otherwise)."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail:
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def _style_centered(node: Any) -> bool:
    style = (node.get("style") or "").replace(" ", "").lower()
    return "text-align:center" in style or (node.get("align") or "").lower() == "center"


def _style_right(node: Any) -> bool:
    style = (node.get("style") or "").replace(" ", "").lower()
    return "text-align:right" in style or (node.get("align") or "").lower() == "right"


def _is_italic_only(node: Any) -> bool:
    text = _text(node)
    if not text:
        return False
    italic = " ".join(_text(e) for e in node.iter("em", "i"))
    return clean_text(italic) == text


def _caption_like(node: Any) -> bool:
    if node is None or not isinstance(node.tag, str) or node.tag not in _BLOCK_TAGS:
        return False
    text = _text(node)
    if not text or len(text) > _MAX_CAPTION or _xpath(node, ".//img"):
        return False
    cls = ((node.get("class") or "") + " " + (node.get("id") or "")).lower()
    marked = any(t in cls for t in ("caption", "chuthich", "chu-thich", "image", "photo", "desc"))
    return marked or _is_italic_only(node) or (_style_centered(node) and len(text) < 300)


def _image_url(img: Any, base_url: str) -> str | None:
    for attr in ("data-src", "data-original", "src"):
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base_url, value)
    return None


def _residual_text(block: Any, img: Any) -> str:
    """Text of `block` that is not the image itself (alt text and visible file names excluded)."""
    text = _text(block)
    alt = clean_text(img.get("alt"))
    if alt:
        text = text.replace(alt, " ")
    return clean_text(_FILENAME.sub(" ", text))


class _Images:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.items: list[dict[str, str | None]] = []

    def add(self, img: Any, caption: str | None) -> None:
        url = _image_url(img, self.base_url)
        if not url:
            return
        caption = TRAILING_IMAGE_MARKER.sub("", clean_text(caption)) or None
        for item in self.items:
            if item["url"] == url:
                item["caption"] = item["caption"] or caption
                return
        self.items.append({"url": url, "caption": caption})

    @property
    def captions(self) -> set[str]:
        return {i["caption"] for i in self.items if i["caption"]}


def _ancestor(node: Any, root: Any, tag: str) -> Any | None:
    """The nearest `tag` element above `node`, below `root`."""
    node = node.getparent()
    while node is not None and node is not root:
        if node.tag == tag:
            return node
        node = node.getparent()
    return None


_CAPTION_IN_BOX = (".//figcaption", ".//*[contains(@class,'caption')]", ".//em")


def _image_box(img: Any, root: Any) -> Any | None:
    """The figure around an image: <figure>, or an element classed as a caption box
    (WordPress "wp-caption", "image-caption" tables)."""
    node = img.getparent()
    while node is not None and node is not root:
        if node.tag == "figure":
            return node
        if (
            node.tag in ("div", "span", "p", "table", "dl")
            and "caption" in (node.get("class") or "").lower()
        ):
            return node
        node = node.getparent()
    return None


def _lift_images(body: Any, images: _Images) -> None:
    """Move every image and its caption out of the body into `images`, in document order."""
    for img in list(body.iter("img")):
        if not _attached(img, body):
            continue
        box = _image_box(img, body)
        if box is not None:
            # The innermost box: a gallery holds one figure (and caption) per image.
            cap = _first_text(box, _CAPTION_IN_BOX)
            if not cap:
                residual = _residual_text(box, img)
                cap = residual if len(residual) <= _MAX_CAPTION else None
            for each in box.iter("img"):
                images.add(each, cap)
            _remove(box)
            continue
        table = _ancestor(img, body, "table")
        if table is not None and len(_text(table)) <= _MAX_CAPTION:
            # A layout table holding a photo and its caption row.
            imgs = list(table.iter("img"))
            cap = clean_text(" ".join(_residual_text(td, imgs[0]) for td in table.iter("td")))
            for each in imgs:
                images.add(each, cap or None)
            _remove(table)
            continue
        _lift_inline(body, img, images)
    for fig in list(body.iter("figure")):
        if not _xpath(fig, ".//img"):
            _remove(fig)  # an emptied gallery: its own caption is not article text


def _lift_inline(body: Any, img: Any, images: _Images) -> None:
    node = img
    # A linked image counts as the image.
    if (
        node.getparent() is not None
        and node.getparent().tag == "a"
        and not clean_text(
            node.getparent().text_content().replace(clean_text(img.get("alt")), "")
        ).strip()
    ):
        node = node.getparent()
    block = node.getparent()
    while block is not None and block.tag not in _BLOCK_TAGS and block is not body:
        block = block.getparent()
    if block is None:
        block = body
    if block is not body and not _residual_text(block, img):
        # Image alone in its block: the caption is the next block if it looks like one.
        nxt = block.getnext()
        caption = None
        if _caption_like(nxt):
            caption = _text(nxt)
            _remove(nxt)
        images.add(img, caption)
        _remove(block)
        return
    # Inline image inside running text: an italic run (or a caption-like block, as in
    # <div><img><p class="img-caption">…</p></div>) right after it is the caption.
    caption = None
    sib = node.getnext()
    while sib is not None and sib.tag == "br" and not clean_text(node.tail):
        _remove(sib)
        sib = node.getnext()
    if (
        sib is not None
        and (sib.tag in ("em", "i") or _caption_like(sib))
        and not clean_text(node.tail)
        and len(_text(sib)) <= _MAX_CAPTION
    ):
        caption = _text(sib)
        sib_tail = sib.tail
        sib.getparent().remove(sib)
        node.tail = (node.tail or "") + (sib_tail or "")
    images.add(img, caption)
    # Keep the paragraphs on either side of the image apart.
    br = node.makeelement("br", {})
    br.tail = node.tail
    node.addprevious(br)
    node.tail = None
    node.getparent().remove(node)


_LINK_FURNITURE = re.compile(
    r"[\s»«›‹•·*:|>\-–—]+|\(?\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?(?:\s+\d{1,2}:\d{2})?\)?"
)


def _link_only(node: Any, skip: str = "") -> bool:
    """All the text of `node` (but `skip`) is link text, bullets and dates aside."""
    if not isinstance(node.tag, str):
        return False
    links = [node] if node.tag == "a" else _xpath(node, ".//a")
    if not links:
        return False
    rest = _text(node)
    if skip:
        rest = rest.replace(skip, " ", 1)
    for a in links:
        rest = rest.replace(_text(a), " ", 1)
    return not _LINK_FURNITURE.sub("", rest)


def _drop_related(body: Any) -> None:
    """Remove "Tin liên quan" / "Xem thêm" blocks of links pasted into the body."""
    for block in list(body.iter("p", "div", "h2", "h3", "h4", "h5", "h6", "section", "table")):
        if block is body or not _attached(block, body):
            continue
        if not RELATED_HEADING.match(_text(block)):
            continue
        # The heading is the block's first line ("<b>Tin liên quan</b><ul>…" has no space).
        lines = _lines_of(block)
        match = RELATED_HEADING.match(lines[0])
        if not match or lines[0][match.end() : match.end() + 1].isalnum():
            continue
        heading = lines[0][: match.end()]
        rest = _LINK_FURNITURE.sub("", " ".join([lines[0][match.end() :], *lines[1:]]))
        if rest and not _link_only(block, heading):
            continue  # prose that happens to start with such words
        nxt = block.getnext()
        _remove(block)
        while nxt is not None and (
            not isinstance(nxt.tag, str) or nxt.tag == "br" or not _text(nxt)
        ):
            nxt = nxt.getnext()
        while nxt is not None and isinstance(nxt.tag, str) and _link_only(nxt):
            after = nxt.getnext()
            _remove(nxt)
            nxt = after


def _drop_link_lists(body: Any) -> None:
    """Lists whose every item is just a link are lists of other articles or pages."""
    for lst in list(body.iter("ul", "ol")):
        if not _attached(lst, body):
            continue
        items = [li for li in lst if isinstance(li.tag, str) and li.tag == "li" and _text(li)]
        if len(items) >= 2 and all(_link_only(li) for li in items):
            _remove(lst)


def _flatten_blocks(body: Any) -> None:
    """List items become paragraphs and data tables become one "cell | cell" paragraph per row,
    so that the text keeps them as written (no "- " bullets, no markdown table rules)."""
    for li in list(body.iter("li")):
        nested = any(isinstance(c.tag, str) and c.tag in _CONTAINERS for c in li)
        li.tag = "div" if nested else "p"
    for lst in list(body.iter("ul", "ol")):
        lst.tag = "div"
    for table in list(body.iter("table")):
        if _xpath(table, ".//table"):
            continue
        cells = _xpath(table, ".//td | .//th")
        layout = any(
            sum(1 for b in cell.iter(*_CONTAINERS) if b is not cell and _text(b)) > 1
            for cell in cells
        )
        if layout or not cells:
            continue  # paragraphs laid out in a table: read cell by cell
        rows = table.makeelement("div", {})
        for tr in _xpath(table, ".//tr"):
            texts = [_text(c) for c in _xpath(tr, "./td | ./th")]
            if any(texts):
                row = rows.makeelement("p", {})
                row.text = " | ".join(texts)
                rows.append(row)
        parent = table.getparent()
        if parent is None:
            # The body container is the table itself (<table class="bodytext">): its rows
            # become its paragraphs.
            for child in list(table):
                table.remove(child)
            table.tag, table.text = "div", None
            table.extend(list(rows))
            continue
        rows.tail = table.tail
        parent.replace(table, rows)


def _attached(node: Any, root: Any) -> bool:
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _structured_dates(doc: Any, xpaths: Iterable[tuple[str, str]], ld_key: str) -> list[dict]:
    found: list[dict] = []
    for xp, source in xpaths:
        for value in _xpath(doc, xp):
            if clean_text(value):
                found.append({"source": source, "raw": clean_text(value)})
    for script in _xpath(doc, "//script[@type='application/ld+json']"):
        data = load_json(script.text or "")
        for value in json_values(data, ld_key):
            if isinstance(value, str) and value.strip():
                found.append({"source": "jsonld", "raw": value.strip()})
    # Microdata on an invisible element (NukeViet's <span class="hidden" itemprop=...>) is often
    # the last edit time: marked, so that any visible date outranks it (pipelines.dates).
    invisible = (
        "[ancestor-or-self::*[@hidden or contains(translate(@style,' ',''),'display:none')"
        " or contains(translate(@style,' ',''),'visibility:hidden')"
        " or contains(concat(' ',normalize-space(@class),' '),' hidden ')"
        " or contains(concat(' ',normalize-space(@class),' '),' hide ')"
        " or contains(concat(' ',normalize-space(@class),' '),' d-none ')]]"
    )
    for node in _xpath(doc, f"//*[@itemprop='{ld_key}' and not(self::meta)]{invisible}"):
        value = clean_text(node.get("content") or node.get("datetime") or node.text_content())
        if value:
            found.append({"source": "microdata", "raw": value, "hidden": True})
    return found


def _as_document(node: Any) -> str:
    """Serialize a subtree as a whole HTML document (trafilatura rejects bare fragments)."""
    markup = lxml.html.tostring(node, encoding="unicode")
    if node.tag == "html":
        return markup
    if node.tag != "body":
        markup = f"<body>{markup}</body>"
    return f"<html>{markup}</html>"


def _paragraphs(page_html: str, fallback: Any) -> list[str]:
    """Paragraphs of a whole page via trafilatura (it finds the main content); the plain block
    text of `fallback` if it finds nothing."""
    text = None
    try:
        # Parsed here with huge_tree (trafilatura's own parser stops at 256 levels), with the
        # options trafilatura parses with.
        tree = parse_html(
            page_html,
            collect_ids=False,
            default_doctype=False,
            remove_comments=True,
            remove_pis=True,
        )
        text = trafilatura.extract(
            tree,
            output_format="txt",
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            favor_recall=_FAVOR_RECALL,
            deduplicate=False,
        )
    except Exception:  # trafilatura raises assorted errors on odd markup; fall back below
        text = None
    lines = []
    for line in text.split("\n") if text else _lines_of(fallback):
        line = clean_text(line)
        if line.startswith("|") and line.endswith("|"):
            if _TABLE_RULE.match(line):
                continue
            line = clean_text(line.strip("|"))
        lines.append(line)
    return lines


_GLUED_SOURCE = re.compile(
    r"(?<=[.!?…”\"])\s+((?:nguồn(?:\s+tin)?|theo\s+nguồn)\s*:\s*[^.!?]{1,60})$", re.I
)


def _split_byline(
    lines: list[str], known_author: str | None
) -> tuple[list[str], str | None, str | None]:
    """Take trailing byline/source lines off the body: returns (lines, author, source)."""
    author, source = known_author, None
    # "… xã hội hóa. Nguồn: Báo Quảng Ninh": a source glued to the last sentence.
    if lines and (glued := _GLUED_SOURCE.search(lines[-1])):
        source = clean_text(SOURCE_LABEL.sub("", glued.group(1))) or None
        lines = [*lines[:-1], lines[-1][: glued.start()].rstrip()]
    while lines:
        last = lines[-1]
        if SOURCE_LABEL.match(last):
            source = source or SOURCE_LABEL.sub("", last).strip() or None
        elif AUTHOR_LABEL.match(last) and len(last) < 80:
            author = author or AUTHOR_LABEL.sub("", last).strip() or None
        elif author is None and len(last) <= 40 and BYLINE_TEXT.match(last):
            author = last
        elif author is not None and last == author:
            pass
        else:
            break
        lines.pop()
    return lines, author, source


def _byline_in_body(body: Any, rules: ExtractionRules) -> str | None:
    """A byline element inside the body: read and removed."""
    node = _first(body, rules.byline)
    if node is None:
        return None
    name = _byline_name(node)
    if not isinstance(node, str):
        _remove(node)
    return name


def _byline_elsewhere(doc: Any, rules: ExtractionRules) -> str | None:
    """A byline element outside the body (the page is left as it is)."""
    node = _first(doc, rules.byline)
    return _byline_name(node) if node is not None else None


def _walk_lines(el: Any, root: Any, parts: list[str]) -> Any:
    """_lines_of's walk, a generator run by `trampoline`. Module-level, not a closure: a nested
    recursive function is a reference cycle that keeps the page's tree alive until the cyclic
    collector runs."""
    if el.tag in _NOT_TEXT:
        return  # its tail is its parent's text
    block = el.tag in _LINE_BREAKING and el is not root
    if block:
        parts.append("\n")
    parts.append(el.text or "")
    for child in el:
        if isinstance(child.tag, str):
            yield _walk_lines(child, root, parts)
        parts.append(child.tail or "")
    if block or el.tag == "br":
        parts.append("\n")


def _lines_of(node: Any) -> list[str]:
    """The text of an element, one line per block (paragraph, heading, cell …) and per <br>."""
    parts: list[str] = []
    trampoline(_walk_lines(node, node, parts))  # tag soup nests deeper than the recursion limit
    return [line for line in (clean_text(x) for x in "".join(parts).split("\n")) if line]


def _byline_name(node: Any) -> str | None:
    """The name in a byline element: the "Tác giả:" line, else its bold part unless that is only
    a label, else its text. A source line ("Nguồn tin: …") names no author."""
    lines = [clean_text(node)] if isinstance(node, str) else _lines_of(node)
    lines = [line for line in lines if line]
    if not lines:
        return None
    for line in lines:
        if AUTHOR_LABEL.match(line) and not SOURCE_LABEL.match(line):
            name = AUTHOR_LABEL.sub("", line).strip(" :")
            if name:
                return name
    lines = [line for line in lines if not SOURCE_LABEL.match(line)]
    if not lines:
        return None
    if not isinstance(node, str):
        strong = _first(node, (".//strong", ".//b"))
        bold = AUTHOR_LABEL.sub("", _text(strong)).strip(" :") if strong is not None else ""
        if bold and not SOURCE_LABEL.match(_text(strong)):
            return bold
    return AUTHOR_LABEL.sub("", lines[0]).strip(" :") or None


def _tail_block_byline(body: Any) -> str | None:
    """A last right-aligned short paragraph is a signature: its first line (or bold part) is the name."""
    blocks = [b for b in body.iter(*_BLOCK_TAGS) if _text(b)]
    if not blocks:
        return None
    last = blocks[-1]
    if not (_style_right(last) and len(_text(last)) <= 120):
        return None
    name = _byline_name(last)
    _remove(last)
    return name


# A container found by its class name is the body only if it is plausible: at most this share of
# its text is link text, and it holds at least this share of the page's paragraph text (a related-
# article card or a view counter whose class resembles a body's is neither).
_MAX_LINK_DENSITY = 0.5
_MIN_BODY_SHARE = 0.3
# An element pruned by its name (class or id) is chrome only if it is not most of the article: one
# that holds at least this share of the text, with few links, stays.
_MAX_PRUNED_SHARE = 0.5
# trafilatura's settings for a page with no known body container. Measured on the public article
# benchmark (181 pages, benchmarks/extraction_benchmark.py): default mean token F1 0.960,
# favor_recall 0.959; the golden set and the demo sites are the same either way.
_FAVOR_RECALL = False
# trafilatura's work grows faster than the page with its links (a 1 MB page of 32k links took
# minutes): a page with no known body container and more links than this is rejected rather than
# handed to it (setting FALLBACK_MAX_LINKS). Article pages have a few hundred.
FALLBACK_MAX_LINKS = 5000
# CPU seconds one page's extraction may take (setting EXTRACT_MAX_SECONDS).
EXTRACT_MAX_SECONDS = 5.0


def _link_density(node: Any, text_len: int) -> float:
    if not text_len:
        return 0.0
    return sum(len(_text(a)) for a in node.iter("a")) / text_len


def _paragraph_mass(doc: Any) -> int:
    """Characters of paragraph text on the page outside its header, footer, navigation and
    asides, link-only paragraphs aside."""
    root = doc.body if doc.body is not None else doc
    total = 0
    for p in root.iter("p"):
        if _xpath(p, "ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"):
            continue
        text_len = len(_text(p))
        if text_len and _link_density(p, text_len) <= _MAX_LINK_DENSITY:
            total += text_len
    return total


def _plausible_body(node: Any, mass: int) -> bool:
    """Enough text, few links: what a body container found by a class rule must show."""
    text_len = len(_text(node))
    if not text_len or _link_density(node, text_len) > _MAX_LINK_DENSITY:
        return False
    return text_len >= _MIN_BODY_SHARE * mass


def _body_container(doc: Any, xpaths: Iterable[str]) -> Any | None:
    """The first body rule that matches a container with text; a generic class rule's match must
    also be plausible (class names are evidence, not proof), else the rule is passed over."""
    mass: int | None = None
    for xp in xpaths:
        found = [n for n in _select(doc, xp) if not isinstance(n, str) and _text(n)]
        if xp not in BODY_BY_CLASS:
            if found:
                return found[0]
            continue
        if found and mass is None:
            mass = _paragraph_mass(doc)
        for node in found:
            if _plausible_body(node, mass or 0):
                return node
    return None


def _prune(body: Any, rules: ExtractionRules, generic_body: bool) -> None:
    """Remove chrome from `body`. Hidden elements always go (scripts and styles have no text);
    any other rule, by tag or by name, spares an element that is most of the text and not
    link-dense: chrome is never most of the article (ASP.NET pages wrap everything in a <form>,
    themes name article wrappers "content-with-sidebar"). On a whole page (no body container
    known) the generic rule by name does not apply: trafilatura prunes on its own."""
    body_len = len(_text(body))
    for xp in rules.prune:
        if generic_body and xp == PRUNE_BY_NAME:
            continue
        nodes = chrome_by_name(body) if xp == PRUNE_BY_NAME else _select(body, xp)
        for node in nodes:
            if node is body or isinstance(node, str) or not _attached(node, body):
                continue
            if xp != PRUNE_HIDDEN:
                text_len = len(_text(node))
                if (
                    text_len >= _MAX_PRUNED_SHARE * body_len
                    and _link_density(node, text_len) <= _MAX_LINK_DENSITY
                ):
                    continue
            _remove(node)


def extract_article(
    url: str,
    html: str,
    rules: ExtractionRules | None = None,
    *,
    base: ExtractionRules | None = None,
    fallback_max_links: int = FALLBACK_MAX_LINKS,
) -> dict[str, Any]:
    """Extract the article fields of one page. Raises ExtractionError if it is not an article.

    `rules` (a family's or site's) come first, then `base` (default: the generic rules); a site
    model passes its own base so that no class-name rule can override what it learned. A page
    that would go to trafilatura with more than `fallback_max_links` links is rejected."""
    own = rules or ExtractionRules()
    fallback = GENERIC if base is None else base
    if own.no_generic:
        # A family or site that switched a field's generic fallback off: only its own selectors.
        names = {f.name for f in dataclasses.fields(fallback)}
        fallback = dataclasses.replace(fallback, **{f: () for f in own.no_generic if f in names})
    rules = own.over(fallback)
    if not html or not html.strip():
        raise ExtractionError("empty_page", "the response body is empty")
    # Control characters and noncharacters (stray in old CMS output) are dropped by parse_html.
    try:
        doc = parse_html(html, strict_depth=True)
    except TreeTooDeep as exc:
        raise ExtractionError("too_deep", str(exc)) from exc
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError("unparsable_html", str(exc)) from exc

    title = _first_text(doc, rules.title)
    if not title:
        raise ExtractionError("no_title", "no title element matched")
    canonical = _xpath(doc, "string(//link[@rel='canonical']/@href)").strip() or None
    if canonical:
        canonical = urljoin(url, canonical)

    published = _structured_dates(doc, STRUCTURED_PUBLISHED, "datePublished")
    visible = _first_text(doc, rules.date)
    if visible:
        published.append({"source": "page", "raw": visible})
    modified = _structured_dates(doc, STRUCTURED_MODIFIED, "dateModified")
    visible_mod = _first_text(doc, rules.modified)
    if visible_mod:
        modified.append({"source": "page", "raw": visible_mod})

    images = _Images(url)
    lead_img = _first(doc, rules.lead_image)
    if lead_img is not None and not isinstance(lead_img, str):
        imgs = list(lead_img.iter("img"))
        if imgs:
            cap = _first_text(
                lead_img,
                (".//figcaption", ".//*[contains(@class,'caption')]", ".//p[not(.//img)]", ".//em"),
            )
            images.add(imgs[0], cap or clean_text(imgs[0].get("alt")) or None)

    lead_node = _first(doc, rules.lead)
    lead = _text(lead_node) if lead_node is not None else None

    # An empty body container of the site's own template is an empty body, not a reason to read
    # the whole page (the lead may be all the article has).
    body_node = _body_container(doc, rules.body)
    if body_node is None:
        body_node = _first_element(doc, own.body)
    generic_body = body_node is None
    if generic_body:
        # No known container: let trafilatura find the main content of a pruned copy of the page.
        body_node = doc.body if doc.body is not None else doc
        links = sum(1 for _ in body_node.iter("a"))
        if 0 < fallback_max_links < links:
            raise ExtractionError(
                "too_many_links",
                f"{links} links on a page with no known body container, more than the"
                f" trafilatura fallback is run on (FALLBACK_MAX_LINKS={fallback_max_links})",
            )
    body = copy.deepcopy(body_node)
    if lead_node is not None and not isinstance(lead_node, str):
        for node in body.xpath(".//*"):
            if _text(node) == lead and node.tag in _BLOCK_TAGS | {"span", "strong", "b"}:
                _remove(node)
                break
    _prune(body, rules, generic_body)
    _drop_related(body)
    _drop_link_lists(body)
    # The signature in the body beats a byline printed elsewhere on the page (blog themes print
    # the uploading account there).
    author = (
        _byline_in_body(body, rules) or _tail_block_byline(body) or _byline_elsewhere(doc, rules)
    )
    _lift_images(body, images)
    _flatten_blocks(body)

    # A body the rules found is read block by block, as written; a whole page goes to trafilatura.
    lines = _paragraphs(_as_document(body), body) if generic_body else _lines_of(body)
    captions = images.captions
    skip = {title, *(c for c in captions)}
    cleaned: list[str] = []
    for line in lines:
        line = TRAILING_IMAGE_MARKER.sub("", line)
        if not line or line in skip or JUNK_LINE.match(line):
            continue
        if cleaned and line == cleaned[-1]:
            continue
        cleaned.append(line)
    cleaned, author, source = _split_byline(cleaned, author)

    if lead:
        lead = LEAD_PREFIX.sub("", lead, count=1)
    if cleaned:
        cleaned[0] = LEAD_PREFIX.sub("", cleaned[0], count=1)
    if lead and (not cleaned or cleaned[0] != lead):
        cleaned.insert(0, lead)
    if not cleaned:
        raise ExtractionError("no_text", "the article body is empty")

    tags = []
    for value in _all_texts(doc, rules.tags):
        tags.extend(t.strip() for t in value.split(",") if t.strip())
    return {
        "title": title,
        "summary": lead or None,
        "text": "\n".join(cleaned),
        "author": author,
        "source": source,
        "images": images.items,
        "category": _first_text(doc, rules.category),
        "tags": list(dict.fromkeys(tags)),
        "canonical_hint": canonical,
        "published_candidates": published,
        "modified_candidates": modified,
    }


class ExtractPipeline:
    """Turn a fetched page item (url, html, site hints) into article fields."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    @reject_errors
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        settings = self.crawler.settings
        html = item.pop("html", "")
        rules = getattr(spider, "extraction_rules", None)
        layout = item.pop("layout", None)
        if layout is not None:
            # The layout the spider chose for this page (pipelines.layouts).
            rules = spider.layout_rules[layout]
        base = None
        if item.pop("site_model", False):
            # The page was annotated by pipelines.sitemodel: read what the model found.
            from pipelines.sitemodel import MODEL_BASE, MODEL_RULES

            rules, base = MODEL_RULES, MODEL_BASE
        seconds = settings.getfloat("EXTRACT_MAX_SECONDS", EXTRACT_MAX_SECONDS)
        max_links = settings.getint("FALLBACK_MAX_LINKS", FALLBACK_MAX_LINKS)
        try:
            with cpu_budget(seconds):
                fields = extract_article(
                    item["url"], html, rules, base=base, fallback_max_links=max_links
                )
        except ExtractionError as exc:
            raise RejectItem(exc.reason, exc.detail) from exc
        except BudgetExceeded as exc:
            raise RejectItem(
                "extraction_timeout",
                f"extraction used {exc} (EXTRACT_MAX_SECONDS={seconds:g})",
            ) from exc
        published = fields.pop("published_candidates")
        if item.get("listing_date"):
            published.append({"source": "listing", "raw": item["listing_date"]})
        if item.get("feed_date"):
            published.append({"source": "feed", **item["feed_date"]})
        item["published_candidates"] = published
        item["modified_candidates"] = fields.pop("modified_candidates")
        if not fields["category"] and item.get("listing_category"):
            fields["category"] = item["listing_category"]
        item.update(fields)
        return item
