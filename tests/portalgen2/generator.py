"""portalgen2: a second, independently written generator of Vietnamese government news portals with gold.

`build_portal(seed) -> tests.portalgen.Portal`; see README.md.
"""

from __future__ import annotations

import html
import json
import posixpath
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from tests.portalgen.generator import BASE_TOKEN, NOT_FOUND_KEY, GoldArticle, Page, Portal

PROVINCES_NOW = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
PROVINCES_OLD = [
    "Hà Giang", "Yên Bái", "Bắc Kạn", "Hòa Bình", "Vĩnh Phúc", "Bắc Giang", "Hải Dương",
    "Thái Bình", "Hà Nam", "Nam Định", "Quảng Bình", "Thừa Thiên Huế", "Quảng Nam", "Kon Tum",
    "Bình Định", "Phú Yên", "Ninh Thuận", "Bình Thuận", "Đắk Nông", "Bình Phước", "Bình Dương",
    "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Hậu Giang", "Sóc Trăng",
    "Bạc Liêu", "Kiên Giang",
]  # fmt: skip
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ"}

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Lò", "Hà", "Triệu", "Đinh", "Quàng", "Mai", "Tạ"]  # fmt: skip
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Xuân", "Thu", "Hồng",
           "Kim", "Công", "Đình", "Trọng", "Bích"]  # fmt: skip
GIVENS = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
          "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quang",
          "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vinh", "Yến", "Chiến", "Duy"]  # fmt: skip
PEN_NAMES = ["Minh Anh", "Thu Hà", "Quang Huy", "Hồng Nhung", "Ngọc Diệp", "Khánh Linh",
             "Đức Mạnh", "Phương Thảo", "Hải Đăng", "Việt Hà", "Bảo Trâm", "Tuấn Kiệt",
             "Lan Hương", "Trung Kiên", "Mai Phương", "Hoàng Long"]  # fmt: skip
COMMUNE_NAMES = ["Tân Lập", "Hòa Bình", "Thanh Sơn", "Quyết Thắng", "Đồng Tâm", "Mường Thanh",
                 "Tam Đường", "Cẩm Phả", "Ea Kar", "Phú Lộc", "Long Hải", "Vĩnh Thạnh", "Nà Nhạn",
                 "Sìn Hồ", "Cát Bà", "Sa Pa", "Tà Xùa", "Hương Sơn", "Kỳ Anh", "Bình Minh",
                 "Tiên Yên", "Mỹ Xuyên", "Krông Pắc", "Na Hang", "Bảo Lạc"]  # fmt: skip
COMMUNE_KINDS = ["xã", "phường", "đặc khu", "xã", "phường"]

AGENCIES = [
    "Sở Tài chính", "Sở Nội vụ", "Công an tỉnh", "Viễn thông {P}", "Viettel {P}",
    "Bưu điện tỉnh", "Trung tâm Phục vụ hành chính công tỉnh", "Báo và Phát thanh, Truyền hình {P}",
    "Hội Nhà báo tỉnh", "Trung tâm Công nghệ thông tin và Truyền thông", "Sở Giáo dục và Đào tạo",
    "Sở Y tế", "Văn phòng UBND tỉnh", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Tỉnh đoàn {P}",
    "Cục Thống kê tỉnh", "MobiFone khu vực", "Ngân hàng Nhà nước khu vực",
]  # fmt: skip
ROLES = ["Giám đốc Sở", "Phó Giám đốc Sở", "Phó Chủ tịch UBND tỉnh", "Chủ tịch UBND {X}",
         "Trưởng phòng Bưu chính - Viễn thông", "Giám đốc Trung tâm Công nghệ thông tin",
         "Chánh Văn phòng Sở", "Trưởng phòng Thông tin - Báo chí - Xuất bản"]  # fmt: skip
TOPICS = ["chuyển đổi số", "cải cách hành chính", "an toàn thông tin mạng",
          "phát triển hạ tầng viễn thông", "thông tin cơ sở", "quản lý báo chí",
          "bưu chính công ích", "dịch vụ công trực tuyến toàn trình", "chính quyền số",
          "kinh tế số", "xã hội số", "đổi mới sáng tạo", "sở hữu trí tuệ",
          "tiêu chuẩn đo lường chất lượng", "phát triển nhân lực số", "quản lý tần số vô tuyến điện"]  # fmt: skip
EVENTS = ["hội nghị tổng kết công tác năm", "lớp tập huấn nghiệp vụ", "hội thảo khoa học",
          "diễn tập thực chiến an toàn thông tin", "lễ ra mắt tổ công nghệ số cộng đồng",
          "hội thi tuyên truyền viên giỏi", "chương trình giao lưu trực tuyến",
          "buổi tọa đàm chuyên đề", "đợt kiểm tra liên ngành"]  # fmt: skip
PURPOSES = ["nâng cao hiệu quả công tác thông tin, tuyên truyền",
            "đẩy mạnh chuyển đổi số trong cơ quan nhà nước", "bảo đảm an toàn, an ninh mạng",
            "hỗ trợ doanh nghiệp nhỏ và vừa ứng dụng công nghệ", "phổ cập kỹ năng số cho người dân",
            "rút ngắn thời gian giải quyết thủ tục hành chính",
            "tăng cường quản lý hoạt động báo chí trên địa bàn"]  # fmt: skip
PROGRAMS = ["Chương trình chuyển đổi số quốc gia", "Đề án 06 của Chính phủ",
            "Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
            "Kế hoạch phát triển chính quyền số", "phong trào Bình dân học vụ số",
            "Chiến lược phát triển kinh tế số và xã hội số",
            "Đề án nâng cao chất lượng thông tin đối ngoại"]  # fmt: skip
PLACES = ["Trung tâm Hội nghị tỉnh", "hội trường UBND tỉnh", "trụ sở Sở",
          "Nhà văn hóa {X}", "Trường Chính trị tỉnh", "Cung văn hóa thiếu nhi tỉnh"]  # fmt: skip
SLOGANS = ["Dữ liệu số - Giá trị số", "Người dân là trung tâm của chuyển đổi số",
           "Đổi mới để phát triển", "Mỗi người dân một tài khoản số",
           "Báo chí đồng hành cùng khát vọng phát triển", "An toàn để phát triển bền vững",
           "Kết nối mọi miền, lan tỏa tri thức"]  # fmt: skip
SCAMS = ["giả danh nhân viên điện lực", "mời tham gia làm nhiệm vụ online",
         "cài ứng dụng dịch vụ công giả mạo", "hỗ trợ lấy lại tiền bị lừa",
         "gửi tin nhắn trúng thưởng qua mạng xã hội"]  # fmt: skip
ACTS = ["kinh doanh dịch vụ viễn thông", "in ấn, phát hành xuất bản phẩm",
        "cung cấp dịch vụ bưu chính", "quảng cáo trên môi trường mạng", "đại lý internet"]  # fmt: skip
SKILLS = ["kỹ năng số cơ bản", "bảo đảm an toàn thông tin", "khai thác dữ liệu dân cư",
          "sử dụng chữ ký số", "viết tin bài cho đài truyền thanh", "vận hành hệ thống một cửa điện tử"]  # fmt: skip
MODELS = ["Ngày thứ Bảy cùng dân", "Chợ 4.0", "Thôn thông minh", "Một cửa không chờ",
          "Cổng dữ liệu mở", "Bản tin tiếng dân tộc"]  # fmt: skip
KICKERS = ["Kỷ niệm 80 năm Ngày truyền thống ngành", "Hướng tới Đại hội Đảng bộ tỉnh",
           "Chuyển đổi số - Từ chủ trương đến hành động", "Bài 2", "Tiêu điểm", "Góc nhìn",
           "Chào mừng Ngày Chuyển đổi số quốc gia"]  # fmt: skip
SUBTITLES = ["Nhiều chỉ tiêu vượt kế hoạch đề ra", "Nỗ lực từ cơ sở", "Tạo chuyển biến rõ nét",
             "Cần sự vào cuộc của cả hệ thống chính trị", "Đích đến là sự hài lòng của người dân"]  # fmt: skip

TITLES = [
    "{P}: Tổ chức hội nghị sơ kết công tác {TOPIC} 6 tháng đầu năm {Y}",
    "UBND tỉnh ban hành Kế hoạch số {N}/KH-UBND về {TOPIC} giai đoạn {Y}–{Y5}",
    "Sở TT&TT tập huấn {SKILL} cho cán bộ {X}",
    "Hơn {NK} hồ sơ được giải quyết qua dịch vụ công trực tuyến tại {X}",
    "Triển khai {PROG} trên địa bàn tỉnh {P} năm {Y}",
    "Đoàn công tác của {A} làm việc với {A2} về {TOPIC}",
    "“{SLOGAN}” – thông điệp của Ngày Chuyển đổi số tỉnh {P} năm {Y}",
    "Khai mạc Hội báo Xuân {Y} với chủ đề “{SLOGAN}”",
    "Hội nghị trực tuyến toàn quốc triển khai Nghị quyết số {N2}-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số được tổ chức tại điểm cầu {P}",
    "Cảnh báo: Thủ đoạn lừa đảo {SCAM} tiếp tục gia tăng tại {X}",
    "{P} đạt {PCT} chỉ tiêu phủ sóng 4G tại các thôn, bản vùng sâu, vùng xa",
    "Tọa đàm “{SLOGAN}” nhân kỷ niệm {K2} năm Ngày Báo chí cách mạng Việt Nam",
    "Hướng dẫn người dân {X} kích hoạt tài khoản định danh điện tử VNeID mức {K1}",
    "Kiểm tra hoạt động {ACT} tại {K2} doanh nghiệp trên địa bàn {X}",
    "Cấp giấy phép xuất bản bản tin cho {A} năm {Y}",
    "Tổ công nghệ số cộng đồng {X}: Cầu nối đưa người dân lên môi trường số",
    "{ROLEP} {PER} kiểm tra tiến độ xây dựng Trung tâm dữ liệu tỉnh {P}",
    "Năm {Y}, {P} phấn đấu 100% hồ sơ thủ tục hành chính được số hóa",
    "Phát động cuộc thi “{SLOGAN}” dành cho học sinh, sinh viên năm {Y}",
    "Sơ kết {K1} năm thực hiện mô hình “{MODEL}” tại {X}, {P}",
    "Những kết quả bước đầu trong triển khai {PROG} ở các xã biên giới, vùng đồng bào dân tộc thiểu số và miền núi của tỉnh {P} sau khi sắp xếp đơn vị hành chính",
    "Bàn giao {NK} thiết bị đầu cuối hỗ trợ hộ nghèo, hộ cận nghèo {X}",
    "Diễn tập ứng cứu sự cố an toàn thông tin mạng năm {Y}: {K2} đội tham gia",
    "Thẩm định hồ sơ công nhận xã {MODEL} tại {X}",
]  # fmt: skip

LEADS = [
    "(STTTT) - Ngày {DM}, {A} tổ chức {EVENT} nhằm {PURPOSE}.",
    "Sáng {DM}, tại {PLACE}, {A} đã tổ chức {EVENT} với sự tham gia của gần {K3} đại biểu.",
    "Chiều {DM}, đoàn công tác do đồng chí {PER}, {ROLE} làm trưởng đoàn đã có buổi làm việc với {A} về {TOPIC}.",
    "Thực hiện kế hoạch năm {Y}, {A} vừa triển khai {EVENT} cho {K3} cán bộ, công chức và người dân.",
    "Nhằm {PURPOSE}, {A} đã ban hành văn bản hướng dẫn các địa phương triển khai {PROG}.",
    "Vừa qua, {A} phối hợp với {A2} tổ chức {EVENT} tại {X}.",
    "Trong khuôn khổ {PROG}, ngày {DM}, {A} đã khảo sát thực tế tại {X} để đánh giá nhu cầu của người dân.",
]  # fmt: skip

