"""Ward reports as queue rows: their labels, urgency and one line of Japanese text.

Reports carry no NLP labels; these rules place them in the operator queue and
word them for the inbox, exports and bulletins.
"""

from __future__ import annotations

from typing import Any

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


#: Japanese words for report payload values (queue rows, inbox, exports, bulletins).
VALUE_JA = {
    "unopened": "未開設", "open": "開設", "full": "満員", "closed": "閉鎖",
    "minor": "軽微", "major": "重大", "critical": "甚大",
    "reported": "通報", "confirmed": "確認済", "repairing": "復旧作業中", "restored": "復旧",
    "up": "稼働", "degraded": "一部障害", "down": "停止", "unknown": "不明",
    "road": "道路", "bridge": "橋梁", "building": "建物", "water": "上水道", "sewer": "下水道", "power": "電力",
    "gas": "ガス", "telecom": "通信", "rail": "鉄道", "river": "河川", "other": "その他",
}
REPORT_KIND_JA = {"shelter": "避難所", "damage": "被害", "muster": "参集", "system": "システム"}


def report_text(kind: str, ward: str | None, payload: dict[str, Any]) -> str:
    """A report as one line of Japanese text."""
    parts = [REPORT_KIND_JA.get(kind, kind), ward or ""]
    for key in ("name", "office", "system", "type", "place", "severity", "status", "note"):
        if payload.get(key):
            value = str(payload[key])
            parts.append(VALUE_JA.get(value, value) if key in ("type", "severity", "status") else value)
    if kind == "muster" and payload.get("expected") is not None:
        parts.append(f"参集{payload.get('arrived', 0)}/{payload['expected']}人")
    if payload.get("evacuees") is not None:
        parts.append(f"避難者{payload['evacuees']}人")
    return " ".join(p for p in parts if p)
