"""The forms of the monitoring pages: the rows as a formset, a finding, an evidence file, a
new form for a unit and semester."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..cases.forms import ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES
from ..library.models import Sop
from ..org.models import Unit
from ..reports.queries import sop_info
from .models import FollowUp, Judgement, MonitoringForm, MonitoringRow


def _judgement_choices() -> list[tuple[str, Any]]:
    return [("", _("— choose —")), *Judgement.choices]


def _listed_only(form: forms.BaseForm) -> None:
    """Django's own "select a valid choice" names the tampered value and is not translated
    into Indonesian: say it plainly."""
    for field in form.fields.values():
        field.error_messages["invalid_choice"] = _("Choose one of the listed options.")


class RowForm(forms.ModelForm):
    class Meta:
        model = MonitoringRow
        fields = ["procedure", "judgement", "notes", "action", "followed_up", "follow_up_note"]
        widgets = {"procedure": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 3}),
                   "action": forms.Textarea(attrs={"rows": 3}),
                   "follow_up_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgement"].choices = _judgement_choices()  # type: ignore[attr-defined]
        _listed_only(self)
        if not (self.instance and self.instance.previous_action):
            del self.fields["followed_up"]
            del self.fields["follow_up_note"]
        else:
            self.fields["followed_up"].choices = [  # type: ignore[attr-defined]
                ("", _("— choose —")), *FollowUp.choices]
        if self.instance and not self.instance.is_finding:
            # An SOP's row is named by the SOP itself.
            self.fields["procedure"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("judgement") == Judgement.TIDAK_BAIK and not (data.get("action") or
                                                                  "").strip():
            self.add_error("action", _("Say what must be done about a procedure that is not "
                                       "running well."))
        if data.get("followed_up") and not (data.get("follow_up_note") or "").strip() \
                and data.get("followed_up") == "belum":
            self.add_error("follow_up_note", _("Say why the action was not followed up."))
        return data


RowFormSet = forms.modelformset_factory(MonitoringRow, form=RowForm, extra=0, can_delete=False,
                                        edit_only=True)


class FindingForm(forms.ModelForm):
    class Meta:
        model = MonitoringRow
        fields = ["procedure", "sop", "step", "judgement", "notes", "action"]
        labels = {"procedure": _("Finding (procedure observed)"),
                  "sop": _("About the SOP (optional)"), "step": _("Step (optional)")}
        widgets = {"procedure": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2}),
                   "action": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, sops: QuerySet[Sop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sop_field = self.fields["sop"]
        assert isinstance(sop_field, forms.ModelChoiceField)
        sop_field.queryset = sops
        sop_field.label_from_instance = str  # type: ignore[assignment,method-assign]
        self.fields["judgement"].choices = _judgement_choices()  # type: ignore[attr-defined]
        _listed_only(self)
        self.fields["step"].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        step, sop = data.get("step"), data.get("sop")
        if step and not sop:
            self.add_error("step", _("A step belongs to an SOP: choose the SOP too."))
        elif step and sop:
            info = sop_info(sop.pk)
            if info is not None and step not in info.activities:
                self.add_error("step", _("This SOP has no step %(n)s (it has %(max)s steps).")
                               % {"n": step, "max": len(info.activities)})
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    label = forms.CharField(label=_("Description"), max_length=300, required=False,
                            help_text=_("For example: notes of the interview with the "
                                        "performers, photo of the service counter."))
    row = forms.ModelChoiceField(label=_("For row"), queryset=MonitoringRow.objects.none(),
                                 required=False, empty_label=_("The whole form"))

    def __init__(self, *args: Any, form: MonitoringForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        row_field = self.fields["row"]
        assert isinstance(row_field, forms.ModelChoiceField)
        row_field.queryset = form.rows.all()
        _listed_only(self)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not any(name.endswith(ext) for ext in ATTACHMENT_EXTENSIONS):
            raise forms.ValidationError(_("This kind of file is not accepted. Allowed: "
                                          "{kinds}.").format(
                kinds=", ".join(sorted(ATTACHMENT_EXTENSIONS))))
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than {mb} MB.").format(
                mb=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
        return upload


class NewForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(),
                                  empty_label=None)
    period = forms.ChoiceField(label=_("Semester"))

    def __init__(self, *args: Any, units: QuerySet[Unit],
                 periods: list[tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        period_field.choices = [(f"{y}-{s}", _("Semester %(s)s %(y)s") % {
            "s": "I" if s == 1 else "II", "y": y}) for y, s in periods]
        _listed_only(self)

    def clean_period(self) -> tuple[int, int]:
        year, semester = self.cleaned_data["period"].split("-")
        return int(year), int(semester)
