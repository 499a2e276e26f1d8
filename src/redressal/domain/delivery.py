"""Rules for delivering customer messages (SPEC §10): retries, the dead-letter limit, quiet hours.

Pure: no Django, no I/O. The notify app's delivery loop asks these functions what to do next.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

# After this many failed rounds (every channel tried and refused) a message is a dead letter and
# waits for a person (the dead-letter page), never retried on its own again.
MAX_ATTEMPTS = 5

# Exponential backoff between rounds: 1, 2, 4, 8 … minutes, capped at an hour, so a gateway that is
# down for a while is not hammered and a short outage still clears within minutes.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)

# No SMS to a customer at night (Beijing time): the CBIRC consumer-protection guidance on marketing and
# service messages (银保监发〔2019〕) and the banks' own practice keep customer texts out of the rest
# hours. A message marked urgent still goes; any other is deferred to the morning, never dropped.
QUIET_START = time(21, 0)
QUIET_END = time(8, 0)

# The kinds of message that may break the quiet hours when the sender marks them urgent.
URGENT_KINDS = frozenset({"decision_notice", "pause_notice", "extension_notice"})


def backoff(attempt: int) -> timedelta:
    """The wait after the ``attempt``-th failed round (1-based)."""
    delay = BACKOFF_BASE * (2 ** max(attempt - 1, 0))
    return min(delay, BACKOFF_CAP)


def is_dead(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


def in_quiet_hours(at: datetime) -> bool:
    local = at.astimezone(BEIJING).time()
    return local >= QUIET_START or local < QUIET_END


def quiet_hours_end(at: datetime) -> datetime:
    """The next morning's end of the quiet hours after ``at`` (an aware datetime, returned in Beijing time)."""
    local = at.astimezone(BEIJING)
    morning = local.replace(hour=QUIET_END.hour, minute=QUIET_END.minute, second=0, microsecond=0)
    if local.time() >= QUIET_END:
        morning += timedelta(days=1)
    return morning


def sms_may_go(at: datetime, *, urgent: bool) -> bool:
    return urgent or not in_quiet_hours(at)


def channel_order(preferred: str, available: set[str]) -> list[str]:
    """The customer's preferred channel first, then the others in a fixed order (email, then SMS):
    the fallback when the preferred one is missing or refuses."""
    order = [preferred] if preferred in available else []
    order += [c for c in ("email", "sms") if c in available and c not in order]
    return order
