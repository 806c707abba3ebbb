"""The SQL a transition runs on every step, written once instead of built by the ORM each time.

A step taken in a case reads the case (locking it), the events the replayed state lacks, and
who holds the positions linked to the SOP's actors; then it writes an event, a task row or
two, the case's head and the notifications. Through the ORM that is about ten queries whose
*building* and wrapping cost far more than running them (SQLite answers each in tens of
microseconds), and the target is a thousand steps a second in one process. So these
statements are composed once per database vendor from the models' own table and column
names, run on the driver's own cursor (on PostgreSQL a server-binding one, so each statement
is prepared once per connection), and every value is converted the way its model field would
convert it for that vendor. Everything else (pages, lists, the admin) keeps using the ORM.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.base import ModelState

from ..library.models import ActorLink
from ..org.models import Assignment
from .models import Case, Event, Notification, Task

CASE_FIELDS = ("id", "public_id", "title", "version_id", "sop_id", "unit_id", "initiator_id",
               "status", "parent_task_id", "event_count", "head_hash")
CASE_UPDATE_FIELDS = ("status", "ended_at", "event_count", "head_hash")
TASK_UPDATE_FIELDS = ("status", "assignee_id", "claimed_at", "done_at", "done_by_id",
                      "decision")
# Attribute names, so a row's values also build its model instance (`as_instance`).
TASK_INSERT_FIELDS = ("public_id", "case_id", "key", "step", "round", "actor_id",
                      "actor_name", "activity", "is_decision", "position_id", "assignee_id",
                      "status", "ready_at", "due_at", "claimed_at", "done_at", "done_by_id",
                      "decision", "calls", "unroutable")
EVENT_FIELDS = ("case_id", "seq", "kind", "at", "by_id", "by_name", "task_key", "data",
                "prev_hash", "hash")
NOTIFICATION_FIELDS = ("person_id", "kind", "task_id", "case_id", "created_at")
EVENT_READ_FIELDS = ("seq", "kind", "at", "by_id", "task_key", "data", "prev_hash")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return _q(model._meta.db_table)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's own field `name` (never a reverse relation): these statements only name
    the model's columns and convert the values written to them."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise LookupError(f"{model.__name__}.{name} is a relation, not a field")
    return field


def _column_name(model: type[models.Model], name: str) -> str:
    column = _field(model, name).column
    if column is None:  # a generic foreign key: a pair of other fields, no column of its own
        raise LookupError(f"{model.__name__}.{name} has no column")
    return column


def _column(model: type[models.Model], name: str) -> str:
    return _q(_column_name(model, name))


def _columns(model: type[models.Model], names: Iterable[str]) -> str:
    return ", ".join(_column(model, n) for n in names)


def _held(alias: str) -> str:
    """An assignment (table alias) held on a day given twice as parameters."""
    end = _column(Assignment, "end")
    return (f"{alias}.{_column(Assignment, 'start')} <= %s AND "
            f"({alias}.{end} IS NULL OR {alias}.{end} >= %s)")


def _routing_select(sop: str) -> str:
    """Each actor linked for the SOP `sop` (SQL) with its position and the people holding it
    that day (none: NULL)."""
    return (f"SELECT l.{_column(ActorLink, 'actor_id')} AS link_actor, "
            f"l.{_column(ActorLink, 'position')} AS link_position, "
            f"a.{_column(Assignment, 'person')} AS holder "
            f"FROM {_table(ActorLink)} l LEFT JOIN {_table(Assignment)} a "
            f"ON a.{_column(Assignment, 'position')} = l.{_column(ActorLink, 'position')} "
            f"AND {_held('a')} WHERE l.{_column(ActorLink, 'sop')} = {sop}")


def _insert(model: type[models.Model], names: Sequence[str]) -> str:
    return (f"INSERT INTO {_table(model)} ({_columns(model, names)}) VALUES ("
            + ", ".join(["%s"] * len(names)) + ")")


def _case_update() -> str:
    return (f"UPDATE {_table(Case)} SET "
            + ", ".join(f"{_column(Case, n)} = %s" for n in CASE_UPDATE_FIELDS)
            + f" WHERE {_column(Case, 'id')} = %s")


@cache
def _sql(vendor: str) -> dict[str, str]:
    """Every statement of the hot path for one database vendor, in its driver's paramstyle."""
    events = (f"SELECT {_columns(Event, EVENT_READ_FIELDS)} FROM {_table(Event)} "
              f"WHERE {_column(Event, 'case')} = %s AND {_column(Event, 'seq')} > %s "
              f"ORDER BY {_column(Event, 'seq')}")
    if vendor == "postgresql":
        return {"load": _postgres_load(), "write": _postgres_write(), "events": events,
                "routing": _routing_select(_sop_of_case())}
    task_of_case = f"(SELECT t.{_column(Task, 'id')} FROM {_table(Task)} t " \
                   f"WHERE t.{_column(Task, 'case')} = %s AND t.{_column(Task, 'key')} = %s)"
    statements = {
        "case": f"SELECT {_columns(Case, CASE_FIELDS)} FROM {_table(Case)} "
                f"WHERE {_column(Case, 'id')} = %s",
        "events": events,
        "routing": _routing_select(_sop_of_case()),
        "event": _insert(Event, EVENT_FIELDS),
        "task": _insert(Task, TASK_INSERT_FIELDS),
        # Handed to a person (assignee set), the task is no longer one nobody can take.
        "task_update": f"UPDATE {_table(Task)} SET "
                       + ", ".join(f"{_column(Task, n)} = %s" for n in TASK_UPDATE_FIELDS)
                       + f", {_column(Task, 'unroutable')} = "
                         f"({_column(Task, 'unroutable')} AND %s)"
                       + f" WHERE {_column(Task, 'case')} = %s AND {_column(Task, 'key')} = %s",
        "case_update": _case_update(),
        "notification": _insert(Notification, NOTIFICATION_FIELDS),
        "task_notification": f"INSERT INTO {_table(Notification)} "
                             f"({_columns(Notification, NOTIFICATION_FIELDS)}) "
                             f"VALUES (%s, %s, {task_of_case}, %s, %s)",
    }
    # sqlite3's own paramstyle (Django's cursor would rewrite %s on every call).
    return {name: text.replace("%s", "?") for name, text in statements.items()}


