"""Keep the cached working calendar in step with the admin's working hours and holidays."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Holiday, RamadanPeriod, WorkingDay
from .workcalendar import forget


@receiver([post_save, post_delete], sender=Holiday)
@receiver([post_save, post_delete], sender=RamadanPeriod)
@receiver([post_save, post_delete], sender=WorkingDay)
def _calendar_changed(**_kwargs: object) -> None:
    forget()
