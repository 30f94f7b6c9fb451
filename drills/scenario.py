"""Drill scenarios (docs/scenario-format.md): load and validate.

A scenario is checked completely at load time, so a typo in inject 57 fails
before the drill starts rather than an hour into it. Every error names the
inject index (0-based, in file order) and the key, e.g.
``uemachi.yaml: inject 3, key 'colour': unknown key``. Report ``data`` goes
through :func:`disaster_desk.core.report_schema.validate_report`, the same
check a ward form uses.

One additive extension to the spec: an optional top-level ``bcp_target``
(``{muster_rate: 0.5, at: "01:00:00"}``) — the ICT-BCP muster target the
after-action report draws against. Default: 50 % of expected staff at 60 min.

Two more additive keys (docs/scenario-format.md):

* ``kind: jma`` injects carry a 気象庁 防災情報XML telegram, from a ``file``
  (relative to the scenario file) or ``xml`` inline. The telegram is read at
  load time by the real parser (:func:`collectors.jma_xml.parse_report`, with
  訓練 telegrams accepted: in a drill they are drill data), so a telegram that
  is not well-formed or does not concern the city fails before the drill starts.
* ``kpi_targets`` — the action plan's targets the after-action report judges
  the run against (see :class:`KpiTargets`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from disaster_desk.core.area import SHARE_TARGETS
from disaster_desk.core.report_schema import ReportInvalid, validate_report
from disaster_desk.core.text import clean_value
from disaster_desk.errors import ValidationError

POST_SOURCES = ("x", "mastodon", "bluesky", "jma", "other")
ACTIONS = ("acknowledge", "share", "dismiss", "checklist")
REPORT_KINDS = ("shelter", "damage", "muster", "system")

TOP_KEYS = {"name", "description", "area", "start", "checklist", "injects", "bcp_target", "kpi_targets"}
INJECT_KEYS = {
    "post": {"at", "kind", "source", "author", "text", "geo"},
    "report": {"at", "kind", "report", "ward", "data", "author"},
    "action": {"at", "kind", "action", "match", "to", "item", "note"},
    "jma": {"at", "kind", "file", "xml"},
}
KPI_TARGET_KEYS = {"collected", "time_to_share", "shared", "accesses"}
#: Default target for the median time from receiving an item to sharing it (our choice: 15 min).
DEFAULT_TTS_TARGET_S = 900.0
MATCH_KEYS = {"text_contains", "report", "post"}
DEFAULT_MUSTER_RATE = 0.5
DEFAULT_MUSTER_AT_S = 3600.0

_HMS = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)$")


class ScenarioError(ValidationError):
    """A scenario problem; ``index`` is the inject index (None for top-level keys).

    A scenario is checked completely before it is refused: ``problems`` lists
    every problem found (each a ScenarioError naming its inject index, key and,
    when the YAML gives it, its line); the error's own index, field and message
    are the first problem's, and ``str()`` of the error is one problem a line.
    """

    def __init__(self, source: str, message: str, *, index: int | None = None, key: str | None = None,
                 line: int | None = None) -> None:
        where = []
        if index is not None:
            where.append(f"inject {index}")
        if key is not None:
            where.append(f"key '{key}'")
        place = f"{source}: {', '.join(where)}" if where else source
        at_line = f" (line {line})" if line is not None else ""
        ValidationError.__init__(self, f"{place}: {message}{at_line}")
        self.field = key
        self.index = index
        self.line = line
        self.problems: list[ScenarioError] = [self]

    @classmethod
    def of(cls, problems: list[ScenarioError]) -> ScenarioError:
        """One error carrying every problem (the first gives index, field and line)."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        error = cls.__new__(cls)
        ValidationError.__init__(error, "\n".join(str(p) for p in problems))
        error.field, error.index, error.line = first.field, first.index, first.line
        error.message = first.message
        error.problems = list(problems)
        return error


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str


