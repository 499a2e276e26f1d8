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

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

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
from redressal.triage.models import MassIncident, MassIncidentCase, TriageRecord
from redressal.triage.services.triage import add_flag

OPEN = [s.value for s in OPEN_STATES]
TEXT_WINDOW_LIMIT = 500


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


def detect_for(case_id: int) -> list[MassIncident]:
    """Detect and record the spikes a triaged case is part of (a replay or a check after the fact;
    a registration finds them before its lock with ``find_spikes`` and records them with
    ``record_spikes``)."""
    record = TriageRecord.objects.filter(case_id=case_id).first()
    if record is None:
        return []
    rule = load_config().mass_incident
    arrival = Arrival(
        case_id,
        record.customer_key,
        record.received_at,
        {dim: getattr(record, dim, "") for dim in rule.dimensions},
        Case.objects.values_list("description", flat=True).get(pk=case_id),
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
    # One scan of the window counts every dimension at once — cases and distinct complainants — so the
    # cases are listed only for a spike not yet recorded: during an outage the window holds thousands.
    counts = window.aggregate(total=Count("pk"), **_measures(values, arrival.customer_key))
    over = {dim: value for dim, value in values.items() if counts[f"n_{dim}"] + extra >= rule.min_cases}
    if not over:
        over_baseline: dict[str, int] = {}
    else:
        before = TriageRecord.objects.filter(
            received_at__gt=start - timedelta(days=rule.baseline_days), received_at__lte=start
        )
        over_baseline = before.aggregate(**{dim: Count("pk", filter=Q(**{dim: v})) for dim, v in over.items()})
    tallies = {
        dim: tally
        for dim in over
        if (tally := _tally(counts, dim, extra, bool(arrival.customer_key), over_baseline[dim], rule)) is not None
    }
    ongoing = (
        {i.key: i for i in MassIncident.objects.filter(status="open", key__in=[f"{d}:{over[d]}" for d in tallies])}
        if tallies
        else {}
    )
    spikes: list[Spike] = []
    for dim, tally in tallies.items():
        value = over[dim]
        same = window.filter(**{dim: value})
        incident = ongoing.get(f"{dim}:{value}")
        if incident is not None:
            spikes.append(_joining(incident, same, counted, dim, value, tally))
            continue
        items = [
            Item(cid, key or f"case:{cid}", at, {dim: value})
            for cid, key, at in same.values_list("case_id", "customer_key", "received_at")
        ]
        if not counted:
            items.append(replace(me, dims={dim: value}))
        spikes += detect(items, {(dim, value): over_baseline[dim]}, _only(rule, dim))
    if counts["total"] + extra >= rule.text_min_customers:
        spikes += _text_spikes(arrival, me, window, rule)
    return spikes


@dataclass(frozen=True)
class Tally:
    count: int
    customers: int
    expected: float


def _measures(values: dict[str, str], customer_key: str) -> dict[str, Count]:
    out: dict[str, Count] = {}
    for dim, value in values.items():
        here = Q(**{dim: value})
        out[f"n_{dim}"] = Count("pk", filter=here)
        out[f"keyed_{dim}"] = Count("customer_key", distinct=True, filter=here & ~Q(customer_key=""))
        out[f"unkeyed_{dim}"] = Count("pk", filter=here & Q(customer_key=""))
        if customer_key:
            out[f"mine_{dim}"] = Count("pk", filter=here & Q(customer_key=customer_key))
    return out


def _tally(
    counts: dict[str, int], dim: str, extra: int, keyed: bool, baseline: int, rule: MassIncidentRule
) -> Tally | None:
    """A dimension's cases and distinct complainants in the window, if they make a spike: the test
    ``detect`` applies to the listed cases. A complainant without a key counts as one of their own."""
    newcomer = extra if not (keyed and counts[f"mine_{dim}"]) else 0
    count = counts[f"n_{dim}"] + extra
    customers = counts[f"keyed_{dim}"] + counts[f"unkeyed_{dim}"] + newcomer
    tally = Tally(count, customers, expected_per_window(baseline, rule))
    return tally if is_spike(tally.count, tally.customers, tally.expected, rule) else None


def _joining(
    incident: MassIncident, same: QuerySet[TriageRecord], counted: bool, dim: str, value: str, tally: Tally
) -> Spike:
    """The spike of an incident still open: its cases are linked already, so the spike names only those
    not linked yet (this one, and any that came meanwhile)."""
    linked = MassIncidentCase.objects.filter(incident=incident).values("case_id")
    unlinked = set(same.exclude(case_id__in=linked).values_list("case_id", flat=True))
    ids = tuple(sorted(unlinked | ({NEW} if not counted else set())))
    return Spike(dim, value, ids, tally.customers, tally.count, tally.expected)


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


def _text_spikes(arrival: Arrival, me: Item, window: QuerySet[TriageRecord], rule: MassIncidentRule) -> list[Spike]:
    """Cases in the window whose text is close to this one's, from different customers."""
    rows = list(
        window.exclude(case_id=arrival.case_id)
        .order_by("-received_at")
        .values_list("case_id", "customer_key", "received_at", "case__description")[:TEXT_WINDOW_LIMIT]
    )
    mine = classifier.shingles(arrival.description)
    if not mine:  # nothing to compare: never a duplicate of anything
        return []
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
        known = set(MassIncidentCase.objects.filter(incident=incident).values_list("case_id", flat=True))
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
