"""A lean SudachiPy tokenizer for the pipeline (split mode C, surfaces only).

spaCy's Japanese tokenizer also fills tags, lemmas, readings and, for split
mode C, re-splits every token in modes A and B for ``sub_tokens``; that is
~65 % of the pipeline's time here, and nothing downstream reads it: the
classifier and geoparser work on the normalised text, and tokens are used to
align place spans. This tokenizer keeps SudachiPy's segmentation and skips
the rest.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab


class SudachiTokenizer:
    def __init__(self, vocab: Vocab, split_mode: str = "C") -> None:
        from sudachipy import Dictionary, SplitMode

        self.vocab = vocab
        self.split_mode = split_mode
        self._tokenizer = Dictionary(dict="core").create(mode=getattr(SplitMode, split_mode))

    def __call__(self, text: str) -> Doc:
        words = [m.surface() for m in self._tokenizer.tokenize(text) if m.surface() and not m.surface().isspace()]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def __reduce__(self):
        return SudachiTokenizer, (self.vocab, self.split_mode)


@registry.tokenizers("dd.SudachiTokenizer.v1")
def create_tokenizer(split_mode: str = "C"):
    def make(nlp) -> SudachiTokenizer:
        return SudachiTokenizer(nlp.vocab, split_mode)

    return make
