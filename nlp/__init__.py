"""Qt-free Japanese NLP: normalise, classify, geoparse, gazetteer."""
