"""Gazetteer: typed place facts (ward, town, station, landmark, facility) and a matcher.

Facts come from CSV files with the columns ``kind,name,ward,lat,lon,aliases,note``
(``#`` lines are comments: the file header cites the source). The shipped files
live in ``resources/gazetteer``; imported towns and shelters (see
:mod:`nlp.importers`) are written in the same format to the user's gazetteer dir
and loaded on top.

Names are indexed in their :func:`nlp.normalise.fold`-ed, lower-cased form in a
character trie, so matching works on raw normalised text regardless of how the
tokenizer splits ``大阪市北区中崎町2-3`` (Sudachi gives ``大阪市北区中崎|町|2|-|3``).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import resources
from nlp.normalise import fold, hiragana, katakana

log = logging.getLogger(__name__)

#: Kinds in order of specificity (most specific first); "town" rows whose name
#: ends in N丁目 are 町丁目 (address level).
KINDS: tuple[str, ...] = ("town", "facility", "shelter", "landmark", "station", "ward")
COLUMNS = ("kind", "name", "ward", "lat", "lon", "aliases", "note")
_CHOME = re.compile(r"(\d+)丁目$")
#: A university hospital's name: its university, the faculty, 附属/付属, 病院.
_UNIVERSITY_HOSPITAL = re.compile(r"^(.+大学)(?:医学部|歯学部)?(?:附属|付属)病院$")
#: A care home's or welfare facility's type before its own name (GSI's 福祉避難所): 特別養護老人ホーム　からまつ苑,
#: 社会福祉法人…会特別養護老人ホーム平成新高苑, 障害者支援施設ふくろうの社. Staff and families say the own name.
_FACILITY_TYPE = re.compile(
    r"^(?:社会福祉法人\S{1,12}?会)?(?:地域密着型|指定)?(?:特別養護老人ホーム|養護老人ホーム|軽費老人ホーム|介護老人保健施設"
    r"|介護老人福祉施設|障がい?者支援施設|障害者支援施設|ケアハウス|(?:介護付)?有料老人ホーム)\s*[「『]?")
#: The own name counts alone only when it says what it is (からまつ苑, ふくろうの社), never a bare town (喜連, 長吉).
_OWN_FACILITY_NAME = re.compile(r"[^\s」』、,]{2,}(?:苑|荘|園|寮|の里|の郷|の社|の森|の家|ホーム|ハウス)")
_LATIN_NAME = re.compile(r"^[a-z][a-z -]*[a-z]$")
_READINGS_KEPT = 50_000
#: Words a town name adds to a station's: 十三東, 東心斎橋, 南船場 (Sudachi reads a lone 東 as とう).
_ONE_KANJI_READINGS = {"東": "ひがし", "西": "にし", "南": "みなみ", "北": "きた", "中": "なか", "新": "しん",
                       "元": "もと", "本": "ほん", "上": "かみ", "下": "しも"}
#: Names the Sudachi dictionary reads otherwise than the city does: 墨江 (住吉区) is すみえ, not すみのえ (住之江);
#: 万代 ばんだい, not もず; 高見 たかみ, not こうけん; 東平 ひがしひら; 茶臼山 ちゃうすやま, not さきやま. (A station's name
#: is read by stations.csv: :meth:`Gazetteer.name_readings`.)
_READING_FIXES = {"墨江": "すみえ", "万代": "ばんだい", "高見": "たかみ", "東平": "ひがしひら", "茶臼山": "ちゃうすやま"}
#: A town's kana reading counts as a word of its own from this many kana (ちゃやまち, いちおか; not たまで, きれ).
KANA_TOWN_MIN = 4
_STATION_READING = re.compile(r"([ぁ-ゖー]{2,}) ?(?:の ?)?えき")


@dataclass(frozen=True)
class Place:
    kind: str
    name: str
    ward: str
    lat: float
    lon: float
    note: str = ""

    @property
    def is_chome(self) -> bool:
        return self.kind == "town" and bool(_CHOME.search(fold(self.name)))


#: Simplified Chinese forms of kanji in Osaka's place names → the Japanese ones, one character for one, so
#: offsets stay: 难波站 → 難波駅, 新今宫 → 新今宮, 通天阁 → 通天閣, 日本桥 → 日本橋, 海游馆 → 海遊館. Only
#: characters Japanese text does not use (游 aside, which Japanese writes in 游泳 only, no place name), and the
#: traditional 區 (大阪中央區).
HANZI_TO_KANJI = str.maketrans("难桥宫阁馆站游东园门铁场岛冈滨泽边华丰乐凤龙汤黑斋區",
                               "難橋宮閣館駅遊東園門鉄場島岡浜沢辺華豊楽鳳竜湯黒斎区")


def key(name: str) -> str:
    """The matching key of a name: folded, lower-cased, runs of spaces as one (like post text)."""
    return " ".join(fold(name).lower().translate(HANZI_TO_KANJI).split())


def town_base(name: str) -> str:
    """``梅田1丁目`` → ``梅田``; names without 丁目 are returned unchanged."""
    return _CHOME.sub("", fold(name))


def _inside_a_word(text: str, start: int, end: int) -> bool:
    """A Latin name must stand as a word: "atc" is not in "watching", "namba" not in "nambas"."""
    first, last = text[start], text[end - 1]
    if first.isascii() and first.isalnum() and start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        return True
    return last.isascii() and last.isalnum() and end < len(text) and text[end].isascii() and text[end].isalnum()



_KANA_ONLY = re.compile(r"[ぁ-ゖー]*[ぁ-ゖ][ぁ-ゖー]*")
_KANJI_IN = re.compile(r"[一-龥々]")
#: A name written in romaji counts from this many letters (nagaikouen, kitanobyouin; not fuku, kami, umeda alone).
ROMAJI_MIN = 9
_KATAKANA_ONLY = re.compile(r"[ァ-ヺー]{3,}")


_HEPBURN = dict(zip(
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
    "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
    "ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po "
    "a i u e o".split(), strict=True))
_YOON = {"ゃ": "ya", "ゅ": "yu", "ょ": "yo"}


def romanise(kana: str, long_vowels: bool = False) -> str | None:
    """Hepburn as street signs write it, long vowels dropped (ちっこう → chikko, じゅうそう → juso);
    ``long_vowels`` keeps them (しまのうち → shimanouchi: の+うち is no long vowel).

    ``None`` when the reading holds anything but hiragana.
    """
    out: list[str] = []
    double = False
    for ch in kana:
        if ch == "っ":
            double = True
            continue
        if ch in _YOON and out and out[-1].endswith("i"):
            stem = out.pop()[:-1]
            syl = {"sh": "sh", "ch": "ch", "j": "j"}.get(stem, stem + "y") + _YOON[ch][1:]
        elif ch == "ー":
            continue
        elif ch in _HEPBURN:
            syl = _HEPBURN[ch]
        else:
            return None
        if double:
            syl = ("t" if syl.startswith("ch") else syl[0]) + syl
            double = False
        out.append(syl)
    roman = "".join(out)
    for long, short in () if long_vowels else (("ou", "o"), ("oo", "o"), ("uu", "u")):
        roman = roman.replace(long, short)
    roman = roman.replace("nb", "mb").replace("nm", "mm").replace("np", "mp")
    return roman or None


_DIRECTION = re.compile(r"^(higashi|nishi|kita|minami)(?=[a-z]{3})")


def _latin_variants(names: set[str]) -> set[str]:
    """Latin spellings as visitors write them: n for m before b/m/p (tenjinbashi, uehonmachi), a
    direction apart (higashi-yodogawa-ku, nishi yodogawa), "ku" apart (higashi sumiyoshi ku)."""
    out = set(names) | {n.replace("mb", "nb").replace("mp", "np").replace("mm", "nm") for n in names}
    out |= {f"{m.group(1)}{sep}{n[m.end():]}" for n in list(out) if (m := _DIRECTION.match(n)) for sep in "- "}
    out |= {n[:-3] + " ku" for n in list(out) if n.endswith("-ku")}
    return out


def _cho_or_machi(kana: str) -> set[str]:
    """A town's 町 is ちょう or まち, and Sudachi often picks the other one (宗右衛門町 そうえもんまち: "Soemoncho")."""
    if kana.endswith("まち"):
        return {kana, kana[:-2] + "ちょう"}
    if kana.endswith("ちょう"):
        return {kana, kana[:-3] + "まち"}
    return {kana}


