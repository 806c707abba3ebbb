"""Notifications for work that is not a case task, written once per person and key."""

from __future__ import annotations

from collections.abc import Iterable

from ..cases.models import Notification


def notify_once(person_ids: Iterable[int], kind: str, subject: str, link: str,
                key: str) -> int:
    """Notify each person once about the work named by `key` (for example
    "monitoring:12:2026-2"): a key already notified to a person is skipped, so recorders can
    run every few minutes without repeating themselves. `subject` is stored as written (the
    recorder translates it into the installation's language); `link` is a site path."""
    ids = set(person_ids)
    if not ids:
        return 0
    known = set(Notification.objects.filter(person_id__in=ids, key=key)
                .values_list("person_id", flat=True))
    fresh = [Notification(person_id=pk, kind=kind, subject=subject[:300], link=link[:300],
                          key=key) for pk in sorted(ids - known)]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)
