"""One list of work items behind "Tugas saya", the home page and the notifications.

Case tasks live in `cases`; other work that falls due for a person — a unit's semester
monitoring, a yearly evaluation, an SOP waiting for review or approval — comes from the apps
that own it, each registering a provider here (in its AppConfig.ready). The inbox and the
home page ask `work_items` and never import those apps, so a new kind of work is added without
touching the pages that list it.
"""

from .items import WorkItem, provider, recorder, work_items
from .notices import notify_once

__all__ = ["WorkItem", "notify_once", "provider", "recorder", "work_items"]
