"""The rescue gate (:data:`nlp.learned.RESCUE_GATE`) chosen by batch-grouped cross-validation on train.

Why grouped by batch: the corpus was written in batches, each in its own voice and incidents; a
random split puts a post's near-twins on both sides and flatters the model. Each fold holds out
whole batches, the model is fitted on the others, and every train post gets an out-of-fold rescue
probability, i.e. one from a model that never saw its batch. The rules run as they are (they were
tuned on train, so their share of the errors is understated here; the fresh batches show the rest).

The rules, though, were tuned on train: on their own batches they are almost never wrong, so
a gate chosen with today's rules would trust them blindly. Each batch from :data:`FIRST_UNSEEN`
on (written by separate writers) is therefore read with the lexicon *of its time* (the
``labels.yaml`` of the commit before the one that added the batch, from git), so both the rules
and the model face it as unseen text, as a fresh post is faced; the gate is chosen on those
batches.

The gate is then chosen recall first: among the (alarm, rule_floor) pairs whose alarm recall is at
least :data:`MIN_RECALL`, the one with the best alarm precision (ties: the higher recall, then the
lower thresholds); ``review`` is the highest threshold at which alarm + 要確認 still reach
:data:`MIN_REVIEW_RECALL`. ``python -m nlp.tune`` prints the table; the chosen values go into
nlp/learned.py by hand-copying the printed line (the numbers are the tool's, not a person's).

``--stage`` also fits the second rescue stage (:class:`nlp.learned.RescueStage`: the first model's
out-of-fold rescue probability re-read with the rules' rescue and the post's lexicon cues, each batch
with the cues of its time), chooses its inputs and C by the same grouped CV and the same recall-first
gate, and with ``--write`` keeps the stage and its gate in ``nlp/rescue_stage.json``. Posts that the
pipeline settles as news of another city after the geoparser (:func:`news_elsewhere`) are no alarm
in the CV either.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from disaster_desk.core.taxonomy import LABELS
from nlp.classifier import Classifier, Lexicon
from nlp.learned import MODEL_LABELS, STAGE_FILE, RescueGate, WordVectors, design, outside
from nlp.normalise import normalise

DATA = Path(__file__).parent / "data"
MIN_RECALL = 0.97
MIN_REVIEW_RECALL = 0.99
FOLDS = 5
#: The first train batch written by a separate writer (batches 1-10 were written beside the rules).
FIRST_UNSEEN = 11
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


def out_of_fold(posts: list[Post], morphs: list, vectors: WordVectors, c: float = 1.0,
                test_morphs: list | None = None) -> np.ndarray:
    """Each post's rescue probability from a model fitted without its batch's fold.

    ``test_morphs``: what the held-out fold is read as (its lexicon cues from the rules of its time),
    if not ``morphs``."""
    test_morphs = test_morphs or morphs
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
        _, xt = design([test_morphs[i] for i in test], vectors, index)
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y[train])
        prob[test] = lr.predict_proba(xt)[:, 1]
    return prob


def out_of_fold_all(posts: list[Post], morphs: list, vectors: WordVectors, c: float = 1.0,
                    test_morphs: list | None = None) -> np.ndarray:
    """Each post's probability for every label of :data:`MODEL_LABELS` (columns) from a model fitted
    without its batch's fold (one design matrix per fold, one regression per label)."""
    from sklearn.linear_model import LogisticRegression

    test_morphs = test_morphs or morphs
    batches = sorted({p.batch for p in posts})
    fold_of = {b: i % FOLDS for i, b in enumerate(batches)}
    folds = np.array([fold_of[p.batch] for p in posts])
    prob = np.zeros((len(posts), len(MODEL_LABELS)))
    for k in range(FOLDS):
        train = np.flatnonzero(folds != k)
        test = np.flatnonzero(folds == k)
        index, x = design([morphs[i] for i in train], vectors)
        _, xt = design([test_morphs[i] for i in test], vectors, index)
        for j, label in enumerate(MODEL_LABELS):
            y = np.array([label in posts[i].labels for i in train])
            lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)
            prob[test, j] = lr.predict_proba(xt)[:, 1]
    return prob


