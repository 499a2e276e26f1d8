"""The whole case as the API and the case page read it: the case's own fields with its triage.

Above both apps: ``redressal.cases`` sits below ``redressal.triage`` (ARCHITECTURE §2), so the reads
that join them live here, on the case's fields that ``redressal.cases.selectors`` gives.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from redressal.cases.models import Case
from redressal.cases.selectors import customer_view, deadline_state, free_text, iso, pii_clear
from redressal.domain.choices import at_most
from redressal.domain.lifecycle import allowed_actions
from redressal.domain.registration import DEMANDS
from redressal.org.authz import Actor
from redressal.triage.selectors import case_mass_incidents, classification_view, duplicate_candidates, triage_view


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
    (``web.views.triage_panel``) reads the evidence, duplicates and incidents in the shape it
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
