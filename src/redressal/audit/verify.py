from __future__ import annotations

from redressal.audit.chain import GENESIS, digest
from redressal.audit.models import AuditEvent
from redressal.audit.services import audit_fields


def verify_audit_chain() -> tuple[int, str] | None:
    prev = GENESIS
    expected = 1
    for e in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if e.seq != expected:
            return expected, "missing"
        if e.prev_hash != prev or digest(prev, audit_fields(e)) != e.hash:
            return e.seq, "altered"
        prev = e.hash
        expected += 1
    return None
