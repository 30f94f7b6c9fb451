"""The live picture at incident scale: a post committed by another process → its queue row and its marker.

``python -m bench live --posts N --rate R --seconds S --json OUT [--db URL]``

1. Builds (or reuses) a database with N analysed posts with places: bulk inserts of
   precomputed analyses (no NLP), spread over the last 7 days, ~70 % placed (town or ward).
2. Opens the real main window offscreen (real QtWebEngine map, the real change hub on a
   subscriber thread, the worker pool) and waits for the map's first picture.
3. Starts a second process that ingests R posts/s for S seconds through the real
   ingest + analysis path (IngestService, then AnalysisService with GiNZA/Sudachi and grouping),
   printing each post's commit time (wall clock, same machine).
4. Measures in the window: commit → the row in the queue model (``rows_arrived``),
   commit → the marker in the page (``ddMarker`` read back with runJavaScript every 100 ms,
   so up to 100 ms of polling granularity is included), a 50 ms QTimer probe on the GUI
   thread (stall = lateness of a tick), the GUI process' peak RSS (QtWebEngine's renderer is
   a separate process and not included), and window creation → the first picture's markers
   in the page (``map_first_render_ms``).

The same run on an empty database is the baseline, printed beside. The ingested posts are
rescue calls (they sort to the top of the queue, newest first, and are the most relevant markers),
so every one is expected to become visible; fewer seen than ingested is reported.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import queue as queue_mod
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PREBUILT = "replay"  # source of the prebuilt posts (the ingested ones are "x")
FIELDS = ("posts_ingested", "queue_visible_p50_ms", "queue_visible_p95_ms", "map_visible_p95_ms",
          "gui_stall_max_ms", "gui_stall_p99_ms", "gui_rss_mib", "map_first_render_ms")
TARGETS = {"queue_visible_p95_ms": 1000, "map_visible_p95_ms": 2000, "gui_stall_max_ms": 200,
           "gui_rss_mib": 1536, "map_first_render_ms": 3000}
PLACES = ["北区中崎町", "福島区野田", "西区九条", "浪速区日本橋", "都島区京橋", "天王寺区上本町", "中央区難波",
          "淀川区十三", "港区弁天", "大正区三軒家", "生野区桃谷", "城東区蒲生", "阿倍野区阿倍野筋", "住吉区長居"]
SITUATIONS = ["ビルが倒壊して人が下敷きになっています", "家が潰れて祖母が中に閉じ込められています",
              "マンションのエレベーターに子供が閉じ込められています", "倒れた塀の下に人がいて動けません",
              "浸水で高齢の夫婦が二階に取り残されています", "火事で逃げ遅れた人がベランダにいます"]
ASKS = ["救助をお願いします！", "助けてください、救助が必要です", "至急救助を要請します", "誰か救助を呼んでください"]
NAMES = ["田中", "鈴木", "高橋", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木"]


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# -- the database -------------------------------------------------------------------------------

def _prebuilt(db) -> int:
    from sqlalchemy import func, select

    from disaster_desk.core.models import Post

    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Post).where(Post.source == PREBUILT)) or 0


def _recreate_pg(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from disaster_desk.core.db import normalise_url

    target = make_url(normalise_url(url))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def build(url: str, n: int, *, fresh: bool = False) -> float:
    """A database at ``url`` with ``n`` prebuilt analysed posts (reused when it holds them); build seconds."""
    from disaster_desk.core.db import Database

    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if fresh:
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
    elif fresh:
        _recreate_pg(url)
    try:
        db = Database.open(url)
    except Exception:
        if url.startswith("sqlite"):
            raise
        _recreate_pg(url)
        db = Database.open(url)
    have = _prebuilt(db)
    if have == n:
        _forget_ingested(db)
        db.dispose()
        return 0.0
    if have:
        db.dispose()
        return build(url, n, fresh=True)
    t0 = time.perf_counter()
    _insert(db, n)
    db.dispose()
    return time.perf_counter() - t0


def _forget_ingested(db) -> int:
    """A reused database: delete what earlier runs ingested (their rescue calls would be the most relevant
    markers of this run's first picture and the duplicates of its posts), with their incidents."""
    from sqlalchemy import delete, select

    from disaster_desk.core.models import Incident, Post

    with db.session() as s:
        gone = s.execute(delete(Post).where(Post.source != PREBUILT)).rowcount or 0
        if gone:
            s.execute(delete(Incident).where(~Incident.id.in_(
                select(Post.incident_id).where(Post.incident_id.is_not(None)))))
    return gone


def window_share(url: str, hours: float = 6) -> tuple[float, int]:
    """(minutes since the newest prebuilt post, prebuilt posts in the last ``hours``): a database reused
    long after its build has fewer posts in the map's window than one just built."""
    from sqlalchemy import func, select

    from disaster_desk.core.db import Database
    from disaster_desk.core.models import Post

    db = Database.open(url)
    try:
        now = datetime.now(timezone.utc)
        with db.session() as s:
            newest = s.scalar(select(func.max(Post.collected_at)).where(Post.source == PREBUILT))
            inside = s.scalar(select(func.count()).select_from(Post).where(
                Post.source == PREBUILT, Post.collected_at >= now - timedelta(hours=hours))) or 0
    finally:
        db.dispose()
    return ((now - newest).total_seconds() / 60 if newest else 0.0), inside


def _insert(db, n: int) -> None:
    from sqlalchemy import text

    from disaster_desk.core.area import OSAKA_WARDS
    from disaster_desk.core.map_items import WARD_CENTROIDS
    from disaster_desk.core.models import Analysis, Post, label_mask
    from disaster_desk.core.taxonomy import LABELS, urgency

    rng = random.Random(14)
    real_labels = [lb for lb in LABELS if lb != "none"]
    now = datetime.now(timezone.utc) - timedelta(minutes=1)
    span = timedelta(days=7).total_seconds()
    posts_t, analyses_t = Post.__table__, Analysis.__table__
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        posts, analyses = [], []
        for i in range(1, n + 1):
            at = now - timedelta(seconds=span * (n - i) / max(1, n))
            roll = rng.random()
            labels = ["none"] if roll < 0.3 else rng.sample(real_labels, 1 if roll < 0.9 else 2)
            ward = rng.choice(OSAKA_WARDS) if rng.random() < 0.7 else None
            place = precision = lat = lon = None
            if ward:
                clat, clon = WARD_CENTROIDS[ward]
                if rng.random() < 0.6:
                    place, precision = f"{ward[:-1]}{rng.randint(1, 30)}丁目", "town"
                    lat, lon = clat + rng.uniform(-0.01, 0.01), clon + rng.uniform(-0.01, 0.01)
                else:
                    place, precision, lat, lon = ward, "ward", clat, clon
            urg = urgency(labels)
            state = rng.choice(["new"] * 6 + ["acknowledged", "verified", "dismissed", "shared"])
            posts.append({"id": i, "source": PREBUILT, "external_id": f"pre-{i}", "author": f"@user{i % 5000}",
                          "text": f"{rng.choice(PLACES)} 状況報告 {i}", "created_at": at, "collected_at": at,
                          "state": state, "version": 1, "urgency": urg, "label_mask": label_mask(labels),
                          "ward": ward, "mode": "real", "run_id": ""})
            analyses.append({"post_id": i, "labels": labels, "urgency": urg, "place": place, "ward": ward,
                             "lat": lat, "lon": lon, "precision": precision, "analyser_version": "bench",
                             "analysed_at": at})
            if len(posts) == 20_000 or i == n:
                conn.execute(posts_t.insert(), posts)
                conn.execute(analyses_t.insert(), analyses)
                posts.clear()
                analyses.clear()
        if not sqlite:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts))"))
            # The map_counts triggers appended ~2 delta rows per post: fold them now, not in the first picture.
            conn.execute(text("SELECT dd_map_counts_compact()"))
        conn.execute(text("ANALYZE"))
    if not sqlite:  # the visibility map, so the window's index-only scan reads no table page
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) posts"))
            conn.execute(text("VACUUM (ANALYZE) map_counts"))


