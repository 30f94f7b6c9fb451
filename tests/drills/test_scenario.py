"""Scenario files: the spec's example loads; every error names the inject index and the key."""

from __future__ import annotations

import textwrap

import pytest

from drills.scenario import ScenarioError, bundled_scenarios, load_scenario, parse_scenario, parse_time

HEAD = """\
name: t
start: 2026-01-17T05:46:00+09:00
checklist:
  - {id: net, title: 庁内ネットワーク稼働確認}
injects:
  - {at: "00:01:00", kind: post, source: x, text: "北区で火事"}
"""


def scenario_with(inject: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(inject).strip(), "  ") + "\n"


def test_times_are_hms_or_seconds():
    assert parse_time("00:02:00") == 120
    assert parse_time("1:30:05") == 5405
    assert parse_time(90) == 90
    with pytest.raises(ValueError):
        parse_time("2 minutes")


def test_injects_are_played_in_time_order_and_keep_their_file_index():
    s = parse_scenario(scenario_with('- {at: 30, kind: post, text: "先に届く"}'))
    assert [(i.index, i.at_s) for i in s.injects] == [(1, 30.0), (0, 60.0)]
    assert s.start.isoformat() == "2026-01-16T20:46:00+00:00"
    assert (s.muster_target_rate, s.muster_target_at_s) == (0.5, 3600.0)  # the default BCP target


@pytest.mark.parametrize(
    ("inject", "key", "words"),
    [
        ('- {at: "00:02:00", kind: post, text: "x", colour: red}', "colour", "unknown key"),
        ('- {at: "two", kind: post, text: "x"}', "at", "HH:MM:SS"),
        ('- {kind: post, text: "x"}', "at", "missing"),
        ('- {at: 10, kind: tweet, text: "x"}', "kind", "kind"),
        ('- {at: 10, kind: post, source: facebook, text: "x"}', "source", "source"),
        ('- {at: 10, kind: post, text: ""}', "text", "text"),
        ('- {at: 10, kind: post, text: "x", geo: {lat: 99, lon: 135}}', "geo", "range"),
        ('- {at: 10, kind: report, report: shelter, ward: 北区, data: {name: A, status: open, evacuees: many}}',
         "data.evacuees", "integer"),
        ('- {at: 10, kind: report, report: shelter, ward: 北区, data: {name: A, status: open, pets: 3}}',
         "data.pets", "unknown field"),
        ('- {at: 10, kind: report, report: muster, ward: 品川区, data: {office: A, arrived: 1, expected: 2}}',
         "ward", "ward"),
        ('- {at: 10, kind: report, report: weather, ward: 北区, data: {}}', "report", "report"),
        ('- {at: 10, kind: action, action: retweet, match: {text_contains: 火事}}', "action", "action"),
        ('- {at: 10, kind: action, action: share, match: {text_contains: 火事}, to: [東京都]}', "to", "東京都"),
        ('- {at: 10, kind: action, action: share, match: {text_contains: 火事}}', "to", "targets"),
        ('- {at: 10, kind: action, action: share, match: {text: 火事}, to: [北区]}', "match.text", "unknown key"),
        ('- {at: 10, kind: action, action: acknowledge, match: {text_contains: 火事, report: tweet}}',
         "match.report", "one of"),
        ('- {at: 10, kind: action, action: checklist, item: coffee}', "item", "coffee"),
        ('- {at: 10, kind: action, action: checklist, item: net, to: [北区]}', "to", "not used"),
    ],
)
def test_errors_name_the_inject_index_and_key(inject, key, words):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(scenario_with(inject), source="s.yaml")
    assert err.value.index == 1 and err.value.field == key
    message = str(err.value)
    assert message.startswith(f"s.yaml: inject 1, key '{key}': ")
    assert words in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (HEAD + "owner: me\n", "owner"),
        (HEAD.replace("name: t\n", ""), "name"),
        (HEAD.replace("2026-01-17T05:46:00+09:00", "2026-01-17T05:46:00"), "start"),
        (HEAD + "bcp_target: {muster_rate: 1.5}\n", "bcp_target"),
        (HEAD.replace("- {id: net,", "- {id: net, due: 5,"), "checklist"),
    ],
)
def test_top_level_errors_name_the_key(text, key):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="s.yaml")
    assert err.value.index is None and err.value.field == key and f"key '{key}'" in str(err.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(HEAD + "  - {at: 10, kind: post, text: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.yaml: not valid YAML at line \d+"):
        load_scenario(path)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "nope.yaml")


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_bundled_scenarios_meet_the_brief(path):
    s = load_scenario(path)
    posts = [i for i in s.injects if i.kind == "post"]
    reports = [i for i in s.injects if i.kind == "report"]
    actions = {i.action for i in s.injects if i.kind == "action"}
    assert len(posts) >= 60
    assert len({r.ward for r in reports if r.ward}) >= 8
    assert {r.report for r in reports} == {"shelter", "damage", "muster", "system"}
    assert len(s.checklist) >= 5 and {"acknowledge", "share", "checklist"} <= actions
    assert 80 * 60 <= s.duration_s <= 90 * 60
    # noise and out-of-area posts are part of a realistic feed
    assert any("東京" in p.text or "神戸" in p.text or "京都" in p.text for p in posts)


def test_bundled_names():
    assert {p.name for p in bundled_scenarios()} >= {"uemachi.yaml", "typhoon-surge.yaml"}



EIGHT_PROBLEMS = """\
name: eight
owner: me
start: 2026-01-17T05:46:00
checklist:
  - {id: net, title: 庁内ネットワーク稼働確認}
injects:
  - {at: "00:01:00", kind: post, source: x, text: "北区で火事"}
  - {at: "2 minutes", kind: post, text: "時刻が不正"}
  - {at: 10, kind: post, source: x, text: "色", colour: red}
  - at: 20
    kind: report
    report: shelter
    ward: 北区
    data: {name: 扇町小学校, status: maybe, evacuees: -5}
  - {at: 30, kind: action, action: share, match: {text_contains: 火事}, to: [東京都]}
  - {at: 40, kind: action, action: checklist, item: coffee}
"""


def test_every_problem_is_reported_at_once_with_index_key_and_line():
    with pytest.raises(ScenarioError) as err:
        parse_scenario(EIGHT_PROBLEMS, source="eight.yaml")
    assert [(p.index, p.field, p.line) for p in err.value.problems] == [
        (None, "owner", 2),
        (None, "start", 3),
        (1, "at", 8),
        (2, "colour", 9),
        (3, "data.status", 14),
        (3, "data.evacuees", 14),
        (4, "to", 15),
        (5, "item", 16),
    ]
    lines = str(err.value).splitlines()
    assert len(lines) == 8
    assert lines[2] == "eight.yaml: inject 1, key 'at': '2 minutes' is not 'HH:MM:SS' or seconds (line 8)"
    assert (err.value.index, err.value.field) == (None, "owner")  # the first problem is the error's place


def test_drill_validate_prints_every_problem_one_a_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "eight.yaml"
    path.write_text(EIGHT_PROBLEMS, encoding="utf-8")
    cli = [sys.executable, "-m", "disaster_desk", "drill"]
    done = subprocess.run([*cli, "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 8 and all(line.startswith("disaster-desk: error: eight.yaml: ") for line in lines)
    assert "Traceback" not in done.stderr
    assert "inject 5, key 'item'" in lines[-1]
    good = subprocess.run([*cli, "validate", "uemachi"], capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and good.stdout.startswith("uemachi.yaml: ok, "), good.stderr
