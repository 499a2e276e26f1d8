"""Sending a dead letter again: a person's decision, so it is permitted (``outbox.retry`` over the
case's unit), refused otherwise, and audited with who, when and why."""

from __future__ import annotations

from django.db import transaction

from redressal.audit.services import record_audit
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.notify.models import CustomerMessage
from redressal.org.authz import Actor
from redressal.outbox.selectors import visible_unit_ids


def retry_dead_letter(actor: Actor, message_id: int, reason: str = "") -> CustomerMessage:
    message = CustomerMessage.objects.select_related("case", "case__unit").filter(pk=message_id).first()
    # A message of a case the person may not read is "not found", as the case itself would be.
    if message is None or message.case.unit_id not in visible_unit_ids(actor):
        raise NotFound("not_found", "message not found")
    if not actor.has("outbox.retry", message.case.unit):
        raise PermissionDenied("permission_denied", "missing permission 'outbox.retry'")
    if len(reason) > 500:
        raise ValidationFailed("too_long", "the reason is at most 500 characters", field="reason")
    with transaction.atomic():
        # Conditional: two people pressing the button at once send it again once.
        changed = CustomerMessage.objects.filter(pk=message.pk, state="dead").update(
            state="pending", attempts=0, next_attempt_at=None, last_error=""
        )
        if not changed:
            raise Conflict("outbox.not_dead", "only a dead letter can be sent again")
        record_audit(
            "outbox.retry",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="notify.customermessage",
            object_id=str(message.pk),
            reason=reason,
            payload={"case_number": message.case.case_number, "kind": message.kind, "attempts": message.attempts},
        )
    message.refresh_from_db()
    return message
