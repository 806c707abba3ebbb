"""The SOP model, the `alur-sop/1` file format, durations and the checker.

This package imports nothing else of alur but `alur.i18n` (its messages' translations):
every other layer builds on it.
"""

from .check import CheckConfig, check
from .duration import DEFAULT_CALENDAR, Duration, WorkCalendar, parse_duration
from .fileformat import LoadResult, dump, dumps_json, dumps_yaml, from_data, load, loads, to_data
from .findings import Finding, Severity, has_errors
from .model import FORMAT, Actor, Approver, Dates, Section, Sop, Source, Step

__all__ = [
    "DEFAULT_CALENDAR", "FORMAT", "Actor", "Approver", "CheckConfig", "Dates", "Duration",
    "Finding", "LoadResult", "Section", "Severity", "Sop", "Source", "Step", "WorkCalendar",
    "check", "dump", "dumps_json", "dumps_yaml", "from_data", "has_errors", "load", "loads",
    "parse_duration", "to_data",
]
