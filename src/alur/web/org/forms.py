"""The forms a unit's admin fills in to say who holds a position: appointing someone
(definitif, Plt or Plh, from a date, until a date or open-ended) and ending a holding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Person, Position, overlapping


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} — NIP {obj.nip}" if obj.nip else obj.name


class AppointForm(forms.ModelForm):
    """A new holding of `position`; a holding of the same person and kind may not overlap
    one already recorded (it would say the same thing twice)."""

    person = PersonChoice(label=_("Employee"), queryset=Person.objects.order_by("name", "pk"))

    class Meta:
        model = Assignment
        fields = ["person", "kind", "start", "end"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"end": _("Empty: until further notice. A Plh is usually appointed "
                               "for a few days.")}

    def __init__(self, *args: Any, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.position = position
        self.fields["start"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        elif start and data.get("person") and overlapping(
                self.instance.position, data["person"], data.get("kind"), start, end).exists():
            self.add_error(None, _("This employee already holds this position in the same "
                                   "capacity during those dates."))
        return data


class EndForm(forms.Form):
    """The last day someone holds a position (taken from today by default)."""

    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["end"].initial = timezone.localdate()

    def clean_end(self) -> dt.date:
        end: dt.date = self.cleaned_data["end"]
        if end < self.assignment.start:
            raise forms.ValidationError(_("The last day cannot be before the holding began "
                                          "(%(start)s)."),
                                        params={"start": self.assignment.start.strftime(
                                            "%d-%m-%Y")})
        return end
