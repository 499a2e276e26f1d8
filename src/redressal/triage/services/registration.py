"""What happens to a case right after it is registered, in the registration's transaction:
triage, duplicates (an exact re-submission is merged), routing, mass-incident detection."""

from __future__ import annotations

from redressal.cases.models import Case
from redressal.domain.lifecycle import State
from redressal.triage.services.duplicates import record_duplicates
from redressal.triage.services.mass import detect_for
from redressal.triage.services.routing import route_case
from redressal.triage.services.triage import triage_case


def after_registration(case: Case) -> Case:
    case = triage_case(case.pk, registration=True)
    _found, case = record_duplicates(case)
    if case.status == State.MERGED.value:
        return case
    case = route_case(case)
    if detect_for(case.pk):
        case.refresh_from_db()  # flagged as part of a mass incident a moment ago
    return case
