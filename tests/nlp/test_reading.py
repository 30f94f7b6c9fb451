"""What the learned model reads (nlp.reading): kana, katakana and romaji posts get their kanji twins' evidence."""

from __future__ import annotations

import pytest
from spacy.vocab import Vocab

from nlp import reading
from nlp.learned import token_features
from nlp.normalise import normalise
from nlp.tokenizer import SudachiTokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return SudachiTokenizer(Vocab())  # the pipeline's tokenizer over the real SudachiPy dictionary


def morphs(tokenizer, text):
    return tokenizer(normalise(text))._.dd_morphs


def features(tokenizer, text):
    return token_features(morphs(tokenizer, text))


def readings(tokenizer, text):
    return {f for f in features(tokenizer, text) if f.startswith("k=")}


def forms(tokenizer, text):
    return {form for form, pos, _start in morphs(tokenizer, text) if pos != reading.READING}


TWINS = [
    ("たすけて えれべーたーに とじこめられた", "助けて、エレベーターに閉じ込められた"),
    ("たすけて みずが きてる", "助けて水が来てる"),
    ("タスケテ クルマノ ナカニ ミズ", "助けて、車の中に水"),
    ("いえが つぶれて でられへん", "家が潰れて出られへん"),
    ("tasukete mizu ga kiteru", "助けて水が来てる"),
    ("kuruma isu no tomodachi ugokenai", "車椅子の友達動けない"),
    ("ﾀｽｹﾃ ｴﾚﾍﾞｰﾀｰ ﾄﾏｯﾀ", "助けてエレベーター止まった"),
]


@pytest.mark.parametrize(("kana", "kanji"), TWINS)
def test_a_kana_or_romaji_post_shares_its_kanji_twins_reading_features(tokenizer, kana, kanji):
    ours, twin = readings(tokenizer, kana), readings(tokenizer, kanji)
    assert "k=タスケ" in twin or "k=ウゴケ" in twin or "k=ツブレ" in twin
    assert len(ours & twin) >= 0.7 * len(ours), sorted(ours - twin)


def test_unrelated_posts_share_few_reading_features(tokenizer):
    """The overlap above is not what any two posts share: a weather remark shares next to nothing."""
    twin = readings(tokenizer, "助けて、エレベーターに閉じ込められた")
    other = readings(tokenizer, "きょうは ええ てんきで さんぽ してきた")
    assert other and len(other & twin) <= 0.2 * len(other)


def test_half_width_katakana_is_read_as_full_width(tokenizer):
    assert normalise("ﾀｽｹﾃ ｴﾚﾍﾞｰﾀｰ ﾄﾏｯﾀ") == "タスケテ エレベーター トマッタ"
    assert features(tokenizer, "ﾀｽｹﾃ ｴﾚﾍﾞｰﾀｰ ﾄﾏｯﾀ") == features(tokenizer, "タスケテ エレベーター トマッタ")


def test_an_unknown_katakana_word_is_also_read_in_hiragana(tokenizer):
    """タスケテ and トマッタ are unknown to SudachiPy as katakana; in hiragana they are 助ける and とまる."""
    got = forms(tokenizer, "タスケテ エレベーター トマッタ")
    assert {"タスケテ", "助ける", "エレベーター"} <= got
    assert "エレベーター" in forms(tokenizer, "エレベーター")  # a known katakana word is left as it is
    assert forms(tokenizer, "エレベーター") == {"エレベーター"}


@pytest.mark.parametrize(
    ("word", "kana"),
    [("tasukete", "たすけて"), ("mizu", "みず"), ("ugokenai", "うごけない"), ("shimbun", "しんぶん"),
     ("kitte", "きって"), ("matcha", "まっちゃ"), ("konnichiwa", "こんにちわ"), ("jishin", "じしん"),
     ("tsunami", "つなみ"), ("kyuukyuusha", "きゅうきゅうしゃ"), ("hinanjo", "ひなんじょ"), ("tōkyō", "とうきょう"),
     ("zisin", "じしん"), ("shin'yu", "しんゆ"), ("help", None), ("trapped", None), ("stuck", None),
     ("please", None)],
)
def test_romaji_words(word, kana):
    assert reading.romaji_word(word) == kana


@pytest.mark.parametrize(
    ("text", "converted"),
    [
        ("tasukete mizu ga kiteru", "たすけて みず が きてる"),
        ("tasukete help", "たすけて help"),  # help is no romaji: it stays English
        ("namba 1-2-3 de kaji", "なんば 1-2-3 で かじ"),
        ("help me please", None),
        ("no one came to take me", None),  # English words that happen to parse as romaji
        ("we are on the roof", None),
        ("i am at umeda station, help", None),  # one Japanese name in an English post
        ("the nightlife in namba is fire", None),
        ("たすけて", None),
    ],
)
def test_romaji_posts_and_english_posts(text, converted):
    got = reading.romaji_to_kana(text)
    assert (got[0] if got else None) == converted


def test_a_romaji_post_reads_like_kana_and_keeps_its_text_and_offsets(tokenizer):
    text = normalise("Tasukete mizu ga kiteru")
    doc = tokenizer(text)
    assert doc.text == text  # the doc (what the rules, the geoparser and the screen use) is the post
    got = {form: start for form, pos, start in doc._.dd_morphs if pos != reading.READING}
    assert {"助ける", "水", "来る"} <= set(got)
    assert got["水"] == text.index("mizu") and got["助ける"] == 0
    assert all(0 <= start < len(text) for _form, _pos, start in doc._.dd_morphs)
    assert "tasukete" in got  # the Latin words are still there


def test_an_english_post_is_read_as_before(tokenizer):
    """No romaji: the morphemes are SudachiPy's own, nothing converted."""
    text = normalise("Help, we are trapped in the elevator")
    from nlp import sudachi

    plain = [(m.normalized_form(), m.part_of_speech()[0], m.begin())
             for m in sudachi.tokenizer("C").tokenize(text) if m.surface() and not m.surface().isspace()]
    ours = [m for m in tokenizer(text)._.dd_morphs if m[1] != reading.READING]
    assert ours == plain
    assert "w=ヘルプ" in features(tokenizer, text)


def test_readings_follow_the_suppressed_spans(tokenizer):
    """The model reads no reading of a span the lexicon suppresses (布団から出られへん is a joke)."""
    from nlp.classifier import Classifier
    from nlp.learned import outside

    text = normalise("冬の朝、布団から出られへん")
    kept = outside(tokenizer(text)._.dd_morphs, Classifier().suppressed_spans(text))
    assert not any("デ" in form for form, pos, _start in kept if pos == reading.READING)
    assert any(form == "フユ" for form, pos, _start in kept if pos == reading.READING)
