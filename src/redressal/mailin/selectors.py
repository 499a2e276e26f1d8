"""The inbound-mail list for those who manage the mailbox (``mail.manage`` over the intake unit)."""

from __future__ import annotations

from django.db.models import QuerySet

from redressal.core.errors import PermissionDenied
from redressal.mailin.models import InboundMail
from redressal.mailin.services import PERMISSION, may_manage
from redressal.org.authz import Actor

LIST_STATES = ("quarantined", "all")


def inbound_mails(actor: Actor, state: str = "quarantined") -> QuerySet[InboundMail]:
    if not may_manage(actor):
        raise PermissionDenied("permission_denied", f"missing permission '{PERMISSION}'")
    qs = InboundMail.objects.select_related("case", "handled_by").order_by("-received_at", "-pk")
    if state == "quarantined":
        qs = qs.filter(outcome=InboundMail.Outcome.QUARANTINED)
    return qs


def quarantined_count() -> int:
    return InboundMail.objects.filter(outcome=InboundMail.Outcome.QUARANTINED).count()
