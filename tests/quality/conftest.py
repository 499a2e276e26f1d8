"""Closed cases in a past month, for the QA sample and the scorecards."""

from __future__ import annotations

import time_machine

from redressal.cases import services as svc
from tests.conftest import local
from tests.flows import accept_and_respond
from tests.services.test_lifecycle import register


def close_case(bank, handler: str = "handler", *, day: int = 10, csat: int | None = 4, **respond):
    """A complaint received, accepted, decided and closed with feedback in March 2026 by ``handler``."""
    with time_machine.travel(local(2026, 3, day, 10, 0), tick=False) as t:
        case = register(bank)
        t.shift(3600)
        accept_and_respond(case.pk, bank.actor(handler), **respond)
        t.shift(3600)
        svc.record_feedback(case.pk, actor=bank.actor(handler), result="satisfied", csat=csat)
    case.refresh_from_db()
    return case


APRIL = local(2026, 4, 2, 9, 0)
