"""POST /cases/{id}/assign refuses whom the team page does not offer (SPEC §7), naming ``assignee``."""

from __future__ import annotations

import pytest

from redressal.cases.models import Case
from redressal.org.models import Staff
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db
def test_the_api_refuses_an_ineligible_assignee(bank, api_as):
    case = register(bank)
    api = api_as("supervisor1")
    r = api.post(f"/cases/{case.pk}/assign", {"assignee": "branchhead1"})
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "assignee" and r.json()["error"]["code"] == "assignee.role"
    Staff.objects.filter(username="handler2").update(absent_until="2999-01-01")
    r = api.post(f"/cases/{case.pk}/assign", {"assignee": "handler2"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "assignee.absent"
    assert Case.objects.get(pk=case.pk).assignee_id is None
    assert api.post(f"/cases/{case.pk}/assign", {"assignee": "handler1"}).status_code == 200
