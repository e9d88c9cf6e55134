"""WordPress sites (units of the departments, associations, district portals).

Themes differ, but nearly all of them print the post with the standard template classes:
`h1.entry-title`, `time.entry-date.published[datetime]`, `div.entry-content` (tagDiv's Newspaper:
`div.td-post-content`; Elementor's theme builder: the post-content widget). Plugins add chrome inside the content: share bars (Jetpack sharedaddy,
AddToAny), related posts (Jetpack, YARPP), view counters, print and text-to-speech buttons.
The "by <account>" line of the theme names the uploading account, not the author: the byline is
the signature at the end of the content.
"""

from __future__ import annotations

from pipelines.rules import ExtractionRules
from spiders.base import PortalSpider

RULES = ExtractionRules(
    title=(
        "//article//h1[contains(@class,'entry-title')]",
        "//h1[contains(@class,'entry-title') or contains(@class,'post-title')]",
    ),
    # The post's own date: <time class="entry-date published" datetime=…> (the "updated" <time>
    # can come first); comments carry their own <time> and itemprop=datePublished further down.
    date=(
        "//article//time[contains(@class,'entry-date') and contains(@class,'published')]/@datetime",
        "//article//time[contains(@class,'published')]/@datetime",
        "//*[contains(@class,'entry-date') and contains(@class,'published')]",
        "//*[contains(@class,'td-post-date')]//time/@datetime",
        "//*[contains(@class,'entry-meta') or contains(@class,'entry-header')]"
        "//*[@itemprop='datePublished' and not(self::meta)]",
        "//*[contains(@class,'posted-on')]//time[contains(@class,'entry-date')]/@datetime",
        "//*[contains(@class,'posted-on')]",
        "//*[contains(@class,'elementor-post-info__item--type-date')]",
    ),
    modified=(
        "//article//time[contains(@class,'updated') and not(contains(@class,'published'))]/@datetime",
    ),
    # Some Vietnamese themes print the excerpt as a sapo under the title.
    lead=(
        "//*[contains(@class,'entry-header') or contains(@class,'td-post-header')]"
        "//*[contains(@class,'excerpt') or contains(@class,'sapo') or contains(@class,'sub-title')]",
    ),
    lead_image=(
        "//figure[contains(@class,'post-thumbnail')]",
        "//*[contains(@class,'td-post-featured-image')]",
    ),
    body=(
        "//div[contains(concat(' ',normalize-space(@class),' '),' entry-content ')]",
        "//div[contains(@class,'td-post-content')]",
        "//div[contains(concat(' ',normalize-space(@class),' '),' post-content ')]",
        # Elementor Pro theme builder: the post content widget.
        "//div[contains(@class,'elementor-widget-theme-post-content')]",
    ),
    byline=(),
    prune=(
        "//*[contains(@class,'sharedaddy') or contains(@class,'addtoany') or contains(@class,'a2a_kit')]",
        "//*[contains(@class,'jp-relatedposts') or contains(@class,'yarpp') or contains(@class,'crp_related')]",
        "//*[contains(@class,'post-views') or contains(@class,'printfriendly') or contains(@class,'pf-button')]",
        "//*[contains(@class,'responsivevoice') or contains(@class,'font_resizer')]",
        "//*[contains(@class,'wp-block-buttons') or contains(@class,'code-block')]",
    ),
    category=(
        "(//*[contains(@class,'cat-links') or contains(@class,'entry-category')]//a)[1]",
        "(//*[contains(@class,'entry-crumbs') or contains(@class,'breadcrumb')]//a)[last()]",
    ),
    tags=(
        "//*[contains(@class,'tags-links')]//a",
        "//*[contains(@class,'td-tags')]//a",
        "//meta[@property='article:tag']/@content",
    ),
)


# First path segments that are never a post: archives (with the usual Vietnamese category and
# tag bases), feeds, search, the admin and the upload folders.
_NOT_POST = (
    "category|chuyen-muc|chuyenmuc|danh-muc|the-loai|tag|the|tu-khoa|author|tac-gia|page|trang"
    "|feed|search|tim-kiem|comments|wp-[a-z]+|xmlrpc\\.php"
)


class WordPressSpider(PortalSpider):
    family = "wordpress"
    listing_paths = ("/category/tin-tuc/",)
    # Posts in archive loops (core themes, Astra, GeneratePress, Elementor) and tagDiv modules.
    listing_item_xpath = (
        "//article[contains(concat(' ',normalize-space(@class),' '),' post ')]"
        " | //div[contains(concat(' ',normalize-space(@class),' '),' td_module_wrap ')]"
    )
    listing_link_xpath = (
        ".//*[contains(@class,'entry-title')]//a/@href | .//h2//a/@href | .//h3//a/@href"
    )
    listing_date_xpath = (
        "(.//time[@datetime])[1]/@datetime"
        " | .//*[contains(@class,'posted-on')][not(.//time[@datetime])]//text()"
    )
    # "Chuyên mục: <span>Tin tức</span>": the last text is the category's name.
    listing_category_xpath = (
        "(//h1[contains(@class,'page-title') or contains(@class,'archive-title')]"
        "//text()[normalize-space()])[last()]"
    )
    # /category/<x>/page/2/ behind the core pager's "a.next.page-numbers"; rel=next or tagDiv's
    # arrow in theme pagers; "Older posts" (nav-previous) in classic themes.
    next_page_xpath = (
        "//a[contains(concat(' ',normalize-space(@class),' '),' next ')"
        " and contains(@class,'page-numbers')]/@href"
        " | //*[contains(@class,'pagination') or contains(@class,'page-nav')"
        " or contains(@class,'nav-links')]//a[@rel='next' or @aria-label='next-page']/@href"
        " | //*[contains(@class,'nav-links')]/*[contains(@class,'nav-previous')]//a/@href"
    )
    # Permalinks: /YYYY/MM/DD/<slug>/, /<slug>/ or /<category>/<slug>/ (optionally .html),
    # /?p=123; never archive, tag, author, feed or pager URLs.
    article_url_pattern = (
        r"^https?://[^/?#]+(?:"
        r"/\d{4}/\d{2}(?:/\d{2})?/[^/?#]+/?"
        r"|/(?!(?:" + _NOT_POST + r")(?:/|$))"
        r"[^/?#]+(?:/(?!page/)[^/?#]+)?/?"
        r"|/\?p=\d+"
        r")(?:[?#].*)?$"
    )
    extraction_rules = RULES
