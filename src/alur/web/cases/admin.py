"""Operators' view of running cases: the calendar additions they maintain, and read-only
cases, tasks and events (the log is append-only; changes go through the pages)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseModelFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    NO_WORKING_TIME,
    Case,
    Event,
    Holiday,
    Notification,
    RamadanPeriod,
    Task,
    WorkingDay,
)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(RamadanPeriod)
class RamadanPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "start", "end"]


@admin.register(WorkingDay)
class WorkingDayAdmin(admin.ModelAdmin):
    """The seven weekdays, edited in one list; they are never added or removed."""

    list_display = ["weekday", "hours", "ramadan_hours"]
    list_display_links = None
    list_editable = ["hours", "ramadan_hours"]
    fields = ["weekday", "hours", "ramadan_hours"]
    readonly_fields = ["weekday"]

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> type[BaseModelFormSet]:
        kwargs["formset"] = WeekFormSet
        return super().get_changelist_formset(request, **kwargs)


class WeekFormSet(BaseModelFormSet):
    """The days edited together must still leave working time in the week (each row's own
    check sees the other rows as they were before this save)."""

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if WorkingDay.leaves_no_working_time(
                {form.instance.weekday: form.cleaned_data.get("hours", "") for form in self.forms}):
            raise ValidationError(NO_WORKING_TIME)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class TaskInline(admin.TabularInline):
    model = Task
    fields = readonly_fields = ("key", "activity", "actor_name", "position", "assignee",
                                "status", "due_at", "unroutable")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ["title", "version", "unit", "initiator", "status", "started_at"]
    list_filter = ["status", "unit"]
    search_fields = ["title", "version__name", "initiator__name"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ["case", "key", "actor_name", "position", "assignee", "status", "due_at",
                    "unroutable"]
    list_filter = ["status", "unroutable"]
    search_fields = ["case__title", "activity", "actor_name"]
    list_select_related = ["case", "position", "assignee"]


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["case", "seq", "kind", "at", "by_name", "task_key"]
    list_filter = ["kind"]
    search_fields = ["case__title", "by_name"]
    list_select_related = ["case"]


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["person", "kind", "case", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]


# django-stubs type this as str; Django takes a lazy text (rendered in each request's language).
admin.site.empty_value_display = _("(none)")  # type: ignore[assignment]
