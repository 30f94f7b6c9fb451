"""Errors a user can cause (bad file, bad argument, unreachable database).

The CLI prints them as one line on stderr and exits non-zero, never with a
traceback. Services raise them with a message that names the place: the
field, the line, the inject index.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment, not a bug."""


class ValidationError(UserError):
    """A record failed validation; ``field`` (and ``line``) name the place.

    ``code`` is a stable id of the problem where the GUI says it in its own
    (translated) words (disaster_desk/ui/error_text.py); the message stays English.
    """

    def __init__(self, message: str, *, field: str | None = None, line: int | None = None,
                 code: str | None = None) -> None:
        self.field = field
        self.line = line
        self.code = code
        where = []
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(prefix + message)
        self.message = message


class ConflictError(UserError):
    """Someone else changed the record since it was read (optimistic locking)."""


class NotFound(UserError):
    """A record this station cannot see (gone, of another scope, or hidden by row-level security).

    ``message_ja`` is what the Japanese GUI shows (ui.error_text); the message stays English for the CLI.
    """

    def __init__(self, message: str, message_ja: str) -> None:
        super().__init__(message)
        self.message_ja = message_ja
