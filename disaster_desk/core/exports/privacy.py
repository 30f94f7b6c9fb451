"""Personal data in exports for the public.

A public export drops author handles and coarsens exact addresses of private
homes to the town (町丁目) level: "北区中崎町2丁目3-15" → "北区中崎町2丁目",
"中崎町1-2-3" → "中崎町"; coordinates geocoded at address precision are rounded
to 3 decimals (~100 m). Public places (shelters, facilities, stations) keep
their position. ``keep_personal=True`` (``--keep-personal``) keeps everything,
for exports that stay inside the HQ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Numerals used in Japanese block numbers.
_NUM = r"[0-9０-９一二三四五六七八九十〇]+"
# 2丁目3番15号 / 2丁目3-15 / 2丁目3番地 → keep up to 丁目
_AFTER_CHOME = re.compile(rf"({_NUM}丁目)\s*{_NUM}(?:番地?|[-‐－ー−の])?(?:{_NUM}(?:号)?)?(?:[-‐－ー−の]{_NUM})*")
# 中崎町1-2-3 / 中崎町1番2号 (no 丁目): drop the numbers after the town name
_BLOCK = re.compile(rf"(?<=[^\s0-9０-９]){_NUM}(?:番地?{_NUM}?号?|[-‐－ー−]{_NUM}(?:[-‐－ー−]{_NUM})*)")
#: Precision values (from the analyser) that point at one building.
EXACT_PRECISIONS = frozenset({"address"})


def coarsen_address(text: str | None) -> str | None:
    """Cut block / lot / house numbers from every address in ``text``."""
    if not text:
        return text
    text = _AFTER_CHOME.sub(r"\1", text)
    return _BLOCK.sub("", text)


def round_position(lat: float | None, lon: float | None, precision: str | None) -> tuple[float | None, float | None]:
    if lat is None or lon is None or precision not in EXACT_PRECISIONS:
        return lat, lon
    return round(lat, 3), round(lon, 3)


@dataclass(frozen=True)
class Privacy:
    """What an export may contain; the default is the public one."""

    keep_personal: bool = False

    def author(self, author: str | None) -> str | None:
        return author if self.keep_personal else None

    def text(self, text: str | None) -> str | None:
        return text if self.keep_personal else coarsen_address(text)

    def position(self, lat: float | None, lon: float | None,
                 precision: str | None) -> tuple[float | None, float | None]:
        return (lat, lon) if self.keep_personal else round_position(lat, lon, precision)


PUBLIC = Privacy()
INTERNAL = Privacy(keep_personal=True)
