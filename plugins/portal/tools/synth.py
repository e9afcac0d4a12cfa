"""Synthetic content trees in the content model, for benchmarks.

Build time and search-index size depend on how many articles a site has and on
what their text looks like, so a benchmark needs many articles that read like
the real ones: Vietnamese words of this domain drawn with a Zipf-like
frequency, references that resolve, honours whose award fits the recipient,
the 2025 province merger respected, a few NFD files. The tree must pass a
strict build, and one seed must always give the same bytes, so every choice
comes from one ``random.Random(seed)``, in a fixed order. Files are written as
they are made: memory stays flat at 100,000 articles.

The shipped vocabulary (awards, campaigns, clusters, provinces) is copied
verbatim, with the few shipped exemplars that clusters name as members.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..frontmatter import read
from ..schema import EVENTS, KINDS, coerce
from ..validate import RESERVED_EXEMPLAR_SLUGS
from ..vietnamese import slugify

__all__ = ["CONTENT", "SynthStats", "generate"]

CONTENT = Path(__file__).resolve().parents[3] / "content"
VOCABULARY = ("awards", "campaigns", "clusters", "provinces")

FIRST_DAY = date(2016, 1, 1).toordinal()
DAYS = date(2025, 12, 31).toordinal() - FIRST_DAY + 1
MERGER = datetime(2025, 7, 1)
NFD_EVERY = 50  # one article in 50 is written in NFD; a fixed stride so small trees get one too


def _entries(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.replace("\n", ",").split(",") if w.strip())


# Ordered from most to least frequent: the rank sets the Zipf weight.
WORDS = _entries("""
của, và, các, những, được, trong, với, cho, là, đã, có, này, một, người, năm, không, để, theo, đến, từ,
tại, về, khi, nhiều, cũng, đó, như, sẽ, đang, trên, ra, vào, còn, hơn, mà, bằng, qua, sau, trước, lại,
nên, vẫn, đều, rất, chỉ, nhằm, cùng, giữa, mỗi, từng, toàn, hết, nhất, do, nhờ, vì, thêm, đây, gần,
hai, ba, bốn, năm nay, hằng năm, luôn, đặc biệt, tiếp tục, cụ thể,
thi đua, khen thưởng, phong trào, điển hình, tiên tiến, cán bộ, nhân dân, địa phương, đơn vị, tập thể,
cá nhân, công tác, thành tích, nông thôn mới, giảm nghèo, chuyển đổi số, công chức, viên chức, hội nghị,
tổng kết, giao ước, bằng khen, huân chương, đổi mới, sáng tạo, đoàn kết, đồng bào, đường giao thông,
phát động, triển khai, thực hiện, nhiệm vụ, kinh tế, xã hội, phát triển, chính quyền, Đảng, Nhà nước,
Chính phủ, Thủ tướng, Hội đồng, Mặt trận, biểu dương, tôn vinh, nhân rộng, người tốt, việc tốt,
danh hiệu, chiến sĩ thi đua, lao động, sản xuất, kinh doanh, doanh nghiệp, hợp tác xã, người dân,
hộ nghèo, cận nghèo, thu nhập, đời sống, văn hóa, giáo dục, y tế, an ninh, quốc phòng, trật tự,
biên giới, vùng sâu, vùng xa, miền núi, dân tộc, thiểu số, cơ sở, cấp xã, cấp tỉnh, cấp huyện, thôn,
bản, ấp, tổ dân phố, khu dân cư, tiêu chí, chỉ tiêu, kế hoạch, chương trình, mục tiêu, kết quả,
hiệu quả, chất lượng, nâng cao, đẩy mạnh, tăng cường, đạt chuẩn, kiểu mẫu, hoàn thành, vượt mức,
xuất sắc, tiêu biểu, gương mẫu, trách nhiệm, đóng góp, hưởng ứng, vận động, tuyên truyền, lãnh đạo,
chỉ đạo, điều hành, quản lý, hành chính, cải cách, dịch vụ công, trực tuyến, số hóa, dữ liệu, nền tảng,
ứng dụng, công nghệ, khoa học, khởi nghiệp, xây dựng, hạ tầng, công trình, nhà văn hóa, trường học,
trạm y tế, kênh mương, điện lưới, nước sạch, môi trường, vệ sinh, cảnh quan, xanh, sạch, đẹp, an toàn,
bền vững, đồng lòng, chung sức, chung tay, góp công, hiến đất, ngày công, kinh phí, nguồn lực,
ngân sách, xã hội hóa, hỗ trợ, giúp đỡ, tặng quà, nhà tình nghĩa, nhà đại đoàn kết, nhà tạm,
nhà dột nát, sinh kế, việc làm, đào tạo nghề, học tập, khuyến học, khuyến tài, thanh niên, phụ nữ,
nông dân, cựu chiến binh, công đoàn, đoàn viên, hội viên, đảng viên, chi bộ, bí thư, chủ tịch,
phó chủ tịch, giám đốc, trưởng thôn, già làng, người có uy tín, bình xét, đề nghị, quyết định, trao tặng,
công nhận, buổi lễ, ghi nhận, đánh giá, kiểm tra, giám sát, thẩm định, hồ sơ, quy trình, công khai,
minh bạch, dân chủ, kịp thời, chính xác, đúng người, đúng việc,
Đắk Lắk, Đồng Tháp, Hà Nội, Hồ Chí Minh, Đà Nẵng, Hải Phòng, Cần Thơ, Huế, Quảng Ninh, Nghệ An,
Thanh Hóa, Lào Cai, Lạng Sơn, Cao Bằng, Điện Biên, Sơn La, Gia Lai, Lâm Đồng, Khánh Hòa, Quảng Ngãi,
An Giang, Cà Mau, Vĩnh Long, Tây Ninh, Đồng Nai, Bắc Ninh, Hưng Yên, Ninh Bình, Phú Thọ, Thái Nguyên,
Tuyên Quang, Hà Tĩnh, Quảng Trị, Tây Nguyên, đồng bằng, sông Cửu Long, Đông Nam Bộ, Bắc Trung Bộ,
duyên hải, Trường Sa, Tây Bắc, Việt Bắc,
ruộng đồng, lúa gạo, cà phê, hồ tiêu, cao su, thủy sản, chăn nuôi, trồng trọt, lâm nghiệp, rừng, biển,
đảo, ngư dân, tàu cá, cây ăn quả, sầu riêng, thanh long, xoài, vải thiều, chè, rau an toàn, hữu cơ,
VietGAP, OCOP, sản phẩm, thương hiệu, thị trường, tiêu thụ, liên kết, chuỗi giá trị, xuất khẩu,
nhập khẩu, thương mại điện tử, sàn giao dịch, hợp đồng, bao tiêu, vốn vay, tín dụng, tiết kiệm,
chống lãng phí, tham nhũng, tiêu cực, kỷ luật, kỷ cương, văn minh, công sở, thủ tục, một cửa,
liên thông, cổng dịch vụ, định danh, điện tử, căn cước, chữ ký số, thanh toán, tiền mặt, camera,
phòng cháy, chữa cháy, cứu hộ, cứu nạn, thiên tai, bão lũ, sạt lở, hạn hán, xâm nhập mặn, khí hậu,
dịch bệnh, COVID-19, tiêm chủng, vắc xin, bác sĩ, điều dưỡng, bệnh viện, khám chữa bệnh, bảo hiểm,
người cao tuổi, trẻ em, học sinh, sinh viên, giáo viên, nhà giáo, thầy cô, lớp học, điểm trường,
bán trú, nội trú, kỳ thi, giải thưởng, nghiên cứu, sáng kiến, đề tài, cải tiến, kỹ thuật, năng suất,
máy móc, cơ giới hóa, tự động hóa, tiết kiệm điện, năng lượng, điện mặt trời, thủy lợi, đê điều,
hồ chứa, giếng khoan, bể nước, đường làng, ngõ xóm, đường nội đồng, cầu treo, cầu dân sinh, bê tông,
nhựa hóa, cứng hóa, mở rộng, nâng cấp, sửa chữa, khánh thành, khởi công, bàn giao, nghiệm thu,
vốn, đầu tư, dự án, quy hoạch, đất đai, giải phóng mặt bằng, tái định cư, di dời, ổn định, an cư,
lạc nghiệp, làng nghề, nghệ nhân, thủ công, mây tre, gốm, dệt thổ cẩm, du lịch, cộng đồng, homestay,
lễ hội, di tích, di sản, bản sắc, phong tục, tập quán, ẩm thực, văn nghệ, thể thao, câu lạc bộ,
đội văn nghệ, giải bóng đá, hội thi, hội diễn, sân chơi, thiếu nhi, mầm non, tiểu học, trung học,
đại học, học bổng, khuyến nông, khuyến ngư, giống mới, phân bón, thuốc bảo vệ thực vật, tưới tiết kiệm,
nhà màng, nhà lưới, trang trại, gia trại, hộ gia đình, tổ hợp tác, xã viên, thành viên, cổ đông,
người lao động, công nhân, kỹ sư, chuyên gia, cố vấn, tình nguyện, tình nguyện viên, thiện nguyện,
nhân đạo, từ thiện, chữ thập đỏ, hiến máu, an sinh, phúc lợi, chính sách, người có công, thương binh,
liệt sĩ, gia đình chính sách, mẹ Việt Nam anh hùng, tri ân, đền ơn, đáp nghĩa, uống nước nhớ nguồn,
quân đội, công an, biên phòng, dân quân, tự vệ, huấn luyện, sẵn sàng chiến đấu, tuần tra, kiểm soát,
cột mốc, đường biên, chủ quyền, lãnh thổ, hải đảo, vùng biển, ngư trường, an ninh mạng, tội phạm,
ma túy, buôn lậu, gian lận, thương mại, hàng giả, ngăn chặn, đấu tranh, phòng ngừa, răn đe, xử lý,
vi phạm, khắc phục, hạn chế, tồn tại, khó khăn, vướng mắc, thách thức, cơ hội, tiềm năng, lợi thế,
thế mạnh, động lực, khát vọng, ý chí, tinh thần, niềm tin, quyết tâm, nỗ lực, cố gắng, kiên trì,
bền bỉ, tận tụy, tận tâm, hết lòng, tâm huyết, nhiệt huyết, sáng suốt, linh hoạt, chủ động, tích cực,
sâu rộng, thiết thực, hiệu lực, thực chất, hình thức, chiều sâu, lan tỏa, truyền cảm hứng, khích lệ,
động viên, cổ vũ, thăm hỏi, chăm lo, quan tâm, sẻ chia, đồng hành, gắn bó, tin tưởng, ủng hộ,
đồng thuận, thống nhất, phối hợp, liên ngành, liên tịch, thường trực, ban chỉ đạo, ban tổ chức,
tổ công tác, đoàn công tác, đoàn kiểm tra, tiểu ban, hội đồng thi đua, cụm thi đua, khối thi đua,
cụm trưởng, cụm phó, khối trưởng, luân phiên, đăng ký, cam kết, ký kết, chấm điểm, xếp loại, xếp hạng,
dẫn đầu, vị trí, thứ hạng, cờ thi đua, giấy khen, kỷ niệm chương, huy chương, anh hùng, lao động tiên tiến,
chiến sĩ tiên tiến, thầy thuốc, nghệ sĩ, nhà khoa học, doanh nhân, tiểu thương, hộ kinh doanh,
chợ, siêu thị, cửa hàng, hàng hóa, giá cả, bình ổn, tiêu dùng, người Việt, hàng Việt, ưu tiên,
đất, nước, làng, xóm, quê, nhà, cửa, đường, cầu, cống, trường, lớp, sân, vườn, ao, hồ, suối, đồi, núi,
rẫy, nương, mùa, vụ, gạo, muối, cá, tôm, gà, lợn, bò, dê, trâu, ngô, sắn, khoai, đậu, mía, bông, hoa,
lá, cây, gỗ, tre, nứa, mới, cũ, lớn, nhỏ, cao, thấp, dài, rộng, sâu, khó, dễ, nhanh, chậm, mạnh, yếu,
tốt, giỏi, khá, trẻ, già, đông, vui, khỏe, ấm, no, đủ, đầy, làm, đi, ở, học, dạy, giúp, gửi, nhận,
trao, tặng, mở, dựng, sửa, trồng, nuôi, bán, mua, góp, chia, giữ, bảo vệ, vững, chắc, rõ, đúng, sai,
sớm, muộn, dần, ngày, tháng, quý, tuần, sáng, chiều, tối, đêm, lúc, thời gian, giai đoạn, nhiệm kỳ,
khóa, lần thứ, đợt, dịp, nhân dịp, chào mừng, kỷ niệm, thành lập, truyền thống, vẻ vang, lịch sử,
cách mạng, kháng chiến, hòa bình, thống nhất đất nước, độc lập, tự do, hạnh phúc, ấm no, phồn vinh,
thịnh vượng, giàu mạnh, văn minh đô thị, đô thị, phường, thị trấn, thị xã, thành phố, trung tâm,
khu công nghiệp, cụm công nghiệp, nhà máy, xí nghiệp, phân xưởng, dây chuyền, ca làm việc, tăng ca,
lương, thưởng, phúc lợi xã hội, đời sống tinh thần, vật chất, nhà ở, ký túc xá, nhà trẻ, bữa ăn,
sức khỏe, khám bệnh, thuốc men, cấp cứu, hồi sức, phẫu thuật, điều trị, phục hồi, chăm sóc, dinh dưỡng,
suy dinh dưỡng, phổ cập, xóa mù chữ, chuyển giao, tập huấn, bồi dưỡng, nghiệp vụ, chuyên môn, năng lực,
phẩm chất, đạo đức, lối sống, tác phong, phong cách, gương sáng, tấm gương, câu chuyện, hành trình,
dấu ấn, điểm sáng, mô hình, cách làm, kinh nghiệm, bài học, giải pháp, sáng kiến kinh nghiệm,
đột phá, then chốt, trọng tâm, trọng điểm, cấp bách, lâu dài, thường xuyên, định kỳ, đột xuất,
chuyên đề, sơ kết, tổng hợp, báo cáo, thông báo, kế hoạch hành động, chỉ thị, nghị quyết, nghị định,
thông tư, luật, văn bản, hướng dẫn, quy định, quy chế, điều lệ, tờ trình, danh sách, đề xuất,
thẩm quyền, cấp trên, cấp dưới, ngành dọc, sở, ban, ngành, đoàn thể, mặt trận tổ quốc, hội phụ nữ,
hội nông dân, đoàn thanh niên, hội cựu chiến binh, liên đoàn lao động, ủy ban, văn phòng, phòng nội vụ,
sở nội vụ, ban thi đua, khen thưởng đột xuất, khen thưởng chuyên đề, khen thưởng quá trình cống hiến,
cống hiến, hy sinh, dũng cảm, quả cảm, gan dạ, mưu trí, tận lực, miệt mài, lặng lẽ, thầm lặng,
bình dị, giản dị, khiêm tốn, chân thành, đôn hậu, nghĩa tình, nhân ái, yêu thương, đùm bọc,
lá lành đùm lá rách, tương thân tương ái, nghĩa cử, cao đẹp, ấm áp, xúc động, tự hào, phấn khởi,
hân hoan, rạng rỡ, khang trang, sạch đẹp, thông thoáng, thuận tiện, nhanh chóng, dễ dàng, hài lòng
""")

FAMILY = _entries("""
Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đinh, Đào,
Lương, Mai, Trịnh, Tạ, Hà, Lò, Lục, Nông, Giàng, Triệu, Chu, Cao, Tô, Kiều, Âu, Quách, Thái, Lâm, La,
Đoàn, Tăng, Lưu, Từ, Phùng
""")
MIDDLE = (
    _entries("Văn, Đức, Minh, Quốc, Hữu, Công, Thành, Xuân, Ngọc, Anh, Đình, Quang, Trọng, Tiến, Mạnh, Duy, "
             "Hải, Bá, Thế, Kim"),
    _entries("Thị, Ngọc, Thu, Thanh, Minh, Hồng, Thùy, Kim, Phương, Bích, Diệu, Hải, Mỹ, Khánh, Lan, Thúy"),
)
GIVEN = (
    _entries("""
    Hùng, Hưng, Dũng, Đạt, Đức, Tùng, Sơn, Hải, Long, Nam, Tuấn, Thắng, Cường, Bình, An, Lộc, Phúc, Hòa,
    Khánh, Kiên, Trung, Quân, Huy, Hiếu, Nghĩa, Toàn, Thịnh, Tâm, Vinh, Việt, Thành, Phong, Quang, Tài,
    Trí, Đông, Đăng, Định, Điền, Lâm, Chiến, Hậu, Lực, Mạnh, Nhân, Sang, Tú, Bảo, Khoa, Duy
    """),
    _entries("""
    Lan, Hằng, Hương, Mai, Hoa, Hạnh, Hà, Nga, Ngọc, Thảo, Trang, Linh, Hiền, Huyền, Yến, Oanh, Xuân, Vân,
    Nhung, Thủy, Dung, Phượng, Loan, Tuyết, Liên, Quyên, Đào, Diệp, Diễm, Giang, Hồng, My, Nhàn, Quỳnh,
    Thơ, Thu, Uyên, Vy, Ánh, Châu
    """),
)
PLACE_HEADS = _entries("Tân, Hải, Phú, Bình, An, Hòa, Long, Thạnh, Đông, Tây, Nam, Bắc, Trung, Vĩnh, Phước, "
                       "Quảng, Hưng, Thịnh, Đại, Xuân, Thanh, Minh, Hồng, Kim, Ngọc, Đức, Sơn, Cẩm, Yên, Mỹ")
PLACE_TAILS = _entries("Tiến, Phú, Hòa, Lộc, Thành, Bình, An, Lợi, Hưng, Thịnh, Phong, Sơn, Hải, Long, Điền, "
                       "Đông, Tân, Yên, Lạc, Mỹ, Thuận, Hiệp, Đồng, Trung, Xá, Nghĩa, Phát")
HEROES = _entries("""
Kim Đồng, Lê Quý Đôn, Nguyễn Du, Trần Phú, Võ Thị Sáu, Lý Tự Trọng, Chu Văn An, Nguyễn Trãi,
Trần Hưng Đạo, Lê Lợi, Quang Trung, Hai Bà Trưng, Ngô Quyền, Nguyễn Huệ, Phan Bội Châu, Phan Chu Trinh,
Lương Thế Vinh, Nguyễn Bỉnh Khiêm, Hoàng Hoa Thám, Đinh Tiên Hoàng, Lê Hồng Phong, Nguyễn Văn Trỗi,
Bế Văn Đàn, Tô Vĩnh Diện, Đoàn Thị Điểm
""")
TRADES = _entries("Xây dựng, Thủy sản, Nông sản, Logistics, Dệt may, Cơ khí, Thương mại, Chè, Cà phê, Gạch ngói")
WARDS = _entries("Nội, Ngoại, Nhi, Sản, Hồi sức cấp cứu, Truyền nhiễm, Y học cổ truyền")
AUTHORS = _entries("""
Thu Hằng, Nguyễn Đức, Văn Tùng, Minh Anh, Hoàng Hà, Phương Linh, Quang Huy, Thanh Tâm, Ngọc Hân, Đức Anh,
Hồng Nhung, Trọng Đạt, Lan Phương, Mạnh Hùng, Bảo Ngọc, Khánh Linh, Việt Dũng, Đăng Khoa, Thùy Dương,
Hải Yến, Xuân Trường, Minh Đức, Tuấn Anh, Thanh Hà, Đỗ Quyên, Lê Minh, Trần Hải, Phạm Tuấn, Vũ Hoa,
Bích Ngọc, Quốc Việt, Duy Khánh, Kim Oanh, Như Ý, Đình Tuệ, Hà Anh, Mai Lan, Ngọc Diệp, Hữu Nghĩa,
Thế Phong, Diệu Linh, Đặng Lực
""")
SOURCES = _entries("""
TTXVN, Báo Nhân Dân, Báo Quân đội nhân dân, Báo Lao Động, Báo Tin tức, Cổng tin Thi đua - Khen thưởng,
Tạp chí Thi đua - Khen thưởng, Báo Đắk Lắk, Báo Đồng Tháp, Báo Quảng Ninh, Báo Nghệ An, Báo Lào Cai,
Báo Thanh Hóa, Báo Điện tử Chính phủ, Đài Tiếng nói Việt Nam
""")


def _zipf(n: int, exponent: float = 1.0, shift: float = 2.0) -> list[float]:
    """Cumulative weights 1/(rank+shift)^exponent: a few common items, a long tail."""
    return list(accumulate(1.0 / (rank + shift) ** exponent for rank in range(1, n + 1)))


WORD_CUM = _zipf(len(WORDS))
# Syllables per drawn word, on average: turns "40-110 words" into how many draws.
MEAN_SYLLABLES = sum(
    (w1 - w0) * (word.count(" ") + 1) for word, w0, w1 in zip(WORDS, [0.0, *WORD_CUM], WORD_CUM, strict=False)
) / WORD_CUM[-1]
FAMILY_CUM = _zipf(len(FAMILY), 1.3, 0.5)


@dataclass
class SynthStats:
    """What a run wrote: counts for the benchmark report."""

    articles: int
    exemplars: int  # generated profiles (the copied shipped ones are not counted)
    honours: int  # honour records in articles and in exemplars' own lists
    words: int  # words (syllables) of article bodies
    bytes: int  # every byte of the tree, copied vocabulary included
    seconds: float


@dataclass
class _Exemplar:
    slug: str
    name: str
    kind: str
    province: str
    position: str = ""
    organisation: str = ""
    female: bool = False


def _q(text: str) -> str:
    """A YAML scalar that is always a string: a JSON string is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _load(folder: Path, kind: str) -> dict[str, dict[str, Any]]:
    """Typed front matter of every record in ``folder``, by slug (the schema does the typing)."""
    out = {}
    for path in sorted(folder.glob("*.md")):
        fm, problem = read(path, folder)
        if problem or fm is None:
            raise ValueError(f"{path}: {problem}")
        out[path.stem] = coerce(KINDS[kind], fm)[0]
    return out


