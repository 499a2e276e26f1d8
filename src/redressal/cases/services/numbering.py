"""Case numbers ``TS{yyyymmdd}{unit code}{seq}`` (SPEC §3): unique and never reused."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from redressal.cases.models import CaseNumberSequence


def next_case_number(unit_code: str, registered_at: datetime, tz: str, prefix: str = "TS") -> str:
    day = registered_at.astimezone(ZoneInfo(tz)).strftime("%Y%m%d")
    seq, _ = CaseNumberSequence.objects.select_for_update().get_or_create(day=day, unit_code=unit_code)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{prefix}{day}{unit_code}{seq.last:04d}"
