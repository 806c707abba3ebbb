from django.contrib import admin

from .models import Answer, Evaluation


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "meets", "notes")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read only: evaluations are made and finalised on their pages, where the rules live."""

    list_display = ("__str__", "year", "result", "finalised_at", "evaluator_name")
    list_filter = ("year", "result")
    search_fields = ("version__name", "sop__slug", "evaluator_name")
    inlines = [AnswerInline]
    readonly_fields = [f.name for f in Evaluation._meta.fields]

    def has_add_permission(self, request):
        return False
