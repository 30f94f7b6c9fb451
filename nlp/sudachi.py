"""One SudachiPy dictionary per process, shared by the pipeline's tokenizer and the gazetteer's reader.

Each ``sudachipy.Dictionary`` loads the whole system dictionary (~190 MiB resident once read); two of
them (the tokenizer's and the gazetteer's readings of town names) doubled the analyser's memory. A
tokenizer made from the shared dictionary is cheap; each user keeps its own (tokenizers are not shared
between threads).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def dictionary():
    """The process's SudachiPy core dictionary (loaded on first use)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def tokenizer(split_mode: str = "C"):
    """A new SudachiPy tokenizer over the shared dictionary, in ``split_mode`` (A, B or C)."""
    from sudachipy import SplitMode

    return dictionary().create(mode=getattr(SplitMode, split_mode))
