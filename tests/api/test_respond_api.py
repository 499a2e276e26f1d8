"""POST /cases/{id}/respond refuses a complaint whose B and C codes are not confirmed (400, classification)."""

from __future__ import annotations

import pytest

from redressal.cases import services as svc
from redressal.cases.models import Case
from tests.flows import ROUTES, accept, confirm_codes
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db

BODY = {"outcome": "not_upheld", "reasons": "按合同收费", "basis": "合同第3条", "remedy": "",
        "notice": {"channel": "sms", "content": "经核实……", "routes": ROUTES}}


def test_respond_needs_the_confirmed_b_and_c_codes(bank, api_as):
    case = register(bank)
    handler = bank.actor("handler")
    accept(case.pk, handler)
    svc.start_investigation(case.pk, actor=handler)
    api = api_as("handler1")
    r = api.post(f"/cases/{case.pk}/respond", BODY)
    assert r.status_code == 400, r.json()
    error = r.json()["error"]
    assert error["field"] == "classification" and error["code"] == "decision.classification_unconfirmed"
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == "investigating" and not stored.decisions.exists()
    confirm_codes(case.pk, handler)
    assert api.post(f"/cases/{case.pk}/respond", BODY).status_code == 200
