import dataclasses

import pytest

from redressal.domain.errors import DomainError
from redressal.domain.profiles import load_profile
from redressal.domain.registration import MAX_REPRESENTATIVES, check_representatives
from redressal.domain.warnings import Audience, at_risk_labels, warning_audience


def test_ladder_widens_one_step_at_a_time() -> None:
    assert warning_audience("50%", assigned=True) == (Audience.ASSIGNEE,)
    assert warning_audience("80%", assigned=True) == (Audience.ASSIGNEE, Audience.SUPERVISOR)
    assert warning_audience("2d", assigned=True) == (Audience.ASSIGNEE, Audience.SUPERVISOR)
    assert warning_audience("breach", assigned=True) == (
        Audience.ASSIGNEE, Audience.SUPERVISOR, Audience.BRANCH_HEAD,
    )


@pytest.mark.parametrize("label", ["50%", "80%", "2d", "breach"])
def test_unassigned_case_goes_to_unit_supervisors(label: str) -> None:
    assert warning_audience(label, assigned=False) == (Audience.UNIT_SUPERVISORS,)


def test_at_risk_is_every_warning_short_of_the_breach_but_the_early_ones() -> None:
    rule = load_profile("CN-2020-3").warnings
    assert at_risk_labels(rule) == {"80%", "2d"}  # SPEC §5: not the 50 % reminder, not the breach
    other = dataclasses.replace(rule, fractions=(0.5, 0.75, 0.9), days_before_due=(1, 3))
    assert at_risk_labels(other) == {"90%", "1d", "3d"}


def test_art12_at_most_five_representatives() -> None:
    check_representatives(["甲"] * MAX_REPRESENTATIVES)
    with pytest.raises(DomainError) as exc:
        check_representatives(["甲"] * (MAX_REPRESENTATIVES + 1))
    assert exc.value.field == "representatives"