# -- the ingesting process ----------------------------------------------------------------------

def ingest_main(url: str, rate: float, seconds: float) -> int:
    from disaster_desk.core.analysis import AnalysisService
    from disaster_desk.core.clock import SystemClock
    from disaster_desk.core.db import Database
    from disaster_desk.core.grouping import GroupingService
    from disaster_desk.core.ingest import IngestService, RawPost
    from nlp.analyser import get_analyser

    db = Database.open(url)
    clock = SystemClock()
    analyser = get_analyser()
    analyser.analyse_one("北区で火事です")  # models loaded before the clock starts
    ingest, analysis = IngestService(db, clock), AnalysisService(db, analyser, clock)
    GroupingService(db, clock).prepare()  # the duplicate candidates read once, as a collector does at start
    rng = random.Random(int(time.time()))
    tag = f"{int(time.time())}"
    print("READY", flush=True)
    t0, sent = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - t0) < seconds:
        due = int(elapsed * rate) + 1 - sent
        if due <= 0:
            time.sleep(min(0.02, 1 / rate))
            continue
        raws = []
        for k in range(due):
            i = sent + k
            text = (f"{rng.choice(PLACES)}{rng.randint(1, 5)}丁目で{rng.choice(SITUATIONS)}。"
                    f"{rng.choice(NAMES)}さん{rng.randint(2, 95)}歳、{rng.randint(1, 12)}階。{rng.choice(ASKS)}"
                    f" 連絡先{rng.randint(1000, 9999)}")
            raws.append(RawPost(source="x", external_id=f"live-{tag}-{i}", text=text, author=f"@live{i % 97}"))
        ids = ingest.ingest(raws).new_ids
        committed = time.time()
        for pid in ids:
            print(f"P post:{pid} {committed:.4f}", flush=True)
        sent += due
        analysis.analyse_ids(ids)
        analysed = time.time()
        for pid in ids:
            print(f"A post:{pid} {analysed:.4f}", flush=True)
    db.dispose()
    print("DONE", flush=True)
    return 0


