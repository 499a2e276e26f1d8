"""The case page's recommended next step and the decision's classification rule (domain, no database)."""

from __future__ import annotations

import pytest

from redressal.domain.errors import DomainError
from redressal.domain.lifecycle import (
    CONFIRM_CLASSIFICATION,
    check_classification_confirmed,
    next_step,
    unconfirmed_axes,
)


def test_next_step_follows_the_state_and_what_the_person_may_do():
    assert next_step("registered", "complaint", {"accept", "withdraw"}) == "accept"
    assert next_step("registered", "consultation", {"answer", "withdraw"}) == "answer"
    assert next_step("accepted", "complaint", {"start_investigation"}) == "start_investigation"
    assert next_step("pending_approval", "complaint", {"add_note"}) is None  # not the approver
    assert next_step("pending_approval", "complaint", {"approve", "reject"}) == "approve"
    assert next_step("responded", "complaint", {"record_feedback"}) == "record_feedback"
    assert next_step("merged", "complaint", {"add_note"}) is None


def test_a_decision_waits_for_the_b_and_c_codes():
    offered = {"respond", "propose_solution"}
    assert next_step("investigating", "complaint", offered, {"business"}) == CONFIRM_CLASSIFICATION
    assert next_step("investigating", "complaint", offered, {"business", "cause"}) == "respond"
    assert next_step("investigating", "complaint", {"propose_solution"}) == "propose_solution"
    assert unconfirmed_axes({"cause", "product"}) == ["business"]
    with pytest.raises(DomainError) as exc:
        check_classification_confirmed({"business", "product"})
    assert exc.value.field == "classification" and "cause" in exc.value.message
    check_classification_confirmed({"business", "cause"})
