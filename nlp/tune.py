"""The rescue gate (:data:`nlp.learned.RESCUE_GATE`) chosen by batch-grouped cross-validation on train.

Why grouped by batch: the corpus was written in batches, each in its own voice and incidents; a
random split puts a post's near-twins on both sides and flatters the model. Each fold holds out
whole batches, the model is fitted on the others, and every train post gets an out-of-fold rescue
probability, i.e. one from a model that never saw its batch. The rules run as they are (they were
tuned on train, so their share of the errors is understated here; the fresh batches show the rest).

The gate is then chosen recall first: among the (alarm, rule_floor) pairs whose alarm recall is at
least :data:`MIN_RECALL`, the one with the best alarm precision (ties: the higher recall, then the
lower thresholds); ``review`` is the highest threshold at which alarm + 要確認 still reach
:data:`MIN_REVIEW_RECALL`. ``python -m nlp.tune`` prints the table; the chosen values go into
nlp/learned.py by hand-copying the printed line (the numbers are the tool's, not a person's).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.classifier import Classifier
from nlp.learned import RescueGate, WordVectors, design, outside
from nlp.normalise import normalise

DATA = Path(__file__).parent / "data"
MIN_RECALL = 0.97
MIN_REVIEW_RECALL = 0.99
FOLDS = 5
_BATCH = re.compile(r"^# Batch (\d+)")


@dataclass
class Post:
    text: str
    labels: list[str]
    batch: int


def read_batches(tsv: Path = DATA / "train.tsv") -> list[Post]:
    """Posts of the train split with their batch (the lines before ``# Batch 5`` are batches 1-4: 0)."""
    posts, batch = [], 0
    for line in tsv.read_text(encoding="utf-8").splitlines():
        m = _BATCH.match(line)
        if m:
            batch = int(m.group(1))
        if not line.strip() or line.startswith("#"):
            continue
        labels, _ward, _place, text = line.split("\t", 3)
        posts.append(Post(text, labels.split(","), batch))
    return posts


def out_of_fold(posts: list[Post], morphs: list, vectors: WordVectors, c: float = 1.0) -> np.ndarray:
    """Each post's rescue probability from a model fitted without its batch's fold."""
    from sklearn.linear_model import LogisticRegression

    batches = sorted({p.batch for p in posts})
    fold_of = {b: i % FOLDS for i, b in enumerate(batches)}
    folds = np.array([fold_of[p.batch] for p in posts])
    y = np.array(["rescue" in p.labels for p in posts])
    prob = np.zeros(len(posts))
    for k in range(FOLDS):
        train = np.flatnonzero(folds != k)
        test = np.flatnonzero(folds == k)
        index, x = design([morphs[i] for i in train], vectors)
        _, xt = design([morphs[i] for i in test], vectors, index)
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y[train])
        prob[test] = lr.predict_proba(xt)[:, 1]
    return prob


def decide(classifier: Classifier, texts: list[str], prob: np.ndarray, gate: RescueGate):
    """(alarm, review) flags per post, through the classifier exactly as the pipeline runs it."""
    alarm, review = [], []
    for text, p in zip(texts, prob, strict=True):
        v = classifier.analyse(text, learned=lambda spans, p=p: {"rescue": float(p)}, gate=gate)
        alarm.append("rescue" in v.labels)
        review.append("rescue" in v.review)
    return np.array(alarm), np.array(review)


def _pr(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    tp = int((pred & gold).sum())
    return (tp / pred.sum() if pred.sum() else 1.0), (tp / gold.sum() if gold.sum() else 1.0)


def choose(classifier: Classifier, texts: list[str], prob: np.ndarray, gold: np.ndarray, out=sys.stdout):
    rows = []
    for alarm_t in np.arange(0.30, 0.96, 0.05):
        for floor in np.arange(0.0, min(alarm_t, 0.5) + 1e-9, 0.05):
            gate = RescueGate(round(float(alarm_t), 2), round(float(floor), 2), 0.0)
            a, _ = decide(classifier, texts, prob, gate)
            precision, recall = _pr(a, gold)
            rows.append((gate, precision, recall))
    ok = [r for r in rows if r[2] >= MIN_RECALL] or [max(rows, key=lambda r: r[2])]
    gate, precision, recall = max(ok, key=lambda r: (round(r[1], 4), r[2], -r[0].alarm, -r[0].rule_floor))
    review = 0.0
    for t in np.arange(0.05, gate.alarm, 0.05):
        g = RescueGate(gate.alarm, gate.rule_floor, round(float(t), 2))
        a, r = decide(classifier, texts, prob, g)
        if _pr(a | r, gold)[1] >= MIN_REVIEW_RECALL:
            review = g.review
    gate = RescueGate(gate.alarm, gate.rule_floor, review)
    a, r = decide(classifier, texts, prob, gate)
    for g, p_, r_ in sorted(rows, key=lambda r: (-r[1], -r[2]))[:12]:
        print(f"  alarm {g.alarm:.2f} rule_floor {g.rule_floor:.2f}: precision {p_:.3f} recall {r_:.3f}", file=out)
    print(f"chosen {gate}: alarm P {_pr(a, gold)[0]:.3f} R {_pr(a, gold)[1]:.3f}; "
          f"with 要確認 R {_pr(a | r, gold)[1]:.3f}, {int((r & ~a).sum())} posts to confirm", file=out)
    return gate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.tune", description=__doc__.splitlines()[0])
    parser.add_argument("--dump", help="write the out-of-fold probabilities to this JSON file")
    args = parser.parse_args(argv)
    from nlp.pipeline import build_pipeline

    nlp = build_pipeline(learned=False)
    classifier = Classifier()
    posts = read_batches()
    texts = [normalise(p.text) for p in posts]
    morphs = [outside(nlp.tokenizer(t)._.dd_morphs, classifier.suppressed_spans(t)) for t in texts]
    vectors = WordVectors.from_ja_ginza()
    prob = out_of_fold(posts, morphs, vectors)
    gold = np.array(["rescue" in p.labels for p in posts])
    if args.dump:
        Path(args.dump).write_text(json.dumps({"prob": prob.tolist(), "gold": gold.tolist()}))
    print(f"train: {len(posts)} posts, {int(gold.sum())} rescue, {len({p.batch for p in posts})} batches, "
          f"{FOLDS} folds")
    choose(classifier, texts, prob, gold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
