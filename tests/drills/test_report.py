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


def _first_page(html: str) -> str:
    return html[html.index('<div class="first-page">'):html.index("<h2>タイムライン</h2>")]


def test_first_page_judges_the_action_plan_kpis_against_their_targets(sqlite_db, small_scenario, keyword_analyser,
                                                                      tmp_path):
    engine = DrillEngine(small_scenario, sqlite_db, speed=None, analyser=keyword_analyser)
    engine.run_to_end()
    html = write_report(sqlite_db, engine.run_id, tmp_path, small_scenario).read_text(encoding="utf-8")
    page = _first_page(html)
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"actual\">([^<]+)</td><td>([^<]+)</td>\s*"
                      r"<td class=\"verdict [a-z-]+\">([^<]+)</td>", page)
    assert rows == [
        # 4 posts + 6 reports of 10 injected items (small.yaml has no telegram)
        ("訓練時の情報収集数", "10件", "10件以上", "達成"),
        ("共有までに要した時間（中央値）", "00:05:00", "15分以内", "達成"),
        # 4 scripted share injects, one of which matches nothing: 3 shared
        ("共有情報項目数", "3件", "4件以上", "未達"),
        ("発信情報へのアクセス数", "—", "—", "目標未設定"),
    ]
    assert "訓練参加者 0件・シナリオの自動操作 3件" in page and "シナリオの自動操作（共有・確認・チェック）が実行されました" in page
    # the rescue request (倒壊・救助) was acknowledged, never shared: it heads the page, and the findings say so
    assert "共有されなかった救助要請: 1件" in page and "淀川区十三で建物が倒壊" in page
    assert "救助要請 1件が共有されませんでした" in page and "共有情報項目数が目標に達しませんでした" in page
    assert "未完了のチェック項目: SNS収集開始" in page
    assert "確認欄" in page and "訓練統制者" in page
    # the timeline speaks Japanese and names items by their text, not 'acknowledge post:4'
    timeline = html[html.index("<h2>タイムライン</h2>"):html.index("<h2>投稿の推移")]
    assert "確認: 淀川区十三で建物が倒壊" in timeline and "共有: 被害 淀川区 道路 十三大橋" in timeline
    assert "acknowledge" not in timeline and "post:" not in timeline
    assert "「存在しない場所」に一致する受信済みの項目がありません" in html


def test_report_with_targets_accesses_and_trainee_actions(sqlite_db, keyword_analyser, tmp_path):
    scenario = parse_scenario("""
name: 目標つき
start: 2026-01-17T05:46:00+09:00
kpi_targets: {collected: 2, time_to_share: "00:01:00", shared: 1, accesses: 1}
injects:
  - {at: 10, kind: post, text: "北区で救助をお願いします"}
  - {at: 20, kind: post, text: "北区で火事"}
  - {at: 30, kind: action, action: share, match: {text_contains: 火事}, to: [北区]}
""")
    engine = DrillEngine(scenario, sqlite_db, speed=None, analyser=keyword_analyser, scripted_actions=False)
    m = engine.run_to_end()
    m["bulletin_accesses"] = {"hits": 5, "visitors": 3, "bulletins": {"b": 5}, "log_lines": 5, "malformed_lines": 0}
    html = write_report(sqlite_db, engine.run_id, tmp_path, scenario, metrics=m).read_text(encoding="utf-8")
    page = _first_page(html)
    assert "<td>発信情報へのアクセス数</td><td class=\"actual\">5件</td><td>1件以上</td>" in page
    assert page.count('class="verdict met"') == 2 and page.count('class="verdict not-met"') == 2
    assert "想定操作 1件は訓練参加者が実施" in page
    assert "共有「火事」 → 北区（訓練参加者の操作を想定・自動実行なし）" in html
    # unshared: the rescue request first although it came first anyway; both listed
    unshared = html[html.index("共有されなかった項目（"):]
    assert unshared.index("救助をお願いします") < unshared.index("火事")


def test_chart_axes_show_whole_numbers_for_counts():
    from drills.charts import bars, nice_max, stacked_bars

    assert [nice_max(v) for v in (0, 1, 3, 4, 5, 9)] == [4, 4, 4, 4, 8, 12]
    for svg in (bars(["a", "b"], [1, 3], "t"), stacked_bars(["a"], {"x": [2]}, {}, {}, "t")):
        labels = re.findall(r'text-anchor="end" font-size="11">([^<]+)</text>', svg)
        assert labels == ["0", "1", "2", "3", "4"], labels


def test_report_and_metrics_show_the_audit_chain_head(db, small_scenario, keyword_analyser, tmp_path):
    from sqlalchemy import text

    from disaster_desk.core import audit_chain

    engine = DrillEngine(small_scenario, db, speed=None, analyser=keyword_analyser)
    engine.run_to_end()
    metrics = engine.metrics()
    html = write_report(db, engine.run_id, tmp_path, small_scenario, metrics=metrics).read_text(encoding="utf-8")
    with db.engine.connect() as conn:
        result = audit_chain.verify(conn)
        last = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
    assert result.ok and result.rows >= 2  # drill.start and the scripted actions at least
    assert metrics["audit_chain_head"] == {"seq": last.seq, "hash": last.hash} == result.head.as_json()
    first_page = _first_page(html)
    assert f"seq {last.seq} ／ sha256 <code>{last.hash}</code>" in first_page
    # a report built later (drill report RUN_ID) without stored metrics names the head at that time
    html = write_report(db, engine.run_id, tmp_path / "later", small_scenario).read_text(encoding="utf-8")
    assert last.hash in html
