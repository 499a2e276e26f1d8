"""Password resets with four eyes, and each person's own password change (SPEC §1, §13).

No administrator sets another staff member's password: whoever knows it can sign in as that person and
use their roles — a branch head's case content and personal data — which would undo the four eyes on
role grants (:mod:`redressal.org.grants`). A reset is asked for by one administrator and approved by a
second; the approval sets a random temporary password, shown once to the approver to hand over, and
marks the account: signed in with it, the session can do nothing but choose a new password
(``web.middleware.PasswordChangeRequiredMiddleware``). Nobody asks for or decides a reset of their own
password; each step is an audit event, which never holds a password.
"""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.grants import FourEyes, check_request
from redressal.org.authz import Actor
from redressal.org.four_eyes import PERMISSION, pending_for_decision, refused
from redressal.org.models import ApiToken, PasswordResetRequest, Staff

# Letters and digits without the look-alikes (0/O, 1/l/I): the approver reads it out or writes it down.
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
TEMPORARY_LENGTH = 16


def _audit(type_: str, actor: Actor, reset: PasswordResetRequest, reason: str = "", **extra: Any) -> None:
    record_audit(
        type_,
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="org.passwordresetrequest",
        object_id=str(reset.pk),
        reason=reason,
        payload={"staff": reset.staff.username, "requested_by": reset.requested_by.username, **extra},
    )


def check_reset(actor: Actor, staff: Staff) -> None:
    """What refuses a reset request before it is stored (the administration form shows the same answers)."""
    actor.require(PERMISSION)
    if not staff.is_active:
        raise ValidationFailed("inactive", f"{staff.username} is not active", field="staff")
    try:
        check_request(FourEyes.RESET, actor.id, int(staff.pk))
    except DomainError as exc:
        raise refused(exc) from None
    if PasswordResetRequest.objects.filter(staff=staff, status=PasswordResetRequest.Status.PENDING).exists():
        raise ValidationFailed("reset.pending", "a reset of this password is already awaiting approval",
                               field="staff")


def request_reset(*, actor: Actor, staff: Staff, reason: str) -> PasswordResetRequest:
    if not reason.strip():
        raise ValidationFailed("required", "say why the password is reset", field="reason")
    with transaction.atomic():
        check_reset(actor, staff)
        reset = PasswordResetRequest.objects.create(
            staff=staff, reason=reason.strip(), requested_by=actor.staff, requested_at=now()
        )
        _audit("admin.password_reset_requested", actor, reset, reason=reset.reason)
    return reset


def _decide(request_id: int, actor: Actor, *, approve: bool) -> PasswordResetRequest:
    return pending_for_decision(
        PasswordResetRequest, FourEyes.RESET, request_id, actor, approve=approve, related=("staff", "requested_by")
    )


def temporary_password(staff: Staff) -> str:
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(TEMPORARY_LENGTH))
        try:
            password_validation.validate_password(candidate, staff)
        except ValidationError:
            continue  # astronomically rare (similar to the name, a common password): draw again
        return candidate


def approve_reset(request_id: int, *, actor: Actor) -> tuple[PasswordResetRequest, str]:
    """The second administrator's approval: returns the temporary password, which is stored nowhere but
    as a hash. Changing the password ends the person's open sessions (Django's session hash) and their
    API tokens are revoked, so nothing signed in with the old password outlives the reset."""
    with transaction.atomic():
        reset = _decide(request_id, actor, approve=True)
        staff = reset.staff
        if not staff.is_active:
            raise ValidationFailed("inactive", f"{staff.username} is not active", field="staff")
        password = temporary_password(staff)
        staff.set_password(password)
        staff.must_change_password = True
        staff.temporary_password_expires_at = now() + timedelta(hours=settings.TEMPORARY_PASSWORD_HOURS)
        staff.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])
        revoked = ApiToken.objects.filter(staff=staff, revoked_at__isnull=True).update(revoked_at=now())
        reset.status, reset.decided_by, reset.decided_at = PasswordResetRequest.Status.APPROVED, actor.staff, now()
        reset.save()
        _audit("admin.password_reset_approved", actor, reset, api_tokens_revoked=revoked)
    return reset, password


def reject_reset(request_id: int, *, actor: Actor) -> PasswordResetRequest:
    """Another administrator refuses the request, or its requester withdraws it."""
    with transaction.atomic():
        reset = _decide(request_id, actor, approve=False)
        reset.status, reset.decided_by, reset.decided_at = PasswordResetRequest.Status.REJECTED, actor.staff, now()
        reset.save()
        _audit("admin.password_reset_rejected", actor, reset)
    return reset


def change_own_password(staff: Staff, new_password: str) -> None:
    """A person's own change (they proved the current password): clears a pending forced change."""
    with transaction.atomic():
        forced = staff.must_change_password
        staff.set_password(new_password)
        staff.must_change_password = False
        staff.temporary_password_expires_at = None
        staff.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])
        record_audit(
            "auth.password_changed",
            actor_id=staff.pk,
            object_type="staff",
            object_id=staff.get_username(),
            payload={"after_reset": forced},
        )
