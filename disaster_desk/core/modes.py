"""Real vs drill data (ARCHITECTURE rule 4): one scope type, one filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_

from disaster_desk.core.models import DRILL, REAL


@dataclass(frozen=True)
class Scope:
    """Which data a service writes and reads: real, or one drill run.

    ``Scope(DRILL, "")`` reads every drill run; writing needs a run id.
    """

    mode: str = REAL
    run_id: str = ""

    def __post_init__(self) -> None:
        if self.mode not in (REAL, DRILL):
            raise ValueError(f"mode must be real or drill, not {self.mode!r}")
        if self.mode == REAL and self.run_id:
            raise ValueError("a real scope has no run_id")

    @classmethod
    def drill(cls, run_id: str) -> Scope:
        return cls(DRILL, run_id)

    @property
    def is_drill(self) -> bool:
        return self.mode == DRILL

    @property
    def is_any_drill(self) -> bool:
        """The read-only scope of every drill run (drill mode, no run id)."""
        return self.is_drill and not self.run_id

    def one_run(self, why: str = "drill data is stored under a run id") -> Scope:
        """This scope, refused (ValueError) when it spans every drill run.

        Services that write or group data take only one run's scope.
        """
        if self.is_any_drill:
            raise ValueError(why)
        return self

    def columns(self) -> dict[str, str]:
        """Values for the ``mode``/``run_id`` columns of a new row."""
        return {"mode": self.mode, "run_id": self.run_id}


REAL_SCOPE = Scope()


def mode_filter(model: Any, scope: Scope) -> Any:
    """SQL condition keeping only ``scope``'s rows of ``model``.

    A real scope sees only real rows; a drill scope only its own run's rows
    (or every drill run's when it has no run id).
    """
    if scope.is_any_drill:
        return model.mode == DRILL
    return and_(model.mode == scope.mode, model.run_id == scope.run_id)


def scope_for(mode: str | None, run_id: str | None) -> Scope:
    """Scope from CLI options (``--mode``/``--run``); drill without a run reads all runs."""
    if (mode or REAL) == REAL:
        return REAL_SCOPE
    return Scope.drill(run_id or "")
