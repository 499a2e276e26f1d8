"""Monthly service scorecards (考核, SPEC §12): per staff member, pooled per team and per unit, with
the formula of ``domain.quality.scorecard``. Who sees what: everyone their own; a supervisor
(``quality.scorecard.team``) their direct reports; a branch head, QA and compliance
(``quality.scorecard.unit``) the staff of the units their grant reaches. Nothing about a customer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from redressal.domain.quality.months import Month
from redressal.domain.quality.scorecard import Facts, Scorecard, score, version_for
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.org.selectors import scope_unit_ids
from redressal.quality import facts as case_facts
from redressal.quality.models import QaInspection

TEAM = "quality.scorecard.team"
UNIT = "quality.scorecard.unit"


def visible_staff(actor: Actor) -> list[Staff]:
    """The staff whose scorecards the actor may read: themselves, their reports where they hold the team
    permission, everyone in the units where they hold the unit permission."""
    own = Staff.objects.filter(pk=actor.id)
    qs = own
    team_units = scope_unit_ids(actor, TEAM)
    if team_units:
        qs = qs | Staff.objects.filter(manager_id=actor.id, unit_id__in=team_units)
    unit_units = scope_unit_ids(actor, UNIT)
    if unit_units:
        qs = qs | Staff.objects.filter(unit_id__in=unit_units)
    return list(qs.distinct().select_related("unit", "manager").order_by("unit__path", "username"))


@dataclass
class Row:
    staff: Staff
    facts: Facts
    card: Scorecard


@dataclass
class Group:
    label: str
    members: int
    card: Scorecard


@dataclass
class Board:
    month: Month
    rows: list[Row]
    teams: list[Group]
    units: list[Group]
    total: Scorecard | None


def facts_by_staff(month: Month) -> dict[int, Facts]:
    """Every staff member's facts for the month (cases they closed, and their QA totals)."""
    out: dict[int, Facts] = {}
    for cf in case_facts.case_facts(month).values():
        out.setdefault(cf.handler_id, Facts()).add(cf.facts)
    totals = QaInspection.objects.filter(sample__month=str(month), total__isnull=False).values_list(
        "handler_id", "total"
    )
    for handler_id, total in totals:
        if total is not None:
            out.setdefault(int(handler_id), Facts()).qa_totals.append(Decimal(total))
    return out


def board(actor: Actor, month: Month) -> Board:
    people = visible_staff(actor)
    by_staff = facts_by_staff(month)
    version = version_for(str(month))  # the formula in force for the month, not today's
    rows = [Row(s, by_staff[int(s.pk)], score(by_staff[int(s.pk)], version)) for s in people if int(s.pk) in by_staff]
    if not rows and actor.has("case.accept"):  # a handler with nothing this month still sees their own line
        rows = [Row(actor.staff, Facts(), score(Facts(), version))]
    teams: dict[int, tuple[str, Facts, int]] = {}
    units: dict[int, tuple[str, Facts, int]] = {}
    pooled = Facts()
    for r in rows:
        if r.staff.manager_id:
            label, f, n = teams.get(r.staff.manager_id, (str(r.staff.manager), Facts(), 0))
            f.add(r.facts)
            teams[r.staff.manager_id] = (label, f, n + 1)
        if r.staff.unit_id:
            label, f, n = units.get(r.staff.unit_id, (str(r.staff.unit), Facts(), 0))
            f.add(r.facts)
            units[r.staff.unit_id] = (label, f, n + 1)
        pooled.add(r.facts)
    return Board(
        month=month,
        rows=rows,
        teams=[Group(label, n, score(f, version)) for label, f, n in teams.values() if n > 1],
        units=[Group(label, n, score(f, version)) for label, f, n in units.values()],
        total=score(pooled, version) if len(rows) > 1 else None,
    )
