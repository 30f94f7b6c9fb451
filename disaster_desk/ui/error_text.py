"""Errors as the operator reads them: a translated sentence first, the technical text as detail.

The core's errors carry English messages (the CLI's one line, the log) and, for
the database, a kind (core.db_errors). A dialog of the Japanese UI must not put
``new row violates row-level security policy for table "reports"`` in front of an
operator at 3 a.m.: :func:`describe` gives the sentence (Japanese source, English
from resources/translations/disaster_desk_en.ts like every ``tr()`` string) with the
place (line, column) where the error names one, and keeps the driver's text in
``details`` for the dialog's details section and the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from disaster_desk.core.db_errors import database_problem
from disaster_desk.core.report_csv import CsvError, ImportInterrupted
from disaster_desk.errors import ConflictError, UserError, ValidationError


@dataclass(frozen=True)
class ErrorText:
    #: The translated sentence: the dialog's main text.
    text: str
    #: The technical text (English, as the driver or the core said it): details section, log.
    details: str


def database_text(kind: str) -> str:
    """The sentence for a database refusal of ``kind`` (core.db_errors.KINDS)."""
    texts = {
        "permission": QCoreApplication.translate("ErrorText", "データベースが拒否しました: このログインの権限ではできない操作です"
                          "（他の区のデータ、または本番・訓練の別が違うデータ）。"),
        "timeout": QCoreApplication.translate("ErrorText", "データベースが時間内に応答しませんでした（混雑または他の操作の待ち）。"
                       "しばらくしてからもう一度試してください。"),
        "conflict": QCoreApplication.translate("ErrorText", "同時に行われた別の変更とぶつかりました。もう一度試してください。"),
        "constraint": QCoreApplication.translate("ErrorText", "データベースの規則に合わないため保存できませんでした。"),
        "unreachable": QCoreApplication.translate("ErrorText", "データベースに接続できません。回線と本部のサーバーを確認してください。"),
    }
    return texts.get(kind, QCoreApplication.translate("ErrorText", "データベースが処理できませんでした。"))


def _mode_text() -> str:
    return QCoreApplication.translate("ErrorText", "本番と訓練の区分が違う行です（訓練の行は本番に、本番の行は訓練に取り込めません）。")


def place(line: int | None, column: str | None) -> str:
    """``3行目（参集人数）: `` — the place a message is about, as the schema errors name it."""
    if line is not None and column:
        return QCoreApplication.translate("ErrorText", "{line}行目（{column}）: ").format(line=line, column=column)
    if line is not None:
        return QCoreApplication.translate("ErrorText", "{line}行目: ").format(line=line)
    return QCoreApplication.translate("ErrorText", "（{column}）: ").format(column=column) if column else ""


def describe(exc: BaseException) -> ErrorText:
    """The sentence and the detail of ``exc`` (any error a task may end with)."""
    technical = str(exc).strip() or type(exc).__name__
    if isinstance(exc, ImportInterrupted):
        return ErrorText(QCoreApplication.translate("ErrorText", "{line}行目でデータベースに接続できなくなり、取込を止めました"
                             "（それより前の {n}件は保存済みです）。").format(line=exc.line, n=exc.stored)
                         + "\n" + database_text("unreachable"), exc.problem.detail)
    problem = database_problem(exc)
    if problem is not None:
        state = f"SQLSTATE {problem.sqlstate}: " if problem.sqlstate else ""
        return ErrorText(database_text(problem.kind), state + problem.detail)
    if isinstance(exc, FileNotFoundError):
        return ErrorText(QCoreApplication.translate("ErrorText", "ファイルが見つかりません"), technical)
    if isinstance(exc, OSError):
        return ErrorText(QCoreApplication.translate("ErrorText", "ファイルを読み書きできません（{e}）").format(e=exc.strerror or type(exc).__name__),
                         technical)
    message_ja = getattr(exc, "message_ja", None)
    if message_ja:
        return ErrorText(message_ja, technical)
    if isinstance(exc, ConflictError):
        return ErrorText(QCoreApplication.translate("ErrorText", "ほかの端末で先に変更されました。最新の内容を確かめてから、もう一度操作してください。"),
                         technical)
    if isinstance(exc, ValidationError):
        where = place(exc.line, exc.field)
        if exc.code == "mode":
            return ErrorText(where + _mode_text(), technical)
        return ErrorText(where + QCoreApplication.translate("ErrorText", "入力が正しくありません（詳細を参照）"), technical)
    if isinstance(exc, UserError):
        return ErrorText(QCoreApplication.translate("ErrorText", "処理できませんでした（詳細を参照）"), technical)
    return ErrorText(QCoreApplication.translate("ErrorText", "予期しないエラーが起きました（詳細はログ）"), f"{type(exc).__name__}: {technical}")


def status_reason(exc: BaseException) -> str:
    """The reason on a status line (no details section): a user error's own message, else the sentence.

    The core's user errors (a scenario file's problem, an unknown item) name the place themselves;
    a refusal by the database, a file that cannot be written or a bug is said by :func:`describe`.
    """
    if isinstance(exc, UserError) and database_problem(exc) is None:
        return getattr(exc, "message_ja", None) or str(exc)
    return describe(exc).text


def csv_problem_text(error: CsvError) -> str:
    """The reason of one refused CSV line (without its place): translated where the core gave a code."""
    code = error.code or ""
    if code.startswith("database."):
        return database_text(code.split(".", 1)[1])
    if code == "mode":
        return _mode_text()
    return error.message_ja or error.message
