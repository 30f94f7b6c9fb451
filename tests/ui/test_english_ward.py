"""Issue 16 item 11: with the English translation loaded, the ward form, the inbox, the damage list and
the map popups are English (the values people typed — place names, notes — stay as written)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit

from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService

#: Kana and CJK ideographs: Japanese words a translated UI must not show in its own texts.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
#: Data typed by people in these tests (shown as written in any language).
DATA = ("天神橋2丁目", "扇町小学校", "北区")


def _japanese(text: str) -> bool:
    for word in DATA:
        text = text.replace(word, "")
    return bool(JAPANESE.search(text))


def _texts(widget) -> list[str]:
    out = []
    for child in widget.findChildren(QLabel):
        out.append(child.text())
    for child in widget.findChildren(QAbstractButton):
        out.append(child.text())
    for child in widget.findChildren(QLineEdit):
        out.append(child.placeholderText())
    for combo in widget.findChildren(QComboBox):
        if not combo.isEditable():  # an editable combo offers data (the registry's shelter names)
            out.extend(combo.itemText(i) for i in range(combo.count()))
    return [t for t in out if t]


def _damage(db, clock) -> int:
    return ReportService(db, clock).submit(
        "damage", "北区", {"type": "road", "severity": "major", "place": "天神橋2丁目", "status": "reported"},
        author="kita").report_id


def test_ward_form_and_inbox_in_english(english, make_main_window, ward_settings, sqlite_db, clock, qtbot):
    report_id = _damage(sqlite_db, clock)
    TriageService(sqlite_db, clock).share("report", report_id, ["北区"], actor="HQ Yamada", acknowledge_new=True)
    window = make_main_window(settings=ward_settings)
    form = window.ward_form
    for kind in range(form.kind.count()):  # every page of the form: shelter, damage, muster, system
        form.kind.setCurrentIndex(kind)
        japanese = [t for t in _texts(form) if _japanese(t)]
        assert japanese == [], japanese
    form.kind.setCurrentIndex(form.kind.findData("shelter"))
    form.set_values("shelter", {"name": "扇町小学校", "status": "open", "evacuees": 120})
    assert form.send() is not None
    qtbot.waitUntil(lambda: form.sent_list.count() == 1, timeout=10_000)
    line = form.sent_list.item(0).text()
    assert not _japanese(line), line  # 【Sent】 Shelter Kita Ward 扇町小学校 Open 120 evacuees
    assert not _japanese(form.status.text()) and not _japanese(form.queue_title.text())

    inbox = window.inbox
    headers = [inbox.table.horizontalHeaderItem(c).text() for c in range(inbox.table.columnCount())]
    assert headers == ["Receipt", "Shared at", "Category", "Place", "Content", "Sender"]
    row = [inbox.table.item(0, c).text() for c in range(inbox.table.columnCount())]
    assert row[0] == "Not received" and row[2] == "Damage" and row[3].startswith("Kita Ward"), row
    assert not any(_japanese(v) for v in row), row
    assert not _japanese(inbox.detail.toPlainText()), inbox.detail.toPlainText()
    assert not _japanese(inbox.heading.text()) and not _japanese(window.docks["inbox"].windowTitle())
    assert [t for t in _texts(inbox) if _japanese(t)] == []


def test_damage_list_and_map_popups_in_english(english, make_main_window, sqlite_db, clock, qtbot):
    report_id = _damage(sqlite_db, clock)
    TriageService(sqlite_db, clock).share("report", report_id, ["北区", "消防局"], actor="hq", acknowledge_new=True)
    window = make_main_window()
    damage = window.reports.damage_list
    window.reports.refresh()
    qtbot.waitUntil(lambda: damage.table.rowCount() == 1)
    headers = [damage.table.horizontalHeaderItem(c).text() for c in range(damage.table.columnCount())]
    assert not any(_japanese(h) for h in headers), headers
    values = [damage.table.item(0, c).text() for c in range(damage.table.columnCount())]
    assert values[1:6] == ["Kita Ward", "Road", "Major", "天神橋2丁目", "Reported"], values
    assert not any(_japanese(v) for v in values), values
    assert [t for t in _texts(damage) if _japanese(t)] == []
    [row] = [r for r in window.queue.model.rows if r.item_type == "report"]  # the HQ queue's row text
    assert row.text == "Damage Kita Ward Road 天神橋2丁目 Major Reported", row.text
    model = window.queue.model
    cells = [model.data(model.index(model.rows.index(row), c)) for c in range(model.columnCount())]
    assert any(isinstance(c, str) and "→Kita Ward, Fire Bureau" in c for c in cells), cells
    assert window.queue.select_key(f"report:{report_id}")
    history = [window.detail.history.item(i).text() for i in range(window.detail.history.count())]
    assert any("→Kita Ward" in h and "Not received" in h for h in history), history
    window.load_map_items()
    qtbot.waitUntil(lambda: f"report:{report_id}" in window._map_items)
    item = window._map_items[f"report:{report_id}"]
    popup = [item.title] + [f"{label}: {value}" for label, value in item.fields]
    assert not any(_japanese(line) for line in popup), popup
