"""`alur show`: the identity sheet and the step table of an SOP, readable in a terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from alur.render.identity import identity_rows
from alur.sop.duration import parse_duration
from alur.sop.model import Sop

KIND_LABEL = {"start": "Mulai", "process": "Proses", "decision": "Keputusan", "end": "Selesai"}


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {escape(i)}" for i in items) if items else "[dim]—[/]"


def identity_table(sop: Sop) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("Instansi", "\n".join(escape(o) for o in sop.organization) or "[dim]—[/]")
    lists = {"Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan", "Peralatan/Perlengkapan",
             "Peringatan", "Pencatatan dan Pendataan"}
    for label, values in identity_rows(sop):
        if label in lists:
            value = _bullets(values)
        else:
            value = "\n".join(escape(v) for v in values)
            if label == "Nama SOP" and value:
                value = f"[bold]{value}[/]"
        table.add_row(label, value or "[dim]—[/]")
    return table


def steps_table(sop: Sop) -> Table:
    names = {a.id: a.name for a in sop.actors}
    table = Table(title="Prosedur", show_lines=True, expand=True)
    for header, style, ratio in (("No", "bold", None), ("Kegiatan", "", 5),
                                 ("Pelaksana", "green", 2), ("Kelengkapan", "", 2),
                                 ("Waktu", "", None), ("Output", "", 2),
                                 ("Keterangan", "dim", 2)):
        table.add_column(header, style=style or None, ratio=ratio,
                         no_wrap=ratio is None, overflow="fold")
    for step in sop.steps:
        activity = "\n".join(f"- {escape(a)}" for a in step.activity_lines) \
            if isinstance(step.activity, list) else escape(step.activity)
        kind = KIND_LABEL[step.kind]
        if step.kind == "decision":
            kind += f" (Ya → {step.on_yes}, Tidak → {step.on_no})"
        elif step.next is not None:
            kind += f" (→ {step.next})"
        actors = ", ".join(escape(names.get(a, a)) for a in step.actors) or "[red]?[/]"
        if "actors" in step.inferred:
            actors += " [dim](disimpulkan)[/]"
        duration = parse_duration(step.time)
        time = escape(step.time or "")
        if step.time and duration is None:
            time = f"[red]{time}[/]"
        notes = "\n".join(x for x in (kind if step.kind != "process" or step.next else "",
                                      escape(step.notes),
                                      f"memanggil {escape(step.calls)}" if step.calls else "")
                          if x)
        table.add_row(str(step.number), activity, actors, _bullets(step.inputs), time,
                      _bullets(step.outputs), notes)
    return table


def show(console: Console, sop: Sop) -> None:
    console.print(Panel(identity_table(sop), title=f"SOP {escape(sop.id)}", expand=True))
    console.print(steps_table(sop))
    for section in sop.sections:
        console.print(Panel(escape(section.text), title=escape(section.title)))
    if sop.actors:
        console.print(Group(*(f"[dim]{escape(a.id)}[/] = {escape(a.name)}"
                              for a in sop.actors)))
