"""Telephony (SPEC §9): the signed CTI webhook that pops the caller's record for the agent who takes the call."""
