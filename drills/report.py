"""The after-action report (``report.html``): self-contained, Japanese, printable, for the director.

The first page is what a 危機管理室 hands to its director: the action plan's
KPIs (訓練時の情報収集数, 共有までに要した時間, 共有情報項目数,
発信情報へのアクセス数) each against its target (達成 / 未達), the rescue
requests that were never shared, findings in Japanese and a sign-off block.
The pages after it hold the detail: a timeline in Japanese with the items'
texts, charts, per-ward first reports, muster, checklist, every unshared
item, the drill's own findings and the comparison with earlier runs.

Rendered by jinja2 with autoescape (``templates/report.html.j2``): every
value from outside (post texts, report fields, scenario names) is escaped
by the template; only the inline SVG charts, built and escaped in
:mod:`drills.charts`, are passed as markup. Inline CSS and SVG only (no
script, no CDN), so the file can be mailed and archived.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from sqlalchemy import select

from disaster_desk.core import audit_chain
from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.clock import JST
from disaster_desk.core.db import Database
from disaster_desk.core.models import Analysis, DrillEvent, DrillRun, OfficialAlert, Post, Report, ShareEvent
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.report_rows import report_text
from disaster_desk.core.taxonomy import LABEL_COLOURS, LABEL_JA, LABELS
from disaster_desk.core.vocabulary import REPORT_KIND, TRIAGE_ACTION
from disaster_desk.errors import UserError
from drills import charts
from drills.metrics import SCRIPT_ACTOR, compute_metrics, share_delays
from drills.scenario import (
    DEFAULT_MUSTER_AT_S,
    DEFAULT_MUSTER_RATE,
    DEFAULT_TTS_TARGET_S,
    KpiTargets,
    Scenario,
    format_elapsed,
)

log = logging.getLogger(__name__)

BUCKET_S = 300
TTS_BINS = [(0, 300, "〜5分"), (300, 600, "5〜10分"), (600, 900, "10〜15分"), (900, 1800, "15〜30分"),
            (1800, 3600, "30〜60分"), (3600, float("inf"), "60分〜")]
STATUS_JA = {"running": "実行中", "finished": "終了", "stopped": "途中終了", "failed": "異常終了", "ready": "準備中",
             "interrupted": "中断（プロセス停止）"}
TIMELINE_COLOURS = {"投稿": "#2c7bb6", "区報告": "#1a9641", "気象庁": "#e66101", "操作": "#7b3294",
                    "想定操作": "#b2abd2", "チェック": "#fdae61", "所見": "#d7191c"}
MET, NOT_MET, NO_TARGET = "達成", "未達", "目標未設定"

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("drills", "templates"),
    autoescape=True,  # every {{ value }} is escaped; charts arrive as Markup
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Kpi:
    """One line of the director's KPI table."""

    name: str
    actual: str
    target: str
    verdict: str  # 達成 | 未達 | 目標未設定
    note: str = ""


def _jst(value: datetime | None) -> str:
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def _num(value: Any, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    return f"{value:,}{suffix}"


def _speed(speed: Any) -> str:
    return "最高速" if speed == "max" else f"{speed:g}倍速" if isinstance(speed, float) else str(speed)


def _mins(seconds: float | None) -> str:
    return "—" if seconds is None else format_elapsed(seconds)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}分" + (f"{secs}秒" if secs else "")


def muster_rate_at(series: list[dict[str, Any]], t_s: float) -> float | None:
    """City-wide arrived/expected at scenario second ``t_s`` (latest point not after it)."""
    point = None
    for p in series:
        if p["t_s"] <= t_s:
            point = p
    if point is None or not point["expected"]:
        return None
    return point["arrived"] / point["expected"]


