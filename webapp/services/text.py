"""Text helpers for Vietnamese: folding diacritics so that "ha noi" finds "Hà Nội"."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, without diacritics, đ → d, spaces collapsed: the form searches compare."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def mask(value: str | None, keep_start: int, keep_end: int) -> str:
    """Hide the middle of a number on screen: `mask("0912345678", 3, 3)` → "091****678"."""
    if not value:
        return ""
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(value)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


# --- Search text: how people type names of places, hospitals and companies --------------------

# Abbreviations (folded, without their dots) and the words they stand for. Each is expanded the
# same way in the text a row is indexed by and in the text typed, so "BV Bạch Mai", "bv. bach
# mai" and "Bệnh viện Bạch Mai" all become "benh vien bach mai". Only abbreviations with one
# reading in names of offices, facilities, employers and places are here ("tt" is both "thị
# trấn" and "trung tâm", "dn" both "Đà Nẵng" and "doanh nghiệp": they are left as typed).
ABBREVIATIONS: dict[str, str] = {
    # administrative units
    "tp": "thanh pho",
    "tx": "thi xa",
    "q": "quan",
    "p": "phuong",
    "h": "huyen",
    "ubnd": "uy ban nhan dan",
    # health
    "bv": "benh vien",
    "bvdk": "benh vien da khoa",
    "dk": "da khoa",
    "ttyt": "trung tam y te",
    "tyt": "tram y te",
    "pk": "phong kham",
    "pkdk": "phong kham da khoa",
    "yhct": "y hoc co truyen",
    "tw": "trung uong",
    "bhxh": "bao hiem xa hoi",
    "bhyt": "bao hiem y te",
    # employers
    "cty": "cong ty",
    "ctcp": "cong ty co phan",
    "cp": "co phan",
    "tnhh": "trach nhiem huu han",
    "mtv": "mot thanh vien",
    "dntn": "doanh nghiep tu nhan",
    "htx": "hop tac xa",
    "tmdv": "thuong mai dich vu",
    "tm": "thuong mai",
    "dv": "dich vu",
    "xnk": "xuat nhap khau",
    "sx": "san xuat",
    "xd": "xay dung",
    "vn": "viet nam",
    # schools
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "mn": "mam non",
    "dh": "dai hoc",
    # cities, as people write them
    "hcm": "ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "sg": "ho chi minh",
    "hn": "ha noi",
    "tphn": "thanh pho ha noi",
    "hp": "hai phong",
    "brvt": "ba ria vung tau",
    "tth": "thua thien hue",
}
# Words are runs of letters or of digits: punctuation separates them ("tp.hcm" is "tp hcm"),
# and so does a change from letters to digits ("q1" is "q 1").
_WORD = re.compile(r"[^\W\d_]+|\d+")


def search_tokens(text: str) -> list[str]:
    """The words of `text` as typed: folded (no case, no diacritics), without punctuation."""
    return _WORD.findall(fold(text))


def search_words(text: str) -> list[str]:
    """The words a search compares, in order: `search_tokens` with the abbreviations written
    out. Linear in the length of `text`."""
    words: list[str] = []
    for token in search_tokens(text):
        words.extend(ABBREVIATIONS.get(token, token).split())
    return words


def search_text(text: str) -> str:
    """What a directory row is indexed by (its `name_folded`) and a query is compared with:
    `search_words` joined by single spaces."""
    return " ".join(search_words(text))