def _sop_of_case() -> str:
    return (f"(SELECT c.{_column(Case, 'sop')} FROM {_table(Case)} c "
            f"WHERE c.{_column(Case, 'id')} = %s)")


def _postgres_load() -> str:
    """One statement: the case row, locked, with the events after a number and the day's
    routing as JSON. The subqueries see the snapshot the statement started with, so after
    waiting for the lock they may lack what the holder recorded; the caller compares the
    events with the locked row's head and reads again when they fall short."""
    c = "c"
    sop = f"{c}.{_column(Case, 'sop')}"
    return (f"SELECT {', '.join(f'{c}.{_column(Case, n)}' for n in CASE_FIELDS)}, "
            f"(SELECT json_agg(json_build_array("
            f"{', '.join(f'e.{_column(Event, n)}' for n in EVENT_READ_FIELDS)}) "
            f"ORDER BY e.{_column(Event, 'seq')}) FROM {_table(Event)} e "
            f"WHERE e.{_column(Event, 'case')} = {c}.{_column(Case, 'id')} "
            f"AND e.{_column(Event, 'seq')} > %s), "
            f"(SELECT json_agg(json_build_array(r.link_actor, r.link_position, r.holder)) "
            f"FROM ({_routing_select(sop)}) r) "
            f"FROM {_table(Case)} {c} WHERE {c}.{_column(Case, 'id')} = %s FOR UPDATE OF {c}")


