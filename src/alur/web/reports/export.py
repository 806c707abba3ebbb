"""The case log of one SOP over a period, for process-mining tools (pm4py, ProM, Celonis):
XES (IEEE 1849) and CSV.

One trace per case (named by its public id), and per finished task a `start` event when it
was claimed (a task completed without being claimed has no start: nobody took it before
finishing it) and a `complete` event when it was done. The activity is "step. activity";
the resource is the position the task was offered to (the SOP's actor name when no position
is linked). Rows are streamed from the database, never held whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

from alur.render.spreadsheet import csv_safe

from .queries import Filters

XES_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<log xes.version="1849-2016" xes.features="nested-attributes" '
    'xmlns="http://www.xes-standard.org/">\n'
    '<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n'
    '<extension name="Lifecycle" prefix="lifecycle" '
    'uri="http://www.xes-standard.org/lifecycle.xesext"/>\n'
    '<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n'
    '<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>\n'
    '<global scope="trace"><string key="concept:name" value="__INVALID__"/></global>\n'
    '<global scope="event"><string key="concept:name" value="__INVALID__"/>'
    '<string key="lifecycle:transition" value="complete"/>'
    '<date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/></global>\n'
    '<classifier name="Activity" keys="concept:name"/>\n'
    '<classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>\n')

CSV_COLUMNS = ("case_id", "activity", "lifecycle", "timestamp", "resource")


def _rows(filters: Filters) -> Iterator[tuple[Any, ...]]:
    return (filters.tasks()
            .order_by("case__started_at", "case_id", "ready_at", "pk")
            .values_list("case__public_id", "step", "activity", "claimed_at", "done_at",
                         "position__name", "actor_name", "round")
            .iterator(chunk_size=2000))


def events(filters: Filters) -> Iterator[tuple[str, str, str, dt.datetime, str]]:
    """(case id, activity, lifecycle, timestamp, resource) in case order, each case's events
    by time."""
    case: str | None = None
    pending: list[tuple[str, str, str, dt.datetime, str]] = []
    for case_id, step, activity, claimed, done, position, actor, _round in _rows(filters):
        key = str(case_id)
        if key != case and pending:
            yield from sorted(pending, key=lambda e: e[3])
            pending = []
        case = key
        name = f"{step}. {' '.join(activity.split())}"
        resource = position or actor or ""
        if claimed is not None and claimed <= done:
            pending.append((key, name, "start", claimed, resource))
        pending.append((key, name, "complete", done, resource))
    yield from sorted(pending, key=lambda e: e[3])


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def xes(filters: Filters, log_name: str) -> Iterator[str]:
    """The XES document in pieces (for a streaming response)."""
    yield XES_HEAD
    yield f'<string key="concept:name" value={quoteattr(log_name)}/>\n'
    case: str | None = None
    for case_id, activity, lifecycle, moment, resource in events(filters):
        if case_id != case:
            if case is not None:
                yield "</trace>\n"
            yield f'<trace><string key="concept:name" value={quoteattr(case_id)}/>\n'
            case = case_id
        yield ("<event>"
               f'<string key="concept:name" value={quoteattr(activity)}/>'
               f'<string key="lifecycle:transition" value="{lifecycle}"/>'
               f'<date key="time:timestamp" value="{_stamp(moment)}"/>'
               f'<string key="org:resource" value={quoteattr(resource)}/>'
               "</event>\n")
    if case is not None:
        yield "</trace>\n"
    yield "</log>\n"


def csv_lines(filters: Filters) -> Iterator[str]:
    """The same events as CSV with a header; text cells go through `csv_safe`, as the file
    is as likely to be opened in a spreadsheet as in a mining tool."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(row: tuple[str, ...]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield "\ufeff" + line(CSV_COLUMNS)  # the mark makes Excel read UTF-8
    for case_id, activity, lifecycle, moment, resource in events(filters):
        yield line((case_id, csv_safe(activity), lifecycle, _stamp(moment), csv_safe(resource)))


__all__ = ["CSV_COLUMNS", "csv_lines", "events", "xes"]
