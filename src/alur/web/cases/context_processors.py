"""The unread-notification count shown in the header on every page."""

from django.http import HttpRequest

from .models import Notification


def notifications(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(
        person__user=user, read_at__isnull=True).count()}
