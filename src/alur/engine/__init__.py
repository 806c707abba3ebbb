"""Running SOPs: cases, tasks and due times, pure and deterministic.

`Definition.from_sop` compiles an SOP version once; `Case` holds one run of it, rebuilt from its
events by `Case.replay`; `WorkingCalendar` turns time standards into due times. The web layer
persists the events and a projection of the tasks.
"""

from .case import EVENT_KINDS, Case, Event, Task
from .definition import Definition, StepSpec
from .errors import (
    CaseClosed,
    DecisionNotAllowed,
    DecisionRequired,
    DefinitionError,
    EngineError,
    InvalidOperation,
    NotYourTask,
    TaskNotOpen,
    UnknownTask,
    WaitingForSubprocedure,
)

__all__ = [
    "EVENT_KINDS", "Case", "CaseClosed", "DecisionNotAllowed", "DecisionRequired", "Definition",
    "DefinitionError", "EngineError", "Event", "InvalidOperation", "NotYourTask", "StepSpec",
    "Task", "TaskNotOpen", "UnknownTask", "WaitingForSubprocedure",
]
