"""The analyser used by the app, the CLI and drills: texts in, labels and a place out.

``get_analyser()`` builds the pipeline once per process and gazetteer dir (the
Sudachi dictionary and gazetteer take ~1.5 s to load). Without an explicit
dir it adds the user's imported gazetteer (``data_dir()/gazetteer``) when present.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

from disaster_desk.core.analysis import PostAnalysis
from disaster_desk.core.text import clean_text, cut_utf8
from nlp.normalise import normalise
from nlp.progress import Reporter, Step, reporting

log = logging.getLogger(__name__)

#: Bump when the rules change in a way that should trigger ``nlp reanalyze`` (code changes to the
#: classifier or the geoparser do not change the lexicon's or gazetteer's digest). 2: the geoparser's
#: fixes of issues 15 and 17 (大阪市都島区 is Osaka, 東大阪 is not, another city's town name is never
#: an Osaka town inside it, misspelled wards, romanised chome addresses) and the event status. 3: issue
#: 17's place classes (romanised chome in either order and hyphenated names, wards read like a ward or
#: written with く, university hospitals, a surname with くん). 4: the rest of issue 17's place classes merged
#: after 3 (the ward the post names decides, Latin ward spellings, words that are also city names: 大津波).
#: 5: kana and Chinese place names (katakana wards, a kana town after its ward, school shelters in kana,
#: simplified hanzi 难波站), short names and bare two-character towns before a home or a relative.
#: 6: a place the post says it is confused with (と間違えて) is negated, with the ward leading it.
#: 7: きたく/にしく read as the ward when a kana town of that ward follows (にしく あわざ).
#: 8: places in kana as words of their own (しんさいばし に いる), romanised towns alone when long and with a bare
#: 丁目 number (Tsurumachi 4), an Osaka namesake said to be unaffected in a post about another city, a ward right
#: before its town (旭区清水: the town, not the station), care homes by their own name, @ before a name is "at",
#: one-kanji towns after their ward (佃3-2-17), a bare town of another ward than the one named is not the place,
#: 京橋/淡路… stay Osaka's when only neighbours are named. 9: katakana names and station nicknames in hiragana (ゆにばの,
#: てんろくの), a kana name inside a longer kana word is none, where people come from (ユニバ帰り) and a river's station
#: before its levee (かんざきがわ の ていぼう) are not the place, the tail of a hyphenated romanised name, 區.
#: 10: bare kana towns of 4+ kana (ちゃやまちの), a station's reading for the town of its name (てんがちゃや 2丁目),
#: kana numerals before ちょうめ, readings the dictionary gets wrong (墨江 すみえ, 高見 たかみ), an everyday-word reading
#: only before a word for a place there (つるはしの しょうてんがい), not other cities' names in kana (おおさか).
#: 11: towns named after a station or ward with that part in kana (じゅうそう本町1丁目), Korean names of the main places,
#: a bare ward after 「大阪市内」 in a post naming another city.
#: 12: a town read by a station whose name holds it (大国: 大国町 だいこくちょう, 上本町: 大阪上本町), a town of a
#: direction by its town's reading (大今里南 おおいまざとみなみ; Sudachi: おおいまさとな).
#: 13: names in romanised Japanese (kitano byouin, nagai
#: kouen), another city named in kana (こうべ の ちゅうおうく), where the writer cannot get to in another city's post
#: (umeda ni ikenai), 福 station's "fuku" only as "fuku station". 14: one-kanji schools in kana (たつみしょうがっこう),
#: katakana particles after a kana city (トウキョウ ノ), キタ/ミナミ in a kana post about another city are words.
#: 15: hard negatives (issue 17): resolutions a word or a comma away, denied events (けが人なし, 火事ちゃう)
#: dropped whoever read them, withdrawn requests, preparation advice, media hearsay about another city as news,
#: figures of speech (…感じ, 夢, a joke in brackets), endings (救助は終わってる, 避難指示を解除), hurt but not caught.
#: 16: a direction or the area a notice addresses (海岸通・築港方面の方) is not the place when another is named.
#: 17: taken out by others (連れ出した, 誘導済み), water going down (水も引いています), a shelter closing at a
#: time, dialect do-it-beforehand advice (覚えとき, 買っとこ), a scene on screen, a simile (避難所みたいに).
RULES_VERSION = "17"

#: The most UTF-8 bytes SudachiPy tokenizes in one call (it refuses longer input).
TOKENIZER_LIMIT = 49_149

#: An RT (RT @nhk_kansai:, RT @tokyo_bousai:, RT @someone:): relayed news, whoever relays it. About
#: another city it is nothing for this desk (docs/taxonomy.md, issue 17), unless it is about someone
#: close (StatusComponent.settle_news).
_NEWS_RT = re.compile(r"^rt\s*@\w+", re.IGNORECASE)

_cache: dict[str, Analyser] = {}
_lock = threading.Lock()
#: Progress callbacks of the callers waiting for an analyser (by cache key) while one is built.
_listeners: dict[str, list[Reporter]] = {}
_listeners_lock = threading.Lock()


def default_gazetteer_dir() -> Path:
    from disaster_desk.core.settings import data_dir

    return data_dir() / "gazetteer"


class Analyser:
    def __init__(self, gazetteer_dir: str | Path | None = None, batch_size: int = 256) -> None:
        from nlp.progress import report

        report("dictionary")  # before the import: spaCy's import is most of this step under load
        from nlp.pipeline import build_pipeline

        self.gazetteer_dir = Path(gazetteer_dir) if gazetteer_dir else None
        self.nlp = build_pipeline(self.gazetteer_dir)
        self.batch_size = batch_size
        geo = self.nlp.get_pipe("dd_geoparser").geoparser
        classifier = self.nlp.get_pipe("dd_classifier")
        lex = classifier.classifier.lexicon
        ml = f"+ml.{classifier.model.digest}" if classifier.model is not None else ""
        self.gazetteer = geo.gaz
        #: Stored with each analysis; changes when rules, lexicon or gazetteer change.
        self.version = f"dd-nlp/{RULES_VERSION}+lex.{lex.digest}{ml}+gaz.{geo.gaz.digest}"
        self._lock = threading.Lock()

    def analyse(self, texts: Sequence[str]) -> list[PostAnalysis]:
        """One :class:`PostAnalysis` per text, in order.

        A text whose normalised form (NFKC expands some characters up to 18-fold)
        exceeds the tokenizer's limit is cut to it at a character boundary; its
        result says so in ``truncated_bytes``.
        """
        norm: list[str] = []
        truncated: list[int | None] = []
        #: "RT @nhk_kansai: …": the relayed account is gone from the normalised text, its kind is kept
        news_rt = [bool(_NEWS_RT.match((text or "").strip())) for text in texts]
        status = self.nlp.get_pipe("dd_status")
        for text in texts:
            full = normalise(clean_text(text or ""))
            cut, was_cut = cut_utf8(full, TOKENIZER_LIMIT)
            norm.append(cut)
            truncated.append(len(full.encode("utf-8")) if was_cut else None)
        out: list[PostAnalysis] = []
        with self._lock:  # spaCy docs are cheap; the lock keeps shared state simple across threads
            docs = self.nlp.pipe(norm, batch_size=self.batch_size)
            for doc, cut_from, relayed in zip(docs, truncated, news_rt, strict=True):
                if relayed:
                    status.settle_news(doc, True)
                loc = doc._.dd_location
                verdict = doc._.dd_verdict
                out.append(
                    PostAnalysis(
                        labels=list(doc._.dd_labels),
                        place=loc.place,
                        ward=loc.ward,
                        lat=loc.lat,
                        lon=loc.lon,
                        precision=loc.precision,
                        truncated_bytes=cut_from,
                        status=verdict.status,
                        confidence=verdict.confidence,
                        review=verdict.review,
                    )
                )
        return out

    def analyse_one(self, text: str) -> PostAnalysis:
        return self.analyse([text])[0]


def get_analyser(gazetteer_dir: str | Path | None = None, progress: Reporter | None = None) -> Analyser:
    """The process-wide analyser for a gazetteer dir (``None``: the user's dir if it exists).

    ``progress`` gets each loading step (:mod:`nlp.progress`) while the analyser is built, by
    this call or by another thread's call already building it (a collector thread may start
    first; the GUI's start-up window still follows the steps).
    """
    if gazetteer_dir is None:
        user = default_gazetteer_dir()
        gazetteer_dir = user if user.is_dir() else None
    cache_key = str(Path(gazetteer_dir).resolve()) if gazetteer_dir else ""
    if progress is not None:
        with _listeners_lock:
            _listeners.setdefault(cache_key, []).append(progress)
    try:
        with _lock:
            analyser = _cache.get(cache_key)
            if analyser is None:
                with reporting(lambda step: _fan_out(cache_key, step)):
                    analyser = Analyser(gazetteer_dir)
                _cache[cache_key] = analyser
                log.info("analyser %s loaded (gazetteer dir %s)", analyser.version, gazetteer_dir or "-")
            return analyser
    finally:
        if progress is not None:
            with _listeners_lock:
                _listeners[cache_key].remove(progress)


def _fan_out(cache_key: str, step: Step) -> None:
    """A loading step to every caller waiting for this analyser (a failing listener is logged, not fatal)."""
    with _listeners_lock:
        targets = list(_listeners.get(cache_key, ()))
    for target in targets:
        try:
            target(step)
        except Exception:
            log.exception("progress listener failed")
