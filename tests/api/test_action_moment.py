"""An action's ``at`` is the moment the rules judge (SPEC §14); recording it late must be visible."""

from __future__ import annotations

import time_machine

from tests.api.test_worked_examples import deadline, new_case
from tests.conftest import local

LATE = "补录：纸质审批单于当日签批，系统当时停机"


def take_on(handler, cid: int) -> None:
    """Accepted on 01-21 (recorded late, with its reason), then under investigation."""
    r = handler.post(
        f"/cases/{cid}/accept",
        {
            "contact_channel": "phone",
            "contact_outcome": "reached",
            "no_direct_interest": True,
            "at": "2025-01-21T10:00+08:00",
            "backdate_reason": LATE,
        },
    )
    assert r.status_code == 200, r.content
    assert handler.post(f"/cases/{cid}/start_investigation", {}).status_code == 200


def test_l1_extension_recorded_late_is_judged_at_its_at(api_as):
    """Received 2025-01-20 (due 02-04); L1 decided 02-01, typed in on 03-10: in time, due 02-19."""
    with time_machine.travel(local(2025, 3, 10, 9), tick=False):
        agent, sup = api_as("agent1"), api_as("supervisor1")
        case = new_case(agent, "2025-01-20T10:00:00+08:00")
        assert deadline(case, "decision")["due_at"] == "2025-02-05T00:00:00+08:00"
        body = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "at": "2025-02-01T10:00+08:00"}
        r = sup.post(f"/cases/{case['id']}/extend", {**body, "backdate_reason": LATE})
        assert r.status_code == 200, r.content
        decision = deadline(r.json(), "decision")
        assert decision["due_at"] == "2025-02-20T00:00:00+08:00"  # 24:00 of 2025-02-19
        assert decision["legal_due_at"] == "2025-02-20T00:00:00+08:00"  # a Wednesday
        [extended] = [e for e in sup.get(f"/cases/{case['id']}/events").json() if e["type"] == "extended"]
        assert extended["at"] == "2025-02-01T10:00:00+08:00"
        assert extended["recorded_at"] == "2025-03-10T09:00:00+08:00"
        assert extended["backdated"] is True and extended["payload"]["backdate_reason"] == LATE


