from spiders.families.aspnet import AspNetSpider


class PhuThoSpider(AspNetSpider):
    """Sở Thông tin và Truyền thông Phú Thọ (merged into Sở KH&CN in 2025)."""

    name = "phutho"
    home_url = "https://stttt.phutho.gov.vn/"
    province = "Phú Thọ"
    agency = "Sở Thông tin và Truyền thông tỉnh Phú Thọ"
    listing_paths = ("/Pages/ChuyenMuc.aspx?cm=tin-hoat-dong",)
