"""Which channels of receipt (SPEC §3, the A axis) intake knows for certain (SPEC §6: the channel is
classified "where it is not known from intake").

A case registered from the hotline, a counter, WeChat, … records where it arrived: that is a fact, and
the model has nothing to suggest about it. A regulator transfer hides the channel by which the customer
first reached the bank, and "media/other" names none; for those the model suggests and staff confirm.
"""

from __future__ import annotations

CHANNELS_UNKNOWN_AT_INTAKE = frozenset({"regulator", "other"})


def channel_known_at_intake(channel: str) -> bool:
    return bool(channel) and channel not in CHANNELS_UNKNOWN_AT_INTAKE
