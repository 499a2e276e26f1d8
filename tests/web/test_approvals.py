"""The approvals inbox: extension requests by level, compensation above the proposer's limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, Proposal
from redressal.cases.services.extension_requests import request_extension
from tests.conftest import local
from tests.flows import accept
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

T0 = local(2026, 1, 5, 10, 0)


def investigating(bank):
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    svc.start_investigation(case.pk, actor=bank.actor("handler"))
    return case


def proposal_of(bank, amount: str, by: str = "handler"):
    case = investigating(bank)
    svc.propose_solution(
        case.pk, actor=bank.actor(by), solution="退还重复收取的年费并补偿",
        items=[{"kind": "compensation", "amount": amount, "description": "补偿"}],
    )
    return case


@pytest.mark.parametrize("who", ["supervisor1", "branchhead1", "senior1"])
def test_inbox_for_approvers(client, bank, who):
    login(client, who)
    r = client.get("/approvals/")
    assert r.status_code == 200
    assert 'data-testid="proposals"' in r.content.decode()


@pytest.mark.parametrize("who", ["handler1", "agent1", "compliance1", "auditor1", "collab1", "admin", "qa1"])
def test_inbox_refused_to_others(client, bank, who):
    login(client, who)
    assert client.get("/approvals/").status_code == 403
    assert client.post("/approvals/proposal/", {"case_id": 1, "decision": "approve"}).status_code == 403


def test_proposal_shows_amount_and_both_limits_and_is_approved(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposal_of(bank, "1200.50")
        login(client, "supervisor1")
        body = client.get("/approvals/").content.decode()
        row = body.split(f'data-case="{case.case_number}"')[1].split("</tr>")[0]
        assert "¥1,200.50" in row and "¥500.00" in row and "¥5,000.00" in row
        assert "赔偿" in row.split('class="items"')[1] and "compensation:" not in row  # the item kind, labelled
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "approve", "reason": "合理"})
    assert r.status_code == 302
    assert Proposal.objects.get(case=case).status == "approved"
    assert Case.objects.get(pk=case.pk).status == "investigating"


def test_proposal_rejected_needs_a_reason(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposal_of(bank, "800")
        login(client, "supervisor1")
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "reject", "reason": ""})
        assert r.status_code == 422
        assert 'data-field="reason"' in r.content.decode()
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "reject", "reason": "金额过高"})
    assert r.status_code == 302
    assert Proposal.objects.get(case=case).status == "rejected"


def test_approver_must_not_be_the_proposer(client, bank):
    # The supervisor proposes above their own limit; they cannot approve it themselves.
    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
        # (A supervisor may propose on her team's case without being its assignee: she is not one.)
        svc.propose_solution(case.pk, actor=bank.actor("sup"), solution="补偿",
                             items=[{"kind": "compensation", "amount": "9000"}])
        login(client, "supervisor1")
        body = client.get("/approvals/").content.decode()
        assert "本人提出，须由他人审批" in body
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "approve"})
    assert r.status_code == 400
    assert "审批人不能是申请人本人" in r.content.decode()
    assert Proposal.objects.get(case=case).status == "pending"


def test_approval_above_the_approvers_limit_is_refused(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposal_of(bank, "20000")
        login(client, "supervisor1")
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "approve"})
        assert r.status_code == 400
        assert "金额超出审批人的审批权限" in r.content.decode()
        client.logout()
        login(client, "branchhead1")
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "approve"})
    assert r.status_code == 302
    assert Proposal.objects.get(case=case).status == "approved"


def test_extension_l1_request_approved_by_supervisor(client, bank):
    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
        request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="需调取交易流水",
                          justification="涉及第三方支付机构，客户手机 13912347654")
        login(client, "supervisor1")
        body = client.get("/approvals/").content.decode()
        table = body.split('data-testid="extension-requests"')[1].split("</table>")[0]
        assert case.case_number in table and "需调取交易流水" in table
        assert "13912347654" not in table and "139****7654" in table  # free text masked on the list
        r = client.post("/approvals/extension/", {"case_id": case.pk, "decision": "approve"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.extension_level == 1
    assert case.decision_due_at == local(2026, 2, 5)  # 30 days from receipt, 24:00 of 02-04
    with time_machine.travel(T0, tick=False):
        table = client.get("/approvals/").content.decode().split('data-testid="extension-requests"')[1]
    assert case.case_number not in table.split("</table>")[0]


def test_extension_l2_not_shown_to_and_refused_for_a_supervisor(client, bank):
    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
        svc.extend_deadline(case.pk, actor=bank.actor("sup"), level=1, reason="复杂", justification="需调查")
        request_extension(case.pk, actor=bank.actor("handler"), level=2, reason="特别复杂",
                          justification="需外部机构配合")
        login(client, "supervisor1")
        table = client.get("/approvals/").content.decode().split('data-testid="extension-requests"')[1]
        assert case.case_number not in table.split("</table>")[0]
        r = client.post("/approvals/extension/", {"case_id": case.pk, "decision": "approve"})
        assert r.status_code == 403
        assert Case.objects.get(pk=case.pk).extension_level == 1
        client.logout()
        login(client, "senior1")
        table = client.get("/approvals/").content.decode().split('data-testid="extension-requests"')[1]
        assert case.case_number in table.split("</table>")[0]
        r = client.post("/approvals/extension/", {"case_id": case.pk, "decision": "approve"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).extension_level == 2


def test_extension_request_rejected_with_reason(client, bank):
    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
        request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="复杂", justification="x")
        login(client, "supervisor1")
        r = client.post("/approvals/extension/", {"case_id": case.pk, "decision": "reject", "reason": "材料已齐全"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.extension_level == 0
    last = case.events.order_by("-seq").first()
    assert last.type == "extension_rejected" and last.reason == "材料已齐全"


def test_extension_request_rules(bank):
    from redressal.core.errors import ValidationFailed

    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
        with pytest.raises(ValidationFailed) as exc:
            request_extension(case.pk, actor=bank.actor("handler"), level=2, reason="r", justification="j")
        assert exc.value.field == "level"
        request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="r", justification="j")
        with pytest.raises(ValidationFailed) as exc:
            request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="r", justification="j")
        assert exc.value.code == "extension.request_pending"


def test_extension_request_after_the_decision_due_moment_is_refused_when_asked(bank):
    """办法 第十八条: extend before the period ends — the handler hears it, not the approver later."""
    from redressal.core.errors import ServiceError

    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
    due = Case.objects.get(pk=case.pk).decision_due_at
    with time_machine.travel(due + timedelta(hours=1), tick=False):
        with pytest.raises(ServiceError) as exc:
            request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="r", justification="j")
    assert (exc.value.code, exc.value.field) == ("extension.after_deadline", "at")
    assert not case.events.filter(type="extension_requested").exists()


def test_extension_request_on_a_paused_clock_is_refused_when_asked(bank):
    from redressal.core.errors import ServiceError

    with time_machine.travel(T0, tick=False):
        case = investigating(bank)
        svc.pause_clock(case.pk, actor=bank.actor("handler"), reason="appraisal", external_party="司法鉴定中心")
        with pytest.raises(ServiceError) as exc:
            request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="r", justification="j")
    assert exc.value.code == "extension.not_running"
    assert not case.events.filter(type="extension_requested").exists()


def test_inbox_in_english(client, bank):
    login(client, "supervisor1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/approvals/").content.decode()
    assert 'lang="en"' in body and "Number" in body


def test_a_proposal_above_your_authority_offers_no_decision(client, bank):
    """¥51,470 needs a senior manager: the supervisor and the branch head see why, and no buttons."""
    with time_machine.travel(T0, tick=False):
        case = proposal_of(bank, "51470")
        for who in ("supervisor1", "branchhead1"):
            login(client, who)
            row = client.get("/approvals/").content.decode().split(f'data-case="{case.case_number}"')[1]
            row = row.split("</tr>")[0]
            assert "¥51,470.00" in row and "超出您的审批权限" in row
            assert f'data-testid="approve-{case.pk}"' not in row and f'data-testid="reject-{case.pk}"' not in row
            page = client.get(f"/cases/{case.pk}/").content.decode()
            assert 'data-testid="beyond-authority"' in page
            assert 'id="action-approve"' not in page and 'id="action-reject"' not in page
            # Refused by the service as before, whichever page the request comes from.
            r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "approve"})
            assert r.status_code == 400 and "金额超出审批人的审批权限" in r.content.decode()
            case.refresh_from_db()
            r = client.post(f"/cases/{case.pk}/act/approve/", {"approve-version": case.version,
                                                                "approve-seen_seq": case.last_event_seq},
                            headers={"HX-Request": "true"})
            assert r.status_code == 422 and "金额超出审批人的审批权限" in r.content.decode()
            client.logout()
        assert Proposal.objects.get(case=case).status == "pending"
        login(client, "senior1")
        row = client.get("/approvals/").content.decode().split(f'data-case="{case.case_number}"')[1].split("</tr>")[0]
        assert f'data-testid="approve-{case.pk}"' in row and "超出您的审批权限" not in row
        assert 'id="action-approve"' in client.get(f"/cases/{case.pk}/").content.decode()


def test_within_authority_the_case_page_offers_approve_and_reject(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposal_of(bank, "1200")
        login(client, "supervisor1")
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="action-approve"' in page and 'id="action-reject"' in page
    assert 'data-testid="beyond-authority"' not in page and "下一步：批准方案" in page
