from __future__ import annotations

from django import template

from ..formatting import minutes_text, percent_text, times_text

register = template.Library()


@register.filter
def minutes(value: float | None) -> str:
    return minutes_text(value)


@register.filter
def percent(value: float | None) -> str:
    return percent_text(value)


@register.filter
def times(value: float | None) -> str:
    return times_text(value)