class _Site:
    """The shipped vocabulary as pools to draw from, and the random source."""

    def __init__(self, source: Path, rng: random.Random) -> None:
        self.rng = rng
        self.awards = _load(source / "awards", "awards")
        self.campaigns = _load(source / "campaigns", "campaigns")
        self.clusters = _load(source / "clusters", "clusters")
        self.provinces = _load(source / "provinces", "provinces")
        self.all_provinces = sorted(self.provinces)
        # Awards that fit each exemplar kind, weighted to make lower honours commoner (rank grows downwards).
        self.fitting: dict[str, tuple[list[str], list[float]]] = {}
        for kind in ("person", "collective", "locality"):
            slugs = [s for s, a in self.awards.items() if not a.get("recipients") or kind in a["recipients"]]
            self.fitting[kind] = (slugs, list(accumulate(float(self.awards[s]["rank"]) for s in slugs)))

    def province_label(self, slug: str) -> str:
        data = self.provinces[slug]
        return ("thành phố " if data.get("kind") == "thanh-pho" else "tỉnh ") + data["name"]

    def campaigns_at(self, when: datetime) -> list[str]:
        """Campaigns running at ``when``: launched before it, and within their period (one year of reporting)."""
        out = []
        for slug, data in self.campaigns.items():
            launched = data.get("launched")
            if launched and launched > when.date():
                continue
            years = re.findall(r"\d{4}", data.get("period") or "")
            if years and not int(years[0]) <= when.year <= int(years[-1]) + 1:
                continue
            out.append(slug)
        return out

    def clusters_at(self, when: datetime) -> list[str]:
        day = when.date()
        return [s for s, d in self.clusters.items()
                if d.get("valid_from", date.min) <= day <= d.get("valid_to", date.max)]

    def decision(self, award: str) -> str:
        by = self.awards[award].get("conferred_by") or ""
        suffix = "CTN" if "Chủ tịch nước" in by else "TTg" if "Chính phủ" in by else "UBND"
        return f"Quyết định số {self.rng.randint(12, 3999)}/QĐ-{suffix}"

    def award_for(self, kind: str) -> str:
        slugs, cum = self.fitting[kind]
        return self.rng.choices(slugs, cum_weights=cum)[0]

    # Text ----------------------------------------------------------------

    def phrase(self, syllables: int) -> str:
        """``syllables`` words (rarely fewer), lower-case, no punctuation: titles, headings, list items."""
        out: list[str] = []
        count = 0
        for word in self.rng.choices(WORDS, cum_weights=WORD_CUM, k=2 * syllables):
            size = word.count(" ") + 1
            if count + size <= syllables:
                out.append(word)
                count += size
                if count == syllables:
                    break
        return " ".join(out)

    def paragraph(self, words: int, mentions: list[str]) -> str:
        """Sentences of 6-17 drawn words, with commas, and now and then a name the article is about."""
        rng = self.rng
        tokens = rng.choices(WORDS, cum_weights=WORD_CUM, k=max(6, round(words / MEAN_SYLLABLES)))
        sentences = []
        i, n = 0, len(tokens)
        while i < n:
            size = 6 + int(rng.random() * 12)
            if n - i - size < 4:
                size = n - i
            part = tokens[i:i + size]
            i += size
            if size > 7 and rng.random() < 0.6:
                part[3 + int(rng.random() * (size - 6))] += ","
            if mentions and rng.random() < 0.15:
                part.insert(0, mentions[int(rng.random() * len(mentions))])
            text = " ".join(part)
            sentences.append(text[0].upper() + text[1:] + ".")
        return " ".join(sentences)


