"""The unread-notification count shown in the header on every page."""

from .models import Notification


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(
        person__user=user, read_at__isnull=True).count()}
