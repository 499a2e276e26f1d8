"""The whole demo seed (SPEC §15): calendar, organisation, customers, a year of cases, due warnings."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from rich import box
from rich.console import Console
from rich.table import Table

from redressal.cases.models import Case, CaseEvent
from redressal.cases.services.warnings import sweep_warnings
from redressal.core.clock import at_time
from redressal.customers.models import Customer
from redressal.demo.cases import Report, World, run_stories
from redressal.demo.conversations import build_conversations
from redressal.demo.customers import build_customers
from redressal.demo.faq import build_faq
from redressal.demo.improvement import build_improvement
from redressal.demo.inbox import read_as_staff_would
from redressal.demo.insight import replayed_year
from redressal.demo.library import LibraryReport, build_library
from redressal.demo.org import DEMO_LOGINS, build_org, staff_count
from redressal.demo.outbox import deliver_year
from redressal.demo.plan import plan_cases
from redressal.demo.quality import QualityReport, build_quality
from redressal.demo.timeline import at_local, local_day
from redressal.demo.typical import TypicalReport, follow_through, replay_typical
from redressal.domain.lifecycle import State
from redressal.domain.roles import Role
from redressal.org.models import OrgUnit, RoleAssignment, Staff
from redressal.triage.services import ensure_default_rules
from redressal.workdays.services import sync_year, work_calendar

# Progress hooks: (phase, total) starts a phase; the returned function advances it.
Phase = Callable[[str, int], Callable[[int], None]]

STATES = tuple(s.value for s in State)


@dataclass
class SeedOptions:
    cases: int = 3000
    customers: int = 5000
    seed: int = 2026
    password: str = ""


@dataclass
class SeedResult:
    years: list[int]
    units: int
    staff: int
    customers: int
    report: Report
    states: dict[str, dict[str, int]] = field(default_factory=dict)
    events: int = 0
    warnings_fired: int = 0
    notifications_read: int = 0
    quality: QualityReport = field(default_factory=QualityReport)
    timings: dict[str, float] = field(default_factory=dict)
    library: LibraryReport = field(default_factory=LibraryReport)
    typical: TypicalReport = field(default_factory=TypicalReport)


def demo_present() -> bool:
    return Staff.objects.exists()


def _no_progress(phase: str, total: int) -> Callable[[int], None]:
    return lambda n: None


def seed(options: SeedOptions, phase: Phase = _no_progress) -> SeedResult:
    """Build the demo on the configured (empty) database. The present is the horizon: nothing is dated after it."""
    horizon = timezone.now() - timedelta(minutes=2)
    start = horizon - timedelta(days=400)
    org_moment = at_local(local_day(start), 9, 0)
    rng = random.Random(options.seed)
    timings: dict[str, float] = {}

    t0 = time.monotonic()
    years = list(range(local_day(start).year, local_day(horizon).year + 2))
    advance = phase("calendar", len(years))
    for year in years:
        sync_year(year)
        advance(1)
    timings["calendar"] = time.monotonic() - t0

    t0 = time.monotonic()
    org = build_org(options.password, org_moment, phase("organisation and staff", staff_count()))
    timings["organisation"] = time.monotonic() - t0

    t0 = time.monotonic()
    customers = build_customers(options.customers, rng, org_moment, phase("customers", options.customers))
    Customer.objects.update(created_at=org_moment)
    timings["customers"] = time.monotonic() - t0

    t0 = time.monotonic()
    calendar = work_calendar()
    specs = plan_cases(options.cases, rng, customers, horizon, calendar)
    world = World(org=org, calendar=calendar, horizon=horizon, report=Report())
    # The regulatory statistics and dashboards are rebuilt from the stories' events when they are done,
    # and the bases of the report's ratios set per replayed quarter (demo.insight).
    with replayed_year(org, start, horizon):
        report = run_stories(world, specs, phase("cases", len(specs)) if specs else None)
        # The library's three typical cases, scripted from registration to the follow-up visit (demo/typical.py).
        typical = replay_typical(world, customers) if specs else TypicalReport()
        timings["cases"] = time.monotonic() - t0
        t0 = time.monotonic()
    timings["statistics"] = time.monotonic() - t0

    # Routing rules come after the stories, which pick their handlers themselves: from now on a case
    # registered in the demo is routed (regulator-forwarded and P1 to head office, the rest by load).
    ensure_default_rules()

    t0 = time.monotonic()
    fired = 0
    if specs:
        # Deliver the warnings that are due by now, as the scheduler would on its first tick.
        advance = phase("deadline warnings", 0)
        with at_time(horizon):
            while True:
                n = sweep_warnings(at=horizon, batch=1000)
                fired += n
                advance(n)
                if n == 0:
                    break
    timings["warnings"] = time.monotonic() - t0

    # The customer messages of the year, delivered to the local sink as the worker would have (SPEC §10).
    t0 = time.monotonic()
    advance = phase("customer messages", 0)
    advance(deliver_year(horizon))
    timings["customer messages"] = time.monotonic() - t0

    # Root-cause issues and accountability findings over the replayed year (溯源整改, 问责).
    t0 = time.monotonic()
    if specs:
        advance = phase("root-cause issues and accountability", 0)
        skip = {t.case_id for t in typical.cases}
        improvement = build_improvement(calendar, horizon, options.seed, skip=skip)
        advance(improvement.issues + improvement.findings)
        # The typical cases' accountability, interface fix, retraining and library write-ups.
        typical = follow_through(org, calendar, horizon, typical)
        advance(len(typical.issues) + len(typical.accountabilities))
    timings["improvement"] = time.monotonic() - t0
    # QA (质检): each ended month sampled, scored, one case calibrated, a few appeals (demo/quality.py).
    t0 = time.monotonic()
    quality = QualityReport()
    if specs:
        quality = build_quality(org, calendar, start, horizon, options.seed, phase("QA inspections", 13))
    timings["quality"] = time.monotonic() - t0

    # Staff have been reading their notifications all year; only the last days' stay unread.
    t0 = time.monotonic()
    advance = phase("notifications read", 0)
    read = read_as_staff_would(horizon, calendar, options.seed)
    advance(read)
    timings["notifications"] = time.monotonic() - t0

    # The case library and training, from the replayed year's closed cases (their own random stream,
    # so the cases above are the same with or without them).
    t0 = time.monotonic()
    library = LibraryReport()
    if specs:
        advance = phase("case library and training", 0)
        library = build_library(org, random.Random(options.seed + 15), horizon)
        advance(library.entries)
    timings["library"] = time.monotonic() - t0

    # A few customers waiting for an answer on WeChat (demo/conversations.py).
    if specs:
        build_conversations(horizon, options.seed)

    # The FAQ knowledge base the assistant answers from, written and published by two people (demo/faq.py).
    t0 = time.monotonic()
    if specs:
        advance = phase("FAQ knowledge base", 0)
        faq = build_faq()
        advance(sum(len(r.rows) for r in faq.values()))
    timings["faq"] = time.monotonic() - t0

    states: dict[str, dict[str, int]] = {}
    for row in Case.objects.values("kind", "status").annotate(n=Count("id")):
        states.setdefault(row["kind"], {})[row["status"]] = row["n"]
    return SeedResult(
        years=years,
        units=OrgUnit.objects.count(),
        staff=Staff.objects.count(),
        customers=Customer.objects.count(),
        report=report,
        states=states,
        events=CaseEvent.objects.count(),
        warnings_fired=fired,
        notifications_read=read,
        quality=quality,
        timings=timings,
        library=library,
        typical=typical,
    )


def login_table() -> str:
    """Logins per role, from the database: the demo login first, then the others with that role."""
    by_role: dict[str, list[tuple[str, str, str]]] = {}
    rows = RoleAssignment.objects.select_related("staff", "unit").order_by("staff__pk")
    for ra in rows:
        by_role.setdefault(ra.role, []).append((ra.staff.username, ra.staff.display_name, ra.unit.name))
    table = Table(box=box.SIMPLE_HEAD, title="Demo logins (one per role; more with the same role under 'also')")
    table.add_column("role")
    table.add_column("login")
    table.add_column("name")
    table.add_column("scope")
    table.add_column("also")
    for role in Role:
        people = by_role.get(role.value)
        if not people:
            continue
        people.sort(key=lambda p: (p[0] not in DEMO_LOGINS, _natural(p[0])))
        username, name, unit = people[0]
        others = ", ".join(p[0] for p in people[1:])
        table.add_row(role.value, username, name, unit, others)
    buffer = io.StringIO()
    Console(file=buffer, width=118, color_system=None, highlight=False).print(table)
    return buffer.getvalue()


def _natural(username: str) -> tuple[str, int]:
    stem = username.rstrip("0123456789")
    digits = username[len(stem) :]
    return stem, int(digits) if digits else 0
