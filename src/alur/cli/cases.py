"""`alur notify` and `alur audit verify`: the jobs cron runs beside the web application."""

from __future__ import annotations

from pathlib import Path

import click

from alur.i18n import N_, _

from .translated import option
from .web import django_setup


def register(main: click.Group, context: dict) -> None:
    data_option = option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
        help=N_("Data folder (SQLite database, uploaded files). Default: ./data or "
                "ALUR_DATA_DIR."))

    @main.command("notify", context_settings=context, help=N_(
        "Send e-mail for new and overdue tasks (run it from cron every few minutes)."))
    @data_option
    def notify_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.cases.notify import run

        result = run()
        click.echo(_("{overdue} overdue notification(s) recorded; {emails} e-mail(s) sent for "
                     "{notes} notification(s); {skipped} without an e-mail address.").format(
            overdue=result.overdue, emails=result.emails, notes=result.notifications,
            skipped=result.skipped_no_email))

    @main.group("audit", context_settings=context, help=N_(
        "Check the cases' tamper-evident event log."))
    def audit_group() -> None:
        pass

    @audit_group.command("verify", context_settings=context, help=N_(
        "Recompute every case's hash chain; exit 1 if any event was changed, inserted or "
        "removed."))
    @data_option
    def verify_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.cases.audit import verify
        from alur.web.cases.models import Case, Event

        problems = list(verify())
        for problem in problems:
            where = _("event {seq}").format(seq=problem.seq) if problem.seq else _("chain head")
            click.echo(_("case {case}, {where}: {message}").format(
                case=problem.case, where=where, message=problem.message), err=True)
        cases, events = Case.objects.count(), Event.objects.count()
        if problems:
            click.echo(_("{count} problem(s) found in {cases} case(s).").format(
                count=len(problems), cases=cases), err=True)
            raise SystemExit(1)
        click.echo(_("The log is intact: {events} event(s) in {cases} case(s).").format(
            events=events, cases=cases))
