"""QA inspection through its services: sampling, scores, feedback, appeal, calibration, and the refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.core.errors import PermissionDenied, ValidationFailed
from redressal.domain.quality.months import Month
from redressal.domain.quality.rubric import DEFAULT_RUBRIC, RubricItem
from redressal.domain.quality.sampling import SamplingRule
from redressal.notify.models import StaffNotification
from redressal.org.services import create_staff
from redressal.quality import services as qa
from redressal.quality.models import QaConfig, QaInspection
from redressal.quality.services import inspection as inspection_svc
from tests.conftest import PASSWORD, local
from tests.quality.conftest import APRIL, close_case

MARCH = Month(2026, 3)
FULL = dict.fromkeys(DEFAULT_RUBRIC.codes, 5)


@pytest.fixture
def qa2(bank):
    return create_staff("qa2", PASSWORD, bank.ho, ["qa_inspector"])


def drawn(bank, n1: int = 3, n2: int = 1):
    cases = [close_case(bank, "handler", day=2 + i) for i in range(n1)]
    cases += [close_case(bank, "handler2", day=20 + i) for i in range(n2)]
    with time_machine.travel(APRIL, tick=False):
        sample, added = qa.draw_sample(MARCH, actor=bank.actor("qa"))
    return cases, sample, added


def test_the_sample_takes_one_case_per_handler_and_is_drawn_once(bank):
    cases, sample, added = drawn(bank)
    rows = list(QaInspection.objects.filter(sample=sample))
    assert added == 2 and sample.population == 4
    assert sorted(r.handler.username for r in rows) == ["handler1", "handler2"]
    assert all(r.reasons == ["random"] and r.case_id in {c.pk for c in cases} for r in rows)
    with time_machine.travel(APRIL, tick=False):
        again, more = qa.draw_sample(MARCH, actor=None)
    assert again.pk == sample.pk and more == 0 and QaInspection.objects.count() == 2
    assert AuditEvent.objects.filter(type="qa.sample_drawn").count() == 1


def test_a_month_not_yet_ended_is_not_drawn_and_a_handler_cannot_draw(bank):
    with time_machine.travel(local(2026, 3, 31, 23, 0), tick=False):
        with pytest.raises(ValidationFailed) as open_month:
            qa.draw_sample(MARCH, actor=bank.actor("qa"))
        assert open_month.value.code == "qa.month_open"
        with pytest.raises(PermissionDenied):
            qa.draw_sample(Month(2026, 2), actor=bank.actor("handler"))


def test_p1_cases_are_all_sampled(bank):
    from redressal.cases.models import Case

    cases = [close_case(bank, "handler", day=2 + i) for i in range(4)]
    Case.objects.filter(pk__in=[cases[1].pk, cases[2].pk]).update(priority="P1")
    with time_machine.travel(APRIL, tick=False):
        qa.draw_sample(MARCH, actor=None)
    picked = {i.case_id: i.reasons for i in QaInspection.objects.all()}
    assert "p1" in picked[cases[1].pk] and "p1" in picked[cases[2].pk]


def test_scores_reach_the_handler_and_are_audited(bank):
    _cases, sample, _ = drawn(bank, 1, 0)
    inspection = sample.inspections.get()
    with time_machine.travel(APRIL, tick=False):
        score = qa.submit_score(
            inspection.pk,
            actor=bank.actor("qa"),
            scores={**FULL, "disclosure": 3},
            comments={"disclosure": "未告知核查途径"},
        )
    inspection.refresh_from_db()
    assert score.kind == "primary" and inspection.status == "scored" and inspection.total == Decimal("94.0")
    note = StaffNotification.objects.get(kind="qa_result")
    assert note.recipient_id == bank.people["handler"].pk and note.payload["inspection"] == inspection.pk
    event = AuditEvent.objects.get(type="qa.scored")
    assert event.actor_id == bank.people["qa"].pk and event.object_id == str(inspection.pk)


def test_refusals_to_score(bank, qa2):
    _cases, sample, _ = drawn(bank, 1, 0)
    inspection = sample.inspections.get()
    # Without qa.inspect: the supervisor and the handler.
    for who in ("sup", "handler"):
        with pytest.raises(PermissionDenied):
            qa.submit_score(inspection.pk, actor=bank.actor(who), scores=FULL, comments={})
    # An inspector who handled the case (the handler also holding the inspector's role).
    from redressal.org.models import RoleAssignment

    RoleAssignment.objects.create(staff=bank.people["handler"], role="qa_inspector", unit=bank.ho)
    with pytest.raises(PermissionDenied) as own:
        qa.submit_score(inspection.pk, actor=bank.actor("handler"), scores=FULL, comments={})
    assert own.value.code == "qa.own_case"
    # Outside the inspector's unit: an inspector of another branch only.
    from redressal.org.services import create_unit

    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    shqa = create_staff("shqa", PASSWORD, sh, ["qa_inspector"])
    from redressal.org.authz import actor_for

    with pytest.raises(PermissionDenied):
        qa.submit_score(inspection.pk, actor=actor_for(shqa), scores=FULL, comments={})
    # A score missing an item names it; nothing is stored.
    with pytest.raises(ValidationFailed) as missing:
        qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores={"timeliness": 5}, comments={})
    assert missing.value.field == "investigation" and inspection.scores.count() == 0
    qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores=FULL, comments={})
    # Scored: another inspector not asked to calibrate, and the same one twice, are refused.
    with pytest.raises(PermissionDenied) as uninvited:
        qa.submit_score(inspection.pk, actor=actor_for(qa2), scores=FULL, comments={})
    assert uninvited.value.code == "qa.not_calibrator"
    with pytest.raises(ValidationFailed) as twice:
        qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores=FULL, comments={})
    assert twice.value.code == "qa.already_scored"


def test_calibration_is_blind_until_both_scored_and_gives_the_agreement(bank, qa2):
    from redressal.org.authz import actor_for
    from redressal.quality.selectors import inspection_view

    _cases, sample, _ = drawn(bank, 1, 0)
    inspection = sample.inspections.get()
    first = bank.actor("qa")
    qa.submit_score(inspection.pk, actor=first, scores={**FULL, "attitude": 2}, comments={})
    with pytest.raises(ValidationFailed):
        qa.request_calibration(inspection.pk, actor=first, calibrator="handler1")  # handled it, no qa.inspect
    qa.request_calibration(inspection.pk, actor=first, calibrator="qa2")
    second = actor_for(qa2)
    blind = inspection_view(second, inspection.pk)
    assert blind.may_calibrate and blind.scores == [] and blind.hidden == 1 and blind.agreement is None
    qa.submit_score(inspection.pk, actor=second, scores={**FULL, "attitude": 4}, comments={})
    after = inspection_view(second, inspection.pk)
    assert len(after.scores) == 2 and after.agreement is not None
    assert after.agreement.mean_abs_diff == Decimal("0.33") and after.agreement.within_one == Decimal("0.833")
    inspection.refresh_from_db()
    assert inspection.total == Decimal("91.0")  # the first score stands; the calibration does not change it
    # The handler never sees the calibration.
    assert [s.kind for s in inspection_view(bank.actor("handler"), inspection.pk).scores] == ["primary"]


def test_the_handler_appeals_once_and_someone_else_decides(bank, qa2):
    from redressal.org.authz import actor_for

    _cases, sample, _ = drawn(bank, 1, 1)
    mine = sample.inspections.get(handler=bank.people["handler"])
    theirs = sample.inspections.get(handler=bank.people["handler2"])
    for inspection in (mine, theirs):
        qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores={**FULL, "records": 1}, comments={})
    handler = bank.actor("handler")
    with pytest.raises(PermissionDenied) as not_mine:
        qa.file_appeal(theirs.pk, actor=handler, reason="不服")
    assert not_mine.value.code == "qa.appeal_not_handler"
    with pytest.raises(ValidationFailed):
        qa.file_appeal(mine.pk, actor=handler, reason="  ")
    qa.file_appeal(mine.pk, actor=handler, reason="记录已补充完整，见附件")
    with pytest.raises(ValidationFailed) as twice:
        qa.file_appeal(mine.pk, actor=handler, reason="再次申诉")
    assert twice.value.code == "qa.appeal_once"
    assert StaffNotification.objects.filter(kind="qa_appeal", recipient=bank.people["sup"]).exists()
    assert not StaffNotification.objects.filter(kind="qa_appeal", recipient=bank.people["qa"]).exists()
    # The original inspector, the handler and someone without the permission may not decide.
    with pytest.raises(PermissionDenied) as own:
        qa.decide_appeal(mine.pk, actor=bank.actor("qa"), revise=False, reason="维持")
    assert own.value.code == "qa.appeal_own_scores"
    with pytest.raises(PermissionDenied):
        qa.decide_appeal(mine.pk, actor=handler, revise=False, reason="维持")
    with pytest.raises(PermissionDenied):
        qa.decide_appeal(mine.pk, actor=bank.actor("compliance"), revise=False, reason="维持")
    # The supervisor revises it.
    appeal = qa.decide_appeal(
        mine.pk, actor=bank.actor("sup"), revise=True, reason="记录完整", scores=FULL, comments={}
    )
    mine.refresh_from_db()
    assert appeal.status == "revised" and mine.status == "final" and mine.total == Decimal("100.0")
    assert StaffNotification.objects.filter(kind="qa_appeal_decided", recipient=bank.people["handler"]).exists()
    with pytest.raises(ValidationFailed):
        qa.decide_appeal(mine.pk, actor=actor_for(qa2), revise=False, reason="再裁定")


def test_a_new_config_version_applies_to_later_samples_only(bank):
    current = qa.current_config()
    assert current.version == 1 and QaConfig.objects.count() == 1
    rubric = type(DEFAULT_RUBRIC)((*DEFAULT_RUBRIC.items, RubricItem("privacy", "信息保护", 10)))
    with pytest.raises(PermissionDenied):
        qa.update_config(actor=bank.actor("qa"), rule=SamplingRule(), rubric=rubric, reason="x", expected_version=1)
    with pytest.raises(ValidationFailed):
        qa.update_config(
            actor=bank.actor("compliance"),
            rule=SamplingRule(percent=Decimal(-1)),
            rubric=rubric,
            reason="x",
            expected_version=1,
        )
    new = qa.update_config(
        actor=bank.actor("compliance"),
        rule=SamplingRule(percent=Decimal(10)),
        rubric=rubric,
        reason="增加信息保护项",
        expected_version=1,
    )
    assert (
        new.version == 2
        and AuditEvent.objects.filter(type="qa.config_versioned", actor_id=bank.people["compliance"].pk).exists()
    )
    from redressal.core.errors import Conflict

    with pytest.raises(Conflict):
        qa.update_config(
            actor=bank.actor("compliance"), rule=SamplingRule(), rubric=rubric, reason="y", expected_version=1
        )


def test_the_scheduler_job_draws_last_month_once(bank):
    close_case(bank, "handler", day=5)
    with time_machine.travel(APRIL, tick=False):
        assert qa.draw_due_samples() == 1
        assert qa.draw_due_samples() == 0
    assert inspection_svc.PERMISSION == "qa.inspect"


def test_a_supervisor_of_another_branch_cannot_decide_the_appeal(bank):
    from redressal.core.scheduler import JOBS
    from redressal.org.authz import actor_for
    from redressal.org.services import create_unit

    _cases, sample, _ = drawn(bank, 1, 0)
    inspection = sample.inspections.get()
    qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores=FULL, comments={})
    qa.file_appeal(inspection.pk, actor=bank.actor("handler"), reason="评分偏低")
    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    other = actor_for(create_staff("supervisor9", PASSWORD, sh, ["supervisor"]))
    with pytest.raises(PermissionDenied):
        qa.decide_appeal(inspection.pk, actor=other, revise=False, reason="维持")
    inspection.refresh_from_db()
    assert inspection.status == "appealed"
    assert "qa_monthly_sample" in JOBS
