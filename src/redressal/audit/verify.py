"""Verification of the global audit chain: every link, and the sealed head against the last event."""

from __future__ import annotations

from redressal.audit.chain import GENESIS, link, seals_match
from redressal.audit.models import AuditEvent, ChainHead
from redressal.audit.services import audit_fields, head_seal


def verify_audit_chain() -> tuple[int, str] | None:
    """The first problem of the audit chain as (event seq, problem), or None."""
    head = ChainHead.objects.filter(pk=1).first()
    keyed_from = head.keyed_from if head else 1
    prev = GENESIS
    expected = 1
    for e in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if e.seq != expected:
            return expected, "missing"
        if e.prev_hash != prev or link(prev, audit_fields(e), seq=e.seq, keyed_from=keyed_from) != e.hash:
            return e.seq, "altered"
        prev = e.hash
        expected += 1
    last = expected - 1
    if head is None:
        return (last, "the audit chain head is missing") if last else None
    # Deleting the newest events leaves a head that names more events, or a later link, than are left.
    if head.seq != last:
        return last, f"the audit chain head records {head.seq} events but {last} are left (events deleted)"
    if head.hash != prev:
        return last, "the audit chain head does not match its last event"
    if not seals_match(head.seal, head_seal(head)):
        return last, "the audit chain head is not sealed by the audit key (rewritten)"
    return None
