"""``kind: jma`` injects: a 防災情報XML telegram through the real JMA parser into the drill's alerts and map."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.jma_xml import parse_report
from disaster_desk.core.alerts import AlertService
from disaster_desk.core.clock import ManualClock
from disaster_desk.core.map_items import map_items
from disaster_desk.core.modes import REAL_SCOPE
from drills.engine import DrillEngine
from drills.scenario import ScenarioError, bundled_scenarios, load_scenario, parse_scenario

JMA = Path(__file__).parents[1] / "data" / "jma"
BUNDLED = Path(bundled_scenarios()[0]).parent


def _scenario(tmp_path: Path, inject: str) -> Path:
    (tmp_path / "s.yaml").write_text(
        "name: JMA訓練\nstart: 2026-01-17T05:46:00+09:00\ninjects:\n"
        "  - {at: 10, kind: post, text: 北区で火事}\n" + inject, encoding="utf-8")
    return tmp_path / "s.yaml"


def test_a_jma_file_inject_goes_through_the_parser_into_the_drill_alerts_and_map(sqlite_db, tmp_path,
                                                                                 keyword_analyser):
    (tmp_path / "q.xml").write_bytes((JMA / "VXSE53_osaka.xml").read_bytes())
    scenario = load_scenario(_scenario(tmp_path, "  - {at: 60, kind: jma, file: q.xml}\n"))
    engine = DrillEngine(scenario, sqlite_db, speed=None, analyser=keyword_analyser)
    m = engine.run_to_end()
    assert m["alerts_received"] == 1
    (alert,) = AlertService(sqlite_db, engine.clock, engine.scope).latest()
    assert (alert.kind, alert.mode, alert.run_id) == ("intensity", "drill", engine.run_id)
    assert alert.data["ward_intensity"]["北区"] == "6-"
    assert (alert.issued_at - scenario.start).total_seconds() == 60  # arrives at the inject's scenario time
    labels = {i.title for i in map_items(sqlite_db, engine.scope) if i.layer == "intensity"}
    assert "北区 震度6-" in labels
    # drill data only: nothing in the real scope
    assert AlertService(sqlite_db, ManualClock(scenario.start), REAL_SCOPE).latest() == []


def test_an_inline_kunren_telegram_is_drill_data_and_never_a_real_alert(tmp_path):
    xml = (JMA / "VPWW54_osaka.xml").read_text(encoding="utf-8").replace("<Status>通常</Status>",
                                                                          "<Status>訓練</Status>")
    assert parse_report(xml.encode(), "w") is None  # the real collector ignores a 訓練 telegram
    body = "\n".join("      " + line for line in xml.splitlines())
    scenario = load_scenario(_scenario(tmp_path, f"  - at: 30\n    kind: jma\n    xml: |\n{body}\n"))
    (jma,) = [i for i in scenario.injects if i.kind == "jma"]
    assert jma.telegram_title == "大阪府気象警報・注意報"
    assert parse_report(jma.telegram, "w", exercise=True).data["status"] == "訓練"


@pytest.mark.parametrize(("inject", "message"), [
    ("  - {at: 60, kind: jma}\n", "inject 1, key 'xml': a jma inject needs either file or xml"),
    ("  - {at: 60, kind: jma, file: missing.xml}\n", "inject 1, key 'file': cannot read missing.xml"),
    ("  - {at: 60, kind: jma, xml: '<Report><Control>'}\n", "inject 1, key 'xml': not well-formed XML"),
    ("  - {at: 60, kind: jma, file: m.xml}\n", "inject 1, key 'file': the telegram does not concern 大阪市"),
    ("  - {at: 60, kind: jma, xml: '<a/>', text: x}\n", "inject 1, key 'text': unknown key for a jma inject"),
])
def test_a_bad_telegram_fails_at_load_naming_the_inject_and_key(tmp_path, inject, message):
    (tmp_path / "m.xml").write_bytes((JMA / "VXSE51_miyagi.xml").read_bytes())
    with pytest.raises(ScenarioError) as err:
        load_scenario(_scenario(tmp_path, inject))
    assert message in str(err.value)


def test_bundled_scenarios_carry_jma_telegrams():
    uemachi = load_scenario(BUNDLED / "uemachi.yaml")
    (quake,) = [i for i in uemachi.injects if i.kind == "jma"]
    data = parse_report(quake.telegram, "u", exercise=True).data
    assert quake.telegram_title == "震源・震度情報" and data["max_intensity"] == "7"
    assert len(data["ward_intensity"]) == 24 and data["status"] == "訓練"
    typhoon = load_scenario(BUNDLED / "typhoon-surge.yaml")
    (warning,) = [i for i in typhoon.injects if i.kind == "jma"]
    active = parse_report(warning.telegram, "t", exercise=True).data["active"]
    assert {"高潮警報", "暴風警報"} <= set(active)


def test_kpi_targets_are_validated_and_defaulted():
    base = "name: x\ninjects:\n  - {at: 10, kind: post, text: a}\n  - {at: 20, kind: action, action: share, " \
           "match: {text_contains: a}, to: [北区]}\n"
    s = parse_scenario(base)
    assert (s.collected_target, s.shared_target, s.kpi_targets.time_to_share_s, s.kpi_targets.accesses) == (
        1, 1, 900.0, None)
    s = parse_scenario(base + "kpi_targets: {collected: 5, time_to_share: '00:10:00', shared: 3, accesses: 20}\n")
    assert (s.collected_target, s.shared_target, s.kpi_targets.time_to_share_s, s.kpi_targets.accesses) == (
        5, 3, 600.0, 20)
    with pytest.raises(ScenarioError, match="key 'kpi_targets.shared': must be a whole number"):
        parse_scenario(base + "kpi_targets: {shared: -1}\n")
    with pytest.raises(ScenarioError, match="key 'kpi_targets.speed': unknown key"):
        parse_scenario(base + "kpi_targets: {speed: 1}\n")
