"""Speed and memory of the Word and Excel import, run by hand:
`.venv/bin/python benchmarks/import_office.py`.

Targets (issue 11): a 30-step DOCX with shapes < 1 s in-process; a 30-step XLSX < 1 s;
200 mixed files through `alur import` with peak memory < 500 MB; time linear in the number of
shapes (figures at 30, 300 and 3,000 shapes).
"""

from __future__ import annotations

import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "importers" / "fixtures" / "office"
sys.path.insert(0, str(ROOT / "src"))

from alur.importers.office import read_docx, read_xlsx  # noqa: E402
from alur.render import layout  # noqa: E402
from alur.render.docx import to_docx  # noqa: E402
from alur.render.xlsx import to_xlsx  # noqa: E402
from alur.sop.model import Actor, Sop, Step  # noqa: E402


def generated(steps: int, seed: int = 7) -> Sop:
    """An SOP of `steps` steps over five actors, a fifth of them deciding (Tidak two back)."""
    chance = random.Random(seed)
    actors = [Actor(id=f"a{i}", name=name) for i, name in
              enumerate(["Kepala Dinas", "Sekretaris", "Kasubag Umum", "Staf", "PNS"])]
    items = []
    for number in range(1, steps + 1):
        deciding = number % 5 == 0 and number < steps
        items.append(Step(
            number=number, activity=f"Memeriksa berkas permohonan nomor {number} dan "
            f"menyampaikan hasilnya", actors=[chance.choice(actors).id],
            kind="decision" if deciding else "process",
            on_yes=number + 1 if deciding else None,
            on_no=max(1, number - 2) if deciding else None,
            inputs=["Berkas permohonan"], time="15 menit", outputs=["Berkas"]))
    return Sop(id=f"acak-{steps}", name=f"SOP Acak {steps} Langkah", actors=actors,
               steps=items)


def timed(read, data: bytes, repeats: int) -> tuple[float, int]:
    read(data)  # warm-up
    timings = []
    steps = 0
    for _ in range(repeats):
        start = time.perf_counter()
        sops, _findings = read(data)
        timings.append(time.perf_counter() - start)
        steps = sum(len(s.steps) for s in sops)
    return statistics.median(timings), steps


def shapes_of(data: bytes) -> int:
    from alur.importers.docx import measure_docx

    return sum(len(s.drawn) for s in measure_docx(data).surfaces)


def main() -> None:
    sop = generated(30)
    docx, xlsx = to_docx(sop, layout(sop)), to_xlsx(sop, layout(sop))
    seconds, steps = timed(read_docx, docx, 10)
    print(f"DOCX, 30 steps, {shapes_of(docx)} shapes: {seconds * 1000:.0f} ms "
          f"(target < 1000 ms), {steps} steps read")
    seconds, steps = timed(read_xlsx, xlsx, 10)
    print(f"XLSX, 30 steps (alur's own, symbols in cells): {seconds * 1000:.0f} ms "
          f"(target < 1000 ms), {steps} steps read")
    drawn = FIXTURES / "pengaduan-inspektorat.xlsx"
    if drawn.exists():
        seconds, steps = timed(read_xlsx, drawn.read_bytes(), 10)
        print(f"XLSX with drawn shapes and glued connectors ({drawn.name}): "
              f"{seconds * 1000:.0f} ms, {steps} steps read")

    print("\nTime against the number of shapes (DOCX):")
    base = None
    for steps_count in (15, 150, 1500):
        big = generated(steps_count)
        data = to_docx(big, layout(big))
        shapes = shapes_of(data)
        seconds, _ = timed(read_docx, data, 3 if steps_count < 1500 else 1)
        per = seconds / shapes * 1000
        base = base or per
        print(f"  {shapes:>5} shapes ({steps_count} steps): {seconds * 1000:8.0f} ms, "
              f"{per:.2f} ms per shape ({per / base:.1f}× the smallest)")

    print("\n200 mixed files through `alur import` (one process):")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dokumen"
        folder.mkdir()
        sources = [p for p in FIXTURES.iterdir() if p.suffix in (".docx", ".xlsx")]
        examples = sorted((ROOT / "examples" / "library").glob("*.yaml"))
        from alur.sop.fileformat import load

        rendered = []
        for path in examples[:10]:
            example = load(path).sop
            assert example is not None
            rendered.append((f"{path.stem}.docx", to_docx(example, layout(example))))
            rendered.append((f"{path.stem}.xlsx", to_xlsx(example, layout(example))))
        seeds = sorted((ROOT / "tests" / "importers" / "fixtures" / "seeds").glob("*.txt"))
        count = 0
        while count < 200:
            for source in sources + seeds:
                if count < 200:
                    shutil.copyfile(source, folder / f"{count:03d}-{source.name}")
                    count += 1
            for name, data in rendered:
                if count < 200:
                    (folder / f"{count:03d}-{name}").write_bytes(data)
                    count += 1
        start = time.perf_counter()
        completed = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "alur"), "import", str(folder), "-o",
             str(Path(tmp) / "hasil"), "--force", "-q"], capture_output=True, text=True,
            check=False)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = completed.stdout.strip().splitlines()[-1] if completed.stdout else ""
        print(f"  {count} files in {wall:.1f} s, peak memory {peak:.0f} MB (target < 500 MB)")
        print(f"  {summary}")


if __name__ == "__main__":
    main()
