"""Which event of a case's history moves which clock (``domain.deadlines.CLOCK_EVENTS``, issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from redressal.domain.deadlines import CLOCK_EVENTS, CLOCK_KINDS, ClockEvent, clock_event

AT = datetime(2024, 9, 10, 2, 0, tzinfo=UTC)


def test_every_event_maps_to_a_clock_kind():
    assert set(CLOCK_EVENTS.values()) <= CLOCK_KINDS


@pytest.mark.parametrize(
    ("event_type", "kind"),
    [
        ("accepted", "accept"),
        ("answered", "accept"),
        ("paused", "pause"),
        ("resumed", "resume"),
        ("clock_restarted", "restart"),
        ("withdrawn", "withdraw"),
        ("declined", "withdraw"),
        ("merged", "withdraw"),
        ("responded", "notify_decision"),
        ("closed", "close"),
    ],
)
def test_the_event_moves_its_clock(event_type, kind):
    assert clock_event(event_type, AT, {}) == ClockEvent(kind=kind, at=AT)


def test_an_extension_carries_its_level():
    assert clock_event("extended", AT, {"level": 2}) == ClockEvent(kind="extension", at=AT, level=2)
    assert clock_event("extended", AT, {"level": None}) == ClockEvent(kind="extension", at=AT, level=0)


def test_a_reopening_restarts_the_clock_only_with_new_facts():
    assert clock_event("reopened", AT, {"restart_clock": True}) == ClockEvent(kind="restart", at=AT)
    assert clock_event("reopened", AT, {"restart_clock": False}) is None
    assert clock_event("reopened", AT, {}) is None


@pytest.mark.parametrize("event_type", ["registered", "note_added", "triaged", "assigned"])
def test_other_events_move_no_clock(event_type):
    assert clock_event(event_type, AT, {"level": 1, "restart_clock": True}) is None
