from django.contrib import admin

from .models import Volume


@admin.register(Volume)
class VolumeAdmin(admin.ModelAdmin):
    list_display = ["sop", "year", "source", "volume", "entered_by", "entered_at"]
    list_filter = ["year", "source"]
    raw_id_fields = ["sop"]
    readonly_fields = ["entered_by", "entered_at"]
