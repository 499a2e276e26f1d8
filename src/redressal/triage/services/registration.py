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
    case = triage_case(case.pk)
    _found, case = record_duplicates(_fresh(case))
    if case.status == State.MERGED.value:
        return _fresh(case)
    route_case(_fresh(case))
    detect_for(case.pk)
    return _fresh(case)


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("unit", "customer", "assignee").get(pk=case.pk)
