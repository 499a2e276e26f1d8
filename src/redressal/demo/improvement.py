"""The demo's root-cause issues and accountability findings (溯源整改, 问责), built through the services
over the replayed year: the mobile-banking outage day's incident turned into an issue whose actions were
done and which closed (so its page has a before/after), a branch's most frequent cause of a quarter
opened from that report cell with one action done and one overdue, an issue opened from one case, and
accountability findings with measures on the staff the cases found responsible. Deterministic: the
choices follow the seeded cases and ``rng``."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count

from redressal.cases.models import Case
from redressal.core.clock import at_time
from redressal.core.errors import ServiceError
from redressal.demo.timeline import at_local, local_day
from redressal.domain.calendar import WorkCalendar
from redressal.improvement import services as svc
from redressal.improvement.models import RootCauseIssue
from redressal.org.authz import Actor, actor_for
from redressal.org.models import Staff
from redressal.org.selectors import holdings_over
from redressal.triage.models import MassIncident, TriageRecord

EVIDENCE = b"%PDF-1.4\n% Redressal demo: release note of the fix\n%%EOF\n"
ACCOUNTABILITY_LIMIT = 8


@dataclass
class ImprovementReport:
    issues: int = 0
    actions: int = 0
    findings: int = 0
    measures: int = 0
    refused: list[str] = field(default_factory=list)


def _actor(username: str) -> Actor:
    return actor_for(Staff.objects.get(username=username))


def _working_moment(calendar: WorkCalendar, moment: datetime, days: int, hour: int = 10) -> datetime:
    return at_local(calendar.add_working_days(local_day(moment), days), hour)


def _complete(report: ImprovementReport, action_id: int, owner: str, note: str, at: datetime) -> None:
    with at_time(at):
        svc.complete_action(
            action_id,
            actor=_actor(owner),
            note=note,
            filename="release-note.pdf",
            content_type="application/pdf",
            stream=io.BytesIO(EVIDENCE),
        )
    report.actions += 1


def _incident_issue(report: ImprovementReport, calendar: WorkCalendar, horizon: datetime) -> None:
    incident = MassIncident.objects.annotate(n=Count("links")).order_by("-n", "pk").first()
    if incident is None:
        return
    opened = _working_moment(calendar, incident.detected_at, 2)
    with at_time(opened):
        issue = svc.open_issue(
            actor=_actor("compliance1"),
            mass_incident_id=incident.pk,
            title="手机银行跨行转账失败但已扣款",
            root_cause="跨行转账接口超时后未自动冲正，客户资金被扣而转账未成功",
            unit_code="HO",
            owner="hosupervisor",
            cause_code=incident.cause_code or "C02",
            business_code="B04",
        )
        fix = svc.add_action(
            issue.pk,
            actor=_actor("hosupervisor"),
            title="上线接口超时自动冲正",
            owner="collab1",
            due_in_working_days=10,
        )
        script = svc.add_action(
            issue.pk,
            actor=_actor("hosupervisor"),
            title="更新客服答复口径并培训坐席",
            owner="hohandler1",
            due_in_working_days=5,
        )
    report.issues += 1
    _complete(report, script.pk, "hohandler1", "新口径已下发，坐席培训 2 场", _working_moment(calendar, opened, 4))
    _complete(report, fix.pk, "collab1", "版本已上线，超时 30 秒未确认即自动冲正", _working_moment(calendar, opened, 9))
    closing = _working_moment(calendar, opened, 12, 16)
    if closing < horizon:
        with at_time(closing):
            svc.close_issue(issue.pk, actor=_actor("hosupervisor"), note="冲正上线并经一个月观察，同类投诉明显下降")


def _criterion_issue(report: ImprovementReport, calendar: WorkCalendar, horizon: datetime) -> None:
    """A branch's most frequent cause over the quarter before last, as a report cell would give it."""
    end = local_day(horizon) - timedelta(days=60)
    start = end - timedelta(days=90)
    bj = TriageRecord.objects.filter(
        case__unit__path__startswith="/HO/BJ/", received_at__date__gte=start, received_at__date__lte=end
    ).exclude(cause="")
    top = bj.values("cause").annotate(n=Count("pk")).order_by("-n", "cause").first()
    if top is None:
        return
    opened = _working_moment(calendar, at_local(end, 10), 3)
    with at_time(opened):
        issue = svc.open_issue(
            actor=_actor("supervisor1"),
            title="北京分行季度高发投诉原因整改",
            unit_code="BJ",
            owner="supervisor1",
            root_cause="网点业务办理规范执行不到位，客户等候与解释不充分",
            criterion=svc.Criterion(cause=top["cause"], start=start, end=end, unit_code="BJ"),
        )
        done = svc.add_action(
            issue.pk,
            actor=_actor("supervisor1"),
            title="网点服务规范专项培训",
            owner="branchhead1",
            due_in_working_days=10,
        )
        svc.add_action(
            issue.pk,
            actor=_actor("supervisor1"),
            title="修订网点解释口径与告知模板",
            owner="handler1",
            due_in_working_days=15,
        )  # left open: overdue by now
    report.issues += 1
    report.actions += 2
    _complete(report, done.pk, "branchhead1", "全辖网点培训完成，签到表附后", _working_moment(calendar, opened, 8))