def label_parts(classifier: Classifier, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(by_rule, kept)`` per post and label of :data:`MODEL_LABELS`: the rules read the label, and
    the label survives once found (the post is an event, the label's event not over, no advice)."""
    sure = {label: 1.0 for label in MODEL_LABELS}
    by_rule = np.zeros((len(texts), len(MODEL_LABELS)), bool)
    kept = np.zeros_like(by_rule)
    for i, text in enumerate(texts):
        rules = set(classifier.rule_labels(text))
        labels = set(classifier.analyse(text, learned=lambda spans: sure).labels)
        for j, label in enumerate(MODEL_LABELS):
            by_rule[i, j], kept[i, j] = label in rules, label in labels
    return by_rule, kept


def choose_label_gates(by_rule: np.ndarray, kept: np.ndarray, prob: np.ndarray, gold: np.ndarray,
                       out=sys.stdout) -> dict[str, tuple[float, float]]:
    """Per label other than rescue, ``(threshold, rule_floor)`` with the best F1 of
    ``kept & (p >= threshold | rule & p >= rule_floor)`` (ties: the higher recall, the lower values)."""
    chosen: dict[str, tuple[float, float]] = {}
    for j, label in enumerate(MODEL_LABELS):
        if label == "rescue":
            continue
        p, g, r, k = prob[:, j], gold[:, j], by_rule[:, j], kept[:, j]
        rows = []
        for t in np.arange(0.30, 0.96, 0.05):
            for floor in np.arange(0.0, min(t, 0.5) + 1e-9, 0.05):
                pred = k & ((p >= t) | (r & (p >= floor)))
                precision, recall = _pr(pred, g)
                f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                rows.append((round(f1, 4), recall, -t, -floor, precision, round(float(t), 2), round(float(floor), 2)))
        best = max(rows)
        now = next(row for row in rows if row[5] == 0.6 and row[6] == 0.0)
        chosen[label] = (best[5], best[6])
        print(f"  {label:<11} threshold {best[5]:.2f} rule_floor {best[6]:.2f}: P {best[4]:.3f} R {best[1]:.3f} "
              f"F1 {best[0]:.3f} (0.60 / 0.00: P {now[4]:.3f} R {now[1]:.3f} F1 {now[0]:.3f})", file=out)
    return chosen


def decide(classifier: Classifier, texts: list[str], prob: np.ndarray, gate: RescueGate):
    """(alarm, review) flags per post, as :meth:`Classifier.analyse` gives them for ``gate``."""
    parts = _parts(classifier, texts)
    by_rule, kept, demoted = parts["by_rule"], parts["kept"], parts["demoted"]
    candidate = (prob >= gate.alarm) | (by_rule & (prob >= gate.rule_floor))
    alarm = candidate & kept
    review = ((candidate & demoted) | (~candidate & (by_rule | (prob >= gate.review)))) & parts["reviewable"]
    return alarm, review


_PARTS: dict[int, dict[str, np.ndarray]] = {}


def _parts(classifier: Classifier, texts: list[str]) -> dict[str, np.ndarray]:
    """What of the classifier's rescue decision does not depend on the model: read once per corpus.

    ``by_rule``: the rules read rescue; ``kept``: a rescue candidate stays an alarm (not over, no
    advice, no not-rescue cue); ``demoted``: a candidate becomes 要確認 (not-rescue cue);
    ``reviewable``: 要確認 is shown at all (the event is not over).
    """
    key = id(texts)
    if key not in _PARTS:
        always = RescueGate(0.0, 0.0, 0.0)
        never = RescueGate(2.0, 2.0, 0.0)
        rows = []
        for text in texts:
            sure = classifier.analyse(text, learned=lambda spans: {"rescue": 1.0}, gate=always)
            weak = classifier.analyse(text, learned=lambda spans: {"rescue": 0.0}, gate=never)
            rows.append(("rescue" in classifier.rule_labels(text), "rescue" in sure.labels,
                         "rescue" in sure.review, "rescue" in weak.review or "rescue" in sure.review))
        cols = np.array(rows, dtype=bool).reshape(-1, 4)
        _PARTS[key] = dict(zip(("by_rule", "kept", "demoted", "reviewable"), cols.T, strict=True))
    return _PARTS[key]


def _pr(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    tp = int((pred & gold).sum())
    return (tp / pred.sum() if pred.sum() else 1.0), (tp / gold.sum() if gold.sum() else 1.0)


def choose(run, prob: np.ndarray, gold: np.ndarray, out=sys.stdout) -> RescueGate:
    """The gate, recall first; ``run(prob, gate)`` gives the (alarm, review) flags of the posts of ``gold``."""
    rows = []
    for alarm_t in np.arange(0.30, 0.96, 0.05):
        for floor in np.arange(0.0, alarm_t + 1e-9, 0.05):
            gate = RescueGate(round(float(alarm_t), 2), round(float(floor), 2), 0.0)
            a, _ = run(prob, gate)
            precision, recall = _pr(a, gold)
            rows.append((gate, precision, recall))
    ok = [r for r in rows if r[2] >= MIN_RECALL] or [max(rows, key=lambda r: r[2])]
    gate, precision, recall = max(ok, key=lambda r: (round(r[1], 4), r[2], -r[0].alarm, -r[0].rule_floor))
    review = 0.0
    for t in np.arange(0.05, gate.alarm, 0.05):
        g = RescueGate(gate.alarm, gate.rule_floor, round(float(t), 2))
        a, r = run(prob, g)
        if _pr(a | r, gold)[1] >= MIN_REVIEW_RECALL:
            review = g.review
    gate = RescueGate(gate.alarm, gate.rule_floor, review)
    a, r = run(prob, gate)
    for g, p_, r_ in sorted(ok, key=lambda r: (-r[1], -r[2]))[:8]:
        print(f"  alarm {g.alarm:.2f} rule_floor {g.rule_floor:.2f}: precision {p_:.3f} recall {r_:.3f}", file=out)
    print(f"chosen {gate}: alarm P {_pr(a, gold)[0]:.3f} R {_pr(a, gold)[1]:.3f}; "
          f"with 要確認 R {_pr(a | r, gold)[1]:.3f}, {int((r & ~a).sum())} posts to confirm", file=out)
    return gate


def _spread(values: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """``values`` of the kept posts at their places in an array of all ``n`` posts (zeros elsewhere)."""
    out = np.zeros(n)
    out[keep] = values
    return out


def lexicon_of_the_time(batch: int) -> Lexicon | None:
    """The lexicon the rules had before ``batch`` was added to train (None: not committed yet)."""
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    added = subprocess.run(
        ["git", "-C", str(root), "log", "-S", f"# Batch {batch} (", "--format=%H", "--reverse", "--",
         "nlp/data/train.tsv"], capture_output=True, text=True, check=True).stdout.split()
    if not added:
        return None
    raw = subprocess.run(["git", "-C", str(root), "show", f"{added[0]}^:resources/lexicon/labels.yaml"],
                         capture_output=True, check=True).stdout
    data = yaml.safe_load(raw)
    resolved = data.get("status", {}).get("resolved")
    if isinstance(resolved, list):  # before per-label resolution: any cue ended every label's event
        data["status"]["resolved"] = {label: resolved for label in LABELS if label != "none"}
    with tempfile.NamedTemporaryFile(suffix=".yaml") as fh:
        fh.write(yaml.safe_dump(data, allow_unicode=True).encode())
        fh.flush()
        return Lexicon.load(Path(fh.name))


_OF_THE_TIME: dict[int, Classifier] = {}


def classifier_of_the_time(batch: int, current: Classifier) -> Classifier:
    """The rules as they were before ``batch`` joined train (``current`` for batches not committed yet)."""
    if batch not in _OF_THE_TIME:
        lexicon = lexicon_of_the_time(batch)
        _OF_THE_TIME[batch] = Classifier(lexicon) if lexicon else current
    return _OF_THE_TIME[batch]


def unseen_decisions(posts: list[Post], texts: list[str]) -> tuple[np.ndarray, callable]:
    """The posts of the writers' batches and a ``decide(prob, gate)`` reading each with its time's rules."""
    keep = np.array([p.batch >= FIRST_UNSEEN for p in posts])
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(posts):
        if keep[i]:
            groups.setdefault(p.batch, []).append(i)
    current = Classifier()
    per_batch = []
    for batch, idx in sorted(groups.items()):
        per_batch.append((np.array(idx), classifier_of_the_time(batch, current), [texts[i] for i in idx]))
    settled = news_elsewhere(posts, texts, {batch: c for batch, (_i, c, _t) in zip(sorted(groups), per_batch,
                                                                                     strict=True)})

    def run(prob: np.ndarray, gate: RescueGate) -> tuple[np.ndarray, np.ndarray]:
        alarm, review = np.zeros(len(posts), bool), np.zeros(len(posts), bool)
        for idx, classifier, batch_texts in per_batch:
            alarm[idx], review[idx] = decide(classifier, batch_texts, prob[idx], gate)
        return (alarm & ~settled)[keep], (review & ~settled)[keep]

    def parts() -> tuple[np.ndarray, np.ndarray]:
        """:func:`label_parts` of the kept posts, each batch read by the rules of its time."""
        by_rule = np.zeros((len(posts), len(MODEL_LABELS)), bool)
        kept = np.zeros_like(by_rule)
        for idx, classifier, batch_texts in per_batch:
            by_rule[idx], kept[idx] = label_parts(classifier, batch_texts)
        kept[settled] = False
        return by_rule[keep], kept[keep]

    def cues() -> list[set[str]]:
        """The lexicon cues of each kept post, by the lexicon of its batch's time (the stage's inputs)."""
        found: list[set[str]] = [set() for _ in posts]
        for idx, classifier, batch_texts in per_batch:
            for i, text in zip(idx, batch_texts, strict=True):
                found[i] = {name for name, _pos, _at in classifier.cue_morphs(text)}
        return [found[i] for i in np.flatnonzero(keep)]

    run.parts = parts
    run.cues = cues
    return keep, run


def news_elsewhere(posts: list[Post], texts: list[str], classifiers: dict[int, Classifier]) -> np.ndarray:
    """Per post: news or an RT about another city, not about someone close, with no pin in the area —
    the pipeline's :meth:`nlp.pipeline.StatusComponent.settle_news` makes it ``none`` after the
    geoparser, so the cross-validation does too (each batch's news and personal cues of its time)."""
    from nlp.analyser import _NEWS_RT
    from nlp.gazetteer import Gazetteer
    from nlp.geoparser import Geoparser

    geo = Geoparser(Gazetteer.load(None))
    out = np.zeros(len(posts), bool)
    for i, (post, text) in enumerate(zip(posts, texts, strict=True)):
        classifier = classifiers.get(post.batch)
        if classifier is None:
            continue
        if not (classifier.is_news(text) or _NEWS_RT.match(post.text.strip())):
            continue
        loc = geo.locate(text)
        out[i] = loc.out_of_area and loc.lat is None and not classifier.is_personal(text)
    return out


#: The second stage's inputs (:meth:`nlp.learned.RescueStage.features`) tried by :func:`fit_stage`:
#: the logit, the rules' rescue and the cues alone, or also each times the logit.
STAGE_SETS = {"cues": lambda name: "*" not in name, "cues*logit": lambda name: True}
STAGE_C = (0.3, 1.0, 3.0)


def stage_design(prob: np.ndarray, by_rule: np.ndarray, cues: list[set[str]], names: list[str] | None = None):
    """The feature names (built from the posts unless given) and the design matrix of the stage."""
    from nlp.learned import RescueStage

    probe = RescueStage({}, 0.0)
    rows = [probe.features(p, r, c) for p, r, c in zip(prob, by_rule, cues, strict=True)]
    if names is None:
        names = sorted({name for row in rows for name in row})
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows])
    return names, x


def fit_stage(prob: np.ndarray, by_rule: np.ndarray, cues: list[set[str]], gold: np.ndarray, groups: np.ndarray,
              run, out=sys.stdout):
    """The second stage (:class:`nlp.learned.RescueStage`) chosen by batch-grouped CV on the first
    model's out-of-fold probabilities of the kept posts: per input set and C, each fold's stage is
    fitted on the other folds, and the set/C whose out-of-fold stage probabilities give the best
    gate (:func:`choose`: recall first, then precision) wins; it is then refitted on all of them.

    ``run(prob, gate)``: the (alarm, review) flags of the kept posts. Returns (stage, oof probabilities,
    gate, description)."""
    from sklearn.linear_model import LogisticRegression

    from nlp.learned import RescueStage

    names, x = stage_design(prob, by_rule, cues)
    rows = []
    for set_name, use in STAGE_SETS.items():
        cols = [j for j, name in enumerate(names) if use(name)]
        for c in STAGE_C:
            oof = np.zeros(len(prob))
            for k in np.unique(groups):
                test = groups == k
                lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x[~test][:, cols], gold[~test])
                oof[test] = lr.predict_proba(x[test][:, cols])[:, 1]
            quiet = _Null()
            gate = choose(run, oof, gold, out=quiet)
            a, _r = run(oof, gate)
            precision, recall = _pr(a, gold)
            print(f"  stage {set_name:<10} C {c:<4}: alarm P {precision:.3f} R {recall:.3f} ({gate})", file=out)
            rows.append((round(precision, 4), recall, -c, set_name, c, cols, oof, gate))
    precision, recall, _c, set_name, c, cols, oof, gate = max(rows, key=lambda r: r[:3])
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x[:, cols], gold)
    stage = RescueStage({names[j]: round(float(w), 6) for j, w in zip(cols, lr.coef_[0], strict=True)},
                        round(float(lr.intercept_[0]), 6))
    return stage, oof, gate, f"inputs {set_name}, C {c}: alarm P {precision:.3f} R {recall:.3f}"


