"""A learned supplement to the rule lexicon: one logistic regression per label.

Why: the lexicon (nlp/classifier.py) is exact on phrasings it has seen, but each
freshly written batch of posts, evaluated before any rule was added for it, kept
rescue recall at 0.48-0.74. Leave-one-batch-out on the training corpus, with the
lexicon *as it was* before each batch, showed that adding a small linear model
(label = rule OR model) lifted those batches' rescue recall to ~0.9 and their
macro-F1 from 0.81 to 0.88 (figures in nlp/data/README.md).

Features, all cheap and all from the one SudachiPy tokenization the pipeline
already does (a romaji post and an unknown katakana word are also read in kana):
the morphemes' normalised forms (動け, うごけ → 動く; へん/ない/ん →
``<NEG>``), bigrams of them, verbs followed by a negation (``neg=動く``: "cannot
move", in any dialect), character trigrams of the morphemes' katakana readings
(``k=タスケ``: a post typed in kana, katakana or romaji shares them with its kanji
twin however SudachiPy splits it; :mod:`nlp.reading`), and the mean of GiNZA's
static word vectors (chiVe, in the ja_ginza package) over content words, so that
words never seen in training but close in meaning (箪笥 ~ 家具) still count.

Training data is ``nlp/data/train.jsonl`` only (the dev split stays held out).
The model is fitted with scikit-learn by ``make venv`` (``disaster-desk nlp prepare``) or,
when the corpus changed since, on first use, and kept under a digest of the training data,
this code, the lexicon's suppressions and the vectors (:mod:`nlp.model_store`); later
starts load it in well under a second and never import scikit-learn.
Prediction is a dot product in numpy.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.strings import get_string_id

from disaster_desk.core.taxonomy import LABELS
from nlp.reading import READING

log = logging.getLogger(__name__)

#: Bump when the features change: the cache key and the analyser version follow.
FEATURES_VERSION = "5"
#: Labels the model predicts (``none`` is "no other label").
MODEL_LABELS = tuple(label for label in LABELS if label != "none")
#: Probability above which the model adds a label the rules did not give (rescue: RESCUE_GATE).
#: Chosen by ``python -m nlp.tune --labels`` (2026-12-08, train batches 1-62, with the reading features):
#: batch-grouped CV, each writer's batch (11-62, 6,846 posts) read by a model fitted without its fold and
#: by the rules and cues of its time (news of another city settled as the pipeline does); per label the
#: (threshold, rule floor) with the best F1. F1 there against 0.6 / no floor: casualty 0.843 -> 0.890,
#: fire 0.885 -> 0.920, building 0.898 -> 0.905, flood 0.886 -> 0.917, lifeline 0.892 -> 0.905, transport
#: 0.880 -> 0.908, evacuation 0.884 -> 0.901, supplies 0.895 -> 0.918, safety 0.854 -> 0.879.
THRESHOLDS = {"casualty": 0.5, "fire": 0.7, "building": 0.65, "flood": 0.55, "lifeline": 0.55, "transport": 0.5,
              "evacuation": 0.45, "supplies": 0.4, "safety": 0.45, "rescue": 0.3}  # rescue: RESCUE_GATE.alarm
#: Probability from which a label the post did not get is shown to confirm (要確認). Rescue has its
#: own gate (:data:`RESCUE_GATE`).
REVIEW_THRESHOLDS: dict[str, float] = {}
#: Probability under which a label the rules read (other than rescue) is not given but shown to
#: confirm: the rules' false positives the model contradicts. Chosen with THRESHOLDS by ``python -m
#: nlp.tune --labels``.
RULE_FLOORS: dict[str, float] = {"casualty": 0.15, "fire": 0.25, "building": 0.15, "flood": 0.25, "lifeline": 0.1,
                                  "transport": 0.1, "evacuation": 0.2, "supplies": 0.15, "safety": 0.15}


@dataclass(frozen=True)
class RescueGate:
    """How the rescue alarm is decided from the rules and the model's probability ``p``.

    Alarm: ``p >= alarm``, or a rule found rescue and ``p >= rule_floor``. Below that, a rule's
    rescue or ``p >= review`` is 要確認 (possible rescue): the operator sees it without the alarm.
    """

    alarm: float
    rule_floor: float
    review: float


#: Chosen by ``python -m nlp.tune``, not by hand: batch-grouped cross-validation on train, each
#: writer's batch (11-53) read by a model fitted without its fold and by the rules and lexicon cues of
#: its time; recall first (alarm recall >= 0.97, alarm + 要確認 >= 0.99), then the best precision.
#: There (2026-12-08): alarm P 0.894 / R 0.971, with 要確認 R 0.992 (11-45: P 0.901, same gate).
#: Used only when no second stage is kept (:data:`RESCUE_GATE`).
FIRST_STAGE_GATE = RescueGate(alarm=0.30, rule_floor=0.15, review=0.1)

@dataclass(frozen=True)
class RescueStage:
    """The second stage of the rescue decision: a logistic regression over the first model's rescue
    probability (as a logit), whether a rule read rescue, and the lexicon's status cues the post
    matches (:func:`lexicon_cues`: resolved, news, not-rescue, still, advice, hypothetical...), each
    alone and times the logit. It decides between the alarm and 要確認 (through :data:`RESCUE_GATE`).

    Why a second stage: the first model reads a cue as one more word whose weight adds up with the
    words; the second learns how much a cue should move the first model's own confidence (a 救出された
    beside a sure rescue, a news cue beside a middling one) from the first model's *out-of-fold*
    probabilities, i.e. as it faces text it was not fitted on. Fitted and chosen by ``python -m
    nlp.tune --stage`` (batch-grouped CV on train, each writer's batch read by the rules and cues of its
    time) and kept in :data:`STAGE_FILE`; the figures it was chosen by are in the file.

    The weights correct the first model's own reading and are no glossary of the cues: the first
    model already counts a cue as a feature, so a cue it over-counts gets a negative weight here
    (``c=rescue_despite``, ``c=personal``: 母と連絡がとれない is safety far more often than rescue).
    """

    weights: dict[str, float]
    bias: float

    def features(self, p: float, by_rule: bool, cues: Iterable[str]) -> dict[str, float]:
        """The named inputs of one post (names as in :attr:`weights`)."""
        q = min(max(float(p), 1e-4), 1 - 1e-4)
        z = float(np.log(q / (1 - q)))
        out = {"logit": z, "rule": float(by_rule), "rule*logit": float(by_rule) * z}
        for cue in cues:
            out["c=" + cue] = 1.0
            out["c=" + cue + "*logit"] = z
        return out

    def probability(self, p: float, by_rule: bool, cues: Iterable[str]) -> float:
        score = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in self.features(p, by_rule, cues).items())
        return float(1.0 / (1.0 + np.exp(-score)))

    @classmethod
    def load(cls, path: Path) -> tuple[RescueStage, RescueGate] | None:
        """The stage kept in ``path`` and the gate chosen with it, or None when there is none."""
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            gate = RescueGate(**{k: float(v) for k, v in data["gate"].items()})
            return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"])), gate
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: not a rescue stage ({exc})") from None


#: Where ``python -m nlp.tune --stage --write`` keeps the second stage (:class:`RescueStage`) and the
#: gate chosen on its probabilities; part of the model's key (:func:`nlp.model_store.digest`), so a new
#: stage is a new analyser version.
STAGE_FILE = Path(__file__).parent / "rescue_stage.json"
_STAGE = RescueStage.load(STAGE_FILE)
#: The second stage the pipeline re-reads the model's rescue probability with (None: no stage kept).
RESCUE_STAGE: RescueStage | None = _STAGE[0] if _STAGE else None
#: The gate on the rescue probability the classifier decides by: the stage's (chosen with it, on its
#: probabilities), or the first model's when no stage is kept.
RESCUE_GATE: RescueGate = _STAGE[1] if _STAGE else FIRST_STAGE_GATE

#: Weight of the dense (vector) block against the binary token features.
VECTOR_SCALE = 3.0
TRAIN_DATA = Path(__file__).parent / "data" / "train.jsonl"

_NEGATIONS = frozenset({"ない", "無い", "へん", "ひん", "ん", "ず", "ぬ"})
_POTENTIAL = frozenset({"られる", "れる"})
_PAST = frozenset({"た", "だ"})
#: ``past=VERB`` for a verb in the past (助け出された, 出られた): what is over. Batch-grouped CV on
#: train (nlp.tune): rescue P 0.925 / R 0.973 with it, 0.925 / 0.971 without.
PAST_FEATURES = True
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "副詞"})
_SKIP_POS = frozenset({"補助記号", "空白"})

#: One morpheme as the tokenizer hands it over: (normalised form, part of speech, start offset).
Morph = tuple[str, str, int]
#: The part of speech of a lexicon cue handed to the model beside the morphemes
#: (:meth:`nlp.classifier.Classifier.cue_morphs`: ``("news", CUE, -1)``, ``("over:rescue", CUE, -1)``):
#: the rules' reading of a post's status (resolved, news, advice, not-rescue...) as features, so the
#: model learns what 救助 next to a news cue or a 救出された means. Batch-grouped CV (nlp.tune), each
#: held-out batch cued by the lexicon of its time: rescue alarm P 0.896 -> 0.907 at recall >= 0.97.
CUE = "CUE"
#: Reading character n-grams (``k=タスケ``) over each run of readings (:data:`nlp.reading.READING`
#: pseudo-morphemes; the long-vowel mark dropped): 「たすけて えれべーたーに」 and 「助けてエレベーターに」
#: share them however SudachiPy splits the kana. Batch-grouped CV (nlp.tune, train 1-48, batches 11-48):
#: rescue stage alarm P at R >= 0.97 / mean F1 of the nine other labels, without readings 0.889 / 0.904,
#: trigrams 0.921 / 0.906, bigrams and trigrams 0.919 / 0.907, trigrams and 4-grams 0.911 / 0.904.
#: A reading n-gram weighted 0.5 in the design matrix (words 1) gave 0.913 / 0.906: all features are 1.
READING_NGRAMS = (3,)


def lexicon_cues(lexicon, text: str, search=None) -> list[Morph]:
    """The lexicon's status cues, per-label resolved cues and not-an-event contexts found in a
    normalised post (:class:`nlp.classifier.Lexicon`), as pseudo-morphemes of part of speech :data:`CUE`.

    ``search(key, pattern, text)``: how a pattern is searched (the classifier's memo of the post)."""
    search = search or (lambda _key, pattern, t: pattern.search(t) is not None)
    found = [name for name, cue in lexicon.status.items() if search(name, cue, text)]
    found += [f"over:{label}" for label, cue in lexicon.resolved.items() if search(f"over:{label}", cue, text)]
    found += [f"context:{name}" for name, cue in lexicon.none_context.items() if search(f"context:{name}", cue, text)]
    return [(name, CUE, -1) for name in found]


def outside(morphs: Sequence[Morph], spans: Sequence[tuple[int, int]]) -> list[Morph]:
    """The morphemes that start outside ``spans``: the model reads what the rules read, with
    metaphors and jokes (家計が火の車, ドラマの倒壊シーン) taken out by the lexicon's ``suppress``."""
    if not spans:
        return list(morphs)
    return [m for m in morphs if not any(start <= m[2] < end for start, end in spans)]


def token_features(morphs: Sequence[Morph]) -> set[str]:
    """The sparse features of one post: lemmas, lemma bigrams, negated verbs, verbs in the past and
    reading character n-grams (:data:`READING_NGRAMS`)."""
    words: list[Morph] = []
    feats: set[str] = set()
    runs: list[str] = [""]
    for form, pos, _start in morphs:
        if pos == CUE:
            feats.add("c=" + form)
            continue
        if pos == READING:
            if form:
                runs[-1] += form.replace("ー", "")
            elif runs[-1]:
                runs.append("")
            continue
        if pos in _SKIP_POS:
            continue
        if pos == "助動詞" and form in _NEGATIONS:
            form = "<NEG>"
        elif pos == "助動詞" and form in _POTENTIAL:
            form = "<POT>"
        words.append((form, pos))
    for i, (form, pos) in enumerate(words):
        feats.add("w=" + form)
        if i + 1 < len(words):
            feats.add(f"b={form}_{words[i + 1][0]}")
        if pos in ("動詞", "形容詞"):
            for later, later_pos in words[i + 1 : i + 4]:
                if later == "<NEG>":
                    feats.add("neg=" + form)
                    break
                if later in _PAST and PAST_FEATURES:
                    feats.add("past=" + form)  # 助け出された, 出られた: what is over
                    break
                if later_pos not in ("助動詞", "動詞", "助詞"):
                    break
    for run in runs:
        for n in READING_NGRAMS:
            feats.update("k=" + run[i : i + n] for i in range(len(run) - n + 1))
    return feats


class WordVectors:
    """GiNZA's static vectors (chiVe, 20,000 rows for ~480,000 normalised forms), unit length.

    Read once from the ja_ginza package (~1.2 s) and kept in the cache as plain arrays.
    """

    def __init__(self, keys: np.ndarray, rows: np.ndarray, table: np.ndarray) -> None:
        """``keys`` sorted (for ``searchsorted``), ``rows[i]`` the table row of ``keys[i]``."""
        self.keys, self.rows, self.table = keys, rows, table

    @classmethod
    def from_ja_ginza(cls) -> WordVectors:
        import ja_ginza
        from spacy.vectors import Vectors

        vocab_dir = next(Path(ja_ginza.__file__).parent.glob("ja_ginza-*/vocab"))
        vectors = Vectors()
        vectors.from_disk(vocab_dir)
        keys = np.fromiter(vectors.key2row.keys(), dtype=np.uint64, count=len(vectors.key2row))
        rows = np.fromiter(vectors.key2row.values(), dtype=np.int64, count=len(vectors.key2row))
        order = np.argsort(keys)  # once here; the cache keeps them sorted
        table = np.asarray(vectors.data, dtype=np.float32)
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        return cls(keys[order], rows[order], table / np.maximum(norms, 1e-9))

    def mean(self, morphs: Sequence[Morph]) -> np.ndarray:
        """Mean unit vector of the content words found; zeros when none is known."""
        ids = np.array([get_string_id(f) for f, pos, _start in morphs if pos in _CONTENT_POS], dtype=np.uint64)
        if ids.size == 0:
            return np.zeros(self.table.shape[1], dtype=np.float32)
        at = np.searchsorted(self.keys, ids).clip(0, len(self.keys) - 1)
        found = self.keys[at] == ids
        if not found.any():
            return np.zeros(self.table.shape[1], dtype=np.float32)
        return self.table[self.rows[at[found]]].mean(axis=0)


@dataclass
class LearnedModel:
    """Per-label linear weights over the sparse features and the vector block."""

    feature_index: dict[str, int]
    sparse_weights: np.ndarray  # (n_features, n_labels)
    dense_weights: np.ndarray  # (dims, n_labels)
    bias: np.ndarray  # (n_labels,)
    vectors: WordVectors
    digest: str

    def probabilities(self, morphs: Sequence[Morph]) -> np.ndarray:
        idx = [self.feature_index[f] for f in token_features(morphs) if f in self.feature_index]
        score = self.bias + self.sparse_weights[idx].sum(axis=0)
        score = score + VECTOR_SCALE * (self.vectors.mean(morphs) @ self.dense_weights)
        return 1.0 / (1.0 + np.exp(-score))

    def confidence(self, morphs: Sequence[Morph]) -> dict[str, float]:
        """The probability of each label, in taxonomy order."""
        return dict(zip(MODEL_LABELS, self.probabilities(morphs).tolist(), strict=True))

    def labels(self, morphs: Sequence[Morph]) -> list[str]:
        """Labels whose probability passes :data:`THRESHOLDS`, in taxonomy order."""
        p = self.probabilities(morphs)
        return [label for label, prob in zip(MODEL_LABELS, p, strict=True) if prob >= THRESHOLDS[label]]


def read_training(path: Path = TRAIN_DATA) -> list[tuple[str, list[str]]]:
    """(text, labels) pairs of the training split."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            records.append((rec["text"], rec["labels"]))
    return records


def fit(
    examples: Iterable[tuple[Sequence[Morph], Iterable[str]]], vectors: WordVectors, digest: str, c: float = 1.0,
    on_label: Callable[[int, str], None] | None = None,
) -> LearnedModel:
    """Fit one balanced logistic regression per label (scikit-learn, imported only here).

    ``c``: inverse regularisation strength (1.0 was chosen by leave-one-batch-out on train).
    """
    from sklearn.linear_model import LogisticRegression

    examples = list(examples)
    gold = [set(labels) for _morphs, labels in examples]
    index, x = design([morphs for morphs, _labels in examples], vectors)
    n_sparse = len(index)
    sparse_w = np.zeros((n_sparse, len(MODEL_LABELS)))
    dense_w = np.zeros((x.shape[1] - n_sparse, len(MODEL_LABELS)))
    bias = np.zeros(len(MODEL_LABELS))
    for j, label in enumerate(MODEL_LABELS):
        if on_label is not None:
            on_label(j, label)
        y = np.array([label in g for g in gold])
        if y.all() or not y.any():
            raise ValueError(f"training data needs posts with and without {label!r}")
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)
        sparse_w[:, j] = lr.coef_[0, :n_sparse]
        dense_w[:, j] = lr.coef_[0, n_sparse:]
        bias[j] = lr.intercept_[0]
    return LearnedModel(index, sparse_w, dense_w, bias, vectors, digest)


def design(posts: Sequence[Sequence[Morph]], vectors: WordVectors, index: dict[str, int] | None = None):
    """The feature index (built from ``posts`` unless given) and the design matrix of ``posts``."""
    from scipy.sparse import csr_matrix, hstack

    feats = [token_features(morphs) for morphs in posts]
    if index is None:
        index = {}
        for fs in feats:
            for f in sorted(fs):
                index.setdefault(f, len(index))
    rows = [i for i, fs in enumerate(feats) for f in fs if f in index]
    cols = [index[f] for fs in feats for f in fs if f in index]
    sparse = csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(feats), len(index)))
    dense = np.vstack([vectors.mean(morphs) for morphs in posts])
    return index, hstack([sparse, csr_matrix(VECTOR_SCALE * dense)]).tocsr()


def _cache_path(digest: str) -> Path:
    """Where a model fitted on first use is kept (the user cache; see :mod:`nlp.model_store`)."""
    from nlp import model_store

    return model_store.cache_dir() / model_store.file_name(digest)


def _digest(train_path: Path) -> str:
    """The model's key: training data, feature code, lexicon suppressions, vectors (nlp.model_store)."""
    from nlp import model_store

    return model_store.digest(train_path)


def save(model: LearnedModel, path: Path) -> None:
    """Write atomically: two processes starting at once must not read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = np.array(sorted(model.feature_index, key=model.feature_index.__getitem__))
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    os.close(fd)
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, names=names, sparse=model.sparse_weights, dense=model.dense_weights, bias=model.bias,
                     keys=model.vectors.keys, rows=model.vectors.rows, table=model.vectors.table)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path, digest: str) -> LearnedModel:
    with np.load(path, allow_pickle=False) as z:
        names = [str(n) for n in z["names"]]
        vectors = WordVectors(z["keys"], z["rows"], z["table"])
        return LearnedModel({n: i for i, n in enumerate(names)}, z["sparse"], z["dense"], z["bias"], vectors, digest)


def load_or_train(morphs_of, train_path: Path = TRAIN_DATA, *, target: Path | None = None) -> LearnedModel:
    """The model for the current training data: stored (install, then user cache), else fitted and kept.

    ``morphs_of(text)`` must tokenise exactly as the pipeline does at prediction time.
    ``target``: the file to fit into (``disaster-desk nlp prepare`` fills the install's dir);
    by default the user cache. Progress goes to :func:`nlp.progress.report` (step ``model``).
    """
    from nlp import model_store
    from nlp.progress import report

    digest = _digest(train_path)
    report("model")
    found = model_store.find(digest) if target is None else (target if target.is_file() else None)
    if found is not None:
        try:
            return load(found, digest)
        except (OSError, ValueError, KeyError) as exc:  # a damaged file is refitted, not fatal
            log.warning("learned model %s unreadable (%s); retraining", found, exc)
    path = target or _cache_path(digest)
    with model_store.fitting_lock(path.parent):
        if path.is_file() and path != found:  # another process fitted it while this one waited
            try:
                return load(path, digest)
            except (OSError, ValueError, KeyError):
                pass
        model = _fit_reporting(morphs_of, train_path, digest)
        try:
            save(model, path)
            model_store.prune(path.parent, path,
                              keep_count=1 if target is not None else model_store.KEEP_IN_CACHE)
        except OSError as exc:
            log.warning("learned model not kept (%s)", exc)
    return model


def _fit_reporting(morphs_of, train_path: Path, digest: str) -> LearnedModel:
    """Fit the model, saying what it does: tokenising the corpus, reading the vectors, one label at a time."""
    import time

    from nlp.progress import report

    t0 = time.perf_counter()
    texts = read_training(train_path)
    first = "学習モデルを作成しています（初回のみ）"
    report("model", 0.0, f"{first}: 単語ベクトルを読み込み中", slow=True)
    vectors = WordVectors.from_ja_ginza()
    examples = []
    for i, (text, labels) in enumerate(texts):
        if i % 250 == 0:
            report("model", 0.05 + 0.45 * i / max(1, len(texts)),
                   f"{first}: 訓練データを解析中 {i:,}/{len(texts):,} 件", slow=True)
        examples.append((morphs_of(text), labels))

    def fitted(j: int, label: str) -> None:
        report("model", 0.5 + 0.5 * j / len(MODEL_LABELS),
               f"{first}: ラベル「{label}」を学習中 {j + 1}/{len(MODEL_LABELS)}", slow=True)

    model = fit(examples, vectors, digest, on_label=fitted)
    report("model", 1.0, f"学習モデルを作成しました（{len(examples):,} 件、{time.perf_counter() - t0:.0f} 秒）",
           slow=True)
    log.info("learned model %s trained on %d posts in %.1f s", digest, len(examples), time.perf_counter() - t0)
    return model
