"""Bounded work on hostile or huge input, run by hand: `.venv/bin/python benchmarks/limits.py
[--case NAME ...] [--scales 1 10 100]`.

Each case builds an input at a scale (1× is the smallest; 100× is the size the hardening issue
names) and answers it through the ordinary entry point: imported, cut with a finding, or
refused. Printed per case and scale: the input size, what the answer was, the wall time and the
CPU time (they differ on a shared machine), and the peak of Python allocations (tracemalloc, in
a second run: tracing slows Python several times over, so it is not timed). The target is < 5 s
and < 300 MB at 100×, and time growing in proportion to the size from 1× to 100×.

Adding a case: write a function `name(scale) -> Case` (build the input, say how to answer it)
and list it in `CASES`.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from alur.importers import read_text  # noqa: E402


@dataclass
class Case:
    """One input and how to answer it; `answer` returns a one-line summary of the outcome."""

    size: int                      # bytes
    answer: Callable[[], str]


def _text_outcome(text: str, file: str) -> Callable[[], str]:
    def answer() -> str:
        result = read_text(text, file=file)
        steps = sum(len(s.steps) for s in result.sops)
        cut = sorted({f.code for f in result.findings if f.code.startswith("import.cap")})
        return f"{len(result.sops)} SOPs, {steps} steps, {len(result.findings)} findings" + \
            (f", cut: {', '.join(cut)}" if cut else "")
    return answer


# -- text cases ----------------------------------------------------------------------------------
# 1× is 100 headings (about 20 kB); 100× is the 2 MB text with 10,000 SOP headings.
def text_headings(scale: float) -> Case:
    """Tab-separated text: one 'SOP <NAME>' heading after the other, each over a one-step
    table (the plain text/TSV reader)."""
    parts = [f"SOP PELAYANAN PERMOHONAN NOMOR {n}\n"
             "No\tKegiatan\tStaf\tKelengkapan\tWaktu\tOutput\tKeterangan\n"
             f"1\tMenerima dan memeriksa berkas permohonan {n}\tv\tBerkas permohonan\t"
             "10 menit\tBerkas diperiksa\tLanjut ke SOP berikutnya\n"
             for n in range(int(100 * scale))]
    text = "".join(parts)
    return Case(len(text.encode()), _text_outcome(text, "headings.txt"))


def pdfcopy_headings(scale: float) -> Case:
    """The same headings as text copied out of a PDF (no tabs; the header over three lines):
    the PDF-copy reader."""
    parts = [f"SOP PELAYANAN PERMOHONAN NOMOR {n}\nPelaksana Mutu Baku\n"
             "No Kegiatan Keterangan\nStaf Kelengkapan Waktu Output\n"
             f"1 Menerima dan memeriksa berkas permohonan {n}. Berkas permohonan 10 menit "
             "Berkas diperiksa Lanjut ke SOP berikutnya\n"
             for n in range(int(100 * scale))]
    text = "".join(parts)
    return Case(len(text.encode()), _text_outcome(text, "headings-copy.txt"))


def text_long_sop(scale: float) -> Case:
    """One SOP whose tab-separated table grows: 30 steps at 1×, 3,000 at 100×."""
    rows = "".join(f"{n}\tMemeriksa berkas nomor {n}\tv\tBerkas\t{n % 9 + 1} menit\tBerkas\t\n"
                   for n in range(1, int(30 * scale) + 1))
    text = ("SOP PEMERIKSAAN BERKAS\nNo\tKegiatan\tStaf\tKelengkapan\tWaktu\tOutput\t"
            "Keterangan\n" + rows)
    return Case(len(text.encode()), _text_outcome(text, "long.txt"))


# -- HTML ----------------------------------------------------------------------------------------
# 1× is 100 crafted rows (about 13 kB); 100× is the 1 MB page.
def html_spans(scale: float) -> Case:
    """The crafted page of the issue: every row's cells ask `rowspan=65534 colspan=1000`."""
    row = "<tr>" + '<td rowspan="65534" colspan="1000">x</td>' * 3 + "</tr>\n"
    text = "<html><body><h1>SOP X</h1><table>" + row * int(100 * scale) + "</table></body></html>"
    return Case(len(text.encode()), _text_outcome(text, "spans.html"))


# -- drawing a large SOP, as the download request does -------------------------------------------
# 1× is 30 steps; 100× is the 3,000-step SOP.
def render_large(scale: float) -> Case:
    """What a download request does with an SOP of 30 × scale steps: draw the PDF in the
    request (up to ALUR_RENDER_INLINE_STEPS), hand it to the job worker (up to ALUR_MAX_STEPS),
    or refuse it; plus the layout and SVG the SOP's page always draws."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alur.web.settings")
    import django

    django.setup()
    from alur.render import layout
    from alur.render.pdf import to_pdf
    from alur.render.svg import page_svg
    from alur.sop import Actor, Sop, Step, dumps_json
    from alur.web.library.models import step_limit_problem
    from alur.web.library.renders import inline_steps

    count = int(30 * scale)
    actors = [Actor(id=f"p{i}", name=f"Jabatan {i}") for i in range(6)]
    steps = [Step(number=n, activity=f"Memeriksa berkas nomor {n}", actors=[f"p{n * 5 % 6}"],
                  kind="decision" if n % 7 == 0 and n < count else "process",
                  on_yes=n + 1 if n % 7 == 0 and n < count else None,
                  on_no=max(1, n - 3) if n % 7 == 0 and n < count else None, time="10 menit")
             for n in range(1, count + 1)]
    sop = Sop(id="besar", name="SOP Besar", actors=actors, steps=steps)

    def answer() -> str:
        if step_limit_problem(sop) is not None:
            return f"{count} steps: refused (413), not drawn"
        drawn = layout(sop)
        pages = sum(len(page_svg(p, drawn, crop=True)) for p in drawn.pages)
        if count > inline_steps():
            return f"{count} steps: page SVG {pages // 1000} kB; PDF queued for the job worker"
        pdf = to_pdf(sop, drawn)
        return f"{count} steps: page SVG {pages // 1000} kB; PDF {len(pdf) // 1000} kB"

    return Case(len(dumps_json(sop).encode()), answer)  # size: the SOP as its JSON file


CASES: dict[str, Callable[[float], Case]] = {
    "text-headings": text_headings,
    "pdfcopy-headings": pdfcopy_headings,
    "text-long-sop": text_long_sop,
    "html-spans": html_spans,
    "render-large": render_large,
}


def run(name: str, scale: float) -> str:
    case = CASES[name](scale)
    start, cpu = time.perf_counter(), time.process_time()
    outcome = case.answer()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    tracemalloc.start()
    case.answer()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (f"{name:18} {scale:>5g}×  {case.size / 1e6:6.2f} MB  {elapsed:6.2f} s "
            f"(CPU {cpu:5.2f} s)  "
            f"peak {peak / 1e6:5.0f} MB  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    for name in args.case or list(CASES):
        for scale in args.scales:
            print(run(name, scale), flush=True)


if __name__ == "__main__":
    main()
