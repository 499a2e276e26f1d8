"""The regulatory statistics of a period (SPEC §12), from the reported facts as of the period's end.

:func:`regulatory_report` is the one entry: it checks ``report.regulatory``, scopes every figure to
the units the viewer holds it in, and counts with a handful of grouped queries over ``ReportedFact``
(``domain.reporting`` says what each figure is). :func:`figure_cases` is the drill-down: the cases
behind one figure, by the same conditions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from redressal.cases.models import Case
from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ValidationFailed
from redressal.domain.codes import load_codes
from redressal.domain.errors import DomainError
from redressal.domain.reporting import PER_CUSTOMERS, PER_OUTLETS, Period, change, parse_period, per_base, rate
from redressal.insight.models import ReportedFact, ReportingBase
from redressal.insight.regions import regions_at, units_in_region
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit
from redressal.org.selectors import scope_unit_ids

PERMISSION = "report.regulatory"
COMPLAINT = "complaint"
AXIS_FIELDS = {"A": "channel", "B": "business", "C": "cause"}


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def period_of(text: str) -> Period:
    """The period asked for, or a refusal naming the field ``period``."""
    try:
        return parse_period(text)
    except DomainError as exc:
        raise ValidationFailed(exc.rule, exc.message, field="period") from None


@dataclass(frozen=True)
class Scope:
    """Where the viewer holds the permission: the units' ids and the roots of those subtrees."""

    unit_ids: tuple[int, ...]
    roots: tuple[OrgUnit, ...]


def scope_of(actor: Actor) -> Scope:
    if not actor.has(PERMISSION):
        raise PermissionDenied("permission_denied", "missing permission 'report.regulatory'")
    scopes = actor.scopes(PERMISSION)
    paths = [path for path, _subtree in scopes]
    # A root is a granted unit that no other grant's subtree already covers.
    roots = [p for p in paths if not any(p != q and p.startswith(q) and sub for q, sub in scopes)]
    units = tuple(OrgUnit.objects.filter(path__in=sorted(set(roots))).order_by("path"))
    return Scope(tuple(scope_unit_ids(actor, PERMISSION)), units)


def whole_bank() -> Scope:
    """Every unit (the command line, run by whoever runs the server, reports for the bank)."""
    return Scope(
        tuple(OrgUnit.objects.values_list("pk", flat=True)), tuple(OrgUnit.objects.filter(parent__isnull=True))
    )


def as_of(period: Period, moment: datetime | None = None) -> datetime:
    """The moment a period's figures are taken at: its end, or now while it is still running."""
    _start, end = period.bounds(tz())
    current = moment or now()
    return min(end, current)


def _valid_at(moment: datetime) -> Q:
    return Q(valid_from__lte=moment) & (Q(valid_to__isnull=True) | Q(valid_to__gt=moment))


def facts_at(scope: Scope, moment: datetime) -> QuerySet[ReportedFact]:
    return ReportedFact.objects.filter(_valid_at(moment), unit_id__in=scope.unit_ids)


def complaints(scope: Scope, period: Period, moment: datetime) -> QuerySet[ReportedFact]:
    """The period's complaints: primary complaints received in it, not merged into another case."""
    start, end = period.bounds(tz())
    return facts_at(scope, moment).filter(
        kind=Case.Kind.PRIMARY, request_type=COMPLAINT, merged=False, received_at__gte=start, received_at__lt=end
    )


def decided(scope: Scope, period: Period, moment: datetime) -> QuerySet[ReportedFact]:
    """The complaints decided in the period, whenever received."""
    start, end = period.bounds(tz())
    return facts_at(scope, moment).filter(
        kind=Case.Kind.PRIMARY, request_type=COMPLAINT, merged=False, decided_at__gte=start, decided_at__lt=end
    )


def reviews_received(scope: Scope, period: Period, moment: datetime) -> QuerySet[ReportedFact]:
    start, end = period.bounds(tz())
    return facts_at(scope, moment).filter(kind=Case.Kind.REVIEW, received_at__gte=start, received_at__lt=end)


def reviews_decided(scope: Scope, period: Period, moment: datetime) -> QuerySet[ReportedFact]:
    start, end = period.bounds(tz())
    return facts_at(scope, moment).filter(kind=Case.Kind.REVIEW, decided_at__gte=start, decided_at__lt=end)


