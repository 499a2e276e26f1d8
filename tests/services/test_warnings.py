"""Deadline warnings: at the profile's moments, to the right people, each exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from redressal.cases import services as svc
from redressal.cases.models import CaseDeadline, DeadlineWarning
from redressal.cases.services.warnings import sweep_warnings
from redressal.core.scheduler import tick
from redressal.notify.models import StaffNotification
from tests.conftest import local
from tests.flows import accept, respond
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db


def accepted_case(bank):
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    return case


def test_warning_moments_follow_the_profile(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False):
        case = accepted_case(bank)
    labels = sorted(DeadlineWarning.objects.filter(case=case, deadline_kind="decision").values_list("label", flat=True))
    assert labels == ["2d", "50%", "80%", "breach"]
    moments = {w.label: w.fire_at for w in DeadlineWarning.objects.filter(case=case, deadline_kind="decision")}
    assert moments["breach"] == local(2024, 10, 6)
    assert moments["2d"] == local(2024, 10, 4)


def test_each_warning_fires_once_to_the_right_people(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        handler, sup, head = bank.people["handler"], bank.people["sup"], bank.people["head"]
        t.move_to(local(2024, 9, 28, 12))  # past 50 %, before 80 %
        assert sweep_warnings() == 1
        assert sweep_warnings() == 0
        assert list(StaffNotification.objects.values_list("recipient", flat=True)) == [handler.pk]
        t.move_to(local(2024, 10, 6, 0, 0, 30))  # past 80 %, 2 days before, and the breach
        assert sweep_warnings() == 3
        assert sweep_warnings() == 0
    breach = StaffNotification.objects.filter(kind="deadline_breach")
    assert set(breach.values_list("recipient", flat=True)) == {handler.pk, sup.pk, head.pk}
    assert CaseDeadline.objects.get(case=case, kind="decision").state == "breached"
    assert set(StaffNotification.objects.values_list("case", flat=True)) == {case.pk}
    assert case.events.filter(type="deadline_breached").count() == 1


def test_an_extension_rearms_warnings_for_the_new_due_moment(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        t.move_to(local(2024, 9, 28, 12))
        sweep_warnings()
        svc.extend_deadline(case.pk, actor=bank.actor("sup"), level=1, reason="复杂", justification="多方调查")
        pending = DeadlineWarning.objects.filter(case=case, deadline_kind="decision", fired_at__isnull=True)
        assert pending.get(label="breach").fire_at == local(2024, 10, 21)


def test_responding_in_time_cancels_pending_warnings(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        h = bank.actor("handler")
        svc.start_investigation(case.pk, actor=h)
        respond(case.pk, h)
        t.move_to(local(2024, 10, 10))
        assert sweep_warnings() == 0
    assert CaseDeadline.objects.get(case=case, kind="decision").state == "met"


@pytest.mark.django_db(transaction=True)
def test_scheduler_and_worker_deliver_within_a_minute(bank, settings):
    # The real db_worker closes connections between tasks, so this test cannot share a transaction.
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        accepted_case(bank)
        t.move_to(local(2024, 9, 28, 12))
        assert "sweep_deadlines" in tick()
        assert "sweep_deadlines" not in tick()  # same slot: a second scheduler enqueues nothing
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    assert StaffNotification.objects.filter(kind="deadline_warning").count() == 1


def test_an_action_after_the_due_moment_keeps_the_breach_warning(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        t.move_to(local(2024, 10, 7, 9))  # overdue; no sweep has run yet
        svc.add_note(case.pk, actor=bank.actor("handler"), text="补充调查")
        pending = DeadlineWarning.objects.filter(case=case, deadline_kind="decision", fired_at__isnull=True)
        assert list(pending.values_list("label", flat=True)) == ["breach"]  # only the latest past moment
        assert sweep_warnings() >= 1
    assert case.events.filter(type="deadline_breached").count() == 1


def test_a_profile_warning_at_90_percent_tells_the_supervisor_not_the_branch_head(bank, test_90_profile):
    received = local(2024, 9, 20, 0)  # due 10-06 00:00: 75 % at 10-02 00:00, 90 % at 10-04 09:36
    with time_machine.travel(received, tick=False) as t:
        case = test_90_profile(accepted_case(bank), received)
        handler, sup = bank.people["handler"], bank.people["sup"]
        t.move_to(local(2024, 10, 2, 12))  # 50 % and 75 %: early reminders, to the handler alone
        assert sweep_warnings() == 2
        assert set(StaffNotification.objects.values_list("recipient", flat=True)) == {handler.pk}
        t.move_to(local(2024, 10, 4, 12))  # 90 %: at risk
        assert sweep_warnings() == 1
    told = StaffNotification.objects.filter(payload__label="90%", case=case)
    assert set(told.values_list("recipient", flat=True)) == {handler.pk, sup.pk}


def test_a_first_sweep_after_the_due_moment_delivers_the_breach_alone_and_skips_the_rest(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        t.move_to(local(2024, 10, 27, 9))  # three weeks overdue; the scheduler has not run since
        assert sweep_warnings() == 4
        assert sweep_warnings() == 0
    warnings = DeadlineWarning.objects.filter(case=case, deadline_kind="decision")
    assert set(warnings.filter(skipped=True).values_list("label", flat=True)) == {"50%", "80%", "2d"}
    assert not warnings.filter(fired_at__isnull=True).exists()  # handled, kept as history
    notes = StaffNotification.objects.filter(case=case, kind__startswith="deadline_")
    assert set(notes.values_list("kind", flat=True)) == {"deadline_breach"}
    assert not notes.filter(payload__deadline="decision", kind="deadline_warning").exists()


def test_a_late_sweep_between_stages_delivers_the_latest_stage_dated_at_its_moment(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        moments = dict(case.warnings.filter(deadline_kind="decision").values_list("label", "fire_at"))
        t.move_to(moments["2d"] + timedelta(hours=5))  # 50 % and 80 % passed unseen
        sweep_warnings()
    delivered = StaffNotification.objects.filter(case=case, kind="deadline_warning", payload__deadline="decision")
    assert set(delivered.values_list("payload__label", flat=True)) == {"2d"}
    assert set(delivered.values_list("created_at", flat=True)) == {moments["2d"]}


def test_warnings_delivered_one_by_one_keep_their_own_moments(bank):
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = accepted_case(bank)
        moments = dict(case.warnings.filter(deadline_kind="decision").values_list("label", "fire_at"))
        for label in ("50%", "80%", "2d"):
            t.move_to(moments[label] + timedelta(seconds=40))  # the scheduler's minute
            sweep_warnings()
    handler = bank.people["handler"]
    delivered = StaffNotification.objects.filter(
        case=case, recipient=handler, kind="deadline_warning", payload__deadline="decision"
    )
    stamps = dict(delivered.values_list("payload__label", "created_at"))
    assert stamps == {label: moments[label] for label in ("50%", "80%", "2d")}
