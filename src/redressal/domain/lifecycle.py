"""The case lifecycle of SPEC §4 as a table of transitions and their guards.

《银行业保险业消费投诉处理管理办法》(原银保监会令2020年第3号): a complaint is registered and
acknowledged (Art 12–13 on how complaints are made), accepted, investigated, decided and the
complainant told within the decision period, may be withdrawn (Art 15: handling ends the day the
withdrawal is received) or declined when it is not ours to handle or not made by the complainant, and
a dissatisfied complainant may ask for review (核查). Article numbers other than 12–15 are to verify.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from redressal.domain.choices import check_choices
from redressal.domain.errors import DomainError


class State(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    PENDING_APPROVAL = "pending_approval"
    RESPONDED = "responded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"
    MERGED = "merged"


class RequestType(StrEnum):
    COMPLAINT = "complaint"
    CONSULTATION = "consultation"
    SUGGESTION = "suggestion"
    OTHER = "other"


FINAL_STATES = frozenset({State.CLOSED, State.WITHDRAWN, State.DECLINED, State.MERGED})
OPEN_STATES = frozenset(set(State) - FINAL_STATES)

# Consultations and suggestions have no regulatory decision clock: answer, then close.
SHORT_PATH_TYPES = frozenset({RequestType.CONSULTATION, RequestType.SUGGESTION})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State | None  # None: the action records something and keeps the state
    full_path_only: bool = False
    short_path_only: bool = False


def _t(action: str, sources: set[State], target: State | None, **kw: bool) -> Transition:
    return Transition(action, frozenset(sources), target, **kw)


_ANY_OPEN = set(OPEN_STATES)
_WORKING = {State.ACCEPTED, State.INVESTIGATING, State.PENDING_APPROVAL}

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("accept", {State.REGISTERED}, State.ACCEPTED, full_path_only=True),
        _t("start_investigation", {State.ACCEPTED}, State.INVESTIGATING, full_path_only=True),
        _t("propose_solution", {State.INVESTIGATING}, None, full_path_only=True),  # target decided by limits
        _t("approve", {State.PENDING_APPROVAL}, State.INVESTIGATING, full_path_only=True),
        _t("reject", {State.PENDING_APPROVAL}, State.INVESTIGATING, full_path_only=True),
        _t("respond", {State.INVESTIGATING}, State.RESPONDED, full_path_only=True),
        _t("record_feedback", {State.RESPONDED}, State.CLOSED, full_path_only=True),
        _t("reopen", {State.RESPONDED, State.CLOSED}, State.INVESTIGATING, full_path_only=True),
        _t("answer", {State.REGISTERED, State.ACCEPTED}, State.CLOSED, short_path_only=True),
        _t("withdraw", _ANY_OPEN, State.WITHDRAWN),
        _t("decline", _ANY_OPEN, State.DECLINED),
        _t("merge", _ANY_OPEN, State.MERGED),
        # Record-keeping actions: no state change, but only while the case is open.
        _t("assign", _ANY_OPEN, None),
        _t("escalate", _ANY_OPEN, None),
        _t("add_note", _ANY_OPEN | {State.CLOSED}, None),
        _t("add_evidence", _ANY_OPEN | {State.CLOSED}, None),
        _t("set_responsibility", _WORKING, None, full_path_only=True),
        _t("open_task", _WORKING, None, full_path_only=True),
        _t("reply_task", _ANY_OPEN, None, full_path_only=True),
        _t("extend", _ANY_OPEN - {State.RESPONDED}, None, full_path_only=True),
        _t("pause", _WORKING, None, full_path_only=True),
        _t("resume", _WORKING, None, full_path_only=True),
        _t("restart_clock", _ANY_OPEN | {State.CLOSED}, None, full_path_only=True),
        _t("request_review", {State.RESPONDED, State.CLOSED}, None, full_path_only=True),
        _t("record_visit", {State.CLOSED}, None),
    )
}


def check_transition(action: str, state: str, request_type: str) -> State | None:
    """Return the target state of ``action`` from ``state`` or raise the rule it breaks."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("lifecycle.unknown_action", f"unknown action '{action}'", field="action")
    current = State(state)
    short = RequestType(request_type) in SHORT_PATH_TYPES
    if transition.full_path_only and short:
        raise DomainError(
            "lifecycle.short_path",
            f"'{action}' does not apply to a {request_type}: consultations and suggestions are answered and closed",
        )
    if transition.short_path_only and not short:
        raise DomainError("lifecycle.full_path", f"'{action}' is only for consultations and suggestions")
    if current not in transition.sources:
        allowed = ", ".join(sorted(s.value for s in transition.sources))
        raise DomainError(
            "lifecycle.invalid_transition",
            f"cannot {action} a case in state '{current.value}' (allowed from: {allowed})",
            field="status",
        )
    return transition.target


