"""The SQL a transition runs on every step, written once instead of built by the ORM each time.

A step taken in a case reads the case and its events, asks which actors the person may act as,
and writes an event, a task or two, the case's head and the notifications. Through the ORM that
is about ten queries whose *building* costs far more than running them (SQLite answers each in
tens of microseconds); the target is a thousand steps a second in one process. So these
statements are composed once per database vendor from the models' own table and column names,
and every value is prepared by its model field, so SQLite and PostgreSQL each get what they
expect. Everything else (pages, lists, the admin) keeps using the ORM.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, models

from ..library.models import ActorLink
from ..org.models import Assignment
from .models import Case, Event, Notification, Task

CASE_FIELDS = ("id", "public_id", "title", "version", "sop", "unit", "initiator", "status",
               "parent_task", "event_count", "head_hash")
TASK_UPDATE_FIELDS = ("status", "assignee", "claimed_at", "done_at", "done_by", "decision")
TASK_INSERT_FIELDS = ("public_id", "case", "key", "step", "round", "actor_id", "actor_name",
                      "activity", "is_decision", "position", "assignee", "status", "ready_at",
                      "due_at", "claimed_at", "done_at", "done_by", "decision", "calls",
                      "unroutable")
EVENT_FIELDS = ("case", "seq", "kind", "at", "by", "by_name", "task_key", "data", "prev_hash",
                "hash")
NOTIFICATION_FIELDS = ("person", "kind", "task", "case", "created_at")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return _q(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    return _q(model._meta.get_field(name).column)


def _columns(model: type[models.Model], names: Iterable[str]) -> str:
    return ", ".join(_column(model, n) for n in names)


@cache
def _fields(model: type[models.Model], names: tuple[str, ...]) -> tuple[models.Field, ...]:
    return tuple(model._meta.get_field(n) for n in names)


def _prepared(model: type[models.Model], names: Sequence[str], values: Sequence[Any]) -> list:
    """Values as their model fields write them (dates, UUIDs and JSON differ by vendor)."""
    return [f.get_db_prep_save(v, connection)
            for f, v in zip(_fields(model, tuple(names)), values, strict=True)]


@cache
def _sql(vendor: str) -> dict[str, str]:
    """Every statement of the hot path for one database vendor."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    end = _column(Assignment, "end")
    held = (f"a.{_column(Assignment, 'start')} <= %s AND "
            f"(a.{end} IS NULL OR a.{end} >= %s)")

    def insert(model, names, rows=1):
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        return (f"INSERT INTO {_table(model)} ({_columns(model, names)}) VALUES "
                + ", ".join([one] * rows))

    sop_of_case = f"(SELECT c.{_column(Case, 'sop')} FROM {_table(Case)} c " \
                  f"WHERE c.{_column(Case, 'id')} = %s)"
    task_of_case = f"(SELECT t.{_column(Task, 'id')} FROM {_table(Task)} t " \
                   f"WHERE t.{_column(Task, 'case')} = %s AND t.{_column(Task, 'key')} = %s)"
    return {
        "case": f"SELECT {_columns(Case, CASE_FIELDS)} FROM {_table(Case)} "
                f"WHERE {_column(Case, 'id')} = %s{lock}",
        "events": f"SELECT {_columns(Event, ('kind', 'at', 'by', 'task_key', 'data'))} "
                  f"FROM {_table(Event)} WHERE {_column(Event, 'case')} = %s "
                  f"ORDER BY {_column(Event, 'seq')}",
        "acting_as": f"SELECT DISTINCT l.{_column(ActorLink, 'actor_id')} "
                     f"FROM {_table(ActorLink)} l JOIN {_table(Assignment)} a "
                     f"ON a.{_column(Assignment, 'position')} = l.{_column(ActorLink, 'position')} "
                     f"WHERE l.{_column(ActorLink, 'sop')} = {sop_of_case} "
                     f"AND a.{_column(Assignment, 'person')} = %s AND {held}",
        "links": f"SELECT {_columns(ActorLink, ('actor_id', 'position'))} "
                 f"FROM {_table(ActorLink)} WHERE {_column(ActorLink, 'sop')} = {sop_of_case}",
        "holders": f"SELECT DISTINCT a.{_column(Assignment, 'position')}, "
                   f"a.{_column(Assignment, 'person')} FROM {_table(Assignment)} a "
                   f"WHERE a.{_column(Assignment, 'position')} IN "
                   f"(SELECT l.{_column(ActorLink, 'position')} FROM {_table(ActorLink)} l "
                   f"WHERE l.{_column(ActorLink, 'sop')} = {sop_of_case}) AND {held} "
                   f"ORDER BY 1, 2",
        "event": insert(Event, EVENT_FIELDS),
        "task": insert(Task, TASK_INSERT_FIELDS),
        "task_update": f"UPDATE {_table(Task)} SET "
                       + ", ".join(f"{_column(Task, n)} = %s" for n in TASK_UPDATE_FIELDS)
                       + f" WHERE {_column(Task, 'case')} = %s AND {_column(Task, 'key')} = %s",
        "task_routable": f"UPDATE {_table(Task)} SET {_column(Task, 'unroutable')} = %s "
                         f"WHERE {_column(Task, 'case')} = %s AND {_column(Task, 'key')} = %s",
        "case_update": f"UPDATE {_table(Case)} SET "
                       + ", ".join(f"{_column(Case, n)} = %s" for n in
                                   ("status", "ended_at", "event_count", "head_hash"))
                       + f" WHERE {_column(Case, 'id')} = %s",
        "notification": insert(Notification, NOTIFICATION_FIELDS),
        "task_notification": f"INSERT INTO {_table(Notification)} "
                             f"({_columns(Notification, NOTIFICATION_FIELDS)}) "
                             f"VALUES (%s, %s, {task_of_case}, %s, %s)",
    }


