"""Mass incidents (SPEC §6): detection after each registration, the incident record, the alert, the
flag on each linked case, and one decision text for all of them.

Detection runs right after registration rather than from the scheduler: a spike is news the
supervisor needs within minutes. In ordinary traffic each dimension (product, cause, channel) costs
one indexed count over a few hours of cases — the full detector and the baseline run only when that
count already reaches ``min_cases``. The text check runs once the window holds ``text_min_customers``
cases, which in a bank's daytime traffic is nearly always: it compares the new text with at most
``TEXT_WINDOW_LIMIT`` recent ones, directly, since one query does not repay building an index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q

from redressal.cases.models import Case
from redressal.cases.services.decision import Notice, respond_to_case
from redressal.core.clock import now
from redressal.core.errors import ServiceError
from redressal.domain.lifecycle import OPEN_STATES
from redressal.domain.mass_incident import Item, Spike, detect, expected_per_window, is_spike
from redressal.domain.triage import load_config
from redressal.domain.triage.config import MassIncidentRule
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff
from redressal.triage import classifier
from redressal.triage.models import MassIncident, MassIncidentCase, TextBand, TriageRecord
from redressal.triage.services.triage import add_flag

OPEN = [s.value for s in OPEN_STATES]
# Candidates read per LSH band key for the text check (``_band_neighbours``).
PER_BAND = 16


# Stands for the case being registered while its spikes are found, before it has an id.
NEW = 0


@dataclass(frozen=True)
class Arrival:
    """What detection reads of one case: its triage record's dimensions, when it came and its text."""

    case_id: int
    customer_key: str
    received_at: datetime
    dims: dict[str, str]
    description: str
    bands: tuple[int, ...] = ()


def detect_for(case_id: int) -> list[MassIncident]:
    """Detect and record the spikes a triaged case is part of (a replay or a check after the fact;
    a registration finds them before its lock with ``find_spikes`` and records them with
    ``record_spikes``)."""
    record = TriageRecord.objects.filter(case_id=case_id).first()
    if record is None:
        return []
    rule = load_config().mass_incident
    text = Case.objects.values_list("description", flat=True).get(pk=case_id)
    arrival = Arrival(
        case_id,
        record.customer_key,
        record.received_at,
        {dim: getattr(record, dim, "") for dim in rule.dimensions},
        text,
        classifier.text_bands(text),
    )
    incidents, mine = record_spikes(find_spikes(arrival, counted=True), case_id)
    for incident, spike in mine:
        add_flag(case_id, **flag_of(incident, spike))
    return incidents


def find_spikes(arrival: Arrival, *, counted: bool) -> list[Spike]:
    """The spikes ``arrival`` belongs to. Reads only. ``counted``: whether its triage record is already
    in the table (False at registration, where it is added to each count and window by hand)."""
    rule = load_config().mass_incident
    end = arrival.received_at
    start = end - timedelta(hours=rule.window_hours)
    extra = 0 if counted else 1
    me = Item(arrival.case_id, arrival.customer_key or f"case:{arrival.case_id}", end, {})
    # Arrivals, whatever has happened to them since: a spike is in the rate cases came in, and a case
    # answered quickly (or a demo replayed one story at a time) still belongs to the incident.
    window = TriageRecord.objects.filter(received_at__gt=start, received_at__lte=end)
    values = {dim: arrival.dims.get(dim, "") for dim in rule.dimensions if arrival.dims.get(dim, "")}
    ongoing = (
        {i.key: i for i in MassIncident.objects.filter(status="open", key__in=[f"{d}:{v}" for d, v in values.items()])}
        if values
        else {}
    )
    needs = {
        dim: max(rule.min_cases, math.ceil(rule.factor * i.expected))
        if (i := ongoing.get(f"{dim}:{v}"))
        else rule.min_cases
        for dim, v in values.items()
    }
    counts = _threshold_counts(values, needs, arrival.customer_key, start, end, rule)
    spikes: list[Spike] = []
    for dim, value in values.items():
        incident = ongoing.get(f"{dim}:{value}")
        if incident is not None:
            if counts[dim].spike(extra, incident.expected, rule):
                spikes.append(_joining(incident, dim, value, arrival.case_id if counted else NEW, arrival.customer_key))
            continue
        if not counts[dim].spike(extra, 0.0, rule):
            continue  # too few cases or complainants, whatever the baseline: a few index rows read
        same = window.filter(**{dim: value})
        before = TriageRecord.objects.filter(
            received_at__gt=start - timedelta(days=rule.baseline_days), received_at__lte=start, **{dim: value}
        ).count()
        expected = expected_per_window(before, rule)
        need = math.ceil(rule.factor * expected)
        if need > needs[dim] and same.order_by().values("pk")[: need - extra].count() + extra < need:
            continue  # this value's ordinary rate
        items = [
            Item(cid, key or f"case:{cid}", at, {dim: value})
            for cid, key, at in same.values_list("case_id", "customer_key", "received_at")
        ]
        if not counted:
            items.append(replace(me, dims={dim: value}))
        spikes += detect(items, {(dim, value): before}, _only(rule, dim))
    if arrival.bands and counts[WINDOW].count + extra >= rule.text_min_customers:
        spikes += _text_spikes(arrival, me, start, end, rule)
    return spikes


