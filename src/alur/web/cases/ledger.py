"""The ledger: case heads anchored in periodic, keyed, chained batches, and its exported head.

A case's own chain cannot tell that the whole case was deleted with its events, nor that it
was cut back to an earlier head (the earlier head is a genuine one). So every few minutes
`anchor` (a django-q2 schedule, or `alur audit anchor`) writes one block holding the head
(event count and hash) of every case that moved since it was last anchored, plus a keyed
digest of the case's own fields. Blocks are chained and keyed like events. Cases never wait:
the batch reads committed heads and locks no case row; only anchor runs wait for each other.

What the ledger cannot see by itself is its own newest blocks being deleted. For that the
operator exports its head (`alur audit export`: an HMAC-SHA256-signed JSON file) to a place
the database admin cannot write, and `alur audit verify --anchor FILE` checks the ledger
still reaches it. A case created and deleted between two anchor runs leaves no trace: the
window is the schedule's interval.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import GENESIS, Problem, canonical_time
from .auditkey import key_id, mac
from .models import Case, Event, LedgerBlock, LedgerEntry

EXPORT_FORMAT = "alur-audit-anchor/1"
CASE_FIELDS = ("public_id", "title", "version_id", "sop_id", "unit_id", "initiator_id",
               "parent_task_id", "started_at", "event_count", "head_hash")


def fields_hash(values: dict[str, Any]) -> str:
    """A keyed digest of the case row's fields the events do not carry."""
    return mac(json.dumps({
        "case": str(values["public_id"]), "title": values["title"],
        "version": values["version_id"], "sop": values["sop_id"], "unit": values["unit_id"],
        "initiator": values["initiator_id"], "parent_task": values["parent_task_id"],
        "started": canonical_time(values["started_at"])},
        sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def block_hash(prev_hash: str, *, seq: int, at: dt.datetime, key: str,
               entries: list[tuple[str, int, str, str]]) -> str:
    """The block's link: keyed, over the previous block's hash and its entries in order."""
    return mac(prev_hash + json.dumps({
        "seq": seq, "at": canonical_time(at), "key": key, "entries": sorted(entries)},
        ensure_ascii=False, separators=(",", ":")))


def _unanchored() -> QuerySet[Case]:
    """Cases whose head moved since their last entry (or that were never anchored)."""
    anchored = LedgerEntry.objects.filter(case_ref=OuterRef("public_id")) \
        .order_by("-event_count").values("event_count")[:1]
    return Case.objects.annotate(anchored=Subquery(anchored)).filter(
        Q(anchored__isnull=True, event_count__gt=0) | Q(event_count__gt=F("anchored")))


def anchor(now: dt.datetime | None = None) -> LedgerBlock | None:
    """Append one block with every case whose head moved; None when none did (or another
    run appended the same block number first: its block holds these heads or newer ones)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            last = LedgerBlock.objects.select_for_update().order_by("-seq").first()
            rows = list(_unanchored().order_by("pk").values(*CASE_FIELDS))
            if not rows:
                return None
            entries = [(str(r["public_id"]), r["event_count"], r["head_hash"], fields_hash(r))
                       for r in rows]
            seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
            kid = key_id()
            block = LedgerBlock.objects.create(
                seq=seq, at=now, key_id=kid, prev_hash=prev,
                hash=block_hash(prev, seq=seq, at=now, key=kid, entries=entries))
            LedgerEntry.objects.bulk_create(
                LedgerEntry(block=block, case_ref=ref, event_count=count, head_hash=head,
                            fields_hash=digest) for ref, count, head, digest in entries)
    except IntegrityError:
        return None
    return block


def run_anchor() -> int:
    """The periodic job (django-q2 schedule): how many cases were anchored."""
    block = anchor()
    return 0 if block is None else block.entries.count()


# --- verifying -----------------------------------------------------------------------------------

def verify_ledger(anchor_file: Path | None = None) -> Iterator[Problem]:
    """The ledger's own chain, each anchored case against the database, and the ledger
    against the exported head when a file is given."""
    heads: dict[str, tuple[int, str, str]] = {}
    prev, expected_seq, own_key = GENESIS, 1, key_id()
    hashes: dict[int, str] = {}
    blocks = LedgerBlock.objects.order_by("seq").prefetch_related("entries")
    for block in blocks.iterator(chunk_size=200):
        entries = [(str(e.case_ref), e.event_count, e.head_hash, e.fields_hash)
                   for e in block.entries.all()]
        yield from _verify_block(block, entries, prev, expected_seq, own_key)
        for ref, count, head, digest in entries:
            if count >= heads.get(ref, (0, "", ""))[0]:
                heads[ref] = (count, head, digest)
        hashes[block.seq] = block.hash
        prev, expected_seq = block.hash, block.seq + 1
    yield from _verify_heads(heads)
    if anchor_file is not None:
        yield from verify_against_export(anchor_file, hashes)


def _verify_block(block: LedgerBlock, entries: list[tuple[str, int, str, str]], prev: str,
                  expected_seq: int, own_key: str) -> Iterator[Problem]:
    if block.seq != expected_seq:
        yield Problem("", None, _(
            "ledger sequence broken: expected {expected}, found {found}").format(
            expected=expected_seq, found=block.seq), block=block.seq)
    if block.prev_hash != prev:
        yield Problem("", None, _("the previous block's hash does not match (a block was "
                                  "removed or inserted)"), block=block.seq)
    if block.key_id != own_key:
        yield Problem("", None, _("the block was sealed with another audit key than the one "
                                  "in use"), block=block.seq)
        return
    actual = block_hash(block.prev_hash, seq=block.seq, at=block.at, key=block.key_id,
                        entries=entries)
    if not hmac.compare_digest(actual, block.hash):
        yield Problem("", None, _("the block was changed after it was written"),
                      block=block.seq)


def _verify_heads(heads: dict[str, tuple[int, str, str]]) -> Iterator[Problem]:
    """Each anchored case still exists, still reaches its anchored head, and its own fields
    are those anchored."""
    for start in range(0, len(heads), 500):
        refs = sorted(heads)[start:start + 500]
        cases = {str(c["public_id"]): c for c in
                 Case.objects.filter(public_id__in=refs).values("pk", *CASE_FIELDS)}
        for ref in refs:
            count, head, digest = heads[ref]
            case = cases.get(ref)
            if case is None:
                yield Problem(ref, None, _(
                    "the case was anchored with {count} event(s) but is missing: it was "
                    "deleted").format(count=count))
                continue
            at_anchor = Event.objects.filter(case_id=case["pk"], seq=count) \
                .values_list("hash", flat=True).first()
            if case["event_count"] < count or at_anchor != head:
                yield Problem(ref, None, _(
                    "the chain no longer reaches the head anchored at event {count}: it was "
                    "cut back or rewritten").format(count=count))
            if not hmac.compare_digest(fields_hash(case), digest):
                yield Problem(ref, None, _(
                    "the case's own fields (SOP version, initiator, unit, title, start) "
                    "differ from those anchored"))


# --- the exported head ---------------------------------------------------------------------------

def _signed(body: dict[str, Any]) -> str:
    return mac(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def export(path: Path) -> dict[str, Any]:
    """Anchor what moved, then write the ledger's head, signed with HMAC-SHA256 under the
    audit key, to `path` (a place the database admin cannot write)."""
    anchor()
    last = LedgerBlock.objects.order_by("-seq").first()
    body = {"format": EXPORT_FORMAT, "block": last.seq if last else 0,
            "hash": last.hash if last else GENESIS, "key": key_id(),
            "exported_at": canonical_time(timezone.now())}
    document = {**body, "signature": _signed(body)}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return document


def verify_against_export(path: Path, hashes: dict[int, str]) -> Iterator[Problem]:
    """The exported head must be genuine (its signature) and still be in the ledger."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        body = {k: document[k] for k in ("format", "block", "hash", "key", "exported_at")}
        signature = str(document["signature"])
        block = int(body["block"])
    except (OSError, ValueError, KeyError, TypeError):
        yield Problem("", None, _("the anchor file {file} cannot be read as an exported "
                                  "ledger head").format(file=path))
        return
    if body["format"] != EXPORT_FORMAT or not hmac.compare_digest(signature, _signed(body)):
        yield Problem("", None, _("the anchor file {file} is not signed with the audit key "
                                  "in use").format(file=path))
        return
    if block and hashes.get(block) != body["hash"]:
        yield Problem("", None, _(
            "the ledger no longer holds the block exported to {file}: blocks were removed or "
            "rewritten").format(file=path), block=block)
