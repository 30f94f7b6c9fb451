"""The learned model is ready on a fresh install: fitted by ``make venv`` into the install, keyed by
the digest of the corpus and the code, found before the user cache, refitted only when they change."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from disaster_desk.cli import main
from nlp import learned, model_store
from nlp.progress import STEPS, Step, stderr_reporter


def tiny_corpus(path: Path, extra: str = "") -> Path:
    rows = [json.dumps({"text": f"{label}のこと {i}{extra}", "labels": [label]}, ensure_ascii=False)
            for i, label in enumerate(learned.MODEL_LABELS)]
    rows.append(json.dumps({"text": "今日はええ天気", "labels": ["none"]}, ensure_ascii=False))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    install, cache = tmp_path / "install", tmp_path / "cache"
    monkeypatch.setenv("DD_MODEL_DIR", str(install))
    monkeypatch.setenv("DD_CACHE_DIR", str(cache))
    return install, cache / "nlp"


def test_the_key_follows_the_corpus_and_every_code_file_and_nothing_else(tmp_path, monkeypatch):
    corpus = tiny_corpus(tmp_path / "train.jsonl")
    code = []
    for f in model_store.CODE_FILES:
        shutil.copy(f, tmp_path / f.name)
        code.append(tmp_path / f.name)
    key = model_store.digest(corpus, tuple(code))
    assert key == model_store.digest(corpus, tuple(code)) and len(key) == 12
    other = tiny_corpus(tmp_path / "other.jsonl", extra="。")
    assert model_store.digest(other, tuple(code)) != key  # the corpus changed: a new model
    for f in code:
        before = f.read_bytes()
        f.write_bytes(before + b"\n# changed\n")
        assert model_store.digest(corpus, tuple(code)) != key, f.name  # the features' code changed
        f.write_bytes(before)
    assert model_store.digest(corpus, tuple(code)) == key
    monkeypatch.setattr(model_store, "_suppress_patterns", lambda: ["火の車"])
    assert model_store.digest(corpus, tuple(code)) != key  # what the model does not read changed


def test_the_pipelines_model_is_the_one_of_the_current_corpus_found_in_the_install(analyser):
    """``make venv`` (or the test session's start, after a corpus change) put it there: no test fits it."""
    key = model_store.digest()
    assert analyser.nlp.get_pipe("dd_classifier").model.digest == key
    found = model_store.find(key)
    assert found == model_store.install_dir() / model_store.file_name(key), found


def test_the_install_is_looked_in_before_the_user_cache(dirs):
    install, cache = dirs
    assert model_store.find("abc") is None
    cache.mkdir(parents=True)
    (cache / model_store.file_name("abc")).write_bytes(b"x")
    assert model_store.find("abc") == cache / "learned-abc.npz"
    install.mkdir(parents=True)
    (install / model_store.file_name("abc")).write_bytes(b"y")
    assert model_store.find("abc") == install / "learned-abc.npz"


def test_prepare_fits_once_says_its_steps_in_order_then_finds_it(dirs, tmp_path):
    install, _cache = dirs
    corpus = tiny_corpus(tmp_path / "train.jsonl")
    (install).mkdir(parents=True)
    (install / "learned-0123456789ab.npz").write_bytes(b"an older corpus's model")
    steps: list[Step] = []
    path, done = model_store.prepare(steps.append, corpus)
    assert done == "fitted" and path == install / model_store.file_name(model_store.digest(corpus))
    assert sorted(p.name for p in install.glob("learned-*.npz")) == [path.name]  # the older one pruned
    keys = [s.key for s in steps]
    assert keys[0] == "dictionary" and set(keys) == {"dictionary", "model"}
    fractions = [s.fraction for s in steps]
    assert fractions == sorted(fractions)  # the bar never goes back
    texts = [s.text for s in steps if s.slow]
    assert "単語ベクトル" in texts[0] and any("訓練データを解析中" in t for t in texts)
    assert [t for t in texts if "を学習中" in t][-1].endswith(f"{len(learned.MODEL_LABELS)}/{len(learned.MODEL_LABELS)}")
    assert "作成しました" in texts[-1]
    model = learned.load(path, "k")
    assert model.sparse_weights.shape[1] == len(learned.MODEL_LABELS)
    steps.clear()
    assert model_store.prepare(steps.append, corpus) == (path, "present") and steps == []


def test_prepare_copies_a_model_already_fitted_into_the_user_cache(dirs, tmp_path, capsys):
    install, cache = dirs
    key = model_store.digest()
    cache.mkdir(parents=True)
    (cache / model_store.file_name(key)).write_bytes(b"fitted on first use")
    assert main(["nlp", "prepare"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["done"], out["model"]) == ("copied", str(install / model_store.file_name(key)))
    assert (install / model_store.file_name(key)).read_bytes() == b"fitted on first use"
    assert main(["nlp", "prepare", "--quiet"]) == 0
    assert capsys.readouterr().out == ""  # make venv prints nothing when the model is there


def test_first_use_without_an_install_fits_into_the_user_cache_and_keeps_a_few(dirs, tmp_path, analyser):
    install, cache = dirs
    corpus = tiny_corpus(tmp_path / "train.jsonl")
    cache.mkdir(parents=True)
    for i in range(model_store.KEEP_IN_CACHE + 2):
        (cache / f"learned-old{i:09d}.npz").write_bytes(b"old")
    morphs_of = lambda text: analyser.nlp.tokenizer(text)._.dd_morphs  # noqa: E731
    model = learned.load_or_train(morphs_of, corpus)
    kept = sorted(p.name for p in cache.glob("learned-*.npz"))
    assert model_store.file_name(model.digest) in kept and len(kept) == model_store.KEEP_IN_CACHE
    assert not install.exists()  # first use never writes into the install


def test_the_cli_reporter_says_every_step_on_a_terminal_and_only_slow_work_in_a_pipe():
    steps = [Step("dictionary", STEPS[0][1], 0.0), Step("model", "学習モデルを作成しています（初回のみ）", 0.4, slow=True),
             Step("gazetteer", STEPS[2][1], 2 / 3)]
    tty, pipe = io.StringIO(), io.StringIO()
    for step in steps:
        stderr_reporter(tty, interactive=True)(step)
        stderr_reporter(pipe, interactive=False)(step)
    assert tty.getvalue().splitlines() == [
        "disaster-desk: [1/3] 形態素解析の辞書（Sudachi／GiNZA）を読み込んでいます (0%)",
        "disaster-desk: [2/3] 学習モデルを作成しています（初回のみ） (40%)",
        "disaster-desk: [3/3] 地名辞書（区・町丁目・駅・避難所）を読み込んでいます (67%)",
    ]
    assert pipe.getvalue().splitlines() == ["disaster-desk: [2/3] 学習モデルを作成しています（初回のみ） (40%)"]


def test_loading_the_analyser_reports_its_three_steps_in_order(tmp_path):
    from nlp.analyser import get_analyser

    steps: list[Step] = []
    get_analyser(tmp_path / "own-gazetteer", progress=steps.append)  # a dir no analyser was built for
    assert [s.key for s in steps] == [key for key, _text in STEPS]
    assert [s.fraction for s in steps] == [0.0, 1 / 3, 2 / 3] and not any(s.slow for s in steps)


def test_a_caller_waiting_for_an_analyser_another_thread_builds_sees_its_steps(tmp_path, monkeypatch):
    """A collector thread may start the build first; the start-up window's call still gets the steps."""
    import threading

    from nlp import analyser as analyser_module

    started, go = threading.Event(), threading.Event()
    real_init = analyser_module.Analyser.__init__

    def held(self, *args, **kwargs):
        started.set()
        go.wait(60)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(analyser_module.Analyser, "__init__", held)
    gazetteer = tmp_path / "shared-gazetteer"
    first = threading.Thread(target=analyser_module.get_analyser, args=(gazetteer,))  # no progress asked
    first.start()
    assert started.wait(60)
    steps: list[Step] = []
    got = []
    second = threading.Thread(target=lambda: got.append(analyser_module.get_analyser(gazetteer, progress=steps.append)))
    second.start()
    key = str(gazetteer.resolve())
    for _ in range(600):  # the second caller is registered and waits for the first one's build
        with analyser_module._listeners_lock:
            if analyser_module._listeners.get(key):
                break
        threading.Event().wait(0.05)
    go.set()
    first.join(120)
    second.join(120)
    assert [s.key for s in steps] == [key_ for key_, _text in STEPS]
    assert got and got[0] is analyser_module._cache[key]
    assert analyser_module._listeners[key] == []  # nobody left listening
