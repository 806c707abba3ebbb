from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from .models import Assignment, Membership, Person, Position, Unit


class PositionFormSet(BaseInlineFormSet):
    """A unit's positions: at most one marked as its head. The database allows one head at a
    time, so moving the mark from one position to another takes two saves (the inline forms
    do not check the unit's constraint themselves, and are saved one by one)."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if getattr(f, "cleaned_data", None)
                and not f.cleaned_data.get("DELETE")]
        heads = [f for f in kept if f.cleaned_data.get("is_head")]
        if len(heads) > 1:
            raise ValidationError(_("Mark only one position as the unit's head."))
        marked = [f for f in heads if not (f.instance.pk and f.initial.get("is_head"))]
        unmarked = [f for f in kept if f.initial.get("is_head")
                    and not f.cleaned_data.get("is_head")]
        removed = [f for f in self.forms if getattr(f, "cleaned_data", None)
                   and f.cleaned_data.get("DELETE") and f.initial.get("is_head")]
        if marked and (unmarked or removed):
            raise ValidationError(_("To make another position the head, first remove the mark "
                                    "from the current head and save; then mark the new one."))


class PositionInline(admin.TabularInline):
    model = Position
    formset = PositionFormSet
    extra = 0
    fields = ["name", "is_head"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_head"]
    list_filter = ["is_head"]
    search_fields = ["name", "unit__name"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["position"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "email", "user"]
    search_fields = ["name", "nip", "email"]
    inlines = [AssignmentInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
