from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redressal.domain.deadlines import (
    ClockEvent,
    Deadline,
    DeadlineInput,
    check_extendable,
    check_extension,
    check_moment,
    check_pause,
    check_resume,
    compute_deadlines,
    end_of_day,
    review_window_end,
)
from redressal.domain.errors import DomainError
from redressal.domain.profiles import Profile, load_profile
from tests.domain.cn_2024 import calendar_2024

TZ = ZoneInfo("Asia/Shanghai")
P = load_profile("CN-2020-3")
CAL = calendar_2024()


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def end_of(y: int, m: int, d: int) -> datetime:
    """24:00 of the given local day, written independently of the code under test."""
    return datetime(y, m, d, tzinfo=TZ) + timedelta(days=1)


def ev(kind: str, when: datetime, level: int = 0) -> ClockEvent:
    return ClockEvent(kind=kind, at=when, level=level)


def case(
    received: datetime, events: Sequence[ClockEvent] = (), kind: str = "complaint", forwarded: bool = False
) -> DeadlineInput:
    return DeadlineInput(
        received_at=received, kind_of_case=kind, regulator_forwarded=forwarded, events=events
    )


def clocks(inp: DeadlineInput, now: datetime | None = None, profile: Profile = P) -> dict[str, Deadline]:
    return {d.kind: d for d in compute_deadlines(profile, CAL, inp, now or inp.received_at)}


def decision(inp: DeadlineInput, now: datetime | None = None) -> Deadline:
    return clocks(inp, now)["decision"]


SEP20 = at(2024, 9, 20)
L1_OCT3 = ev("extension", at(2024, 10, 3), level=1)
L2_OCT18 = ev("extension", at(2024, 10, 18), level=2)


# --- worked examples ---------------------------------------------------------------------------------


def test_decision_due_15_days_after_receipt_and_legal_due_after_national_day() -> None:
    d = decision(case(SEP20))
    assert d.due_at == end_of(2024, 10, 5)
    assert d.due_at.isoformat() == "2024-10-06T00:00:00+08:00"  # 2024-10-05 24:00
    # 10-05 falls in the National Day holiday (10-01…10-07): 民法典 第二百零三条 moves it to 10-08.
    assert d.legal_due_at == end_of(2024, 10, 8)
    assert d.state == "running" and d.extension_level == 0 and d.history == ()


def test_extension_level_1() -> None:
    d = decision(case(SEP20, [L1_OCT3]), now=at(2024, 10, 3, 12))
    assert d.due_at == end_of(2024, 10, 20)
    assert d.extension_level == 1
    assert [(h.due_at, h.reason) for h in d.history] == [(end_of(2024, 10, 5), "extension_l1")]


def test_extension_level_2() -> None:
    d = decision(case(SEP20, [L1_OCT3, L2_OCT18]), now=at(2024, 10, 18, 12))
    assert d.due_at == end_of(2024, 11, 19)
    assert d.legal_due_at == end_of(2024, 11, 19)  # a Tuesday
    assert [h.reason for h in d.history] == ["extension_l1", "extension_l2"]


def test_received_friday_before_a_saturday_deadline() -> None:
    # Registered on 03-04: irrelevant, the period runs from receipt.
    d = decision(case(at(2024, 3, 1, 16)))
    assert d.due_at == end_of(2024, 3, 16)
    assert d.legal_due_at == end_of(2024, 3, 18)  # 03-16 is a Saturday


def test_first_contact_counts_the_makeup_sunday() -> None:
    fc = clocks(case(at(2024, 9, 27, 18)))["first_contact"]
    assert fc.due_at == end_of(2024, 9, 29)  # Sunday 09-29 was a 调休 working day
    assert fc.legal_due_at == fc.due_at


def test_l2_before_l1_is_refused() -> None:
    with pytest.raises(DomainError) as exc:
        check_extension(P, CAL, case(SEP20), 2, at(2024, 10, 3), "senior_manager")
    assert exc.value.rule == "extension.l2_requires_l1"
    assert exc.value.field == "level"


