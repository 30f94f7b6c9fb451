"""The one vocabulary: every enumerated value of reports and triage, with its words.

Each value is defined here once, with its Japanese and English label (and
other spellings accepted on input, e.g. from a CSV typed in Excel). The ward
form, CSV import/export, the queue, the map popups, the after-action report
and the exports all read their words from here, so ``degraded`` is 一部停止
everywhere. The stable ids are what is stored; labels are for people.

Qt-free: the UI picks the label of its language with
:func:`disaster_desk.ui.names.term`, the core (exports, bulletins, reports)
uses Japanese.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

LANGUAGES = ("ja", "en")


@dataclass(frozen=True)
class Term:
    id: str
    ja: str
    en: str
    #: Other spellings accepted by :meth:`Vocabulary.parse` (older labels, common synonyms).
    aliases: tuple[str, ...] = ()

    def label(self, language: str = "ja") -> str:
        return self.en if language == "en" else self.ja


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of terms (the order is the one forms and lists show)."""

    name: str
    terms: tuple[Term, ...]
    _by_id: dict[str, Term] = field(init=False, repr=False, compare=False)
    _by_word: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {t.id: t for t in self.terms}
        if len(by_id) != len(self.terms):
            raise ValueError(f"{self.name}: duplicate id")
        words: dict[str, str] = {}
        for t in self.terms:
            for word in (t.id, t.ja, t.en, *t.aliases):
                key = word.casefold()
                if words.get(key, t.id) != t.id:
                    raise ValueError(f"{self.name}: {word!r} names both {words[key]} and {t.id}")
                words[key] = t.id
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_word", words)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __contains__(self, value: object) -> bool:
        return value in self._by_id

    def get(self, value: str) -> Term | None:
        return self._by_id.get(value)

    def label(self, value: str | None, language: str = "ja") -> str:
        """The label of ``value``; an unknown value is shown as it is (never hidden)."""
        if value is None:
            return ""
        term = self._by_id.get(value)
        return term.label(language) if term else str(value)

    def ja(self, value: str | None) -> str:
        return self.label(value, "ja")

    def en(self, value: str | None) -> str:
        return self.label(value, "en")

    def parse(self, text: str) -> str | None:
        """The id named by ``text`` (an id, a Japanese or English label, or an alias), or None."""
        return self._by_word.get(text.strip().casefold())

    def choices(self, language: str = "ja") -> list[tuple[str, str]]:
        """(id, label) pairs in order (for combo boxes)."""
        return [(t.id, t.label(language)) for t in self.terms]

    def labels(self, language: str = "ja") -> dict[str, str]:
        return {t.id: t.label(language) for t in self.terms}


def _v(name: str, *terms: tuple) -> Vocabulary:
    return Vocabulary(name, tuple(Term(*t) for t in terms))


# -- posts and triage ------------------------------------------------------------

#: Post categories (docs/taxonomy.md), in the spec's order.
LABEL = _v(
    "label",
    ("rescue", "救助要請", "Rescue request"),
    ("casualty", "負傷・医療", "Injury / medical"),
    ("fire", "火災", "Fire"),
    ("building", "建物・構造物被害", "Building damage"),
    ("flood", "浸水・冠水", "Flooding"),
    ("lifeline", "ライフライン", "Lifelines"),
    ("transport", "交通", "Transport"),
    ("evacuation", "避難・避難所", "Evacuation / shelters"),
    ("supplies", "物資・支援", "Supplies / aid"),
    ("safety", "安否・行方不明", "Safety / missing"),
    ("none", "該当なし", "Not relevant"),
)

#: What a post says about the event it reports (nlp: ``analyses.status``); ``ongoing`` is not shown.
EVENT_STATUS = _v(
    "event status",
    ("ongoing", "発生中", "Ongoing"),
    ("resolved", "解決済", "Resolved"),
    ("elsewhere", "他地域・過去", "Elsewhere or past"),
    ("advice", "注意喚起・一般情報", "Advice or general information"),
    ("hypothetical", "仮定", "Hypothetical"),
)

