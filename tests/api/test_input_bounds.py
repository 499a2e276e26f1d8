"""Inputs that fit their fields or are refused (Pilot-ready items 1, 10, 12): money totals that the
column cannot hold, dates outside what the calendar and the database can convert, unbounded lists."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases.models import Proposal
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
