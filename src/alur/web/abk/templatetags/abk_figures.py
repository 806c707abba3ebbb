"""The ABK's figures as people read them: Indonesian number format, "tidak diketahui" for
what cannot be computed (never 0)."""

from __future__ import annotations

from django import template

from alur.analysis import format_hours, format_number, unknown

register = template.Library()


@register.filter
def number(value: float | None, decimals: int = 0) -> str:
    return unknown() if value is None else format_number(value, int(decimals))


@register.filter
def hours(minutes: float | None) -> str:
    return unknown() if minutes is None else format_hours(minutes)


@register.filter
def trimmed(value: float | None) -> str:
    """'1.250', '1.250,5': up to two decimals, none shown when they are zero."""
    return unknown() if value is None else format_number(value, 2, trim=True)
