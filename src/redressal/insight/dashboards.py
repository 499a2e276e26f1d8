"""The dashboards' figures (SPEC §12), over the units where the viewer reads cases.

Each function answers one chart with one grouped query over a bounded window (the last weeks or
months, the open cases). The counts come from the roll-ups (``Rollup``, kept in step with the cases
by ``insight.rollups``: a few rows per day and unit, not one per case), so a page costs about the
same at a thousand cases and at a million; the at-risk and overdue counts come from the case table's
deadline indexes, satisfaction from the feedback. Every point carries the case-list filter that
shows its cases (``Point.filters``): the view turns it into the drill-down link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from redressal.cases.models import Case, Feedback
from redressal.cases.selectors_risk import at_risk
from redressal.core.errors import PermissionDenied
from redressal.insight.models import Rollup
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


def _rollups(kind: str, units: list[int], since: date | None = None) -> QuerySet[Rollup]:
    qs = Rollup.objects.filter(kind=kind, unit_id__in=units)
    return qs.filter(day__gte=since) if since is not None else qs


def _window(moment: datetime) -> tuple[date, dict[str, str]]:
    """The first day of the charts' window (the last ``WEEKS`` weeks) and its case-list filter."""
    since = _day(moment) - timedelta(weeks=WEEKS)
    return since, _received(since, _day(moment))


def volume_by_type(units: list[int], moment: datetime) -> Chart:
    """Cases received per week, by request type (complaint, consultation, suggestion, other)."""
    weeks = week_starts(_day(moment))
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for row in _rollups("volume", units, weeks[0]).values("day", "a").annotate(total=Sum("n")).order_by():
        day = row["day"]
        counts[(day - timedelta(days=day.weekday()), row["a"])] += row["total"]
    types = list(Case.RequestType.values)
    points = [
        Point(w.isoformat(), {t: counts[(w, t)] for t in types}, _received(w, w + timedelta(days=6))) for w in weeks
    ]
    return Chart("volume_by_type", "week", types, points)


def _grouped(
    kind: str, column: str, units: list[int], moment: datetime, dimension: str, *, top: int | None = None
) -> Chart:
    since, window = _window(moment)
    rows = (
        _rollups(kind, units, since)
        .exclude(**{column: ""})
        .values(column)
        .annotate(total=Sum("n"))
        .filter(total__gt=0)
        .order_by("-total", column)
    )
    found = list(rows[:top] if top else rows)
    return Chart(
        f"volume_by_{dimension}" if kind != "code" else f"by_{dimension}",
        dimension,
        ["count"],
        [Point(str(r[column]), {"count": r["total"]}, {**window, dimension: str(r[column])}) for r in found],
    )


def volume_by_channel(units: list[int], moment: datetime) -> Chart:
    return _grouped("volume", "b", units, moment, "channel")


def top_products(units: list[int], moment: datetime) -> Chart:
    return _grouped("product", "a", units, moment, "product", top=TOP)


def by_code(units: list[int], moment: datetime, axis: str, *, top: int | None = None) -> Chart:
    """Primary cases received in the window by their confirmed B or C code (as they stand today)."""
    return _grouped("code", "a" if axis == "business" else "b", units, moment, axis, top=top)


def _unit_codes(ids: Iterable[int]) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(pk__in=set(ids)).values_list("pk", "code"))


def volume_by_unit(units: list[int], moment: datetime) -> Chart:
    since, window = _window(moment)
    rows = list(
        _rollups("volume", units, since)
        .values("unit_id")
        .annotate(total=Sum("n"))
        .filter(total__gt=0)
        .order_by("-total", "unit_id")[:20]
    )
    codes = _unit_codes(r["unit_id"] for r in rows)
    return Chart(
        "volume_by_unit",
        "unit",
        ["count"],
        [Point(codes[r["unit_id"]], {"count": r["total"]}, {**window, "unit": codes[r["unit_id"]]}) for r in rows],
    )


def open_by_state(units: list[int], moment: datetime) -> Chart:
    rows = _rollups("open", units).values("a").annotate(total=Sum("n")).filter(total__gt=0).order_by("a")
    return Chart(
        "open_by_state", "status", ["count"], [Point(r["a"], {"count": r["total"]}, {"status": r["a"]}) for r in rows]
    )


def open_by_age(units: list[int], moment: datetime) -> Chart:
    today = _day(moment)
    per_day = _rollups("open", units).values("day").annotate(total=Sum("n")).order_by()
    counts: dict[int, int] = defaultdict(int)
    for row in per_day:
        age = (today - row["day"]).days
        for low, high in AGE_BUCKETS:
            if age >= low and (high is None or age <= high):
                counts[low] += row["total"]
                break
    points = []
    for low, high in AGE_BUCKETS:
        filters = {"received_to": (today - timedelta(days=low)).isoformat()}
        if high is not None:
            filters["received_from"] = (today - timedelta(days=high)).isoformat()
        points.append(Point(f"{low}-{high}" if high is not None else f"{low}+", {"count": counts[low]}, filters))
    return Chart("open_by_age", "age", ["count"], points)


def timeliness(units: list[int], moment: datetime) -> Chart:
    """Per month: cases decided, the share on time, the mean days from receipt to decision."""
    months = month_starts(_day(moment))
    sums: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = _rollups("decided", units, months[0]).values("day").annotate(n_=Sum("n"), x_=Sum("x"), y_=Sum("y"))
    for row in rows.order_by():
        m = row["day"].replace(day=1)
        sums[m][0] += row["n_"]
        sums[m][1] += row["x_"]
        sums[m][2] += row["y_"]
    points = []
    for m in months:
        n, on_time, seconds = sums[m]
        points.append(
            Point(
                m.isoformat()[:7],
                {
                    "decided": n,
                    "on_time_rate": round(on_time / n * 100, 1) if n else None,
                    "handling_days": round(seconds / n / 86400, 1) if n else None,
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
    rows = list(_rollups("volume", units, weeks[0]).values("day", "unit_id").annotate(total=Sum("n")).order_by())
    names = _unit_codes(r["unit_id"] for r in rows)
    counts: dict[tuple[str, date], int] = defaultdict(int)
    for row in rows:
        day = row["day"]
        counts[(names[row["unit_id"]], day - timedelta(days=day.weekday()))] += row["total"]
    totals: dict[str, int] = defaultdict(int)
    for (code, _w), n in counts.items():
        totals[code] += n
    codes = [c for c in sorted(totals, key=lambda c: (-totals[c], c)) if totals[c]][:20]
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
        [
            Point(str(i.pk), {"count": i.n}, {"incident": str(i.pk), "label": i.value, "dimension": i.dimension})
            for i in rows
        ],
    )


def unit_names(codes: list[str], language: str) -> dict[str, str]:
    en = language.startswith("en")
    return {u.code: (u.name_en or u.name) if en else u.name for u in OrgUnit.objects.filter(code__in=codes)}
