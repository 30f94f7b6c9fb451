"""CSV templates and import/export of ward reports for Excel users.

Files are written as UTF-8 with a BOM (Excel opens them without mojibake);
UTF-8 with or without BOM and Shift_JIS (cp932, what Excel saves as "CSV")
are accepted. Headers may be the Japanese column titles of the template or
the field ids; status values may be Japanese (開設) or ids (open). Every row
goes through :meth:`ReportService.submit` (the one path); a bad row is
reported by line and column and the good rows around it are stored. Each row
is its own transaction, so a row the *database* refuses (a ward login storing
another ward's report: permission denied or row-level security) is reported
by line like a bad row and the rows after it are still stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from disaster_desk.core.db import Database
from disaster_desk.core.db_errors import DatabaseProblem, database_problem, first_line
from disaster_desk.core.models import Report
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.progress import Progress, Stopped, counted
from disaster_desk.core.report_schema import PAYLOADS
from disaster_desk.core.reports import ReportService
from disaster_desk.core.text import csv_cell, csv_uncell
from disaster_desk.core.vocabulary import REPORT_FIELDS, REPORT_VALUES, field_label, value_label
from disaster_desk.errors import UserError, ValidationError

log = logging.getLogger(__name__)

#: Columns per kind: (field id, Japanese title), from core.vocabulary. ``ward`` and ``client_uuid``
#: are not payload fields.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    kind: [("ward", field_label(kind, "ward"))] + [(t.id, t.ja) for t in fields]
    for kind, fields in REPORT_FIELDS.items()
}
UUID_COLUMN = ("client_uuid", "報告ID")
#: Exports say whether they hold drill data (ARCHITECTURE rule 4); drill rows never import as real.
MODE_COLUMN = ("mode", "区分")
MODE_JA = {"real": "本番", "drill": "訓練 EXERCISE"}

INT_FIELDS = {"evacuees", "households", "capacity", "arrived", "expected", "safe_unreachable"}
FLOAT_FIELDS = {"lat", "lon"}


@dataclass
class CsvError:
    line: int
    column: str | None
    message: str
    #: The same in Japanese for the GUI's dialog, when the validator gave one (None: show ``message``).
    message_ja: str | None = None
    #: A stable id the GUI says in its own translated words: ``database.<kind>`` (core.db_errors) for a
    #: row the database refused, ``mode`` for a drill row into real data (or the reverse).
    code: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


class ImportInterrupted(UserError):
    """The database could not be reached at ``line``: the import stopped there, ``stored`` rows before it kept."""

    def __init__(self, line: int, stored: int, problem: DatabaseProblem) -> None:
        super().__init__(f"line {line}: database unreachable ({problem.detail}); {stored} rows stored before it")
        self.line, self.stored, self.problem = line, stored, problem


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    errors: list[CsvError] = field(default_factory=list)
    #: The import stopped on a request (the GUI's 中止) between lines: the first line not read, else None.
    #: The lines before it are stored (each its own transaction); none from it on was read.
    not_read_from: int | None = None

    @property
    def stopped(self) -> bool:
        return self.not_read_from is not None


def decode_csv(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (BOM optional) or Shift_JIS/cp932."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise UserError(f"not UTF-8 or Shift_JIS text (byte {exc.start})") from None


def decode_csv_lines(data: bytes) -> tuple[str, list[CsvError]]:
    """Text of a CSV file decoded line by line (UTF-8, BOM optional, or Shift_JIS/cp932).

    A line that decodes in neither is an error naming it and is left empty (csv
    skips it, line numbers stay right): one bad byte costs its line, not the file.
    """
    from disaster_desk.core.shelter_registry import bad_byte, decode_lines

    texts, encoding = decode_lines(data)
    raw = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).split(b"\n")
    errors = [CsvError(i + 1, None, f"not UTF-8 or Shift_JIS text ({encoding}: {bad_byte(raw[i], encoding)}); "
                                    "line skipped",
                       f"文字コードが読めません（{encoding}、{bad_byte(raw[i], encoding)}）。この行は取り込みません")
              for i, line in enumerate(texts) if line is None]
    return ("\n".join(line or "" for line in texts) + "\n" if texts else ""), errors


def encode_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def template(kind: str) -> bytes:
    """An empty template (header row of Japanese titles) for ``kind``."""
    _check_kind(kind)
    return encode_csv([[title for _, title in COLUMNS[kind]]])


def export_reports(db: Database, kind: str, scope: Scope) -> bytes:
    """Reports of ``kind`` in ``scope`` in the template's layout, plus their ids (re-import is idempotent)."""
    _check_kind(kind)
    cols = COLUMNS[kind] + [UUID_COLUMN, MODE_COLUMN]
    rows = [[title for _, title in cols]]
    with db.session() as session:
        reports = session.scalars(
            select(Report).where(Report.kind == kind, mode_filter(Report, scope)).order_by(Report.id)
        ).all()
    for report in reports:
        values = {**report.payload, "ward": report.ward or "", "client_uuid": report.client_uuid,
                  "mode": MODE_JA[report.mode]}
        rows.append([_cell(kind, fid, values.get(fid)) for fid, _ in cols])
    return encode_csv(rows)