def allowed_actions(state: str, request_type: str) -> list[str]:
    out = []
    for action in TRANSITIONS:
        try:
            check_transition(action, state, request_type)
        except DomainError:
            continue
        out.append(action)
    return out


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    SETTLED = "settled"


class ReviewOutcome(StrEnum):
    UPHELD = "upheld"
    REVISED = "revised"


class FeedbackResult(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"


# A complaint found (partly) justified or settled says how it is put right (SPEC §4).
REMEDY_OUTCOMES = frozenset({Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.SETTLED})


def check_remedy(outcome: str, remedy: str) -> None:
    if outcome in REMEDY_OUTCOMES and not remedy.strip():
        raise DomainError("required", "an upheld or settled complaint states its remedy", field="remedy")


# The decision notice must tell the complainant how to challenge it (SPEC §4):
# review, mediation, arbitration, litigation.
CHALLENGE_ROUTES = ("review", "mediation", "arbitration", "litigation")


def check_decision_notice(content: str, routes_stated: list[str]) -> None:
    check_choices(routes_stated, CHALLENGE_ROUTES, "notice.routes")
    missing = [r for r in CHALLENGE_ROUTES if r not in routes_stated]
    if missing:
        raise DomainError(
            "decision.challenge_routes",
            "the decision notice must state every challenge route; missing: " + ", ".join(missing),
            field="notice.routes",
        )
    if not content.strip():
        raise DomainError("decision.notice_content", "the decision notice needs its content", field="notice.content")


# The regulatory statistics (SPEC §12, JR/T 0169) count the business (B) and cause (C) codes staff
# confirmed, not the model's suggestions: a complaint is decided only once both are confirmed, so
# every decided complaint is counted under codes a person stands behind.
DECISION_CLASSIFICATION_AXES = ("business", "cause")


def unconfirmed_axes(confirmed: Iterable[str]) -> list[str]:
    """The classification axes a decision still needs confirmed, in table order."""
    done = set(confirmed)
    return [axis for axis in DECISION_CLASSIFICATION_AXES if axis not in done]


def check_classification_confirmed(confirmed: Iterable[str]) -> None:
    missing = unconfirmed_axes(confirmed)
    if missing:
        raise DomainError(
            "decision.classification_unconfirmed",
            "confirm the case's classification before deciding it; unconfirmed: " + ", ".join(missing),
            field="classification",
        )


# The step each state waits for (SPEC §4), most expected first: the case page's primary button is the
# first of these the person may take now. Confirming the B/C codes comes before a decision (above).
NEXT_STEPS: dict[State, tuple[str, ...]] = {
    State.REGISTERED: ("accept", "answer"),
    State.ACCEPTED: ("start_investigation", "answer"),
    State.INVESTIGATING: ("respond", "propose_solution"),
    State.PENDING_APPROVAL: ("approve",),
    State.RESPONDED: ("record_feedback",),
    State.CLOSED: ("record_visit",),
}
CONFIRM_CLASSIFICATION = "confirm_classification"


def next_step(state: str, request_type: str, offered: Iterable[str], confirmed: Iterable[str] = ()) -> str | None:
    """The recommended action among ``offered`` (what this person may do now), or None.

    A decision whose B/C codes are not yet confirmed recommends confirming them first.
    """
    possible = set(allowed_actions(state, request_type)) & set(offered)
    step = next((a for a in NEXT_STEPS.get(State(state), ()) if a in possible), None)
    if step == "respond" and unconfirmed_axes(confirmed):
        return CONFIRM_CLASSIFICATION
    return step
