"""The one text boundary: what outside text may hold once it is stored.

Every text that comes from outside (posts from any collector or drill, report
fields, CSV cells, scenario text, feed titles, imported registries) passes
:func:`clean_text` before it is stored. It removes what no operator can read
and what breaks storage or the writers:

- NUL and the other C0 controls except tab and line feed (CR LF and a lone CR
  become LF), DEL and the C1 controls: PostgreSQL cannot store NUL, XML
  forbids the C0 controls, none of them shows on a screen;
- lone surrogates (a cut emoji in truncated API text) become U+FFFD; a
  surrogate pair left as two code points is joined into its character;
- noncharacters (U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane): XML
  forbids U+FFFE/U+FFFF, and they carry nothing;
- the bidi embedding, override and isolate controls (U+202A..U+202E,
  U+2066..U+2069): a post must not reorder the text around it when shown
  ("Trojan Source"). The marks U+200E/U+200F stay: they only mark direction.

The untouched original is kept by the caller (a post's ``raw``), so nothing
outside sent is lost. Cleaning is idempotent, and a clean text is valid XML 1.0
character data, so the writers' :func:`xml_safe` is only a second line of
defence for rows stored before this boundary existed.

Analysis has its own limit: :func:`cut_utf8` cuts a normalised text to the
bytes the Sudachi tokenizer accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

_PLANE_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                               for plane in range(17))
#: Everything :func:`clean_text` removes (surrogates are handled first, CR is turned into LF).
_REMOVE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + re.escape(_PLANE_NONCHARACTERS)
    + "]"
)
#: One search finds any text that needs work (the common case is none).
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + re.escape(_PLANE_NONCHARACTERS)
    + "]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CR = re.compile("\r\n?")
#: Not XML 1.0 character data (https://www.w3.org/TR/xml/#charsets).
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(value: str) -> str:
    """``value`` with controls, lone surrogates, noncharacters and bidi overrides dealt with (module docstring)."""
    if not _SUSPECT.search(value):
        return value
    if _SURROGATE.search(value):
        # UTF-16 round trip: a high+low pair becomes its character, a lone half becomes U+FFFD.
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if "\r" in value:
        value = _CR.sub("\n", value)
    return _REMOVE.sub("", value)


def clean_optional(value: str | None) -> str | None:
    """:func:`clean_text` for an optional field (``None`` stays ``None``)."""
    return None if value is None else clean_text(value)


def clean_value(value: Any) -> Any:
    """:func:`clean_text` on every string inside JSON-like data (dict keys and values, lists)."""
    return _map_strings(value, clean_text)


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """``fn`` on every string inside JSON-like data (dict keys and values, lists and tuples as lists)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, Mapping):
        return {fn(k) if isinstance(k, str) else k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_map_strings(v, fn) for v in value]
    return value


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (for writers of XML, HTML, JSON feeds and CSV)."""
    value = clean_text(value)
    return _XML_INVALID.sub("", value) if _XML_INVALID.search(value) else value


def xml_safe_value(value: Any) -> Any:
    """:func:`xml_safe` on every string inside JSON-like data (for the JSON writers)."""
    return _map_strings(value, xml_safe)


#: First characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"),
#: full-width forms included (Excel's Japanese input converts them).
FORMULA_STARTS = frozenset("=+-@＝＋－＠\t\r\n")


def csv_cell(value: object) -> str:
    """One CSV cell from ``value``: XML-safe text; text a spreadsheet would run gets a leading ``'``.

    Numbers are written as they are (a negative number is not outside text).
    Every CSV writer uses this, so an export opened in Excel never runs a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = xml_safe(str(value))
        return "'" + text if text[:1] in FORMULA_STARTS else text
    return str(value)


def csv_uncell(text: str) -> str:
    """The text :func:`csv_cell` was given (a leading ``'`` before a formula start taken off again)."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS and text[1:2] != "" else text


def cut_utf8(value: str, limit: int) -> tuple[str, bool]:
    """``value`` cut to at most ``limit`` UTF-8 bytes at a character boundary, and whether it was cut."""
    if len(value) * 4 <= limit:  # fast path: cannot be longer
        return value, False
    data = value.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return value, False
    return data[:limit].decode("utf-8", "ignore"), True
