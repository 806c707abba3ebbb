"""The SOP editor's form as Django forms: the identity fields, a formset of actor columns and
a formset of steps, so every posted value is checked in one place and a bad one is a message
next to its field, never a 500.

The forms check what a browser can get wrong or a tamperer can forge (a step number that is
not a number, an unknown step type, the hidden provenance of a step that is not the JSON the
page wrote, a forged form count); what the SOP means (ids, dates, references between steps) is
the model's to judge, and `EditorForms.attach` puts its messages next to the same fields.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as ModelError

from alur.sop import Sop as SopModel
from alur.sop import from_data, to_data
from alur.sop.findings import Finding
from alur.sop.model import Source, StepKind
from alur.sop.slug import slugify

# Steps the editor takes in one post: beyond this the formset refuses the post with a message
# (Django's own cap, made explicit) instead of reading an unbounded number of rows.
MAX_STEPS = 1000
MAX_ACTORS = 200

LISTS = [("legal_basis", _("Legal basis")),
         ("qualifications", _("Actor qualifications")),
         ("related", _("Related SOPs")),
         ("equipment", _("Equipment")),
         ("warnings", _("Warnings")),
         ("records", _("Records and data keeping"))]
EXIT_SIDES = [("", _("as drawn")), ("left", _("left")), ("right", _("right")),
              ("bottom", _("bottom"))]
# The side of its target a decision's exit enters by.
ENTRY_SIDES = [("", _("as drawn")), ("left", _("left")), ("right", _("right")),
               ("top", _("top")), ("bottom", _("bottom"))]
# Above or below an exit that leaves sideways; left or right of one that leaves downwards.
LABEL_SIDES = [("", _("as drawn")), ("above", _("above")), ("below", _("below")),
               ("left", _("left")), ("right", _("right"))]
# Every step kind, in the order the step type select offers them.
KIND_LABELS: dict[StepKind, Promise] = {"start": _("Start"), "process": _("Process"),
                                        "decision": _("Decision"), "end": _("End")}
DATE_KEYS = ("created", "revised", "effective")
APPROVER_KEYS = ("title", "name", "nip")
EXTRA_KEYS = {"inferred", "actors", "source"}
_FULL_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The model's message for a field starts with where it is ('dates.created': …): next to the
# field that is noise.
_LOCATION_PREFIX = re.compile(r"^'[^']*':\s*")


def revision_of(content: dict[str, Any]) -> str:
    """A draft's revision: a hash of its stored content, so a save can tell whether the draft
    changed since the page was opened (no timestamp needed, equal content is equal)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def without_location(message: str) -> str:
    """A model message without its leading key path, for showing next to the field."""
    text = _LOCATION_PREFIX.sub("", message, count=1)
    return text[:1].upper() + text[1:] if text else message


def style(form: forms.Form, small: bool = False) -> None:
    """Bootstrap's classes on a form's widgets (a select, a check box or a text control)."""
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + size
        widget.attrs["class"] = css


def mark_invalid(form: forms.Form) -> None:
    """Bootstrap's is-invalid on the widgets of fields with a message."""
    for name in form.errors:
        if name in form.fields:
            field = form.fields[name] = copy.deepcopy(form.fields[name])  # may be shared
            form._bound_fields_cache.pop(name, None)  # type: ignore[attr-defined]
            widget = field.widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


def lines(text: str) -> list[str]:
    """A textarea's non-empty lines, trimmed."""
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _is_date(text: str) -> bool:
    if not _FULL_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class DateOrMonthInput(forms.TextInput):
    """A date picker for a full date, a month picker for `YYYY-MM` (a text box where the
    browser has none), and a text box for a value that is neither, so what was typed stays."""

    input_type = "date"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text = "" if value is None else str(value)
        kind = "date" if not text or _is_date(text) else "month" if _MONTH.match(text) else "text"
        context["widget"]["type"] = kind
        context["widget"]["attrs"]["data-tanggal"] = kind if kind != "text" else "date"
        return context


