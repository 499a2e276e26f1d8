"""Each role's main journey through the real pages, in a real browser (issue 4).

Set-up (organisation, staff, customers, and for the later journeys a registered case) goes through the
services; from then on every step is a person at their browser clicking the pages. Deadlines are
checked against the calendar rule of SPEC §5 (decision due 15/30/60 days from receipt, 24:00).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from redressal.cases.models import Case
from redressal.customers.services import CustomerInput, create_customer
from tests.browser import pages
from tests.catalogue import pending_entries, po_entries

PHONE = "13812345678"
ROUTES = ("review", "mediation", "arbitration", "litigation")
EXTENSION_REQUEST = "request_extension"  # the case page's action asking for an extension
ELDERLY_ID = "110101195001011234"  # born 1950: elderly (SPEC §3 vulnerable customers)


def due_text(case: Case, days: int) -> str:
    """"YYYY-MM-DD 24:00" of ``days`` calendar days after receipt (the start day not counted)."""
    received = timezone.localtime(case.received_at).date()
    return f"{received + timedelta(days=days):%Y-%m-%d} 24:00"


def register_by_service(bank) -> Case:
    from tests.services.test_lifecycle import register

    return register(bank, customer=CustomerInput(name="王秀英", phone=PHONE, id_number=ELDERLY_ID))


def register_customer(bank) -> None:
    # A customer of the branch (customers.scope): the branch's agent finds them by phone.
    data = CustomerInput(name="王秀英", phone=PHONE, id_number=ELDERLY_ID)
    create_customer(data, actor=bank.actor("agent"), home_unit=bank.branch)


def case_id_from(person) -> int:
    """The case page's id, from the URL the person is on."""
    m = re.search(r"/cases/(\d+)/", person.page.url)
    assert m, person.page.url
    return int(m.group(1))


def en(msgid: str) -> str:
    # The compiled catalogue is what the page shows; pending JSON only adds what it does not have yet.
    english = {**pending_entries(), **po_entries()}.get(msgid)
    assert english, f"{msgid!r} has no English in django.po nor in locale/en/pending/*.json"
    return english


