"""Routing and automatic escalation (SPEC §7) as steps of the ordinary assign and escalate actions.

Opt-in: with no active rule for a trigger nothing happens, and cases stay where they were registered,
unassigned, as before rules existed. The events name the rule that fired (``payload.rule``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count

from redressal.cases.models import Case
from redressal.cases.services._base import Done, perform
from redressal.cases.services.handling import assign_change, escalate_change
from redressal.cases.steps import Change, Step
from redressal.domain.lifecycle import OPEN_STATES
from redressal.domain.recusal import conflicted_staff
from redressal.domain.routing import CaseFacts, Choice, Member, Rule, choose_assignee, first_match, weighted_load
from redressal.domain.triage import load_config
from redressal.notify.services import notify_staff
from redressal.org.authz import manager_map
from redressal.org.models import OrgUnit, Staff
from redressal.triage.models import AssignmentLedger, RoutingRule
from redressal.triage.services.facts import code_in, confirmed_in

OPEN = [s.value for s in OPEN_STATES]


def _rule(row: RoutingRule) -> Rule:
    def s(values: list[str]) -> frozenset[str]:
        return frozenset(str(v) for v in values or [])

    return Rule(
        name=row.name,
        order=row.order,
        target_unit=row.target_unit.code if row.target_unit else "",
        required_skill=row.required_skill,
        channels=s(row.channels),
        sources=s(row.sources),
        request_types=s(row.request_types),
        business_codes=s(row.business_codes),
        cause_codes=s(row.cause_codes),
        products=s(row.products),
        units=s(row.units),
        priorities=s(row.priorities),
        risk_flags=s(row.risk_flags),
        vulnerable=s(row.vulnerable),
        languages=s(row.languages),
    )


def active_rules(trigger: str) -> list[Rule]:
    rows = RoutingRule.objects.filter(active=True, trigger=trigger).select_related("target_unit")
    return [_rule(r) for r in rows]


def facts_of(case: Case) -> CaseFacts:
    return facts_from(
        case,
        classification=case.classification or {},
        priority=case.priority,
        risk_flags=case.risk_flags,
        vulnerable=case.vulnerable,
    )


def facts_from(
    case: Case, *, classification: dict[str, Any], priority: str, risk_flags: list[str], vulnerable: list[str]
) -> CaseFacts:
    """The facts a rule matches, with triage's results given apart: at registration they are prepared
    before the case holds them."""
    language = case.customer.language if case.customer else ""
    return CaseFacts(
        channel=case.channel,
        source=case.source,
        # Recorded facts first; a suggestion only fills what nobody recorded (B and C codes).
        request_type=confirmed_in(classification, "request_type") or case.request_type,
        business=code_in(classification, "business"),
        cause=code_in(classification, "cause"),
        product=case.product or code_in(classification, "product"),
        unit=case.unit.code,
        priority=priority,
        risk_flags=frozenset(risk_flags),
        vulnerable=frozenset(vulnerable),
        language=language,
    )


def team_members(unit: OrgUnit) -> list[Member]:
    """The handlers of a unit with their load (open cases weighted by priority) in two queries."""
    staff = list(
        Staff.objects.filter(role_assignments__unit=unit, role_assignments__role="handler", is_active=True)
        .distinct()
        .order_by("pk")
    )
    ids = [s.pk for s in staff]
    counts: dict[int, dict[str, int]] = {}
    open_cases = Case.objects.filter(assignee_id__in=ids, status__in=OPEN)
    for row in open_cases.values("assignee_id", "priority").annotate(n=Count("id")):
        counts.setdefault(row["assignee_id"], {})[row["priority"]] = row["n"]
    last = dict(AssignmentLedger.objects.filter(staff_id__in=ids).values_list("staff_id", "last_assigned_at"))
    weights = load_config().load_weights
    return [
        Member(
            staff_id=int(s.pk),
            username=s.username,
            skills=frozenset(s.skills or []),
            available=s.available,
            absent_until=s.absent_until,
            capacity=s.capacity,
            open_cases=sum(counts.get(s.pk, {}).values()),
            load=weighted_load(counts.get(s.pk, {}), weights),
            last_assigned_at=last.get(s.pk),
        )
        for s in staff
    ]


def choose_in(unit: OrgUnit, respondent_staff_id: int | None, required_skill: str, today: date) -> Choice:
    # The reporting line matters only when a member of staff is complained about: most cases name none.
    managers = manager_map() if respondent_staff_id else {}
    conflicted = frozenset(conflicted_staff(respondent_staff_id, managers, depth=1))
    return choose_assignee(team_members(unit), today=today, required_skill=required_skill, conflicted=conflicted)


@dataclass(frozen=True)
class Route:
    """Where the registration rules send a new case: the rule, the unit it moves to (None: it stays)
    and the member chosen (None: nobody free, the unit's supervisors are told)."""

    rule: Rule
    to_unit: OrgUnit | None
    choice: Choice


def plan_route(case: Case, facts: CaseFacts, today: date) -> Route | None:
    """The first matching registration rule and the least-loaded available member with the skill of
    the team it names. Reads only: a registration plans its route before its write transaction. No
    rules or no match: None, and the case stays where it was registered, unassigned."""
    rules = active_rules(RoutingRule.Trigger.REGISTRATION)
    if not rules:
        return None
    rule = first_match(rules, facts)
    if rule is None:
        return None
    to_unit = None
    if rule.target_unit and rule.target_unit != case.unit.code:
        to_unit = OrgUnit.objects.get(code=rule.target_unit)
    unit = to_unit or case.unit
    return Route(rule, to_unit, choose_in(unit, case.respondent_staff_id, rule.required_skill, today))


def route_steps(route: Route, *, applies: Callable[[Case], bool]) -> list[Step]:
    """The planned route as the registration's follow-on steps: the escalation to the rule's team, the
    assignment (with the round-robin ledger), or the supervisors told that nobody could take it."""
    rule = route.rule
    steps = []
    if route.to_unit is not None:
        change = escalate_change(route.to_unit, by_person=False, reason=f"分派规则：{rule.name}", rule=rule.name)
        steps.append(Step("escalate", change, when=applies))
    member = route.choice.member
    if member is None:
        steps.append(Step("route", _tell_unassigned(rule), check_state=False, when=applies))
        return steps
    skipped = "; ".join(f"{k}: {v}" for k, v in sorted(route.choice.skipped.items()))
    assign = assign_change(
        Staff.objects.get(pk=member.staff_id),
        reason=f"分派规则：{rule.name}（负载最低{'；跳过 ' + skipped if skipped else ''}）",
        rule=rule.name,
    )
    staff_id = member.staff_id

    def assign_and_note(case: Case, current: datetime) -> Done | None:
        done = assign(case, current)
        AssignmentLedger.objects.update_or_create(staff_id=staff_id, defaults={"last_assigned_at": current})
        return done

    steps.append(Step("assign", assign_and_note, when=applies))
    return steps


def _tell_unassigned(rule: Rule) -> Change:
    def change(case: Case, current: datetime) -> None:
        supervisors = Staff.objects.filter(role_assignments__unit=case.unit, role_assignments__role="supervisor")
        notify_staff(
            [s.pk for s in supervisors],
            "routing_unassigned",
            f"{case.case_number}: 规则 {rule.name} 无可分派人员",
            case=case,
            key=f"routing_unassigned:{case.pk}",
            payload={"rule": rule.name},
        )
        return None  # no event: the case is unchanged, the notification is the record

    return change


ESCALATION_REASONS = {"warning_80": "处理时限已过80%", "breach": "处理时限已超", "p1": "优先级升为P1"}


def auto_escalate_step(case: Case, trigger: str) -> Step | None:
    """Escalate on a warning threshold or on becoming P1, when a rule for that trigger matches. The
    target is the rule's unit, or else the parent of the case's unit."""
    rules = active_rules(trigger)
    if not rules or case.status not in OPEN:
        return None
    rule = first_match(rules, facts_of(case))
    if rule is None:
        return None
    target = rule.target_unit
    if not target:
        parent = case.unit.parent
        target = parent.code if parent is not None else ""
    if not target or target == case.unit.code:
        return None
    reason = f"自动升级：{ESCALATION_REASONS.get(trigger, trigger)}（规则 {rule.name}）"
    change = escalate_change(OrgUnit.objects.get(code=target), by_person=False, reason=reason, rule=rule.name)
    return Step("escalate", change)


def auto_escalate(case_id: int, trigger: str) -> Case | None:
    """``auto_escalate_step`` as a command of its own: a deadline warning's (``cases.bus`` signal)."""
    case = Case.objects.select_related("unit", "customer").get(pk=case_id)
    step = auto_escalate_step(case, trigger)
    if step is None:
        return None
    return perform(case_id, None, step.action, "case.escalate", step.change)


def ensure_default_rules() -> list[RoutingRule]:
    """The defaults of SPEC §7: regulator-forwarded and P1 cases go to the senior team (config)."""
    unit = OrgUnit.objects.filter(code=load_config().senior_team_unit).first()
    if unit is None:
        return []
    defaults = [
        ("监管转办件交高级团队", 10, {"sources": ["regulator_forwarded"]}),
        ("P1件交高级团队", 20, {"priorities": ["P1"]}),
        # Everything else: the least-loaded handler of the unit that registered it.
        ("本机构负载均衡", 1000, {}),
    ]
    out = []
    for name, order, conditions in defaults:
        rule, _ = RoutingRule.objects.get_or_create(
            name=name,
            defaults={
                "order": order,
                "trigger": RoutingRule.Trigger.REGISTRATION,
                "target_unit": unit if conditions else None,
                **conditions,
            },
        )
        out.append(rule)
    return out
