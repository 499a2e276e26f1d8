"""SPEC §5's worked examples, end to end through the HTTP API."""

from __future__ import annotations

import time_machine

from tests.conftest import local

ROUTES = ["review", "mediation", "arbitration", "litigation"]


def new_case(api, received: str, **extra):
    body = {
        "request_type": "complaint",
        "channel": "hotline",
        "description": "跨行转账失败，资金未到账",
        "received_at": received,
        "customer": {"name": "李四", "phone": "13900001111"},
        **extra,
    }
    r = api.post("/cases", body)
    assert r.status_code == 201, r.content
    return r.json()


def deadline(case, kind):
    return next(d for d in case["deadlines"] if d["kind"] == kind)


def test_received_2024_09_20_then_l1_then_l2(api_as):
    with time_machine.travel(local(2024, 9, 20, 11), tick=False) as t:
        agent, sup, senior = api_as("agent1"), api_as("supervisor1"), api_as("senior1")
        case = new_case(agent, "2024-09-20T10:00:00+08:00")
        d = deadline(case, "decision")
        assert d["due_at"] == "2024-10-06T00:00:00+08:00"
        assert d["legal_due_at"] == "2024-10-09T00:00:00+08:00"
        assert d["state"] == "running"

        t.move_to(local(2024, 10, 3, 9))
        r = sup.post(f"/cases/{case['id']}/extend", {"level": 2, "reason": "复杂", "justification": "需外部数据"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "extension.l2_requires_l1"
        r = sup.post(
            f"/cases/{case['id']}/extend", {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录"}
        )
        assert r.status_code == 200, r.content
        assert deadline(r.json(), "decision")["due_at"] == "2024-10-21T00:00:00+08:00"

        t.move_to(local(2024, 10, 18, 9))
        r = sup.post(f"/cases/{case['id']}/extend", {"level": 2, "reason": "特别复杂", "justification": "涉及司法"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "extension.approver_role"
        r = senior.post(f"/cases/{case['id']}/extend", {"level": 2, "reason": "特别复杂", "justification": "涉及司法"})
        assert r.status_code == 200, r.content
        assert deadline(r.json(), "decision")["due_at"] == "2024-11-20T00:00:00+08:00"


def test_extension_after_due_is_rejected(api_as):
    with time_machine.travel(local(2024, 3, 20, 9), tick=False):
        agent, sup = api_as("agent1"), api_as("supervisor1")
        case = new_case(agent, "2024-03-01T09:00:00+08:00")
        assert deadline(case, "decision")["due_at"] == "2024-03-17T00:00:00+08:00"
        assert deadline(case, "decision")["legal_due_at"] == "2024-03-19T00:00:00+08:00"
        assert deadline(case, "decision")["state"] == "breached"
        r = sup.post(f"/cases/{case['id']}/extend", {"level": 1, "reason": "x", "justification": "y"})
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "extension.after_deadline"


def test_first_contact_counts_the_makeup_sunday(api_as):
    with time_machine.travel(local(2024, 9, 27, 18, 30), tick=False):
        case = new_case(api_as("agent1"), "2024-09-27T18:00:00+08:00")
    assert deadline(case, "first_contact")["due_at"] == "2024-09-30T00:00:00+08:00"


def test_pause_only_for_external_appraisal(api_as):
    with time_machine.travel(local(2024, 5, 6, 9), tick=False) as t:
        agent, handler = api_as("agent1"), api_as("handler1")
        case = new_case(agent, "2024-05-06T09:00:00+08:00")
        cid = case["id"]
        assert (
            handler.post(
                f"/cases/{cid}/accept",
                {"contact_channel": "phone", "contact_outcome": "reached", "no_direct_interest": True},
            ).status_code
            == 200
        )
        assert handler.post(f"/cases/{cid}/start_investigation", {}).status_code == 200
        r = handler.post(f"/cases/{cid}/pause", {"reason": "other", "external_party": "x"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "pause.reason_not_allowed"
        r = handler.post(f"/cases/{cid}/pause", {"reason": "appraisal", "external_party": "司法鉴定中心"})
        assert r.status_code == 200
        assert deadline(r.json(), "decision")["state"] == "paused"
        t.move_to(local(2024, 5, 10, 9))
        r = handler.post(f"/cases/{cid}/resume", {})
        assert r.status_code == 200
        # received 05-06 → due 05-21 24:00, shifted by the 4 paused days.
        assert deadline(r.json(), "decision")["due_at"] == "2024-05-26T00:00:00+08:00"


def test_errors_name_the_field(api_as):
    agent = api_as("agent1")
    r = agent.post(
        "/cases", {"request_type": "complaint", "channel": "pigeon", "description": "x", "complainant_name": "张三"}
    )
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "channel"
    r = agent.post(
        "/cases",
        {
            "request_type": "complaint",
            "channel": "hotline",
            "description": "x",
            "complainant_name": "张三",
            "amount": "-5",
        },
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "amount"
    r = agent.get("/cases/999999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_unauthenticated_is_401(client, bank):
    r = client.get("/api/v1/cases")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"


def test_customer_lookup_and_token_revocation(api_as):
    agent = api_as("agent1")
    case = new_case(agent, "2024-05-06T09:00:00+08:00")
    r = agent.get("/customers", phone="139 0000 1111")
    assert r.status_code == 200
    [found] = r.json()
    assert found["phone"] == "139****1111" and case["case_number"] in found["open_cases"]
    assert agent.get("/customers").status_code == 422
    assert agent.post("/auth/revoke").status_code == 200
    assert agent.get("/cases").status_code == 401