def director_kpis(m: dict[str, Any], scenario: Scenario | None) -> list[Kpi]:
    """The action plan's four KPIs against their targets (the report's first page)."""
    targets = scenario.kpi_targets if scenario else KpiTargets()
    reports = sum(m["reports_received"].values())
    alerts = m.get("alerts_received", 0)
    collected = m["posts_collected"] + reports + alerts
    collected_target = scenario.collected_target if scenario else None
    tts = m["time_to_share_s"]["median"]
    tts_target = targets.time_to_share_s if targets.time_to_share_s is not None else DEFAULT_TTS_TARGET_S
    shared = m["items_shared"]
    by = m.get("items_shared_by") or {"human": shared, "scripted": 0}
    shared_target = scenario.shared_target if scenario else None
    accesses = m.get("bulletin_accesses")

    def judge(ok: bool | None) -> str:
        return NO_TARGET if ok is None else MET if ok else NOT_MET

    return [
        Kpi("訓練時の情報収集数", f"{collected:,}件",
            "—" if collected_target is None else f"{collected_target:,}件以上",
            judge(None if collected_target is None else collected >= collected_target),
            f"SNS投稿 {m['posts_collected']}・区報告 {reports}・気象庁 {alerts}"),
        Kpi("共有までに要した時間（中央値）", _mins(tts), f"{_duration(tts_target)}以内",
            judge(tts is not None and tts <= tts_target),
            "共有なし" if tts is None else f"90%値 {_mins(m['time_to_share_s']['p90'])}・"
                                            f"最大 {_mins(m['time_to_share_s']['max'])}"),
        Kpi("共有情報項目数", f"{shared:,}件", "—" if shared_target is None else f"{shared_target:,}件以上",
            judge(None if shared_target is None else shared >= shared_target),
            f"訓練参加者 {by['human']}件・シナリオの自動操作 {by['scripted']}件"),
        Kpi("発信情報へのアクセス数",
            "—" if accesses is None else f"{accesses['hits']:,}件",
            "—" if targets.accesses is None else f"{targets.accesses:,}件以上",
            judge(None if accesses is None or targets.accesses is None else accesses["hits"] >= targets.accesses),
            "アクセスログ未指定（drill run --access-log）" if accesses is None
            else f"閲覧者 {accesses['visitors']}・お知らせ {len(accesses['bulletins'])}件"),
    ]


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
        events = s.scalars(select(DrillEvent).where(DrillEvent.run_id == run_id)
                           .order_by(DrillEvent.t_s, DrillEvent.id)).all()
        posts = s.execute(
            select(Post.id, Post.text, Post.collected_at, Analysis.labels, Analysis.ward)
            .outerjoin(Analysis, Analysis.post_id == Post.id).where(mode_filter(Post, scope))
            .order_by(Post.collected_at, Post.id)
        ).all()
        reports = s.scalars(select(Report).where(mode_filter(Report, scope)).order_by(Report.received_at)).all()
        alerts = {a.external_id: a for a in s.scalars(select(OfficialAlert).where(mode_filter(OfficialAlert, scope)))}
        shares = s.execute(select(ShareEvent.item_type, ShareEvent.item_id, ShareEvent.target, ShareEvent.actor)
                           .where(mode_filter(ShareEvent, scope))).all()
        previous = s.scalars(
            select(DrillRun).where(DrillRun.scenario == run.scenario, DrillRun.metrics.is_not(None))
            .order_by(DrillRun.started_at.desc()).limit(10)
        ).all()
        texts = {("post", p.id): p.text for p in posts}
        texts.update({("report", r.id): report_text(r.kind, r.ward, r.payload or {}) for r in reports})
        run_info = {"id": run.id, "scenario": run.scenario, "status": STATUS_JA.get(run.status, run.status),
                    "t0": _jst(t0), "started": _jst(run.started_at), "ended": _jst(run.ended_at),
                    "speed": _speed(m["speed"])}
        comparison = _comparison(previous, run.id, at_s)
        chain_head = m.get("audit_chain_head") or audit_chain.head(s).as_json()
    shared = {(t, i) for t, i, _, _ in shares}
    end_s = max((e.t_s for e in events), default=0.0)

    def secs(when: datetime) -> float:
        return (when - t0).total_seconds()

    kpis = director_kpis(m, scenario)
    rescue = [
        {"at": format_elapsed(secs(p.collected_at)), "ward": p.ward or "", "text": p.text}
        for p in posts if p.labels and "rescue" in p.labels and ("post", p.id) not in shared
    ]
    unshared = _never_shared(posts, reports, shared, secs)
    timeline, marks = _timeline(events, texts, alerts)
    context = {
        "run": run_info,
        "scripted": any((e.data or {}).get("scripted") is True for e in events),
        "expected_actions": sum(1 for e in events if (e.data or {}).get("scripted") is False),
        "kpis": kpis,
        "rescue": rescue,
        "findings": _director_findings(m, kpis, rescue, unshared, rate, at_s, titles),
        "drill_findings": [{"at": format_elapsed(e.t_s), "index": (e.data or {}).get("index"),
                            "message": (e.data or {}).get("message")} for e in events if e.kind == "finding"],
        "timeline": timeline,
        "timeline_svg": Markup(charts.timeline(marks, end_s, TIMELINE_COLOURS, "経過時間ごとの出来事")),
        "posts_chart": _posts_by_label(posts, secs, end_s),
        "tts": {k: _mins(v) if k != "count" else v for k, v in m["time_to_share_s"].items()},
        "tts_svg": Markup(charts.bars([b[2] for b in TTS_BINS],
                                      [sum(1 for v in share_delays(db, run_id) if lo <= v < hi)
                                       for lo, hi, _ in TTS_BINS], "共有までの時間の分布", "#7b3294", "件")),
        "first_reports": _first_reports(m),
        "muster": _muster(m, end_s, rate, at_s),
        "checklist": [{"id": c["id"], "title": titles.get(c["id"], ""), "done": _mins(c["done_at_s"])
                       if c["done_at_s"] is not None else None,
                       "by": {"scripted": "シナリオ", "human": "訓練参加者"}.get(c.get("by") or "", "")}
                      for c in m["checklist"]],
        "unshared": unshared,
        "comparison": comparison,
        "audit_head": chain_head,
        "details": {
            "relevant": m["posts_relevant"], "latency": _num(m["pipeline_latency_ms"]["median"], " ms"),
        },
    }
    return _ENV.get_template("report.html.j2").render(**context)