#: Labels an operator is asked to confirm (``analyses.review``): a possible rescue, below the alarm.
REVIEW = _v("review", ("rescue", "要確認(救助?)", "To confirm (rescue?)"))

TRIAGE_STATE = _v(
    "triage state",
    ("new", "新規", "New"),
    ("acknowledged", "確認済", "Acknowledged"),
    ("verified", "検証済", "Verified"),
    ("shared", "共有済", "Shared"),
    ("dismissed", "却下", "Dismissed"),
    ("closed", "完了", "Closed"),
)

#: What an operator does to an item (audit actions ``triage.<id>``, timelines, messages).
TRIAGE_ACTION = _v(
    "triage action",
    ("acknowledge", "確認", "Acknowledge"),
    ("verify", "検証", "Verify"),
    ("share", "共有", "Share"),
    ("dismiss", "却下", "Dismiss"),
    ("close", "完了", "Close"),
    ("reopen", "再開", "Reopen"),
    ("undo", "取り消し", "Undo"),
    ("correct_place", "場所の訂正", "Place correction"),
    ("read", "受領", "Received"),
)

SOURCE = _v(
    "source",
    ("x", "X", "X"),
    ("mastodon", "Mastodon", "Mastodon"),
    ("bluesky", "Bluesky", "Bluesky"),
    ("jma", "気象庁", "JMA"),
    ("replay", "再生", "Replay"),
    ("other", "その他", "Other"),
    ("report", "区報告", "Ward report"),
)

ITEM_TYPE = _v(
    "item type",
    ("post", "投稿", "Post"),
    ("report", "区報告", "Ward report"),
    ("incident", "事案", "Incident"),
)

MODE = _v("mode", ("real", "本番", "Live"), ("drill", "訓練", "Drill", ("訓練 EXERCISE", "exercise")))

# -- ward reports (docs/scenario-format.md) ------------------------------------------

REPORT_KIND = _v(
    "report kind",
    ("shelter", "避難所", "Shelter"),
    ("damage", "被害", "Damage"),
    ("muster", "参集", "Staff muster"),
    ("system", "システム", "ICT system"),
)

SHELTER_STATUS = _v(
    "shelter status",
    ("open", "開設", "Open"),
    ("full", "満員", "Full"),
    ("closed", "閉鎖", "Closed"),
    ("unopened", "未開設", "Not opened"),
)

DAMAGE_TYPE = _v(
    "damage type",
    ("road", "道路", "Road"),
    ("bridge", "橋梁", "Bridge"),
    ("building", "建物", "Building"),
    ("water", "上水道", "Water supply", ("水道",)),
    ("sewer", "下水道", "Sewerage"),
    ("power", "電力", "Power", ("停電",)),
    ("gas", "ガス", "Gas"),
    ("telecom", "通信", "Telecoms"),
    ("rail", "鉄道", "Railway"),
    ("river", "河川", "River"),
    ("other", "その他", "Other"),
)

DAMAGE_SEVERITY = _v(
    "damage severity",
    ("minor", "軽微", "Minor"),
    ("major", "重大", "Major"),
    ("critical", "甚大", "Critical"),
)

#: ``closed``: a road closed to traffic, a building or facility shut (通行止め・閉鎖).
DAMAGE_STATUS = _v(
    "damage status",
    ("reported", "報告", "Reported", ("通報",)),
    ("confirmed", "確認済", "Confirmed"),
    ("closed", "通行止め・閉鎖", "Closed", ("通行止め", "閉鎖")),
    ("repairing", "復旧中", "Under repair", ("復旧作業中",)),
    ("restored", "復旧", "Restored", ("復旧済",)),
)

