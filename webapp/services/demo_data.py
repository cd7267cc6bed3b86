"""Dữ liệu minh họa: a deterministic, synthetic Vietnamese data set for demos and benchmarks.

Nothing here is about a real person. Names are composed at random from common family, middle
and given names; BHXH codes, CCCD and phone numbers are random digits in the right shape; e-mail
addresses use the reserved `example.*` domains, so nothing can ever reach a real mailbox.
Directory entries (offices, facilities, employers, collection points) look like real ones but
their codes, addresses and phone numbers are made up.

`generate()` fills an empty database with a whole population: households and persons, accounts
for about 70 % of them, a BHYT card each, decades of contribution history, benefits, five years
of medical visits, registration dossiers, news and FAQ. The same `seed` and `today` always give
the same rows. The big tables are written as plain rows in chunks (executemany), with primary
keys assigned here, so 100 000 persons (a few million rows) take minutes, not hours.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import Table, insert, select, text

from webapp.extensions import db
from webapp.models import (
    Account,
    Benefit,
    BhxhOffice,
    CollectionPoint,
    Employer,
    Facility,
    FaqEntry,
    HealthCard,
    Household,
    MedicalVisit,
    NewsArticle,
    Officer,
    ParticipationPeriod,
    Person,
    RegistrationDossier,
)
from webapp.services.clock import VIETNAM, Clock
from webapp.services.passwords import hash_password
from webapp.services.provinces import FORMER_PROVINCES, PROVINCES, current_province
from webapp.services.text import fold

DEMO_PASSWORD = "VssID@2025"  # noqa: S105  (the published password of every demo citizen)
OFFICER_PASSWORD = "CanBo@2025"  # noqa: S105  (the published password of the demo officers)
CHUNK = 5_000  # rows per executemany

DAY = dt.timedelta(days=1)


@dataclass
class DemoSummary:
    """What `generate` made: the accounts to try the demo with, and how many rows per table."""

    citizens: list[tuple[str, str]]  # (bhxh_code, password): active card, expiring card, pensioner
    officer: tuple[str, str]  # (username, password) of the admin officer
    officers: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role)
    # Adults with a phone and no account nor dossier: (bhxh_code, full_name), to try registration.
    unregistered: list[tuple[str, str]] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)  # bhxh_code → what to look at
    counts: dict[str, int] = field(default_factory=dict)  # table name → rows inserted
    today: dt.date | None = None
    seconds: float = 0.0


# --- Geography -------------------------------------------------------------------------------

# The six centrally-run cities among the 34 provinces (addresses say "thành phố", not "tỉnh").
CITY_CODES = frozenset({"01", "31", "46", "48", "79", "92"})
_MOUNTAIN = frozenset({"04", "08", "11", "12", "14", "15", "20"})

# current province → (latitude, longitude of its administrative centre, telephone area code,
# local place names used for grassroots offices, health centres and hospitals)
PROVINCE_GEO: dict[str, tuple[float, float, str, tuple[str, ...]]] = {
    "01": (21.0285, 105.8542, "024", ("Ba Đình", "Cầu Giấy", "Hà Đông", "Long Biên", "Sóc Sơn")),
    "04": (22.6657, 106.2579, "0206", ("Thục Phán", "Hòa An", "Trùng Khánh", "Bảo Lạc")),
    "08": (21.8236, 105.2140, "0207", ("Minh Xuân", "Hà Giang", "Sơn Dương", "Chiêm Hóa")),
    "11": (21.3856, 103.0169, "0215", ("Điện Biên Phủ", "Mường Lay", "Tuần Giáo")),
    "12": (22.3964, 103.4582, "0213", ("Tân Phong", "Phong Thổ", "Than Uyên")),
    "14": (21.3256, 103.9188, "0212", ("Tô Hiệu", "Mộc Châu", "Mai Sơn")),
    "15": (21.7229, 104.9113, "0214", ("Yên Bái", "Cam Đường", "Sa Pa", "Văn Yên")),
    "19": (21.5942, 105.8482, "0208", ("Phan Đình Phùng", "Sông Công", "Phổ Yên", "Bắc Kạn")),
    "20": (21.8537, 106.7610, "0205", ("Đông Kinh", "Hữu Lũng", "Cao Lộc")),
    "22": (20.9517, 107.0800, "0203", ("Hạ Long", "Cẩm Phả", "Uông Bí", "Móng Cái")),
    "24": (21.2731, 106.1946, "0204", ("Bắc Giang", "Từ Sơn", "Kinh Bắc", "Lục Ngạn")),
    "25": (21.3227, 105.4019, "0210", ("Việt Trì", "Vĩnh Yên", "Hòa Bình", "Phúc Yên")),
    "31": (20.8449, 106.6881, "0225", ("Hồng Bàng", "Lê Chân", "Hải Dương", "Thủy Nguyên")),
    "33": (20.6464, 106.0511, "0221", ("Phố Hiến", "Thái Bình", "Văn Giang", "Mỹ Hào")),
    "37": (20.2506, 105.9745, "0229", ("Hoa Lư", "Nam Định", "Phủ Lý", "Tam Điệp")),
    "38": (19.8067, 105.7852, "0237", ("Hạc Thành", "Sầm Sơn", "Bỉm Sơn", "Nghi Sơn")),
    "40": (18.6796, 105.6813, "0238", ("Trường Vinh", "Cửa Lò", "Hoàng Mai", "Thái Hòa")),
    "42": (18.3428, 105.9057, "0239", ("Thành Sen", "Hồng Lĩnh", "Kỳ Anh")),
    "44": (17.4689, 106.6223, "0232", ("Đồng Hới", "Đông Hà", "Ba Đồn", "Quảng Trị")),
    "46": (16.4637, 107.5909, "0234", ("Phú Xuân", "Thuận Hóa", "Hương Thủy", "Hương Trà")),
    "48": (16.0544, 108.2022, "0236", ("Hải Châu", "Thanh Khê", "Tam Kỳ", "Hội An")),
    "51": (15.1214, 108.8044, "0255", ("Cẩm Thành", "Kon Tum", "Đức Phổ", "Bình Sơn")),
    "52": (13.7830, 109.2197, "0256", ("Quy Nhơn", "Pleiku", "An Khê", "Hoài Nhơn")),
    "56": (12.2388, 109.1967, "0258", ("Nha Trang", "Cam Ranh", "Phan Rang", "Ninh Hòa")),
    "66": (12.6667, 108.0500, "0262", ("Buôn Ma Thuột", "Tuy Hòa", "Buôn Hồ", "Sông Cầu")),
    "68": (11.9404, 108.4583, "0263", ("Đà Lạt", "Bảo Lộc", "Phan Thiết", "Gia Nghĩa")),
    "75": (10.9574, 106.8429, "0251", ("Biên Hòa", "Long Khánh", "Đồng Xoài", "Nhơn Trạch")),
    "79": (10.7769, 106.7009, "028", ("Sài Gòn", "Thủ Đức", "Gò Vấp", "Thủ Dầu Một", "Vũng Tàu")),
    "80": (10.5360, 106.4137, "0272", ("Tân An", "Tây Ninh", "Trảng Bàng", "Đức Hòa")),
    "82": (10.3600, 106.3600, "0273", ("Mỹ Tho", "Cao Lãnh", "Sa Đéc", "Gò Công")),
    "86": (10.2537, 105.9722, "0270", ("Long Châu", "Bến Tre", "Trà Vinh", "Bình Minh")),
    "91": (10.0125, 105.0809, "0297", ("Rạch Giá", "Long Xuyên", "Châu Đốc", "Phú Quốc")),
    "92": (10.0452, 105.7469, "0292", ("Ninh Kiều", "Sóc Trăng", "Vị Thanh", "Cái Răng")),
    "96": (9.1769, 105.1524, "0290", ("An Xuyên", "Bạc Liêu", "Năm Căn", "Giá Rai")),
}

# Approximate population of the 63 former provinces (hundred thousands): where people live.
FORMER_WEIGHTS: dict[str, float] = {
    "01": 85, "02": 9, "04": 5.4, "06": 3.2, "08": 8, "10": 7.6, "11": 6.3, "12": 4.7,
    "14": 12.8, "15": 8.3, "17": 8.6, "19": 13, "20": 7.9, "22": 13.5, "24": 19, "25": 15,
    "26": 12, "27": 14.9, "30": 19.5, "31": 21, "33": 12.8, "34": 18.7, "35": 8.8, "36": 18.8,
    "37": 10, "38": 37, "40": 34, "42": 13, "44": 9, "45": 6.5, "46": 11.6, "48": 12.3,
    "49": 15, "51": 12.5, "52": 15, "54": 8.8, "56": 12.5, "58": 6, "60": 12.5, "62": 5.8,
    "64": 15.7, "66": 19, "67": 6.7, "68": 13.3, "70": 10.3, "72": 11.9, "74": 27, "75": 32,
    "77": 11.8, "79": 93, "80": 17.3, "82": 17.8, "83": 12.9, "84": 10, "86": 10.2, "87": 16,
    "89": 19, "91": 17.5, "92": 12.5, "93": 7.3, "94": 12, "95": 9.2, "96": 12,
}  # fmt: skip

STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
    "Nguyễn Huệ", "Hùng Vương", "Phan Chu Trinh", "Điện Biên Phủ", "Lê Duẩn", "Trần Phú",
    "Nguyễn Du", "Lê Hồng Phong", "Bà Triệu", "Phan Đình Phùng", "Ngô Quyền", "Nguyễn Văn Cừ",
    "Lạc Long Quân", "Võ Thị Sáu", "Trường Chinh", "Cách Mạng Tháng Tám", "Lê Thánh Tông",
    "Nguyễn Thị Minh Khai", "Tôn Đức Thắng", "Hoàng Hoa Thám", "Phạm Văn Đồng", "Chu Văn An",
    "Nguyễn Chí Thanh", "Lý Tự Trọng", "Đinh Tiên Hoàng", "Trần Quang Khải", "Yết Kiêu",
    "Hoàng Diệu", "Nguyễn Khuyến", "Lê Quý Đôn", "Mạc Đĩnh Chi", "Tô Hiến Thành",
)  # fmt: skip
COMMUNES = (
    "An Bình", "An Phú", "An Khánh", "Tân Phú", "Tân Hòa", "Tân Lập", "Tân Tiến", "Hòa An",
    "Hòa Lợi", "Phước Long", "Phước Hòa", "Đông Hưng", "Đông Sơn", "Quang Trung", "Thanh Sơn",
    "Thanh Xuân", "Xuân Phương", "Xuân Lộc", "Hưng Đạo", "Minh Khai", "Minh Đức", "Trung Sơn",
    "Trung Hòa", "Đồng Tâm", "Thống Nhất", "Vĩnh Hưng", "Vĩnh Thạnh", "Phú Lâm", "Phú Mỹ",
    "Bình Minh", "Bình Thạnh", "Kim Sơn", "Long Hưng", "Long Phước", "Yên Hòa", "Nghĩa Đô",
    "Thịnh Quang", "Hồng Phong", "Quảng Phú", "Nam Sơn", "Bắc Sơn", "Mỹ Lộc", "Thạnh Phú",
    "Tân Thạnh", "Hiệp Hòa", "Đại Đồng", "Cẩm Bình", "Hải An", "Tiên Phong", "Lạc Hồng",
)  # fmt: skip
VILLAGES_MOUNTAIN = (
    "Nà Khoang",
    "Phiêng Lanh",
    "Co Líu",
    "Huổi Một",
    "Nà Tấu",
    "Pá Khoang",
    "Khuổi Hẩu",
    "Nà Phặc",
    "Bó Mạ",
    "Lũng Cú",
)
HAMLETS_SOUTH = (
    "Tân Lợi",
    "Phú Hòa",
    "Bình Đông",
    "Long Thới",
    "Mỹ Hưng",
    "Hòa Thuận",
    "Thạnh Lợi",
    "An Thới",
    "Vĩnh Lợi",
    "Phước Thạnh",
)

# --- Names -----------------------------------------------------------------------------------

FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Phan": 4.5, "Vũ": 3.5,
    "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5, "Đinh": 0.8,
    "Đào": 0.6, "Trương": 0.6, "Mai": 0.4, "Lương": 0.4, "Trịnh": 0.4, "Tạ": 0.2, "Hà": 0.4,
    "Lâm": 0.3, "Phùng": 0.2, "Tô": 0.2, "Cao": 0.3, "Chu": 0.2, "Kiều": 0.1, "Quách": 0.1,
    "Thái": 0.2, "Đoàn": 0.4, "Vương": 0.2, "Lưu": 0.2, "Triệu": 0.2, "Tăng": 0.1, "La": 0.1,
}  # fmt: skip
# In the south the same families are usually spelled Huỳnh and Võ.
SOUTHERN_SPELLING = {"Hoàng": "Huỳnh", "Vũ": "Võ"}
MIDDLE_MALE: dict[str, float] = {
    "Văn": 35, "Đức": 8, "Minh": 8, "Quang": 6, "Hữu": 6, "Công": 5, "Thành": 5, "Xuân": 4,
    "Hoàng": 3, "Trọng": 4, "Gia": 3, "Anh": 3, "Tuấn": 2, "Ngọc": 2, "Thanh": 3, "Quốc": 4,
    "Mạnh": 2, "Duy": 3, "Đình": 4, "Bá": 2, "Trung": 2, "Hải": 2, "Nhật": 2, "Bảo": 2,
}  # fmt: skip
MIDDLE_FEMALE: dict[str, float] = {
    "Thị": 45, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Bảo": 3, "Phương": 4, "Khánh": 3, "Hồng": 4,
    "Mai": 2, "Kim": 3, "Minh": 4, "Thùy": 3, "Hoài": 2, "Diệu": 2, "Quỳnh": 2, "Hải": 2,
    "Tuyết": 1, "Mỹ": 2, "Như": 2, "Gia": 2, "Khánh Thị": 0.5,
}  # fmt: skip
GIVEN_MALE = (
    "An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt", "Định",
    "Đông", "Đức", "Giang", "Hải", "Hào", "Hậu", "Hiếu", "Hiển", "Hòa", "Hoàng", "Hùng", "Huy",
    "Hưng", "Khải", "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Lộc", "Long", "Luân", "Mạnh",
    "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phú", "Phúc", "Quân", "Quang", "Quý",
    "Sơn", "Tài", "Tâm", "Tân", "Thái", "Thắng", "Thành", "Thiện", "Thịnh", "Toàn", "Trí",
    "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Khôi", "Đăng", "Nguyên",
    "Lực", "Thuận",
)  # fmt: skip
GIVEN_FEMALE = (
    "An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà", "Hạnh",
    "Hằng", "Hân", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Khuê", "Lan", "Liên",
    "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phương",
    "Quyên", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thoa", "Thu", "Thúy", "Thủy", "Trâm", "Trang",
    "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Xuân", "Hậu", "Lụa", "Tươi", "Hòa",
)  # fmt: skip

# Mobile prefixes of the Vietnamese networks (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile).
MOBILE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078", "079",
    "089", "090", "093", "056", "058", "092", "059", "099",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.vn", "example.net", "example.org")

# --- Employers -------------------------------------------------------------------------------

BRANDS = (
    "Minh Phát", "Hoàng Long", "An Khang", "Phú Thịnh", "Tân Tiến", "Hưng Thịnh", "Thiên An",
    "Bảo Ngọc", "Kim Long", "Việt Hưng", "Đông Á", "Nam Việt", "Sông Hồng", "Trường Sơn",
    "Phương Nam", "Hải Âu", "Ánh Dương", "Vạn Xuân", "Hồng Hà", "Quang Minh", "Tiến Đạt",
    "Đức Thành", "Gia Bảo", "Lộc Phát", "Thịnh Vượng", "Sao Việt", "Tâm An", "Hà Thành",
    "Thăng Long", "Cửu Long", "Tây Nguyên", "Bình An", "Phúc Lộc", "Hòa Thuận", "Đại Dương",
    "Hưng Phát", "Nhật Minh", "Toàn Thắng", "Vĩnh Phát", "Sơn Hà", "Thành Đạt", "Mê Kông",
)  # fmt: skip
# sector → (name in a company name, weight, occupations with their pay factor)
SECTORS: dict[str, tuple[str, float, tuple[tuple[str, float], ...]]] = {
    "garment": ("May mặc", 14, (("Công nhân may", 1.0), ("Công nhân may", 1.0),
                                ("Tổ trưởng chuyền may", 1.25), ("Nhân viên kiểm hàng (KCS)", 1.1),
                                ("Kế toán", 1.3), ("Kỹ thuật viên thiết kế rập", 1.35))),
    "electronics": ("Điện tử", 10, (("Công nhân lắp ráp linh kiện", 1.0),
                                    ("Công nhân lắp ráp linh kiện", 1.0), ("Kỹ thuật viên", 1.25),
                                    ("Kỹ sư điện tử", 1.6), ("Nhân viên kho", 1.05))),
    "construction": ("Xây dựng", 12, (("Công nhân xây dựng", 1.0), ("Kỹ sư xây dựng", 1.6),
                                      ("Chỉ huy trưởng công trình", 2.0), ("Kế toán", 1.3))),
    "trade": ("Thương mại và Dịch vụ", 20, (("Nhân viên bán hàng", 1.0),
                                            ("Nhân viên kinh doanh", 1.2), ("Thủ kho", 1.1),
                                            ("Kế toán", 1.3), ("Trưởng phòng kinh doanh", 1.9))),
    "transport": ("Vận tải", 7, (("Lái xe", 1.15), ("Nhân viên điều độ", 1.2),
                                 ("Thợ sửa chữa ô tô", 1.1))),
    "food": ("Thực phẩm", 9, (("Công nhân chế biến thực phẩm", 1.0),
                              ("Kỹ sư công nghệ thực phẩm", 1.5), ("Nhân viên kiểm nghiệm", 1.3))),
    "software": ("Phần mềm", 5, (("Lập trình viên", 1.7), ("Kỹ sư phần mềm", 1.9),
                                 ("Chuyên viên kiểm thử", 1.5), ("Trưởng nhóm phát triển", 2.4))),
    "mechanic": ("Cơ khí", 9, (("Thợ hàn", 1.1), ("Thợ tiện", 1.1), ("Kỹ sư cơ khí", 1.6),
                               ("Quản đốc phân xưởng", 1.9))),
    "footwear": ("Giày da", 6, (("Công nhân giày da", 1.0), ("Công nhân giày da", 1.0),
                                ("Tổ trưởng sản xuất", 1.25), ("Kế toán", 1.3))),
    "hotel": ("Du lịch và Khách sạn", 8, (("Lễ tân", 1.1), ("Nhân viên buồng phòng", 1.0),
                                          ("Đầu bếp", 1.3), ("Quản lý nhà hàng", 1.7))),
    "school": ("", 0, (("Giáo viên", 1.5), ("Giáo viên", 1.5), ("Giáo viên", 1.5),
                       ("Kế toán", 1.3), ("Nhân viên văn thư", 1.1),
                       ("Nhân viên y tế trường học", 1.2), ("Phó Hiệu trưởng", 2.0))),
    "commune": ("", 0, (("Công chức Văn phòng - Thống kê", 1.4),
                        ("Công chức Địa chính - Xây dựng", 1.4),
                        ("Công chức Tư pháp - Hộ tịch", 1.4), ("Công chức Văn hóa - Xã hội", 1.4),
                        ("Công chức Tài chính - Kế toán", 1.4))),
    "coop": ("", 0, (("Thành viên hợp tác xã", 1.0), ("Kế toán", 1.2),
                     ("Cán bộ kỹ thuật nông nghiệp", 1.3))),
}  # fmt: skip
COMPANY_SECTORS = tuple(k for k, v in SECTORS.items() if v[1])
# beneficiary group of an employee's card, by the kind of employer
EMPLOYEE_GROUP = {"company": "DN", "school": "HC", "commune": "HC", "coop": "HX"}
# Provinces where many people from elsewhere come to work.
INDUSTRIAL = ("79", "01", "24", "75", "31", "48", "33")

# --- Health ----------------------------------------------------------------------------------

# ICD-10 code → Vietnamese name (as in the Ministry of Health's ICD-10 list, shortened a little)
ICD10: dict[str, str] = {
    "J06.9": "Nhiễm trùng đường hô hấp trên cấp tính",
    "J00": "Viêm mũi họng cấp (cảm thường)",
    "J02.9": "Viêm họng cấp, không đặc hiệu",
    "J03.9": "Viêm amidan cấp, không đặc hiệu",
    "J20.9": "Viêm phế quản cấp, không đặc hiệu",
    "J18.9": "Viêm phổi, không đặc hiệu",
    "J45.9": "Hen phế quản, không đặc hiệu",
    "J44.9": "Bệnh phổi tắc nghẽn mạn tính, không đặc hiệu",
    "A09": "Tiêu chảy và viêm dạ dày - ruột do nhiễm trùng",
    "A91": "Sốt xuất huyết Dengue",
    "B08.4": "Bệnh tay chân miệng",
    "B01.9": "Thủy đậu không có biến chứng",
    "H10.9": "Viêm kết mạc, không đặc hiệu",
    "H66.9": "Viêm tai giữa, không đặc hiệu",
    "H52.1": "Cận thị",
    "H25.9": "Đục thủy tinh thể ở người già, không đặc hiệu",
    "I10": "Tăng huyết áp vô căn (nguyên phát)",
    "I25.1": "Bệnh tim do xơ vữa động mạch",
    "I63.9": "Nhồi máu não, không đặc hiệu",
    "I50.9": "Suy tim, không đặc hiệu",
    "E11.9": "Bệnh đái tháo đường không phụ thuộc insulin",
    "E78.5": "Tăng lipid máu, không đặc hiệu",
    "E03.9": "Suy giáp, không đặc hiệu",
    "E04.9": "Bướu giáp không độc, không đặc hiệu",
    "K29.7": "Viêm dạ dày, không đặc hiệu",
    "K21.9": "Bệnh trào ngược dạ dày - thực quản không có viêm thực quản",
    "K35.8": "Viêm ruột thừa cấp",
    "K80.2": "Sỏi túi mật không có viêm túi mật",
    "K76.0": "Gan nhiễm mỡ, không phân loại nơi khác",
    "K02.9": "Sâu răng, không đặc hiệu",
    "K05.1": "Viêm lợi mạn",
    "M54.5": "Đau vùng thắt lưng",
    "M17.9": "Thoái hóa khớp gối, không đặc hiệu",
    "M47.8": "Thoái hóa cột sống khác",
    "M10.9": "Bệnh gút, không đặc hiệu",
    "N39.0": "Nhiễm trùng đường tiết niệu, vị trí không xác định",
    "N20.0": "Sỏi thận",
    "N76.0": "Viêm âm đạo cấp",
    "N18.9": "Bệnh thận mạn, không đặc hiệu",
    "L20.9": "Viêm da cơ địa, không đặc hiệu",
    "L50.9": "Mày đay, không đặc hiệu",
    "R51": "Đau đầu",
    "R50.9": "Sốt, không đặc hiệu",
    "G43.9": "Migraine, không đặc hiệu",
    "F41.9": "Rối loạn lo âu, không đặc hiệu",
    "S93.4": "Bong gân và căng cơ mắt cá chân",
    "S52.5": "Gãy đầu dưới xương quay",
    "O80": "Đẻ thường một thai",
    "Z34.9": "Giám sát thai nghén bình thường, không đặc hiệu",
    "Z00.0": "Khám sức khỏe tổng quát",
}
OUT_ADULT = (
    "J06.9",
    "J00",
    "J02.9",
    "J03.9",
    "J20.9",
    "K29.7",
    "K21.9",
    "M54.5",
    "L20.9",
    "L50.9",
    "H10.9",
    "R51",
    "R50.9",
    "N39.0",
    "K02.9",
    "K05.1",
    "S93.4",
    "Z00.0",
    "G43.9",
    "F41.9",
    "K76.0",
    "E04.9",
    "H52.1",
    "J45.9",
)
OUT_CHILD = (
    "J06.9",
    "J00",
    "J02.9",
    "J03.9",
    "J20.9",
    "A09",
    "B08.4",
    "B01.9",
    "H66.9",
    "H10.9",
    "L20.9",
    "R50.9",
    "K02.9",
    "J06.9",
    "J00",
)
OUT_FEMALE = ("N76.0", "E03.9", "N39.0")
CHRONIC = (
    "I10",
    "I10",
    "E11.9",
    "E78.5",
    "M17.9",
    "M47.8",
    "K29.7",
    "J44.9",
    "I25.1",
    "N18.9",
    "M10.9",
    "H25.9",
)
IN_CHILD = ("J18.9", "A09", "B08.4", "A91", "J20.9")
IN_ADULT = ("J18.9", "K35.8", "A91", "S52.5", "K80.2", "N20.0", "A09")
IN_ELDER = ("J18.9", "I63.9", "I50.9", "J44.9", "E11.9", "I10", "K80.2", "H25.9")

FACILITY_BRANDS = (
    "An Phúc",
    "Thiện Nhân",
    "Nhân Ái",
    "Tâm An",
    "Phúc An",
    "Minh Tâm",
    "Đức Tâm",
    "Bình An",
    "Hồng Phúc",
    "Việt Tâm",
    "Hạnh Phúc",
    "Thái An",
)
CENTRAL_HOSPITALS = {
    "01": ("Bệnh viện Bạch Mai", "Bệnh viện Hữu nghị Việt Đức", "Bệnh viện Nhi Trung ương"),
    "79": ("Bệnh viện Chợ Rẫy", "Bệnh viện Thống Nhất"),
    "46": ("Bệnh viện Trung ương Huế",),
}
UNIVERSITIES = (
    "Trường Đại học Sư phạm",
    "Trường Đại học Kinh tế",
    "Trường Đại học Y Dược",
    "Trường Đại học Bách khoa",
    "Trường Cao đẳng Kỹ thuật",
    "Trường Đại học Nông Lâm",
    "Trường Cao đẳng Y tế",
)

# --- Money -----------------------------------------------------------------------------------

# Lương cơ sở (statutory base salary) from the month it applied: the base of household BHYT,
# of pupils' and students' BHYT, and the unit of several benefits.
BASE_SALARY: tuple[tuple[dt.date, int], ...] = (
    (dt.date(1985, 1, 1), 120_000), (dt.date(1997, 1, 1), 144_000), (dt.date(2000, 1, 1), 180_000),
    (dt.date(2001, 1, 1), 210_000), (dt.date(2003, 1, 1), 290_000), (dt.date(2005, 10, 1), 350_000),
    (dt.date(2006, 10, 1), 450_000), (dt.date(2008, 1, 1), 540_000), (dt.date(2009, 5, 1), 650_000),
    (dt.date(2010, 5, 1), 730_000), (dt.date(2011, 5, 1), 830_000),
    (dt.date(2012, 5, 1), 1_050_000),
    (dt.date(2013, 7, 1), 1_150_000), (dt.date(2016, 5, 1), 1_210_000),
    (dt.date(2017, 7, 1), 1_300_000), (dt.date(2018, 7, 1), 1_390_000),
    (dt.date(2019, 7, 1), 1_490_000), (dt.date(2023, 7, 1), 1_800_000),
    (dt.date(2024, 7, 1), 2_340_000),
)  # fmt: skip
# Region I minimum wage: the cap of unemployment benefit is five times it.
REGION_MINIMUM: tuple[tuple[dt.date, int], ...] = (
    (dt.date(1985, 1, 1), 800_000), (dt.date(2010, 1, 1), 980_000),
    (dt.date(2011, 10, 1), 2_000_000), (dt.date(2013, 1, 1), 2_350_000),
    (dt.date(2014, 1, 1), 2_700_000), (dt.date(2015, 1, 1), 3_100_000),
    (dt.date(2016, 1, 1), 3_500_000), (dt.date(2017, 1, 1), 3_750_000),
    (dt.date(2018, 1, 1), 3_980_000), (dt.date(2019, 1, 1), 4_180_000),
    (dt.date(2020, 1, 1), 4_420_000), (dt.date(2022, 7, 1), 4_680_000),
    (dt.date(2024, 7, 1), 4_960_000),
)  # fmt: skip
BHTN_FROM = dt.date(2009, 1, 1)  # unemployment insurance began on 1 January 2009
BHTNLD_FROM = dt.date(2016, 7, 1)  # occupational accident insurance became a fund of its own
VOLUNTARY_FROM = dt.date(2008, 1, 1)  # voluntary social insurance began on 1 January 2008
RECORDS_FROM = dt.date(1985, 1, 1)  # the earliest month a history here starts


def _mi(day: dt.date) -> int:
    """A month as one integer, so that month arithmetic is addition."""
    return day.year * 12 + day.month - 1


def _md(mi: int) -> dt.date:
    return dt.date(mi // 12, mi % 12 + 1, 1)


def _thousand(value: float) -> int:
    """Round to the nearest 1 000 ₫, as contribution bases and costs are written."""
    return int(round(value / 1000.0)) * 1000


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _cum(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:110]


def _province_label(code: str) -> str:
    """The province as an address or an office name says it: "thành phố Hà Nội", "tỉnh Gia Lai"."""
    return ("thành phố " if code in CITY_CODES else "tỉnh ") + PROVINCES[code]


class _Sink:
    """Rows of one table, written `CHUNK` at a time; ids are handed out here, from 1."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.last_id = 0

    def new_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            db.session.execute(insert(self.table), self.rows)
            self.count += len(self.rows)
            self.rows = []


