"""Reads that are more than a get: the case queue, the case as the API and pages show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from redressal.cases.models import Case, CaseDeadline, CaseEvent
from redressal.core.errors import NotFound, PermissionDenied
from redressal.core.masking import mask_card, mask_id_number, mask_phone, mask_text
from redressal.customers.models import Customer
from redressal.customers.scope import may_reveal
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.org.selectors import scope_unit_ids


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


def case_unit_staff(case: Case) -> QuerySet[Staff]:
    """The active staff a responsibility finding may name: those of the case's unit and the unit
    complained about, with the units below them (SPEC §7 问责: the finding names people of the
    organisation, not free text)."""
    units = Q(unit__path__startswith=case.unit.path)
    if case.respondent_unit_id is not None:
        units |= Q(unit__path__startswith=case.respondent_unit.path)  # type: ignore[union-attr]
    return Staff.objects.filter(units, is_active=True).select_related("unit").order_by("unit__path", "username")


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
