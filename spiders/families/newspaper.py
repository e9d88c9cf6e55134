"""Provincial newspapers (Báo <tỉnh>): kicker above the title, sapo, figcaption captions."""

from __future__ import annotations

from pipelines.rules import ExtractionRules
from spiders.base import PortalSpider

RULES = ExtractionRules(
    title=(
        "//h1[contains(@class,'article-title') or contains(@class,'detail-title')]",
        "//h1[contains(@class,'title')]",
    ),
    date=(
        "//*[contains(@class,'article-date') or contains(@class,'detail-time')]",
        "//span[contains(@class,'date')]",
    ),
    # VnExpress-style templates: p.description lead, article.fck_detail body.
    lead=(
        "//*[contains(@class,'article-sapo') or contains(@class,'detail-sapo')]",
        "//p[contains(concat(' ',normalize-space(@class),' '),' description ')]",
    ),
    body=(
        "//div[contains(@class,'article-body') or contains(@class,'detail-content')]",
        "//div[contains(@class,'content-detail')]",
        "//article[contains(@class,'fck_detail')]",
    ),
    byline=(
        "//*[contains(@class,'article-author') or contains(@class,'detail-author')]",
        "//p[contains(@style,'right')][strong or b][last()]",
    ),
    prune=(
        "//*[contains(@class,'article-related') or contains(@class,'box-related')]",
        "//*[contains(@class,'article-audio') or contains(@class,'audio-player')]",
        "//*[contains(@class,'article-tags')]",
    ),
    category=(
        "//*[contains(@class,'article-category')]//a",
        "(//*[contains(@class,'breadcrumb')]//a)[last()]",
    ),
    tags=("//*[contains(@class,'article-tags')]//a",),
)


class NewspaperSpider(PortalSpider):
    family = "newspaper"
    listing_paths = ("/",)
    listing_item_xpath = (
        "//article[contains(concat(' ',normalize-space(@class),' '),' story ')]"
        " | //div[contains(concat(' ',normalize-space(@class),' '),' story ')]"
    )
    listing_link_xpath = ".//h2//a/@href | .//h3//a/@href"
    listing_date_xpath = ".//time/@datetime | .//*[contains(@class,'story-time')]//text()"
    listing_category_xpath = "//h1[contains(@class,'category-title')]//text()"
    next_page_xpath = (
        "//*[contains(@class,'pagination')]//a[@rel='next' or normalize-space()='»'"
        " or normalize-space()='Trang sau' or normalize-space()='Sau']/@href"
    )
    # /<slug>-post70977.html and the common "<slug>-<id>.html" of newspaper CMSes, at the root
    # or under a category (/<cat>/<slug>-<id>.html, ids like a123456 too), and /news/<id>/...;
    # never tag, topic, author, search or pager pages.
    article_url_pattern = (
        r"^https?://[^/?#]+"
        r"(?!/(?:tags?|the|tu-khoa|chu-de|topic|tac-gia|author|tim-kiem|search|print)[/.-])(?:"
        r"(?:/[a-z0-9-]+){0,2}/(?!(?:trang|page)-\d+\.)"
        r"(?:[a-z0-9]+-)+(?:post|[a-z]{0,2})?\d{4,}\.html?"
        r"|(?:/[a-z0-9-]+)?/news/\d+(?:/[^?#]*)?"
        r")(?:[?#].*)?$"
    )
    extraction_rules = RULES
