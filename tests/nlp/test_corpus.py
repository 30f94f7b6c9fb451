"""The labelled corpus (nlp/data): size, coverage, and JSONL in sync with its TSV source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.taxonomy import LABELS
from nlp.corpus import SPLITS, build_split

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"


def _load(split: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {split: _load(split) for split in SPLITS}


def test_size_and_coverage(corpus):
    posts = corpus["train"] + corpus["dev"]
    assert len(posts) >= 400
    for split in SPLITS:
        labels = {label for p in corpus[split] for label in p["labels"]}
        assert labels == set(LABELS), split
        assert sum(1 for p in corpus[split] if p.get("out_of_area")) >= 10
    assert {p["ward"] for p in posts if p["ward"]} == set(OSAKA_WARDS)
    assert all(p["labels"] == ["none"] or "none" not in p["labels"] for p in posts)
    assert sum(1 for p in posts if p["text"].isascii()) >= 20  # visitors' English posts
    assert len({p["id"] for p in posts}) == len(posts)


def test_splits_do_not_share_posts(corpus):
    assert not {p["text"] for p in corpus["train"]} & {p["text"] for p in corpus["dev"]}


@pytest.mark.parametrize("split", SPLITS)
def test_jsonl_is_built_from_the_tsv(full_analyser, split, corpus):
    """Gold coordinates come from the gazetteer with the shared data; rebuild: python -m nlp.corpus DIR."""
    assert build_split(full_analyser.gazetteer, split) == corpus[split]