def test_hotline_complaint_of_an_elderly_customer_from_registration_to_close(bank, this_year_calendar, as_user):
    register_customer(bank)

    # The agent finds the caller by phone and registers the complaint.
    agent = as_user("agent1")
    agent.goto("/register/")
    agent.page.select_option("#lookup-form select[name=by]", "phone")
    agent.page.fill("#id_lookup_value", PHONE)
    agent.page.click("[data-testid=lookup-submit]")
    found = agent.page.locator("[data-testid=lookup-results]")
    found.wait_for()
    assert "王秀英" in found.inner_text() and "138****5678" in found.inner_text()
    assert PHONE not in agent.text("main")  # masked on screen
    agent.page.click("[data-testid=pick-customer]")
    agent.page.locator("[data-testid=picked-customer]").wait_for()
    pages.fill(agent.page.locator("#register-form"), {
        "request_type": "complaint",
        "channel": "hotline",
        "product": "信用卡",
        "amount": "800",
        "description": "老人来电：信用卡年费被重复收取两次，要求退还并赔偿损失。",
    })
    agent.shot("1-register")
    with agent.page.expect_navigation() as nav:
        agent.page.click("[data-testid=register-submit]")
    shown = agent.page.locator(".error, [role=alert], .errorlist").all_inner_texts()
    assert nav.value is not None and nav.value.status < 400, (
        f"registration refused, HTTP {nav.value.status}; messages on the page: {shown or 'none'} "
        "(a refusal with no message is a required field the agent's form does not render)"
    )
    number = agent.page.locator("#case-number").inner_text().strip()
    assert number.startswith("TS")
    agent.shot("2-registered")
    agent.page.click("[data-testid=open-case]")
    case_id = case_id_from(agent)
    assert pages.state(agent) == "已登记"
    assert "老年客户" in agent.text("[data-testid=case-head]")

    # The handler accepts (confirming no direct interest), investigates, proposes ¥800 (> ¥500 limit).
    handler = as_user("handler1")
    pages.open_case(handler, case_id)
    pages.act(handler, "accept", {"contact_channel": "phone", "contact_outcome": "reached",
                                  "explained": "已向客户说明处理流程和时限", "no_direct_interest": True})
    assert pages.state(handler) == "已受理"
    pages.act(handler, "start_investigation")
    assert pages.state(handler) == "调查中"
    pages.act(handler, "add_note", {"kind": "investigation", "text": "核实：年费确被扣收两次，系统批量重复扣费。"})
    pages.act(handler, "propose_solution", {"solution": "退还重复收取的年费并补偿", "item_kind_0": "refund",
                                            "item_amount_0": "300", "item_kind_1": "compensation",
                                            "item_amount_1": "500"})
    assert pages.state(handler) == "待审批"
    assert handler.page.locator("[data-testid=approver-needed]").count() == 1
    handler.shot("3-pending-approval")
    assert "respond" not in pages.actions(handler)  # nothing to respond with until approved

    # The supervisor approves in the approvals inbox.
    supervisor = as_user("supervisor1")
    supervisor.goto("/approvals/")
    supervisor.shot("4-approvals")
    pages.approve_in_inbox(supervisor, "proposals", number, case_id, reason="同意，按规定补偿")
    supervisor.goto("/approvals/")
    assert supervisor.page.locator(f"#proposals tr[data-case='{number}']").count() == 0

    # The handler responds with the decision notice, then records the customer's feedback: closed.
    pages.open_case(handler, case_id)
    assert pages.state(handler) == "调查中"
    pages.confirm_codes(handler)  # the regulatory report counts confirmed B/C codes: before the decision
    pages.open_action(handler, "respond")
    notice = handler.page.locator("#action-respond textarea[name=respond-notice_content]")
    assert len(notice.input_value().strip()) > 20, "the decision notice is not pre-filled from the case"
    pages.respond(handler, {"outcome": "upheld", "reasons": "经核实重复扣收年费属实。",
                            "basis": "《信用卡章程》第十二条", "remedy": "退还年费300元并补偿500元",
                            "notice_channel": "phone", "routes": list(ROUTES)})
    assert pages.state(handler) == "已答复"
    assert handler.page.locator("[data-testid=notice-pdf]").count() == 1
    pages.act(handler, "record_feedback", {"result": "satisfied", "csat": "5", "comments": "满意"})
    assert pages.state(handler) == "已办结"
    handler.shot("5-closed")

    history = pages.timeline(handler)
    for label in ("登记", "受理", "开始调查", "调查记录", "提出解决方案", "方案审批通过", "答复客户", "办结"):
        assert label in history, f"{label} missing from the timeline:\n{history}"
    assert "supervisor1" in history or "李婧" in history  # the approval is the supervisor's


def test_compliance_finds_the_case_and_exports_the_list(bank, this_year_calendar, as_user):
    case = register_by_service(bank)
    other = register_by_service(bank)
    officer = as_user("compliance1")
    officer.goto("/")
    officer.page.fill("#id_q", case.case_number)
    with officer.page.expect_navigation():
        officer.page.click("[data-testid=filter-apply]")
    rows = officer.page.locator("[data-testid=queue-row]")
    assert rows.count() == 1
    assert case.case_number in rows.first.inner_text()
    assert other.case_number not in officer.text("main")
    officer.shot("search")

    with officer.page.expect_download() as info:
        officer.page.click("[data-testid=export-xlsx]")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = open(download.path(), "rb").read()
    cells = pages.xlsx_cells(data)
    assert case.case_number in cells
    assert other.case_number not in cells  # the export is the filtered list