def test_l2_by_a_supervisor_is_refused() -> None:
    with pytest.raises(DomainError) as exc:
        check_extension(P, CAL, case(SEP20, [L1_OCT3]), 2, at(2024, 10, 18), "supervisor")
    assert exc.value.rule == "extension.approver_role"


def test_extension_after_the_deadline_is_refused() -> None:
    late = at(2024, 10, 6, 0, 1)  # one minute after 10-05 24:00
    with pytest.raises(DomainError) as exc:
        check_extension(P, CAL, case(SEP20), 1, late, "supervisor")
    assert exc.value.rule == "extension.after_deadline"
    # … even though the legal end (10-08) has not passed: the bank works to due_at.
    assert decision(case(SEP20), now=late).legal_due_at > late


def test_allowed_extensions_pass() -> None:
    check_extension(P, CAL, case(SEP20), 1, at(2024, 10, 3), "supervisor")
    check_extension(P, CAL, case(SEP20, [L1_OCT3]), 2, at(2024, 10, 18), "senior_manager")
    # At 24:00 of the last day the period has not yet passed.
    check_extension(P, CAL, case(SEP20), 1, end_of(2024, 10, 5), "branch_head")


# --- decision clock ---------------------------------------------------------------------------------


def test_receipt_date_is_the_local_date() -> None:
    # 2024-09-19 17:30 UTC is 2024-09-20 01:30 in Shanghai.
    d = decision(case(datetime(2024, 9, 19, 17, 30, tzinfo=UTC)))
    assert d.due_at == end_of(2024, 10, 5)
    assert d.due_at.tzinfo == TZ


def test_received_just_before_midnight() -> None:
    assert decision(case(at(2024, 9, 20, 23, 59))).due_at == end_of(2024, 10, 5)
    assert decision(case(at(2024, 9, 21, 0, 0))).due_at == end_of(2024, 10, 6)


@pytest.mark.parametrize(
    ("notified", "state"),
    [
        (at(2024, 10, 1), "met"),
        (end_of(2024, 10, 5), "met"),  # 24:00 of the last day is still in time
        (end_of(2024, 10, 5) + timedelta(seconds=1), "breached"),
        (at(2024, 10, 7), "breached"),  # within the legal end, but after due_at
    ],
)
def test_notice_of_decision(notified: datetime, state: str) -> None:
    d = decision(case(SEP20, [ev("notify_decision", notified)]), now=at(2024, 12, 1))
    assert d.state == state
    assert d.ended_at == notified


def test_no_notice_breaches_after_due() -> None:
    inp = case(SEP20)
    assert decision(inp, now=end_of(2024, 10, 5)).state == "running"
    assert decision(inp, now=end_of(2024, 10, 5) + timedelta(seconds=1)).state == "breached"


def test_close_before_due_meets_and_after_due_breaches() -> None:
    assert decision(case(SEP20, [ev("close", at(2024, 9, 25))]), now=at(2024, 12, 1)).state == "met"
    assert decision(case(SEP20, [ev("close", at(2024, 10, 9))]), now=at(2024, 12, 1)).state == "breached"


def test_extension_never_shortens() -> None:
    d = decision(case(SEP20, [L1_OCT3, L2_OCT18, ev("extension", at(2024, 10, 19), level=1)]))
    assert d.due_at == end_of(2024, 11, 19) and d.extension_level == 2


def test_extension_without_level_takes_the_next_level() -> None:
    d = decision(case(SEP20, [ev("extension", at(2024, 10, 3)), ev("extension", at(2024, 10, 18))]))
    assert d.due_at == end_of(2024, 11, 19) and d.extension_level == 2


def test_pause_and_resume_shift_by_the_paused_days() -> None:
    events = [ev("pause", at(2024, 10, 3, 9)), ev("resume", at(2024, 10, 10, 17))]
    d = decision(case(SEP20, events), now=at(2024, 10, 11))
    assert d.due_at == end_of(2024, 10, 12)  # 7 paused days
    assert d.legal_due_at == end_of(2024, 10, 12)  # Saturday, but a make-up working day
    assert [(h.due_at, h.reason) for h in d.history] == [(end_of(2024, 10, 5), "pause")]
    assert d.state == "running" and d.paused_since is None


