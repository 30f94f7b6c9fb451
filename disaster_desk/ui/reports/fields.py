"""What the ward form asks for each report kind: field order, widget type, Japanese titles and choices.

Values are the ids of ``core.report_schema``; the titles are what the ward user reads.
"""

from __future__ import annotations

KIND_JA = {"shelter": "避難所", "damage": "被害", "muster": "参集", "system": "システム"}
CHOICES: dict[str, list[tuple[str, str]]] = {
    "shelter.status": [("open", "開設"), ("full", "満員"), ("closed", "閉鎖"), ("unopened", "未開設")],
    "damage.type": [("road", "道路"), ("bridge", "橋梁"), ("building", "建物"), ("water", "上水道"), ("sewer", "下水道"),
                    ("power", "電力"), ("gas", "ガス"), ("telecom", "通信"), ("rail", "鉄道"), ("river", "河川"),
                    ("other", "その他")],
    "damage.severity": [("major", "重大"), ("minor", "軽微"), ("critical", "甚大")],
    "damage.status": [("reported", "報告"), ("confirmed", "確認済"), ("closed", "通行止め"), ("repairing", "復旧中"),
                      ("restored", "復旧")],
    "system.status": [("down", "停止"), ("degraded", "一部停止"), ("up", "稼働"), ("unknown", "不明")],
}
NEEDS = [("water", "水"), ("food", "食料"), ("blanket", "毛布"), ("medicine", "医薬品"), ("toilet", "トイレ"),
         ("power", "電源"), ("milk", "ミルク"), ("diaper", "おむつ"), ("other", "その他")]
FIELDS: dict[str, list[tuple[str, str, str]]] = {  # kind: [(field, widget type, Japanese)]
    "shelter": [("name", "name", "避難所名"), ("status", "choice", "状態"), ("evacuees", "int", "避難者数"),
                ("households", "int", "世帯数"), ("capacity", "int", "収容可能人数"), ("needs", "needs", "必要物資"),
                ("note", "text", "備考")],
    "damage": [("type", "choice", "種別"), ("severity", "choice", "程度"), ("place", "text", "場所"),
               ("lat", "float", "緯度"), ("lon", "float", "経度"), ("status", "choice", "対応状況"), ("note", "text", "備考")],
    "muster": [("office", "text", "所属"), ("arrived", "int", "参集人数"), ("expected", "int", "参集予定人数"),
               ("safe_unreachable", "int", "安否確認済・参集不能"), ("note", "text", "備考")],
    "system": [("system", "text", "システム名"), ("status", "choice", "稼働状況"), ("note", "text", "備考")],
}
