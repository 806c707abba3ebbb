"""Each finished task's working minutes (ready → done) and the waiting part (ready →
claimed), on the agency's calendar, filled for the tasks already done."""

import contextlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def _calendar(apps):
    """The agency's calendar from the rows as this migration sees them (the form of
    `workcalendar._config`, frozen here)."""
    from alur.engine.calendar import (
        DEFAULT_RAMADAN_WEEK,
        DEFAULT_WEEK,
        CalendarConfig,
        WorkingCalendar,
        WorkingHours,
    )

    week, ramadan_week = dict(DEFAULT_WEEK), dict(DEFAULT_RAMADAN_WEEK)
    for day in apps.get_model("cases", "WorkingDay").objects.all():
        for target, text in ((week, day.hours), (ramadan_week, day.ramadan_hours)):
            with contextlib.suppress(ValueError):
                target[day.weekday] = WorkingHours.from_text(text)
    extra = frozenset(apps.get_model("cases", "Holiday").objects.values_list("date", flat=True))
    ramadan = tuple(apps.get_model("cases", "RamadanPeriod").objects.values_list("start", "end"))
    tz = ZoneInfo(settings.TIME_ZONE)
    try:
        config = CalendarConfig(week=week, ramadan_week=ramadan_week, extra_holidays=extra,
                                ramadan=ramadan, tz=tz)
    except ValueError:
        config = CalendarConfig(extra_holidays=extra, ramadan=ramadan, tz=tz)
    return WorkingCalendar(config)


def fill_minutes(apps, schema_editor):
    from alur.analysis.actual import task_minutes

    Task = apps.get_model("cases", "Task")
    done = Task.objects.filter(status="done", done_at__isnull=False, work_minutes__isnull=True)
    if not done.exists():
        return
    calendar = _calendar(apps)
    batch = []
    for task in done.only("pk", "ready_at", "claimed_at", "done_at").iterator(chunk_size=2000):
        minutes = task_minutes(calendar, task.ready_at, task.done_at, task.claimed_at)
        task.work_minutes, task.wait_minutes = minutes.work, minutes.wait
        batch.append(task)
        if len(batch) >= 2000:
            Task.objects.bulk_update(batch, ["work_minutes", "wait_minutes"])
            batch = []
    if batch:
        Task.objects.bulk_update(batch, ["work_minutes", "wait_minutes"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_keyed_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="wait_minutes",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="minutes waiting"),
        ),
        migrations.AddField(
            model_name="task",
            name="work_minutes",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="working minutes"),
        ),
        migrations.RunPython(fill_minutes, migrations.RunPython.noop, elidable=True),
    ]