def write_report(db: Database, run_id: str, out_dir: str | Path, scenario: Scenario | None = None, *,
                 metrics: dict[str, Any] | None = None) -> Path:
    path = Path(out_dir) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(db, run_id, scenario, metrics=metrics), encoding="utf-8")
    return path


# -- sections ------------------------------------------------------------------------------

def _director_findings(m: dict[str, Any], kpis: list[Kpi], rescue: list, unshared: list, rate: float, at_s: float,
                       titles: dict[str, str]) -> list[str]:
    """Findings in Japanese, most important first (what the director should act on)."""
    out = []
    if rescue:
        out.append(f"救助要請 {len(rescue)}件が共有されませんでした。関係機関への共有手順を確認してください。")
    for kpi in kpis:
        if kpi.verdict == NOT_MET:
            out.append(f"{kpi.name}が目標に達しませんでした（実績 {kpi.actual}、目標 {kpi.target}）。")
    reached = muster_rate_at(m["muster"], at_s)
    if reached is None:
        out.append(f"発災{at_s / 60:g}分時点の参集報告がありません。")
    elif reached < rate:
        out.append(f"発災{at_s / 60:g}分時点の参集率は{reached * 100:.0f}%で、BCP目標{rate * 100:g}%に届きませんでした。")
    missing = [w for w in OSAKA_WARDS if w not in m["time_to_first_report_s"]]
    if missing:
        out.append(f"報告のなかった区: {len(missing)}区（{'、'.join(missing[:8])}{'ほか' if len(missing) > 8 else ''}）。")
    undone = [titles.get(c["id"], c["id"]) for c in m["checklist"] if c["done_at_s"] is None]
    if undone:
        out.append(f"未完了のチェック項目: {'、'.join(undone)}。")
    if len(unshared) > len(rescue):
        out.append(f"共有されなかった関連項目は計{len(unshared)}件です（詳細は後半の一覧）。")
    if not out:
        out.append("すべての指標が目標に達しました。")
    return out


def _timeline(events: list[DrillEvent], texts: dict[tuple[str, int], str],
              alerts: dict[str, OfficialAlert]) -> tuple[list[dict[str, str]], list[tuple[float, str, str]]]:
    rows, marks = [], []
    for e in events:
        data = e.data or {}
        if e.kind == "inject" and data.get("action") == "checklist" and data.get("scripted") is not False:
            continue  # the tick itself is the checklist event
        kind, summary = _describe(e.kind, data, texts, alerts)
        marks.append((e.t_s, kind, f"{format_elapsed(e.t_s)} {summary}"))
        rows.append({"at": format_elapsed(e.t_s), "kind": kind, "text": summary})
    return rows, marks


def _describe(kind: str, data: dict[str, Any], texts: dict[tuple[str, int], str],
              alerts: dict[str, OfficialAlert]) -> tuple[str, str]:
    """(種別, 内容) of one drill event, in Japanese, naming the item by its text."""
    if kind == "checklist":
        who = "シナリオ" if data.get("actor") == SCRIPT_ACTOR else data.get("actor") or ""
        return "チェック", f"チェック完了: {data.get('id')}（{who}）"
    if kind == "finding":
        return "所見", str(data.get("message") or "")
    inject = data.get("kind")
    if inject == "post":
        return "投稿", _short(texts.get(("post", data.get("post_id")), "（取込なし）"))
    if inject == "report":
        return "区報告", _short(texts.get(("report", data.get("report_id")),
                                         f"{REPORT_KIND.ja(data.get('report'))} {data.get('ward') or '全市'}"))
    if inject == "jma":
        alert = alerts.get(f"drill-inject-{data.get('index')}")
        headline = f"　{alert.headline}" if alert is not None and alert.headline else ""
        return "気象庁", f"{data.get('title') or ''}{headline}"
    action = TRIAGE_ACTION.ja(data.get("action")) if data.get("action") != "checklist" else "チェック"
    to = f" → {'、'.join(data['to'])}" if data.get("to") else ""
    if data.get("scripted") is False:
        what = data.get("item") or (data.get("match") or {}).get("text_contains", "")
        return "想定操作", f"{action}「{what}」{to}（訓練参加者の操作を想定・自動実行なし）"
    item = texts.get((data.get("item_type"), data.get("item_id")))
    target = _short(item) if item else "対象なし"
    return "操作", f"{action}: {target}{to}"


