"""Qt-free Japanese NLP: normalise, classify, geoparse, gazetteer.

Entry point: :func:`nlp.analyser.get_analyser` → ``Analyser.analyse(texts)`` →
``disaster_desk.core.analysis.PostAnalysis`` (labels, place, ward, lat, lon,
precision); ``Analyser.version`` changes with the rules, lexicon, learned model or
gazetteer.

Modules: :mod:`nlp.normalise` (NFKC, variants, kanji numerals, RT/URLs),
:mod:`nlp.classifier` (lexicon rules, ``resources/lexicon/labels.yaml``),
:mod:`nlp.learned` (a linear model fitted from ``nlp/data/train.jsonl`` that adds labels
the rules miss on unseen phrasing; cached per corpus digest),
:mod:`nlp.gazetteer` (typed place facts, trie matcher, ``resources/gazetteer``),
:mod:`nlp.geoparser` (address grammar, out-of-area rules), :mod:`nlp.importers`
(geolonia, MLIT, GSI shelters), :mod:`nlp.tokenizer` + :mod:`nlp.pipeline`
(spaCy components ``dd_classifier``/``dd_geoparser``), :mod:`nlp.evaluate` and
:mod:`nlp.corpus` (the labelled corpus in ``nlp/data``).
"""
