"""Cross-branch refusals through the API: a case of one branch is not merged into another branch's case,
nor escalated to another branch's outlet (SPEC §1: every permission is scoped to a unit)."""

from __future__ import annotations

import pytest

from redressal.cases import services as svc
from redressal.cases.models import Case
from redressal.customers.services import CustomerInput
from tests.branches import add_shanghai

pytestmark = pytest.mark.django_db


def register(bank, who: str, description: str = "信用卡年费被重复收取两次，要求退还。") -> Case:
    data = svc.RegisterInput(
        request_type="complaint",
        channel="hotline",
        description=description,
        customer=CustomerInput(name="王秀英", phone="13812345678", id_number="110101195001011234"),
    )
    return svc.register_case(data, actor=bank.actor(who))


@pytest.fixture
def two_branches(bank):
    add_shanghai(bank)
    return bank


def _error(r) -> tuple[int, str, str]:
    body = r.json()["error"]
    return r.status_code, body["code"], body["field"]


def test_merge_into_another_branchs_case_is_refused_and_leaves_both_untouched(two_branches, api_as):
    bank = two_branches
    mine = register(bank, "agent")
    theirs = register(bank, "shagent", "上海客户的另一笔投诉：理财产品赎回延迟。")
    api = api_as("handler1")
    r = api.post(f"/cases/{mine.pk}/merge", {"into": theirs.case_number, "reason": "重复投诉"})
    assert _error(r) == (404, "not_found", "into")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "registered" and mine.merged_into_id is None
    assert not theirs.events.filter(type="merge_received").exists()


def test_merge_answers_alike_for_missing_and_unseen_open_or_closed_targets(two_branches, api_as):
    bank = two_branches
    mine = register(bank, "agent")
    open_there = register(bank, "shagent", "上海客户：理财产品赎回延迟。")
    closed_there = register(bank, "shagent", "上海客户：转账手续费争议。")
    svc.withdraw_case(closed_there.pk, actor=bank.actor("shhandler"), reason="客户撤诉")
    api = api_as("handler1")
    answers = {
        number: _error(api.post(f"/cases/{mine.pk}/merge", {"into": number}))
        for number in ("TS19990101XX0001", open_there.case_number, closed_there.case_number)
    }
    assert set(answers.values()) == {(404, "not_found", "into")}, answers


def test_merge_into_a_visible_closed_case_is_refused_as_such(bank, api_as):
    mine, closed = register(bank, "agent"), register(bank, "agent", "另一笔：转账手续费争议。")
    svc.withdraw_case(closed.pk, actor=bank.actor("handler"), reason="客户撤诉")
    r = api_as("handler1").post(f"/cases/{mine.pk}/merge", {"into": closed.case_number})
    assert _error(r) == (422, "merge.target_closed", "into")


def test_merge_needs_the_merge_permission_on_the_targets_unit_too(two_branches, api_as):
    from redressal.org.services import create_staff
    from tests.conftest import PASSWORD

    bank = two_branches
    # Handles Beijing's cases, and may read (not handle) every case of the bank.
    create_staff("bjreader", PASSWORD, bank.branch, ["handler", ("auditor", bank.ho)])
    mine = register(bank, "agent")
    theirs = register(bank, "shagent", "上海客户：理财产品赎回延迟。")
    r = api_as("bjreader").post(f"/cases/{mine.pk}/merge", {"into": theirs.case_number})
    assert _error(r) == (403, "permission_denied", "into")
    assert not Case.objects.get(pk=theirs.pk).events.filter(type="merge_received").exists()


def test_merge_within_the_branch_still_works(bank, api_as):
    first, repeat = register(bank, "agent"), register(bank, "agent", "同一事项再次投诉：年费重复收取。")
    r = api_as("handler1").post(f"/cases/{repeat.pk}/merge", {"into": first.case_number, "reason": "重复"})
    assert r.status_code == 200, r.content
    assert Case.objects.get(pk=repeat.pk).merged_into_id == first.pk


def test_escalation_to_another_branchs_outlet_is_refused(two_branches, api_as):
    bank = two_branches
    case = register(bank, "agent")
    r = api_as("handler1").post(f"/cases/{case.pk}/escalate", {"to_unit": "SH01", "reason": "客户要求"})
    assert _error(r) == (400, "escalation.target", "to_unit"), r.content
    case.refresh_from_db()
    assert case.unit.code == "BJ" and not case.events.filter(type="escalated").exists()


def test_escalation_to_an_own_outlet_or_sideways_is_refused_upwards_allowed(bank, api_as):
    case = register(bank, "agent")
    api = api_as("handler1")
    refused = api.post(f"/cases/{case.pk}/escalate", {"to_unit": "BJ01", "reason": "下放网点"})
    assert _error(refused) == (400, "escalation.target", "to_unit")
    assert api.post(f"/cases/{case.pk}/escalate", {"to_unit": "HO", "reason": "涉及多家分行"}).status_code == 200
    case.refresh_from_db()
    assert case.unit.code == "HO"
