"""Read one document in a child process with a time and a memory limit.

`read_document` never raises on bad data, but a crafted document can still make it slow (a
zip bomb in a .docx, a table of a million empty cells) or hungry. Inside a web request or a
background worker that one file would hold the process for as long as it likes, or take it
down. So the web import reads each uploaded file in a fresh Python child
(`python -m alur.importers.isolated`): the child limits its own address space
(`RLIMIT_AS`) and CPU time before it reads, and the parent kills it when the wall-clock
limit passes. Whatever happens to the child becomes a finding for that file, in the reader's
language, never a stack trace; the parent only ever sees JSON (`alur-sop/1` data and
findings) or an exit code.

The review page's outlines of the recognised symbols (`outlines.page_symbols`) are measured
in the same kind of child (`symbols_isolated`): whatever stops it, the review simply has no
outlines.

A long PDF or scan reports each page read (`progress.page_done`) through a pipe of its own
(`on_page`), so the web import's progress page can say "page 12 of 80" while one file is read.

The price is a Python start-up per file (a fraction of a second), small beside the reading
itself and paid once per uploaded document.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alur.i18n import N_
from alur.sop import Finding, from_data, to_data
from alur.sop.codes import E, Message, register

from . import ImportResult
from .progress import PageCallback, reporting

READ_TIMEOUT = register(
    "import.time-limit", E, "reading the document took longer than its time limit; the reader "
    "was stopped and nothing was taken from the file",
    N_("Reading this file took longer than {seconds} seconds and was stopped; no SOP was taken "
       "from it. Split the document into smaller files or save it again in a simpler format, "
       "then upload it again."))
READ_MEMORY = register(
    "import.memory-limit", E, "reading the document needed more memory than allowed; the "
    "reader was stopped and nothing was taken from the file",
    N_("Reading this file needed more than {megabytes} MB of memory and was stopped; no SOP was "
       "taken from it. Split the document into smaller files, then upload it again."))
READ_FAILED = register(
    "import.reader-stopped", E, "the reader stopped unexpectedly on this document (it crashed "
    "or returned nothing usable); nothing was taken from the file",
    N_("This file could not be read: the reader stopped unexpectedly. No SOP was taken from "
       "it; check that the file opens in its own program, then upload it again."))

MEMORY_EXIT = 3  # the child's exit code when reading ran out of its address space
# Test-only: a child reading a file whose name contains this variable's value sleeps instead,
# honoured only under pytest (which sets PYTEST_CURRENT_TEST), so that a test can make one
# child exceed its time limit for real.
TEST_SLOW_VARIABLE = "ALUR_TEST_SLOW_FILE"


@dataclass(frozen=True)
class Limits:
    """What one document may take: wall-clock seconds and megabytes of address space."""

    seconds: float = 30
    megabytes: int = 1024


def read_isolated(path: str | Path, *, taken_ids: set[str] | None = None,
                  limits: Limits | None = None, language: str | None = None,
                  on_page: PageCallback | None = None) -> ImportResult:
    """`read_document(path)` in a limited child; `taken_ids` is updated with the ids found,
    as `read_document` does. `language` ("id", "en") is the language of its findings.
    `on_page(done, total)` hears, in this thread, of the pages read so far: about every
    `PAGE_POLL_SECONDS` while the child reads (not necessarily every page) and once at the end."""
    limits = limits or Limits()
    path = Path(path)
    env = dict(os.environ)
    if language:
        env["ALUR_LANGUAGE"] = language
    started = time.monotonic()
    with _PagePipe() if on_page else nullcontext(None) as pages:
        request = json.dumps({"path": str(path), "taken": sorted(taken_ids or ()),
                              "megabytes": limits.megabytes,
                              "progress_fd": pages.write_fd if pages else None,
                              "cpu_seconds": max(1, int(limits.seconds) + 1)})
        child = subprocess.Popen(
            [sys.executable, "-m", "alur.importers.isolated"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            pass_fds=(pages.write_fd,) if pages else ())
        if pages:
            pages.child_started()
        stdout = _answer(child, request.encode(), started + limits.seconds,
                         lambda: pages.report(on_page) if pages and on_page else None)
        if pages and on_page:
            pages.finish()
            pages.report(on_page)
    if stdout is None:  # the wall-clock limit passed; the child was killed
        return _failed(READ_TIMEOUT(seconds=_seconds(limits.seconds)), path)
    if child.returncode == MEMORY_EXIT:
        return _failed(READ_MEMORY(megabytes=limits.megabytes), path)
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and \
            time.monotonic() - started >= limits.seconds * 0.9:
        return _failed(READ_TIMEOUT(seconds=_seconds(limits.seconds)), path)
    try:
        if child.returncode != 0:
            raise ValueError(child.returncode)
        answer = json.loads(stdout)
        read = [from_data(data).sop for data in answer["sops"]]
        sops = [sop for sop in read if sop is not None]
        if len(sops) != len(read):
            raise ValueError("invalid SOP data")
        findings = [Finding.model_validate(f) for f in answer["findings"]]
    except (ValueError, KeyError, TypeError):
        return _failed(READ_FAILED(), path)
    if taken_ids is not None:
        taken_ids.update(sop.id for sop in sops)
    return ImportResult(sops, findings)


PAGE_POLL_SECONDS = 0.5


def _answer(child: subprocess.Popen[bytes], request: bytes, deadline: float,
            tick: Callable[[], None]) -> bytes | None:
    """The child's stdout once it exits, calling `tick` between waits; None (the child
    killed) when `deadline` passes first. Retrying `communicate` after its timeout loses no
    output; the request is sent on the first call only."""
    given: bytes | None = request
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            child.kill()
            child.communicate()
            return None
        try:
            stdout, _ = child.communicate(given, timeout=min(left, PAGE_POLL_SECONDS))
            return stdout
        except subprocess.TimeoutExpired:
            given = None
            tick()


class _PagePipe:
    """The pipe a child writes "done total" lines to, one per page read, and a thread that
    keeps the latest. The thread only remembers; the reader's thread reports (`report`), so
    a listener that writes to the database does so from the thread that owns its connection."""

    def __init__(self) -> None:
        self._read_fd, self.write_fd = os.pipe()
        self._latest: tuple[int, int] | None = None
        self._reported: tuple[int, int] | None = None
        self._thread = threading.Thread(target=self._listen, daemon=True)

    def __enter__(self) -> _PagePipe:
        self._thread.start()
        return self

    def child_started(self) -> None:
        """The child holds its own copy of the writing end: close ours, so the thread meets
        the end of the pipe when the child ends, however it ends."""
        os.close(self.write_fd)
        self.write_fd = -1

    def finish(self) -> None:
        self._thread.join(timeout=5)

    def report(self, on_page: PageCallback) -> None:
        latest = self._latest
        if latest is not None and latest != self._reported:
            self._reported = latest
            on_page(*latest)

    def __exit__(self, *_exc: object) -> None:
        if self.write_fd != -1:
            os.close(self.write_fd)
        self._thread.join(timeout=5)

    def _listen(self) -> None:
        with os.fdopen(self._read_fd, "r", encoding="ascii", errors="replace") as lines:
            for line in lines:
                parts = line.split()
                if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    self._latest = (int(parts[0]), int(parts[1]))


def symbols_isolated(path: str | Path, *, limits: Limits | None = None,
                     max_pages: int = 300) -> list[dict[str, Any]] | None:
    """`outlines.page_symbols(path)` in a limited child, or None when the child failed, ran
    out of time or memory, or answered nothing usable."""
    limits = limits or Limits()
    request = json.dumps({"task": "symbols", "path": str(path), "max_pages": max_pages,
                          "megabytes": limits.megabytes,
                          "cpu_seconds": max(1, int(limits.seconds) + 1)})
    try:
        child = subprocess.run(
            [sys.executable, "-m", "alur.importers.isolated"], input=request.encode(),
            capture_output=True, timeout=limits.seconds, check=False)
    except subprocess.TimeoutExpired:
        return None
    if child.returncode != 0:
        return None
    try:
        symbols = json.loads(child.stdout)["symbols"]
    except (ValueError, KeyError, TypeError):
        return None
    return symbols if isinstance(symbols, list) else None


def _seconds(value: float) -> str:
    return f"{value:g}"


def _failed(message: Message, path: Path) -> ImportResult:
    return ImportResult([], [message.at(file=str(path))])


def _child() -> int:
    """The child's side: limit itself, read, print JSON on stdout; exit 3 when out of memory."""
    request = json.loads(sys.stdin.read())
    megabytes, cpu = request["megabytes"], request["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    slow = os.environ.get(TEST_SLOW_VARIABLE)
    if os.environ.get("PYTEST_CURRENT_TEST") and slow and slow in Path(request["path"]).name:
        time.sleep(3600)
    out = sys.stdout
    sys.stdout = sys.stderr  # a reader's stray print cannot corrupt the answer
    try:
        if request.get("task") == "symbols":
            from .outlines import page_symbols

            answer = json.dumps({"symbols": page_symbols(request["path"],
                                                         max_pages=request["max_pages"])})
        else:
            from . import read_document

            with _reporting_to(request.get("progress_fd")):
                result = read_document(request["path"], taken_ids=set(request["taken"]))
            answer = json.dumps({"sops": [to_data(s, full=True) for s in result.sops],
                                 "findings": [f.model_dump(mode="json")
                                              for f in result.findings]})
    except MemoryError:
        return MEMORY_EXIT
    out.write(answer)
    out.flush()
    return 0


@contextmanager
def _reporting_to(fd: int | None) -> Iterator[None]:
    """In the child: each page read is written to the parent's progress pipe, if it gave one."""
    if fd is None:
        yield
        return
    pipe = os.fdopen(fd, "w", encoding="ascii", buffering=1)

    def write(done: int, total: int) -> None:
        pipe.write(f"{done} {total}\n")

    with pipe, reporting(write):
        yield


if __name__ == "__main__":
    sys.exit(_child())
