"""Liferay portals: VNPT eportal, BKAV eGov, EcoIT (most provincial portals since ~2016)."""

from __future__ import annotations

from pipelines.rules import ExtractionRules
from spiders.base import PortalSpider

RULES = ExtractionRules(
    title=(
        "//div[contains(@class,'asset_title')]",  # BKAV eGov
        "//*[contains(@class,'news-detail')]//h1",  # VNPT eportal
        "//h1[contains(@class,'title')]",
        "//*[contains(@class,'header-title')]",
    ),
    # "Wed, 13/05/2020 10:45 | GMT +7", "15/01/2021 10:27 Số lượt xem: 343", "Thứ ba, 16/01/2018 08:47"
    date=(
        "//span[contains(@class,'assetPublishDate')]",
        "//*[contains(@class,'news-detail')]//*[contains(@class,'date')]",
        "//*[contains(@class,'publish-date') or contains(@class,'ngay-dang')]",
    ),
    lead=(
        "//span[contains(@class,'assetdesc-text')]",
        "//*[contains(@class,'news-detail')]//*[contains(@class,'desc')]",
        "//*[contains(@class,'sapo')]",
    ),
    body=(
        "//div[contains(@class,'asset-content')]",
        "//*[contains(@class,'news-detail')]//*[contains(@class,'content')]",
        "//div[contains(@class,'journal-content-article')]",
    ),
    byline=("//*[contains(@class,'asset-author') or contains(@class,'news-author')]",),
    prune=(
        "//*[contains(@class,'taglib-social') or contains(@class,'asset-links')]",
        "//*[contains(@class,'lfr-discussion') or contains(@class,'taglib-ratings')]",
        "//*[contains(@class,'view-count') or contains(@class,'hit-count')]",
    ),
    category=("(//*[contains(@class,'breadcrumb')]//a)[last()]",),
    tags=("//*[contains(@class,'taglib-asset-tags-summary')]//a",),
)


class LiferaySpider(PortalSpider):
    family = "liferay"
    listing_paths = ("/web/guest/tin-tuc",)
    listing_item_xpath = (
        "//div[contains(@class,'asset-abstract')] | //div[contains(@class,'news-item')]"
        " | //li[contains(@class,'news-item')]"
    )
    listing_link_xpath = (
        ".//*[contains(@class,'asset-title')]//a/@href | .//h3//a/@href | .//h4//a/@href"
    )
    listing_date_xpath = ".//*[contains(@class,'date')]//text()"
    listing_category_xpath = "//*[contains(@class,'portlet-title')]//text()"
    next_page_xpath = (
        "//*[contains(@class,'page-iterator') or contains(@class,'pagination') or contains(@class,'pager')]"
        "//a[@rel='next' or normalize-space()='Sau' or normalize-space()='Tiếp'"
        " or normalize-space()='Next' or normalize-space()='»']/@href"
    )
    # /-/asset_publisher/<inst>/content/<urlTitle>[/<id>], /-/details/<cat>/<slug>-<id>,
    # /web/<site>/-/<urlTitle> (web content display), /-/blogs/<slug>, and the unfriendly
    # ?p_p_id=...&_<portlet>_articleId=<id> or _<portlet>_urlTitle=<slug>. Never the asset
    # publisher's category, tag or pager views, the search portlet or document library.
    article_url_pattern = (
        r"(?:/-/(?:asset_publisher/[^/?#]+/content/[^/?#]+(?:/\d+)?"
        r"|details/(?:[^/?#]+/)?[^/?#]+"
        r"|blogs/[^/?#]+"
        r"|(?!(?:asset_publisher|categories|category|tags?|search|document_library|journal"
        r"|contact|login|sitemap)(?:[/?#]|$))[^/?#]+(?:/\d+)?)/?(?:[?#]|$)"
        r"|[?&]_[A-Za-z0-9_]+_(?:articleId|urlTitle)=[^&#]+)"
    )
    extraction_rules = RULES
    # Portlet state carried in article links does not identify the article.
    canonical_drop_params = (
        "p_p_id",
        "p_p_lifecycle",
        "p_p_state",
        "p_p_mode",
        "p_p_col_id",
        "p_p_col_pos",
        "p_p_col_count",
        "redirect",
        "inheritRedirect",
        "p_r_p_564233524_tag",
    )
