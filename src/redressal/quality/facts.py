"""What the QA sample and the scorecards count, read from the case events as of a month's end.

The events are never rewritten, so a closed month counts the same when read again later: a case is
in a month when its closing event (``closed`` by feedback or by the no-reply sweep, ``answered`` for
a consultation) is dated in it, and its handler is whoever made its last decision (``responded``) or
answer (``answered``) before the month's end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from redressal.cases.models import Case, CaseDeadline, CaseEvent
from redressal.domain.deadlines import FIRST_CONTACT
from redressal.domain.quality.months import Month
from redressal.domain.quality.sampling import Candidate
from redressal.domain.quality.scorecard import FEEDBACK_RATING, Facts, rating

CLOSING = ("closed", "answered")
DECIDING = ("responded", "answered")
# Events whose actor took part in handling the case: they may not inspect it (domain.quality.inspection).
HANDLING = (
    "accepted",
    "investigation_started",
    "solution_proposed",
    "solution_approved",
    "solution_rejected",
    "responded",
    "answered",
    "reopened",
    "responsibility_set",
    "task_opened",
    "extended",
    "paused",
    "resumed",
    "note_added",
    "evidence_added",
)
CLASSIFIED_AXES = ("business", "cause")


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def bounds(month: Month) -> tuple[datetime, datetime]:
    return month.start(tz()), month.end(tz())


def closed_case_ids(month: Month) -> list[int]:
    start, end = bounds(month)
    rows = CaseEvent.objects.filter(type__in=CLOSING, at__gte=start, at__lt=end, case__kind=Case.Kind.PRIMARY)
    return sorted({int(pk) for pk in rows.values_list("case_id", flat=True)})


def handlers(case_ids: Iterable[int], end: datetime) -> dict[int, int]:
    """{case id: the staff member whose decision or answer was the last before ``end``}."""
    out: dict[int, int] = {}
    rows = (
        CaseEvent.objects.filter(case_id__in=list(case_ids), type__in=DECIDING, at__lt=end, actor__isnull=False)
        .order_by("case_id", "seq")
        .values_list("case_id", "actor_id")
    )
    for case_id, actor_id in rows:
        out[int(case_id)] = int(actor_id)
    return out


def candidates(month: Month) -> list[Candidate]:
    ids = closed_case_ids(month)
    _start, end = bounds(month)
    by_case = handlers(ids, end)
    rows = Case.objects.filter(pk__in=list(by_case)).values_list("pk", "case_number", "priority")
    return [Candidate(int(pk), number, by_case[int(pk)], priority) for pk, number, priority in rows]


def overturned(month: Month) -> dict[int, int]:
    """{original case id: its handler} for the reviews decided 变更原处理决定 in the month."""
    start, end = bounds(month)
    reviews = CaseEvent.objects.filter(
        type="responded", at__gte=start, at__lt=end, case__kind=Case.Kind.REVIEW, payload__outcome="revised"
    ).values_list("case__review_of_id", flat=True)
    originals = {int(pk) for pk in reviews if pk}
    return {case_id: handler for case_id, handler in handlers(originals, end).items()}


def handling_people(case: Case) -> set[int]:
    people = {int(case.assignee_id)} if case.assignee_id else set()
    rows = CaseEvent.objects.filter(case=case, type__in=HANDLING, actor__isnull=False).values_list(
        "actor_id", flat=True
    )
    return people | {int(a) for a in rows}


@dataclass
class CaseFacts:
    handler_id: int
    facts: Facts


def _reclassified(payload: dict[str, object]) -> bool:
    """A B/C code confirmed by staff and later changed to another (not a change of the suggestion)."""
    before, after = payload.get("before"), payload.get("after")
    if payload.get("axis") not in CLASSIFIED_AXES or not isinstance(before, dict) or not isinstance(after, dict):
        return False
    return bool(before.get("code")) and before.get("code") != after.get("code")


def case_facts(month: Month) -> dict[int, CaseFacts]:
    """Per closed case of the month: its handler and what it counts for the scorecard (QA aside)."""
    ids = closed_case_ids(month)
    _start, end = bounds(month)
    out: dict[int, CaseFacts] = {cid: CaseFacts(h, Facts(cases=1)) for cid, h in handlers(ids, end).items()}
    if not out:
        return out
    keys = list(out)
    received = dict(Case.objects.filter(pk__in=keys).values_list("pk", "received_at"))
    contact_due = dict(
        CaseDeadline.objects.filter(case_id__in=keys, kind=FIRST_CONTACT).values_list("case_id", "due_at")
    )
    wanted = ("accepted", "responded", "closed", "visit_recorded", "reopened", "classification_confirmed")
    events = (
        CaseEvent.objects.filter(case_id__in=keys, type__in=wanted, at__lt=end)
        .order_by("case_id", "seq")
        .values_list("case_id", "type", "at", "payload")
    )
    accepted: dict[int, datetime] = {}
    last_decision: dict[int, tuple[datetime, dict[str, object]]] = {}
    last_close: dict[int, dict[str, object]] = {}
    for case_id, type_, at, payload in events:
        f = out[case_id].facts
        if type_ == "accepted":
            accepted.setdefault(case_id, at)
        elif type_ == "responded":
            last_decision[case_id] = (at, payload)
        elif type_ == "closed":
            last_close[case_id] = payload
        elif type_ == "visit_recorded" and payload.get("satisfaction"):
            f.ratings.append(rating(int(payload["satisfaction"])))
        elif type_ == "reopened":
            f.reopened = 1
        elif type_ == "classification_confirmed" and _reclassified(payload):
            f.reclassified = 1
    for case_id, cf in out.items():
        f = cf.facts
        close = last_close.get(case_id, {})
        if close.get("csat"):
            f.ratings.append(rating(int(str(close["csat"]))))
        elif str(close.get("feedback", "")) in FEEDBACK_RATING:
            f.ratings.append(FEEDBACK_RATING[str(close["feedback"])])
        if case_id in accepted and case_id in contact_due:
            f.contacts = 1
            f.contacts_on_time = int(accepted[case_id] <= contact_due[case_id])
        if case_id in last_decision:
            at, payload = last_decision[case_id]
            f.decided = 1
            f.decided_on_time = int(bool(payload.get("on_time")))
            seconds = Decimal((at - received[case_id]).total_seconds())
            f.decision_days.append(max(Decimal(0), seconds / Decimal(86400)))
    reviews = CaseEvent.objects.filter(
        type="responded", at__lt=end, case__review_of_id__in=keys, payload__outcome="revised"
    ).values_list("case__review_of_id", flat=True)
    for original in reviews:
        if original is not None:
            out[int(original)].facts.overturned = 1
    return out
