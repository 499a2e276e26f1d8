"""Append audit events that are not case events (logins, PII reveals, exports, admin changes)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from redressal.audit.chain import digest, seal
from redressal.audit.models import AuditEvent, ChainHead
from redressal.core.clock import now


def audit_fields(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "type": e.type,
        "actor": e.actor_id,
        "role": e.actor_role,
        "at": e.at,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "reason": e.reason,
        "payload": e.payload,
    }


def head_seal(head: ChainHead) -> str:
    return seal("audit", head.seq, head.hash, head.keyed_from)


def record_audit(
    type: str,
    *,
    actor_id: int | None,
    actor_role: str = "",
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            type=type,
            actor_id=actor_id,
            actor_role=actor_role,
            at=now(),
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            payload=payload or {},
            prev_hash=head.hash,
        )
        event.hash = digest(head.hash, audit_fields(event))
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.seal = head_seal(head)
        head.save(update_fields=["seq", "hash", "seal"])
    return event
