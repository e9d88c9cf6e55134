"""Article extraction: a pure function over (url, html) plus the Scrapy stage that calls it.

The family/site rules locate title, date line, lead, body and byline; captions and bylines are lifted
out of the body into their own fields; trafilatura turns the cleaned body into paragraphs; generic
Vietnamese-portal rules (pipelines.xpaths) remove the furniture that survives.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from pipelines.errors import RejectItem
from pipelines.rules import ExtractionRules
from pipelines.xpaths import (
    AUTHOR_LABEL,
    BYLINE_TEXT,
    GENERIC,
    JUNK_LINE,
    LEAD_PREFIX,
    SOURCE_LABEL,
    STRUCTURED_MODIFIED,
    STRUCTURED_PUBLISHED,
    TRAILING_IMAGE_MARKER,
)

_WS = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
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


class ExtractionError(ValueError):
    """The page cannot become an article; `reason` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def clean_text(value: str | None) -> str:
    """Collapse whitespace (including zero-width characters) and strip."""
    return _WS.sub(" ", value or "").strip()


def _text(node: Any) -> str:
    if isinstance(node, str):
        return clean_text(node)
    return clean_text(node.text_content())


def _first(doc: Any, xpaths: Iterable[str]) -> Any | None:
    for xp in xpaths:
        try:
            found = doc.xpath(xp)
        except etree.XPathError:
            continue
        for node in found:
            if _text(node):
                return node
    return None


def _first_text(doc: Any, xpaths: Iterable[str]) -> str | None:
    node = _first(doc, xpaths)
    return _text(node) if node is not None else None


def _all_texts(doc: Any, xpaths: Iterable[str]) -> list[str]:
    for xp in xpaths:
        try:
            values = [_text(n) for n in doc.xpath(xp)]
        except etree.XPathError:
            continue
        values = [v for v in values if v]
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
    if not text or len(text) > _MAX_CAPTION or node.xpath(".//img"):
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


def _lift_images(body: Any, images: _Images) -> None:
    """Move every image and its caption out of the body into `images`."""
    for fig in list(body.iter("figure")):
        cap = _first_text(fig, (".//figcaption", ".//*[contains(@class,'caption')]", ".//em"))
        for img in fig.iter("img"):
            images.add(img, cap)
        _remove(fig)
    for table in list(body.iter("table")):
        imgs = list(table.iter("img"))
        if imgs and len(_text(table)) <= _MAX_CAPTION:
            cap = clean_text(" ".join(_residual_text(td, imgs[0]) for td in table.iter("td")))
            for img in imgs:
                images.add(img, cap or None)
            _remove(table)
    for img in list(body.iter("img")):
        if img.getparent() is None or not _attached(img, body):
            continue
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
            continue
        # Inline image inside running text: an italic run right after it is the caption.
        caption = None
        sib = node.getnext()
        while sib is not None and sib.tag == "br" and not clean_text(node.tail):
            _remove(sib)
            sib = node.getnext()
        if (
            sib is not None
            and sib.tag in ("em", "i")
            and not clean_text(node.tail)
            and len(_text(sib)) <= _MAX_CAPTION
        ):
            caption = _text(sib)
            sib_tail = sib.tail
            sib.getparent().remove(sib)
            node.tail = (node.tail or "") + (sib_tail or "")
        images.add(img, caption)
        # Keep the paragraphs on either side of the image apart.
        br = etree.Element("br")
        br.tail = node.tail
        node.addprevious(br)
        node.tail = None
        node.getparent().remove(node)


def _attached(node: Any, root: Any) -> bool:
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _structured_dates(doc: Any, xpaths: Iterable[tuple[str, str]], ld_key: str) -> list[dict]:
    found: list[dict] = []
    for xp, source in xpaths:
        for value in doc.xpath(xp):
            if clean_text(value):
                found.append({"source": source, "raw": clean_text(value)})
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for value in _json_values(data, ld_key):
            if isinstance(value, str) and value.strip():
                found.append({"source": "jsonld", "raw": value.strip()})
    return found


def _json_values(data: Any, key: str) -> Iterable[Any]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            else:
                yield from _json_values(v, key)
    elif isinstance(data, list):
        for v in data:
            yield from _json_values(v, key)