# The key of the whole window's count in ``_threshold_counts``.
WINDOW = ""
# The triage record's columns by field name: a dimension of the rule must be one of them.
_COLUMNS: dict[str, str] = {f.name: f.column for f in TriageRecord._meta.concrete_fields if f.column}


@dataclass(frozen=True)
class Counted:
    """A value's cases and complainants in the window, each counted only as far as a threshold."""

    count: int
    keyed: int = 0
    unkeyed: int = 0
    mine: bool = False

    def spike(self, extra: int, expected: float, rule: MassIncidentRule) -> bool:
        """``is_spike`` with the arrival (``extra``) added; a complainant without a key counts as one
        of their own, and one already counted is not counted twice."""
        newcomer = 0 if self.mine else extra
        customers = self.keyed + self.unkeyed + newcomer
        return is_spike(self.count + extra, customers, expected, rule)


def _threshold_counts(
    values: dict[str, str],
    needs: dict[str, int],
    customer_key: str,
    start: datetime,
    end: datetime,
    rule: MassIncidentRule,
) -> dict[str, Counted]:
    """For each dimension's value: its cases in the window up to ``needs[dim]``, its distinct keyed and
    its unkeyed complainants up to ``min_customers``, and whether this complainant is among them; and
    the whole window's cases up to ``text_min_customers``. One statement of bounded subqueries, each a
    range of a (value, received_at, customer) index: a case arriving in an outage of thousands reads a
    few index rows per dimension instead of counting the outage."""
    table = connection.ops.quote_name(TriageRecord._meta.db_table)
    at = [connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)]
    span = "received_at > %s AND received_at <= %s"
    parts = [_bounded("1", table, span, "w")]
    params: list[Any] = [*at, rule.text_min_customers]
    for n, (dim, value) in enumerate(values.items()):
        where = connection.ops.quote_name(_COLUMNS[dim]) + " = %s AND " + span
        parts += [
            _bounded("1", table, where, f"n{n}"),
            _bounded("DISTINCT customer_key", table, where + " AND customer_key <> ''", f"k{n}"),
            _bounded("1", table, where + " AND customer_key = ''", f"u{n}"),
            _bounded("1", table, where + " AND customer_key = %s", f"m{n}"),
        ]
        params += [value, *at, needs[dim], value, *at, rule.min_customers, value, *at, rule.min_customers]
        params += [value, *at, customer_key or None, 1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    out = {WINDOW: Counted(row[0])}
    for n, dim in enumerate(values):
        count, keyed, unkeyed, mine = row[1 + 4 * n : 5 + 4 * n]
        out[dim] = Counted(count, keyed, unkeyed, bool(mine))
    return out


def _bounded(select: str, table: str, where: str, alias: str) -> str:
    """A count that stops at its LIMIT (a parameter). Raw SQL because the ORM cannot count a sliced
    DISTINCT inside another statement; only names from the model are formatted in, values are
    parameters."""
    return f"(SELECT COUNT(*) FROM (SELECT {select} FROM {table} WHERE {where} LIMIT %s) AS {alias})"  # noqa: S608


def _joining(incident: MassIncident, dim: str, value: str, case_id: int, customer_key: str) -> Spike:
    """The spike of an incident still open: its cases are linked already, so the spike names only this
    one; its figures are the incident's with this case added."""
    linked = TriageRecord.objects.filter(case__mass_incidents=incident).exclude(case_id=case_id)
    measures = {
        "n": Count("pk"),
        "keyed": Count("customer_key", distinct=True, filter=~Q(customer_key="")),
        "unkeyed": Count("pk", filter=Q(customer_key="")),
    }
    if customer_key:
        measures["mine"] = Count("pk", filter=Q(customer_key=customer_key))
    counts = linked.aggregate(**measures)
    newcomer = 0 if counts.get("mine") else 1
    customers = counts["keyed"] + counts["unkeyed"] + newcomer
    return Spike(dim, value, (case_id,), customers, counts["n"] + 1, incident.expected)


def record_spikes(spikes: list[Spike], case_id: int) -> tuple[list[MassIncident], list[tuple[MassIncident, Spike]]]:
    """Record each spike (``NEW`` standing for ``case_id``): the incidents, and those that linked
    ``case_id`` a moment ago with their spike, so the caller flags it (the other newly linked cases
    are flagged here, each by its own command)."""
    incidents: dict[int, MassIncident] = {}
    mine: list[tuple[MassIncident, Spike]] = []
    for s in spikes:
        s = replace(s, case_ids=tuple(case_id if c == NEW else c for c in s.case_ids))
        incident, new = _record_spike(s)
        incidents[incident.pk] = incident
        for cid in new:
            if cid == case_id:
                mine.append((incident, s))
            else:
                add_flag(cid, **flag_of(incident, s))
    return list(incidents.values()), mine


def flag_of(incident: MassIncident, spike: Spike) -> dict[str, Any]:
    return {
        "code": "mass_incident",
        "evidence": [f"MI-{incident.pk}", spike.key],
        "reason": f"群体性事件 MI-{incident.pk}（{spike.key}，{spike.customers} 位客户）",
    }


def _only(rule: MassIncidentRule, dim: str) -> MassIncidentRule:
    return replace(rule, dimensions=(dim,))


def _text_spikes(arrival: Arrival, me: Item, start: datetime, end: datetime, rule: MassIncidentRule) -> list[Spike]:
    """Cases in the window whose text is close to this one's, from different customers: the candidates
    share an LSH band with it (the latest few per band, from the stored index), the score is exact."""
    mine = classifier.shingles(arrival.description)
    if not mine:  # nothing to compare: never a duplicate of anything
        return []
    ids = _band_neighbours(arrival.bands, start, end, exclude=arrival.case_id)
    rows = (
        TriageRecord.objects.filter(case_id__in=ids).values_list(
            "case_id", "customer_key", "received_at", "case__description"
        )
        if ids
        else []
    )
    items = [
        Item(cid, key or f"case:{cid}", at, {})
        for cid, key, at, text in rows
        if classifier.jaccard(mine, classifier.shingles(text)) >= rule.text_similarity_min
    ]
    if not items:
        return []
    items.append(me)
    cluster = tuple(sorted(i.case_id for i in items))
    return detect(items, {}, rule, text_clusters=[cluster])


def _band_neighbours(bands: tuple[int, ...], start: datetime, end: datetime, *, exclude: int) -> list[int]:
    """The cases of the window sharing a band key with ``bands``: the latest ``PER_BAND`` of each key,
    one indexed range read per key in one statement. During an outage every band of a new complaint
    matches hundreds of cases; the latest few are enough to find the cluster, or the open incident
    they are linked to."""
    # Raw SQL because the ORM cannot put a LIMIT inside a UNION on SQLite; only the table name and a
    # constant are formatted in, every value is a parameter.
    table = connection.ops.quote_name(TextBand._meta.db_table)
    one = (
        f"SELECT * FROM (SELECT case_id FROM {table} WHERE band = %s AND received_at > %s"  # noqa: S608
        f" AND received_at <= %s AND case_id <> %s ORDER BY received_at DESC LIMIT {PER_BAND}) AS b{{n}}"
    )
    sql = " UNION ".join(one.format(n=n) for n in range(len(bands)))
    at = [connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)]
    params: list[Any] = []
    for band in bands:
        params += [band, *at, exclude]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def store_bands(case_id: int, received_at: datetime, bands: tuple[int, ...]) -> None:
    """A registered case's band keys, in one statement: 32 rows for every registration, where building
    a model instance for each would cost more than writing them."""
    if not bands:
        return
    table = connection.ops.quote_name(TextBand._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(received_at)
    rows = ", ".join(["(%s, %s, %s)"] * len(bands))
    params: list[Any] = []
    for band in bands:
        params += [case_id, band, at]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (case_id, band, received_at) VALUES {rows}", params)  # noqa: S608


def prune_text_bands() -> int:
    """Drop the band keys no detection window reaches any more (a day's margin over the window, for a
    registration recorded late); the index then stays the size of a day's intake."""
    rule = load_config().mass_incident
    cutoff = now() - timedelta(hours=rule.window_hours) - timedelta(days=1)
    deleted, _ = TextBand.objects.filter(received_at__lt=cutoff).delete()
    return deleted


def _common_unit(case_ids: tuple[int, ...]) -> OrgUnit:
    paths = list(Case.objects.filter(pk__in=case_ids).values_list("unit__path", flat=True).distinct())
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return OrgUnit.objects.get(code=common[-1]) if common else OrgUnit.objects.get(code=parts[0][0])


def _record_spike(spike: Spike) -> tuple[MassIncident, list[int]]:
    """One incident per spike: an open incident with the same key, or one already linking any of these
    cases, takes the new cases (returned, to be flagged); otherwise a new incident is opened and
    alerted. A spike seen before links nobody and tells nobody again."""
    current = now()
    with transaction.atomic():
        incident = (
            MassIncident.objects.select_for_update().filter(status="open", key=spike.key).first()
            or MassIncident.objects.select_for_update()
            .filter(status="open", links__case_id__in=spike.case_ids)
            .order_by("pk")
            .first()
        )
        if incident is None:
            try:
                with transaction.atomic():
                    incident = MassIncident.objects.create(
                        key=spike.key,
                        dimension=spike.dimension,
                        value=spike.value[:120],
                        unit=_common_unit(spike.case_ids),
                        detected_at=current,
                        window_start=min(
                            TriageRecord.objects.filter(case_id__in=spike.case_ids).values_list(
                                "received_at", flat=True
                            )
                        ),
                        window_end=current,
                        expected=spike.expected,
                    )
            except IntegrityError:  # opened by a concurrent registration a moment ago
                incident = MassIncident.objects.get(status="open", key=spike.key)
        known = set(
            MassIncidentCase.objects.filter(incident=incident, case_id__in=spike.case_ids).values_list(
                "case_id", flat=True
            )
        )
        new = [cid for cid in spike.case_ids if cid not in known]
        if not new:
            return incident, []
        MassIncidentCase.objects.bulk_create(
            [MassIncidentCase(incident=incident, case_id=cid, added_at=current) for cid in new]
        )
        incident.window_end = current
        incident.save(update_fields=["window_end"])
        _alert(incident, spike)
    return incident, new


def _alert(incident: MassIncident, spike: Spike) -> None:
    """The supervisors of the units involved and compliance, each once per incident (notification key)."""
    units = set(Case.objects.filter(pk__in=spike.case_ids).values_list("unit_id", flat=True)) | {incident.unit_id}
    people = set(
        Staff.objects.filter(role_assignments__unit_id__in=units, role_assignments__role="supervisor").values_list(
            "pk", flat=True
        )
    ) | set(Staff.objects.filter(role_assignments__role="compliance").values_list("pk", flat=True))
    notify_staff(
        people,
        "mass_incident",
        f"群体性事件 MI-{incident.pk}：{spike.key}，{spike.count} 件 / {spike.customers} 位客户",
        key=f"mass_incident:{incident.pk}",
        payload={"incident": incident.pk, "key": spike.key, "count": spike.count, "customers": spike.customers},
    )


@dataclass
class BulkResult:
    responded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def bulk_respond(
    incident_id: int,
    *,
    actor: Actor,
    outcome: str,
    reasons: str,
    basis: str,
    remedy: str,
    notice: Notice,
    backdate_reason: str = "",
) -> BulkResult:
    """One decision text for every open case of the incident; each case goes through its own
    ``respond`` (own permission check, own transaction), and a case that cannot be answered yet is
    reported, not fatal."""
    result = BulkResult()
    cases = (
        Case.objects.filter(mass_incidents__pk=incident_id, status__in=OPEN)
        .order_by("case_number")
        .values_list("pk", "case_number")
    )
    for pk, number in cases:
        try:
            respond_to_case(
                pk,
                actor=actor,
                outcome=outcome,
                reasons=reasons,
                basis=basis,
                remedy=remedy,
                notice=notice,
                backdate_reason=backdate_reason,
            )
        except ServiceError as exc:
            result.failed[number] = f"{exc.code}: {exc.message}"
        else:
            result.responded.append(number)
    return result
