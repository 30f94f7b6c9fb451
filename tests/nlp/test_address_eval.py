"""Held-out addresses (nlp.address_eval): Osaka addresses found to their block, neighbours never pinned."""

from __future__ import annotations

import pytest

from nlp.address_eval import holds_osaka_name, kanji_number, measure, neighbour_towns, osaka_addresses, pack_towns


def test_address_spellings():
    umeda = next(t for t in pack_towns() if (t.ward, t.name) == ("北区", "梅田一丁目"))
    import random

    assert osaka_addresses(umeda, random.Random(1)) == [
        "大阪市北区梅田1丁目5-19", "北区梅田１丁目5番地", "大阪府大阪市北区梅田1-5-19", "大阪市北区梅田一丁目5番19号"]
    assert [kanji_number(k) for k in ("一", "十", "十二", "二十三")] == [1, 10, 12, 23]
    assert len(neighbour_towns()) > 500
    assert holds_osaka_name("長田中五丁目", {"田中"}) and not holds_osaka_name("田中五丁目", {"田中"})


def test_a_sample_meets_the_acceptance_figures(analyser):
    fig = measure(analyser, sample=60)
    assert fig.ward_ok / fig.osaka >= 0.99, fig.misses[:10]
    assert fig.within / fig.osaka >= 0.97, fig.misses[:10]
    assert fig.pinned == []


@pytest.mark.parametrize(("text", "ward"), [
    ("大阪市都島区毛馬町3丁目29-2で火災", "都島区"),  # 大阪市都… is Osaka City itself, not 「…都」
    ("大阪府大阪市都島区片町1-14-7", "都島区"),
])
def test_toshima_addresses_are_in_osaka(analyser, text, ward):
    result = analyser.analyse_one(text)
    assert (result.ward, result.precision) == (ward, "address")


@pytest.mark.parametrize("text", [
    "東大阪市長田中5丁目4-4で火災",  # 長田中 ⊃ 田中 (港区)
    "東大阪市若江本町1丁目10-17付近 停電",  # 若江本町 ⊃ 本町 (中央区)
    "東大阪市吉松一丁目13番地の家が倒壊しています",  # 吉松 ⊃ 松 (西成区)
    "兵庫県尼崎市上ノ島町1-16-20付近 停電",  # 上ノ島町 ⊃ 島町 (中央区)
    "東大阪市高井田元町1丁目2-16",  # 高井田元町 ⊃ 元町 (浪速区)
])
def test_towns_inside_a_neighbours_town_name_are_not_pinned(analyser, text):
    result = analyser.analyse_one(text)
    assert (result.lat, result.ward) == (None, None)