@dataclass(frozen=True)
class KpiTargets:
    """The action plan's KPI targets (scenario key ``kpi_targets``; None = the default below).

    - ``collected``: 訓練時の情報収集数 — default: every injected post, report and telegram.
    - ``time_to_share_s``: 共有までに要した時間 (median) — default 15 min.
    - ``shared``: 共有情報項目数 — default: the number of scripted ``share`` injects.
    - ``accesses``: 発信情報へのアクセス数 — no default (judged only when set).
    """

    collected: int | None = None
    time_to_share_s: float | None = DEFAULT_TTS_TARGET_S
    shared: int | None = None
    accesses: int | None = None


@dataclass(frozen=True)
class Inject:
    index: int
    at_s: float
    kind: str  # post | report | action
    source: str | None = None
    author: str | None = None
    text: str | None = None
    geo: tuple[float, float] | None = None
    report: str | None = None
    ward: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    action: str | None = None
    match: dict[str, Any] = field(default_factory=dict)
    to: tuple[str, ...] = ()
    item: str | None = None
    note: str | None = None
    telegram: bytes | None = None  # kind: jma — the 防災情報XML document
    telegram_title: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    area: str
    start: datetime | None
    checklist: tuple[ChecklistItem, ...]
    injects: tuple[Inject, ...]  # sorted by time, stable for equal times
    muster_target_rate: float = DEFAULT_MUSTER_RATE
    muster_target_at_s: float = DEFAULT_MUSTER_AT_S
    path: str | None = None
    kpi_targets: KpiTargets = field(default_factory=KpiTargets)

    @property
    def duration_s(self) -> float:
        return max((i.at_s for i in self.injects), default=0.0)

    @property
    def post_count(self) -> int:
        return sum(1 for i in self.injects if i.kind == "post")

    @property
    def collected_target(self) -> int:
        """Target of 訓練時の情報収集数: the scenario's, else every injected post, report and telegram."""
        if self.kpi_targets.collected is not None:
            return self.kpi_targets.collected
        return sum(1 for i in self.injects if i.kind in ("post", "report", "jma"))

    @property
    def shared_target(self) -> int:
        """Target of 共有情報項目数: the scenario's, else the number of scripted share injects."""
        if self.kpi_targets.shared is not None:
            return self.kpi_targets.shared
        return sum(1 for i in self.injects if i.kind == "action" and i.action == "share")


def parse_time(value: Any) -> float:
    """``"HH:MM:SS"`` or a number of seconds → seconds (>= 0)."""
    if isinstance(value, bool):
        raise ValueError("a time is 'HH:MM:SS' or seconds")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and _HMS.match(value.strip()):
        h, m, s = (int(x) for x in _HMS.match(value.strip()).groups())
        seconds = h * 3600 + m * 60 + s
    else:
        raise ValueError(f"{value!r} is not 'HH:MM:SS' or seconds")
    if seconds < 0:
        raise ValueError("a time cannot be negative")
    return seconds