def _exemplars(site: _Site, count: int, shipped: dict[str, dict[str, Any]]) -> list[_Exemplar]:
    """Invent ``count`` exemplars; names that fold alike all get disambiguated slugs."""
    rng = site.rng
    unused_provinces = site.all_provinces[:]
    rng.shuffle(unused_provinces)

    def place() -> str:
        head, tail = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
        return f"{head} {tail}" if head != tail else f"{head} {rng.choice(PLACE_TAILS[:3])}"

    people: list[_Exemplar] = []
    for _ in range(count):
        province = rng.choice(site.all_provinces)
        roll = rng.random()
        if roll < 0.5:
            female = rng.random() < 0.45
            name = " ".join((rng.choices(FAMILY, cum_weights=FAMILY_CUM)[0], rng.choice(MIDDLE[female]),
                             rng.choice(GIVEN[female])))
            position, organisation = rng.choice((
                ("Giáo viên", f"Trường Tiểu học {rng.choice(HEROES)}"),
                ("Hiệu trưởng", f"Trường THCS {rng.choice(HEROES)}"),
                (f"Bác sĩ, Khoa {rng.choice(WARDS)}", f"Bệnh viện Đa khoa khu vực {place()}"),
                ("Chủ tịch UBND xã", f"UBND xã {place()}"),
                ("Bí thư Đảng ủy phường", f"Đảng ủy phường {place()}"),
                ("Trưởng thôn", f"Thôn {place()}, xã {place()}"),
                ("Giám đốc", f"Hợp tác xã Dịch vụ Nông nghiệp {place()}"),
                ("Công nhân", f"Công ty Cổ phần {rng.choice(TRADES)} {place()}"),
                ("Đại úy, Trưởng Công an xã", f"Công an xã {place()}"),
                ("Chiến sĩ", f"Đồn Biên phòng {place()}"),
                ("Chủ tịch Hội Nông dân xã", f"Hội Nông dân xã {place()}"),
            ))
            people.append(_Exemplar("", name, "person", province, position, organisation, female))
        elif roll < 0.8:
            label = site.province_label(province)
            name, organisation = rng.choice((
                (f"Trường Tiểu học {rng.choice(HEROES)}", f"UBND phường {place()}"),
                (f"Trường THPT {rng.choice(HEROES)}", f"Sở Giáo dục và Đào tạo {label}"),
                (f"Trạm Y tế xã {place()}", f"Trung tâm Y tế khu vực {place()}"),
                (f"Bệnh viện Đa khoa khu vực {place()}", f"Sở Y tế {label}"),
                (f"Hợp tác xã {rng.choice(TRADES)} {place()}", f"Liên minh Hợp tác xã {label}"),
                (f"Công ty Cổ phần {rng.choice(TRADES)} {place()}", f"Khối doanh nghiệp {label}"),
                (f"UBND xã {place()}", _cap(label)),
                (f"Công an phường {place()}", f"Công an {label}"),
                (f"Đồn Biên phòng {place()}", f"Bộ Chỉ huy Bộ đội Biên phòng {label}"),
            ))
            people.append(_Exemplar("", name, "collective", province, "", organisation))
        elif unused_provinces and rng.random() < 0.15:
            province = unused_provinces.pop()
            people.append(_Exemplar("", _cap(site.province_label(province)), "locality", province))
        else:
            name = f"{rng.choice(('Xã', 'Phường'))} {place()}"
            people.append(_Exemplar("", name, "locality", province, "", _cap(site.province_label(province))))

    folds = Counter(slugify(e.name) for e in people)
    folds.update(slugify(d["name"]) for d in shipped.values())
    taken = set(shipped) | {slugify(a) for d in shipped.values() for a in d.get("aliases") or []}
    for exemplar in people:
        base = slugify(exemplar.name)
        slug = base if folds[base] == 1 and base not in RESERVED_EXEMPLAR_SLUGS else f"{base}-{exemplar.province}"
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        taken.add(candidate)
        exemplar.slug = candidate
    return people


