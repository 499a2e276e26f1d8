"""The case app's periodic work, run by ``redressal scheduler`` (found by redressal.core.apps)."""

from __future__ import annotations

from redressal.cases.services.decision import close_unanswered
from redressal.cases.tasks import sweep_deadlines
from redressal.core.clock import now
from redressal.core.scheduler import PeriodicJob, register


def enqueue_deadline_sweep() -> None:
    # Enqueued, not run: the worker delivers the warnings, the scheduler only keeps time.
    sweep_deadlines.enqueue()


def close_unanswered_now() -> None:
    close_unanswered(now())


register(PeriodicJob("sweep_deadlines", 20, enqueue_deadline_sweep))
register(PeriodicJob("close_unanswered", 600, close_unanswered_now))