def test_while_paused_the_clock_neither_runs_nor_breaches() -> None:
    inp = case(SEP20, [ev("pause", at(2024, 10, 3, 9))])
    d = decision(inp, now=at(2024, 12, 31))
    assert d.state == "paused"
    assert d.paused_since == at(2024, 10, 3, 9)
    assert d.due_at == end_of(2024, 10, 5)  # moves when the pause ends


def test_paused_days_add_on_top_of_extensions() -> None:
    pause = [ev("pause", at(2024, 10, 1)), ev("resume", at(2024, 10, 3))]
    before = decision(case(SEP20, [*pause, ev("extension", at(2024, 10, 4), level=1)]))
    after = decision(case(SEP20, [ev("extension", at(2024, 9, 30), level=1), *pause]))
    assert before.due_at == after.due_at == end_of(2024, 10, 22)


def test_notice_during_a_pause_counts_the_paused_days() -> None:
    inp = case(SEP20, [ev("pause", at(2024, 10, 1)), ev("notify_decision", at(2024, 10, 20))])
    d = decision(inp, now=at(2024, 12, 1))
    assert d.due_at == end_of(2024, 10, 24) and d.state == "met"


def test_restart_on_new_facts() -> None:
    inp = case(SEP20, [L1_OCT3, ev("restart", at(2024, 10, 10, 15))])
    d = decision(inp, now=at(2024, 10, 11))
    assert d.due_at == end_of(2024, 10, 25)  # 10-10 + 15; the earlier L1 no longer applies
    assert d.extension_level == 0
    assert d.started_at == at(2024, 10, 10, 15)
    assert [(h.due_at, h.reason) for h in d.history] == [
        (end_of(2024, 10, 5), "extension_l1"),
        (end_of(2024, 10, 20), "restart"),
    ]


def test_restart_reopens_a_decided_case_and_keeps_the_result() -> None:
    inp = case(SEP20, [ev("notify_decision", at(2024, 10, 8)), ev("restart", at(2024, 10, 9))])
    d = decision(inp, now=at(2024, 10, 10))
    assert d.state == "running" and d.due_at == end_of(2024, 10, 24)
    assert d.history[-1].outcome == "breached"  # notified after 10-05 24:00


def test_withdrawal_stops_every_clock_for_good() -> None:
    inp = case(SEP20, [ev("withdraw", at(2024, 9, 20, 11))])
    for now in (at(2024, 9, 21), at(2025, 6, 1)):
        states = {k: d.state for k, d in clocks(inp, now).items()}
        assert states == {"first_contact": "stopped", "decision": "stopped"}


def test_events_after_withdrawal_change_nothing() -> None:
    base = [ev("withdraw", at(2024, 9, 25))]
    later = [*base, ev("restart", at(2024, 9, 26)), ev("notify_decision", at(2024, 11, 1))]
    assert decision(case(SEP20, later), at(2025, 1, 1)) == decision(case(SEP20, base), at(2025, 1, 1))


def test_withdrawal_after_the_deadline_does_not_undo_the_breach() -> None:
    d = decision(case(SEP20, [ev("withdraw", at(2024, 10, 9))]), now=at(2024, 10, 10))
    assert d.state == "breached"


def test_warnings() -> None:
    d = decision(case(at(2024, 9, 20, 0, 0)))  # 16 days to 10-06 00:00
    assert d.warn_at == (
        at(2024, 9, 28, 0, 0),  # half-time
        at(2024, 10, 2, 19, 12),  # 80 %: 12.8 days
        at(2024, 10, 4, 0, 0),  # 2 days before
    )
    assert all(w.tzinfo == TZ for w in d.warn_at)
    assert [r.label for r in d.reminders] == ["50%", "80%", "2d"]