def _case_issue(report: ImprovementReport, rng: random.Random, horizon: datetime) -> None:
    cases = list(
        Case.objects.filter(unit__code="SH", kind=Case.Kind.PRIMARY)
        .exclude(triage_record__cause="")
        .order_by("-received_at", "pk")[:20]
    )
    if not cases:
        return
    case = rng.choice(cases)
    opened = max(case.received_at + timedelta(days=2), horizon - timedelta(days=6))
    with at_time(min(opened, horizon)):
        issue = svc.open_issue(
            actor=_actor("supervisor2"),
            case_id=case.pk,
            title="上海分行理财产品风险提示不充分",
            root_cause="销售环节未逐项提示风险，双录抽查不足",
            unit_code="SH",
            owner="branchhead2",
            cause_code=case.triage_record.cause,
        )
        svc.add_action(
            issue.pk,
            actor=_actor("branchhead2"),
            title="双录抽查比例提高到 20%",
            owner="supervisor2",
            due_in_working_days=20,
        )
    report.issues += 1
    report.actions += 1


def _findings(
    report: ImprovementReport, rng: random.Random, calendar: WorkCalendar, horizon: datetime, skip: set[int]
) -> None:
    rows = (
        Case.objects.filter(responsibility__finding="bank", closed_at__isnull=False)
        .exclude(responsibility__responsible_staff="")
        .exclude(pk__in=skip)
        .select_related("unit", "respondent_unit")
        .order_by("closed_at", "pk")
    )
    picked: list[Case] = []
    seen: set[str] = set()
    for case in rows.iterator(chunk_size=200):
        staff = case.responsibility.get("responsible_staff", "")
        if staff and staff not in seen:
            seen.add(staff)
            picked.append(case)
        if len(picked) >= ACCOUNTABILITY_LIMIT:
            break
    for case in picked:
        staff = case.responsibility["responsible_staff"]
        person = Staff.objects.filter(username=staff).first()
        holders = [
            h for h in holdings_over(case.unit, ["supervisor", "branch_head"]) if person and h.staff_id != person.pk
        ]
        actor = actor_for(Staff.objects.get(pk=min(h.staff_id for h in holders))) if holders else _actor("compliance1")
        assert case.closed_at is not None
        moment = case.closed_at + timedelta(hours=2)
        second = rng.choice(["warning", "performance_deduction", "criticism"])
        measures = [
            svc.MeasureInput(kind="training", description="投诉处理与服务规范再培训", due_in_working_days=10),
            svc.MeasureInput(kind=second, due_in_working_days=5),
        ]
        try:
            with at_time(moment):
                acc = svc.record_accountability(
                    case.pk,
                    actor=actor,
                    staff=staff,
                    finding=(case.responsibility.get("root_cause_text") or "服务不到位，经认定负有责任"),
                    measures=measures,
                )
        except ServiceError as exc:
            report.refused.append(f"{case.case_number}: {exc.code}")
            continue
        report.findings += 1
        report.measures += len(measures)
        for measure in acc.measures.order_by("pk"):
            done_at = _working_moment(calendar, moment, 3 if measure.kind != "training" else 8, 15)
            if done_at < horizon and rng.random() < 0.8:
                with at_time(done_at):
                    svc.carry_out_measure(measure.pk, actor=actor, evidence_note="已执行，记录存档", training_ref="")


def build_improvement(
    calendar: WorkCalendar, horizon: datetime, seed: int, skip: set[int] | frozenset[int] = frozenset()
) -> ImprovementReport:
    """Once, after the year's cases are replayed; ``skip``: cases whose findings are recorded elsewhere
    (the typical cases, demo/typical.py)."""
    report = ImprovementReport()
    if RootCauseIssue.objects.exists():
        return report
    rng = random.Random(seed + 15)
    _incident_issue(report, calendar, horizon)
    _criterion_issue(report, calendar, horizon)
    _case_issue(report, rng, horizon)
    _findings(report, rng, calendar, horizon, set(skip))
    return report