def sql(name: str) -> str:
    return _sql(connection.vendor)[name]


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """Raw rows carry naive UTC datetimes on SQLite (the ORM would make them aware)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


# --- reading --------------------------------------------------------------------------------

@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Send the statements issued inside together. PostgreSQL answers them in one round trip
    instead of one each (psycopg's pipeline mode); SQLite runs in-process, so there it changes
    nothing. Results are read after the block."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.pipeline():
            yield
    else:
        yield


@dataclass
class Routing:
    """Where a case's new tasks go on one day: each actor's position and who holds it."""

    links: dict[str, int]
    holders: dict[int, list[int]]


@dataclass
class Loaded:
    """What a transition reads: the locked case, its events, the acting person's actors."""

    case: Case
    events: list[tuple[str, dt.datetime, int | None, str, dict]]
    acting_as: set[str]
    routing: Routing


def load(case_pk: int, person_pk: int, on: dt.date) -> Loaded:
    """Lock the case and read everything a transition needs, in one batch."""
    day = _day(on)
    cursors = [connection.cursor() for _ in range(5)]
    try:
        with batch():
            cursors[0].execute(sql("case"), [case_pk])
            cursors[1].execute(sql("events"), [case_pk])
            cursors[2].execute(sql("acting_as"), [case_pk, person_pk, day, day])
            cursors[3].execute(sql("links"), [case_pk])
            cursors[4].execute(sql("holders"), [case_pk, day, day])
        row = cursors[0].fetchone()
        if row is None:
            raise Case.DoesNotExist(case_pk)
        return Loaded(_case(row), _events(cursors[1].fetchall()),
                      {actor for (actor,) in cursors[2].fetchall()},
                      Routing(dict(cursors[3].fetchall()), _holders(cursors[4].fetchall())))
    finally:
        for cursor in cursors:
            cursor.close()


def routing(case_pk: int, on: dt.date) -> Routing:
    day = _day(on)
    with connection.cursor() as cursor:
        cursor.execute(sql("links"), [case_pk])
        links = dict(cursor.fetchall())
        cursor.execute(sql("holders"), [case_pk, day, day])
        return Routing(links, _holders(cursor.fetchall()))


def lock_case(pk: int) -> Case:
    """The case row, locked until the transaction ends (SQLite's IMMEDIATE transactions
    already hold the database); the other fields load on first use."""
    with connection.cursor() as cursor:
        cursor.execute(sql("case"), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Case.DoesNotExist(pk)
    return _case(row)


def events(case_pk: int) -> list[tuple[str, dt.datetime, int | None, str, dict]]:
    with connection.cursor() as cursor:
        cursor.execute(sql("events"), [case_pk])
        return _events(cursor.fetchall())


def _case(row: Sequence[Any]) -> Case:
    values = list(row)
    if not isinstance(values[1], uuid.UUID):
        values[1] = uuid.UUID(str(values[1]))
    names = [Case._meta.get_field(n).attname for n in CASE_FIELDS]
    return Case.from_db(connection.alias, names, values)


def _events(rows) -> list[tuple[str, dt.datetime, int | None, str, dict]]:
    return [(kind, _aware(at), by, task_key, json.loads(data) if isinstance(data, str) else data)
            for kind, at, by, task_key, data in rows]


def _holders(rows) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for position, person in rows:
        found.setdefault(position, []).append(person)
    return found


# --- writing --------------------------------------------------------------------------------

def insert_event(values: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql("event"), _prepared(Event, EVENT_FIELDS,
                                               [values[n] for n in EVENT_FIELDS]))


def insert_task(values: dict[str, Any]) -> None:
    values = {"public_id": uuid.uuid4(), **values}
    with connection.cursor() as cursor:
        cursor.execute(sql("task"), _prepared(Task, TASK_INSERT_FIELDS,
                                              [values[n] for n in TASK_INSERT_FIELDS]))


def update_task(case_pk: int, key: str, values: dict[str, Any]) -> None:
    params = _prepared(Task, TASK_UPDATE_FIELDS, [values[n] for n in TASK_UPDATE_FIELDS])
    with connection.cursor() as cursor:
        cursor.execute(sql("task_update"), [*params, case_pk, key])
        if values["assignee"] is not None:  # handed to a person: someone can take it now
            cursor.execute(sql("task_routable"), [False, case_pk, key])


def update_case(case: Case) -> None:
    params = _prepared(Case, ("status", "ended_at", "event_count", "head_hash"),
                       [case.status, case.ended_at, case.event_count, case.head_hash])
    with connection.cursor() as cursor:
        cursor.execute(sql("case_update"), [*params, case.pk])


def insert_notifications(rows: list[tuple[int, str, str | None, int]],
                         at: dt.datetime) -> None:
    """(person, kind, task key or None, case) rows, all made at `at`. The task is named by its
    key, so its row need not be read back in the middle of a batch."""
    created = _prepared(Notification, ("created_at",), [at])[0]
    with connection.cursor() as cursor:
        for person, kind, key, case in rows:
            if key is None:
                cursor.execute(sql("notification"), [person, kind, None, case, created])
            else:
                cursor.execute(sql("task_notification"), [person, kind, case, key, case,
                                                          created])
