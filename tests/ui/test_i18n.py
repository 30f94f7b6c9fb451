"""Japanese is the source language; English comes from the shipped .ts (compiled with
pyside6-lrelease when available, read directly otherwise)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from disaster_desk.ui import i18n


@pytest.fixture
def english(qapp):
    yield
    i18n.install_translator(qapp, "ja")


def test_every_message_of_the_shipped_ts_is_translated():
    root = ET.parse(i18n.ts_path("en")).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")]
    assert unfinished == []
    assert root.get("sourcelanguage") == "ja"


@pytest.mark.parametrize("use_lrelease", [True, False], ids=["qm-from-lrelease", "ts-read-directly"])
def test_english_translator_translates_the_window(qapp, english, use_lrelease, tmp_path):
    translator = i18n.install_translator(qapp, "en", use_lrelease=use_lrelease)
    assert translator is not None
    assert isinstance(translator, i18n.TsTranslator) != use_lrelease
    assert QCoreApplication.translate("MainWindow", "キュー") == "Queue"
    assert QCoreApplication.translate("DetailPanel", "共有履歴") == "Share history"  # another class's context
    assert QCoreApplication.translate("MainWindow", "まだ訳のない文") == "まだ訳のない文"  # falls back to Japanese


def test_window_in_english(qapp, english, make_main_window):
    i18n.install_translator(qapp, "en")
    window = make_main_window()
    assert window.docks["queue"].windowTitle() == "Queue"
    assert window.detail.buttons["acknowledge"].text() == "Acknowledge (A)"
    assert "Disaster Desk" in window.windowTitle()


def test_japanese_needs_no_translator(qapp):
    assert i18n.install_translator(qapp, "ja") is None
    assert QCoreApplication.translate("MainWindow", "キュー") == "キュー"
