"""Root-cause issues and their actions (溯源整改): the successes and, above all, the refusals."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.customers.services import CustomerInput
from redressal.improvement import selectors
from redressal.improvement.access import readable_issue
from redressal.improvement.jobs import warn_actions
from redressal.improvement.models import IssueCase, RootCauseIssue
from redressal.improvement.services import (
    Criterion,
    add_action,
    cancel_action,
    close_issue,
    complete_action,
    link_case,
    open_issue,
)
from redressal.notify.models import StaffNotification
from redressal.org.services import create_staff, create_unit
from tests.conftest import PASSWORD, local
from tests.improvement.conftest import case_with_cause

PDF = b"%PDF-1.4\n% evidence of the fix\n"


def _open(bank, case, **kw):
    args = {"title": "转账失败但已扣款", "root_cause": "接口超时未冲正", "unit_code": "BJ", "owner": "supervisor1"}
    return open_issue(actor=bank.actor(kw.pop("by", "sup")), case_id=case.pk, **{**args, **kw})


def _complete(bank, action, who="handler1", data=PDF, content_type="application/pdf", name="fix.pdf"):
    return complete_action(
        action.pk,
        actor=bank.actor(who if who != "handler1" else "handler"),
        note="已修复接口",
        filename=name,
        content_type=content_type,
        stream=io.BytesIO(data),
    )


def test_an_issue_from_a_case_takes_its_cause_and_is_audited(bank, cases):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        issue = _open(bank, cases[0], cause_code="C02")
    assert issue.state == "open" and issue.source == "case" and issue.cause_code == "C02"
    assert list(issue.cases.all()) == [cases[0]]
    event = AuditEvent.objects.get(type="improvement.issue_opened", object_id=str(issue.pk))
    assert event.actor_id == bank.people["sup"].pk and event.reason == "接口超时未冲正"
    assert event.payload["cases"] == [cases[0].case_number]


def test_a_criterion_links_the_cases_of_its_cell_the_person_may_read(bank, cases):
    other = case_with_cause(bank, cause="C01", at=local(2024, 9, 12, 10))
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        issue = open_issue(
            actor=bank.actor("sup"),
            title="系统故障",
            root_cause="核心系统升级",
            unit_code="BJ",
            owner="supervisor1",
            criterion=Criterion(cause="C02", start=date(2024, 9, 1), end=date(2024, 9, 30), unit_code="BJ"),
        )
    assert set(issue.cases.all()) == set(cases) and other not in issue.cases.all()
    assert issue.cause_code == "C02" and issue.criterion["from"] == "2024-09-01"


def test_refusals_when_opening(bank, cases):
    with pytest.raises(PermissionDenied):  # a handler may read issues, not open them
        _open(bank, cases[0], by="handler")
    with pytest.raises(PermissionDenied):  # no permission at all
        _open(bank, cases[0], by="teller")
    with pytest.raises(ValidationFailed) as exc:  # the owner must be able to run it
        _open(bank, cases[0], owner="handler2")
    assert exc.value.field == "owner"
    with pytest.raises(ValidationFailed):  # not a JR/T 0169 cause
        _open(bank, cases[0], cause_code="X99")


def test_outside_scope_nobody_opens_or_links(bank, cases):
    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    create_staff("shsup", PASSWORD, sh, ["supervisor"])
    from redressal.org.authz import actor_for
    from redressal.org.models import Staff

    shsup = actor_for(Staff.objects.get(username="shsup"))
    with pytest.raises(PermissionDenied):  # not their unit
        open_issue(actor=shsup, case_id=cases[0].pk, title="t", root_cause="r", unit_code="BJ", owner="shsup")
    with pytest.raises(PermissionDenied):  # their unit, but a case they cannot read
        open_issue(actor=shsup, case_id=cases[0].pk, title="t", root_cause="r", unit_code="SH", owner="shsup")
    issue = _open(bank, cases[0])
    with pytest.raises(PermissionDenied):  # cannot even see the issue
        link_case(issue.pk, actor=shsup, case_number=cases[1].case_number)
    assert IssueCase.objects.filter(issue=issue).count() == 1


def test_linking_a_case_one_cannot_see_is_refused_and_gives_no_access(bank, cases):
    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    bank.people["shagent"] = create_staff("shagent", PASSWORD, sh, ["agent"])
    with time_machine.travel(local(2024, 9, 12, 10), tick=False):
        sh_case = svc.register_case(
            svc.RegisterInput(
                request_type="complaint",
                channel="hotline",
                description="转账失败但已扣款",
                customer=CustomerInput(name="李雷", phone="13900001111"),
                unit_code="SH",
            ),
            actor=bank.actor("shagent"),
        )
    issue = _open(bank, cases[0])
    for number in ("TS-NO-SUCH", sh_case.case_number):  # the same answer: nothing is revealed
        with pytest.raises(NotFound):
            link_case(issue.pk, actor=bank.actor("sup"), case_number=number)
    assert not IssueCase.objects.filter(case=sh_case).exists()
    link_case(issue.pk, actor=bank.actor("sup"), case_number=cases[1].case_number)
    with pytest.raises(Conflict):
        link_case(issue.pk, actor=bank.actor("sup"), case_number=cases[1].case_number)
    # The teller may read neither the issue nor (through it) the cases.
    with pytest.raises(PermissionDenied):
        readable_issue(bank.actor("teller"), issue.pk)


def test_actions_due_in_working_days_complete_with_evidence_and_the_issue_closes(bank, cases):
    with time_machine.travel(local(2024, 9, 27, 10), tick=False):  # a Friday before the National Day week
        issue = _open(bank, cases[0])
        action = add_action(
            issue.pk, actor=bank.actor("sup"), title="修复接口冲正", owner="handler1", due_in_working_days=3
        )
    # 9-28 (Saturday) is a make-up working day in 2024; then 10-1…10-7 are holidays.
    assert action.due_date == date(2024, 10, 8)
    issue.refresh_from_db()
    assert issue.state == "in_progress"
    assert StaffNotification.objects.filter(recipient=bank.people["handler"], kind="improvement_action").count() == 1
    with pytest.raises(Conflict) as exc:  # an open action keeps the issue open
        close_issue(issue.pk, actor=bank.actor("sup"), note="完成")
    assert exc.value.code == "issue.actions_open"
    with time_machine.travel(local(2024, 10, 8, 10), tick=False):
        done = _complete(bank, action)
    assert done.state == "done" and done.evidence_sha256 and done.evidence_size == len(PDF)
    with time_machine.travel(local(2024, 10, 9, 10), tick=False):
        closed = close_issue(issue.pk, actor=bank.actor("sup"), note="接口已修复，上线冲正监控")
    assert closed.state == "closed"
    types = list(AuditEvent.objects.filter(object_type__startswith="improvement.").values_list("type", flat=True))
    assert types == [
        "improvement.issue_opened",
        "improvement.action_added",
        "improvement.action_done",
        "improvement.issue_closed",
    ]


def test_only_the_owner_completes_and_evidence_is_checked(bank, cases):
    issue = _open(bank, cases[0])
    action = add_action(issue.pk, actor=bank.actor("sup"), title="修复", owner="handler1", due_in_working_days=5)
    with pytest.raises(PermissionDenied) as exc:  # someone else's action, even their supervisor
        complete_action(
            action.pk,
            actor=bank.actor("sup"),
            note="x",
            filename="a.pdf",
            content_type="application/pdf",
            stream=io.BytesIO(PDF),
        )
    assert exc.value.code == "action.not_owner"
    with pytest.raises(PermissionDenied):  # a peer who cannot see the issue
        complete_action(
            action.pk,
            actor=bank.actor("teller"),
            note="x",
            filename="a.pdf",
            content_type="application/pdf",
            stream=io.BytesIO(PDF),
        )
    with pytest.raises(ValidationFailed) as exc:  # HTML sent as a PDF
        _complete(bank, action, data=b"<html><script>alert(1)</script></html>")
    assert exc.value.code == "file_content"
    with pytest.raises(ValidationFailed) as exc:
        _complete(bank, action, content_type="application/x-msdownload", name="a.exe")
    assert exc.value.code == "file_type"
    action.refresh_from_db()
    assert action.state == "open" and not action.evidence_sha256
    _complete(bank, action)
    with pytest.raises(Conflict):  # twice
        _complete(bank, action)


def test_a_cancelled_action_needs_a_reason_and_a_closed_issue_takes_no_more(bank, cases):
    issue = _open(bank, cases[0])
    with pytest.raises(Conflict):  # no action at all: nothing was improved
        close_issue(issue.pk, actor=bank.actor("sup"), note="完成")
    action = add_action(issue.pk, actor=bank.actor("sup"), title="培训", owner="handler1", due_in_working_days=5)
    with pytest.raises(ValidationFailed):
        cancel_action(action.pk, actor=bank.actor("sup"), reason=" ")
    with pytest.raises(PermissionDenied):  # the owner cannot cancel their own action away
        cancel_action(action.pk, actor=bank.actor("handler"), reason="不想做")
    cancel_action(action.pk, actor=bank.actor("sup"), reason="并入总行项目")
    close_issue(issue.pk, actor=bank.actor("sup"), note="由总行项目整改")
    with pytest.raises(Conflict):
        add_action(issue.pk, actor=bank.actor("sup"), title="x", owner="handler1", due_in_working_days=1)
    with pytest.raises(Conflict):
        close_issue(issue.pk, actor=bank.actor("sup"), note="again")


def test_overdue_warnings_once_per_action_and_stage(bank, cases):
    with time_machine.travel(local(2024, 9, 10, 10), tick=False):
        issue = _open(bank, cases[0])
        action = add_action(issue.pk, actor=bank.actor("sup"), title="修复", owner="handler1", due_in_working_days=2)
    assert action.due_date == date(2024, 9, 12)
    assert warn_actions(date(2024, 9, 10)) == 0
    assert warn_actions(date(2024, 9, 11)) == 1  # the working day before
    assert warn_actions(date(2024, 9, 11)) == 1  # considered again, delivered once
    kinds = StaffNotification.objects.filter(kind__startswith="improvement_").exclude(kind="improvement_action")
    assert sorted(kinds.values_list("kind", "recipient__username")) == [
        ("improvement_due", "handler1"),
        ("improvement_due", "supervisor1"),
    ]
    warn_actions(date(2024, 9, 13))
    warn_actions(date(2024, 9, 14))
    assert kinds.filter(kind="improvement_overdue").count() == 2  # one per recipient, not per day
    _complete(bank, action)
    assert warn_actions(date(2024, 9, 20)) == 0


def test_the_effect_compares_the_cause_rate_before_and_after(bank):
    before = [case_with_cause(bank, at=local(2024, m, 10, 10)) for m in (3, 4, 5, 6, 7, 8)]
    case_with_cause(bank, cause="C01", at=local(2024, 8, 12, 10))  # another cause: not counted
    with time_machine.travel(local(2024, 9, 2, 10), tick=False):
        issue = _open(bank, before[-1], cause_code="C02")
        action = add_action(issue.pk, actor=bank.actor("sup"), title="修复", owner="handler1", due_in_working_days=5)
        _complete(bank, action)
        close_issue(issue.pk, actor=bank.actor("sup"), note="完成")
    case_with_cause(bank, at=local(2024, 11, 10, 10))
    issue = RootCauseIssue.objects.get(pk=issue.pk)
    effect = selectors.issue_effect(issue, local(2025, 3, 1, 10))
    assert effect is not None
    assert effect.before_count == 6 and effect.after_count == 1
    assert effect.before_rate == 1.0 and effect.after_rate == round(30 / 180, 2)
    assert effect.change_pct == -83.0
    periods = {m["month"]: (m["count"], m["period"]) for m in effect.months}
    assert periods["2024-03"] == (1, "before") and periods["2024-11"] == (1, "after")


def test_the_issue_page_lists_only_readable_cases(bank, cases):
    issue = _open(bank, cases[0])
    link_case(issue.pk, actor=bank.actor("sup"), case_number=cases[1].case_number)
    action = add_action(issue.pk, actor=bank.actor("sup"), title="修复", owner="collab1", due_in_working_days=5)
    del action
    # The collaborator owns an action: they see the issue, but none of its cases.
    collab = bank.actor("collab")
    listed = selectors.linked_cases(collab, issue)
    assert listed.rows == [] and listed.hidden == 2
    assert [i.pk for i in selectors.issue_list(collab)] == [issue.pk]
    assert selectors.issue_list(bank.actor("teller")) == []
