"""A 100-file import through the web page while people keep using the site, run by hand:
`.venv/bin/python benchmarks/import_jobs.py [--files 100] [--port 8765]`.

What the issue asks: an import of many files runs as a background job with progress, and the
site stays responsive meanwhile. The script runs the real thing on the embedded default: a
scratch data folder (SQLite), `alur demo --no-serve` for the accounts, then `alur serve` (gunicorn
with its default workers, plus the job worker it starts) as a child process on a local port. It
makes the files (the 28 examples written as Word, Excel and PDF by alur's renderers, then the
seed extracts and the text-copy fixtures, cycled up to `--files`), logs in as the demo Penyusun
over HTTP, and uploads them all in one POST. While the job runs, one thread polls the job's
progress page (as the page's htmx does) and another loads the library page back to back, as a
colleague browsing would.

Prints: the upload's answer time (the request only stores the files and queues the job), the
job's wall time and files per second, the progress seen (distinct percentages), and the library
page's latency (p50, p95, max) idle and during the job. Nothing is asserted; the figures are for
the developer's note.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "library"
SEEDS = Path("/work/shared/seeds")
COPIES = ROOT / "tests" / "importers" / "fixtures" / "pdfcopy"
PASSWORD = "bench-rahasia-1"


def make_files(folder: Path, count: int) -> list[Path]:
    """`count` documents in the formats agencies hold, made by alur's own writers."""
    from alur.render import layout
    from alur.render.docx import to_docx
    from alur.render.pdf import to_pdf
    from alur.render.xlsx import to_xlsx
    from alur.sop import load

    writers = [("docx", to_docx), ("xlsx", to_xlsx), ("pdf", to_pdf)]
    made: list[Path] = []
    sources = sorted(EXAMPLES.glob("*.yaml"))
    extra = sorted(SEEDS.glob("*.txt")) + sorted(COPIES.glob("*.txt"))
    for number, (suffix, write) in enumerate(itertools.cycle(writers)):
        if len(made) >= count - min(len(extra), count // 5) or number >= 3 * len(sources):
            break
        sop = load(sources[number // 3]).sop
        assert sop is not None
        target = folder / f"{number:03d}-{sop.id}.{suffix}"
        target.write_bytes(write(sop, layout(sop)))
        made.append(target)
    for source in itertools.cycle(extra):
        if len(made) >= count:
            break
        target = folder / f"{len(made):03d}-{source.name}"
        shutil.copy(source, target)
        made.append(target)
    return made


def _percentiles(times: list[float]) -> str:
    if not times:
        return "no requests"
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"{len(times)} requests, p50 {statistics.median(ordered) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")


def _browse(base: str, session: requests.Session, stop: threading.Event,
            times: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        answer = session.get(f"{base}/", timeout=60)
        answer.raise_for_status()
        times.append(time.perf_counter() - started)


def _login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/masuk/", timeout=30)
    token = session.cookies.get("csrftoken") or re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{base}/masuk/", data={
        "username": "penyusun", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/masuk/"}, timeout=30)
    if "keluar" not in answer.text:
        sys.exit("login failed")
    return session


def _wait_for(base: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/masuk/", timeout=2)
            return
        except requests.RequestException:  # not listening yet, or still migrating
            time.sleep(0.5)
    sys.exit("the server did not start")


def run(count: int, port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="alur-bench-") as scratch:
        root = Path(scratch)
        (root / "in").mkdir()
        files = make_files(root / "in", count)
        env = {**os.environ, "ALUR_DATA_DIR": str(root / "data"),
               "ALUR_IMPORT_MAX_FILES": str(max(count, 100))}
        alur = [sys.executable, "-m", "alur.cli.main"]
        subprocess.run([*alur, "demo", "--no-serve", "--no-history", "--password", PASSWORD],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen([*alur, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            _wait_for(base)
            measure(base, files)
        finally:
            os.killpg(server.pid, 15)
            server.wait(30)


def measure(base: str, files: list[Path]) -> None:
    session, browser = _login(base), _login(base)
    idle: list[float] = []
    for _ in range(20):
        started = time.perf_counter()
        browser.get(f"{base}/", timeout=60).raise_for_status()
        idle.append(time.perf_counter() - started)
    page = session.get(f"{base}/impor/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    unit = re.search(r'<option value="(\d+)"', page.text)
    handles = [("files", (f.name, f.open("rb"))) for f in files]
    started = time.perf_counter()
    answer = session.post(f"{base}/impor/", data={
        "csrfmiddlewaretoken": token, "unit": unit.group(1) if unit else ""},
        files=handles, headers={"Referer": f"{base}/impor/"}, allow_redirects=False,
        timeout=300)
    upload = time.perf_counter() - started
    for _name, (_file, handle) in handles:
        handle.close()
    if answer.status_code != 302:
        sys.exit(f"upload refused: {answer.status_code}")
    job_url = base + answer.headers["Location"]
    during: list[float] = []
    stop = threading.Event()
    browsing = threading.Thread(target=_browse, args=(base, browser, stop, during))
    browsing.start()
    seen: set[int] = set()
    try:
        while True:
            poll = session.get(job_url, allow_redirects=False, timeout=60)
            if poll.status_code != 200 or "hx-trigger" not in poll.text:
                break  # redirected to the review, or finished without SOPs
            seen.update(int(v) for v in re.findall(r'<progress max="\d+" value="(\d+)"',
                                                   poll.text))
            time.sleep(1)
    finally:
        stop.set()
        browsing.join()
    wall = time.perf_counter() - started
    print(f"{len(files)} files ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB) "
          f"uploaded in one POST: answered in {upload:.2f} s")
    print(f"job done after {wall:.1f} s ({len(files) / wall:.1f} files/s); the progress page "
          f"showed {len(seen)} different counts of files read: "
          f"{', '.join(str(n) for n in sorted(seen))}")
    print(f"library page idle:       {_percentiles(idle)}")
    print(f"library page during job: {_percentiles(during)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    run(args.files, args.port)


if __name__ == "__main__":
    main()
