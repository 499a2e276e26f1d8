"""Role grants with four eyes (SPEC §1, §13): requested by one administrator, approved by another.

A ``RoleAssignment`` is created only by :func:`approve_grant` (and by ``org.services.create_staff``,
the system path the demo seeder and tests use, which no page or API reaches). Nobody requests,
approves or rejects a grant to themselves, and each step is an audit event. Taking a role away
needs one administrator (it narrows access): the administration site deletes the assignment, and
that deletion is audited with what was held (``admin.delete``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.grants import FourEyes
from redressal.domain.grants import check_request as check_four_eyes_request
from redressal.domain.roles import Role
from redressal.org.authz import Actor
from redressal.org.four_eyes import PERMISSION, pending_for_decision, refused
from redressal.org.models import OrgUnit, RoleAssignment, RoleGrantRequest, Staff


def _audit(type_: str, actor: Actor, grant: RoleGrantRequest, reason: str = "", **extra: Any) -> None:
    record_audit(
        type_,
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="org.rolegrantrequest",
        object_id=str(grant.pk),
        reason=reason,
        payload={
            "staff": grant.staff.username,
            "role": grant.role,
            "unit": grant.unit.code,
            "include_subtree": grant.include_subtree,
            "requested_by": grant.requested_by.username,
            **extra,
        },
    )


def check_request(actor: Actor, staff: Staff, role: str, unit: OrgUnit) -> None:
    """What refuses a request before it is stored (the administration form shows the same answers)."""
    actor.require(PERMISSION)
    if role not in {r.value for r in Role}:
        raise ValidationFailed("invalid_choice", f"unknown role '{role}'", field="role")
    if not staff.is_active:
        raise ValidationFailed("inactive", f"{staff.username} is not active", field="staff")
    try:
        check_four_eyes_request(FourEyes.GRANT, actor.id, int(staff.pk))
    except DomainError as exc:
        raise refused(exc) from None
    if RoleAssignment.objects.filter(staff=staff, role=role, unit=unit).exists():
        raise ValidationFailed("grant.exists", f"{staff.username} already holds {role} at {unit.code}", field="role")
    pending = RoleGrantRequest.objects.filter(staff=staff, role=role, unit=unit, status=RoleGrantRequest.Status.PENDING)
    if pending.exists():
        raise ValidationFailed("grant.pending", "the same grant is already awaiting approval", field="role")


def request_grant(
    *, actor: Actor, staff: Staff, role: str, unit: OrgUnit, include_subtree: bool = True, reason: str
) -> RoleGrantRequest:
    if not reason.strip():
        raise ValidationFailed("required", "say why the role is needed", field="reason")
    with transaction.atomic():
        check_request(actor, staff, role, unit)
        grant = RoleGrantRequest.objects.create(
            staff=staff,
            role=role,
            unit=unit,
            include_subtree=include_subtree,
            reason=reason.strip(),
            requested_by=actor.staff,
            requested_at=now(),
        )
        _audit("admin.role_grant_requested", actor, grant, reason=grant.reason)
    return grant


def _decide(request_id: int, actor: Actor, *, approve: bool) -> RoleGrantRequest:
    return pending_for_decision(
        RoleGrantRequest, FourEyes.GRANT, request_id, actor, approve=approve, related=("staff", "unit", "requested_by")
    )


def approve_grant(request_id: int, *, actor: Actor, reason: str = "") -> RoleAssignment:
    """The second administrator's approval: only now does the role take effect."""
    with transaction.atomic():
        grant = _decide(request_id, actor, approve=True)
        if not grant.staff.is_active:
            raise ValidationFailed("inactive", f"{grant.staff.username} is not active", field="staff")
        assignment, created = RoleAssignment.objects.get_or_create(
            staff=grant.staff, role=grant.role, unit=grant.unit, defaults={"include_subtree": grant.include_subtree}
        )
        if not created:
            raise ValidationFailed("grant.exists", "the role is already held", field="role")
        grant.status, grant.decided_by, grant.decided_at = RoleGrantRequest.Status.APPROVED, actor.staff, now()
        grant.decision_reason = reason.strip()
        grant.save()
        _audit("admin.role_grant_approved", actor, grant, reason=grant.decision_reason, assignment=assignment.pk)
    return assignment


def reject_grant(request_id: int, *, actor: Actor, reason: str = "") -> RoleGrantRequest:
    """Another administrator refuses the request, or its requester withdraws it."""
    with transaction.atomic():
        grant = _decide(request_id, actor, approve=False)
        grant.status, grant.decided_by, grant.decided_at = RoleGrantRequest.Status.REJECTED, actor.staff, now()
        grant.decision_reason = reason.strip()
        grant.save()
        _audit("admin.role_grant_rejected", actor, grant, reason=grant.decision_reason)
    return grant

