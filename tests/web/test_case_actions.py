"""Every action form of the case page: offered only when allowed, happy path, named field errors (422),
stale versions refused with what changed (409)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redressal.cases import services as svc
from redressal.cases.models import Case
from tests.flows import ROUTES, accept, accept_and_respond, confirm_codes, respond
from tests.services.test_lifecycle import register
from tests.web.test_case_page import login

pytestmark = pytest.mark.django_db


def act(client, case: Case, action: str, data: dict, *, htmx: bool = True, version: int | None = None):
    case.refresh_from_db()
    payload = {f"{action}-{k}": v for k, v in data.items()}
    payload[f"{action}-version"] = case.version if version is None else version
    payload[f"{action}-seen_seq"] = case.last_event_seq
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/cases/{case.pk}/act/{action}/", payload, headers=headers)


def page(client, case: Case) -> str:
    return client.get(f"/cases/{case.pk}/").content.decode()


def form(client, case: Case, action: str) -> str:
    """An action's form, as its panel fetches it when opened."""
    r = client.get(f"/cases/{case.pk}/act/{action}/", headers={"HX-Request": "true"})
    assert r.status_code == 200, r.content.decode()[:300]
    return r.content.decode()


def events(case: Case) -> list[str]:
    return list(case.events.order_by("seq").values_list("type", flat=True))


def investigating(bank) -> Case:
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    svc.start_investigation(case.pk, actor=bank.actor("handler"))
    return case


def test_accept_needs_the_recusal_confirmation_then_accepts(client, bank):
    case = register(bank)
    login(client, "handler1")
    body = page(client, case)
    assert 'id="action-accept"' in body and 'name="accept-no_direct_interest"' not in body  # fetched on opening
    assert 'name="accept-no_direct_interest"' in form(client, case, "accept")
    r = act(client, case, "accept", {"contact_channel": "phone", "contact_outcome": "reached"})
    assert r.status_code == 422
    body = r.content.decode()
    assert 'id="err-accept-no_direct_interest"' in body and "本人与该投诉无直接利害关系" in body
    r = act(client, case, "accept", {"contact_channel": "phone", "contact_outcome": "reached",
                                     "no_direct_interest": "on"})
    # Back to the section that shows the result (the contact record), with a message; not the top.
    version = Case.objects.get(pk=case.pk).version
    assert r.status_code == 204 and r["HX-Redirect"] == f"/cases/{case.pk}/?v={version}#contact"
    case.refresh_from_db()
    assert case.status == "accepted" and events(case)[-1] == "accepted"


def test_form_field_validation_names_the_field(client, bank):
    case = register(bank)
    login(client, "handler1")
    r = act(client, case, "accept", {"contact_channel": "carrier-pigeon", "contact_outcome": "reached"})
    assert r.status_code == 422 and 'id="err-accept-contact_channel"' in r.content.decode()


