"""The rescue gate is chosen recall first, then precision (nlp.tune)."""

import io

import numpy as np

from nlp.learned import RescueGate
from nlp.tune import MIN_RECALL, choose, read_batches


def test_train_posts_carry_their_batch():
    posts = read_batches()
    assert posts[0].batch == 0 and posts[-1].batch >= 45
    assert {0, 5, 11, 35, 38, 41, 42, 45} <= {p.batch for p in posts}  # AI-1 .. AL-2 are 38-45


def test_the_gate_keeps_recall_and_then_raises_precision():
    # 20 rescues: 19 sure, one at p 0.4; 10 non-rescues the rules read as rescue at p 0.1, and
    # 10 the model finds at p 0.5. A gate alarming on the rules alone would have precision 0.5.
    gold = np.array([True] * 20 + [False] * 20)
    prob = np.array([0.9] * 19 + [0.4] + [0.1] * 10 + [0.32] * 10)
    by_rule = np.array([True] * 20 + [True] * 10 + [False] * 10)

    def run(p, gate: RescueGate):
        alarm = (p >= gate.alarm) | (by_rule & (p >= gate.rule_floor))
        return alarm, ~alarm & (by_rule | (p >= gate.review))

    gate = choose(run, prob, gold, out=io.StringIO())
    alarm, review = run(prob, gate)
    assert (alarm & gold).sum() / gold.sum() >= MIN_RECALL
    assert (alarm & gold).sum() == alarm.sum()  # every false alarm gone
    assert review[20:30].all()  # the rules' rescues the model doubts are to confirm


def test_each_label_gets_the_threshold_and_rule_floor_with_the_best_f1():
    from nlp.learned import MODEL_LABELS
    from nlp.tune import choose_label_gates

    # fire: 10 true posts the model finds at 0.7 (5 of them also read by a rule); 10 rule false
    # positives the model finds at 0.1 (a burnt pan's smoke): a floor of 0.15 drops them all.
    n = 20
    j = MODEL_LABELS.index("fire")
    gold = np.zeros((n, len(MODEL_LABELS)), bool)
    gold[:10, j] = True
    prob = np.zeros((n, len(MODEL_LABELS)))
    prob[:10, j], prob[10:, j] = 0.7, 0.1
    by_rule = np.zeros_like(gold)
    by_rule[5:, j] = True
    kept = np.ones_like(gold)
    chosen = choose_label_gates(by_rule, kept, prob, gold, out=io.StringIO())
    threshold, floor = chosen["fire"]
    assert threshold <= 0.7 and 0.1 < floor <= threshold
    assert "rescue" not in chosen


def test_the_second_stage_learns_what_a_cue_does_to_the_first_models_confidence():
    """Posts the first model finds likely (p 0.7): half of them carry a news cue and are no rescue.
    Read alone, p cannot tell them apart; the stage (fitted by grouped CV) learns that the cue
    lowers the probability, and its gate alarms on the rescues only."""
    from nlp.tune import fit_stage

    n = 40
    gold = np.array([True] * 20 + [False] * 20)
    prob = np.array([0.7] * 20 + [0.7] * 15 + [0.2] * 5)
    by_rule = np.array([True] * 10 + [False] * 10 + [True] * 10 + [False] * 10)
    cues = [set() for _ in range(20)] + [{"news"} for _ in range(20)]
    groups = np.arange(n) % 5

    def run(p, gate: RescueGate):
        alarm = (p >= gate.alarm) | (by_rule & (p >= gate.rule_floor))
        return alarm, ~alarm & (p >= gate.review)

    stage, oof, gate, how = fit_stage(prob, by_rule, cues, gold, groups, run, out=io.StringIO())
    assert stage.weights["c=news"] < 0 and "C" in how
    alarm, _review = run(oof, gate)
    assert (alarm & gold).sum() == gold.sum() and not (alarm & ~gold).any()
    news_p = stage.probability(0.7, False, ["news"])
    assert news_p < stage.probability(0.7, False, []) and news_p < gate.alarm


def test_the_stage_file_is_read_with_its_gate(tmp_path):
    import json

    import pytest

    from nlp.learned import STAGE_FILE, RescueStage

    stage, gate = RescueStage.load(STAGE_FILE)  # the shipped one
    assert stage.weights and 0 < gate.review <= gate.alarm < 1
    bad = tmp_path / "stage.json"
    bad.write_text(json.dumps({"weights": {"logit": 1.0}}), encoding="utf-8")
    with pytest.raises(ValueError, match="stage.json"):
        RescueStage.load(bad)
    assert RescueStage.load(tmp_path / "missing.json") is None
