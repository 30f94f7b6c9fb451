"""What the learned model reads of a post: its morphemes, re-read so that kana and romaji count like kanji.

Posts written without kanji conversion (elderly writers, children, visitors, a phone in the wrong
mode) say the same thing as their kanji twins, but the morphemes differ: 「たすけて えれべーたーに
とじこめられた」 splits えれべーたー into junk, 「タスケテ」 is an unknown word, 「tasukete mizu ga
kiteru」 is three unknown Latin words. Three steps, all on the model's side (the normalised text the
rules, the geoparser and the screen use is not changed):

1. **Romaji → kana** (:func:`romaji_to_kana`): a post whose Latin words read as romaji
   (``tasukete``, ``mizu``, ``ugokenai``) is tokenised again with them in hiragana, and their kana's
   morphemes (助ける, 水, 動く) join the Latin words' own; English words (``help``, ``trapped``) are
   not romaji and are not converted; a post of English words that happen to parse (``no one came to
   take me``) is left alone (:data:`ENGLISH`).
2. **Unknown katakana → hiragana**: an unknown all-katakana word (タスケテ, トマッタ) is also read in
   hiragana (助ける, 止まる) when SudachiPy knows every piece of that reading; the katakana word stays.
3. **Readings** (:data:`READING` pseudo-morphemes): each morpheme's katakana reading (SudachiPy's
   ``reading_form``: 助け and たすけ are both タスケ), from which :func:`nlp.learned.token_features`
   makes reading character n-grams that a kana post and its kanji twin share whatever the segmentation.

Half-width katakana (ﾀｽｹﾃ) is already full-width here: :func:`nlp.normalise.normalise` applies NFKC.
"""

from __future__ import annotations

import re

from nlp.normalise import hiragana, katakana

#: Part of speech of a reading pseudo-morpheme (``("タスケ", READING, start)``); an empty form is a
#: break between reading runs (a symbol, a Latin word or a number).
READING = "READ"

_KATAKANA_WORD = re.compile(r"[\u30a1-\u30faー]{2,}")
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\u3005]")


# --- romaji -----------------------------------------------------------------------------------
_VOWELS = {"a": "あ", "i": "い", "u": "う", "e": "え", "o": "お"}
_ROWS = {
    "k": "かきくけこ", "g": "がぎぐげご", "s": "さしすせそ", "z": "ざじずぜぞ", "t": "たちつてと",
    "d": "だぢづでど", "n": "なにぬねの", "h": "はひふへほ", "b": "ばびぶべぼ", "p": "ぱぴぷぺぽ",
    "m": "まみむめも", "r": "らりるれろ",
}
#: Hepburn, Nihon-shiki/kunrei and the spellings phones accept (shi/si, tsu/tu, fu/hu, ji/zi...).
_SYLLABLES: dict[str, str] = {}
for _c, _kana in _ROWS.items():
    for _v, _k in zip("aiueo", _kana, strict=True):
        _SYLLABLES[_c + _v] = _k
for _c, _i in (("k", "き"), ("g", "ぎ"), ("n", "に"), ("h", "ひ"), ("b", "び"), ("p", "ぴ"), ("m", "み"),
               ("r", "り"), ("s", "し"), ("z", "じ"), ("t", "ち"), ("d", "ぢ")):
    for _v, _small in (("a", "ゃ"), ("u", "ゅ"), ("o", "ょ")):
        _SYLLABLES[_c + "y" + _v] = _i + _small
    _SYLLABLES[_c + "ye"] = _i + "ぇ"
_SYLLABLES.update({
    "ya": "や", "yu": "ゆ", "yo": "よ", "wa": "わ", "wo": "を",
    "shi": "し", "chi": "ち", "tsu": "つ", "fu": "ふ", "ji": "じ",
    "sha": "しゃ", "shu": "しゅ", "sho": "しょ", "she": "しぇ", "cha": "ちゃ", "chu": "ちゅ", "cho": "ちょ",
    "che": "ちぇ", "ja": "じゃ", "ju": "じゅ", "jo": "じょ", "je": "じぇ", "jya": "じゃ", "jyu": "じゅ",
    "jyo": "じょ", "fa": "ふぁ", "fi": "ふぃ", "fe": "ふぇ", "fo": "ふぉ", "ti": "ち", "tu": "つ", "di": "ぢ",
    "du": "づ", "si": "し", "zi": "じ", "hu": "ふ",
})
_SYLLABLES.update(_VOWELS)
_LONGEST = max(len(s) for s in _SYLLABLES)
_MACRONS = str.maketrans({"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou", "â": "aa", "î": "ii", "û": "uu",
                          "ê": "ee", "ô": "ou"})
_LATIN_WORD = re.compile(r"(?<![a-zāīūēōâîûêô'])[a-zāīūēōâîûêô]+(?:'[a-z]+)?(?![a-zāīūēōâîûêô'])")

