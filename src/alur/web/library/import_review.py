"""What the import review proposes and what the reviewer may answer, as Django forms.

An imported SOP cannot run until each of its actor columns stands for someone: a position of
the unit (an `ActorLink`), or the applicant (`Actor.applicant`: whoever starts the case). The
document only names the columns, so alur proposes — the applicant from names such as PNS or
Pemohon, a position whose name is the column's name once abbreviations are expanded
(`alur.importers.actors.normalise`), the unit from the document's heading — and the reviewer
confirms or corrects each proposal here. Every posted value goes through a form, so a tampered
value is an error shown next to its field, never a 500.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alur.importers.actors import looks_like_applicant as name_looks_like_applicant
from alur.importers.actors import normalise
from alur.sop import Finding
from alur.sop import Sop as SopDocument
from alur.sop.findings import Severity
from alur.sop.model import Actor, Source, Step

from ..org.models import Position, Unit

# The mapping select's options: (value, label), or a unit's name with its positions' options.
MappingChoices: TypeAlias = list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]

NAME_MAX = 300  # SopVersion.name
KEEP = "="  # a step's actor select: "as read from the document"
SEPARATE = "terpisah"  # an SOP already in the library: import this one as an SOP of its own
APPLICANT = "pemohon"  # an actor mapping: the applicant, who starts the case
UNMAPPED = ""
PAGE_LIMIT = 1_000_000  # a page or SOP index above any import's (a number past it is forged)
# How close a unit's name must be to a heading line to be proposed (difflib ratio of the
# normalised names); lower lets "Dinas Sosial" stand for "Dinas Sosial dan PMD".
UNIT_MATCH = 0.85

# Fields an importer may infer (Step.inferred), named as a reviewer reads them.
INFERRED_FIELDS = {
    "number": gettext_lazy("step number"), "activity": gettext_lazy("activity"),
    "actors": gettext_lazy("actor"), "kind": gettext_lazy("step type"),
    "inputs": gettext_lazy("requirements"), "time": gettext_lazy("time"),
    "outputs": gettext_lazy("output"), "next": gettext_lazy("next step"),
    "on_yes": gettext_lazy("Yes exit"), "on_no": gettext_lazy("No exit"),
    "labels": gettext_lazy("exit words"), "calls": gettext_lazy("called SOP"),
}


# -- proposals --------------------------------------------------------------------------------
def unit_positions(unit: Unit | None) -> list[Position]:
    """The positions an actor of `unit` may be linked to: the unit's own, then its sub-units'
    (a Dinas SOP names its Kabid and Kasubag, who sit in the Dinas's sub-units)."""
    if unit is None:
        return []
    positions = Position.objects.filter(unit_id__in=unit.descendant_ids()) \
        .select_related("unit")
    return sorted(positions, key=lambda p: (p.unit_id != unit.pk, p.unit.name, p.name))


def looks_like_applicant(actor: Actor) -> bool:
    """The importer said so, or the column is named like whoever asks (PNS, Pemohon …): a
    proposal the reviewer confirms; routing then follows the flag."""
    return actor.applicant or name_looks_like_applicant(actor.name)


def propose_mapping(actor: Actor, positions: Sequence[Position], unit: Unit | None,
                    linked: int | None = None) -> str:
    """The mapping value proposed for an actor column: the applicant, the position it is
    already linked to (a re-import), the one position of the same name, or unmapped."""
    if looks_like_applicant(actor):
        return APPLICANT
    by_pk = {p.pk: p for p in positions}
    if linked in by_pk:
        return str(linked)
    key = normalise(actor.name)
    same_name = [p for p in positions if key and normalise(p.name) == key]
    own = [p for p in same_name if unit is not None and p.unit_id == unit.pk]
    chosen = own or same_name
    return str(chosen[0].pk) if len(chosen) == 1 else UNMAPPED


def _closeness(line: str, name: str) -> float:
    if not line or not name:
        return 0.0
    score = difflib.SequenceMatcher(None, line, name).ratio()
    words, line_words = name.split(), set(line.split())
    # "DINAS SOSIAL … KABUPATEN BANGKA TENGAH" names the unit "Dinas Sosial …" and more.
    if len(words) >= 2 and set(words) <= line_words:
        score = max(score, UNIT_MATCH + (1 - UNIT_MATCH) * len(words) / len(line_words))
    return score


def unit_for_heading(lines: Sequence[str], units: Sequence[Unit]) -> Unit | None:
    """The unit the heading names: the most specific line (the last) that matches a unit's
    name; among equally close units, the one whose parents the lines above also name."""
    keys = [normalise(line) for line in lines]
    names = {u.pk: normalise(u.name) for u in units}
    for depth in range(len(keys) - 1, -1, -1):
        scored = [(_closeness(keys[depth], names[u.pk]), u) for u in units]
        close = [(score, u) for score, u in scored if score >= UNIT_MATCH]
        if not close:
            continue
        above = keys[:depth]
        return max(close, key=lambda pair: (round(pair[0], 3),
                                            _parents_named(pair[1], above)))[1]
    return None


def _parents_named(unit: Unit, lines: Sequence[str]) -> int:
    """How many of the unit's parents the heading's upper lines name."""
    return sum(1 for parent in unit.ancestors()
               if any(_closeness(line, normalise(parent.name)) >= UNIT_MATCH for line in lines))


def propose_unit(documents: Iterable[SopDocument], unit_ids: set[int]) -> Unit | None:
    """The unit most of the documents' headings name, among the units the user may import
    into; None when no heading names one of them."""
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("parent"))
    votes: Counter[int] = Counter()
    by_pk = {u.pk: u for u in units}
    for document in documents:
        unit = unit_for_heading(document.organization, units)
        if unit is not None:
            votes[unit.pk] += 1
    if not votes:
        return None
    return by_pk[votes.most_common(1)[0][0]]