class _Person:
    """A person being made: the row to insert plus what their life story needs."""

    __slots__ = (
        "id",
        "row",
        "dob",
        "gender",
        "age",
        "family",
        "full_name",
        "province",
        "former",
        "household",
        "profile",
        "jobs",
        "work_start",
        "career_end",
        "rich",
        "card_mode",
        "children",
        "office_code",
        "account",
        "account_created",
        "minor",
        "coef",
        "retire",
        "segments",
        "tn",
    )

    def __init__(self) -> None:
        self.jobs: list[list[Any]] = []
        self.children: list[dt.date] = []
        self.rich = False
        self.card_mode = ""
        self.account = False
        self.account_created: dt.datetime | None = None
        self.career_end: int | None = None
        self.work_start: int | None = None
        self.segments: list[tuple[int, int, int]] = []  # (start, end, base) of employed months
        self.tn: tuple[int, int] | None = None  # months of unemployment-fund BHYT


# --- Generator -------------------------------------------------------------------------------


class _Generator:
    """One run: a random stream, the day it is, the rows waiting per table, and the lookups
    (offices, facilities, employers by province) that later rows need."""

    def __init__(self, seed: int, today: dt.date, password: str) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.today_mi = _mi(today)
        self.now = dt.datetime.combine(today, dt.time(10, 0), tzinfo=VIETNAM).astimezone(dt.UTC)
        self.password = password
        self.sinks = {
            model.__tablename__: _Sink(model.__table__)
            for model in (
                BhxhOffice,
                Facility,
                Employer,
                CollectionPoint,
                Officer,
                Household,
                Person,
                Account,
                HealthCard,
                ParticipationPeriod,
                Benefit,
                MedicalVisit,
                RegistrationDossier,
                NewsArticle,
                FaqEntry,
            )
        }
        self._bs_months = [_mi(d) for d, _ in BASE_SALARY]
        self._rm_months = [_mi(d) for d, _ in REGION_MINIMUM]
        self._months = {mi: _md(mi) for mi in range(1980 * 12, (today.year + 8) * 12)}
        self._former_codes = list(FORMER_WEIGHTS)
        self._former_cum = _cum(FORMER_WEIGHTS.values())
        self._families = list(FAMILY_NAMES)
        self._family_cum = _cum(FAMILY_NAMES.values())
        self._mid = {
            (gender, young): (list(names), _cum(self._young(names, young, gender).values()))
            for gender, names in ((1, MIDDLE_MALE), (2, MIDDLE_FEMALE))
            for young in (False, True)
        }
        self._sector_cum = _cum(SECTORS[s][1] for s in COMPANY_SECTORS)
        self._industrial_cum = _cum((5, 3, 2, 2, 1, 1, 1))
        self.used_codes: set[str] = set()
        self.used_cccd: set[str] = set()
        self.used_phones: set[str] = set()
        self.people: list[_Person] = []
        # province → [(id, code)] of its offices, the provincial one first
        self.offices: dict[str, list[tuple[int, str]]] = {}
        self.facilities: dict[str, list[tuple[int, str]]] = {}  # province → [(id, level)]
        self.primary_care: dict[str, list[int]] = {}  # province → ids fit for primary care
        self.hospitals: dict[str, list[int]] = {}  # province → ids that admit inpatients
        self.employers: list[tuple[int, str, str, str]] = []  # (id, kind, sector, province)
        self.employers_by: dict[tuple[str, str], list[int]] = {}  # (province, sector) → indexes
        self.employers_in: dict[str, list[int]] = {}  # province → indexes, every kind
        self.schools: dict[tuple[str, str], list[int]] = {}  # (province, stage) → employer ids
        self.officer_ids: list[int] = []
        self._commune_ids: set[int] = set()
        self.dossier_plan: list[tuple[str, _Person, dt.datetime]] = []

    @staticmethod
    def _young(names: dict[str, float], young: bool, gender: int) -> dict[str, float]:
        """Parents since the 1990s have chosen "Văn" and "Thị" less often."""
        if not young:
            return names
        common = "Văn" if gender == 1 else "Thị"
        return {k: (v / 4 if k == common else v) for k, v in names.items()}

    # --- small helpers -----------------------------------------------------------------------

    def month(self, mi: int) -> dt.date:
        day = self._months.get(mi)
        return day if day is not None else _md(mi)

    def base_salary(self, mi: int) -> int:
        return BASE_SALARY[max(bisect.bisect_right(self._bs_months, mi) - 1, 0)][1]

    def region_minimum(self, mi: int) -> int:
        return REGION_MINIMUM[max(bisect.bisect_right(self._rm_months, mi) - 1, 0)][1]

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return dt.date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def moment(self, day: dt.date) -> dt.datetime:
        """A time in office hours of `day` in Vietnam, as an aware UTC datetime."""
        minutes = self.rng.randint(7 * 60 + 30, 17 * 60 + 30)
        local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=VIETNAM)
        return local.astimezone(dt.UTC)

    def landline(self, province: str) -> str:
        area = PROVINCE_GEO[province][2]
        digits = 11 - len(area)
        number = str(self.rng.randint(3 * 10 ** (digits - 1), 10**digits - 1))
        return f"{area} {number[:-4]} {number[-4:]}"

    def mobile(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def near(self, province: str, spread: float) -> tuple[float, float]:
        lat, lon = PROVINCE_GEO[province][:2]
        return (
            round(lat + self.rng.uniform(-spread, spread), 5),
            round(lon + self.rng.uniform(-spread, spread), 5),
        )

    def address(self, province: str, urban: bool, commune: str | None = None) -> str:
        """An address in a ward (urban) or a commune; `commune` names it when the place's own
        name says where it is ("Trạm Y tế xã An Bình" is in xã An Bình)."""
        rng = self.rng
        label = _province_label(province)
        commune = commune or rng.choice(COMMUNES)
        south = province >= "75"
        if urban:
            street = rng.choice(STREETS)
            n = rng.randint(1, 450)
            if not south and rng.random() < 0.35:
                return f"Số {n} ngõ {rng.randint(2, 180)}, phố {street}, phường {commune}, {label}"
            if south and rng.random() < 0.35:
                return f"Số {n}/{rng.randint(1, 40)} đường {street}, phường {commune}, {label}"
            return f"Số {n}, đường {street}, phường {commune}, {label}"
        if province in _MOUNTAIN and rng.random() < 0.6:
            return f"Bản {rng.choice(VILLAGES_MOUNTAIN)}, xã {commune}, {label}"
        if south:
            return f"Ấp {rng.choice(HAMLETS_SOUTH)}, xã {commune}, {label}"
        word = "Thôn" if rng.random() < 0.7 else "Xóm"
        return f"{word} {rng.randint(1, 12)}, xã {commune}, {label}"

    def name(self, gender: int, birth_year: int, family: str) -> str:
        rng = self.rng
        names, cum = self._mid[(gender, birth_year >= 1995)]
        middle = rng.choices(names, cum_weights=cum)[0]
        if gender == 2 and middle == "Thị" and rng.random() < 0.2:
            middle = "Thị " + rng.choice(("Thu", "Thanh", "Ngọc", "Kim", "Hồng", "Minh"))
        given_pool = GIVEN_MALE if gender == 1 else GIVEN_FEMALE
        given = rng.choice(given_pool)
        while given == middle.split()[-1]:
            given = rng.choice(given_pool)
        return f"{family} {middle} {given}"

    def family_name(self, province: str) -> str:
        family = self.rng.choices(self._families, cum_weights=self._family_cum)[0]
        if family in SOUTHERN_SPELLING and province >= "48" and self.rng.random() < 0.75:
            family = SOUTHERN_SPELLING[family]
        return family

    # --- directories -------------------------------------------------------------------------

    def directories(self, persons: int) -> None:
        """Offices, facilities, employers and collection points, province by province."""
        rng = self.rng
        offices = self.sinks["bhxh_office"]
        facilities = self.sinks["facility"]
        points = self.sinks["collection_point"]
        for code in PROVINCES:
            places = PROVINCE_GEO[code][3]
            label = _province_label(code)
            # provincial office, then 1–3 grassroots offices (BHXH cơ sở)
            office_list: list[tuple[int, str]] = []
            grassroots = rng.sample(places, k=min(len(places), rng.randint(1, 3)))
            for k, place in enumerate([None, *grassroots]):
                office_id = offices.new_id()
                office_code = f"{code}{k:03d}"
                office_name = f"BHXH {label}" if place is None else f"BHXH cơ sở {place}"
                lat, lon = PROVINCE_GEO[code][:2]
                if place is not None:
                    lat, lon = self.near(code, 0.35)
                offices.add(
                    {
                        "id": office_id,
                        "code": office_code,
                        "name": office_name,
                        "name_folded": fold(office_name),
                        "level": "province" if place is None else "commune",
                        "province_code": code,
                        "address": self.address(code, True),
                        "phone": self.landline(code),
                        "latitude": lat,
                        "longitude": lon,
                    }
                )
                office_list.append((office_id, office_code))
            self.offices[code] = office_list

            # health facilities (CSKCB)
            plan: list[tuple[str, str]] = [(n, "central") for n in CENTRAL_HOSPITALS.get(code, ())]
            plan.append((f"Bệnh viện Đa khoa {label}", "province"))
            plan.append((f"Bệnh viện Sản - Nhi {label}", "province"))
            if rng.random() < 0.5:
                plan.append((f"Bệnh viện Y dược cổ truyền {label}", "province"))
            for place in rng.sample(places, k=2):
                plan.append((f"Trung tâm Y tế khu vực {place}", "district"))
            if rng.random() < 0.5:
                plan.append((f"Bệnh viện Đa khoa khu vực {rng.choice(places)}", "district"))
            for brand in rng.sample(FACILITY_BRANDS, k=rng.randint(1, 2)):
                plan.append((f"Phòng khám Đa khoa {brand}", "private"))
            stations: dict[str, tuple[str, bool]] = {}  # name → (commune, urban)
            for commune in rng.sample(COMMUNES, k=rng.randint(2, 3)):
                urban = rng.random() < 0.4
                fac_name = f"Trạm Y tế {'phường' if urban else 'xã'} {commune}"
                plan.append((fac_name, "commune"))
                stations[fac_name] = (commune, urban)
            seq = 0
            fac_list: list[tuple[int, str]] = []
            for fac_name, kind in plan:
                seq += rng.randint(1, 12)
                fac_id = facilities.new_id()
                level = "district" if kind == "private" else kind
                contract = rng.random() < (0.7 if kind == "private" else 0.97)
                sick_leave = kind in ("central", "province", "district") or (
                    kind == "private" and rng.random() < 0.5
                )
                lat, lon = self.near(code, 0.05 if kind in ("central", "province") else 0.4)
                commune, urban = stations.get(fac_name, (None, True))
                facilities.add(
                    {
                        "id": fac_id,
                        "code": f"{code}{seq:03d}",
                        "name": fac_name,
                        "name_folded": fold(fac_name),
                        "level": level,
                        "province_code": code,
                        "address": self.address(code, urban, commune),
                        "phone": self.landline(code),
                        "has_bhyt_contract": contract,
                        "issues_sick_leave": sick_leave,
                        "latitude": lat,
                        "longitude": lon,
                    }
                )
                fac_list.append((fac_id, level))
                if contract and level in ("district", "commune"):
                    self.primary_care.setdefault(code, []).append(fac_id)
                if level != "commune":
                    self.hospitals.setdefault(code, []).append(fac_id)
            self.facilities[code] = fac_list

            # collection points and agents (điểm thu, đại lý thu)
            point_names: set[str] = set()
            k = 0
            while k < 3 or (k < 6 and rng.random() < 0.6):
                commune = rng.choice(COMMUNES)
                choice = rng.randrange(5)
                urban = False
                if choice == 0:
                    cp_name, kind = f"Bưu điện văn hóa xã {commune}", "point"
                elif choice == 1:
                    cp_name, kind, urban = f"Điểm thu Bưu điện {rng.choice(places)}", "point", True
                    commune = None
                elif choice == 2:
                    cp_name, kind = f"Đại lý thu UBND xã {commune}", "agent"
                elif choice == 3:
                    cp_name, kind = f"Đại lý thu Hội Liên hiệp Phụ nữ phường {commune}", "agent"
                    urban = True
                else:
                    cp_name, kind = f"Đại lý thu Hội Nông dân xã {commune}", "agent"
                if cp_name in point_names:
                    continue
                point_names.add(cp_name)
                k += 1
                points.add(
                    {
                        "id": points.new_id(),
                        "code": f"{'DT' if kind == 'point' else 'DL'}{code}{k:04d}",
                        "name": cp_name,
                        "name_folded": fold(cp_name),
                        "kind": kind,
                        "province_code": code,
                        "address": self.address(code, urban, commune),
                        "phone": self.mobile() if kind == "agent" else self.landline(code),
                    }
                )
        self.make_employers(300 + persons // 40)

    def make_employers(self, count: int) -> None:
        """Companies, schools, commune people's committees and co-operatives, by population."""
        rng = self.rng
        sink = self.sinks["employer"]
        weights: dict[str, float] = {code: 0.0 for code in PROVINCES}
        for former, w in FORMER_WEIGHTS.items():
            weights[current_province(former)] += w
        total = sum(weights.values())
        used_names: set[tuple[str, str]] = set()
        used_units: set[str] = set()
        letters = "ABCDEFGHIKLMNPQRSTUVXY"
        for code in PROVINCES:
            places = PROVINCE_GEO[code][3]
            n = max(6, round(count * weights[code] / total))
            for k in range(n):
                if k < 3:  # every province has schools at each stage, for its pupils
                    kind, stage = "school", ("Tiểu học", "THCS", "THPT")[k]
                else:
                    kind = rng.choices(("company", "school", "commune", "coop"), (70, 12, 11, 7))[0]
                    stage = rng.choice(("Mầm non", "Tiểu học", "THCS", "THPT"))
                sector = kind
                commune, urban = None, rng.random() < 0.6
                for _attempt in range(20):
                    if kind == "company":
                        sector = rng.choices(COMPANY_SECTORS, cum_weights=self._sector_cum)[0]
                        form = "Công ty TNHH" if rng.random() < 0.62 else "Công ty Cổ phần"
                        emp_name = f"{form} {SECTORS[sector][0]} {rng.choice(BRANDS)}"
                        if _attempt or rng.random() < 0.3:
                            emp_name += f" {rng.choice(places)}"
                    elif kind == "school":
                        if stage == "THPT" and rng.random() < 0.6:
                            emp_name, commune = f"Trường THPT {rng.choice(STREETS)}", None
                        else:
                            commune = rng.choice(COMMUNES)
                            emp_name = f"Trường {stage} {commune}"
                    elif kind == "commune":
                        commune, urban = rng.choice(COMMUNES), rng.random() < 0.35
                        emp_name = f"UBND {'phường' if urban else 'xã'} {commune}"
                    else:
                        commune, urban = rng.choice(COMMUNES), False
                        activity = rng.choice(("Nông nghiệp", "Dịch vụ nông nghiệp", "Thủy sản"))
                        emp_name = f"Hợp tác xã {activity} {commune}"
                    key = (emp_name, code) if kind != "company" else (emp_name, "")
                    if key not in used_names:
                        break
                used_names.add(key)
                while True:
                    unit = (
                        rng.choice(letters)
                        + rng.choice(letters)
                        + f"{rng.randrange(10000):04d}"
                        + rng.choice(letters)
                    )
                    if unit not in used_units:
                        used_units.add(unit)
                        break
                emp_id = sink.new_id()
                sink.add(
                    {
                        "id": emp_id,
                        "unit_code": unit,
                        "tax_code": f"{rng.choice('0123456789')}{rng.randrange(10**9):09d}",
                        "name": emp_name,
                        "name_folded": fold(emp_name),
                        "province_code": code,
                        "address": self.address(code, urban, commune),
                        "active": rng.random() < 0.96,
                    }
                )
                index = len(self.employers)
                self.employers.append((emp_id, kind, sector, code))
                self.employers_by.setdefault((code, sector), []).append(index)
                if kind == "school":
                    self.schools.setdefault((code, stage), []).append(emp_id)
                self.employers_in.setdefault(code, []).append(index)

    def officers(self, officer_hash: str) -> None:
        """canbo01 (admin) and canbo02 (reviewer), both of the Hà Nội provincial office."""
        sink = self.sinks["officer"]
        for username, role in (("canbo01", "admin"), ("canbo02", "reviewer")):
            gender = self.rng.choice((1, 2))
            officer_id = sink.new_id()
            sink.add(
                {
                    "id": officer_id,
                    "username": username,
                    "password_hash": officer_hash,
                    "full_name": self.name(gender, 1985, self.family_name("01")),
                    "role": role,
                    "office_id": self.offices["01"][0][0],
                    "active": True,
                    "created_at": self.moment(
                        self.today - dt.timedelta(days=400 + 30 * officer_id)
                    ),
                }
            )
            self.officer_ids.append(officer_id)

    # --- people ------------------------------------------------------------------------------

    def retirement_month(self, dob: dt.date, gender: int) -> int:
        """The month a person reaches pension age: 60 and 55 until 2020, then rising by 3 months
        (men) or 4 months (women) a year towards 62 and 60."""
        years, step, cap = (60, 3, 24) if gender == 1 else (55, 4, 60)
        reach = dob.year + years
        extra = 0 if reach < 2021 else min(cap, (reach - 2020) * step)
        return _mi(dob) + years * 12 + extra + 1

    def populate(self, count: int) -> None:
        """Households and their members; the first three households hold the demo citizens."""
        today = self.today
        forced = [
            {
                "former": "01",
                "gender": 1,
                "dob": dt.date(today.year - 38, 4, 17),
                "profile": "employee",
                "card_mode": "active",
            },
            {
                "former": "48",
                "gender": 2,
                "dob": dt.date(today.year - 49, 9, 2),
                "profile": "voluntary",
                "card_mode": "expiring",
            },
            {
                "former": "79",
                "gender": 1,
                "dob": dt.date(today.year - 67, 2, 11),
                "profile": "pensioner",
                "card_mode": "active",
            },
        ]
        households = self.sinks["household"]
        while len(self.people) < count:
            force = forced.pop(0) if forced else None
            members = self.household(force)
            for p in members[: count - len(self.people)]:
                self.people.append(p)
            row = members[0].household
            households.add(row)
        households.flush()
        sink = self.sinks["person"]
        for p in self.people:
            sink.add(p.row)
        sink.flush()

    def household(self, force: dict | None) -> list[_Person]:
        rng = self.rng
        today = self.today
        home = (
            force["former"]
            if force
            else rng.choices(self._former_codes, cum_weights=self._former_cum)[0]
        )
        province = current_province(home)
        hh_id = self.sinks["household"].new_id()
        urban = rng.random() < (0.7 if province in CITY_CODES else 0.3)
        address = self.address(province, urban)
        poor = rng.random() < 0.05
        near_poor = not poor and rng.random() < 0.03
        office = rng.choice(self.offices[province][1:])[1]
        if force:
            head_gender, head_dob = force["gender"], force["dob"]
        else:
            head_gender = 1 if rng.random() < 0.72 else 2
            year = round(rng.triangular(1950, 2001, 1978))
            head_dob = self.day_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
        family = self.family_name(province)
        common = dict(
            hh=hh_id,
            home=home,
            province=province,
            address=address,
            office=office,
            poor=poor,
            near_poor=near_poor,
        )
        head = self.person(head_gender, head_dob, family, migrant=True, force=force, **common)
        members = [head]
        head_age = head.age
        spouse = None
        if head_age >= 22 and rng.random() < 0.8:
            gap = rng.randint(0, 6)
            sdob = _add_years(head_dob, gap if head_gender == 1 else -gap)
            sdob = min(
                sdob + dt.timedelta(days=rng.randint(-150, 150)),
                today - dt.timedelta(days=18 * 366),
            )
            if sdob.year >= 1950:
                spouse = self.person(
                    3 - head_gender, sdob, self.family_name(province), migrant=True, **common
                )
                members.append(spouse)
        father = head if head_gender == 1 else spouse
        mother = head if head_gender == 2 else spouse
        parent = mother or head
        if head_age >= 21 and rng.random() < 0.85:
            births, at = [], rng.uniform(20, 30)
            for _ in range(rng.choices((1, 2, 3, 4), (30, 45, 20, 5))[0]):
                if at > 40:
                    break
                births.append(at)
                at += rng.uniform(1.5, 6)  # a year and a half at least between siblings
            for at in births:
                cdob = parent.dob + dt.timedelta(days=round(at * 365.25))
                if cdob > today - dt.timedelta(days=45):
                    break
                kid_family = father.family if father else head.family
                guardian = head.full_name
                kid = self.person(
                    rng.choice((1, 2)), cdob, kid_family, migrant=False, guardian=guardian, **common
                )
                members.append(kid)
                if mother is not None:
                    mother.children.append(cdob)
                if father is not None:
                    father.children.append(cdob)
        if head_age < 48 and rng.random() < 0.15:
            gdob = _add_years(head_dob, -rng.randint(22, 32))
            if gdob.year >= 1950:
                grand = self.person(
                    rng.choice((1, 2)),
                    gdob,
                    head.family if rng.random() < 0.5 else self.family_name(province),
                    migrant=False,
                    **common,
                )
                members.append(grand)
        head.household = {
            "id": hh_id,
            "code": f"HG{home}{hh_id:07d}",
            "head_name": head.full_name,
            "address": address,
            "province_code": province,
        }
        return members

    def bhxh_code(self, former: str) -> str:
        while True:
            code = former + f"{self.rng.randrange(10**8):08d}"
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def person(
        self,
        gender: int,
        dob: dt.date,
        family: str,
        *,
        hh: int,
        home: str,
        province: str,
        address: str,
        office: str,
        poor: bool,
        near_poor: bool,
        migrant: bool,
        force: dict | None = None,
        guardian: str | None = None,
    ) -> _Person:
        rng = self.rng
        today = self.today
        p = _Person()
        p.id = self.sinks["person"].new_id()
        p.gender, p.dob, p.family = gender, dob, family
        p.age = _age(dob, today)
        p.minor = p.age < 18
        p.province = province
        p.office_code = office
        p.former = home
        if migrant and not force and rng.random() < (0.3 if province in INDUSTRIAL else 0.08):
            p.former = rng.choices(self._former_codes, cum_weights=self._former_cum)[0]
        p.full_name = self.name(gender, dob.year, family)
        code = self.bhxh_code(p.former)
        p.retire = self.retirement_month(dob, gender)
        p.profile = force["profile"] if force else self.profile(p, poor, near_poor)
        p.rich = force is not None
        p.card_mode = force["card_mode"] if force else ""

        # identity documents: CCCD (12 digits), else an old CMND (9 digits)
        cccd = cmnd = issued_place = None
        issued_on = None
        century = (0 if dob.year < 2000 else 2) + (gender - 1)
        fourteen = _add_years(dob, 14)
        if p.age >= 14 and (force or p.age < 40 or rng.random() < 0.9):
            while True:
                cccd = f"0{p.former}{century}{dob.year % 100:02d}{rng.randrange(10**6):06d}"
                if cccd not in self.used_cccd:
                    self.used_cccd.add(cccd)
                    break
            issued_on = self.day_between(max(fourteen, dt.date(2016, 3, 1)), today - 20 * DAY)
            if issued_on >= dt.date(2024, 7, 1):
                issued_place = "Bộ Công an"
            else:
                issued_place = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
        elif p.age >= 14:
            cmnd = f"{rng.choice('0123')}{rng.randrange(10**8):08d}"
            issued_on = self.day_between(max(fourteen, dt.date(1998, 1, 1)), dt.date(2015, 12, 31))
            issued_place = f"Công an {FORMER_PROVINCES[p.former][0]}"
        elif rng.random() < 0.35:  # the personal identification number, given at birth registration
            while True:
                cccd = f"0{p.former}{century}{dob.year % 100:02d}{rng.randrange(10**6):06d}"
                if cccd not in self.used_cccd:
                    self.used_cccd.add(cccd)
                    break

        if force or (p.age >= 18 and rng.random() < (0.95 if p.age < 70 else 0.75)):
            phone = self.mobile()
        elif 15 <= p.age < 18 and rng.random() < 0.4:
            phone = self.mobile()
        else:
            phone = None
        email = None
        if p.age >= 18 and (force or rng.random() < (0.45 if p.age < 50 else 0.15)):
            parts = fold(p.full_name).split()
            local = rng.choice(
                (
                    "".join(parts[1:] + parts[:1]),
                    parts[-1] + parts[0],
                    ".".join((parts[-1], parts[0])),
                )
            )
            suffix = rng.choice((str(dob.year), f"{dob.year % 100:02d}", str(rng.randint(1, 999))))
            email = f"{local}{suffix}@{rng.choice(EMAIL_DOMAINS)}"
        living_area = None
        if rng.random() < (0.05 if province in _MOUNTAIN else 0.004):
            living_area = rng.choice(("K1", "K2", "K3"))

        self.plan_life(p)
        p.row = {
            "id": p.id,
            "bhxh_code": code,
            "cccd": cccd,
            "cmnd": cmnd,
            "passport": None,
            "full_name": p.full_name,
            "name_folded": fold(p.full_name),
            "date_of_birth": dob,
            "gender": gender,
            "nationality": "VN",
            "phone": phone,
            "email": email,
            "address": address,
            "province_code": province,
            "living_area": living_area,
            "guardian_name": guardian if p.minor else None,
            "household_id": hh,
            "managing_office_code": office,
            "id_issued_on": issued_on,
            "id_issued_place": issued_place,
            "occupation": self.occupation_label(p),
            "version": 1,
        }
        return p

    def profile(self, p: _Person, poor: bool, near_poor: bool) -> str:
        """How the person is insured today, which decides the card group and the history."""
        rng = self.rng
        if p.age < 6:
            return "child"
        if p.age < 18:
            return "poor" if poor and rng.random() < 0.5 else "pupil"
        r = rng.random()
        if p.age < 23 and r < 0.35:
            return "student"
        if self.today_mi >= p.retire:
            if p.age >= 80 and r < 0.3:
                return "social"
            if r < 0.6:
                return "veteran" if p.dob.year <= 1955 and rng.random() < 0.06 else "pensioner"
            if poor:
                return "poor"
            if r < 0.92:
                return "household"
            return "uninsured"
        r = rng.random()
        if r < 0.62:
            return "employee"
        if poor:
            return "poor"
        if near_poor:
            return "near_poor"
        if r < 0.69:
            return "voluntary"
        if r < 0.85:
            return "household"
        if r < 0.90:
            return "unemployed"
        if r < 0.93:
            return "lump_sum"
        return "uninsured"

    def occupation_label(self, p: _Person) -> str | None:
        if p.profile == "employee" and p.jobs:
            return p.jobs[-1][3]
        if p.profile in ("child", "social"):
            return None
        return {
            "pupil": "Học sinh",
            "student": "Sinh viên",
            "pensioner": "Hưu trí",
            "veteran": "Hưu trí",
            "unemployed": "Đang tìm việc",
        }.get(p.profile) or self.rng.choice(
            ("Nông dân", "Lao động tự do", "Buôn bán nhỏ") + (("Nội trợ",) if p.gender == 2 else ())
        )

    # --- careers -----------------------------------------------------------------------------

    def plan_life(self, p: _Person) -> None:
        """The jobs a person held, decided before the rows are written (the person's occupation
        column shows the current one)."""
        rng = self.rng
        today_mi = self.today_mi
        profile = p.profile
        if profile in ("child", "pupil", "student"):
            return
        if profile == "poor" and p.minor:
            return
        start = _mi(p.dob) + rng.randint(18 * 12, 24 * 12)
        start = max(
            start,
            _mi(RECORDS_FROM) if profile in ("pensioner", "veteran") else _mi(dt.date(1995, 1, 1)),
        )
        p.work_start = start
        p.coef = rng.uniform(2.5, 3.3)
        if profile == "employee":
            self.plan_jobs(p, min(start, today_mi - rng.randint(0, 3)), today_mi, ongoing=True)
        elif profile in ("pensioner", "veteran"):
            self.plan_jobs(p, start, p.retire - 1, ongoing=False)
        elif profile == "unemployed":
            end = today_mi - rng.randint(3, 9)
            if end - start >= 14:
                self.plan_jobs(p, start, end, ongoing=False, min_last=12)
        elif profile == "lump_sum":
            end = today_mi - rng.randint(14, 150)
            if end - start >= 24:
                self.plan_jobs(p, start, end, ongoing=False)
        elif profile in ("household", "voluntary", "uninsured", "poor", "near_poor", "social"):
            if p.rich or rng.random() < (0.6 if profile == "voluntary" else 0.35):
                end = today_mi - rng.randint(18, 200)
                if end - start >= 12:
                    self.plan_jobs(p, start, end, ongoing=False)
        if p.jobs:
            p.career_end = p.jobs[-1][1]
        elif profile in ("unemployed", "lump_sum"):
            p.profile = "household"

    def pick_employer(self, p: _Person, last_sector: str | None) -> int:
        rng = self.rng
        province = p.province
        if rng.random() < 0.12:
            province = INDUSTRIAL[
                bisect.bisect_left(self._industrial_cum, rng.random() * self._industrial_cum[-1])
            ]
        if last_sector and rng.random() < 0.6:
            pool = self.employers_by.get((province, last_sector))
            if pool:
                return rng.choice(pool)
        return rng.choice(self.employers_in[province])

    def plan_jobs(
        self, p: _Person, start: int, end: int, *, ongoing: bool, min_last: int = 0
    ) -> None:
        """Consecutive jobs from `start` to `end` (month indexes), with short gaps between them."""
        rng = self.rng
        s = start
        last_sector = None
        occupation = None
        while s <= end:
            length = rng.randint(24, 84) if p.rich else int(rng.expovariate(1 / 66)) + 6
            e = min(s + length - 1, end)
            if end - e < 6:  # do not leave a stub of a job at the end
                e = end
            index = self.pick_employer(p, last_sector)
            emp_id, kind, sector, _prov = self.employers[index]
            if sector != last_sector or occupation is None or rng.random() < 0.3:
                occupation, factor = rng.choice(SECTORS[sector][2])
            p.jobs.append([s, e, index, occupation, factor])
            last_sector = sector
            gap = 0 if rng.random() < 0.55 else rng.randint(1, 14)
            s = e + 1 + gap
        if min_last and p.jobs and p.jobs[-1][1] - p.jobs[-1][0] + 1 < min_last:
            p.jobs[-1][0] = max(start, p.jobs[-1][1] - min_last + 1)
            if len(p.jobs) > 1 and p.jobs[-2][1] >= p.jobs[-1][0]:
                p.jobs[-2][1] = p.jobs[-1][0] - 1
                if p.jobs[-2][1] < p.jobs[-2][0]:
                    del p.jobs[-2]
        if ongoing and p.jobs:
            p.jobs[-1].append("ongoing")

    def contribution_base(self, p: _Person, mi: int, factor: float) -> int:
        """Mức đóng: the base salary times a personal, occupational and seniority coefficient,
        capped at 20 base salaries as the law caps it."""
        base = self.base_salary(mi)
        years = (mi - (p.work_start or mi)) / 12
        value = base * p.coef * factor * min(1.9, 1 + 0.03 * years) * self.rng.uniform(0.96, 1.06)
        return min(_thousand(value), 20 * base)

    # --- accounts ----------------------------------------------------------------------------

    def plan_accounts(self) -> None:
        """About 70 % of persons get an account: adults with a phone, most of them. Some of the
        rest get registration dossiers (pending or rejected); a few accounts came from approved
        dossiers, whose decision time is the account's creation time."""
        rng = self.rng
        eligible = [p for p in self.people if not p.minor and p.row["phone"]]
        share = min(0.93, 0.70 * len(self.people) / max(len(eligible), 1))
        for p in eligible:
            p.account = p.rich or rng.random() < share
        without = [p for p in eligible if not p.account]
        with_account = [p for p in eligible if p.account and not p.rich]
        scale = max(1, len(self.people) // 2000)
        n_pending = min(12 * scale, 60, len(without) // 3)
        n_rejected = min(5 * scale, 20, len(without) // 5)
        n_approved = min(10 * scale, 40, len(with_account) // 10)
        n_change = min(3 * scale, 12, len(with_account) // 20)
        picked = rng.sample(without, n_pending + n_rejected)
        now = self.now
        for p in picked[:n_pending]:
            declared = now - dt.timedelta(minutes=rng.randint(30, 9 * 24 * 60))
            self.dossier_plan.append(("pending", p, declared))
        for p in picked[n_pending:]:
            declared = now - dt.timedelta(days=rng.randint(12, 200), minutes=rng.randint(0, 600))
            self.dossier_plan.append(("rejected", p, declared))
        for p in rng.sample(with_account, n_approved + n_change):
            if len(self.dossier_plan) - n_pending - n_rejected < n_approved:
                declared = now - dt.timedelta(days=rng.randint(3, 300), minutes=rng.randint(0, 600))
                decided = declared + dt.timedelta(
                    days=rng.randint(1, 8), minutes=rng.randint(10, 300)
                )
                p.account_created = min(decided, now - dt.timedelta(hours=2))
                self.dossier_plan.append(("approved", p, declared))
            else:
                declared = now - dt.timedelta(days=rng.randint(0, 6), minutes=rng.randint(10, 600))
                self.dossier_plan.append(("change_info", p, declared))

    # --- lives -------------------------------------------------------------------------------

    def lives(self, citizen_hash: str) -> None:
        """Per person: account, card, participation periods, benefits and medical visits."""
        for p in self.people:
            if p.account:
                self.account(p, citizen_hash)
            periods = self.periods(p)
            card = self.card(p, periods)
            self.benefits(p)
            self.visits(p, card)

    def account(self, p: _Person, citizen_hash: str) -> None:
        rng = self.rng
        today = self.today
        created = p.account_created
        if created is None:
            earliest = max(dt.date(2019, 6, 1), _add_years(p.dob, 18))
            created = self.moment(self.day_between(earliest, today - 2 * DAY))
        created_day = created.astimezone(VIETNAM).date()
        if p.rich:
            changed_day = today - 20 * DAY
        else:
            changed_day = self.day_between(max(created_day, today - 140 * DAY), today - DAY)
        changed = min(max(self.moment(changed_day), created), self.now)
        last_login = None
        if p.rich or rng.random() < 0.8:
            last_login = min(
                max(self.moment(self.day_between(changed_day, today - DAY)), changed), self.now
            )
        sink = self.sinks["account"]
        sink.add(
            {
                "id": sink.new_id(),
                "person_id": p.id,
                "password_hash": citizen_hash,
                "status": "active",
                "must_change_password": False,
                "password_changed_at": changed,
                "locale": "vi" if rng.random() < 0.9 else ("en" if rng.random() < 0.2 else None),
                "created_at": created,
                "last_login_at": last_login,
                "failed_logins": 0,
                "locked_until": None,
                "first_password_resent_at": None,
            }
        )

    def period_row(
        self,
        p: _Person,
        scheme: str,
        s: int,
        e: int | None,
        employer_id: int | None,
        label: str | None,
        occupation: str | None,
        base: int,
    ) -> dict[str, Any]:
        return {
            "id": self.sinks["participation_period"].new_id(),
            "person_id": p.id,
            "scheme": scheme,
            "start_month": self.month(s),
            "end_month": None if e is None else self.month(e),
            "employer_id": employer_id,
            "unit_label": label,
            "occupation": occupation,
            "contribution_base": base,
        }

    def periods(self, p: _Person) -> list[tuple[int, int | None]]:
        """Write the person's participation periods; return the BHYT spans (for 5 years)."""
        rng = self.rng
        sink = self.sinks["participation_period"]
        today_mi = self.today_mi
        bhyt: list[tuple[int, int | None]] = []
        bhtn_from, bhtnld_from = _mi(BHTN_FROM), _mi(BHTNLD_FROM)
        segments = p.segments
        for job in p.jobs:
            s0, e0, index, occupation, factor = job[:5]
            ongoing = len(job) > 5
            emp_id, kind, _sector, _prov = self.employers[index]
            s = s0
            while s <= e0:
                e = min(s + rng.randint(12, 48) - 1, e0)
                if e0 - e < 6:
                    e = e0
                base = self.contribution_base(p, s, factor)
                end = None if ongoing and e == e0 else e
                segments.append((s, e, base))
                sink.add(self.period_row(p, "bhxh", s, end, emp_id, None, occupation, base))
                if kind != "commune" and e >= bhtn_from:
                    sink.add(
                        self.period_row(
                            p, "bhtn", max(s, bhtn_from), end, emp_id, None, occupation, base
                        )
                    )
                if e >= bhtnld_from:
                    sink.add(
                        self.period_row(
                            p, "bhtnld", max(s, bhtnld_from), end, emp_id, None, occupation, base
                        )
                    )
                sink.add(self.period_row(p, "bhyt", s, end, emp_id, None, occupation, base))
                bhyt.append((s, end))
                s = e + 1
        profile = p.profile
        birth = _mi(p.dob)

        def yearly(
            label: str,
            s: int,
            e: int | None,
            step: int = 12,
            employer_id: int | None = None,
            base_fn: Callable[[int], int] | None = None,
        ) -> None:
            last = today_mi if e is None else e
            bhyt.append((s, e))
            while s <= last:
                seg_end = min(s + step - 1, last)
                end = None if e is None and seg_end == last else seg_end
                base = base_fn(s) if base_fn else self.base_salary(s)
                sink.add(self.period_row(p, "bhyt", s, end, employer_id, label, None, base))
                s = seg_end + 1

        # childhood cover: TE until six, then pupils' BHYT at school
        six = self.six_years_end(p.dob)
        if p.age < 25 and birth >= _mi(dt.date(2009, 1, 1)):
            te_end = None if profile == "child" else _mi(six)
            yearly("BHYT trẻ em dưới 6 tuổi", birth, te_end, step=72)
        if profile in ("pupil", "student") or (profile == "poor" and p.minor):
            start = max(_mi(six) + 1, _mi(dt.date(2015, 1, 1)))
            school_end = None if profile != "student" else _mi(dt.date(p.dob.year + 18, 5, 1))
            if profile == "poor":
                school_end = None
            stages = (("Tiểu học", 6, 10), ("THCS", 11, 14), ("THPT", 15, 17))
            for stage, a, b in stages:
                s = max(start, _mi(dt.date(p.dob.year + a, 9, 1)))
                e = _mi(dt.date(p.dob.year + b + 1, 8, 1))
                if school_end is not None:
                    e = min(e, school_end)
                if s > today_mi or s > e:
                    continue
                # a pupil still at school at 17 is covered until the card's year ends
                ongoing = e >= today_mi or (profile == "pupil" and stage == "THPT")
                if profile == "poor":  # covered as a member of a poor household, not by school
                    yearly("BHYT hộ nghèo", s, None)
                    break
                pool = self.schools.get((p.province, stage)) or [None]
                school = rng.choice(pool)
                yearly(
                    "BHYT học sinh" if school is None else None,
                    s,
                    None if ongoing else e,
                    employer_id=school,
                )
        if profile == "student":
            first = _mi(dt.date(p.dob.year + 18, 9, 1))
            if first <= today_mi:
                place = PROVINCE_GEO[p.province][3][0]
                yearly(f"BHYT sinh viên - {rng.choice(UNIVERSITIES)} {place}", first, None)
        # adults outside employment
        if profile in ("pensioner", "veteran"):
            if p.retire <= today_mi:
                label = (
                    "BHYT người có công với cách mạng"
                    if profile == "veteran"
                    else "Người hưởng lương hưu"
                )
                pension = self.pension_amount(p)
                yearly(label, p.retire, None, base_fn=lambda _m: pension)
        elif (
            profile
            in ("household", "voluntary", "poor", "near_poor", "social", "lump_sum", "uninsured")
            and not p.minor
        ):
            floor = (p.career_end + 1) if p.career_end else _mi(_add_years(p.dob, 18))
            if profile == "social":
                floor = max(floor, _mi(_add_years(p.dob, 80)))
            start = max(floor, _mi(dt.date(2012, 1, 1)) + rng.randint(0, 120))
            if profile == "lump_sum" and p.career_end:
                start = max(start, p.career_end + rng.randint(6, 14))
            start = min(start, today_mi - rng.randint(0, 6))
            end: int | None = None
            if profile == "uninsured":
                end = today_mi - rng.randint(1, 24)
                if p.career_end and end <= p.career_end + 2:
                    end = None
                    start = -1  # lapsed straight after the last job: no household cover at all
            label = {
                "poor": "BHYT hộ nghèo",
                "near_poor": "BHYT hộ cận nghèo",
                "social": "BHYT người hưởng trợ cấp bảo trợ xã hội",
            }.get(profile, "BHYT hộ gia đình")
            if start >= 0 and (end is None or end >= start):
                yearly(label, start, end)
            if profile == "voluntary":
                vs = max(
                    _mi(VOLUNTARY_FROM),
                    (p.career_end or 0) + 1,
                    _mi(dt.date(2010, 1, 1)) + rng.randint(0, 130),
                )
                vs = min(vs, today_mi - 3)
                income = rng.uniform(1.0, 2.2)
                s = vs
                while s <= today_mi:
                    seg_end = min(s + rng.choice((6, 12, 12, 12)) - 1, today_mi)
                    floor_income = 1_500_000 if s >= _mi(dt.date(2022, 1, 1)) else 700_000
                    base = max(floor_income, _thousand(self.base_salary(s) * income))
                    end = None if seg_end == today_mi else seg_end
                    sink.add(self.period_row(p, "bhxh", s, end, None, "BHXH tự nguyện", None, base))
                    s = seg_end + 1
        elif profile == "unemployed" and p.career_end:
            # BHYT paid by the unemployment fund while the benefit lasts
            first = p.career_end + 2
            months = self.unemployment_months(p.jobs)
            e = first + months - 1
            if first <= today_mi:
                p.tn = (first, e)
                yearly(
                    "BHYT người hưởng trợ cấp thất nghiệp",
                    first,
                    None if e >= today_mi else e,
                    base_fn=lambda _m: p.segments[-1][2] if p.segments else 0,
                )
        return bhyt

    def six_years_end(self, dob: dt.date) -> dt.date:
        """The last day of a child's TE card: the day before turning six, or 30 September of
        that year when the sixth birthday falls before the school year starts."""
        six = _add_years(dob, 6)
        if six <= dt.date(six.year, 9, 30):
            return dt.date(six.year, 9, 30)
        return six - DAY

    def unemployment_months(self, jobs: list[list[Any]]) -> int:
        months = sum(j[1] - j[0] + 1 for j in jobs if j[1] >= _mi(BHTN_FROM))
        return max(3, min(12, 3 + max(0, (months - 36) // 12)))

    def pension_amount(self, p: _Person) -> int:
        """Today's monthly pension: 45 % for the first 20 years (15 for women), +2 % a year
        beyond, at most 75 %, of the career's average base brought to today's level."""
        segments = p.segments
        months = sum(e - s + 1 for s, e, _b in segments) or 240
        years = months // 12
        threshold = 20 if p.gender == 1 else 15
        rate = min(75, 45 + 2 * max(0, years - threshold))
        if segments:
            recent = segments[-3:]
            last = sum(b for _s, _e, b in recent) / len(recent)
            at = recent[-1][0]
        else:
            last, at = 5_000_000, self.today_mi
        uplift = (self.base_salary(self.today_mi) / self.base_salary(at)) ** 0.7
        return max(self.base_salary(self.today_mi), _thousand(last * rate / 100 * uplift))

    # --- cards -------------------------------------------------------------------------------

    def card(self, p: _Person, bhyt: list[tuple[int, int | None]]) -> dict[str, Any]:
        rng = self.rng
        today = self.today
        profile = p.profile
        group, level = {
            "child": ("TE", 2),
            "pupil": ("HS", 4),
            "student": ("SV", 4),
            "pensioner": ("HT", 3),
            "veteran": ("CC", 1),
            "social": ("BT", 2),
            "household": ("GD", 4),
            "voluntary": ("GD", 4),
            "lump_sum": ("GD", 4),
            "poor": ("HN", 2),
            "near_poor": ("CN", 3),
            "unemployed": ("TN", 4),
            "uninsured": ("GD", 4),
        }.get(profile, ("DN", 4))
        if profile == "employee":
            group, level = EMPLOYEE_GROUP[self.employers[p.jobs[-1][2]][1]], 4
        if profile == "uninsured" and p.jobs and (not bhyt or bhyt[-1][1] == p.career_end):
            group = EMPLOYEE_GROUP[self.employers[p.jobs[-1][2]][1]]  # lapsed with the last job
        percent = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}[level]

        # validity: a yearly card around today, the TE card until six, or an expired one
        anniversary = rng.randint(1, 12)
        year = today.year if today.month >= anniversary else today.year - 1
        valid_from = dt.date(year, anniversary, 1)
        valid_to = dt.date(year + 1, anniversary, 1) - DAY
        last_end = bhyt[-1][1] if bhyt else None
        if profile == "child":
            valid_from, valid_to = p.dob, self.six_years_end(p.dob)
        elif profile in ("pupil", "poor") and p.minor:
            valid_from, valid_to = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        elif profile == "unemployed" and p.tn:  # paid by the unemployment fund while it lasts
            valid_from, valid_to = self.month(p.tn[0]), self.month(p.tn[1] + 1) - DAY
        elif profile == "uninsured" and (not bhyt or last_end is None):
            valid_to = today - dt.timedelta(days=rng.randint(15, 700))
            valid_from = max(p.dob, valid_to - dt.timedelta(days=364))
        elif bhyt and last_end is not None:  # cover ended: the card has expired
            valid_to = self.month(last_end + 1) - DAY
            valid_from = max(p.dob, min(self.month(bhyt[-1][0]), valid_to - dt.timedelta(days=364)))
        if p.card_mode == "active" and valid_to < today + dt.timedelta(days=60):
            valid_from = self.month(self.today_mi - 3)
            valid_to = self.month(self.today_mi + 9) - DAY
        elif p.card_mode == "expiring":
            valid_to = today + dt.timedelta(days=14)
            valid_from = valid_to - dt.timedelta(days=364)
        issued_on = max(p.dob, min(today, valid_from - dt.timedelta(days=rng.randint(0, 20))))
        if profile == "child":
            issued_on = min(today, p.dob + dt.timedelta(days=rng.randint(7, 45)))

        # 5 continuous years: the last run of BHYT cover without a break longer than 3 months
        five = None
        if valid_to >= today and bhyt:
            spans = sorted(((s, self.today_mi if e is None else e) for s, e in bhyt))
            run_start, run_end = spans[0]
            for s, e in spans[1:]:
                if s > run_end + 4:
                    run_start = s
                run_end = max(run_end, e)
            five = self.month(run_start + 60)
        facility = rng.choice(
            self.primary_care.get(p.province) or [self.facilities[p.province][0][0]]
        )
        sink = self.sinks["health_card"]
        row = {
            "id": sink.new_id(),
            "person_id": p.id,
            "number": self.card_number(group, level, p.province, p.row["bhxh_code"]),
            "group_code": group,
            "benefit_level": level,
            "benefit_percent": percent,
            "province_code": p.province,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "issued_on": issued_on,
            "facility_id": facility,
            "five_years_on": five,
            "living_area": p.row["living_area"],
            "managing_office_code": p.office_code,
        }
        sink.add(row)
        return row

    card_number: Callable[[str, int, str, str], str]

    # --- benefits ----------------------------------------------------------------------------

    def benefit(
        self,
        p: _Person,
        kind: str,
        regime: str,
        decided: dt.date,
        start: dt.date | None,
        end: dt.date | None,
        days: int | None,
        amount: int,
        paid: dt.date | None,
    ) -> None:
        if decided > self.today:
            return
        sink = self.sinks["benefit"]
        sink.add(
            {
                "id": sink.new_id(),
                "person_id": p.id,
                "kind": kind,
                "regime": regime,
                "decided_on": decided,
                "period_from": start,
                "period_to": end,
                "days": days,
                "amount": amount,
                "paid_on": paid if paid is not None and paid <= self.today else None,
                "office_code": p.office_code,
            }
        )

    def benefits(self, p: _Person) -> None:
        """Chế độ đã hưởng: sickness and convalescence while employed, maternity at the births
        of the person's children, unemployment between jobs, a pension or a lump sum at the end."""
        segments = p.segments
        if not segments:
            return
        rng = self.rng
        today = self.today
        sickness_rate = 0.35 if p.rich else 0.09
        first_year = max(self.month(segments[0][0]).year, today.year - 12)
        had_sickness = False
        for s, e, base in segments:
            for year in range(max(self.month(s).year, first_year), self.month(e).year + 1):
                if rng.random() >= sickness_rate:
                    continue
                lo = max(self.month(s), dt.date(year, 1, 1))
                hi = min(self.month(e + 1) - DAY, dt.date(year, 12, 31), today - 60 * DAY)
                if hi <= lo:
                    continue
                start = self.day_between(lo, hi)
                days = rng.randint(2, 12)
                end = start + dt.timedelta(days=days + days // 5)
                decided = end + dt.timedelta(days=rng.randint(15, 45))
                amount = _thousand(base / 24 * days * 0.75)
                self.benefit(
                    p,
                    "short_term",
                    "sickness",
                    decided,
                    start,
                    end,
                    days,
                    amount,
                    decided + dt.timedelta(days=rng.randint(2, 10)),
                )
                had_sickness = True
                if rng.random() < 0.15:
                    self.convalescence(p, end, rng.randint(5, 10))
        if p.rich and not had_sickness:  # the demo shows every kind of record
            s, e, base = segments[-1]
            last = min(self.month(e + 1) - DAY, today - 60 * DAY)
            start = max(self.month(s), last - 150 * DAY)
            self.benefit(
                p,
                "short_term",
                "sickness",
                start + 30 * DAY,
                start,
                start + 5 * DAY,
                5,
                _thousand(base / 24 * 5 * 0.75),
                start + 36 * DAY,
            )
        # maternity: a mother's six months, a father's days off when his wife gives birth
        for birth in p.children:
            if birth < dt.date(2005, 1, 1):  # older benefits are not in the electronic records
                continue
            bmi = _mi(birth)
            seg = next(
                (sg for sg in segments if sg[0] <= bmi - 6 <= sg[1] or sg[0] <= bmi <= sg[1]), None
            )
            if seg is None:
                continue
            base = seg[2]
            if p.gender == 2:
                start = birth - dt.timedelta(days=rng.randint(0, 45))
                end = start + dt.timedelta(days=182)
                amount = _thousand(base * 6 + 2 * self.base_salary(bmi))
                decided = birth + dt.timedelta(days=rng.randint(30, 75))
                self.benefit(
                    p,
                    "short_term",
                    "maternity",
                    decided,
                    start,
                    end,
                    180,
                    amount,
                    decided + dt.timedelta(days=rng.randint(3, 12)),
                )
                if rng.random() < 0.35:
                    self.convalescence(p, end, rng.randint(5, 10))
            elif rng.random() < 0.6 and birth >= dt.date(2016, 1, 1):
                days = rng.choice((5, 5, 7, 10, 14))
                decided = birth + dt.timedelta(days=rng.randint(20, 60))
                self.benefit(
                    p,
                    "short_term",
                    "maternity",
                    decided,
                    birth,
                    birth + dt.timedelta(days=days),
                    days,
                    _thousand(base / 24 * days),
                    decided + dt.timedelta(days=rng.randint(3, 12)),
                )
        # unemployment between jobs, and for the currently unemployed
        jobs = p.jobs
        for i, job in enumerate(jobs):
            if len(job) > 5:
                continue
            gap_end = jobs[i + 1][0] if i + 1 < len(jobs) else None
            ended = job[1]
            if ended < _mi(dt.date(2010, 1, 1)) or ended - job[0] < 12:
                continue
            last = i + 1 == len(jobs)
            if last and p.profile != "unemployed":
                continue
            if not last and (gap_end is None or gap_end - ended < 4 or rng.random() > 0.25):
                continue
            self.unemployment(p, jobs[: i + 1], ended, segments, gap_end)
        # the end of the working life
        if p.profile in ("pensioner", "veteran") and p.retire <= self.today_mi:
            start = self.month(p.retire)
            decided = start - dt.timedelta(days=rng.randint(10, 25))
            paid = (
                dt.date(today.year, today.month, 5)
                if today.day >= 5
                else self.month(self.today_mi - 1) + 4 * DAY
            )
            self.benefit(
                p, "monthly", "pension", decided, start, None, None, self.pension_amount(p), paid
            )
        elif p.profile == "lump_sum" and p.career_end is not None:
            months_before = sum(
                max(0, min(e, _mi(dt.date(2013, 12, 1))) - s + 1) for s, e, _b in segments
            )
            months_after = sum(e - s + 1 for s, e, _b in segments) - months_before
            avg = sum(b * (e - s + 1) for s, e, b in segments) / max(
                1, months_before + months_after
            )
            amount = _thousand(avg * (1.5 * months_before + 2 * months_after) / 12)
            decided = self.month(p.career_end + 13) + dt.timedelta(days=rng.randint(0, 20))
            if decided > today:
                decided = today - dt.timedelta(days=rng.randint(1, 30))
            self.benefit(
                p,
                "one_time",
                "lump_sum",
                decided,
                self.month(segments[0][0]),
                self.month(p.career_end),
                None,
                amount,
                decided + dt.timedelta(days=rng.randint(3, 10)),
            )

    def convalescence(self, p: _Person, after: dt.date, days: int) -> None:
        """Dưỡng sức phục hồi sức khỏe: 30 % of the base salary a day."""
        start = after + DAY
        decided = start + dt.timedelta(days=days + self.rng.randint(10, 30))
        amount = _thousand(0.3 * self.base_salary(_mi(start)) * days)
        self.benefit(
            p,
            "short_term",
            "convalescence",
            decided,
            start,
            start + dt.timedelta(days=days - 1),
            days,
            amount,
            decided + dt.timedelta(days=self.rng.randint(2, 8)),
        )

    def unemployment(
        self,
        p: _Person,
        jobs: list[list[Any]],
        ended: int,
        segments: list[tuple[int, int, int]],
        next_job: int | None,
    ) -> None:
        """Trợ cấp thất nghiệp: 60 % of the last six months' average base, at most five region-I
        minimum wages, for 3 months plus one per further 12 months contributed (12 at most).
        `amount` is the total paid for the whole period."""
        rng = self.rng
        months = self.unemployment_months(jobs)
        if next_job is not None:
            months = min(months, next_job - ended - 2)
        if months < 1:
            return
        recent = [b for s, e, b in segments if s <= ended][-2:] or [segments[-1][2]]
        monthly = min(_thousand(0.6 * sum(recent) / len(recent)), 5 * self.region_minimum(ended))
        decided = min(
            self.month(ended + 1) + dt.timedelta(days=rng.randint(15, 35)), self.today - DAY
        )
        start = decided + DAY
        end = self.month(_mi(start) + months) + dt.timedelta(days=start.day - 2)
        self.benefit(
            p,
            "unemployment",
            "unemployment",
            decided,
            start,
            end,
            None,
            monthly * months,
            decided + dt.timedelta(days=rng.randint(5, 12)),
        )

    # --- medical visits ----------------------------------------------------------------------

    def visits(self, p: _Person, card: dict[str, Any]) -> None:
        """Sổ khám chữa bệnh: five years and this year, none in the future, more for the young
        and the old; a chronic condition brings the patient back; births are inpatient stays."""
        rng = self.rng
        today = self.today
        age = p.age
        if age < 6:
            weights = (10, 20, 25, 20, 12, 8, 5)
        elif age < 45:
            weights = (35, 30, 18, 9, 5, 2, 1)
        elif age < 60:
            weights = (22, 25, 22, 14, 9, 5, 3)
        else:
            weights = (10, 15, 20, 20, 15, 12, 8)
        if p.rich:
            weights = (0, 0, 10, 30, 30, 20, 10)
        cum = _cum(weights)
        chronic: tuple[str, ...] = ()
        if age >= 45 and rng.random() < (0.55 if age >= 60 else 0.3):
            chronic = tuple(rng.sample(CHRONIC, k=rng.choice((1, 1, 2))))
        if p.rich and p.profile == "pensioner":
            chronic = ("I10", "E11.9")
        percent = card["benefit_percent"]
        primary = card["facility_id"]
        local = self.facilities[p.province]
        hospitals = self.hospitals[p.province]
        sink = self.sinks["medical_visit"]
        commune_ids = self._commune_ids
        first_year = today.year - 5
        last_day = min(today, card["valid_to"])  # BHYT pays nothing once the card has expired
        for year in range(first_year, today.year + 1):
            lo = max(dt.date(year, 1, 1), p.dob)
            hi = min(dt.date(year, 12, 31), last_day)
            if hi < lo:
                continue
            n = bisect.bisect_left(cum, rng.random() * cum[-1])
            if year == today.year:
                n = round(n * (today.timetuple().tm_yday / 366))
            if n and chronic and n < 3:
                n += 1
            for _ in range(n):
                day = self.day_between(lo, hi)
                r = rng.random()
                inpatient = r < (0.1 if age >= 60 or age < 6 else 0.05)
                if inpatient:
                    pool = IN_ELDER if age >= 60 else (IN_CHILD if age < 16 else IN_ADULT)
                    code = (
                        rng.choice(chronic) if chronic and rng.random() < 0.3 else rng.choice(pool)
                    )
                    facility = rng.choice(hospitals)
                    stay = rng.randint(2, 12)
                    total = _thousand(min(60e6, max(2e6, math.exp(rng.gauss(15.5, 0.7)))))
                else:
                    if chronic and rng.random() < 0.55:
                        code = rng.choice(chronic)
                    elif age < 16:
                        code = rng.choice(OUT_CHILD)
                    elif p.gender == 2 and rng.random() < 0.12:
                        code = rng.choice(OUT_FEMALE)
                    else:
                        code = rng.choice(OUT_ADULT)
                    x = rng.random()
                    facility = primary if x < 0.6 else rng.choice(local)[0]
                    stay = 0
                    total = _thousand(min(2e6, max(1e5, math.exp(rng.gauss(12.9, 0.6)))))
                self.visit_row(
                    sink, p, facility, day, stay, inpatient, code, total, percent, commune_ids
                )
        # births of the person's own children, if recent
        if p.gender == 2:
            for birth in p.children:
                if birth.year >= first_year and birth <= last_day:
                    total = _thousand(rng.uniform(2.5e6, 9e6))
                    self.visit_row(
                        sink,
                        p,
                        rng.choice(hospitals),
                        birth - DAY,
                        rng.randint(2, 4),
                        True,
                        "O80",
                        total,
                        percent,
                        commune_ids,
                    )

    def visit_row(
        self,
        sink: _Sink,
        p: _Person,
        facility: int,
        day: dt.date,
        stay: int,
        inpatient: bool,
        code: str,
        total: int,
        percent: int,
        commune_ids: set[int],
    ) -> None:
        """BHYT pays the card's share; a visit costing under 15 % of the base salary, or one at a
        commune health station, is paid in full."""
        out = min(day + dt.timedelta(days=stay), self.today)
        share = percent
        if facility in commune_ids or (not inpatient and total < 0.15 * self.base_salary(_mi(day))):
            share = 100
        paid = total * share // 100
        sink.add(
            {
                "id": sink.new_id(),
                "person_id": p.id,
                "facility_id": facility,
                "admitted_on": day,
                "discharged_on": out,
                "inpatient": inpatient,
                "icd10": code,
                "diagnosis": ICD10[code],
                "total_cost": total,
                "bhyt_paid": paid,
                "patient_paid": total - paid,
            }
        )

    # --- dossiers ----------------------------------------------------------------------------

    def dossiers(self) -> None:
        """Hồ sơ đăng ký: pending ones within their 10 days, decided ones, change requests."""
        rng = self.rng
        sink = self.sinks["registration_dossier"]
        rows = []
        reasons = (
            "Ảnh giấy tờ tùy thân không rõ nét, không đọc được số định danh.",
            "Họ tên kê khai không khớp với họ tên theo mã số BHXH.",
            "Số điện thoại kê khai không phải của người đăng ký.",
            "Quá thời hạn nộp tờ khai có chữ ký tại cơ quan BHXH.",
        )
        plan = sorted(self.dossier_plan, key=lambda item: item[2])
        # one declaration with a code the registry does not know: the officer guides the person
        if plan:
            p0 = plan[0][1]
            ghost = _Person()
            ghost.id = None  # type: ignore[assignment]
            dob = self.day_between(dt.date(1988, 1, 1), dt.date(1996, 12, 31))
            cccd = f"0{p0.former}0{dob.year % 100:02d}{rng.randrange(10**6):06d}"
            while cccd in self.used_cccd:
                cccd = f"0{p0.former}0{dob.year % 100:02d}{rng.randrange(10**6):06d}"
            ghost.row = dict(
                p0.row,
                bhxh_code=self.bhxh_code(p0.former),
                full_name=self.name(1, dob.year, self.family_name(p0.province)),
                date_of_birth=dob,
                gender=1,
                cccd=cccd,
                cmnd=None,
                phone=self.mobile(),
                email=None,
            )
            ghost.province = p0.province
            plan.append(("no_code", ghost, self.now - dt.timedelta(days=rng.randint(15, 60))))
            plan.sort(key=lambda item: item[2])
        seq: dict[int, int] = {}
        for state, p, declared in plan:
            row = p.row
            year = declared.astimezone(VIETNAM).year
            seq[year] = seq.get(year, 0) + 1
            id_type = "cccd" if row["cccd"] else ("cmnd" if row["cmnd"] else None)
            kind = "change_info" if state == "change_info" else "register"
            assessment, decided_state = {
                "pending": ("pending", "declared"),
                "approved": ("valid", "approved"),
                "rejected": ("invalid", "rejected"),
                "no_code": ("valid", "no_code"),
                "change_info": ("pending", "declared"),
            }[state]
            decided_at = decided_by = reason = None
            if state == "approved":
                decided_at = p.account_created
            elif state in ("rejected", "no_code"):
                decided_at = declared + dt.timedelta(
                    days=rng.randint(1, 9), minutes=rng.randint(5, 300)
                )
            if decided_at is not None:
                decided_by = rng.choice(self.officer_ids)
            if state == "rejected":
                reason = rng.choice(reasons)
            elif state == "no_code":
                reason = (
                    "Mã số BHXH không có trong hệ thống HGĐ; đã hướng dẫn lập hồ sơ cấp mã số BHXH."
                )
            phone, address = row["phone"], row["address"]
            if kind == "change_info":  # the new phone number or address the person asks for
                if rng.random() < 0.5:
                    phone = self.mobile()
                else:
                    address = self.address(p.province, True)
            offices = self.offices[p.province]
            rows.append(
                {
                    "id": sink.new_id(),
                    "number": f"HS{year}-{seq[year]:06d}",
                    "kind": kind,
                    "person_id": p.id,
                    "bhxh_code": row["bhxh_code"],
                    "full_name": row["full_name"],
                    "date_of_birth": row["date_of_birth"],
                    "gender": row["gender"],
                    "nationality": "VN",
                    "id_type": id_type,
                    "id_number": row["cccd"] or row["cmnd"],
                    "id_issued_on": row["id_issued_on"],
                    "id_issued_place": row["id_issued_place"],
                    "address": address,
                    "phone": phone,
                    "email": row["email"],
                    "office_id": rng.choice(offices[1:] or offices)[0],
                    "photo_path": None,
                    "photo_type": None,
                    "declared_at": declared,
                    "deadline_at": declared + dt.timedelta(days=10),
                    "assessment": assessment,
                    "state": decided_state,
                    "reason": reason,
                    "decided_at": decided_at,
                    "decided_by_id": decided_by,
                    "version": 1,
                }
            )
        for row in rows:
            sink.add(row)

    # --- content -----------------------------------------------------------------------------

    def content(self) -> None:
        news = self.sinks["news_article"]
        offsets = (2, 9, 16, 23, 31, 40, 52, 63, 77, 91, 108, 126, 150)
        for (title_vi, summary_vi, body_vi, en), days in zip(NEWS, offsets, strict=False):
            title_en, summary_en, body_en = en if en else (None, None, None)
            news.add(
                {
                    "id": news.new_id(),
                    "slug": _slug(title_vi),
                    "title_vi": title_vi,
                    "title_en": title_en,
                    "summary_vi": summary_vi,
                    "summary_en": summary_en,
                    "body_vi": body_vi,
                    "body_en": body_en,
                    "published_at": self.moment(self.today - dt.timedelta(days=days)),
                    "author_id": self.officer_ids[0],
                }
            )
        faq = self.sinks["faq_entry"]
        for position, (topic, q_vi, a_vi, q_en, a_en, keywords) in enumerate(FAQ, start=1):
            faq.add(
                {
                    "id": faq.new_id(),
                    "topic": topic,
                    "question_vi": q_vi,
                    "answer_vi": a_vi,
                    "question_en": q_en,
                    "answer_en": a_en,
                    "keywords": f"{keywords} {fold(q_vi)}"[:500],
                    "position": position,
                }
            )

    # --- run ---------------------------------------------------------------------------------

    def run(self, persons: int, citizen_hash: str, officer_hash: str) -> DemoSummary:
        """Parents before children, so that every chunk written refers only to rows already in
        the database (PostgreSQL checks foreign keys row by row)."""
        self.directories(persons)
        self._commune_ids = {
            fid
            for fac_list in self.facilities.values()
            for fid, level in fac_list
            if level == "commune"
        }
        self.officers(officer_hash)
        self.flush_all()
        self.populate(persons)
        self.plan_accounts()
        self.lives(citizen_hash)
        self.dossiers()
        self.content()
        self.flush_all()
        self.reset_sequences()

        demo = [p for p in self.people if p.rich]  # the heads of the first three households
        what = (
            "Người lao động: thẻ BHYT còn hạn, nhiều đơn vị công tác, ốm đau, thai sản",
            "Thẻ BHYT hộ gia đình sắp hết hạn (14 ngày); đóng BHXH tự nguyện",
            "Hưu trí: lương hưu hằng tháng, thẻ HT, bệnh mạn tính",
        )
        descriptions = {p.row["bhxh_code"]: note for p, note in zip(demo, what, strict=True)}
        in_dossier = {p.id for _s, p, _d in self.dossier_plan}
        unregistered = [
            (p.row["bhxh_code"], p.full_name)
            for p in self.people
            if not p.minor and not p.account and p.row["phone"] and p.id not in in_dossier
        ][:10]
        return DemoSummary(
            citizens=[(p.row["bhxh_code"], self.password) for p in demo],
            officer=("canbo01", OFFICER_PASSWORD),
            officers=[
                ("canbo01", OFFICER_PASSWORD, "admin"),
                ("canbo02", OFFICER_PASSWORD, "reviewer"),
            ],
            unregistered=unregistered,
            descriptions=descriptions,
            counts={name: sink.count for name, sink in self.sinks.items()},
            today=self.today,
        )

    def flush_all(self) -> None:
        for sink in self.sinks.values():
            sink.flush()

    def reset_sequences(self) -> None:
        """PostgreSQL hands out ids from a sequence, which explicit ids do not advance."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in self.sinks:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {name}), 1), "
                    f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"
                )
            )


def _today() -> dt.date:
    try:
        clock = current_app.extensions.get("clock")
    except RuntimeError:
        clock = None
    return (clock or Clock()).today()


def is_empty() -> bool:
    """True when no person is registered yet: the demo data may be generated."""
    return db.session.execute(select(Person.id).limit(1)).first() is None


def demo_citizen_codes() -> list[str]:
    """The BHXH codes of the demo citizens (`DemoSummary.citizens`), found again in a database
    filled earlier: the account-holding heads of the first three households."""
    return list(
        db.session.scalars(
            select(Person.bhxh_code)
            .join(Household, Person.household_id == Household.id)
            .join(Account, Account.person_id == Person.id)
            .where(Person.full_name == Household.head_name)
            .order_by(Household.id)
            .limit(3)
        )
    )


def generate(
    persons: int = 2000,
    seed: int = 2025,
    today: dt.date | None = None,
    password: str = DEMO_PASSWORD,
) -> DemoSummary:
    """Fill an empty database with a synthetic population of `persons` people and everything
    around them. The same seed and day always give the same data. Returns the demo accounts
    (citizens and officers) and the row counts. The caller commits."""
    if persons < 20:
        raise ValueError("persons must be at least 20, so that every kind of record exists")
    if not is_empty() or db.session.execute(select(BhxhOffice.id).limit(1)).first() is not None:
        raise RuntimeError("the database already holds data; demo data only goes into an empty one")
    started = time.perf_counter()
    day = today or _today()
    citizen_hash = _demo_hash(password)
    officer_hash = _demo_hash(OFFICER_PASSWORD)
    generator = _Generator(seed, day, password)
    generator.card_number = _card_number_function()
    try:
        summary = generator.run(persons, citizen_hash, officer_hash)
    except BaseException:
        db.session.rollback()
        raise
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


@functools.lru_cache(maxsize=8)
def _demo_hash(password: str) -> str:
    """argon2 is deliberately slow (a tenth of a second a hash): hashing 100 000 passwords would
    take hours. Each distinct demo password is hashed once (per process) and that hash is shared
    by every demo account using it: all citizens share one, both officers another. Fine for
    published demo passwords; real accounts each get their own hash and salt."""
    return hash_password(password)


def _card_number_function() -> Callable[[str, int, str, str], str]:
    try:
        from webapp.services.cards import card_number
    except ImportError:  # pragma: no cover - the cards service is part of the app

        def card_number(
            group_code: str, benefit_level: int, province_code: str, bhxh_code: str
        ) -> str:
            return f"{group_code}{benefit_level}{province_code}{bhxh_code}"

    return card_number


# --- Content: news and FAQ (written for this app) --------------------------------------------

# (title, summary, body) in Vietnamese, and the same in English for some articles.
NEWS: tuple[tuple[str, str, str, tuple[str, str, str] | None], ...] = (
    (
        "Đăng nhập VssID bằng số định danh cá nhân",
        "Ngoài mã số BHXH, người dùng có thể đăng nhập bằng số định danh cá nhân 12 số (số CCCD).",
        "Từ ngày 1/7/2025, số định danh cá nhân được dùng để xác định người tham gia bảo hiểm "
        "xã hội. Trên ứng dụng, ô đăng nhập nhận cả mã số BHXH 10 số và số định danh cá nhân "
        "12 số in trên thẻ căn cước; mật khẩu không thay đổi.\n\n"
        "Nếu đăng nhập bằng số định danh không được, hãy thử lại bằng mã số BHXH và kiểm tra "
        "số định danh trong mục Cá nhân. Khi thông tin chưa khớp, người dùng kê khai thay đổi "
        "thông tin để cơ quan BHXH cập nhật.",
        (
            "Sign in to VssID with your personal identification number",
            "Besides the social insurance code, you can now sign in with your 12-digit personal "
            "identification number (CCCD).",
            "Since 1 July 2025 the personal identification number identifies people insured by "
            "social insurance. The sign-in field accepts both the 10-digit social insurance code "
            "and the 12-digit number printed on your identity card; your password stays the "
            "same.\n\nIf signing in with the identification number fails, sign in with your "
            "social insurance code and check the number under Personal. If it is wrong, declare "
            "a change of information so that your BHXH office can correct it.",
        ),
    ),
    (
        "Xem thẻ BHYT trên điện thoại cả khi không có mạng",
        "Mở thẻ một lần khi có mạng, sau đó thẻ và sổ khám chữa bệnh vẫn xem được khi mất sóng.",
        "Nhiều bệnh viện ở vùng sóng yếu khiến người bệnh khó mở ứng dụng tại quầy tiếp đón. "
        "Ứng dụng lưu lại thẻ BHYT và sổ khám chữa bệnh trên điện thoại sau lần xem gần nhất, "
        "kèm thời điểm cập nhật, để có thể xuất trình ngay cả khi không có mạng.\n\n"
        'Tại quầy, chọn "Xem thẻ" và xoay ngang điện thoại để nhân viên đọc mã QR. Khi đăng '
        "xuất, dữ liệu đã lưu được xóa khỏi máy.",
        (
            "Show your health insurance card even without a connection",
            "Open the card once while online; the card and the medical book then stay readable "
            "offline.",
            "Weak signal at hospital desks often makes it hard to open the app. The app keeps your "
            "BHYT card and medical book on the phone after you last viewed them, with the time "
            "they were updated, so you can show them without a connection.\n\nAt the desk, choose "
            '"Show card" and turn the phone sideways so the clerk can scan the QR code. Signing '
            "out removes the saved data from the phone.",
        ),
    ),
    (
        "Ứng dụng nhắc trước khi thẻ BHYT hết hạn",
        'Thẻ còn hạn dưới 30 ngày sẽ được đánh dấu "sắp hết hạn" và gửi thông báo nhắc gia hạn.',
        "Để quyền lợi khám chữa bệnh không bị gián đoạn, ứng dụng đánh dấu thẻ BHYT còn hạn "
        'dưới 30 ngày là "sắp hết hạn" và gửi thông báo vào hộp thư của tài khoản.\n\n'
        "Người lao động được đơn vị sử dụng lao động gia hạn thẻ. Người tham gia BHYT hộ gia "
        "đình nên đóng tiền tại điểm thu, đại lý thu hoặc bưu điện trước ngày thẻ hết hạn.",
        (
            "A reminder before your health insurance card expires",
            'A card with less than 30 days left is marked "expiring" and you get a reminder.',
            "So that your cover does not lapse, the app marks a BHYT card with less than 30 days "
            'left as "expiring" and sends a notice to your inbox.\n\nEmployees\' cards are '
            "renewed by their employer. Household members should pay at a collection point, an "
            "agent or a post office before the card expires.",
        ),
    ),
    (
        "Cảnh giác với cuộc gọi, tin nhắn giả danh cơ quan BHXH",
        "Cơ quan BHXH không bao giờ hỏi mật khẩu, mã OTP hay yêu cầu chuyển tiền qua điện thoại.",
        "Thời gian qua xuất hiện các cuộc gọi, tin nhắn tự xưng là cán bộ BHXH, thông báo "
        '"thẻ BHYT bị khóa" hoặc "nhận tiền hoàn trả" rồi đề nghị đọc mã OTP, cài ứng dụng '
        "lạ hoặc chuyển tiền.\n\nMã OTP chỉ dùng để chính bạn xác nhận thao tác trên ứng dụng; "
        "không đọc mã này cho bất kỳ ai. Khi nghi ngờ, hãy gọi tổng đài 1900 9068 hoặc đến cơ "
        "quan BHXH gần nhất.",
        (
            "Beware of calls and messages pretending to be BHXH",
            "BHXH never asks for your password or OTP, and never asks you to transfer money by "
            "phone.",
            "People have received calls and messages claiming to come from BHXH staff, saying "
            'that "your card is locked" or "a refund is waiting", then asking for an OTP, to '
            "install an unknown app or to transfer money.\n\nAn OTP only lets you confirm your own "
            "action in the app: never read it to anyone. If in doubt, call 1900 9068 or visit "
            "your nearest BHXH office.",
        ),
    ),
    (
        "Mức đóng BHYT hộ gia đình theo lương cơ sở 2.340.000 đồng",
        "Người thứ nhất đóng 105.300 đồng/tháng; từ người thứ hai mức đóng giảm dần.",
        "Mức đóng BHYT hộ gia đình bằng 4,5% mức lương cơ sở. Với lương cơ sở 2.340.000 đồng "
        "(áp dụng từ 1/7/2024), người thứ nhất đóng 105.300 đồng/tháng; người thứ hai bằng 70% "
        "(73.710 đồng), người thứ ba bằng 60% (63.180 đồng), người thứ tư bằng 50% (52.650 "
        "đồng), từ người thứ năm bằng 40% (42.120 đồng) mức của người thứ nhất.\n\n"
        "Hộ gia đình có thể đóng 3, 6 hoặc 12 tháng một lần tại điểm thu, đại lý thu.",
        (
            "Household health insurance at the base salary of 2,340,000 VND",
            "The first member pays 105,300 VND a month; each further member pays less.",
            "Household BHYT costs 4.5% of the base salary. With the base salary of 2,340,000 VND "
            "(from 1 July 2024), the first member pays 105,300 VND a month; the second 70% of "
            "that (73,710 VND), the third 60% (63,180 VND), the fourth 50% (52,650 VND) and each "
            "further member 40% (42,120 VND).\n\nHouseholds may pay for 3, 6 or 12 months at a "
            "time at a collection point or agent.",
        ),
    ),
    (
        "Tra cứu quá trình tham gia BHXH, BHTN, BHTNLĐ-BNN trên ứng dụng",
        "Mục Quá trình tham gia cho biết từng giai đoạn đóng, đơn vị, mức đóng và tổng thời gian.",
        "Trong mục Quá trình tham gia, chọn BHXH, BHTN, BHTNLĐ-BNN hoặc BHYT để xem từng giai "
        'đoạn: từ tháng, đến tháng, đơn vị công tác, chức vụ và mức đóng. Dòng "nay" là giai '
        "đoạn đang đóng.\n\nTổng thời gian tính mỗi tháng một lần, kể cả khi hai đơn vị cùng "
        "đóng trong một tháng. Nếu thấy thiếu tháng, hãy hỏi đơn vị sử dụng lao động hoặc cơ "
        "quan BHXH quản lý.",
        None,
    ),
    (
        "Đăng ký tài khoản giao dịch điện tử: nộp tờ khai trong 10 ngày",
        "Sau khi kê khai trên ứng dụng, in tờ khai, ký và nộp tại cơ quan BHXH trong 10 ngày.",
        'Chọn "Đăng ký ngay", chọn Cá nhân và điền tờ khai mẫu 01, đính kèm ảnh giấy tờ tùy '
        'thân. Bấm "Ghi nhận" để nhận số hồ sơ.\n\nTrong 10 ngày, in tờ khai, ký và nộp tại '
        "cơ quan BHXH đã chọn. Quá 10 ngày, bản kê khai điện tử tự động bị xóa và cần kê khai "
        "lại. Khi hồ sơ được duyệt, tài khoản được gửi qua tin nhắn SMS.",
        (
            "Registering an account: hand in the form within 10 days",
            "After declaring in the app, print the form, sign it and hand it in at a BHXH office "
            "within 10 days.",
            'Choose "Register now", then Individual, fill in form 01 and attach a photo of your '
            'identity document. Press "Submit" to get your dossier number.\n\nWithin 10 days, '
            "print the form, sign it and hand it in at the BHXH office you chose. After 10 days "
            "the electronic declaration is deleted and you must declare again. Once approved, "
            "your account details arrive by SMS.",
        ),
    ),
    (
        "Sổ khám chữa bệnh: biết quỹ BHYT đã chi trả bao nhiêu",
        "Mỗi lần khám, chữa bệnh có BHYT đều ghi rõ cơ sở, chẩn đoán và phần quỹ BHYT chi trả.",
        "Mục Sổ khám chữa bệnh liệt kê các lần khám theo từng năm: cơ sở khám chữa bệnh, ngày "
        "vào, ngày ra, chẩn đoán theo mã ICD-10, tổng chi phí, phần quỹ BHYT chi trả và phần "
        "người bệnh tự trả.\n\nNếu thấy một lần khám mà mình không thực hiện, hãy gửi phản ánh "
        "kiến nghị ngay trên ứng dụng để cơ quan BHXH kiểm tra.",
        None,
    ),
    (
        "Cài ứng dụng lên màn hình chính điện thoại",
        "Ứng dụng chạy trên trình duyệt và có thể cài lên màn hình chính như một ứng dụng.",
        'Mở ứng dụng bằng trình duyệt trên điện thoại, chọn "Cài đặt" khi trình duyệt gợi ý, '
        'hoặc chọn "Thêm vào màn hình chính" trong trình đơn của trình duyệt. Biểu tượng '
        "VssID sẽ xuất hiện như các ứng dụng khác và mở toàn màn hình.",
        (
            "Install the app on your home screen",
            "The app runs in the browser and can be installed on the home screen like any app.",
            'Open the app in your phone\'s browser and choose "Install" when offered, or "Add '
            'to Home screen" in the browser menu. The VssID icon then appears like any other '
            "app and opens full screen.",
        ),
    ),
    (
        "Đổi mật khẩu định kỳ 6 tháng để bảo vệ tài khoản",
        "Mật khẩu cần được đổi ít nhất 6 tháng một lần; việc đổi được xác nhận bằng mã OTP.",
        "Để bảo vệ thông tin cá nhân, mật khẩu tài khoản phải được đổi ít nhất 6 tháng một "
        "lần. Khi đến hạn, ứng dụng yêu cầu đổi mật khẩu ngay sau khi đăng nhập.\n\nVào Cá nhân, "
        "chọn Đổi mật khẩu, nhập mật khẩu cũ, mật khẩu mới hai lần, rồi nhập mã OTP gửi tới số "
        "điện thoại đã đăng ký.",
        None,
    ),
    (
        "Quên mật khẩu: lấy lại bằng mã OTP qua điện thoại hoặc email",
        'Chọn "Quên mật khẩu" ở màn hình đăng nhập và làm theo hướng dẫn.',
        'Ở màn hình đăng nhập, chọn "Quên mật khẩu", nhập mã số BHXH hoặc số định danh cá '
        "nhân, chọn nhận mã OTP qua tin nhắn hoặc email đã đăng ký, rồi đặt mật khẩu mới.\n\n"
        "Nếu không còn dùng số điện thoại và email đã đăng ký, hãy kê khai thay đổi thông tin "
        "tại cơ quan BHXH (mang theo giấy tờ tùy thân) hoặc gọi tổng đài 1900 9068 để được "
        "hướng dẫn.",
        (
            "Forgotten password: recover it with an OTP by phone or email",
            'Choose "Forgot password" on the sign-in screen and follow the steps.',
            'On the sign-in screen choose "Forgot password", enter your social insurance code '
            "or personal identification number, receive an OTP by SMS or at your registered "
            "email, then set a new password.\n\nIf you no longer use the registered phone or "
            "email, declare a change of information at a BHXH office (bring your identity "
            "document) or call 1900 9068 for help.",
        ),
    ),
    (
        "Đóng BHYT hộ gia đình trước khi thẻ hết hạn để không gián đoạn quyền lợi",
        "Đóng tiếp trước ngày thẻ hết hạn thì thẻ mới nối tiếp thẻ cũ, thời gian tham gia "
        "liên tục.",
        "Người tham gia BHYT hộ gia đình nên đóng tiền trước ngày thẻ hết hạn để thẻ mới có giá "
        "trị nối tiếp. Thời gian tham gia liên tục là điều kiện của một số quyền lợi, như thời "
        "điểm đủ 5 năm liên tục ghi trên thẻ.\n\nCó thể đóng tại điểm thu, đại lý thu (bưu điện, "
        "UBND xã, hội đoàn thể); danh sách điểm thu có trong mục Tra cứu của ứng dụng.",
        None,
    ),
    (
        "Chế độ thai sản: những khoản người lao động được nhận",
        "Lao động nữ sinh con được nghỉ 6 tháng hưởng chế độ và trợ cấp một lần bằng 2 lần "
        "lương cơ sở.",
        "Lao động nữ đủ điều kiện được nghỉ việc hưởng chế độ thai sản 6 tháng khi sinh con, "
        "mức hưởng mỗi tháng bằng 100% mức bình quân tiền lương đóng BHXH của 6 tháng trước khi "
        "nghỉ, cùng trợ cấp một lần bằng 2 lần mức lương cơ sở cho mỗi con (4.680.000 đồng).\n\n"
        "Lao động nam đang đóng BHXH được nghỉ việc hưởng chế độ khi vợ sinh con. Các khoản đã "
        "nhận hiển thị trong mục Thông tin hưởng.",
        None,
    ),
)

# (topic, question_vi, answer_vi, question_en, answer_en, keywords), in the order shown.
FAQ: tuple[tuple[str, str, str, str, str, str], ...] = (
    # --- account ---
    ("account", "Tài khoản VssID dùng để làm gì?",
     "Tài khoản giao dịch điện tử cho phép bạn xem thẻ BHYT, quá trình tham gia BHXH, BHTN, "
     "BHYT, các chế độ đã hưởng và sổ khám chữa bệnh của chính mình, mọi lúc trên điện thoại.",
     "What is a VssID account for?",
     "Your electronic-transaction account lets you see your own health insurance card, your "
     "contribution history, the benefits you received and your medical book, at any time.",
     "tai khoan muc dich account"),
    ("account", "Tôi đăng nhập bằng mã số BHXH hay số căn cước?",
     "Cả hai đều được: nhập mã số BHXH 10 số hoặc số định danh cá nhân 12 số in trên thẻ căn "
     "cước, cùng mật khẩu của tài khoản.",
     "Do I sign in with my social insurance code or my ID number?",
     "Either: enter the 10-digit social insurance code or the 12-digit personal identification "
     "number printed on your identity card, with your account password.",
     "dang nhap ma so bhxh cccd can cuoc so dinh danh login"),
    ("account", "Vì sao tôi bị đăng xuất trên điện thoại cũ?",
     "Mỗi tài khoản chỉ dùng trên một thiết bị tại một thời điểm. Khi bạn đăng nhập trên "
     "thiết bị mới và xác nhận bằng mã OTP, thiết bị cũ sẽ tự đăng xuất.",
     "Why was I signed out on my old phone?",
     "An account is used on one device at a time. When you sign in on a new device and confirm "
     "with an OTP, the previous device is signed out.",
     "dang xuat thiet bi dien thoai cu mot thiet bi device signed out"),
    ("account", "Tôi đổi điện thoại mới thì làm thế nào?",
     "Cài ứng dụng trên điện thoại mới và đăng nhập như bình thường. Ứng dụng sẽ gửi mã OTP "
     "tới số điện thoại đã đăng ký để xác nhận; sau đó điện thoại cũ bị đăng xuất.",
     "I have a new phone. What do I do?",
     "Install the app on the new phone and sign in as usual. An OTP is sent to your registered "
     "phone number to confirm; the old phone is then signed out.",
     "doi dien thoai moi thiet bi moi new phone"),
    ("account", "Tôi đã đổi số điện thoại, làm sao cập nhật?",
     "Kê khai thay đổi thông tin trên ứng dụng hoặc tại cơ quan BHXH. Sau khi cán bộ xác "
     "nhận, số điện thoại mới được dùng để nhận mã OTP.",
     "I changed my phone number. How do I update it?",
     "Declare a change of information in the app or at a BHXH office. Once an officer confirms "
     "it, the new number receives your OTPs.",
     "doi so dien thoai cap nhat thay doi thong tin change phone number"),
    ("account", "Tài khoản của tôi bị khóa, phải làm gì?",
     "Sau nhiều lần nhập sai mật khẩu, tài khoản bị tạm khóa trong một thời gian ngắn. Hãy "
     "chờ rồi thử lại, hoặc dùng chức năng \"Quên mật khẩu\". Nếu vẫn không được, gọi tổng đài "
     "1900 9068.",
     "My account is locked. What should I do?",
     "After several wrong passwords the account is locked for a short time. Wait and try again, "
     "or use \"Forgot password\". If that fails, call 1900 9068.",
     "tai khoan bi khoa khoa tai khoan locked"),
    ("account", "Ứng dụng có dùng được khi không có mạng không?",
     "Có. Thẻ BHYT và sổ khám chữa bệnh đã xem khi có mạng vẫn mở được khi mất mạng, kèm thời "
     "điểm cập nhật gần nhất. Khi đăng xuất, dữ liệu lưu trên máy bị xóa.",
     "Does the app work without a connection?",
     "Yes. The card and the medical book you viewed while online can be opened offline, with "
     "the time they were last updated. Signing out removes them from the device.",
     "khong co mang ngoai tuyen offline"),
    # --- password ---
    ("password", "Quên mật khẩu thì làm thế nào?",
     "Ở màn hình đăng nhập, chọn \"Quên mật khẩu\", nhập mã số BHXH hoặc số định danh, nhận "
     "mã OTP qua tin nhắn hoặc email đã đăng ký, rồi đặt mật khẩu mới.",
     "I forgot my password. What do I do?",
     "On the sign-in screen choose \"Forgot password\", enter your social insurance code or ID "
     "number, receive an OTP by SMS or at your registered email, then set a new password.",
     "quen mat khau lay lai mat khau forgot password reset"),
    ("password", "Tôi không còn dùng số điện thoại và email đã đăng ký, lấy lại mật khẩu thế nào?",
     "Mang giấy tờ tùy thân đến cơ quan BHXH gần nhất để kê khai thay đổi số điện thoại, hoặc "
     "gọi tổng đài 1900 9068 để được hướng dẫn. Sau khi thông tin được cập nhật, dùng \"Quên "
     "mật khẩu\" như bình thường.",
     "I no longer have my registered phone or email. How do I recover my password?",
     "Bring your identity document to the nearest BHXH office to change your phone number, or "
     "call 1900 9068. Once it is updated, use \"Forgot password\" as usual.",
     "mat so dien thoai khong nhan duoc email quen mat khau lost phone"),
    ("password", "Vì sao phải đổi mật khẩu ở lần đăng nhập đầu tiên?",
     "Mật khẩu đầu tiên được gửi qua tin nhắn nên có thể bị người khác đọc được. Đổi ngay sang "
     "mật khẩu chỉ mình bạn biết giúp bảo vệ tài khoản.",
     "Why must I change my password when I first sign in?",
     "The first password arrives by SMS, which others may read. Changing it at once to one only "
     "you know protects your account.",
     "doi mat khau lan dau mat khau dau tien first password"),
    ("password", "Bao lâu tôi phải đổi mật khẩu một lần?",
     "Ít nhất 6 tháng một lần. Khi mật khẩu đến hạn, ứng dụng yêu cầu đổi ngay sau khi đăng nhập.",
     "How often must I change my password?",
     "At least every 6 months. When it is due, the app asks you to change it right after you "
     "sign in.",
     "doi mat khau dinh ky 6 thang het han mat khau password expiry"),
    ("password", "Đổi mật khẩu như thế nào?",
     "Vào Cá nhân, chọn Đổi mật khẩu, nhập mật khẩu cũ, mật khẩu mới và nhập lại mật khẩu mới, "
     "rồi nhập mã OTP gửi tới số điện thoại đã đăng ký.",
     "How do I change my password?",
     "Go to Personal, choose Change password, enter the old password, the new one twice, then "
     "the OTP sent to your registered phone.",
     "doi mat khau thay doi mat khau change password"),
    ("password", "Mật khẩu thế nào là an toàn?",
     "Dùng mật khẩu dài, khó đoán, gồm chữ hoa, chữ thường, chữ số và ký tự đặc biệt; không "
     "dùng ngày sinh hay số điện thoại, không dùng lại mật khẩu cũ. Yêu cầu cụ thể hiện ngay "
     "dưới ô nhập mật khẩu.",
     "What makes a safe password?",
     "Use a long password that is hard to guess, with capitals, small letters, digits and "
     "symbols; not your birthday or phone number, and not an old password. The exact rules are "
     "shown under the password field.",
     "mat khau an toan manh yeu cau strong password"),
    ("password", "Cán bộ BHXH có được hỏi mật khẩu của tôi không?",
     "Không. Không ai, kể cả cán bộ BHXH, được hỏi mật khẩu hay mã OTP của bạn. Đừng cung cấp "
     "cho bất kỳ ai qua điện thoại, tin nhắn hay mạng xã hội.",
     "May a BHXH officer ask for my password?",
     "No. Nobody, BHXH staff included, may ask for your password or OTP. Never give them to "
     "anyone by phone, message or social network.",
     "lua dao gia danh hoi mat khau scam"),
    # --- otp ---
    ("otp", "Mã OTP là gì?",
     "Là mã xác thực dùng một lần, gửi qua tin nhắn SMS (hoặc email khi lấy lại mật khẩu), để "
     "xác nhận chính bạn đang thực hiện thao tác.",
     "What is an OTP?",
     "A one-time code sent by SMS (or email when recovering a password) to confirm that you are "
     "the one acting.",
     "ma otp la gi ma xac thuc one time code"),
    ("otp", "Tôi không nhận được mã OTP?",
     "Kiểm tra số điện thoại đã đăng ký, sóng điện thoại và hộp tin nhắn rác. Chờ hết thời "
     "gian đếm ngược rồi bấm gửi lại. Số lần gửi trong ngày có giới hạn để chống lạm dụng.",
     "I did not receive the OTP.",
     "Check your registered number, the signal and your spam messages. Wait for the countdown "
     "to end, then resend. The number of codes a day is limited to prevent abuse.",
     "khong nhan duoc otp gui lai otp not received"),
    ("otp", "Mã OTP có hiệu lực bao lâu?",
     "Chỉ vài phút, theo thời hạn ghi trong tin nhắn. Mỗi mã chỉ dùng được một lần; mã mới làm "
     "mã cũ hết hiệu lực.",
     "How long is an OTP valid?",
     "Only a few minutes, as the message says. Each code works once; a new code replaces the "
     "old one.",
     "hieu luc otp het han otp expiry"),
    ("otp", "Nhập sai mã OTP nhiều lần thì sao?",
     "Sau một số lần nhập sai, mã bị hủy. Hãy yêu cầu mã mới và nhập đúng mã trong tin nhắn mới "
     "nhất.",
     "What if I enter a wrong OTP several times?",
     "After a few wrong attempts the code is cancelled. Ask for a new code and enter the one in "
     "the latest message.",
     "nhap sai otp wrong otp"),
    ("otp", "Khi nào ứng dụng yêu cầu mã OTP?",
     "Khi đổi mật khẩu, khi lấy lại mật khẩu và khi đăng nhập trên một thiết bị mới.",
     "When does the app ask for an OTP?",
     "When you change your password, recover a forgotten one, and sign in on a new device.",
     "khi nao can otp"),
    ("otp", "Có ai được phép hỏi mã OTP của tôi không?",
     "Không ai cả. Mã OTP chỉ để bạn nhập vào ứng dụng. Ai hỏi mã OTP đều có dấu hiệu lừa đảo.",
     "May anyone ask for my OTP?",
     "No one. The OTP is only for you to type into the app. Anyone asking for it is likely a "
     "scammer.",
     "lua dao otp scam"),
    # --- card ---
    ("card", "Xem thẻ BHYT trên ứng dụng ở đâu?",
     "Chọn Thẻ BHYT để xem thông tin thẻ, rồi chọn \"Xem thẻ\" để hiện thẻ kèm mã QR. Xoay ngang "
     "điện thoại để thẻ hiển thị lớn hơn.",
     "Where do I see my health insurance card?",
     "Choose BHYT card for its details, then \"Show card\" to display it with its QR code. Turn "
     "the phone sideways to make it larger.",
     "xem the bhyt the bao hiem y te health card"),
    ("card", "Dùng thẻ BHYT trên ứng dụng để khám bệnh được không?",
     "Được. Xuất trình thẻ trên ứng dụng tại quầy tiếp đón; nhân viên có thể quét mã QR. Cơ sở "
     "khám chữa bệnh có thể yêu cầu thêm giấy tờ tùy thân có ảnh.",
     "Can I use the card in the app at hospital?",
     "Yes. Show the card in the app at the reception desk; staff may scan its QR code. The "
     "facility may also ask for an identity document with a photo.",
     "kham benh bang the tren ung dung hospital"),
    ("card", "Không có mạng thì có xem thẻ được không?",
     "Được, nếu bạn đã mở thẻ ít nhất một lần khi có mạng. Thẻ hiển thị kèm thời điểm cập nhật.",
     "Can I see the card without a connection?",
     "Yes, if you opened it at least once while online. It shows when it was last updated.",
     "the bhyt khong co mang offline card"),
    ("card", "Mức hưởng 80%, 95%, 100% nghĩa là gì?",
     "Là phần chi phí khám chữa bệnh đúng quy định mà quỹ BHYT chi trả, tùy đối tượng tham gia: "
     "ví dụ người lao động 80%, người hưởng lương hưu 95%, trẻ em dưới 6 tuổi 100%.",
     "What do the 80%, 95% and 100% benefit levels mean?",
     "The share of covered medical costs that BHYT pays, by beneficiary group: for example 80% "
     "for employees, 95% for pensioners, 100% for children under 6.",
     "muc huong 80 95 100 phan tram benefit level"),
    ("card", "Thời điểm đủ 5 năm liên tục trên thẻ là gì?",
     "Là ngày bạn tham gia BHYT đủ 5 năm liên tục. Từ đó, nếu số tiền cùng chi trả trong năm "
     "vượt 6 tháng lương cơ sở khi khám đúng tuyến, phần vượt được quỹ BHYT chi trả.",
     "What is the five-continuous-years date on the card?",
     "The day you reach 5 years of continuous cover. From then, once your co-payments in a year "
     "exceed 6 months of the base salary for in-network care, BHYT pays the rest.",
     "5 nam lien tuc du 5 nam five years"),
    ("card", "Thẻ BHYT của tôi sắp hết hạn, phải làm gì?",
     "Nếu đi làm, đơn vị sử dụng lao động sẽ gia hạn thẻ. Nếu tham gia theo hộ gia đình, hãy đóng "
     "tiền tại điểm thu, đại lý thu hoặc bưu điện trước ngày hết hạn để thẻ mới nối tiếp.",
     "My card is about to expire. What should I do?",
     "If you are employed, your employer renews it. For household cover, pay at a collection "
     "point, an agent or a post office before the card expires so the new card follows on.",
     "the sap het han gia han the renew card expiring"),
    ("card", "Đổi nơi đăng ký khám chữa bệnh ban đầu thế nào?",
     "Bạn được đổi nơi đăng ký khám chữa bệnh ban đầu vào 10 ngày đầu của mỗi quý, qua đơn vị "
     "sử dụng lao động, đại lý thu hoặc cơ quan BHXH.",
     "How do I change my primary-care facility?",
     "You may change it in the first 10 days of each quarter, through your employer, a "
     "collection agent or a BHXH office.",
     "doi noi dang ky kham chua benh ban dau primary care"),
    ("card", "Mã QR trên thẻ dùng để làm gì?",
     "Phần mềm của cơ sở khám chữa bệnh đọc mã QR để lấy thông tin thẻ. Mã QR còn có chữ ký số "
     "để cơ sở kiểm tra thẻ là thật, kể cả khi không có mạng.",
     "What is the QR code on the card for?",
     "Hospital software reads the QR code to get the card details. It also carries a digital "
     "signature so the facility can check the card is genuine, even offline.",
     "ma qr chu ky so kiem tra the that qr code"),
    # --- history ---
    ("history", "Xem quá trình đóng BHXH ở đâu?",
     "Chọn Quá trình tham gia, rồi chọn BHXH, BHTN, BHTNLĐ-BNN hoặc BHYT để xem từng giai đoạn "
     "đóng và tổng thời gian.",
     "Where do I see my contribution history?",
     "Choose Participation history, then BHXH, BHTN, BHTNLĐ-BNN or BHYT to see each period and "
     "the total time.",
     "qua trinh tham gia qua trinh dong history"),
    ("history", "Vì sao quá trình tham gia của tôi thiếu một số tháng?",
     "Thường do đơn vị chậm đóng: các tháng chưa đóng chưa được ghi nhận. Cũng có thể bạn có "
     "nhiều mã số BHXH chưa được gộp. Hãy hỏi đơn vị hoặc cơ quan BHXH quản lý.",
     "Why are some months missing from my history?",
     "Usually the employer has not paid yet: unpaid months are not recorded. You may also have "
     "several codes not yet merged. Ask your employer or BHXH office.",
     "thieu thang cham dong missing months"),
    ("history", "Tôi có hai mã số BHXH thì làm sao?",
     "Mang giấy tờ tùy thân đến cơ quan BHXH để gộp quá trình đóng về một mã số; mã còn lại "
     "sẽ bị thu hồi.",
     "I have two social insurance codes. What now?",
     "Bring your identity document to a BHXH office to merge the histories under one code; the "
     "other code is withdrawn.",
     "hai ma so bhxh gop so two codes merge"),
    ("history", "BHTN và BHTNLĐ-BNN là gì?",
     "BHTN là bảo hiểm thất nghiệp (từ năm 2009). BHTNLĐ-BNN là bảo hiểm tai nạn lao động, bệnh "
     "nghề nghiệp, đóng thành quỹ riêng từ giữa năm 2016.",
     "What are BHTN and BHTNLĐ-BNN?",
     "BHTN is unemployment insurance (since 2009). BHTNLĐ-BNN is occupational accident and "
     "disease insurance, a fund of its own since mid-2016.",
     "bhtn bhtnld that nghiep tai nan lao dong schemes"),
    ("history", "Mức đóng hiển thị là gì?",
     "Là tiền lương làm căn cứ đóng bảo hiểm của tháng đó, không phải số tiền đã đóng. Số tiền "
     "đóng bằng mức này nhân với tỷ lệ đóng của từng loại bảo hiểm.",
     "What is the contribution level shown?",
     "The salary on which contributions were calculated that month, not the amount paid. The "
     "amount is that level times each scheme's rate.",
     "muc dong tien luong dong contribution base"),
    ("history", "Tổng thời gian tham gia được tính thế nào?",
     "Mỗi tháng được tính một lần, kể cả khi có hai đơn vị cùng đóng trong tháng đó. Giai đoạn "
     "đang đóng được tính đến tháng hiện tại.",
     "How is the total time counted?",
     "Each month counts once, even when two employers paid for it. An ongoing period counts up "
     "to the current month.",
     "tong thoi gian tham gia so thang total months"),
    # --- benefits ---
    ("benefits", "Xem các chế độ đã hưởng ở đâu?",
     "Chọn Thông tin hưởng để xem BHXH một lần; ốm đau, thai sản, dưỡng sức; lương hưu hằng "
     "tháng; và trợ cấp thất nghiệp đã nhận.",
     "Where do I see the benefits I received?",
     "Choose Benefits to see one-time payments; sickness, maternity and convalescence; monthly "
     "pension; and unemployment benefit.",
     "thong tin huong che do da huong benefits"),
    ("benefits", "Trợ cấp ốm đau được tính thế nào?",
     "Mức hưởng thường bằng 75% tiền lương đóng BHXH của tháng liền kề trước khi nghỉ, tính "
     "theo số ngày nghỉ có giấy chứng nhận của cơ sở khám chữa bệnh.",
     "How is sickness benefit calculated?",
     "Usually 75% of the salary contributed on in the month before the leave, for the days of "
     "leave certified by a health facility.",
     "om dau tro cap om dau sickness"),
    ("benefits", "Chế độ thai sản gồm những khoản nào?",
     "Lao động nữ sinh con được nghỉ 6 tháng hưởng chế độ và trợ cấp một lần bằng 2 lần lương "
     "cơ sở cho mỗi con. Lao động nam được nghỉ một số ngày khi vợ sinh con.",
     "What does maternity benefit include?",
     "A mother gets 6 months of paid leave and a one-off allowance of twice the base salary per "
     "child. A father gets some days of paid leave when his wife gives birth.",
     "thai san sinh con maternity"),
    ("benefits", "Điều kiện hưởng trợ cấp thất nghiệp?",
     "Đã đóng BHTN đủ 12 tháng trong 24 tháng trước khi nghỉ việc và nộp hồ sơ tại trung tâm "
     "dịch vụ việc làm trong 3 tháng kể từ khi chấm dứt hợp đồng.",
     "Who can get unemployment benefit?",
     "Those who paid BHTN for 12 months in the 24 months before leaving their job and apply at "
     "an employment service centre within 3 months of the contract ending.",
     "that nghiep tro cap that nghiep unemployment"),
    ("benefits", "Lương hưu hằng tháng hiển thị ở đâu?",
     "Trong Thông tin hưởng, nhóm Hằng tháng cho biết mức lương hưu đang hưởng và ngày bắt đầu.",
     "Where is my monthly pension shown?",
     "Under Benefits, the Monthly group shows your current pension and when it started.",
     "luong huu huu tri pension"),
    ("benefits", "BHXH một lần là gì?",
     "Là khoản nhận một lần thay cho việc tiếp tục tích lũy thời gian đóng. Nhận rồi thì thời "
     "gian đã đóng không còn được tính cho lương hưu, nên hãy hỏi cơ quan BHXH trước khi "
     "quyết định.",
     "What is a one-time social insurance payment?",
     "A lump sum instead of keeping your contribution time. Once paid, that time no longer "
     "counts towards a pension, so ask your BHXH office before deciding.",
     "bhxh mot lan rut bhxh lump sum"),
    ("benefits", "Tiền trợ cấp được nhận qua đâu?",
     "Qua tài khoản ngân hàng đã đăng ký hoặc nhận tại điểm chi trả của bưu điện.",
     "How are benefits paid?",
     "Into your registered bank account, or in cash at a post office payment point.",
     "nhan tien chi tra tai khoan ngan hang payment"),
    # --- registration ---
    ("registration", "Đăng ký tài khoản VssID như thế nào?",
     "Chọn \"Đăng ký ngay\", chọn Cá nhân, điền tờ khai mẫu 01 và đính kèm ảnh giấy tờ tùy thân, "
     "bấm \"Ghi nhận\". Sau đó in tờ khai, ký và nộp tại cơ quan BHXH đã chọn trong 10 ngày.",
     "How do I register for an account?",
     "Choose \"Register now\", then Individual, fill in form 01, attach a photo of your ID and "
     "press \"Submit\". Then print, sign and hand in the form at the chosen BHXH office within "
     "10 days.",
     "dang ky tai khoan dang ky ngay register"),
    ("registration", "Sau khi kê khai, bao lâu phải nộp tờ khai?",
     "Trong 10 ngày. Quá hạn, bản kê khai điện tử tự động bị xóa và bạn cần kê khai lại.",
     "How long do I have to hand in the form?",
     "10 days. After that the electronic declaration is deleted and you must declare again.",
     "10 ngay han nop to khai deadline"),
    ("registration", "Tôi chưa biết mã số BHXH của mình?",
     "Dùng chức năng Tra cứu mã số BHXH: nhập họ tên, ngày sinh và tỉnh, thành phố, hoặc số "
     "giấy tờ tùy thân và họ tên.",
     "I do not know my social insurance code.",
     "Use Look up BHXH code: enter your name, date of birth and province, or your ID number and "
     "name.",
     "tra cuu ma so bhxh tim ma so find code"),
    ("registration", "Vì sao hồ sơ đăng ký của tôi bị từ chối?",
     "Lý do được gửi qua tin nhắn và email (nếu có), ví dụ ảnh giấy tờ không rõ hoặc họ tên không "
     "khớp. Hãy sửa theo hướng dẫn và đăng ký lại.",
     "Why was my registration rejected?",
     "The reason is sent by SMS and email (if any), for example an unreadable ID photo or a "
     "name that does not match. Correct it and register again.",
     "ho so bi tu choi ly do rejected"),
    ("registration", "Cần mang theo gì khi nộp tờ khai?",
     "Tờ khai mẫu 01 đã in và ký, cùng giấy tờ tùy thân còn hiệu lực (thẻ căn cước, căn cước "
     "công dân hoặc hộ chiếu).",
     "What do I bring when handing in the form?",
     "The printed and signed form 01 and a valid identity document (identity card or passport).",
     "mang theo giay to nop to khai documents"),
    ("registration", "Tôi chưa có mã số BHXH thì có đăng ký được không?",
     "Chưa. Cần được cấp mã số BHXH trước; cán bộ BHXH sẽ hướng dẫn bạn lập hồ sơ cấp mã số.",
     "Can I register without a social insurance code?",
     "Not yet. You need a code first; a BHXH officer will guide you through applying for one.",
     "chua co ma so bhxh cap ma so no code"),
    ("registration", "Tôi có thể đăng ký tài khoản thay cho người thân không?",
     "Mỗi tài khoản gắn với một người và số điện thoại của chính người đó. Người thân cần tự đăng "
     "ký và tự ký tờ khai.",
     "Can I register an account for a relative?",
     "Each account belongs to one person and their own phone number. Your relative must register "
     "and sign the form themselves.",
     "dang ky ho nguoi than relative"),
)  # fmt: skip
