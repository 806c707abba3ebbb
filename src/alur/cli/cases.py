"""`alur notify` and `alur audit verify`: the jobs cron runs beside the web application."""

from __future__ import annotations

from pathlib import Path

import click

from alur.i18n import N_, _

from .translated import option
from .web import data_option, django_setup


def register(main: click.Group, context: dict) -> None:

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


def register_calendar(main: click.Group, context: dict) -> None:
    @main.command("calendar", context_settings=context, help=N_(
        "Show a year's working calendar proposals (national holidays, cuti bersama, Ramadan) "
        "and, with --save, store the cuti bersama and Ramadan dates for the admin to confirm."))
    @click.argument("year", type=click.IntRange(2000, 2100))
    @option("--save", is_flag=True, help=N_("Store the proposed cuti bersama and Ramadan."))
    @data_option
    def calendar_command(year: int, save: bool, data_dir: Path | None) -> None:
        from alur.engine.calendar import default_cuti_bersama, default_ramadan, national_holidays

        click.echo(_("National holidays {year} (from the holidays package):").format(year=year))
        for day, name in sorted(national_holidays(year).items()):
            click.echo(f"  {day:%d-%m-%Y}  {name}")
        leave = default_cuti_bersama(year)
        click.echo(_("Proposed cuti bersama:"))
        for day, name in leave.items():
            click.echo(f"  {day:%d-%m-%Y}  {name}")
        if not leave:
            click.echo("  " + _("(none known for this year; enter the decree's dates in the "
                               "admin)"))
        ramadan = default_ramadan(year)
        for start, end in ramadan:
            click.echo(_("Proposed Ramadan working hours: {start} to {end}").format(
                start=f"{start:%d-%m-%Y}", end=f"{end:%d-%m-%Y}"))
        if not save:
            return
        django_setup(data_dir)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from alur.web.cases.models import Holiday, RamadanPeriod

        added = 0
        for day, name in leave.items():
            _obj, created = Holiday.objects.get_or_create(
                date=day, defaults={"name": name, "kind": Holiday.Kind.CUTI_BERSAMA})
            added += created
        if ramadan:
            RamadanPeriod.objects.update_or_create(
                year=year, defaults={"start": ramadan[0][0], "end": ramadan[0][1]})
        click.echo(_("Saved: {added} new cuti bersama day(s); Ramadan {year}.").format(
            added=added, year=year))
