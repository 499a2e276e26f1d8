"""The demo's customer messages, delivered as the worker would have delivered them over the year: in
three-hour rounds after they were written, SMS at night held to the morning. Nothing leaves the
machine: demo mode has no SMTP or gateway, so every message goes to the local sink and ``/outbox/``
shows what would have gone out. Deterministic: the rounds follow the messages' own times."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from redressal.notify.delivery import drain
from redressal.notify.models import CustomerMessage
from redressal.outbox.contacts import contacts_for

ROUND = timedelta(hours=3)  # keeps the replay near 20 s at the full seed


def deliver_year(horizon: datetime) -> int:
    """Deliver every message written before ``horizon``; returns how many were sent."""
    written = CustomerMessage.objects.filter(state="pending", created_at__lte=horizon).values_list(
        "created_at", flat=True
    )
    epoch = datetime(2000, 1, 1, tzinfo=horizon.tzinfo)
    rounds = sorted({epoch + ROUND * ((moment - epoch) // ROUND + 1) for moment in written})
    sent = 0
    # One transaction for the replay (the sink sends nothing; a real worker commits per message).
    with transaction.atomic():
        for moment in [*(r for r in rounds if r < horizon), horizon]:
            sent += drain(contacts_for, at=moment, limit=500).sent
    return sent
