"""The decision half of a four-eyes request (role grants, password resets): lock it, check it is still
pending and that this administrator may decide it (``domain.grants.check_decision``)."""

from __future__ import annotations

from typing import Protocol, TypeVar

from django.db import models

from redressal.core.errors import Conflict, NotFound, ServiceError, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.grants import FourEyes, check_decision
from redressal.org.authz import Actor

PERMISSION = "admin.users"
PENDING = "pending"


class Request(Protocol):
    status: str
    requested_by_id: int
    staff_id: int


R = TypeVar("R", bound=models.Model)


def refused(exc: DomainError) -> ServiceError:
    return ValidationFailed(exc.rule, exc.message, field=exc.field)


def pending_for_decision(
    model: type[R], kind: FourEyes, request_id: int, actor: Actor, *, approve: bool, related: tuple[str, ...]
) -> R:
    """The pending request, locked for the decision, or the refusal naming why it cannot be decided."""
    actor.require(PERMISSION)
    found = model._default_manager.select_for_update().select_related(*related).filter(pk=request_id).first()
    if found is None:
        raise NotFound("not_found", f"no {kind} request {request_id}", field="request")
    request: Request = found  # type: ignore[assignment]
    if request.status != PENDING:
        raise Conflict(f"{kind}.decided", "this request has already been decided", field="request")
    try:
        check_decision(kind, actor.id, request.requested_by_id, request.staff_id, approve=approve)
    except DomainError as exc:
        raise refused(exc) from None
    return found