def _cell(kind: str, fid: str, value: Any) -> str:
    """A cell as an Excel user reads it: enumerated values in Japanese (they import back)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value_label(kind, fid, str(v)) for v in value)
    return value_label(kind, fid, str(value))


def import_reports(
    service: ReportService, kind: str, data: bytes, *, author: str, default_ward: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Submit each row of a CSV file; bad rows are listed, good ones stored.

    ``default_ward`` fills an empty ward cell (a ward station's own ward). A
    lost connection stops the import with a :class:`UserError` naming the line
    (the rows before it are stored); any other refusal by the database is that
    row's error. ``progress(done, total)`` counts rows (see core.progress); each
    row is stored on its own and a re-import stores none twice, so stopping
    between rows loses nothing: when ``progress`` raises :class:`~disaster_desk.core.progress.Stopped`
    the import ends there and returns what it stored, ``not_read_from`` naming the first line
    it did not read (a request that came after the last line changes nothing: the result is whole).
    """
    _check_kind(kind)
    result = ImportResult()
    text, result.errors = decode_csv_lines(data)
    if result.errors and result.errors[0].line == 1:
        return result  # the header does not decode: no line can be read
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(CsvError(1, None, "empty file"))
        return result
    fields, titles, problems = _header(kind, header)
    if problems:
        result.errors.extend(CsvError(1, col, msg) for col, msg in problems)
        return result
    line = reader.line_num + 1
    rows = counted(reader, progress, total=max(0, text.count("\n") - 1))
    while True:
        try:
            row = next(rows)  # the report between two rows is where a stop request is heard
        except StopIteration:
            break
        except Stopped:
            if any(any(cell.strip() for cell in rest) for rest in reader):
                result.not_read_from = line
                log.info("CSV import of %s stopped on request before line %d: %d rows stored",
                         kind, line, len(result.created))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        try:
            ward, payload, client_uuid, mode = _row(kind, fields, row)
            ward = ward or default_ward
            if mode is not None and mode != service.scope.mode:
                raise ValidationError(f"a {mode} row cannot be imported into {service.scope.mode} data", field="mode",
                                      code="mode")
            submitted = service.submit(
                kind, ward, payload, author=author,
                client_uuid=client_uuid or _row_uuid(kind, row),
            )
        except ValidationError as exc:
            column = titles.get((exc.field or "").split(".")[0], exc.field)
            problems = getattr(exc, "problems", None)  # ReportInvalid: each field in English and Japanese
            ja = getattr(exc, "message_ja", None) or (problems[0].ja if problems else None)
            result.errors.append(CsvError(start, column, exc.message, ja, getattr(exc, "code", None)))
            continue
        except DBAPIError as exc:
            problem = database_problem(exc) or DatabaseProblem("other", None, first_line(exc))
            if problem.kind == "unreachable":
                raise ImportInterrupted(start, len(result.created), problem) from None
            # a refusal (permission, row-level security, a timeout, a constraint) is this row's: go on
            result.errors.append(CsvError(start, None, f"refused by the database: {problem.detail}",
                                          code=f"database.{problem.kind}"))
            continue
        (result.created if submitted.created else result.duplicates).append(submitted.report_id)
    result.errors.sort(key=lambda e: e.line)
    if result.errors:  # info: the caller names each refused line (the CLI one a line on stderr, docs/cli.md)
        log.info("CSV import of %s: %d rows refused", kind, len(result.errors))
    return result


