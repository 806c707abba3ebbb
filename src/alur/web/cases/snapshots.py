"""Replayed cases kept in memory between transitions, so a step need not replay the whole log.

A transition needs the engine's state of its case. Replaying every event each time costs more
than all the transition's writes together once a case has a few steps, so the state a
transition leaves is kept here, keyed by the case, together with the chain head it belongs to
(event count and last hash). The next transition takes the snapshot, and uses it only if the
locked case row has that same head; otherwise it reads the events it lacks (another process
moved the case) or replays from the start (a transaction that wrote it was rolled back).
The hash chain makes the head a faithful name for the state: two different logs cannot share
a head.

A snapshot is *taken* (removed) by the transition that uses it and put back when that
transition has written its event, so two threads never mutate one state. The store is
bounded (least recently used first out), and per process: nothing here is shared, and losing
it costs only a replay.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

from alur.engine import Case as Run


@dataclass
class Snapshot:
    event_count: int
    head_hash: str
    run: Run


class SnapshotStore:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[int, Snapshot] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, case_pk: int) -> Snapshot | None:
        with self._lock:
            return self._items.pop(case_pk, None)

    def put(self, case_pk: int, snapshot: Snapshot) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[case_pk] = snapshot
            self._items.move_to_end(case_pk)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


snapshots = SnapshotStore(settings.ALUR_CASE_CACHE)
