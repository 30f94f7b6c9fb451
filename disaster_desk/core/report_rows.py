"""Ward reports as queue rows: their labels, urgency and one line of Japanese text.

Reports carry no NLP labels; these rules place them in the operator queue and
word them for the inbox, exports and bulletins.
"""

from __future__ import annotations

from typing import Any

from disaster_desk.core.area import TARGET_NAMES
from disaster_desk.core.vocabulary import REPORT_KIND, value_label

_DAMAGE_LABEL = {"road": "transport", "bridge": "transport", "rail": "transport", "building": "building",
                 "water": "lifeline", "sewer": "lifeline", "power": "lifeline", "gas": "lifeline",
                 "telecom": "lifeline", "river": "flood", "other": "building"}


def report_labels_urgency(kind: str, payload: dict[str, Any]) -> tuple[list[str], int]:
    """Queue labels and urgency of a report (a documented rule, not NLP).

    Critical damage ranks with casualties (8), major damage with floods (6);
    a full shelter (5) before open ones (4); muster and healthy systems are
    ``none`` (they belong in the reports panel, not the triage queue).
    """
    if kind == "damage":
        if payload.get("status") in ("restored", "closed"):
            return [_DAMAGE_LABEL.get(payload.get("type", ""), "building")], 2
        return [_DAMAGE_LABEL.get(payload.get("type", ""), "building")], {
            "critical": 8, "major": 6}.get(payload.get("severity", ""), 4)
    if kind == "shelter":
        return ["evacuation"], {"full": 5, "open": 4, "unopened": 2}.get(payload.get("status", ""), 1)
    if kind == "system" and payload.get("status") in ("down", "degraded"):
        return ["lifeline"], 5 if payload.get("status") == "down" else 3
    return ["none"], 0


#: Kept for callers of the old names: the words come from core.vocabulary.
REPORT_KIND_JA = REPORT_KIND.labels("ja")


def report_text(kind: str, ward: str | None, payload: dict[str, Any], language: str = "ja") -> str:
    """A report as one line of text (Japanese, or English for an English UI; the values stay as written)."""
    parts = [REPORT_KIND.label(kind, language), ward_label(ward, language)]
    for key in ("name", "office", "system", "type", "place", "severity", "status", "note"):
        if payload.get(key):
            parts.append(value_label(kind, key, str(payload[key]), language))
    if kind == "muster" and payload.get("expected") is not None:
        arrived, expected = payload.get("arrived", 0), payload["expected"]
        parts.append(f"arrived {arrived}/{expected}" if language == "en" else f"参集{arrived}/{expected}人")
    if payload.get("evacuees") is not None:
        parts.append(f"{payload['evacuees']} evacuees" if language == "en" else f"避難者{payload['evacuees']}人")
    return " ".join(p for p in parts if p)


def ward_label(ward: str | None, language: str = "ja") -> str:
    """A ward (or department) as written in ``language``: 北区 / Kita Ward."""
    if not ward:
        return ""
    if language == "en":
        return TARGET_NAMES.get(ward, (ward,))[0]
    return ward