def test_stale_version_is_refused_with_what_changed(client, bank):
    case = register(bank)
    login(client, "handler1")
    case.refresh_from_db()
    stale_version, stale_seq = case.version, case.last_event_seq
    accept(case.pk, bank.actor("handler2"))  # someone else, meanwhile
    r = client.post(
        f"/cases/{case.pk}/act/withdraw/",
        {"withdraw-version": stale_version, "withdraw-seen_seq": stale_seq, "withdraw-reason": "客户撤回"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert 'data-testid="conflict"' in body and "其他人已修改" in body
    assert "受理" in body and "handler2" in body  # the change made since
    assert 'data-testid="change-status"' in body and "已登记 → 已受理" in body
    case.refresh_from_db()
    assert case.status == "accepted"


def test_note_evidence_task_responsibility(client, bank, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = investigating(bank)
    login(client, "handler1")
    r = act(client, case, "add_note", {"kind": "interview", "text": ""})
    assert r.status_code == 422 and 'id="err-add_note-text"' in r.content.decode()
    assert act(client, case, "add_note", {"kind": "interview", "text": "约谈网点经理"}).status_code == 204
    upload = SimpleUploadedFile("statement.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert act(client, case, "add_evidence", {"kind": "written", "file": upload}).status_code == 204
    bad = SimpleUploadedFile("x.html", b"<b>x</b>", content_type="text/html")
    r = act(client, case, "add_evidence", {"kind": "written", "file": bad})
    assert r.status_code == 422 and 'id="err-add_evidence-file"' in r.content.decode()
    r = act(client, case, "open_task", {"department": "TECH", "title": "调取日志", "request": "请提供交易日志",
                                        "blocking": "on"})
    assert r.status_code == 204
    r = act(client, case, "set_responsibility", {"finding": "bank", "root_cause_code": "", "measure": "training"})
    assert r.status_code == 204
    assert events(case)[-4:] == ["note_added", "evidence_added", "task_opened", "responsibility_set"]
    body = page(client, case)
    assert "statement.pdf" in body and "调取日志" in body and "信息科技部" in body


def test_proposal_above_limit_shows_the_approver_and_supervisor_approves(client, bank):
    case = investigating(bank)
    login(client, "handler1")
    body = form(client, case, "propose_solution")
    assert 'data-testid="authority"' in body and "¥500.00" in body
    assert 'data-testid="approval-ladder"' in body and "¥5,000.00" in body
    r = act(client, case, "propose_solution", {"solution": "退还年费", "item_kind_0": "", "item_amount_0": "10"})
    assert r.status_code == 422 and 'id="err-propose_solution-item_kind_0"' in r.content.decode()
    r = act(client, case, "propose_solution", {"solution": "退还年费", "item_kind_0": "refund", "item_amount_0": "600"})
    assert r.status_code == 204
    case.refresh_from_db()
    assert case.status == "pending_approval"
    assert 'data-testid="approver-needed"' in page(client, case)
    assert 'id="action-approve"' not in page(client, case)  # a handler approves nothing
    client.logout()
    login(client, "supervisor1")
    assert act(client, case, "approve", {"reason": "同意"}).status_code == 204
    case.refresh_from_db()
    assert case.status == "investigating" and events(case)[-1] == "solution_approved"


def test_extension_only_for_approvers_and_pause_resume(client, bank):
    case = investigating(bank)
    login(client, "handler1")
    assert 'id="action-extend"' not in page(client, case)
    r = act(client, case, "extend", {"level": "1", "reason": "复杂", "justification": "需调取多方记录"})
    assert r.status_code == 403
    client.logout()
    login(client, "supervisor1")
    r = act(client, case, "extend", {"level": "1", "reason": "", "justification": "x"})
    assert r.status_code == 422 and 'id="err-extend-reason"' in r.content.decode()
    r = act(client, case, "extend", {"level": "1", "reason": "复杂", "justification": "需调取多方记录",
                                     "customer_notified": "on"})
    assert r.status_code == 204
    case.refresh_from_db()
    assert case.extension_level == 1
    r = act(client, case, "pause", {"reason": "appraisal", "external_party": "司法鉴定中心"})
    assert r.status_code == 204
    body = page(client, case)
    assert 'id="action-resume"' in body and 'id="action-pause"' not in body
    assert 'data-testid="clock-history"' in body
    assert act(client, case, "resume", {}).status_code == 204
    assert act(client, case, "restart_clock", {"reason": "客户补充新材料"}).status_code == 204
    assert events(case)[-4:] == ["extended", "paused", "resumed", "clock_restarted"]


def test_respond_prefills_the_notice_and_requires_every_route(client, bank):
    case = investigating(bank)
    confirm_codes(case.pk, bank.actor("handler"))
    login(client, "handler1")
    body = form(client, case, "respond")
    assert "申请核查" in body and "仲裁" in body and case.case_number in body
    data = {"outcome": "not_upheld", "reasons": "按合同收费", "basis": "合同第3条", "notice_channel": "sms",
            "notice_content": "经核实……"}
    r = act(client, case, "respond", {**data, "routes": ["review", "mediation"]})
    assert r.status_code == 422 and 'id="err-respond-routes"' in r.content.decode()
    r = act(client, case, "respond", {**data, "routes": ROUTES, "confirm": "True"})
    assert r.status_code == 204 and r["HX-Redirect"].endswith("#decision")
    case.refresh_from_db()
    assert case.status == "responded"
    body = page(client, case)
    assert 'data-testid="notice-pdf"' in body and "已完成：答复客户" in body


def test_respond_shows_the_notice_then_records_it_only_when_confirmed(client, bank):
    case = investigating(bank)
    confirm_codes(case.pk, bank.actor("handler"))
    login(client, "handler1")
    notice = form(client, case, "respond").split('name="respond-notice_content"', 1)[1].split(">", 1)[1]
    notice = notice.split("</textarea>", 1)[0].replace("&#x27;", "'").strip()
    assert "【处理结果】" in notice
    data = {"outcome": "not_upheld", "reasons": "按合同收费", "basis": "合同第3条", "notice_channel": "sms",
            "notice_content": notice, "routes": ROUTES}
    r = act(client, case, "respond", data)
    assert r.status_code == 200
    body = r.content.decode()
    preview = body.split('data-testid="notice-text"', 1)[1].split("</div>", 1)[0]
    assert "处理结果：投诉不成立" in preview and "按合同收费（合同第3条）" in preview and "【" not in preview
    assert 'data-testid="edit-respond"' in body and "确认答复" in body
    assert 'type="hidden" name="respond-confirm" value="True"' in body
    assert 'type="hidden" name="respond-reasons" value="按合同收费"' in body  # confirmed = what was shown
    case.refresh_from_db()
    assert case.status == "investigating" and not case.decisions.exists()  # nothing recorded yet
    # Back to editing: the fields are editable again, as they were.
    r = act(client, case, "respond", {**data, "confirm": "True", "edit": "1"})
    assert r.status_code == 200 and "<textarea" in r.content.decode() and "按合同收费" in r.content.decode()
    assert not case.decisions.exists()
    r = act(client, case, "respond", {**data, "notice_content": preview.replace("<br>", "\n"), "confirm": "True"})
    assert r.status_code == 204
    decision = Case.objects.get(pk=case.pk).decisions.get()
    assert "处理结果：投诉不成立" in decision.notice_content
    # One status for the notice, and only what is true: an SMS not sent yet is pending, no tick.
    delivery = page(client, case).split('data-testid="delivery"', 1)[1].split("</p>", 1)[0]
    assert 'data-state="pending"' in delivery and "待发送" in delivery and "✓" not in delivery


def test_a_notice_given_by_phone_is_shown_as_recorded(client, bank):
    case = investigating(bank)
    respond(case.pk, bank.actor("handler"), channel="phone")
    login(client, "handler1")
    delivery = page(client, case).split('data-testid="delivery"', 1)[1].split("</p>", 1)[0]
    assert 'data-state="recorded"' in delivery and "电话" in delivery and "已记录" in delivery
    assert "待发送" not in delivery and "✓" not in delivery


def test_respond_waits_for_the_b_and_c_codes_and_says_where_to_confirm_them(client, bank):
    case = investigating(bank)
    login(client, "handler1")
    body = page(client, case)
    assert 'data-testid="unconfirmed"' in body and 'href="#classification"' in body
    head = body.split('data-testid="case-head"', 1)[1].split("</header>", 1)[0]
    assert 'href="#classification"' in head and 'data-testid="next-step"' in head  # the next step: confirm
    assert 'data-testid="unconfirmed-respond"' in form(client, case, "respond")
    data = {"outcome": "not_upheld", "reasons": "r", "basis": "b", "notice_channel": "sms",
            "notice_content": "c", "routes": ROUTES, "confirm": "True"}
    r = act(client, case, "respond", data)
    assert r.status_code == 422
    assert "请先在分类与分诊中确认：业务类别（B）、投诉原因（C）" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == "investigating"
    confirm_codes(case.pk, bank.actor("handler"))
    assert 'data-testid="unconfirmed"' not in page(client, case)
    assert act(client, case, "respond", data).status_code == 204


def test_the_remedy_starts_from_the_approved_solution(client, bank):
    case = investigating(bank)
    svc.propose_solution(case.pk, actor=bank.actor("handler"), solution="退还重复收取的年费",
                         items=[{"kind": "refund", "amount": "300"}, {"kind": "goodwill", "amount": "100"}])
    login(client, "handler1")
    remedy = form(client, case, "respond").split('name="respond-remedy"', 1)[1].split("</textarea>", 1)[0]
    assert "退还重复收取的年费：退款 300.00 元；慰问补偿 100.00 元（合计 400.00 元）" in remedy


def test_feedback_reopen(client, bank):
    case = register(bank)
    accept_and_respond(case.pk, bank.actor("handler"))
    login(client, "handler1")
    r = act(client, case, "record_feedback", {"result": "dissatisfied", "csat": "2"})
    assert r.status_code == 422 and 'id="err-record_feedback-close_reason"' in r.content.decode()
    assert act(client, case, "record_feedback", {"result": "satisfied", "csat": "5"}).status_code == 204
    case.refresh_from_db()
    assert case.status == "closed"
    r = act(client, case, "reopen", {"reason": ""})
    assert r.status_code == 422 and 'id="err-reopen-reason"' in r.content.decode()
    assert act(client, case, "reopen", {"reason": "客户提供新证据", "new_facts": "on"}).status_code == 204
    case.refresh_from_db()
    assert case.status == "investigating"


def test_withdraw_decline_escalate(client, bank):
    a, b, c = register(bank), register(bank), register(bank)
    login(client, "handler1")
    assert act(client, a, "withdraw", {"reason": "客户撤诉"}, htmx=False).status_code == 302
    r = act(client, b, "decline", {"reason_code": "not_our_business", "notice": ""})
    assert r.status_code == 422 and 'id="err-decline-notice"' in r.content.decode()
    assert act(client, b, "decline", {"reason_code": "not_our_business", "notice": "非本行业务"}).status_code == 204
    assert 'name="escalate-to_unit"' in form(client, c, "escalate")
    r = act(client, c, "escalate", {"to_unit": "HO", "reason": ""})
    assert r.status_code == 422 and 'id="err-escalate-reason"' in r.content.decode()
    assert act(client, c, "escalate", {"to_unit": "HO", "reason": "涉及监管投诉"}).status_code == 204
    for case, state in ((a, "withdrawn"), (b, "declined")):
        case.refresh_from_db()
        assert case.status == state
    assert events(c)[-1] == "escalated"


def test_merge_shows_both_cases_before_confirming(client, bank):
    dup, target = register(bank), register(bank, description="同一笔年费重复扣收")
    login(client, "handler1")
    r = act(client, dup, "merge", {"into": "NO-SUCH"})
    assert r.status_code == 422 and 'id="err-merge-into"' in r.content.decode()
    r = act(client, dup, "merge", {"into": target.case_number, "reason": "重复投诉"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="merge-preview"' in body
    assert dup.case_number in body and target.case_number in body and "同一笔年费重复扣收" in body
    dup.refresh_from_db()
    assert dup.status == "registered"  # nothing happens before the confirmation
    r = act(client, dup, "merge", {"into": target.case_number, "reason": "重复投诉", "confirm": "True"})
    assert r.status_code == 204
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into_id == target.pk
    assert "合并来件" in page(client, target)


def test_answer_for_consultations_only(client, bank):
    consult = register(bank, request_type="consultation")
    login(client, "agent1")
    body = page(client, consult)
    assert 'id="action-answer"' in body and 'id="action-accept"' not in body
    assert act(client, consult, "answer", {"answer": "已解释年费政策"}).status_code == 204
    consult.refresh_from_db()
    assert consult.status == "closed"


def test_role_without_permission_is_refused(client, bank):
    case = register(bank)
    login(client, "auditor1")
    r = act(client, case, "withdraw", {"reason": "x"})
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.status == "registered"


def test_merge_offers_the_same_customers_open_cases(client, bank):
    first = register(bank)
    # Not the same text: an exact re-submission would have been merged automatically at registration.
    second = register(bank, customer=None, customer_id=first.customer_id, description="年费重复扣收，第二次来电。")
    login(client, "handler1")
    body = form(client, second, "merge")
    block = body.split('data-testid="merge-candidates"', 1)[1].split("</div>", 1)[0]
    assert first.case_number in block


STALE = [
    # action, who acts, the state the case is brought to, valid form data
    ("accept", "handler1", "registered", {"contact_channel": "phone", "contact_outcome": "reached",
                                          "no_direct_interest": "on"}),
    ("start_investigation", "handler1", "accepted", {}),
    ("add_note", "handler1", "investigating", {"kind": "general", "text": "x"}),
    ("open_task", "handler1", "investigating", {"department": "TECH", "title": "t", "request": "r"}),
    ("set_responsibility", "handler1", "investigating", {"finding": "none", "measure": "none"}),
    ("propose_solution", "handler1", "investigating", {"solution": "s", "item_kind_0": "refund",
                                                       "item_amount_0": "10"}),
    ("extend", "supervisor1", "investigating", {"level": "1", "reason": "r", "justification": "j",
                                                "customer_notified": "on"}),
    ("pause", "handler1", "investigating", {"reason": "testing", "external_party": "检测机构"}),
    ("restart_clock", "handler1", "investigating", {"reason": "新材料"}),
    ("respond", "handler1", "investigating", {"outcome": "not_upheld", "reasons": "r", "basis": "b",
                                              "notice_channel": "sms", "notice_content": "c", "routes": ROUTES,
                                              "confirm": "True"}),
    ("record_feedback", "handler1", "responded", {"result": "satisfied"}),
    ("reopen", "handler1", "responded", {"reason": "r"}),
    ("escalate", "handler1", "registered", {"to_unit": "HO", "reason": "r"}),
    ("decline", "handler1", "registered", {"reason_code": "not_our_business", "notice": "n"}),
    ("withdraw", "handler1", "registered", {"reason": "r"}),
]


@pytest.mark.parametrize(("action", "who", "state", "data"), STALE, ids=[s[0] for s in STALE])
def test_every_action_refuses_a_stale_version(client, bank, action, who, state, data):
    case = register(bank)
    handler = bank.actor("handler")
    if state != "registered":
        accept(case.pk, handler)
    if state in ("investigating", "responded"):
        svc.start_investigation(case.pk, actor=handler)
        confirm_codes(case.pk, handler)
    if state == "responded":
        from tests.flows import respond

        respond(case.pk, handler)
    login(client, who)
    assert f'id="action-{action}"' in page(client, case)  # offered to this role in this state
    case.refresh_from_db()
    stale = case.version
    svc.add_note(case.pk, actor=bank.actor("handler2"), text="同事补充记录")  # someone else, meanwhile
    r = act(client, case, action, data, version=stale)
    assert r.status_code == 409, r.content.decode()[:500]
    assert "其他人已修改" in r.content.decode()
    assert events(case)[-1] == "note_added"  # nothing of the refused change was written


def test_handler_requests_an_extension_and_the_approver_decides_it(client, bank):
    from redressal.cases.services.extension_requests import approve_extension_request, pending_request

    case = investigating(bank)
    login(client, "handler1")
    assert 'name="request_extension-level"' in form(client, case, "request_extension")
    r = act(client, case, "request_extension", {"level": "1", "reason": "", "justification": "需调取外部记录"})
    assert r.status_code == 422 and 'id="err-request_extension-reason"' in r.content.decode()
    r = act(client, case, "request_extension", {"level": "1", "reason": "案情复杂", "justification": "需调取外部记录"})
    assert r.status_code == 204
    case.refresh_from_db()
    assert events(case)[-1] == "extension_requested" and case.extension_level == 0
    assert pending_request(case) is not None
    approve_extension_request(case.pk, actor=bank.actor("sup"))
    case.refresh_from_db()
    assert case.extension_level == 1 and events(case)[-1] == "extended"


def test_an_extension_request_after_the_due_moment_is_refused_on_the_form(client, bank):
    import time_machine

    case = investigating(bank)
    due = Case.objects.get(pk=case.pk).decision_due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        login(client, "handler1")
        data = {"level": "1", "reason": "案情复杂", "justification": "需调取外部记录"}
        r = act(client, case, "request_extension", data)
    assert r.status_code == 422
    assert "处理期限已届满，延期须在期限届满前办理" in r.content.decode()
    assert "extension_requested" not in events(case)


def test_a_form_not_offered_is_not_served(client, bank):
    case = register(bank)
    login(client, "handler1")
    r = client.get(f"/cases/{case.pk}/act/respond/", headers={"HX-Request": "true"})  # not before acceptance
    assert r.status_code == 403 and 'name="respond-outcome"' not in r.content.decode()
    client.logout()
    login(client, "auditor1")
    assert client.get(f"/cases/{case.pk}/act/accept/").status_code == 403


def test_a_note_is_shown_on_the_case_page_with_its_kind_and_author(client, bank):
    case = investigating(bank)
    login(client, "handler1")
    r = act(client, case, "add_note", {"kind": "interview", "text": "已电话联系客户，核实扣费情况。"})
    assert r.status_code == 204
    block = page(client, case).split('data-testid="notes"', 1)[1].split("</ol>", 1)[0]
    assert "已电话联系客户，核实扣费情况。" in block and "访谈" in block and "handler1" in block
