"""What the case page shows of compensation authority (``domain.authority.authority_of``, moved out of
the case page's view in issue 12; SPEC §8)."""

from __future__ import annotations

from decimal import Decimal

from redressal.domain.authority import authority_of

LIMITS = {
    "senior_manager": None,
    "handler": Decimal("500"),
    "branch_head": Decimal("20000"),
    "supervisor": Decimal("5000"),
}


def test_the_ladder_runs_lowest_first_whatever_the_profiles_order():
    assert authority_of(["handler"], LIMITS).ladder == (
        ("handler", Decimal("500")),
        ("supervisor", Decimal("5000")),
        ("branch_head", Decimal("20000")),
        ("senior_manager", None),
    )


def test_a_role_without_a_limit_is_not_on_the_ladder():
    limits = {"handler": Decimal("500"), "branch_head": Decimal("20000")}
    assert [role for role, _limit in authority_of([], limits).ladder] == ["handler", "branch_head"]


def test_own_limit_is_the_highest_of_ones_roles():
    own = authority_of(["handler", "supervisor"], LIMITS)
    assert own.own_limit == Decimal("5000") and not own.unlimited
    assert authority_of(["senior_manager", "handler"], LIMITS).unlimited
    # A role the profile gives no limit approves nothing: 0, not unlimited.
    nobody = authority_of(["auditor"], LIMITS)
    assert nobody.own_limit == Decimal("0") and not nobody.unlimited


def test_the_approver_needed_is_the_lowest_whose_limit_covers_the_amount():
    assert authority_of(["handler"], LIMITS).pending_approver == ""
    assert authority_of(["handler"], LIMITS, Decimal("500")).pending_approver == "handler"
    assert authority_of(["handler"], LIMITS, Decimal("500.01")).pending_approver == "supervisor"
    assert authority_of(["handler"], LIMITS, Decimal("20000.01")).pending_approver == "senior_manager"
