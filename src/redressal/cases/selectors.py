"""Reads that are more than a get: the case queue, the case as the API and pages show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from redressal.cases.models import Case, CaseDeadline, CaseEvent
from redressal.cases.ordering import list_order
from redressal.core.errors import NotFound, PermissionDenied
from redressal.core.masking import mask_card, mask_id_number, mask_phone, mask_text
from redressal.customers.models import Customer
from redressal.customers.scope import may_reveal
from redressal.domain.choices import at_most
from redressal.domain.lifecycle import allowed_actions
from redressal.domain.registration import DEMANDS
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids
from redressal.search.selectors import search_cases, search_ranked
from redressal.triage.selectors import case_mass_incidents, classification_view, duplicate_candidates, triage_view


def visible_cases(actor: Actor, perm: str = "case.read") -> QuerySet[Case]:
    """Cases assigned to the actor, or in the units where they hold ``perm``."""
    return Case.objects.filter(Q(assignee_id=actor.id) | Q(unit_id__in=scope_unit_ids(actor, perm)))


def can_read(actor: Actor, case: Case) -> bool:
    return case.assignee_id == actor.id or actor.has("case.read", case.unit)


def readable_case(actor: Actor, case_id: int) -> Case:
    case = (
        Case.objects.select_related("unit", "customer__home_unit", "assignee", "review_of", "merged_into")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("not_found", f"case {case_id} not found", field="case_id")
    if not can_read(actor, case):
        raise PermissionDenied("permission_denied", "you may not read this case")
    return case


def case_list(
    actor: Actor,
    *,
    status: str = "",
    assignee: str = "",
    unit: str = "",
    priority: str = "",
    overdue: bool | None = None,
    q: str = "",
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    now: datetime,
    counting: bool = False,
    ranked: bool = False,
) -> QuerySet[Case]:
    """The cases ``actor`` may read, filtered, in queue order; ``counting``: the result will only be
    counted (a search plans a count differently from a page on PostgreSQL); ``ranked``: a search's
    matches best first instead (``search.selectors.search_ranked``)."""
    searching = bool(q.strip())
    # A search (redressal.search) applies the same scope and order on the case's search document.
    if searching and ranked and not counting:
        qs = search_ranked(actor, q)
    else:
        qs = search_cases(actor, q, counting=counting) if searching else visible_cases(actor)
    qs = qs.select_related("unit", "assignee")
    if status:
        qs = qs.filter(status=status)
    if assignee:
        qs = qs.filter(assignee__username=assignee)
    if unit:
        qs = qs.filter(unit__code=unit)
    if priority:
        qs = qs.filter(priority=priority)
    if overdue is True:
        qs = qs.filter(decision_due_at__lt=now, decided_at__isnull=True, closed_at__isnull=True)
    elif overdue is False:
        qs = qs.exclude(decision_due_at__lt=now, decided_at__isnull=True, closed_at__isnull=True)
    if received_from:
        qs = qs.filter(received_at__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__lte=received_to)
    if searching:
        return qs
    return qs.order_by(*list_order(now))


def deadline_state(row: CaseDeadline, now: datetime) -> str:
    # A running clock whose moment has passed is breached even before the sweep has recorded it.
    if row.state == "running" and row.due_at < now:
        return "breached"
    return row.state


def iso(value: datetime | None) -> str | None:
    return value.astimezone(ZoneInfo("Asia/Shanghai")).isoformat() if value else None


def pii_clear(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` reads the case's free text as typed: ID, phone and card numbers in a description,
    a note or a reply are masked for anyone without ``pii.view`` over the case's unit (SPEC §13)."""
    return actor.has("pii.view", case.unit)


def free_text(value: str, clear: bool) -> str:
    return value if clear else mask_text(value)


