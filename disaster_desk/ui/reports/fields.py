"""What the ward form asks for each report kind: field order, widget type, titles and choices.

Values are the ids of ``core.report_schema``; titles and choice words come
from :mod:`disaster_desk.core.vocabulary`, in the UI's language.
"""

from __future__ import annotations

from disaster_desk.core import vocabulary as vocab
from disaster_desk.ui.names import choices, field_name

#: Widget type of each field (the order and the words are the vocabulary's).
WIDGETS: dict[str, dict[str, str]] = {
    "shelter": {"name": "name", "status": "choice", "evacuees": "int", "households": "int", "capacity": "int",
                "needs": "needs", "note": "text"},
    "damage": {"type": "choice", "severity": "choice", "place": "text", "lat": "float", "lon": "float",
               "status": "choice", "note": "text"},
    "muster": {"office": "text", "arrived": "int", "expected": "int", "safe_unreachable": "int", "note": "text"},
    "system": {"system": "text", "status": "choice", "note": "text"},
}


def form_fields(kind: str) -> list[tuple[str, str, str]]:
    """[(field, widget type, title)] of ``kind`` in form order."""
    return [(t.id, WIDGETS[kind][t.id], field_name(kind, t.id)) for t in vocab.REPORT_FIELDS[kind]]


def field_choices(kind: str, name: str) -> list[tuple[str, str]]:
    """(id, label) pairs of an enumerated field, e.g. ``field_choices("system", "status")``."""
    return choices(vocab.REPORT_VALUES[(kind, name)])


def need_choices() -> list[tuple[str, str]]:
    return choices(vocab.NEED)
