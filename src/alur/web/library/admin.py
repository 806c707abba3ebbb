from django.contrib import admin

from .models import ActorLink, Sop, SopVersion


class VersionInline(admin.TabularInline):
    model = SopVersion
    fields = ("number", "name", "status", "effective_date", "approved_by", "approved_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


class ActorLinkInline(admin.TabularInline):
    model = ActorLink
    extra = 0


@admin.register(Sop)
class SopAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "unit"]
    list_filter = ["unit"]
    search_fields = ["slug", "versions__name"]
    inlines = [VersionInline, ActorLinkInline]
