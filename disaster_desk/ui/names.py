"""Display names of core ids (labels, triage states, sources, report values) in the UI's language.

The words are defined once, with their Japanese and English labels, in
:mod:`disaster_desk.core.vocabulary`; this module picks the label of the
language the application was started in (:func:`disaster_desk.ui.i18n.current_language`).
"""

from __future__ import annotations

from disaster_desk.core import vocabulary as vocab
from disaster_desk.core.report_rows import ward_label
from disaster_desk.core.taxonomy import LABEL_COLOURS
from disaster_desk.ui.i18n import current_language


def term(vocabulary: vocab.Vocabulary, value: str | None) -> str:
    """The label of ``value`` in ``vocabulary``, in the UI's language."""
    return vocabulary.label(value, current_language())


def choices(vocabulary: vocab.Vocabulary) -> list[tuple[str, str]]:
    """(id, label) pairs in the UI's language, in the vocabulary's order (combo boxes)."""
    return vocabulary.choices(current_language())


def target_name(target: str | None) -> str:
    """A ward or department (share target) in the UI's language: 北区 / Kita Ward, 消防局 / Fire Bureau."""
    return ward_label(target, current_language())


def label_name(label: str) -> str:
    return term(vocab.LABEL, label)


def status_name(status: str | None) -> str:
    """The event status as the queue shows it; ``ongoing`` (and none stored) shows nothing."""
    return "" if status in (None, "ongoing") else term(vocab.EVENT_STATUS, status)


def review_name(label: str = "rescue") -> str:
    """The tier of a possible rescue (the model's rescue probability below the alarm threshold)."""
    return term(vocab.REVIEW, label)


def label_colour(label: str) -> str:
    return LABEL_COLOURS.get(label, "#9e9e9e")


def state_name(state: str) -> str:
    return term(vocab.TRIAGE_STATE, state)


def action_name(action: str) -> str:
    return term(vocab.TRIAGE_ACTION, action)


def source_name(source: str) -> str:
    return term(vocab.SOURCE, source)


def item_type_name(item_type: str) -> str:
    return term(vocab.ITEM_TYPE, item_type)


def report_kind_name(kind: str) -> str:
    return term(vocab.REPORT_KIND, kind)


def field_name(kind: str, field: str) -> str:
    return vocab.field_label(kind, field, current_language())


def value_name(kind: str, field: str, value: str | None) -> str:
    return vocab.value_label(kind, field, value, current_language())


STATES = vocab.TRIAGE_STATE.ids
SOURCES = vocab.SOURCE.ids
