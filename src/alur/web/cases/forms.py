"""The forms people fill in while running a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..org.models import Person
from .models import Attachment

MAX_ATTACHMENT_BYTES = getattr(settings, "ALUR_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg",
                         ".jpeg", ".png", ".txt", ".csv", ".zip"}


class StartForm(forms.Form):
    title = forms.CharField(label=_("Title of the request"), max_length=300, required=False,
                            help_text=_("For example: Cuti tahunan Budi, 1–5 Desember. "
                                        "Empty: the SOP name and your name."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))


class CompleteForm(forms.Form):
    """Finishing a task: a decision where the step asks one, and every required input ticked
    unless the answer is "Tidak" — a completeness check answered No is exactly the case where
    something is missing, so the checklist gates only "Ya" and plain completion."""

    decision = forms.ChoiceField(required=False, choices=[("ya", _("Yes")),
                                                          ("tidak", _("No"))])
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, inputs: list[str], outputs: list[str], is_decision: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_decision = is_decision
        self.fields["inputs"] = forms.MultipleChoiceField(
            label=_("Required inputs"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(str(i), text) for i, text in enumerate(inputs)])
        self.fields["outputs"] = forms.MultipleChoiceField(
            label=_("Outputs produced"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(str(i), text) for i, text in enumerate(outputs)])
        self.input_count = len(inputs)
        self.output_names = outputs

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        answered_no = self.is_decision and data.get("decision") == "tidak"
        if not answered_no and len(data.get("inputs") or []) != self.input_count:
            self.add_error("inputs", _("Tick every required input before finishing the step."))
        if self.is_decision and data.get("decision") not in ("ya", "tidak"):
            self.add_error("decision", _("This step is a decision: choose Yes or No."))
        if not self.is_decision:
            data["decision"] = None
        data["output_names"] = [self.output_names[int(i)] for i in data.get("outputs") or []]
        return data


class AttachmentForm(forms.Form):
    role = forms.ChoiceField(label=_("Kind"), choices=Attachment.Role.choices)
    label = forms.CharField(label=_("For"), max_length=300, required=False)
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> UploadedFile:
        # FileField has refused a part without a name or without bytes already.
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


class ReassignForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Hand over to"), queryset=Person.objects.none())
    comment = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)  # declared just above
        field.queryset = people


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
