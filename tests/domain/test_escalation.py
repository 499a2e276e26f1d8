"""The escalation rule (SPEC §7) on plain unit data: up the own line, or across to a department."""

from __future__ import annotations

import pytest

from redressal.domain.errors import DomainError
from redressal.domain.escalation import UnitRef, check_escalation_target, escalation_targets

HO = UnitRef("HO", "/HO/", "head_office")
BJ = UnitRef("BJ", "/HO/BJ/", "branch")
BJ01 = UnitRef("BJ01", "/HO/BJ/BJ01/", "outlet")
SH = UnitRef("SH", "/HO/SH/", "branch")
SH01 = UnitRef("SH01", "/HO/SH/SH01/", "outlet")
TECH = UnitRef("TECH", "/HO/TECH/", "department")
ALL = (HO, BJ, BJ01, SH, SH01, TECH)


def test_targets_are_the_units_above_and_the_departments():
    assert [u.code for u in escalation_targets(BJ01, ALL)] == ["HO", "BJ", "TECH"]
    assert [u.code for u in escalation_targets(BJ, ALL)] == ["HO", "TECH"]


@pytest.mark.parametrize("target", [SH01, SH, BJ01])
def test_sideways_or_down_is_refused_naming_the_field(target):
    with pytest.raises(DomainError) as exc:
        check_escalation_target(BJ, target)
    assert exc.value.rule == "escalation.target" and exc.value.field == "to_unit"


def test_same_unit_is_refused():
    with pytest.raises(DomainError) as exc:
        check_escalation_target(BJ, BJ)
    assert exc.value.rule == "same_unit"
