"""Randomized Vietnamese provincial news portals with gold, deterministic per seed.

    portal = build_portal(7)
    portal.pages["/"]           # Page(status, content_type, body, headers)
    portal.gold                 # [GoldArticle(path, title, published_at, ...)]
    portal.boilerplate          # chrome strings that must never be in an article's text
    portal.non_articles         # paths of pages that must not be emitted as articles

Bodies may contain `BASE_TOKEN` where a page prints an absolute URL; `Portal.page(path, base)`
(and the server) replace it with the served base URL, e.g. "http://127.0.0.1:8123".
Only `random.Random(seed)` is used; "today" is fixed at 2026-11-30.
"""

from __future__ import annotations

import codecs
import html
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

BASE_TOKEN = "__PORTAL_BASE__"
TODAY = datetime(2026, 11, 30, 17, 0)

PROVINCES = [
    "Lai Châu", "Điện Biên", "Bắc Kạn", "Bắc Ninh", "Phú Thọ", "Hà Giang", "Tuyên Quang",
    "Yên Bái", "Lào Cai", "Sơn La", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Cao Bằng",
    "Quảng Ninh", "Nam Định", "Thái Bình", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Quảng Bình", "Quảng Trị", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa",
    "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng",
    "Bình Phước", "Tây Ninh", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long",
    "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau",
]  # fmt: skip

DISTRICTS = [
    "Tân Uyên", "Than Uyên", "Mường Tè", "Sìn Hồ", "Phong Thổ", "Tam Đường", "Nậm Nhùn",
    "Yên Phong", "Quế Võ", "Tiên Du", "Thuận Thành", "Gia Bình", "Lương Tài", "Chợ Đồn",
    "Ba Bể", "Ngân Sơn", "Pác Nặm", "Na Rì", "Bạch Thông", "Thanh Sơn", "Tân Sơn", "Cẩm Khê",
    "Hạ Hòa", "Đoan Hùng", "Lâm Thao", "Mường Nhé", "Tủa Chùa", "Tuần Giáo", "Mường Ảng",
    "Điện Biên Đông", "Nậm Pồ", "Văn Chấn", "Lục Yên", "Trạm Tấu", "Bảo Yên", "Bát Xát",
    "Si Ma Cai", "Mộc Châu", "Quỳnh Nhai", "Yên Châu", "Đà Bắc", "Lạc Sơn", "Kim Bôi",
    "Đại Từ", "Phú Lương", "Võ Nhai", "Tràng Định", "Bình Gia", "Hữu Lũng", "Bảo Lâm",
    "Trùng Khánh", "Hạ Lang",
]  # fmt: skip

PEOPLE = [
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hà",
    "Vũ Đức Hải", "Đặng Thu Hương", "Bùi Văn Khánh", "Đỗ Thị Lan", "Ngô Quang Minh",
    "Dương Văn Nam", "Lý Thị Ngọc", "Mai Xuân Phúc", "Tạ Thanh Sơn", "Trịnh Văn Tuấn",
    "Đinh Thị Yến", "Lò Văn Pấng", "Giàng A Chá", "Lường Thị Hoa", "Hà Văn Thắng",
    "Cao Thị Mai", "Nông Văn Quý", "Triệu Thị Thu", "Sùng A Lử", "Vàng Thị Dung",
]  # fmt: skip

BYLINES = [
    "Minh Hà", "Thu Trang", "Hoàng Long", "Ngọc Anh", "Quang Huy", "Thanh Tâm", "Bích Ngọc",
    "Văn Toàn", "Hải Yến", "Mạnh Cường", "PV", "BBT", "Phòng TTBCXB", "Trung tâm CNTT&TT",
]  # fmt: skip

POSITIONS = [
    "Giám đốc Sở", "Phó Giám đốc Sở", "Phó Chủ tịch UBND tỉnh", "Chủ tịch UBND huyện",
    "Trưởng phòng Bưu chính - Viễn thông", "Chánh Văn phòng Sở", "Trưởng phòng Chuyển đổi số",
    "Giám đốc Trung tâm Công nghệ thông tin và Truyền thông", "Phó Trưởng ban Tuyên giáo Tỉnh ủy",
    "Trưởng phòng Thông tin - Báo chí - Xuất bản", "Chánh Thanh tra Sở",
]  # fmt: skip

AGENCIES = [
    "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Công an tỉnh", "Bưu điện tỉnh", "Viettel {P}", "VNPT {P}", "Trung tâm Phục vụ hành chính công",
    "Ban Tuyên giáo Tỉnh ủy", "Đài Phát thanh và Truyền hình tỉnh", "Báo {P}", "Hội Nhà báo tỉnh",
    "Sở Nông nghiệp và Môi trường", "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh", "MobiFone {P}",
]  # fmt: skip

TOPICS = [
    "chuyển đổi số", "xây dựng chính quyền số", "dịch vụ công trực tuyến toàn trình",
    "chữ ký số cá nhân", "an toàn thông tin mạng", "thông tin cơ sở", "phát triển hạ tầng 5G",
    "phổ cập điện thoại thông minh", "thanh toán không dùng tiền mặt", "nền tảng địa chỉ số",
    "hệ thống quản lý văn bản và điều hành", "Trung tâm giám sát, điều hành thông minh",
    "bưu chính công ích", "phòng, chống tin giả trên không gian mạng", "phát triển văn hóa đọc",
    "kinh tế số", "xã hội số", "Tổ công nghệ số cộng đồng", "cơ sở dữ liệu dùng chung",
    "ứng dụng định danh điện tử", "thương mại điện tử nông thôn", "đài truyền thanh thông minh",
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "bình dân học vụ số",
]  # fmt: skip

EVENTS = [
    "hội nghị", "hội thảo", "lớp tập huấn", "buổi làm việc", "cuộc họp", "diễn tập",
    "lễ ký kết", "đợt kiểm tra", "chương trình giao lưu", "lễ phát động",
]  # fmt: skip

UNITS = [
    "cán bộ, công chức cấp xã", "đoàn viên thanh niên", "các doanh nghiệp viễn thông",
    "người dân vùng sâu, vùng xa", "giáo viên các trường phổ thông", "học sinh trung học",
    "thành viên Tổ công nghệ số cộng đồng", "các hợp tác xã nông nghiệp", "cán bộ thông tin cơ sở",
    "phóng viên, biên tập viên", "hộ kinh doanh cá thể", "cán bộ y tế thôn bản",
]  # fmt: skip

VERB_TITLES = [
    "{ORG} tổ chức {EV} triển khai {T} năm {Y}",
    "{ORG} tổ chức {EV} về {T} cho {U}",
    "Tập huấn {T} cho {U} huyện {D}",
    "Huyện {D} đẩy mạnh {T} trong {Q} năm {Y}",
    "{P}: Triển khai {T} tại {K} xã vùng cao",
    "Kiểm tra công tác {T} tại huyện {D}",
    "Sơ kết {H} tháng đầu năm {Y} thực hiện nhiệm vụ {T}",
    "Tổng kết công tác {T} năm {Y} và triển khai nhiệm vụ năm {Y1}",
    "Ký kết thỏa thuận hợp tác về {T} giữa UBND tỉnh và {A}",
    "Đoàn công tác của Bộ làm việc với tỉnh {P} về {T}",
    "{P} đứng thứ {R} cả nước về chỉ số {T}",
    "Hướng dẫn người dân huyện {D} sử dụng {T}",
    "Ra quân hỗ trợ {T} tại các xã của huyện {D}",
    "Nâng cao hiệu quả {T} trong các cơ quan nhà nước tỉnh {P}",
    "Phát động cuộc thi tìm hiểu về {T} năm {Y}",
    "Trao giải cuộc thi viết về {T} lần thứ {R}",
    "Thẩm định kế hoạch {T} của huyện {D} giai đoạn {Y}-{Y5}",
    "Diễn tập ứng cứu sự cố {T} trên địa bàn tỉnh {P} năm {Y}",
    "Huyện {D} ra mắt mô hình thôn thông minh gắn với {T}",
    "Hội nghị giao ban báo chí tháng {M} năm {Y} bàn về {T}",
    "Lấy ý kiến góp ý dự thảo quy định về {T} tại tỉnh {P}",
    "Cấp phát {K} chữ ký số cho người dân huyện {D} trong đợt cao điểm",
    "Bồi dưỡng kỹ năng {T} cho {U} tỉnh {P}",
    "Xã {D} hoàn thành sớm chỉ tiêu {T} năm {Y}",
    "{A} phối hợp tuyên truyền về {T} trong tháng {M}",
]  # fmt: skip

SENTENCES = [
    "Sáng ngày {DM}, tại {VENUE}, {ORG} đã tổ chức {EV} về {T} với sự tham dự của {K} đại biểu.",
    "Tham dự {EV} có đồng chí {PER}, {POS}; đại diện lãnh đạo {A} cùng {U} trên địa bàn.",
    "Theo báo cáo, trong {Q} năm {Y}, toàn tỉnh đã có {K} hồ sơ được tiếp nhận và giải quyết trực tuyến, đạt {PCT}% tổng số hồ sơ.",
    "Tỷ lệ hồ sơ giải quyết đúng và trước hạn đạt {PCT}%, tăng {S} điểm phần trăm so với cùng kỳ năm trước.",
    "Phát biểu tại {EV}, đồng chí {PER} đề nghị các đơn vị tiếp tục quán triệt, triển khai đồng bộ các giải pháp về {T}.",
    "Đồng chí {PER}, {POS} nhấn mạnh {T} là nhiệm vụ trọng tâm, cần sự vào cuộc của cả hệ thống chính trị.",
    "Đến nay, hạ tầng viễn thông trên địa bàn huyện {D} đã phủ sóng {PCT}% số thôn, bản, với {K} trạm phát sóng di động.",
    "Các doanh nghiệp viễn thông đã lắp đặt thêm {S} trạm BTS tại các khu vực còn lõm sóng của huyện {D}.",
    "Trong thời gian tới, {ORG} sẽ phối hợp với {A} tăng cường hướng dẫn người dân sử dụng các nền tảng số.",
    "Các đại biểu đã thảo luận, làm rõ những khó khăn, vướng mắc trong quá trình triển khai {T} ở cơ sở.",
    "Nhiều ý kiến cho rằng cần bố trí thêm kinh phí và nhân lực cho {T}, nhất là ở các xã vùng cao.",
    "Lớp tập huấn diễn ra trong {S} ngày, gồm các chuyên đề về {T} và kỹ năng khai thác thông tin trên môi trường mạng.",
    "Học viên được hướng dẫn thực hành cài đặt, kích hoạt tài khoản và sử dụng {T} trên điện thoại thông minh.",
    "Kết thúc đợt kiểm tra, đoàn đã ghi nhận những kết quả đạt được và chỉ ra {S} tồn tại cần khắc phục.",
    "Theo kế hoạch, đến hết năm {Y1}, {PCT}% thủ tục hành chính đủ điều kiện sẽ được cung cấp dưới dạng dịch vụ công trực tuyến toàn trình.",
    "Toàn tỉnh hiện có {K} Tổ công nghệ số cộng đồng với trên {K2} thành viên đang hoạt động thường xuyên.",
    "Huyện {D} đã hỗ trợ {K} hộ dân cài đặt ứng dụng định danh điện tử và mở tài khoản thanh toán.",
    "Tổng kinh phí thực hiện dự án là {MONEY} tỷ đồng từ nguồn ngân sách tỉnh và nguồn vốn xã hội hóa.",
    "Sở đã tham mưu UBND tỉnh ban hành {S} văn bản chỉ đạo, hướng dẫn về {T} trong năm {Y}.",
    "Công tác thông tin, tuyên truyền được đẩy mạnh với {K} tin, bài được đăng tải trên các phương tiện thông tin đại chúng.",
    "Hệ thống đài truyền thanh cơ sở đã phát {K} giờ tin tức, chuyên mục về {T} bằng tiếng Việt và tiếng dân tộc.",
    "Ông {PER} cho biết, người dân bước đầu đã quen với việc nộp hồ sơ trực tuyến và thanh toán phí, lệ phí qua ứng dụng.",
    "Chị {PER}, một người dân ở xã {D}, chia sẻ: việc làm thủ tục trên mạng giúp tiết kiệm nhiều thời gian đi lại.",
    "Bên cạnh kết quả đạt được, việc triển khai {T} vẫn còn hạn chế do trình độ sử dụng công nghệ của một bộ phận người dân chưa cao.",
    "Tỉnh {P} phấn đấu nằm trong nhóm {S} tỉnh dẫn đầu khu vực về chỉ số {T} vào năm {Y1}.",
    "Cuộc diễn tập giả định tình huống hệ thống thông tin của {A} bị tấn công bằng mã độc mã hóa dữ liệu.",
    "Qua diễn tập, các thành viên đội ứng cứu sự cố đã nâng cao kỹ năng phát hiện, ngăn chặn và khắc phục sự cố.",
    "Thỏa thuận hợp tác tập trung vào {S} nội dung chính, trong đó ưu tiên phát triển hạ tầng số và đào tạo nguồn nhân lực.",
    "Dịp này, ban tổ chức đã trao {S} giải Nhất, {K3} giải Nhì và nhiều giải Khuyến khích cho các tập thể, cá nhân.",
    "Cuộc thi thu hút {K} bài dự thi của các cơ quan, đơn vị, trường học và người dân trên địa bàn tỉnh.",
    "Đến ngày {DM}, toàn tỉnh đã cấp {K} chứng thư chữ ký số cá nhân cho người dân, đạt {PCT}% chỉ tiêu được giao.",
    "Trung tâm Phục vụ hành chính công tỉnh tiếp nhận bình quân {K3} hồ sơ mỗi ngày, phần lớn qua Cổng dịch vụ công.",
    "Các cơ quan báo chí trên địa bàn đã chủ động định hướng dư luận, kịp thời phản bác thông tin sai sự thật.",
    "Trong năm, Sở đã kiểm tra {S} cơ sở in, phát hành xuất bản phẩm và xử lý {K3} trường hợp vi phạm.",
    "Mạng bưu chính công cộng đã chuyển phát {K} bưu gửi, trong đó có {K2} hồ sơ, kết quả giải quyết thủ tục hành chính.",
    "UBND huyện {D} yêu cầu các xã, thị trấn rà soát, cập nhật dữ liệu dân cư, đất đai vào cơ sở dữ liệu dùng chung trước ngày {DM}.",
    "Lãnh đạo {A} đánh giá cao sự phối hợp chặt chẽ của Sở trong thời gian qua và cam kết tiếp tục đồng hành.",
    "Mô hình thôn thông minh tại huyện {D} được triển khai thí điểm ở {S} thôn, với camera an ninh, wifi công cộng và loa thông minh.",
    "Năm {Y}, doanh thu lĩnh vực thông tin và truyền thông của tỉnh ước đạt {MONEY} tỷ đồng, tăng {S}% so với năm trước.",
    "Sau {EV}, các đơn vị sẽ tổ chức rà soát, đăng ký nhu cầu và gửi báo cáo về Sở trước ngày {DM}.",
    "Kết quả khảo sát cho thấy {PCT}% người được hỏi hài lòng với chất lượng dịch vụ công trực tuyến của tỉnh.",
    "Việc triển khai nền tảng địa chỉ số giúp định vị chính xác {K} hộ gia đình và {K3} cơ sở kinh doanh trên bản đồ số.",
    "Các trường học đã tích hợp nội dung {T} vào hoạt động ngoại khóa, thu hút {K} học sinh tham gia.",
    "Đoàn viên thanh niên huyện {D} thành lập {S} đội hình tình nguyện hướng dẫn người cao tuổi sử dụng điện thoại thông minh.",
    "Đại diện {A} đề xuất Sở hỗ trợ kỹ thuật, nâng cấp đường truyền số liệu chuyên dùng cho các điểm cầu trực tuyến cấp xã.",
]  # fmt: skip