#: Common English words that also parse as romaji: in a post of such words alone (``no one came to
#: take me``, ``we are on the roof``) nothing is converted; beside a word that is romaji only
#: (``tasukete``) they are converted with it (の, と, まで are particles there).
ENGLISH = frozenset("""
a i an are be do go he in me no on one so to we ha hi oh ai
take made make name time home some here where none done gone bone same safe hope nine rain ride side wide hide
kite mine fine line wine note more sure tune june rise rose nose mode site bike hike wake hate date gate late
mate rate tone zone dome hose rare dare fare bare pure due sue ago ego bee see tea pie die tie toe era idea area
sea moon soon noon room boom too zoo goo boo nice mere were rude rope robe pose dose hero tire
fire house home rose base case use mute
""".split())


def romaji_word(word: str) -> str | None:
    """``word`` (lower case) in hiragana, or None when it is not romaji (``help``, ``trapped``)."""
    word = word.translate(_MACRONS)
    out, i = [], 0
    while i < len(word):
        c = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == "n" and nxt == "'":
            out.append("ん")  # shin'yu
            i += 2
            continue
        if c == "n" and (not nxt or nxt not in "aiueoy"):
            out.append("ん")
            i += 2 if nxt == "n" and (i + 2 >= len(word) or word[i + 2] not in "aiueoy") else 1
            continue
        if c == "m" and nxt and nxt in "bmp":
            out.append("ん")  # Hepburn: shimbun, namba
            i += 1
            continue
        if c not in "aiueon" and (nxt == c or (c == "t" and nxt == "c")):
            out.append("っ")  # kitte, matcha
            i += 1
            continue
        for size in range(min(_LONGEST, len(word) - i), 0, -1):
            kana = _SYLLABLES.get(word[i : i + size])
            if kana is not None:
                out.append(kana)
                i += size
                break
        else:
            return None
    return "".join(out)


def romaji_to_kana(text: str) -> tuple[str, list[int], list[tuple[int, int]]] | None:
    """The normalised ``text`` with its romaji words in hiragana, for each of its characters the offset
    in ``text`` it comes from, and the spans of ``text`` converted; None when the post has no romaji.

    A post is romaji when it has Latin words (two letters or more) that parse as romaji and are not
    also common English words (:data:`ENGLISH`), at least as many as its Latin words that do not parse;
    then every parsing word is converted (English words stay: ``tasukete help`` → ``たすけて help``)."""
    words = [m for m in _LATIN_WORD.finditer(text) if len(m.group()) >= 2]
    if not words:
        return None
    kana = [romaji_word(m.group()) for m in words]
    parsed = [k is not None for k in kana]
    romaji_only = sum(1 for m, ok in zip(words, parsed, strict=True) if ok and m.group() not in ENGLISH)
    if not romaji_only or romaji_only < len(words) - sum(parsed):
        return None
    pieces, offsets, spans, at = [], [], [], 0
    for m, k in zip(words, kana, strict=True):
        if k is None:
            continue
        pieces.append(text[at : m.start()])
        offsets.extend(range(at, m.start()))
        pieces.append(k)
        offsets.extend(m.start() + min(j, len(m.group()) - 1) for j in range(len(k)))
        spans.append(m.span())
        at = m.end()
    pieces.append(text[at:])
    offsets.extend(range(at, len(text)))
    return "".join(pieces), offsets, spans


# --- the model's morphemes -----------------------------------------------------------------------
def _inside(start: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


def model_morphs(tokenizer, text: str, morphemes) -> list[tuple[str, str, int]]:
    """The learned model's ``(normalised form, part of speech, start)`` of a normalised post, then its
    readings as :data:`READING` pseudo-morphemes (see the module docstring).

    ``morphemes``: SudachiPy's morphemes of ``text`` (the doc's tokens). The romaji words of a romaji
    post are read in kana in their place (the post tokenised again with them in hiragana, the starts
    mapped back to ``text``), their own Latin morphemes after the rest; their readings are the kana's."""
    romaji = romaji_to_kana(text)
    seq: list[tuple[int, object]] = [(m.begin(), m) for m in morphemes]
    latin: list[tuple[str, str, int]] = []
    if romaji is not None:
        converted, offsets, spans = romaji
        latin = [(m.normalized_form(), m.part_of_speech()[0], m.begin()) for m in morphemes
                 if _inside(m.begin(), spans)]
        seq = [(start, m) for start, m in seq if not _inside(start, spans)]
        for m in tokenizer.tokenize(converted):
            start = offsets[min(m.begin(), len(offsets) - 1)]
            if m.surface() and not m.surface().isspace() and _inside(start, spans):
                seq.append((start, m))
        seq.sort(key=lambda item: item[0])
    out: list[tuple[str, str, int]] = []
    readings: list[tuple[str, str, int]] = []
    for start, m in seq:
        surface, pos = m.surface(), m.part_of_speech()[0]
        out.append((m.normalized_form(), pos, start))
        if surface == "ー" or pos == "空白":
            continue  # a lone long-vowel mark (えれべーたー splits around it) is no break
        readings.append((katakana(m.reading_form()) if _JAPANESE.search(surface) else "", READING, start))
        if m.is_oov() and _KATAKANA_WORD.fullmatch(surface):
            again = list(tokenizer.tokenize(hiragana(surface)))
            if again and not any(a.is_oov() for a in again):
                out.extend((a.normalized_form(), a.part_of_speech()[0], start + a.begin()) for a in again)
    return out + latin + readings
