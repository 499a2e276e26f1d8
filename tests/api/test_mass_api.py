"""The mass-incident API (SPEC §6, §14): the incidents a person may see, and one decision sent to every
open case of an incident with a per-case report."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent
from redressal.triage.models import MassIncident
from tests.conftest import local
from tests.flows import accept, confirm_codes
from tests.triage.conftest import customer, register
from tests.triage.test_mass_incident import TEXTS

pytestmark = pytest.mark.django_db

BODY = {
    "outcome": "upheld",
    "reasons": "系统升级导致转账失败",
    "basis": "电子银行服务协议第8条",
    "remedy": "退还手续费",
    "notice": {
        "channel": "sms",
        "content": "经核实，因系统故障……",
        "routes": ["review", "mediation", "arbitration", "litigation"],
    },
}


@pytest.fixture
def frozen():
    with time_machine.travel(local(2024, 9, 10, 10, 0), tick=False):
        yield


def spike(bank, n: int = 8) -> list[Case]:
    return [
        register(bank, TEXTS[i], customer=customer(i + 1), product="手机银行转账", channel="mobile_banking")
        for i in range(n)
    ]


def test_list(bank, api_as, frozen):
    cases = spike(bank)
    incident = MassIncident.objects.get()
    body = api_as("supervisor1").get("/mass_incidents").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == incident.pk and item["key"] == incident.key and item["status"] == "open"
    assert item["dimension"] in ("product", "channel")
    assert item["case_count"] == len(cases) and item["customer_count"] == len(cases)
    assert item["window_start"].startswith("2024-09-10T02:00:00")  # the first case, in UTC
    assert api_as("compliance1").get("/mass_incidents").json()["count"] == 1
    assert api_as("supervisor1").get("/mass_incidents", status="closed").json() == {"count": 0, "items": []}
    for username in ("handler1", "agent1", "auditor1"):
        r = api_as(username).get("/mass_incidents")
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied", username
    r = api_as("supervisor1").get("/mass_incidents", status="gone")
    assert r.status_code == 422 and r.json()["error"]["field"] == "status"


def test_bulk_respond_reports_each_case(bank, api_as, frozen):
    cases = spike(bank)
    handler = bank.actor("handler")
    for c in cases[:5]:
        accept(c.pk, handler)
        svc.start_investigation(c.pk, actor=handler)
        confirm_codes(c.pk, handler)
    incident = MassIncident.objects.get()
    r = api_as("supervisor1").post(f"/mass_incidents/{incident.pk}/bulk_respond", BODY)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["incident_id"] == incident.pk
    assert body["responded"] == sorted(c.case_number for c in cases[:5])
    assert [f["case_number"] for f in body["failed"]] == sorted(c.case_number for c in cases[5:])
    assert {f["code"] for f in body["failed"]} == {"lifecycle.invalid_transition"}
    assert all("respond" in f["message"] for f in body["failed"])
    assert CaseEvent.objects.filter(type="responded").count() == 5
    # Again: nothing is answered twice (a responded case awaits feedback; it is reported, not re-answered).
    again = api_as("supervisor1").post(f"/mass_incidents/{incident.pk}/bulk_respond", BODY).json()
    assert again["responded"] == [] and len(again["failed"]) == len(cases)
    assert CaseEvent.objects.filter(type="responded").count() == 5


def test_refusals_in_the_error_shape(bank, api_as, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    path = f"/mass_incidents/{incident.pk}/bulk_respond"
    before = CaseEvent.objects.count()
    for username in ("handler1", "compliance1", "senior1"):
        r = api_as(username).post(path, BODY)
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied", username
    sup = api_as("supervisor1")
    r = sup.post("/mass_incidents/9999/bulk_respond", BODY)
    assert r.status_code == 404 and r.json()["error"]["field"] == "incident_id"
    r = sup.post(path, {**BODY, "extra": 1})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = sup.post(path, {**BODY, "outcome": "revised"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "outcome"
    r = sup.post(path, {k: v for k, v in BODY.items() if k != "reasons"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "reasons"
    MassIncident.objects.filter(pk=incident.pk).update(status="closed")
    r = sup.post(path, BODY)
    assert r.status_code == 409 and r.json()["error"]["code"] == "incident_closed"
    assert CaseEvent.objects.count() == before
