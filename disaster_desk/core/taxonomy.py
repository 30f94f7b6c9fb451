"""Post categories (docs/taxonomy.md): ids, Japanese names, colours, urgency."""

from __future__ import annotations

from disaster_desk.core.vocabulary import LABEL

#: Stable label ids in the spec's order; ``none`` stands alone (words: core.vocabulary.LABEL).
LABELS: tuple[str, ...] = LABEL.ids

LABEL_JA: dict[str, str] = LABEL.labels("ja")

#: One colour per label, the same in queue chips, map markers and charts.
LABEL_COLOURS: dict[str, str] = {
    "rescue": "#d7191c",
    "casualty": "#e8546b",
    "fire": "#f46d43",
    "building": "#8c510a",
    "flood": "#2c7bb6",
    "lifeline": "#7b3294",
    "transport": "#1a9641",
    "evacuation": "#fdae61",
    "supplies": "#35978f",
    "safety": "#c51b7d",
    "none": "#9e9e9e",
}

#: Urgency rank for sorting (higher first): rescue > casualty > fire > flood >
#: building > lifeline, evacuation, supplies, safety > transport > none.
URGENCY: dict[str, int] = {
    "rescue": 9,
    "casualty": 8,
    "fire": 7,
    "flood": 6,
    "building": 5,
    "lifeline": 4,
    "evacuation": 4,
    "supplies": 4,
    "safety": 4,
    "transport": 3,
    "none": 0,
}


#: A possible rescue (要確認: the model's rescue probability below the alarm threshold) sorts right
#: below the rescue requests, so the operator sees it without the alarm sounding.
REVIEW_URGENCY = URGENCY["rescue"] - 1


def urgency(labels: list[str] | tuple[str, ...], review: list[str] | tuple[str, ...] = ()) -> int:
    """The urgency of a post: that of its most urgent label (a possible rescue: :data:`REVIEW_URGENCY`)."""
    top = max((URGENCY.get(label, 0) for label in labels), default=0)
    return max(top, REVIEW_URGENCY) if "rescue" in review and "rescue" not in labels else top


def validate_labels(labels: list[str]) -> list[str]:
    """Labels in spec order; ``none`` only alone; unknown ids refused."""
    unknown = [label for label in labels if label not in URGENCY]
    if unknown:
        raise ValueError(f"unknown labels: {unknown}")
    chosen = [label for label in LABELS if label in labels and label != "none"]
    return chosen or ["none"]
