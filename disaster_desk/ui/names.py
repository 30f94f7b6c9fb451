"""Display names of core ids (labels, triage states, sources), translatable.

Each name is a literal ``QCoreApplication.translate`` call so that
``pyside6-lupdate`` finds it; the core keeps the stable ids.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from disaster_desk.core.taxonomy import LABEL_COLOURS


def label_name(label: str) -> str:
    names = {
        "rescue": QCoreApplication.translate("names", "救助要請"),
        "casualty": QCoreApplication.translate("names", "負傷・医療"),
        "fire": QCoreApplication.translate("names", "火災"),
        "building": QCoreApplication.translate("names", "建物・構造物被害"),
        "flood": QCoreApplication.translate("names", "浸水・冠水"),
        "lifeline": QCoreApplication.translate("names", "ライフライン"),
        "transport": QCoreApplication.translate("names", "交通"),
        "evacuation": QCoreApplication.translate("names", "避難・避難所"),
        "supplies": QCoreApplication.translate("names", "物資・支援"),
        "safety": QCoreApplication.translate("names", "安否・行方不明"),
        "none": QCoreApplication.translate("names", "該当なし"),
    }
    return names.get(label, label)


def label_colour(label: str) -> str:
    return LABEL_COLOURS.get(label, "#9e9e9e")


def state_name(state: str) -> str:
    names = {
        "new": QCoreApplication.translate("names", "新規"),
        "acknowledged": QCoreApplication.translate("names", "確認済"),
        "verified": QCoreApplication.translate("names", "検証済"),
        "dismissed": QCoreApplication.translate("names", "却下"),
        "shared": QCoreApplication.translate("names", "共有済"),
        "closed": QCoreApplication.translate("names", "完了"),
    }
    return names.get(state, state)


def source_name(source: str) -> str:
    names = {
        "x": "X",
        "mastodon": "Mastodon",
        "bluesky": "Bluesky",
        "jma": QCoreApplication.translate("names", "気象庁"),
        "replay": QCoreApplication.translate("names", "再生"),
        "other": QCoreApplication.translate("names", "その他"),
        "report": QCoreApplication.translate("names", "区報告"),
    }
    return names.get(source, source)


def item_type_name(item_type: str) -> str:
    names = {
        "post": QCoreApplication.translate("names", "投稿"),
        "report": QCoreApplication.translate("names", "区報告"),
        "incident": QCoreApplication.translate("names", "事案"),
    }
    return names.get(item_type, item_type)


STATES = ("new", "acknowledged", "verified", "shared", "dismissed", "closed")
SOURCES = ("x", "mastodon", "bluesky", "jma", "replay", "other", "report")
