from django.contrib import admin

from .models import Assignment, Membership, Person, Position, Unit


class PositionInline(admin.TabularInline):
    model = Position
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
