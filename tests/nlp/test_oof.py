"""The out-of-fold report's figures (nlp.oof): per-label precision, recall and F1 and their macro mean."""

from __future__ import annotations

import pytest

from disaster_desk.core.taxonomy import LABELS
from nlp.oof import figures
from nlp.tune import Post


def test_figures_count_false_positives_and_misses_per_label():
    posts = [Post("a", ["rescue"], 30), Post("b", ["none"], 30), Post("c", ["fire", "rescue"], 31),
             Post("d", ["none"], 31)]
    predicted = [{"rescue"}, {"rescue"}, {"fire"}, {"none"}]
    m = figures(posts, predicted)
    rescue, none, fire = m["per_label"]["rescue"], m["per_label"]["none"], m["per_label"]["fire"]
    assert (rescue["precision"], rescue["recall"], rescue["support"]) == (0.5, 0.5, 2)
    assert (none["precision"], none["recall"]) == (1.0, 0.5)
    assert fire["f1"] == 1.0
    assert m["macro_f1"] == pytest.approx(sum(v["f1"] for v in m["per_label"].values()) / len(LABELS))
    assert m["macro_f1"] < 1.0
