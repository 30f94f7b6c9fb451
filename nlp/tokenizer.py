"""A lean SudachiPy tokenizer for the pipeline (split mode C, surfaces only).

spaCy's Japanese tokenizer also fills tags, lemmas, readings and, for split
mode C, re-splits every token in modes A and B for ``sub_tokens``; that is
~65 % of the pipeline's time here, and nothing downstream reads it: the
classifier and geoparser work on the normalised text, and tokens are used to
align place spans. This tokenizer keeps SudachiPy's segmentation and skips
the rest, except the morphemes' normalised form and coarse part of speech,
which the learned classifier reads from ``doc._.dd_morphs`` as
``(normalised form, part of speech, start offset)``, followed by their readings
(:func:`nlp.reading.model_morphs`: romaji posts re-read in kana, unknown katakana
words also in hiragana; the doc's tokens and text stay those of the post).
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

from nlp.reading import model_morphs

if not Doc.has_extension("dd_morphs"):
    Doc.set_extension("dd_morphs", default=())


class SudachiTokenizer:
    def __init__(self, vocab: Vocab, split_mode: str = "C") -> None:
        from nlp import sudachi

        self.vocab = vocab
        self.split_mode = split_mode
        self._tokenizer = sudachi.tokenizer(split_mode)

    def __call__(self, text: str) -> Doc:
        morphemes = [m for m in self._tokenizer.tokenize(text) if m.surface() and not m.surface().isspace()]
        words, spaces = get_words_and_spaces([m.surface() for m in morphemes], text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.dd_morphs = model_morphs(self._tokenizer, text, morphemes)
        return doc

    def __reduce__(self):
        return SudachiTokenizer, (self.vocab, self.split_mode)


@registry.tokenizers("dd.SudachiTokenizer.v1")
def create_tokenizer(split_mode: str = "C"):
    def make(nlp) -> SudachiTokenizer:
        return SudachiTokenizer(nlp.vocab, split_mode)

    return make
