"""Typed payloads of ward reports (docs/scenario-format.md).

Validation happens here, at the boundary: an unknown field, a wrong type or a
value outside its list is refused with a :class:`ValidationError` naming the
field. Every entry point (form, CSV import, drill) goes through
:func:`validate_report`.
"""

from __future__ import annotations

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


def validate_report(kind: str, ward: str | None, data: Any) -> dict[str, Any]:
    """The cleaned payload of a report, or a ValidationError naming the field."""
    if kind not in PAYLOADS:
        raise ValidationError(f"unknown report kind {kind!r} (one of {', '.join(PAYLOADS)})", field="kind")
    if ward is None or ward == "":
        if kind in WARD_REQUIRED:
            raise ValidationError("a ward is required", field="ward")
    elif ward not in OSAKA_WARDS:
        raise ValidationError(f"unknown ward {ward!r}", field="ward")
    if not isinstance(data, dict):
        raise ValidationError("report data must be a mapping", field="data")
    data = clean_value(data)  # the text boundary (core/text.py) for every field of every report
    try:
        model = PAYLOADS[kind].model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "data"
        raise ValidationError(_message(first), field=field) from None
    if kind == "muster" and model.arrived > model.expected > 0:
        raise ValidationError("arrived exceeds expected", field="arrived")
    return model.model_dump(exclude_none=True)


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return str(error["msg"])