def read_csv(path: Path) -> Iterator[tuple[int, Place, list[str]]]:
    """Rows of a gazetteer CSV as ``(line, place, aliases)``; bad rows are logged and skipped."""
    with path.open(encoding="utf-8") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1) if not line.startswith("#") and line.strip()]
    reader = csv.reader(line for _, line in lines)
    header = next(reader, None)
    if header is None:
        return
    if tuple(header[:6]) != COLUMNS[:6]:
        raise ValueError(f"{path}: header must start with {','.join(COLUMNS[:6])}")
    for (line_no, _), row in zip(lines[1:], reader, strict=False):
        try:
            kind, name, ward, lat, lon = row[0], row[1], row[2], float(row[3]), float(row[4])
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}")
        except (IndexError, ValueError) as exc:
            log.warning("%s line %d skipped: %s", path, line_no, exc)
            continue
        aliases = [a for a in (row[5].split("|") if len(row) > 5 else []) if a]
        yield line_no, Place(kind, name, ward, lat, lon, row[6] if len(row) > 6 else ""), aliases


def write_csv(path: Path, places: Iterable[Place], header_lines: Iterable[str]) -> int:
    """Write places in the gazetteer CSV format; returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        for line in header_lines:
            fh.write(f"# {line}\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in places:
            writer.writerow([p.kind, p.name, p.ward, f"{p.lat:.6f}", f"{p.lon:.6f}", "", p.note])
            count += 1
    return count


class Gazetteer:
    """All place facts, indexed by normalised name in a trie for longest-match scanning."""

    def __init__(self) -> None:
        self.index: dict[str, list[Place]] = {}
        self._trie: dict = {}
        self._digest = hashlib.sha1()
        self.count = 0
        #: Romanised town names without hyphens or spaces → the keys of the towns they spell:
        #: ``nishikujo`` → {``西九条``}, ``nipponbashi`` → {``日本橋``} (see :meth:`add_kana_chome`).
        self.roman_towns: dict[str, set[str]] = {}
        #: ward → hiragana reading → the keys of that ward's towns read so: 港区 → いちおか → {``市岡``}.
        #: Read right after the ward (geoparser); alone, a reading counts only as a whole kana word (:attr:`kana_names`).
        self.kana_towns: dict[str, dict[str, set[str]]] = {}
        #: hiragana reading → the keys of the places read so, for spaced kana-only posts (「しんさいばし に
        #: いる」, 「なかのしま こうえん」): stations, wards, landmarks and facilities (see :meth:`add_kana_names`).
        self.kana_names: dict[str, set[str]] = {}
        #: the same for readings that are also one everyday word (つるはし: 鶴橋 and a pickaxe, たにまち: 谷町 and a
        #: patron), read only before a word for a place there (つるはしの しょうてんがい)
        self.kana_names_also_words: dict[str, set[str]] = {}
        #: a station's key → its readings as stations.csv writes them (天下茶屋 → {てんがちゃや}, not Sudachi's てんかちゃや)
        self.station_readings: dict[str, set[str]] = {}
        self._name_readings: dict[str, set[str]] = {}
        self._town_bases: set[str] = set()  # filled by add_kana_chome (大今里 for 大今里南)
        #: a kana name romanised, spaces dropped: Japanese written in romaji (「utsubo kouen」, 「kitano byouin」,
        #: 「takadono shougakkou」) → the keys of the places read so (see :meth:`add_romaji_names`).
        self.romaji_names: dict[str, set[str]] = {}
        self._kana_aliases: list[tuple[str, Place]] = []  # as written in the CSVs: しぎのえき, not its key しぎえき
        self._readings: dict[str, str | None] = {}
        self._reader = None
        self._reader_lock = threading.Lock()

    @classmethod
    def load(cls, extra_dir: str | Path | None = None, area: str | None = None) -> Gazetteer:
        """Shipped files, then the area pack's shelters and towns, then the user's imports in ``extra_dir``."""
        gaz = cls()
        for path in sorted(resources.path("gazetteer").glob("*.csv")):
            gaz.add_file(path)
        gaz.add_area_pack(area)
        if extra_dir is not None and Path(extra_dir).is_dir():
            for path in sorted(Path(extra_dir).glob("*.csv")):
                gaz.add_file(path)
        gaz.add_town_bases()
        gaz.add_kana_chome()
        gaz.add_kana_schools()
        gaz.add_kana_names()
        gaz.add_romaji_names()
        return gaz

    @property
    def digest(self) -> str:
        """Short hash of the loaded files (part of the analyser version)."""
        return self._digest.hexdigest()[:8]

    def add_area_pack(self, area: str | None = None) -> None:
        """The pack's GSI shelters and Geolonia towns, as ``gazetteer import`` would have written them."""
        from disaster_desk.core.area_pack import DEFAULT_AREA, load_pack
        from nlp.importers import ImportResult, read_geolonia, read_gsi_shelters

        pack = load_pack(area or DEFAULT_AREA)
        shelter_files = [pack.path("shelters"), pack.path("evacuation_sites")]
        for path in [*shelter_files, pack.path("towns")]:
            self._digest.update(path.read_bytes())
        result = ImportResult("area pack")
        places = read_gsi_shelters(shelter_files, result) + read_geolonia(pack.path("towns"), result)
        for p in places:  # the precision of an imported file (6 decimals), so both ways give the same facts
            self.add(Place(p.kind, p.name, p.ward, float(f"{p.lat:.6f}"), float(f"{p.lon:.6f}"), p.note))

    def add_file(self, path: Path) -> None:
        self._digest.update(path.read_bytes())
        for _, place, aliases in read_csv(path):
            self.add(place, aliases)

    def add(self, place: Place, aliases: Iterable[str] = ()) -> None:
        if place.kind == "ward":  # the ward office is a facility people name: 浪速区役所
            office = Place("facility", f"{place.name}役所", place.ward, place.lat, place.lon, "区役所")
            self.add(office, [f"{place.name}庁舎"])
        self.count += 1
        names = {key(place.name), *(key(a) for a in aliases)}
        self._kana_aliases += [(a.replace(" ", ""), place) for a in aliases if _KANA_ONLY.fullmatch(a.replace(" ", ""))]
        if place.kind == "station":  # the reviewed readings: くじょうえき, ひらの えき (fold makes it ひらえき)
            for a in aliases:
                reading = _STATION_READING.fullmatch(hiragana(" ".join(a.split())))
                if reading:
                    self.station_readings.setdefault(key(place.name), set()).add(reading.group(1))
        if place.kind == "station":
            names |= {n + "駅" for n in names if not n.endswith("駅")}
        if place.kind in ("facility", "landmark"):  # エディオンアリーナ大阪 → エディオンアリーナ
            names |= {n[:-2] for n in names if n.endswith("大阪") and len(n) > 5}
        if place.kind == "shelter":  # 金塚小学校 → 金塚小, 市岡中学校 → 市岡中 (how people say it)
            names |= {n[:-2] for n in names if n.endswith(("小学校", "中学校")) and len(n) >= 5}
        if place.kind != "town":  # 夕陽ケ丘 is also written 夕陽丘 (a town's ケ is kept: 松ケ枝町)
            names |= {re.sub(r"(?<=[一-龥])ケ(?=[一-龥])", "", n) for n in names}
        if place.kind != "town":  # (the towns' romanised 丁目 are read by the geoparser, whatever the spacing)
            names |= _latin_variants({n for n in names if n.isascii() and n[:1].isalpha()})
        if place.kind in ("facility", "shelter") and (own := _FACILITY_TYPE.sub("", fold(place.name))) != fold(place.name):
            own = own.rstrip("」』 ")
            if _OWN_FACILITY_NAME.fullmatch(own):  # 特別養護老人ホーム からまつ苑 → からまつ苑
                names.add(key(own))
        if place.kind == "facility":  # 大阪歯科大学附属病院 → 大阪歯科大学病院, 大阪公立大学附属病院
            for n in list(names):
                hospital = _UNIVERSITY_HOSPITAL.match(n)
                if hospital:
                    names |= {hospital.group(1) + tail for tail in ("病院", "附属病院", "付属病院", "医学部附属病院")}
        # kana spellings (いくのく, くじょうえき, はぎのちゃや2丁目) also in katakana: ミナトク, クジョウエキ
        names |= {katakana(n) for n in names if _KANA_ONLY.fullmatch(_CHOME.sub("", n).replace(" ", ""))}
        for name in names:
            if len(name) < 2:
                continue
            bucket = self.index.setdefault(name, [])
            if place not in bucket:
                bucket.append(place)
            node = self._trie
            for ch in name:
                node = node.setdefault(ch, {})
            node[""] = name

    def add_town_bases(self) -> None:
        """A town-level fact (centroid of its 丁目) for every town known only by 丁目."""
        groups: dict[tuple[str, str], list[Place]] = {}
        for places in list(self.index.values()):
            for p in places:
                if p.is_chome:
                    groups.setdefault((town_base(p.name), p.ward), []).append(p)
        for (base, ward), chomes in groups.items():
            if any(p.kind == "town" and p.ward == ward and not p.is_chome for p in self.index.get(key(base), [])):
                continue
            unique = {(p.lat, p.lon) for p in chomes}
            lat = sum(p[0] for p in unique) / len(unique)
            lon = sum(p[1] for p in unique) / len(unique)
            self.add(Place("town", base, ward, lat, lon, "centroid"))

    def add_kana_chome(self) -> None:
        """Hiragana and romanised spellings of every 町丁目: 萩之茶屋2丁目 ← はぎのちゃや2丁目, 築港3丁目 ←
        "Chikko 3-chome" (kana-only posts; visitors' English).

        Readings come from the Sudachi dictionary (right for most town names, not all: 姫島 is
        read ひめしま). Only ``reading + N丁目`` is added, never the bare reading, so ordinary kana
        words cannot match a town. Stations carry their readings in stations.csv (くじょうえき),
        where Sudachi's were too often wrong (九条 キュウジョウ, 放出 ホウシュツ).
        """
        reading = self.reading
        self._town_bases = {town_base(p.name) for places in self.index.values() for p in places if p.kind == "town"}
        for places in list(self.index.values()):
            for p in places:
                if not p.is_chome:
                    continue
                base = town_base(p.name)
                kana, chome = reading(base), fold(p.name)[len(base):]
                if kana:
                    # the station's reading too (てんがちゃや: Sudachi's てんかちゃや), read by the geoparser before a 丁目
                    for k in {kana} | self.name_readings(base):
                        self.kana_towns.setdefault(p.ward, {}).setdefault(k, set()).add(key(base))
                    names = [kana + chome, f"{kana} {chome}"]
                    roman, number = romanise(kana), _CHOME.search(chome)
                    if roman and len(roman) >= 4:
                        spelled = {romanise(k, lv) for k in _cho_or_machi(kana) for lv in (False, True)} - {None}
                        for r in _latin_variants({roman, *spelled}):
                            self.roman_towns.setdefault(r.replace("-", "").replace(" ", ""), set()).add(key(base))
                    if roman and len(roman) >= 4 and number:
                        # English posts: "Chikko 3-chome", "chikko 3 chome", "Tenjinbashi 6-chome"
                        n = number.group(1)
                        for r in {roman, roman.replace("mb", "nb").replace("mp", "np").replace("mm", "nm")}:
                            names += [f"{r} {n}-chome", f"{r} {n} chome", f"{r} {n}chome", f"{r}{n}-chome",
                                      f"{r}-{n}-chome"]
                    self.add(p, names)
                    self.count -= 1  # aliases, not a new fact
        self._add_roman_names_of_towns()

    def add_kana_schools(self) -> None:
        """School shelters said in kana: 深江小学校 ← ふかえしょうがっこう, ふかえ しょうがっこう (and katakana).

        The whole name with its school word, never the bare reading (ふかえ), so no everyday word matches.
        Two schools read alike share the alias; the geoparser pins neither unless the ward decides."""
        tails = {"小学校": "しょうがっこう", "中学校": "ちゅうがっこう"}
        for places in list(self.index.values()):
            for p in places:
                if p.kind != "shelter" or not p.name.endswith(tuple(tails)):
                    continue
                head = fold(p.name)[:-3]
                kanas = (self.name_readings(head) | {self.reading(head)}) - {None} if head else set()
                kanas = {k for k in kanas if len(head) >= 2 or len(k) >= 3}  # 巽小学校: たつみ (one kanji, three kana)
                if kanas:  # 天下茶屋小学校: てんがちゃや (the station's), and the dictionary's てんかちゃや
                    tail = tails[p.name[-3:]]
                    self.add(p, [n for kana in sorted(kanas) for n in (kana + tail, f"{kana} {tail}")])
                    self.count -= 1  # aliases, not a new fact

    def add_kana_names(self) -> None:
        """Hiragana readings of whole names for kana-only posts written in words (「しんさいばし に いる」,
        「なかのしま こうえん」, 「にしなり の アパート」); the geoparser reads them only as a word of their own.

        Stations by the reviewed readings of stations.csv (「…えき」 aliases), wards by theirs where the bare
        name is a name (西成, not 港 or 旭: 「…く」 aliases), landmarks and facilities by theirs or the Sudachi
        dictionary's, and in hiragana when the file writes them in katakana (ユニバ ゆにば, コスモタワー); stations'
        kanji nicknames by the dictionary's (天六 てんろく, 上六). Towns by :meth:`name_readings` or the dictionary's
        from :data:`KANA_TOWN_MIN` kana (ちゃやまち, いちおか; たまで, きれ only after the ward or before the 丁目:
        :attr:`kana_towns`). A reading of fewer than three kana, or one the dictionary takes as one everyday word
        (みどり, つるはし, いまいち), is left out: as a word of its own it is the word (those of four kana or more go to
        :attr:`kana_names_also_words`).
        """
        found: dict[str, set[str]] = {}
        for alias, p in self._kana_aliases:  # the CSVs' reviewed readings
            if p.kind == "station" and alias.endswith("えき"):
                if not p.name.endswith("駅"):  # 淀川駅, 木津川駅: よどがわ, きづがわ alone are the rivers
                    found.setdefault(alias[:-2], set()).add(key(p.name))
            elif p.kind == "ward" and alias.endswith("く") and p.name.endswith("区"):
                bare = key(p.name[:-1])
                if any(q.kind == "ward" for q in self.index.get(bare, [])):
                    found.setdefault(alias[:-1], set()).add(bare)
            elif p.kind in ("landmark", "facility"):  # 城北公園 しろきたこうえん
                found.setdefault(alias, set()).add(key(p.name))
        for name, places in list(self.index.items()):
            for p in places:
                if p.kind in ("landmark", "facility") and p.note != "区役所" and _KATAKANA_ONLY.fullmatch(name):
                    found.setdefault(hiragana(name), set()).add(name)  # ユニバ, ハルカス, スパワールド in hiragana
                elif p.kind in ("landmark", "facility") and p.note != "区役所" or (
                        p.kind == "station" and name != key(p.name) and not name.endswith("駅")):  # 天六, 谷九
                    if _KANJI_IN.search(name) and (kana := self.reading(name)):
                        found.setdefault(kana, set()).add(name)
        towns = {p for places in self.index.values() for p in places if p.kind == "town"}
        for base in {town_base(p.name) for p in towns}:
            for kana in self.name_readings(base) or {self.reading(base)} - {None}:
                if len(kana) >= KANA_TOWN_MIN:  # ちゃやまち → 茶屋町
                    found.setdefault(kana, set()).add(key(base))
        for kana, keys in found.items():
            if len(kana) < 3:
                continue
            if not self._everyday_word(kana):
                self.kana_names.setdefault(kana, set()).update(keys)
            elif len(kana) >= 4:
                self.kana_names_also_words.setdefault(kana, set()).update(keys)
        self._add_half_kana_towns()

    def _add_half_kana_towns(self) -> None:
        """Towns named after a station or ward with that part in kana: じゅうそう本町1丁目 (十三本町), あべの筋1丁目
        (阿倍野筋) — the reviewed reading of the station's or ward's name, the rest as written; never a bare reading."""
        readings: dict[str, str] = {}
        for alias, p in self._kana_aliases:
            if p.kind == "station" and alias.endswith("えき") and len(alias) > 4:
                readings.setdefault(key(p.name), alias[:-2])
            elif p.kind == "ward" and alias.endswith("く") and len(alias) > 3:
                readings.setdefault(key(p.name[:-1]), alias[:-1])
        for places in list(self.index.values()):
            for p in places:
                if p.kind != "town":
                    continue
                base, rest = key(town_base(p.name)), fold(p.name)[len(town_base(p.name)):]
                for cut in range(2, len(base)):
                    head, tail = base[:cut], base[cut:]
                    if head in readings and _KANJI_IN.search(tail):
                        self.add(p, [readings[head] + tail + rest])
                        self.count -= 1  # an alias, not a new fact

    def add_romaji_names(self) -> None:
        """Names of :attr:`kana_names` and the schools' kana names in romaji, long vowels kept or dropped (kouen,
        koen): posts in romanised Japanese (「utsubo kouen de」, 「kitano byouin」). Only from :data:`ROMAJI_MIN`
        letters, so no English or short romaji word (fuku, kami) is a place."""
        spelled: dict[str, set[str]] = {}
        for kana, keys in self.kana_names.items():
            spelled.setdefault(kana, set()).update(keys)
        for name, places in self.index.items():
            if _KANA_ONLY.fullmatch(name) and name.endswith(("しょうがっこう", "ちゅうがっこう")):
                spelled.setdefault(name, set()).update(key(p.name) for p in places if p.kind == "shelter")
        for kana, keys in spelled.items():
            for roman in {romanise(kana), romanise(kana, long_vowels=True)} - {None}:
                if len(roman) >= ROMAJI_MIN and roman not in self.index:
                    self.romaji_names.setdefault(roman, set()).update(keys)

    def _everyday_word(self, kana: str) -> bool:
        """The dictionary reads ``kana`` as one word that is no proper noun (みどり, つるはし, いまいち)."""
        self.reading(kana)  # makes the reader
        with self._reader_lock:
            morphs = list(self._reader.tokenize(kana))
        return len(morphs) == 1 and morphs[0].part_of_speech()[1] != "固有名詞"

    def _add_roman_names_of_towns(self) -> None:
        """Latin names a station or landmark carries for a town of its name: stations.csv spells 日本橋
        ``nipponbashi`` (Sudachi reads it にほんばし, Tokyo's), なんば (also 難波) ``namba``."""
        every = {p for places in self.index.values() for p in places}
        bases = {key(town_base(p.name)) for p in every if p.is_chome}
        for p in every:  # towns without 丁目 (宗右衛門町 "soemoncho"), read only beside a ward (geoparser)
            if p.kind == "town" and not p.is_chome and key(p.name) not in bases:
                kana = self.reading(fold(p.name))
                if kana:
                    for k in _cho_or_machi(kana):
                        self.kana_towns.setdefault(p.ward, {}).setdefault(k, set()).add(key(p.name))
                for roman in {romanise(k, lv) for k in _cho_or_machi(kana) for lv in (False, True)} if kana else ():
                    if roman and len(roman) >= 4:
                        self.roman_towns.setdefault(roman, set()).add(key(p.name))
        names_of: dict[Place, set[str]] = {}
        for name, places in self.index.items():
            for p in places:
                if p.kind in ("station", "landmark"):
                    names_of.setdefault(p, set()).add(name)
        latin_of: dict[str, set[str]] = {}  # 十三 → {juso}, 心斎橋 → {shinsaibashi}
        for names in names_of.values():
            latin = {n.replace("-", "").replace(" ", "") for n in names
                     if _LATIN_NAME.match(n) and not n.endswith((" station", " stn", " stop"))}
            for n in names:
                if latin and not n.isascii():
                    latin_of.setdefault(n, set()).update(latin)
        for name, latin in latin_of.items():
            if name in bases:
                for r in latin:
                    self.roman_towns.setdefault(r, set()).add(name)
        # a town named after a station plus a word: 十三東 "juso-higashi", 東心斎橋 "higashi-shinsaibashi"
        for base in bases:
            for i in range(1, len(base)):
                head, tail = base[:i], base[i:]
                for known, other, known_first in ((head, tail, True), (tail, head, False)):
                    if len(known) < 2 or known not in latin_of:
                        continue
                    kana = self.reading(other) if len(other) > 1 else _ONE_KANJI_READINGS.get(other)
                    for roman in {romanise(k) for k in _cho_or_machi(kana)} - {None} if kana else ():
                        for r in latin_of[known]:  # 十三本町: "juso honcho" and "juso honmachi" (or "hommachi")
                            for v in _latin_variants({r + roman if known_first else roman + r}):
                                self.roman_towns.setdefault(v.replace("-", "").replace(" ", ""), set()).add(base)

    def name_readings(self, name: str) -> set[str]:
        """The city's readings of ``name`` where the dictionary's differ: a station's reading in stations.csv for
        its name, also at the head of a longer one (天下茶屋 てんがちゃや, 天下茶屋東 てんがちゃやひがし, 十三東
        じゅうそうひがし, 天満 てんま; Sudachi: てんかちゃや, じゅうさんひがし, てんまん), and :data:`_READING_FIXES`
        (墨江 すみえ). ``name`` is folded (:func:`town_base`). Empty when neither knows it: the dictionary's stands."""
        if name in self._name_readings:
            return self._name_readings[name]
        self._name_readings[name] = set()  # (no loop through the direction rule)
        out = self._station_head_readings(name) or self._station_part_readings(name)
        if (not out and len(name) > 2 and name[-1] in "東西南北" and (head := name[:-1]) in self._town_bases
                and not (self.reading(name) or "").endswith(_ONE_KANJI_READINGS[name[-1]])):
            # 大今里南: 大今里 + みなみ (Sudachi: おおいまさとな; 中川西 なかがわさい, 新喜多東 しぎたあずま)
            out = {h + _ONE_KANJI_READINGS[name[-1]] for h in self.name_readings(head) or {self.reading(head)} - {None}}
        self._name_readings[name] = out
        return out

    def _station_part_readings(self, name: str) -> set[str]:
        """A name that is the head or the tail of a station's, read by the station's reading less the other part's:
        大国 (大国町 だいこくちょう less ちょう: だいこく; Sudachi たいこく), 上本町 (大阪上本町 less おおさか: うえほんまち)."""
        out: set[str] = set()
        for station, readings in self.station_readings.items():
            if len(station) <= len(name) or name not in station or len(name) < 2:
                continue
            if station.startswith(name):
                rest = station[len(name):]
                tails = _cho_or_machi(self.reading(rest) or "") if rest != "町" else {"ちょう", "まち"}
                out |= {r[:-len(t)] for r in readings for t in tails if t and r.endswith(t) and len(r) > len(t)}
            elif station.endswith(name) and (head := self.reading(station[:-len(name)])):
                out |= {r[len(head):] for r in readings if r.startswith(head) and len(r) > len(head)}
        return out

    def _station_head_readings(self, name: str) -> set[str]:
        """A station's name at the head of ``name`` (or all of it), read by the station's reading."""
        out: set[str] = set()
        for i in range(len(name), 1, -1):  # (the stations' keys are their folded kanji names)
            head = name[:i]
            fixed = self.station_readings.get(head) or ({_READING_FIXES[head]} if head in _READING_FIXES else None)
            if not fixed:
                continue
            if i == len(name):
                out = set(fixed)
                break
            whole, alone, tail = self.reading(name), self.reading(head), name[i:]
            if whole and alone and whole.startswith(alone):  # 十三東: じゅうさん|ひがし
                out = {f + whole[len(alone):] for f in fixed}
            else:
                rest = self.reading(tail) if len(tail) > 1 else _ONE_KANJI_READINGS.get(tail)
                out = {f + rest for f in fixed} if rest else set()
            break
        return out

    def reading(self, name: str) -> str | None:
        """The hiragana reading of ``name`` by the Sudachi dictionary (姫島 → ひめしま), or ``None``."""
        if name in _READING_FIXES:
            return _READING_FIXES[name]
        if name not in self._readings:
            with self._reader_lock:
                if self._reader is None:
                    from nlp import sudachi

                    self._reader = sudachi.tokenizer("C")
                kata = "".join(m.reading_form() for m in self._reader.tokenize(name))
            ok = len(kata) >= 2 and all("\u30a1" <= ch <= "\u30fc" for ch in kata)
            if len(self._readings) >= _READINGS_KEPT:  # posts' ward candidates: keep the cache bounded
                self._readings.clear()
            self._readings[name] = hiragana(kata) if ok else None
        return self._readings[name]

    def names_starting(self, prefix: str, limit: int = 64) -> list[str]:
        """Keys that begin with ``prefix`` and are longer (長居 → 長居公園, 長居植物園…), at most ``limit``."""
        node = self._trie
        for ch in prefix:
            node = node.get(ch)
            if node is None:
                return []
        out: list[str] = []
        stack = [child for ch, child in node.items() if ch]
        while stack and len(out) < limit:
            node = stack.pop()
            if "" in node:
                out.append(node[""])
            stack.extend(child for ch, child in node.items() if ch)
        return out

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """Longest non-overlapping matches ``(start, end, key)`` left to right in normalised text."""
        found: list[tuple[int, int, str]] = []
        text = text.translate(HANZI_TO_KANJI)
        i, n = 0, len(text)
        trie = self._trie
        while i < n:
            node = trie.get(text[i])
            best = None
            j = i
            while node is not None:
                j += 1
                if "" in node:
                    best = (i, j, node[""])
                if j >= n:
                    break
                node = node.get(text[j])
            if best is not None and not _inside_a_word(text, best[0], best[1]):
                found.append(best)
                i = best[1]
            else:
                i += 1
        return found
