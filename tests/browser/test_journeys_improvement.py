"""Root-cause remediation and accountability (issue 15 items 3–4), worked in the browser: a supervisor
opens a root-cause issue from cases of one cause, gives an action to a handler, the handler completes
it with an evidence file, the issue closes and — some weeks later — the page shows the cause's rate
before and after. Then an accountability finding, seen by the teller it names and refused to a peer."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from redressal.cases import services as svc
from redressal.improvement.models import ImprovementAction, RootCauseIssue
from tests.improvement.conftest import case_with_cause

PDF = b"%PDF-1.4\n% interface fix deployed\n"


def test_a_root_cause_issue_closes_with_its_before_after_effect(bank, this_year_calendar, as_user, tmp_path):
    today = timezone.localtime()
    earlier = [case_with_cause(bank, at=today - timedelta(days=d)) for d in (150, 120, 90, 60, 30, 10)]
    supervisor = as_user("supervisor1")

    # From the case page: 发起溯源整改, the form prefilled with the case's cause and unit.
    supervisor.goto(f"/cases/{earlier[-1].pk}/")
    supervisor.page.click("[data-testid=open-issue]")
    form = supervisor.page.locator("[data-testid=issue-form]")
    assert form.locator("#id_cause_code").input_value() == "C02"
    form.locator("#id_title").fill("手机银行跨行转账失败但已扣款")
    form.locator("#id_root_cause").fill("跨行接口超时后未自动冲正")
    with supervisor.page.expect_navigation():
        form.locator("[data-testid=submit-issue]").click()
    issue = RootCauseIssue.objects.get()
    assert supervisor.page.locator("[data-testid=issue-state]").inner_text() == "已立项"
    for case in earlier[:-1]:  # the other cases of the cause, linked by number
        supervisor.page.fill("#id_case_number", case.case_number)
        with supervisor.page.expect_navigation():
            supervisor.page.click("[data-testid=link-case]")
    assert supervisor.page.locator("[data-testid=issue-cases] tbody tr").count() == len(earlier)

    # An action to the handler, due in 5 working days.
    actions = supervisor.page.locator("[data-testid=action-form]")
    actions.locator("#id_title").fill("上线接口超时自动冲正")
    actions.locator("#id_owner").select_option("handler1")
    actions.locator("#id_due_in_working_days").fill("5")
    with supervisor.page.expect_navigation():
        actions.locator("[data-testid=add-action]").click()
    assert supervisor.page.locator("[data-testid=issue-state]").inner_text() == "整改中"
    action = ImprovementAction.objects.get()
    # Closing with the action open is refused, and says why.
    supervisor.page.fill("[data-testid=close-issue] textarea", "完成")
    with supervisor.page.expect_navigation():
        supervisor.page.click("[data-testid=submit-close]")
    assert "整改措施" in supervisor.page.locator("[data-testid=refused]").inner_text()
    supervisor.shot("issue-in-progress")

    # The handler completes it with the evidence file; the supervisor has no completion form.
    assert supervisor.page.locator(f"[data-testid=complete-form-{action.pk}]").count() == 0
    handler = as_user("handler1")
    handler.goto(f"/improvement/{issue.pk}/")
    done = handler.page.locator(f"[data-testid=complete-form-{action.pk}]")
    done.locator("textarea").fill("10 月版本已上线超时自动冲正")
    evidence = tmp_path / "release-note.pdf"
    evidence.write_bytes(PDF)
    done.locator("input[type=file]").set_input_files(str(evidence))
    with handler.page.expect_navigation():
        done.locator(f"[data-testid=complete-{action.pk}]").click()
    assert handler.page.locator(f"[data-action='{action.pk}']").get_attribute("data-state") == "done"
    assert handler.page.locator("[data-testid=action-evidence]").inner_text() == "release-note.pdf"
    handler.shot("action-done")

    supervisor.goto(f"/improvement/{issue.pk}/")
    supervisor.page.fill("[data-testid=close-issue] textarea", "接口已修复，上线冲正监控")
    with supervisor.page.expect_navigation():
        supervisor.page.click("[data-testid=submit-close]")
    assert supervisor.page.locator("[data-testid=issue-state]").inner_text() == "已关闭"
    assert "6 件" in supervisor.page.locator("[data-testid=effect-before]").inner_text()

    # Seven weeks on, one more complaint of the cause: the page compares the two rates.
    with time_machine.travel(timezone.now() + timedelta(days=49), tick=True):
        case_with_cause(bank, at=timezone.localtime() - timedelta(days=5))
        later = as_user("supervisor1")
        later.goto(f"/improvement/{issue.pk}/")
        before = later.page.locator("[data-testid=effect-before]").inner_text()
        after = later.page.locator("[data-testid=effect-after]").inner_text()
        assert "6 件" in before and "每 30 天 1.0 件" in before
        assert "1 件" in after and "0.61" in after  # 1 × 30 / 49 days
        assert "-39" in later.page.locator("[data-testid=effect-change]").inner_text()
        later.page.locator("[data-testid=effect-chart].chart-ready").wait_for()
        assert later.page.locator("[data-testid=effect-chart] svg").count() == 1
        later.shot("issue-effect")


def test_accountability_is_seen_by_the_staff_member_and_not_by_a_peer(bank, this_year_calendar, as_user):
    case = case_with_cause(bank, cause="C01", at=timezone.localtime() - timedelta(days=2))
    svc.set_responsibility(
        case.pk,
        actor=bank.actor("handler"),
        finding="bank",
        root_cause_code="C01",
        root_cause_text="柜员对老年客户不耐烦",
        responsible_unit="BJ01",
        responsible_staff="teller1",
        measure="training",
    )
    supervisor = as_user("supervisor1")
    supervisor.goto(f"/cases/{case.pk}/")
    assert "teller1" in supervisor.page.locator("[data-testid=responsibility]").inner_text()
    supervisor.page.click("[data-testid=record-accountability]")
    form = supervisor.page.locator("[data-testid=accountability-form]")
    assert form.locator("#id_staff").input_value() == "teller1"  # the case's finding, preselected
    form.locator("#id_finding").fill("办理业务时对老年客户不耐烦，未主动提供适老化服务")
    form.locator("#id_kind").select_option("training")
    form.locator("#id_kind_2").select_option("criticism")
    with supervisor.page.expect_navigation():
        form.locator("[data-testid=submit-accountability]").click()
    assert supervisor.page.locator("[data-testid=case-accountability]").count() == 1
    supervisor.shot("case-accountability")

    teller = as_user("teller1")
    teller.goto("/staff/teller1/")
    record = teller.text("[data-testid=staff-accountability]")
    assert "培训" in record and "通报批评" in record and case.case_number in record
    assert teller.page.locator("[data-testid^=carry-form]").count() == 0  # not on one's own record
    teller.shot("own-record")

    peer = as_user("handler2")
    response = peer.goto("/staff/teller1/")
    assert response.status == 403
    peer.goto(f"/cases/{case.pk}/")
    assert peer.page.locator("[data-testid=case-accountability]").count() == 0