def _short(text: str, n: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _posts_by_label(posts: list[Any], secs, end_s: float) -> dict[str, Any]:
    n = int(max(end_s, 1) // BUCKET_S) + 1
    series = {label: [0] * n for label in LABELS}
    for p in posts:
        i = min(int(secs(p.collected_at) // BUCKET_S), n - 1)
        for label in p.labels or ["none"]:
            series[label][i] += 1
    series = {k: v for k, v in series.items() if any(v)}
    buckets = [f"{i * BUCKET_S // 60}分" for i in range(n)]
    svg = charts.stacked_bars(buckets, series, LABEL_COLOURS, LABEL_JA, "5分ごとの投稿数（分類別）")
    legend = [{"colour": LABEL_COLOURS[k], "name": LABEL_JA[k], "count": sum(v)} for k, v in series.items()]
    return {"svg": Markup(svg), "legend": legend}


def _first_reports(m: dict[str, Any]) -> dict[str, Any]:
    first = m["time_to_first_report_s"]
    rows = [{"ward": w, "at": _mins(first[w]) if w in first else None}
            for w in sorted(OSAKA_WARDS, key=lambda w: (w not in first, first.get(w, 0)))]
    return {"count": len(first), "total": len(OSAKA_WARDS), "rows": rows}


def _muster(m: dict[str, Any], end_s: float, rate: float, at_s: float) -> dict[str, Any]:
    points = [(p["t_s"], p["arrived"] / p["expected"] if p["expected"] else 0.0) for p in m["muster"]]
    last = m["muster"][-1] if m["muster"] else None
    return {
        "svg": Markup(charts.muster_curve(points, end_s, rate, at_s, "参集率の推移とBCP目標")),
        "text": f"最終: {last['arrived']} / {last['expected']} 人" if last else "参集報告なし",
        "target": f"{at_s / 60:g}分で{rate * 100:g}%",
    }


def _never_shared(posts: list[Any], reports: list[Report], shared: set, secs) -> list[dict[str, str]]:
    rows = []
    for p in posts:
        if p.labels and list(p.labels) != ["none"] and ("post", p.id) not in shared:
            labels = "・".join(LABEL_JA.get(label, label) for label in p.labels)
            rows.append((secs(p.collected_at), "rescue" not in p.labels, f"投稿 {labels}", p.ward or "", p.text))
    for r in reports:
        if r.kind in ("damage", "system") and ("report", r.id) not in shared:
            rows.append((secs(r.received_at), True, f"{REPORT_KIND.ja(r.kind)}報告", r.ward or "全市",
                         report_text(r.kind, r.ward, r.payload or {})))
    rows.sort(key=lambda row: (row[1], row[0]))  # rescue requests first, then by time
    return [{"at": format_elapsed(t), "rescue": not later, "kind": k, "ward": w, "text": x}
            for t, later, k, w, x in rows]


def _comparison(runs: list[DrillRun], current: str, at_s: float) -> dict[str, Any]:
    rows = []
    for run in runs:
        m = run.metrics or {}
        tts = m.get("time_to_share_s", {})
        reached = muster_rate_at(m.get("muster", []), at_s)
        done = sum(1 for c in m.get("checklist", []) if c.get("done_at_s") is not None)
        rows.append({
            "id": run.id, "current": run.id == current, "started": _jst(run.started_at), "speed": run.speed,
            "collected": _num(m.get("posts_collected")), "relevant": _num(m.get("posts_relevant")),
            "shared": _num(m.get("items_shared")), "median": _mins(tts.get("median")), "p90": _mins(tts.get("p90")),
            "muster": "—" if reached is None else f"{reached * 100:.0f}%",
            "checklist": f"{done}/{len(m.get('checklist', []))}",
        })
    return {"rows": rows, "at": f"{at_s / 60:g}分"}
