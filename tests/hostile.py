"""Hostile text for tests: what truncated API text, broken files and pranksters send.

``HOSTILE`` holds one example of each kind the text boundary (core/text.py)
must handle; ``hostile_text()`` is a hypothesis strategy mixing them with any
code point, lone surrogates included.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: One of each kind, with an ordinary Japanese report around it.
HOSTILE: dict[str, str] = {
    "nul": "北区中崎町で火事\x00煙が見える",
    "lone_surrogate": "天王寺駅で人が閉じ込められている \ud83d",
    "controls": "浪速区\x01\x02\x1b[31m 停電\x7f\x85",
    "noncharacters": "港区で浸水\ufffe\uffff\ufdd0\U0001fffe",
    "bidi_override": "福島区 \u202egnirts\u202c 倒壊 \u2066x\u2069",
    "nfkc_expands": "\ufdfa" * 5_000,  # NFKC: 18 characters, 33 bytes each
    "markup": "<script>alert(1)</script>&amp; ]]> <b>西区で火災</b> =cmd|' /C calc'!A0",
    "long": ("淀川区で断水。" * 1_715)[:12_000],
}

_ANY = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
_PIECES = st.sampled_from(["北区で火事", "\x00", "\ud800", "\udfff", "\ufffe", "\u202e", "\r\n", "\ufdfa", "=", "＝"])


def hostile_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Any Unicode, lone surrogates and controls included, often with the pieces above."""
    return st.one_of(
        st.text(alphabet=_ANY, max_size=max_size),
        st.lists(st.one_of(_PIECES, st.text(alphabet=_ANY, max_size=5)), max_size=max_size // 5).map("".join),
    )