def _postgres_write() -> str:
    """One statement for everything a step writes: the event, the changed tasks, the new
    tasks and their notifications (joined to the new rows' ids), and the case's head. Rows
    of variable number go as JSON documents read as records of the table's own row type, so
    the statement keeps one shape (prepared once) and its parameters stay few and cheap to
    send."""
    task_key = _column(Task, "key")
    assignments = ", ".join(f"{_column(Task, n)} = u.{_column(Task, n)}"
                            for n in TASK_UPDATE_FIELDS)
    unroutable = _column(Task, "unroutable")
    assignee = _column(Task, "assignee_id")
    as_tasks = f"json_populate_recordset(NULL::{_table(Task)}, %s::json)"
    return (
        f"WITH event AS ({_insert(Event, EVENT_FIELDS)}), "
        f"changed AS (UPDATE {_table(Task)} t SET {assignments}, "
        f"{unroutable} = (t.{unroutable} AND u.{assignee} IS NULL) FROM {as_tasks} AS u "
        f"WHERE t.{_column(Task, 'case')} = %s AND t.{task_key} = u.{task_key}), "
        f"added AS (INSERT INTO {_table(Task)} ({_columns(Task, TASK_INSERT_FIELDS)}) "
        f"SELECT {_columns(Task, TASK_INSERT_FIELDS)} FROM {as_tasks} "
        f"RETURNING {_column(Task, 'id')} AS id, {task_key} AS key), "
        f"noted AS (INSERT INTO {_table(Notification)} "
        f"({_columns(Notification, NOTIFICATION_FIELDS)}) "
        f"SELECT n.person, n.kind, added.id, %s, %s "
        f"FROM json_to_recordset(%s::json) AS n(person bigint, kind text, key text) "
        f"LEFT JOIN added ON added.key = n.key) "
        f"{_case_update()}")


# --- values as the model fields would write them ------------------------------------------------

Converter = Callable[[Any], Any]


