"""The deadline sweep in chunks (issue 12): a fixed number of queries per chunk, one transaction per
chunk (a crash leaves nothing half-written), and racing sweeps that still deliver each warning once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from redressal.cases.models import Case, CaseDeadline, DeadlineWarning
from redressal.cases.services import warnings as sweep
from redressal.cases.services.events import verify_case_chain
from redressal.cases.services.warnings import sweep_warnings
from redressal.notify.models import StaffNotification
from redressal.notify.services import StaffNotice, notify_staff, notify_staff_bulk
from tests.conftest import local
from tests.services.test_warnings import accepted_case

pytestmark = pytest.mark.django_db

RECEIVED = local(2024, 9, 20, 12)
HALF_TIME = local(2024, 9, 28, 12)  # past 50 %, before 80 %
BREACHED = local(2024, 10, 6, 0, 0, 30)  # just past the due moment: 80 % and 2d passed over


def cases(bank, n: int) -> list[Case]:
    with time_machine.travel(RECEIVED, tick=False):
        return [accepted_case(bank) for _ in range(n)]


def queries_of_a_sweep(at) -> tuple[int, int]:
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as q:
        handled = sweep_warnings()
    return handled, len(q.captured_queries)


@pytest.fixture
def escalations(monkeypatch) -> list[tuple[int, str]]:
    """The escalations the sweep asks for, recorded instead of run."""
    calls: list[tuple[int, str]] = []
    monkeypatch.setattr(sweep, "_escalate", calls.extend)
    return calls


def test_reminders_cost_the_same_queries_for_two_cases_as_for_five(bank):
    later = cases(bank, 7)[2:]
    DeadlineWarning.objects.filter(case__in=later, label="50%").update(fire_at=local(2024, 9, 29))
    two = queries_of_a_sweep(HALF_TIME)
    five = queries_of_a_sweep(local(2024, 9, 29, 12))  # still before 80 %
    assert (two[0], five[0]) == (2, 5)
    assert two[1] == five[1]
    assert StaffNotification.objects.filter(kind="deadline_warning").count() == 7


def test_a_breach_costs_one_query_more_its_event(bank, escalations):
    first, second = cases(bank, 2), cases(bank, 5)
    later = DeadlineWarning.objects.filter(case__in=second)
    later.update(fire_at=local(2024, 10, 7), due_at=local(2024, 10, 7))
    CaseDeadline.objects.filter(case__in=second, kind="decision").update(due_at=local(2024, 10, 7))
    two = queries_of_a_sweep(BREACHED)
    five = queries_of_a_sweep(local(2024, 10, 7, 0, 0, 30))
    assert (two[0], five[0]) == (2 * 4, 5 * 4)  # 50 %, 80 % and 2d passed over, the breach delivered
    assert five[1] - two[1] == 3
    assert sorted(escalations) == sorted((c.pk, "breach") for c in first + second)
    for case in first + second:
        case.refresh_from_db()
        assert case.events.filter(type="deadline_breached").count() == 1
        assert verify_case_chain(case) is None
    assert set(CaseDeadline.objects.filter(kind="decision").values_list("state", flat=True)) == {"breached"}


def test_two_clocks_breached_in_one_sweep_chain_their_events(bank):
    from tests.services.test_lifecycle import register

    with time_machine.travel(RECEIVED, tick=False):
        case = register(bank)  # never accepted: the first-contact clock runs too
    with time_machine.travel(local(2024, 10, 27, 9), tick=False):
        sweep_warnings()
    case.refresh_from_db()
    breached = case.events.filter(type="deadline_breached").order_by("seq")
    assert sorted(e.payload["kind"] for e in breached) == ["decision", "first_contact"]
    assert verify_case_chain(case) is None
    assert set(case.deadlines.values_list("state", flat=True)) == {"breached"}


def test_the_first_at_risk_warning_of_each_case_escalates_and_a_later_one_does_not(bank, escalations):
    (early,) = cases(bank, 1)
    with time_machine.travel(local(2024, 9, 23, 12), tick=False):  # three days later
        late = accepted_case(bank)
    moments = {
        case.pk: dict(case.warnings.filter(deadline_kind="decision").values_list("label", "fire_at"))
        for case in (early, late)
    }
    first = moments[early.pk]["80%"] + timedelta(minutes=1)
    assert moments[late.pk]["50%"] < first < moments[late.pk]["80%"]
    with time_machine.travel(first, tick=False):
        assert sweep_warnings() == 3  # early's 50 % passed over, its 80 %; late's 50 %
    assert escalations == [(early.pk, "warning_80")]
    # One chunk: early's 2d (at risk again, but not the first of its due moment) and late's 80 %.
    second = max(moments[early.pk]["2d"], moments[late.pk]["80%"]) + timedelta(minutes=1)
    assert second < min(moments[early.pk]["breach"], moments[late.pk]["2d"])
    with time_machine.travel(second, tick=False):
        assert sweep_warnings() == 2
    assert escalations == [(early.pk, "warning_80"), (late.pk, "warning_80")]


def test_a_crash_in_a_chunk_leaves_nothing_of_it_written(bank, monkeypatch):
    (case,) = cases(bank, 1)

    def crash(notices):
        list(notices)
        raise RuntimeError("crash after the claims and the event")

    monkeypatch.setattr(sweep, "notify_staff_bulk", crash)
    with time_machine.travel(BREACHED, tick=False), pytest.raises(RuntimeError):
        sweep_warnings()
    assert not DeadlineWarning.objects.filter(case=case, deadline_kind="decision", fired_at__isnull=False).exists()
    assert not DeadlineWarning.objects.filter(skipped=True).exists()
    assert not case.events.filter(type="deadline_breached").exists()
    assert CaseDeadline.objects.get(case=case, kind="decision").state == "running"
    case.refresh_from_db()
    assert verify_case_chain(case) is None

    monkeypatch.undo()
    with time_machine.travel(BREACHED, tick=False):
        assert sweep_warnings() == 4
    assert case.events.filter(type="deadline_breached").count() == 1
    assert StaffNotification.objects.filter(case=case, kind="deadline_breach").count() == 3


def test_chunks_commit_one_by_one(bank, monkeypatch):
    both = {case.pk for case in cases(bank, 2)}
    monkeypatch.setattr(sweep, "CHUNK", 1)
    real = sweep.notify_staff_bulk
    calls = []

    def second_chunk_crashes(notices):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("crash in the second chunk")
        real(notices)

    monkeypatch.setattr(sweep, "notify_staff_bulk", second_chunk_crashes)
    with time_machine.travel(HALF_TIME, tick=False), pytest.raises(RuntimeError):
        sweep_warnings()
    told = set(StaffNotification.objects.filter(kind="deadline_warning").values_list("case", flat=True))
    half = DeadlineWarning.objects.filter(label="50%", deadline_kind="decision")
    pending = set(half.filter(fired_at__isnull=True).values_list("case", flat=True))
    assert len(told) == len(pending) == 1 and told | pending == both


def test_notify_staff_bulk_writes_one_row_per_key(bank):
    handler, sup = bank.people["handler"].pk, bank.people["sup"].pk
    notify_staff([handler], "deadline_warning", "earlier", key="k1")
    notify_staff_bulk(
        [
            StaffNotice([handler, sup, handler], "deadline_warning", "again", key="k1"),
            StaffNotice([sup], "deadline_warning", "twice in one call", key="k2"),
            StaffNotice([sup], "deadline_warning", "twice in one call", key="k2"),
            StaffNotice([sup], "note", "unkeyed"),
            StaffNotice([sup], "note", "unkeyed"),
        ]
    )
    rows = StaffNotification.objects.order_by("pk")
    assert sorted(k for k in rows.values_list("key", flat=True) if k) == sorted(
        [f"k1:{handler}", f"k1:{sup}", f"k2:{sup}"]
    )
    assert rows.get(key=f"k1:{handler}").message == "earlier"
    assert rows.filter(key=None).count() == 2


@pytest.mark.django_db(transaction=True)
def test_racing_sweeps_deliver_each_warning_once(bank, monkeypatch):
    # Committed data and one connection per thread: the sweeps really overlap on PostgreSQL (row
    # locks), and queue on SQLite (BEGIN IMMEDIATE).
    monkeypatch.setattr(sweep, "CHUNK", 3)
    racing = cases(bank, 4)
    gate = threading.Barrier(3)

    def run() -> int:
        try:
            gate.wait(timeout=30)
            return sweep_warnings(at=BREACHED)
        finally:
            connection.close()

    with time_machine.travel(BREACHED, tick=False), ThreadPoolExecutor(max_workers=3) as pool:
        handled = list(pool.map(lambda _: run(), range(3)))
    assert sum(handled) == 4 * 4
    for case in racing:
        case.refresh_from_db()
        assert case.events.filter(type="deadline_breached").count() == 1
        assert verify_case_chain(case) is None
    assert not DeadlineWarning.objects.filter(deadline_kind="decision", fired_at__isnull=True).exists()
    assert StaffNotification.objects.filter(kind="deadline_breach").count() == 4 * 3


@pytest.mark.django_db(transaction=True)
def test_a_sweep_waits_for_an_action_re_arming_the_case_rather_than_deadlock(bank):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite runs one writer at a time")
    from redressal.cases.services._base import lock_case
    from redressal.cases.services.deadlines import recompute_deadlines

    (case,) = cases(bank, 1)
    locked, go_on = threading.Event(), threading.Event()

    def action() -> None:  # what a handler's action does: lock the case, then re-arm its warnings
        try:
            with transaction.atomic():
                locked_case = lock_case(case.pk)
                locked.set()
                assert go_on.wait(timeout=30)
                recompute_deadlines(locked_case, HALF_TIME)
        finally:
            connection.close()

    def run_sweep() -> int:
        try:
            assert locked.wait(timeout=30)
            return sweep_warnings(at=HALF_TIME)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        acting, sweeping = pool.submit(action), pool.submit(run_sweep)
        with connection.cursor() as cursor:
            for _ in range(300):  # until the sweep waits for the action's lock
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.1)
        go_on.set()
        acting.result(timeout=60)
        handled = sweeping.result(timeout=60)
    assert handled == 0  # the warning it read was re-armed before it could claim it
    with time_machine.travel(HALF_TIME, tick=False):
        assert sweep_warnings() == 1  # the re-armed one
    assert StaffNotification.objects.filter(case=case, kind="deadline_warning").count() == 1
