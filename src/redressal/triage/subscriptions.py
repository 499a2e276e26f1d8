"""Triage's subscriptions to case events (``cases.bus``), made when ``CasesConfig.ready`` imports this module."""

from __future__ import annotations

from redressal.cases import bus
from redressal.cases.steps import Step
from redressal.triage.services import registration
from redressal.triage.services.routing import active_rules, auto_escalate, auto_escalate_step


def escalate_on_p1(published: bus.Published) -> list[Step]:
    """SPEC §7: a case that becomes P1 (re-triaged, or flagged — as part of a mass incident, say) is
    escalated when a ``p1`` rule says so. Not the registration's own triage: its routing decides."""
    event = published.event
    if event.type == "triaged" and "triage" in published.prepared:
        return []
    priority = (event.payload.get("changes") or {}).get("priority") or {}
    if priority.get("after") != "P1" or priority.get("before") == "P1":
        return []
    step = auto_escalate_step(published.case, "p1")
    return [step] if step is not None else []


def escalate_on_warnings(*, triggers: list[tuple[int, str]]) -> None:
    """SPEC §7: automatic escalation once at risk and at breach, where a rule asks for it. A sweep's
    warnings come together: with no rule for a trigger (the usual case) that is one query, not one per
    warning."""
    with_rules = {trigger for trigger in {t for _case, t in triggers} if active_rules(trigger)}
    for case_id, trigger in triggers:
        if trigger in with_rules:
            auto_escalate(case_id, trigger)


bus.before_registration("triage", registration.prepare)
bus.on_event(registration.on_registered, "registered")
bus.on_event(escalate_on_p1, "triaged", "risk_flag_added")
bus.on_signal("deadline_warnings", escalate_on_warnings)
