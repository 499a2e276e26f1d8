"""The outbox as staff read it, scoped to the units they may read cases in (or, for an administrator,
the outbox as a whole): sent messages, the dead letters, and one case's messages with their attempts."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from redressal.notify.models import CustomerMessage, DeliveryAttempt
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids

LIST_STATES = ("sent", "waiting", "dead")
WAITING = ("pending", "sending", "deferred", "retry")


def visible_unit_ids(actor: Actor) -> set[int]:
    return set(scope_unit_ids(actor, "case.read")) | set(scope_unit_ids(actor, "outbox.read"))


def can_see(actor: Actor) -> bool:
    return bool(actor.scope_paths("case.read") or actor.scope_paths("outbox.read"))


def messages(actor: Actor, state: str = "sent") -> QuerySet[CustomerMessage]:
    qs = CustomerMessage.objects.filter(case__unit_id__in=visible_unit_ids(actor)).select_related("case", "case__unit")
    if state == "dead":
        qs = qs.filter(state="dead")
    elif state == "waiting":
        qs = qs.filter(state__in=WAITING)
    else:
        qs = qs.filter(state="sent")
    return qs.order_by("-created_at", "-pk")


def case_messages(case_id: int) -> list[CustomerMessage]:
    """A case's messages, oldest first, with their attempts (the caller has checked the case is readable)."""
    return list(
        CustomerMessage.objects.filter(case_id=case_id)
        .prefetch_related(Prefetch("delivery_attempts", queryset=DeliveryAttempt.objects.order_by("at", "pk")))
        .order_by("created_at", "pk")
    )
