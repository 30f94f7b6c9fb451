"""The gazetteer's readings of names (nlp/gazetteer.py), on the session analyser's gazetteer (shipped files + area pack)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def gaz(full_analyser):
    return full_analyser.gazetteer


def test_a_station_reads_the_town_of_its_name(gaz):
    # stations.csv's reviewed readings, where Sudachi reads てんかちゃや, じゅうさん, ととう
    assert gaz.reading("天下茶屋") != "てんがちゃや"
    assert gaz.name_readings("天下茶屋") == {"てんがちゃや"}
    assert gaz.name_readings("天下茶屋東") == {"てんがちゃやひがし"}
    assert gaz.name_readings("十三東") == {"じゅうそうひがし"}
    assert gaz.name_readings("茶屋町") == set()  # no station of that name: Sudachi's reading stands
    # the head or the tail of a station's name: 大国町 だいこくちょう less ちょう, 大阪上本町 less おおさか
    assert gaz.name_readings("大国") == {"だいこく"} and gaz.reading("大国") != "だいこく"
    assert gaz.name_readings("上本町") == {"うえほんまち"}
    # a town of a direction: 大今里 + みなみ (Sudachi: おおいまさとな); kept where Sudachi reads the direction
    assert gaz.name_readings("大今里南") == {"おおいまざとみなみ"}
    assert gaz.name_readings("喜連西") == set()
    assert gaz.kana_towns["西成区"]["てんがちゃや"] == {"天下茶屋"}  # read before its 丁目: てんがちゃや 2ちょうめ


def test_readings_the_dictionary_gets_wrong_are_fixed(gaz):
    assert gaz.reading("墨江") == "すみえ"  # not すみのえ (住之江)
    assert [p.name for p in gaz.index["すみのえしょうがっこう"]] == ["住之江小学校"]
    assert [p.name for p in gaz.index["すみえしょうがっこう"]] == ["墨江小学校"]


def test_kana_names_hold_whole_names_but_no_everyday_words(gaz):
    assert gaz.kana_names["ちゃやまち"] == {"茶屋町"}
    assert gaz.kana_names["ゆにば"] == {"ユニバ"}  # a katakana nickname in hiragana: three kana are enough
    assert gaz.kana_names["てんろく"] == {"天六"}
    for word in ("みなみ", "つるはし", "ながい", "たにまち", "よどがわ", "いずお"):
        assert word not in gaz.kana_names, word  # everyday words, the river (淀川駅), a town of three kana (泉尾)
    assert gaz.kana_names_also_words["つるはし"] == {"鶴橋"}  # read only before a word for a place there
