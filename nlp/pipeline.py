"""The spaCy pipeline: a GiNZA/SudachiPy tokenizer plus the project's own components.

``dd_classifier`` sets ``doc._.dd_labels``; ``dd_geoparser`` sets
``doc._.dd_location`` and ``doc.spans["dd_places"]``. Both read the normalised
text (posts are normalised before they are turned into docs). No tok2vec,
parser or NER runs: GiNZA's NER labels Osaka places unreliably and costs ~90 %
of the full pipeline's time, while a gazetteer over the text does better.
"""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.tokenizer  # noqa: F401  (registers dd.SudachiTokenizer.v1)
from nlp.classifier import Classifier
from nlp.gazetteer import Gazetteer
from nlp.geoparser import Geoparser, Location
from nlp.learned import RESCUE_STAGE, LearnedModel, load_or_train, outside
from nlp.normalise import normalise
from nlp.progress import report

log = logging.getLogger(__name__)

#: The tokenizer of every pipeline (and of the corpus the learned model is fitted on).
TOKENIZER = {"@tokenizers": "dd.SudachiTokenizer.v1", "split_mode": "C"}

for _name, _default in (("dd_labels", None), ("dd_location", None), ("dd_verdict", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class ClassifierComponent:
    """Rule labels, plus the labels the learned model adds (see :mod:`nlp.learned`)."""

    def __init__(self, classifier: Classifier, model: LearnedModel | None = None) -> None:
        self.classifier = classifier
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        model = self.model
        cues = self.classifier.cue_morphs
        learned = None if model is None else lambda spans: model.confidence(
            outside(doc._.dd_morphs, spans) + cues(doc.text))
        verdict = self.classifier.analyse(doc.text, learned=learned, stage=None if model is None else RESCUE_STAGE)
        doc._.dd_verdict = verdict
        doc._.dd_labels = verdict.labels
        return doc


class GeoparserComponent:
    def __init__(self, geoparser: Geoparser) -> None:
        self.geoparser = geoparser

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        matches = self.geoparser.gaz.scan(text)
        loc: Location = self.geoparser.locate(text, matches)
        doc._.dd_location = loc
        spans = []
        for start, end, _ in matches:
            span = doc.char_span(start, end, label="PLACE", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["dd_places"] = spans
        return doc


class StatusComponent:
    """Where the classifier and the geoparser meet: a post about another city is ``elsewhere``.

    - the geoparser found only another city's places (東京都港区, 神戸市): status ``elsewhere``;
    - news or an RT about another city (【速報】京都市で…救出) is nothing for this desk to act on: ``none``;
    - a post the classifier calls ``elsewhere`` (トルコで地震) gets no place in the area.
    """

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def __call__(self, doc: Doc) -> Doc:
        verdict, loc = doc._.dd_verdict, doc._.dd_location
        if verdict is None or loc is None:
            return doc
        if verdict.status == "ongoing" and loc.out_of_area and loc.lat is None:
            verdict.status = "elsewhere"
        self.settle_news(doc, self.classifier.is_news(doc.text))
        return doc

    def settle_news(self, doc: Doc, news: bool) -> None:
        """News (or an RT of a news account) about another city: nothing for this desk to act on."""
        verdict, loc = doc._.dd_verdict, doc._.dd_location
        elsewhere = verdict.status == "elsewhere" or loc.out_of_area
        if news and elsewhere and loc.lat is None and not self.classifier.is_personal(doc.text):
            verdict.labels = ["none"]
            doc._.dd_labels = verdict.labels


@Language.factory("dd_status", assigns=["doc._.dd_verdict"])
def make_status(nlp: Language, name: str) -> StatusComponent:
    return StatusComponent(nlp.get_pipe("dd_classifier").classifier)


@Language.factory("dd_classifier", assigns=["doc._.dd_labels"], default_config={"learned": True})
def make_classifier(nlp: Language, name: str, learned: bool) -> ClassifierComponent:
    classifier = Classifier()
    model = load_or_train(training_morphs(nlp, classifier)) if learned else None
    return ClassifierComponent(classifier, model)


def training_morphs(nlp: Language, classifier: Classifier):
    """``morphs_of(text)`` for fitting: tokenised as at prediction time, the suppressed spans left out,
    the lexicon's cues beside (as :class:`ClassifierComponent` hands them to the model)."""

    def morphs_of(text: str) -> list:
        norm = normalise(text)
        return outside(nlp.tokenizer(norm)._.dd_morphs, classifier.suppressed_spans(norm)) + classifier.cue_morphs(norm)

    return morphs_of


@Language.factory(
    "dd_geoparser",
    assigns=["doc._.dd_location", "doc.spans"],
    default_config={"gazetteer_dir": None},
)
def make_geoparser(nlp: Language, name: str, gazetteer_dir: str | None) -> GeoparserComponent:
    report("gazetteer")
    return GeoparserComponent(Geoparser(Gazetteer.load(gazetteer_dir)))


def build_pipeline(gazetteer_dir: str | Path | None = None, learned: bool = True) -> Language:
    """``spacy.blank("ja")`` with a lean SudachiPy tokenizer (split mode C) + dd_classifier + dd_geoparser.

    ``learned=False`` leaves out the learned model (rules only), for comparisons. The learned
    model and the gazetteer say when they start (:func:`nlp.progress.report`); the dictionary's
    step is reported by the caller, before spaCy is imported.
    """
    nlp = spacy.blank("ja", config={"nlp": {"tokenizer": TOKENIZER}})
    nlp.add_pipe("dd_classifier", config={"learned": learned})
    nlp.add_pipe("dd_geoparser", config={"gazetteer_dir": str(gazetteer_dir) if gazetteer_dir else None})
    nlp.add_pipe("dd_status")
    return nlp