SYSTEM_STATUS = _v(
    "system status",
    ("up", "稼働", "Up", ("稼働中", "正常")),
    ("degraded", "一部停止", "Degraded", ("一部障害",)),
    ("down", "停止", "Down"),
    ("unknown", "不明", "Unknown"),
)

NEED = _v(
    "need",
    ("water", "水", "Water"),
    ("food", "食料", "Food"),
    ("blanket", "毛布", "Blankets"),
    ("medicine", "医薬品", "Medicine"),
    ("toilet", "トイレ", "Toilets"),
    ("power", "電源", "Power"),
    ("milk", "ミルク", "Baby formula"),
    ("diaper", "おむつ", "Diapers"),
    ("other", "その他", "Other"),
)

#: The fields of each report kind in form/CSV order: the label a person reads.
REPORT_FIELDS: dict[str, Vocabulary] = {
    "shelter": _v(
        "shelter field",
        ("name", "避難所名", "Shelter name"),
        ("status", "状態", "Status"),
        ("evacuees", "避難者数", "Evacuees"),
        ("households", "世帯数", "Households"),
        ("capacity", "収容可能人数", "Capacity"),
        ("needs", "必要物資", "Needs"),
        ("note", "備考", "Note"),
    ),
    "damage": _v(
        "damage field",
        ("type", "種別", "Type"),
        ("severity", "程度", "Severity"),
        ("place", "場所", "Place"),
        ("lat", "緯度", "Latitude"),
        ("lon", "経度", "Longitude"),
        ("status", "対応状況", "Status"),
        ("note", "備考", "Note"),
    ),
    "muster": _v(
        "muster field",
        ("office", "所属", "Office"),
        ("arrived", "参集人数", "Arrived"),
        ("expected", "参集予定人数", "Expected"),
        ("safe_unreachable", "安否確認済・参集不能", "Safe but unable to come"),
        ("note", "備考", "Note"),
    ),
    "system": _v(
        "system field",
        ("system", "システム名", "System"),
        ("status", "稼働状況", "Status"),
        ("note", "備考", "Note"),
    ),
}

#: Fields whose value is a term of a vocabulary: (kind, field) -> vocabulary.
REPORT_VALUES: dict[tuple[str, str], Vocabulary] = {
    ("shelter", "status"): SHELTER_STATUS,
    ("shelter", "needs"): NEED,
    ("damage", "type"): DAMAGE_TYPE,
    ("damage", "severity"): DAMAGE_SEVERITY,
    ("damage", "status"): DAMAGE_STATUS,
    ("system", "status"): SYSTEM_STATUS,
}


def field_label(kind: str, name: str, language: str = "ja") -> str:
    """The label of a report field (``ward`` is 区 for every kind)."""
    if name == "ward":
        return "Ward" if language == "en" else "区"
    fields = REPORT_FIELDS.get(kind)
    return fields.label(name, language) if fields else name


def value_label(kind: str, name: str, value: str | None, language: str = "ja") -> str:
    """The label of an enumerated report value (other values are returned as they are)."""
    vocabulary = REPORT_VALUES.get((kind, name))
    if value is None:
        return ""
    return vocabulary.label(value, language) if vocabulary else str(value)


#: A report in a ward station's outbox (core.outbox): what the clerk sees in the list under the form.
OUTBOX_STATE = _v(
    "outbox state",
    ("sent", "送信済", "Sent"),
    ("queued", "送信待ち", "Waiting"),
    ("rejected", "エラー", "Error"),
    ("held", "保留", "On hold"),
)


ALL: tuple[Vocabulary, ...] = (
    LABEL, EVENT_STATUS, REVIEW, TRIAGE_STATE, TRIAGE_ACTION, SOURCE, ITEM_TYPE, MODE, REPORT_KIND, SHELTER_STATUS, DAMAGE_TYPE,
    DAMAGE_SEVERITY, DAMAGE_STATUS, SYSTEM_STATUS, NEED, OUTBOX_STATE, *REPORT_FIELDS.values(),
)
