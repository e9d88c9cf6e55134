from spiders.families.nukeviet import NukeVietSpider


class DienBienSpider(NukeVietSpider):
    """Sở Thông tin và Truyền thông Điện Biên (NukeViet)."""

    name = "dienbien"
    home_url = "https://stttt.dienbien.gov.vn/"
    province = "Điện Biên"
    agency = "Sở Thông tin và Truyền thông tỉnh Điện Biên"
