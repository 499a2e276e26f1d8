"""Cases at risk (临近超时): the one reading behind the queue's filter, the team page's list and the
workload counts, so the three never disagree about a case.

A case is at risk when it is open, undecided and not yet overdue, and a warning that means risk
(``domain.warnings.at_risk_labels`` of the case's profile: SPEC §5's 80 % and "N days before due")
has come for its *current* decision due moment. "Has come" is the warning's scheduled moment
(``fire_at <= now``), not whether the sweep has sent it: a lagging worker must not hide a case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache, reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet

from redressal.cases.models import Case, DeadlineWarning
from redressal.domain.deadlines import DECISION_KINDS
from redressal.domain.profiles import Profile, available_profiles, load_profile
from redressal.domain.warnings import Stage, at_risk_labels, countdown_key, fraction_label, warning_stage


@cache
def _profiles() -> tuple[Profile, ...]:
    return tuple(load_profile(code) for code in available_profiles())


def risk_horizon() -> timedelta:
    """How far ahead of its due moment a case can be at risk: the earliest at-risk fraction of the
    longest period (60 days from receipt → 12 days before due at 80 %) or the longest "N days before"
    warning. Bounding the candidates by this range of ``decision_due_at`` keeps the warning look-up to
    cases near their deadline (an index range on ``case_queue_idx``), not every open case."""
    days = 0.0
    for profile in _profiles():
        rule = profile.warnings
        at_risk = (f for f in rule.fractions if warning_stage(fraction_label(f)) is Stage.AT_RISK)
        low = min(at_risk, default=1.0)
        days = max(days, profile.decision.max_days * (1 - low), *rule.days_before_due)
    return timedelta(days=days)


def _risk_warning_came(labels: frozenset[str], now: datetime) -> Exists:
    return Exists(
        DeadlineWarning.objects.filter(
            case_id=OuterRef("pk"),
            deadline_kind__in=DECISION_KINDS,
            due_at=OuterRef("decision_due_at"),  # warnings of an earlier due moment no longer count
            label__in=sorted(labels),
            fire_at__lte=now,
        )
    )


def _risk_warning_condition(now: datetime) -> Q:
    """The case's own profile decides which labels mean risk; profiles that agree share one test."""
    codes_by_labels: dict[frozenset[str], list[str]] = {}
    for profile in _profiles():
        codes_by_labels.setdefault(at_risk_labels(profile.warnings), []).append(profile.code)
    if len(codes_by_labels) == 1:
        return Q(_risk_warning_came(next(iter(codes_by_labels)), now))
    return reduce(
        or_,
        (Q(profile_code__in=codes) & Q(_risk_warning_came(labels, now)) for labels, codes in codes_by_labels.items()),
    )


def at_risk(qs: QuerySet[Case], now: datetime) -> QuerySet[Case]:
    """The cases of ``qs`` at risk at ``now`` (overdue ones are not: they are listed as overdue)."""
    return qs.filter(
        _risk_warning_condition(now),
        closed_at__isnull=True,
        decided_at__isnull=True,
        decision_due_at__gte=now,
        decision_due_at__lte=now + risk_horizon(),
    )


def countdown_moments(cases: Sequence[Case]) -> dict[int, dict[str, datetime]]:
    """For each case of a page, when each countdown level (``domain.warnings.countdown_key``) turns
    on: the first moment of its warnings for the case's *current* decision due moment, one query for
    the page. Read by the same rule as :func:`at_risk`, so a row's colour and the filter agree."""
    found: dict[int, dict[str, datetime]] = {}
    wanted = {c.pk: c.decision_due_at for c in cases if c.decision_due_at is not None}
    for case_id, label, fire_at, due_at in DeadlineWarning.objects.filter(
        case_id__in=list(wanted), deadline_kind__in=DECISION_KINDS
    ).values_list("case_id", "label", "fire_at", "due_at"):
        key = countdown_key(label)
        if due_at != wanted.get(case_id) or key is None:
            continue
        # Several warnings of one level (50 % and 75 %): it turns on at the first of them.
        moments = found.setdefault(case_id, {})
        moments[key] = min(fire_at, moments.get(key, fire_at))
    return found
