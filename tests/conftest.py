"""Shared fixtures: a small bank with one person per role, and the 2024–2026 calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-battery"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


@dataclass
class Bank:
    ho: object
    branch: object
    outlet: object
    tech: object
    people: dict

    def actor(self, name: str):
        from redressal.org.authz import actor_for

        return actor_for(self.people[name])


@pytest.fixture
def calendar(db):
    from redressal.workdays.services import sync_year

    for year in (2023, 2024, 2025, 2026):
        sync_year(year)


@pytest.fixture
def bank(db, calendar) -> Bank:
    from redressal.org.services import create_staff, create_unit

    ho = create_unit("HO", "总行", "head_office")
    branch = create_unit("BJ", "北京分行", "branch", ho)
    outlet = create_unit("BJ01", "北京朝阳支行", "outlet", branch)
    tech = create_unit("TECH", "信息科技部", "department", ho)
    p: dict = {}
    p["senior"] = create_staff("senior1", PASSWORD, ho, ["senior_manager"])
    p["head"] = create_staff("branchhead1", PASSWORD, branch, ["branch_head"], manager=p["senior"])
    p["sup"] = create_staff("supervisor1", PASSWORD, branch, ["supervisor"], manager=p["head"])
    p["handler"] = create_staff("handler1", PASSWORD, branch, ["handler"], manager=p["sup"])
    p["handler2"] = create_staff("handler2", PASSWORD, branch, ["handler"], manager=p["sup"])
    p["teller"] = create_staff("teller1", PASSWORD, outlet, ["agent"], manager=p["sup"])
    p["agent"] = create_staff("agent1", PASSWORD, branch, ["agent"])
    p["compliance"] = create_staff("compliance1", PASSWORD, ho, ["compliance"])
    p["qa"] = create_staff("qa1", PASSWORD, ho, ["qa_inspector"])
    p["auditor"] = create_staff("auditor1", PASSWORD, ho, ["auditor"])
    p["admin"] = create_staff("admin", PASSWORD, ho, ["admin"])
    p["collab"] = create_staff("collab1", PASSWORD, tech, ["collaborator"])
    p["hosup"] = create_staff("hosupervisor", PASSWORD, ho, ["supervisor"], manager=p["senior"])
    return Bank(ho=ho, branch=branch, outlet=outlet, tech=tech, people=p)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The calendar is cached per process; a test's database is rolled back after it, its cache not.
    from redressal.workdays.services import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher; tests create many accounts and need none of its cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def test_90_profile(monkeypatch):
    """A substitute profile, TEST-90: CN-2020-3 but warning at 50 %, 75 %, 90 % and 1 day before due,
    so code that read today's labels ("80%", "2d") literally shows. Returns ``adopt(case, at)``, which
    moves a case to it and recomputes its deadlines and pending warnings as of ``at``."""
    import dataclasses

    from redressal.cases import selectors_risk
    from redressal.cases.models import Case
    from redressal.cases.services import deadlines as deadline_service
    from redressal.domain.profiles import load_profile

    cn = load_profile("CN-2020-3")
    other = dataclasses.replace(
        cn, code="TEST-90", warnings=dataclasses.replace(cn.warnings, fractions=(0.5, 0.75, 0.9), days_before_due=(1,))
    )
    monkeypatch.setattr(selectors_risk, "_profiles", lambda: (cn, other))
    monkeypatch.setattr(deadline_service, "load_profile", lambda code: other if code == other.code else cn)

    def adopt(case, at: datetime):
        Case.objects.filter(pk=case.pk).update(profile_code=other.code)
        case.refresh_from_db()
        deadline_service.recompute_deadlines(case, at)
        case.save(update_fields=["decision_due_at"])
        return case

    return adopt