def _masked_payload(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_masked_payload(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked_payload(v) for k, v in value.items()}
    return value


def customer_view(case: Case, actor: Actor) -> dict[str, Any] | None:
    c = case.customer
    if c is None:
        return None
    return _masked_customer(c, may_reveal(actor, c))


def customer_summary(c: Customer, actor: Actor) -> dict[str, Any]:
    """A customer found at the counter or on the phone, with the open cases this actor may see."""
    out = _masked_customer(c, may_reveal(actor, c))
    out["open_cases"] = list(
        visible_cases(actor).filter(customer=c, closed_at__isnull=True).values_list("case_number", flat=True)[:20]
    )
    return out


def _masked_customer(c: Customer, can_reveal: bool) -> dict[str, Any]:
    # Always masked, even for pii.view holders: seeing a value in clear is a deliberate, audited act
    # (POST /customers/{id}/reveal with a reason), never a side effect of opening a page.
    return {
        "id": c.pk,
        "customer_no": c.customer_no,
        "name": c.name,
        "kind": c.kind,
        "age_band": c.age_band,
        "vulnerable": c.vulnerable,
        "phone": mask_phone(c.phone),
        "id_number": mask_id_number(c.id_number),
        "card_number": mask_card(c.card_number),
        "can_reveal": can_reveal,
    }


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "case_number": case.case_number,
        "kind": case.kind,
        "request_type": case.request_type,
        "channel": case.channel,
        "status": case.status,
        "priority": case.priority,
        "unit": case.unit.code,
        "assignee": case.assignee.username if case.assignee else None,
        "received_at": iso(case.received_at),
        "decision_due_at": iso(case.decision_due_at),
        "complainant_name": case.complainant_name,
        "product": case.product,
        "version": case.version,
        "classification": classification_view(case),
        "triage": triage_view(case),
    }


def case_detail(case: Case, actor: Actor, now: datetime, *, with_triage: bool = True) -> dict[str, Any]:
    """The whole case as the API shows it. The case page passes ``with_triage=False``: its triage panel
    (``web.views.triage.triage_panel``) reads the evidence, duplicates and incidents in the shape it
    renders, and reading them here as well would query each twice."""
    out = case_summary(case)
    out.update(
        {
            "source": case.source,
            "regulator": case.regulator or None,
            "regulator_case_number": case.regulator_case_number or None,
            "description": free_text(case.description, pii_clear(actor, case)),
            "amount": str(case.amount) if case.amount is not None else None,
            "demand": at_most(case.demand, len(DEMANDS)),
            "customer": customer_view(case, actor),
            "responsibility": case.responsibility or None,
            "outcome": case.outcome or None,
            "extension_level": case.extension_level,
            "paused": case.paused,
            "review_of": case.review_of.case_number if case.review_of else None,
            "merged_into": case.merged_into.case_number if case.merged_into else None,
            "registered_at": iso(case.registered_at),
            "accepted_at": iso(case.accepted_at),
            "decided_at": iso(case.decided_at),
            "notified_at": iso(case.notified_at),
            "closed_at": iso(case.closed_at),
            "profile": f"{case.profile_code}@{case.profile_version}",
            "deadlines": [
                {
                    "kind": d.kind,
                    "due_at": iso(d.due_at),
                    "legal_due_at": iso(d.legal_due_at),
                    "state": deadline_state(d, now),
                    "history": d.history,
                }
                for d in case.deadlines.order_by("due_at")
            ],
            "allowed_actions": allowed_actions(case.status, case.request_type),
        }
    )
    if with_triage:
        out.update(
            {
                "triage": triage_view(case, with_evidence=True),
                "duplicate_candidates": duplicate_candidates(case),
                "mass_incidents": case_mass_incidents(case),
            }
        )
    return out


def case_events(case: Case, actor: Actor) -> list[dict[str, Any]]:
    """The case's history; reasons and texts in the payloads masked per ``pii_clear``."""
    rows = CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq")
    clear = pii_clear(actor, case)
    return [
        {
            "seq": e.seq,
            "type": e.type,
            "actor": e.actor.username if e.actor else None,
            "role": e.actor_role,
            "unit": e.actor_unit,
            "at": iso(e.at),
            "recorded_at": iso(e.recorded_at),
            "reason": free_text(e.reason, clear),
            "payload": e.payload if clear else _masked_payload(e.payload),
            "backdated": e.backdated,
            "hash": e.hash,
        }
        for e in rows
    ]
