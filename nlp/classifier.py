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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import yaml

import resources
from disaster_desk.core.taxonomy import LABELS

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
    digest: str

    @classmethod
    def load(cls, path=None) -> Lexicon:
        raw = (path or resources.path("lexicon", "labels.yaml")).read_bytes()
        data = yaml.safe_load(raw)
        given = data.get("given", {})
        unknown = (set(data["labels"]) | set(data.get("weak", {})) | set(given)
                   | {x for g in given.values() for x in g["with"]}) - set(LABELS)
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
            digest=hashlib.sha1(raw).hexdigest()[:8],
        )


class Classifier:
    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon.load()

    def not_an_event(self, text: str) -> str | None:
        """The ``none_context`` (drill, ad, preparedness, chatter, memory) that makes a post not an event."""
        if self.lexicon.override.search(text):
            return None
        for name, pattern in self.lexicon.none_context.items():
            if pattern.search(text):
                return name
        return None

    def suppressed_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of a normalised post the rules do not read (metaphors, jokes, hypotheticals)."""
        return [m.span() for m in self.lexicon.suppress.finditer(text)]

    def classify(
        self, text: str, learned: Callable[[list[tuple[int, int]]], Iterable[str]] | None = None
    ) -> list[str]:
        """Labels of one normalised post, in taxonomy order; ``["none"]`` when nothing applies.

        ``learned(suppressed_spans)``: labels a learned model gives the post, asked only for
        posts that are events (the rules decide drills, ads, memories...) and told which spans
        the rules do not read, so the model reads what the rules read. They are added to the
        rules' labels.
        """
        if self.not_an_event(text):
            return ["none"]
        spans = self.suppressed_spans(text)
        extra = list(learned(spans)) if learned is not None else []
        text = _blank(text, spans)
        any_of = self.lexicon.any_of
        found = [
            label
            for label, patterns in self.lexicon.labels.items()
            if any_of[label].search(text) and self._matches(text, patterns)
        ]
        for label, (needs, patterns) in self.lexicon.given.items():
            if label not in found and needs.intersection(found) and self._matches(text, patterns):
                found.append(label)
        found.extend(label for label in extra if label != "none")
        if not found:
            found = [label for label, patterns in self.lexicon.weak.items() if self._matches(text, patterns)]
        return [label for label in LABELS if label in found] or ["none"]

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
