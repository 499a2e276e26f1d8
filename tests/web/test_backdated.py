"""Late recording on the case page (实际发生时间, 补录原因) and the compliance list (补录操作)."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases.models import CaseEvent
from tests.conftest import local
from tests.web.test_case_actions import act, form, investigating
from tests.web.test_case_page import login

pytestmark = pytest.mark.django_db

NOW = local(2025, 3, 10, 9)
EXTEND = {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录", "customer_notified": "on"}


def test_extension_form_takes_the_real_moment_and_the_reason(client, bank):
    with time_machine.travel(local(2025, 1, 20, 10), tick=False):
        case = investigating(bank)
    with time_machine.travel(NOW, tick=False):
        login(client, "supervisor1")
        body = form(client, case, "extend")
        assert 'name="extend-at"' in body and 'name="extend-backdate_reason"' in body and "补录原因" in body
        r = act(client, case, "extend", {**EXTEND, "at": "2025-02-01T10:00"})
        assert r.status_code == 422
        assert 'id="err-extend-backdate_reason"' in r.content.decode()
        r = act(client, case, "extend", {**EXTEND, "at": "2025-02-01T10:00", "backdate_reason": "纸质审批单补录"})
        assert r.status_code in (200, 204, 302), r.content.decode()[:500]
    case.refresh_from_db()
    assert case.decision_due_at == local(2025, 2, 20)  # 24:00 of 02-19
    event = CaseEvent.objects.get(case=case, type="extended")
    assert event.at == local(2025, 2, 1, 10) and event.backdated
    with time_machine.travel(NOW, tick=False):
        body = client.get(f"/cases/{case.pk}/").content.decode()
    marker = body.split(f'data-testid="backdated-{event.seq}"')[1].split("</div>")[0]
    assert "2025-03-10 09:00" in marker and "纸质审批单补录" in marker


def test_compliance_sees_the_backdated_actions(client, bank):
    with time_machine.travel(local(2025, 1, 20, 10), tick=False):
        case = investigating(bank)
    with time_machine.travel(NOW, tick=False):
        login(client, "supervisor1")
        act(client, case, "extend", {**EXTEND, "at": "2025-02-01T10:00", "backdate_reason": "纸质审批单补录"})
        client.logout()
        login(client, "compliance1")
        assert "补录操作" in client.get("/audit/").content.decode()
        r = client.get("/audit/backdated/")
        assert r.status_code == 200
        rows = r.content.decode().split('data-testid="backdated-rows"')[1].split("</table>")[0]
        assert case.case_number in rows and "纸质审批单补录" in rows and "supervisor1" in rows
        assert "2025-02-01 10:00" in rows and "2025-03-10 09:00" in rows
        client.logout()
        login(client, "handler1")
        assert client.get("/audit/backdated/").status_code == 403
