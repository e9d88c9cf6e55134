from spiders.families.liferay import LiferaySpider


class MicUnitsSpider(LiferaySpider):
    """Portal of the units of the Ministry of Information and Communications; republishes
    provincial department news (national portal, so no province of its own)."""

    name = "mic_units"
    home_url = "https://donvi.mic.gov.vn/"
    province = None
    agency = "Bộ Thông tin và Truyền thông – Cổng thông tin điện tử các đơn vị thuộc Bộ"
    listing_paths = ("/web/guest/tin-dia-phuong",)