# -- the window process ---------------------------------------------------------------------------

def gui_main(url: str, rate: float, seconds: float, out: str, trace: bool = False) -> int:
    from disaster_desk.ui.qtenv import prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtCore import QSettings, QTimer

    from disaster_desk.core.clock import SystemClock
    from disaster_desk.core.db import Database
    from disaster_desk.core.settings import Settings
    from disaster_desk.ui.app import freeze_startup, make_application
    from disaster_desk.ui.main_window import MainWindow
    from disaster_desk.ui.workers import ThreadRunner

    app = make_application("ja", 1.0)
    tmp = tempfile.mkdtemp(prefix="dd-bench-live-")
    db = Database.open(url)
    settings = Settings(db_url=url)
    t_window = time.perf_counter()
    window = MainWindow(settings, db, clock=SystemClock(), runner=ThreadRunner(),
                        qsettings=QSettings(f"{tmp}/ui.ini", QSettings.Format.IniFormat), watch=True)
    window.resize(1600, 1000)
    window.show()
    # map_first_render_ms: from the map view's creation (the window builds it after its first paint;
    # the first picture is asked for right then) to the picture's markers in the page.
    state: dict = {"map_created": None, "applied": False, "first_render": None, "markers": None}
    original_load, original_apply = window.load_map_items, window._apply_map_picture

    def load() -> None:
        if state["map_created"] is None and hasattr(window.map_view, "set_counts"):
            state["map_created"] = time.perf_counter()
        original_load()

    def applied(*args, **kwargs) -> None:
        t0 = time.perf_counter()
        original_apply(*args, **kwargs)
        if not state["applied"]:
            state["apply_ms"] = (time.perf_counter() - t0) * 1000
            state["applied_at"] = time.perf_counter()
        state["applied"] = True

    window.load_map_items, window._apply_map_picture = load, applied
    watch = None
    if trace:  # where the stalls come from (bench/_stallwatch.py): the longest ones' stacks in the JSON
        from bench._stallwatch import StallWatch

        watch = StallWatch()
    # Context for map_first_render_ms: when the first picture's read began and ended on the worker pool
    # (the pool's two threads may be busy with the queue's first reads), and when it was applied.
    from disaster_desk.ui import panels

    original_picture = panels.map_picture
    reads: list[tuple[float, float]] = []

    def picture(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original_picture(*args, **kwargs)
        finally:
            reads.append((t0, time.perf_counter()))

    panels.map_picture = picture
    window.deferred_ready.connect(freeze_startup)  # as run_app does
    if getattr(window, "panels_ready", False):  # built during show(): the first load is already asked for
        raise SystemExit("bench live: the map was built before it could be timed")
    deadline = time.perf_counter() + 180
    asked = False
    while state["first_render"] is None:
        app.processEvents()
        time.sleep(0.002)
        if state["applied"] and window.map_view.is_ready and not asked:
            asked = True

            def rendered(count) -> None:
                state["first_render"] = (time.perf_counter() - state["map_created"]) * 1000
                state["window_to_map_ms"] = (time.perf_counter() - t_window) * 1000
                state["markers"] = count

            window.map_view.run("ddCount()", rendered)
        if time.perf_counter() > deadline:
            raise SystemExit("bench live: the map's first picture never rendered")

    if watch is not None:
        _trace_events(window, watch)
    committed: dict[str, float] = {}
    analysed: dict[str, float] = {}
    queue_seen: dict[str, float] = {}
    map_seen: dict[str, float] = {}
    lines: queue_mod.Queue = queue_mod.Queue()
    proc = subprocess.Popen([sys.executable, "-m", "bench.live", "--ingest", url, "--rate", str(rate),
                             "--seconds", str(seconds)], stdout=subprocess.PIPE, text=True)

    def read() -> None:
        for line in proc.stdout:
            lines.put(line.split())
        lines.put(["EOF"])

    threading.Thread(target=read, daemon=True).start()
    flags = {"ready": False, "done": False, "polling": False}

    def drain() -> None:
        while True:
            try:
                parts = lines.get_nowait()
            except queue_mod.Empty:
                return
            if parts[0] == "READY":
                flags["ready"] = True
            elif parts[0] == "P":
                committed[parts[1]] = float(parts[2])
            elif parts[0] == "A":
                analysed[parts[1]] = float(parts[2])
            elif parts[0] in ("DONE", "EOF"):
                flags["done"] = True

    def arrived(rows) -> None:
        now = time.time()
        for row in rows:
            queue_seen.setdefault(row.key, now)

    window.queue.model.rows_arrived.connect(arrived)

    def poll_map() -> None:
        drain()
        if flags["polling"]:
            return
        wanted = [k for k in committed if k not in map_seen][-400:]
        if not wanted:
            return
        flags["polling"] = True

        def found(keys) -> None:
            now = time.time()
            flags["polling"] = False
            for key in json.loads(keys or "[]"):
                map_seen.setdefault(key, now)

        window.map_view.run(f"JSON.stringify({json.dumps(wanted)}.filter(function (k) {{ return !!ddMarker(k); }}))",
                            found)

    ticks: list[float] = []
    last = [time.perf_counter()]
    # Context for the stalls: Python's garbage collections in this process (any thread stops them all).
    gc_runs: list[tuple[int, float]] = []
    gc_start = [0.0]
    gc_walk = [0]

    def gc_timed(phase: str, info: dict) -> None:
        if phase == "start":
            if watch is not None and info["generation"] == 2:
                gc_walk[0] = len(gc.get_objects())  # what this full collection walks
            gc_start[0] = time.perf_counter()
        elif flags["ready"]:
            gc_runs.append((info["generation"], (time.perf_counter() - gc_start[0]) * 1000))
            if watch is not None and info["generation"] == 2:
                watch.note(f"gc gen 2 ({gc_runs[-1][1]:.0f} ms, {gc_walk[0]:,} objects walked,"
                           f" {info['collected']} collected, thread {threading.current_thread().name})")

    gc.callbacks.append(gc_timed)

    def probe() -> None:
        now = time.perf_counter()
        if flags["ready"]:
            ticks.append((now - last[0]) * 1000 - 50)
        last[0] = now
        if watch is not None:
            watch.tick()

    probe_timer = QTimer(interval=50)
    probe_timer.timeout.connect(probe)
    probe_timer.start()
    if watch is not None:
        watch.start()
    map_timer = QTimer(interval=100)
    map_timer.timeout.connect(poll_map)
    map_timer.start()
    deadline = time.perf_counter() + seconds + 300
    while not flags["done"] and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
    settle = time.perf_counter() + 5  # stragglers of the last batch
    while time.perf_counter() < settle and (len(queue_seen) < len(committed) or len(map_seen) < len(committed)):
        app.processEvents()
        time.sleep(0.002)
    probe_timer.stop()
    map_timer.stop()
    proc.wait(30)
    status = Path("/proc/self/status").read_text()
    hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024

    def lat(seen: dict[str, float], start: dict[str, float]) -> list[float]:
        return [(seen[k] - start[k]) * 1000 for k in start if k in seen]

    queue_lat, map_lat = lat(queue_seen, committed), lat(map_seen, committed)
    result = {
        "posts_ingested": len(committed),
        "queue_visible_p50_ms": pct(queue_lat, 50), "queue_visible_p95_ms": pct(queue_lat, 95),
        "map_visible_p95_ms": pct(map_lat, 95),
        "gui_stall_max_ms": max(ticks, default=None), "gui_stall_p99_ms": pct(ticks, 99),
        "gui_rss_mib": round(hwm, 1), "map_first_render_ms": state["first_render"],
        # context for the figures above
        "queue_visible_n": len(queue_lat), "map_visible_n": len(map_lat),
        "map_visible_p50_ms": pct(map_lat, 50), "analysed_p50_ms": pct(lat(analysed, committed), 50),
        "analysed_p95_ms": pct(lat(analysed, committed), 95), "first_markers": state["markers"],
        "window_to_map_ms": state.get("window_to_map_ms"),
        # map_first_render_ms = pool wait + read + (callback wait + apply on the GUI thread) + page
        "first_picture_wait_ms": (reads[0][0] - state["map_created"]) * 1000 if reads else None,
        "first_picture_read_ms": (reads[0][1] - reads[0][0]) * 1000 if reads else None,
        "first_picture_to_applied_ms": (state["applied_at"] - reads[0][1]) * 1000 if reads else None,
        "first_picture_apply_ms": state.get("apply_ms"),
        "probe_ticks": len(ticks), "ingest_exit": proc.returncode,
        "gc_max_ms": max((ms for _g, ms in gc_runs), default=None),
        "gc_gen2_runs": sum(1 for g, _ms in gc_runs if g == 2),
        "gc_gen2_max_ms": max((ms for g, ms in gc_runs if g == 2), default=None),
    }
    if watch is not None:
        watch.stop()
        result["stalls"] = watch.report()
        result["stalls_over_100ms"] = len(watch.stalls)
        from collections import Counter

        tracked = gc.get_objects()  # what a full collection walks (frozen objects are not listed)
        result["gc_tracked"] = len(tracked)
        result["gc_frozen"] = gc.get_freeze_count()
        result["gc_tracked_types"] = Counter(type(o).__name__ for o in tracked).most_common(12)
        del tracked
    Path(out).write_text(json.dumps(result, indent=1))
    window.close()
    db.dispose()
    os._exit(0)  # QtWebEngine teardown at exit is slow and noisy; the figures are written


def _trace_events(window, watch) -> None:
    """Note the window's GUI-thread work (for placing the stalls in the run's phases)."""
    model = window.queue.model

    def wrap(obj, name: str, what) -> None:
        original = getattr(obj, name)

        def traced(*args, **kwargs):
            t, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                watch.note(f"{what(*args, **kwargs)} ({(time.perf_counter() - t) * 1000:.0f} ms,"
                           f" cpu {(time.thread_time() - cpu) * 1000:.0f})")

        setattr(obj, name, traced)

    wrap(window, "on_changes", lambda changes: f"changes {len(changes)} ({sum(len(c.keys) for c in changes)} keys)")
    wrap(window, "_apply_markers", lambda scope, items: f"markers {len(items)}")
    wrap(model, "merge", lambda fresh: f"queue merge {len(fresh.rows)} rows (had {len(model.rows)})")
    wrap(window, "_apply_map_picture", lambda scope, w, picture, *a, **k: f"map picture {len(picture.items)} items")
    wrap(window, "load_map_items", lambda: "map picture asked")
    wrap(window.map_view, "set_items", lambda items, *a, **k: "map set_items")
    wrap(window.map_view, "set_counts", lambda picture, *a, **k: "map set_counts")
    wrap(window.map_view, "add_items", lambda items, *a, **k: f"map add_items {len(items)}")


# -- the command ----------------------------------------------------------------------------------

def _baseline_url(url: str) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tempfile.mkdtemp(prefix='dd-bench-live-')}/empty.sqlite"
    from sqlalchemy.engine import make_url

    from disaster_desk.core.db import normalise_url

    target = make_url(normalise_url(url))
    return target.set(database=f"{target.database}_empty").render_as_string(hide_password=False)


