"""What the case page offers for a case's state (domain/offers.py), whoever looks."""

from __future__ import annotations

from redressal.domain.lifecycle import allowed_actions
from redressal.domain.offers import OFFER, OFFERS, offerable


def names(state: str, request_type: str = "complaint", **kw: bool) -> set[str]:
    flags = {"review": False, "paused": False, "awaiting_approval": False, **kw}
    return {o.name for o in offerable(state, request_type, **flags)}


def test_an_offer_is_only_what_the_lifecycle_allows():
    for state in ("registered", "accepted", "investigating", "pending_approval", "responded", "closed"):
        for request_type in ("complaint", "consultation"):
            actions = set(allowed_actions(state, request_type))
            for offer in offerable(state, request_type, review=False, paused=False, awaiting_approval=True):
                assert offer.action in actions, (state, offer)


def test_a_review_is_decided_on_its_own_form_and_a_first_decision_on_the_other():
    assert "respond" in names("investigating") and "review_decide" not in names("investigating")
    assert "review_decide" in names("investigating", review=True)
    assert "respond" not in names("investigating", review=True)


def test_pause_while_the_clock_runs_resume_while_it_is_paused():
    assert "pause" in names("investigating") and "resume" not in names("investigating")
    assert "resume" in names("investigating", paused=True) and "pause" not in names("investigating", paused=True)


def test_approve_and_reject_only_while_a_proposal_awaits():
    assert not {"approve", "reject"} & names("pending_approval")
    assert {"approve", "reject"} <= names("pending_approval", awaiting_approval=True)


def test_every_offer_names_its_permission_once():
    assert len(OFFER) == len(OFFERS)
    assert OFFER["request_extension"].action == "extend"
    assert OFFER["request_extension"].permission != OFFER["extend"].permission
