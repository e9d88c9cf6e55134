"""The offline demo portal: reconstructions of the five seed portals, served on 127.0.0.1.

These are RECONSTRUCTIONS for offline testing, not copies of the real sites: the page shapes follow
what is known of each CMS family (crawler/demo/families.py); the article texts are the five seed
articles plus articles written for the fixtures (crawler/demo/data/<site>.json).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

PAGE_SIZE = 5


@dataclass
class DemoSite:
    key: str  # the spider name
    family: str
    portal_name: str
    province: str
    address: str
    articles: list[dict[str, Any]] = field(default_factory=list)
    # Listing entries per page: the data file's "page_size" (benchmarks serve real portals'
    # 20-50), else the demo's 5.
    page_size: int = PAGE_SIZE

    @cached_property
    def newest_first(self) -> list[dict[str, Any]]:
        return sorted(self.articles, key=lambda a: a["published"], reverse=True)

    def pages(self) -> list[list[dict[str, Any]]]:
        arts = self.newest_first
        size = self.page_size
        return [arts[i : i + size] for i in range(0, len(arts), size)]


SITES: dict[str, dict[str, str]] = {
    "phutho": {
        "family": "aspnet",
        "portal_name": "Sở Thông tin và Truyền thông tỉnh Phú Thọ",
        "province": "Phú Thọ",
        "address": "Số 1478, Đại lộ Hùng Vương, TP Việt Trì, tỉnh Phú Thọ",
    },
    "mic_units": {
        "family": "liferay-vnpt",
        "portal_name": "Cổng thông tin điện tử của các đơn vị thuộc Bộ",
        "province": "",
        "address": "Số 18 Nguyễn Du, Hai Bà Trưng, Hà Nội",
    },
    "dienbien": {
        "family": "nukeviet",
        "portal_name": "Sở Thông tin và Truyền thông tỉnh Điện Biên",
        "province": "Điện Biên",
        "address": "Tổ dân phố 10, phường Mường Thanh, TP Điện Biên Phủ",
    },
    "bacninh": {
        "family": "liferay-bkav",
        "portal_name": "Sở Thông tin và Truyền thông tỉnh Bắc Ninh",
        "province": "Bắc Ninh",
        "address": "Số 11 Lý Thái Tổ, phường Suối Hoa, TP Bắc Ninh",
    },
    "backan": {
        "family": "newspaper",
        "portal_name": "Báo Bắc Kạn điện tử",
        "province": "Bắc Kạn",
        "address": "Tổ 1, phường Đức Xuân, thành phố Bắc Kạn",
    },
}


def load_site(key: str, data_dir: Path | None = None) -> DemoSite:
    """A site's articles from the bundled data, or from `data_dir/<key>.json`."""
    meta = SITES[key]
    if data_dir is not None:
        raw = (Path(data_dir) / f"{key}.json").read_text("utf-8")
    else:
        raw = resources.files("crawler.demo").joinpath("data", f"{key}.json").read_text("utf-8")
    data = json.loads(raw)
    return DemoSite(
        key=key, articles=data["articles"], page_size=int(data.get("page_size", PAGE_SIZE)), **meta
    )


def published(article: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(article["published"])