def _run_window(url: str, rate: float, seconds: float, trace: bool = False) -> dict:
    out = Path(tempfile.mkdtemp(prefix="dd-bench-live-")) / "result.json"
    env = dict(os.environ, DD_CONFIG_DIR=str(out.parent / "config"), DD_DATA_DIR=str(out.parent / "data"))
    subprocess.run([sys.executable, "-m", "bench.live", "--gui", url, "--rate", str(rate), "--seconds",
                    str(seconds), "--out", str(out), *(["--trace-stalls"] if trace else [])], check=True, env=env)
    return json.loads(out.read_text())


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} (1/5 min) on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench live", description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000, help="prebuilt analysed posts (N)")
    parser.add_argument("--rate", type=float, default=50.0, help="posts per second ingested by the other process")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the other process ingests")
    parser.add_argument("--json", dest="json_out", default=None, help="write the figures here")
    parser.add_argument("--db", default=None, help="database URL (default: a SQLite file under /tmp)")
    parser.add_argument("--trace-stalls", action="store_true",
                        help="sample the threads' stacks during each GUI stall > 100 ms (bench/_stallwatch.py)")
    parser.add_argument("--gui", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--ingest", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.ingest:
        return ingest_main(args.ingest, args.rate, args.seconds)
    if args.gui:
        return gui_main(args.gui, args.rate, args.seconds, args.out, args.trace_stalls)
    url = args.db or f"sqlite:////tmp/dd-bench-live-{args.posts}.sqlite"
    base_url = _baseline_url(url)
    t0 = time.perf_counter()
    built = build(url, args.posts)
    how = f"built in {built:.0f} s" if built else "reused"
    age_min, inside = window_share(url)
    print(f"database: {args.posts:,} prebuilt posts ({how},"
          f" {time.perf_counter() - t0:.0f} s incl. migrations); the newest {age_min:.0f} min old,"
          f" {inside:,} in the last 6 h; {_load()}", flush=True)
    build(base_url, 0, fresh=True)
    load_before = _load()
    baseline = _run_window(base_url, args.rate, args.seconds, args.trace_stalls)
    scaled = _run_window(url, args.rate, args.seconds, args.trace_stalls)
    print(f"R = {args.rate:g} posts/s for {args.seconds:g} s; {load_before} before, {_load()} after")
    print(f"{'':24} {'empty db':>10} {f'{args.posts:,} posts':>14} {'target':>8}")
    for key in [*FIELDS, "window_to_map_ms", "first_picture_wait_ms", "first_picture_read_ms",
                "first_picture_to_applied_ms", "first_picture_apply_ms", "map_visible_p50_ms", "analysed_p95_ms",
                "queue_visible_n", "map_visible_n", "first_markers"]:
        def fmt(v):
            return "-" if v is None else f"{v:,.0f}" if isinstance(v, (int, float)) else str(v)
        target = TARGETS.get(key)
        verdict = "" if target is None or scaled.get(key) is None else ("ok" if scaled[key] < target else "MISSED")
        print(f"  {key:22} {fmt(baseline.get(key)):>10} {fmt(scaled.get(key)):>14} "
              f"{'< ' + format(target, ',') if target else '':>8} {verdict}")
    result = {**scaled, "baseline": baseline, "posts": args.posts, "rate": args.rate, "seconds": args.seconds,
              "db": url.split("://")[0], "load": _load(), "date": datetime.now(timezone.utc).isoformat(),
              "prebuilt_age_min": round(age_min), "prebuilt_in_window": inside}
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
