"""``redressal seed-demo`` (SPEC §15): a small demo built through the services, every state, sound chains."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from redressal.audit.models import AuditEvent
from redressal.cases.models import Case, CaseEvent, CollaborationTask, Decision, FollowUpVisit
from redressal.cases.services.events import verify_case_chain
from redressal.cases.services.projection import row_problems
from redressal.customers.models import Customer
from redressal.demo.inbox import read_as_staff_would, recent_since
from redressal.domain.lifecycle import FINAL_STATES
from redressal.library.models import Course, Enrolment, LibraryEntry
from redressal.notify.models import StaffNotification
from redressal.org.models import OrgUnit, RoleAssignment, Staff
from redressal.workdays.services import work_calendar
from tests.conftest import local
from tests.triage.conftest import register

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-for-tests"
STATES = {"registered", "accepted", "investigating", "pending_approval", "responded", "closed", "withdrawn",
          "declined", "merged"}
LOGINS = {
    "admin": ("admin", "HO"),
    "agent1": ("agent", "BJ"),
    "handler1": ("handler", "BJ"),
    "handler2": ("handler", "BJ"),
    "supervisor1": ("supervisor", "BJ"),
    "branchhead1": ("branch_head", "BJ"),
    "senior1": ("senior_manager", "HO"),
    "compliance1": ("compliance", "HO"),
    "qa1": ("qa_inspector", "HO"),
    "auditor1": ("auditor", "HO"),
    "collab1": ("collaborator", "TECH"),
}


def seed(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (OrgUnit, Staff, Customer, Case, CaseEvent, AuditEvent))


def test_seed_demo_builds_the_whole_bank_through_the_services(monkeypatch):
    monkeypatch.setenv("REDRESSAL_DEMO_PASSWORD", PASSWORD)
    out, err = seed("--cases", "60", "--customers", "200")
    assert "refused by the rules: 0" in out, err
    assert err == ""

    # Not a terminal: each phase says when it starts, how far it is and when it is done, before the summary.
    progress = out.split("Built ", 1)[0].splitlines()
    for phase in ("calendar", "organisation and staff", "customers: 200", "cases: 60", "deadline warnings",
                  "notifications read", "case library and training"):
        assert any(line.startswith(phase) for line in progress), (phase, progress)
    assert "cases: 30/60" in progress and "cases: 60/60 done in " in out
    _root_cause_issues_and_findings()
    assert progress.index("customers: 200 to do") < progress.index("cases: 60 to do")

    # The organisation: head office, 6 branches with 5 outlets each, 5 departments; staff for every role.
    assert OrgUnit.objects.filter(kind="branch").count() == 6
    assert OrgUnit.objects.filter(kind="outlet", is_outlet=True).count() == 30
    assert set(OrgUnit.objects.filter(kind="department").values_list("code", flat=True)) == {
        "RETAIL", "CARD", "OPS", "TECH", "CP"
    }
    assert 35 <= Staff.objects.count() <= 50
    for username, (role, unit) in LOGINS.items():
        staff = Staff.objects.get(username=username)
        assert staff.check_password(PASSWORD)
        assert staff.unit.code == unit
        assert RoleAssignment.objects.filter(staff=staff, role=role).exists(), username
    managers = dict(Staff.objects.values_list("username", "manager__username"))
    assert managers["handler1"] == managers["handler2"] == "supervisor1"
    assert managers["supervisor1"] == "branchhead1"
    assert managers["branchhead1"] == "senior1"
    assert RoleAssignment.objects.filter(role="supervisor", unit__code="HO").exists()  # reviews (核查)

    # Customers: a share elderly, encrypted personal data with blind indexes.
    assert Customer.objects.count() == 200
    assert any("elderly" in flags for flags in Customer.objects.values_list("vulnerable", flat=True))
    sample = Customer.objects.filter(kind="individual").exclude(language="en").first()
    assert sample is not None and len(sample.id_number) == 18 and sample.phone.startswith("1") and sample.phone_index

    # Every state, channel and request type among the primary cases; the special paths are there.
    primary = Case.objects.filter(kind="primary")
    assert set(primary.values_list("status", flat=True)) == STATES
    assert set(primary.values_list("channel", flat=True)) == set(Case.Channel.values)
    assert set(primary.values_list("request_type", flat=True)) == set(Case.RequestType.values)
    assert primary.filter(source="regulator_forwarded").exclude(regulator_case_number="").exists()
    assert set(primary.values_list("extension_level", flat=True)) >= {0, 1, 2}
    assert Case.objects.filter(kind="review", review_of__isnull=False).exists()
    assert Case.objects.filter(kind="review", review_out_of_time=True).exists()
    event_types = set(CaseEvent.objects.values_list("type", flat=True))
    assert event_types >= {"paused", "resumed", "reopened", "escalated", "review_requested", "withdrawn", "declined",
                           "merged", "solution_approved", "solution_rejected", "task_replied", "visit_recorded",
                           "answered", "extended"}
    assert CollaborationTask.objects.filter(department__code="TECH", replied_by__username="collab1").exists()
    assert FollowUpVisit.objects.filter(status="done").exists()
    assert Decision.objects.filter(on_time=False).exists()
    assert primary.filter(description__regex=r"[A-Za-z]{4,} [A-Za-z]{3,} [A-Za-z]{3,}").exists()  # a few in English

    # History: every chain verifies, nothing is dated in the future, each case's events run forward in time.
    current = timezone.now()
    assert not CaseEvent.objects.filter(recorded_at__gt=current).exists()
    assert not CaseEvent.objects.filter(at__gt=current).exists()
    for case in Case.objects.all():
        assert verify_case_chain(case) is None, case.case_number
        assert row_problems(case, list(case.events.order_by("seq"))) == [], case.case_number
        recorded = list(case.events.order_by("seq").values_list("recorded_at", flat=True))
        assert recorded == sorted(recorded), case.case_number

    # Staff have read their notifications as they came: what is unread is from the last two working
    # days and about a case still open; each read one was read after it arrived and before now.
    notes = StaffNotification.objects.all()
    assert notes.filter(read_at__isnull=False).exists()
    since = recent_since(current - timedelta(minutes=30), work_calendar())  # the seed's "now", or earlier
    assert not notes.filter(read_at__isnull=True, created_at__lt=since).exists()
    assert not notes.filter(read_at__isnull=True, case__status__in=[s.value for s in FINAL_STATES]).exists()
    for created, read in notes.exclude(read_at=None).values_list("created_at", "read_at"):
        assert created <= read <= current

    # The first sweep after the replay tells of where each clock stands: no early or at-risk warning
    # about a due moment already past (that case has its breach), each dated at its own moment.
    warned = notes.filter(kind="deadline_warning")
    assert notes.filter(kind="deadline_breach").exists()
    for created, payload in warned.values_list("created_at", "payload"):
        assert datetime.fromisoformat(payload["due"]) > created
        assert datetime.fromisoformat(payload["due"]) > current - timedelta(minutes=30)
    assert notes.filter(kind__startswith="deadline_").values("created_at").distinct().count() > 1

    # The case library: closed cases written up, published by a second person, nothing personal left;
    # two courses with sessions, enrolments and scores.
    entries = LibraryEntry.objects.exclude(current_version=None)
    assert entries.exists() and "case library:" in out
    for entry in entries.select_related("source_case__customer", "current_version"):
        published = "\n".join(entry.current_version.texts())
        customer = entry.source_case.customer
        for personal in (customer.name, customer.phone, customer.id_number) if customer else ():
            assert not personal or personal not in published, (entry.pk, personal)
        assert entry.current_version.published_by_id not in entry.current_version.author_ids
    assert Course.objects.count() == 3  # two from the year, the teller's retraining (demo/typical.py)
    assert Enrolment.objects.filter(score__isnull=False).exists()
    assert Enrolment.objects.filter(reason_kind="accountability").exists() or not Case.objects.filter(
        respondent_staff__username="teller1", status="closed"
    ).exists()
    # QA (质检): every ended month of the replay sampled through the services, most of it scored.
    from redressal.quality.models import QaInspection, QaSample

    assert QaSample.objects.count() >= 12 and "QA: " in out
    assert QaInspection.objects.exclude(total=None).exists()
    assert AuditEvent.objects.filter(type="qa.sample_drawn").exists()

    # A seeded database is left alone by --if-empty, which prints the logins but no password.
    before = counts()
    out, _ = seed("--if-empty")
    assert "demo data already present" in out
    assert "handler1" in out and PASSWORD not in out
    assert counts() == before

    # Without --if-empty a second seed refuses, changing nothing.
    with pytest.raises(CommandError, match="already has staff"):
        seed("--cases", "1")
    assert counts() == before


def test_cases_zero_builds_org_staff_and_customers_only(monkeypatch):
    monkeypatch.delenv("REDRESSAL_DEMO_PASSWORD", raising=False)
    out, _ = seed("--cases", "0", "--customers", "30")
    assert Case.objects.count() == 0
    assert "customers: 30/30 done in " in out and "cases:" not in out
    assert Customer.objects.count() == 30
    assert Staff.objects.filter(username__in=LOGINS).count() == len(LOGINS)
    # The generated password is printed once, with the logins.
    assert out.count("Password for every demo login: ") == 1
    password = out.split("Password for every demo login: ", 1)[1].split()[0]
    assert Staff.objects.get(username="handler1").check_password(password)


def test_the_last_two_working_days_stay_unread(calendar):
    cal = work_calendar()  # 2023–2026 as published, synced by the fixture
    assert recent_since(local(2024, 9, 10, 10, 0), cal) == local(2024, 9, 9, 0, 0)
    assert recent_since(local(2024, 9, 9, 9, 0), cal) == local(2024, 9, 6, 0, 0)  # Monday: since Friday
    assert recent_since(local(2024, 9, 8, 9, 0), cal) == local(2024, 9, 5, 0, 0)  # Sunday: Thu and Fri
    # After the Mid-Autumn holiday (15–17 Sep 2024) the working Saturday before it (调休) counts.
    assert recent_since(local(2024, 9, 18, 9, 0), cal) == local(2024, 9, 14, 0, 0)


def test_staff_read_old_notifications_and_those_of_finished_cases_the_same_way_each_time(bank):
    horizon = timezone.now()
    calendar = work_calendar()
    since = recent_since(horizon, calendar)
    handler = bank.people["handler"]
    open_case = register(bank, "信用卡年费重复收取")
    closed_case = register(bank, "手机银行转账失败", complainant_name="王五")
    Case.objects.filter(pk=closed_case.pk).update(status="closed")  # test data: a finished case
    StaffNotification.objects.all().delete()  # only the notifications below

    def note(key: str, created, case=None) -> None:
        StaffNotification.objects.create(
            recipient=handler, kind="assignment", case=case, message=key, key=key, created_at=created
        )

    note("months-old", horizon - timedelta(days=90), open_case)
    note("just-before", since - timedelta(minutes=1))
    note("recent-open", since + (horizon - since) / 2, open_case)
    note("recent-closed", horizon - timedelta(minutes=1), closed_case)
    note("now", horizon)

    assert read_as_staff_would(horizon, calendar, seed=7) == 3
    read = dict(StaffNotification.objects.values_list("key", "read_at"))
    assert read["recent-open"] is None and read["now"] is None
    for key in ("months-old", "just-before", "recent-closed"):
        created = StaffNotification.objects.get(key=key).created_at
        assert created <= read[key] <= horizon, key

    # Deterministic: the same seed reads them at the same moments; already read ones are left alone.
    StaffNotification.objects.update(read_at=None)
    assert read_as_staff_would(horizon, calendar, seed=7) == 3
    assert dict(StaffNotification.objects.values_list("key", "read_at")) == read
    assert read_as_staff_would(horizon, calendar, seed=7) == 0


def _root_cause_issues_and_findings() -> None:
    """溯源整改 and 问责 over the replayed year, each built through the services (audited)."""
    from redressal.audit.models import AuditEvent
    from redressal.improvement.models import Accountability, ImprovementAction, RootCauseIssue

    issues = RootCauseIssue.objects.all()
    assert issues.filter(source="criterion").exists()
    assert ImprovementAction.objects.filter(state="done").exclude(evidence_sha256="").exists()
    opened = AuditEvent.objects.filter(type="improvement.issue_opened").count()
    assert opened == issues.count()
    assert AuditEvent.objects.filter(type="accountability.recorded").count() == Accountability.objects.count()