class DateOrMonthField(forms.CharField):
    """A date as the format keeps it: `YYYY-MM-DD`, or `YYYY-MM` when only the month is
    known; anything else is a message next to the field."""

    widget = DateOrMonthInput
    default_error_messages = {
        "invalid": _("Enter a date (day, month and year) or a month (YYYY-MM)."),
        "calendar": _("This date does not exist in the calendar.")}

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if not text:
            return ""
        if not (_FULL_DATE.match(text) or _MONTH.match(text)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(text) == 10 and not _is_date(text):
            raise forms.ValidationError(self.error_messages["calendar"], code="calendar")
        return text


class IdentityForm(forms.Form):
    """The SOP's identity sheet: name, number, agency, dates, approver and the lists."""

    name = forms.CharField(required=False, label=_("SOP name"))
    number = forms.CharField(required=False, label=_("SOP number"))
    organization = forms.CharField(required=False, widget=_text_area(),
                                   label=_("Agency (one line per level)"))
    date_created = DateOrMonthField(required=False, label=_("Date created"))
    date_revised = DateOrMonthField(required=False, label=_("Date revised"))
    date_effective = DateOrMonthField(required=False, label=_("Effective date"))
    approver_title = forms.CharField(required=False, label=_("Approved by (position)"))
    approver_name = forms.CharField(required=False, label=_("Name"))
    approver_nip = forms.CharField(required=False, label=_("NIP"), widget=forms.TextInput(
        attrs={"inputmode": "numeric"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")  # ids as the page always had them (#name, #number)
        super().__init__(*args, **kwargs)
        for key in DATE_KEYS:
            self.fields[f"date_{key}"].widget.attrs["placeholder"] = "YYYY-MM-DD"
        for key, label in LISTS:
            self.fields[key] = forms.CharField(required=False, widget=_text_area(), label=label)
        style(self)

    @staticmethod
    def initial_for(data: dict[str, Any]) -> dict[str, str]:
        dates, approver = data.get("dates") or {}, data.get("approved_by") or {}
        return {"name": data.get("name") or "", "number": data.get("number") or "",
                "organization": "\n".join(data.get("organization") or []),
                **{f"date_{k}": dates.get(k) or "" for k in DATE_KEYS},
                **{f"approver_{k}": approver.get(k) or "" for k in APPROVER_KEYS},
                **{key: "\n".join(data.get(key) or []) for key, _label in LISTS}}

    def list_fields(self) -> list[forms.BoundField]:
        return [self[key] for key, _label in LISTS]

    def data_part(self) -> dict[str, Any]:
        """The identity as `alur-sop/1` keys (call after is_valid)."""
        clean = self.cleaned_data
        return {"name": clean["name"], "number": clean["number"],
                "organization": lines(clean["organization"]),
                "dates": {k: clean[f"date_{k}"] or None for k in DATE_KEYS},
                "approved_by": {k: clean[f"approver_{k}"] for k in APPROVER_KEYS},
                **{key: lines(clean[key]) for key, _label in LISTS}}


class ActorForm(forms.Form):
    """One actor column: its id, its title, and whether it is the applicant (whoever starts
    the case, `Actor.applicant`) — the author decides it here."""

    id = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"aria-label": _("Actor ID")}))
    name = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"aria-label": _("Actor name")}))
    applicant = forms.BooleanField(required=False, widget=forms.CheckboxInput(
        attrs={"aria-label": _("Applicant (who starts the case)")}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=True)

    def clean(self) -> dict[str, Any]:
        """A new column needs only its title: its id is made from it (the id column is
        hidden behind 'advanced')."""
        data = super().clean() or {}
        if not data.get("id") and data.get("name"):
            data["id"] = slugify(data["name"])
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("id") and not data.get("name")


class CountedFormSet(forms.BaseFormSet):
    """A formset whose posted row count must be a count: Django takes a negative TOTAL_FORMS
    as 'no rows', which would save an SOP without its actors or steps."""

    def clean(self) -> None:
        super().clean()
        count: int = self.management_form.cleaned_data.get(forms.formsets.TOTAL_FORM_COUNT) or 0
        if count < 0:
            raise forms.ValidationError(_("The form was changed outside the page; reload it."),
                                        code="invalid_count")


class BaseActorFormSet(CountedFormSet):
    def data_part(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The actors as `alur-sop/1` data, skipping blank rows, and for each the index of its
        form (to put the model's messages next to the right row)."""
        actors, rows = [], []
        for index, form in enumerate(self.forms):
            if form.is_blank():
                continue
            clean = form.cleaned_data
            actor = {"id": clean["id"], "name": clean["name"]}
            if clean["applicant"]:
                actor["applicant"] = True
            actors.append(actor)
            rows.append(index)
        return actors, rows


ActorFormSet = cast(type[BaseActorFormSet], forms.formset_factory(
    ActorForm, formset=BaseActorFormSet, extra=1, max_num=MAX_ACTORS, absolute_max=MAX_ACTORS,
    validate_max=True))


def _posted_text(field: forms.Field, value: Any) -> str:
    """A posted value as text without surrounding spaces, as `CharField` reads it. The fields
    below read text but clean it to other types, so they are `Field`s, not `CharField`s (whose
    `to_python` returns a str)."""
    return "" if value in field.empty_values else str(value).strip()


class StepNumberField(forms.Field):
    """A step number, or empty: anything else is a message here rather than the model's."""

    default_error_messages = {"invalid": _("Enter a step number (a whole number).")}

    def to_python(self, value: Any) -> int | None:
        text = _posted_text(self, value)
        if not text:
            return None
        if not text.isdigit() or len(text) > 9:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class ExtraField(forms.Field):
    """The step's hidden provenance, as the page wrote it: which fields the importer inferred,
    the actors it inferred them as, and where the step was read. The browser never changes it,
    so anything else was forged or damaged."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": _(
        "This step's hidden data (where it was read, what was inferred) was damaged and has "
        "been cleared; save again to keep the step without it.")}

    def to_python(self, value: Any) -> dict[str, Any]:
        text = _posted_text(self, value)
        if not text:
            return {}
        try:
            extra = json.loads(text)
        except (ValueError, RecursionError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not self._well_formed(extra):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return extra

    @staticmethod
    def _well_formed(extra: Any) -> bool:
        if not isinstance(extra, dict) or not set(extra) <= EXTRA_KEYS:
            return False
        for key in ("inferred", "actors"):
            value = extra.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return False
        source = extra.get("source")
        if source is not None:
            try:
                Source.model_validate(source)
            except ModelError:
                return False
        return True


def extra_text(step: dict[str, Any]) -> str:
    """The hidden provenance field of a step, as `ExtraField` reads it back."""
    return json.dumps({"inferred": step.get("inferred") or [], "actors": step.get("actors") or [],
                       "source": step.get("source")})


def activity_text(activity: str | list[str] | None) -> str:
    if isinstance(activity, list):
        return "\n".join(f"- {a}" for a in activity)
    return activity or ""


_SMALL = "form-control form-control-sm"


def _small_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={**attrs, "class": _SMALL})


def _side_choice(choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(required=False, choices=choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


class StepForm(forms.Form):
    """One row of the steps grid (number, activity, an actor per column, type, time, output);
    the rest (requirements, notes, branch targets, called SOP, joint finish) are its details."""

    # Bootstrap's classes and the grid cells' labels are set here once, not per row: a large
    # SOP's preview builds a form per step at every keystroke.
    number = StepNumberField(required=False, widget=forms.TextInput(attrs={
        "size": 3, "inputmode": "numeric", "class": _SMALL, "aria-label": _("Step number")}))
    kind = forms.ChoiceField(required=False, choices=list(KIND_LABELS.items()),
                             widget=forms.Select(attrs={"class": "form-select form-select-sm",
                                                        "aria-label": _("Type")}))
    on_yes = StepNumberField(required=False, widget=_small_input(size=3))
    on_no = StepNumberField(required=False, widget=_small_input(size=3))
    next = StepNumberField(required=False, widget=_small_input(size=3))
    # A decision's exits in its own words ("Lengkap" / "Tidak lengkap"); empty: Ya / Tidak.
    label_yes = forms.CharField(required=False, max_length=60,
                                widget=_small_input(size=10, placeholder="Ya"))
    label_no = forms.CharField(required=False, max_length=60,
                               widget=_small_input(size=10, placeholder="Tidak"))
    # The sides a decision's exits leave and enter by, and where their words sit, when the
    # author chooses them (`layout`).
    exit_yes = _side_choice(EXIT_SIDES)
    exit_no = _side_choice(EXIT_SIDES)
    entry_yes = _side_choice(ENTRY_SIDES)
    entry_no = _side_choice(ENTRY_SIDES)
    label_yes_side = _side_choice(LABEL_SIDES)
    label_no_side = _side_choice(LABEL_SIDES)
    activity = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={
        "rows": 2, "class": _SMALL, "aria-label": _("Activity")}))
    actors = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    inputs = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2,
                                                                          "class": _SMALL}))
    time = forms.CharField(required=False, widget=forms.TextInput(attrs={
        "size": 8, "class": _SMALL, "aria-label": _("Time")}))
    outputs = forms.CharField(required=False, widget=forms.Textarea(attrs={
        "rows": 2, "class": _SMALL, "aria-label": _("Output")}))
    notes = forms.CharField(required=False, widget=_small_input())
    # Internal: the editor's reasoning, a reviewer's remark; never printed (Keterangan is notes).
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2,
                                                                           "class": _SMALL}))
    calls = forms.CharField(required=False, widget=_small_input())
    joint = forms.ChoiceField(required=False, choices=[
        ("", _("any one of them finishes")), ("all", _("all of them have finished"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    extra = ExtraField(required=False)

    def __init__(self, *args: Any, actor_choices: list[tuple[str, str]],
                 shared: dict[str, forms.Field] | None = None, **kwargs: Any) -> None:
        if shared is not None:
            # The rows of one formset share their (read-only) fields instead of each copying
            # all fourteen: most of a large SOP's preview time. A field given a per-row change
            # (`mark_invalid`) is copied first.
            self.base_fields = {}  # type: ignore[misc]
        super().__init__(*args, **kwargs)
        if shared is not None:
            self.fields = dict(shared)
            return
        field = self.fields["actors"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = actor_choices

    @classmethod
    def shared_fields(cls, actor_choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        """One copy of the fields, with the actor choices, for every row of a formset."""
        fields = copy.deepcopy(cls.base_fields)
        actors = fields["actors"]
        assert isinstance(actors, forms.MultipleChoiceField)
        actors.choices = actor_choices
        return fields

    @staticmethod
    def initial_for(step: dict[str, Any]) -> dict[str, Any]:
        return {"number": step.get("number") or "", "kind": step.get("kind") or "process",
                "on_yes": step.get("on_yes") or "", "on_no": step.get("on_no") or "",
                "next": step.get("next") or "", "activity": activity_text(step.get("activity")),
                "label_yes": (step.get("labels") or {}).get("yes") or "",
                "label_no": (step.get("labels") or {}).get("no") or "",
                "exit_yes": (step.get("layout") or {}).get("yes") or "",
                "exit_no": (step.get("layout") or {}).get("no") or "",
                "entry_yes": (step.get("layout") or {}).get("yes_in") or "",
                "entry_no": (step.get("layout") or {}).get("no_in") or "",
                "label_yes_side": (step.get("layout") or {}).get("yes_label") or "",
                "label_no_side": (step.get("layout") or {}).get("no_label") or "",
                "actors": list(step.get("actors") or []),
                "inputs": "\n".join(step.get("inputs") or []), "time": step.get("time") or "",
                "outputs": "\n".join(step.get("outputs") or []),
                "notes": step.get("notes") or "", "calls": step.get("calls") or "",
                "comment": step.get("comment") or "",
                "joint": "all" if step.get("joint") == "all" else "",
                "extra": extra_text(step)}

    def provenance(self) -> dict[str, Any]:
        """The hidden extras as far as they can be read (for the 'inferred' badge)."""
        if self.is_bound and "extra" in getattr(self, "cleaned_data", {}):
            return self.cleaned_data["extra"]
        raw = self["extra"].value()
        try:
            value = json.loads(raw) if raw else {}
        except (TypeError, ValueError, RecursionError):
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def inferred_actors(self) -> bool:
        inferred = self.provenance().get("inferred")
        return isinstance(inferred, list) and "actors" in inferred

    def step_data(self) -> dict[str, Any]:
        """The step as `alur-sop/1` data (call after is_valid). Actors the importer inferred
        stay marked inferred only while the author leaves them as they were."""
        clean, extra = self.cleaned_data, self.cleaned_data["extra"]
        actors = clean["actors"]
        inferred = [f for f in extra.get("inferred", [])
                    if not (f == "actors" and sorted(actors) != sorted(extra.get("actors", [])))]
        activity = [a.removeprefix("- ").strip() for a in lines(clean["activity"])]
        return {
            "number": clean["number"],
            "activity": activity if len(activity) > 1 else (activity[0] if activity else ""),
            "actors": actors, "kind": clean["kind"] or "process",
            "inputs": lines(clean["inputs"]), "time": clean["time"] or None,
            "outputs": lines(clean["outputs"]), "notes": clean["notes"],
            "comment": clean["comment"].strip(),
            "next": clean["next"], "on_yes": clean["on_yes"], "on_no": clean["on_no"],
            "labels": {"yes": clean["label_yes"].strip(), "no": clean["label_no"].strip()},
            "layout": {"yes": clean["exit_yes"] or None, "no": clean["exit_no"] or None,
                       "yes_in": clean["entry_yes"] or None, "no_in": clean["entry_no"] or None,
                       "yes_label": clean["label_yes_side"] or None,
                       "no_label": clean["label_no_side"] or None},
            "calls": clean["calls"] or None, "joint": clean["joint"] or None,
            "inferred": inferred, "source": extra.get("source"),
        }


class BaseStepFormSet(CountedFormSet):
    def __init__(self, *args: Any, actor_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        self.actor_choices = actor_choices
        self.shared = StepForm.shared_fields(actor_choices)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"actor_choices": self.actor_choices, "shared": self.shared}

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        """Every posted row is a step: a row the page added is checked like the others, not
        skipped as an untouched extra form (whose data would then be missing)."""
        # django-stubs leaves out BaseFormSet's private _construct_form.
        form: forms.Form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        form.empty_permitted = False
        return form


StepFormSet = cast(type[BaseStepFormSet], forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=0, max_num=MAX_STEPS, absolute_max=MAX_STEPS,
    validate_max=True))

# Actors a step's row may tick, on average over the steps, within `max_fields`.
TICKS_PER_STEP = 8
# The page's fields besides the forms': the CSRF token, the revision, the page's copy of the
# draft, the mode, with room to spare.
PAGE_FIELDS = 10


def max_fields() -> int:
    """The fields one post of the editor's form may carry: the identity, both management
    forms, MAX_ACTORS actor rows and MAX_STEPS step rows ticking TICKS_PER_STEP actors each on
    average — about 24,600. Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000, for every other
    form) is passed by a 60-step SOP, whose form has some 1,060 fields; the editor's endpoints
    read up to this many instead (alur.web.field_limits), so a post the formsets take is never
    refused for its number of fields, and one the formsets cannot take is said in a message."""
    identity = len(IdentityForm().fields)
    management = len(ActorFormSet().management_form.fields) * 2
    step = len(StepForm.base_fields) - 1 + TICKS_PER_STEP  # the actors' ticks counted apart
    return (PAGE_FIELDS + identity + management + MAX_ACTORS * len(ActorForm.base_fields)
            + MAX_STEPS * step)

# Where the model's complaints go: a key of the document → (form part, field).
_IDENTITY_KEYS = {"name": "name", "number": "number", "organization": "organization",
                  **{key: key for key, _label in LISTS}}
_STEP_KEYS = {"number", "kind", "on_yes", "on_no", "next", "activity", "actors", "inputs",
              "time", "outputs", "notes", "calls", "joint", "comment"}


class EditorForms:
    """The identity form and the two formsets of one editor page, bound to a post or filled
    from a document; `document_data` turns a valid post into `alur-sop/1` data."""

    def __init__(self, base: SopModel, data: Any = None, *,
                 document: dict[str, Any] | None = None) -> None:
        self.base = base
        # A bound page shows what was posted: the document's values are not needed as initial
        # values (working them out for every step is most of a large SOP's preview time).
        shown = document if document is not None else \
            to_data(base, full=True) if data is None else {}
        self.identity = IdentityForm(data, initial=IdentityForm.initial_for(shown))
        self.actors = ActorFormSet(
            data, prefix="actor", auto_id="",
            initial=[{"id": a.get("id", ""), "name": a.get("name", ""),
                      "applicant": bool(a.get("applicant"))} for a in shown.get("actors") or []])
        self.steps = StepFormSet(
            data, prefix="step", auto_id="", actor_choices=self._actor_choices(data, shown),
            initial=[StepForm.initial_for(s) for s in shown.get("steps") or []] or None)
        self.unplaced: list[str] = []  # messages no field could take (the model's, a forgery)
        self._actor_rows: list[int] = []

    def _actor_choices(self, data: Any, shown: dict[str, Any]) -> list[tuple[str, str]]:
        """The step rows' actor checkboxes: the columns as posted (an actor typed in the last
        row shows after a save), then any other id a step of the version names."""
        choices: dict[str, str] = {}
        if data is not None and self.actors.is_valid():
            for form in self.actors.forms:
                if not form.is_blank():
                    choices.setdefault(form.cleaned_data["id"], form.cleaned_data["name"])
        else:
            for actor in shown.get("actors") or [a.model_dump() for a in self.base.actors]:
                choices.setdefault(actor.get("id", ""), actor.get("name", ""))
        # An id no column has any more (renamed in the table) stays a box while a step of the
        # saved version names it, so its tick is not dropped unseen (the checker reports the
        # unknown actor); an id the page never offered is still refused.
        known = {actor.id: actor.name for actor in self.base.actors}
        for step in self.base.steps:
            for actor_id in step.actors:
                choices.setdefault(actor_id, known.get(actor_id, actor_id))
        return list(choices.items())

    def forged_counts(self) -> bool:
        """Whether a formset's row count cannot be right (not a number, below zero, over the
        cap): its rows cannot be shown as posted."""
        for formset in (self.actors, self.steps):
            if not formset.management_form.is_valid():
                return True
            count = formset.management_form.cleaned_data[forms.formsets.TOTAL_FORM_COUNT]
            if count is None or not 0 <= count <= (formset.absolute_max or 0):
                return True
        return False

    def is_valid(self) -> bool:
        valid = [self.identity.is_valid(), self.actors.is_valid(), self.steps.is_valid()]
        return all(valid)

    def document_data(self) -> dict[str, Any]:
        """The posted SOP as `alur-sop/1` data; fields the form does not show (id, sections,
        provenance) come from the version being edited. Call after `is_valid`."""
        data = to_data(self.base, full=True)
        data.update(self.identity.data_part())
        data["actors"], self._actor_rows = self.actors.data_part()
        data["steps"] = [form.step_data() for form in self.steps.forms]
        return data

    def validate(self) -> tuple[SopModel | None, list[Finding]]:
        """The document the valid post makes, or None with the model's messages, each also
        put next to the field it is about."""
        data = self.document_data()
        result = from_data(data)
        if result.sop is not None:
            return result.sop, []
        try:
            SopModel.model_validate(data)
            locations: list[tuple[Any, ...]] = [()] * len(result.findings)
        except ModelError as exc:
            locations = [tuple(e["loc"]) for e in exc.errors(include_url=False)]
        if len(locations) != len(result.findings):
            locations = [()] * len(result.findings)
        for finding, loc in zip(result.findings, locations, strict=True):
            if not self.attach(loc, finding.message):
                self.unplaced.append(finding.message)
        return None, result.findings

    def attach(self, loc: tuple[Any, ...], message: str) -> bool:
        """Put a model message next to the field `loc` names; False when none does."""
        if not loc:
            return False
        head = loc[0]
        message = without_location(message)
        if head in _IDENTITY_KEYS:
            self.identity.add_error(_IDENTITY_KEYS[head], message)
            return True
        if head in ("dates", "approved_by") and len(loc) > 1 and isinstance(loc[1], str):
            field = f"{'date' if head == 'dates' else 'approver'}_{loc[1]}"
            if field in self.identity.fields:
                self.identity.add_error(field, message)
                return True
        if head == "actors" and len(loc) > 2 and isinstance(loc[1], int) \
                and loc[1] < len(self._actor_rows) and loc[2] in ("id", "name", "applicant"):
            self.actors.forms[self._actor_rows[loc[1]]].add_error(loc[2], message)
            return True
        if head == "steps" and len(loc) > 1 and isinstance(loc[1], int) \
                and loc[1] < len(self.steps.forms):
            name: str | None = loc[2] if len(loc) > 2 and loc[2] in _STEP_KEYS else None
            if name is None and len(loc) > 2 and loc[2] in ("inferred", "source"):
                name = "extra"
            if name is None and len(loc) > 3 and loc[2] == "labels" and loc[3] in ("yes", "no"):
                name = f"label_{loc[3]}"
            if name is None:
                return False
            self.steps.forms[loc[1]].add_error(name, message)
            return True
        return False

    def mark_invalid(self) -> None:
        """Bootstrap's is-invalid on every field with a message (call before rendering)."""
        for form in (self.identity, *self.actors.forms, *self.steps.forms):
            mark_invalid(form)

    def errors(self) -> list[str]:
        """Every message of the forms, for the box above the form and the preview."""
        found: list[str] = []
        for form in (self.identity, *self.actors.forms, *self.steps.forms):
            for field_errors in form.errors.values():
                found.extend(str(e) for e in field_errors)
        found.extend(str(e) for e in self.actors.non_form_errors())
        found.extend(str(e) for e in self.steps.non_form_errors())
        return found + self.unplaced


