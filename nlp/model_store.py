"""Where the learned model (nlp.learned) is kept, and the key that says which corpus it was fitted on.

The model is a function of the training corpus (``nlp/data/train.jsonl``), the code that
turns a post into features (``nlp/learned.py``, ``nlp/tokenizer.py``, ``nlp/reading.py``, ``nlp/normalise.py``,
``nlp/pipeline.py``), the second rescue stage (``nlp/rescue_stage.json``),
the lexicon's ``suppress`` patterns (what the model does not read) and its status and
not-an-event cues (which the model reads as features), and GiNZA's vectors.
:func:`digest` hashes all of them, so a change to any is a new file name and a refit;
nothing has to be bumped by hand and a stale model is never loaded.

Two places are looked in, in order:

1. the install's model dir, ``<venv>/share/disaster-desk/nlp`` (``DD_MODEL_DIR`` overrides),
   filled by ``make venv`` (``disaster-desk nlp prepare``): a fresh install starts warm;
2. the user cache dir (``DD_CACHE_DIR``), where a model fitted on first use is kept
   (a corpus changed since the install, or an install without ``make``).

This module imports nothing heavy (no numpy, no spaCy): ``make venv``, ``make test`` and
the test session check the model in milliseconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

NLP_DIR = Path(__file__).resolve().parent
TRAIN_DATA = NLP_DIR / "data" / "train.jsonl"
#: The code that decides what the model is fitted on and how it reads a post.
#: ``pipeline.py``: ``training_morphs``, what a training post is turned into (suppressed spans out, cues
#: beside). ``rescue_stage.json``: the second stage of the rescue decision (nlp.learned.RescueStage),
#: so a new stage is a new key and a new analyser version (the model it re-reads is refitted with it).
CODE_FILES = (NLP_DIR / "learned.py", NLP_DIR / "tokenizer.py", NLP_DIR / "reading.py", NLP_DIR / "normalise.py",
              NLP_DIR / "pipeline.py", NLP_DIR / "rescue_stage.json")
#: Models kept in the user cache (other worktrees or corpora may share it); the install keeps one.
KEEP_IN_CACHE = 4


def install_dir() -> Path:
    """The install's model dir, filled by ``make venv``."""
    override = os.environ.get("DD_MODEL_DIR")
    return Path(override) if override else Path(sys.prefix) / "share" / "disaster-desk" / "nlp"


def cache_dir() -> Path:
    """The user cache dir's model folder (a model fitted on first use)."""
    from disaster_desk.core.settings import cache_dir as user_cache

    return user_cache() / "nlp"


def file_name(key: str) -> str:
    return f"learned-{key}.npz"


def _suppress_patterns() -> list[str]:
    import yaml

    import resources

    data = yaml.safe_load(resources.path("lexicon", "labels.yaml").read_bytes())
    # what the model does not read, and the cues it reads beside the words (nlp.learned.lexicon_cues)
    return [data.get("suppress", []), data.get("status", {}), data.get("none_context", {})]


def _ginza_version() -> str:
    from importlib import metadata

    for name in ("ja_ginza", "ja-ginza"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            return metadata.version(name)
    return ""


def digest(train_path: Path = TRAIN_DATA, code_files: tuple[Path, ...] = CODE_FILES) -> str:
    """The key of the model fitted on ``train_path`` by the current code (12 hex digits)."""
    h = hashlib.sha1(b"dd-learned/1\0")
    h.update(Path(train_path).read_bytes())
    for path in code_files:
        h.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    h.update(json.dumps(_suppress_patterns(), ensure_ascii=False).encode())
    h.update(_ginza_version().encode())
    return h.hexdigest()[:12]


def find(key: str) -> Path | None:
    """The stored model of ``key`` (the install's first, then the user cache's), or None."""
    for folder in (install_dir(), cache_dir()):
        path = folder / file_name(key)
        if path.is_file():
            return path
    return None


def prune(folder: Path, keep: Path, *, keep_count: int = 1) -> None:
    """Remove older models from ``folder``: all but ``keep`` and the ``keep_count - 1`` newest others."""
    others = sorted((p for p in folder.glob("learned-*.npz") if p != keep), key=lambda p: p.stat().st_mtime,
                    reverse=True)
    for old in others[max(0, keep_count - 1):]:
        with contextlib.suppress(OSError):
            old.unlink()
            log.info("removed old learned model %s", old.name)


@contextlib.contextmanager
def fitting_lock(folder: Path) -> Iterator[None]:
    """Held while a model is fitted into ``folder``: a second process starting at the same time
    waits and then loads the first one's model instead of fitting it again (POSIX; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:  # Windows: two first starts at once both fit; the files are still written atomically
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".fitting.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def prepare(progress=None, train_path: Path = TRAIN_DATA) -> tuple[Path, str]:
    """Make sure the install's model dir holds the model of the current corpus (``make venv``).

    Returns (path, what was done: ``present``, ``copied`` from the user cache, or ``fitted``).
    Only a fit loads spaCy and the Sudachi dictionary.
    """
    import shutil

    key = digest(train_path)
    target = install_dir() / file_name(key)
    if target.is_file():
        return target, "present"
    cached = cache_dir() / file_name(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    if cached.is_file():
        tmp = target.with_suffix(".npz.tmp")
        shutil.copyfile(cached, tmp)
        os.replace(tmp, target)
        prune(target.parent, target)
        return target, "copied"
    import spacy

    from nlp.classifier import Classifier
    from nlp.learned import load_or_train
    from nlp.pipeline import TOKENIZER, training_morphs
    from nlp.progress import report, reporting

    with reporting(progress):
        report("dictionary")
        blank = spacy.blank("ja", config={"nlp": {"tokenizer": TOKENIZER}})
        load_or_train(training_morphs(blank, Classifier()), train_path, target=target)
    return target, "fitted"
