"""Normalisation: the same place or word written in any of the forms posts use compares equal."""

from __future__ import annotations

import pytest

from nlp.normalise import fold, kanji_to_int, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("曽根崎２丁目", "曽根崎2丁目"),  # full-width digit
        ("曽根崎二丁目", "曽根崎2丁目"),  # kanji numeral
        ("曾根崎二丁目", "曽根崎2丁目"),  # variant kanji
        ("四天王寺前夕陽ヶ丘", "四天王寺前夕陽ケ丘"),
        ("中崎西２－３－４", "中崎西2-3-4"),
        ("ｳﾒﾀﾞ", "ウメダ"),  # half-width kana
        ("はぎのちゃや ２ちょうめ", "はぎのちゃや 2丁目"),  # kana-only posts write 丁目 in kana
        ("てんのうじ の えき", "てんのうじえき"),  # as station readings are written in the gazetteer
    ],
)
def test_fold(raw, expected):
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RT @osaka_bousai: 北区で停電 https://t.co/abc", "北区で停電"),
        ("@friend 大丈夫？ #救助", "大丈夫? #救助"),
        ("Power OUT   near   NAMBA", "power out near namba"),
        ("ＵＳＪ付近で冠水", "usj付近で冠水"),
        ("救急車来ーへん", "救急車来へん"),  # Kansai elongated negative
        ("大阪公演@大阪城ホール、停電", "大阪公演@大阪城ホール、停電"),  # handles are ASCII: @ before a name is "at"
        ("@Kobe_News_2 倒壊", "倒壊"),
    ],
)
def test_normalise_strips_noise_and_lowercases(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(("text", "value"), [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一〇", 10), ("x", None)])
def test_kanji_to_int(text, value):
    assert kanji_to_int(text) == value
