"""Decision, notice, feedback, reopen and the ways a case ends early (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from redressal.cases.commands import RecordFeedback, execute
from redressal.cases.models import Case, Decision, Feedback, FollowUpVisit
from redressal.cases.selectors import can_read
from redressal.cases.services._base import Done, domain_error, perform, resolve_at
from redressal.cases.services.deadlines import clock_input, current_deadlines, profile_of
from redressal.cases.steps import Change, ChannelOrigin
from redressal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.domain.choices import DECLINE_REASONS, NOTICE_CHANNELS
from redressal.domain.deadlines import DECISION_KINDS, check_moment
from redressal.domain.errors import DomainError
from redressal.domain.followup import visit_plan
from redressal.domain.lifecycle import (
    OPEN_STATES,
    FeedbackResult,
    Outcome,
    ReviewOutcome,
    check_classification_confirmed,
    check_decision_notice,
    check_remedy,
)
from redressal.domain.profiles import load_profile
from redressal.notify.services import message_customer, notify_staff
from redressal.org.authz import Actor


@dataclass
class Notice:
    channel: str
    content: str
    routes: list[str] = field(default_factory=list)
    at: datetime | None = None


def check_response(case: Case, *, outcome: str, reasons: str, basis: str, remedy: str, notice: Notice) -> None:
    """Every rule a decision must meet, read-only: ``respond_to_case`` applies it under the case lock, and
    the case page asks it before showing the notice for confirmation (nothing previewed is then refused)."""
    for name, value in (("reasons", reasons), ("basis", basis)):
        if not value.strip():
            raise ValidationFailed("required", f"the decision needs its {name}", field=name)
    if notice.channel not in NOTICE_CHANNELS:
        raise ValidationFailed("invalid_choice", f"unknown notice channel '{notice.channel}'", field="notice.channel")
    allowed = ReviewOutcome if case.kind == Case.Kind.REVIEW else Outcome
    if outcome not in {o.value for o in allowed}:
        raise ValidationFailed(
            "invalid_choice", f"outcome must be one of {', '.join(o.value for o in allowed)}", field="outcome"
        )
    if case.kind == Case.Kind.PRIMARY:
        try:
            check_classification_confirmed(case.confirmed_axes())
        except DomainError as exc:
            raise domain_error(exc) from None
        try:
            check_remedy(outcome, remedy)
        except DomainError as exc:
            raise ValidationFailed(exc.rule, exc.message, field=exc.field) from None
        try:
            check_decision_notice(notice.content, notice.routes)
        except DomainError as exc:
            raise domain_error(exc) from None
    blocking = case.tasks.filter(blocking=True, status="open").count()
    if blocking:
        raise ValidationFailed(
            "tasks.blocking_open", f"{blocking} blocking collaboration task(s) still open", field="tasks"
        )
    if case.proposals.filter(status="pending").exists():
        raise ValidationFailed("approval.pending", "a proposal still awaits approval", field="proposal")


def respond_to_case(
    case_id: int,
    *,
    actor: Actor,
    outcome: str,
    reasons: str,
    basis: str,
    remedy: str,
    notice: Notice,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    """The decision and its notice. On time when the notice is within the decision deadline (办法 第十八条, verify).

    The notice's ``at`` is the moment the complainant was told: it is the event's moment, judged
    against the deadline in force then.
    """
    for name, value in (("reasons", reasons), ("basis", basis)):
        if not value.strip():
            raise ValidationFailed("required", f"the decision needs its {name}", field=name)
    if notice.channel not in NOTICE_CHANNELS:
        raise ValidationFailed("invalid_choice", f"unknown notice channel '{notice.channel}'", field="notice.channel")

    def change(case: Case, current: datetime) -> Done:
        check_response(case, outcome=outcome, reasons=reasons, basis=basis, remedy=remedy, notice=notice)
        notice_at = resolve_at(notice.at, current)
        try:
            check_moment(clock_input(case), notice_at)
        except DomainError as exc:
            raise ValidationFailed(exc.rule, exc.message, field="notice.at") from None
        due = next((d for d in current_deadlines(case, current) if d.kind in DECISION_KINDS), None)
        on_time = due is None or notice_at <= due.due_at
        Decision.objects.create(
            case=case,
            outcome=outcome,
            reasons=reasons,
            basis=basis,
            remedy=remedy,
            notice_channel=notice.channel,
            notice_at=notice_at,
            notice_content=notice.content,
            on_time=on_time,
            decided_by=actor.staff,
        )
        case.outcome = outcome
        case.decided_at = current
        case.notified_at = notice_at
        # A review's outcome is told as the review's decision (SPEC §10), in the same notice channel.
        kind = "review_decision" if case.kind == Case.Kind.REVIEW else "decision_notice"
        message_customer(case, kind, notice.content, channel=notice.channel)
        original = case.review_of
        if case.kind == Case.Kind.REVIEW and original is not None and original.assignee_id:
            notify_staff(
                [original.assignee_id],
                "review_decided",
                f"{case.case_number}: {outcome}",
                case=case,
                payload={"outcome": outcome},
            )
        return Done(
            "responded",
            {
                "outcome": outcome,
                "reasons": reasons,
                "basis": basis,
                "remedy": remedy,
                "notice": {"channel": notice.channel, "content": notice.content, "routes": notice.routes},
                "on_time": on_time,
                "at": notice_at,
            },
        )

    return perform(
        case_id,
        actor,
        "respond",
        "case.respond",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def _close(case: Case, current: datetime) -> None:
    """Close the case as of ``current`` (the moment of the feedback) and plan its follow-up visit."""
    case.closed_at = current
    profile = profile_of(case)
    compensated = case.proposals.filter(status__in=["approved", "auto_approved"], total__gt=0).exists()
    plan = visit_plan(
        profile,
        case_number=case.case_number,
        priority=case.priority,
        vulnerable=case.vulnerable,
        compensated=compensated,
    )
    if plan.needed and not case.visits.exists():
        due = (current.astimezone(profile.tz) + timedelta(days=profile.follow_up_within_days)).date()
        FollowUpVisit.objects.create(case=case, due_date=due, mandatory=plan.mandatory)


def record_feedback(
    case_id: int,
    *,
    actor: Actor | None,
    result: str,
    csat: int | None = None,
    comments: str = "",
    close_reason: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
    backdate_reason: str = "",
    origin: ChannelOrigin | None = None,
) -> Case:
    """The complainant's feedback closes the case; ``at`` is when it was given (default now).

    ``origin``: the complainant rates it themselves through a channel (the portal), ``actor`` None."""
    if result not in {r.value for r in FeedbackResult}:
        raise ValidationFailed("invalid_choice", f"unknown feedback result '{result}'", field="result")
    if csat is not None and not 1 <= csat <= 5:
        raise ValidationFailed("out_of_range", "satisfaction is scored 1 to 5", field="csat")
    if result == FeedbackResult.DISSATISFIED and not close_reason.strip():
        raise ValidationFailed(
            "required", "closing a dissatisfied case needs the reason (or reopen it instead)", field="close_reason"
        )

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        if case.notified_at is not None and moment < case.notified_at:
            raise ValidationFailed("before_notice", "feedback cannot precede the decision notice", field="at")
        Feedback.objects.create(case=case, result=result, csat=csat, comments=comments, recorded_at=current)
        if result == FeedbackResult.DISSATISFIED:
            message_customer(case, "review_route", "如对处理结果不满意，可在收到答复之日起30日内向上级机构申请核查。")
        _close(case, moment)
        return Done(
            "closed", {"feedback": result, "csat": csat, "comments": comments, "at": moment}, reason=close_reason
        )

    return perform(
        case_id,
        actor,
        "record_feedback",
        "case.feedback",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
        origin=origin,
    )


def close_unanswered(now_: datetime, batch: int = 500) -> int:
    """Close responded cases whose complainant has not replied within the profile's days (SPEC §4).

    The system is the actor; the event says why. Runs from the scheduler.
    """
    closed = 0
    codes = Case.objects.filter(status="responded").values_list("profile_code", flat=True).distinct()
    for code in codes:
        days = load_profile(code).feedback_auto_close_days
        due = Case.objects.filter(status="responded", profile_code=code, notified_at__lt=now_ - timedelta(days=days))
        for case_id in due.values_list("pk", flat=True)[:batch]:
            closing = RecordFeedback(
                result=FeedbackResult.UNREACHABLE,
                comments=f"no reply within {days} days of the decision notice",
                close_reason="auto_close_no_reply",
            )
            try:
                execute(case_id, closing, None)
                closed += 1
            except ServiceError:
                continue  # someone acted on it meanwhile
    return closed


def reopen_case(
    case_id: int,
    *,
    actor: Actor,
    reason: str,
    new_facts: bool = False,
    expected_version: int | None = None,
    at: datetime | None = None,
    backdate_reason: str = "",
) -> Case:
    """New facts and reasons restart the decision clock; otherwise it keeps running.

    办法: 处理期限自收到新的投诉材料之日起重新计算. ``at`` is when the case was reopened — with new
    facts, when the new material was received, from which the period counts afresh.
    """
    if not reason.strip():
        raise ValidationFailed("required", "say why the case is reopened", field="reason")

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        check_moment(clock_input(case), moment)
        case.closed_at = None
        case.outcome = ""
        return Done("reopened", {"restart_clock": new_facts, "at": moment}, reason=reason)

    return perform(
        case_id,
        actor,
        "reopen",
        "case.reopen",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def withdraw_case(
    case_id: int,
    *,
    actor: Actor | None,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
    origin: ChannelOrigin | None = None,
) -> Case:
    """Handling ends on the day the withdrawal was received (Art 15); every clock stops.

    ``origin``: the complainant withdraws themselves through a channel (the portal), ``actor`` None."""
    if actor is None and origin is None:
        raise ValueError("a withdrawal is made by a member of staff or through a channel")

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        if moment < case.received_at:
            raise ValidationFailed("before_receipt", "a withdrawal cannot precede receipt", field="at")
        check_moment(clock_input(case), moment)
        case.closed_at = moment
        return Done("withdrawn", {"at": moment}, reason=reason)

    return perform(
        case_id,
        actor,
        "withdraw",
        "case.withdraw",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
        origin=origin,
    )


def decline_case(
    case_id: int, *, actor: Actor, reason_code: str, notice: str, expected_version: int | None = None
) -> Case:
    """不予受理: not our product/service, or not filed by the complainant or their agent."""
    if reason_code not in DECLINE_REASONS:
        raise ValidationFailed(
            "invalid_choice", f"decline reason must be one of {', '.join(DECLINE_REASONS)}", field="reason_code"
        )
    if not notice.strip():
        raise ValidationFailed("required", "the submitter must be told why (notice text)", field="notice")

    def change(case: Case, current: datetime) -> Done:
        case.closed_at = current
        message_customer(case, "decline_notice", notice)
        return Done("declined", {"reason_code": reason_code, "notice": notice}, reason=reason_code)

    return perform(case_id, actor, "decline", "case.decline", change, expected_version=expected_version)


def _merge_target(actor: Actor | None, number: str) -> Case:
    """The case to merge into, as ``actor`` may use it.

    A merge writes into the target's history, so the actor needs ``case.merge`` on the target's unit
    as well as on the source's. A case the actor cannot read gets the very answer a missing one gets
    (whatever its state), so the endpoint does not tell which case numbers exist elsewhere in the bank.
    ``actor`` None is the system (duplicate detection), which sees every case.
    """
    target = Case.objects.select_related("unit").filter(case_number=number.strip()).first()
    if target is None or (actor is not None and not can_read(actor, target)):
        raise NotFound("not_found", f"no case '{number}' that you can see", field="into")
    if actor is not None and not actor.has("case.merge", target.unit):
        raise PermissionDenied(
            "permission_denied", f"missing permission 'case.merge' for {target.unit.code}", field="into"
        )
    if target.status not in {s.value for s in OPEN_STATES}:
        raise ValidationFailed("merge.target_closed", "the target case is not open", field="into")
    return target


def merge_case(
    case_id: int,
    *,
    actor: Actor | None,
    into_case_number: str,
    reason: str = "",
    expected_version: int | None = None,
    rule: str = "",
) -> Case:
    """A repeat of an open case is merged into it and runs on the target's clock.

    办法: the same complaint (同一消费投诉) again without new facts is handled together.
    """
    change = merge_change(_merge_target(actor, into_case_number), actor=actor, reason=reason, rule=rule)
    return perform(case_id, actor, "merge", "case.merge", change, expected_version=expected_version)


def merge_change(target: Case, *, actor: Actor | None, reason: str = "", rule: str = "") -> Change:
    """The merge as a step (by a person, or by duplicate detection in the registration). It changes two
    cases: the target's own history records what joined it, so its handler sees the repeat."""

    def change(case: Case, current: datetime) -> Done:
        if target.pk == case.pk:
            raise ValidationFailed("merge.self", "a case cannot be merged into itself", field="into")
        case.merged_into = target
        case.closed_at = current
        received = {"from": case.case_number} | ({"rule": rule} if rule else {})
        perform(
            target.pk,
            actor,
            "merge_received",
            None,
            lambda into, _current: _receive(into, received, reason),
            check_state=False,
        )
        payload = {"into": target.case_number} | ({"rule": rule} if rule else {})
        return Done("merged", payload, reason=reason)

    return change


def _receive(into: Case, payload: dict[str, Any], reason: str) -> Done:
    if into.status not in {s.value for s in OPEN_STATES}:
        raise ValidationFailed("merge.target_closed", "the target case is not open", field="into")
    return Done("merge_received", payload, reason=reason)
