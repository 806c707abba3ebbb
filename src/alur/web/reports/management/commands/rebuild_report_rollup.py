"""Rebuild the dashboard's rollup from the finished task rows (after restoring a backup, or
loading task rows past the case services)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from alur.web.reports.rollup import rebuild


class Command(BaseCommand):
    help = "Rebuild the reports' rollup (the unit dashboard's figures) from the finished tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        rows = rebuild()
        self.stdout.write(_("Report rollup rebuilt: {rows} day rows in {seconds:.1f} s.").format(
            rows=rows, seconds=time.perf_counter() - start))
