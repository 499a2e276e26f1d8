"""Which actions the case page offers, for a case's state (SPEC §4): an action is offered only when it
would not be refused, so what the lifecycle allows, narrowed by what the case is now.

The person's side (their permission for the case's unit, their approval authority) is checked with the
case and the person at hand (``cases.offers``); the services check all of it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from redressal.domain.lifecycle import allowed_actions


@dataclass(frozen=True)
class Offer:
    name: str  # what the page offers (one form)
    action: str  # the lifecycle action it performs
    permission: str  # what the person needs for the case's unit


# In the order the page lists them.
OFFERS: tuple[Offer, ...] = (
    Offer("accept", "accept", "case.accept"),
    Offer("start_investigation", "start_investigation", "case.investigate"),
    Offer("answer", "answer", "case.answer"),
    Offer("add_note", "add_note", "case.investigate"),
    Offer("add_evidence", "add_evidence", "case.investigate"),
    Offer("open_task", "open_task", "case.task"),
    Offer("set_responsibility", "set_responsibility", "case.investigate"),
    Offer("propose_solution", "propose_solution", "case.propose"),
    Offer("approve", "approve", "case.approve"),
    Offer("reject", "reject", "case.approve"),
    # A handler asks for an extension; one who may approve it records it directly.
    Offer("request_extension", "extend", "case.investigate"),
    Offer("extend", "extend", "case.approve_extension.l1"),
    Offer("pause", "pause", "case.clock"),
    Offer("resume", "resume", "case.clock"),
    Offer("restart_clock", "restart_clock", "case.clock"),
    Offer("respond", "respond", "case.respond"),
    Offer("record_feedback", "record_feedback", "case.feedback"),
    Offer("reopen", "reopen", "case.reopen"),
    Offer("escalate", "escalate", "case.escalate"),
    Offer("merge", "merge", "case.merge"),
    Offer("withdraw", "withdraw", "case.withdraw"),
    Offer("decline", "decline", "case.decline"),
    # A review (核查) is decided as upheld or revised: its own form for the same lifecycle action.
    Offer("review_decide", "respond", "case.respond"),
)
OFFER = {o.name: o for o in OFFERS}


def offerable(
    state: str, request_type: str, *, review: bool, paused: bool, awaiting_approval: bool
) -> list[Offer]:
    """The offers the case allows now, whoever looks: the lifecycle's actions in ``state``; a review's
    decision form or a first decision's, not both; pause only while the clock runs and resume only while
    it is paused; approve and reject only while a proposal awaits approval."""
    lifecycle = set(allowed_actions(state, request_type))
    out = []
    for offer in OFFERS:
        if offer.action not in lifecycle:
            continue
        if offer.action == "respond" and (offer.name == "review_decide") != review:
            continue
        if (offer.name == "pause" and paused) or (offer.name == "resume" and not paused):
            continue
        if offer.action in ("approve", "reject") and not awaiting_approval:
            continue
        out.append(offer)
    return out
