"""The audit trail of the library's and training's objects (they are not cases: audit events, not case
events), as ``org.grants`` records role grants."""

from __future__ import annotations

from typing import Any

from redressal.audit.services import record_audit
from redressal.org.authz import Actor


def audit(type_: str, actor: Actor, object_type: str, object_id: object, reason: str = "", **payload: Any) -> None:
    record_audit(
        type_,
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason,
        payload=payload,
    )