def test_warnings_are_named_after_the_setting_that_asks_for_them() -> None:
    # 75 % of a 16-day period falls exactly 4 days before due: still the 75 % warning, not "4d".
    profile = dataclasses.replace(
        P, warnings=dataclasses.replace(P.warnings, fractions=(0.5, 0.75, 0.9), days_before_due=(1,))
    )
    d = clocks(case(at(2024, 9, 20, 0, 0)), profile=profile)["decision"]
    assert [(r.at, r.label) for r in d.reminders] == [
        (at(2024, 9, 28, 0, 0), "50%"),
        (at(2024, 10, 2, 0, 0), "75%"),
        (at(2024, 10, 4, 9, 36), "90%"),
        (at(2024, 10, 5, 0, 0), "1d"),
    ]


def test_warnings_are_deduplicated_and_inside_the_period() -> None:
    profile = dataclasses.replace(
        P, warnings=dataclasses.replace(P.warnings, fractions=(0.5,), days_before_due=(8, 30))
    )
    d = clocks(case(at(2024, 9, 20, 0, 0)), profile=profile)["decision"]
    assert d.warn_at == (at(2024, 9, 28, 0, 0),)  # 8 days before is half-time; 30 before is pre-receipt
    assert [r.label for r in d.reminders] == ["50%"]


# --- first contact and other kinds of case ------------------------------------------------------------


def test_first_contact_met_by_acceptance() -> None:
    received = at(2024, 9, 27, 18)
    assert (
        clocks(case(received, [ev("accept", at(2024, 9, 29, 9))]), at(2024, 10, 9))["first_contact"].state
        == "met"
    )
    late = clocks(case(received, [ev("accept", at(2024, 9, 30, 9))]), at(2024, 10, 9))["first_contact"]
    assert late.state == "breached" and late.ended_at == at(2024, 9, 30, 9)
    assert clocks(case(received), at(2024, 9, 30, 0, 1))["first_contact"].state == "breached"


def test_first_contact_is_not_moved_by_extension_pause_or_restart() -> None:
    events = [L1_OCT3, ev("pause", at(2024, 9, 20, 12)), ev("restart", at(2024, 9, 21))]
    assert clocks(case(SEP20, events))["first_contact"].due_at == end_of(2024, 9, 23)


def test_regulator_forwarded_first_contact_uses_its_own_setting() -> None:
    profile = dataclasses.replace(P, regulator_forwarded_first_contact_working_days=2)
    received = at(2024, 9, 27, 18)
    assert clocks(case(received, forwarded=True), profile=profile)["first_contact"].due_at == end_of(
        2024, 9, 30
    )
    assert clocks(case(received, forwarded=False), profile=profile)["first_contact"].due_at == end_of(
        2024, 9, 29
    )


@pytest.mark.parametrize("kind", ["consultation", "suggestion"])
def test_consultations_and_suggestions_have_no_decision_clock(kind: str) -> None:
    assert list(clocks(case(SEP20, kind=kind))) == ["first_contact"]


def test_other_requests_are_decided_like_complaints() -> None:
    assert list(clocks(case(SEP20, kind="other"))) == ["first_contact", "decision"]


def test_review_decision_within_30_days_of_the_request() -> None:
    inp = case(at(2024, 9, 5), [L1_OCT3, ev("pause", at(2024, 9, 10))], kind="review")
    result = clocks(inp, now=at(2024, 9, 12))
    assert list(result) == ["first_contact", "review_decision"]
    review = result["review_decision"]
    assert review.due_at == end_of(2024, 10, 5)  # no extension or pause for 核查
    assert review.legal_due_at == end_of(2024, 10, 8)
    assert review.state == "running"
    met = clocks(
        case(at(2024, 9, 5), [ev("review_decision", at(2024, 10, 1))], kind="review"), at(2024, 11, 1)
    )
    assert met["review_decision"].state == "met"


def test_review_window_for_the_complainant() -> None:
    # Decision received 09-05: 30 days end on 10-05, a holiday, so the window lawfully closes 10-08 24:00.
    assert review_window_end(P, CAL, at(2024, 9, 5, 15)) == end_of(2024, 10, 8)


def test_end_of_day_is_local_midnight_of_the_next_day() -> None:
    assert end_of_day(date(2024, 12, 31), TZ) == datetime(2025, 1, 1, tzinfo=TZ)


