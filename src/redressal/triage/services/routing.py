"""Routing and automatic escalation (SPEC §7) through the ordinary assign and escalate services.

Opt-in: with no active rule for a trigger nothing happens, and cases stay where they were registered,
unassigned, as before rules existed. The events name the rule that fired (``payload.rule``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count

from redressal.cases.models import Case
from redressal.cases.services.handling import assign_case, escalate_case
from redressal.core.clock import now
from redressal.domain.lifecycle import OPEN_STATES
from redressal.domain.recusal import conflicted_staff
from redressal.domain.routing import CaseFacts, Choice, Member, Rule, choose_assignee, first_match, weighted_load
from redressal.domain.triage import load_config
from redressal.notify.services import notify_staff
from redressal.org.authz import manager_map
from redressal.org.models import OrgUnit, Staff
from redressal.triage.models import AssignmentLedger, RoutingRule
from redressal.triage.services.facts import code_of, confirmed_code

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
    language = case.customer.language if case.customer else ""
    return CaseFacts(
        channel=case.channel,
        source=case.source,
        # Recorded facts first; a suggestion only fills what nobody recorded (B and C codes).
        request_type=confirmed_code(case, "request_type") or case.request_type,
        business=code_of(case, "business"),
        cause=code_of(case, "cause"),
        product=case.product or code_of(case, "product"),
        unit=case.unit.code,
        priority=case.priority,
        risk_flags=frozenset(case.risk_flags),
        vulnerable=frozenset(case.vulnerable),
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


def choose_for(case: Case, required_skill: str, today: date) -> Choice:
    # The reporting line matters only when a member of staff is complained about: most cases name none.
    managers = manager_map() if case.respondent_staff_id else {}
    conflicted = frozenset(conflicted_staff(case.respondent_staff_id, managers, depth=1))
    return choose_assignee(team_members(case.unit), today=today, required_skill=required_skill, conflicted=conflicted)


def route_case(case: Case) -> Case:
    """The first matching registration rule moves the case to its team and gives it to the least-loaded
    available member with the skill. No rules, no match or nobody free: the case stays as it is (and
    the unit's supervisors are told when a rule matched but nobody could take it)."""
    rules = active_rules(RoutingRule.Trigger.REGISTRATION)
    if not rules:
        return case
    rule = first_match(rules, facts_of(case))
    if rule is None:
        return case
    if rule.target_unit and rule.target_unit != case.unit.code:
        case = escalate_case(
            case.pk, actor=None, to_unit_code=rule.target_unit, reason=f"分派规则：{rule.name}", rule=rule.name
        )
        case = Case.objects.select_related("unit", "customer").get(pk=case.pk)
    current = now()
    choice = choose_for(case, rule.required_skill, current.date())
    if choice.member is None:
        supervisors = Staff.objects.filter(role_assignments__unit=case.unit, role_assignments__role="supervisor")
        notify_staff(
            [s.pk for s in supervisors],
            "routing_unassigned",
            f"{case.case_number}: 规则 {rule.name} 无可分派人员",
            case=case,
            key=f"routing_unassigned:{case.pk}",
            payload={"rule": rule.name},
        )
        return case
    skipped = "; ".join(f"{k}: {v}" for k, v in sorted(choice.skipped.items()))
    case = assign_case(
        case.pk,
        actor=None,
        assignee=choice.member.username,
        reason=f"分派规则：{rule.name}（负载最低{'；跳过 ' + skipped if skipped else ''}）",
        rule=rule.name,
    )
    AssignmentLedger.objects.update_or_create(staff_id=choice.member.staff_id, defaults={"last_assigned_at": current})
    return case


def auto_escalate(case_id: int, trigger: str, *, at: datetime | None = None) -> Case | None:
    """Escalate on a warning threshold or on becoming P1, when a rule for that trigger matches. The
    target is the rule's unit, or else the parent of the case's unit."""
    rules = active_rules(trigger)
    if not rules:
        return None
    case = Case.objects.select_related("unit", "customer").get(pk=case_id)
    if case.status not in OPEN:
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
    reasons = {"warning_80": "处理时限已过80%", "breach": "处理时限已超", "p1": "优先级升为P1"}
    return escalate_case(
        case_id,
        actor=None,
        to_unit_code=target,
        reason=f"自动升级：{reasons.get(trigger, trigger)}（规则 {rule.name}）",
        rule=rule.name,
    )


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
