"""Triage services (SPEC §6, §7): every change goes through ``cases.services._base.perform`` or the
case services built on it, so each leaves its event."""

from redressal.triage.services.duplicates import find_duplicates
from redressal.triage.services.mass import BulkResult, bulk_respond, detect_for
from redressal.triage.services.routing import auto_escalate, ensure_default_rules
from redressal.triage.services.triage import add_flag, confirm_classification, triage_case

__all__ = [
    "BulkResult",
    "add_flag",
    "auto_escalate",
    "bulk_respond",
    "confirm_classification",
    "detect_for",
    "ensure_default_rules",
    "find_duplicates",
    "triage_case",
]
