"""Printing findings for a terminal user: grouped by file, coloured by severity, counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from alur.i18n import ngettext
from alur.sop.findings import Finding, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_findings(console: Console, findings: Iterable[Finding], *,
                   minimum: Severity = Severity.INFO) -> None:
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    shown = [f for f in findings if order.index(f.severity) <= order.index(minimum)]
    for finding in shown:
        where = finding.located()
        console.print(
            f"[{_STYLE[finding.severity]}]{finding.severity.label:>10}[/] "
            f"[dim]{escape(where)}[/] {escape(finding.message)} [dim]({finding.code})[/]",
            highlight=False, soft_wrap=True)


def summary(findings: Iterable[Finding]) -> str:
    """'0 galat, 2 peringatan, 1 info'."""
    counts = Counter(f.severity for f in findings)
    errors, warnings, infos = (counts[s] for s in (Severity.ERROR, Severity.WARNING,
                                                    Severity.INFO))
    return ", ".join((
        ngettext("{count} error", "{count} errors", errors).format(count=errors),
        ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        ngettext("{count} info", "{count} info", infos).format(count=infos)))