def _as_document(node: Any) -> str:
    """Serialize a subtree as a whole HTML document (trafilatura rejects bare fragments)."""
    markup = lxml.html.tostring(node, encoding="unicode")
    if node.tag == "html":
        return markup
    if node.tag != "body":
        markup = f"<body>{markup}</body>"
    return f"<html>{markup}</html>"


def _paragraphs(body_html: str, fallback: Any) -> list[str]:
    """Body paragraphs via trafilatura; plain block text if trafilatura finds nothing."""
    text = None
    try:
        text = trafilatura.extract(
            body_html,
            output_format="txt",
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            favor_recall=True,
            deduplicate=False,
        )
    except Exception:  # trafilatura raises assorted errors on odd markup; fall back below
        text = None
    if not text:
        for br in list(fallback.iter("br")):
            br.tail = "\n" + (br.tail or "")
        text = "\n".join(fallback.itertext())
    return [clean_text(line) for line in text.split("\n")]


def _split_byline(
    lines: list[str], known_author: str | None
) -> tuple[list[str], str | None, str | None]:
    """Take trailing byline/source lines off the body: returns (lines, author, source)."""
    author, source = known_author, None
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


def _byline_from_rules(body: Any, doc: Any, rules: ExtractionRules) -> str | None:
    """The byline element: inside the body (then removed from it) or elsewhere on the page."""
    node = _first(body, rules.byline)
    if node is None:
        node = _first(doc, rules.byline)
        if node is None:
            return None
        if not isinstance(node, str) and _attached(node, doc.body):
            node = copy.deepcopy(node)  # outside the body copy: read it, nothing to remove
    name = _byline_name(node)
    if not isinstance(node, str):
        _remove(node)
    return name


def _byline_name(node: Any) -> str | None:
    """The name in a byline element: its bold part unless that is only a label ("Tác giả:")."""
    full = AUTHOR_LABEL.sub("", _text(node)).strip()
    if isinstance(node, str):
        return full or None
    strong = _first(node, (".//strong", ".//b"))
    bold = AUTHOR_LABEL.sub("", _text(strong)).strip() if strong is not None else ""
    return (bold or full or "").strip(" :") or None


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


def extract_article(url: str, html: str, rules: ExtractionRules | None = None) -> dict[str, Any]:
    """Extract the article fields of one page. Raises ExtractionError if it is not an article."""
    rules = (rules or ExtractionRules()).over(GENERIC)
    if not html or not html.strip():
        raise ExtractionError("empty_page", "the response body is empty")
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError("unparsable_html", str(exc)) from exc

    title = _first_text(doc, rules.title)
    if not title:
        raise ExtractionError("no_title", "no title element matched")
    canonical = doc.xpath("string(//link[@rel='canonical']/@href)").strip() or None
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
            cap = _first_text(lead_img, (".//figcaption", ".//*[contains(@class,'caption')]"))
            images.add(imgs[0], cap or clean_text(imgs[0].get("alt")) or None)

    lead_node = _first(doc, rules.lead)
    lead = _text(lead_node) if lead_node is not None else None

    body_node = _first(doc, rules.body)
    generic_body = body_node is None
    if generic_body:
        # No known container: let trafilatura find the main content of a pruned copy of the page.
        body_node = doc.body if doc.body is not None else doc
    body = copy.deepcopy(body_node)
    if lead_node is not None and not isinstance(lead_node, str):
        for node in body.xpath(".//*"):
            if _text(node) == lead and node.tag in _BLOCK_TAGS | {"span", "strong", "b"}:
                _remove(node)
                break
    for xp in rules.prune:
        try:
            for node in body.xpath(xp):
                if node is not body:
                    _remove(node)
        except etree.XPathError:
            continue
    author = _byline_from_rules(body, doc, rules) or _tail_block_byline(body)
    _lift_images(body, images)

    lines = _paragraphs(_as_document(body), body)
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

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        html = item.pop("html", "")
        rules = getattr(spider, "extraction_rules", None)
        try:
            fields = extract_article(item["url"], html, rules)
        except ExtractionError as exc:
            raise RejectItem(exc.reason, exc.detail) from exc
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
