"""Geoparsing: the most specific place inside the area that a post mentions.

Order of specificity (taxonomy.md): address (町丁目・番地) > town > facility/shelter
> landmark > station > ward. A place right after another city's name
(東京都北区, 神戸市中央区, 京都市北区, 堺市北区) is outside the area; when a post names
another city, bare ward and town names are not trusted. A post naming no place
gets no location — never a city-centre pin.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

import resources
from nlp.gazetteer import HANZI_TO_KANJI, Gazetteer, Place, key, romanise
from nlp.normalise import hiragana

log = logging.getLogger(__name__)

#: Kinds in the order one name's places are preferred (a town before the station of its name).
PRECISION_ORDER = ("town", "facility", "shelter", "landmark", "station", "ward")
PRECISION_RANK = {"address": 0, "town": 1, "facility": 2, "landmark": 3, "station": 4, "ward": 5}
_KIND_PRECISION = {"facility": "facility", "shelter": "facility", "landmark": "landmark", "station": "station"}
_AFTER_NUMBER = re.compile(r"(\d{1,2})(?:丁目|-\d|番|の\d|(?![\d万円人回時分歳年月日件台号機本階%度cmmk個名]))")
_OTHER_MUNICIPALITY = re.compile(r"^(?:市|県|町(?![\d会内])|村)")  # 加美北2丁目町会 is a 町会, not a 町
#: A name followed by these is a river, railway line or street, not the place: 平野川, 中央線, 谷町筋.
_NOT_A_PLACE_AFTER = frozenset("川線筋")
#: "大阪市の北区ちゃうで", "梅田じゃなくて": a place the post says it is not about.
_NEGATED_AFTER = re.compile(r"^(?:の(?:話|こと|ほう|方))?(?:ちゃう|とちゃう|と違|じゃな|ではな|やなく|やない|でなく|と(?:まちが|間違)え)")
#: 「ユニバ帰りの人」, 「ユニバから帰られへん人が西九条に」: where people come from, when the post names another place.
_ORIGIN_AFTER = re.compile(r"(?:帰り|がえり|から(?:の)?(?:帰|かえ|戻|もど))")
_KANA_CITY_PARTICLE = re.compile(r" ?(?:の|で|に|へ|から|まで|ノ|デ|ニ|ヘ|カラ|マデ)(?![ぁ-ゖァ-ヺ])")
#: 「尼崎で電車止まって梅田に行けない」 (and in romaji): in a post about another city, where the writer cannot get to.
_DESTINATION_AFTER = re.compile(r"\s?(?:に|へ|まで|ni|e|made)\s?(?:行け|行かれ|いけ|いかれ|帰れ|かえれ|戻れ|もどれ|向かえ|むかえ"
                                r"|ikena|ikene|ikahen|kaerena|modorena)")
#: 「海岸通・築港方面の方は」, 「梅田方面の電車」: a direction (the names listed before it go with it).
_DIRECTION_AFTER = re.compile(r"(?:[・、][一-龥ぁ-んァ-ヶ]{1,8})*(?:方面|方向)")
#: 「神崎川の堤防」, 「かんざきがわ の ていぼう」: a name ending in 川 before a river's word is the river, not the
#: station or town of its name.
_RIVER_AFTER = re.compile(r"\s?の?\s?(?:堤防|ていぼう|水位|すいい|河川敷|かせんじき|土手|どて|川沿い|護岸|水門|があふれ|が溢れ|氾濫|はんらん|決壊|けっかい)")
#: 「大阪の京橋は平和です」, 「住吉区の浅香は大丈夫やで」, 「千日前のとは別件」: in a post about another city, the
#: Osaka place it says is unaffected (a namesake set against the other city's) is no place of the post.
_UNAFFECTED_AFTER = re.compile(
    r"(?:の?(?:ほう|方|とこ))?(?:は|も)(?:平和|大丈夫|だいじょうぶ|無事|何とも|なんとも|問題な|関係な|静か|平気|いつも通り"
    r"|(?:雨|風)(?:は|も)?(?:やん|止ん))|の?(?:と|とは)(?:別件|別の|関係な|大違い|違|ちが)")
_LINE_OR_DIRECTION = re.compile(r"(?:本線|線|方面|行き|行|方向)")
#: "阪神・淡路大震災", "大阪府北部地震": a place inside the name of a past disaster.
#: "阪神淡路の時": 淡路 as the second half of the 1995 disaster's name, not the station.
_DISASTER_NAME_BEFORE = re.compile(r"阪神・?$")
_DISASTER_NAME_AFTER = re.compile(r"^(?:・[一-龥]{1,4})?(?:大震災|震災|(?:北部|南部|東部|西部)?地震|豪雨|大水害|大空襲)")
#: A leading 【…】 names the account posting (【北区役所】, 【大阪市消防局】, 【鷺洲3丁目町会】).
_HEADER = re.compile(r"^\s*【[^】]{1,24}】")
_OSAKA_PREFIX = re.compile(r"(?:大阪府)?大阪市?の?$")
#: 「河内長野の妹が大阪市内に出張中…北区のホテル」: once the post has said it is in Osaka City, a bare ward after is its.
_IN_OSAKA_CITY = re.compile(r"(?<!東)大阪市(?:内|の中)")
#: "仙台市", "東京都" right before a ward name: another municipality's ward; also a town in another
#: city's address, 神戸市東灘区住吉|本町, 神戸市東灘区の住吉|本町 (a kanji run after the city or ward).
_CITY_BEFORE = re.compile(r"([一-龥ぁ-んァ-ヶ]{1,5})[市都](?:の?[一-龥]{1,4}区)?(?:の?[一-龥]{1,4})?の?$")
#: Osaka stations and towns whose names are as well known elsewhere (鹿児島の桜島, 淡路島, 東京の日本橋,
#: 神戸の元町, 千葉県野田市): in a post that names another city they count only with 駅 or 大阪.
NAMES_SHARED_ELSEWHERE = frozenset("桜島 淡路 福島 日本橋 京橋 元町 本町 住吉 野田 鶴見 中津 平野 大正 天満 今里".split())
#: Where the namesake of some of them is (the rest are towns in many cities): with only other places named
#: (守口まで歩く, 淡路〜茨木市間) such a name is Osaka's own. Matched in the other places' names as written.
SHARED_WITH = {
    "京橋": ("東京", "tokyo", "銀座"), "日本橋": ("東京", "tokyo", "銀座"), "桜島": ("鹿児島", "kagoshima"),
    "淡路": ("淡路", "兵庫", "神戸", "明石", "洲本", "awaji", "kobe"),
    "福島": ("福島", "fukushima", "いわき", "郡山", "会津", "東北"), "野田": ("千葉", "chiba", "野田市"),
    "鶴見": ("横浜", "神奈川", "yokohama"), "中津": ("大分", "九州", "oita"),
}
#: Another place's name that is a surname (千葉さん, 松原くん) or part of a word (大津波, 大分揺れた: だいぶ).
_SURNAME_AFTER = re.compile(r"さん|くん|君|ちゃん|様|氏|先生|選手|課長|部長|社長")
_WORD_AFTER = {"大津": re.compile(r"波"),
               "大分": re.compile(r"[ぁ-ゖ](?<![でにのはもへやとかま])|[前後経揺良楽減増落疲寒暑待遅早違変昔遠近弱強古慣多少]")}


def _a_word_not_the_city(text: str, m: re.Match[str]) -> bool:
    after = _WORD_AFTER.get(m.group(0))
    return bool(_SURNAME_AFTER.match(text, m.end()) or (after is not None and after.match(text, m.end())))


#: Bare town names that are everyday words or common surnames; they count only with a ward or a 丁目/番地.
TOWN_STOPLIST = frozenset(
    "中央 本町 新町 元町 上町 大宮 日本橋 野田 木津川 田中 中川 中野 中本 北村 吉野 大野 安田 小松 川口 本田 杉本 "
    "永田 田島 石田 菅原 西脇 高見 相川 中島 西島 古市 長橋 平尾 宮原 田川 浮田 朝日 稲荷 山王 太子 弁天 幸町 旭町 "
    "錦町 同心 島屋 島町 中道 東平 石町 今市 中寺 中宮 林寺 千島 大国 鶴見 住吉 高津 赤川 池島".split()
)
#: A bare two-character town counts only when followed by a place-like word: 堂島で, 豊崎付近, 鷺洲の交差点.
_PLACE_CONTEXT = re.compile(r"(?:で|に|へ|から|まで|大橋|橋|付近|周辺|あたり|辺り|近く|一帯|界隈|方面|らへん|の(?:交差点|辺|近く|あたり|方|住宅|商店街|マンション|アパート|公園|駅|ビル|家|店|工場|倉庫|路地|病院|学校|地下|団地|川沿い|堤防|道|通り|ほう"
                            # a home, a relative or a shop there: 喜連のおばあちゃん, 鶴町の実家, 〇〇の薬局
                            r"|実家|(?:お)?(?:ばあ|じい)ちゃん|独居|薬局|スーパー|コンビニ|銭湯|長屋|文化住宅|神社|お寺"
                            r"|保育園|幼稚園|施設|老人ホーム))")


_KANJI = re.compile(r"[一-龥々]")
#: Suffixes that end a municipality's or ward's name: what may stand right before a place name.
_NAME_BOUNDARY = frozenset("区市府県都郡")


#: The name before a 市/都 that is Osaka City's own: 大阪, 大阪市 (大阪市都島区), never 東大阪.
_OSAKA_CITY_NAME = re.compile(r"(?<!東)大阪市?$")
_NAME_CHAR = re.compile(r"[一-龥々ノヶケ]")


def _glued_to_a_name(text: str, start: int) -> bool:
    """A kanji (or ノ/ヶ) right before ``start`` that does not end a municipality's or ward's name."""
    return start > 0 and bool(_NAME_CHAR.match(text[start - 1])) and text[start - 1] not in _NAME_BOUNDARY


def inside_another_name(text: str, start: int, end: int, name: str) -> bool:
    """A match in the middle of a longer name: 東難波町 holds 難波, 西長洲町 holds 長洲.

    A name is matched whole: a kanji right before it (other than the 区/市 that ends a municipality's
    name) together with a 町 right after it makes it part of another town's name, which the
    gazetteer does not know (a town of 尼崎市, 東大阪市, 京都市...).
    """
    if start == 0 or end >= len(text) or name.endswith("町"):
        return False
    before, after = text[start - 1], text[end]
    return bool(_KANJI.match(before)) and before not in _NAME_BOUNDARY and after == "町"


#: The 24 wards' names in segments with their readings, for misspelled and half-kana ward names
#: (西なり区, 東すみ吉区, 阿部野区): every mix of kanji and kana segments is a spelling.
WARD_SEGMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "北区": (("北", "きた"),), "都島区": (("都", "みやこ"), ("島", "じま")), "福島区": (("福", "ふく"), ("島", "しま")),
    "此花区": (("此", "この"), ("花", "はな")), "中央区": (("中", "ちゅう"), ("央", "おう")),
    "西区": (("西", "にし"),), "港区": (("港", "みなと"),), "大正区": (("大", "たい"), ("正", "しょう")),
    "天王寺区": (("天", "てん"), ("王", "のう"), ("寺", "じ")), "浪速区": (("浪", "なに"), ("速", "わ")),
    "西淀川区": (("西", "にし"), ("淀", "よど"), ("川", "がわ")),
    "淀川区": (("淀", "よど"), ("川", "がわ")), "東淀川区": (("東", "ひがし"), ("淀", "よど"), ("川", "がわ")),
    "東成区": (("東", "ひがし"), ("成", "なり")), "生野区": (("生", "いく"), ("野", "の")),
    "旭区": (("旭", "あさひ"),), "城東区": (("城", "じょう"), ("東", "とう")),
    "鶴見区": (("鶴", "つる"), ("見", "み")), "阿倍野区": (("阿", "あ"), ("倍", "べ"), ("野", "の")),
    "住之江区": (("住", "すみ"), ("之", "の"), ("江", "え")), "住吉区": (("住", "すみ"), ("吉", "よし")),
    "東住吉区": (("東", "ひがし"), ("住", "すみ"), ("吉", "よし")), "西成区": (("西", "にし"), ("成", "なり")),
    "平野区": (("平", "ひら"), ("野", "の")),
}
#: 地区, 学区, 選挙区, 特区...: words ending in 区 that are no ward.
_NOT_A_WARD_STEM = ("地", "学", "挙", "特", "管", "校", "市", "工", "域", "街", "教", "漁", "禁", "鉱", "戦")
#: A ward's name before 区, or before a kana く (城東く, 都島くで) that is no くん, くらい, くる, くれ...
_WARD_CANDIDATE = re.compile(r"([一-龥ぁ-んノケ]{2,5})(?:区(?![域画間分別])|く(?![んらりるれろさしすせそちつだ]))")


def _spellings(segments: tuple[tuple[str, str], ...]) -> set[str]:
    out = {""}
    for kanji, kana in segments:
        out = {s + kanji for s in out} | {s + kana for s in out}
    return out


_WARD_SPELLINGS = {ward: _spellings(segs) for ward, segs in WARD_SEGMENTS.items()}
_WARD_READINGS = {ward: "".join(kana for _, kana in segs) for ward, segs in WARD_SEGMENTS.items()}
_WARD_ROMAN = {ward: romanise(kana) or "" for ward, kana in _WARD_READINGS.items()}
_LATIN_WARD_HINT = re.compile(r"[a-z](?:-ku\b| ku\b| ward\b)")
_LATIN_WARD = re.compile(r"(?<![a-z])([a-z]+(?:[- ][a-z]+)?)(?:-ku\b| ku\b| ward\b)")
_WARD_KANJI = frozenset(kanji for segs in WARD_SEGMENTS.values() for kanji, _ in segs)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def misspelled_ward(stem: str, reading: str | None = None) -> str | None:
    """The ward a misspelled or half-kana name means (西なり → 西成区, 東すみ吉 → 東住吉区, 阿部野 → 阿倍野区).

    A spelling that mixes a ward's kanji and kana is that ward; so is a name read like exactly one
    ward that keeps one of its kanji (``reading``, the stem's dictionary reading: 浪花 なにわ → 浪速区,
    淀側 よどがわ → 淀川区, 住ノ江 → 住之江区; 対象 たいしょう keeps no kanji of 大正区); otherwise one edit
    away from exactly one ward's spellings (names of 3+ characters only), else ``None``: never a guess
    between two wards.
    """
    exact = [ward for ward, spellings in _WARD_SPELLINGS.items() if stem in spellings]
    if exact:
        return exact[0] if len(exact) == 1 else None
    if stem.endswith(_NOT_A_WARD_STEM):
        return None
    if reading:
        homophones = [ward for ward, kana in _WARD_READINGS.items()
                      if kana == reading and any(kanji in stem for kanji, _ in WARD_SEGMENTS[ward])]
        if len(homophones) == 1:
            return homophones[0]
    if len(stem) < 3:
        return None
    # a typo (阿部野, 西淀側): one edit away, and two of the ward's own kanji kept (この地区 is no 此花区)
    near = [ward for ward, spellings in _WARD_SPELLINGS.items()
            if sum(1 for kanji, _ in WARD_SEGMENTS[ward] if kanji in stem) >= 2
            and any(abs(len(s) - len(stem)) <= 1 and _edit_distance(stem, s) <= 1 for s in spellings)]
    return near[0] if len(near) == 1 else None


def _exact_or_homophone(stem: str, reading: str | None) -> str | None:
    """A ward spelled exactly (mixing its kanji and kana) or read like it; no edit distance (城東く, 都島く)."""
    exact = [ward for ward, spellings in _WARD_SPELLINGS.items() if stem in spellings]
    if len(exact) == 1:
        return exact[0]
    return misspelled_ward(stem, reading) if reading and not exact and len(stem) < 3 else None


#: Romanised 丁目 in English posts: "Tenjinbashi 3-chome", "Namba 1-2-3" and "2-chome Tenjinbashi".
_CHOME_WORD = r"(?:ch[oō]u?me\b|丁目)"  # chome, choume, chōme, 丁目 after a Latin name
_LATIN_CHOME_HINT = re.compile(r"[a-z]\s?-?\d|\d\s?-?\s?ch[oō]")
_LATIN_NAME_WORDS = r"[a-z]+(?:[- ][a-z]+){0,3}"
_ROMAN_CHOME_AFTER = re.compile(
    rf"(?<![a-z])(?P<name>{_LATIN_NAME_WORDS})[ -]?(?P<n>\d{{1,2}})(?:[ -]?{_CHOME_WORD}|-\d{{1,4}}(?![\d:])"
    r"(?!\s?(?:hours?|hrs?|h\b|min|minutes?|days?|times?|people|persons?|km|m\b|am\b|pm\b)))")
#: "Tsurumachi 4, Taisho", "Tsukuda 3: water…", "in Utajima 2 is": a town and its 丁目 number alone, which
#: counts only where the number ends the phrase and counts nothing (not "Umeda 2 hours", "Juso 3 stops").
_ROMAN_TOWN_NUMBER = re.compile(
    rf"(?<![a-z])(?P<name>{_LATIN_NAME_WORDS}) (?P<n>\d{{1,2}})(?=[\s,;!?)]|[:.](?!\d)|$)"
    r"(?!\s?(?:hours?|hrs?|h\b|min|mins|minutes?|days?|weeks?|months?|years?|times?|people|persons?|km|m\b|am\b|pm\b"
    r"|stops?|stations?|exits?|floors?|stor(?:e?y|ies)|lines?|platforms?|blocks?|cars?|bus(?:es)?|trains?|yen|kids?"
    r"|children|adults?|men|women|elderly|households?|houses?|homes?|buildings?|o'clock|%|st\b|nd\b|rd\b|th\b))")
_ROMAN_CHOME_BEFORE = re.compile(rf"(?<![\d-])(?P<n>\d{{1,2}})[ -]?ch[oō]u?me,? (?P<name>{_LATIN_NAME_WORDS})")
_LATIN_WORD = re.compile(r"[a-z]+")
#: A romanised town name long enough to be no English word: "Soemoncho", "Kitahorie", "Sakurajima", "Juso-higashi".
LONG_ROMAN_TOWN = 7
#: "Fukushima Prefecture", "Nakatsu City": another municipality's name in Latin, as 県/市 after a kanji name.
_LATIN_MUNICIPALITY_AFTER = re.compile(r"[ -](?:prefecture|pref\b|city\b|shi\b|ken\b|town\b|village\b|island\b)")
_TWO_LATIN_WORDS = re.compile(r"[a-z]{2,} [a-z]{2,}|[a-z]{9,}")
_LONG_LATIN_WORD = re.compile(rf"[a-z]{{{LONG_ROMAN_TOWN},}}|[a-z]{{3,}}-[a-z]{{3,}}")
#: 尻無川の水門, 毛馬の閘門, 天保山の大橋, 長居の公園: a river facility, bridge or park named with の between
#: its parts.
_JOINED_FACILITY = re.compile(
    r"([一-龥ぁ-んァ-ヶ]{1,6})の(水門|閘門|樋門|排水機場|大橋|橋|大堰|トンネル|防潮堤|堤防|公園|緑地)")
#: 平野くん, 中島君, 福島ちゃん: a person's name, not the place.
#: a kana word right after a ward (「みなとく いちおか」, 「港区 いちおかで」): a town of that ward read in kana,
#: with a particle after it at most
_KANA_WORD_AFTER = re.compile(r"[ の]?([ぁ-ゖァ-ヺー]{2,})")
_WORDLIKE_KANA_WARDS = {"きたく": "北区", "にしく": "西区"}
_WORDLIKE_KANA_WARD = re.compile(r"(?<![ぁ-ゖァ-ヺー])(?:きたく|にしく|キタク|ニシク)")
_KANA_PARTICLES = frozenset("の で に は へ が も や から まで より".split()) | {""}
#: A kana word of its own in a post written in words (「しんさいばし に いる」, 「べんてんちょう。」): after the start,
#: a space or a punctuation mark, and before one, a particle and one, or a 丁目 (「くじょう 1丁目」).
_KANA_RUN = re.compile(r"(?<![ぁ-ゖァ-ヺー一-龥々a-z0-9])[ぁ-ゖァ-ヺー]{3,}|(?<=[ぁ-ゖァ-ヺー] )[ぁ-ゖァ-ヺー]{2,}")
_WORD_END = re.compile(r"(?:の|で|に|は|へ|が|も|から|まで|より|や|と)?(?=$|[\s、。,.!?！？」』)）:：/…~])")
#: 西淀川区佃3-2-17, 鶴見区浜2丁目: a one-kanji town (佃, 浜, 松, 泉, 橘, 旭) right after its ward, with its 丁目.
_ONE_KANJI_TOWN = re.compile(r"([一-龥])(\d{1,2})(?=丁目|-\d|番|$|[^\d])")
_KANA_CHOME_AFTER = re.compile(r" ?(\d{1,2})丁目")
#: a Latin word and a hyphen right before a Latin name: the name is the tail of a longer one (Ichioka-motomachi),
#: unless the word is a direction, which names a town near the one it is added to (Higashi-Shinsaibashi)
_LATIN_GLUED_BEFORE = re.compile(r"(?<![a-z])([a-z]+)-$")
_LATIN_DIRECTIONS = frozenset("higashi nishi kita minami naka shin kami shimo oku".split())
#: a name written in kana only (かみしょうがっこう, くじょうえき): matched inside a longer kana word it is part of it,
#: unless a particle ends the word before (ちかくの かみしょうがっこう, いまくじょうえき is no boundary)
_KANA_ONLY_NAME = re.compile(r"[ぁ-ゖァ-ヺー\d 丁目]+")


def _same_kana_script(a: str, b: str) -> bool:
    """Both hiragana or both katakana (とまってコスモスクエア: a change of script is a word boundary)."""
    return ("ぁ" <= a <= "ゖ" and "ぁ" <= b <= "ゖ") or ("ァ" <= a <= "ヺ" and "ァ" <= b <= "ヺ")


_KANA_PARTICLE_CHARS = frozenset("のにではがをへもとやね")
#: A 丁目 said with a kana numeral (「てんがちゃや にちょうめ」, 「ももだにさんちょうめ」; katakana read in hiragana).
_KANA_NUMERAL = r"(?P<n>いっ|いち|に|さん|よん|ご|ろっ|ろく|なな|しち|はっ|はち|きゅう|じゅっ|じっ|じゅう)(?:ちょうめ|ちょーめ)"
_KANA_NUMERAL_CHOME_AFTER = re.compile(rf" ?{_KANA_NUMERAL}")
_KANA_NUMERAL_CHOME_IN = re.compile(rf"(?P<town>[ぁ-ゖー]{{2,}}?){_KANA_NUMERAL}")
_KANA_NUMERALS = {"いっ": 1, "いち": 1, "に": 2, "さん": 3, "よん": 4, "ご": 5, "ろっ": 6, "ろく": 6, "なな": 7, "しち": 7,
                  "はっ": 8, "はち": 8, "きゅう": 9, "じゅっ": 10, "じっ": 10, "じゅう": 10}
#: A word for a place there after a kana name that is also an everyday word (つるはしの しょうてんがい, たにまちの
#: こうさてん): the name, not the word (「みなみの ほう」 stays "the south": ほう is no such word).
_KANA_PLACE_AFTER = re.compile(r"の ?(?:しょうてんがい|えき|ちかく|あたり|へん|こうさてん|えきまえ|しゅうへん|ふきん|"
                               r"ショウテンガイ|エキ|チカク|アタリ|コウサテン|商店街|駅|近く|辺り|交差点|周辺|付近)")
#: Readings of Osaka places that are as often another word (南開 なんかい: 南海 the railway, 何回; 豊新 ほうしん: 方針;
#: 成育 せいいく: 生育; 南方 なんぽう: "southern"; 大道 だいどう: 大同), another name (万代 ばんだい, 竹島 たけしま) or hills
#: (山坂 やまさか): as a kana word of their own they are not read.
KANA_STOPLIST = frozenset("なんかい ほうしん せいいく なんぽう だいどう ずいこう ばんだい たけしま やまさか".split())
_KANA_SPAN = re.compile(r"[ぁ-ゖァ-ヺー ]+")
#: a short katakana name (キタ, ミナミ): in a post without kanji a word as well (来た, 南)
_SHORT_KATAKANA = re.compile(r"[ァ-ヺー]{2,3}")
_KATAKANA = re.compile(r"[ァ-ヺー]")
_PERSON_AFTER = re.compile(r"^(?:くん|君|ちゃん|氏)")
#: 市大の病院, 大阪市立大学病院: the university's hospital, not its campus (often in another ward).
_HOSPITAL_AFTER = re.compile(r"の?(?:医学部|歯学部)?(?:附属|付属)?病院")


def _load_markers() -> list[str]:
    lines = resources.path("lexicon", "out_of_area.txt").read_text(encoding="utf-8").splitlines()
    return sorted({key(x) for x in lines if x.strip() and not x.startswith("#")}, key=len, reverse=True)


@dataclass
class Location:
    place: str | None = None
    ward: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    out_of_area: bool = False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class Geoparser:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        markers = [rf"\b{re.escape(m)}\b" if m.isascii() else re.escape(m) for m in _load_markers()]
        self._marker_any = re.compile("|".join(markers))
        self._marker_before = re.compile("(?:" + "|".join(markers) + r")[市都府県]?[の・ ]?$")
        #: other cities' names in kana (おおさか, ふくしま, こうべ): a kana word spelling one is never an Osaka place
        #: read alike (逢阪 おおさか, 福島 ふくしま), as the kanji would not be
        names = [m for m in _load_markers() if not m.isascii()] + ["大阪", "大阪市", "大阪府"]
        self._kana_elsewhere = {r for m in names for r in (gazetteer.reading(m), gazetteer.reading(m.rstrip("市都府県区")))
                                if r}
        #: ... and as a word of a kana post, another city named (「こうべ の ちゅうおうく」): not 大阪, not a reading an Osaka
        #: place shares (ふくしま), not an everyday word (さかい: 境)
        osaka = {gazetteer.reading(n) for n in ("大阪", "大阪市", "大阪府")}
        shared = set(gazetteer.kana_names) | {k for of_ward in gazetteer.kana_towns.values() for k in of_ward}
        self._kana_cities = {r for r in self._kana_elsewhere - osaka - shared
                             if len(r) >= 3 and not gazetteer._everyday_word(r)}

    def locate(self, text: str, matches: list[tuple[int, int, str]] | None = None) -> Location:
        """``text`` must already be normalised (:func:`nlp.normalise.normalise`); ``matches``: its gazetteer scan."""
        text = text.translate(HANZI_TO_KANJI)  # 难波站 → 難波駅, as Gazetteer.scan reads it
        if matches is None:
            matches = self.gaz.scan(text)
        # another city's name is matched whole, never inside an Osaka town's: 西宮原 ⊃ 西宮, 和泉町 ⊃ 和泉,
        # 小松原町 ⊃ 松原 (淡路島 ⊃ 淡路 is the other way round: the longer name is the other place)
        markers = [m for m in self._marker_any.finditer(text)
                   if not any(s <= m.start() and m.end() <= e and e - s > m.end() - m.start() for s, e, _ in matches)
                   and not _a_word_not_the_city(text, m)]
        # 「尼崎側ちゃうで」 is not about 尼崎; 阪急京都線, 神戸方面, 奈良行き name a line or a direction
        other_city = any(not _NEGATED_AFTER.match(re.sub(r"^(?:側|の方|のほう)", "", text[m.end():m.end() + 8]))
                         and not _LINE_OR_DIRECTION.match(text, m.end())
                         for m in markers)
        # a case particle after it, glued or a word of its own (「こうべ の」, 「あまがさきで」; not 「おなか すいた」: 空いた)
        kana_cities = [m for m in _KANA_RUN.finditer(text)
                       if (w := hiragana(m.group())) and (
                           (re.sub(r"(?:の|で|に|へ|から|まで)$", "", w) in self._kana_cities and w not in self._kana_cities)
                           or (w in self._kana_cities and _KANA_CITY_PARTICLE.match(text, m.end())))]
        other_city = other_city or bool(kana_cities)
        matches = self._with_romanised_chome(text, self._with_misspelled_wards(text, matches))
        matches = self._with_joined_facilities(text, matches)
        matches = self._with_kana_towns_of_wards(text, matches)
        matches = self._with_kana_words(text, matches)
        matches = self._with_one_kanji_towns(text, matches)
        if _LATIN_WARD_HINT.search(text):
            matches = self._with_misspelled_latin_wards(text, matches)
            matches = self._with_romanised_towns_of_named_wards(text, matches)
        if _LONG_LATIN_WORD.search(text):
            matches = self._with_long_romanised_towns(text, matches)
        if _TWO_LATIN_WORDS.search(text):
            matches = self._with_romaji_names(text, matches)
        wards: set[str] = set()
        kept: list[tuple[int, int, str, list[Place]]] = []
        marker_spans = [m.span() for m in markers]
        foreign: set[str] = set()  # names this post has placed in another city
        for start, end, name in matches:
            if any(s < end and start < e for s, e in marker_spans):
                continue  # 淡路 inside 淡路島: part of another place's name
            places = self.gaz.index[name]
            before, after = text[max(0, start - 12) : start], text[end : end + 6]
            if _SHORT_KATAKANA.fullmatch(name) and start > 0 and _KATAKANA.match(text[start - 1]):
                continue  # ハイッテキタ: キタ ends a katakana word (来た), it is no district

            if inside_another_name(text, start, end, name):
                continue  # 東難波町 (尼崎市): 難波 inside another town's name
            if name[:1].isascii() and (glued := _LATIN_GLUED_BEFORE.search(text, 0, start)) \
                    and glued.group(1) not in _LATIN_DIRECTIONS:
                continue  # "Ichioka-motomachi 2-chome": motomachi is the tail of a longer name, not 元町 (浪速区)
            if _KANA_ONLY_NAME.fullmatch(name) and start > 0 and text[start - 1] not in _KANA_PARTICLE_CHARS \
                    and _same_kana_script(text[start - 1], name[0]):
                continue  # たかみしょうがっこう ⊃ かみしょうがっこう: a kana name inside a longer kana word
            if other_city and _glued_to_a_name(text, start) and not any(p.kind == "ward" for p in places):
                continue  # 東大阪市長田中 ⊃ 田中, 尼崎市上ノ島町 ⊃ 島町: inside the other city's town name
            if _PERSON_AFTER.match(after) and not any(p.kind == "ward" for p in places):
                continue  # 平野くん: a person
            if after[:1] in "ケノ" and _KANJI.match(after[1:2]) and not any(p.kind == "ward" for p in places):
                continue  # 三国ケ丘 (堺市), 桜ノ宮… matched whole when known: 三国 is only part of that name
            hospital = _HOSPITAL_AFTER.match(text, end)
            if hospital and any("大学" in p.name or "キャンパス" in p.name for p in places):
                name = self._hospital_of(name)
                if name is None:
                    continue  # a university's hospital the gazetteer does not know: not its campus either
                places, end = self.gaz.index[name], hospital.end()
                after = text[end : end + 6]
            if other_city and _DESTINATION_AFTER.match(text, end):
                continue  # 「amagasaki de densha tomatte umeda ni ikenai」: where the writer cannot get to
            if _DIRECTION_AFTER.match(text, end) and any(e2 <= start or s2 >= _DIRECTION_AFTER.match(text, end).end()
                                                         for s2, e2, _ in matches):
                continue  # 「弁天小学校を開設…海岸通・築港方面の方は」: a direction or the area addressed, not the place
            if _ORIGIN_AFTER.match(after) and any(n != name for _, _, n in matches):
                continue  # ユニバ帰りの人で安治川口の駅前ぎゅうぎゅう: where they come from, not where it happens
            if after.startswith("環状線"):
                continue  # JR大阪環状線: a line named after the place
            if after[:1] in _NOT_A_PLACE_AFTER and name[-1] not in _NOT_A_PLACE_AFTER:
                continue  # 平野川, 谷町線, 谷町筋: a river, line or street named after the place
            if all(p.kind == "station" and p.name.endswith(("川", "川駅")) for p in places) \
                    and _RIVER_AFTER.match(text, end):
                continue  # 神崎川の堤防: the river, not 神崎川 station (a town of the river's name stands: 安治川)
            if _NEGATED_AFTER.match(after) or (other_city and foreign and _UNAFFECTED_AFTER.match(text, end)):
                if kept and text[kept[-1][1]:start] in ("", "の") and any(p.kind == "ward" for p in kept[-1][3]):
                    kept.pop()  # 住吉区の遠里小野とちゃうで: the ward goes with the name it leads
                    wards = {next(p.ward for p in k[3] if p.kind == "ward") for k in kept
                             if any(p.kind == "ward" for p in k[3])}
                continue
            if name[-1] not in "区駅" and (_DISASTER_NAME_AFTER.match(after) or (
                    _DISASTER_NAME_BEFORE.search(before) and not after.startswith("駅"))):
                continue
            if foreign and any(name.startswith(f) for f in foreign) and not _OSAKA_PREFIX.search(before):
                continue  # 名古屋市港区 … 港区役所, 福島市 … 福島で: the same name again, still that city's
            if self._marker_before.search(before) or any(
                    re.fullmatch(r"(?:の|で|に|は)?[ の]{0,3}", text[m.end():start]) for m in kana_cities):
                foreign.add(name)
                continue  # 神戸市中央区, 東京の北区, こうべ の ちゅうおうく: another city's place
            city = _CITY_BEFORE.search(before)
            if city and not _OSAKA_CITY_NAME.search(city.group(1)):
                other_city = True
                foreign.add(name)
                continue  # 仙台市青葉区, 新潟市中央区, 東京都中央区京橋, 横浜市中区元町
            if _OTHER_MUNICIPALITY.match(after) and not any(p.kind == "ward" for p in places):
                if not name.endswith("駅"):
                    foreign.add(name)
                    continue  # 福島県, 八尾市
            ward_places = [p for p in places if p.kind == "ward"]
            if other_city and _SHORT_KATAKANA.fullmatch(name) and not _KANJI.search(text):
                continue  # 「トウキョウ ノ トモダチ カラ … メール キタ」: in a kana post about another city キタ is 来た
            shared = name in NAMES_SHARED_ELSEWHERE and any(
                region in m.group(0) for m in markers for region in SHARED_WITH.get(name, (m.group(0),)))
            if other_city and (ward_places or shared) and not _OSAKA_PREFIX.search(before) \
                    and not (ward_places and _IN_OSAKA_CITY.search(text, 0, start)):
                continue  # a bare ward name, 鹿児島の…桜島, 東京の中央区、日本橋: names the other city has too
            if ward_places:
                wards.add(ward_places[0].ward)
            kept.append((start, end, name, places))
        if wards and not _KANJI.search(text):
            # 「ミズ キタ ミナトク」: in a kana-only post a short katakana name of another ward than the one
            # named is a word (来た), not a second place
            kept = [k for k in kept if not (_SHORT_KATAKANA.fullmatch(k[2]) and not any(p.ward in wards for p in k[3]))]
        header = _HEADER.match(text)
        if header and any(start >= header.end() for start, *_ in kept):
            # 【大阪市消防局】中央区内で…: the account in the header is who posts, not where it happens
            kept = [k for k in kept if k[0] >= header.end()]
        if not kept:
            return Location(out_of_area=other_city)
        best: tuple[int, int, Location] | None = None
        prev_end, prev_ward = -1, None
        for order, (start, end, name, places) in enumerate(kept):
            loc = self._resolve(text, start, end, name, places, wards, other_city, prev_end == start and prev_ward)
            prev_end = end
            prev_ward = next((p.ward for p in places if p.kind == "ward"), None)
            if loc is None:
                continue
            rank = PRECISION_RANK[loc.precision or "ward"]
            if best is None or (rank, order) < best[:2]:
                best = (rank, order, loc)
        if best is None:
            return Location(out_of_area=other_city)
        return best[2]

    def _with_misspelled_wards(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` plus the wards named with a typo or in half kana (西なり区), where no ward matched.

        A station or town matched right before the 区 gives way to the ward it spells (住ノ江区 is the
        ward, not the station 住ノ江; 都島くで is 都島区). A kana く counts only after a kanji spelling.
        """
        extra: list[tuple[int, int, str]] = []
        replaced: set[tuple[int, int, str]] = set()
        for m in _WARD_CANDIDATE.finditer(text):
            start, end = m.span()
            kana_ku = text[end - 1] == "く"
            overlapping = [x for x in matches if x[0] < end and start < x[1]]
            if any(x[1] > m.end(1) or (not kana_ku and any(p.kind == "ward" for p in self.gaz.index[x[2]]))
                   for x in overlapping):
                continue  # 北区役所, 天王寺区: a real ward or a longer name is there (住之江く: the ward)
            stem = m.group(1)
            for cut in range(0, len(stem) - 1):  # 「昨日西なり区で」: try the shorter tails too
                tail = stem[cut:]
                if overlapping and start + cut > min(x[0] for x in overlapping):
                    break  # the ward would not cover the name matched inside it
                if kana_ku and not _KANJI.search(tail):
                    continue
                reading = self.gaz.reading(tail) if _WARD_KANJI.intersection(tail) else None
                ward = misspelled_ward(tail, reading) if not kana_ku else _exact_or_homophone(tail, reading)
                if ward is not None and key(ward) in self.gaz.index:
                    extra.append((start + cut, end, key(ward)))
                    replaced.update(overlapping)
                    break
        if not extra:
            return matches
        return sorted([x for x in matches if x not in replaced] + extra)

    def _with_kana_towns_of_wards(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` plus a town written in kana right after its ward: 「みなとく いちおか」 → 市岡 (港区).

        Only one town of that ward may read so, and only a particle may follow the reading; the ward
        vouches for it (a bare いちおか is not read, kana words are too often everyday words)."""
        extra: list[tuple[int, int, str]] = []
        # きたく/にしく are no ward alias (帰宅 and other words); with a kana town of that ward after them they are
        homophones = [(m.start(), m.end(), key(ward)) for m in _WORDLIKE_KANA_WARD.finditer(text)
                      for ward in (_WORDLIKE_KANA_WARDS[hiragana(m.group())],)
                      if not any(m.start() < e and s < m.end() for s, e, _ in matches)]
        for start, end, name in [*matches, *homophones]:
            ward = next((p.ward for p in self.gaz.index[name] if p.kind == "ward"), None)
            m = _KANA_WORD_AFTER.match(text, end) if ward else None
            if m is None or any(m.start(1) < e and s < m.end(1) for s, e, _ in matches):
                continue
            if (start, end, name) in homophones and not m.group().startswith(" "):
                continue  # 「きたくやで」: one word, not the ward and a town
            word, towns = hiragana(m.group(1)), self.gaz.kana_towns.get(ward, {})
            for cut in range(len(word), 1, -1):
                keys = towns.get(word[:cut])
                if keys and word[cut:] in _KANA_PARTICLES:
                    if len(keys) == 1 and next(iter(keys)) in self.gaz.index:
                        extra.append((m.start(1), m.start(1) + cut, next(iter(keys))))
                        if (start, end, name) in homophones:
                            extra.append((start, end, name))
                    break
        return sorted(matches + extra) if extra else matches

    def _with_kana_words(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` plus places written in kana as words of their own (:attr:`Gazetteer.kana_names`):
        「しんさいばし に いる」 → 心斎橋, 「なかのしま こうえん で」 → 中之島公園 (up to three words joined by
        spaces), 「くじょう 1丁目」 → 九条1丁目. A word glued to other kana (しんさいばしにいる) is not read.
        A reading of two or more names counts only when they all lie within 1.5 km (靱公園/うつぼ公園)."""
        runs = [m for m in _KANA_RUN.finditer(text) if not any(m.start() < e and s < m.end() for s, e, _ in matches)]
        if not runs:
            return matches
        found: list[tuple[int, int, str]] = []
        for i, first in enumerate(runs):
            last = i
            while last + 1 < len(runs) and last - i < 2 and runs[last + 1].start() == runs[last].end() + 1:
                last += 1
            for j in range(last, i - 1, -1):
                if any(s < runs[j].end() and first.start() < e for s, e, _ in found):
                    continue
                word = hiragana("".join(r.group() for r in runs[i:j + 1]))
                hit = self._kana_word(text, word, first.start(), runs[j].end())
                if hit is not None:
                    found.append(hit)
                    break
        return sorted(matches + found) if found else matches

    def _with_one_kanji_towns(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` plus a town named by one kanji right after its ward and before its 丁目 number
        (西淀川区佃3-2-17 → 佃三丁目): too short to be matched alone, its ward and number make it an address."""
        found = []
        for _, end, name in matches:
            ward = next((p.ward for p in self.gaz.index[name] if p.kind == "ward"), None)
            m = _ONE_KANJI_TOWN.match(text, end) if ward else None
            if m is None or any(m.start() < e and s < m.end() for s, e, _ in matches):
                continue
            chome = key(m.group(1) + f"{int(m.group(2))}丁目")
            if any(p.is_chome and p.ward == ward for p in self.gaz.index.get(chome, [])):
                found.append((m.start(), m.end(), chome))
        return sorted(matches + found) if found else matches

    def _kana_word(self, text: str, word: str, start: int, end: int) -> tuple[int, int, str] | None:
        """The place ``word`` spells between ``start`` and ``end``, a particle or 丁目 at most after it."""
        inside = _KANA_NUMERAL_CHOME_IN.match(word)  # 「ももだにさんちょうめの」: the 丁目 in the same word
        if inside and word[inside.end():] in _KANA_PARTICLES:
            at = self._kana_chome(inside.group("town"), set(), _KANA_NUMERALS[inside.group("n")])
            if at is not None:
                return start, start + inside.end(), at
        for cut in (len(word), *(len(word) - len(p) for p in ("から", "まで", "の", "で", "に", "は", "へ") if word.endswith(p))):
            keys = set(self.gaz.kana_names.get(word[:cut], set()))
            stop = end - (len(word) - cut)
            if not keys and _KANA_PLACE_AFTER.match(text, stop):  # つるはしの しょうてんがい: 鶴橋, not a pickaxe
                keys = set(self.gaz.kana_names_also_words.get(word[:cut], set()))
            if word[:cut] in self._kana_elsewhere or word[:cut] in KANA_STOPLIST:
                keys = set()  # おおさか: the city, not 逢阪; なんかい: 南海 or 何回, not 南開
            towns = {k for of_ward in self.gaz.kana_towns.values() for k in of_ward.get(word[:cut], ())}
            if not keys and not towns:
                continue
            chome = _KANA_CHOME_AFTER.match(text, stop) or _KANA_NUMERAL_CHOME_AFTER.match(hiragana(text[stop:stop + 8]))
            if chome:  # 「ひらの ほんまち 2丁目」, 「てんがちゃや にちょうめ」: a town's reading before its 丁目
                n = int(chome.group(1)) if chome.re is _KANA_CHOME_AFTER else _KANA_NUMERALS[chome.group("n")]
                at = self._kana_chome(word[:cut], keys, n)
                if at is not None:
                    return start, (chome.end() if chome.re is _KANA_CHOME_AFTER else stop + chome.end()), at
            if not keys or not _WORD_END.match(text, stop):
                continue
            name = self._one_place(keys)
            if name is not None:
                return start, stop, name
        return None

    def _kana_chome(self, reading: str, keys: set[str], n: int) -> str | None:
        """The key of 丁目 ``n`` of the one town read ``reading`` (or named by ``keys``) that has it."""
        towns = {k for of_ward in self.gaz.kana_towns.values() for k in of_ward.get(reading, ())}
        at = {k + f"{n}丁目" for k in keys | towns}
        at = {k for k in at if any(p.is_chome for p in self.gaz.index.get(k, []))}
        return at.pop() if len(at) == 1 else None

    def _one_place(self, keys: set[str]) -> str | None:
        """The key of one of ``keys`` when they name one place (share one: なんば/難波 station) and all their
        places lie within 1.5 km, the most specific kind first; else ``None`` (すみのえ: 住之江, 住ノ江, 墨江)."""
        places = [p for k in keys for p in self.gaz.index.get(k, [])]
        if not places or any(distance_km(p.lat, p.lon, q.lat, q.lon) > 1.5 for p in places for q in places):
            return None
        if len(keys) > 1 and not set.intersection(*(set(self.gaz.index.get(k, [])) for k in keys)):
            return None
        return min(keys, key=lambda k: (min(PRECISION_ORDER.index(p.kind) for p in self.gaz.index[k]), k))

    def _with_misspelled_latin_wards(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` plus a romanised ward with a typo, one edit from exactly one ward's name (5+ letters)
        and followed by ku or ward: "Higashiyodogwa-ku", "Tenoji ward", "Nishinar-ku"."""
        extra = []
        for m in _LATIN_WARD.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in matches):
                continue
            words = m.group(1)
            for start in (m.start(), m.start() + words.rfind(" ") + 1) if " " in words else (m.start(),):
                stem = text[start:m.end(1)].replace("-", "").replace(" ", "")
                near = [ward for ward, roman in _WARD_ROMAN.items()
                        if len(roman) >= 5 and len(stem) >= 5 and _edit_distance(stem, roman) <= 1]
                if len(near) == 1 and key(near[0]) in self.gaz.index:
                    extra.append((start, m.end(), key(near[0])))
                    break
        return sorted(matches + extra) if extra else matches

    def _with_romanised_towns_of_named_wards(
        self, text: str, matches: list[tuple[int, int, str]],
    ) -> list[tuple[int, int, str]]:
        """``matches`` plus a romanised town without 丁目 in a ward the post names in Latin: "Kita-ku Nakatsu",
        "Soemoncho, Chuo-ku". Bare, such words are too often English; beside their ward they are the town."""
        wards = {p.ward for s, e, k in matches if k.isascii() for p in self.gaz.index[k] if p.kind == "ward"}
        if not wards:
            return matches
        words = list(_LATIN_WORD.finditer(text))
        found: list[tuple[int, int, str]] = []
        for i in range(len(words)):
            for j in range(min(len(words), i + 3), i, -1):
                start, end = words[i].start(), words[j - 1].end()
                if not re.fullmatch(r"[a-z]+(?:[- ][a-z]+)*", text[start:end]):
                    continue
                if any(s < end and start < e for s, e, _ in matches + found):
                    continue
                spelled = "".join(w.group(0) for w in words[i:j])
                towns = {t for t in self.gaz.roman_towns.get(spelled, ())
                         if any(p.kind == "town" and p.ward in wards for p in self.gaz.index.get(t, []))}
                if len(towns) == 1:
                    found.append((start, end, towns.pop()))
                    break
        return sorted(matches + found) if found else matches

    def _with_long_romanised_towns(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` plus a romanised town of at least :data:`LONG_ROMAN_TOWN` letters standing alone, one word or
        two joined by a hyphen or a space, four letters each at least ("Soemoncho", "Kita-horie", "Kaigandori"),
        where exactly one town is spelled so. Shorter ones ("Noda", "Tenma") need their ward or a 丁目; names as
        well known elsewhere (Fukushima, Sakurajima, Nakatsu: :data:`NAMES_SHARED_ELSEWHERE`) their "station";
        in a post naming a ward, only a town of that ward counts (:meth:`_with_romanised_towns_of_named_wards`)."""
        if any(p.kind == "ward" for _, _, k in matches for p in self.gaz.index[k]):
            return matches
        words = list(_LATIN_WORD.finditer(text))
        found: list[tuple[int, int, str]] = []
        for i in range(len(words)):
            for j in (i + 2, i + 1):
                if j > len(words):
                    continue
                start, end = words[i].start(), words[j - 1].end()
                if j == i + 2 and (text[words[i].end():words[j - 1].start()] not in ("-", " ")
                                   or min(len(words[i].group()), len(words[i + 1].group())) < 4):
                    continue
                spelled = "".join(w.group(0) for w in words[i:j])
                if len(spelled) < LONG_ROMAN_TOWN or any(s < end and start < e for s, e, _ in matches + found):
                    continue
                if _LATIN_MUNICIPALITY_AFTER.match(text, end):
                    break  # "Fukushima Prefecture": not the town
                towns = {t for t in self.gaz.roman_towns.get(spelled, ())
                         if any(p.kind == "town" for p in self.gaz.index.get(t, []))}
                if len(towns) == 1 and not towns & NAMES_SHARED_ELSEWHERE:
                    found.append((start, end, towns.pop()))
                    break
        return sorted(matches + found) if found else matches

    def _with_romaji_names(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` with a name written in romaji, its words joined (「utsubo kouen de」 → 靱公園, 「kitano byouin」
        → 北野病院, 「takadono shougakkou」 → 高殿小学校): two or three words apart by a space, replacing a shorter
        name matched inside (nagai: 長居 station, in 「nagai kouen」 the park); not a name as well known elsewhere."""
        words = list(_LATIN_WORD.finditer(text))
        found: list[tuple[int, int, str]] = []
        for i in range(len(words)):
            if found and words[i].start() < found[-1][1]:
                continue
            for j in range(min(len(words), i + 3), i + 1, -1):  # two words at least: one is read by the aliases
                if any(text[words[k].end():words[k + 1].start()] != " " for k in range(i, j - 1)):
                    continue
                keys = self.gaz.romaji_names.get("".join(w.group(0) for w in words[i:j]))
                name = self._one_place(keys) if keys else None
                if name is not None and name not in NAMES_SHARED_ELSEWHERE \
                        and not _LATIN_MUNICIPALITY_AFTER.match(text, words[j - 1].end()):
                    found.append((words[i].start(), words[j - 1].end(), name))
                    break
        if not found:
            return matches
        kept = [x for x in matches if not any(s <= x[0] and x[1] <= e for s, e, _ in found)]
        found = [f for f in found if not any(x[0] < f[1] and f[0] < x[1] for x in kept)]
        return sorted(kept + found)

    def _with_joined_facilities(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` with a bridge or river facility the post names with の (尻無川の水門 → 尻無川水門,
        毛馬の閘門 → 毛馬閘門), when the joined name is a landmark or facility; it replaces the parts."""
        found = []
        for m in _JOINED_FACILITY.finditer(text):
            head = m.group(1)
            for cut in range(len(head)):  # 「昨日尻無川の水門」: the longest tail that makes a known name
                joined = key(head[cut:] + m.group(2))
                if any(p.kind in ("landmark", "facility") for p in self.gaz.index.get(joined, [])):
                    found.append((m.start() + cut, m.end(), joined))
                    break
        if not found:
            return matches
        kept = [x for x in matches if not any(s < x[1] and x[0] < e for s, e, _ in found)]
        return sorted(kept + found)

    def _with_romanised_chome(self, text: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """``matches`` with romanised 町丁目 addresses in either order: "2-chome Tenjinbashi", "Nishi-Kujo
        5-chome", "Namba 1-2-3" (the 丁目 and the 番地), "Juso-Higashi 2-chome".

        The name is read by the towns' romanised readings (:attr:`Gazetteer.roman_towns`, hyphens and
        spaces dropped), the longest run of words that spells a town; only a town that has that 丁目
        counts. It replaces the station or landmark of the same Latin name (Nipponbashi station is
        in 中央区, 日本橋3丁目 in 浪速区).
        """
        if not _LATIN_CHOME_HINT.search(text) and not _ROMAN_TOWN_NUMBER.search(text):
            return matches
        found: list[tuple[int, int, str]] = []
        for pattern, reverse in ((_ROMAN_CHOME_AFTER, False), (_ROMAN_CHOME_BEFORE, True), (_ROMAN_TOWN_NUMBER, False)):
            for m in pattern.finditer(text):
                words = list(_LATIN_WORD.finditer(m.group("name")))
                base = m.start("name")
                # after the number: the first words ("2-chome Umeda, ..."); before it: the last ones
                spans = ([(0, j) for j in range(len(words), 0, -1)] if reverse
                         else [(i, len(words)) for i in range(len(words))])
                for i, j in spans:
                    if not reverse and i > 0 and m.group("name")[words[i - 1].end():words[i].start()] == "-":
                        break  # "Ichioka-motomachi 2-chome": motomachi is the tail of a longer name, not 元町
                    spelled = "".join(w.group(0) for w in words[i:j])
                    chome = {key(town) + f"{int(m.group('n'))}丁目" for town in self.gaz.roman_towns.get(spelled, ())}
                    chome = {c for c in chome if any(p.is_chome for p in self.gaz.index.get(c, []))}
                    if len(chome) == 1:
                        s = base + words[i].start() if not reverse else m.start()
                        if any(s < e2 and s2 < m.end() for s2, e2, _ in found):
                            break  # read already, with its 丁目 or 番地
                        e = m.end() if not reverse else base + words[j - 1].end()
                        found.append((s, e, chome.pop()))
                        break
        if not found:
            return matches
        kept = [x for x in matches if not any(s < x[1] and x[0] < e for s, e, _ in found)]
        return sorted(kept + found)

    def _in_named_ward(self, name: str, wards: set[str]) -> Location | None:
        """A name no place of which lies in the ward the post names, used as a short name of one that does:
        長居 for 長居公園 or 長居植物園 in 東住吉区 (長居 station and town are in 住吉区). Facilities, landmarks
        and stations only, all close together; else ``None`` (the place of that name elsewhere stands)."""
        found = [p for longer in self.gaz.names_starting(name) for p in self.gaz.index[longer]
                 if p.ward in wards and p.kind in _KIND_PRECISION]
        for kind in ("facility", "shelter", "landmark", "station"):
            of_kind = [p for p in found if p.kind == kind]
            if of_kind:
                if any(distance_km(p.lat, p.lon, q.lat, q.lon) > 1.5 for p in found for q in found):
                    return None
                first = of_kind[0]
                return Location(first.name, first.ward, first.lat, first.lon, _KIND_PRECISION[kind])
        return None

    def _hospital_of(self, university: str) -> str | None:
        """The key of the hospital of a university named ``university`` (市大 → 市大病院), if known."""
        for tail in ("病院", "附属病院", "医学部附属病院"):
            places = self.gaz.index.get(university + tail, [])
            if any(p.kind == "facility" and "病院" in p.name for p in places):
                return university + tail
        return None

    def _resolve(
        self, text: str, start: int, end: int, name: str, places: list[Place], wards: set[str], other_city: bool,
        ward_prefix: str | None | bool,
    ) -> Location | None:
        after = text[end : end + 8]
        in_named_ward = False
        if wards and not ward_prefix:
            named = [p for p in places if p.kind != "ward" and p.ward in wards]
            if named:  # 北区の天満橋: the town in 北区, not the station of that name in 中央区
                places, in_named_ward = named, True
            elif not any(p.kind == "ward" for p in places):
                shorter = self._in_named_ward(name, wards)
                if shorter is not None:
                    return shorter  # 東住吉区の長居: 長居公園 (東住吉区), not 長居 station (住吉区)
        towns = [p for p in places if p.kind == "town"]
        chome_match = _AFTER_NUMBER.match(after) or (  # 「にしなりく てんがちゃや 2丁目」: a kana town, a space, its 丁目
            _KANA_CHOME_AFTER.match(after) if _KANA_SPAN.fullmatch(text[start:end]) else None)
        if towns and ward_prefix:
            towns = [p for p in towns if p.ward == ward_prefix] or towns
        if towns and (chome_match or any(p.is_chome for p in towns)):
            if any(p.is_chome for p in towns):
                return self._pick(towns, wards, "address")
            chome = self.gaz.index.get(name + f"{int(chome_match.group(1))}丁目", [])
            chome = [p for p in chome if p.kind == "town"]
            if chome:
                return self._pick(chome, wards, "address")
            return self._pick(towns, wards, "address")
        if ward_prefix and any(p.ward == ward_prefix for p in towns):
            return self._pick(towns, wards, "town")  # 旭区清水: an address, the town, not 清水 station
        others = [p for p in places if p.kind not in ("town", "ward")]
        if others:
            for kind in ("facility", "shelter", "landmark", "station"):
                of_kind = [p for p in others if p.kind == kind]
                if of_kind:
                    loc = self._pick(of_kind, wards, _KIND_PRECISION[kind])
                    if loc is not None:
                        return loc
        if towns:
            bare_ok = name not in TOWN_STOPLIST and (len(name) >= 3 or bool(_PLACE_CONTEXT.match(after))
                                                     or bool(_KANA_SPAN.fullmatch(text[start:end])))  # なかざき: kana
            trusted = bool(ward_prefix) or bare_ok or in_named_ward  # 浪速区の日本橋: the ward vouches for it
            if other_city and not ward_prefix:
                trusted = False
            if wards and not ward_prefix and not any(p.ward in wards for p in towns):
                trusted = False  # 此花区、安治川の水位: a bare town of another ward (西区) than the one named
            if trusted:
                return self._pick(towns, wards, "town")
            return None
        ward_places = [p for p in places if p.kind == "ward"]
        if ward_places:
            return self._pick(ward_places, wards, "ward")
        return None

    @staticmethod
    def _pick(candidates: list[Place], wards: set[str], precision: str) -> Location | None:
        """One candidate: in a mentioned ward if any; else only if all candidates lie close together."""
        in_ward = [p for p in candidates if p.ward in wards]
        pool = in_ward or candidates
        first = pool[0]
        if len(pool) > 1 and any(distance_km(first.lat, first.lon, p.lat, p.lon) > 1.5 for p in pool[1:]):
            return None
        return Location(first.name, first.ward, first.lat, first.lon, precision)
