"""The QA records' audit trail: who did what to which record, when (the audit chain) and why."""

from __future__ import annotations

from typing import Any

from redressal.audit.services import record_audit
from redressal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.org.authz import Actor


def audit(
    type_: str, actor: Actor | None, object_type: str, object_id: object, reason: str = "", **payload: Any
) -> None:
    record_audit(
        type_,
        actor_id=actor.id if actor else None,
        actor_role=actor.primary_role if actor else "system",
        object_type=object_type,
        object_id=str(object_id),
        reason=reason,
        payload=payload,
    )


# Refusals that are about who is acting, not about what was entered.
_WHO = {"qa.own_case", "qa.appeal_not_handler", "qa.appeal_own_scores", "qa.appeal_self"}


def refused(exc: DomainError) -> ServiceError:
    if exc.rule in _WHO:
        return PermissionDenied(exc.rule, exc.message, field=exc.field)
    return ValidationFailed(exc.rule, exc.message, field=exc.field)
