"""The configured area: Osaka City's 24 wards and the HQ's share targets."""

from __future__ import annotations

#: The 24 wards of Osaka City (大阪市), in the city's official order.
OSAKA_WARDS: tuple[str, ...] = (
    "北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区",
    "天王寺区", "浪速区", "西淀川区", "淀川区", "東淀川区", "東成区", "生野区",
    "旭区", "城東区", "鶴見区", "阿倍野区", "住之江区", "住吉区", "東住吉区",
    "平野区", "西成区",
)

#: Departments HQ shares with, besides the ward offices.
DEPARTMENTS: tuple[str, ...] = (
    "消防局", "建設局", "水道局", "危機管理室", "健康局", "福祉局", "港湾局",
    "交通局", "環境局", "都市整備局", "ICT戦略室",
)

SHARE_TARGETS: tuple[str, ...] = OSAKA_WARDS + DEPARTMENTS


def is_ward(name: str | None) -> bool:
    return name in OSAKA_WARDS


#: Other names of each share target, for finding it by keyboard without a Japanese IME:
#: (English name, romaji, hiragana reading). Romaji as on the city's signs (long vowels unmarked).
TARGET_NAMES: dict[str, tuple[str, str, str]] = {
    "北区": ("Kita Ward", "kita", "きた"), "都島区": ("Miyakojima Ward", "miyakojima", "みやこじま"),
    "福島区": ("Fukushima Ward", "fukushima", "ふくしま"), "此花区": ("Konohana Ward", "konohana", "このはな"),
    "中央区": ("Chuo Ward", "chuo", "ちゅうおう"), "西区": ("Nishi Ward", "nishi", "にし"),
    "港区": ("Minato Ward", "minato", "みなと"), "大正区": ("Taisho Ward", "taisho", "たいしょう"),
    "天王寺区": ("Tennoji Ward", "tennoji", "てんのうじ"), "浪速区": ("Naniwa Ward", "naniwa", "なにわ"),
    "西淀川区": ("Nishiyodogawa Ward", "nishiyodogawa", "にしよどがわ"),
    "淀川区": ("Yodogawa Ward", "yodogawa", "よどがわ"),
    "東淀川区": ("Higashiyodogawa Ward", "higashiyodogawa", "ひがしよどがわ"),
    "東成区": ("Higashinari Ward", "higashinari", "ひがしなり"), "生野区": ("Ikuno Ward", "ikuno", "いくの"),
    "旭区": ("Asahi Ward", "asahi", "あさひ"), "城東区": ("Joto Ward", "joto", "じょうとう"),
    "鶴見区": ("Tsurumi Ward", "tsurumi", "つるみ"), "阿倍野区": ("Abeno Ward", "abeno", "あべの"),
    "住之江区": ("Suminoe Ward", "suminoe", "すみのえ"), "住吉区": ("Sumiyoshi Ward", "sumiyoshi", "すみよし"),
    "東住吉区": ("Higashisumiyoshi Ward", "higashisumiyoshi", "ひがしすみよし"),
    "平野区": ("Hirano Ward", "hirano", "ひらの"), "西成区": ("Nishinari Ward", "nishinari", "にしなり"),
    "消防局": ("Fire Bureau", "shobokyoku", "しょうぼうきょく"),
    "建設局": ("Construction Bureau", "kensetsukyoku", "けんせつきょく"),
    "水道局": ("Waterworks Bureau", "suidokyoku", "すいどうきょく"),
    "危機管理室": ("Crisis Management Office", "kikikanrishitsu", "ききかんりしつ"),
    "健康局": ("Health Bureau", "kenkokyoku", "けんこうきょく"),
    "福祉局": ("Welfare Bureau", "fukushikyoku", "ふくしきょく"),
    "港湾局": ("Port and Harbor Bureau", "kowankyoku", "こうわんきょく"),
    "交通局": ("Transportation Bureau", "kotsukyoku", "こうつうきょく"),
    "環境局": ("Environment Bureau", "kankyokyoku", "かんきょうきょく"),
    "都市整備局": ("Urban Development Bureau", "toshiseibikyoku", "としせいびきょく"),
    "ICT戦略室": ("ICT Strategy Office", "ictsenryakushitsu", "あいしーてぃーせんりゃくしつ"),
}


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch not in " -_・　")


def find_targets(query: str, targets: tuple[str, ...] = SHARE_TARGETS) -> list[str]:
    """Targets matching ``query`` in Japanese, English, romaji or kana (``shobo``, ``fire``, ``きた``).

    A name starting with the query comes before one only containing it.
    """
    q = _folded(query)
    if not q:
        return list(targets)
    starts, contains = [], []
    for target in targets:
        names = [_folded(n) for n in (target, *TARGET_NAMES.get(target, ()))]
        if any(n.startswith(q) for n in names):
            starts.append(target)
        elif any(q in n for n in names):
            contains.append(target)
    return starts + contains
