"""`alur rebuild-reports`: the reports' rollup (the unit dashboards' figures) rebuilt from the
finished tasks — after restoring a backup, or loading task rows past the case services."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from alur.i18n import N_, _

from .web import data_option, django_setup


def register(main: click.Group, context: dict[str, Any]) -> None:

    @main.command("rebuild-reports", context_settings=context, help=N_(
        "Rebuild the summary behind the unit dashboards from the finished tasks (after "
        "restoring a backup, or loading tasks directly into the database)."))
    @data_option
    def rebuild_reports_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.analysis.numbers import format_number
        from alur.web.reports.rollup import rebuild

        start = time.perf_counter()
        rows = rebuild()
        click.echo(_("Dashboard summary rebuilt: {rows} day rows in {seconds} s.").format(
            rows=format_number(rows), seconds=format_number(time.perf_counter() - start, 1)))
