"""QA and scorecards in the browser (issue 15, items 5–6): the inspector draws last month's sample and
scores a case, the handler sees the feedback and appeals; a supervisor reads the team's scorecard and
exports it for the appraisal round."""

from __future__ import annotations

import time_machine
from django.utils import timezone

from redressal.cases import services as svc
from redressal.domain.quality.months import Month
from redressal.quality import facts
from redressal.quality.models import QaInspection
from tests.browser import pages
from tests.browser.test_journeys import en
from tests.conftest import local
from tests.flows import accept_and_respond
from tests.services.test_lifecycle import register
from tests.web.test_exports import Sheet


def _last_month() -> Month:
    return Month.of(timezone.now(), facts.tz()).previous()


def _closed_last_month(bank, handler: str, day: int, csat: int):
    """A complaint decided and closed on ``day`` of last month (the journeys run in real time)."""
    month = _last_month()
    with time_machine.travel(local(month.year, month.month, day, 10, 0), tick=False) as t:
        case = register(bank)
        t.shift(3600)
        accept_and_respond(case.pk, bank.actor(handler))
        t.shift(3600)
        svc.record_feedback(case.pk, actor=bank.actor(handler), result="satisfied", csat=csat)
    return case


def test_qa_samples_and_scores_a_case_and_the_handler_sees_the_feedback(bank, this_year_calendar, as_user):
    mine = _closed_last_month(bank, "handler", 5, 4)
    _closed_last_month(bank, "handler2", 6, 5)
    inspector = as_user("qa1")
    inspector.page.click("nav >> text=\"质检\"")
    assert "尚未抽样" in inspector.text("[data-testid=qa-sample]")
    with inspector.page.expect_navigation():
        inspector.page.click("[data-testid=qa-draw]")
    assert "新增 2 件" in inspector.text(".messages")
    row = inspector.page.locator(f"[data-testid=qa-row-{mine.case_number}]")
    assert "随机抽取" in row.inner_text() and "待质检" in row.inner_text()
    inspector.shot("sample-drawn")
    with inspector.page.expect_navigation():
        row.locator("a").first.click()
    form = inspector.page.locator("[data-testid=qa-score-form]")
    scores = {
        "score_timeliness": "5",
        "score_investigation": "4",
        "score_compliance": "5",
        "score_attitude": "2",
        "score_disclosure": "5",
        "score_records": "4",
        "comment_attitude": "电话中语气生硬，未安抚客户情绪",
        "remark": "结论合规，沟通需改进",
    }
    assert form.locator("select[name=score_records][required]").count() == 1  # every item must be scored
    pages.fill(form, scores)
    with inspector.page.expect_navigation():
        inspector.page.click("[data-testid=qa-submit-score]")
    inspection = QaInspection.objects.get(case=mine)
    assert inspector.text("[data-testid=qa-total]") == str(inspection.total) == "85.0"
    inspector.shot("scored")

    handler = as_user("handler1")
    handler.goto("/notifications/")
    assert "质检得分 85.0" in handler.text("main")
    with handler.page.expect_navigation():
        handler.page.click(f"[data-testid=notification-qa-{inspection.pk}]")
    assert "电话中语气生硬" in handler.text("[data-testid=qa-scores]")
    handler.shot("feedback")
    handler.goto(f"/cases/{mine.pk}/")
    assert inspection.reference in handler.text(f"[data-testid=case-qa-{inspection.pk}]")
    handler.page.click("nav >> text=质检结果")
    assert "85.0" in handler.text(f"[data-testid=qa-mine-{mine.case_number}]")
    with handler.page.expect_navigation():
        handler.page.click(f"[data-testid=qa-mine-{mine.case_number}] a")
    pages.fill(handler.page.locator("[data-testid=qa-appeal-form]"), {"reason": "客户当时情绪激动，录音中已多次致歉"})
    with handler.page.expect_navigation():
        handler.page.click("[data-testid=qa-submit-appeal]")
    assert handler.text("[data-testid=qa-status]") == "申诉中"
    assert handler.page.locator("[data-testid=qa-appeal-form]").count() == 0  # once only
    handler.shot("appealed")

    # The supervisor, not the inspector, decides it; the inspector has no form to.
    inspector.page.reload()
    assert inspector.page.locator("[data-testid=qa-decide-form]").count() == 0
    sup = as_user("supervisor1")
    sup.goto(f"/quality/inspections/{inspection.pk}/")
    pages.fill(
        sup.page.locator("[data-testid=qa-decide-form]"), {"decision": "upheld", "reason": "录音显示语气确有不当"}
    )
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=qa-submit-decision]")
    assert sup.text("[data-testid=qa-appeal-status]") == "维持原评分"

    handler.switch_language()
    handler.goto(f"/quality/inspections/{inspection.pk}/")
    assert en("维持原评分") in handler.text("[data-testid=qa-appeal]")
    problems = pages.english_problems(
        handler,
        frozenset(
            {
                "电话中语气生硬，未安抚客户情绪",
                "结论合规，沟通需改进",
                "客户当时情绪激动，录音中已多次致歉",
                "录音显示语气确有不当",
                "handler1",
            }
        ),
    )
    assert not problems, "\n".join(problems)
    handler.shot("appeal-decided-en")


def test_a_supervisor_reads_the_team_scorecard_and_exports_it(bank, this_year_calendar, as_user):
    _closed_last_month(bank, "handler", 5, 5)
    _closed_last_month(bank, "handler2", 6, 2)
    month = str(_last_month())
    sup = as_user("supervisor1")
    sup.page.click("nav >> text=\"考核\"")
    one = sup.text("[data-testid=scorecard-handler1]")
    two = sup.text("[data-testid=scorecard-handler2]")
    assert "100" in one and "★" in one and "25" in two
    assert sup.page.locator("[data-testid=scorecard-team]").count() == 1
    sup.shot("scorecards")
    with sup.page.expect_download() as download:
        sup.page.click("[data-testid=scorecards-export]")
    path = download.value.path()
    sheet = Sheet(open(path, "rb").read())
    rows = [sheet.row(n) for n in range(1, sheet.max_row + 1)]
    assert rows[0][:2] == ["月份", "员工"]
    assert {r[1]: r[5] for r in rows[1:]} == {"handler1": "100", "handler2": "25"}
    assert all(r[0] == month for r in rows[1:])
    assert "王秀英" not in " ".join(c for r in rows for c in r)