def test_inputs_must_be_aware_and_known() -> None:
    with pytest.raises(ValueError):
        ClockEvent(kind="extension", at=datetime(2024, 10, 3))
    with pytest.raises(ValueError):
        ClockEvent(kind="postpone", at=SEP20)
    with pytest.raises(ValueError):
        DeadlineInput(received_at=datetime(2024, 9, 20), kind_of_case="complaint")
    with pytest.raises(ValueError):
        DeadlineInput(received_at=SEP20, kind_of_case="grievance")
    with pytest.raises(ValueError):
        compute_deadlines(P, CAL, case(SEP20), datetime(2024, 9, 20))


# --- checks -----------------------------------------------------------------------------------------


@contextmanager
def refused(rule: str) -> Iterator[None]:
    with pytest.raises(DomainError) as exc:
        yield
    assert exc.value.rule == rule


OCT3 = at(2024, 10, 3)


@pytest.mark.parametrize(
    ("events", "level", "role", "rule"),
    [
        ((), 3, "senior_manager", "extension.level_invalid"),
        ((), 0, "senior_manager", "extension.level_invalid"),
        ((L1_OCT3,), 1, "senior_manager", "extension.already_at_level"),
        ((ev("withdraw", at(2024, 9, 21)),), 1, "supervisor", "extension.not_running"),
        ((ev("notify_decision", at(2024, 9, 21)),), 1, "supervisor", "extension.not_running"),
        ((ev("pause", at(2024, 9, 21)),), 1, "supervisor", "extension.not_running"),
        ((), 1, "handler", "extension.approver_role"),
    ],
)
def test_extension_refusals(events: tuple[ClockEvent, ...], level: int, role: str, rule: str) -> None:
    with refused(rule):
        check_extension(P, CAL, case(SEP20, events), level, OCT3, role)


@pytest.mark.parametrize(
    ("events", "level", "rule"),
    [
        ((), 3, "extension.level_invalid"),
        ((L1_OCT3,), 1, "extension.already_at_level"),
        ((), 2, "extension.l2_requires_l1"),
        ((ev("pause", at(2024, 9, 21)),), 1, "extension.not_running"),
    ],
)
def test_extendable_refuses_what_no_approver_could_grant(events: tuple[ClockEvent, ...], level: int, rule: str) -> None:
    with refused(rule):
        check_extendable(P, CAL, case(SEP20, events), level, OCT3)


def test_extendable_refuses_after_the_due_moment() -> None:
    late = at(2024, 10, 6, 0, 1)  # one minute after 10-05 24:00
    with refused("extension.after_deadline"):
        check_extendable(P, CAL, case(SEP20), 1, late)


def test_extendable_leaves_the_approver_to_check_extension() -> None:
    """A handler may ask (the period can be extended); only an approver's role may grant it."""
    check_extendable(P, CAL, case(SEP20), 1, OCT3)
    with refused("extension.approver_role"):
        check_extension(P, CAL, case(SEP20), 1, OCT3, "handler")


def test_extension_not_applicable_without_decision_clock() -> None:
    with refused("extension.not_applicable"):
        check_extension(P, CAL, case(SEP20, kind="consultation"), 1, OCT3, "supervisor")


def test_extension_beyond_max_days() -> None:
    profile = dataclasses.replace(P, decision=dataclasses.replace(P.decision, max_days=45))
    check_extension(profile, CAL, case(SEP20), 1, OCT3, "supervisor")
    with refused("extension.max_days"):
        check_extension(profile, CAL, case(SEP20, [L1_OCT3]), 2, OCT3, "senior_manager")


