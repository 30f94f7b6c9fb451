"""Public exports: house numbers dropped, town kept; public places untouched."""

from __future__ import annotations

import pytest

from disaster_desk.core.exports.privacy import PUBLIC, coarsen_address, round_position


@pytest.mark.parametrize(("text", "public"), [
    ("北区中崎町2丁目3-15の家が倒壊", "北区中崎町2丁目の家が倒壊"),
    ("大阪市北区中崎町二丁目3番15号", "大阪市北区中崎町二丁目"),
    ("梅田3丁目1番地で冠水", "梅田3丁目で冠水"),
    ("中崎町1-2-3で火事", "中崎町で火事"),
    ("十三東1-2-3 倒壊", "十三東 倒壊"),
    ("国道2号線が通行止め", "国道2号線が通行止め"),
    ("24時間営業の店", "24時間営業の店"),
    ("扇町小学校に避難", "扇町小学校に避難"),
])
def test_coarsen_address(text, public):
    assert coarsen_address(text) == public


def test_only_address_precision_positions_are_rounded():
    assert round_position(34.707312, 135.505188, "address") == (34.707, 135.505)
    assert round_position(34.707312, 135.505188, "facility") == (34.707312, 135.505188)
    assert PUBLIC.author("@taro") is None
