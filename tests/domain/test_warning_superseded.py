"""A warning passed by its next stage is not delivered as that stage (domain.warnings.superseded)."""

from datetime import UTC, datetime, timedelta

from redressal.domain.warnings import superseded

DUE = datetime(2024, 10, 5, 16, tzinfo=UTC)
MOMENTS = {
    "50%": DUE - timedelta(days=8),
    "80%": DUE - timedelta(days=3),
    "2d": DUE - timedelta(days=2),
    "breach": DUE,
}


def test_a_sweep_on_time_delivers_each_warning_as_its_moment_comes() -> None:
    # The earlier stages count as superseded (they were delivered at their own moments, so the sweep has
    # nothing left of them); the stage whose moment it is is delivered.
    for label, moment in MOMENTS.items():
        assert label not in superseded(MOMENTS, moment)
        assert label not in superseded(MOMENTS, moment + timedelta(minutes=1))
        assert superseded(MOMENTS, moment) == {other for other, at in MOMENTS.items() if at < moment}


def test_a_first_sweep_after_the_due_moment_delivers_the_breach_alone() -> None:
    assert superseded(MOMENTS, DUE + timedelta(days=20)) == {"50%", "80%", "2d"}


def test_a_late_sweep_between_stages_delivers_the_latest_come() -> None:
    late = MOMENTS["2d"] + timedelta(hours=5)
    assert superseded(MOMENTS, late) == {"50%", "80%"}
    assert superseded(MOMENTS, MOMENTS["80%"] + timedelta(hours=1)) == {"50%"}


def test_nothing_come_nothing_superseded() -> None:
    assert superseded(MOMENTS, MOMENTS["50%"] - timedelta(seconds=1)) == frozenset()
    assert superseded({}, DUE) == frozenset()


def test_on_a_tie_the_stronger_stage_is_delivered() -> None:
    # A short period can put "2d" on the same moment as "80%"; the at-risk "2d" is not weaker, the
    # breach always wins.
    tied = {"50%": DUE - timedelta(days=1), "2d": DUE, "breach": DUE}
    assert superseded(tied, DUE) == {"50%", "2d"}