def test_pause_checks() -> None:
    inp = case(SEP20)
    check_pause(P, CAL, inp, "appraisal", "某司法鉴定所", OCT3)
    with refused("pause.reason_not_allowed"):
        check_pause(P, CAL, inp, "holiday", "某司法鉴定所", OCT3)
    for party in (None, "", "  "):
        with refused("pause.external_party_required"):
            check_pause(P, CAL, inp, "testing", party, OCT3)
    with refused("pause.already_paused"):
        check_pause(P, CAL, case(SEP20, [ev("pause", at(2024, 10, 1))]), "testing", "检测中心", OCT3)
    with refused("pause.not_running"):
        check_pause(P, CAL, case(SEP20, [ev("withdraw", at(2024, 10, 1))]), "testing", "检测中心", OCT3)
    late = at(2024, 10, 7)
    with refused("pause.after_deadline"):
        check_pause(P, CAL, inp, "evaluation", "评估公司", late)
    with refused("pause.not_applicable"):
        check_pause(P, CAL, case(SEP20, kind="review"), "evaluation", "评估公司", OCT3)


def test_resume_checks() -> None:
    paused = case(SEP20, [ev("pause", at(2024, 10, 1, 9))])
    check_resume(P, CAL, paused, OCT3)
    with refused("pause.not_paused"):
        check_resume(P, CAL, case(SEP20), OCT3)
    with refused("pause.not_paused"):
        check_resume(P, CAL, case(SEP20, kind="suggestion"), OCT3)
    with refused("pause.resume_before_pause"):
        check_resume(P, CAL, paused, at(2024, 10, 1, 8))


# --- properties -------------------------------------------------------------------------------------

RECEIVED = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2024, 10, 31)).map(
    lambda d: d.replace(tzinfo=TZ)
)
KINDS = st.sampled_from(["complaint", "consultation", "suggestion", "other", "review"])
OFFSETS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90))


@st.composite
def events_after(draw: st.DrawFn, received: datetime, kinds: Sequence[str] | None = None) -> list[ClockEvent]:
    kind = st.sampled_from(
        list(kinds)
        if kinds
        else sorted(
            {
                "extension",
                "pause",
                "resume",
                "restart",
                "withdraw",
                "accept",
                "notify_decision",
                "review_decision",
                "close",
            }
        )
    )
    items = draw(st.lists(st.tuples(kind, OFFSETS, st.integers(0, 3)), max_size=8))
    return [ClockEvent(kind=k, at=received + off, level=lv) for k, off, lv in items]


@st.composite
def cases(draw: st.DrawFn, kinds: Sequence[str] | None = None) -> DeadlineInput:
    received = draw(RECEIVED)
    return case(
        received, draw(events_after(received, kinds)), kind=draw(KINDS), forwarded=draw(st.booleans())
    )


def end_of_a_working_day(moment: datetime) -> bool:
    local = moment.astimezone(TZ)
    return local.time() == datetime.min.time() and CAL.is_working_day(local.date() - timedelta(days=1))


@given(cases(), OFFSETS)
def test_deadlines_never_before_receipt_and_legal_end_on_a_working_day(
    inp: DeadlineInput, later: timedelta
) -> None:
    for d in compute_deadlines(P, CAL, inp, inp.received_at + later):
        assert d.due_at > inp.received_at
        assert d.legal_due_at >= d.due_at
        assert end_of_a_working_day(d.legal_due_at)
        assert d.state in {"running", "paused", "met", "breached", "stopped"}
        assert list(d.warn_at) == sorted(set(d.warn_at))
        assert all(d.started_at is not None and d.started_at < w < d.due_at for w in d.warn_at)


@given(
    cases(kinds=["extension", "pause", "resume", "notify_decision", "restart"]), OFFSETS, st.integers(1, 2)
)
def test_an_extension_never_shortens(inp: DeadlineInput, when: timedelta, level: int) -> None:
    extended = dataclasses.replace(inp, events=(*inp.events, ev("extension", inp.received_at + when, level)))
    now = inp.received_at + timedelta(days=200)
    for before, after in zip(compute_deadlines(P, CAL, inp, now), compute_deadlines(P, CAL, extended, now)):
        assert after.due_at >= before.due_at
    if extended.kind_of_case in ("complaint", "other"):
        # Each extension recorded in the history moved the deadline later.
        d = decision(extended, now)
        new_dues = [h.due_at for h in d.history[1:]] + [d.due_at]
        for h, new_due in zip(d.history, new_dues):
            if h.reason.startswith("extension"):
                assert new_due > h.due_at