def format_elapsed(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises :class:`ScenarioError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return parse_scenario(text, source=path.name, path=str(path))


def parse_scenario(text: str, *, source: str = "scenario", path: str | None = None) -> Scenario:
    """Parse scenario text; ``path`` (the file's) is where a jma inject's ``file`` is looked up.

    Every problem is collected before the scenario is refused: the
    :class:`ScenarioError` raised lists them all (``problems``), one a line.
    """
    try:
        doc = yaml.safe_load(text)
        lines = _YamlLines.of(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ScenarioError(source, f"not valid YAML{where}") from None
    if not isinstance(doc, dict):
        raise ScenarioError(source, "expected a mapping at the top level")
    doc = clean_value(doc)  # the text boundary: YAML's "\0"-style escapes can carry controls
    parser = _Parser(source, Path(path).parent if path else Path.cwd(), lines)
    scenario = parser.scenario(doc, path)
    if parser.problems:
        raise ScenarioError.of(parser.problems)
    assert scenario is not None
    return scenario


class _YamlLines:
    """1-based lines of the top-level keys, the injects and their keys, from the YAML node marks."""

    def __init__(self) -> None:
        self.top: dict[str, int] = {}
        self.injects: dict[int, int] = {}
        self.inject_keys: dict[tuple[int, str], int] = {}

    @classmethod
    def of(cls, text: str) -> _YamlLines:
        lines = cls()
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if not isinstance(root, yaml.MappingNode):
            return lines
        for key_node, value_node in root.value:
            key = str(key_node.value)
            lines.top[key] = key_node.start_mark.line + 1
            if key == "injects" and isinstance(value_node, yaml.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines.injects[index] = item.start_mark.line + 1
                    if isinstance(item, yaml.MappingNode):
                        for k, _v in item.value:
                            lines.inject_keys[(index, str(k.value))] = k.start_mark.line + 1
        return lines

    def line(self, index: int | None, key: str | None) -> int | None:
        if index is None:
            return self.top.get((key or "").split(".")[0])
        if key is not None:
            found = self.inject_keys.get((index, key.split(".")[0]))
            if found is not None:
                return found
        return self.injects.get(index)


class _Parser:
    def __init__(self, source: str, base: Path | None = None, lines: _YamlLines | None = None) -> None:
        self.source = source
        self.base = base or Path.cwd()
        self.lines = lines or _YamlLines()
        self.problems: list[ScenarioError] = []

    def error(self, message: str, *, index: int | None = None, key: str | None = None) -> ScenarioError:
        return ScenarioError(self.source, message, index=index, key=key, line=self.lines.line(index, key))

    def _soft(self, check, *args, default=None):
        """Run one check; a problem is recorded (not raised) so the others still run."""
        try:
            return check(*args)
        except ScenarioError as exc:
            self.problems.extend(exc.problems)
            return default

    def _name(self, doc: dict[str, Any]) -> str:
        name = doc.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error("a scenario needs a name", key="name")
        return name.strip()

    def scenario(self, doc: dict[str, Any], path: str | None) -> Scenario | None:
        for key in doc:
            if key not in TOP_KEYS:
                self.problems.append(self.error("unknown key", key=str(key)))
        name = self._soft(self._name, doc, default="")
        start = self._soft(self._start, doc.get("start"))
        checklist = self._soft(self._checklist, doc.get("checklist") or [], default=[])
        rate, at_s = self._soft(self._target, doc.get("bcp_target"),
                                default=(DEFAULT_MUSTER_RATE, DEFAULT_MUSTER_AT_S))
        targets = self._soft(self._kpi_targets, doc.get("kpi_targets"), default=KpiTargets())
        raw = doc.get("injects")
        if not isinstance(raw, list) or not raw:
            self.problems.append(self.error("a scenario needs a non-empty list of injects", key="injects"))
            raw = []
        ids = {item.id for item in checklist}
        injects = [self._soft(self.inject, i, entry, ids) for i, entry in enumerate(raw)]
        if self.problems:
            return None
        injects.sort(key=lambda inj: (inj.at_s, inj.index))
        return Scenario(
            name=name, description=str(doc.get("description") or ""), area=str(doc.get("area") or "osaka-city"),
            start=start, checklist=tuple(checklist), injects=tuple(injects),
            muster_target_rate=rate, muster_target_at_s=at_s, path=path, kpi_targets=targets,
        )

    def _start(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            raise self.error("start needs a time of day and zone", key="start")
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise self.error(f"{value!r} is not an ISO 8601 time", key="start") from None
        if not isinstance(value, datetime):
            raise self.error("start must be an ISO 8601 time", key="start")
        if value.tzinfo is None:
            raise self.error("start needs a time zone (e.g. +09:00)", key="start")
        return value.astimezone(timezone.utc)

    def _checklist(self, raw: Any) -> list[ChecklistItem]:
        if not isinstance(raw, list):
            raise self.error("checklist must be a list", key="checklist")
        items: list[ChecklistItem] = []
        for n, entry in enumerate(raw):
            if not isinstance(entry, dict) or set(entry) - {"id", "title"} or not entry.get("id"):
                raise self.error(f"checklist item {n} needs exactly id and title", key="checklist")
            if any(item.id == str(entry["id"]) for item in items):
                raise self.error(f"duplicate checklist id {entry['id']!r}", key="checklist")
            items.append(ChecklistItem(str(entry["id"]), str(entry.get("title") or entry["id"])))
        return items

    def _target(self, raw: Any) -> tuple[float, float]:
        if raw is None:
            return DEFAULT_MUSTER_RATE, DEFAULT_MUSTER_AT_S
        if not isinstance(raw, dict) or set(raw) - {"muster_rate", "at"}:
            raise self.error("bcp_target holds muster_rate and at", key="bcp_target")
        rate = raw.get("muster_rate", DEFAULT_MUSTER_RATE)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 1:
            raise self.error("muster_rate must be a fraction in (0, 1]", key="bcp_target")
        try:
            at_s = parse_time(raw.get("at", DEFAULT_MUSTER_AT_S))
        except ValueError as exc:
            raise self.error(str(exc), key="bcp_target") from None
        return float(rate), at_s

    def _kpi_targets(self, raw: Any) -> KpiTargets:
        if raw is None:
            return KpiTargets()
        if not isinstance(raw, dict):
            raise self.error("kpi_targets must be a mapping", key="kpi_targets")
        for key in raw:
            if key not in KPI_TARGET_KEYS:
                raise self.error("unknown key", key=f"kpi_targets.{key}")
        counts: dict[str, int | None] = {}
        for key in ("collected", "shared", "accesses"):
            value = raw.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise self.error("must be a whole number >= 0", key=f"kpi_targets.{key}")
            counts[key] = value
        tts = DEFAULT_TTS_TARGET_S
        if raw.get("time_to_share") is not None:
            try:
                tts = parse_time(raw["time_to_share"])
            except ValueError as exc:
                raise self.error(str(exc), key="kpi_targets.time_to_share") from None
        return KpiTargets(collected=counts["collected"], time_to_share_s=tts, shared=counts["shared"],
                          accesses=counts["accesses"])

    def inject(self, index: int, entry: Any, checklist_ids: set[str]) -> Inject:
        def err(message: str, key: str | None) -> ScenarioError:
            return self.error(message, index=index, key=key)

        if not isinstance(entry, dict):
            raise err("an inject must be a mapping", None)
        kind = entry.get("kind")
        if kind not in INJECT_KEYS:
            raise err(f"kind must be one of {', '.join(INJECT_KEYS)}, not {kind!r}", "kind")
        problems = [err(f"unknown key for a {kind} inject", str(key)) for key in entry if key not in INJECT_KEYS[kind]]
        at_s = 0.0
        if "at" not in entry:
            problems.append(err("required key is missing", "at"))
        else:
            try:
                at_s = parse_time(entry["at"])
            except ValueError as exc:
                problems.append(err(str(exc), "at"))
        body = {"post": self._post, "report": self._report, "jma": self._jma}.get(kind)
        try:
            if body is not None:
                inject = body(index, at_s, entry, err)
            else:
                inject = self._action(index, at_s, entry, checklist_ids, err)
        except ScenarioError as exc:
            problems.extend(exc.problems)
        if problems:
            raise ScenarioError.of(problems)
        return inject

    def _post(self, index: int, at_s: float, entry: dict[str, Any], err) -> Inject:
        source = entry.get("source", "x")
        if source not in POST_SOURCES:
            raise err(f"source must be one of {', '.join(POST_SOURCES)}", "source")
        text = entry.get("text")
        if not isinstance(text, str) or not text.strip():
            raise err("a post needs a non-empty text", "text")
        author = entry.get("author")
        if author is not None and not isinstance(author, (str, int)):
            raise err("author must be a string", "author")
        geo = entry.get("geo")
        if geo is not None:
            if not isinstance(geo, dict) or set(geo) != {"lat", "lon"}:
                raise err("geo needs exactly lat and lon", "geo")
            lat, lon = geo["lat"], geo["lon"]
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
                raise err("lat and lon must be numbers", "geo")
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise err("lat/lon out of range", "geo")
            geo = (float(lat), float(lon))
        return Inject(index, at_s, "post", source=source, text=text, geo=geo,
                      author=None if author is None else str(author))

    def _report(self, index: int, at_s: float, entry: dict[str, Any], err) -> Inject:
        kind = entry.get("report")
        if kind not in REPORT_KINDS:
            raise err(f"report must be one of {', '.join(REPORT_KINDS)}", "report")
        ward = entry.get("ward")
        data = entry.get("data")
        if data is None:
            raise err("required key is missing", "data")
        try:
            payload = validate_report(kind, ward, data)
        except ReportInvalid as exc:
            raise ScenarioError.of([
                err(p.message, p.field if p.field in ("ward", "kind") else f"data.{p.field}") for p in exc.problems
            ]) from None
        except ValidationError as exc:
            key = exc.field if exc.field in ("ward", "kind") else f"data.{exc.field}"
            raise err(exc.message, key) from None
        author = entry.get("author")
        return Inject(index, at_s, "report", report=kind, ward=ward or None, data=payload,
                      author=None if author is None else str(author))

    def _jma(self, index: int, at_s: float, entry: dict[str, Any], err) -> Inject:
        from collectors.jma_xml import JmaParseError, parse_report

        if ("file" in entry) == ("xml" in entry):
            raise err("a jma inject needs either file or xml", "file" if "file" in entry else "xml")
        key = "file" if "file" in entry else "xml"
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise err("must be a non-empty string", key)
        if key == "file":
            try:
                telegram = (self.base / value).read_bytes()
            except OSError as exc:
                raise err(f"cannot read {value}: {exc.strerror or exc}", "file") from None
        else:
            telegram = value.strip().encode("utf-8")
        try:
            alert = parse_report(telegram, f"inject-{index}", exercise=True)
        except JmaParseError as exc:
            raise err(str(exc).removeprefix(f"inject-{index}: "), key) from None
        if alert is None:
            raise err("the telegram does not concern 大阪市 (or is not a handled JMA report type)", key)
        return Inject(index, at_s, "jma", telegram=telegram, telegram_title=alert.title)

    def _action(self, index: int, at_s: float, entry: dict[str, Any], checklist_ids: set[str], err) -> Inject:
        action = entry.get("action")
        if action not in ACTIONS:
            raise err(f"action must be one of {', '.join(ACTIONS)}", "action")
        if action == "checklist":
            item = entry.get("item")
            if item is None:
                raise err("a checklist action needs item", "item")
            if str(item) not in checklist_ids:
                raise err(f"no checklist item {item!r}", "item")
            for key in ("match", "to", "note"):
                if key in entry:
                    raise err("not used by a checklist action", key)
            return Inject(index, at_s, "action", action=action, item=str(item))
        if "item" in entry:
            raise err(f"not used by a {action} action", "item")
        match = entry.get("match")
        if not isinstance(match, dict) or not match:
            raise err("an action needs match: {text_contains: ...}", "match")
        for key in match:
            if key not in MATCH_KEYS:
                raise err("unknown key", f"match.{key}")
        if not isinstance(match.get("text_contains"), str) or not match["text_contains"]:
            raise err("text_contains must be a non-empty string", "match.text_contains")
        if "report" in match and match["report"] not in REPORT_KINDS:
            raise err(f"must be one of {', '.join(REPORT_KINDS)}", "match.report")
        if "post" in match and not isinstance(match["post"], bool):
            raise err("must be true or false", "match.post")
        if match.get("post") and "report" in match:
            raise err("post: true and report: cannot both narrow a match", "match")
        to: tuple[str, ...] = ()
        if action == "share":
            raw_to = entry.get("to")
            if not isinstance(raw_to, list) or not raw_to:
                raise err("a share needs a list of targets", "to")
            unknown = [t for t in raw_to if t not in SHARE_TARGETS]
            if unknown:
                raise err(f"unknown share target {unknown[0]!r}", "to")
            to = tuple(raw_to)
        elif "to" in entry:
            raise err(f"not used by a {action} action", "to")
        note = entry.get("note")
        return Inject(index, at_s, "action", action=action, match=dict(match), to=to,
                      note=None if note is None else str(note))


def bundled_scenarios() -> list[Path]:
    """The scenarios shipped in ``drills/scenarios`` (the demo plays uemachi.yaml)."""
    folder = Path(__file__).with_name("scenarios")
    return sorted(folder.glob("*.yaml"))


def scenario_title(path: str | Path) -> str:
    """The scenario's ``name`` for a list a person reads, else its file name.

    Only the top-level ``name`` is read, so a list of scenarios can be shown
    without validating each one; a file that cannot be read shows its stem and
    is refused with every problem when it is chosen.
    """
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return path.stem
    name = doc.get("name") if isinstance(doc, dict) else None
    return clean_value(name).strip() if isinstance(name, str) and name.strip() else path.stem
