"""Which moment the rules judge, through the services (SPEC §14): the action's ``at``."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import CaseEvent
from redressal.cases.services.extension_requests import approve_extension_request, request_extension
from redressal.core.errors import ServiceError
from tests.conftest import local
from tests.flows import accept
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db


def investigating(bank, received):
    with time_machine.travel(received, tick=False):
        case = register(bank, received_at=received)
        accept(case.pk, bank.actor("handler"))
        svc.start_investigation(case.pk, actor=bank.actor("handler"))
    return case


def test_a_timely_request_stays_timely_when_approved_after_the_deadline(bank):
    """Received 2025-01-20 (due 02-04 24:00); asked 02-03, approved 02-07: in time, due 02-19."""
    case = investigating(bank, local(2025, 1, 20, 10))
    with time_machine.travel(local(2025, 2, 3, 10), tick=False):
        request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="需调取流水", justification="第三方")
    with time_machine.travel(local(2025, 2, 7, 10), tick=False):
        approve_extension_request(case.pk, actor=bank.actor("sup"))
    case.refresh_from_db()
    assert case.extension_level == 1
    assert case.decision_due_at == local(2025, 2, 20)  # 24:00 of 02-19
    extended = CaseEvent.objects.get(case=case, type="extended")
    assert extended.at == local(2025, 2, 7, 10)  # the approval is dated when it was given
    assert datetime.fromisoformat(extended.payload["requested_at"]) == local(2025, 2, 3, 10)
    assert not extended.backdated


def test_a_request_after_the_deadline_is_refused_even_if_dated_back_without_cause(bank):
    case = investigating(bank, local(2025, 1, 20, 10))
    with time_machine.travel(local(2025, 2, 7, 10), tick=False):
        with pytest.raises(ServiceError) as exc:
            request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="x", justification="y")
        assert exc.value.code == "extension.after_deadline"
        # Dated back to when it was really asked for, with the reason: accepted and marked.
        with pytest.raises(ServiceError) as exc:
            request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="x", justification="y",
                              at=local(2025, 2, 3, 10))
        assert exc.value.code == "backdate.reason_required"
        request_extension(case.pk, actor=bank.actor("handler"), level=1, reason="x", justification="y",
                          at=local(2025, 2, 3, 10), backdate_reason="书面申请02-03已提交")
    assert CaseEvent.objects.get(case=case, type="extension_requested").backdated


def test_withdrawal_and_restart_are_dated_at_their_moment(bank):
    case = investigating(bank, local(2025, 1, 20, 10))
    with time_machine.travel(local(2025, 3, 10, 9), tick=False):
        with pytest.raises(ServiceError) as exc:
            svc.restart_clock(case.pk, actor=bank.actor("handler"), reason="新材料", at=local(2025, 2, 2, 10))
        assert exc.value.field == "backdate_reason"
        svc.restart_clock(case.pk, actor=bank.actor("handler"), reason="新材料", at=local(2025, 2, 2, 10),
                          backdate_reason="客户邮寄材料02-02签收，今日补录")
        case.refresh_from_db()
        assert case.decision_due_at == local(2025, 2, 18)  # 02-02 + 15 days, 24:00 of 02-17
        with pytest.raises(ServiceError) as exc:  # before the restart on record
            svc.withdraw_case(case.pk, actor=bank.actor("handler"), reason="客户撤诉", at=local(2025, 2, 1, 10),
                              backdate_reason="补录")
        assert exc.value.code == "at.before_previous_event"
        svc.withdraw_case(case.pk, actor=bank.actor("handler"), reason="客户撤诉", at=local(2025, 2, 10, 10),
                          backdate_reason="客户02-10来电撤诉，今日补录")
    decision = case.deadlines.get(kind="decision")
    assert decision.state == "stopped"  # withdrawn 02-10, before the 02-17 end: no breach