def test_english_user_sees_english_queue_and_case_page(bank, this_year_calendar, as_user):
    case = register_by_service(bank)
    from tests.flows import accept

    accept(case.pk, bank.actor("handler"))  # in handler1's queue
    handler = as_user("handler1")
    handler.goto("/queue/")
    assert handler.page.locator("html").get_attribute("lang") == "zh-CN"
    handler.switch_language()
    assert handler.page.locator("html").get_attribute("lang") == "en"
    data = frozenset({"王秀英", "北京分行", "总行", "张晓东", "handler1"})

    handler.goto("/queue/")
    assert case.case_number in handler.text("main")
    problems = pages.english_problems(handler, data)
    assert not problems, "\n".join(problems)
    assert en("我的工单") in handler.text("header")
    handler.shot("queue-en")

    pages.open_case(handler, case.pk)
    body = handler.text("main")
    assert en("处理决定并告知") in body and en("已受理") in body
    problems = pages.english_problems(handler, data)
    assert not problems, "\n".join(problems)
    handler.shot("case-en")


def test_extension_level_1_by_the_supervisor_and_level_2_only_by_the_senior_manager(bank, this_year_calendar, as_user):
    case = register_by_service(bank)
    handler = as_user("handler1")
    pages.open_case(handler, case.pk)
    pages.act(handler, "accept", {"contact_channel": "phone", "contact_outcome": "reached", "no_direct_interest": True})
    pages.act(handler, "start_investigation")
    assert due_text(case, 15) in pages.deadline_text(handler)

    # Level 1: the handler asks, the supervisor approves in the inbox → 30 days from receipt.
    assert EXTENSION_REQUEST in pages.actions(handler), (
        "the case page offers the handler no extension request: expected an action panel "
        f"#action-{EXTENSION_REQUEST} (level, reason, justification) calling "
        "cases.services.extension_requests.request_extension, which feeds the approvals inbox"
    )
    pages.act(handler, EXTENSION_REQUEST, {"level": "1", "reason": "需调取多家机构交易记录",
                                           "justification": "涉及跨行清算，需等待对方机构回函"})
    supervisor = as_user("supervisor1")
    pages.approve_in_inbox(supervisor, "extension-requests", case.case_number, case.pk, reason="同意延期")
    pages.open_case(handler, case.pk)
    assert due_text(case, 30) in pages.deadline_text(handler)
    assert due_text(case, 15) in pages.deadline_text(handler)  # the old deadline stays in the history
    handler.shot("after-l1")

    # Level 2: the supervisor may not approve it; the senior manager does → 60 days from receipt.
    pages.act(handler, EXTENSION_REQUEST, {"level": "2", "reason": "特别复杂，需司法鉴定",
                                           "justification": "需等待第三方鉴定结论"})
    supervisor.goto("/approvals/")
    row = supervisor.page.locator(f"#extension-requests tr[data-case='{case.case_number}']")
    if row.count():  # shown for information at most: approving it is refused
        with supervisor.page.expect_navigation():
            row.locator(f"[data-testid=approve-{case.pk}]").click()
        assert supervisor.page.locator("[data-testid=decision-errors], .error").count() > 0
    supervisor.shot("l2-not-for-supervisor")
    pages.open_case(handler, case.pk)
    assert due_text(case, 60) not in pages.deadline_text(handler)

    senior = as_user("senior1")
    pages.approve_in_inbox(senior, "extension-requests", case.case_number, case.pk, reason="同意二级延期")
    senior.shot("l2-approved")
    pages.open_case(handler, case.pk)
    assert due_text(case, 60) in pages.deadline_text(handler)
    history = pages.timeline(handler)
    assert history.count("延期") >= 2, history
    handler.shot("after-l2")


