"""The dashboards' figures (SPEC §12), over the units where the viewer reads cases.

Each function answers one chart with one grouped query over a bounded window (the last weeks or
months, the open cases), so a page costs the same in a young database and a mature one: the case
table for what the case row holds today (volume, state, age, timeliness), the current reported facts
for the confirmed B and C codes (``ReportedFact`` with ``valid_to`` null), the feedback for
satisfaction. Every point carries the case-list filter that shows its cases (``Point.filters``):
the view turns it into the drill-down link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from redressal.cases.models import Case, Feedback
from redressal.cases.selectors_risk import at_risk
from redressal.core.errors import PermissionDenied
from redressal.insight.models import ReportedFact
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit
from redressal.org.selectors import scope_unit_ids
from redressal.triage.models import MassIncident

PERMISSION = "case.read"
WEEKS = 12
MONTHS = 12
TOP = 10
# The ages of open cases, in days since receipt (the regulation's 15 days, its extensions to 30 and 60).
AGE_BUCKETS = ((0, 7), (8, 15), (16, 30), (31, 60), (61, None))


@dataclass
class Point:
    key: str  # the category's value (a code, a state, a unit code …), labelled by the view
    values: dict[str, float | int | None]  # series → value
    filters: dict[str, str] = field(default_factory=dict)  # the case-list filter of this point


@dataclass
class Chart:
    name: str
    dimension: str  # what ``key`` is: week, month, channel, business, cause, unit, status, age, product, incident
    series: list[str]
    points: list[Point]


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def scope(actor: Actor) -> list[int]:
    if not actor.has(PERMISSION):
        raise PermissionDenied("permission_denied", "missing permission 'case.read'")
    return scope_unit_ids(actor, PERMISSION)


def _day(moment: datetime) -> date:
    return moment.astimezone(tz()).date()


def _start(d: date) -> datetime:
    return datetime.combine(d, time.min, tz())


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    out = []
    y, m = today.year, today.month
    for _ in range(months):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _received(d0: date, d1: date) -> dict[str, str]:
    """The case-list filter for cases received from day ``d0`` to day ``d1`` (both included), closed or not."""
    return {"received_from": d0.isoformat(), "received_to": d1.isoformat(), "include_closed": "1"}


def _decided(d0: date, d1: date) -> dict[str, str]:
    return {"decided_from": d0.isoformat(), "decided_to": d1.isoformat(), "include_closed": "1"}


def _by_day(qs: QuerySet[Case], column: str, *group: str) -> QuerySet[Case, dict[str, Any]]:
    return qs.annotate(day=TruncDate(column, tzinfo=tz())).values("day", *group).annotate(n=Count("id")).order_by()


def volume_by_type(units: list[int], moment: datetime) -> Chart:
    """Cases received per week, by request type (complaint, consultation, suggestion, other)."""
    weeks = week_starts(_day(moment))
    qs = Case.objects.filter(kind=Case.Kind.PRIMARY, unit_id__in=units, received_at__gte=_start(weeks[0]))
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for row in _by_day(qs, "received_at", "request_type"):
        day = row["day"]
        counts[(day - timedelta(days=day.weekday()), row["request_type"])] += row["n"]
    types = list(Case.RequestType.values)
    points = [
        Point(w.isoformat(), {t: counts[(w, t)] for t in types}, _received(w, w + timedelta(days=6))) for w in weeks
    ]
    return Chart("volume_by_type", "week", types, points)


def _grouped(units: list[int], moment: datetime, column: str, dimension: str, *, top: int | None = None) -> Chart:
    since = _start(_day(moment) - timedelta(weeks=WEEKS))
    rows = (
        Case.objects.filter(kind=Case.Kind.PRIMARY, unit_id__in=units, received_at__gte=since)
        .exclude(**{column: ""})
        .values(column)
        .annotate(n=Count("id"))
        .order_by("-n", column)
    )
    rows = rows[:top] if top else rows
    window = _received(_day(since), _day(moment))
    return Chart(
        f"volume_by_{dimension}",
        dimension,
        ["count"],
        [Point(str(r[column]), {"count": r["n"]}, {**window, dimension: str(r[column])}) for r in rows],
    )


def volume_by_channel(units: list[int], moment: datetime) -> Chart:
    return _grouped(units, moment, "channel", "channel")


def top_products(units: list[int], moment: datetime) -> Chart:
    return _grouped(units, moment, "product", "product", top=TOP)


def volume_by_unit(units: list[int], moment: datetime) -> Chart:
    since = _start(_day(moment) - timedelta(weeks=WEEKS))
    rows = (
        Case.objects.filter(kind=Case.Kind.PRIMARY, unit_id__in=units, received_at__gte=since)
        .values("unit__code")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__code")[:20]
    )
    window = _received(_day(since), _day(moment))
    return Chart(
        "volume_by_unit",
        "unit",
        ["count"],
        [Point(r["unit__code"], {"count": r["n"]}, {**window, "unit": r["unit__code"]}) for r in rows],
    )


def by_code(units: list[int], moment: datetime, axis: str, *, top: int | None = None) -> Chart:
    """Complaints received in the window by their confirmed B or C code (the current facts)."""
    since = _start(_day(moment) - timedelta(weeks=WEEKS))
    rows = (
        ReportedFact.objects.filter(
            valid_to__isnull=True, kind=Case.Kind.PRIMARY, unit_id__in=units, received_at__gte=since
        )
        .exclude(**{axis: ""})
        .values(axis)
        .annotate(n=Count("id"))
        .order_by("-n", axis)
    )
    rows = rows[:top] if top else rows
    window = _received(_day(since), _day(moment))
    return Chart(
        f"by_{axis}", axis, ["count"], [Point(r[axis], {"count": r["n"]}, {**window, axis: r[axis]}) for r in rows]
    )


def open_by_state(units: list[int], moment: datetime) -> Chart:
    rows = (
        Case.objects.filter(unit_id__in=units, closed_at__isnull=True)
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    return Chart(
        "open_by_state",
        "status",
        ["count"],
        [Point(r["status"], {"count": r["n"]}, {"status": r["status"]}) for r in rows],
    )


def open_by_age(units: list[int], moment: datetime) -> Chart:
    today = _day(moment)
    aggregates = {}
    for low, high in AGE_BUCKETS:
        cond = Q(received_at__lt=_start(today - timedelta(days=low - 1))) if low else Q()
        if high is not None:
            cond &= Q(received_at__gte=_start(today - timedelta(days=high)))
        aggregates[f"a{low}"] = Count("id", filter=cond)
    counts = Case.objects.filter(unit_id__in=units, closed_at__isnull=True).aggregate(**aggregates)
    points = []
    for low, high in AGE_BUCKETS:
        filters = {"received_to": (today - timedelta(days=low)).isoformat()}
        if high is not None:
            filters["received_from"] = (today - timedelta(days=high)).isoformat()
        points.append(Point(f"{low}-{high}" if high is not None else f"{low}+", {"count": counts[f"a{low}"]}, filters))
    return Chart("open_by_age", "age", ["count"], points)


def timeliness(units: list[int], moment: datetime) -> Chart:
    """Per month: complaints decided, the share on time, the mean days from receipt to decision."""
    months = month_starts(_day(moment))
    qs = ReportedFact.objects.filter(
        valid_to__isnull=True,
        kind=Case.Kind.PRIMARY,
        request_type="complaint",
        unit_id__in=units,
        decided_at__gte=_start(months[0]),
    )
    per_day = (
        qs.annotate(day=TruncDate("decided_at", tzinfo=tz()))
        .values("day")
        .annotate(
            n=Count("id"), on_time=Count("id", filter=Q(on_time=True)), span=Avg(F("decided_at") - F("received_at"))
        )
        .order_by()
    )
    sums: dict[date, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for row in per_day:
        m = row["day"].replace(day=1)
        span = row["span"]
        days = span.total_seconds() / 86400 if isinstance(span, timedelta) else float(span or 0) / 86_400_000_000
        sums[m][0] += row["n"]
        sums[m][1] += row["on_time"]
        sums[m][2] += days * row["n"]
    points = []
    for m in months:
        n, on_time, total_days = sums[m]
        points.append(
            Point(
                m.isoformat()[:7],
                {
                    "decided": int(n),
                    "on_time_rate": round(on_time / n * 100, 1) if n else None,
                    "handling_days": round(total_days / n, 1) if n else None,
                },
                _decided(m, _next_month(m) - timedelta(days=1)),
            )
        )
    return Chart("timeliness", "month", ["decided", "on_time_rate", "handling_days"], points)


def at_risk_and_overdue(units: list[int], moment: datetime) -> Chart:
    open_ = Case.objects.filter(unit_id__in=units, closed_at__isnull=True, decided_at__isnull=True)
    overdue = open_.filter(decision_due_at__lt=moment).count()
    risky = at_risk(Case.objects.filter(unit_id__in=units), moment).count()
    return Chart(
        "at_risk",
        "risk",
        ["count"],
        [Point("at_risk", {"count": risky}, {"at_risk": "1"}), Point("overdue", {"count": overdue}, {"overdue": "1"})],
    )


def satisfaction(units: list[int], moment: datetime) -> Chart:
    """Per month: the complainants' mean satisfaction (1–5) and the share satisfied, from their feedback."""
    months = month_starts(_day(moment))
    rows = (
        Feedback.objects.filter(case__unit_id__in=units, recorded_at__gte=_start(months[0]))
        .annotate(day=TruncDate("recorded_at", tzinfo=tz()))
        .values("day")
        .annotate(
            n=Count("id"),
            scored=Count("csat"),
            csat_sum=Avg("csat"),
            satisfied=Count("id", filter=Q(result__in=["satisfied", "basically_satisfied"])),
        )
        .order_by()
    )
    sums: dict[date, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0])
    for row in rows:
        m = row["day"].replace(day=1)
        sums[m][0] += row["n"]
        sums[m][1] += row["scored"]
        sums[m][2] += float(row["csat_sum"] or 0) * row["scored"]
        sums[m][3] += row["satisfied"]
    points = []
    for m in months:
        n, scored, csat_total, satisfied = sums[m]
        points.append(
            Point(
                m.isoformat()[:7],
                {
                    "csat": round(csat_total / scored, 2) if scored else None,
                    "satisfied_rate": round(satisfied / n * 100, 1) if n else None,
                },
                _decided(m, _next_month(m) - timedelta(days=1)) | {"status": "closed"},
            )
        )
    return Chart("satisfaction", "month", ["csat", "satisfied_rate"], points)