# -- what the review shows --------------------------------------------------------------------
def source_place(source: Source | None) -> str:
    """Where a step was read ('tabel 2 baris 5', 'halaman 3', 'baris 12'), worded as a finding
    words its place (`Finding.place`)."""
    if source is None:
        return ""
    return Finding(severity=Severity.INFO, code="", message="", line=source.line,
                   page=source.page, sheet=source.sheet, cell=source.cell,
                   table=source.table, row=source.row).place()


def inferred_titles(step: Step) -> dict[str, str]:
    """For each inferred field of a step, the tooltip that says what was inferred."""
    return {name: _("Inferred by alur, not written in the source: %(field)s.")
            % {"field": INFERRED_FIELDS.get(name, name)} for name in step.inferred}


# -- forms ------------------------------------------------------------------------------------
def needs_keep_option(step: Step) -> bool:
    """As read can't be shown as one plain actor: inferred, or a joint activity."""
    return "actors" in step.inferred or len(step.actors) > 1


def _actor_name(document: SopDocument, actor_id: str) -> str:
    """The actor's name, or its id when the document has no such actor."""
    actor = document.actor(actor_id)
    return actor.name if actor is not None else actor_id


def default_actor_value(step: Step) -> str:
    if needs_keep_option(step):
        return KEEP
    return step.actors[0] if step.actors else ""


class SopReviewForm(forms.Form):
    """One SOP: keep it or not, its name, each step's actor(s), and — when the library holds
    it already (`import_targets`) — whether it is a new version of that SOP (`tujuan`).

    `targets`: (value, label) of each library SOP it may continue, the proposed one first;
    `refusals`: why a target cannot get a new version now, by value."""

    simpan = forms.BooleanField(required=False, initial=True)
    nama = forms.CharField(required=False, max_length=NAME_MAX, error_messages={
        "max_length": gettext_lazy("An SOP name has at most %(limit_value)s characters.")})

    def __init__(self, *args: Any, document: SopDocument,
                 targets: Sequence[tuple[str, str]] = (),
                 refusals: dict[str, str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"simpan": True, "nama": document.name})
        super().__init__(*args, **kwargs)
        self.document = document
        self.targets, self.refusals = list(targets), refusals or {}
        if self.targets:
            self.fields["tujuan"] = forms.ChoiceField(
                choices=[*self.targets, (SEPARATE, _("Import as a separate SOP"))],
                required=False, initial=self.targets[0][0],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"invalid_choice": _(
                    "Choose whether this SOP is a new version or a separate SOP.")})
        names = [(a.id, a.name) for a in document.actors]
        for index, step in enumerate(document.steps):
            choices = []
            if needs_keep_option(step):
                label = " + ".join(_actor_name(document, a) for a in step.actors)
                if "actors" in step.inferred:
                    label += f" ({_('inferred')})"
                choices.append((KEEP, label))
            choices.append(("", _("— no actor —")))
            choices.extend(names)
            self.fields[self.step_field(index)] = forms.ChoiceField(
                choices=choices, required=False, initial=default_actor_value(step),
                error_messages={"invalid_choice": _(
                    "The actor of step %(number)s is unknown; choose one from the list.")
                    % {"number": step.number}},
                widget=forms.Select(attrs={"aria-label": _("Actor of step %(number)s")
                                                         % {"number": step.number}}))

    @staticmethod
    def step_field(index: int) -> str:
        return f"langkah-{index}"

    def clean_nama(self) -> str:
        return " ".join(self.cleaned_data["nama"].split())

    def clean_tujuan(self) -> str:
        """Not posted (a client that sends no radio button): the proposal."""
        return self.cleaned_data["tujuan"] or self.targets[0][0]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("simpan") and "nama" in data and not data["nama"]:
            self.add_error("nama", _("The SOP needs a name before it is saved."))
        if data.get("simpan") and data.get("tujuan") in self.refusals:
            self.add_error("tujuan", self.refusals[data["tujuan"]])
        return data

    @property
    def target(self) -> str | None:
        """The value of the library SOP this one becomes a new version of, or None."""
        if not self.targets:
            return None
        value = self.value("tujuan")
        return None if value == SEPARATE else value

    def value(self, name: str) -> Any:
        """The field's value as chosen: cleaned when valid, else its initial value, so an SOP
        with a bad value still shows (and checks) as the document reads."""
        if self.is_bound and name in getattr(self, "cleaned_data", {}):
            return self.cleaned_data[name]
        return self.fields[name].initial if name != "nama" else self.document.name

    def actor_values(self) -> list[str]:
        return [self.value(self.step_field(i)) for i in range(len(self.document.steps))]

    @property
    def selected(self) -> bool:
        return bool(self.value("simpan"))