def _write(path: Path, text: str, nfd: bool = False) -> int:
    data = (unicodedata.normalize("NFD", text) if nfd else text).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def _exemplar_file(site: _Site, e: _Exemplar) -> tuple[str, int]:
    """An exemplar profile; one in twenty lists honours of its own."""
    rng = site.rng
    lines = ["---", f"name: {_q(e.name)}", f"kind: {e.kind}"]
    if e.position:
        lines.append(f"position: {_q(e.position)}")
    if e.organisation:
        lines.append(f"organisation: {_q(e.organisation)}")
    lines.append(f"province: {e.province}")
    honours = 0
    if rng.random() < 0.05:
        lines.append("honours:")
        for year in sorted(rng.sample(range(2010, 2026), rng.randint(1, 2))):
            lines += [f"  - award: {site.award_for(e.kind)}", f"    year: {year}"]
            honours += 1
    lines.append("---")
    where = site.province_label(e.province)
    if e.kind == "person":
        position = e.position[0].lower() + e.position[1:]
        intro = f"{'Bà' if e.female else 'Ông'} {e.name} là {position}, {e.organisation}, {where}."
    elif e.kind == "collective":
        intro = f"{e.name} là đơn vị thuộc {e.organisation}" + ("." if where in e.organisation else f", {where}.")
    elif e.organisation:
        intro = f"{e.name} là địa phương thuộc {where}."
    else:
        intro = f"{e.name} là đơn vị hành chính cấp tỉnh."
    mentions = [f"{e.name}", f"Tại {where},"]
    paragraphs = [intro + " " + site.paragraph(rng.randint(30, 60), mentions)]
    paragraphs += [site.paragraph(rng.randint(40, 110), mentions) for _ in range(rng.randint(1, 2))]
    return "\n".join(lines) + "\n" + "\n\n".join(paragraphs) + "\n", honours


