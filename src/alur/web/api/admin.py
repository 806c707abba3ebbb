from django.contrib import admin, messages

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else ["user", "name", "created", "last_used",
                                                     "revoked"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "created", "last_used"]

    def save_model(self, request, obj, form, change):
        token = None if change else obj.assign_new_key()
        super().save_model(request, obj, form, change)
        if token:
            messages.warning(request, f"Token baru untuk {obj.user}: {token} — salin sekarang; "
                                      "token ini tidak akan ditampilkan lagi.")

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(request, f"{count} token dicabut.", messages.SUCCESS)
