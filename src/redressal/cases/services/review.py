"""Review (核查, SPEC §4) and follow-up visits (回访)."""

from __future__ import annotations

from datetime import datetime

from redressal.cases.models import Case, FollowUpVisit
from redressal.cases.services._base import Done, domain_error, perform, perform_new, resolve_at
from redressal.cases.services.deadlines import profile_of
from redressal.cases.services.numbering import next_case_number
from redressal.cases.services.projection import snapshot
from redressal.cases.steps import ChannelOrigin
from redressal.core.errors import NotFound, ValidationFailed
from redressal.domain.choices import VISIT_CHANNELS
from redressal.domain.deadlines import review_window_end
from redressal.domain.errors import DomainError
from redressal.domain.recusal import check_review_independence
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor, manager_map
from redressal.org.models import Staff
from redressal.workdays.services import work_calendar


def request_review(
    case_id: int,
    *,
    actor: Actor | None,
    reason: str,
    received_at: datetime | None = None,
    override: bool = False,
    origin: ChannelOrigin | None = None,
) -> Case:
    """Create the linked review case, handled by the superior unit, with its own clock.

    ``origin``: the complainant asks themselves through a channel (the portal), ``actor`` None; no
    override of the window is possible then."""
    if actor is None and origin is None:
        raise ValueError("a review is requested by a member of staff or through a channel")
    if not reason.strip():
        raise ValidationFailed("required", "the review request states its grounds", field="reason")
    created: list[Case] = []

    def change(original: Case, current: datetime) -> Done:
        moment = resolve_at(received_at, current)
        profile = profile_of(original)
        window_end = review_window_end(profile, work_calendar(), original.notified_at or current)
        out_of_time = moment > window_end
        if out_of_time and not (override and actor is not None and actor.has("case.review_override", original.unit)):
            raise ValidationFailed(
                "review.out_of_time",
                f"review requested after {profile.review.request_window_days} days; a supervisor's "
                "override is required",
                field="received_at",
            )
        superior = original.unit.parent or original.unit
        review = Case(
            case_number=next_case_number(superior.code, current, profile.timezone, prefix="HC"),
            kind=Case.Kind.REVIEW,
            request_type=original.request_type,
            channel=original.channel,
            source=original.source,
            regulator=original.regulator,
            regulator_case_number=original.regulator_case_number,
            regulator_received_at=original.regulator_received_at,
            forwarded_at=original.forwarded_at,
            profile_code=original.profile_code,
            profile_version=original.profile_version,
            customer=original.customer,
            complainant_name=original.complainant_name,
            product=original.product,
            amount=original.amount,
            demand=original.demand,
            description=reason.strip(),
            unit=superior,
            respondent_unit=original.unit,
            respondent_staff=original.respondent_staff,
            review_of=original,
            review_out_of_time=out_of_time,
            vulnerable=original.vulnerable,
            priority=original.priority,
            received_at=moment,
            registered_at=current,
            registered_by=actor.staff if actor is not None else None,
        )

        def registered(review: Case, _current: datetime) -> Done:
            payload = {
                "case_number": review.case_number,
                "review_of": original.case_number,
                "out_of_time": out_of_time,
                "initial": snapshot(review),
                "at": moment,
            }
            return Done("registered", payload)

        created.append(perform_new(review, actor, registered, current=current, origin=origin))
        heads = Staff.objects.filter(role_assignments__unit=superior, role_assignments__role="supervisor")
        notify_staff([s.pk for s in heads], "review", review.case_number, case=review)
        return Done(
            "review_requested",
            {"review_case": review.case_number, "out_of_time": out_of_time, "at": moment},
            reason=reason,
        )

    # The customer's request is dated when it came: a review is not an action recorded late.
    perform(case_id, actor, "request_review", "case.request_review", change, backdating=False, origin=origin)
    return created[0]


def original_people(review: Case) -> set[int]:
    original = review.review_of
    if original is None:
        return set()
    people = {original.assignee_id} if original.assignee_id else set()
    people |= set(original.proposals.exclude(decided_by=None).values_list("decided_by_id", flat=True))
    people |= set(original.decisions.values_list("decided_by_id", flat=True))
    return {int(p) for p in people if p}


def check_reviewer(review: Case, reviewer: Staff) -> None:
    if review.kind != Case.Kind.REVIEW:
        return
    try:
        check_review_independence(int(reviewer.pk), original_people(review), manager_map(), depth=1)
    except DomainError as exc:
        raise domain_error(exc) from None


def record_visit(
    visit_id: int, *, actor: Actor, channel: str, reached: bool, satisfaction: int | None = None, comments: str = ""
) -> FollowUpVisit:
    if channel not in VISIT_CHANNELS:
        raise ValidationFailed("invalid_choice", f"unknown visit channel '{channel}'", field="channel")
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ValidationFailed("out_of_range", "satisfaction is scored 1 to 5", field="satisfaction")
    try:
        case_id = FollowUpVisit.objects.values_list("case_id", flat=True).get(pk=visit_id)
    except FollowUpVisit.DoesNotExist:
        raise NotFound("not_found", "visit not found", field="visit_id") from None
    recorded: list[FollowUpVisit] = []

    def change(case: Case, current: datetime) -> Done:
        visit = FollowUpVisit.objects.select_for_update().get(pk=visit_id)
        if visit.status == "done":
            raise ValidationFailed("visit_done", "this visit is already recorded", field="visit_id")
        visit.channel, visit.reached, visit.satisfaction, visit.comments = channel, reached, satisfaction, comments
        visit.status, visit.done_at, visit.done_by = "done", current, actor.staff
        visit.save()
        recorded.append(visit)
        if satisfaction is not None and satisfaction <= 2 and case.assignee and case.assignee.manager_id:
            notify_staff(
                [case.assignee.manager_id],
                "visit_dissatisfied",
                case.case_number,
                case=case,
                payload={"satisfaction": satisfaction},
            )
        payload = {
            "visit_id": visit.pk,
            "channel": channel,
            "reached": reached,
            "satisfaction": satisfaction,
            "comments": comments,
        }
        return Done("visit_recorded", payload)

    perform(case_id, actor, "record_visit", "case.visit", change)
    return recorded[0]
