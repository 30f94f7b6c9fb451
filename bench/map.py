"""Map: 10,000 post markers — time to first render and to add 100 more incrementally.

Real QtWebEngine (offscreen), the real page and JS API. Baseline in the same
run: loading the empty page. "Rendered" means the JS call returned and two
animation frames have passed (the canvas has been drawn).
Targets: first render < 3 s, incremental add of 100 < 200 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from disaster_desk.core.map_items import MapItem
from disaster_desk.core.settings import MapSettings
from disaster_desk.core.taxonomy import LABEL_COLOURS, LABELS

N_FIRST = 10_000
N_ADD = 100
ROUNDS = 5


def _items(start: int, n: int, rng: random.Random) -> list[MapItem]:
    items = []
    for i in range(start, start + n):
        label = rng.choice(LABELS[:-1])
        items.append(MapItem(
            key=f"post:{i}", layer="post", lat=rng.uniform(34.59, 34.76), lon=rng.uniform(135.40, 135.59),
            colour=LABEL_COLOURS[label], title=label, category=label,
            fields=[("本文", f"北区で{label}の投稿 {i} <b>not bold</b>"), ("受信", "01/17 05:50")],
        ))
    return items


def main() -> None:
    from disaster_desk.ui.qtenv import prepare_qt_environment

    prepare_qt_environment()
    from PySide6.QtWidgets import QApplication

    from disaster_desk.ui.map.view import MapView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(7)

    def wait(predicate, timeout=60.0):
        deadline = time.perf_counter() + timeout
        while not predicate():
            app.processEvents()
            if time.perf_counter() > deadline:
                raise TimeoutError("map did not answer")
            time.sleep(0.001)

    def load() -> tuple[MapView, float]:
        t0 = time.perf_counter()
        view = MapView(MapSettings())
        view.resize(1200, 900)
        view.show()
        wait(lambda: view.is_ready)
        return view, time.perf_counter() - t0

    def painted(view: MapView, call) -> float:
        done: list = []
        t0 = time.perf_counter()
        call(lambda _r: view.run(
            "window.ddPainted = false; requestAnimationFrame(function () {"
            " requestAnimationFrame(function () { window.ddPainted = true; }); }); 0"))
        flag: list = []

        def poll() -> bool:
            if not done:
                view.run("window.ddPainted === true", lambda r: done.append(r) if r else flag.append(0))
                wait(lambda: done or flag, 10)
                flag.clear()
            return bool(done)

        wait(poll)
        return time.perf_counter() - t0

    empty_view, t_empty = load()
    empty_view.close()
    first = _items(0, N_FIRST, rng)
    view, t_load = load()
    t_set = painted(view, lambda cb: view.set_items(first, cb))
    t_first = t_load + t_set
    adds = []
    for r in range(ROUNDS):
        batch = _items(N_FIRST + r * N_ADD, N_ADD, rng)
        adds.append(painted(view, lambda cb, batch=batch: view.add_items(batch, cb)))
    count: list = []
    view.run("ddCount()", count.append)
    wait(lambda: count)
    view.close()
    t_add = statistics.median(adds)
    print(f"empty page load (baseline): {t_empty * 1000:.0f} ms")
    print(f"first render, {N_FIRST} markers: {t_first * 1000:.0f} ms (page {t_load * 1000:.0f} ms + markers "
          f"{t_set * 1000:.0f} ms) = {t_first / t_empty:.2f}x baseline  [target < 3000 ms]")
    print(f"add {N_ADD} markers incrementally: median {t_add * 1000:.0f} ms of {ROUNDS} "
          f"(min {min(adds) * 1000:.0f}, max {max(adds) * 1000:.0f}) = {t_add / t_empty:.3f}x baseline  "
          f"[target < 200 ms]; markers on the page: {int(count[0])}")


if __name__ == "__main__":
    main()
