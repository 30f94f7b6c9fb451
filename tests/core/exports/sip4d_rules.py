"""NIED's SIP4D-ZIP checker rules (tests/data/sip4d-zip-templates), applied as the checker reads them.

Every rule key the v1.1 templates use is interpreted: ``necessary``, ``type``
(String, Integer, Bool, Datetime, Object, ArrayOfString, ArrayOfObject),
``values``, ``string_formats``, ``min_value``/``max_value``, ``members`` (of an
Object or of each element of an ArrayOfObject), ``count_members`` (the array's
length equals a sibling Integer), ``exist_members`` (an element with given keys
and value must exist; ``ifkey``/``ifvalue`` conditions) and ``file_exists``
(the named file is in the ZIP). An unknown rule key is itself an error, so a
newer template cannot be passed silently.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

KNOWN = {"key", "connid", "type", "necessary", "values", "string_formats", "min_value", "max_value", "members",
         "count_members", "exist_members", "file_exists"}


def _type_ok(kind: str | None, value: Any) -> bool:
    if kind == "String":
        return isinstance(value, str)
    if kind == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Bool":
        return isinstance(value, bool)
    if kind == "Datetime":
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return True
    if kind == "Object":
        return isinstance(value, dict)
    if kind == "ArrayOfString":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "ArrayOfObject":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return kind is None


def _matches(element: dict, keys: list[str], value: Any) -> bool:
    return any(element.get(k) == value for k in keys)


def check(data: dict, rules: list[dict], where: str, files: set[str] | None = None) -> list[str]:
    """Errors of ``data`` against ``rules`` (a template's ``members`` or ``properties_value``)."""
    errors = []
    for rule in rules:
        unknown = set(rule) - KNOWN
        if unknown:
            errors.append(f"{where}: rule keys not understood: {sorted(unknown)}")
        key = rule.get("key") or rule.get("connid")
        if key not in data or data[key] is None:
            if rule.get("necessary"):
                errors.append(f"{where}.{key} missing")
            continue
        value, here = data[key], f"{where}.{key}"
        if not _type_ok(rule.get("type"), value):
            errors.append(f"{here}={value!r} is not {rule.get('type')}")
            continue
        strings = value if isinstance(value, list) else [value]
        if rule.get("values"):
            errors += [f"{here}={v!r} not in {rule['values']}" for v in strings if isinstance(v, str)
                       and v not in rule["values"]]
        if rule.get("string_formats"):
            errors += [f"{here}={v!r} does not match {rule['string_formats']}" for v in strings
                       if isinstance(v, str) and not any(re.match(f, v) for f in rule["string_formats"])]
        if "min_value" in rule and isinstance(value, int) and value < rule["min_value"]:
            errors.append(f"{here}={value} < {rule['min_value']}")
        if "max_value" in rule and isinstance(value, int) and value > rule["max_value"]:
            errors.append(f"{here}={value} > {rule['max_value']}")
        if rule.get("count_members") and len(value) != data.get(rule["count_members"]):
            errors.append(f"{here} has {len(value)} elements, {rule['count_members']}={data.get(rule['count_members'])}")
        if rule.get("file_exists") and files is not None and value not in files:
            errors.append(f"{here}={value!r}: no such file in the ZIP")
        if "members" in rule:
            elements = value if isinstance(value, list) else [value]
            for i, element in enumerate(elements):
                errors += check(element, rule["members"], f"{here}[{i}]" if isinstance(value, list) else here, files)
        for need in rule.get("exist_members", []):
            errors += _exist(value, need, here)
    return errors


def _exist(elements: list[dict], need: dict, where: str) -> list[str]:
    keys = need["keys"]
    if "ifkey" in need or "ifkeys" in need:
        cond_keys = [need["ifkey"]] if "ifkey" in need else need["ifkeys"]
        chosen = [e for e in elements if _matches(e, cond_keys, need["ifvalue"])]
        errors = []
        for e in chosen:
            missing = [k for k in keys if k not in e]
            if missing and need.get("necessary"):
                errors.append(f"{where}: element {e.get('name')!r} lacks {missing}")
            for k in keys:
                if need.get("values") and k in e:
                    errors += [f"{where}: {e.get('name')}.{k} has {v!r} not in {need['values']}" for v in e[k]
                               if v not in need["values"]]
        return errors
    if need.get("necessary") and not any(_matches(e, keys, need["value"]) for e in elements):
        return [f"{where}: no element with {keys}={need['value']!r}"]
    return []
