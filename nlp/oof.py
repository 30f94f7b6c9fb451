"""Out-of-fold triage of train with today's rules: per-label figures and the errors to read.

``python -m nlp.tune`` chooses gates and reads each writer's batch with the lexicon *of its time*,
so it cannot show what a rule written today changes. This report answers the other question: with
the rules and cues as they are now, and the learned model out of fold (fitted without the post's
batch fold, :func:`nlp.tune.out_of_fold_all`, the same folds), what does the whole decision
(:meth:`nlp.classifier.Classifier.analyse` with the rescue stage and gate, news of another city
settled as the pipeline does) give per label? The rules were written on train, so their share of the
errors is understated; the figures are for comparing two states of the rules on the same folds, and
the listed false positives are what to group into classes (status, advice, elsewhere...).

``python -m nlp.oof [--from N] [--errors LABEL ...] [--json FILE]``. The tokenization is cached in
the user cache (:func:`disaster_desk.core.settings.cache_dir`, ``oof/``) by the corpus's digest; the
out-of-fold probabilities by the corpus's, the lexicon's and the feature code's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from disaster_desk.core.settings import cache_dir
from disaster_desk.core.taxonomy import LABELS
from nlp.classifier import Classifier
from nlp.evaluate import label_scores
from nlp.learned import MODEL_LABELS, RESCUE_GATE, RESCUE_STAGE, WordVectors, outside
from nlp.normalise import normalise
from nlp.tune import DATA, Post, news_elsewhere, out_of_fold_all, read_batches


def _cached(name: str, make):
    folder = cache_dir() / "oof"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.is_file():
        return pickle.loads(path.read_bytes())
    value = make()
    path.write_bytes(pickle.dumps(value))
    return value


def _digest(*parts: bytes) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:12]


def decisions(posts: list[Post], classifier: Classifier | None = None) -> tuple[list[set[str]], np.ndarray]:
    """Each post's labels from today's rules + the out-of-fold model, and the probabilities."""
    classifier = classifier or Classifier()
    texts = [normalise(p.text) for p in posts]
    corpus = _digest((DATA / "train.tsv").read_bytes())

    def tokenise():
        from nlp.pipeline import build_pipeline

        nlp = build_pipeline(learned=False)
        return [nlp.tokenizer(t)._.dd_morphs for t in texts]

    raw = _cached(f"morphs-{corpus}.pickle", tokenise)
    # the model's inputs depend on the lexicon (suppressed spans, cues) and on the feature code
    import nlp.learned as learned_module

    key = _digest(corpus.encode(), classifier.lexicon.digest.encode(),
                  Path(learned_module.__file__).read_bytes())

    def fit():
        morphs = [outside(m, classifier.suppressed_spans(t)) + classifier.cue_morphs(t)
                  for m, t in zip(raw, texts, strict=True)]
        return out_of_fold_all(posts, morphs, WordVectors.from_ja_ginza())

    prob = _cached(f"prob-{key}.pickle", fit)
    settled = news_elsewhere(posts, texts, {p.batch: classifier for p in posts})
    out = []
    for i, text in enumerate(texts):
        p = dict(zip(MODEL_LABELS, prob[i].tolist(), strict=True))
        verdict = classifier.analyse(text, learned=lambda _spans, p=p: p, gate=RESCUE_GATE, stage=RESCUE_STAGE)
        out.append({"none"} if settled[i] else set(verdict.labels))
    return out, prob


def figures(posts: list[Post], predicted: list[set[str]]) -> dict:
    """Per label as ``disaster-desk nlp eval`` counts (:func:`nlp.evaluate.label_scores`), and the macro mean."""
    per = label_scores([(p.labels, q) for p, q in zip(posts, predicted, strict=True)])
    return {"posts": len(posts), "per_label": per, "macro_f1": sum(v["f1"] for v in per.values()) / len(LABELS)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.oof", description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", type=int, default=11, help="first batch counted (default 11)")
    parser.add_argument("--errors", nargs="*", default=None,
                        help="list the false positives of these labels ('none' = none posts given a label)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    posts = read_batches()
    predicted, _prob = decisions(posts)
    keep = [i for i, p in enumerate(posts) if p.batch >= args.first]
    sub = [posts[i] for i in keep]
    m = figures(sub, [predicted[i] for i in keep])
    print(f"out of fold, today's rules, batches {args.first}+ ({len(sub)} posts)")
    print(f"{'label':<12}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for label, v in m["per_label"].items():
        print(f"{label:<12}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>6}")
    print(f"macro-F1 (11) {m['macro_f1']:.4f}")
    if args.json:
        Path(args.json).write_text(json.dumps(m, indent=1))
    for label in args.errors or []:
        print(f"\n## {label}: false positives" if label != "none" else "\n## none posts given a label")
        for i in keep:
            gold, got = set(posts[i].labels), predicted[i]
            wrong = (label not in gold and label in got) if label != "none" else ("none" in gold and got != {"none"})
            if wrong:
                print(f"{posts[i].batch}\t{','.join(sorted(gold))}\t->{','.join(sorted(got))}\t{posts[i].text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