def test_extension_whose_at_is_after_the_deadline_is_still_refused(api_as):
    with time_machine.travel(local(2025, 3, 10, 9), tick=False):
        agent, sup = api_as("agent1"), api_as("supervisor1")
        case = new_case(agent, "2025-01-20T10:00:00+08:00")
        body = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "backdate_reason": LATE}
        r = sup.post(f"/cases/{case['id']}/extend", {**body, "at": "2025-02-06T10:00+08:00"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "extension.after_deadline"
        assert r.json()["error"]["field"] == "at"


def test_pause_recorded_late_is_judged_at_its_at(api_as):
    """L1 on 02-01 and L2 on 02-15 bring the period to 03-21: a pause on 03-05 is in time."""
    with time_machine.travel(local(2025, 3, 10, 9), tick=False):
        agent, sup, senior, handler = api_as("agent1"), api_as("supervisor1"), api_as("senior1"), api_as("handler1")
        case = new_case(agent, "2025-01-20T10:00:00+08:00")
        cid = case["id"]
        take_on(handler, cid)
        ext = {"reason": "情况复杂", "justification": "需调取多方记录", "backdate_reason": LATE}
        assert sup.post(f"/cases/{cid}/extend", {**ext, "level": 1, "at": "2025-02-01T10:00+08:00"}).status_code == 200
        r = senior.post(f"/cases/{cid}/extend", {**ext, "level": 2, "at": "2025-02-15T10:00+08:00"})
        assert r.status_code == 200, r.content
        assert deadline(r.json(), "decision")["due_at"] == "2025-03-22T00:00:00+08:00"
        pause = {"reason": "appraisal", "external_party": "司法鉴定中心", "at": "2025-03-05T10:00+08:00"}
        r = handler.post(f"/cases/{cid}/pause", {**pause, "backdate_reason": LATE})
        assert r.status_code == 200, r.content
        assert deadline(r.json(), "decision")["state"] == "paused"
        r = handler.post(f"/cases/{cid}/resume", {})
        assert r.status_code == 200, r.content
        # Paused 03-05 → resumed 03-10: five days on top of 03-21.
        assert deadline(r.json(), "decision")["due_at"] == "2025-03-27T00:00:00+08:00"


def test_backdated_action_needs_a_reason_and_is_listed_for_compliance(api_as):
    with time_machine.travel(local(2025, 3, 10, 9), tick=False):
        agent, sup = api_as("agent1"), api_as("supervisor1")
        case = new_case(agent, "2025-01-20T10:00:00+08:00")
        body = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "at": "2025-02-01T10:00+08:00"}
        r = sup.post(f"/cases/{case['id']}/extend", body)
        assert r.status_code == 400, r.content
        assert r.json()["error"]["code"] == "backdate.reason_required"
        assert r.json()["error"]["field"] == "backdate_reason"
        r = sup.post(f"/cases/{case['id']}/extend", {**body, "backdate_reason": "   "})
        assert r.status_code == 400 and r.json()["error"]["field"] == "backdate_reason"
        # Nothing was written by the refusals.
        assert "extended" not in [e["type"] for e in sup.get(f"/cases/{case['id']}/events").json()]
        assert api_as("compliance1").get("/audit/backdated").json() == []

        assert sup.post(f"/cases/{case['id']}/extend", {**body, "backdate_reason": LATE}).status_code == 200
        [row] = api_as("compliance1").get("/audit/backdated").json()
        assert row["case_number"] == case["case_number"]
        assert row["action"] == "extended"
        assert row["at"] == "2025-02-01T10:00:00+08:00"
        assert row["recorded_at"] == "2025-03-10T09:00:00+08:00"
        assert row["actor"] == "supervisor1" and row["reason"] == LATE
        # Handlers do not see the compliance list.
        assert api_as("handler1").get("/audit/backdated").status_code == 403


def test_recorded_within_one_working_day_needs_no_reason(api_as):
    """Friday 2025-03-07 17:00, recorded Monday 03-10 16:00: within one working day, no reason."""
    with time_machine.travel(local(2025, 3, 10, 16), tick=False):
        agent, sup = api_as("agent1"), api_as("supervisor1")
        case = new_case(agent, "2025-03-03T10:00:00+08:00")
        body = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "at": "2025-03-07T17:00+08:00"}
        r = sup.post(f"/cases/{case['id']}/extend", body)
        assert r.status_code == 200, r.content
        [extended] = [e for e in sup.get(f"/cases/{case['id']}/events").json() if e["type"] == "extended"]
        assert extended["backdated"] is False and "backdate_reason" not in extended["payload"]


def test_the_working_day_of_grace_follows_the_calendar(api_as):
    """Friday 2025-01-24 17:00: Sunday 01-26 was a 调休 working day, so Monday 01-27 is too late."""
    with time_machine.travel(local(2025, 1, 27, 16), tick=False):
        agent, sup = api_as("agent1"), api_as("supervisor1")
        case = new_case(agent, "2025-01-20T10:00:00+08:00")
        body = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "at": "2025-01-24T17:00+08:00"}
        r = sup.post(f"/cases/{case['id']}/extend", body)
        assert r.status_code == 400 and r.json()["error"]["code"] == "backdate.reason_required"


def test_at_before_receipt_or_before_the_clocks_last_event_is_refused(api_as):
    with time_machine.travel(local(2025, 3, 10, 9), tick=False):
        agent, sup, handler = api_as("agent1"), api_as("supervisor1"), api_as("handler1")
        case = new_case(agent, "2025-01-20T10:00:00+08:00")
        cid = case["id"]
        take_on(handler, cid)
        ext = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "backdate_reason": LATE}
        r = sup.post(f"/cases/{cid}/extend", {**ext, "at": "2025-01-19T10:00+08:00"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "at.before_receipt"
        assert sup.post(f"/cases/{cid}/extend", {**ext, "at": "2025-02-01T10:00+08:00"}).status_code == 200
        pause = {"reason": "appraisal", "external_party": "司法鉴定中心", "backdate_reason": LATE}
        r = handler.post(f"/cases/{cid}/pause", {**pause, "at": "2025-01-25T10:00+08:00"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "at.before_previous_event"
        assert r.json()["error"]["field"] == "at"
