"""Provinces of Vietnam: the 34 in force since 1 July 2025 and the 63 former ones.

Card numbers and BHXH codes issued before the merger keep the former two-digit province code,
so both lists are kept: `PROVINCES` for what a citizen picks today, `FORMER_PROVINCES` to read
what an older number says, each former province pointing to the province it is part of now.
"""

from __future__ import annotations

# code → name, the 34 provinces and centrally-run cities since 1 July 2025
PROVINCES: dict[str, str] = {
    "01": "Hà Nội",
    "04": "Cao Bằng",
    "08": "Tuyên Quang",
    "11": "Điện Biên",
    "12": "Lai Châu",
    "14": "Sơn La",
    "15": "Lào Cai",
    "19": "Thái Nguyên",
    "20": "Lạng Sơn",
    "22": "Quảng Ninh",
    "24": "Bắc Ninh",
    "25": "Phú Thọ",
    "31": "Hải Phòng",
    "33": "Hưng Yên",
    "37": "Ninh Bình",
    "38": "Thanh Hóa",
    "40": "Nghệ An",
    "42": "Hà Tĩnh",
    "44": "Quảng Trị",
    "46": "Huế",
    "48": "Đà Nẵng",
    "51": "Quảng Ngãi",
    "52": "Gia Lai",
    "56": "Khánh Hòa",
    "66": "Đắk Lắk",
    "68": "Lâm Đồng",
    "75": "Đồng Nai",
    "79": "Hồ Chí Minh",
    "80": "Tây Ninh",
    "82": "Đồng Tháp",
    "86": "Vĩnh Long",
    "91": "An Giang",
    "92": "Cần Thơ",
    "96": "Cà Mau",
}

# code → (former name, code of the province it belongs to since 1 July 2025)
FORMER_PROVINCES: dict[str, tuple[str, str]] = {
    "01": ("Hà Nội", "01"),
    "02": ("Hà Giang", "08"),
    "04": ("Cao Bằng", "04"),
    "06": ("Bắc Kạn", "19"),
    "08": ("Tuyên Quang", "08"),
    "10": ("Lào Cai", "15"),
    "11": ("Điện Biên", "11"),
    "12": ("Lai Châu", "12"),
    "14": ("Sơn La", "14"),
    "15": ("Yên Bái", "15"),
    "17": ("Hòa Bình", "25"),
    "19": ("Thái Nguyên", "19"),
    "20": ("Lạng Sơn", "20"),
    "22": ("Quảng Ninh", "22"),
    "24": ("Bắc Giang", "24"),
    "25": ("Phú Thọ", "25"),
    "26": ("Vĩnh Phúc", "25"),
    "27": ("Bắc Ninh", "24"),
    "30": ("Hải Dương", "31"),
    "31": ("Hải Phòng", "31"),
    "33": ("Hưng Yên", "33"),
    "34": ("Thái Bình", "33"),
    "35": ("Hà Nam", "37"),
    "36": ("Nam Định", "37"),
    "37": ("Ninh Bình", "37"),
    "38": ("Thanh Hóa", "38"),
    "40": ("Nghệ An", "40"),
    "42": ("Hà Tĩnh", "42"),
    "44": ("Quảng Bình", "44"),
    "45": ("Quảng Trị", "44"),
    "46": ("Thừa Thiên Huế", "46"),
    "48": ("Đà Nẵng", "48"),
    "49": ("Quảng Nam", "48"),
    "51": ("Quảng Ngãi", "51"),
    "52": ("Bình Định", "52"),
    "54": ("Phú Yên", "66"),
    "56": ("Khánh Hòa", "56"),
    "58": ("Ninh Thuận", "56"),
    "60": ("Bình Thuận", "68"),
    "62": ("Kon Tum", "51"),
    "64": ("Gia Lai", "52"),
    "66": ("Đắk Lắk", "66"),
    "67": ("Đắk Nông", "68"),
    "68": ("Lâm Đồng", "68"),
    "70": ("Bình Phước", "75"),
    "72": ("Tây Ninh", "80"),
    "74": ("Bình Dương", "79"),
    "75": ("Đồng Nai", "75"),
    "77": ("Bà Rịa - Vũng Tàu", "79"),
    "79": ("Hồ Chí Minh", "79"),
    "80": ("Long An", "80"),
    "82": ("Tiền Giang", "82"),
    "83": ("Bến Tre", "86"),
    "84": ("Trà Vinh", "86"),
    "86": ("Vĩnh Long", "86"),
    "87": ("Đồng Tháp", "82"),
    "89": ("An Giang", "91"),
    "91": ("Kiên Giang", "91"),
    "92": ("Cần Thơ", "92"),
    "93": ("Hậu Giang", "92"),
    "94": ("Sóc Trăng", "92"),
    "95": ("Bạc Liêu", "96"),
    "96": ("Cà Mau", "96"),
}


def province_name(code: str) -> str:
    """The name a citizen knows a province code by: today's province, else the former one."""
    if code in PROVINCES:
        return PROVINCES[code]
    former = FORMER_PROVINCES.get(code)
    return former[0] if former else code


def current_province(code: str) -> str:
    """Today's province code for a former (or current) code."""
    if code in PROVINCES:
        return code
    return FORMER_PROVINCES[code][1]
