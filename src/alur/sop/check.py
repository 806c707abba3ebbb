"""The checker: an SOP measured against the Permenpan RB 35/2012 rules and the format's rules.

It returns findings and never raises, so the editor, the importer and `alur check` can all show
every problem of an SOP at once. Practices the regulation does not fix (how many actors is too
many) are settings of `CheckConfig`, never hard errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from . import flow
from .duration import DEFAULT_CALENDAR, WorkCalendar, parse_duration
from .findings import Finding, Severity
from .model import Sop, Step

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class CheckConfig:
    """Tunable expectations. `max_actors`: sop-ap.md says usually 3–6 actor columns (R)."""

    max_actors: int = 6
    calendar: WorkCalendar = field(default_factory=lambda: DEFAULT_CALENDAR)
    report_inferred: bool = True


IDENTITY_LISTS = {
    "legal_basis": ("Dasar Hukum", W),
    "qualifications": ("Kualifikasi Pelaksana", W),
    "related": ("Keterkaitan", INFO),
    "equipment": ("Peralatan/Perlengkapan", W),
    "warnings": ("Peringatan", W),
    "records": ("Pencatatan dan Pendataan", W),
}

FIELD_LABELS = {
    "actors": "pelaksana", "kind": "jenis langkah", "on_yes": "cabang Ya",
    "on_no": "cabang Tidak", "next": "langkah berikutnya", "number": "nomor",
    "time": "waktu", "calls": "SOP yang dipanggil",
}


class _Collector:
    def __init__(self, sop: Sop) -> None:
        self.sop = sop
        self.findings: list[Finding] = []

    def add(self, severity: Severity, code: str, message: str, step: Step | None = None) -> None:
        line = step.source.line if step is not None and step.source else None
        file = step.source.file if step is not None and step.source else None
        self.findings.append(Finding(
            severity=severity, code=code, message=message, sop=self.sop.id,
            step=step.number if step is not None else None, line=line, file=file))


def check(sop: Sop, config: CheckConfig | None = None, *,
          known_sops: Collection[str] | None = None) -> list[Finding]:
    """All findings for one SOP. `known_sops`: ids that `calls` may name (None: not checked)."""
    config = config or CheckConfig()
    out = _Collector(sop)
    _check_identity(sop, out)
    _check_actors(sop, out, config)
    if not sop.steps:
        out.add(E, "steps.none", "SOP tidak memiliki langkah prosedur.")
        return out.findings
    _check_numbers(sop, out)
    for step in sop.steps:
        _check_step(sop, step, out, config, known_sops)
    _check_flow(sop, out)
    return out.findings


def _check_identity(sop: Sop, out: _Collector) -> None:
    if not sop.name.strip():
        out.add(E, "identity.name", "Nama SOP belum diisi.")
    if not sop.number.strip():
        out.add(W, "identity.number", "Nomor SOP belum diisi.")
    if not sop.organization:
        out.add(W, "identity.organization", "Nama instansi/unit kerja belum diisi.")
    if not sop.dates.created:
        out.add(W, "identity.date-created", "Tanggal Pembuatan belum diisi.")
    if not sop.dates.effective:
        out.add(W, "identity.date-effective", "Tanggal Efektif belum diisi.")
    if not sop.approved_by.title.strip():
        out.add(W, "identity.approver-title", "Jabatan pengesah (Disahkan oleh) belum diisi.")
    if not sop.approved_by.name.strip():
        out.add(W, "identity.approver-name", "Nama pejabat pengesah belum diisi.")
    nip = sop.approved_by.nip.replace(" ", "")
    if nip and (not nip.isdigit() or len(nip) != 18):
        out.add(W, "identity.nip", f"NIP pengesah '{sop.approved_by.nip}' bukan 18 angka.")
    for key, (label, severity) in IDENTITY_LISTS.items():
        if not getattr(sop, key):
            out.add(severity, f"identity.{key.replace('_', '-')}", f"{label} belum diisi.")


def _check_actors(sop: Sop, out: _Collector, config: CheckConfig) -> None:
    counts = Counter(a.id for a in sop.actors)
    for actor_id, count in counts.items():
        if count > 1:
            out.add(E, "actor.duplicate", f"Id pelaksana '{actor_id}' dipakai {count} kali.")
    if not sop.actors:
        out.add(E, "actor.none", "SOP tidak memiliki kolom pelaksana.")
    if len(sop.actors) > config.max_actors:
        out.add(W, "actor.too-many",
                f"SOP memiliki {len(sop.actors)} pelaksana, lebih dari {config.max_actors}; "
                "bagan alir akan sulit dibaca.")
    used = {a for s in sop.steps for a in s.actors}
    for actor in sop.actors:
        if actor.id not in used:
            out.add(W, "actor.unused",
                    f"Pelaksana '{actor.name}' tidak melaksanakan satu langkah pun.")


def _check_numbers(sop: Sop, out: _Collector) -> None:
    counts = Counter(s.number for s in sop.steps)
    reported: set[int] = set()
    previous: Step | None = None
    for step in sop.steps:
        if counts[step.number] > 1 and step.number not in reported:
            reported.add(step.number)
            out.add(E, "step.duplicate",
                    f"Nomor langkah {step.number} dipakai {counts[step.number]} kali.", step)
        if previous is not None:
            gap = step.number - previous.number
            if gap > 1:
                missing = (f"langkah {previous.number + 1}" if gap == 2 else
                           f"langkah {previous.number + 1}–{step.number - 1}")
                out.add(W, "step.gap",
                        f"Nomor langkah melompat dari {previous.number} ke {step.number}: "
                        f"{missing} tidak ada.", step)
            elif gap < 1 and counts[step.number] == 1:
                out.add(W, "step.order",
                        f"Langkah {step.number} tertulis sesudah langkah {previous.number}.",
                        step)
        previous = step


def _check_step(sop: Sop, step: Step, out: _Collector, config: CheckConfig,
                known_sops: Collection[str] | None) -> None:
    marker = step.kind in ("start", "end")
    if not step.activity_text.strip() and not marker:
        out.add(E, "step.activity", f"Langkah {step.number} tidak memiliki uraian kegiatan.", step)
    if not step.actors and not marker:
        out.add(E, "step.actor-missing", f"Langkah {step.number} tidak memiliki pelaksana.", step)
    known_actors = {a.id for a in sop.actors}
    for actor_id in step.actors:
        if actor_id not in known_actors:
            out.add(E, "step.actor-unknown",
                    f"Langkah {step.number} menyebut pelaksana '{actor_id}' yang tidak ada "
                    "di daftar pelaksana.", step)
    for key, label in (("next", "langkah berikutnya"), ("on_yes", "cabang Ya"),
                       ("on_no", "cabang Tidak")):
        target = getattr(step, key)
        if target is not None and sop.step(target) is None:
            out.add(E, "step.ref-unknown",
                    f"Langkah {step.number}: {label} menunjuk langkah {target} yang tidak ada.",
                    step)
    if step.kind == "decision":
        if step.on_yes is None or step.on_no is None:
            out.add(E, "decision.exits",
                    f"Keputusan di langkah {step.number} harus memiliki cabang Ya dan Tidak.",
                    step)
        if step.next is not None:
            out.add(E, "decision.next",
                    f"Keputusan di langkah {step.number} tidak boleh memakai 'next'; "
                    "gunakan cabang Ya/Tidak.", step)
    elif step.on_yes is not None or step.on_no is not None:
        out.add(E, "step.exits-not-decision",
                f"Langkah {step.number} memiliki cabang Ya/Tidak tetapi bukan keputusan.", step)
    if step.calls is not None:
        if step.calls == sop.id:
            out.add(E, "step.calls-self", f"Langkah {step.number} memanggil SOP ini sendiri.",
                    step)
        elif known_sops is not None and step.calls not in known_sops:
            out.add(E, "step.calls-unknown",
                    f"Langkah {step.number} memanggil SOP '{step.calls}' yang tidak ada di "
                    "pustaka.", step)
    if marker:
        return
    if not (step.time or "").strip():
        out.add(W, "step.time-missing", f"Langkah {step.number} tidak memiliki waktu baku.", step)
    elif parse_duration(step.time, config.calendar) is None:
        out.add(W, "step.time-unparsed",
                f"Waktu langkah {step.number} '{step.time}' bukan durasi yang dapat dihitung; "
                "teks disimpan apa adanya.", step)
    if not step.inputs:
        out.add(W, "step.inputs-missing",
                f"Langkah {step.number} tidak memiliki kelengkapan (input).", step)
    if not step.outputs:
        out.add(W, "step.outputs-missing", f"Langkah {step.number} tidak memiliki output.", step)
    if config.report_inferred and step.inferred:
        fields = ", ".join(FIELD_LABELS.get(f, f) for f in step.inferred)
        out.add(INFO, "step.inferred",
                f"Langkah {step.number}: {fields} disimpulkan, tidak tertulis di sumber.", step)


def _check_flow(sop: Sop, out: _Collector) -> None:
    starts = [s for s in sop.steps if s.kind == "start"]
    if starts and starts[0] is not sop.steps[0]:
        out.add(W, "flow.start-not-first",
                f"Langkah mulai ({starts[0].number}) bukan langkah pertama.", starts[0])
    if len(starts) > 1:
        out.add(W, "flow.many-starts", "SOP memiliki lebih dari satu langkah mulai.", starts[1])
    reached = flow.reachable(sop)
    for step in sop.steps:
        if step.number not in reached:
            out.add(E, "flow.unreachable",
                    f"Langkah {step.number} tidak pernah dicapai dari langkah pertama.", step)
    ending = flow.reaching_end(sop)
    in_loop: set[int] = set()
    for component in flow.cycles(sop):
        if not any(n in ending for n in component):
            in_loop.update(component)
            first = sop.step(component[0])
            members = ", ".join(str(n) for n in component)
            out.add(E, "flow.loop-no-exit",
                    f"Perulangan langkah {members} tidak memiliki jalan keluar.", first)
    for step in sop.steps:
        if step.number in reached and step.number not in ending and step.number not in in_loop:
            out.add(E, "flow.no-end",
                    f"Dari langkah {step.number} tidak ada jalan menuju akhir prosedur.", step)
