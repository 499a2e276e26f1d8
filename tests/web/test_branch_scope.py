"""Cross-branch refusals on the case page: the merge's confirm step and the escalation form."""

from __future__ import annotations

import pytest

from redressal.cases.models import Case
from tests.api.test_branch_scope import register
from tests.branches import add_shanghai
from tests.web.test_case_actions import act, form
from tests.web.test_case_page import login

pytestmark = pytest.mark.django_db


def test_merge_confirm_step_refuses_another_branchs_case(client, bank):
    add_shanghai(bank)
    mine = register(bank, "agent")
    theirs = register(bank, "shagent", "上海客户：理财产品赎回延迟。")
    login(client, "handler1")
    # The preview already hides it; a hand-made confirmation must not get past the service either.
    preview = act(client, mine, "merge", {"into": theirs.case_number, "reason": "重复投诉"})
    assert preview.status_code == 422 and 'id="err-merge-into"' in preview.content.decode()
    r = act(client, mine, "merge", {"into": theirs.case_number, "reason": "重复投诉", "confirm": "True"})
    assert r.status_code == 404 and 'id="err-merge-into"' in r.content.decode()
    assert Case.objects.get(pk=mine.pk).status == "registered"
    assert not Case.objects.get(pk=theirs.pk).events.filter(type="merge_received").exists()


def test_escalation_form_offers_the_line_above_and_departments_only(client, bank):
    add_shanghai(bank)
    case = register(bank, "agent")
    login(client, "handler1")
    body = form(client, case, "escalate")
    offered = set(body.split('name="escalate-to_unit"', 1)[1].split("</select>", 1)[0].split('value="')[1:])
    codes = {chunk.split('"', 1)[0] for chunk in offered}
    assert codes == {"HO", "TECH"}
    r = act(client, case, "escalate", {"to_unit": "SH01", "reason": "客户要求"})
    assert r.status_code == 422 and 'id="err-escalate-to_unit"' in r.content.decode()
    assert Case.objects.get(pk=case.pk).unit.code == "BJ"
