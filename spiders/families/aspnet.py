"""ASP.NET / SharePoint portals (older ministries and provinces)."""

from __future__ import annotations

from pipelines.rules import ExtractionRules
from spiders.base import PortalSpider

RULES = ExtractionRules(
    # DotNetNuke-style containers also print the module's own title in a "dnnTITLE_lblTitle".
    title=(
        "//div[@id='divArticleDescription3']//h1",
        "//*[contains(@id,'ArticleTitle')]",
        "//*[contains(@id,'lblTitle') and not(contains(@id,'dnnTITLE'))]",
        "//h1[contains(@class,'title')]",
    ),
    # Generated ids such as ctl00_..._lblDate; formats "h:mm AM dd/mm/yyyy", "HH:MM dd-mm-YYYY".
    date=(
        "//*[contains(@id,'lblDate') or contains(@id,'lblNgay') or contains(@id,'PublishDate')]",
    ),
    lead=("//div[@id='divArticleDescription1']", "//*[contains(@id,'lblSummary')]"),
    body=("//div[@id='divArticleDescription2']", "//*[contains(@id,'lblContent')]"),
    byline=("//*[contains(@id,'lblAuthor') or contains(@id,'lblTacGia')]",),
    prune=("//*[contains(@class,'ms-webpart-chrome-title')]",),
    category=("//*[contains(@id,'lblCategory')]",),
)


class AspNetSpider(PortalSpider):
    family = "aspnet"
    listing_paths = ("/Pages/ChuyenMuc.aspx",)
    listing_item_xpath = (
        "//div[contains(@class,'news-item') or contains(@class,'item-news')]"
        " | //table[contains(@class,'news-list')]//tr"
    )
    listing_link_xpath = ".//a[contains(@class,'title')]/@href | .//h3//a/@href | .//h2//a/@href"
    listing_date_xpath = ".//*[contains(@class,'date') or contains(@id,'lblDate')]//text()"
    listing_category_xpath = (
        "//*[contains(@id,'lblCategoryName') or contains(@class,'category-title')]//text()"
    )
    next_page_xpath = (
        "//*[contains(@class,'paging') or contains(@class,'pagination')]"
        "//a[normalize-space()='Trang sau' or normalize-space()='Sau' or normalize-space()='>'"
        " or normalize-space()='»' or @rel='next']/@href"
    )
    # /Pages/tin-tuc.aspx?ItemID=123 (any .aspx with ItemID/NewsID/ArticleID),
    # /portal/pages/2023-01-30/<slug>-468686.aspx, SharePoint publishing pages named by their
    # title (/tin-tuc/Pages/<four-or-more-word-slug>.aspx), /tin-tuc/<slug>-<id>.aspx.
    # Never a listing (ChuyenMuc.aspx?cm=, default.aspx, ?Page=2), search or print view.
    article_url_pattern = (
        r"(?i)(?:[^/?#]+\.aspx\?(?:[^#]*&)?(?:itemid|newsid|articleid)=\d+"
        r"|/pages/\d{4}-\d{2}-\d{2}/[^/?#]+\.aspx"
        r"|/pages/(?!(?:default|home|trang-?chu|chuyen-?muc|search|tim-?kiem)\.)"
        r"(?:[a-z0-9]+-){3,}[a-z0-9]+\.aspx(?:$|#)"
        r"|/(?!(?:trang|page)-\d+\.)(?:[a-z0-9]+-){2,}\d+\.aspx(?:$|#))"
    )
    extraction_rules = RULES