VENUES = [
    "Hội trường Sở", "trụ sở UBND tỉnh", "Trung tâm Hội nghị tỉnh", "hội trường UBND huyện {D}",
    "nhà văn hóa xã {D}", "điểm cầu trực tuyến các huyện", "Trung tâm Chính trị huyện {D}",
]  # fmt: skip

STATIC_PARAS = {
    "gioi-thieu": [
        "Sở Thông tin và Truyền thông tỉnh {P} là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, thực hiện chức năng tham mưu, giúp UBND tỉnh quản lý nhà nước về báo chí, xuất bản, bưu chính, viễn thông, công nghệ thông tin và thông tin cơ sở.",
        "Sở có tư cách pháp nhân, có con dấu và tài khoản riêng; chịu sự chỉ đạo, quản lý về tổ chức, biên chế và hoạt động của UBND tỉnh, đồng thời chịu sự chỉ đạo, hướng dẫn, kiểm tra về chuyên môn, nghiệp vụ của Bộ.",
        "Trải qua quá trình xây dựng và phát triển, Sở đã từng bước kiện toàn tổ chức bộ máy, nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức, đáp ứng yêu cầu nhiệm vụ trong tình hình mới.",
        "Với những thành tích đạt được, tập thể Sở đã vinh dự được tặng nhiều Bằng khen của Bộ và UBND tỉnh, góp phần vào sự phát triển kinh tế - xã hội của địa phương.",
    ],
    "chuc-nang-nhiem-vu": [
        "Trình UBND tỉnh dự thảo quyết định, chỉ thị, quy hoạch, kế hoạch dài hạn, năm năm và hằng năm về phát triển ngành thông tin và truyền thông trên địa bàn tỉnh.",
        "Hướng dẫn, kiểm tra, chịu trách nhiệm tổ chức thực hiện các văn bản quy phạm pháp luật, quy hoạch, kế hoạch, chương trình, đề án thuộc lĩnh vực được giao sau khi được phê duyệt.",
        "Quản lý hoạt động báo chí, xuất bản, in, phát hành, bưu chính, viễn thông, tần số vô tuyến điện, công nghệ thông tin, an toàn thông tin và thông tin cơ sở trên địa bàn tỉnh.",
        "Thực hiện công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo, phòng, chống tham nhũng, lãng phí trong lĩnh vực thông tin và truyền thông theo quy định của pháp luật.",
    ],
    "co-cau-to-chuc": [
        "Lãnh đạo Sở gồm Giám đốc và các Phó Giám đốc; Giám đốc Sở chịu trách nhiệm trước UBND tỉnh, Chủ tịch UBND tỉnh và trước pháp luật về toàn bộ hoạt động của Sở.",
        "Các phòng chuyên môn, nghiệp vụ gồm Văn phòng, Thanh tra, Phòng Kế hoạch - Tài chính, Phòng Bưu chính - Viễn thông, Phòng Công nghệ thông tin, Phòng Thông tin - Báo chí - Xuất bản.",
        "Đơn vị sự nghiệp trực thuộc là Trung tâm Công nghệ thông tin và Truyền thông, thực hiện các dịch vụ công về công nghệ thông tin, an toàn thông tin và truyền thông.",
    ],
    "lien-he": [
        "Mọi ý kiến đóng góp, phản ánh, kiến nghị của tổ chức, cá nhân xin gửi về bộ phận tiếp nhận của Văn phòng Sở trong giờ hành chính các ngày làm việc trong tuần.",
        "Cơ quan, tổ chức, cá nhân có thể gửi thư điện tử hoặc văn bản giấy; Văn phòng Sở có trách nhiệm chuyển đến đơn vị chuyên môn để nghiên cứu, trả lời theo quy định.",
        "Đề nghị ghi rõ họ tên, địa chỉ, số điện thoại liên hệ để cơ quan thuận tiện trong việc phản hồi thông tin.",
    ],
    "lich-cong-tac": [
        "Lãnh đạo Sở chủ trì họp giao ban định kỳ với các phòng, đơn vị trực thuộc để đánh giá kết quả thực hiện nhiệm vụ và thống nhất chương trình công tác tuần.",
        "Giám đốc Sở dự họp trực tuyến với Bộ về tình hình triển khai các nhiệm vụ chuyển đổi số trọng tâm, điểm cầu tại Trung tâm Giám sát điều hành thông minh của tỉnh.",
        "Phó Giám đốc Sở làm việc với các doanh nghiệp viễn thông về kế hoạch phát triển hạ tầng mạng di động tại các xã vùng sâu, vùng xa.",
        "Các phòng chuyên môn làm việc tại cơ quan, tiếp nhận và xử lý văn bản theo chức năng, nhiệm vụ được giao.",
    ],
    "thong-bao": [
        "Thực hiện kế hoạch của UBND tỉnh, Sở thông báo tới các cơ quan, đơn vị và người dân về việc tạm dừng cung cấp một số dịch vụ trên Cổng thông tin điện tử để nâng cấp hệ thống.",
        "Trong thời gian nâng cấp, các tổ chức, cá nhân có nhu cầu nộp hồ sơ thủ tục hành chính đề nghị liên hệ trực tiếp Bộ phận một cửa của Sở để được hướng dẫn.",
        "Sở trân trọng cảm ơn sự quan tâm, phối hợp của các cơ quan, đơn vị và người dân; mọi vướng mắc xin phản ánh qua số điện thoại đường dây nóng của Văn phòng Sở.",
    ],
}

STATIC_TITLES = {
    "gioi-thieu": "Giới thiệu chung",
    "chuc-nang-nhiem-vu": "Chức năng, nhiệm vụ",
    "co-cau-to-chuc": "Cơ cấu tổ chức",
    "lien-he": "Liên hệ",
    "lich-cong-tac": "Lịch công tác",
    "thong-bao": "Thông báo",
}

FAQ = [
    ("Thủ tục cấp giấy phép thiết lập trang thông tin điện tử tổng hợp gồm những hồ sơ gì?",
     "Hồ sơ gồm đơn đề nghị cấp giấy phép theo mẫu, bản sao quyết định thành lập hoặc giấy chứng nhận đăng ký doanh nghiệp, đề án hoạt động có chữ ký của người đứng đầu tổ chức và các tài liệu chứng minh việc đáp ứng điều kiện về nhân sự, kỹ thuật."),
    ("Người dân có thể tra cứu tình trạng hồ sơ dịch vụ công trực tuyến ở đâu?",
     "Người dân truy cập Cổng dịch vụ công của tỉnh, chọn mục tra cứu hồ sơ và nhập mã hồ sơ được cấp khi nộp; ngoài ra có thể tra cứu qua ứng dụng trên điện thoại hoặc gọi đến tổng đài hỗ trợ."),
    ("Doanh nghiệp muốn lắp đặt trạm thu phát sóng cần làm thủ tục gì tại địa phương?",
     "Doanh nghiệp cần có giấy phép xây dựng theo quy định, trừ trường hợp trạm thuộc diện được miễn; đồng thời thực hiện thông báo với UBND cấp xã nơi lắp đặt và bảo đảm các yêu cầu về an toàn bức xạ."),
    ("Chữ ký số cá nhân được sử dụng cho những giao dịch nào?",
     "Chữ ký số cá nhân được sử dụng để ký các hồ sơ dịch vụ công trực tuyến, giao dịch ngân hàng, khai thuế, bảo hiểm xã hội và các giao dịch điện tử khác có giá trị pháp lý tương đương chữ ký tay."),
]  # fmt: skip

DRAFTS = [
    "Dự thảo Quyết định ban hành Quy chế quản lý, vận hành Trung tâm giám sát, điều hành thông minh tỉnh",
    "Dự thảo Kế hoạch phát triển hạ tầng viễn thông thụ động giai đoạn 2026 - 2030",
    "Dự thảo Quy định về quản lý, sử dụng hệ thống thư điện tử công vụ của tỉnh",
    "Dự thảo Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở",
]

DOCS = [
    ("Quyết định", "Về việc ban hành Kế hoạch chuyển đổi số năm {Y} của tỉnh"),
    ("Kế hoạch", "Triển khai thực hiện Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử"),
    ("Công văn", "Về việc tăng cường bảo đảm an toàn thông tin cho các hệ thống thông tin của tỉnh"),
    ("Chỉ thị", "Về đẩy mạnh thanh toán không dùng tiền mặt trong dịch vụ công"),
    ("Thông báo", "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng {M}"),
    ("Quyết định", "Phê duyệt danh mục dịch vụ công trực tuyến toàn trình năm {Y}"),
    ("Hướng dẫn", "Về việc sử dụng chữ ký số trên văn bản điện tử trong cơ quan nhà nước"),
    ("Báo cáo", "Kết quả thực hiện nhiệm vụ công nghệ thông tin {H} tháng đầu năm {Y}"),
]  # fmt: skip

CATEGORIES = [
    ("Tin hoạt động", "tin-hoat-dong"),
    ("Chuyển đổi số", "chuyen-doi-so"),
    ("Bưu chính - Viễn thông", "buu-chinh-vien-thong"),
    ("Công nghệ thông tin", "cong-nghe-thong-tin"),
    ("Báo chí - Xuất bản", "bao-chi-xuat-ban"),
    ("Thông tin cơ sở", "thong-tin-co-so"),
    ("Tin trong tỉnh", "tin-trong-tinh"),
    ("An toàn thông tin", "an-toan-thong-tin"),
    ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
]

