"""Domain errors: an operation the case's rules do not allow.

Each carries an Indonesian (translatable) message fit to show the person who tried, and a
stable `code` for programs (the API returns it). Raising one leaves the case unchanged: every
operation validates fully before it records its event.
"""

from __future__ import annotations

from alur.i18n import gettext as _


class EngineError(Exception):
    """Base of everything the engine refuses."""

    code = "engine"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DefinitionError(EngineError):
    """The SOP cannot run: a reference that does not resolve, a step that loops on itself."""

    code = "definition"


class CaseClosed(EngineError):
    code = "case-closed"


class UnknownTask(EngineError):
    code = "unknown-task"


class TaskNotOpen(EngineError):
    code = "task-not-open"


class NotYourTask(EngineError):
    code = "not-your-task"


class DecisionRequired(EngineError):
    code = "decision-required"


class DecisionNotAllowed(EngineError):
    code = "decision-not-allowed"


class WaitingForSubprocedure(EngineError):
    code = "waiting-for-subprocedure"


class InvalidOperation(EngineError):
    code = "invalid-operation"


def task_label(step: int, activity: str) -> str:
    """How messages name a task: the step number people see on the SOP, and its activity."""
    short = activity if len(activity) <= 60 else activity[:57] + "..."
    return _("step {number} ({activity})").format(number=step, activity=short)
