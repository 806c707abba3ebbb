"""Rendering speed and memory, run by hand: `.venv/bin/python benchmarks/render.py`.

Targets (issue 3): layout + SVG of a 60-step, 6-actor SOP < 50 ms; its PDF < 2 s; the book of
all 28 examples < 20 s on this 2-core machine; peak memory < 500 MB. Issue 17: the fault counts
(arrows crossing, labels on arrows, connectors, table lines or labels) of every example on A4,
F4 and portrait, and of the 60-step SOP — all zero.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections import Counter
from pathlib import Path

from alur.render import PageSetup, layout
from alur.render.book import book_html
from alur.render.faults import fault_counts
from alur.render.pdf import html_to_pdf, to_pdf
from alur.render.svg import layout_svg
from alur.sop import Actor, Sop, Step, load

ROOT = Path(__file__).resolve().parents[1]


def big_sop() -> Sop:
    """60 steps over 6 actors, a decision every seventh step looping back three rows."""
    actors = [Actor(id=f"p{i}", name=name) for i, name in enumerate(
        ["Kepala Dinas", "Sekretaris", "Kabid", "Kasubag Umum", "Staf", "Pengadm. Umum"])]
    steps = []
    for n in range(1, 61):
        decision = n % 7 == 0 and n < 60
        steps.append(Step(
            number=n, activity=f"Memeriksa kelengkapan berkas dan menyusun konsep surat {n} "
                               "sesuai ketentuan yang berlaku" * (1 + n % 3),
            actors=[actors[(n * 5) % 6].id], kind="decision" if decision else "process",
            on_yes=n + 1 if decision else None, on_no=max(1, n - 3) if decision else None,
            inputs=["Berkas permohonan", "Disposisi"], time=f"{10 + n % 4 * 10} menit",
            outputs=["Konsep surat"], notes="Lanjutan SOP Surat Masuk" if n % 9 == 0 else ""))
    return Sop(id="besar", name="SOP Uji 60 Langkah", actors=actors, steps=steps)


def timed(function, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return timings


def report(name: str, seconds: list[float], target: float, unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1
    median = statistics.median(seconds) * scale
    verdict = "OK" if median < target else "OVER TARGET"
    print(f"{name:<44} median {median:8.1f} {unit}  max {max(seconds) * scale:8.1f} {unit}  "
          f"target < {target:g} {unit}  {verdict}")


def print_faults(library: list[Sop], sop: Sop) -> None:
    for name, setup in (("A4", PageSetup()), ("F4", PageSetup(paper="f4")),
                        ("A4 tegak", PageSetup(landscape=False))):
        examples = sum((fault_counts(layout(s, setup)) for s in library), start=Counter())
        big = fault_counts(layout(sop, setup))
        print(f"faults {name:<9} examples: {dict(examples) or 0}   60 steps: {dict(big) or 0}"
              f"   {'OK' if not examples and not big else 'FAULTS'}")


if __name__ == "__main__":
    sop = big_sop()
    layout_svg(layout(sop))  # warm-up: imports and metric tables
    report("layout + SVG, 60 steps / 6 actors", timed(lambda: layout_svg(layout(sop)), 20), 50)
    to_pdf(sop, layout(sop))
    report("PDF, 60 steps / 6 actors", timed(lambda: to_pdf(sop, layout(sop)), 3), 2, "s")
    library = [load(p).sop for p in sorted((ROOT / "examples" / "library").glob("*.yaml"))]
    print_faults(library, sop)
    report(f"book of {len(library)} examples (PDF)",
           timed(lambda: html_to_pdf(book_html(library)), 2), 20, "s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<44} {peak:8.0f} MB  target < 500 MB  "
          f"{'OK' if peak < 500 else 'OVER TARGET'}")
    print(f"(pages: {len(layout(sop).pages)} for the 60-step SOP)")
