"""The learned supplement (nlp.learned): features, cache, and what it adds to the rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp import learned
from nlp.classifier import Classifier
from nlp.evaluate import evaluate, read_gold
from nlp.normalise import normalise
from nlp.reading import READING

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"


@pytest.fixture(scope="module")
def tokenizer(analyser):
    return analyser.nlp.tokenizer


def morphs(tokenizer, text):
    return tokenizer(normalise(text))._.dd_morphs


def test_a_negated_verb_is_one_feature_in_any_dialect_or_script(tokenizer):
    """「動けない」「うごけへん」「動かれへん」 all say "cannot move": one feature, neg=動く."""
    for text in ("動けない", "うごけへん", "動かれへん", "動けん"):
        assert "neg=動く" in learned.token_features(morphs(tokenizer, text)), text
    assert "neg=出る" in learned.token_features(morphs(tokenizer, "家から出られへん"))
    assert not any(f.startswith("neg=") for f in learned.token_features(morphs(tokenizer, "電車が動いた")))


def test_the_tokenizer_hands_over_normalised_forms(tokenizer):
    forms = [form for form, _pos, _start in morphs(tokenizer, "たんすの したに いる うごけない")]
    assert "箪笥" in forms and "動く" in forms


def test_the_model_in_the_pipeline_is_fitted_on_train_only(analyser):
    model = analyser.nlp.get_pipe("dd_classifier").model
    assert model is not None
    assert f"+ml.{model.digest}" in analyser.version
    assert model.digest == learned._digest(learned.TRAIN_DATA)


def test_cache_round_trip_gives_the_same_probabilities(analyser, tokenizer, tmp_path):
    model = analyser.nlp.get_pipe("dd_classifier").model
    path = tmp_path / "m.npz"
    learned.save(model, path)
    again = learned.load(path, model.digest)
    for text in ("マンション倒壊、中に人がおる", "梅田で停電", "今日はええ天気"):
        m = morphs(tokenizer, text)
        np.testing.assert_allclose(again.probabilities(m), model.probabilities(m))


def test_a_damaged_cache_is_refitted_not_fatal(tokenizer, tmp_path, monkeypatch):
    monkeypatch.setenv("DD_CACHE_DIR", str(tmp_path))
    tiny = tmp_path / "tiny.jsonl"
    rows = []
    for i, label in enumerate(learned.MODEL_LABELS):
        rows.append(f'{{"text": "{label} {i}", "labels": ["{label}"]}}')
    rows.append('{"text": "今日はええ天気", "labels": ["none"]}')
    tiny.write_text("\n".join(rows), encoding="utf-8")
    digest = learned._digest(tiny)
    cache = learned._cache_path(digest)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a zip")
    model = learned.load_or_train(lambda t: morphs(tokenizer, t), tiny)
    assert model.digest == digest
    assert learned.load(cache, digest).feature_index == model.feature_index


def test_fitting_needs_both_classes(tokenizer, analyser):
    vectors = analyser.nlp.get_pipe("dd_classifier").model.vectors
    with pytest.raises(ValueError, match="rescue"):
        learned.fit([(morphs(tokenizer, "停電"), ["lifeline"])], vectors, "x")


def test_learned_labels_never_override_a_drill_or_an_ad():
    classifier = Classifier()
    assert classifier.classify(normalise("防災訓練で救助の手順を確認"), learned=lambda spans: ["rescue"]) == ["none"]
    assert classifier.classify(normalise("今日はええ天気"), learned=lambda spans: ["rescue"]) == ["rescue"]


def test_rules_plus_model_recall_rescue_the_rules_alone_miss(analyser):
    """On the held-out dev split (never trained on): the model must add rescue recall, not just match it."""
    from nlp.pipeline import build_pipeline

    gold = [g for g in read_gold(DATA / "dev.jsonl")]
    texts = [normalise(g.text) for g in gold]
    rules_only = build_pipeline(learned=False)
    rules = [doc._.dd_labels for doc in rules_only.pipe(texts)]
    both = [doc._.dd_labels for doc in analyser.nlp.pipe(texts)]
    rescue = [i for i, g in enumerate(gold) if "rescue" in g.labels]
    caught_by_rules = sum("rescue" in rules[i] for i in rescue)
    caught_by_both = sum("rescue" in both[i] for i in rescue)
    assert caught_by_both >= caught_by_rules + 5
    assert evaluate(gold, analyser.analyse([g.text for g in gold]))["rescue_recall"] >= 0.95


def test_the_model_does_not_read_what_the_rules_suppress(analyser):
    """「布団から出られへん」 is a joke the lexicon suppresses; the model must not read it either."""
    component = analyser.nlp.get_pipe("dd_classifier")
    text = normalise("冬の朝、布団から出られへん")
    doc = analyser.nlp.tokenizer(text)
    kept = learned.outside(doc._.dd_morphs, component.classifier.suppressed_spans(text))
    assert [form for form, pos, _start in kept if pos != READING] == ["冬", "の", "朝", "、"]
    assert [form for form, pos, _start in kept if pos == READING] == ["フユ", "ノ", "アサ", ""]  # 、 is a break
    assert analyser.analyse_one("冬の朝、布団から出られへん").labels == ["none"]


#: Distress typed without kanji conversion — katakana, romaji, half-width — and their kanji twins
#: (written for this test; not in train or dev).
KANA_DISTRESS = [
    ("タスケテ イエ ツブレタ アシ ウゴカナイ", "助けて、家が潰れた、足が動かない"),
    ("oji-san ga tansu no shita ni iru ugokenai", "おじさんが箪笥の下にいる、動けない"),
    ("ﾀｽｹﾃ ﾄｲﾚﾆ ﾄｼﾞｺﾒﾗﾚﾀ ﾄﾞｱ ｱｶﾅｲ", "助けて、トイレに閉じ込められた、ドアが開かない"),
]


@pytest.mark.parametrize(("kana", "kanji"), KANA_DISTRESS)
def test_distress_without_kanji_raises_the_alarm_like_its_kanji_twin(analyser, kana, kanji):
    """The reading features (nlp.reading): the kana, katakana or romaji post is a rescue as its twin is."""
    assert "rescue" in analyser.analyse_one(kanji).labels
    assert "rescue" in analyser.analyse_one(kana).labels
