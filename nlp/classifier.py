"""Rule classifier: lexicon patterns over normalised text → taxonomy labels.

The lexicon (``resources/lexicon/labels.yaml``) holds, per label, regular
expressions written from the taxonomy definitions, with Kansai dialect forms
(あかん, へん, おらん...). Figurative uses (家計が火の車, ネットで炎上, 心が折れた)
are removed first; a match followed by a negation (停電はしていない, けが人なし)
does not count; drills, ads and memories of past disasters make a post ``none``
unless it says it is real (訓練ではありません). ``given`` patterns add a label only
beside others: a person at a window or still inside is ``rescue`` when a fire, flood
or collapse is reported in the same post, and no event on its own.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

import resources
from disaster_desk.core.taxonomy import LABELS

if TYPE_CHECKING:
    from nlp.learned import RescueGate, RescueStage

#: Negation right after a keyword that ends in a noun: 停電はしていない, 火事じゃない, けが人なし.
#: Not applied after a verb stem (出られ, 取れ, つながら...), where ない is part of the meaning.
_NEGATION = re.compile(
    r"[はもがのとって]{0,2}(?:し|して|しと|さ|起き|起こっ|出)?(?:て|と)?(?:い|お)?"
    r"(?:ない|無い|なし|無し|なく|無く|ありません|ません|へん|ひん|らん|じゃない|ではない|でもない|ちゃう|ゼロ)"
)
#: "…た人はいない" (逃げ遅れた人はいない模様), "けが人の情報なし": applied after any keyword.
_NEGATION_PERSON = re.compile(
    r"(?:た|の)?(?:人|者|方)(?:は|も)(?:い|お)?(?:ない|ません|らん|りません|なし|ゼロ)"
    r"|(?:被害)?の?(?:情報|報告|被害)(?:は|も)?(?:なし|無し|ない|ありません|入っていません|入っていない)"
    r"|に(?:は|も)?なら(?:なかった|ず|へんかった|んかった)"
)
_HIRAGANA_END = re.compile(r"[\u3041-\u309f]$")
_ENGLISH_NEGATION = re.compile(r"(?:\bno|\bnot|n't|\bwithout|\bnobody|\bno one|\bnone)\s+(?:\w+\s+){0,1}$")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by one space (what ``suppress.sub(" ", text)`` gives)."""
    pieces, at = [], 0
    for start, end in spans:
        pieces += [text[at:start], " "]
        at = end
    return "".join(pieces) + text[at:]


@dataclass(frozen=True)
class Lexicon:
    labels: dict[str, list[re.Pattern[str]]]
    #: One alternation per label: a quick test before the per-pattern negation checks.
    any_of: dict[str, re.Pattern[str]]
    weak: dict[str, list[re.Pattern[str]]]
    #: label → (labels it needs, patterns): 「2階の窓に子ども」 is rescue only where a fire, flood or
    #: collapse is also reported; on its own it is no event.
    given: dict[str, tuple[frozenset[str], list[re.Pattern[str]]]]
    suppress: re.Pattern[str]
    none_context: dict[str, re.Pattern[str]]
    override: re.Pattern[str]
    #: Event status cues (see the lexicon's ``status`` section): resolved, still, advice, actionable,
    #: hypothetical, news.
    status: dict[str, re.Pattern[str]]
    #: label → cues that the event of that label is over (救出された, 復旧しました, 鎮火).
    resolved: dict[str, re.Pattern[str]]
    #: label → cues that the post says that event is not there (けが人なし, 火事ちゃう).
    denied: dict[str, re.Pattern[str]]
    digest: str

    @classmethod
    def load(cls, path=None) -> Lexicon:
        raw = (path or resources.path("lexicon", "labels.yaml")).read_bytes()
        data = yaml.safe_load(raw)
        given = data.get("given", {})
        unknown = (set(data["labels"]) | set(data.get("weak", {})) | set(given)
                   | {x for g in given.values() for x in g["with"]}) - set(LABELS)
        for per_label in ("resolved", "denied"):
            unknown |= set(data.get("status", {}).get(per_label, {})) - set(LABELS)
        if unknown:
            raise ValueError(f"lexicon: unknown labels {sorted(unknown)}")
        return cls(
            labels={label: [re.compile(p) for p in pats] for label, pats in data["labels"].items()},
            any_of={label: re.compile("|".join(f"(?:{p})" for p in pats)) for label, pats in data["labels"].items()},
            weak={label: [re.compile(p) for p in pats] for label, pats in data.get("weak", {}).items()},
            given={label: (frozenset(g["with"]), [re.compile(p) for p in g["patterns"]])
                   for label, g in data.get("given", {}).items()},
            suppress=re.compile("|".join(f"(?:{p})" for p in data["suppress"])),
            none_context={k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in data["none_context"].items()},
            override=re.compile("|".join(f"(?:{p})" for p in data["override"])),
            status={k: re.compile("|".join(f"(?:{p})" for p in v))
                    for k, v in data.get("status", {}).items() if k not in ("resolved", "denied")},
            resolved={label: re.compile("|".join(f"(?:{p})" for p in pats))
                      for label, pats in data.get("status", {}).get("resolved", {}).items()},
            denied={label: re.compile("|".join(f"(?:{p})" for p in pats))
                    for label, pats in data.get("status", {}).get("denied", {}).items()},
            digest=hashlib.sha1(raw).hexdigest()[:8],
        )