IMAGE_CAPTIONS = [
    "Quang cảnh {EV}",
    "Đồng chí {PER} phát biểu tại {EV}",
    "Các đại biểu tham dự {EV}",
    "Cán bộ hướng dẫn người dân xã {D} cài đặt ứng dụng",
    "Đoàn công tác kiểm tra thực tế tại huyện {D}",
    "Ảnh: {BY}",
    "Trao giải cho các tập thể, cá nhân đạt thành tích cao",
]

TABLE_HEADERS = [
    ["STT", "Đơn vị", "Số hồ sơ", "Tỷ lệ (%)"],
    ["STT", "Huyện, thành phố", "Số trạm BTS", "Tỷ lệ phủ sóng (%)"],
    ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện"],
]

LIST_ITEMS = [
    "Tăng cường tuyên truyền về lợi ích của {T} đến từng thôn, bản",
    "Rà soát, chuẩn hóa dữ liệu phục vụ {T} trước ngày {DM}",
    "Bố trí cán bộ trực hỗ trợ người dân tại bộ phận một cửa cấp xã",
    "Phối hợp với doanh nghiệp viễn thông hỗ trợ thiết bị và đường truyền",
    "Định kỳ báo cáo kết quả thực hiện về Sở trước ngày 20 hằng tháng",
    "Đưa chỉ tiêu {T} vào tiêu chí đánh giá, xếp loại thi đua cuối năm",
    "Tổ chức tập huấn cho {U} về kỹ năng số cơ bản",
    "Kiểm tra, giám sát việc thực hiện tại {S} xã trọng điểm của huyện {D}",
]


# ---------------------------------------------------------------------------------------------
# Public data model


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class GoldArticle:
    path: str
    title: str
    published_at: str
    published_precision: str  # "minute" or "day"
    paragraphs: list[str]
    author: str | None
    category: str = ""


@dataclass
class Portal:
    seed: int
    site_name: str
    pages: dict[str, Page]
    gold: list[GoldArticle]
    boilerplate: list[str]
    non_articles: list[str]
    non_article_kinds: dict[str, str] = field(default_factory=dict)
    # other URLs serving a gold article (tracking parameters, print view, short link): alias -> path
    aliases: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def page(self, path: str, base: str = "") -> Page:
        """The page at path+query (404 page when unknown), with BASE_TOKEN replaced by `base`."""
        p = self.pages.get(path)
        if p is None:
            p = self.pages[NOT_FOUND_KEY]
        if BASE_TOKEN.encode() in p.body:
            p = Page(
                p.status,
                p.content_type,
                p.body.replace(BASE_TOKEN.encode(), base.encode()),
                p.headers,
            )
        return p


NOT_FOUND_KEY = "\x00404"


def build_portal(seed: int) -> Portal:
    return _Builder(seed).build()


# ---------------------------------------------------------------------------------------------
# Helpers


