from spiders.families.newspaper import NewspaperSpider


class BacKanSpider(NewspaperSpider):
    """Báo Bắc Kạn, the provincial newspaper (covers the department's news)."""

    name = "backan"
    home_url = "https://baobackan.vn/"
    province = "Bắc Kạn"
    agency = "Báo Bắc Kạn"
    listing_paths = ("/chuyen-doi-so/",)
