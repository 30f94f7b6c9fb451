"""The after-action report (``report.html``): self-contained, Japanese, printable.

Inline CSS and inline SVG only (no script, no CDN), so the file can be mailed
and archived. Everything that came from outside (post texts, report fields,
scenario names) is escaped. The numbers are the run's stored metrics plus the
stored rows behind them; the comparison table reads earlier runs of the same
scenario from the database.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from sqlalchemy import select

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.clock import JST
from disaster_desk.core.db import Database
from disaster_desk.core.models import Analysis, DrillEvent, DrillRun, Post, Report, ShareEvent
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.taxonomy import LABEL_COLOURS, LABEL_JA, LABELS
from disaster_desk.errors import UserError
from drills import charts
from drills.metrics import compute_metrics, share_delays
from drills.scenario import DEFAULT_MUSTER_AT_S, DEFAULT_MUSTER_RATE, Scenario, format_elapsed

log = logging.getLogger(__name__)

BUCKET_S = 300
TTS_BINS = [(0, 300, "〜5分"), (300, 600, "5〜10分"), (600, 900, "10〜15分"), (900, 1800, "15〜30分"),
            (1800, 3600, "30〜60分"), (3600, float("inf"), "60分〜")]
KIND_JA = {"post": "投稿", "report": "区報告", "action": "操作", "checklist": "チェック", "finding": "所見"}
REPORT_JA = {"shelter": "避難所", "damage": "被害", "muster": "参集", "system": "システム"}
CSS = """
body{font-family:"Noto Sans JP","Hiragino Sans","Yu Gothic",sans-serif;margin:0;color:#222}
.band{background:#c00;color:#fff;font-weight:bold;text-align:center;padding:6px;letter-spacing:.3em}
main{max-width:960px;margin:0 auto;padding:8px 24px}
h1{font-size:1.5em}h2{border-bottom:2px solid #c00;font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left}
th{background:#f2f2f2}td.n{text-align:right}tr.current{background:#fff3cd}
.kpi{display:flex;flex-wrap:wrap;gap:8px}.kpi div{border:1px solid #bbb;padding:6px 10px;min-width:140px}
.kpi b{display:block;font-size:1.4em}.legend span{display:inline-block;margin-right:10px;font-size:.85em}
.legend i{display:inline-block;width:10px;height:10px;margin-right:3px}.warn{color:#c00}
@media print{.band{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 section{break-inside:avoid}main{max-width:none;padding:0}svg{max-height:9cm}}
"""


def _jst(value: datetime | None) -> str:
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def _num(value: Any, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    return f"{value:,}{suffix}"


def _speed(speed: Any) -> str:
    return "最高速 (max)" if speed == "max" else f"{speed:g}×" if isinstance(speed, float) else str(speed)


def _mins(seconds: float | None) -> str:
    return "—" if seconds is None else f"{format_elapsed(seconds)}"


def muster_rate_at(series: list[dict[str, Any]], t_s: float) -> float | None:
    """City-wide arrived/expected at scenario second ``t_s`` (latest point not after it)."""
    point = None
    for p in series:
        if p["t_s"] <= t_s:
            point = p
    if point is None or not point["expected"]:
        return None
    return point["arrived"] / point["expected"]


def render_report(db: Database, run_id: str, scenario: Scenario | None = None, *,
                  metrics: dict[str, Any] | None = None) -> str:
    """The HTML text of the after-action report of ``run_id``."""
    scope = Scope.drill(run_id)
    ids = [c.id for c in scenario.checklist] if scenario else None
    titles = {c.id: c.title for c in scenario.checklist} if scenario else {}
    rate = scenario.muster_target_rate if scenario else DEFAULT_MUSTER_RATE
    at_s = scenario.muster_target_at_s if scenario else DEFAULT_MUSTER_AT_S
    with db.session() as s:
        run = s.get(DrillRun, run_id)
        if run is None:
            raise UserError(f"no drill run {run_id!r}")
        m = metrics or compute_metrics(db, run_id, ids)
        t0 = run.scenario_start
        events = s.scalars(select(DrillEvent).where(DrillEvent.run_id == run_id).order_by(DrillEvent.t_s, DrillEvent.id)).all()
        posts = s.execute(
            select(Post.id, Post.text, Post.collected_at, Analysis.labels, Analysis.ward)
            .outerjoin(Analysis, Analysis.post_id == Post.id).where(mode_filter(Post, scope)).order_by(Post.collected_at)
        ).all()
        reports = s.scalars(select(Report).where(mode_filter(Report, scope)).order_by(Report.received_at)).all()
        shared = set(s.execute(select(ShareEvent.item_type, ShareEvent.item_id).where(mode_filter(ShareEvent, scope))).all())
        previous = s.scalars(
            select(DrillRun).where(DrillRun.scenario == run.scenario, DrillRun.metrics.is_not(None))
            .order_by(DrillRun.started_at.desc()).limit(10)
        ).all()
    end_s = max((e.t_s for e in events), default=0.0)
    secs = lambda when: (when - t0).total_seconds()  # noqa: E731
    body = [
        '<div class="band">訓練 — EXERCISE　訓練 — EXERCISE</div><main>',
        f"<h1>事後検証報告（訓練）: {escape(run.scenario)}</h1>",
        f"<p>実行ID {escape(run.id)} ／ 速度 {escape(_speed(m['speed']))} ／ 想定時刻 t=0: {_jst(t0)} JST ／ "
        f"実施 {_jst(run.started_at)} 〜 {_jst(run.ended_at)} JST ／ 状態 {escape(run.status)}</p>",
        _kpis(m, rate, at_s),
        _timeline(events, end_s),
        _posts_by_label(posts, secs, end_s),
        _time_to_share(m, share_delays(db, run_id)),
        _first_reports(m),
        _muster(m, end_s, rate, at_s),
        _checklist(m, titles),
        _never_shared(posts, reports, shared, secs),
        _findings(events),
        _comparison(previous, run.id, rate, at_s),
        "</main>",
    ]
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>訓練 事後検証報告 — {escape(run.scenario)}</title><style>{CSS}</style></head><body>"
        + "\n".join(body) + "</body></html>"
    )


def write_report(db: Database, run_id: str, out_dir: str | Path, scenario: Scenario | None = None, *,
                 metrics: dict[str, Any] | None = None) -> Path:
    path = Path(out_dir) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(db, run_id, scenario, metrics=metrics), encoding="utf-8")
    return path


def _kpis(m: dict[str, Any], rate: float, at_s: float) -> str:
    tts = m["time_to_share_s"]
    reached = muster_rate_at(m["muster"], at_s)
    verdict = "—" if reached is None else f"{reached * 100:.0f}%"
    ok = reached is not None and reached >= rate
    cells = [
        ("情報収集数（投稿）", _num(m["posts_collected"])), ("うち関連投稿", _num(m["posts_relevant"])),
        ("区報告", _num(sum(m["reports_received"].values()))), ("共有情報項目数", _num(m["items_shared"])),
        ("共有までの時間 中央値", _mins(tts["median"])), ("共有までの時間 90%", _mins(tts["p90"])),
        (f"参集率 {at_s / 60:g}分時点", f'<span class="{"" if ok else "warn"}">{verdict}</span>'),
        ("処理遅延 中央値", _num(m["pipeline_latency_ms"]["median"], " ms")),
    ]
    inner = "".join(f"<div>{escape(k)}<b>{v}</b></div>" for k, v in cells)
    return f'<section><h2>主要指標（ICT-BCP KPI）</h2><div class="kpi">{inner}</div></section>'


def _timeline(events: list[DrillEvent], end_s: float) -> str:
    colours = {"投稿": "#2c7bb6", "区報告": "#1a9641", "操作": "#7b3294", "チェック": "#fdae61", "所見": "#d7191c"}
    marks, rows = [], []
    for e in events:
        data = e.data or {}
        kind = "チェック" if e.kind == "checklist" else "所見" if e.kind == "finding" else KIND_JA.get(data.get("kind"), "?")
        if e.kind == "inject" and data.get("action") == "checklist":
            continue  # the tick itself is the checklist event
        summary = _summary(e.kind, data)
        marks.append((e.t_s, kind, f"{format_elapsed(e.t_s)} {summary}"))
        if kind != "投稿":
            rows.append(f"<tr><td>{format_elapsed(e.t_s)}</td><td>{kind}</td><td>{escape(summary)}</td></tr>")
    svg = charts.timeline(marks, end_s, colours, "経過時間ごとの出来事")
    return (f"<section><h2>タイムライン</h2>{svg}<table><tr><th>経過</th><th>種別</th><th>内容</th></tr>"
            + "".join(rows) + "</table></section>")


def _summary(kind: str, data: dict[str, Any]) -> str:
    if kind == "checklist":
        return f"チェック完了: {data.get('id')}"
    if kind == "finding":
        return f"所見 (inject {data.get('index')}): {data.get('message')}"
    if data.get("kind") == "report":
        return f"{REPORT_JA.get(data.get('report'), data.get('report'))}報告 {data.get('ward') or '全市'}"
    if data.get("kind") == "action":
        target = f"{data.get('item_type')}:{data.get('item_id')}" if data.get("item_id") else "対象なし"
        to = f" → {'、'.join(data['to'])}" if data.get("to") else ""
        return f"{data.get('action')} 「{(data.get('match') or {}).get('text_contains', '')}」 {target}{to}"
    return f"投稿 #{data.get('post_id')}"


def _posts_by_label(posts: list[Any], secs, end_s: float) -> str:
    n = int(max(end_s, 1) // BUCKET_S) + 1
    series = {label: [0] * n for label in LABELS}
    for p in posts:
        i = min(int(secs(p.collected_at) // BUCKET_S), n - 1)
        for label in p.labels or ["none"]:
            series[label][i] += 1
    series = {k: v for k, v in series.items() if any(v)}
    buckets = [f"{i * BUCKET_S // 60}分" for i in range(n)]
    svg = charts.stacked_bars(buckets, series, LABEL_COLOURS, LABEL_JA, "5分ごとの投稿数（分類別）")
    legend = "".join(f'<span><i style="background:{LABEL_COLOURS[k]}"></i>{escape(LABEL_JA[k])} {sum(v)}</span>'
                     for k, v in series.items())
    return (f'<section><h2>投稿の推移（分類別・5分ごと）</h2>{svg}<p class="legend">{legend}</p>'
            "<p>複数の分類に当たる投稿は分類ごとに数えています。</p></section>")


def _time_to_share(m: dict[str, Any], values: list[float]) -> str:
    tts = m["time_to_share_s"]
    note = (f"件数 {tts['count']} ／ 中央値 {_mins(tts['median'])} ／ 90% {_mins(tts['p90'])} ／ 最大 {_mins(tts['max'])}")
    counts = [sum(1 for v in values if lo <= v < hi) for lo, hi, _ in TTS_BINS]
    svg = charts.bars([b[2] for b in TTS_BINS], counts, "共有までの時間の分布", "#7b3294", "件")
    return f"<section><h2>共有までの時間（受信→共有）</h2>{svg}<p>{note}</p></section>"


def _first_reports(m: dict[str, Any]) -> str:
    first = m["time_to_first_report_s"]
    rows = "".join(
        f"<tr><td>{escape(w)}</td><td>{_mins(first.get(w))}</td></tr>" if w in first
        else f'<tr><td>{escape(w)}</td><td class="warn">未報告</td></tr>'
        for w in sorted(OSAKA_WARDS, key=lambda w: (w not in first, first.get(w, 0)))
    )
    return (f"<section><h2>区ごとの初回報告までの時間</h2><p>{len(first)} / {len(OSAKA_WARDS)} 区が報告</p>"
            f"<table><tr><th>区</th><th>初回報告（経過）</th></tr>{rows}</table></section>")


def _muster(m: dict[str, Any], end_s: float, rate: float, at_s: float) -> str:
    points = [(p["t_s"], p["arrived"] / p["expected"] if p["expected"] else 0.0) for p in m["muster"]]
    svg = charts.muster_curve(points, end_s, rate, at_s, "参集率の推移とBCP目標")
    last = m["muster"][-1] if m["muster"] else None
    text = f"最終: {last['arrived']} / {last['expected']} 人" if last else "参集報告なし"
    return (f"<section><h2>参集率（全市）とBCP目標</h2>{svg}<p>{text} ／ 目標: {at_s / 60:g}分で{rate * 100:g}%"
            "（シナリオの bcp_target、既定 60分で50%）</p></section>")


def _checklist(m: dict[str, Any], titles: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><td>{escape(c['id'])}</td><td>{escape(titles.get(c['id'], ''))}</td>"
        + (f"<td>{_mins(c['done_at_s'])}</td>" if c["done_at_s"] is not None else '<td class="warn">未完了</td>')
        + "</tr>"
        for c in m["checklist"]
    )
    return f"<section><h2>チェックリスト</h2><table><tr><th>ID</th><th>項目</th><th>完了（経過）</th></tr>{rows}</table></section>"


def _never_shared(posts: list[Any], reports: list[Report], shared: set, secs) -> str:
    rows = []
    for p in posts:
        if p.labels and list(p.labels) != ["none"] and ("post", p.id) not in shared:
            labels = "・".join(LABEL_JA.get(label, label) for label in p.labels)
            rows.append((secs(p.collected_at), f"投稿 {labels}", p.ward or "", p.text))
    for r in reports:
        if r.kind in ("damage", "system") and ("report", r.id) not in shared:
            text = " ".join(str(r.payload.get(k)) for k in ("type", "severity", "place", "system", "status", "note")
                            if r.payload.get(k))
            rows.append((secs(r.received_at), f"{REPORT_JA[r.kind]}報告", r.ward or "全市", text))
    rows.sort(key=lambda row: row[0])
    body = "".join(f"<tr><td>{format_elapsed(t)}</td><td>{escape(k)}</td><td>{escape(w)}</td><td>{escape(x)}</td></tr>"
                   for t, k, w, x in rows)
    return (f"<section><h2>共有されなかった項目（関連投稿・被害/システム報告）: {len(rows)}件</h2>"
            f"<table><tr><th>受信（経過）</th><th>種別</th><th>区</th><th>内容</th></tr>{body}</table></section>")


def _findings(events: list[DrillEvent]) -> str:
    rows = "".join(f"<tr><td>{format_elapsed(e.t_s)}</td><td>{escape(str((e.data or {}).get('index')))}</td>"
                   f"<td>{escape(str((e.data or {}).get('message')))}</td></tr>" for e in events if e.kind == "finding")
    return (f"<section><h2>所見（実行できなかった操作）</h2><table><tr><th>経過</th><th>inject</th><th>内容</th></tr>"
            f"{rows or '<tr><td colspan=3>なし</td></tr>'}</table></section>")


def _comparison(runs: list[DrillRun], current: str, rate: float, at_s: float) -> str:
    rows = []
    for run in runs:
        m = run.metrics or {}
        tts = m.get("time_to_share_s", {})
        reached = muster_rate_at(m.get("muster", []), at_s)
        done = sum(1 for c in m.get("checklist", []) if c.get("done_at_s") is not None)
        cls = ' class="current"' if run.id == current else ""
        rows.append(
            f"<tr{cls}><td>{escape(run.id)}</td><td>{_jst(run.started_at)}</td><td>{escape(run.speed)}</td>"
            f'<td class="n">{_num(m.get("posts_collected"))}</td><td class="n">{_num(m.get("posts_relevant"))}</td>'
            f'<td class="n">{_num(m.get("items_shared"))}</td><td>{_mins(tts.get("median"))}</td>'
            f'<td>{_mins(tts.get("p90"))}</td><td class="n">{"—" if reached is None else f"{reached * 100:.0f}%"}</td>'
            f'<td class="n">{done}/{len(m.get("checklist", []))}</td></tr>'
        )
    return ("<section><h2>同じシナリオの過去の訓練との比較</h2><table><tr><th>実行ID</th><th>実施</th><th>速度</th>"
            "<th>収集</th><th>関連</th><th>共有</th><th>共有時間 中央値</th><th>共有時間 90%</th>"
            f"<th>参集率 {at_s / 60:g}分</th><th>チェック</th></tr>" + "".join(rows) + "</table></section>")