class _Null:
    def write(self, _s: str) -> int:
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.tune", description=__doc__.splitlines()[0])
    parser.add_argument("--dump", help="write the out-of-fold probabilities to this JSON file")
    parser.add_argument("--labels", action="store_true",
                        help="also choose each other label's threshold and rule floor (all labels' out-of-fold models)")
    parser.add_argument("--stage", action="store_true",
                        help="also fit the second rescue stage (nlp.learned.RescueStage) and choose its gate")
    parser.add_argument("--write", action="store_true",
                        help=f"with --stage: keep the stage and its gate in {STAGE_FILE.name} (the analyser reads it)")
    args = parser.parse_args(argv)
    from nlp.pipeline import build_pipeline

    nlp = build_pipeline(learned=False)
    classifier = Classifier()
    posts = read_batches()
    texts = [normalise(p.text) for p in posts]
    base = [outside(nlp.tokenizer(t)._.dd_morphs, classifier.suppressed_spans(t)) for t in texts]
    # fitted on today's cues (as the installed model is); a held-out writer's batch is read with the
    # cues of its time, as the rules are
    morphs = [m + classifier.cue_morphs(t) for m, t in zip(base, texts, strict=True)]
    timed = [m + (classifier_of_the_time(p.batch, classifier) if p.batch >= FIRST_UNSEEN else classifier).cue_morphs(t)
             for m, t, p in zip(base, texts, posts, strict=True)]
    vectors = WordVectors.from_ja_ginza()
    prob = out_of_fold(posts, morphs, vectors, test_morphs=timed)
    gold = np.array(["rescue" in p.labels for p in posts])
    if args.dump:
        Path(args.dump).write_text(json.dumps({"prob": prob.tolist(), "gold": gold.tolist()}))
    print(f"train: {len(posts)} posts, {int(gold.sum())} rescue, {len({p.batch for p in posts})} batches, "
          f"{FOLDS} folds")
    print("today's rules on all of train:")
    choose(lambda prob_, gate: decide(classifier, texts, prob_, gate), prob, gold)
    keep, run = unseen_decisions(posts, texts)
    print(f"batches {FIRST_UNSEEN}+ ({int(keep.sum())} posts, {int(gold[keep].sum())} rescue), each with the "
          "rules of its time (the gate to use):")
    choose(lambda prob_, gate: run(prob_, gate), prob, gold[keep])
    if args.stage:
        by_rule, _kept = run.parts()
        r = MODEL_LABELS.index("rescue")
        batches = np.array([p.batch for p in posts])[keep]
        fold_of = {b: i % FOLDS for i, b in enumerate(sorted({p.batch for p in posts}))}
        groups = np.array([fold_of[b] for b in batches])
        print("second stage (batch-grouped CV of the stage on the first model's out-of-fold probabilities):")
        stage, oof, gate, how = fit_stage(prob[keep], by_rule[:, r], run.cues(), gold[keep], groups,
                                          lambda prob_, gate_: run(_spread(prob_, keep, len(posts)), gate_))
        print(f"chosen stage: {how}")
        gate = choose(lambda prob_, gate_: run(_spread(prob_, keep, len(posts)), gate_), oof, gold[keep])
        if args.write:
            import datetime

            STAGE_FILE.write_text(json.dumps({
                "chosen": f"python -m nlp.tune --stage, {datetime.date.today()}: {len(posts)} train posts, "
                          f"batches {FIRST_UNSEEN}+ ({int(keep.sum())} posts) each read by the rules and cues of "
                          f"its time; {how}",
                "gate": {"alarm": gate.alarm, "rule_floor": gate.rule_floor, "review": gate.review},
                "bias": stage.bias, "weights": dict(sorted(stage.weights.items())),
            }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"written {STAGE_FILE}")
    if args.labels:
        every = out_of_fold_all(posts, morphs, vectors, test_morphs=timed)
        gold_all = np.array([[label in p.labels for label in MODEL_LABELS] for p in posts])
        if args.dump:
            Path(args.dump).with_suffix(".labels.json").write_text(json.dumps({"prob": every.tolist()}))
        by_rule, kept = run.parts()
        print(f"other labels, batches {FIRST_UNSEEN}+ with the rules of their time (THRESHOLDS, RULE_FLOORS):")
        chosen = choose_label_gates(by_rule, kept, every[keep], gold_all[keep])
        print("THRESHOLDS:", {label: t for label, (t, _f) in chosen.items()})
        print("RULE_FLOORS:", {label: f for label, (_t, f) in chosen.items() if f > 0})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