def _naive_utc_text(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend writes for an aware datetime, the database in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime written to the case tables")
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _uuid_hex(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _converter(db: BaseDatabaseWrapper, field: models.Field[Any, Any]) -> Converter | None:
    """How a field's Python value goes to this vendor's driver; None: as it is. The
    operations are those of the connection that first asked, which is as good as any:
    they depend on the settings, not on the connection."""
    kind = field.get_internal_type()
    ops = db.ops
    if kind == "DateTimeField" and db.vendor != "postgresql":
        if db.timezone != dt.UTC:
            return ops.adapt_datetimefield_value
        return _naive_utc_text
    if kind == "UUIDField" and not db.features.has_native_uuid_field:
        return _uuid_hex
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: ops.adapt_json_value(value, encoder)
    return None


_converter_cache: dict[tuple[type[models.Model], tuple[str, ...], str],
                       tuple[Converter | None, ...]] = {}


def _values(db: BaseDatabaseWrapper, model: type[models.Model], names: tuple[str, ...],
            row: dict[str, Any]) -> list[Any]:
    key = (model, names, db.vendor)
    converters = _converter_cache.get(key)
    if converters is None:
        converters = tuple(_converter(db, _field(model, n)) for n in names)
        _converter_cache[key] = converters
    return [row[n] if convert is None else convert(row[n])
            for convert, n in zip(converters, names, strict=True)]


def _aware(value: dt.datetime | str) -> dt.datetime:
    """Rows read raw carry naive UTC datetimes on SQLite (the ORM would make them aware)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


# --- the driver's cursor ------------------------------------------------------------------------

def _db() -> BaseDatabaseWrapper:
    """The connection's wrapper itself: `django.db.connection` is a proxy that looks the
    thread's connection up on every attribute, a dozen times a step."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    return db


def _cursor(db: BaseDatabaseWrapper) -> Any:
    """A cursor of the driver itself, inside Django's connection and transaction."""
    if db.vendor == "postgresql":
        import psycopg

        return psycopg.Cursor(db.connection)  # server-side binding, whatever Django's default
    return sqlite3.Cursor(db.connection)  # not Django's, which rewrites each statement


def _execute(db: BaseDatabaseWrapper, cursor: Any, name: str, params: Sequence[Any]) -> None:
    if db.vendor == "postgresql":
        # Prepared on first use, when the connection allows it (settings: ALUR_DB_PREPARE).
        cursor.execute(_sql(db.vendor)[name], params, prepare=True)
    else:
        cursor.execute(_sql(db.vendor)[name], params)


# --- reading ------------------------------------------------------------------------------------

@dataclass
class Routing:
    """Where a case's new tasks go on one day: each actor's position and who holds it."""

    links: dict[str, int]
    holders: dict[int, list[int]]

    def actors_of(self, person_pk: int) -> set[str]:
        """The actors a person may act as: those linked to a position they hold."""
        return {actor for actor, position in self.links.items()
                if person_pk in self.holders.get(position, ())}


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back: what the engine replays, and where it sits in the chain."""

    seq: int
    kind: str
    at: dt.datetime
    by: int | None
    task_key: str
    data: dict[str, Any]
    prev_hash: str


@dataclass
class Loaded:
    """What a transition reads: the locked case, the events after a given one, the routing."""

    case: Case
    events: list[StoredEvent]
    routing: Routing


def load(case_pk: int, on: dt.date, after: int = 0) -> Loaded:
    """Lock the case and read the events after number `after` and the day's routing: one
    statement on PostgreSQL (one round trip), three on SQLite (in-process, and its
    IMMEDIATE transaction already holds the database). On PostgreSQL the events can fall
    short of the locked head (see `_postgres_load`): the caller checks."""
    db = _db()
    day = db.ops.adapt_datefield_value(on)
    with contextlib.closing(_cursor(db)) as cursor:
        if db.vendor == "postgresql":
            _execute(db, cursor, "load", [after, day, day, case_pk])
            row = cursor.fetchone()
            if row is None:
                raise Case.DoesNotExist(case_pk)
            width = len(CASE_FIELDS)
            events_json, routing_json = row[width], row[width + 1]
            return Loaded(_case(db, row[:width]), _events_from_json(events_json or []),
                          _routing(routing_json or []))
        _execute(db, cursor, "case", [case_pk])
        row = cursor.fetchone()
        if row is None:
            raise Case.DoesNotExist(case_pk)
        case = _case(db, row)
        _execute(db, cursor, "events", [case_pk, after])
        newer = _events(cursor.fetchall())
        _execute(db, cursor, "routing", [day, day, case_pk])
        return Loaded(case, newer, _routing(cursor.fetchall()))


def routing(case_pk: int, on: dt.date) -> Routing:
    db = _db()
    day = db.ops.adapt_datefield_value(on)
    with contextlib.closing(_cursor(db)) as cursor:
        _execute(db, cursor, "routing", [day, day, case_pk])
        return _routing(cursor.fetchall())


def events(case_pk: int, after: int = 0) -> list[StoredEvent]:
    db = _db()
    with contextlib.closing(_cursor(db)) as cursor:
        _execute(db, cursor, "events", [case_pk, after])
        return _events(cursor.fetchall())


def _case(db: BaseDatabaseWrapper, row: Sequence[Any]) -> Case:
    """A Case instance from its row, the fields not read loading on first use. What
    `Model.from_db` does, without its per-field checks (a measurable share of a step)."""
    values = dict(zip(CASE_FIELDS, row, strict=True))
    if not isinstance(values["public_id"], uuid.UUID):
        values["public_id"] = uuid.UUID(str(values["public_id"]))
    return _instance(Case, db, values)


def _instance(model: type[models.Model], db: BaseDatabaseWrapper, values: dict[str, Any]) -> Any:
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db.alias
    instance.__dict__.update(values)
    return instance


def _events(rows: Iterable[Sequence[Any]]) -> list[StoredEvent]:
    return [StoredEvent(seq, kind, _aware(at), by, task_key,
                        json.loads(data) if isinstance(data, str) else data, prev_hash)
            for seq, kind, at, by, task_key, data, prev_hash in rows]


def _events_from_json(rows: list[list[Any]]) -> list[StoredEvent]:
    """Events aggregated as JSON by PostgreSQL: times come as ISO 8601 strings."""
    return [StoredEvent(seq, kind, dt.datetime.fromisoformat(at), by, task_key, data,
                        prev_hash)
            for seq, kind, at, by, task_key, data, prev_hash in rows]


def _routing(rows: Iterable[Sequence[Any]]) -> Routing:
    links: dict[str, int] = {}
    holders: dict[int, list[int]] = {}
    for actor, position, person in rows:
        links[actor] = position
        people = holders.setdefault(position, [])
        if person is not None and person not in people:
            people.append(person)
    for people in holders.values():
        people.sort()
    return Routing(links, holders)


# --- writing ------------------------------------------------------------------------------------

@dataclass
class Writes:
    """One event of one case and what it changed, sent together by `write`."""

    case: Case
    event: dict[str, Any]
    at: dt.datetime
    new_tasks: list[dict[str, Any]] = field(default_factory=list)
    changed_tasks: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # (person, kind, key of a new task or None)
    notifications: list[tuple[int, str, str | None]] = field(default_factory=list)


def write(writes: Writes) -> None:
    """Append the event, insert the new tasks and update the changed ones, insert the
    notifications (naming new tasks by key, so no row is read back) and move the case's
    head: one statement on PostgreSQL, one per row on SQLite (in-process, so cheap)."""
    db = _db()
    case = writes.case
    head = [*_values(db, Case, CASE_UPDATE_FIELDS,
                     {n: getattr(case, n) for n in CASE_UPDATE_FIELDS}), case.pk]
    event = _values(db, Event, EVENT_FIELDS, writes.event)
    with contextlib.closing(_cursor(db)) as cursor:
        if db.vendor == "postgresql":
            _execute(db, cursor, "write", [
                *event,
                _as_json([{"key": key, **values} for key, values in writes.changed_tasks],
                         ("key", *TASK_UPDATE_FIELDS)),
                case.pk, _as_json(writes.new_tasks, TASK_INSERT_FIELDS), case.pk, writes.at,
                json.dumps([{"person": p, "kind": k, "key": t}
                            for p, k, t in writes.notifications]),
                *head])
            return
        _execute(db, cursor, "event", event)
        for task in writes.new_tasks:
            _execute(db, cursor, "task", _values(db, Task, TASK_INSERT_FIELDS, task))
        for key, values in writes.changed_tasks:
            _execute(db, cursor, "task_update", [
                *_values(db, Task, TASK_UPDATE_FIELDS, values), values["assignee_id"] is None,
                case.pk, key])
        _execute(db, cursor, "case_update", head)
        created = _values(db, Notification, ("created_at",), {"created_at": writes.at})[0]
        for person, kind, task_key in writes.notifications:
            if task_key is None:
                _execute(db, cursor, "notification", [person, kind, None, case.pk, created])
            else:
                _execute(db, cursor, "task_notification",
                         [person, kind, case.pk, task_key, case.pk, created])


@cache
def _task_columns(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, _column_name(Task, name)) for name in names)


def _as_json(rows: list[dict[str, Any]], names: tuple[str, ...]) -> str:
    """Task rows as a JSON array of objects keyed by column, for `json_populate_recordset`."""
    columns = _task_columns(names)
    return json.dumps([{column: row[name] for name, column in columns} for row in rows],
                      default=_json_value)


def _json_value(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot go in a task row")


def as_instance(model: type[models.Model], values: dict[str, Any]) -> Any:
    """A model instance of a row just written, from its values (no pk)."""
    return _instance(model, _db(), values)
