"""Regression gates on the held-out sets (never used to tune rules): dev and the fresh batch AF.

The gates are the levels measured last (nlp/data/README.md) minus a small margin, so that a
regression fails: on dev (1,515 posts) macro-F1 0.946, rescue P 0.964 / R 0.987, none F1 0.938,
ward 0.989, 0.985 of 750 within 1.5 km (2026-12-08: train batches 1-62, the reading features, the
rules' hard-negative rounds and the places rounds of issue 17; 2026-12-07 with train 1-45: 0.940,
0.942 / 0.977, 0.934, 0.982, 0.964). Issue 17's targets on unseen posts are macro-F1 ≥ 0.92,
rescue recall ≥ 0.97, rescue precision ≥ 0.90, none F1 ≥ 0.85, ward ≥ 0.97, ≥ 95 % within 1.5 km.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.evaluate import evaluate, format_report, read_gold

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"


@pytest.fixture(scope="module")
def dev_metrics(full_analyser):
    gold = read_gold(DATA / "dev.jsonl")
    metrics = evaluate(gold, full_analyser.analyse([g.text for g in gold]))
    print(format_report(metrics))
    return metrics


def test_macro_f1(dev_metrics):
    assert dev_metrics["macro_f1"] >= 0.935


def test_rescue_recall(dev_metrics):
    """Rules alone score 0.851 on dev; rules + the learned model (nlp/learned.py) 0.990."""
    assert dev_metrics["rescue_recall"] >= 0.97


def test_rescue_precision(dev_metrics):
    """A false alarm in the rescue lane teaches operators to ignore it (issue 17)."""
    assert dev_metrics["per_label"]["rescue"]["precision"] >= 0.95


def test_none_f1(dev_metrics):
    assert dev_metrics["per_label"]["none"]["f1"] >= 0.925


def test_ward_accuracy(dev_metrics):
    assert dev_metrics["ward_accuracy"] >= 0.98


def test_points_within_1_5_km(dev_metrics):
    assert dev_metrics["point_posts"] >= 700
    assert dev_metrics["within_1_5km"] >= 0.97


@pytest.fixture(scope="module")
def af_metrics(full_analyser):
    gold = read_gold(DATA / "fresh" / "af.jsonl")
    metrics = evaluate(gold, full_analyser.analyse([g.text for g in gold]))
    print(format_report(metrics))
    return metrics


def test_held_out_batch_af(af_metrics):
    """Batch AF (143 posts, the issue's error classes), held out: its last measured figures
    (nlp/data/README.md) minus a margin. Measured last (2026-12-08, train 1-62 with the reading features
    and the rules' and places' rounds of issue 17): macro-F1 0.927, rescue P 0.852 / R 1.000 (23 of 23,
    4 false), none F1 0.899, ward 1.000, 34 of 34 within 1.5 km; 2026-12-07 (train 1-45): 0.885, 0.786 /
    0.957, 0.837. AF has been looked at eight times and is no clean measure, and nothing was chosen on
    it (the round's own unseen sets are in nlp/data/README.md, round 19)."""
    m = af_metrics
    assert m["posts"] == 143
    assert m["macro_f1"] >= 0.91
    assert m["rescue_recall"] >= 0.95
    assert m["per_label"]["rescue"]["precision"] >= 0.82
    assert m["per_label"]["none"]["f1"] >= 0.87
    assert m["ward_accuracy"] >= 0.98
    assert m["within_1_5km"] >= 0.97
    assert m["out_of_area_pins"] == 0 and m["out_of_area_posts"] >= 10


def test_af_jsonl_is_built_from_its_tsv(full_analyser):
    """Gold coordinates from the gazetteer; rebuild: python -m nlp.corpus --batch nlp/data/fresh/af.tsv."""
    from nlp.corpus import build_tsv

    lines = (DATA / "fresh" / "af.jsonl").read_text(encoding="utf-8").splitlines()
    assert build_tsv(full_analyser.gazetteer, DATA / "fresh" / "af.tsv", "af") == [json.loads(x) for x in lines]


#: Held-out batches whose other-city pins at their first evaluation were left as they are (fixing
#: them would tune on held-out posts): header of the batch in dev.tsv → pins allowed.
HELD_OUT_PINS = {"# Batch 15 (held-out batch AC": 1}


def test_no_pins_for_other_cities(full_analyser):
    gold = read_gold(DATA / "dev.jsonl")
    lines = (DATA / "dev.tsv").read_text(encoding="utf-8").splitlines()
    starts = {n: allowed for n, line in enumerate(lines, 1) for head, allowed in HELD_OUT_PINS.items()
              if line.startswith(head)}
    pred = full_analyser.analyse([g.text for g in gold])
    pins: dict[int, int] = {}
    for g, p in zip(gold, pred, strict=True):
        if g.out_of_area and p.lat is not None:
            line = int(g.id.split("-")[1])  # dev-NNNN: the line in dev.tsv
            batch = max((n for n in starts if n < line), default=0)
            pins[batch] = pins.get(batch, 0) + 1
    assert sum(1 for g in gold if g.out_of_area) >= 10
    assert pins.get(0, 0) == 0  # dev batches 1-14
    assert all(n <= starts[batch] for batch, n in pins.items() if batch)


def test_metrics_on_a_tiny_hand_checked_set():
    """The metric arithmetic itself, on three posts whose numbers are worked out by hand."""
    from disaster_desk.core.analysis import PostAnalysis
    from nlp.evaluate import Gold

    gold = [
        Gold("1", "", ["rescue"], "北区", 34.70, 135.50, "station", False),
        Gold("2", "", ["fire"], None, None, None, None, True),
        Gold("3", "", ["none"], None, None, None, None, False),
    ]
    pred = [
        PostAnalysis(["rescue", "fire"], "x", "北区", 34.71, 135.50, "station"),  # 1.1 km away
        PostAnalysis(["fire"], "y", "北区", 34.70, 135.50, "ward"),  # a pin for another city
        PostAnalysis(["none"]),
    ]
    m = evaluate(gold, pred)
    assert m["per_label"]["fire"]["precision"] == 0.5 and m["per_label"]["fire"]["recall"] == 1.0
    assert m["rescue_recall"] == 1.0
    assert m["ward_accuracy"] == pytest.approx(2 / 3)
    assert (m["point_posts"], m["within_1_5km"]) == (1, 1.0)
    assert (m["out_of_area_pins"], m["pins_without_place"]) == (1, 1)