SENTENCES = [
    "Theo báo cáo của {A}, trong {PERIOD}, toàn tỉnh đã tiếp nhận {NK} hồ sơ trực tuyến, đạt tỷ lệ {PCT} tổng số hồ sơ thủ tục hành chính.",
    "Phát biểu tại buổi làm việc, đồng chí {PER}, {ROLE}, đề nghị các đơn vị tập trung tháo gỡ khó khăn, vướng mắc trong {TOPIC}.",
    "Đến nay, {K3} thôn, bản trên địa bàn đã có sóng di động băng rộng, tăng {K2} thôn so với cùng kỳ năm trước.",
    "Hệ thống quản lý văn bản và điều hành được kết nối liên thông bốn cấp, bảo đảm việc gửi, nhận văn bản điện tử thông suốt.",
    "Các đại biểu đã thảo luận, trao đổi kinh nghiệm trong việc xây dựng kho dữ liệu dùng chung và khai thác nền tảng số.",
    "Dịp này, {A} đã trao tặng {K3} máy tính bảng cho học sinh có hoàn cảnh khó khăn tại {X}.",
    "Bên cạnh kết quả đạt được, công tác {TOPIC} vẫn còn một số hạn chế như nguồn nhân lực chuyên trách mỏng, kinh phí đầu tư chưa đáp ứng yêu cầu.",
    "Lớp tập huấn thu hút gần {K3} học viên là cán bộ, công chức cấp xã và thành viên tổ công nghệ số cộng đồng.",
    "Trong thời gian tới, Sở sẽ tiếp tục phối hợp với các doanh nghiệp viễn thông mở rộng vùng phủ sóng tại các khu vực còn lõm sóng.",
    "Theo kế hoạch, đến cuối năm {Y}, 100% cơ quan nhà nước cấp tỉnh sử dụng chữ ký số chuyên dùng trong xử lý công việc.",
    "Người dân có thể tra cứu tình trạng hồ sơ bằng cách quét mã QR in trên giấy tiếp nhận hoặc truy cập ứng dụng trên điện thoại.",
    "Ông {PER} cho biết: “Chúng tôi xác định người dân là trung tâm, là chủ thể của quá trình chuyển đổi số”.",
    "Đoàn kiểm tra đã lập biên bản, yêu cầu {K2} cơ sở khắc phục các tồn tại về niêm yết giá cước và lưu trữ thông tin thuê bao.",
    "Tổng kinh phí thực hiện dự án khoảng {MONEY} tỷ đồng từ nguồn ngân sách tỉnh và nguồn vốn xã hội hóa.",
    "Qua rà soát, có {K2} trang thông tin điện tử tổng hợp chưa cập nhật giấy phép theo quy định mới.",
    "Các cơ quan báo chí địa phương đã đăng tải hơn {NK} tin, bài phản ánh kết quả thực hiện các nghị quyết của Tỉnh ủy.",
    "Cùng với đó, mạng lưới bưu chính công ích tiếp tục chi trả lương hưu, trợ cấp xã hội cho {NK} đối tượng qua tài khoản.",
    "Hội nghị cũng đã biểu dương {K2} tập thể và {K3} cá nhân có thành tích xuất sắc trong phong trào thi đua năm {Y}.",
    "Sở đề nghị UBND các xã, phường chỉ đạo bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến ngay tại quầy tiếp nhận.",
    "Chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin của tỉnh xếp thứ {RANK}/63, tăng {K1} bậc so với năm trước.",
    "Về hạ tầng, toàn tỉnh hiện có {NK} trạm phát sóng BTS, trong đó có {K3} trạm 5G đã được cấp phép.",
    "Thời gian qua, các đối tượng xấu liên tục giả danh cơ quan công an, ngân hàng gọi điện yêu cầu người dân chuyển tiền.",
    "Cơ quan chức năng khuyến cáo người dân không truy cập đường dẫn lạ, không cung cấp mã OTP cho bất kỳ ai.",
    "Sau {K1} tháng triển khai, mô hình “{MODEL}” đã giúp rút ngắn thời gian giải quyết hồ sơ xuống còn {K1} ngày làm việc.",
    "Đại diện {A} kiến nghị tỉnh sớm ban hành quy chế khai thác, kết nối dữ liệu giữa các sở, ngành.",
    "Nội dung tập huấn tập trung vào kỹ năng nhận diện tin giả, xử lý khủng hoảng truyền thông và vận hành trang thông tin điện tử.",
    "Kết thúc đợt kiểm tra, đoàn đánh giá cao sự chủ động của địa phương trong việc ứng dụng phần mềm quản lý hộ tịch.",
    "Bưu điện tỉnh đã tiếp nhận và trả kết quả {NK} hồ sơ thủ tục hành chính tại nhà cho người dân, không phát sinh sai sót.",
    "Theo đánh giá, tỷ lệ thanh toán trực tuyến trong giải quyết thủ tục hành chính của tỉnh mới đạt {PCT}, thấp hơn mức bình quân chung.",
    "{A} đã hoàn thành việc cập nhật {NK} bản ghi vào cơ sở dữ liệu dân cư, phục vụ triển khai các tiện ích của Đề án 06.",
    "Những năm gần đây, phong trào khởi nghiệp đổi mới sáng tạo tại {P} có bước phát triển, nhiều sản phẩm đã được thương mại hóa.",
    "Buổi lễ diễn ra trang trọng với sự tham dự của đại diện các sở, ban, ngành và đông đảo đoàn viên, thanh niên.",
    "Mỗi tổ công nghệ số cộng đồng gồm từ {K1} đến {K2} thành viên, có nhiệm vụ đi đến từng ngõ, gõ từng nhà để hướng dẫn người dân.",
    "Giải thưởng nhằm tôn vinh những tác phẩm báo chí chất lượng, có sức lan tỏa về xây dựng Đảng và hệ thống chính trị.",
    "Đồng chí {PER} lưu ý, các đơn vị cần rà soát, đánh giá cấp độ an toàn hệ thống thông tin trước ngày {DM}.",
    "Ngay sau hội nghị, các địa phương sẽ xây dựng kế hoạch cụ thể, phân công rõ người, rõ việc, rõ thời hạn hoàn thành.",
    "Trang thông tin điện tử của tỉnh đã được nâng cấp giao diện, hỗ trợ hiển thị tốt trên thiết bị di động và tích hợp trợ lý ảo.",
    "Trong năm, Sở đã thẩm định {K3} hồ sơ đề nghị cấp phép hoạt động in và {K2} hồ sơ đăng ký xuất bản bản tin.",
    "Ngoài ra, tỉnh chú trọng đào tạo nhân lực số thông qua liên kết với các trường đại học, cao đẳng trong và ngoài tỉnh.",
    "Nhiều hộ sản xuất đã đưa nông sản lên sàn thương mại điện tử, doanh thu tăng bình quân {PCT} so với bán hàng truyền thống.",
    "Bà {PER}, người dân {X}, phấn khởi: “Giờ tôi ngồi ở nhà cũng làm được giấy tờ, không phải đi lại nhiều lần như trước”.",
    "Theo thống kê của {A}, số vụ tấn công mạng vào hệ thống thông tin của tỉnh giảm {PCT} so với cùng kỳ.",
    "Đáng chú ý, {X} là địa phương đầu tiên của tỉnh hoàn thành việc số hóa toàn bộ sổ hộ tịch từ năm 1945 đến nay.",
    "Mạng truyền số liệu chuyên dùng đã kết nối đến {K3} điểm, phục vụ họp trực tuyến từ tỉnh xuống cơ sở.",
    "Cụm loa truyền thanh ứng dụng công nghệ thông tin - viễn thông được lắp đặt tại {K3} thôn, tổ dân phố.",
]  # fmt: skip

HEADINGS = ["1. Kết quả đạt được", "2. Nhiệm vụ trọng tâm thời gian tới", "Một số giải pháp chủ yếu",
            "Những con số ấn tượng", "Tháo gỡ điểm nghẽn", "Lan tỏa từ cơ sở",
            "Khó khăn, vướng mắc", "Kiến nghị, đề xuất"]  # fmt: skip
LIST_ITEMS = [
    "Nâng cấp hạ tầng mạng nội bộ tại {K2} xã, phường",
    "Hoàn thiện cơ sở dữ liệu chuyên ngành về đất đai, hộ tịch và y tế",
    "Tổ chức {K1} lớp bồi dưỡng kỹ năng số cho thành viên tổ công nghệ số cộng đồng",
    "Rà soát, đánh giá cấp độ an toàn cho {K3} hệ thống thông tin",
    "Đẩy mạnh thanh toán không dùng tiền mặt trong trường học, bệnh viện",
    "Tăng cường kiểm tra, xử lý vi phạm trong hoạt động thông tin trên mạng",
    "Xây dựng kho học liệu số dùng chung cho các cơ sở giáo dục",
    "Duy trì hoạt động của Trung tâm giám sát, điều hành thông minh",
    "Phát triển {K3} điểm phục vụ bưu chính có kết nối internet",
    "Hỗ trợ hợp tác xã đăng ký gian hàng trên sàn thương mại điện tử",
]  # fmt: skip
CAPTIONS = [
    "Quang cảnh hội nghị tại điểm cầu {P}.",
    "Đồng chí {PER} phát biểu tại buổi làm việc.",
    "Các đại biểu tham quan gian trưng bày sản phẩm số.",
    "Cán bộ {A} hướng dẫn người dân cài đặt ứng dụng trên điện thoại.",
    "Trao giấy khen cho các tập thể có thành tích xuất sắc.",
    "Lớp tập huấn tại hội trường {X}.",
    "Đoàn kiểm tra làm việc tại một điểm cung cấp dịch vụ viễn thông.",
]  # fmt: skip
SOURCES = ["Báo {P}", "baochinhphu.vn", "Bộ Khoa học và Công nghệ", "Cổng TTĐT tỉnh {P}",
           "Trung tâm Truyền thông tỉnh", "Báo Nhân Dân", "TTXVN"]  # fmt: skip

CATEGORIES = [
    ("Tin hoạt động", "tin-hoat-dong"), ("Chuyển đổi số", "chuyen-doi-so"),
    ("Bưu chính - Viễn thông", "buu-chinh-vien-thong"), ("Báo chí - Xuất bản", "bao-chi-xuat-ban"),
    ("Công nghệ thông tin", "cong-nghe-thong-tin"), ("Thông tin cơ sở", "thong-tin-co-so"),
    ("Khoa học - Công nghệ", "khoa-hoc-cong-nghe"), ("Tin trong tỉnh", "tin-trong-tinh"),
    ("An toàn thông tin", "an-toan-thong-tin"), ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
]  # fmt: skip
TAGS = ["chuyển đổi số", "dịch vụ công", "an toàn thông tin", "VNeID", "5G", "báo chí",
        "bưu chính", "tập huấn", "Đề án 06", "nông thôn mới", "thương mại điện tử", "lừa đảo"]  # fmt: skip