def form_fields(document: SopModel) -> dict[str, Any]:
    """The editor's fields for a document, as a browser posts them (lists for repeated
    fields): for tests, benchmarks and API clients."""
    data = to_data(document, full=True)
    post: dict[str, Any] = {
        key: value for key, value in IdentityForm.initial_for(data).items()}
    post["revision"] = revision_of(data)
    actors = data.get("actors") or []
    post.update({"actor-TOTAL_FORMS": str(len(actors)), "actor-INITIAL_FORMS": str(len(actors)),
                 "actor-MIN_NUM_FORMS": "0", "actor-MAX_NUM_FORMS": str(MAX_ACTORS)})
    for index, actor in enumerate(actors):
        post[f"actor-{index}-id"] = actor["id"]
        post[f"actor-{index}-name"] = actor["name"]
        if actor.get("applicant"):
            post[f"actor-{index}-applicant"] = "on"
    steps = data.get("steps") or []
    post.update({"step-TOTAL_FORMS": str(len(steps)), "step-INITIAL_FORMS": str(len(steps)),
                 "step-MIN_NUM_FORMS": "0", "step-MAX_NUM_FORMS": str(MAX_STEPS)})
    for index, step in enumerate(steps):
        for name, value in StepForm.initial_for(step).items():
            post[f"step-{index}-{name}"] = [str(v) for v in value] if isinstance(value, list) \
                else str(value)
    return post
