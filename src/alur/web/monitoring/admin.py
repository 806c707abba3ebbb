"""Operators' view of the monitoring forms: read-only (they are filled on the monitoring pages);
a draft may be deleted, a final form never."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import MonitoringForm, MonitoringRow


class RowInline(admin.TabularInline):
    model = MonitoringRow
    fields = readonly_fields = ("number", "procedure", "judgement", "notes", "action",
                                "initialled_name", "initialled_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MonitoringForm)
class MonitoringFormAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "semester", "status", "evaluator_name", "finalised_at"]
    list_filter = ["status", "year", "semester"]
    search_fields = ["unit__name"]
    inlines = [RowInline]
    fields = readonly_fields = ("unit", "year", "semester", "status", "threshold",
                                "created_by", "created_at", "finalised_by", "finalised_at",
                                "evaluator_name", "evaluator_nip")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.final
