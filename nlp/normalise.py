"""Text normalisation shared by the classifier, the geoparser and the gazetteer.

Posts and gazetteer names go through the same :func:`normalise`, so a name
written ``曾根崎２丁目``, ``曽根崎二丁目`` or ``曽根崎2丁目`` compares equal.
Steps: NFKC (full-width digits/letters → ASCII, half-width kana → full-width),
lower-case Latin, a few variant kanji/kana folded, kanji numerals before 丁目
turned into digits, URLs, ``RT @user:`` prefixes and mentions removed.
"""

from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"https?://\S+|www\.\S+")
_RT = re.compile(r"^(?:rt\s*@\w+:?\s*)+", re.IGNORECASE)
#: An account's handle is ASCII (@kobe_news); 「@大阪城ホール」 is "at" a place.
_MENTION = re.compile(r"@[a-z0-9_]+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
#: Kansai elongated negatives: 来ーへん, こーへん, せーへん → 来へん, こへん, せへん.
_LONG_NEG = re.compile(r"ー(へん|ひん)")

#: Variant spellings folded to one form (both in posts and in gazetteer names).
_FOLD = str.maketrans(
    {
        "曾": "曽",
        "ヶ": "ケ",
        "ヵ": "ケ",
        "ｹ": "ケ",
        "靭": "靱",
        "嶋": "島",
        "〜": "~",
        "～": "~",
        "−": "-",
        "‐": "-",
        "―": "-",
        "ー": "ー",
        "－": "-",
        "﹣": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)

#: 「てんのうじ の えき」 → 「てんのうじえき」, as station readings are written in the gazetteer.
_KANA_STATION = re.compile(r"\s?の\s?えき")
#: Kana-only posts write 丁目 as ちょうめ: 「はぎのちゃや 2ちょうめ」.
_KANA_CHOME = re.compile(r"(\d{1,2})\s*(?:ちょうめ|チョウメ|ちょーめ|チョーメ)")
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"([一二三四五六七八九十〇]+)(丁目|番地|番|号)")


#: Katakana ァ…ヶ and hiragana ぁ…ゖ, one to one (ー and the rest stay as they are).
_TO_HIRAGANA = str.maketrans({chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)})
_TO_KATAKANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})


def hiragana(text: str) -> str:
    """``text`` with its katakana in hiragana (タスケテ → たすけて)."""
    return text.translate(_TO_HIRAGANA)


def katakana(text: str) -> str:
    """``text`` with its hiragana in katakana (たすけ → タスケ)."""
    return text.translate(_TO_KATAKANA)


def kanji_to_int(text: str) -> int | None:
    """``"二"`` → 2, ``"十二"`` → 12, ``"二十"`` → 20, ``"一〇"`` → 10 (up to 99)."""
    if not text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _KANJI_DIGITS.get(tens, None) if tens else 1
        o = _KANJI_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    value = 0
    for ch in text:
        if ch not in _KANJI_DIGITS:
            return None
        value = value * 10 + _KANJI_DIGITS[ch]
    return value


def _kanji_numbers(match: re.Match[str]) -> str:
    value = kanji_to_int(match.group(1))
    return match.group(0) if value is None else f"{value}{match.group(2)}"


def fold(text: str) -> str:
    """NFKC + variant folding + kanji numerals before 丁目/番 + ``2ちょうめ`` → ``2丁目``: names and posts alike."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = _KANA_CHOME.sub(r"\1丁目", text)
    text = _KANA_STATION.sub("えき", text)
    return _KANJI_NUMBER.sub(_kanji_numbers, text)


def normalise(text: str) -> str:
    """A post's text, ready for matching (see the module docstring)."""
    text = fold(text)
    text = _URL.sub(" ", text)
    text = _RT.sub("", text.strip())
    text = _MENTION.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    text = _LONG_NEG.sub(r"\1", text)
    return text.lower()
