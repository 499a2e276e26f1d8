"""Inputs that fit their fields or are refused (Pilot-ready items 1, 10, 12): money totals that the
column cannot hold, dates outside what the calendar and the database can convert, unbounded lists."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases.models import Case, Proposal
from tests.api.test_worked_examples import new_case
from tests.conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 1, 5, 10, 0)
HUGE = "999999999999999.99"  # 15 digits before the point: one item fits, fifty do not


def investigating(api):
    case = new_case(api, "2026-01-05T09:00:00+08:00")
    cid = case["id"]
    r = api.post(f"/cases/{cid}/accept", {"contact_channel": "phone", "contact_outcome": "reached",
                                          "no_direct_interest": True})
    assert r.status_code == 200, r.content
    r = api.post(f"/cases/{cid}/start_investigation")
    assert r.status_code == 200, r.content
    for axis, code in (("business", "B01"), ("cause", "C01")):  # a decision needs its confirmed codes
        r = api.post(f"/cases/{cid}/confirm_classification", {"axis": axis, "code": code})
        assert r.status_code == 200, r.content
    return cid


def test_total_that_does_not_fit_the_column_is_refused(api_as):
    with time_machine.travel(NOW, tick=False):
        handler = api_as("handler1")
        cid = investigating(handler)
        items = [{"kind": "compensation", "amount": HUGE, "description": "补偿"}] * 50
        r = handler.post(f"/cases/{cid}/propose_solution", {"solution": "赔偿", "items": items})
        assert r.status_code in (400, 422), r.content  # more items than a proposal takes, and too much
        assert r.json()["error"]["field"] == "items"
        assert not Proposal.objects.filter(case_id=cid).exists()


def test_twenty_items_whose_total_does_not_fit_are_refused(api_as):
    with time_machine.travel(NOW, tick=False):
        handler = api_as("handler1")
        cid = investigating(handler)
        items = [{"kind": "compensation", "amount": HUGE, "description": "补偿"}] * 20
        r = handler.post(f"/cases/{cid}/propose_solution", {"solution": "赔偿", "items": items})
        assert r.status_code == 400, r.content
        assert r.json()["error"] == {
            "code": "compensation.total_too_large", "field": "items", "message": r.json()["error"]["message"]}
        assert not Proposal.objects.filter(case_id=cid).exists()
        r = handler.post(f"/cases/{cid}/propose_solution", {"solution": "赔偿", "items": items[:10]})
        assert r.status_code == 200, r.content
        assert r.json()["status"] == "pending_approval"  # ten of them fit: ¥9,999,999,999,999,999.90


# --- item 10: dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["received_from", "received_to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-12:00"])
def test_list_refuses_a_date_out_of_range_naming_the_parameter(api_as, param, day):
    with time_machine.travel(NOW, tick=False):
        r = api_as("supervisor1").get("/cases", **{param: day})
    assert r.status_code == 422, r.content
    assert r.json()["error"]["field"] == param


def test_list_takes_the_edges_of_the_range(api_as):
    with time_machine.travel(NOW, tick=False):
        r = api_as("supervisor1").get("/cases", received_from="1900-01-01T00:00:00+08:00",
                                      received_to="2999-12-31T23:59:59-12:00")
    assert r.status_code == 200, r.content


def forwarded(**times):
    return {"source": "regulator_forwarded", "channel": "regulator", "regulator": "NFRA_LOCAL",
            "regulator_case_number": "JG-2026-001", **times}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"customer": {"name": "李四", "birth_date": "2026-01-06"}}, "customer.birth_date"),
        ({"customer": {"name": "李四", "birth_date": "9999-12-31"}}, "customer.birth_date"),
        ({"customer": {"name": "李四", "id_number": "110101209912311234"}}, "customer.id_number"),
        (forwarded(forwarded_at="2026-01-05T10:30:00+08:00"), "forwarded_at"),
        (forwarded(regulator_received_at="1989-12-31T09:00:00+08:00"), "regulator_received_at"),
        (forwarded(regulator_received_at="2026-01-06T09:00:00+08:00"), "regulator_received_at"),
        (forwarded(regulator_received_at="0001-01-01T00:00:00+08:00"), "regulator_received_at"),
        (forwarded(regulator_received_at="2025-12-30T09:00:00"), "regulator_received_at"),
    ],
)
def test_registration_refuses_impossible_dates_naming_the_field(api_as, extra, field):
    body = {"request_type": "complaint", "channel": "hotline", "description": "跨行转账失败",
            "received_at": "2026-01-05T09:00:00+08:00", "customer": {"name": "李四"}, **extra}
    with time_machine.travel(NOW, tick=False):
        r = api_as("agent1").post("/cases", body)
    assert r.status_code in (400, 422), r.content
    assert r.json()["error"]["field"] == field
    assert not Case.objects.exists()


def test_registration_takes_past_dates(api_as):
    with time_machine.travel(NOW, tick=False):
        case = new_case(api_as("agent1"), "2026-01-05T09:00:00+08:00",
                        customer={"name": "李四", "birth_date": "1950-03-01"},
                        **forwarded(regulator_received_at="1990-01-01T09:00:00+08:00",
                                    forwarded_at="2026-01-05T09:30:00+08:00"))
    assert case["source"] == "regulator_forwarded"


# --- item 12: lists ------------------------------------------------------------------------------

ROUTES = ["review", "mediation", "arbitration", "litigation"]


def test_two_million_demands_are_refused_naming_the_field(api_as):
    body = {"request_type": "complaint", "channel": "hotline", "description": "跨行转账失败",
            "received_at": "2026-01-05T09:00:00+08:00", "customer": {"name": "李四"},
            "demand": ["other"] * 2_000_000}
    with time_machine.travel(NOW, tick=False):
        r = api_as("agent1").post("/cases", body)
    # 18 MB of JSON is refused by its size before it is parsed (413, the §14 shape) ...
    assert r.status_code == 413, r.content[:300]
    assert r.json()["error"]["code"] == "request_too_large"
    # ... and a list that fits the body limit by the list's own bound, naming the field.
    body["demand"] = ["other"] * 20_000
    with time_machine.travel(NOW, tick=False):
        r = api_as("agent1").post("/cases", body)
    assert r.status_code == 422, r.content[:300]
    assert r.json()["error"]["field"] == "demand"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"demand": ["refund", "refund"]}, "demand"),
        ({"demand": ["refund", "compensation", "apology", "explanation", "correct_record", "cancel_contract",
                     "other", "other"]}, "demand"),
        ({"customer": {"name": "李四", "vulnerable": ["elderly"] * 5}}, "customer.vulnerable"),
        ({"customer": {"name": "李四", "vulnerable": ["elderly", "elderly"]}}, "customer.vulnerable"),
    ],
)
def test_registration_refuses_oversized_or_repeated_lists(api_as, extra, field):
    body = {"request_type": "complaint", "channel": "hotline", "description": "跨行转账失败",
            "received_at": "2026-01-05T09:00:00+08:00", "customer": {"name": "李四"}, **extra}
    with time_machine.travel(NOW, tick=False):
        r = api_as("agent1").post("/cases", body)
    assert r.status_code in (400, 422), r.content
    assert r.json()["error"]["field"] == field
    assert not Case.objects.exists()


def test_a_proposal_takes_at_most_twenty_items(api_as):
    with time_machine.travel(NOW, tick=False):
        handler = api_as("handler1")
        cid = investigating(handler)
        items = [{"kind": "goodwill", "amount": "1.00"}] * 21
        r = handler.post(f"/cases/{cid}/propose_solution", {"solution": "补偿", "items": items})
        assert r.status_code == 422, r.content
        assert r.json()["error"]["field"] == "items"
        r = handler.post(f"/cases/{cid}/propose_solution", {"solution": "补偿", "items": items[:20]})
    assert r.status_code == 200, r.content


@pytest.mark.parametrize("routes", [ROUTES * 2, [*ROUTES[:3], "review"]])
def test_a_notice_names_each_route_once(api_as, routes):
    with time_machine.travel(NOW, tick=False):
        handler = api_as("handler1")
        cid = investigating(handler)
        r = handler.post(f"/cases/{cid}/respond", {
            "outcome": "not_upheld", "reasons": "按合同收费", "basis": "合同第3条",
            "notice": {"channel": "sms", "content": "经核实……", "routes": routes}})
    assert r.status_code in (400, 422), r.content
    assert r.json()["error"]["field"] == "notice.routes"


def test_a_stored_oversized_demand_list_does_not_swell_the_answer(api_as):
    with time_machine.travel(NOW, tick=False):
        agent = api_as("agent1")
        cid = new_case(agent, "2026-01-05T09:00:00+08:00")["id"]
        Case.objects.filter(pk=cid).update(demand=["refund", "apology"] * 50_000)  # written before the bound
        r = agent.get(f"/cases/{cid}")
    assert r.status_code == 200
    assert r.json()["demand"] == ["refund", "apology"]
    assert len(r.content) < 50_000
