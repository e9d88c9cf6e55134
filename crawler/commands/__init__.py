"""The project's versions of Scrapy commands (COMMANDS_MODULE): `crawl`, `shell`, `parse`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def portal_start_url(spidercls: Any, url: str | None) -> str | None:
    """The start_url that puts a portal spider on the site of `url` (its origin), when that is
    not the spider's own home site; None otherwise. Without it the spider's site guard drops a
    page of a mirror or a local server as another site's."""
    from spiders.base import PortalSpider, host_port

    if not isinstance(spidercls, type) or not issubclass(spidercls, PortalSpider):
        return None
    if not url or not url.startswith(("http://", "https://")):
        return None
    if spidercls.home_url and host_port(spidercls.home_url) == host_port(url):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"
