"""Who is told that a compensation proposal awaits approval (SPEC §8): the approvers on the case's own
line at the rung the sum needs — not every supervisor of the bank."""

from __future__ import annotations

from decimal import Decimal

import pytest

from redressal.cases import services as svc
from redressal.domain.authority import APPROVAL_LADDER, Holding, approvers_to_tell
from redressal.notify.models import StaffNotification
from tests.api.test_branch_scope import register
from tests.branches import add_shanghai
from tests.flows import accept

pytestmark = pytest.mark.django_db

LIMITS = {"handler": Decimal("500"), "supervisor": Decimal("5000"), "branch_head": Decimal("50000"),
          "senior_manager": None}


def told(bank, case, amount: str) -> set[str]:
    svc.propose_solution(case.pk, actor=bank.actor("handler"), solution="退还并补偿",
                         items=[{"kind": "refund", "amount": amount}])
    rows = StaffNotification.objects.filter(case=case, kind="approval").select_related("recipient")
    return {n.recipient.username for n in rows}


@pytest.fixture
def investigating(bank):
    add_shanghai(bank)

    def make():
        case = register(bank, "agent")
        accept(case.pk, bank.actor("handler"))
        svc.start_investigation(case.pk, actor=bank.actor("handler"))
        return case

    return make


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("600.00", {"supervisor1"}), ("20000.00", {"branchhead1"}), ("80000.00", {"senior1"})],
)
def test_only_the_cases_own_approvers_at_the_needed_rung_are_told(bank, investigating, amount, expected):
    # shsup and shhead (Shanghai) hold the same roles but not over a Beijing case; hosupervisor covers
    # it from the head office, but Beijing's own supervisor is nearer.
    assert told(bank, investigating(), amount) == expected


def test_the_head_office_is_told_when_the_branch_has_no_one_at_that_rung(investigating, bank):
    from redressal.org.models import RoleAssignment

    RoleAssignment.objects.filter(staff=bank.people["sup"]).delete()
    assert told(bank, investigating(), "600.00") == {"hosupervisor"}
    # A head-office grant without its subtree does not reach a Beijing case.
    RoleAssignment.objects.filter(staff=bank.people["hosup"]).update(include_subtree=False)
    assert told(bank, investigating(), "600.00") == {"branchhead1"}


def test_the_rule_picks_the_nearest_able_approvers():
    holdings = [Holding(1, "supervisor", 2), Holding(2, "supervisor", 1), Holding(3, "handler", 2)]
    assert approvers_to_tell(Decimal("600"), LIMITS, holdings, proposer_id=3) == [1]
    assert approvers_to_tell(Decimal("600"), LIMITS, holdings, proposer_id=1) == [2]
    assert approvers_to_tell(Decimal("6000"), LIMITS, holdings, proposer_id=3) == []
    assert "handler" in APPROVAL_LADDER  # a handler is on the ladder but approves nothing: never told
    assert approvers_to_tell(Decimal("100"), LIMITS, [Holding(3, "handler", 2)], proposer_id=9) == []
