"""Call events from the bank's telephony (CTI) system, and the pop for the agent who answers (SPEC §9).

The pop shows no more than the agent may see: the caller is matched by the phone's blind index among
the customers *that agent* may find (``customers.scope``), and only the open cases they may read are
listed; a customer of another branch answers as an unknown caller. Screens mask the customer's PII
as everywhere else (``core.masking``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from redressal.cases.models import Case
from redressal.cases.selectors import visible_cases
from redressal.core.clock import now
from redressal.core.errors import NotFound, ValidationFailed
from redressal.cti.models import AgentExtension, CallEvent, CallPop
from redressal.customers.models import Customer
from redressal.customers.scope import findable
from redressal.customers.services import find_customers
from redressal.domain.cti import EVENTS
from redressal.domain.lifecycle import OPEN_STATES
from redressal.org.authz import Actor, actor_for
from redressal.org.models import Staff

MAX_OPEN_CASES = 10


@dataclass(frozen=True)
class CallInput:
    call_id: str
    event: str
    caller: str
    agent: str
    at: datetime


def parse_call(data: object) -> CallInput:
    """The webhook's JSON body, checked field by field."""
    if not isinstance(data, dict):
        raise ValidationFailed("invalid", "the body must be a JSON object", field="body")

    def text(name: str, limit: int, required: bool = True) -> str:
        value = data.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise ValidationFailed("required", f"{name} is required (a string)", field=name)
        if len(value) > limit:
            raise ValidationFailed("too_long", f"{name}: at most {limit} characters", field=name)
        return value.strip()

    call_id, event = text("call_id", 64), text("event", 16)
    if event not in EVENTS:
        raise ValidationFailed("invalid_choice", f"event must be one of {', '.join(EVENTS)}", field="event")
    caller = text("caller", 32, required=event != "ended")
    agent = text("agent", 64, required=event == "answered")
    raw_at = data.get("at")
    try:
        at = datetime.fromisoformat(str(raw_at)) if raw_at else now()
    except ValueError:
        raise ValidationFailed("invalid_time", "at must be an ISO 8601 time", field="at") from None
    if at.tzinfo is None:
        raise ValidationFailed("naive_time", "at must carry a UTC offset", field="at")
    return CallInput(call_id=call_id, event=event, caller=caller, agent=agent, at=at)


def agent_staff(agent: str) -> Staff:
    staff = Staff.objects.filter(username=agent, is_active=True).first()
    if staff is None:
        link = AgentExtension.objects.select_related("staff").filter(extension=agent).first()
        staff = link.staff if link is not None and link.staff.is_active else None
    if staff is None:
        raise ValidationFailed("unknown_agent", "no active staff member with this username or extension", field="agent")
    return staff


def receive_call(call: CallInput) -> dict[str, Any]:
    """Record a call event once; on ``answered`` pop the caller for the agent. A repeat of the same
    (call, event) is answered as such and changes nothing."""
    staff = agent_staff(call.agent) if call.agent else None
    try:
        with transaction.atomic():
            CallEvent.objects.create(
                call_id=call.call_id,
                event=call.event,
                agent=staff.username if staff else "",
                at=call.at,
                received_at=now(),
            )
            pop = _pop(staff, call) if call.event == "answered" and staff is not None else None
            if call.event == "ended":
                CallPop.objects.filter(call_id=call.call_id, ended_at__isnull=True).update(ended_at=call.at)
    except IntegrityError:
        return {"status": "duplicate"}
    return {"status": "recorded", "pop": pop.pk if pop else None}


def _pop(staff: Staff, call: CallInput) -> CallPop:
    actor = actor_for(staff)
    customer = caller_for(actor, call.caller)
    cases = open_cases(actor, customer) if customer is not None else []
    return CallPop.objects.create(
        staff=staff,
        call_id=call.call_id,
        phone=call.caller,
        customer=customer,
        case_ids=[c.pk for c in cases],
        answered_at=call.at,
    )


def caller_for(actor: Actor, phone: str) -> Customer | None:
    """The caller among the customers this agent may find; anyone else is an unknown caller."""
    if not phone or not actor.has("customer.read"):
        return None
    found = find_customers(actor=actor, phone=phone)
    return found[0] if found else None


def open_cases(actor: Actor, customer: Customer) -> list[Case]:
    return list(
        visible_cases(actor)
        .filter(customer=customer, status__in=[s.value for s in OPEN_STATES])
        .order_by("-received_at")[:MAX_OPEN_CASES]
    )


def current_pop(actor: Actor) -> CallPop | None:
    """The agent's latest pop not dismissed (``pop_view`` re-checks the caller against their scope now)."""
    return (
        CallPop.objects.filter(staff_id=actor.id, dismissed_at__isnull=True)
        .select_related("customer")
        .order_by("-answered_at", "-pk")
        .first()
    )


def pop_view(actor: Actor, pop: CallPop) -> dict[str, Any]:
    """What the panel shows: the customer (if still findable by this agent) and their open cases now."""
    customer = pop.customer
    if customer is not None and not findable(actor, [customer]):
        customer = None
    cases = open_cases(actor, customer) if customer is not None else []
    return {"pop": pop, "customer": customer, "cases": cases}


def own_pop(actor: Actor, pop_id: int) -> CallPop:
    pop = CallPop.objects.filter(pk=pop_id, staff_id=actor.id).first()
    if pop is None:
        raise NotFound("not_found", "no such call", field="call")
    return pop


def dismiss_pop(actor: Actor, pop_id: int) -> None:
    pop = own_pop(actor, pop_id)
    if pop.dismissed_at is None:
        pop.dismissed_at = now()
        pop.save(update_fields=["dismissed_at"])