def unit_week_heatmap(units: list[int], moment: datetime) -> tuple[list[str], list[str], list[Point]]:
    """Cases received per unit and week: (week starts, unit codes, one point per non-empty cell)."""
    weeks = week_starts(_day(moment))
    qs = Case.objects.filter(kind=Case.Kind.PRIMARY, unit_id__in=units, received_at__gte=_start(weeks[0]))
    counts: dict[tuple[str, date], int] = defaultdict(int)
    for row in _by_day(qs, "received_at", "unit__code"):
        day = row["day"]
        counts[(row["unit__code"], day - timedelta(days=day.weekday()))] += row["n"]
    codes = sorted({u for u, _w in counts}, key=lambda c: -sum(n for (u, _w), n in counts.items() if u == c))[:20]
    points = [
        Point(
            f"{code}|{w.isoformat()}",
            {"count": counts[(code, w)]},
            {**_received(w, w + timedelta(days=6)), "unit": code},
        )
        for code in codes
        for w in weeks
        if counts[(code, w)]
    ]
    return [w.isoformat() for w in weeks], codes, points


def mass_incidents(units: list[int], moment: datetime) -> Chart:
    since = moment - timedelta(weeks=WEEKS)
    rows = (
        MassIncident.objects.filter(unit_id__in=units)
        .filter(Q(status=MassIncident.Status.OPEN) | Q(detected_at__gte=since))
        .annotate(n=Count("cases"))
        .order_by("-n", "-detected_at")[:TOP]
    )
    return Chart(
        "mass_incidents",
        "incident",
        ["count"],
        [Point(str(i.pk), {"count": i.n}, {"incident": str(i.pk), "label": f"{i.value}"}) for i in rows],
    )


def unit_names(codes: list[str], language: str) -> dict[str, str]:
    en = language.startswith("en")
    return {u.code: (u.name_en or u.name) if en else u.name for u in OrgUnit.objects.filter(code__in=codes)}
