"""Figures as people read them: Indonesian number format and working time in days and hours.

Indonesian writes 1.250 for a thousand two hundred and fifty and 0,85 for a decimal; the core
has no Django (and so no `django.utils.formats`) and needs no locale package for two
separators. English, when asked for (`ALUR_LANGUAGE=en`), gets 1,250 and 0.85.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from alur.i18n import _, get_language, ngettext
from alur.sop.duration import DEFAULT_CALENDAR, WorkCalendar

__all__ = ["format_hours", "format_minutes", "format_number", "unknown"]

_INDONESIAN = str.maketrans(",.", ".,")


def format_number(value: float, decimals: int = 0, *, trim: bool = False) -> str:
    """`value` rounded half up to `decimals` places: '1.250', '0,85' ('1,250', '0.85' in
    English). `trim` drops trailing zeros of the decimals ('92,5' rather than '92,50')."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(number):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if get_language() != "en":
        text = text.translate(_INDONESIAN)
    return ("-" if number < 0 else "") + text


def unknown() -> str:
    """What a figure that cannot be computed reads as: never a zero."""
    return _("unknown")


def format_hours(minutes: float) -> str:
    """'1.250 jam', '92,5 jam'."""
    return _("{n} h").format(n=format_number(minutes / 60, 2, trim=True))


def format_minutes(minutes: int | None, calendar: WorkCalendar = DEFAULT_CALENDAR) -> str:
    """Working minutes as days, hours and minutes of the working calendar: '1 hari 2 jam
    10 menit' for 580 (a day is 7,5 jam = 450 menit), '45 menit', 'tidak diketahui' for None."""
    if minutes is None:
        return unknown()
    day = round(calendar.unit_minutes("hari"))
    hour = round(calendar.unit_minutes("jam"))
    days, rest = divmod(minutes, day)
    hours, mins = divmod(rest, hour)
    parts = []
    if days:
        parts.append(ngettext("{n} day", "{n} days", days).format(n=format_number(days)))
    if hours:
        parts.append(_("{n} h").format(n=hours))
    if mins or not parts:
        parts.append(_("{n} min").format(n=mins))
    return " ".join(parts)
