"""The ABK page's two forms: the parameters (year, JKE, which end of a range) read from the
query string, and the yearly volume of each SOP. Wrong input gets a message next to its field;
the figures then use the default for that parameter, and say so."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alur.analysis import DEFAULT_JKE_HOURS

from .services import COUNTED, ENTERED, Params, SopLine

_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_WHOLE = re.compile(r"^\d+$")
UPPER, LOWER = "atas", "bawah"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_jke(text: str) -> float:
    """Hours a year from what a person typed: '1250', '1250,5'. Raises ValidationError with a
    message saying what to write instead."""
    text = text.strip()
    if _GROUPED.match(text):
        raise forms.ValidationError(_("Write the hours without a thousands separator, e.g. "
                                      "1250."))
    if not _DECIMAL.match(text.lstrip("-")):
        raise forms.ValidationError(_("Write a number of hours a year, e.g. 1250."))
    hours = float(text.replace(",", "."))
    if hours <= 0 or text.startswith("-"):
        raise forms.ValidationError(_("The effective working time must be more than 0 hours a "
                                      "year (e.g. 1250)."))
    if hours > 8784:
        raise forms.ValidationError(_("A year has no more than 8784 hours; write the effective "
                                      "working time, e.g. 1250."))
    return hours


def parse_volume(text: str) -> int:
    """A yearly volume: a whole number, 0 or more, digits only."""
    text = text.strip()
    if _WHOLE.match(text):
        if len(text) > 9:
            raise forms.ValidationError(_("That number is too large for a yearly volume."))
        return int(text)
    if text.startswith("-") and _WHOLE.match(text[1:]):
        raise forms.ValidationError(_("A volume cannot be negative; write 0 or more."))
    raise forms.ValidationError(_("Write the volume as a whole number, digits only, without a "
                                  "thousands separator, e.g. 1200."))


class ParamsForm(forms.Form):
    tahun = forms.IntegerField(label=gettext_lazy("Year"), required=False,
                               min_value=FIRST_YEAR, max_value=LAST_YEAR)
    jke = forms.CharField(label=gettext_lazy("Effective working time (JKE), hours a year"),
                          required=False, max_length=20,
                          help_text=gettext_lazy("1250 by default (Permenpan RB 1/2020); "
                                                 "1200 and 1300 are used elsewhere."))
    ujung = forms.ChoiceField(label=gettext_lazy("A time range counts its"), required=False,
                              choices=[(UPPER, gettext_lazy("upper end")),
                                       (LOWER, gettext_lazy("lower end"))])

    def __init__(self, data: Any, *, today: dt.date) -> None:
        self.today = today
        # What is not asked (or left empty) shows the default it gets.
        defaults = {"tahun": str(today.year), "jke": format(DEFAULT_JKE_HOURS, "g"),
                    "ujung": UPPER}
        asked = {key: data.get(key, "") for key in defaults}
        super().__init__({key: asked[key].strip() or value for key, value in defaults.items()})

    def clean_jke(self) -> float | None:
        text = self.cleaned_data.get("jke") or ""
        return parse_jke(text) if text.strip() else None

    def params(self) -> Params:
        """The parameters asked, each wrong or missing one replaced by its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Params(year=data.get("tahun") or self.today.year,
                      jke_hours=data.get("jke") or DEFAULT_JKE_HOURS,
                      upper=data.get("ujung") != LOWER)

    def query(self, params: Params) -> dict[str, str]:
        """The query string that asks for `params` again."""
        return {"tahun": str(params.year), "jke": format(params.jke_hours, "g"),
                "ujung": UPPER if params.upper else LOWER}


class VolumesForm(forms.Form):
    """Per SOP: where its volume comes from (nothing yet, entered, counted from the cases)
    and the number entered. Fields `sumber-<pk>` and `volume-<pk>`."""

    def __init__(self, *args: Any, lines: Sequence[SopLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            pk = line.sop.pk
            self.fields[f"sumber-{pk}"] = forms.ChoiceField(
                label=_("Volume of {sop} from").format(sop=line.name), required=False,
                initial=line.chosen or "",
                choices=[("", _("not filled in yet")), (ENTERED, _("the number entered")),
                         (COUNTED, _("the cases ({n})").format(n=line.counted))])
            self.fields[f"volume-{pk}"] = forms.CharField(
                label=_("Volume a year of {sop}").format(sop=line.name), required=False,
                max_length=20, initial="" if line.entered is None else str(line.entered))

    def rows(self) -> list[tuple[SopLine, forms.BoundField, forms.BoundField]]:
        return [(line, self[f"sumber-{line.sop.pk}"], self[f"volume-{line.sop.pk}"])
                for line in self.lines]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for line in self.lines:
            pk = line.sop.pk
            source = data.get(f"sumber-{pk}", "")
            text = (data.get(f"volume-{pk}") or "").strip()
            number: int | None = None
            if text:
                try:
                    number = parse_volume(text)
                except forms.ValidationError as error:
                    self.add_error(f"volume-{pk}", error)
                    continue
            elif source == ENTERED:
                self.add_error(f"volume-{pk}", _("Fill in the volume a year, or choose to "
                                                  "count it from the cases."))
                continue
            data[f"volume-{pk}"] = number
        return data

    def chosen(self) -> dict[int, tuple[str, int | None]]:
        return {line.sop.pk: (self.cleaned_data.get(f"sumber-{line.sop.pk}") or "",
                              self.cleaned_data.get(f"volume-{line.sop.pk}"))
                for line in self.lines}