STATIC_PROSE = [
    "Sở là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, thực hiện chức năng tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, bưu chính, viễn thông và báo chí, xuất bản.",
    "Sở có tư cách pháp nhân, có con dấu và tài khoản riêng; chịu sự chỉ đạo, quản lý về tổ chức, biên chế và công tác của Ủy ban nhân dân tỉnh, đồng thời chịu sự chỉ đạo, hướng dẫn, kiểm tra về chuyên môn, nghiệp vụ của Bộ Khoa học và Công nghệ.",
    "Cơ cấu tổ chức của Sở gồm Văn phòng, Thanh tra, các phòng chuyên môn, nghiệp vụ và các đơn vị sự nghiệp công lập trực thuộc.",
    "Sở trình Ủy ban nhân dân tỉnh dự thảo quyết định, chỉ thị, kế hoạch dài hạn, trung hạn và hằng năm về phát triển lĩnh vực được giao quản lý.",
    "Tổ chức thực hiện các văn bản quy phạm pháp luật, quy hoạch, kế hoạch sau khi được phê duyệt; thông tin, tuyên truyền, phổ biến, giáo dục pháp luật trong các lĩnh vực thuộc phạm vi quản lý.",
    "Hướng dẫn, kiểm tra việc thực hiện các quy định của pháp luật về hoạt động báo chí, xuất bản, in và phát hành xuất bản phẩm trên địa bàn tỉnh.",
    "Quản lý tài nguyên viễn thông, hạ tầng kỹ thuật viễn thông thụ động và việc sử dụng chung cơ sở hạ tầng theo phân cấp.",
    "Tham mưu xây dựng, vận hành các nền tảng số dùng chung, trung tâm dữ liệu và hệ thống giám sát an toàn thông tin mạng của tỉnh.",
    "Thực hiện công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo, phòng, chống tham nhũng, lãng phí theo quy định.",
    "Quản lý tổ chức bộ máy, vị trí việc làm, biên chế công chức, số lượng người làm việc và thực hiện chế độ tiền lương đối với công chức, viên chức thuộc phạm vi quản lý.",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# helpers

ICT = timezone(timedelta(hours=7))
TODAY = datetime(2026, 11, 30, 16, 30)
EPOCH = datetime(2016, 3, 1, 7, 0)
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def clean(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def slugify(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def camel(slug: str) -> str:
    return "".join(w.capitalize() for w in slug.split("-"))


def title_case_slug(slug: str) -> str:
    return "-".join(w.capitalize() for w in slug.split("-"))


def rel_link(frm: str, to: str) -> str:
    fpath = frm.split("?", 1)[0]
    tpath, _, q = to.partition("?")
    fdir = fpath if fpath.endswith("/") else posixpath.dirname(fpath) + "/"
    tdir, tbase = posixpath.split(tpath)
    reldir = posixpath.relpath(tdir or "/", fdir)
    rel = tbase if reldir == "." else f"{reldir}/{tbase}"
    if not rel:
        rel = "./"
    if ":" in rel.split("/", 1)[0]:
        rel = "./" + rel
    return rel + (f"?{q}" if q else "")


def encode_1258(text: str) -> bytes:
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        done = False
        for i in range(len(marks)):
            comp = unicodedata.normalize("NFC", base + marks[i]) + marks[:i] + marks[i + 1 :]
            try:
                out.append(comp.encode("cp1258"))
                done = True
                break
            except UnicodeEncodeError:
                continue
        if not done:
            try:
                out.append(d.encode("cp1258"))
            except UnicodeEncodeError:
                out.append(f"&#{ord(ch)};".encode())
    return b"".join(out)


def dd(dt):
    return f"{dt.day:02d}/{dt.month:02d}/{dt.year}"


# date formats: (function, has_time)
def _f_wd_dmy_hm(dt):
    return f"{WEEKDAYS[dt.weekday()]}, {dd(dt)} {dt:%H:%M}"


def _f_ngay_thang(dt):
    return f"Ngày {dt.day:02d} tháng {dt.month:02d} năm {dt.year}"


def _f_dots(dt):
    return f"{dt.day:02d}.{dt.month:02d}.{dt.year}"


def _f_iso_hm(dt):
    return f"{dt:%Y-%m-%d %H:%M}"


def _f_dang_luc(dt):
    return f"Đăng lúc: {dt:%H:%M} - {dd(dt)}"


def _f_paren(dt):
    return f"({dd(dt)})"


def _f_ampm(dt):
    h = dt.hour % 12 or 12
    return f"{dt.day}/{dt.month}/{dt.year} {h}:{dt.minute:02d}:{dt.second:02d} {'PM' if dt.hour >= 12 else 'AM'}"


def _f_cap_nhat(dt):
    return f"Cập nhật: {dt:%H:%M} {dd(dt)}"


def _f_gmt(dt):
    return f"{WEEKDAYS[dt.weekday()]}, {dd(dt)}, {dt:%H:%M} (GMT+7)"


def _f_bar(dt):
    return f"{dt:%H:%M} | {dd(dt)}"


def _f_dmy(dt):
    return dd(dt)


def _f_thang_wp(dt):
    return f"{dt.day} Tháng {dt.month}, {dt.year}"


def _f_wd_dash(dt):
    return f"{WEEKDAYS[dt.weekday()].lower().replace('thứ', 'Thứ')} - {dd(dt)} {dt:%H:%M}"


def _f_ngay_dang(dt):
    return f"Ngày đăng: {dd(dt)} {dt:%H:%M}"


DATE_FORMATS = [
    (_f_wd_dmy_hm, True), (_f_ngay_thang, False), (_f_dots, False), (_f_iso_hm, True),
    (_f_dang_luc, True), (_f_paren, False), (_f_ampm, True), (_f_cap_nhat, True), (_f_gmt, True),
    (_f_bar, True), (_f_dmy, False), (_f_thang_wp, False), (_f_wd_dash, True), (_f_ngay_dang, True),
]  # fmt: skip
# formats that carry their own label (not combinable with a "modified" line)
LABELLED = {_f_dang_luc, _f_cap_nhat, _f_ngay_dang}


@dataclass
class Cat:
    idx: int
    name: str
    slug: str
    cid: int
    item: int
    tab: int
    arts: list = field(default_factory=list)


@dataclass
class Art:
    idx: int
    aid: int
    cat: Cat
    title: str
    slug: str
    dt: datetime
    lead: str | None
    blocks: list
    author: str | None
    source: str | None
    kicker: str | None
    subtitle: str | None
    tags: list
    views: int
    mode: str  # visible / after / listing / meta / jsonld
    tpl: dict
    mod_dt: datetime | None = None
    path: str = ""
    nid: int = 0
    precision: str = "minute"


# ---------------------------------------------------------------------------------------------


class Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.r = random.Random(seed)
        self.pages: dict[str, Page] = {}
        self.kinds: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.boiler: set[str] = set()
        self.nid = self.r.randint(40, 400)
        self.nid_used: set[int] = set()

    # -- small utilities ---------------------------------------------------------------------
    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def person(self) -> str:
        return f"{self.pick(SURNAMES)} {self.pick(MIDDLES)} {self.pick(GIVENS)}"

    def commune(self) -> str:
        return f"{self.pick(COMMUNE_KINDS)} {self.pick(COMMUNE_NAMES)}"

    def num(self, lo: int, hi: int) -> str:
        return f"{self.r.randint(lo, hi):,}".replace(",", ".")

    def fill(self, tpl: str, dt: datetime | None = None) -> str:
        prov = self.prov if self.chance(0.8) else self.pick(PROVINCES_NOW + PROVINCES_OLD)
        y = (dt or TODAY).year
        vals = {
            "P": prov,
            "X": self.commune(),
            "A": self.pick(AGENCIES).replace("{P}", prov),
            "A2": self.pick(AGENCIES).replace("{P}", self.prov),
            "TOPIC": self.pick(TOPICS),
            "N": str(self.r.randint(12, 390)),
            "N2": str(self.r.randint(11, 79)),
            "NK": self.num(1200, 98000),
            "K1": str(self.r.randint(2, 9)),
            "K2": str(self.r.randint(10, 60)),
            "K3": str(self.r.randint(61, 900)),
            "PCT": f"{self.r.randint(42, 99)},{self.r.randint(1, 9)}%",
            "Y": str(y),
            "Y5": str(y + 5),
            "SKILL": self.pick(SKILLS),
            "PROG": self.pick(PROGRAMS),
            "SLOGAN": self.pick(SLOGANS),
            "SCAM": self.pick(SCAMS),
            "ACT": self.pick(ACTS),
            "MODEL": self.pick(MODELS),
            "PER": self.person(),
            "ROLE": self.pick(ROLES).replace("{X}", self.commune()),
            "ROLEP": self.pick(["Phó Chủ tịch UBND tỉnh", "Giám đốc Sở", "Chủ tịch UBND tỉnh"]),
            "EVENT": self.pick(EVENTS),
            "PURPOSE": self.pick(PURPOSES),
            "PLACE": self.pick(PLACES).replace("{X}", self.commune()),
            "PERIOD": self.pick(["quý I", "6 tháng đầu năm", "9 tháng", "năm qua", "tháng 10"]),
            "MONEY": f"{self.r.randint(3, 480)},{self.r.randint(1, 9)}",
            "RANK": str(self.r.randint(5, 50)),
            "DM": f"{(dt or TODAY).day}/{(dt or TODAY).month}" if dt else "15/12",
        }
        return re.sub(r"\{(\w+)\}", lambda m: vals[m.group(1)], tpl)

    def link(self, frm: str, to: str, style: str | None = None) -> str:
        style = style or self.r.choices(["abs", "root", "rel"], weights=self.t["link_w"])[0]
        if style == "abs":
            return BASE_TOKEN + to
        if style == "rel":
            return rel_link(frm, to)
        return to

    def a(self, frm: str, to: str, text: str, cls: str = "", extra: str = "") -> str:
        c = f' class="{cls}"' if cls else ""
        return f'<a href="{attr(self.link(frm, to))}"{c}{extra}>{esc(text)}</a>'

    def add(self, path: str, body: bytes, ctype: str, status: int = 200, headers=()) -> None:
        assert path not in self.pages, path
        self.pages[path] = Page(status, ctype, body, tuple(headers))

    def bp(self, *strings: str) -> None:
        for s in strings:
            s = clean(s)
            if len(s) >= 6:
                self.boiler.add(s)

    def new_nid(self) -> int:
        while True:
            self.nid += self.r.randint(1, 9)
            if self.nid not in self.nid_used:
                self.nid_used.add(self.nid)
                return self.nid

    # -- site ---------------------------------------------------------------------------------
    def setup(self) -> None:
        r = self.r
        self.fam = r.choice(
            ["nukeviet", "liferay", "sharepoint", "wordpress", "joomla", "dnn", "newspaper",
             "drupal", "php", "flat"]
        )  # fmt: skip
        self.prov = r.choice(PROVINCES_NOW if r.random() < 0.7 else PROVINCES_OLD)
        unit = "thành phố" if self.prov in CITIES else "tỉnh"
        if self.prov == "Thành phố Hồ Chí Minh":
            unit, pname = "", self.prov
        else:
            pname = f"{unit} {self.prov}"
        dept = r.choice(["Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"])
        if self.fam == "newspaper":
            self.site_name = f"Báo {self.prov}"
            self.short = f"Báo {self.prov} điện tử"
        else:
            self.site_name = f"{dept} {pname}".strip()
            self.short = "STTTT " + self.prov if "Thông tin" in dept else "Sở KH&CN " + self.prov
        self.dept = dept
        layout = {
            "sharepoint": "form",
            "dnn": "form",
            "php": r.choice(["tables", "divsoup"]),
            "joomla": r.choice(["divsoup", "html5", "tables"]),
        }.get(self.fam, r.choice(["html5", "divsoup", "html5"]))
        enc = "utf-8"
        if self.fam in ("php", "joomla", "dnn", "flat") and r.random() < 0.45:
            enc = "cp1258"
        declare = r.choice(
            ["both", "meta", "header", "both"] + (["none"] if enc == "cp1258" else [])
        )
        self.t = {
            "layout": layout,
            "cols": r.choice([1, 2, 2, 3, 3]),
            "header_h1": r.random() < 0.45,
            "today": r.random() < 0.75,
            "mega": r.random() < 0.4,
            "breadcrumb": r.random() < 0.7,
            "link_w": r.choice([(1, 3, 0), (0, 1, 0), (2, 1, 1), (1, 1, 2), (0, 2, 1)]),
            "canonical": r.random() < 0.6,
            "og": r.random() < 0.5,
            "og_time": r.random() < 0.25,
            "jsonld": r.random() < 0.3,
            "jsonld_utc": r.random() < 0.5,
            "listing_style": r.choice(["thumb", "summary", "titles"]),
            "listing_dates": r.random() < 0.6,
            "listing_fmt": r.choice([2, 5, 10, 10, 0, 9]),
            "page_size": r.randint(5, 25),
            "pager": r.choice(["numbers", "next", "postback", "loadmore", "raquo"]),
            "enc": enc,
            "declare": declare,
            "nfd": enc == "utf-8" and r.random() < 0.15,
            "title_fmt": r.randint(0, 5),
            "rss": r.random() < 0.6,
            "sitemap": r.choice(["none", "flat", "index", "flat"]),
            "crawl_delay": r.random() < 0.2,
            "tags": r.random() < 0.6,
            "tracking": r.random() < 0.4,
        }
        if self.fam == "sharepoint":
            self.t["pager"] = "postback"
            self.t["tags"] = False
        self.t["widgets"] = [
            w
            for w in ("latest", "popular", "links", "poll", "weather", "rates", "counter",
                      "banners", "docs", "iframe", "notices")
            if r.random() < 0.55
        ] + ["latest"]  # fmt: skip
        self.t["widgets"] = list(dict.fromkeys(self.t["widgets"]))
        self.addr = f"Số {r.randint(1, 300)} đường {r.choice(['Trần Hưng Đạo', 'Lê Lợi', 'Hùng Vương', 'Nguyễn Huệ', '30 Tháng 4', 'Võ Nguyên Giáp'])}, {self.commune()}, {pname}".strip()
        self.phone = f"0{r.randint(203, 299)}.{r.randint(3000000, 3999999)}"
        self.email = (
            f"{slugify(self.short).replace('-', '')}@{slugify(self.prov).replace('-', '')}.gov.vn"
        )
        self.lic = f"Giấy phép số {r.randint(10, 199)}/GP-TTĐT do Cục Phát thanh, truyền hình và thông tin điện tử cấp"
        self.chief = self.person()

    def categories(self) -> None:
        r = self.r
        n = r.randint(1, 5)
        chosen = r.sample(CATEGORIES, n)
        self.cats = [
            Cat(i, name, slug, r.randint(8, 90) + i * 100, r.randint(101, 199), r.randint(40, 400))
            for i, (name, slug) in enumerate(chosen)
        ]
        names = r.sample(TAGS, r.randint(4, 9))
        self.tagset = [
            (t, slugify(t), tid)
            for t, tid in zip(names, r.sample(range(3, 99), len(names)), strict=True)
        ]

    # -- paths per family -----------------------------------------------------------------------
    def art_path(self, a: Art) -> str:
        f, c = self.fam, a.cat
        if f == "nukeviet":
            return f"{self.np}/{c.slug}/{a.slug}-{a.aid}.html"
        if f == "liferay":
            return f"/web/guest/tin-tuc/-/asset_publisher/{self.inst}/content/{a.slug}"
        if f == "sharepoint":
            return f"{self.sp}/Pages/{camel(c.slug)}/{a.aid}/{title_case_slug(a.slug)}.aspx"
        if f == "wordpress":
            if self.wp_date:
                return f"/{a.dt.year}/{a.dt.month:02d}/{a.slug}/"
            return f"/{a.slug}/"
        if f == "joomla":
            return f"/index.php?option=com_content&view=article&id={a.aid}:{a.slug}&catid={c.cid}&Itemid={c.item}"
        if f == "dnn":
            return (
                f"/{camel(c.slug)}/tabid/{c.tab}/ArticleID/{a.aid}/{title_case_slug(a.slug)}.aspx"
            )
        if f == "newspaper":
            return f"/{a.slug}-{a.aid}.html"
        if f == "drupal":
            return f"/node/{a.nid}"
        if f == "php":
            if self.php_pretty:
                return f"/tin-tuc/chi-tiet/{a.aid}/{a.slug}"
            return f"/chitiet.php?id={a.aid}"
        return f"/{a.slug}.html"

    def cat_path(self, c: Cat, n: int = 1) -> str:
        f, size = self.fam, self.t["page_size"]
        if f == "nukeviet":
            return f"{self.np}/{c.slug}/" + (f"page-{n}" if n > 1 else "")
        if f == "liferay":
            base = f"/web/guest/{c.slug}"
            if n == 1:
                return base
            pid = f"com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_{self.inst}"
            return f"{base}?p_p_id={pid}&p_p_lifecycle=0&_{pid}_cur={n}"
        if f == "sharepoint":
            return f"{self.sp}/Pages/{camel(c.slug)}.aspx" + (f"?Page={n}" if n > 1 else "")
        if f == "wordpress":
            return f"/chuyen-muc/{c.slug}/" + (f"page/{n}/" if n > 1 else "")
        if f == "joomla":
            p = f"/index.php?option=com_content&view=category&id={c.cid}&Itemid={c.item}"
            return p + (f"&limitstart={(n - 1) * size}" if n > 1 else "")
        if f == "dnn":
            if n > 1:
                return f"/{camel(c.slug)}/tabid/{c.tab}/currentpage/{n}/Default.aspx"
            return f"/{camel(c.slug)}/tabid/{c.tab}/Default.aspx"
        if f == "newspaper":
            return f"/{c.slug}/" + (f"?page={n}" if n > 1 else "")
        if f == "drupal":
            return f"/chuyen-muc/{c.slug}" + (f"?page={n - 1}" if n > 1 else "")
        if f == "php":
            if self.php_pretty:
                return f"/tin-tuc/danh-muc/{c.cid}/{c.slug}" + (f"?trang={n}" if n > 1 else "")
            return f"/danhmuc.php?id={c.cid}" + (f"&page={n}" if n > 1 else "")
        return f"/{c.slug}.html" if n == 1 else f"/{c.slug}/trang-{n}.html"

    def tag_path(self, tag) -> str:
        name, slug, tid = tag
        f = self.fam
        return {
            "nukeviet": f"{self.np}/tag/{slug}",
            "liferay": f"/web/guest/tin-tuc/-/asset_publisher/{self.inst}/tag/{slug}",
            "wordpress": f"/tag/{slug}/",
            "joomla": f"/index.php?option=com_tags&view=tag&id={tid}:{slug}&Itemid=120",
            "dnn": f"/TuKhoa/tabid/77/Tag/{slug}/Default.aspx",
            "newspaper": f"/tag/{slug}-{tid}.html",
            "drupal": f"/taxonomy/term/{tid}",
            "php": f"/tukhoa.php?tag={slug}",
            "flat": f"/tag/{slug}.html",
        }[f]

    def misc_path(self, kind: str, slug: str = "", n: int = 0) -> str:
        """Paths of the non-article pages: static pages and the rest."""
        f = self.fam
        if f == "drupal" and kind in ("static", "doc", "faq", "consult", "album", "video",
                                      "schedule", "announce"):  # fmt: skip
            return f"/node/{self.new_nid()}"
        if f == "flat" and kind in ("static", "doc", "consult", "album", "video", "announce"):
            return f"/{slug}.html"
        if f == "wordpress" and kind in ("static", "announce"):
            return f"/{slug}/"
        if f == "joomla" and kind in ("static", "faq", "consult", "schedule", "announce"):
            return f"/index.php?option=com_content&view=article&id={n or self.r.randint(2, 60)}:{slug or kind}&catid=2&Itemid={self.r.randint(130, 180)}"
        if f == "liferay" and kind in ("static", "announce"):
            return f"/web/guest/{slug}"
        if f in ("sharepoint",) and kind in ("static", "announce"):
            return f"{self.sp}/Pages/{camel(slug)}.aspx"
        if f == "dnn" and kind in ("static", "announce"):
            return f"/{camel(slug)}/tabid/{self.r.randint(50, 99)}/Default.aspx"
        if f == "newspaper" and kind in ("static", "announce"):
            return f"/{slug}.html"
        if f == "nukeviet" and kind in ("static", "announce"):
            return f"/about/{slug}.html"
        table = {
            "nukeviet": {
                "search": f"{self.np}/search/?q=chuyen-doi-so", "docs": "/laws/",
                "doc": f"/laws/detail/{slug}-{n}.html", "faq": "/faq/",
                "consult": f"/opinion/{slug}-{n}.html", "albums": "/photos/",
                "album": f"/photos/album/{slug}-{n}", "videos": "/videoclips/",
                "video": f"/videoclips/{slug}-{n}.html", "schedule": "/lich-cong-tac/",
                "events": "/events/", "en": "/en/", "rss": "/feeds/",
            },
            "liferay": {
                "search": "/web/guest/tim-kiem?q=chuyen-doi-so",
                "docs": "/web/guest/van-ban-chi-dao-dieu-hanh",
                "doc": f"/web/guest/van-ban-chi-dao-dieu-hanh/-/vbpq/{n}",
                "faq": "/web/guest/hoi-dap", "consult": f"/web/guest/lay-y-kien-du-thao/-/dt/{n}",
                "albums": "/web/guest/thu-vien-anh", "album": f"/web/guest/thu-vien-anh/-/album/{n}/{slug}",
                "videos": "/web/guest/video", "video": f"/web/guest/video/-/clip/{n}",
                "schedule": "/web/guest/lich-cong-tac", "events": "/web/guest/su-kien",
                "en": "/web/english", "rss": f"/c/asset_publisher/rss?p_p_id={self.inst}",
            },
            "sharepoint": {
                "search": f"{self.sp}/_layouts/15/osssearchresults.aspx?k=chuyendoiso",
                "docs": f"{self.sp}/Pages/VanBan.aspx", "doc": f"{self.sp}/Pages/VanBan.aspx?ItemID={n}",
                "faq": f"{self.sp}/Pages/HoiDap.aspx", "consult": f"{self.sp}/Pages/DuThao.aspx?ItemID={n}",
                "albums": f"{self.sp}/Pages/ThuVienAnh.aspx", "album": f"{self.sp}/Pages/ThuVienAnh.aspx?AlbumID={n}",
                "videos": f"{self.sp}/Pages/Video.aspx", "video": f"{self.sp}/Pages/Video.aspx?VideoID={n}",
                "schedule": f"{self.sp}/Pages/LichCongTac.aspx", "events": f"{self.sp}/Pages/SuKien.aspx",
                "en": f"{self.sp}/en/Pages/Home.aspx", "rss": f"{self.sp}/_layouts/15/listfeed.aspx",
            },
            "wordpress": {
                "search": "/?s=chuyen-doi-so", "docs": "/van-ban/", "doc": f"/van-ban/{slug}/",
                "faq": "/hoi-dap/", "consult": f"/du-thao/{slug}/", "albums": "/thu-vien-anh/",
                "album": f"/thu-vien-anh/{slug}/", "videos": "/video/", "video": f"/video/{slug}/",
                "schedule": "/lich-cong-tac-tuan/", "events": "/su-kien/", "en": "/en/", "rss": "/feed/",
            },
            "joomla": {
                "search": "/index.php?option=com_search&searchword=chuyen-doi-so&Itemid=105",
                "docs": "/index.php?option=com_docman&view=list&slug=van-ban&Itemid=130",
                "doc": f"/index.php?option=com_docman&view=document&id={n}&Itemid=130",
                "albums": "/index.php?option=com_phocagallery&view=categories&Itemid=150",
                "album": f"/index.php?option=com_phocagallery&view=category&id={n}:{slug}&Itemid=150",
                "videos": "/index.php?option=com_allvideoshare&view=videos&Itemid=151",
                "video": f"/index.php?option=com_allvideoshare&view=video&slg={slug}&Itemid=151",
                "events": "/index.php?option=com_jevents&view=month&Itemid=160",
                "en": "/index.php?lang=en", "rss": "/index.php?format=feed&type=rss",
            },
            "dnn": {
                "search": "/TimKiem/tabid/62/Default.aspx?Search=chuyendoiso",
                "docs": "/VanBan/tabid/63/Default.aspx", "doc": f"/VanBan/tabid/63/ItemID/{n}/Default.aspx",
                "faq": "/HoiDap/tabid/64/Default.aspx", "consult": f"/DuThao/tabid/65/ItemID/{n}/Default.aspx",
                "albums": "/ThuVienAnh/tabid/66/Default.aspx", "album": f"/ThuVienAnh/tabid/66/AlbumID/{n}/Default.aspx",
                "videos": "/Video/tabid/67/Default.aspx", "video": f"/Video/tabid/67/VideoID/{n}/Default.aspx",
                "schedule": "/LichCongTac/tabid/68/Default.aspx", "events": "/SuKien/tabid/69/Default.aspx",
                "en": "/en-us/Home.aspx", "rss": "/DesktopModules/News/RSS.aspx?TabID=55",
            },
            "newspaper": {
                "search": "/tim-kiem/?q=chuyen-doi-so", "docs": "/van-ban/", "doc": f"/van-ban/{slug}-{n}.html",
                "faq": "/hoi-dap/", "consult": f"/du-thao/{slug}-{n}.html", "albums": "/multimedia/anh/",
                "album": f"/multimedia/anh/{slug}-{n}.html", "videos": "/video/", "video": f"/video/{slug}-{n}.html",
                "schedule": "/lich-cong-tac/", "events": "/su-kien/", "en": "/en/", "rss": "/rss/home.rss",
            },
            "drupal": {
                "search": "/search/node?keys=chuyen-doi-so", "docs": "/van-ban", "albums": "/thu-vien-anh",
                "videos": "/video", "events": "/su-kien", "en": "/en", "rss": "/rss.xml",
            },
            "php": {
                "search": "/timkiem.php?tukhoa=chuyen-doi-so", "docs": "/vanban.php", "doc": f"/vanban.php?id={n}",
                "faq": "/hoidap.php", "consult": f"/duthao.php?id={n}", "albums": "/album.php",
                "album": f"/album.php?id={n}", "videos": "/video.php", "video": f"/video.php?id={n}",
                "schedule": "/lichcongtac.php", "events": "/sukien.php", "en": "/en/index.php",
                "rss": "/rss.php", "static": f"/trang.php?id={n}", "announce": f"/thongbao.php?id={n}",
            },
            "flat": {
                "search": "/tim-kiem.html?q=chuyen-doi-so", "docs": "/van-ban.html", "faq": "/hoi-dap.html",
                "albums": "/thu-vien-anh.html", "videos": "/video.html", "schedule": "/lich-cong-tac.html",
                "events": "/su-kien.html", "en": "/en.html", "rss": "/rss.xml",
            },
        }  # fmt: skip
        if f == "php" and self.php_pretty and kind in ("static", "announce"):
            return f"/trang/{slug}"
        return table[f][kind]

    # -- content --------------------------------------------------------------------------------
    def make_title(self, dt: datetime, used: set[str]) -> str:
        for _ in range(50):
            t = clean(self.fill(self.pick(TITLES), dt))
            if t not in used and all(t not in u and u not in t for u in used):
                used.add(t)
                return t
        t = clean(self.fill(self.pick(TITLES), dt) + f" (đợt {len(used)})")
        used.add(t)
        return t

    def paragraph(self, dt, lo=1, hi=4) -> str:
        return clean(
            " ".join(self.fill(self.pick(SENTENCES), dt) for _ in range(self.r.randint(lo, hi)))
        )

    def table_block(self, dt):
        kind = self.r.randint(0, 2)
        if kind == 0:
            rows = [["STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Tỷ lệ trực tuyến"]]
            for i in range(self.r.randint(2, 6)):
                rows.append([str(i + 1), self.commune().capitalize(), self.num(100, 9000),
                             f"{self.r.randint(40, 99)},{self.r.randint(0, 9)}%"])  # fmt: skip
        elif kind == 1:
            rows = [["Chỉ tiêu", "Kế hoạch", "Thực hiện"]]
            for label in self.r.sample(["Hồ sơ trực tuyến toàn trình", "Thuê bao băng rộng cố định",
                                        "Điểm phục vụ bưu chính", "Tài khoản VNeID kích hoạt",
                                        "Hệ thống thông tin được phê duyệt cấp độ"], 3):  # fmt: skip
                rows.append([label, self.num(100, 5000), self.num(100, 5000)])
        else:
            rows = [["TT", "Họ tên", "Đơn vị", "Giải"]]
            for i in range(self.r.randint(2, 5)):
                rows.append([str(i + 1), self.person(), self.pick(AGENCIES).replace("{P}", self.prov),
                             self.pick(["Giải A", "Giải B", "Giải C", "Khuyến khích"])])  # fmt: skip
        return ("table", rows)

    def image_block(self, dt):
        cap = clean(self.fill(self.pick(CAPTIONS), dt))
        credit = self.pick(PEN_NAMES) if self.chance(0.5) else None
        src = f"/uploads/{dt.year}/{dt.month:02d}/{self.r.randint(10000, 99999)}.jpg"
        return ("img", src, cap, credit)

    def make_blocks(self, dt, size: str):
        blocks = []
        if size == "short":
            for _ in range(2):
                blocks.append(("p", self.paragraph(dt, 1, 2)))
            if self.chance(0.3):
                blocks.insert(1, self.image_block(dt))
            return blocks
        n = self.r.randint(3, 8) if size == "medium" else self.r.randint(12, 16)
        lo, hi = (1, 4) if size == "medium" else (4, 7)
        for i in range(n):
            if size == "long" and i in (n // 3, 2 * n // 3):
                blocks.append(("h", self.pick(HEADINGS)))
            blocks.append(("p", self.paragraph(dt, lo, hi)))
            if i == 0 and self.chance(0.55) or i > 0 and self.chance(0.12):
                blocks.append(self.image_block(dt))
        if self.chance(0.3 if size == "medium" else 0.7):
            blocks.insert(self.r.randint(1, len(blocks)), self.table_block(dt))
        if self.chance(0.3 if size == "medium" else 0.6):
            items = [
                clean(self.fill(x, dt)) for x in self.r.sample(LIST_ITEMS, self.r.randint(2, 5))
            ]
            blocks.insert(self.r.randint(1, len(blocks)), ("list", items, self.chance(0.4)))
        return blocks

    def make_template(self) -> dict:
        r = self.r
        fmt = r.randrange(len(DATE_FORMATS))
        body = r.choice(
            ["p", "p", "p", "div", "br", "span"]
            + (["td", "font", "br"] if self.t["layout"] in ("tables", "form") else [])
        )
        return {
            "title_tag": r.choice(["h1", "h1", "h2", "h3", "div", "span", "td", "strong", "p"]),
            "title_cls": r.choice(
                [
                    "title",
                    "news-title",
                    "tieude",
                    "art-title",
                    "contentheading",
                    "post-title entry-title",
                    "detail-title",
                    "",
                    "TieuDe",
                    "tin-tieu-de",
                ]
            ),  # fmt: skip
            "kicker": r.random() < 0.25,
            "subtitle": r.random() < 0.2,
            "date_pos": r.choice(["above", "below", "below", "meta", "after"]),
            "fmt": fmt,
            "show_mod": r.random() < 0.25 and DATE_FORMATS[fmt][0] not in LABELLED,
            "lead": r.choice(["bold", "sapo", "em", "none", "plain", "sapo"]),
            "body": body,
            "img": r.choice(["figure", "table", "italic", "credit", "marker"]),
            "byline": r.choice(["right", "tacgia", "div", "top", "none", "right"]),
            "source": r.random() < 0.3,
            "related": r.sample(["same", "other", "newer", "older"], r.randint(0, 3)),
            "related_inside": r.random() < 0.3,
            "related_dates": r.random() < 0.6,
            "share": r.random() < 0.6,
            "views": r.random() < 0.5,
            "comments": r.random() < 0.35,
            "split": r.random() < 0.3,
            "xemthem": r.random() < 0.2,
            "ad": r.random() < 0.25,
            "top_link": r.random() < 0.4,
            "tags": self.t["tags"] and r.random() < 0.8,
            "wrap": r.choice(
                [
                    "article",
                    "news-detail",
                    "detail",
                    "ms-rtestate-field",
                    "item-page",
                    "content",
                    "noidung",
                    "post",
                    "box-detail",
                    "ctl00_divCenter",
                ]
            ),  # fmt: skip
            "body_cls": r.choice(
                [
                    "content",
                    "news-content",
                    "bodytext",
                    "entry-content",
                    "fulltext",
                    "ExternalClass",
                    "article-body",
                    "noi-dung",
                    "detail-content",
                    "cms-body",
                ]
            ),  # fmt: skip
        }

    def articles(self) -> None:
        r = self.r
        n = r.randint(10, 80)
        span = (TODAY - timedelta(days=1) - EPOCH).total_seconds()
        times = sorted(EPOCH + timedelta(seconds=r.random() * span) for _ in range(n))
        tpls = [self.make_template() for _ in range(r.choice([1, 1, 2, 2, 3]))]
        self.tpls = tpls
        modes = ["visible"] * 10
        extra = r.choice([[], [], ["listing"], ["meta"], ["jsonld"], ["listing", "meta", "jsonld"]])
        if extra:
            modes += extra * r.randint(1, 3)
        if any(m == "listing" for m in modes):
            self.t["listing_dates"] = True
        used: set[str] = set()
        self.arts: list[Art] = []
        aid = r.randint(100, 9000) if self.fam != "newspaper" else r.randint(120000, 700000)
        for i, t in enumerate(times):
            dt = t.replace(hour=r.randint(6, 21), second=r.randint(0, 59), microsecond=0)
            if dt >= TODAY - timedelta(hours=2):
                dt = TODAY - timedelta(days=1, hours=3)
            aid += r.randint(1, 40) if self.fam != "newspaper" else r.randint(50, 3000)
            cat = r.choice(self.cats)
            title = self.make_title(dt, used)
            size = r.choices(["short", "medium", "long"], weights=(2, 7, 2))[0]
            tpl = r.choice(tpls)
            lead = (
                clean(self.fill(r.choice(LEADS), dt))
                if tpl["lead"] != "none" and r.random() < 0.85
                else None
            )
            mode = r.choice(modes)
            if mode == "visible" and tpl["date_pos"] == "after":
                mode = "after"
            author = None
            if tpl["byline"] != "none" and r.random() < 0.85:
                author = r.choice(PEN_NAMES + [self.person()])
            a = Art(
                idx=i, aid=aid, cat=cat, title=title, slug=slugify(title)[:90].strip("-"), dt=dt,
                lead=lead, blocks=self.make_blocks(dt, size), author=author,
                source=clean(self.fill(r.choice(SOURCES), dt)) if tpl["source"] and r.random() < 0.7 else None,
                kicker=r.choice(KICKERS) if tpl["kicker"] else None,
                subtitle=r.choice(SUBTITLES) if tpl["subtitle"] and r.random() < 0.7 else None,
                tags=r.sample(self.tagset, r.randint(1, 3)) if tpl["tags"] else [],
                views=r.randint(12, 25000), mode=mode, tpl=tpl,
            )  # fmt: skip
            if tpl["show_mod"] and mode in ("visible", "after"):
                later = dt + timedelta(days=r.randint(1, 300), hours=r.randint(0, 20))
                a.mod_dt = min(later, TODAY - timedelta(hours=3))
                if a.mod_dt <= dt:
                    a.mod_dt = None
            if self.fam == "drupal":
                a.nid = self.new_nid()
            cat.arts.append(a)
            self.arts.append(a)
        seen_paths = set()
        for a in self.arts:
            a.path = self.art_path(a)
            if a.path in seen_paths:
                a.slug = f"{a.slug}-{a.aid}"
                a.path = self.art_path(a)
            seen_paths.add(a.path)
            vis_time = DATE_FORMATS[a.tpl["fmt"]][1]
            list_time = DATE_FORMATS[self.t["listing_fmt"]][1]
            if a.mode in ("visible", "after"):
                has_time = vis_time or self.t["og_time"] or self.t["jsonld"]
            elif a.mode == "listing":
                has_time = list_time
            else:
                has_time = True
            a.precision = "minute" if has_time else "day"

    def gold_paragraphs(self, a: Art) -> list[str]:
        out = [a.lead] if a.lead else []
        for b in a.blocks:
            if b[0] in ("p", "h"):
                out.append(b[1])
            elif b[0] == "table":
                out.extend(" | ".join(row) for row in b[1])
            elif b[0] == "list":
                out.extend(b[1])
        return [clean(p) for p in out]

    # -- scheme variables, nav plan ----------------------------------------------------------
    def scheme(self) -> None:
        r = self.r
        self.np = r.choice(["/news", "/vi/news", "/tin-tuc"])
        self.inst = "".join(
            r.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789")
            for _ in range(12)
        )
        self.sp = r.choice(["/sites/stttt", "/sites/sokhcn", ""])
        self.wp_date = r.random() < 0.4
        self.php_pretty = r.random() < 0.5
        self.jsid = "".join(r.choice("0123456789ABCDEF") for _ in range(32))
        self.utm = r.choice(["utm_source=zalo&utm_medium=social", "utm_source=facebook&utm_medium=share",
                             "utm_source=home&utm_campaign=noibat"])  # fmt: skip
        self.home = "/"
        self.root_redirect = None
        if self.fam == "liferay":
            self.home = "/web/guest/trang-chu"
        elif self.fam == "sharepoint":
            self.home = f"{self.sp}/Pages/Home.aspx"
        elif self.fam == "dnn" and r.random() < 0.5:
            self.home = "/TrangChu/tabid/36/Default.aspx"
        if self.home != "/":
            self.root_redirect = self.home

    def plan(self) -> None:
        """Every non-article page: (kind, path, label, data)."""
        r = self.r
        statics = [("Giới thiệu", "gioi-thieu"), ("Liên hệ", "lien-he")]
        for extra in (("Chức năng, nhiệm vụ", "chuc-nang-nhiem-vu"), ("Lãnh đạo Sở", "lanh-dao-so"),
                      ("Cơ cấu tổ chức", "co-cau-to-chuc")):  # fmt: skip
            if r.random() < 0.6:
                statics.insert(-1, extra)
        self.statics = [
            (lab, slug, self.misc_path("static", slug, r.randint(2, 90))) for lab, slug in statics
        ]
        self.extra: dict[str, object] = {}
        if r.random() < 0.6:
            docs = []
            for i in range(r.randint(2, 5)):
                no = f"{r.randint(100, 3999)}/{r.choice(['QĐ-UBND', 'KH-UBND', 'CV-STTTT', 'TB-SKHCN', 'QĐ-STTTT'])}"
                slug = slugify(f"van ban {no}")
                docs.append((no, self.misc_path("doc", slug, r.randint(100, 999) + i * 1000)))
            self.extra["docs"] = (self.misc_path("docs"), docs)
        if r.random() < 0.5:
            self.extra["faq"] = self.misc_path("faq", "hoi-dap")
        if r.random() < 0.4:
            self.extra["consult"] = self.misc_path(
                "consult", "du-thao-quy-che-quan-ly-cong-thong-tin", r.randint(10, 99)
            )
        if r.random() < 0.5:
            albums = [(f"Album: {t}", self.misc_path("album", slugify("album " + t), r.randint(10, 99) + i * 100))
                      for i, t in enumerate(r.sample(["Hội nghị tổng kết năm", "Ngày Chuyển đổi số",
                                                      "Hội báo Xuân", "Diễn tập an toàn thông tin"], r.randint(1, 3)))]  # fmt: skip
            self.extra["albums"] = (self.misc_path("albums"), albums)
        if r.random() < 0.4:
            vids = [(f"Video: {t}", self.misc_path("video", slugify("video " + t), r.randint(10, 99) + i * 100))
                    for i, t in enumerate(r.sample(["Hướng dẫn nộp hồ sơ trực tuyến", "Phóng sự tổ công nghệ số",
                                                    "Cảnh giác lừa đảo qua mạng"], r.randint(1, 3)))]  # fmt: skip
            self.extra["videos"] = (self.misc_path("videos"), vids)
        if r.random() < 0.5:
            self.extra["schedule"] = self.misc_path("schedule", "lich-cong-tac-tuan")
        if r.random() < 0.35:
            self.extra["events"] = self.misc_path("events")
        if r.random() < 0.6:
            ann = [(t, self.misc_path("announce", slugify(t), r.randint(100, 999) + i * 1000))
                   for i, t in enumerate(r.sample(["Thông báo tuyển dụng viên chức", "Thông báo về việc tiếp công dân định kỳ",
                                                   "Thông báo thay đổi địa chỉ thư điện tử công vụ",
                                                   "Thông báo tạm ngừng cung cấp dịch vụ công trực tuyến để bảo trì"], r.randint(1, 2)))]  # fmt: skip
            self.extra["announce"] = ann
        if r.random() < 0.4:
            self.extra["en"] = self.misc_path("en")
        self.search_path = self.misc_path("search") if r.random() < 0.6 else None
        self.rss_path = self.misc_path("rss") if self.t["rss"] else None

    # -- chrome -------------------------------------------------------------------------------
    def art_href(self, frm: str, a: Art, place: str = "") -> str:
        """An href for an article: its path, or now and then an alias of it."""
        to = a.path
        r = self.r
        if place in ("featured", "popular") and self.t["tracking"] and r.random() < 0.6:
            sep = "&" if "?" in to else "?"
            to = (
                to
                + sep
                + (self.utm if place == "featured" else f"fbclid=IwAR{a.aid * 7919 % 10**9:09d}xZ")
            )
            self.want_alias(to, a, "same")
        elif self.fam == "liferay" and place in ("home", "tag") and r.random() < 0.4:
            to = a.path + f";jsessionid={self.jsid}"
            self.want_alias(to, a, "same")
        elif self.fam in ("sharepoint", "dnn") and place == "related" and r.random() < 0.5:
            to = a.path.lower()
            self.want_alias(to, a, "render")
        elif self.fam == "drupal" and place in ("home", "related") and r.random() < 0.3:
            to = f"/bai-viet/{a.slug}"
            self.want_alias(to, a, "render")
        elif self.fam == "wordpress" and place == "latest" and r.random() < 0.5:
            to = a.path.rstrip("/")
            self.redirects[to] = a.path
            return self.link(frm, to, "root" if self.r.random() < 0.5 else "abs")
        return self.link(frm, to)

    def want_alias(self, path: str, a: Art, how: str) -> None:
        if path not in self.aliases:
            self.aliases[path] = a.path
            self.alias_todo.append((path, a, how))

    def today_str(self) -> str:
        return f"{WEEKDAYS[TODAY.weekday()]}, ngày {dd(TODAY)}"

    def header(self, path: str) -> str:
        t = self.t
        name_tag = "h1" if t["header_h1"] else "div"
        parts = [f'<div class="logo"><a href="{attr(self.link(path, self.home))}"><img src="/images/logo.png" alt="logo"></a></div>',
                 f'<{name_tag} class="site-name">{esc(self.site_name)}</{name_tag}>']  # fmt: skip
        if t["today"]:
            parts.append(f'<div class="today">{esc(self.today_str())}</div>')
            self.bp(self.today_str())
        if "en" in self.extra:
            parts.append(f'<div class="lang">{self.a(path, self.extra["en"], "English")}</div>')
        parts.append(
            '<form class="search" action="/tim-kiem" method="get"><input type="text" name="q" placeholder="Nhập từ khóa..."><button type="submit">Tìm</button></form>'
        )
        self.bp("Nhập từ khóa...")
        return "\n".join(parts)

    def menu(self, path: str) -> str:
        items = [f"<li>{self.a(path, self.home, 'Trang chủ')}</li>"]
        self.bp("Trang chủ")
        sub = "".join(f"<li>{self.a(path, p, lab)}</li>" for lab, _, p in self.statics[:-1])
        items.append(
            f'<li class="has-sub"><a href="javascript:void(0)">Giới thiệu</a><ul>{sub}</ul></li>'
        )
        for c in self.cats:
            mega = ""
            if self.t["mega"] and c.arts:
                latest = sorted(c.arts, key=lambda x: x.dt, reverse=True)[:3]
                mega = (
                    '<div class="mega"><ul>'
                    + "".join(
                        f'<li><a href="{attr(self.art_href(path, x))}">{esc(x.title)}</a></li>'
                        for x in latest
                    )
                    + "</ul></div>"
                )
            items.append(f"<li>{self.a(path, self.cat_path(c), c.name)}{mega}</li>")
        ex = self.extra
        if "docs" in ex:
            items.append(f"<li>{self.a(path, ex['docs'][0], 'Văn bản chỉ đạo điều hành')}</li>")
        more = []
        if "faq" in ex:
            more.append(self.a(path, ex["faq"], "Hỏi đáp trực tuyến"))
        if "consult" in ex:
            more.append(self.a(path, ex["consult"], "Dự thảo lấy ý kiến"))
        if "albums" in ex:
            more.append(self.a(path, ex["albums"][0], "Thư viện ảnh"))
        if "videos" in ex:
            more.append(self.a(path, ex["videos"][0], "Video clip"))
        if "schedule" in ex:
            more.append(self.a(path, ex["schedule"], "Lịch công tác"))
        if "events" in ex:
            more.append(self.a(path, ex["events"], "Lịch sự kiện"))
        if "announce" in ex and "notices" not in self.t["widgets"]:
            more.extend(self.a(path, p, lab) for lab, p in ex["announce"])
        if more:
            items.append(
                '<li class="has-sub"><a href="javascript:void(0)">Tiện ích</a><ul>'
                + "".join(f"<li>{m}</li>" for m in more)
                + "</ul></li>"
            )
        lab, _, p = self.statics[-1]
        items.append(f"<li>{self.a(path, p, lab)}</li>")
        self.bp("Hỏi đáp trực tuyến", "Dự thảo lấy ý kiến", "Thư viện ảnh", "Lịch công tác", "Lịch sự kiện",
                "Văn bản chỉ đạo điều hành")  # fmt: skip
        return '<ul class="menu">' + "".join(items) + "</ul>"

    def breadcrumb(self, path: str, cat: Cat | None, last: str | None = None) -> str:
        if not self.t["breadcrumb"]:
            return ""
        sep = self.sep
        bits = [self.a(path, self.home, "Trang chủ")]
        if cat:
            bits.append(self.a(path, self.cat_path(cat), cat.name))
        if last:
            bits.append(f"<span>{esc(last)}</span>")
        return f'<div class="breadcrumb">{sep.join(bits)}</div>'

    def latest(self, k: int) -> list[Art]:
        return sorted(self.arts, key=lambda x: x.dt, reverse=True)[:k]

    def widget(self, name: str, path: str) -> str:
        r = self.r
        if name == "latest":
            with_dates = self.wid_dates
            lis = []
            for x in self.latest(8):
                d = f' <span class="date">({dd(x.dt)})</span>' if with_dates else ""
                lis.append(
                    f'<li><a href="{attr(self.art_href(path, x, "latest"))}">{esc(x.title)}</a>{d}</li>'
                )
            self.bp("Tin mới nhất")
            return (
                f'<div class="box"><h2 class="title">Tin mới nhất</h2><ul>{"".join(lis)}</ul></div>'
            )
        if name == "popular":
            lis = "".join(
                f'<li><a href="{attr(self.art_href(path, x, "popular"))}">{esc(x.title)}</a></li>'
                for x in self.popular
            )
            self.bp("Tin đọc nhiều")
            return f'<div class="box"><h3 class="title">Tin đọc nhiều</h3><ul>{lis}</ul></div>'
        if name == "links":
            opts = [("https://chinhphu.vn", "Cổng TTĐT Chính phủ"), ("https://mst.gov.vn", "Bộ Khoa học và Công nghệ"),
                    ("https://dichvucong.gov.vn", "Cổng Dịch vụ công quốc gia"), ("https://vnexpress.net", "Báo VnExpress")]  # fmt: skip
            o = "".join(f'<option value="{u}">{esc(t)}</option>' for u, t in opts)
            self.bp("Liên kết website", "-- Chọn liên kết --")
            return f'<div class="box"><h3>Liên kết website</h3><select onchange="window.open(this.value)"><option value="">-- Chọn liên kết --</option>{o}</select></div>'
        if name == "poll":
            q = "Bạn đánh giá thế nào về giao diện mới của trang thông tin điện tử?"
            opts = [
                "Rất hài lòng với giao diện",
                "Tạm được, cần cải thiện",
                "Chưa hài lòng, khó tìm thông tin",
            ]
            o = "".join(
                f'<label><input type="radio" name="poll" value="{i}"> {esc(t)}</label><br>'
                for i, t in enumerate(opts)
            )
            self.bp("Thăm dò ý kiến", q, *opts, "Bình chọn", "Xem kết quả")
            return f'<div class="box poll"><h3>Thăm dò ý kiến</h3><p>{esc(q)}</p><form>{o}<button type="button">Bình chọn</button> <a href="javascript:void(0)">Xem kết quả</a></form></div>'
        if name == "weather":
            w = f"{self.prov}: {self.temp}°C, nhiều mây, độ ẩm {self.hum}%"
            self.bp("Thời tiết", w)
            return f'<div class="box weather"><h3>Thời tiết</h3><div>{esc(w)}</div></div>'
        if name == "rates":
            rows = "".join(f"<tr><td>{c}</td><td>{v}</td></tr>" for c, v in self.rates)
            self.bp("Tỷ giá ngoại tệ")
            return f'<div class="box rates"><h3>Tỷ giá ngoại tệ</h3><table>{rows}</table></div>'
        if name == "counter":
            on, today, total = self.counter
            self.bp(
                f"Đang truy cập: {on}",
                f"Hôm nay: {today}",
                f"Tổng lượt truy cập: {total}",
                "Thống kê truy cập",
            )
            return (f'<div class="box counter"><h3>Thống kê truy cập</h3><div>Đang truy cập: {on}</div>'
                    f"<div>Hôm nay: {today}</div><div>Tổng lượt truy cập: {total}</div></div>")  # fmt: skip
        if name == "banners":
            return ('<div class="box banners"><a href="https://dichvucong.gov.vn" target="_blank"><img src="/images/banner-dvc.png" alt="Dịch vụ công"></a>'
                    '<a href="https://tinnhiemmang.vn" target="_blank"><img src="/images/tinnhiemmang.png" alt="Tín nhiệm mạng"></a></div>')  # fmt: skip
        if name == "docs" and "docs" in self.extra:
            lis = "".join(
                f"<li>{self.a(path, p, 'Văn bản số ' + no)}</li>" for no, p in self.extra["docs"][1]
            )
            self.bp("Văn bản mới")
            return f'<div class="box"><h3>Văn bản mới</h3><ul>{lis}</ul></div>'
        if name == "iframe":
            return '<div class="box fb"><iframe src="https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com%2Fstttt" width="300" height="200" frameborder="0"></iframe></div>'
        if name == "notices" and "announce" in self.extra:
            lis = "".join(f"<li>{self.a(path, p, lab)}</li>" for lab, p in self.extra["announce"])
            self.bp("Thông báo mới")
            return f'<div class="box"><h3>Thông báo mới</h3><ul>{lis}</ul></div>'
        _ = r
        return ""

    def sidebars(self, path: str) -> tuple[str, str]:
        ws = [self.widget(w, path) for w in self.t["widgets"]]
        if self.search_path:
            self.bp("Tìm kiếm nhiều")
            ws.append(
                f'<div class="box"><h3>Tìm kiếm nhiều</h3>{self.a(path, self.search_path, "chuyển đổi số", "kw")}</div>'
            )
        ws = [w for w in ws if w]
        if self.t["cols"] == 3:
            k = len(ws) // 2
            return "\n".join(ws[:k]), "\n".join(ws[k:])
        return "", "\n".join(ws)

    def footer(self, path: str) -> str:
        lines = [f"© Bản quyền thuộc {self.site_name}", f"Địa chỉ: {self.addr}",
                 f"Điện thoại: {self.phone} - Email: {self.email}", self.lic,
                 f"Chịu trách nhiệm chính: {self.chief}",
                 f"Ghi rõ nguồn “{self.short}” khi phát hành lại thông tin từ website này."]  # fmt: skip
        self.bp(*lines)
        links = []
        if self.rss_path:
            links.append(self.a(path, self.rss_path, "RSS"))
        lab, _, p = self.statics[-1]
        links.append(self.a(path, p, lab))
        links.append('<a href="#top" class="totop">Về đầu trang</a>')
        self.bp("Về đầu trang")
        return (
            "".join(f"<p>{esc(x)}</p>" for x in lines)
            + '<div class="flinks">'
            + " | ".join(links)
            + "</div>"
        )

    def doc(self, path: str, title: str, main: str, head: str = "", side: bool = True) -> bytes:
        t = self.t
        enc = "windows-1258" if t["enc"] == "cp1258" else "utf-8"
        meta = ""
        if t["declare"] in ("both", "meta"):
            meta = (f'<meta charset="{enc}">' if self.r.random() < 0.5 and t["layout"] == "html5"
                    else f'<meta http-equiv="Content-Type" content="text/html; charset={enc}">')  # fmt: skip
        head_all = f'{meta}\n<title>{esc(title)}</title>\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="stylesheet" href="/css/style.css">\n{head}'
        hdr, nav, foot = self.header(path), self.menu(path), self.footer(path)
        left, right = self.sidebars(path) if side else ("", "")
        if t["cols"] == 1:
            main = main + (f'<div class="bottom-widgets">{right}</div>' if right else "")
            right = ""
        lay = t["layout"]
        if lay == "html5":
            cols = (
                (f'<aside class="col-left">{left}</aside>' if left else "")
                + f'<main class="col-main">{main}</main>'
                + (f'<aside class="col-right">{right}</aside>' if right else "")
            )
            out = (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n{head_all}\n</head>\n<body id="top">\n<header id="header">{hdr}</header>\n'
                   f'<nav class="navbar">{nav}</nav>\n<div class="container"><div class="row">{cols}</div></div>\n<footer class="footer">{foot}</footer>\n</body>\n</html>\n')  # fmt: skip
        elif lay == "divsoup":
            cols = (
                (f'<div class="left">{left}</div>' if left else "")
                + f'<div class="center"><div class="inner">{main}</div></div>'
                + (f'<div class="right">{right}</div>' if right else "")
            )
            out = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
                   f'<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n{head_all}\n</head>\n<body><a name="top"></a>\n<div id="wrapper"><div id="header">{hdr}</div>\n'
                   f'<div id="menu">{nav}</div>\n<div id="main">{cols}<div class="clear"></div></div>\n<div id="footer">{foot}</div></div>\n</body>\n</html>\n')  # fmt: skip
        else:
            cells = (
                (f'<td width="200" valign="top" class="leftcol">{left}</td>' if left else "")
                + f'<td valign="top"><table width="100%" cellpadding="0" cellspacing="0"><tr><td valign="top">{main}</td></tr></table></td>'
                + (f'<td width="230" valign="top" class="rightcol">{right}</td>' if right else "")
            )
            n = 1 + bool(left) + bool(right)
            grid = (f'<table width="1000" align="center" cellpadding="0" cellspacing="0" border="0">\n<tr><td colspan="{n}">{hdr}</td></tr>\n'
                    f'<tr><td colspan="{n}" class="menubar">{nav}</td></tr>\n<tr>{cells}</tr>\n<tr><td colspan="{n}" class="footer">{foot}</td></tr>\n</table>')  # fmt: skip
            if lay == "form":
                vs = "/wEPDwUK" + "".join(
                    self.r.choice(
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                    )
                    for _ in range(120)
                )
                grid = (f'<form name="aspnetForm" method="post" action="{attr(path)}" id="aspnetForm">\n<div><input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                        f'<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" /><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{vs}" /></div>\n'
                        "<script type=\"text/javascript\">function __doPostBack(eventTarget, eventArgument) { var f = document.forms['aspnetForm']; f.__EVENTTARGET.value = eventTarget; f.__EVENTARGUMENT.value = eventArgument; f.submit(); }</script>\n"
                        f"{grid}\n</form>")  # fmt: skip
            out = (f'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n{head_all}\n</head>\n'
                   f'<body topmargin="0" leftmargin="0"><a name="top"></a>\n{grid}\n</body>\n</html>\n')  # fmt: skip
        return self.encode(out)

    def encode(self, s: str) -> bytes:
        if self.t["nfd"]:
            s = unicodedata.normalize("NFD", s)
        if self.t["enc"] == "cp1258":
            return encode_1258(s)
        return s.encode("utf-8")

    def ctype(self) -> str:
        enc = "windows-1258" if self.t["enc"] == "cp1258" else "utf-8"
        if self.t["declare"] in ("both", "header"):
            return f"text/html; charset={enc}"
        return "text/html"

    def page_title(self, t: str) -> str:
        f = self.t["title_fmt"]
        return [f"{t} - {self.site_name}", f"{self.site_name} - {t}", f"{t} | {self.short}", t,
                self.site_name, f"{t} - {self.short}"][f]  # fmt: skip

    def add_html(self, path: str, title: str, main: str, kind: str | None, head: str = "") -> None:
        self.add(path, self.doc(path, self.page_title(title), main, head), self.ctype())
        if kind:
            self.kinds[path] = kind

    # -- article pages ----------------------------------------------------------------------------
    def txt(self, s: str) -> str:
        """Escaped text with the odd &nbsp; and line break in the source."""
        out = esc(s)
        r = self.r
        if r.random() < 0.25:
            words = out.split(" ")
            if len(words) > 4:
                i = r.randrange(1, len(words) - 1)
                words[i] = words[i] + ("&nbsp;" if r.random() < 0.5 else "\n")
                out = " ".join(words).replace("&nbsp; ", "&nbsp;")
        if r.random() < 0.1:
            out = "&nbsp;&nbsp;&nbsp; " + out
        return out

    def para(self, s: str, style: str) -> str:
        r = self.r
        if style == "p":
            st = ' style="text-align: justify;"' if r.random() < 0.4 else ""
            return f"<p{st}>{self.txt(s)}</p>"
        if style == "div":
            return f"<div>{self.txt(s)}</div>"
        if style == "span":
            words = s.split(" ")
            k = r.randrange(1, len(words)) if len(words) > 3 else len(words)
            a, b = " ".join(words[:k]), " ".join(words[k:])
            sp = "<span style=\"font-size:13pt;font-family:'Times New Roman',serif\">"
            inner = f"{sp}{esc(a)} </span>{sp}{esc(b)}</span>" if b else f"{sp}{esc(a)}</span>"
            return f'<p class="MsoNormal">{inner}</p>'
        if style == "font":
            return f'<font face="Arial" size="2">{self.txt(s)}</font>'
        return self.txt(s)  # br / td

    def block_html(self, b, a: Art, style: str, path: str, state: dict) -> str:
        k, r, tpl = b[0], self.r, a.tpl
        old = style in ("br", "td", "font")
        if k == "p":
            return self.para(b[1], style)
        if k == "h":
            if old:
                return f"<b>{esc(b[1])}</b>"
            return r.choice(
                [
                    f"<h3>{esc(b[1])}</h3>",
                    f"<p><strong>{esc(b[1])}</strong></p>",
                    f"<h4>{esc(b[1])}</h4>",
                ]
            )
        if k == "img":
            _, src, cap, credit = b
            state["img"] += 1
            img = f'<img src="{attr(self.link(path, src))}" alt="{attr(a.title if tpl["img"] == "marker" else cap)}{" ảnh " + str(state["img"]) if tpl["img"] == "marker" else ""}" width="600">'
            cred = f" (Ảnh: {credit})" if credit else ""
            if old:
                return f"{img}<br><i>{esc(cap + cred)}</i>"
            st = tpl["img"]
            if st == "figure":
                return f'<figure class="image">{img}<figcaption>{esc(cap + cred)}</figcaption></figure>'
            if st in ("table", "marker"):
                return (f'<table class="{"picture" if st == "marker" else "image"}" align="center"><tbody><tr><td class="pic">{img}</td></tr>'
                        f'<tr><td class="caption image_desc"><em>{esc(cap + cred)}</em></td></tr></tbody></table>')  # fmt: skip
            if st == "credit" and credit:
                return (f'<div class="img" style="text-align:center">{img}</div><p class="caption" style="text-align:center"><em>{esc(cap)}</em></p>'
                        f'<p class="credit" style="text-align:right"><em>Ảnh: {esc(credit)}</em></p>')  # fmt: skip
            return f'<p style="text-align:center">{img}</p><p style="text-align:center"><em>{esc(cap + cred)}</em></p>'
        if k == "table":
            rows = b[1]
            th = r.random() < 0.5
            out = [
                '<table border="1" cellpadding="4" cellspacing="0" class="table table-bordered" width="100%"><tbody>'
            ]
            for i, row in enumerate(rows):
                if i == 0 and th:
                    out.append("<tr>" + "".join(f"<th>{esc(c)}</th>" for c in row) + "</tr>")
                elif r.random() < 0.3:
                    out.append("<tr>" + "".join(f"<td><p>{esc(c)}</p></td>" for c in row) + "</tr>")
                else:
                    out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            return "".join(out) + "</tbody></table>"
        if k == "list":
            tag = "ol" if b[2] else "ul"
            return f"<{tag}>" + "".join(f"<li>{esc(x)}</li>" for x in b[1]) + f"</{tag}>"
        if k == "xemthem":
            o = b[1]
            self.bp("Xem thêm:")
            return f'<p class="xemthem"><strong>Xem thêm:</strong> <a href="{attr(self.art_href(path, o, "related"))}">{esc(o.title)}</a></p>'
        if k == "ad":
            self.bp(self.ad_text)
            return f'<div class="banner-inline"><a href="https://zalo.me/stttt" target="_blank"><img src="/images/zalo-oa.png" alt="Zalo OA"></a><span>{esc(self.ad_text)}</span></div>'
        raise AssertionError(k)

    def body_html(self, a: Art, blocks: list, path: str, state: dict) -> str:
        style = a.tpl["body"]
        parts = [self.block_html(b, a, style, path, state) for b in blocks]
        if style in ("br", "td", "font"):
            sep = self.r.choice(["<br><br>\n", "<br />\n<br />\n", "<br/><br/>"])
            return sep.join(parts)
        return "\n".join(parts)

    def date_text(self, a: Art) -> str:
        fn = DATE_FORMATS[a.tpl["fmt"]][0]
        s = fn(a.dt)
        if a.mod_dt:
            s = self.pub_label + s
        return s

    def related(self, a: Art, path: str) -> str:
        out = []
        same = sorted([x for x in a.cat.arts if x is not a], key=lambda x: x.dt, reverse=True)
        labels = {
            "same": "Tin cùng chuyên mục",
            "other": "Tin khác",
            "newer": "Các tin mới hơn",
            "older": "Các tin cũ hơn",
        }
        for kind in a.tpl["related"]:
            if kind == "same":
                lst = same[:5]
            elif kind == "other":
                lst = [x for x in self.r.sample(self.arts, min(6, len(self.arts))) if x is not a][
                    :5
                ]
            elif kind == "newer":
                lst = [x for x in same if x.dt > a.dt][-5:]
            else:
                lst = [x for x in same if x.dt < a.dt][:5]
            if not lst:
                continue
            self.bp(labels[kind])
            lis = []
            for x in lst:
                d = f' <span class="date">({dd(x.dt)})</span>' if a.tpl["related_dates"] else ""
                lis.append(
                    f'<li><a href="{attr(self.art_href(path, x, "related"))}">{esc(x.title)}</a>{d}</li>'
                )
            out.append(
                f'<div class="related-news"><h3 class="title">{labels[kind]}</h3><ul>{"".join(lis)}</ul></div>'
            )
        return "\n".join(out)

    def share_bar(self, a: Art, path: str) -> str:
        n = a.views * 7 % 300
        self.bp("Chia sẻ bài viết", "In bài viết", "Gửi email", "Cỡ chữ", f"{n} lượt chia sẻ")
        print_href = "javascript:window.print()"
        if self.fam == "joomla":
            pv = a.path + "&tmpl=component&print=1&layout=default"
            self.want_alias(pv, a, "print")
            print_href = self.link(path, pv)
        return (f'<div class="share-tools">Chia sẻ bài viết: <a href="https://www.facebook.com/sharer/sharer.php?u={attr(BASE_TOKEN + a.path)}" target="_blank">Facebook</a> '
                f'<a href="https://zalo.me/share?u={attr(BASE_TOKEN + a.path)}">Zalo</a> <span class="count">{n} lượt chia sẻ</span> | '
                f'<a href="{attr(print_href)}" rel="nofollow">In bài viết</a> | <a href="mailto:?subject={attr(a.slug)}">Gửi email</a> | '
                'Cỡ chữ: <a href="javascript:void(0)" class="fs-minus">A-</a> <a href="javascript:void(0)" class="fs-plus">A+</a></div>')  # fmt: skip

    def views_html(self, a: Art) -> str:
        self.bp("Lượt xem:")
        return f'<span class="views">Lượt xem: {a.views:,}</span>'.replace(",", ".")

    def title_html(self, a: Art, path: str) -> str:
        tpl = a.tpl
        tag, cls = tpl["title_tag"], tpl["title_cls"]
        c = f' class="{cls}"' if cls else ""
        inner = esc(a.title)
        if self.fam == "nukeviet" and self.title_link:
            inner = f'<a href="{attr(self.link(path, a.path))}">{inner}</a>'
        if tag == "td":
            return f'<table width="100%" cellpadding="0" cellspacing="0"><tr><td{c}>{inner}</td></tr></table>'
        if tag in ("span", "strong"):
            return f'<div class="title-box"><{tag}{c}>{inner}</{tag}></div>'
        return f"<{tag}{c}>{inner}</{tag}>"

    def iso(self, dt: datetime, utc: bool = False) -> str:
        aware = dt.replace(tzinfo=ICT)
        if utc:
            return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return aware.isoformat()

    def art_head(self, a: Art) -> str:
        t = self.t
        h = []
        if t["canonical"]:
            h.append(f'<link rel="canonical" href="{attr(BASE_TOKEN + a.path)}">')
        if t["og"]:
            h.append(
                f'<meta property="og:title" content="{attr(a.title)}"><meta property="og:type" content="article">'
            )
        desc = a.lead or a.blocks[0][1] if a.blocks and a.blocks[0][0] == "p" else a.title
        h.append(f'<meta name="description" content="{attr((a.lead or desc)[:200])}">')
        if (a.mode in ("visible", "after") and t["og_time"]) or a.mode == "meta":
            h.append(f'<meta property="article:published_time" content="{self.iso(a.dt)}">')
            if a.mod_dt:
                h.append(f'<meta property="article:modified_time" content="{self.iso(a.mod_dt)}">')
        if (a.mode in ("visible", "after") and t["jsonld"]) or a.mode == "jsonld":
            ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
                  "datePublished": self.iso(a.dt, t["jsonld_utc"]),
                  "publisher": {"@type": "Organization", "name": self.site_name}}  # fmt: skip
            if a.mod_dt:
                ld["dateModified"] = self.iso(a.mod_dt, t["jsonld_utc"])
            if a.author:
                ld["author"] = {"@type": "Person", "name": a.author}
            h.append(
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            )
        return "\n".join(h)

    def byline_html(self, a: Art) -> str:
        st = a.tpl["byline"]
        if not a.author or st in ("none", "top"):
            return ""
        old = a.tpl["body"] in ("br", "td", "font")
        if st == "tacgia":
            self.bp("Tác giả:")
            return f'<p class="author">Tác giả: {esc(a.author)}</p>'
        if st == "div":
            return f'<div class="author">{esc(a.author)}</div>'
        if old:
            return f'<div align="right"><b>{esc(a.author)}</b></div>'
        return f'<p style="text-align: right;"><strong>{esc(a.author)}</strong></p>'

    def article_main(self, a: Art, path: str, printable: bool = False) -> str:
        tpl, r = a.tpl, self.r
        state = {"img": 0}
        shown = a.mode == "visible"
        date = f'<div class="date">{esc(self.date_text(a))}</div>' if shown else ""
        mod = ""
        if a.mod_dt and a.mode in ("visible", "after"):
            mod = f'<div class="modified">{esc(self.mod_label + DATE_FORMATS[a.tpl["fmt"]][0](a.mod_dt))}</div>'
        top = []
        if not printable:
            top.append(self.breadcrumb(path, a.cat))
        if a.kicker:
            top.append(f'<div class="kicker">{esc(a.kicker)}</div>')
        if tpl["date_pos"] == "above":
            top.append(date)
        top.append(self.title_html(a, path))
        if a.subtitle:
            top.append(f'<h2 class="subtitle">{esc(a.subtitle)}</h2>')
        if tpl["date_pos"] == "below":
            top.append(date + mod)
            mod = ""
        if tpl["date_pos"] == "meta" or (tpl["date_pos"] == "above" and mod):
            bits = [date, mod] if tpl["date_pos"] == "meta" else [mod]
            if tpl["views"]:
                bits.append(self.views_html(a))
            top.append('<div class="meta-row">' + " ".join(b for b in bits if b) + "</div>")
            mod = ""
        if a.author and tpl["byline"] == "top":
            top.append(f'<div class="author-top">{esc(a.author)}</div>')
        if tpl["share"] and not printable and r.random() < 0.5:
            top.append(self.share_bar(a, path))
        blocks = list(a.blocks)
        if tpl["xemthem"] and len(blocks) > 2 and len(self.arts) > 1:
            other = self.arts[(a.idx + 3) % len(self.arts)]
            if other is not a:
                blocks.insert(self.r.randint(1, len(blocks) - 1), ("xemthem", other))
        if tpl["ad"] and len(blocks) > 2 and not tpl["split"]:
            blocks.insert(self.r.randint(1, len(blocks) - 1), ("ad",))
        lead = ""
        if a.lead:
            ls = tpl["lead"]
            old = tpl["body"] in ("br", "td", "font")
            if ls == "sapo":
                lead = r.choice(
                    [
                        f'<div class="sapo">{esc(a.lead)}</div>',
                        f'<h2 class="sapo">{esc(a.lead)}</h2>',
                        f'<p class="lead"><strong>{esc(a.lead)}</strong></p>',
                    ]
                )
            elif ls == "em":
                blocks.insert(
                    0,
                    (
                        "raw",
                        f"<p><em><strong>{esc(a.lead)}</strong></em></p>"
                        if not old
                        else f"<i><b>{esc(a.lead)}</b></i>",
                    ),
                )
            elif ls == "bold":
                blocks.insert(
                    0,
                    (
                        "raw",
                        f"<p><strong>{esc(a.lead)}</strong></p>"
                        if not old
                        else f"<b>{esc(a.lead)}</b>",
                    ),
                )
            else:
                blocks.insert(0, ("p", a.lead))
        parts_src = [blocks]
        interstitial = ""
        if tpl["split"] and len(blocks) >= 4:
            k = r.randint(2, len(blocks) - 2)
            parts_src = [blocks[:k], blocks[k:]]
            if r.random() < 0.5:
                self.bp(self.ad_text)
                interstitial = f'<div class="adv-inline"><a href="https://zalo.me/stttt"><img src="/images/zalo-oa.png" alt="Zalo"></a> {esc(self.ad_text)}</div>'
            else:
                img = self.image_block(a.dt)
                interstitial = self.block_html(img, a, "p", path, state)
        bodies = []
        for part in parts_src:
            html_parts = []
            for b in part:
                if b[0] == "raw":
                    html_parts.append(b[1])
                else:
                    html_parts.append(self.body_html(a, [b], path, state))
            if tpl["body"] in ("br", "td", "font"):
                inner = self.r.choice(["<br><br>\n", "<br />\n<br />\n"]).join(html_parts)
            else:
                inner = "\n".join(html_parts)
            bodies.append(inner)
        tail_in = ""  # inside the last body container
        byl = self.byline_html(a)
        src = ""
        if a.source:
            self.bp("Nguồn:")
            src = r.choice(
                [
                    f'<p style="text-align:right"><em>Nguồn: {esc(a.source)}</em></p>',
                    f'<div class="source">Nguồn: {esc(a.source)}</div>',
                ]
            )
        after_date = ""
        if a.mode == "after":
            fn = DATE_FORMATS[tpl["fmt"]][0]
            lab = (
                ""
                if fn in LABELLED
                else self.r.choice(["Ngày đăng: ", "Ngày xuất bản: ", "Đăng ngày "])
            )
            after_date = f'<div class="post-date">{esc(lab + fn(a.dt))}</div>'
        if tpl["byline"] in ("right", "tacgia"):
            tail_in += byl
            byl = ""
        tail_in += src
        rel = "" if printable else self.related(a, path)
        if tpl["related_inside"]:
            tail_in += rel
            rel = ""
        cls = tpl["body_cls"]
        cont = []
        for i, inner in enumerate(bodies):
            last = i == len(bodies) - 1
            inner = inner + ("\n" + tail_in if last and tail_in else "")
            if tpl["body"] == "td":
                cont.append(
                    f'<table class="{cls}" width="100%"><tr><td class="noidung" valign="top">{inner}</td></tr></table>'
                )
            else:
                cont.append(
                    f'<div class="{cls}{" part-" + str(i + 1) if len(bodies) > 1 else ""}" id="{"divContent" if i == 0 else "divContent2"}">{inner}</div>'
                )
        body = cont[0] + (("\n" + interstitial + "\n" + cont[1]) if len(cont) > 1 else "")
        bottom = [byl, after_date, mod]
        if a.tags and not printable:
            self.bp("Từ khóa:")
            bottom.append(
                '<div class="tags">Từ khóa: '
                + ", ".join(
                    f'<a href="{attr(self.link(path, self.tag_path(tg)))}">{esc(tg[0])}</a>'
                    for tg in a.tags
                )
                + "</div>"
            )
            for tg in a.tags:
                self.used_tags.setdefault(tg, []).append(a)
        if tpl["views"] and tpl["date_pos"] != "meta":
            bottom.append(self.views_html(a))
        if tpl["share"] and not printable:
            bottom.append(self.share_bar(a, path))
        if not printable:
            bottom.append(rel)
            if tpl["comments"]:
                self.bp(
                    "Ý kiến bạn đọc",
                    "Họ tên của bạn",
                    "Email của bạn",
                    "Nội dung ý kiến",
                    "Mã bảo mật",
                    "Gửi ý kiến",
                )
                bottom.append('<div class="comment-box"><h3>Ý kiến bạn đọc</h3><form action="/binh-luan" method="post">'
                              '<label>Họ tên của bạn</label><input name="name"><label>Email của bạn</label><input name="email">'
                              '<label>Nội dung ý kiến</label><textarea name="body"></textarea><label>Mã bảo mật</label><input name="captcha">'
                              '<button type="submit">Gửi ý kiến</button></form></div>')  # fmt: skip
            if tpl["top_link"]:
                bottom.append('<div class="top"><a href="#top">Về đầu trang</a></div>')
        w = tpl["wrap"]
        tag = "article" if self.t["layout"] == "html5" and w == "article" else "div"
        return (
            f'<{tag} class="{w}">\n'
            + "\n".join(x for x in top if x)
            + "\n"
            + lead
            + "\n"
            + body
            + "\n"
            + "\n".join(x for x in bottom if x)
            + f"\n</{tag}>"
        )

    def render_article(self, a: Art, path: str, printable: bool = False) -> bytes:
        main = self.article_main(a, path, printable)
        head = self.art_head(a)
        title = self.page_title(a.title)
        if printable:
            enc = "windows-1258" if self.t["enc"] == "cp1258" else "utf-8"
            doc = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={enc}"><title>{esc(title)}</title>'
                   f'<meta name="robots" content="noindex">{head}</head><body class="contentpane">{main}</body></html>')  # fmt: skip
            return self.encode(doc)
        return self.doc(path, title, main, head)

    # -- listings ----------------------------------------------------------------------------------
    def summary(self, a: Art) -> str:
        s = a.lead or next((b[1] for b in a.blocks if b[0] == "p"), "")
        words = s.split()
        return " ".join(words[:28]) + (" ..." if len(words) > 28 else "")

    def item_html(self, a: Art, path: str, style: str, place: str = "listing") -> str:
        href = attr(self.art_href(path, a, place))
        d = ""
        if self.t["listing_dates"]:
            d = f'<span class="date">{esc(DATE_FORMATS[self.t["listing_fmt"]][0](a.dt))}</span>'
        thumb = (
            f'<a href="{href}" class="thumb"><img src="/uploads/thumbs/{a.aid}.jpg" alt="{attr(a.title)}"></a>'
            if style == "thumb"
            else ""
        )
        summ = (
            f'<p class="summary">{esc(self.summary(a))}</p>'
            if style in ("thumb", "summary")
            else ""
        )
        ttag = self.list_ttag
        return f'<li class="item">{thumb}<{ttag} class="item-title"><a href="{href}">{esc(a.title)}</a></{ttag}>{d}{summ}</li>'

    def pager(self, path: str, c: Cat, n: int, total: int) -> str:
        if total <= 1:
            return ""
        st = self.t["pager"]
        nxt = self.cat_path(c, n + 1) if n < total else None
        prv = self.cat_path(c, n - 1) if n > 1 else None
        if st == "numbers":
            bits = [
                f'<span class="current">{i}</span>'
                if i == n
                else self.a(path, self.cat_path(c, i), str(i))
                for i in range(1, total + 1)
            ]
            return '<div class="pagination">' + " ".join(bits) + "</div>"
        if st == "next":
            self.bp("Trang sau", "Trang trước")
            bits = ([self.a(path, prv, "« Trang trước")] if prv else []) + (
                [self.a(path, nxt, "Trang sau »")] if nxt else []
            )
            return '<div class="paging">' + " | ".join(bits) + "</div>"
        if st == "raquo":
            bits = [self.a(path, self.cat_path(c, 1), "«"), self.a(path, prv, "‹")] if prv else []
            bits += [f"<b>{n}</b>"]
            bits += (
                [self.a(path, nxt, "›"), self.a(path, self.cat_path(c, total), "»")] if nxt else []
            )
            return '<div class="pages">' + " ".join(bits) + "</div>"
        if st == "postback":
            bits = [
                f"<span>{i}</span>"
                if i == n
                else f"<a href=\"javascript:__doPostBack('ctl00$ctl34$g_7f3a$ctl00$Pager','Page${i}')\">{i}</a>"
                for i in range(1, total + 1)
            ]
            fb = (
                f' <a class="pager-next" href="{attr(self.link(path, nxt))}">Xem tiếp</a>'
                if nxt
                else ""
            )
            self.bp("Xem tiếp")
            return '<div class="ms-paging">' + " ".join(bits) + fb + "</div>"
        if not nxt:
            return ""
        self.bp("Xem thêm tin")
        return f'<div class="load-more"><button type="button" class="btn-more" data-href="{attr(self.link(path, nxt))}">Xem thêm tin</button></div>'

    def listings(self) -> None:
        size = self.t["page_size"]
        for c in self.cats:
            arts = sorted(c.arts, key=lambda x: x.dt, reverse=True)
            total = max(1, -(-len(arts) // size))
            for n in range(1, total + 1):
                path = self.cat_path(c, n)
                chunk = arts[(n - 1) * size : n * size]
                items = "\n".join(self.item_html(a, path, self.t["listing_style"]) for a in chunk)
                h = self.r.choice(["h1", "h2", "div"])
                main = (self.breadcrumb(path, None, c.name) + f'\n<{h} class="cat-title">{esc(c.name)}</{h}>\n'
                        f'<ul class="list-news">{items}</ul>\n' + self.pager(path, c, n, total))  # fmt: skip
                title = c.name + (f" - Trang {n}" if n > 1 else "")
                self.add_html(path, title, main, "listing")

    def home_page(self) -> None:
        path = self.home
        latest = self.latest(12)
        top = latest[0]
        href = attr(self.art_href(path, top, "featured"))
        parts = [f'<div class="featured"><a href="{href}"><img src="/uploads/thumbs/{top.aid}.jpg" alt=""></a>'
                 f'<h2 class="title"><a href="{href}">{esc(top.title)}</a></h2><p>{esc(self.summary(top))}</p></div>']  # fmt: skip
        parts.append(
            '<ul class="hot-news">'
            + "".join(self.item_html(a, path, "titles", "home") for a in latest[1:6])
            + "</ul>"
        )
        self.bp("Xem tất cả")
        for c in self.cats:
            arts = sorted(c.arts, key=lambda x: x.dt, reverse=True)[:5]
            items = "".join(
                self.item_html(a, path, self.r.choice(["titles", "summary"]), "home") for a in arts
            )
            parts.append(f'<div class="cat-box"><h2 class="cat-name">{self.a(path, self.cat_path(c), c.name)}</h2><ul>{items}</ul>'
                         f'<div class="more">{self.a(path, self.cat_path(c), "Xem tất cả")}</div></div>')  # fmt: skip
        self.add_html(path, self.site_name, "\n".join(parts), "home")
        if self.root_redirect:
            self.add("/", b"", "text/html; charset=utf-8", 302, (("Location", self.root_redirect),))

    def tag_pages(self) -> None:
        for tg, arts in self.used_tags.items():
            path = self.tag_path(tg)
            arts = sorted({id(a): a for a in arts}.values(), key=lambda x: x.dt, reverse=True)
            items = "\n".join(self.item_html(a, path, "titles", "tag") for a in arts)
            main = f'<h1 class="tag-title">Từ khóa: {esc(tg[0])}</h1><ul class="list-news">{items}</ul>'
            self.add_html(path, f"Tag: {tg[0]}", main, "tag")

    # -- other non-articles --------------------------------------------------------------------
    def simple(self, path: str, title: str, inner: str, kind: str) -> None:
        h = self.r.choice(["h1", "h2", "div"])
        main = (
            self.breadcrumb(path, None, title)
            + f'\n<{h} class="page-title">{esc(title)}</{h}>\n<div class="page-content">{inner}</div>'
        )
        self.add_html(path, title, main, kind)

    def asset(self, path: str, ctype: str, body: bytes) -> None:
        if path not in self.pages:
            self.add(path, body, ctype)

    def non_articles(self) -> None:
        r = self.r
        for lab, slug, path in self.statics:
            if slug == "gioi-thieu":
                inner = "".join(f"<p>{esc(p)}</p>" for p in r.sample(STATIC_PROSE, r.randint(4, 8)))
            elif slug == "chuc-nang-nhiem-vu":
                inner = (
                    f"<p>{esc(STATIC_PROSE[0])}</p><ol>"
                    + "".join(f"<li>{esc(p)}</li>" for p in STATIC_PROSE[3:])
                    + "</ol>"
                )
            elif slug == "lanh-dao-so":
                rows = "".join(f"<tr><td>{esc(self.person())}</td><td>{role}</td><td>0{r.randint(203, 299)}.{r.randint(3800000, 3899999)}</td><td>0{r.randint(900, 989)}.{r.randint(100, 999)}.{r.randint(100, 999)}</td></tr>"
                               for role in ["Giám đốc", "Phó Giám đốc", "Phó Giám đốc"])  # fmt: skip
                inner = f'<table class="leaders" border="1"><tr><th>Họ và tên</th><th>Chức vụ</th><th>Điện thoại cơ quan</th><th>Di động</th></tr>{rows}</table>'
            elif slug == "co-cau-to-chuc":
                inner = (
                    "<p>Cơ cấu tổ chức của Sở gồm:</p><ul>"
                    + "".join(
                        f"<li>{x}</li>"
                        for x in [
                            "Văn phòng Sở",
                            "Thanh tra Sở",
                            "Phòng Kế hoạch - Tài chính",
                            "Phòng Chuyển đổi số",
                            "Phòng Bưu chính - Viễn thông",
                            "Trung tâm Công nghệ thông tin và Truyền thông",
                        ]
                    )
                    + "</ul>"
                )
            else:
                inner = (f"<p><b>{esc(self.site_name)}</b></p><p>Địa chỉ: {esc(self.addr)}</p><p>Điện thoại: {self.phone}</p><p>Email: {self.email}</p>"
                         '<form class="contact" action="/lien-he/gui" method="post"><label>Họ và tên</label><input name="n"><label>Email</label><input name="e">'
                         '<label>Tiêu đề</label><input name="t"><label>Nội dung</label><textarea name="c"></textarea><button>Gửi liên hệ</button></form>')  # fmt: skip
            self.simple(path, lab, inner, "static")
        ex = self.extra
        if "docs" in ex:
            lpath, docs = ex["docs"]
            rows = []
            for no, dpath in docs:
                issued = TODAY - timedelta(days=r.randint(20, 900))
                summ = f"Về việc {self.pick(PURPOSES)} năm {issued.year}"
                pdf = f"/uploads/vanban/{slugify(no)}.pdf"
                self.asset(pdf, "application/pdf", PDF)
                rows.append(
                    f"<tr><td>{self.a(lpath, dpath, no)}</td><td>{dd(issued)}</td><td>{esc(summ)}</td><td>{self.a(lpath, pdf, 'Tải về')}</td></tr>"
                )
                det = (f'<table class="doc-detail" border="1"><tr><td>Số ký hiệu</td><td>{no}</td></tr><tr><td>Ngày ban hành</td><td>{dd(issued)}</td></tr>'
                       f"<tr><td>Ngày hiệu lực</td><td>{dd(issued + timedelta(days=r.randint(0, 15)))}</td></tr><tr><td>Loại văn bản</td><td>{r.choice(['Quyết định', 'Kế hoạch', 'Công văn', 'Thông báo'])}</td></tr>"
                       f"<tr><td>Cơ quan ban hành</td><td>{r.choice(['UBND tỉnh', esc(self.site_name)])}</td></tr><tr><td>Người ký</td><td>{esc(self.person())}</td></tr>"
                       f"<tr><td>Trích yếu</td><td>{esc(summ)}</td></tr><tr><td>Tệp đính kèm</td><td>{self.a(dpath, pdf, slugify(no) + '.pdf')}</td></tr></table>")  # fmt: skip
                self.simple(dpath, f"Văn bản số {no}", det, "document")
            inner = (
                '<table class="docs" border="1"><tr><th>Số/Ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Tệp</th></tr>'
                + "".join(rows)
                + "</table>"
            )
            self.simple(lpath, "Văn bản chỉ đạo điều hành", inner, "documents")
        if "faq" in ex:
            qs = [("Thủ tục cấp giấy phép xuất bản bản tin cần những hồ sơ gì?", "Hồ sơ gồm đơn đề nghị, bản sao quyết định thành lập cơ quan, tổ chức và mẫu trình bày tên gọi bản tin."),
                  ("Tôi muốn đăng ký tài khoản trên hệ thống dịch vụ công thì làm thế nào?", "Công dân truy cập hệ thống, chọn mục đăng ký và làm theo hướng dẫn; có thể dùng tài khoản định danh điện tử để đăng nhập."),
                  ("Trạm phát sóng gần nhà có ảnh hưởng đến sức khỏe không?", "Các trạm phát sóng đều được kiểm định, mức phơi nhiễm điện từ trường nằm trong giới hạn an toàn theo quy chuẩn kỹ thuật quốc gia."),
                  ("Doanh nghiệp bị mạo danh trên mạng xã hội thì báo cho cơ quan nào?", "Doanh nghiệp gửi phản ánh kèm chứng cứ đến Sở hoặc qua đường dây nóng để được hướng dẫn xử lý.")]  # fmt: skip
            items = "".join(f'<div class="faq-item"><div class="question"><strong>Câu hỏi:</strong> {esc(q)}</div><div class="asker">Người hỏi: {esc(self.person())} ({esc(self.commune())})</div>'
                            f'<div class="answer"><strong>Trả lời:</strong> {esc(a)}</div></div>' for q, a in r.sample(qs, r.randint(2, 4)))  # fmt: skip
            self.simple(
                ex["faq"],
                "Hỏi đáp",
                items
                + '<form class="ask"><label>Câu hỏi của bạn</label><textarea></textarea><button>Gửi câu hỏi</button></form>',
                "faq",
            )
        if "consult" in ex:
            start = TODAY - timedelta(days=r.randint(5, 40))
            pdf = "/uploads/duthao/du-thao-quy-che.pdf"
            self.asset(pdf, "application/pdf", PDF)
            inner = (f"<p><b>Tên dự thảo:</b> Quy chế quản lý, vận hành trang thông tin điện tử tỉnh {esc(self.prov)}</p>"
                     f"<p><b>Thời gian lấy ý kiến:</b> từ {dd(start)} đến {dd(start + timedelta(days=30))}</p><p><b>Cơ quan chủ trì soạn thảo:</b> {esc(self.site_name)}</p>"
                     f"<p><b>Tệp dự thảo:</b> {self.a(ex['consult'], pdf, 'du-thao-quy-che.pdf')}</p>"
                     '<form class="gopy" method="post"><label>Họ tên</label><input><label>Đơn vị</label><input><label>Nội dung góp ý</label><textarea></textarea><button>Gửi góp ý</button></form>')  # fmt: skip
            self.simple(
                ex["consult"],
                "Lấy ý kiến góp ý dự thảo Quy chế quản lý trang thông tin điện tử",
                inner,
                "consultation",
            )
        if "albums" in ex:
            ipath, albums = ex["albums"]
            grid = []
            for k, (t, apath) in enumerate(albums):
                grid.append(f'<div class="album">{self.a(ipath, apath, t)}</div>')
                pics = []
                for j in range(r.randint(3, 8)):
                    img = f"/uploads/album/{k}-{j}.jpg"
                    self.asset(img, "image/jpeg", JPG)
                    pics.append(
                        f'<div class="pic"><a href="{attr(self.link(apath, img))}"><img src="{attr(img)}" alt=""></a><span>{esc(self.fill(self.pick(CAPTIONS)))}</span></div>'
                    )
                self.simple(apath, t, '<div class="gallery">' + "".join(pics) + "</div>", "gallery")
            self.simple(ipath, "Thư viện ảnh", "".join(grid), "gallery")
        if "videos" in ex:
            ipath, vids = ex["videos"]
            grid = []
            for t, vpath in vids:
                grid.append(f'<div class="video-item">{self.a(ipath, vpath, t)}</div>')
                inner = f'<video controls width="640" src="/uploads/video/{slugify(t)}.mp4"></video><p class="desc">{esc(t)}.</p>'
                if r.random() < 0.5:
                    inner = (
                        '<iframe width="640" height="360" src="https://www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" allowfullscreen></iframe>'
                        + f'<p class="desc">{esc(t)}.</p>'
                    )
                self.simple(vpath, t, inner, "video")
            self.simple(ipath, "Video clip", "".join(grid), "video")
        if "schedule" in ex:
            mon = TODAY - timedelta(days=TODAY.weekday() + 7)
            rows = []
            for d in range(5):
                day = mon + timedelta(days=d)
                for hh in r.sample(["07h30", "08h00", "09h30", "14h00", "15h30"], r.randint(1, 2)):
                    rows.append(
                        f"<tr><td>{WEEKDAYS[d]}, {dd(day)}</td><td>{hh}</td><td>{esc(self.fill(self.pick(EVENTS)).capitalize())}</td><td>{esc(self.person())}</td><td>{esc(self.fill(self.pick(PLACES)))}</td></tr>"
                    )
            inner = (f"<p>Tuần {mon.isocalendar()[1]} (từ ngày {dd(mon)} đến ngày {dd(mon + timedelta(days=6))})</p>"
                     '<table class="schedule" border="1"><tr><th>Thứ/Ngày</th><th>Thời gian</th><th>Nội dung</th><th>Chủ trì</th><th>Địa điểm</th></tr>' + "".join(rows) + "</table>")  # fmt: skip
            self.simple(ex["schedule"], "Lịch công tác tuần của Lãnh đạo Sở", inner, "schedule")
        if "events" in ex:
            cells = []
            for wk in range(5):
                tds = []
                for d in range(7):
                    day = 1 + wk * 7 + d - 6  # November 2026 starts on a Sunday
                    ev = (
                        f'<div class="ev">{esc(self.pick(EVENTS).capitalize())}</div>'
                        if 1 <= day <= 30 and r.random() < 0.2
                        else ""
                    )
                    tds.append(f"<td>{day if 1 <= day <= 30 else ''}{ev}</td>")
                cells.append("<tr>" + "".join(tds) + "</tr>")
            inner = (
                '<table class="calendar"><caption>Tháng 11/2026</caption><tr>'
                + "".join(f"<th>{w}</th>" for w in WEEKDAYS)
                + "</tr>"
                + "".join(cells)
                + "</table>"
            )
            self.simple(ex["events"], "Lịch sự kiện", inner, "events")
        for t, apath in ex.get("announce", []):
            inner = (f"<p>{esc(self.site_name)} trân trọng thông báo tới các cơ quan, đơn vị, tổ chức và công dân nội dung như sau.</p>"
                     f"<p>{esc(self.pick(STATIC_PROSE[3:]))}</p><p>Mọi chi tiết xin liên hệ Văn phòng Sở qua số điện thoại {self.phone}.</p>")  # fmt: skip
            self.simple(apath, t, inner, "announcement")
        if "en" in ex:
            inner = (f"<p>Welcome to the website of the Department of Science and Technology of {esc(slugify(self.prov).replace('-', ' ').title())} Province.</p>"
                     "<p>The Department advises the Provincial People's Committee on science, technology, innovation, digital transformation, posts, telecommunications and the press.</p>"
                     "<p>Citizens and businesses can submit applications online through the provincial public service portal.</p>")  # fmt: skip
            self.simple(ex["en"], "About the Department", inner, "english")
        if self.search_path:
            hits = [a for a in self.arts if "số" in a.title][:10] or self.arts[:5]
            items = "\n".join(
                self.item_html(a, self.search_path, "summary", "search") for a in hits
            )
            self.simple(
                self.search_path,
                "Kết quả tìm kiếm",
                f"<p>Tìm thấy {len(hits)} kết quả cho từ khóa “chuyển đổi số”</p><ul>{items}</ul>",
                "search",
            )

    # -- feeds ---------------------------------------------------------------------------------
    def feeds(self) -> None:
        if self.rss_path:
            items = "".join(
                f"<item><title>{esc(a.title)}</title><link>{esc(BASE_TOKEN + a.path)}</link>"
                f"<pubDate>{a.dt.replace(tzinfo=ICT).strftime('%a, %d %b %Y %H:%M:%S +0700')}</pubDate>"
                f"<description>{esc(self.summary(a))}</description></item>"
                for a in self.latest(20)
            )
            xml = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{esc(self.site_name)}</title><link>{BASE_TOKEN}/</link>{items}</channel></rss>'
            self.add(self.rss_path, xml.encode("utf-8"), "application/rss+xml; charset=utf-8")
            self.kinds[self.rss_path] = "feed"

        def urlset(paths):
            return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<url><loc>{esc(BASE_TOKEN + p)}</loc></url>" for p in paths) + "</urlset>").encode()  # fmt: skip

        sm = self.t["sitemap"]
        root = "/wp-sitemap.xml" if self.fam == "wordpress" else "/sitemap.xml"
        arts = [a.path for a in sorted(self.arts, key=lambda x: x.dt, reverse=True)]
        others = (
            [self.home] + [self.cat_path(c) for c in self.cats] + [p for _, _, p in self.statics]
        )
        if sm == "flat":
            self.add(root, urlset(arts + others), "application/xml")
            self.kinds[root] = "sitemap"
        elif sm == "index":
            subs = ["/sitemap-posts.xml", "/sitemap-pages.xml"]
            idx = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   + "".join(f"<sitemap><loc>{BASE_TOKEN}{s}</loc></sitemap>" for s in subs) + "</sitemapindex>")  # fmt: skip
            self.add(root, idx.encode(), "application/xml")
            self.add(subs[0], urlset(arts), "application/xml")
            self.add(subs[1], urlset(others), "application/xml")
            for p in [root, *subs]:
                self.kinds[p] = "sitemap"
        robots = "User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\nDisallow: /binh-luan\n"
        if self.t["crawl_delay"]:
            robots += "Crawl-delay: 1\n"
        if sm != "none":
            robots += f"\nSitemap: {BASE_TOKEN}{root}\n"
        self.add("/robots.txt", robots.encode(), "text/plain; charset=utf-8")

    # -- build -----------------------------------------------------------------------------------
    def build(self) -> Portal:
        r = self.r
        self.setup()
        self.scheme()
        self.categories()
        self.articles()
        self.plan()
        self.redirects: dict[str, str] = {}
        self.alias_todo: list = []
        self.used_tags: dict = {}
        self.sep = r.choice([" » ", " / ", " > ", " | "])
        self.wid_dates = r.random() < 0.5
        self.popular = r.sample(self.arts, min(5, len(self.arts)))
        self.temp, self.hum = r.randint(14, 34), r.randint(55, 95)
        self.rates = [
            ("USD", self.num(24000, 26500)),
            ("EUR", self.num(26000, 29000)),
            ("JPY", str(r.randint(160, 180))),
        ]
        self.counter = (r.randint(20, 400), self.num(500, 9000), self.num(100000, 9900000))
        self.title_link = r.random() < 0.3
        self.ad_text = "Mời quý độc giả theo dõi Zalo OA của Sở để nhận tin nhanh nhất"
        self.pub_label = r.choice(["Ngày đăng: ", "Xuất bản: ", "Đăng ngày: "])
        self.mod_label = r.choice(["Cập nhật lần cuối: ", "Ngày cập nhật: ", "Sửa đổi lần cuối: "])
        self.list_ttag = r.choice(["h3", "h2", "div", "span"])
        for a in self.arts:
            self.add(a.path, self.render_article(a, a.path), self.ctype())
        self.home_page()
        self.listings()
        self.tag_pages()
        self.non_articles()
        self.feeds()
        done = 0
        while done < len(self.alias_todo):
            path, a, how = self.alias_todo[done]
            done += 1
            if how == "same":
                self.add(path, self.pages[a.path].body, self.pages[a.path].content_type)
            else:
                self.add(path, self.render_article(a, path, how == "print"), self.ctype())
        for src, dst in self.redirects.items():
            if src not in self.pages:
                self.add(src, b"", "text/html; charset=utf-8", 301, (("Location", dst),))
        nf = self.doc(
            "/404",
            "Không tìm thấy trang",
            '<div class="error"><h1>404</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p></div>',
            side=False,
        )
        self.pages[NOT_FOUND_KEY] = Page(404, self.ctype(), nf)
        gold = []
        for a in self.arts:
            at = a.dt if a.precision == "minute" else a.dt.replace(hour=0, minute=0)
            gold.append(
                GoldArticle(
                    path=a.path,
                    title=clean(a.title),
                    published_at=at.replace(second=0, tzinfo=ICT).isoformat(),
                    published_precision=a.precision,
                    paragraphs=self.gold_paragraphs(a),
                    author=a.author,
                    category=a.cat.name,
                )  # fmt: skip
            )
        non = [p for p in self.pages if p in self.kinds]
        return Portal(
            seed=self.seed,
            site_name=self.site_name,
            pages=self.pages,
            gold=gold,
            boilerplate=sorted(self.boiler),
            non_articles=non,
            non_article_kinds={p: self.kinds[p] for p in non},
            aliases=dict(self.aliases),
            meta={
                "generator": "portalgen2",
                "scheme": self.fam,
                "layout": self.t["layout"],
                "encoding": self.t["enc"],
                "today": TODAY.date().isoformat(),
                "home": self.home,
            },
        )


def build_portal(seed: int) -> Portal:
    """A randomized portal for `seed` (deterministic)."""
    return Builder(seed).build()
