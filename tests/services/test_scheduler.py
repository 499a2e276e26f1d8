"""The scheduler's job registry: each app registers its own periodic work; the core names none."""

from __future__ import annotations

import pytest
import time_machine

from redressal.core.scheduler import JOBS, PeriodicJob, register, tick
from tests.conftest import local


def test_the_apps_register_their_jobs_with_their_intervals():
    # The slot key is the job's name: these names and intervals are what running schedulers claim.
    assert {name: job.every for name, job in JOBS.items()} == {
        "reap_stale": 300,
        "calendar_check": 6 * 3600,
        "sweep_deadlines": 20,
        "close_unanswered": 600,
        "qa_monthly_sample": 6 * 3600,  # draws last month's QA sample once it is missing (quality.jobs)
        "prune_text_bands": 3600,  # mass-incident band keys no window reaches (triage.jobs)
        "improvement_action_warnings": 3600,  # due and overdue improvement actions (improvement.jobs)
        "deliver_customer_messages": 15,  # the customer outbox (outbox.jobs)
        "poll_mailbox": 20,  # one pass over the complaint mailbox when REDRESSAL_IMAP_URL is set (mailin.jobs)
    }


def test_a_second_job_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="sweep_deadlines"):
        register(PeriodicJob("sweep_deadlines", 20, lambda: None))
    assert JOBS["sweep_deadlines"].every == 20


@pytest.mark.django_db
def test_a_tick_runs_each_job_once_per_slot():
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        assert sorted(tick()) == sorted(JOBS)
        assert tick() == []  # the same slots: another scheduler (or a second tick) enqueues nothing
        t.shift(21)
        assert sorted(tick()) == ["deliver_customer_messages", "poll_mailbox", "sweep_deadlines"]
