"""The demo bank's replayed year gives regulatory reports for its quarters, with their bases, and the
dashboards have history (SPEC §12, §15)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from redressal.audit.models import AuditEvent
from redressal.domain.reporting import Period
from redressal.insight import dashboards
from redressal.insight.models import ReportingBase
from redressal.insight.regulatory import compute, whole_bank
from redressal.org.authz import actor_for
from redressal.org.models import Staff

pytestmark = pytest.mark.django_db


def test_demo_quarters_have_reports_with_bases_and_the_dashboard_history(monkeypatch):
    monkeypatch.setenv("REDRESSAL_DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", "--cases", "60", "--customers", "200", stdout=StringIO(), stderr=StringIO())
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    last_closed = Period(today.year, quarter - 1) if quarter > 1 else Period(today.year - 1, 4)
    report = compute(whole_bank(), last_closed)
    assert report["total"] > 0
    assert report["per_1000_outlets"] is not None and report["per_10m_customers"] is not None
    assert report["bases_missing"] == []
    assert ReportingBase.objects.filter(period=last_closed.label, unit__code="BJ").exists()
    assert AuditEvent.objects.filter(type="insight.base_set").exists()
    units = dashboards.scope(actor_for(Staff.objects.get(username="compliance1")))
    months = dashboards.timeliness(units, timezone.now()).points
    assert sum(1 for p in months if p.values["decided"]) >= 3  # months of history, not one
