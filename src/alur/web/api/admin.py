from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None
                   ) -> tuple[str, ...]:
        return ("user", "name") if obj is None else ("user", "name", "created", "last_used",
                                                     "revoked")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None
                            ) -> list[str]:
        return [] if obj is None else ["user", "created", "last_used"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        token = None if change else obj.assign_new_key()
        super().save_model(request, obj, form, change)
        if token:
            messages.warning(request, _("New token for %(user)s: %(token)s — copy it now; it "
                                        "will not be shown again.")
                             % {"user": obj.user, "token": token})

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(request, ngettext("%(count)d token revoked.",
                                            "%(count)d tokens revoked.", count)
                          % {"count": count}, messages.SUCCESS)
