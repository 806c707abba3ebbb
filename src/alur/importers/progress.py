"""Page-by-page progress of a long read, for whoever shows it (the CLI's bar, a job's page).

Readers that go page by page (PDF, scans) call `page_done` after each page; the caller that
wants to see it wraps the read in `reporting(callback)`. A context variable rather than a
parameter, so the readers' signatures and the isolated child process need not carry it, and a
read nobody watches costs one lookup per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
# (pages done, pages in the document)
PageCallback = Callable[[int, int], None]

_listener: ContextVar[PageCallback | None] = ContextVar("alur_page_progress", default=None)


@contextmanager
def reporting(callback: PageCallback) -> Iterator[None]:
    """Send the pages read inside this block to `callback`."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


def page_done(done: int, total: int) -> None:
    """A reader finished page `done` of `total`. Never lets a listener's failure stop a read."""
    listener = _listener.get()
    if listener is None:
        return
    try:
        listener(done, total)
    except Exception:  # progress is a courtesy: the read must go on without it
        _listener.set(None)


def each_page(pages: Iterable[T], total: int | None = None) -> Iterator[T]:
    """The pages as they are, reporting each one done when the reader asks for the next (so
    a page that raised and was skipped counts too). `total` None: as many as seen so far."""
    for number, page in enumerate(pages, start=1):
        yield page
        page_done(number, total or number)
