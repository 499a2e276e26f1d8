"""The outbox's periodic work (found by redressal.core.apps): every 15 s the worker drains what is due."""

from __future__ import annotations

from redressal.core.scheduler import PeriodicJob, register
from redressal.outbox.tasks import deliver_customer_messages


def enqueue_delivery() -> None:
    # Enqueued, not run: the worker sends, the scheduler only keeps time. Two workers draining at once
    # are safe: each message is claimed by one of them (notify.delivery.claim).
    deliver_customer_messages.enqueue()


register(PeriodicJob("deliver_customer_messages", 15, enqueue_delivery))
