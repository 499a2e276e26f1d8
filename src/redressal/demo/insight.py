"""The demo bank's statistics (SPEC §12, §15). The report and the dashboards need nothing seeded of
their own: their facts and roll-ups come from the replayed year's events — rebuilt once when the
stories are done (``insight.projection.deferred``: one replay of the events costs less than the
``cases.bus`` hook on each of the year's thirty thousand commands, and gives the same rows). Then the
bases of the ratios, the bank's outlets and individual customers per quarter and year, entered by
compliance through ``insight.bases`` as a bank would at each period's close."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from redressal.core.clock import at_time
from redressal.demo.org import DemoOrg
from redressal.domain.reporting import Period
from redressal.insight.bases import set_reporting_base
from redressal.insight.projection import deferred
from redressal.org.models import OrgUnit

SH = ZoneInfo("Asia/Shanghai")
# The bank's individual customers at the start of the demo year, and their growth per quarter: a
# regional bank of about a million and a half retail customers (the demo's customers are only those
# who complained).
CUSTOMERS = 1_480_000
GROWTH = 0.012


def periods(start: datetime, horizon: datetime) -> list[Period]:
    """Every quarter and year the replayed history touches."""
    first, last = start.astimezone(SH).date(), horizon.astimezone(SH).date()
    out: list[Period] = []
    for year in range(first.year, last.year + 1):
        for q in range(1, 5):
            p = Period(year, q)
            if p.end_day() > first and p.first_day() <= last:
                out.append(p)
        out.append(Period(year))
    return out


@contextmanager
def replayed_year(org: DemoOrg, start: datetime, horizon: datetime) -> Iterator[None]:
    """Around the stories: the statistics rebuilt from their events on leaving, and the bases set."""
    with deferred():
        yield
    seed_bases(org, start, horizon)


def seed_bases(org: DemoOrg, start: datetime, horizon: datetime) -> int:
    """Bases for the head office (the bank) and each branch, per period; returns how many were set."""
    compliance = org.actor("compliance1")
    branches = [u for u in org.units.values() if u.kind == OrgUnit.Kind.BRANCH]
    outlets = {
        b.code: sum(1 for u in org.units.values() if u.parent_id == b.pk and u.kind == OrgUnit.Kind.OUTLET)
        for b in branches
    }
    total_outlets = sum(outlets.values())
    count = 0
    for n, period in enumerate(periods(start, horizon)):
        customers = round(CUSTOMERS * (1 + GROWTH) ** n)
        closing = datetime.combine(period.end_day(), time(10), SH) + timedelta(days=3)
        with at_time(min(closing, horizon)):
            set_reporting_base(
                compliance,
                period=period.label,
                unit_code="HO",
                outlets=total_outlets,
                individual_customers=customers,
                reason="季度统计报送",
            )
            for b in branches:
                share = outlets[b.code] / total_outlets if total_outlets else 0
                set_reporting_base(
                    compliance,
                    period=period.label,
                    unit_code=b.code,
                    outlets=outlets[b.code],
                    individual_customers=max(1, round(customers * share)),
                    reason="季度统计报送",
                )
        count += 1 + len(branches)
    return count