def norm(s: str) -> str:
    """NFC with collapsed whitespace: the form of every gold string."""
    return " ".join(unicodedata.normalize("NFC", s).split())


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def slugify(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _vn1258_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        tones = "".join(c for c in d if c in _TONES)
        try:
            (base + tones).encode("cp1258")
            out.append(base + tones)
        except UnicodeEncodeError:
            out.append(f"&#{ord(ch)};")
    return "".join(out), exc.end


codecs.register_error("portalgen-vn1258", _vn1258_errors)


def _build_1258_table() -> dict[int, str]:
    table = {}
    for cp in range(0xC0, 0x1EFA):
        ch = chr(cp)
        try:
            ch.encode("cp1258")
        except UnicodeEncodeError:
            rep, _ = _vn1258_errors(UnicodeEncodeError("cp1258", ch, 0, 1, ""))
            if not rep.startswith("&#"):
                table[cp] = rep
    return table


_1258_TABLE = _build_1258_table()


def encode_cp1258(text: str) -> bytes:
    """windows-1258 bytes: precomposed letters the code page lacks become base letter + tone mark."""
    return (
        unicodedata.normalize("NFC", text)
        .translate(_1258_TABLE)
        .encode("cp1258", errors="portalgen-vn1258")
    )


WEEKDAYS = ["hai", "ba", "tư", "năm", "sáu", "bảy"]


def weekday(dt: datetime, cap: bool) -> str:
    if dt.weekday() == 6:
        return "Chủ nhật" if not cap else "Chủ Nhật"
    w = WEEKDAYS[dt.weekday()]
    return "Thứ " + (w.capitalize() if cap else w)


# Visible date formats: (template, has_time)
DATE_FORMATS_TIME = [
    "{wd}, {d:02d}/{m:02d}/{Y} {H:02d}:{M:02d}",
    "{d:02d}/{m:02d}/{Y} {H:02d}:{M:02d}",
    "{H:02d}:{M:02d} {d:02d}/{m:02d}/{Y}",
    "Cập nhật lúc {H:02d}:{M:02d} ngày {d:02d}/{m:02d}/{Y}",
    "{d:02d}/{m:02d}/{Y} | {H:02d}:{M:02d}",
    "{d:02d}/{m:02d}/{Y} {H:02d}:{M:02d} Số lượt xem: {views}",
    "Ngày đăng: {d:02d}/{m:02d}/{Y} {H:02d}:{M:02d}",
    "{H:02d}:{M:02d} | {wd}, {d:02d}/{m:02d}/{Y}",
    "Đăng lúc: {H:02d}:{M:02d} - {d:02d}/{m:02d}/{Y}",
]
DATE_FORMATS_DAY = [
    "Ngày đăng: {d:02d}-{m:02d}-{Y}",
    "{Wd}, {d} tháng {m}, {Y}",
    "{d:02d}/{m:02d}/{Y}",
    "Ngày {d:02d}/{m:02d}/{Y}",
    "{wd}, {d:02d}/{m:02d}/{Y}",
]
LISTING_DATE_FORMATS = [
    ("{d:02d}/{m:02d}/{Y} {H:02d}:{M:02d}", "{d:02d}/{m:02d}/{Y}"),
    ("({d:02d}/{m:02d}/{Y} {H:02d}:{M:02d})", "({d:02d}/{m:02d}/{Y})"),
    ("{H:02d}:{M:02d} {d:02d}/{m:02d}/{Y}", "{d:02d}/{m:02d}/{Y}"),
    ("{d:02d}/{m:02d}/{Y}", "{d:02d}/{m:02d}/{Y}"),
    ("({d:02d}/{m:02d}/{Y})", "({d:02d}/{m:02d}/{Y})"),
    ("{d:02d}-{m:02d}-{Y}", "{d:02d}-{m:02d}-{Y}"),
]


def fmt_date(fmt: str, dt: datetime, views: int = 0) -> str:
    return fmt.format(
        d=dt.day, m=dt.month, Y=dt.year, H=dt.hour, M=dt.minute, views=views,
        wd=weekday(dt, False), Wd=weekday(dt, True),
    )  # fmt: skip


def has_time(fmt: str) -> bool:
    return "{H" in fmt


def rfc822(dt: datetime) -> str:
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return (
        f"{days[dt.weekday()]}, {dt.day:02d} {months[dt.month - 1]} {dt.year} {dt:%H:%M:%S} +0700"
    )


REAL_BODY = [
    "news-detail", "content-news", "bodytext", "chi-tiet", "noidung", "entry-content",
    "article-body", "post-content", "ms-rtestate-field", "journal-content-article",
    "detail-content", "news-content", "ArticleContent", "content-detail", "fulltext",
    "noi-dung-chi-tiet", "contentdetail", "td-post-content",
]  # fmt: skip
MEANINGLESS = [
    "c7",
    "x-blk-3",
    "col-md-8",
    "kh2",
    "wrap-a",
    "box-b",
    "pn-2",
    "col-xs-12 col-sm-9",
    "r1c2",
    "blk",
]
TRAP_BODY = [
    "content-with-sidebar-wrp", "main-menu-offset-body", "advert-free-content", "no-related-inner",
    "visitor-friendly-text", "body-sidebar-layout-content", "menu-page-detail", "txt-related-off",
]  # fmt: skip
CHROME_REAL = {
    "menu": ["menu", "main-menu", "navbar", "nav-main", "mainmenu", "topmenu"],
    "side": ["sidebar", "right-col", "col-right", "box-right", "left-col", "widget-area"],
    "foot": ["footer", "site-footer", "bottom", "footer-info", "copyright"],
    "rel": ["related-news", "other-news", "tin-khac", "news-other", "related", "list-other"],
    "head": ["header", "banner-top", "site-header", "top-header", "logo-wrap"],
}
KICKERS = [
    "Chuyển đổi số - Động lực phát triển", "Hướng tới Ngày Chuyển đổi số quốc gia",
    "Tin ảnh", "Chào mừng kỷ niệm ngày truyền thống ngành", "Thông tin cơ sở", "Sự kiện nổi bật",
]  # fmt: skip
EXTERNAL = [
    ("https://chinhphu.vn/", "Cổng Thông tin điện tử Chính phủ"),
    ("https://dichvucong.gov.vn/", "Cổng Dịch vụ công quốc gia"),
    ("https://mic.gov.vn/", "Bộ Thông tin và Truyền thông"),
    ("https://baochinhphu.vn/", "Báo điện tử Chính phủ"),
]


# ---------------------------------------------------------------------------------------------
# The builder


@dataclass
class _Art:
    idx: int
    aid: int
    cat: int
    title: str
    slug: str
    dt: datetime
    precision: str
    mode: str
    blocks: list[tuple]
    author: str | None
    path: str = ""
    lead: str | None = None
    kicker: str | None = None
    tags: list[int] = field(default_factory=list)
    views: int = 0
    fmt: str = ""
    edit_dt: datetime | None = None


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.pages: dict[str, Page] = {}
        self.non_articles: dict[str, str] = {}
        self.boiler: set[str] = set()
        self.images: set[str] = set()
        self.files: set[str] = set()
        self.aliases: dict[str, str] = {}

    # -- randomness helpers -------------------------------------------------------------------

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def rand_id(self, n: int = 5) -> str:
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))

    def num(self, lo: int, hi: int) -> str:
        return f"{self.rng.randint(lo, hi):,}".replace(",", ".")

    def fill(self, template: str, year: int | None = None) -> str:
        y = year or self.rng.randint(2019, 2026)
        r = self.rng

        def slot(m: re.Match) -> str:
            k = m.group(1)
            if k == "P":
                return self.province if r.random() < 0.8 else r.choice(PROVINCES)
            if k == "D":
                return r.choice(DISTRICTS)
            if k == "A":
                return self.fill(r.choice(AGENCIES), y)
            if k == "ORG":
                return self.fill(
                    r.choice(
                        [
                            "Sở Thông tin và Truyền thông",
                            "Sở",
                            "UBND tỉnh",
                            "Ban Chỉ đạo chuyển đổi số tỉnh",
                            "UBND huyện {D}",
                            "Trung tâm Công nghệ thông tin và Truyền thông",
                            "Hội đồng thẩm định",
                        ]
                    ),
                    y,
                )
            if k == "EV":
                return r.choice(EVENTS)
            if k == "T":
                return r.choice(TOPICS)
            if k == "U":
                return r.choice(UNITS)
            if k == "Y":
                return str(y)
            if k == "Y1":
                return str(y + 1)
            if k == "Y5":
                return str(y + 4)
            if k == "Q":
                return r.choice(["quý I", "quý II", "quý III", "6 tháng đầu", "9 tháng đầu"])
            if k == "K":
                return self.num(120, 48000)
            if k == "K2":
                return self.num(1000, 9000)
            if k == "K3":
                return str(r.randint(3, 95))
            if k == "S":
                return str(r.randint(2, 15))
            if k == "PCT":
                return r.choice([str(r.randint(40, 99)), f"{r.randint(40, 99)},{r.randint(1, 9)}"])
            if k == "R":
                return str(r.randint(2, 30))
            if k == "M":
                return str(r.randint(1, 12))
            if k == "H":
                return r.choice(["6", "9"])
            if k == "DM":
                return f"{r.randint(1, 28)}/{r.randint(1, 12)}"
            if k == "PER":
                return r.choice(PEOPLE)
            if k == "POS":
                return r.choice(POSITIONS)
            if k == "MONEY":
                return f"{r.randint(2, 480)},{r.randint(1, 9)}"
            if k == "VENUE":
                return self.fill(r.choice(VENUES), y)
            if k == "BY":
                return r.choice(BYLINES)
            return m.group(0)

        return re.sub(r"\{(\w+)\}", slot, template)

    def sentence_para(self, year: int, n: int | None = None) -> str:
        n = n or self.rng.randint(1, 4)
        return " ".join(self.fill(self.pick(SENTENCES), year) for _ in range(n))

    # -- site configuration -------------------------------------------------------------------

    def configure(self) -> None:
        r = self.rng
        self.province = r.choice(PROVINCES)
        merged = r.random() < 0.3
        self.site_name = (
            "Sở Khoa học và Công nghệ tỉnh " if merged else "Sở Thông tin và Truyền thông tỉnh "
        ) + self.province
        self.domain_slug = slugify(self.province).replace("-", "")
        c = self.cfg = {}
        c["scheme"] = r.choice(
            [
                "cat_html",
                "tintuc",
                "htm",
                "joomla",
                "pages_aspx",
                "itemid",
                "news_detail",
                "wp_date",
                "baiviet",
                "liferay",
                "wp_p",
            ]
        )
        c["layout"] = r.choice(["html5", "div", "table"])
        c["columns"] = r.choice([1, 2, 2, 3])
        c["pager"] = r.choice(["numbers", "next", "js", "loadmore"])
        c["encoding"] = r.choice(["utf-8"] * 4 + ["cp1258"])
        c["charset_decl"] = (
            r.choice(["header", "meta", "both", "none"])
            if c["encoding"] == "utf-8"
            else r.choice(["meta", "meta", "none"])
        )
        c["nfd"] = c["encoding"] == "utf-8" and r.random() < 0.2
        c["absolute_links"] = r.random() < 0.3
        c["title_tag"] = r.choice(["title-site", "site-title", "site"])
        c["title_el"] = r.choice(
            ["h1", "h2", "div", "span"] + (["td"] if c["layout"] == "table" else [])
        )
        c["title_class"] = r.choice(
            [
                "title",
                "news-title",
                "tieu-de",
                "title-detail",
                "post-title",
                "h-title",
                "art-title",
                self.rand_id(),
            ]
        )
        c["site_h1"] = r.random() < 0.5
        kind = r.choice(["real", "real", "meaningless", "trap"])
        c["body_kind"] = kind
        c["body_class"] = {
            "real": r.choice(REAL_BODY),
            "meaningless": r.choice(MEANINGLESS + [self.rand_id()]),
            "trap": r.choice(TRAP_BODY),
        }[kind]
        c["body_id"] = r.choice(
            [
                None,
                None,
                "content",
                "ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField",
                self.rand_id(),
                "news-body",
            ]
        )
        c["chrome_names"] = r.choice(["real", "neutral", "mixed"])
        c["lead_style"] = r.choice(["none", "bold", "div", "h2", "mixed"])
        c["para_style"] = r.choice(["p", "p", "justify", "div", "br"])
        c["byline_share"] = r.choice([0, 0.5, 0.9])
        c["image_share"] = r.choice([0, 0.4, 0.8])
        c["caption_style"] = r.choice(["figure", "table", "p", "mixed"])
        c["table_share"] = r.choice([0, 0.15, 0.3])
        c["list_share"] = r.choice([0, 0.2, 0.4])
        c["related_after"] = r.choice(
            [
                None,
                "Tin khác",
                "Tin cùng chuyên mục",
                "Các tin đã đưa",
                "Tin liên quan",
                "Các tin khác",
            ]
        )
        c["related_dates"] = r.random() < 0.5
        c["related_in_body"] = r.choice([0, 0, 0.3, 0.7])
        c["kicker_share"] = r.choice([0, 0, 0.3])
        c["tags"] = r.random() < 0.4
        # dates
        primary = r.choices(
            ["visible", "listing", "meta", "jsonld", "utc", "trap"], [55, 12, 9, 9, 8, 7]
        )[0]
        secondary = (
            r.choice(["visible", "listing", "meta", "jsonld", "utc"]) if r.random() < 0.3 else None
        )
        c["date_primary"], c["date_secondary"] = primary, secondary
        c["day_share"] = r.choice([0, 0, 0, 0.3, 1.0])
        c["fmt_time"] = r.choice(DATE_FORMATS_TIME)
        c["fmt_day"] = r.choice(DATE_FORMATS_DAY)
        needs_listing = "listing" in (primary, secondary)
        c["listing_dates"] = (
            r.choice(LISTING_DATE_FORMATS) if (needs_listing or r.random() < 0.5) else None
        )
        c["listing_style"] = r.choice(["items", "items", "ul", "table"])
        c["summaries"] = r.random() < 0.6
        c["meta_dates"] = r.random() < 0.35  # visible-mode articles also carry meta dates
        c["og_article"] = r.random() < 0.6
        c["canonical"] = r.choice([None, "relative", "absolute"])
        c["date_position"] = r.choice(["after", "after", "before"])
        c["views_counter"] = r.random() < 0.6
        c["share_bar"] = r.random() < 0.7
        c["font_tools"] = r.random() < 0.5
        c["rss"] = r.random() < 0.5
        c["rss_all"] = r.random() < 0.5
        c["sitemap"] = r.choice([None, "plain", "partial", "index"])
        c["robots"] = r.choice([None, "plain", "sitemap"])
        c["sidebar_dates"] = r.random() < 0.4
        c["per_page"] = None
        c["extras"] = sorted(
            r.sample(
                ["static", "tags", "search", "docs", "faq", "drafts", "notice"], r.randint(2, 7)
            )
        )
        if "static" not in c["extras"] and r.random() < 0.7:
            c["extras"] = sorted([*c["extras"], "static"])
        c["liferay_ids"] = []
        alias = r.choice([None, None, "tracking", "print", "shortlink"])
        if alias == "shortlink" and c["scheme"] != "wp_date":
            alias = "itemid" if c["scheme"] == "joomla" else "tracking"
        c["alias"] = alias
        c["home_redirect"] = (
            r.choice(
                ["/trang-chu", "/web/guest/trang-chu", "/Pages/Home.aspx", "/portal/home.aspx"]
            )
            if r.random() < 0.15
            else None
        )

    # -- URL schemes --------------------------------------------------------------------------

    def art_path(self, a: _Art) -> str:
        s, cat = self.cfg["scheme"], self.cats[a.cat]
        if s == "cat_html":
            return f"/{cat[1]}/{a.slug}-{a.aid}.html"
        if s == "tintuc":
            return f"/tin-tuc/{a.slug}-{a.aid}.html"
        if s == "htm":
            return f"/{a.slug}-{a.aid}.htm"
        if s == "joomla":
            return f"/index.php?option=com_content&view=article&id={a.aid}&catid={a.cat + 8}"
        if s == "pages_aspx":
            return f"/Pages/{a.slug}-{a.aid}.aspx"
        if s == "itemid":
            return f"/default.aspx?ItemID={a.aid}"
        if s == "news_detail":
            return f"/news/detail/{a.aid}"
        if s == "wp_date":
            return f"/{a.dt:%Y}/{a.dt:%m}/{a.dt:%d}/{a.slug}/"
        if s == "baiviet":
            return f"/bai-viet/{a.slug}"
        if s == "liferay":
            return f"/-/asset_publisher/{self.cfg['liferay_ids'][a.cat]}/content/{a.slug}"
        return f"/?p={a.aid}"

    def list_path(self, ci: int, n: int) -> str:
        s, slug, v = self.cfg["scheme"], self.cats[ci][1], self.cfg["pager_variant"]
        cid = ci + 8
        if s in ("cat_html", "tintuc", "htm"):
            base = {
                "cat_html": f"/{slug}/",
                "tintuc": f"/chuyen-muc/{slug}.html",
                "htm": f"/{slug}.htm",
            }[s]
            if n == 1:
                return base
            if v == 0:
                return f"{base}?page={n}"
            return {
                "cat_html": f"/{slug}/trang-{n}.html",
                "tintuc": f"/chuyen-muc/{slug}/trang-{n}.html",
                "htm": f"/{slug}/trang-{n}.htm",
            }[s]
        if s == "joomla":
            base = f"/index.php?option=com_content&view=category&id={cid}"
            return base if n == 1 else f"{base}&p={n}"
        if s == "pages_aspx":
            return f"/Pages/{slug}.aspx" + ("" if n == 1 else f"?page={n}")
        if s == "itemid":
            return f"/default.aspx?CatID={cid}" + ("" if n == 1 else f"&p={n}")
        if s == "news_detail":
            return f"/news/{slug}" + ("" if n == 1 else f"/{n}")
        if s == "wp_date":
            return f"/category/{slug}/" + ("" if n == 1 else f"page/{n}/")
        if s == "baiviet":
            return f"/chuyen-muc/{slug}" + ("" if n == 1 else f"?page={n}")
        if s == "liferay":
            return f"/web/guest/{slug}" + ("" if n == 1 else f"?_cur={n}")
        return f"/?cat={cid}" + ("" if n == 1 else f"&paged={n}")

    def static_path(self, key: str) -> str:
        s = self.cfg["scheme"]
        if s == "joomla":
            return f"/index.php?option=com_content&view=article&id={self.static_ids[key]}&catid=2"
        if s in ("pages_aspx",):
            return f"/Pages/{key}.aspx"
        if s == "itemid":
            return f"/default.aspx?PageID={self.static_ids[key]}"
        if s in ("wp_date", "wp_p"):
            return f"/{key}/"
        if s == "liferay":
            return f"/web/guest/{key}"
        if s in ("news_detail", "baiviet"):
            return f"/{key}"
        return f"/{key}.html"

    def href(self, path: str) -> str:
        if self.cfg["absolute_links"] and self.rng.random() < 0.7:
            return BASE_TOKEN + path
        return path

    # -- content ------------------------------------------------------------------------------

    def make_articles(self) -> None:
        r, c = self.rng, self.cfg
        n = r.randint(15, 60)
        k = r.randint(1, min(4, n // 7))
        while True:
            per = r.randint(5, 20)
            if per + 1 <= n // k and -(-n // per) <= 8 * k:
                break
        # per-category counts: each between per+1 and 8*per
        counts = [per + 1] * k
        rest = n - sum(counts)
        while rest > 0:
            i = r.randrange(k)
            if counts[i] < 8 * per:
                counts[i] += 1
                rest -= 1
        c["per_page"], c["n_articles"], c["cat_counts"] = per, n, counts
        c["pager_variant"] = r.randint(0, 1)
        self.cats = r.sample(CATEGORIES, k)
        c["liferay_ids"] = [
            self.rand_id(4).upper() + "".join(r.choice("0123456789abcdefgh") for _ in range(8))
            for _ in range(k)
        ]
        self.static_ids = {key: 2 + i for i, key in enumerate(STATIC_TITLES)}
        # dates: newest first, spread over a random span
        span_days = r.randint(60, 2200)
        stamps: set[datetime] = set()
        while len(stamps) < n:
            d = TODAY - timedelta(days=r.randint(1, span_days))
            stamps.add(d.replace(hour=r.randint(7, 17), minute=r.randint(0, 59), second=0))
        dts = sorted(stamps, reverse=True)
        cat_of = [i for i, cnt in enumerate(counts) for _ in range(cnt)]
        r.shuffle(cat_of)
        titles: set[str] = set()
        slugs: set[str] = set()
        ids: set[int] = set()
        self.arts: list[_Art] = []
        for i in range(n):
            dt = dts[i]
            while True:
                t = self.fill(r.choice(VERB_TITLES), dt.year)
                t = t[0].upper() + t[1:]
                if (
                    6 <= len(t.split()) <= 20
                    and t not in titles
                    and not any(t in o or o in t for o in titles)
                ):
                    break
            titles.add(t)
            slug = slugify(t)
            slug = "-".join(slug.split("-")[: r.randint(6, 14)])
            while slug in slugs:
                slug += "-" + str(r.randint(2, 9))
            slugs.add(slug)
            aid = r.randint(1000, 99999) if c["scheme"] != "joomla" else r.randint(100, 9999)
            while aid in ids:
                aid += 1
            ids.add(aid)
            mode = c["date_primary"]
            if c["date_secondary"] and r.random() < 0.25:
                mode = c["date_secondary"]
            precision = "day" if r.random() < c["day_share"] else "minute"
            if mode in ("utc", "trap"):
                precision = "minute"
            if mode == "listing" and not has_time(c["listing_dates"][0]):
                precision = "day"
            a = _Art(i, aid, cat_of[i], t, slug, dt, precision, mode, [], None)
            a.views = r.randint(15, 9000)
            if mode == "trap":
                a.edit_dt = dt + timedelta(hours=r.randint(2, 400), minutes=r.randint(1, 59))
            if mode in ("visible", "trap"):
                a.fmt = c["fmt_time"] if precision == "minute" else c["fmt_day"]
            self.make_body(a)
            if c["kicker_share"] and r.random() < c["kicker_share"]:
                a.kicker = r.choice(KICKERS)
            a.path = self.art_path(a)
            self.arts.append(a)
        self.by_cat = [[a for a in self.arts if a.cat == ci] for ci in range(k)]
        if c["tags"]:
            self.tag_names = r.sample(TOPICS, r.randint(3, 6))
            for a in self.arts:
                a.tags = r.sample(range(len(self.tag_names)), r.randint(1, 2))

    def make_body(self, a: _Art) -> None:
        r, c, y = self.rng, self.cfg, a.dt.year
        blocks: list[tuple] = []
        ls = c["lead_style"]
        if ls == "mixed":
            ls = r.choice(["none", "bold", "div", "h2"])
        if ls != "none":
            a.lead = self.sentence_para(y, r.randint(1, 2))
            blocks.append(("lead", a.lead, ls))
        n_par = r.randint(3, 12) - (1 if a.lead else 0)
        n_par = max(n_par, 2)
        img_at = r.randint(0, min(2, n_par - 1)) if r.random() < c["image_share"] else None
        table_at = r.randint(1, n_par - 1) if r.random() < c["table_share"] else None
        list_at = r.randint(1, n_par - 1) if r.random() < c["list_share"] else None
        for i in range(n_par):
            if i == img_at:
                cs = (
                    c["caption_style"]
                    if c["caption_style"] != "mixed"
                    else r.choice(["figure", "table", "p"])
                )
                cap = self.fill(r.choice(IMAGE_CAPTIONS), y)
                src = f"/uploads/news/{a.dt:%Y_%m}/{self.rand_id(8)}.jpg"
                self.images.add(src)
                blocks.append(("img", src, cap, cs))
            blocks.append(("p", self.sentence_para(y)))
            if i == table_at:
                head = r.choice(TABLE_HEADERS)
                rows = [head]
                for j in range(r.randint(2, 5)):
                    if head[1] == "Chỉ tiêu":
                        rows.append(
                            [
                                str(j + 1),
                                self.fill("{T}", y).capitalize(),
                                self.num(10, 900),
                                self.num(10, 900),
                            ]
                        )
                    else:
                        rows.append(
                            [
                                str(j + 1),
                                ("Huyện " if head[1] != "Đơn vị" else "") + r.choice(DISTRICTS),
                                self.num(12, 4000),
                                f"{r.randint(40, 99)},{r.randint(0, 9)}",
                            ]
                        )
                blocks.append(("table", rows))
            if i == list_at:
                items = [self.fill(t, y) for t in r.sample(LIST_ITEMS, r.randint(2, 5))]
                blocks.append(("list", items, r.choice(["ul", "ol"])))
        a.blocks = blocks
        if r.random() < c["byline_share"]:
            a.author = r.choice(BYLINES + PEOPLE[:6])

    def gold_paragraphs(self, a: _Art) -> list[str]:
        out: list[str] = []
        for b in a.blocks:
            if b[0] in ("lead", "p"):
                out.append(norm(b[1]))
            elif b[0] == "table":
                out.extend(norm(" | ".join(row)) for row in b[1])
            elif b[0] == "list":
                out.extend(norm(x) for x in b[1])
        return out

    # -- rendering pieces ---------------------------------------------------------------------

    def cls(self, role: str) -> str:
        mode = self.cfg["chrome_names"]
        if mode == "real" or (mode == "mixed" and self.rng.random() < 0.5):
            return self.rng.choice(CHROME_REAL[role])
        return self.rng.choice(
            MEANINGLESS[:6] + [self.rand_id(), "box", "bx-" + str(self.rng.randint(1, 9))]
        )

    def boil(self, s: str) -> str:
        self.boiler.add(norm(s))
        return s

    def inline(self, text: str) -> str:
        """Escape a paragraph, sometimes wrapping a few words in inline markup."""
        if self.rng.random() < 0.2:
            words = text.split(" ")
            if len(words) > 6:
                i = self.rng.randint(0, len(words) - 4)
                j = i + self.rng.randint(1, 3)
                tag = self.rng.choice(["strong", "em", "b", "span"])
                return f"{esc(' '.join(words[:i]))} <{tag}>{esc(' '.join(words[i:j]))}</{tag}> {esc(' '.join(words[j:]))}".strip()
        if self.rng.random() < 0.05:
            return esc(text).replace(" ", "&nbsp;", 1)
        return esc(text)

    def date_text(self, a: _Art, fmt_pair: tuple[str, str]) -> str:
        return fmt_date(fmt_pair[0] if a.precision == "minute" else fmt_pair[1], a.dt)

    def link_list(self, arts: list[_Art], dates: bool, ul_class: str | None = None) -> str:
        fmt = self.cfg["listing_dates"] or ("{d:02d}/{m:02d}/{Y}", "{d:02d}/{m:02d}/{Y}")
        items = []
        for a in arts:
            d = f' <span class="date">{esc(self.date_text(a, fmt))}</span>' if dates else ""
            items.append(
                f'<li><a href="{esc(self.alink(a, "box"))}" title="{esc(a.title)}">{esc(a.title)}</a>{d}</li>'
            )
        return f'<ul class="{ul_class or self.cls("rel")}">' + "".join(items) + "</ul>"

    def alink(self, a: _Art, where: str) -> str:
        """The href of a link to article `a` from a box or the home page (sometimes an alias URL)."""
        al = self.cfg["alias"]
        if al in ("tracking", "itemid") and self.rng.random() < 0.5:
            sep = "&" if "?" in a.path else "?"
            alias = a.path + sep + (f"ref={where}" if al == "tracking" else f"Itemid={101 + a.cat}")
            self.aliases[alias] = a.path
            return self.href(alias)
        return self.href(a.path)

    def box(self, title: str, inner: str, role: str = "side") -> str:
        self.boil(title)
        ht = self.pick(["h3", "h4", "div", "span"])
        return f'<div class="{self.cls(role)}"><{ht} class="{self.pick(["title", "box-title", "hd", self.rand_id(3)])}">{esc(title)}</{ht}>{inner}</div>'

    def sidebar(self, exclude: _Art | None = None) -> str:
        r = self.rng
        parts = []
        latest = [a for a in self.arts if a is not exclude][: r.randint(5, 10)]
        parts.append(
            self.box(
                self.pick(["Tin mới", "Tin mới nhất", "Tin mới cập nhật"]),
                self.link_list(latest, self.cfg["sidebar_dates"]),
            )
        )
        if r.random() < 0.7:
            pool = [a for a in self.arts if a is not exclude]
            parts.append(
                self.box(
                    self.pick(["Tin đọc nhiều", "Tin tiêu điểm", "Tin nổi bật"]),
                    self.link_list(r.sample(pool, min(len(pool), r.randint(5, 10))), False),
                )
            )
        if r.random() < 0.6:
            banners = "".join(
                f'<a href="{u}" target="_blank"><img src="/images/banner/{slugify(t)}.png" alt="{esc(t)}"></a>'
                for u, t in r.sample(EXTERNAL, 3)
            )
            parts.append(
                f'<div class="{self.pick(["banner", "adv", "lien-ket", self.rand_id()])}">{banners}</div>'
            )
        if r.random() < 0.5:
            monday = TODAY - timedelta(days=TODAY.weekday())
            sunday = monday + timedelta(days=6)
            line = self.boil(
                f"Tuần {monday.isocalendar()[1]}: từ ngày {monday:%d/%m/%Y} đến ngày {sunday:%d/%m/%Y}"
            )
            lk = self.static_path("lich-cong-tac") if "static" in self.cfg["extras"] else "#"
            parts.append(
                self.box(
                    "Lịch công tác",
                    f'<p>{esc(line)}</p><a href="{esc(lk)}">{esc(self.boil("Xem lịch công tác tuần"))}</a>',
                )
            )
        if "search" in self.cfg["extras"] and r.random() < 0.8:
            parts.append(
                self.box(
                    "Từ khóa nổi bật",
                    "".join(
                        f'<a href="{esc(self.search_path(t))}">{esc(t)}</a> '
                        for t in self.search_terms
                    ),
                )
            )
        if r.random() < 0.7:
            self.boil("Số lượt truy cập")
            parts.append(
                self.box(
                    "Thống kê truy cập",
                    f"<p>Đang trực tuyến: {r.randint(3, 90)}</p><p>Số lượt truy cập: {self.num(100000, 9000000)}</p>",
                )
            )
        return "".join(parts)

    def menu(self) -> str:
        items = [f'<li><a href="{esc(self.href("/"))}">Trang chủ</a></li>']
        if "static" in self.cfg["extras"]:
            sub = "".join(
                f'<li><a href="{esc(self.href(self.static_path(k)))}">{esc(STATIC_TITLES[k])}</a></li>'
                for k in ("gioi-thieu", "chuc-nang-nhiem-vu", "co-cau-to-chuc")
            )
            items.append(
                f'<li><a href="{esc(self.href(self.static_path("gioi-thieu")))}">Giới thiệu</a><ul>{sub}</ul></li>'
            )
        sub = "".join(
            f'<li><a href="{esc(self.href(self.list_path(i, 1)))}">{esc(c[0])}</a></li>'
            for i, c in enumerate(self.cats)
        )
        if len(self.cats) > 1 and self.rng.random() < 0.5:
            items.append(
                f'<li><a href="{esc(self.href(self.list_path(0, 1)))}">Tin tức</a><ul>{sub}</ul></li>'
            )
        else:
            items.append(sub)
        for _key, label, path in self.extra_menu:
            items.append(f'<li><a href="{esc(self.href(path))}">{esc(label)}</a></li>')
        if "static" in self.cfg["extras"]:
            items.append(
                f'<li><a href="{esc(self.href(self.static_path("lien-he")))}">Liên hệ</a></li>'
            )
        return "<ul>" + "".join(items) + "</ul>"

    def footer(self) -> str:
        r = self.rng
        lines = self.footer_lines
        return "".join(f"<p>{esc(x)}</p>" for x in lines) + (
            f"<p>{esc(self.boil('Ghi rõ nguồn khi phát hành lại thông tin từ website này'))}</p>"
            if r.random() < 0.5
            else ""
        )

    def make_footer_lines(self) -> None:
        r = self.rng
        lines = [
            f"Cơ quan chủ quản: {self.site_name}",
            f"Địa chỉ: Số {r.randint(1, 300)}, đường {r.choice(PEOPLE)}, phường {r.choice(DISTRICTS)}, tỉnh {self.province}",
            f"Điện thoại: 0{r.randint(203, 299)}.{r.randint(3800000, 3899999)} - Email: so@{self.domain_slug}.gov.vn",
            f"Chịu trách nhiệm chính: {r.choice(PEOPLE)} - Giám đốc Sở",
        ]
        if r.random() < 0.5:
            d = TODAY - timedelta(days=r.randint(400, 3000))
            lines.append(
                f"Giấy phép số {r.randint(1, 99)}/GP-TTĐT do Bộ Thông tin và Truyền thông cấp ngày {d:%d/%m/%Y}"
            )
        lines.append(f"© Bản quyền thuộc về {self.site_name}")
        self.footer_lines = lines
        for x in lines:
            self.boil(x)

    def head(self, title: str, extra: str = "") -> str:
        c = self.cfg
        charset = ""
        enc_name = "utf-8" if c["encoding"] == "utf-8" else "windows-1258"
        if c["charset_decl"] in ("meta", "both"):
            charset = self.pick(
                [
                    f'<meta charset="{enc_name}">',
                    f'<meta http-equiv="Content-Type" content="text/html; charset={enc_name}">',
                ]
            )
        feed = (
            f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{esc(self.href(self.rss_path))}">'
            if c["rss"]
            else ""
        )
        return f'<head>{charset}<title>{esc(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/css/style.css">{feed}{extra}<script>var _gaq=_gaq||[];function gotoPage(n){{return false;}}</script></head>'

    def page_title(self, title: str | None) -> str:
        if not title:
            return self.site_name
        t = self.cfg["title_tag"]
        return {
            "title-site": f"{title} - {self.site_name}",
            "site-title": f"{self.site_name} | {title}",
            "site": self.site_name,
        }[t]

    def layout(
        self,
        title: str | None,
        main: str,
        head_extra: str = "",
        crumbs: list[tuple[str, str]] | None = None,
        exclude: _Art | None = None,
    ) -> str:
        c, r = self.cfg, self.rng
        crumb = ""
        if crumbs is not None:
            trail = [("/", "Trang chủ"), *crumbs]
            sep = self.pick([" » ", " / ", " > "])
            crumb = (
                f'<div class="{self.pick(["breadcrumb", "path", "duong-dan", self.rand_id()])}">'
                + sep.join(f'<a href="{esc(self.href(p))}">{esc(t)}</a>' for p, t in trail)
                + "</div>"
            )
        logo = f'<a href="{esc(self.href("/"))}"><img src="/images/logo.png" alt="{esc(self.site_name)}"></a>'
        site = (
            f"<h1>{esc(self.site_name)}</h1>"
            if c["site_h1"]
            else f'<div class="{self.pick(["site-name", "ten-don-vi", self.rand_id()])}">{esc(self.site_name)}</div>'
        )
        header_inner = (
            logo
            + site
            + (
                f'<div class="{self.pick(["tools", "top-bar"])}">{esc(self.boil(self.date_bar))}</div>'
                if self.date_bar
                else ""
            )
        )
        menu = self.menu()
        side = self.sidebar(exclude)
        side2 = self.sidebar(exclude) if c["columns"] == 3 else ""
        foot = self.footer()
        head = self.head(self.page_title(title), head_extra)
        if c["layout"] == "html5":
            cols = f'<main class="{self.pick(["main", "content", "col-md-8", "primary"])}">{crumb}{main}</main>'
            if c["columns"] == 1:
                body = f'{cols}<section class="{self.cls("side")}">{side}</section>'
            elif c["columns"] == 2:
                body = f'{cols}<aside class="{self.cls("side")}">{side}</aside>'
            else:
                body = f'<aside class="{self.cls("side")}">{side2}</aside>{cols}<aside class="{self.cls("side")}">{side}</aside>'
            page = f'<header class="{self.cls("head")}">{header_inner}</header><nav class="{self.cls("menu")}">{menu}</nav><div class="{self.pick(["container", "wrapper", "wrap-a"])}">{body}</div><footer class="{self.cls("foot")}">{foot}</footer>'
        elif c["layout"] == "div":
            mc = self.pick(["col-md-8", "c7", "main-col", "kh2", self.rand_id()])
            cols = f'<div class="{mc}">{crumb}{main}</div>'
            if c["columns"] == 1:
                body = f'{cols}<div class="{self.cls("side")}">{side}</div>'
            elif c["columns"] == 2:
                body = (
                    f'{cols}<div class="{self.cls("side")}">{side}</div>'
                    if r.random() < 0.7
                    else f'<div class="{self.cls("side")}">{side}</div>{cols}'
                )
            else:
                body = f'<div class="{self.cls("side")}">{side2}</div>{cols}<div class="{self.cls("side")}">{side}</div>'
            page = f'<div id="{self.rand_id()}"><div class="{self.cls("head")}">{header_inner}</div><div class="{self.cls("menu")}">{menu}</div><div class="{self.pick(["row", "body-wrap", "x-blk-3"])}">{body}</div><div class="{self.cls("foot")}">{foot}</div></div>'
        else:
            vs = "".join(
                r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                for _ in range(r.randint(80, 400))
            )
            tds = f'<td valign="top" class="{self.pick(["main", "tdContent", "c7"])}">{crumb}{main}</td>'
            if c["columns"] == 2:
                tds = tds + f'<td width="260" valign="top">{side}</td>'
            elif c["columns"] == 3:
                tds = f'<td width="220" valign="top">{side2}</td>{tds}<td width="240" valign="top">{side}</td>'
            bottom = f"<tr><td>{side}</td></tr>" if c["columns"] == 1 else ""
            page = (
                f'<form name="aspnetForm" method="post" action="./default.aspx" id="form1"><div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEP{vs}="><input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value=""></div>'
                f'<table width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td class="{self.cls("head")}">{header_inner}</td></tr><tr><td class="{self.cls("menu")}">{menu}</td></tr>'
                f'<tr><td><table width="100%" cellpadding="0" cellspacing="0"><tr>{tds}</tr></table></td></tr>{bottom}<tr><td class="{self.cls("foot")}">{foot}</td></tr></table></form>'
            )
        return f'<!DOCTYPE html>\n<html lang="vi">{head}<body>\n{page}\n</body></html>'

    # -- emit -------------------------------------------------------------------------------

    def encode_html(self, text: str) -> tuple[bytes, str]:
        c = self.cfg
        if c["nfd"]:
            text = unicodedata.normalize("NFD", text)
        if c["encoding"] == "utf-8":
            body = text.encode("utf-8")
            ct = (
                "text/html; charset=utf-8"
                if c["charset_decl"] in ("header", "both")
                else "text/html"
            )
        else:
            body = encode_cp1258(text)
            ct = "text/html"
        return body, ct

    def emit(self, path: str, text: str, kind: str | None) -> None:
        body, ct = self.encode_html(text)
        self.pages[path] = Page(200, ct, body)
        if kind:
            self.non_articles[path] = kind

    # -- pages ------------------------------------------------------------------------------

    def render_body(self, a: _Art) -> tuple[str, str]:
        """(HTML before the body container, body container HTML)."""
        r, c = self.rng, self.cfg
        before = ""
        parts = []
        ps = c["para_style"]
        br_buf: list[str] = []

        def flush_br():
            if br_buf:
                parts.append(
                    "<div>" + "<br><br>".join(br_buf) + "</div>"
                    if r.random() < 0.5
                    else "<p>" + "<br>\n<br>\n".join(br_buf) + "</p>"
                )
                br_buf.clear()

        for b in a.blocks:
            kind = b[0]
            if kind == "lead":
                style = b[2]
                if style == "bold":
                    parts.append(f"<p><strong>{esc(b[1])}</strong></p>")
                elif style == "div":
                    before += f'<div class="{self.pick(["sapo", "summary", "lead", "mota", "news-lead", self.rand_id()])}">{esc(b[1])}</div>'
                else:
                    before += f'<h2 class="{self.pick(["sapo", "lead", "desc", self.rand_id()])}">{esc(b[1])}</h2>'
            elif kind == "p":
                if ps == "br":
                    br_buf.append(self.inline(b[1]))
                    continue
                tag = {"p": "<p>", "justify": '<p style="text-align: justify;">', "div": "<div>"}[
                    ps
                ]
                end = "</div>" if ps == "div" else "</p>"
                parts.append(f"{tag}{self.inline(b[1])}{end}")
            else:
                flush_br()
                if kind == "img":
                    _, src, cap, cs = b
                    img = f'<img src="{src}" alt="{esc(cap) if r.random() < 0.3 else ""}" width="{r.choice([600, 640, 800])}">'
                    if cs == "figure":
                        parts.append(
                            f'<figure class="{self.pick(["image", "expNoEdit", "tplCaption"])}">{img}<figcaption>{esc(cap)}</figcaption></figure>'
                        )
                    elif cs == "table":
                        parts.append(
                            f'<table class="{self.pick(["image center", "tplCaption", "picture"])}" align="center"><tbody><tr><td>{img}</td></tr><tr><td class="{self.pick(["image_caption", "caption", "desc"])}"><em>{esc(cap)}</em></td></tr></tbody></table>'
                        )
                    else:
                        parts.append(
                            f'<p style="text-align: center;">{img}</p><p style="text-align: center;"><em>{esc(cap)}</em></p>'
                        )
                elif kind == "table":
                    rows = []
                    for i, row in enumerate(b[1]):
                        if i == 0 and r.random() < 0.5:
                            rows.append(
                                "<tr>" + "".join(f"<th>{esc(x)}</th>" for x in row) + "</tr>"
                            )
                        elif i == 0:
                            rows.append(
                                "<tr>"
                                + "".join(f"<td><strong>{esc(x)}</strong></td>" for x in row)
                                + "</tr>"
                            )
                        else:
                            rows.append(
                                "<tr>" + "".join(f"<td>{esc(x)}</td>" for x in row) + "</tr>"
                            )
                    parts.append(
                        f'<table border="1" cellpadding="4" class="{self.pick(["table", "MsoTableGrid", "data"])}"><tbody>{"".join(rows)}</tbody></table>'
                    )
                elif kind == "list":
                    parts.append(
                        f"<{b[2]}>" + "".join(f"<li>{esc(x)}</li>" for x in b[1]) + f"</{b[2]}>"
                    )
        flush_br()
        if a.author:
            st = r.choice(["right", "right-em", "tacgia", "label"])
            if st == "right":
                parts.append(f'<p style="text-align: right;"><strong>{esc(a.author)}</strong></p>')
            elif st == "right-em":
                parts.append(f'<p align="right"><em>{esc(a.author)}</em></p>')
            elif st == "tacgia":
                parts.append(
                    f'<div class="{self.pick(["tacgia", "author", "news-author"])}">{esc(a.author)}</div>'
                )
            else:
                parts.append(
                    f'<p class="{self.pick(["author", "signature", self.rand_id()])}">Tác giả: {esc(a.author)}</p>'
                )
        if c["related_in_body"] and r.random() < c["related_in_body"]:
            others = r.sample(
                [o for o in self.arts if o is not a], min(len(self.arts) - 1, r.randint(2, 4))
            )
            if r.random() < 0.5:
                parts.append(
                    f"<p><strong>{esc(self.boil('Tin liên quan:'))}</strong></p>"
                    + "<ul>"
                    + "".join(
                        f'<li><a href="{esc(self.href(o.path))}">{esc(o.title)}</a></li>'
                        for o in others
                    )
                    + "</ul>"
                )
            else:
                parts.extend(
                    f'<p>&gt;&gt; <a href="{esc(self.href(o.path))}">{esc(o.title)}</a></p>'
                    for o in others
                )
        bid = f' id="{c["body_id"]}"' if c["body_id"] else ""
        return before, f'<div class="{c["body_class"]}"{bid}>\n' + "\n".join(parts) + "\n</div>"

    def article_page(self, a: _Art) -> None:
        r, c = self.rng, self.cfg
        head = []
        iso = (
            f"{a.dt:%Y-%m-%dT%H:%M}:00+07:00"
            if a.precision == "minute"
            else f"{a.dt:%Y-%m-%d}T00:00:00+07:00"
        )
        utc = (a.dt - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:00Z")
        if c["og_article"]:
            head.append('<meta property="og:type" content="article">')
            head.append(f'<meta property="og:title" content="{esc(a.title)}">')
        if a.lead and r.random() < 0.7:
            head.append(f'<meta name="description" content="{esc(a.lead)}">')
        if c["canonical"] == "relative":
            head.append(f'<link rel="canonical" href="{esc(a.path)}">')
        elif c["canonical"] == "absolute":
            head.append(f'<link rel="canonical" href="{esc(BASE_TOKEN + a.path)}">')
        meta_val = None
        if a.mode == "meta" or (a.mode == "visible" and c["meta_dates"]):
            meta_val = iso
        if a.mode == "utc":
            meta_val = utc
        if meta_val and (a.mode != "utc" or r.random() < 0.5):
            head.append(f'<meta property="article:published_time" content="{meta_val}">')
        elif a.mode in ("jsonld", "utc") or (meta_val and a.mode == "utc"):
            dp = {"jsonld": iso if a.precision == "minute" else f"{a.dt:%Y-%m-%d}", "utc": utc}[
                a.mode if a.mode != "visible" else "jsonld"
            ]
            ld = {
                "@context": "https://schema.org",
                "@type": r.choice(["NewsArticle", "Article"]),
                "headline": a.title,
                "datePublished": dp,
                "publisher": {"@type": "Organization", "name": self.site_name},
            }
            if r.random() < 0.5:
                ld["dateModified"] = (
                    a.dt + timedelta(days=r.randint(0, 30), hours=r.randint(1, 5))
                ).strftime("%Y-%m-%dT%H:%M:00+07:00")
            head.append(
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            )
        if a.mode == "trap" and r.random() < 0.5:
            head.append(
                f'<meta property="article:modified_time" content="{a.edit_dt:%Y-%m-%dT%H:%M}:00+07:00">'
            )

        # title block
        te = c["title_el"]
        tc = c["title_class"]
        title_html = (
            f'<{te} class="{tc}">{esc(a.title)}</{te}>'
            if te != "td"
            else f'<table width="100%"><tr><td class="{tc}">{esc(a.title)}</td></tr></table>'
        )
        kicker = (
            f'<div class="{self.pick(["kicker", "sub-title", "supertitle", self.rand_id()])}">{esc(a.kicker)}</div>'
            if a.kicker
            else ""
        )
        views = ""
        if c["views_counter"] and "Số lượt xem" not in a.fmt:
            label = self.boil(self.pick(["Lượt xem:", "Số lượt xem:", "Lượt xem"]))
            views = f'<span class="{self.pick(["view", "luot-xem", "hits", self.rand_id()])}">{esc(label)} {a.views}</span>'
        if "Số lượt xem" in a.fmt:
            self.boil("Số lượt xem:")
        date_html = ""
        if a.mode in ("visible", "trap"):
            date_html = f'<span class="{self.pick(["date", "time", "ngay-dang", "post-date", self.rand_id()])}">{esc(fmt_date(a.fmt, a.dt, a.views))}</span>'
        if a.mode == "trap":
            hidden = f"{a.edit_dt:%Y-%m-%dT%H:%M}:00+07:00"
            style = ' style="display:none"' if r.random() < 0.5 else ""
            date_html += f'<span class="hidden" itemprop="datePublished"{style}>{hidden}</span>'
        meta_line = (
            f'<div class="{self.pick(["meta", "info", "date-view", "post-meta", self.rand_id()])}">{date_html} {views}</div>'
            if (date_html or views)
            else ""
        )
        tools = ""
        if c["font_tools"]:
            tools += f'<span class="{self.pick(["font-size", "tool", self.rand_id()])}">{esc(self.boil("Cỡ chữ:"))} <a href="javascript:void(0)" onclick="fs(-1)">A-</a> <a href="javascript:void(0)" onclick="fs(1)">A+</a></span>'
        if c["share_bar"]:
            share = (
                self.boil(self.pick(["Chia sẻ bài viết:", "Chia sẻ:", "Share:"]))
                if r.random() < 0.7
                else ""
            )
            if share:
                self.boil(share)
            tools += f'<div class="{self.pick(["share", "social", "mxh", self.rand_id()])}">{esc(share)} <a href="https://www.facebook.com/sharer/sharer.php?u={BASE_TOKEN}{esc(a.path)}">Facebook</a> <a href="https://zalo.me/share">Zalo</a> <a href="javascript:window.print()">{esc(self.boil("In bài viết"))}</a> <a href="mailto:?subject={esc(slugify(a.title))}">{esc(self.boil("Gửi email"))}</a></div>'
        if c["alias"] == "print":
            ppath = a.path + ("&" if "?" in a.path else "?") + "print=1"
            tools += f'<a class="{self.pick(["print", "in-bai", self.rand_id()])}" href="{esc(ppath)}" target="_blank">{esc(self.boil("Bản in"))}</a>'
        if c["alias"] == "shortlink":
            short = f"/?p={a.aid}"
            head.append(f'<link rel="shortlink" href="{esc(BASE_TOKEN + short)}">')
            tools += f'<span class="{self.pick(["shortlink", self.rand_id()])}">{esc(self.boil("Link rút gọn:"))} <a href="{esc(short)}">{esc(BASE_TOKEN + short)}</a></span>'
            self.aliases[short] = a.path
        before_body, body = self.render_body(a)
        tags = ""
        if a.tags:
            tags = (
                f'<div class="{self.pick(["tags", "tu-khoa", self.rand_id()])}">{esc(self.boil("Từ khóa:"))} '
                + ", ".join(
                    f'<a href="{esc(self.href(self.tag_path(t)))}">{esc(self.tag_names[t])}</a>'
                    for t in a.tags
                )
                + "</div>"
            )
        related = ""
        if c["related_after"]:
            same = [o for o in self.by_cat[a.cat] if o is not a]
            older = [o for o in same if o.dt < a.dt][: r.randint(4, 8)] or same[:5]
            related = self.box(c["related_after"], self.link_list(older, c["related_dates"]), "rel")
        comment = ""
        if r.random() < 0.2:
            comment = f'<div class="{self.pick(["comment", "y-kien", self.rand_id()])}"><h4>{esc(self.boil("Ý kiến bạn đọc"))}</h4><textarea name="comment"></textarea><button type="button">{esc(self.boil("Gửi ý kiến"))}</button></div>'
        if c["date_position"] == "before":
            top = f"{meta_line}{kicker}{title_html}"
        else:
            top = f"{kicker}{title_html}{meta_line}"
        main = f'<div class="{self.pick(["detail", "article", "news-detail-wrap", "post", self.rand_id()])}">{top}{tools if r.random() < 0.6 else ""}{before_body}{body}{tags}</div>{tools if c["share_bar"] and r.random() < 0.3 else ""}{related}{comment}'
        if c["layout"] == "html5" and r.random() < 0.7:
            main = f"<article>{main}</article>"
        cat = self.cats[a.cat]
        if c["alias"] == "print":
            doc = f'<!DOCTYPE html>\n<html lang="vi">{self.head(self.page_title(a.title), "".join(head))}<body onload="window.print()"><div class="{self.pick(["print-page", "wrap-print", self.rand_id()])}">{top}{before_body}{body}</div></body></html>'
            self.emit(ppath, doc, None)
            self.aliases[ppath] = a.path
        self.emit(
            a.path,
            self.layout(
                a.title, main, "".join(head), [(self.list_path(a.cat, 1), cat[0])], exclude=a
            ),
            None,
        )

    def summary(self, a: _Art) -> str:
        """About 40 words from the start of the article, as listings print them."""
        words: list[str] = []
        for b in a.blocks:
            if b[0] in ("lead", "p"):
                words += b[1].split()
            if len(words) >= 40:
                break
        return " ".join(words[:40]) + (" ..." if len(words) > 40 else "")

    def entries(
        self,
        arts: list[_Art],
        summaries: bool,
        dates: bool,
        style: str | None = None,
        where: str | None = None,
    ) -> str:
        r, c = self.rng, self.cfg
        style = style or c["listing_style"]
        fmt = c["listing_dates"]
        out = []
        for i, a in enumerate(arts):
            h = esc(self.alink(a, where) if where else self.href(a.path))
            d = esc(self.date_text(a, fmt)) if (dates and fmt) else ""
            summ = esc(self.summary(a)) if summaries else ""
            dcls = self.pick(["date", "time", "ngay"])
            dtd = f'<td class="date" nowrap>{d}</td>' if d else ""
            dspan = f'<span class="{dcls}">{d}</span>' if d else ""
            if style == "table":
                out.append(
                    f'<tr><td><a href="{h}">{esc(a.title)}</a>{f"<br>{summ}" if summ else ""}</td>{dtd}</tr>'
                )
            elif style == "ul":
                out.append(
                    f'<li><a href="{h}">{esc(a.title)}</a> {dspan}{f"<p>{summ}</p>" if summ else ""}</li>'
                )
            else:
                img = (
                    f'<a href="{h}"><img src="/images/thumb/{a.aid}.jpg" alt=""></a>'
                    if r.random() < 0.6
                    else ""
                )
                ht = "h2" if i == 0 and r.random() < 0.5 else self.pick(["h3", "h4", "div"])
                out.append(
                    f'<div class="{self.pick(["item", "news-item", "list-item", "box-news", self.rand_id()])}">{img}<{ht} class="{self.pick(["title", "name", "t"])}"><a href="{h}" title="{esc(a.title)}">{esc(a.title)}</a></{ht}>{f"<span class={chr(34)}date{chr(34)}>{d}</span>" if d else ""}{f"<p>{summ}</p>" if summ else ""}</div>'
                )
        if style == "table":
            return (
                f'<table class="{self.pick(["list", "tblNews", self.rand_id()])}">'
                + "".join(out)
                + "</table>"
            )
        if style == "ul":
            return (
                f'<ul class="{self.pick(["list-news", "news-list", self.rand_id()])}">'
                + "".join(out)
                + "</ul>"
            )
        return (
            f'<div class="{self.pick(["list-news", "category", "news-list", self.rand_id()])}">'
            + "".join(out)
            + "</div>"
        )

    def pager(self, ci: int, n: int, last: int) -> str:
        r, style = self.rng, self.cfg["pager"]
        lp = lambda k: esc(self.href(self.list_path(ci, k)))  # noqa: E731
        cls = self.pick(["pager", "pagination", "phan-trang", "paging", self.rand_id()])
        if style == "numbers":
            window = range(max(1, n - 2), min(last, n + 2) + 1)
            items = [
                f'<span class="active">{k}</span>' if k == n else f'<a href="{lp(k)}">{k}</a>'
                for k in window
            ]
            if last not in window:
                items.append(f'... <a href="{lp(last)}">{last}</a>')
            return f'<div class="{cls}">' + " ".join(items) + "</div>"
        if style == "next":
            label = self.pager_label
            items = []
            if self.pager_numbers:
                items = [
                    f'<span class="active">{k}</span>' if k == n else f'<a href="{lp(k)}">{k}</a>'
                    for k in range(max(1, n - 3), min(last, n + 3) + 1)
                ]
            if n > 1:
                items.insert(
                    0, f'<a href="{lp(n - 1)}">{"«" if label in "»›" else "Trang trước"}</a>'
                )
            if n < last:
                rel = ' rel="next"' if r.random() < 0.3 else ""
                items.append(f'<a href="{lp(n + 1)}"{rel}>{esc(label)}</a>')
            return f'<div class="{cls}">' + " ".join(items) + "</div>"
        if style == "js":
            if self.js_kind == "postback":
                items = [
                    f"<span>{k}</span>"
                    if k == n
                    else f"<a href=\"javascript:__doPostBack('ctl00$ContentPlaceHolder1$Pager','Page${k}')\">{k}</a>"
                    for k in range(1, last + 1)
                ]
            else:
                items = [
                    f"<span>{k}</span>"
                    if k == n
                    else f'<a href="#" onclick="return gotoPage({k});">{k}</a>'
                    for k in range(1, last + 1)
                ]
            fallback = ""
            if n < last:
                if self.js_fallback == "noscript":
                    fallback = f'<noscript><a href="{lp(n + 1)}">Trang sau</a></noscript>'
                else:
                    fallback = (
                        f'<p class="{self.rand_id()}"><a href="{lp(n + 1)}">Trang {n + 1}</a></p>'
                    )
            return f'<div class="{cls}">' + " ".join(items) + "</div>" + fallback
        # load more
        if n >= last:
            return ""
        if self.loadmore_kind == "button":
            return f'<div class="{cls}"><button type="button" class="{self.pick(["btn-more", "load-more", "xem-them"])}" data-href="{lp(n + 1)}">Xem thêm</button></div>'
        return f'<div class="{cls}"><a class="{self.pick(["btn-more", "load-more", "view-more"])}" href="{lp(n + 1)}">Xem thêm</a></div>'

    def listing_pages(self) -> None:
        per = self.cfg["per_page"]
        self.list_pages: list[str] = []
        for ci, arts in enumerate(self.by_cat):
            last = -(-len(arts) // per)
            for n in range(1, last + 1):
                chunk = arts[(n - 1) * per : n * per]
                ht = self.pick(["h1", "h2", "div"])
                name = self.cats[ci][0]
                main = (
                    f'<{ht} class="{self.pick(["cat-title", "title-cat", "heading", self.rand_id()])}">{esc(name)}</{ht}>'
                    + self.entries(chunk, self.cfg["summaries"], True)
                    + self.pager(ci, n, last)
                )
                path = self.list_path(ci, n)
                self.emit(
                    path,
                    self.layout(
                        name + (f" - Trang {n}" if n > 1 else ""),
                        main,
                        "",
                        [(self.list_path(ci, 1), name)],
                    ),
                    "listing",
                )
                self.list_pages.append(path)

    def home(self) -> None:
        r = self.rng
        latest = self.arts[: r.randint(4, 8)]
        main = (
            f'<div class="{self.pick(["hot-news", "tin-noi-bat", self.rand_id()])}">'
            + self.entries(latest, True, r.random() < 0.5, style="items", where="home")
            + "</div>"
        )
        for ci, arts in enumerate(self.by_cat):
            main += self.box(
                self.cats[ci][0],
                self.entries(arts[: r.randint(3, 5)], False, False, style="ul"),
                "rel",
            ).replace(
                f">{esc(self.cats[ci][0])}<",
                f'><a href="{esc(self.href(self.list_path(ci, 1)))}">{esc(self.cats[ci][0])}</a><',
                1,
            )
        self.boiler.discard(norm(self.cats[0][0]))
        for c in self.cats:
            self.boiler.discard(norm(c[0]))
        home = self.cfg["home_redirect"]
        self.emit(home or "/", self.layout(None, main, ""), "home")
        if home:
            self.pages["/"] = Page(302, "text/html; charset=utf-8", b"", (("Location", home),))
            self.non_articles["/"] = "redirect"

    # -- non-article pages --------------------------------------------------------------------

    def tag_path(self, t: int) -> str:
        return f"/tag/{slugify(self.tag_names[t])}"

    def search_path(self, term: str) -> str:
        return {
            0: f"/tim-kiem?q={slugify(term).replace('-', '+')}",
            1: f"/search?keyword={slugify(term)}",
            2: f"/?s={slugify(term).replace('-', '+')}",
        }[self.search_kind]

    def prose_page(
        self, key: str, title: str, paras: list[str], kind: str, path: str, og: bool
    ) -> None:
        body = "".join(f"<p>{esc(self.fill(p))}</p>" for p in paras)
        head = '<meta property="og:type" content="article">' if og else ""
        main = f'<div class="{self.pick(["detail", "content", self.rand_id()])}"><{self.cfg["title_el"] if self.cfg["title_el"] != "td" else "h2"} class="{self.cfg["title_class"]}">{esc(title)}</{self.cfg["title_el"] if self.cfg["title_el"] != "td" else "h2"}><div class="{self.cfg["body_class"]}">{body}</div></div>'
        self.emit(path, self.layout(title, main, head, [(path, title)]), kind)

    def extras(self) -> None:
        r, c = self.rng, self.cfg
        ex = c["extras"]
        og = c["og_article"] and r.random() < 0.5
        if "static" in ex:
            for key in (
                "gioi-thieu",
                "chuc-nang-nhiem-vu",
                "co-cau-to-chuc",
                "lien-he",
                "lich-cong-tac",
            ):
                paras = list(STATIC_PARAS[key])
                if key in ("gioi-thieu", "chuc-nang-nhiem-vu"):
                    paras += [self.sentence_para(2025, 2) for _ in range(r.randint(1, 3))]
                self.prose_page(key, STATIC_TITLES[key], paras, "static", self.static_path(key), og)
        if "notice" in ex:
            self.prose_page(
                "thong-bao",
                "Thông báo",
                STATIC_PARAS["thong-bao"] + [self.sentence_para(2026, 2)],
                "notice",
                self.notice_path,
                og,
            )
        if self.cfg["tags"]:
            for t, name in enumerate(self.tag_names):
                arts = [a for a in self.arts if t in a.tags]
                main = (
                    f"<h1>{esc(self.boil('Từ khóa') if False else 'Từ khóa')}: {esc(name)}</h1>"
                    + self.entries(arts, True, True, style="items")
                )
                self.emit(self.tag_path(t), self.layout(name, main, ""), "tag")
        if "search" in ex:
            for term in self.search_terms:
                hits = r.sample(self.arts, min(len(self.arts), r.randint(3, 10)))
                main = (
                    f"<h2>Kết quả tìm kiếm: {esc(term)}</h2><p>Tìm thấy {len(hits)} kết quả</p>"
                    + self.entries(hits, True, True, style="items")
                )
                self.emit(self.search_path(term), self.layout("Tìm kiếm", main, ""), "search")
        if "docs" in ex:
            rows = []
            for i, (kind, subj) in enumerate(r.sample(DOCS, r.randint(4, len(DOCS)))):
                d = TODAY - timedelta(days=r.randint(5, 900))
                no = f"{r.randint(10, 3000)}/{'QĐ' if kind == 'Quyết định' else 'KH' if kind == 'Kế hoạch' else 'STTTT'}-UBND"
                pdf = f"/uploads/van-ban/{d:%Y}/{slugify(no)}-{i}.pdf"
                self.files.add(pdf)
                rows.append(
                    f'<tr><td>{esc(no)}</td><td><a href="{pdf}">{esc(kind)} {esc(self.fill(subj, d.year))}</a></td><td>{d:%d/%m/%Y}</td><td><a href="{pdf}">Tải về</a></td></tr>'
                )
            main = f'<h2>Văn bản chỉ đạo điều hành</h2><table class="{self.pick(["vanban", "tbl", self.rand_id()])}"><tr><th>Số hiệu</th><th>Trích yếu</th><th>Ngày ban hành</th><th>Tệp đính kèm</th></tr>{"".join(rows)}</table>'
            self.emit(self.docs_path, self.layout("Văn bản", main, ""), "documents")
        if "faq" in ex:
            qa = []
            for q, ans in r.sample(FAQ, r.randint(2, len(FAQ))):
                d = TODAY - timedelta(days=r.randint(5, 700))
                dated = (
                    f'<span class="date">Ngày gửi: {d:%d/%m/%Y}</span>' if r.random() < 0.6 else ""
                )
                qa.append(
                    f'<div class="{self.pick(["qa", "hoi-dap-item", self.rand_id()])}"><h3>{esc(q)}</h3><p>Người hỏi: {esc(r.choice(PEOPLE))} {dated}</p><div class="answer"><p><strong>Trả lời:</strong></p><p>{esc(ans)}</p></div></div>'
                )
            self.emit(
                self.faq_path, self.layout("Hỏi đáp", "<h2>Hỏi đáp</h2>" + "".join(qa), ""), "faq"
            )
        if "drafts" in ex:
            items = []
            for dname in r.sample(DRAFTS, r.randint(2, len(DRAFTS))):
                d = TODAY - timedelta(days=r.randint(10, 400))
                pdf = f"/uploads/du-thao/{slugify(dname)[:40]}.pdf"
                self.files.add(pdf)
                items.append(
                    f'<div class="{self.pick(["draft", "du-thao", self.rand_id()])}"><h3>{esc(dname)}</h3><p>Thời gian lấy ý kiến: từ {d:%d/%m/%Y} đến {d + timedelta(days=30):%d/%m/%Y}</p><p>{esc(self.sentence_para(d.year, 2))}</p><a href="{pdf}">Tải dự thảo</a></div>'
                )
            self.emit(
                self.drafts_path,
                self.layout(
                    "Lấy ý kiến dự thảo văn bản",
                    "<h2>Lấy ý kiến dự thảo văn bản</h2>" + "".join(items),
                    "",
                ),
                "drafts",
            )

    def plan_extras(self) -> None:
        r, ex = self.rng, self.cfg["extras"]
        suffix = ".html" if self.cfg["scheme"] in ("cat_html", "tintuc", "htm") else ""
        self.notice_path = f"/thong-bao{suffix}"
        self.docs_path = r.choice(
            ["/van-ban", "/van-ban-chi-dao-dieu-hanh.html", "/Pages/van-ban.aspx"]
        )
        self.faq_path = r.choice(["/hoi-dap", "/hoi-dap.html", "/faq"])
        self.drafts_path = r.choice(["/lay-y-kien-du-thao", "/du-thao-van-ban.html"])
        self.search_kind = r.randint(0, 2) if self.cfg["scheme"] != "wp_p" else 0
        self.search_terms = r.sample(TOPICS, 3) if "search" in ex else []
        self.rss_path = r.choice(["/rss", "/rss.xml", "/feed/", "/RSS/tin-moi.rss"])
        self.extra_menu = []
        if "docs" in ex:
            self.extra_menu.append(("docs", "Văn bản", self.docs_path))
        if "faq" in ex:
            self.extra_menu.append(("faq", "Hỏi đáp", self.faq_path))
        if "drafts" in ex:
            self.extra_menu.append(("drafts", "Lấy ý kiến dự thảo", self.drafts_path))
        if "notice" in ex:
            self.extra_menu.append(("notice", "Thông báo", self.notice_path))
        if "static" in ex:
            self.extra_menu.append(("static", "Lịch công tác", self.static_path("lich-cong-tac")))
        self.date_bar = f"{weekday(TODAY, True)}, ngày {TODAY:%d/%m/%Y}" if r.random() < 0.3 else ""
        self.pager_label = r.choice(["Xem tiếp", "Trang sau", "»", "›", "Sau"])
        self.pager_numbers = r.random() < 0.6
        self.js_kind = r.choice(["postback", "onclick"])
        self.js_fallback = r.choice(["noscript", "plain"])
        self.loadmore_kind = r.choice(["button", "link"])

    # -- feeds, sitemaps, robots, static files ---------------------------------------------

    def feeds(self) -> None:
        r, c = self.rng, self.cfg
        if c["rss"]:
            arts = self.arts if c["rss_all"] else self.arts[: r.randint(5, 15)]
            items = "".join(
                f"<item><title>{esc(a.title)}</title><link>{BASE_TOKEN}{esc(a.path)}</link><guid>{BASE_TOKEN}{esc(a.path)}</guid><pubDate>{rfc822(a.dt if a.precision == 'minute' else a.dt.replace(hour=0, minute=0))}</pubDate><description>{esc(self.summary(a))}</description></item>"
                for a in arts
            )
            xml = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{esc(self.site_name)}</title><link>{BASE_TOKEN}/</link><description>Tin mới</description>{items}</channel></rss>'
            self.pages[self.rss_path] = Page(
                200, "application/rss+xml; charset=utf-8", xml.encode()
            )
            self.non_articles[self.rss_path] = "feed"
        if c["sitemap"]:
            arts = self.arts
            if c["sitemap"] == "partial":  # a stale sitemap: only some of the articles
                arts = sorted(
                    r.sample(arts, max(1, len(arts) * r.randint(3, 7) // 10)), key=lambda a: a.idx
                )
            locs = [a.path for a in arts] + [
                p for p, k in self.non_articles.items() if k in ("static", "listing", "home")
            ][: r.randint(2, 10)]
            urls = "".join(
                f"<url><loc>{BASE_TOKEN}{esc(p)}</loc>{f'<lastmod>{TODAY:%Y-%m-%d}</lastmod>' if r.random() < 0.3 else ''}</url>"
                for p in locs
            )
            xml = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            if c["sitemap"] == "index":
                self.pages["/sitemap-posts.xml"] = Page(200, "application/xml", xml.encode())
                idx = f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{BASE_TOKEN}/sitemap-posts.xml</loc></sitemap></sitemapindex>'
                self.pages["/sitemap.xml"] = Page(200, "application/xml", idx.encode())
                self.non_articles["/sitemap-posts.xml"] = "sitemap"
            else:
                self.pages["/sitemap.xml"] = Page(200, "application/xml", xml.encode())
            self.non_articles["/sitemap.xml"] = "sitemap"
        if c["robots"]:
            txt = "User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\n"
            if c["robots"] == "sitemap" and c["sitemap"]:
                txt += f"Sitemap: {BASE_TOKEN}/sitemap.xml\n"
            self.pages["/robots.txt"] = Page(200, "text/plain", txt.encode())
        gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
        for p in self.images:
            self.pages[p] = Page(200, "image/jpeg", gif)
        for p in self.files:
            self.pages[p] = Page(
                200, "application/pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
            )
        self.images.update(
            ["/images/logo.png", *(f"/images/banner/{slugify(t)}.png" for _, t in EXTERNAL)]
        )
        self.images.update(f"/images/thumb/{a.aid}.jpg" for a in self.arts)
        for p in self.images:
            self.pages[p] = Page(200, "image/png" if p.endswith(".png") else "image/jpeg", gif)
        self.pages["/css/style.css"] = Page(200, "text/css", b"body{font-family:Arial}")
        body, ct = self.encode_html(
            f'<!DOCTYPE html><html><head><title>404</title></head><body><h1>Không tìm thấy trang</h1><p><a href="/">{esc(self.site_name)}</a></p></body></html>'
        )
        self.pages[NOT_FOUND_KEY] = Page(404, ct, body)

    # -- build ------------------------------------------------------------------------------

    def build(self) -> Portal:
        self.configure()
        self.make_articles()
        self.plan_extras()
        self.make_footer_lines()
        for a in self.arts:
            self.article_page(a)
        self.listing_pages()
        self.home()
        self.extras()
        self.feeds()
        for alias, target in self.aliases.items():
            if alias not in self.pages:
                self.pages[alias] = self.pages[target]
        gold = []
        for a in self.arts:
            pub = (
                f"{a.dt:%Y-%m-%dT%H:%M}:00+07:00"
                if a.precision == "minute"
                else f"{a.dt:%Y-%m-%d}T00:00:00+07:00"
            )
            gold.append(
                GoldArticle(
                    a.path,
                    norm(a.title),
                    pub,
                    a.precision,
                    self.gold_paragraphs(a),
                    norm(a.author) if a.author else None,
                    self.cats[a.cat][0],
                )
            )
        # boilerplate must be specific: never part of any gold text or title
        texts = "\n".join(t for g in gold for t in [g.title, *g.paragraphs])
        boiler = sorted(b for b in self.boiler if len(b) >= 6 and b not in texts)
        meta = dict(self.cfg)
        meta.update(
            site_name=self.site_name,
            categories=[c[0] for c in self.cats],
            date_modes={a.path: a.mode for a in self.arts},
        )
        return Portal(
            seed=self.seed,
            site_name=self.site_name,
            pages=self.pages,
            gold=gold,
            boilerplate=boiler,
            non_articles=sorted(self.non_articles),
            non_article_kinds=dict(self.non_articles),
            aliases=dict(sorted(self.aliases.items())),
            meta=meta,
        )
