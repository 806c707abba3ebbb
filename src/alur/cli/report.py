"""Printing findings for a terminal user: grouped by file, coloured by severity, counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

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
    counts = Counter(f.severity for f in findings)
    return (f"{counts[Severity.ERROR]} galat, {counts[Severity.WARNING]} peringatan, "
            f"{counts[Severity.INFO]} info")
