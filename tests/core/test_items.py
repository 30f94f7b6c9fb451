"""ItemKey: the one way a key of an item is built and read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disaster_desk.core.items import ITEM_TYPES, ItemKey
from disaster_desk.errors import ValidationError


def test_text_form_and_constructors():
    assert str(ItemKey.post(12)) == "post:12"
    assert str(ItemKey.report(5)) == "report:5"
    assert ItemKey.alert(3) == ItemKey("alert", 3)
    assert ItemKey.incident(7).type == "incident"
    assert {ItemKey.post(1), ItemKey("post", 1)} == {ItemKey.post(1)}


def test_of_reads_item_type_and_id():
    class Row:
        item_type, item_id = "report", 9

    assert ItemKey.of(Row()) == ItemKey.report(9)


@given(st.sampled_from(ITEM_TYPES), st.integers(min_value=0, max_value=2**62))
def test_parse_round_trips(kind, number):
    key = ItemKey(kind, number)
    assert ItemKey.parse(str(key)) == key


@pytest.mark.parametrize("text", ["", "post", "post:", "post:x", "post:-1", "post:１２", "shelter:3",
                                  "muster:北区", "post:1:2", ":1"])
def test_parse_refuses_what_is_not_a_key(text):
    with pytest.raises(ValidationError, match="not an item key") as err:
        ItemKey.parse(text, field="items")
    assert err.value.field == "items"
    assert ItemKey.try_parse(text) is None


def test_parse_limited_to_types():
    with pytest.raises(ValidationError, match="post:ID or report:ID"):
        ItemKey.parse("incident:3", types=("post", "report"))


def test_bad_type_or_id_refused():
    with pytest.raises(ValidationError, match="unknown item type"):
        ItemKey("shelter", 1)
    with pytest.raises(ValidationError, match="non-negative"):
        ItemKey("post", True)
