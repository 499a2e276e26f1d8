"""Cases with one cause, ready to be grouped into a root-cause issue."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from tests.conftest import local
from tests.flows import accept, confirm_codes
from tests.services.test_lifecycle import register


def case_with_cause(bank, cause: str = "C02", at=None, **kw):
    """A case registered at ``at`` (local), accepted and investigated, with its cause confirmed."""
    with time_machine.travel(at or local(2024, 9, 10, 10, 0), tick=False):
        case = register(bank, **kw)
        handler = bank.actor("handler")
        svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1")
        accept(case.pk, handler)
        svc.start_investigation(case.pk, actor=handler)
        confirm_codes(case.pk, handler, business="B0302", cause=cause)
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(bank):
    return [case_with_cause(bank, at=local(2024, 9, d, 10, 0)) for d in (9, 10, 11)]
