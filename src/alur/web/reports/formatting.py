"""Figures in words for the report pages, in the page's language: working minutes as days,
hours and minutes of the standard working day (7,5 jam), rates as percentages."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAY_MINUTES = 450  # the national working day, 7.5 hours (alur.sop.duration)


def minutes_text(minutes: float | None, *, short: bool = False) -> str:
    """'1 hari 2 jam 10 menit' for 580; with `short` the largest unit only ('1,3 hari');
    'tidak diketahui' for None."""
    if minutes is None:
        return _("unknown")
    value = int(minutes + 0.5)  # half up: a median of 10,5 minutes reads 11
    if short:
        if value >= DAY_MINUTES:
            return _("%(n)s d") % {"n": _one_decimal(value / DAY_MINUTES)}
        if value >= 60:
            return _("%(n)s h") % {"n": _one_decimal(value / 60)}
        return _("%(n)s min") % {"n": value}
    days, rest = divmod(value, DAY_MINUTES)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    if hours:
        parts.append(_("%(n)s h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)s min") % {"n": mins})
    return " ".join(parts)


def percent_text(rate: float | None) -> str:
    if rate is None:
        return _("unknown")
    return f"{_one_decimal(rate * 100)}%"


def times_text(ratio: float | None) -> str:
    """A median against its standard: '× 1,05'."""
    if ratio is None:
        return _("unknown")
    return "× " + number_format(round(ratio, 2), 2)


def _one_decimal(value: float) -> str:
    """One decimal, none when it is zero: '92,5', '100'."""
    rounded = round(value, 1)
    return number_format(rounded, 0 if rounded == int(rounded) else 1)