class ActorMappingForm(forms.Form):
    """One actor column → a position of the unit, the applicant, or not mapped yet."""

    jabatan = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, actor: Actor, choices: MappingChoices, proposal: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.proposal = proposal
        field = self.fields["jabatan"]
        assert isinstance(field, forms.ChoiceField)  # declared so above
        field.choices = choices
        field.label = actor.name
        field.error_messages["invalid_choice"] = _(
            "Choose the position of %(actor)s from the list.") % {"actor": actor.name}


class BaseActorMappingFormSet(forms.BaseFormSet):
    """One form per actor column of the document, no more and no fewer: a tampered form count
    is a formset error, not an index out of range."""

    def __init__(self, *args: Any, actors: list[Actor], choices: MappingChoices,
                 proposals: list[str], **kwargs: Any) -> None:
        self.actors, self.choices, self.proposals = actors, choices, proposals
        kwargs.setdefault("initial", [{"jabatan": p} for p in proposals])
        super().__init__(*args, **kwargs)
        self.min_num = self.max_num = self.absolute_max = len(actors)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        if index is None:  # `empty_form`: a page adds no actor column, so it has none
            raise TypeError("an actor mapping has no empty form")
        return {"actor": self.actors[index], "choices": self.choices,
                "proposal": self.proposals[index]}

    def values(self) -> list[str]:
        """Each actor's mapping value as chosen, or its proposal where the post was bad."""
        if self.is_bound:
            self.is_valid()  # cleans every form
        chosen: list[str] = []
        for index, proposal in enumerate(self.proposals):
            form = self.forms[index] if self.is_bound and index < len(self.forms) else None
            chosen.append(getattr(form, "cleaned_data", {}).get("jabatan", proposal))
        return chosen


ActorMappingFormSet = cast(type[BaseActorMappingFormSet], forms.formset_factory(
    ActorMappingForm, formset=BaseActorMappingFormSet, extra=0, validate_min=True,
    validate_max=True))


def mapping_choices(positions: Sequence[Position]) -> MappingChoices:
    """The mapping select: unmapped, the applicant, then the positions grouped by unit."""
    choices: MappingChoices = [(UNMAPPED, _("— not mapped yet —")),
                     (APPLICANT, _("Applicant (who starts the case)"))]
    groups: dict[str, list[tuple[str, str]]] = {}
    for position in positions:
        groups.setdefault(position.unit.name, []).append((str(position.pk), position.name))
    choices.extend(groups.items())
    return choices


class ReviewActionForm(forms.Form):
    """What a review page's buttons ask for: save, cancel, stay (the Enter key), change the
    unit; open the page `halaman` or the SOP `ke`; the page the post came from. A forged value
    reads as absent, so the page stays where it was, as when nothing was pressed."""

    SAVE, CANCEL = "simpan", "batal"
    aksi = forms.ChoiceField(required=False, choices=[
        ("", ""), (SAVE, SAVE), (CANCEL, CANCEL), ("tetap", "tetap"), ("unit", "unit")])
    halaman_ini = forms.IntegerField(required=False, min_value=1, max_value=PAGE_LIMIT)
    halaman = forms.IntegerField(required=False, min_value=1, max_value=PAGE_LIMIT)
    ke = forms.IntegerField(required=False, min_value=0, max_value=PAGE_LIMIT)

    def value(self, name: str) -> Any:
        """The field's clean value, or None when it was absent or forged."""
        self.is_valid()
        return self.cleaned_data.get(name)


class ReviewUnitForm(forms.Form):
    """The unit the SOPs are saved in: only units where the reviewer may write."""

    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("Save into unit"), required=False,
        empty_label=gettext_lazy("— choose a unit —"),
        error_messages={"required": gettext_lazy("Choose the unit to import into."),
                        "invalid_choice": gettext_lazy("You cannot choose that unit.")})

    def __init__(self, *args: Any, unit_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # declared so above
        field.queryset = Unit.objects.filter(pk__in=unit_ids).order_by("name")
