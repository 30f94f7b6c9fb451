"""Fixtures for drill tests.

``keyword_analyser`` is a tiny, fully predictable analyser (a few keywords →
labels, the first ward name in the text). The metrics test uses it so that the
expected KPIs can be worked out by hand from the scenario without depending on
the NLP engineer's rules; the real analyser (``nlp.analyser``) plays the
bundled scenarios in test_bundled.py and the CLI test.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from disaster_desk.core.analysis import PostAnalysis
from disaster_desk.core.area import OSAKA_WARDS

DATA = Path(__file__).parent / "data"

KEYWORDS = {"火事": "fire", "倒壊": "building", "救助": "rescue", "停電": "lifeline", "浸水": "flood", "避難": "evacuation"}


class KeywordAnalyser:
    version = "keyword-test-1"

    def analyse(self, texts: Sequence[str]) -> list[PostAnalysis]:
        out = []
        for text in texts:
            labels = [label for word, label in KEYWORDS.items() if word in text] or ["none"]
            ward = next((w for w in OSAKA_WARDS if w in text), None)
            out.append(PostAnalysis(labels=labels, ward=ward, precision="ward" if ward else None))
        return out


@pytest.fixture
def keyword_analyser():
    return KeywordAnalyser()


@pytest.fixture
def small_scenario():
    from drills.scenario import load_scenario

    return load_scenario(DATA / "small.yaml")
