"""Typed payloads of ward reports (docs/scenario-format.md).

Validation happens here, at the boundary: an unknown field, a wrong type or a
value outside its list is refused with a :class:`ValidationError` naming the
field. Every entry point (form, CSV import, drill) goes through
:func:`validate_report`.

The error is a :class:`ReportInvalid` holding every problem of the record
(:class:`Problem`: the field, an English message for logs and files, and a
Japanese one naming the field's label for the person at the form), so a form
can mark each bad field at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.text import clean_value
from disaster_desk.core.vocabulary import (
    DAMAGE_SEVERITY,
    DAMAGE_STATUS,
    DAMAGE_TYPE,
    NEED,
    SHELTER_STATUS,
    SYSTEM_STATUS,
    field_label,
)
from disaster_desk.errors import ValidationError

# The value lists are those of core.vocabulary (one definition, with their words).
Need = Literal[NEED.ids]  # type: ignore[valid-type]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=False)
    note: str | None = Field(default=None, max_length=2000)


class ShelterReport(_Payload):
    name: str = Field(min_length=1, max_length=200)
    status: Literal[SHELTER_STATUS.ids]  # type: ignore[valid-type]
    evacuees: int | None = Field(default=None, ge=0, le=1_000_000)
    households: int | None = Field(default=None, ge=0, le=1_000_000)
    capacity: int | None = Field(default=None, ge=0, le=1_000_000)
    needs: list[Need] = Field(default_factory=list)


class DamageReport(_Payload):
    type: Literal[DAMAGE_TYPE.ids]  # type: ignore[valid-type]
    severity: Literal[DAMAGE_SEVERITY.ids]  # type: ignore[valid-type]
    place: str | None = Field(default=None, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    status: Literal[DAMAGE_STATUS.ids] = "reported"  # type: ignore[valid-type]


class MusterReport(_Payload):
    office: str = Field(min_length=1, max_length=200)
    arrived: int = Field(ge=0, le=100_000)
    expected: int = Field(ge=0, le=100_000)
    safe_unreachable: int | None = Field(default=None, ge=0, le=100_000)


class SystemReport(_Payload):
    system: str = Field(min_length=1, max_length=200)
    status: Literal[SYSTEM_STATUS.ids]  # type: ignore[valid-type]


PAYLOADS: dict[str, type[_Payload]] = {
    "shelter": ShelterReport,
    "damage": DamageReport,
    "muster": MusterReport,
    "system": SystemReport,
}

#: Kinds whose reports need a ward (a system report may be city-wide).
WARD_REQUIRED = {"shelter", "damage", "muster"}


@dataclass(frozen=True)
class Problem:
    """One invalid field: ``field`` is its id (``needs.0`` for an item of a list)."""

    field: str
    message: str  # English (logs, CSV error lists, scenario errors)
    ja: str  # Japanese, naming the field's label (the ward form)


class ReportInvalid(ValidationError):
    """A report failed validation; ``problems`` lists every bad field (the first is the error's field)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


def validate_report(kind: str, ward: str | None, data: Any) -> dict[str, Any]:
    """The cleaned payload of a report, or a :class:`ReportInvalid` naming every bad field."""
    if kind not in PAYLOADS:
        raise ValidationError(f"unknown report kind {kind!r} (one of {', '.join(PAYLOADS)})", field="kind")
    problems: list[Problem] = []
    if ward is None or ward == "":
        if kind in WARD_REQUIRED:
            problems.append(Problem("ward", "a ward is required", "区を選択してください"))
    elif ward not in OSAKA_WARDS:
        problems.append(Problem("ward", f"unknown ward {ward!r}", f"「{ward}」は大阪市の区ではありません"))
    if not isinstance(data, dict):
        raise ValidationError("report data must be a mapping", field="data")
    data = clean_value(data)  # the text boundary (core/text.py) for every field of every report
    model = None
    try:
        model = PAYLOADS[kind].model_validate(data)
    except PydanticValidationError as exc:
        problems.extend(_problem(kind, error) for error in exc.errors())
    if model is not None and kind == "muster" and model.arrived > model.expected > 0:
        problems.append(Problem("arrived", "arrived exceeds expected",
                                f"{field_label(kind, 'arrived')}が{field_label(kind, 'expected')}を超えています"))
    if problems:
        raise ReportInvalid(problems)
    return model.model_dump(exclude_none=True)


#: Fields chosen from a list in the form (a missing one is 「…を選択してください」).
_CHOSEN = {("shelter", "status"), ("damage", "type"), ("damage", "severity"), ("damage", "status"),
           ("system", "status")}


def _problem(kind: str, error: dict[str, Any]) -> Problem:
    loc = [str(p) for p in error["loc"]]
    field = ".".join(loc) or "data"
    name = loc[0] if loc else "data"
    label = field_label(kind, name)
    kind_of, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    shown = "" if given is None else str(given)
    if kind_of == "missing":
        return Problem(field, "required field is missing",
                       f"{label}を選択してください" if (kind, name) in _CHOSEN else f"{label}を入力してください")
    if kind_of == "extra_forbidden":
        return Problem(field, "unknown field", f"「{name}」は{kind}報告の項目ではありません")
    if kind_of == "string_too_short":
        return Problem(field, str(error["msg"]), f"{label}を入力してください")
    if kind_of == "string_too_long":
        return Problem(field, str(error["msg"]), f"{label}は{ctx.get('max_length')}文字以内で入力してください")
    if kind_of.startswith("int_"):
        return Problem(field, str(error["msg"]), f"{label}は0以上の整数で入力してください（「{shown}」は数として読めません）")
    if kind_of.startswith("float_"):
        return Problem(field, str(error["msg"]), f"{label}は数値で入力してください（「{shown}」は数として読めません）")
    if kind_of in ("greater_than_equal", "greater_than"):
        return Problem(field, str(error["msg"]), f"{label}は{ctx.get('ge', ctx.get('gt'))}以上で入力してください")
    if kind_of in ("less_than_equal", "less_than"):
        return Problem(field, str(error["msg"]), f"{label}は{ctx.get('le', ctx.get('lt'))}以下で入力してください")
    if kind_of == "literal_error":
        return Problem(field, str(error["msg"]), f"{label}の「{shown}」は選択肢にありません")
    return Problem(field, str(error["msg"]), f"{label}の値が正しくありません（{shown}）")
