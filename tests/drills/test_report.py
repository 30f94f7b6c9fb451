"""The after-action report: self-contained, escaped, with every section the brief asks for."""

from __future__ import annotations

import re

from drills.engine import DrillEngine
from drills.report import muster_rate_at, write_report
from drills.scenario import parse_scenario

HOSTILE = """
name: "訓練 <b>太字</b>"
start: 2026-01-17T05:46:00+09:00
bcp_target: {muster_rate: 0.4, at: "00:10:00"}
checklist:
  - {id: net, title: "ネットワーク <i>確認</i>"}
injects:
  - {at: 60, kind: post, text: "北区で火事 <script>alert('x')</script> &amp;"}
  - {at: 120, kind: report, report: muster, ward: 北区, data: {office: "北区役所<img src=x>", arrived: 30, expected: 60}}
  - {at: 180, kind: report, report: damage, ward: 北区, data: {type: road, severity: major, place: "<u>天神橋</u>"}}
"""


def test_report_is_self_contained_escaped_and_complete(db, keyword_analyser, tmp_path):
    scenario = parse_scenario(HOSTILE)
    first = DrillEngine(scenario, db, speed=None, analyser=keyword_analyser)
    first.run_to_end()
    engine = DrillEngine(scenario, db, speed=None, analyser=keyword_analyser)
    engine.run_to_end()
    html = write_report(db, engine.run_id, tmp_path, scenario).read_text(encoding="utf-8")

    assert "<script" not in html and "<img" not in html and "<u>" not in html and "<b>太字" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;amp;" in html
    assert "&lt;u&gt;天神橋&lt;/u&gt;" in html and "訓練 &lt;b&gt;太字&lt;/b&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # no CDN, no external files
    assert "訓練 — EXERCISE" in html and "@media print" in html and 'lang="ja"' in html
    for heading in ("タイムライン", "投稿の推移", "共有までの時間", "初回報告", "参集率", "チェックリスト",
                    "共有されなかった項目", "過去の訓練との比較"):
        assert heading in html, heading
    assert html.count("<svg") >= 4
    assert "BCP目標 40% / 10分" in html
    assert "未完了" in html  # the checklist item nobody ticked
    # the fire post and the damage report were never shared
    assert "共有されなかった項目（関連投稿・被害/システム報告）: 2件" in html
    # the comparison table lists both runs of this scenario, the current one highlighted
    assert first.run_id in html and f'<tr class="current"><td>{engine.run_id}' in html


def test_muster_rate_at_uses_the_latest_point_not_after_the_target():
    series = [{"t_s": 100, "arrived": 10, "expected": 100}, {"t_s": 3500, "arrived": 40, "expected": 80},
              {"t_s": 3700, "arrived": 70, "expected": 80}]
    assert muster_rate_at(series, 3600) == 0.5
    assert muster_rate_at(series, 50) is None