class _Articles:
    """Writes articles one by one, keeping only the slugs already used."""

    def __init__(self, site: _Site, exemplars: list[_Exemplar]) -> None:
        self.site = site
        self.exemplars = exemplars
        self.exemplar_cum = _zipf(len(exemplars), 0.8, 5.0)  # a few exemplars are in the news often
        self.slugs: set[str] = set()

    def write(self, folder: Path, index: int) -> tuple[int, int, int]:
        """Write article number ``index``; return (bytes, honours, body words)."""
        site, rng = self.site, self.site.rng
        day = date.fromordinal(FIRST_DAY + rng.randrange(DAYS))
        when = datetime(day.year, day.month, day.day, rng.randint(6, 21), rng.randrange(60))
        before_merger = when < MERGER

        running = site.campaigns_at(when)
        campaigns = rng.sample(running, min(len(running), rng.choice((0, 1, 1, 2))))
        valid = site.clusters_at(when)
        clusters = rng.sample(valid, 1) if valid and rng.random() < 0.3 else []
        n_exemplars = rng.choice((0, 1, 1, 2, 3))
        with_honours = rng.random() < 0.35
        if with_honours:
            n_exemplars = max(1, n_exemplars)
        chosen: list[_Exemplar] = []
        for e in rng.choices(self.exemplars, cum_weights=self.exemplar_cum, k=n_exemplars):
            if e not in chosen:
                chosen.append(e)
        provinces: list[str] = []
        for slug in [e.province for e in chosen] + rng.sample(site.all_provinces, 3):
            if not before_merger:
                slug = site.provinces[slug].get("merged_into") or slug
            if slug not in provinces:
                provinces.append(slug)
        provinces = provinces[:rng.randint(1, 3)]  # the featured exemplars' provinces come first

        honours: list[dict[str, Any]] = []
        for _ in range(rng.choices((1, 2, 3, 4), (50, 30, 12, 8))[0] if with_honours else 0):
            recipient = rng.choice(chosen)
            award = site.award_for(recipient.kind)
            if any(h["recipient"] == recipient.slug and h["award"] == award for h in honours):
                continue
            honour = {"recipient": recipient.slug, "award": award, "year": when.year - (rng.random() < 0.4),
                      "name": recipient.name}
            if rng.random() < 0.3:
                honour["stage"] = "proposed"
            elif rng.random() < 0.3:
                honour["decision"] = site.decision(award)
            if campaigns and rng.random() < 0.4:
                honour["campaign"] = rng.choice(campaigns)
            honours.append(honour)

        mentions = [f"Tại {site.province_label(p)}," for p in provinces]
        mentions += [f"Theo {e.name}," for e in chosen] + [e.name for e in chosen]
        mentions += [f"Trong phong trào “{site.campaigns[c]['name']}”," for c in campaigns]
        mentions += [f"{site.clusters[c]['name']}" for c in clusters]

        place = site.provinces[provinces[0]]["name"]
        size = rng.randint(8, 18)
        if rng.random() < 0.3:
            title = f"{place}: {site.phrase(size - place.count(' ') - 1)}"
        else:
            title = _cap(site.phrase(size))
        summary = site.paragraph(rng.randint(15, 45), mentions[:2])

        paragraphs = [site.paragraph(rng.randint(40, 110), mentions) for _ in range(rng.randint(4, 8))]
        words = sum(p.count(" ") + 1 for p in paragraphs)
        for h in honours:
            verb = "được đề nghị tặng" if h.get("stage") == "proposed" else "được tặng"
            line = f" {h['name']} {verb} {site.awards[h['award']]['name']} vì thành tích năm {h['year']}."
            paragraphs[0] += line
            words += line.count(" ")
        if rng.random() < 0.25:
            heading = _cap(site.phrase(rng.randint(4, 9)))
            paragraphs.insert(rng.randint(1, len(paragraphs) - 1), "## " + heading)
            words += heading.count(" ") + 1
        if rng.random() < 1 / 6:
            items = [site.phrase(rng.randint(6, 14)) for _ in range(rng.randint(3, 5))]
            intro = _cap(site.phrase(rng.randint(6, 12))) + ":"
            bullets = "\n".join(f"- {item};" for item in items[:-1]) + f"\n- {items[-1]}."
            paragraphs.insert(rng.randint(1, len(paragraphs)), f"{intro}\n\n{bullets}")
            words += sum(t.count(" ") + 1 for t in (intro, *items))

        base = slugify(title)[:60].rstrip("-")
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)

        lines = ["---", f"title: {_q(title)}", f"date: {when:%Y-%m-%d %H:%M}", f"summary: {_q(summary)}"]
        if rng.random() < 0.15:
            lines.append(f"author: [{', '.join(_q(a) for a in rng.sample(AUTHORS, 2))}]")
        else:
            lines.append(f"author: {_q(rng.choice(AUTHORS))}")
        lines.append(f"source: {_q(rng.choice(SOURCES))}")
        for field, slugs in (("campaigns", campaigns), ("clusters", clusters), ("provinces", provinces),
                             ("exemplars", [e.slug for e in chosen])):
            if slugs:
                lines.append(f"{field}: [{', '.join(slugs)}]")
        if honours:
            lines.append("honours:")
            for h in honours:
                lines += [f"  - recipient: {h['recipient']}", f"    award: {h['award']}", f"    year: {h['year']}"]
                if "stage" in h:
                    lines.append(f"    stage: {h['stage']}")
                if "decision" in h:
                    lines.append(f"    decision: {_q(h['decision'])}")
                if "campaign" in h:
                    lines.append(f"    campaign: {h['campaign']}")
        if (campaigns or clusters) and rng.random() < 0.08:  # a launch, review or ceremony on a timeline
            lines.append(f"event: {rng.choice(EVENTS)[0]}")
            if campaigns and clusters and rng.random() < 0.5:
                lines.append(f"event_for: [{clusters[0]}]")  # a cluster's conference that names campaigns
        if rng.random() < 0.03:
            lines.append("featured: true")
        lines.append("---")
        text = "\n".join(lines) + "\n" + "\n\n".join(paragraphs) + "\n"
        year_folder = folder / str(when.year)
        year_folder.mkdir(exist_ok=True)
        written = _write(year_folder / f"{slug}.md", text, nfd=index % NFD_EVERY == NFD_EVERY // 3)
        return written, len(honours), words


def synth_photo(path: Path, rng: random.Random, size: tuple[int, int] = (1200, 800)) -> None:
    """A photo-sized illustration (a stage, a banner, rows of people as shapes): what the pipeline encodes."""
    from PIL import Image, ImageDraw

    width, height = size
    im = Image.new("RGB", size, tuple(rng.randrange(90, 200) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    draw.rectangle([0, 0, width, height * 2 // 5], fill=(rng.randrange(150, 220), rng.randrange(20, 60), 40))
    draw.rectangle([width // 6, height // 10, width * 5 // 6, height // 4], fill=(250, 220, 90))
    for row in range(3):
        for col in range(14):
            x, y = col * width // 14 + rng.randrange(10), height // 2 + row * height // 7
            colour = tuple(rng.randrange(20, 240) for _ in range(3))
            draw.ellipse([x + 20, y, x + 50, y + 30], fill=(230, 190, 160))
            draw.rectangle([x + 15, y + 32, x + 55, y + 90], fill=colour)
    im = im.effect_spread(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=82)


def _add_photos(target: Path, count: int, seed: int) -> int:
    """Give the first ``count`` articles (in path order) a lead photo; returns the bytes written."""
    paths = sorted((target / "articles").rglob("*.md"))
    if count > len(paths):
        raise ValueError(f"{count} photos for {len(paths)} articles: at most one lead photo each")
    rng, total = random.Random(seed * 7919), 0
    for i, path in enumerate(paths[:count]):
        photo = f"images/{path.parent.name}/anh-{i:05d}.jpg"
        synth_photo(target / photo, rng)
        total += (target / photo).stat().st_size
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4)
        lines = (f"\nimage: {photo}\nimage_alt: {_q('Toàn cảnh buổi lễ, ảnh số ' + str(i + 1))}"
                 f"\nimage_credit: {_q('Ảnh minh họa')}")
        path.write_text(text[:end] + lines + text[end:], encoding="utf-8")
    return total


def generate(target: Path, articles: int, seed: int = 1, photos: int = 0) -> SynthStats:
    """Write a complete, valid content tree of ``articles`` articles into ``target`` (empty or absent).

    One exemplar per eight articles (at least 20); ``photos`` of them get a lead photo. Same seed, same bytes.
    """
    started = time.perf_counter()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty: a synthetic tree must not mix with other files")
    rng = random.Random(seed)
    for folder in VOCABULARY:
        shutil.copytree(CONTENT / folder, target / folder)
    site = _Site(target, rng)

    # Clusters name some shipped exemplars as members: copy those, so every reference resolves.
    exemplar_dir = target / "exemplars"
    exemplar_dir.mkdir()
    named = {m for c in site.clusters.values() for m in c.get("members") or []}
    named |= {row[r] for c in site.clusters.values() for row in c.get("leaders") or [] for r in ("leader", "deputy")
              if row.get(r)}
    for slug in sorted(named - set(site.provinces)):
        shutil.copy2(CONTENT / "exemplars" / f"{slug}.md", exemplar_dir)
    shipped = _load(exemplar_dir, "exemplars")
    for data in shipped.values():  # and their portraits
        if data.get("photo"):
            (target / data["photo"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CONTENT / data["photo"], target / data["photo"])

    total = honours = words = 0
    people = _exemplars(site, max(20, articles // 8), shipped)
    for exemplar in people:
        text, own = _exemplar_file(site, exemplar)
        total += _write(exemplar_dir / f"{exemplar.slug}.md", text)
        honours += own

    writer = _Articles(site, people)
    article_dir = target / "articles"
    article_dir.mkdir()
    for index in range(articles):
        size, count, body_words = writer.write(article_dir, index)
        total += size
        honours += count
        words += body_words

    pages = target / "pages"
    pages.mkdir()
    note = ("Nội dung của cây thư mục này được sinh tự động để đo tốc độ dựng trang và dung lượng chỉ mục "
            "tìm kiếm; mọi tin bài, tên người, tên đơn vị và quyết định khen thưởng đều là hư cấu.")
    for slug, title in (("gioi-thieu", "Giới thiệu"), ("lien-he", "Liên hệ")):
        total += _write(pages / f"{slug}.md", f"---\ntitle: {_q(title)}\n---\n{note}\n")
    total += sum(p.stat().st_size for folder in VOCABULARY for p in (target / folder).rglob("*.md"))
    total += sum((exemplar_dir / f"{slug}.md").stat().st_size for slug in shipped)
    if photos:
        total += _add_photos(target, photos, seed)
    return SynthStats(articles, len(people), honours, words, total, time.perf_counter() - started)
