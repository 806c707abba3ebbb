"""The tamper-evident event chain: each event's hash covers its content and the hash before it.

Chains are per case, so cases never wait for each other; the case row keeps the chain's head
(count and last hash) so removing the newest event is detected too. `verify` recomputes every
chain; `alur audit verify` runs it from cron or by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

GENESIS = "0" * 64


def canonical_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(prev_hash: str, *, case: str, seq: int, kind: str, at: dt.datetime,
               by: int | None, by_name: str, task_key: str, data: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's canonical JSON."""
    payload = json.dumps({
        "case": case, "seq": seq, "kind": kind, "at": canonical_time(at), "by": by,
        "by_name": by_name, "task": task_key, "data": data,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    case: str
    seq: int | None
    message: str


def verify(cases=None) -> Iterator[Problem]:
    """Every break in every chain (or in the given cases' chains)."""
    from .models import Case, Event

    queryset = Case.objects.all() if cases is None else cases
    for case in queryset.order_by("pk").iterator(chunk_size=500):
        yield from _verify_case(case, Event.objects.filter(case=case).order_by("seq"))


def _verify_case(case, events) -> Iterator[Problem]:
    case_ref = str(case.public_id)
    prev, expected_seq = GENESIS, 1
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            yield Problem(case_ref, event.seq, _(
                "sequence broken: expected {expected}, found {found}").format(
                expected=expected_seq, found=event.seq))
        if event.prev_hash != prev:
            yield Problem(case_ref, event.seq, _(
                "previous hash does not match (an event was inserted or removed)"))
        actual = event_hash(event.prev_hash, case=case_ref, seq=event.seq, kind=event.kind,
                            at=event.at, by=event.by_id, by_name=event.by_name,
                            task_key=event.task_key, data=event.data)
        if actual != event.hash:
            yield Problem(case_ref, event.seq, _("the event was changed after it was recorded"))
        prev, expected_seq = event.hash, event.seq + 1
    if expected_seq - 1 != case.event_count or prev != (case.head_hash or GENESIS):
        yield Problem(case_ref, None, _(
            "{found} event(s) found, {recorded} recorded: the newest events were removed or "
            "the chain head was changed").format(found=expected_seq - 1,
                                                 recorded=case.event_count))
