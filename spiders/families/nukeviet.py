"""NukeViet 3.x/4.x news module (open source CMS used by many provincial departments).

4.x prints the article in div.news_column (h1.title, span.h5 date, div.hometext, #news-bodyhtml);
3.x in div#news_detail (h1, span.time, #hometext > h2, #imghome, div.bodytext), with the
"Tác giả bài viết" / "Nguồn tin" lines in one right-aligned div after the body.
"""

from __future__ import annotations

from pipelines.rules import ExtractionRules
from spiders.base import PortalSpider

RULES = ExtractionRules(
    title=("//h1[contains(@class,'title')]", "//*[@itemprop='headline']", "//h1"),
    # 4.x: <span class="h5">Thứ tư - 30/05/2012 23:25</span>;
    # 3.x: <div id="news_detail"> … <span class="time">Thứ hai - 12/03/2012  08:15</span>
    date=(
        "//*[contains(concat(' ',@class,' '),' h5 ') and ancestor::*[contains(@class,'detail')]]",
        "//span[contains(concat(' ',@class,' '),' h5 ')]",
        "//*[contains(@class,'news-detail')]//*[contains(@class,'time')]",
        "//*[@id='news_detail']/*[contains(@class,'time')]",
    ),
    # 3.x: <div id="hometext"><div id="imghome">…</div><h2>lead</h2></div>
    lead=(
        "//div[contains(@class,'hometext')]",
        "//*[@itemprop='description' and not(self::meta)]",
        "//*[@id='hometext']/h2",
        "//*[@id='hometext']",
    ),
    lead_image=(
        "//figure[contains(@class,'article')]",
        "//*[contains(@class,'homeimg')]",
        "//*[@id='imghome']",
    ),
    body=("//div[@id='news-bodyhtml']", "//div[contains(@class,'bodytext')]"),
    # "Tác giả:" / "Nguồn tin:" lines are right-aligned after the body (3.x: one div, <br> between).
    byline=(
        "//p[contains(@class,'text-right')][contains(normalize-space(),'Tác giả')]",
        "//div[@id='news-bodyhtml']/following-sibling::*//*[contains(@class,'text-right')]"
        "[not(starts-with(normalize-space(),'Nguồn'))][1]",
        "//*[@id='news_detail']/div[contains(@style,'right')][contains(normalize-space(),'Tác giả')]",
    ),
    prune=(
        "//*[@id='timeoutsess']",
        "//*[contains(@class,'other-news')]",
        "//*[contains(@class,'news-detail-player')]",
        "//*[contains(@class,'socialicon') or contains(@class,'social-icon')]",
    ),
    category=("(//ul[contains(@class,'breadcrumbs')]//a)[last()]",),
    tags=("//div[contains(@class,'keywords')]//a",),
)


# Ops of the news module and names of NukeViet's other modules: never an article's category.
_NOT_CATEGORY = (
    "tag|topic|groups|search|rss|print|sendmail|savefile|rating|author|content|viewcat|instant-rss"
    "|about|page|laws|contact|users|download|faq|voting|weblinks|banners|feeds|seek|statistics"
    "|siteterms|comment|menu|freecontent|uploads|themes|assets|data|modules"
)


class NukeVietSpider(PortalSpider):
    family = "nukeviet"
    listing_paths = ("/vi/news/",)
    listing_item_xpath = (
        "//div[contains(@class,'news_column')]//div[contains(@class,'panel-body')]"
        " | //div[contains(@class,'news_column')]//li | //div[contains(@class,'list-news')]//li"
    )
    listing_link_xpath = ".//h3/a/@href | .//h4/a/@href | .//a[@title][1]/@href"
    # Listings print "30/05/2012 23:25" (4.x, after a clock icon) or "(30/05/2012)".
    listing_date_xpath = ".//*[contains(@class,'fa-clock')]/parent::*//text() | .//*[contains(@class,'time')]//text()"
    listing_category_xpath = "(//ul[contains(@class,'breadcrumbs')]//a)[last()]//text()"
    next_page_xpath = (
        "//ul[contains(@class,'pagination')]//a[@rel='next']/@href"
        " | //ul[contains(@class,'pagination')]//a[normalize-space()='›' or normalize-space()='»']/@href"
    )
    # Every URL mode of the news module: /vi/news/<category>/<alias>-<id>.html, without the
    # language (/news/...), behind /index.php, without the module name when news is the home
    # module (/<category>/<alias>-<id>.html, /vi/<category>/...), and without rewriting
    # (index.php?language=vi&nv=news&op=<category>/<alias>-<id>). Never the module's other ops
    # (tag, topic, groups, print, sendmail, rss, search), its pagers (page-2) or other modules.
    article_url_pattern = (
        r"^https?://[^/?#]+(?:/index\.php)?(?:"
        r"(?:/[a-z]{2})?(?:/news)?/(?!(?:" + _NOT_CATEGORY + r")/)[^/?#]+"
        r"/(?!(?:page|trang)-\d+\.)[^/?#]+-\d+\.html?(?:[?#].*)?"
        r"|/?\?(?:[^#]*&)?nv=news&(?:[^#]*&)?op=(?!(?:" + _NOT_CATEGORY + r")(?:/|%2[fF]))"
        r"[^/&#]+(?:/|%2[fF])(?!(?:page|trang)-\d+(?:[&#.]|$))[^/&#]+-\d+(?:\.html?)?(?:[&#].*)?"
        r")$"
    )
    extraction_rules = RULES
