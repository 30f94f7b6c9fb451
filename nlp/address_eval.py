"""Held-out address accuracy: real Osaka addresses from the area pack, and the neighbours' look-alikes.

``python -m nlp.address_eval [--sample N] [--seed S] [--json]`` writes addresses the way people and
forms write them — 大阪市北区梅田1丁目3-5, 北区梅田１丁目５番地, 大阪府大阪市北区梅田1-3-5,
大阪市北区梅田一丁目 — for the pack's 1,903 towns (Geolonia, CC BY 4.0), runs them through the
analyser (normalisation, Sudachi, gazetteer, geoparser: the path every post takes) and counts
the right ward and a point within 0.5 km of the town's representative point. Then it writes
addresses in the neighbouring cities (``nlp/data/neighbour_towns.txt``: 東大阪市, 尼崎市, 吹田市,
豊中市, 守口市, 八尾市, 門真市, 堺市堺区, 京都市北区・中京区), with and without the prefecture,
and counts those pinned in Osaka City — which must be none, above all where the town's name
holds an Osaka town's name (東大阪市長田東 ⊃ 長田, 尼崎市東難波町 ⊃ 難波).

The addresses are generated, not tuned on: the variants and the seed are fixed here, and
the figures go to nlp/data/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from nlp.geoparser import distance_km

NEIGHBOURS_FILE = Path(__file__).resolve().parent / "data" / "neighbour_towns.txt"
PREFECTURE = {"尼崎市": "兵庫県", "京都市北区": "京都府", "京都市中京区": "京都府"}
_KANJI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CHOME = re.compile(r"^(.*?)([一二三四五六七八九十]+)丁目?$")
_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
SUFFIXES = ("", "で火災", "の家が倒壊しています", "付近 停電", "に住んでます、水が出ない")
WITHIN_KM = 0.5


def kanji_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23 (enough for 丁目)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGIT[tens] if tens else 1) * 10 + (_KANJI_DIGIT[ones] if ones else 0)
    return _KANJI_DIGIT[text]


@dataclass(frozen=True)
class Town:
    ward: str
    name: str  # as in the pack: 梅田一丁目
    lat: float
    lon: float

    def parts(self) -> tuple[str, int | None]:
        """``(base, chome)``: 梅田一丁目 → (梅田, 1); 安治川 → (安治川, None)."""
        m = _CHOME.match(self.name)
        return (m.group(1), kanji_number(m.group(2))) if m else (self.name, None)


def pack_towns() -> list[Town]:
    from disaster_desk.core.area_pack import load_pack

    with load_pack().path("towns").open(encoding="utf-8") as f:
        return [Town(r["ward"], r["town"], float(r["lat"]), float(r["lng"])) for r in csv.DictReader(f)
                if not r.get("koaza")]


def osaka_addresses(town: Town, rng: random.Random) -> list[str]:
    """Four spellings of an address in ``town`` (block and house numbers drawn from ``rng``)."""
    base, chome = town.parts()
    ban, go = rng.randint(1, 30), rng.randint(1, 20)
    w = town.ward
    if chome is None:
        return [f"大阪市{w}{base}{ban}-{go}", f"{w}{base}{ban}番地", f"大阪府大阪市{w}{base}{ban}番{go}号",
                f"{w}{base}{str(ban).translate(_FULLWIDTH)}－{str(go).translate(_FULLWIDTH)}"]
    return [
        f"大阪市{w}{base}{chome}丁目{ban}-{go}",
        f"{w}{base}{str(chome).translate(_FULLWIDTH)}丁目{ban}番地",
        f"大阪府大阪市{w}{base}{chome}-{ban}-{go}",
        f"大阪市{w}{town.name}{ban}番{go}号",
    ]


def neighbour_towns() -> list[tuple[str, str]]:
    out = []
    for line in NEIGHBOURS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            city, towns = line.split("\t")
            out += [(city, t) for t in towns.split()]
    return out


def neighbour_addresses(city: str, town: str, rng: random.Random) -> list[str]:
    m = re.match(r"^(.*?)([一二三四五六七八九十]+)丁目?$", town)
    ban, go = rng.randint(1, 30), rng.randint(1, 20)
    pref = PREFECTURE.get(city, "大阪府")
    if m:
        base, chome = m.group(1), kanji_number(m.group(2))
        return [f"{city}{base}{chome}丁目{ban}-{go}", f"{pref}{city}{base}{chome}-{ban}-{go}",
                f"{city}{town}{ban}番地"]
    return [f"{city}{town}{ban}-{go}", f"{pref}{city}{town}{ban}番地", f"{city}{town}"]


def holds_osaka_name(town: str, osaka_bases: set[str]) -> bool:
    base = re.sub(r"[一二三四五六七八九十]+丁目?$", "", town)
    return any(b in base and b != base for b in osaka_bases)


@dataclass
class Figures:
    osaka: int = 0
    ward_ok: int = 0
    within: int = 0
    neighbours: int = 0
    neighbours_holding: int = 0
    pinned: list[str] = field(default_factory=list)
    pinned_holding: int = 0
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "osaka_addresses": self.osaka, "ward_accuracy": round(self.ward_ok / self.osaka, 4),
            f"within_{WITHIN_KM}km": round(self.within / self.osaka, 4),
            "neighbour_addresses": self.neighbours, "neighbour_addresses_holding_an_osaka_town_name":
                self.neighbours_holding, "neighbours_pinned_in_osaka": len(self.pinned),
            "pinned_holding_an_osaka_town_name": self.pinned_holding,
        }


def measure(analyser, *, sample: int | None = None, seed: int = 15) -> Figures:
    """Run the addresses through ``analyser`` (``nlp.analyser.Analyser``); ``sample`` towns of each kind."""
    from disaster_desk.core.area import OSAKA_WARDS

    rng = random.Random(seed)
    towns = pack_towns()
    neighbours = neighbour_towns()
    if sample:
        towns = rng.sample(towns, min(sample, len(towns)))
        neighbours = rng.sample(neighbours, min(sample, len(neighbours)))
    osaka_bases = {t.parts()[0] for t in pack_towns() if len(t.parts()[0]) >= 2}
    fig = Figures()
    texts, expected = [], []
    for town in towns:
        for address in osaka_addresses(town, rng):
            texts.append(address + rng.choice(SUFFIXES))
            expected.append(town)
    for text, town, result in zip(texts, expected, analyser.analyse(texts), strict=True):
        fig.osaka += 1
        fig.ward_ok += result.ward == town.ward
        near = result.lat is not None and distance_km(result.lat, result.lon, town.lat, town.lon) <= WITHIN_KM
        fig.within += near
        if not near or result.ward != town.ward:
            fig.misses.append(f"{text} → {result.ward} {result.place} ({result.lat}, {result.lon})")
    ntexts, holding = [], []
    for city, town in neighbours:
        for address in neighbour_addresses(city, town, rng):
            ntexts.append(address + rng.choice(SUFFIXES))
            holding.append(holds_osaka_name(town, osaka_bases))
    for text, holds, result in zip(ntexts, holding, analyser.analyse(ntexts), strict=True):
        fig.neighbours += 1
        fig.neighbours_holding += holds
        if result.lat is not None or result.ward in OSAKA_WARDS:
            fig.pinned.append(f"{text} → {result.ward} {result.place}")
            fig.pinned_holding += holds
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.address_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="towns of each kind (default: all)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", type=int, default=20, help="misses and pins listed")
    args = parser.parse_args(argv)
    from nlp.analyser import Analyser

    fig = measure(Analyser(), sample=args.sample, seed=args.seed)
    if args.json:
        print(json.dumps(fig.as_dict(), ensure_ascii=False))
    else:
        for key, value in fig.as_dict().items():
            print(f"{key}: {value}")
    for line in fig.misses[:args.show]:
        print("miss:", line, file=sys.stderr)
    for line in fig.pinned[:args.show]:
        print("pinned:", line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
