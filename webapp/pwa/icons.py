"""The app icon, drawn by code: a blue tile with a white shield and a red cross.

The PNGs a manifest needs are rasterised here (scanline fill, no imaging library), so no binary
artwork is committed and every size stays in step with `static/icons/logo.svg`.
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

BLUE = (11, 83, 148, 255)
WHITE = (255, 255, 255, 255)
RED = (214, 43, 43, 255)
CLEAR = (0, 0, 0, 0)

# The shield of logo.svg on its 64-unit grid: a flat top with shoulders, sides, a rounded point.
_SHIELD = [(32, 10), (50, 17), (50, 30)]
_SHIELD += [(50 - 18 * t**1.6, 30 + 24 * t) for t in (i / 12 for i in range(1, 13))]
_SHIELD += [(64 - x, y) for x, y in reversed(_SHIELD[1:-1])]
_CROSS = [((29, 24), (35, 44)), ((22, 31), (42, 37))]


def _spans(polygon: list[tuple[float, float]], y: float) -> list[tuple[float, float]]:
    """Where the horizontal line at `y` is inside `polygon` (even-odd rule)."""
    xs = []
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 <= y < y2) or (y2 <= y < y1):
            xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    xs.sort()
    return list(zip(xs[::2], xs[1::2], strict=False))


def _png(width: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


@lru_cache(maxsize=8)
def icon_png(size: int, maskable: bool = False) -> bytes:
    """The icon as PNG. A maskable icon is full-bleed with the shield inside the safe circle."""
    scale = size / 64 * (0.72 if maskable else 1.0)
    offset = (size - 64 * scale) / 2
    radius = 0 if maskable else size * 14 / 64
    rows = []
    for py in range(size):
        y = (py + 0.5 - offset) / scale
        row = bytearray()
        pixels = [BLUE] * size
        if radius:
            dy = max(radius - (py + 0.5), (py + 0.5) - (size - radius), 0)
            for px in range(size):
                dx = max(radius - (px + 0.5), (px + 0.5) - (size - radius), 0)
                if dx * dx + dy * dy > radius * radius:
                    pixels[px] = CLEAR
        for x1, x2 in _spans(_SHIELD, y):
            for px in range(
                max(0, round(x1 * scale + offset)), min(size, round(x2 * scale + offset))
            ):
                pixels[px] = WHITE
        for (cx1, cy1), (cx2, cy2) in _CROSS:
            if cy1 <= y < cy2:
                for px in range(round(cx1 * scale + offset), round(cx2 * scale + offset)):
                    pixels[px] = RED
        for pixel in pixels:
            row.extend(pixel)
        rows.append(bytes(row))
    return _png(size, rows)
