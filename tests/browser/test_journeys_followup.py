"""After the decision (issue 11, item 31): the follow-up visit list worked as a handler would — filter,
open one visit's form on its row, record the result — and a mass incident ended with its root cause by
the supervisor; each in Chinese and then in English."""

from __future__ import annotations

from django.utils import timezone

from redressal.cases import services as svc
from redressal.cases.models import FollowUpVisit
from redressal.triage.models import MassIncident
from tests.browser import pages
from tests.browser.test_journeys import en
from tests.flows import accept_and_respond
from tests.services.test_lifecycle import register
from tests.triage.conftest import customer
from tests.triage.conftest import register as register_text
from tests.triage.test_mass_incident import TEXTS


def _visit_due_today(bank) -> FollowUpVisit:
    case = register(bank)  # an elderly complainant: the visit is mandatory
    accept_and_respond(case.pk, bank.actor("handler"))
    svc.record_feedback(case.pk, actor=bank.actor("handler"), result="satisfied", csat=4)
    # Visits fall due days after closing; the journey runs in real time, so the set-up moves it to today.
    FollowUpVisit.objects.filter(case=case).update(due_date=timezone.localdate())
    return FollowUpVisit.objects.get(case=case)


def test_handler_records_a_follow_up_visit_from_the_list(bank, this_year_calendar, as_user):
    visit = _visit_due_today(bank)
    other = _visit_due_today(bank)
    handler = as_user("handler1")
    handler.goto("/visits/")
    row = handler.page.locator(f"[data-testid=visit-{visit.pk}]")
    assert visit.case.case_number in row.inner_text() and "必访" in row.inner_text()
    assert handler.page.locator("[data-testid=visit-table] form").count() == 0  # no form until one is opened
    handler.page.click(f"[data-testid=open-visit-{visit.pk}]")
    form = handler.page.locator(f"[data-testid=visit-form-{visit.pk}]")
    form.wait_for()
    assert handler.page.locator("[data-testid=visit-table] form").count() == 1
    handler.shot("visit-form-open")
    pages.fill(form, {"channel": "phone", "reached": "yes", "satisfaction": "5", "comments": "客户表示满意"},
               prefix=f"v{visit.pk}")
    form.locator(f"[data-testid=submit-visit-{visit.pk}]").click()
    handler.page.locator(f"[data-testid=visit-result-{visit.pk}]").wait_for()
    assert "5/5" in handler.page.locator(f"[data-testid=visit-{visit.pk}]").inner_text()
    visit.refresh_from_db()
    assert visit.status == "done" and visit.satisfaction == 5

    # Only what is still to do: the recorded visit leaves the default list, the other stays.
    handler.goto("/visits/")
    assert handler.page.locator(f"[data-testid=visit-{visit.pk}]").count() == 0
    assert handler.page.locator(f"[data-testid=visit-{other.pk}]").count() == 1
    handler.page.select_option("#visit-status", "done")
    with handler.page.expect_navigation():
        handler.page.click("[data-testid=visit-filter]")
    assert handler.page.locator(f"[data-testid=visit-{visit.pk}]").count() == 1
    handler.shot("visits-done")

    handler.switch_language()
    handler.goto("/visits/")
    body = handler.text("main")
    assert en("记录回访结果") in body and en("今日及逾期") in handler.page.content()
    problems = pages.english_problems(handler, frozenset({"王秀英", "北京分行", "handler1"}))
    assert not problems, "\n".join(problems)
    handler.shot("visits-en")


def test_supervisor_ends_a_mass_incident_with_its_root_cause(bank, this_year_calendar, as_user):
    for i in range(8):
        register_text(bank, TEXTS[i], customer=customer(i + 1), product="手机银行转账", channel="mobile_banking")
    incident = MassIncident.objects.get()
    sup = as_user("supervisor1")
    sup.goto(f"/incidents/{incident.pk}/")
    assert "平时同一时段" in sup.text("main") and "基线预期" not in sup.text("main")
    form = sup.page.locator("[data-testid=incident-root-cause-form] form")
    pages.fill(form, {"root_cause": "核心系统升级期间跨行转账接口超时", "cause_code": "C99"}, prefix="cause")
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=close-incident]")
    assert "事件已结束，根因已记录" in sup.text("body")
    assert "核心系统升级期间跨行转账接口超时" in sup.text("[data-testid=incident-root-cause]")
    assert sup.page.locator("[data-testid=incident-closed]").count() == 1
    assert "该事件已结束，各工单仍按各自流程答复和办结" in sup.text("[data-testid=bulk-respond]")
    sup.shot("incident-closed")
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by.username == "supervisor1"

    sup.switch_language()
    sup.goto(f"/incidents/{incident.pk}/")
    assert en("平时同期") in sup.text("main") and en("结束") in sup.text("main")
    sup.shot("incident-closed-en")