#: Event statuses (what a post says about the event it reports); ``ongoing`` is the default.
STATUSES: tuple[str, ...] = ("ongoing", "resolved", "elsewhere", "advice", "hypothetical")
#: The status a not-an-event context gives: a drill is an exercise (想定), a memory a past disaster,
#: preparedness, ads, chatter and rumour corrections are general information.
_CONTEXT_STATUS = {"drill": "hypothetical", "memory": "elsewhere", "elsewhere": "elsewhere"}
#: Labels with the model's probability and the labels to confirm (possible rescue) of one post.
Probabilities = Mapping[str, float]


@dataclass
class Verdict:
    """What the classifier says about one post."""

    labels: list[str]
    status: str = "ongoing"
    #: The learned model's probability per label (empty when the model was not asked).
    confidence: dict[str, float] = field(default_factory=dict)
    #: Labels the model finds possible but below its threshold, for an operator to confirm (要確認).
    review: list[str] = field(default_factory=list)


class Classifier:
    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon.load()
        #: The cue searches of the post last read, per thread: the model's cue features
        #: (:meth:`cue_morphs`) and :meth:`analyse` ask the same patterns of the same post.
        self._memo = threading.local()

    def _search(self, key: str, pattern: re.Pattern[str], text: str) -> bool:
        memo = self._memo
        if getattr(memo, "text", None) != text:
            memo.text, memo.hits = text, {}
        hit = memo.hits.get(key)
        if hit is None:
            hit = memo.hits[key] = pattern.search(text) is not None
        return hit

    def not_an_event(self, text: str) -> str | None:
        """The ``none_context`` (drill, ad, preparedness, chatter, memory) that makes a post not an event."""
        if self.lexicon.override.search(text):
            return None
        for name, pattern in self.lexicon.none_context.items():
            if self._search("context:" + name, pattern, text):
                return name
        return None

    def suppressed_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of a normalised post the rules do not read (metaphors, jokes, hypotheticals)."""
        return [m.span() for m in self.lexicon.suppress.finditer(text)]

    def classify(
        self, text: str, learned: Callable[[list[tuple[int, int]]], Probabilities | Iterable[str]] | None = None
    ) -> list[str]:
        """Labels of one normalised post, in taxonomy order; ``["none"]`` when nothing applies."""
        return self.analyse(text, learned).labels

    def analyse(
        self,
        text: str,
        learned: Callable[[list[tuple[int, int]]], Probabilities | Iterable[str]] | None = None,
        gate: RescueGate | None = None,
        stage: RescueStage | None = None,
    ) -> Verdict:
        """Labels, event status, confidence and labels to confirm of one normalised post.

        ``learned(suppressed_spans)``: the learned model's probability per label (or plain labels),
        asked only for posts that are events (the rules decide drills, ads, memories...) and told
        which spans the rules do not read, so the model reads what the rules read. Labels whose
        probability passes :data:`nlp.learned.THRESHOLDS` are added to the rules' labels. Rescue goes
        through ``gate`` (:data:`nlp.learned.RESCUE_GATE`, chosen by cross-validation on train): the
        alarm when the model's probability passes ``alarm``, or a rule found it and the probability is
        at least ``rule_floor``; otherwise a rule's rescue, or a probability from ``review``, is
        ``review`` (要確認) — shown to the operator without the alarm. ``stage``
        (:data:`nlp.learned.RESCUE_STAGE`, as the pipeline passes it): the model's rescue probability is
        first re-read with the rules' rescue and the post's status cues, and the gate (and the rescue
        confidence) uses that second-stage probability.

        Status: a resolved event (救出済・復旧・鎮火) is no request: the labels of what is over are
        dropped (the rest stays: a rescued person's collapsed house is still building damage);
        advice (注意喚起) without a report or an order is ``none``; a hypothetical keeps what the rules read outside its もし…たら spans.
        """
        from nlp.learned import RESCUE_GATE, REVIEW_THRESHOLDS, RULE_FLOORS, THRESHOLDS

        gate = gate or RESCUE_GATE
        context = self.not_an_event(text)
        if context:
            return Verdict(["none"], _CONTEXT_STATUS.get(context, "advice"))
        spans = self.suppressed_spans(text)
        answer = learned(spans) if learned is not None else {}
        confidence: dict[str, float] = {}
        rescue_p: float | None = None
        if isinstance(answer, Mapping):
            confidence = {label: round(float(p), 3) for label, p in answer.items()}
            rescue_p = answer.get("rescue")
            extra = [label for label, p in confidence.items() if label != "rescue" and p >= THRESHOLDS.get(label, 1.0)]
            review = [label for label, p in confidence.items() if label != "rescue"
                      and REVIEW_THRESHOLDS.get(label, 1.0) <= p < THRESHOLDS.get(label, 1.0)]
        else:
            extra, review = list(answer), []
        found = self._rule_labels(_blank(text, spans))
        if confidence:
            # a rule's label the model finds very unlikely (煙 of a burnt pan, a sign that "fell" in a
            # metaphor) is shown to confirm instead; floors chosen by nlp.tune, rescue has its gate
            doubted = [label for label in found if label != "rescue"
                       and confidence.get(label, 1.0) < RULE_FLOORS.get(label, 0.0)]
            found = [label for label in found if label not in doubted]
            review.extend(doubted)
        if rescue_p is not None and stage is not None:
            cues = [name for name, _pos, _at in self.cue_morphs(text)]
            rescue_p = stage.probability(rescue_p, "rescue" in found, cues)
            confidence["rescue"] = round(rescue_p, 3)
        if rescue_p is not None:
            # The alarm: the model sure enough on its own, or a rule the model does not contradict.
            # A rule's rescue the model finds unlikely, or a model's that is only possible, is 要確認.
            by_rule = "rescue" in found
            found = [label for label in found if label != "rescue"]
            if rescue_p >= gate.alarm or (by_rule and rescue_p >= gate.rule_floor):
                found.append("rescue")
            elif by_rule or rescue_p >= gate.review:
                review.append("rescue")
        found.extend(label for label in extra if label != "none")
        if not found:
            found = [label for label, patterns in self.lexicon.weak.items() if self._matches(text, patterns)]
        if "rescue" in found and self._cue(text, "not_rescue") and not self._cue(text, "rescue_despite"):
            # 充電…助けて, 骨折して動けない, 電車止まって帰れない, 空き家が倒壊: no alarm, but shown to confirm
            found = [label for label in found if label != "rescue"]
            review.append("rescue")
        # what the post says is not there (けが人なし, 火事ちゃう) is dropped whoever read it: the model
        # reads けが人 or 火事 as a word, not its denial
        denied = {label for label, cue in self.lexicon.denied.items() if self._search("denied:" + label, cue, text)}
        labels = [label for label in LABELS if label in found and label not in denied] or ["none"]
        review = [label for label in review if label not in labels and label not in denied]
        over = {label for label, cue in self.lexicon.resolved.items() if self._search("over:" + label, cue, text)}
        if over and not self._cue(text, "still"):
            # the event of those labels is over (救出された, 復旧しました, 鎮火): no request any more; the
            # rest stays (the collapsed house a person was rescued from is still building damage)
            left = [label for label in labels if label not in over and label != "none"]
            return Verdict(left or ["none"], "resolved", confidence, [])
        if self._cue(text, "advice") and not self._cue(text, "actionable"):
            return Verdict(["none"], "advice", confidence, review)
        status = "hypothetical" if labels == ["none"] and self._cue(text, "hypothetical") else "ongoing"
        return Verdict(labels, status, confidence, review)

    def cue_morphs(self, text: str) -> list[tuple[str, str, int]]:
        """The lexicon's cues found in a normalised post, for the model (:func:`nlp.learned.lexicon_cues`)."""
        from nlp.learned import lexicon_cues

        return lexicon_cues(self.lexicon, text, self._search)

    def rule_labels(self, text: str) -> list[str]:
        """What the lexicon alone reads in a normalised post (outside its suppressed spans)."""
        return self._rule_labels(_blank(text, self.suppressed_spans(text)))

    def _cue(self, text: str, name: str) -> bool:
        pattern = self.lexicon.status.get(name)
        return bool(pattern and self._search(name, pattern, text))

    def is_news(self, text: str) -> bool:
        """News, RTs and hearsay (ニュース, 報道, RT @..., …らしい, 動画回ってる): about another city, they
        are no request to this desk."""
        return self._cue(text, "news") or self._cue(text, "hearsay")

    def is_personal(self, text: str) -> bool:
        """About someone close to the writer (母, 実家, my sister): a concern, not news."""
        return self._cue(text, "personal")

    def _rule_labels(self, text: str) -> list[str]:
        any_of = self.lexicon.any_of
        found: list[str] = [
            label
            for label, patterns in self.lexicon.labels.items()
            if any_of[label].search(text) and self._matches(text, patterns)
        ]
        for label, (needs, patterns) in self.lexicon.given.items():
            if label not in found and needs.intersection(found) and self._matches(text, patterns):
                found.append(label)
        return found

    @staticmethod
    def _matches(text: str, patterns: list[re.Pattern[str]]) -> bool:
        for pattern in patterns:
            for m in pattern.finditer(text):
                if _NEGATION_PERSON.match(text, m.end()):
                    continue
                if not _HIRAGANA_END.search(m.group(0)) and _NEGATION.match(text, m.end()):
                    continue
                if m.group(0).isascii() and _ENGLISH_NEGATION.search(text, 0, m.start()):
                    continue
                return True
        return False
