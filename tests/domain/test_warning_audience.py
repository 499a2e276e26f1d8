import dataclasses

import pytest

from redressal.domain.errors import DomainError
from redressal.domain.profiles import load_profile
from redressal.domain.registration import MAX_REPRESENTATIVES, check_representatives
from redressal.domain.warnings import Audience, Stage, at_risk_labels, warning_audience, warning_stage


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


def test_the_stage_of_a_warning_is_read_from_its_setting_not_from_todays_labels() -> None:
    assert [warning_stage(label) for label in ("50%", "75%", "79%")] == [Stage.EARLY] * 3
    assert [warning_stage(label) for label in ("80%", "90%", "1d", "2d", "3d")] == [Stage.AT_RISK] * 5
    assert warning_stage("breach") is Stage.BREACH
    with pytest.raises(ValueError):
        warning_stage("soon")


def test_a_profile_warning_at_75_and_90_percent_widens_the_audience_by_stage() -> None:
    assert warning_audience("75%", assigned=True) == (Audience.ASSIGNEE,)
    assert warning_audience("90%", assigned=True) == (Audience.ASSIGNEE, Audience.SUPERVISOR)
    assert warning_audience("1d", assigned=True) == (Audience.ASSIGNEE, Audience.SUPERVISOR)


def test_at_risk_labels_are_the_at_risk_stage() -> None:
    rule = dataclasses.replace(load_profile("CN-2020-3").warnings, fractions=(0.3, 0.795, 0.85), days_before_due=(5,))
    assert at_risk_labels(rule) == {"80%", "85%", "5d"}  # 0.795 is called "80%", and "80%" is at risk


def test_art12_at_most_five_representatives() -> None:
    check_representatives(["甲"] * MAX_REPRESENTATIVES)
    with pytest.raises(DomainError) as exc:
        check_representatives(["甲"] * (MAX_REPRESENTATIVES + 1))
    assert exc.value.field == "representatives"