@dataclass
class Counts:
    """What the grouped queries return, before shares and labels."""

    total: int = 0
    regulator_forwarded: int = 0
    unconfirmed: int = 0  # without a confirmed B or C code at the moment counted
    by: dict[str, Counter[str]] = field(default_factory=lambda: {a: Counter() for a in AXIS_FIELDS})
    by_unit: Counter[int] = field(default_factory=Counter)
    forwarded_by_unit: Counter[int] = field(default_factory=Counter)


def _counts(scope: Scope, period: Period, moment: datetime) -> Counts:
    out = Counts()
    rows = (
        complaints(scope, period, moment)
        .values("channel", "business", "cause", "unit_id", "source")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        n = row["n"]
        out.total += n
        out.by["A"][row["channel"]] += n
        out.by["B"][row["business"]] += n
        out.by["C"][row["cause"]] += n
        if not row["business"] or not row["cause"]:
            out.unconfirmed += n
        out.by_unit[row["unit_id"]] += n
        if row["source"] == Case.Source.REGULATOR_FORWARDED:
            out.regulator_forwarded += n
            out.forwarded_by_unit[row["unit_id"]] += n
    return out


@dataclass
class Handling:
    decided: int = 0
    on_time: int = 0
    extended_l1: int = 0  # extended at least once (level 1 or beyond)
    extended_l2: int = 0
    paused: int = 0
    decided_by_unit: Counter[int] = field(default_factory=Counter)
    on_time_by_unit: Counter[int] = field(default_factory=Counter)


def _handling(scope: Scope, period: Period, moment: datetime) -> Handling:
    out = Handling()
    rows = (
        decided(scope, period, moment)
        .values("on_time", "extension_level", "was_paused", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        n = row["n"]
        out.decided += n
        out.decided_by_unit[row["unit_id"]] += n
        if row["on_time"]:
            out.on_time += n
            out.on_time_by_unit[row["unit_id"]] += n
        if row["extension_level"] >= 1:
            out.extended_l1 += n
        if row["extension_level"] >= 2:
            out.extended_l2 += n
        if row["was_paused"]:
            out.paused += n
    return out


def _rows(axis: str, counts: Counter[str], previous: Counter[str], total: int) -> list[dict[str, Any]]:
    """One row per code of the axis (majors as subtotals of their children), then the unconfirmed."""
    table = load_codes()
    codes = table.axis(axis)
    parent = {c.code: c.parent for c in codes}

    def rolled(source: Counter[str]) -> Counter[str]:
        out: Counter[str] = Counter()
        for code, n in source.items():
            while code:
                out[code] += n
                code = parent.get(code, "")
        return out

    now_, before = rolled(counts), rolled(previous)
    rows = [
        {
            "code": c.code,
            "label_zh": c.zh,
            "label_en": c.en,
            "level": 2 if c.parent else 1,
            "count": now_[c.code],
            "share": rate(now_[c.code], total),
            "previous": before[c.code],
            "change": change(now_[c.code], before[c.code]),
        }
        for c in codes
    ]
    if counts.get("", 0) or previous.get("", 0):
        rows.append(
            {
                "code": "",
                "label_zh": "未确认分类",
                "label_en": "Not confirmed",
                "level": 1,
                "count": counts[""],
                "share": rate(counts[""], total),
                "previous": previous[""],
                "change": change(counts[""], previous[""]),
            }
        )
    return rows


def bases(scope: Scope, period: Period) -> tuple[int | None, int | None, list[str]]:
    """(outlets, individual customers, the root units without a configured base) for the scope."""
    found = {b.unit_id: b for b in ReportingBase.objects.filter(period=period.label, unit__in=scope.roots)}
    missing = [u.name for u in scope.roots if u.pk not in found]
    if missing or not found:
        return None, None, missing
    return (sum(b.outlets for b in found.values()), sum(b.individual_customers for b in found.values()), [])


def _units(
    counts: Counts, handling: Handling, total: int, at: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ids = set(counts.by_unit) | set(handling.decided_by_unit)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    region = regions_at(units, at)  # as of the period's end: a unit moved since counts where it was
    by_unit = [
        {
            "code": u.code,
            "name": u.name,
            "name_en": u.name_en or u.name,
            "region": region[u.pk],
            "count": counts.by_unit[u.pk],
            "share": rate(counts.by_unit[u.pk], total),
            "regulator_forwarded": counts.forwarded_by_unit[u.pk],
            "decided": handling.decided_by_unit[u.pk],
            "on_time_rate": rate(handling.on_time_by_unit[u.pk], handling.decided_by_unit[u.pk]),
        }
        for u in sorted(units.values(), key=lambda u: u.path)
    ]
    regions: Counter[str] = Counter()
    for u in units.values():
        regions[region[u.pk]] += counts.by_unit[u.pk]
    by_region = [{"region": r, "count": n, "share": rate(n, total)} for r, n in sorted(regions.items()) if n]
    return by_unit, by_region


def intensity_by_unit(scope: Scope, period: Period, counts: Counts) -> list[dict[str, Any]]:
    """The intensity ratios of each unit with configured bases (a branch and its outlets, say): the
    complaints of its subtree per 1,000 of its outlets and per 10 million of its individual customers."""
    configured = ReportingBase.objects.filter(period=period.label, unit_id__in=scope.unit_ids).select_related("unit")
    if not configured:
        return []
    paths = dict(OrgUnit.objects.filter(pk__in=list(counts.by_unit)).values_list("pk", "path"))
    out = []
    for base in sorted(configured, key=lambda b: b.unit.path):
        n = sum(c for pk, c in counts.by_unit.items() if paths.get(pk, "").startswith(base.unit.path))
        out.append(
            {
                "code": base.unit.code,
                "name": base.unit.name,
                "name_en": base.unit.name_en or base.unit.name,
                "count": n,
                "outlets": base.outlets,
                "individual_customers": base.individual_customers,
                "per_1000_outlets": per_base(n, base.outlets, PER_OUTLETS),
                "per_10m_customers": per_base(n, base.individual_customers, PER_CUSTOMERS),
            }
        )
    return out


def unconfirmed_cases(scope: Scope, period: Period, moment: datetime) -> list[dict[str, Any]]:
    """The data-quality warning: the period's complaints whose B or C code was unconfirmed at its end
    (part of the report, so it reproduces too; ``confirmed_since`` says what became of them)."""
    qs = complaints(scope, period, moment).filter(Q(business="") | Q(cause=""))
    rows = qs.values("case_id", "case__case_number", "business", "cause").order_by("received_at", "case_id")[:1000]
    return [
        {
            "case_id": r["case_id"],
            "case_number": r["case__case_number"],
            "missing": [a for a in ("business", "cause") if not r[a]],
        }
        for r in rows
    ]


def confirmed_since(warnings: list[dict[str, Any]]) -> set[int]:
    """Of the warned cases, those whose B and C codes staff have confirmed since (today's state: the
    next report counts them, this one does not change)."""
    cases = Case.objects.filter(pk__in=[w["case_id"] for w in warnings]).only("pk", "classification")
    return {c.pk for c in cases if {"business", "cause"} <= c.confirmed_axes()}


def regulatory_report(actor: Actor, period: Period, *, moment: datetime | None = None) -> dict[str, Any]:
    """The report of ``period`` over the viewer's units, as of the period's end (or now, while open)."""
    scope = scope_of(actor)
    return compute(scope, period, moment=moment)


def compute(scope: Scope, period: Period, *, moment: datetime | None = None) -> dict[str, Any]:
    current = moment or now()
    at = as_of(period, current)
    previous = period.previous()
    counts = _counts(scope, period, at)
    before = _counts(scope, previous, as_of(previous, current))
    handling = _handling(scope, period, at)
    received_reviews = reviews_received(scope, period, at).count()
    outcomes = Counter(dict(reviews_decided(scope, period, at).values_list("outcome").annotate(n=Count("id"))))
    reviews_done = sum(outcomes.values())
    outlets, customers, missing = bases(scope, period)
    by_unit, by_region = _units(counts, handling, counts.total, at)
    start, end = period.bounds(tz())
    unconfirmed = counts.unconfirmed
    return {
        "period": period.label,
        "start": start.date().isoformat(),
        "end": (end.date()).isoformat(),
        "as_of": at.astimezone(tz()).isoformat(),  # the bank's time, as every reader sees it
        "closed": at >= end,
        "previous_period": previous.label,
        "total": counts.total,
        "previous_total": before.total,
        "change": change(counts.total, before.total),
        "regulator_forwarded": counts.regulator_forwarded,
        "regulator_forwarded_share": rate(counts.regulator_forwarded, counts.total),
        "by_channel": _rows("A", counts.by["A"], before.by["A"], counts.total),
        "by_business": _rows("B", counts.by["B"], before.by["B"], counts.total),
        "by_cause": _rows("C", counts.by["C"], before.by["C"], counts.total),
        "by_unit": by_unit,
        "by_region": by_region,
        "intensity_by_unit": intensity_by_unit(scope, period, counts),
        "decided": handling.decided,
        "on_time": handling.on_time,
        "on_time_rate": rate(handling.on_time, handling.decided),
        "extended_l1": handling.extended_l1,
        "extension_l1_rate": rate(handling.extended_l1, handling.decided),
        "extended_l2": handling.extended_l2,
        "extension_l2_rate": rate(handling.extended_l2, handling.decided),
        "paused": handling.paused,
        "pause_rate": rate(handling.paused, handling.decided),
        "reviews": received_reviews,
        "review_rate": rate(received_reviews, handling.decided),
        "reviews_decided": reviews_done,
        "overturned": outcomes.get("revised", 0),
        "overturn_rate": rate(outcomes.get("revised", 0), reviews_done),
        "outlets": outlets,
        "individual_customers": customers,
        "per_1000_outlets": per_base(counts.total, outlets, PER_OUTLETS),
        "per_10m_customers": per_base(counts.total, customers, PER_CUSTOMERS),
        "bases_missing": missing,
        "unconfirmed": unconfirmed,
        "warnings": unconfirmed_cases(scope, period, at) if unconfirmed else [],
    }


# The figures a report cell can drill into, and the cases behind each (``figure_cases``).
FIGURES = (
    "total",
    "regulator_forwarded",
    "channel",
    "business",
    "cause",
    "unit",
    "region",
    "decided",
    "on_time",
    "late",
    "extended_l1",
    "extended_l2",
    "paused",
    "reviews",
    "reviews_decided",
    "overturned",
    "unconfirmed",
)


def figure_facts(
    scope: Scope, period: Period, figure: str, value: str = "", *, moment: datetime | None = None
) -> QuerySet[ReportedFact]:
    """The fact rows behind one figure of the report (same conditions as the counts)."""
    if figure not in FIGURES:
        raise ValidationFailed("invalid_choice", f"unknown figure '{figure}'", field="figure")
    at = as_of(period, moment)
    if figure in ("total", "regulator_forwarded", "channel", "business", "cause", "unit", "region", "unconfirmed"):
        qs = complaints(scope, period, at)
    elif figure in ("reviews",):
        qs = reviews_received(scope, period, at)
    elif figure in ("reviews_decided", "overturned"):
        qs = reviews_decided(scope, period, at)
    else:
        qs = decided(scope, period, at)
    if figure == "regulator_forwarded":
        qs = qs.filter(source=Case.Source.REGULATOR_FORWARDED)
    elif figure in AXIS_FIELDS.values():
        # A major code reaches its children: B08 is B0801, B0802, ...
        qs = qs.filter(**{figure: ""}) if not value else qs.filter(**{f"{figure}__startswith": value})
    elif figure == "unit":
        qs = qs.filter(unit__code=value)
    elif figure == "region":
        qs = qs.filter(unit_id__in=units_in_region(value, at, scope.unit_ids))
    elif figure == "unconfirmed":
        qs = qs.filter(Q(business="") | Q(cause=""))
    elif figure == "on_time":
        qs = qs.filter(on_time=True)
    elif figure == "late":
        qs = qs.exclude(on_time=True)
    elif figure == "extended_l1":
        qs = qs.filter(extension_level__gte=1)
    elif figure == "extended_l2":
        qs = qs.filter(extension_level__gte=2)
    elif figure == "paused":
        qs = qs.filter(was_paused=True)
    elif figure == "overturned":
        qs = qs.filter(outcome="revised")
    return qs


def figure_cases(actor: Actor, period: Period, figure: str, value: str = "") -> QuerySet[Case]:
    """The cases behind one figure, for the viewer (scoped like the report)."""
    scope = scope_of(actor)
    facts = figure_facts(scope, period, figure, value)
    return Case.objects.filter(pk__in=facts.values("case_id")).select_related("unit").order_by("received_at", "pk")


def as_json(value: Any) -> Any:
    """The report with its decimals as numbers (a fraction to four places, a ratio to two)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value