def test_collaborator_answers_a_task_and_the_handler_sees_the_reply(bank, this_year_calendar, as_user):
    case = register_by_service(bank)
    handler = as_user("handler1")
    pages.open_case(handler, case.pk)
    pages.act(handler, "accept", {"contact_channel": "phone", "contact_outcome": "reached", "no_direct_interest": True})
    pages.act(handler, "start_investigation")
    pages.act(handler, "open_task", {"department": "信息科技部", "title": "核查扣费日志",
                                     "request": "请提供该卡2024年度年费扣收的系统日志。", "blocking": True})

    collaborator = as_user("collab1")
    collaborator.goto("/tasks/")
    rows = collaborator.page.locator("#tasks tbody tr[data-task]")
    assert rows.count() == 1 and case.case_number in rows.first.inner_text()
    collaborator.shot("task-list")
    with collaborator.page.expect_navigation():
        rows.first.locator("a").first.click()
    page_text = collaborator.text("main")
    assert "请提供该卡2024年度年费扣收的系统日志。" in page_text
    for private in ("王秀英", "138****5678", "信用卡年费被重复收取两次"):  # nothing of the customer or complaint
        assert private not in collaborator.page.content(), private
    collaborator.page.fill("#id_reply", "日志显示2024-03-01批量任务重复执行，已附日志摘要。")
    with collaborator.page.expect_navigation():
        collaborator.page.click("[data-testid=task-reply]")
    assert "日志显示2024-03-01批量任务重复执行" in collaborator.text("main")
    collaborator.shot("task-answered")
    denied = collaborator.goto(pages.case_url(case.pk))
    assert denied.status == 403  # the task, not the case

    pages.open_case(handler, case.pk)
    tasks = handler.text("[data-testid=tasks]")
    assert "日志显示2024-03-01批量任务重复执行" in tasks
    assert "协办回复" in pages.timeline(handler)
    handler.shot("reply-seen")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_case_page_from_assignment_to_a_confirmed_response(bank, this_year_calendar, as_user, language):
    """Items 23, 26, 27 of the pilot issue: assignment list, the header that stays, the next step, the
    contact record after acceptance, the notice previewed then confirmed — in Chinese and in English."""
    case = register_by_service(bank)
    english = language == "en"
    t = en if english else (lambda msgid: msgid)
    data = frozenset({"王秀英", "北京分行", "总行", "张晓东", "handler1", "handler2", "supervisor1", "李婧"})

    # The supervisor assigns: only the two handlers, with their load, and nobody chosen for her.
    supervisor = as_user("supervisor1")
    if english:
        supervisor.switch_language()
    supervisor.goto("/team/")
    select = supervisor.page.locator(f"[data-testid=assignee-{case.pk}]")
    options = select.locator("option")
    values = options.evaluate_all("os => os.map(o => o.value)")
    assert values[0] == "" and sorted(values[1:]) == ["handler1", "handler2"], values
    assert select.input_value() == "", "an assignee is preselected"
    texts = options.all_inner_texts()
    assert texts[0] == t("请选择")
    load = "(0 open)" if english else "（在办 0）"
    assert all(load in text for text in texts[1:]), texts
    supervisor.shot("1-assign-list")
    select.select_option("handler1")
    with supervisor.page.expect_navigation():
        supervisor.page.click(f"[data-testid=assign-{case.pk}]")
    assert Case.objects.get(pk=case.pk).assignee.username == "handler1"

    # The handler opens the case: the header stays in view however far the page scrolls.
    handler = as_user("handler1")
    if english:
        handler.switch_language()
    pages.open_case(handler, case.pk)
    head = handler.page.locator("[data-testid=case-head]")
    handler.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    handler.page.wait_for_function("() => window.scrollY > 300")
    box = head.bounding_box()
    assert box is not None and -1 <= box["y"] <= 1, f"the header scrolled away: {box}"
    assert case.case_number in head.inner_text() and t("已登记") in head.inner_text()
    assert handler.page.locator("[data-testid=countdown]").is_visible()
    handler.shot("2-scrolled-header", full_page=False)

    # The next step is a button in the header: it opens the acceptance form in place.
    step = handler.page.locator("[data-testid=next-step]")
    assert t("受理") in step.inner_text()
    step.click()
    form = handler.page.locator("#action-accept form")
    form.locator("[data-testid=submit-accept]").wait_for()
    assert form.locator("[data-testid=submit-accept]").inner_text().strip() == pgettext_en("受理", english)
    pages.fill(form, {"contact_channel": "phone", "contact_outcome": "reached",
                      "explained": "已向客户说明处理流程和15日时限", "no_direct_interest": True}, prefix="accept")
    handler.shot("3-accept-form", full_page=False)
    handler.page.evaluate("window.__redressalBefore = true")
    form.locator("[data-testid=submit-accept]").click()
    handler.page.wait_for_function("() => window.__redressalBefore === undefined")
    handler.page.wait_for_load_state("load")
    assert handler.page.url.endswith("#contact")
    record = handler.page.locator("[data-testid=contact-record]")
    assert record.is_visible()
    assert t("电话") in record.inner_text() and "已向客户说明处理流程和15日时限" in record.inner_text()
    assert t("已联系上") in record.inner_text()
    assert handler.page.locator("#case-head .messages").is_visible()  # the success message, in the header
    handler.shot("4-accepted-contact", full_page=False)
    if english:
        problems = pages.english_problems(handler, data)
        assert not problems, "\n".join(problems)

    # Investigation, a solution within the handler's limit, the B/C codes confirmed; then the response.
    pages.act(handler, "start_investigation")
    pages.act(handler, "propose_solution", {"solution": "退还重复收取的年费", "item_kind_0": "refund",
                                            "item_amount_0": "300"})
    pages.confirm_codes(handler)
    # The header follows the confirmation (sent along with the panel): the next step is now to respond.
    assert pgettext_en("答复客户", english) in handler.page.locator("[data-testid=next-step]").inner_text()
    assert handler.page.locator("[data-testid=unconfirmed]").count() == 0
    pages.open_action(handler, "respond")
    remedy = handler.page.locator("#action-respond textarea[name=respond-remedy]").input_value()
    assert "退还重复收取的年费" in remedy and "300.00" in remedy, remedy  # from the approved solution
    pages.fill(handler.page.locator("#action-respond form").first, {
        "outcome": "upheld", "reasons": "经核实重复扣收年费属实。", "basis": "《信用卡章程》第十二条",
        "notice_channel": "sms", "routes": list(ROUTES)}, prefix="respond")
    with handler.page.expect_response(lambda r: r.request.method == "POST"):
        handler.page.click("#action-respond [data-testid=submit-respond]")
    preview = handler.page.locator("[data-testid=notice-preview]")
    preview.wait_for()
    text = preview.locator("[data-testid=notice-text]").inner_text()
    assert "处理结果：投诉成立" in text and "退还重复收取的年费" in text and "【" not in text
    assert Case.objects.get(pk=case.pk).status == "investigating"  # nothing recorded before the confirmation
    preview.scroll_into_view_if_needed()
    handler.shot("5-notice-preview", full_page=False)
    if english:
        problems = pages.english_problems(handler, data | {text})
        assert not problems, "\n".join(problems)
    handler.page.evaluate("window.__redressalBefore = true")
    handler.page.click("#action-respond [data-testid=submit-respond]")
    handler.page.wait_for_function("() => window.__redressalBefore === undefined")
    handler.page.wait_for_load_state("load")
    assert pages.state(handler) == t("已答复")
    delivery = handler.page.locator("[data-testid=delivery]")
    assert delivery.get_attribute("data-state") == "pending" and t("待发送") in delivery.inner_text()
    assert "✓" not in handler.text("[data-testid=decision]")
    handler.shot("6-responded")


def pgettext_en(msgid: str, english: bool) -> str:
    """An action label ("action" context) as the page shows it."""
    if not english:
        return msgid
    from django.utils import translation

    with translation.override("en"):
        return str(translation.pgettext("action", msgid))
