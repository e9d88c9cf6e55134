from spiders.families.liferay import LiferaySpider


class BacNinhSpider(LiferaySpider):
    """Sở Thông tin và Truyền thông Bắc Ninh (Liferay portal)."""

    name = "bacninh"
    home_url = "https://stttt.bacninh.gov.vn/"
    province = "Bắc Ninh"
    agency = "Sở Thông tin và Truyền thông tỉnh Bắc Ninh"
    listing_paths = ("/web/guest/tin-tuc-su-kien",)
