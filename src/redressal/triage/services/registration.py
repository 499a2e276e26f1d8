"""What triage does as a case is registered (SPEC §6/§7): classify, flag and prioritise, find the
complainant's duplicates (an exact re-submission is merged), route, and detect mass incidents.

Split in two around the registration's write transaction (ARCHITECTURE §2, "pure work before the
lock"): :func:`prepare` reads and computes everything it can from the unsaved case — the model's
suggestions, the assessment, the duplicate candidates, the route, the spikes — before the lock;
:func:`on_registered` turns that into follow-on steps of the registration itself, which only write.
One registration is one command: one lock, one deadline computation, one save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redressal.cases.bus import Published
from redressal.cases.models import Case
from redressal.cases.services.decision import merge_change
from redressal.cases.steps import Change, Done, Step
from redressal.core.clock import now
from redressal.domain.lifecycle import OPEN_STATES
from redressal.domain.mass_incident import Spike
from redressal.domain.triage import Assessment
from redressal.triage import classifier
from redressal.triage.models import DuplicateCandidate, TextVector
from redressal.triage.services.duplicates import EXACT_RULE, Found, find_duplicates
from redressal.triage.services.facts import customer_key, dimensions
from redressal.triage.services.mass import NEW, Arrival, find_spikes, flag_of, record_spikes, store_bands
from redressal.triage.services.routing import Route, facts_from, plan_route, route_steps
from redressal.triage.services.triage import (
    apply_triage,
    assessment_of,
    case_text,
    classification_of,
    flag_change,
    suggestions_for,
)

OPEN = {s.value for s in OPEN_STATES}


@dataclass(frozen=True)
class Prepared:
    suggestions: dict[str, classifier.Suggested]
    assessment: Assessment
    duplicates: list[Found]
    merge_into: Case | None
    route: Route | None
    spikes: list[Spike]
    bands: tuple[int, ...]
    vector: bytes


def prepare(draft: Case) -> Prepared:
    """Everything triage decides about a case being registered, from reads alone."""
    current = now()
    text = case_text(draft)
    # The text's vector, once: the duplicate and repeat checks compare it with the stored vectors of the
    # complainant's other cases, and it is stored for the cases that come after.
    vector = classifier.text_vector(draft.description)
    suggestions = suggestions_for(draft, text)
    result = assessment_of(draft, text, current.date(), vector)
    classification = classification_of(draft, suggestions)
    found = find_duplicates(draft, vector=vector)
    exact = [f for f in found if f.exact]
    merge_into = Case.objects.select_related("unit").get(pk=min(f.case_id for f in exact)) if exact else None
    facts = facts_from(
        draft,
        classification=classification,
        priority=result.priority,
        risk_flags=list(result.flag_codes),
        vulnerable=list(result.vulnerable_codes),
    )
    # A merged re-submission is neither routed nor counted: it joins a case that already was.
    route = None if merge_into else plan_route(draft, facts, current.date())
    bands = classifier.text_bands(draft.description)
    arrival = Arrival(
        NEW, customer_key(draft), draft.received_at, dimensions(draft, classification), draft.description, bands
    )
    spikes = [] if merge_into else find_spikes(arrival, counted=False)
    return Prepared(suggestions, result, found, merge_into, route, spikes, bands, vector)


def on_registered(published: Published) -> list[Step]:
    """The registration's follow-on steps, from what ``prepare`` found (a case created otherwise — a
    review case — has nothing prepared and is not triaged)."""
    prepared = published.prepared.get("triage")
    if not isinstance(prepared, Prepared):
        return []
    steps = [Step("triage", _triaged(prepared), check_state=False)]
    if prepared.merge_into is not None:
        merge = merge_change(
            prepared.merge_into,
            actor=None,
            reason="同一投诉人就同一事项重复提交且无新的事实和理由，自动合并",
            rule=EXACT_RULE,
        )
        steps.append(Step("merge", merge))
    if prepared.route is not None:
        steps += route_steps(prepared.route, applies=_still_open)
    if prepared.spikes:
        steps.append(Step("flag", _mass(prepared.spikes), check_state=False, when=_still_open))
    return steps


def _still_open(case: Case) -> bool:
    return case.status in OPEN  # not merged as a re-submission a moment ago


def _triaged(prepared: Prepared) -> Change:
    def change(case: Case, current: datetime) -> Done:
        done = apply_triage(case, current, prepared.suggestions, prepared.assessment, new=True)
        DuplicateCandidate.objects.bulk_create(
            [
                DuplicateCandidate(
                    case=case, candidate_id=f.case_id, score=f.score, reasons=list(f.reasons), created_at=current
                )
                for f in prepared.duplicates
            ]
        )
        store_bands(case.pk, case.received_at, prepared.bands)
        TextVector.objects.create(
            case=case, vector=prepared.vector, model=classifier.vector_model(), created_at=current
        )
        return done

    return change


def _mass(spikes: list[Spike]) -> Callable[[Case, datetime], Done | None]:
    """Record the spikes; the incidents that take this case a moment ago flag it (one event)."""

    def change(case: Case, current: datetime) -> Done | None:
        _incidents, mine = record_spikes(spikes, case.pk)
        if not mine:
            return None
        incident, spike = mine[0]
        return flag_change(**flag_of(incident, spike))(case, current)

    return change
