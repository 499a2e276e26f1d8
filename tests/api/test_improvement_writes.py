"""Accountability and improvement actions written through the API: the workbench's services, so the
same refusals (the permission matrix covers who may at all; these are the rules beyond the role)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from redressal.improvement.models import Accountability, AccountabilityMeasure, ImprovementAction
from tests.api.test_permission_matrix import NOW, World, accountability, action, found

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(bank):
    with time_machine.travel(NOW, tick=False):
        yield World(bank)


def _finding(case_id: int, staff: str = "teller1", kind: str = "training") -> dict:
    return {
        "case_id": case_id,
        "staff": staff,
        "finding": "对老年客户不耐烦",
        "measures": [{"kind": kind, "description": "老年客户服务规范再培训", "due_in_working_days": 10}],
    }


def test_a_finding_recorded_and_followed_through_by_api(world, api_as):
    sup = api_as("supervisor1")
    r = sup.post("/improvement/accountability", _finding(found(world)))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["staff"] == "teller1" and [m["kind"] for m in body["measures"]] == ["training"]
    acc_id, measure_id = body["id"], body["measures"][0]["id"]
    r = sup.post(f"/improvement/accountability/{acc_id}/measures", {"kind": "warning", "due_in_working_days": 5})
    assert r.status_code == 201 and r.json()["state"] == "ordered"
    r = sup.post(f"/improvement/measures/{measure_id}/done", {"evidence_note": "已参加培训", "training_ref": "TR-1"})
    assert r.status_code == 200 and r.json()["state"] == "carried_out" and r.json()["training_ref"] == "TR-1"
    again = sup.post(f"/improvement/measures/{measure_id}/done", {"evidence_note": "再次"})
    assert again.status_code == 409
    cancelled = sup.post(f"/improvement/measures/{r.json()['id'] + 1}/cancel", {"reason": "复核后撤销"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    # The record reads back the same through the existing GET.
    rows = sup.get("/improvement/staff/teller1/accountability").json()
    assert [m["state"] for m in rows[0]["measures"]] == ["carried_out", "cancelled"]


def test_accountability_refusals_by_api(world, api_as):
    sup = api_as("supervisor1")
    case_id = found(world)
    # Not before the case's own responsibility finding.
    bare = world.case("investigating")
    r = sup.post("/improvement/accountability", _finding(bare.pk))
    assert r.status_code == 409 and r.json()["error"]["code"] == "accountability.no_finding"
    # A measure the finding may not order; a person outside the case's units; oneself.
    r = sup.post("/improvement/accountability", _finding(case_id, kind="disciplinary"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "kind"
    r = sup.post("/improvement/accountability", _finding(case_id, staff="qa1"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "staff"
    r = sup.post("/improvement/accountability", _finding(case_id, staff="supervisor1"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "accountability.own_record"
    # A body the schema refuses: no measures.
    r = sup.post("/improvement/accountability", {**_finding(case_id), "measures": []})
    assert r.status_code in (400, 422)
    assert Accountability.objects.count() == 0
    # A handler may not record one, nor settle a measure; the person it is on may not settle their own.
    assert api_as("handler1").post("/improvement/accountability", _finding(case_id)).status_code == 403
    measure_id = AccountabilityMeasure.objects.get(accountability_id=accountability(world)).pk
    assert (
        api_as("handler1").post(f"/improvement/measures/{measure_id}/done", {"evidence_note": "x"}).status_code == 403
    )
    assert AccountabilityMeasure.objects.get(pk=measure_id).state == "ordered"


def _complete(api, action_id: int, content: bytes = b"%PDF-1.4 fix", name: str = "fix.pdf", ctype="application/pdf"):
    return api.client.post(
        f"/api/v1/improvement/actions/{action_id}/complete",
        {"note": "已修复", "file": SimpleUploadedFile(name, content, content_type=ctype)},
        headers=api._h(),
    )


def test_only_the_owner_completes_an_action_with_a_checked_file(world, api_as):
    action_id = action(world, "handler1")
    # The manager is not the owner.
    r = _complete(api_as("supervisor1"), action_id)
    assert r.status_code == 403 and r.json()["error"]["code"] == "action.not_owner"
    owner = api_as("handler1")
    r = _complete(owner, action_id, content=b"MZ not a pdf")
    assert r.status_code == 422 and r.json()["error"]["code"] == "file_content"
    assert ImprovementAction.objects.get(pk=action_id).state == "open"
    r = _complete(owner, action_id)
    assert r.status_code == 200 and r.json()["state"] == "done" and len(r.json()["evidence_sha256"]) == 64
    assert _complete(owner, action_id).status_code == 409