def _check_kind(kind: str) -> None:
    if kind not in PAYLOADS:
        raise ValidationError(f"unknown report kind {kind!r}", field="kind")


def _header(kind: str, header: list[str]) -> tuple[list[str | None], dict[str, str], list[tuple[str, str]]]:
    """Field id per column, the title used for each field, and header problems."""
    extra = [UUID_COLUMN, MODE_COLUMN]
    known = {**{fid: fid for fid, _ in COLUMNS[kind] + extra}, **{title: fid for fid, title in COLUMNS[kind] + extra}}
    fields: list[str | None] = []
    titles: dict[str, str] = {}
    problems = []
    for cell in header:
        name = cell.strip()
        fid = known.get(name)
        if fid is None and name:
            problems.append((name, "unknown column"))
        fields.append(fid)
        if fid:
            titles[fid] = name
    for fid, title in COLUMNS[kind]:
        required = PAYLOADS[kind].model_fields.get(fid)
        if fid not in titles and required is not None and required.is_required():
            problems.append((title, "required column is missing"))
    return fields, titles, problems


def _row(
    kind: str, fields: list[str | None], row: list[str],
) -> tuple[str | None, dict[str, Any], str | None, str | None]:
    if len(row) > len(fields):
        raise ValidationError(f"{len(row)} cells but {len(fields)} columns", field=None)
    ward = client_uuid = mode = None
    payload: dict[str, Any] = {}
    for fid, raw in zip(fields, row, strict=False):  # short rows: missing cells are empty
        value = csv_uncell(raw.strip())
        if fid is None or value == "":
            continue
        if fid == "ward":
            ward = value
        elif fid == "client_uuid":
            client_uuid = value
        elif fid == "mode":
            mode = {ja: m for m, ja in MODE_JA.items()}.get(value, value)
            if mode not in MODE_JA:
                raise ValidationError(f"not 本番 or 訓練: {value!r}", field="mode")
        else:
            payload[fid] = _value(kind, fid, value)
    return ward, payload, client_uuid, mode


def _value(kind: str, fid: str, value: str) -> Any:
    vocabulary = REPORT_VALUES.get((kind, fid))
    if fid == "needs" and vocabulary is not None:
        parts = [v.strip() for v in value.replace("、", ";").replace("・", ";").replace(",", ";").split(";")]
        return [vocabulary.parse(v) or v for v in parts if v]
    if vocabulary is not None:
        return vocabulary.parse(value) or value  # an unknown word is refused by the schema, naming the field
    if fid in INT_FIELDS:
        try:
            return int(value.replace(",", ""))
        except ValueError:
            raise _invalid(f"not a whole number: {value!r}", f"{field_label(kind, fid)}は整数で入力してください"
                                                           f"（「{value}」は数として読めません）", fid) from None
    if fid in FLOAT_FIELDS:
        try:
            return float(value)
        except ValueError:
            raise _invalid(f"not a number: {value!r}", f"{field_label(kind, fid)}は数値で入力してください"
                                                     f"（「{value}」は数として読めません）", fid) from None
    return value


def _invalid(message: str, message_ja: str, fid: str) -> ValidationError:
    """A cell's error in English and Japanese (the GUI's import dialog shows the Japanese)."""
    exc = ValidationError(message, field=fid)
    exc.message_ja = message_ja  # type: ignore[attr-defined]
    return exc


def _row_uuid(kind: str, row: list[str]) -> str:
    """A stable id for a row without one: importing the same file twice stores it once."""
    digest = hashlib.sha256(("\x1f".join([kind, *row])).encode("utf-8")).hexdigest()
    return str(uuid.UUID(digest[:32]))
