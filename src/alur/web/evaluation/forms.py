"""The evaluation form: Ya/Tidak and notes for each criterion, the result and its reason.
Saving keeps what is filled in; finalising needs every answer, the result and the reason,
and says next to each field what is missing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .criteria import CRITERIA, NUMBERS
from .models import Answer, Evaluation

YES, NO = "ya", "tidak"
NOTES_MAX = 2000
REASON_MAX = 4000


def _answer_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False,
                             choices=[(YES, _("Yes")), (NO, _("No"))],
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))


class EvaluationForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), required=False,
                               choices=[("", _("— choose —")), *Evaluation.Result.choices])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, finalising: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finalising = finalising
        for number, text in CRITERIA:
            self.fields[f"kriteria_{number}"] = _answer_field(text)
            self.fields[f"catatan_{number}"] = forms.CharField(
                label=_("Notes on criterion %(n)s") % {"n": number}, required=False,
                max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def initial_from(cls, evaluation: Evaluation | None, answers: dict[int, Answer],
                     proposed: str | None) -> dict[str, Any]:
        initial: dict[str, Any] = {"result": (evaluation.result if evaluation else "")
                                   or proposed or "",
                                   "reason": evaluation.reason if evaluation else ""}
        for number in NUMBERS:
            answer = answers.get(number)
            if answer is not None:
                initial[f"kriteria_{number}"] = {True: YES, False: NO}.get(
                    answer.meets, "")  # type: ignore[arg-type]
                initial[f"catatan_{number}"] = answer.notes
        return initial

    def rows(self) -> list[tuple[int, Any, forms.BoundField, forms.BoundField]]:
        """(number, criterion, answer field, notes field) for the table."""
        return [(number, text, self[f"kriteria_{number}"], self[f"catatan_{number}"])
                for number, text in CRITERIA]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.finalising:
            return data
        for number in NUMBERS:
            if not data.get(f"kriteria_{number}") and f"kriteria_{number}" not in self.errors:
                self.add_error(f"kriteria_{number}",
                               _("Answer Yes or No before finalising."))
        if not data.get("result") and "result" not in self.errors:
            self.add_error("result", _("Choose the result before finalising."))
        if not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", _("Write the reason for the result before finalising."))
        return data

    def answers(self) -> dict[int, tuple[bool | None, str]]:
        data = self.cleaned_data
        return {n: ({YES: True, NO: False}.get(data.get(f"kriteria_{n}") or ""),
                    (data.get(f"catatan_{n}") or "").strip()) for n in NUMBERS}

    def meets(self) -> dict[int, bool | None]:
        return {n: meets for n, (meets, _notes) in self.answers().items()}