@given(
    RECEIVED,
    st.lists(st.tuples(OFFSETS, st.integers(0, 2)), max_size=3),
    OFFSETS,
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
)
def test_a_pause_shifts_by_exactly_its_days(
    received: datetime, extensions: list[tuple[timedelta, int]], pause_after: timedelta, length: timedelta
) -> None:
    base = [ev("extension", received + off, level) for off, level in extensions]
    paused_at = received + pause_after
    resumed_at = paused_at + length
    days = (resumed_at.astimezone(TZ).date() - paused_at.astimezone(TZ).date()).days
    without = decision(case(received, base))
    with_pause = decision(
        case(received, [*base, ev("pause", paused_at), ev("resume", resumed_at)]), resumed_at
    )
    assert with_pause.due_at - without.due_at == timedelta(days=days)
    assert with_pause.state != "paused"


@given(cases(), OFFSETS, OFFSETS, OFFSETS)
def test_nothing_changes_after_a_withdrawal(
    inp: DeadlineInput, withdrawn_after: timedelta, later: timedelta, much_later: timedelta
) -> None:
    withdrawn_at = inp.received_at + withdrawn_after
    earlier = [e for e in inp.events if e.at < withdrawn_at]
    stopped = case(inp.received_at, [*earlier, ev("withdraw", withdrawn_at)], inp.kind_of_case)
    noisy = dataclasses.replace(
        stopped, events=(*stopped.events, *(e for e in inp.events if e.at > withdrawn_at))
    )
    now_1 = withdrawn_at + later
    now_2 = now_1 + much_later
    first = compute_deadlines(P, CAL, stopped, now_1)
    assert compute_deadlines(P, CAL, stopped, now_2) == first
    assert compute_deadlines(P, CAL, noisy, now_2) == first
    for d in first:
        # No breach arises after the withdrawal; one that happened before it stays on record.
        if d.state == "breached":
            assert d.due_at < withdrawn_at


@given(RECEIVED, st.booleans())
def test_first_contact_due_is_the_end_of_a_working_day(received: datetime, forwarded: bool) -> None:
    fc = clocks(case(received, forwarded=forwarded))["first_contact"]
    assert end_of_a_working_day(fc.due_at) and fc.legal_due_at == fc.due_at


# --- the moment an action is judged -------------------------------------------------------------------


def test_checks_judge_the_period_as_it_stood_at_the_action() -> None:
    """Received 2025-01-20 (due 02-04 24:00): an L1 on 02-01 is in time whenever it is typed in."""
    received = at(2025, 1, 20)
    check_extension(P, CAL, case(received), 1, at(2025, 2, 1), "supervisor")
    with refused("extension.after_deadline"):
        check_extension(P, CAL, case(received), 1, at(2025, 2, 5, 0, 1), "supervisor")
    # L1 (due 02-19) and L2 (due 03-21): a pause on 03-05 is in time.
    extended = case(received, [ev("extension", at(2025, 2, 1), 1), ev("extension", at(2025, 2, 15), 2)])
    check_pause(P, CAL, extended, "appraisal", "司法鉴定中心", at(2025, 3, 5))
    with refused("pause.after_deadline"):
        check_pause(P, CAL, extended, "appraisal", "司法鉴定中心", at(2025, 3, 22, 0, 1))


@pytest.mark.parametrize(
    ("events", "when", "rule"),
    [
        ((), at(2024, 9, 19), "at.before_receipt"),
        ((ev("pause", at(2024, 10, 1)), ev("resume", at(2024, 10, 2))), at(2024, 9, 30), "at.before_previous_event"),
    ],
)
def test_an_action_cannot_be_slipped_in_before_the_clocks_history(
    events: tuple[ClockEvent, ...], when: datetime, rule: str
) -> None:
    with refused(rule):
        check_extension(P, CAL, case(SEP20, events), 1, when, "supervisor")
    with refused(rule):
        check_moment(case(SEP20, events), when)
    # First contact is not the decision period's: an acceptance on record does not fence it.
    check_moment(case(SEP20, [ev("accept", at(2024, 10, 2))]), at(2024, 9, 30))
