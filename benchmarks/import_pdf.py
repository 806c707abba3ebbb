"""Speed and memory of the PDF import, run by hand: `.venv/bin/python benchmarks/import_pdf.py
[--pages 1 10 100] [--repeats 3]`.

The documents are alur's own official PDFs (WeasyPrint: identity sheet as an HTML table, the
bagan alir as vector drawing), one per example in examples/library, their pages concatenated
with pypdfium2 (installed with pdfplumber) into a 1-, 10- and 100-page PDF. Each is read by
`read_pdf` (measure, map, read): the median wall time of `--repeats` runs, then the peak of
Python allocations in one more run under tracemalloc (slower, so timed apart). Time and memory
per page should stay flat as the page count grows: pages are measured one at a time and their
caches dropped, so only the middle layer grows with the document.

On the 2-core development machine (2026-12): 1 page 0.10 s, 10 pages 1.3 s, 100 pages 13.6 s
(~130 ms a page); peak 0.8, 3.5 and 11.8 MB.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pypdfium2 as pdfium  # noqa: E402

from alur.importers.pdf import read_pdf  # noqa: E402
from alur.render import layout  # noqa: E402
from alur.render.pdf import to_pdf  # noqa: E402
from alur.sop.fileformat import load  # noqa: E402


def renders() -> list[bytes]:
    out = []
    for path in sorted((ROOT / "examples" / "library").glob("*.yaml")):
        sop = load(path).sop
        if sop is not None:
            out.append(to_pdf(sop, layout(sop)))
    return out


def concatenated(sources: list[bytes], pages: int) -> bytes:
    """`pages` pages taken from the renders in turn, whole documents first."""
    target = pdfium.PdfDocument.new()
    index = 0
    while len(target) < pages:
        source = pdfium.PdfDocument(sources[index % len(sources)])
        take = min(len(source), pages - len(target))
        target.import_pages(source, list(range(take)))
        index += 1
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("Rendering the examples…", flush=True)
    sources = renders()
    print(f"{'pages':>6} {'size KB':>8} {'SOPs':>5} {'time s':>8} {'ms/page':>8} "
          f"{'peak MB':>8} {'KB/page':>8}")
    for pages in args.pages:
        data = concatenated(sources, pages)
        read_pdf(data)  # warm-up (imports, caches)
        timings = []
        sops = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            sops, _findings = read_pdf(data)
            timings.append(time.perf_counter() - start)
        tracemalloc.start()
        read_pdf(data)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        median = statistics.median(timings)
        print(f"{pages:>6} {len(data) / 1024:>8.0f} {len(sops):>5} {median:>8.2f} "
              f"{median / pages * 1000:>8.0f} {peak / 2**20:>8.1f} "
              f"{peak / 1024 / pages:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
