"""A local portal that was redesigned: NukeViet 4 since REDESIGN, an older theme before it.

The listings (and the articles published since the redesign) are the NukeViet portal of
tests/familyserver.py; the articles published before it are still served in the old theme at the
same URLs, as portals keep their archive when they change templates: no h1, no NukeViet body,
the title only in a "tieude-tin" div (the page <title> has the portal's name before it), the date
line, lead, body and byline in classes of their own, and a box of other articles with their dates
after it. Serve with `RedesignedPortal()` as a context manager; only 127.0.0.1 is bound.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.familyserver import (
    ARTICLES,
    NEWEST,
    FamilyPortal,
    NukeVietPortal,
    _Server,
    esc,
    in_category,
)

# First day of the new theme; articles published before it keep the old one.
REDESIGN = date(2023, 8, 18)
AUTHOR = "Minh Anh"


def is_old(a: dict[str, Any]) -> bool:
    return a["published"].date() < REDESIGN


class _Portal(NukeVietPortal):
    def article(self, a: dict[str, Any]) -> bytes:
        return self.old_article(a) if is_old(a) else super().article(a)

    def old_article(self, a: dict[str, Any]) -> bytes:
        others = "".join(
            f'<li><a href="{self.article_url(o)}">{esc(o["title"])}</a>'
            f' <span class="date">({o["published"].strftime("%d/%m/%Y")})</span></li>'
            for o in in_category(a["cat"])
            if o["id"] != a["id"]
        )
        newest = "".join(
            f'<li><a href="{self.article_url(o)}">{esc(o["title"])}</a></li>' for o in NEWEST[:4]
        )
        body = "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"][1:])
        main = (
            '<div class="chitiet-tin">'
            f'<div class="tieude-tin">{esc(a["title"])}</div>'
            '<div class="ngay-cap-nhat">Ngày đăng: '
            f"{a['published'].strftime('%d/%m/%Y %H:%M')}</div>"
            f'<div class="tomtat-tin"><b>{esc(a["paragraphs"][0])}</b></div>'
            f'<div id="noidung-tin">{body}</div>'
            f'<div class="nguoiviet-tin">{AUTHOR}</div></div>'
            '<div class="box-tinkhac"><div class="box-title">Các tin khác</div>'
            f"<ul>{others}</ul></div>"
        )
        page = (
            '<div id="wrapper"><div id="banner"><a href="/"><img src="/images/banner.jpg"'
            ' alt="Sở Thông tin và Truyền thông"></a></div>'
            '<table id="tblMain" width="100%"><tr>'
            f'<td id="tdContent" valign="top">{main}</td>'
            '<td id="tdRight" valign="top"><div class="box-tinmoi"><div class="box-title">'
            f"Tin mới</div><ul>{newest}</ul></div></td></tr></table>"
            '<div id="bottom">Sở Thông tin và Truyền thông - Địa chỉ: số 1 đường A</div></div>'
        )
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>Sở Thông tin và Truyền thông - {esc(a['title'])}</title></head>"
            f"<body>{page}</body></html>"
        ).encode()


class RedesignedPortal(FamilyPortal):
    """Serve the redesigned portal on 127.0.0.1 in a background thread."""

    def __init__(self) -> None:
        self.portal = _Portal()
        self.server = _Server(self.portal)

    def old_and_new(self) -> tuple[list[str], list[str]]:
        """URLs of the articles in the old theme and in the new one."""
        urls = {a["id"]: self.server.origin + self.portal.article_url(a) for a in ARTICLES}
        old = [urls[a["id"]] for a in ARTICLES if is_old(a)]
        return old, [u for u in urls.values() if u not in old]

    def truth(self) -> dict[str, dict[str, Any]]:
        """What each article says: title, date, lead, paragraphs, author."""
        return {
            self.server.origin + self.portal.article_url(a): {
                "title": a["title"],
                "published_at": a["published"].isoformat(),
                "summary": a["paragraphs"][0],
                "paragraphs": a["paragraphs"],
                "author": AUTHOR,
            }
            for a in ARTICLES
        }
