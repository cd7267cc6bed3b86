"""Text helpers for Vietnamese: folding diacritics so that "ha noi" finds "Hà Nội"."""

from __future__ import annotations

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
