"""The regulatory report equals a brute-force recount over the raw CaseEvent rows, and a closed quarter
gives the same report when run again after later changes (SPEC §12: figures reproduce exactly)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine

from redressal.cases.models import Case, CaseEvent
from redressal.domain.reporting import Period, a_code
from redressal.insight.models import ReportedFact
from redressal.insight.projection import rebuild
from redressal.insight.regulatory import compute, scope_of, tz
from redressal.triage.services import confirm_classification
from tests.conftest import local
from tests.insight.generated import generate

pytestmark = pytest.mark.django_db

QUARTERS = [Period(2026, 1), Period(2026, 2), Period(2026, 3)]


def _after(change):
    return change.get("after") if isinstance(change, dict) else None


def recount(period: Period, moment: datetime) -> dict:
    """Every figure counted afresh from each case's events recorded by ``moment``."""
    start, end = period.bounds(tz())
    out = Counter()
    by = {"A": Counter(), "B": Counter(), "C": Counter()}
    numbers = dict(Case.objects.values_list("case_number", "kind"))
    for case in Case.objects.order_by("pk"):
        events = [e for e in CaseEvent.objects.filter(case=case).order_by("seq") if e.recorded_at <= moment]
        if not events:
            continue
        first = events[0]
        assert first.type == "registered"
        request_type = first.payload.get("request_type", case.request_type)
        channel = first.payload.get("channel", case.channel)
        kind = "review" if "review_of" in first.payload else "primary"
        assert numbers[case.case_number] == kind
        business = cause = confirmed_channel = ""
        decided_at = on_time = None
        extension = 0
        paused = merged = False
        outcome = ""
        for e in events:
            changes = e.payload.get("changes") or {}
            if "decided_at" in changes:
                decided_at = _after(changes["decided_at"])
            extension = max(extension, _after(changes.get("extension_level")) or 0)
            paused = paused or bool(_after(changes.get("paused")))
            if "merged_into_id" in changes:
                merged = _after(changes["merged_into_id"]) is not None
            if "outcome" in changes:
                outcome = _after(changes["outcome"]) or ""
            if e.type == "classification_confirmed":
                code = e.payload["after"]["code"]
                axis = e.payload["axis"]
                if axis == "business":
                    business = code
                elif axis == "cause":
                    cause = code
                elif axis == "channel":
                    confirmed_channel = code
                elif axis == "request_type":
                    request_type = code
            if e.type == "responded":
                on_time = e.payload["on_time"]
        decided = datetime.fromisoformat(decided_at) if decided_at else None
        if kind == "review":
            if start <= first.at < end:
                out["reviews"] += 1
            if decided and start <= decided < end:
                out["reviews_decided"] += 1
                out["overturned"] += outcome == "revised"
            continue
        if request_type != "complaint" or merged:
            continue
        if start <= first.at < end:
            out["total"] += 1
            out["regulator_forwarded"] += case.source == "regulator_forwarded"
            out["unconfirmed"] += not business or not cause
            by["A"][a_code(channel, confirmed_channel)] += 1
            by["B"][business] += 1
            by["C"][cause] += 1
        if decided and start <= decided < end:
            out["decided"] += 1
            out["on_time"] += bool(on_time)
            out["extended_l1"] += extension >= 1
            out["extended_l2"] += extension >= 2
            out["paused"] += paused
    return {"figures": out, "by": by}


def reported(report: dict) -> dict:
    keys = (
        "total",
        "regulator_forwarded",
        "unconfirmed",
        "reviews",
        "reviews_decided",
        "overturned",
        "decided",
        "on_time",
        "extended_l1",
        "extended_l2",
        "paused",
    )
    by = {}
    for axis, name in (("A", "by_channel"), ("B", "by_business"), ("C", "by_cause")):
        # The leaves (and the unconfirmed row): majors are their subtotals.
        parents = {r["code"][:3] for r in report[name] if len(r["code"]) > 3}
        by[axis] = Counter({r["code"]: r["count"] for r in report[name] if r["count"] and r["code"] not in parents})
    return {"figures": Counter({k: report[k] for k in keys if report[k]}), "by": by}


@pytest.fixture
def histories(bank):
    return generate(bank)


def test_each_quarter_equals_a_recount_over_the_events(bank, histories):
    scope = scope_of(bank.actor("compliance"))
    later = local(2026, 11, 30, 12)
    seen = Counter()
    for period in QUARTERS:
        report = compute(scope, period, moment=later)
        end = period.bounds(tz())[1]
        expected = recount(period, end)
        assert reported(report) == {"figures": +expected["figures"], "by": {a: +c for a, c in expected["by"].items()}}
        seen.update(expected["figures"])
        # Quarter on quarter: the previous quarter as filed (as of its own end).
        previous = recount(period.previous(), period.previous().bounds(tz())[1])
        assert report["previous_total"] == previous["figures"]["total"]
    # The generated histories reach every kind of figure (else the comparison proves little).
    for figure in (
        "total",
        "regulator_forwarded",
        "decided",
        "on_time",
        "extended_l1",
        "extended_l2",
        "paused",
        "reviews",
        "overturned",
    ):
        assert seen[figure] > 0, figure
    # Codes corrected after their quarter closed: the report differs from today's codes.
    corrected = CaseEvent.objects.filter(
        type="classification_confirmed", payload__axis="business", payload__before__isnull=False
    ).exclude(payload__before=None)
    assert corrected.exists()


def test_a_closed_quarter_reproduces_after_later_changes_and_after_a_rebuild(bank, histories):
    scope = scope_of(bank.actor("compliance"))
    first = compute(scope, QUARTERS[0], moment=local(2026, 11, 1, 12))
    # Later: every Q1 complaint's codes corrected, as a clean-up in November would.
    q1 = [c for c in histories if local(2026, 1, 1) <= c.received_at < local(2026, 4, 1)]
    with time_machine.travel(local(2026, 11, 20, 10), tick=False) as t:
        for case in q1:
            t.shift(timedelta(minutes=5))
            confirm_classification(case.pk, actor=bank.actor("handler"), axis="business", code="B99")
            confirm_classification(case.pk, actor=bank.actor("handler"), axis="cause", code="C99")
    again = compute(scope, QUARTERS[0], moment=local(2026, 11, 30, 12))
    assert again == first
    # ... while the facts valid today did change.
    current = ReportedFact.objects.filter(case__in=q1, valid_to__isnull=True)
    assert set(current.values_list("business", flat=True)) == {"B99"}
    # The projection rebuilt from the events gives the same reports.
    live = [compute(scope, p, moment=local(2026, 11, 30, 12)) for p in QUARTERS]
    assert rebuild() > 0
    assert [compute(scope, p, moment=local(2026, 11, 30, 12)) for p in QUARTERS] == live
