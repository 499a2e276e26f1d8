"""The countdown a case list shows for a decision clock (``domain.warnings``, moved out of the queue view
in issue 12): which level each warning turns on, and where the clock stands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from redressal.domain.warnings import BREACH, COUNTDOWN_LEVELS, countdown_key, countdown_level

NOW = datetime(2024, 9, 10, 2, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=3)


@pytest.mark.parametrize(
    ("label", "key"),
    [("50%", "w50"), ("75%", "w50"), ("80%", "w80"), ("90%", "w80"), ("2d", "w2d"), ("1d", "w2d"), (BREACH, None)],
)
def test_each_warning_turns_on_its_level(label, key):
    assert countdown_key(label) == key


def test_a_label_that_is_no_warning_is_refused():
    with pytest.raises(ValueError):
        countdown_key("soon")


def test_no_countdown_once_settled_or_without_a_due_moment():
    come = {"w80": NOW - timedelta(hours=1)}
    assert countdown_level(DUE, True, come, NOW) == "none"
    assert countdown_level(None, False, come, NOW) == "none"


def test_past_the_due_moment_it_is_breached_whatever_came():
    assert countdown_level(NOW - timedelta(seconds=1), False, {}, NOW) == "breached"
    assert countdown_level(NOW, False, {}, NOW) == "breached"


def test_the_strongest_level_come_is_shown_and_a_future_one_is_not():
    hour = timedelta(hours=1)
    assert countdown_level(DUE, False, {}, NOW) == "none"
    assert countdown_level(DUE, False, {"w50": NOW - hour, "w80": NOW + hour}, NOW) == "w50"
    assert countdown_level(DUE, False, {"w50": NOW - 2 * hour, "w80": NOW - hour}, NOW) == "w80"
    assert countdown_level(DUE, False, {"w80": NOW - hour, "w2d": NOW}, NOW) == "w2d"


def test_every_level_is_a_known_one():
    keys = {countdown_key(label) for label in ("50%", "80%", "2d")}
    assert keys | {"none", "breached"} == set(COUNTDOWN_LEVELS)
