"""Replaying each demo case's life through the case services (SPEC §4): no case or event is written
directly, so every history is a valid hash chain and every step passed the same rules as in production.

A :class:`Story` runs one :class:`~redressal.demo.plan.CaseSpec`: register, accept, investigate, ask
other departments, pause, extend, propose and approve compensation, decide and notify, record feedback,
reopen, ask for review, visit — each step at its own moment through :class:`~redressal.demo.timeline.Timeline`.
A step the rules refuse raises :class:`~redressal.core.errors.ServiceError`; the runner counts and
reports it (the story stops there), it is never swallowed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from redressal.cases import services as svc
from redressal.cases.models import Case, CollaborationTask, FollowUpVisit
from redressal.cases.notice_pdf import addressee, long_date
from redressal.core.errors import ServiceError
from redressal.demo.org import DemoOrg
from redressal.demo.plan import CaseSpec
from redressal.demo.timeline import TZ, Horizon, Timeline, local_day
from redressal.domain.calendar import WorkCalendar
from redressal.org.authz import Actor
from redressal.triage.ml import texts
from redressal.triage.ml.texts import CITY, Finding, Situation, Slots, pick
from redressal.triage.services import confirm_classification

P = ParamSpec("P")
R = TypeVar("R")

COLLABORATORS = {"TECH": "collab1", "OPS": "collab2", "CARD": "collab3", "RETAIL": "collab4"}
ITEM_TEXT = {
    "refund": "退还款项",
    "fee_waiver": "减免费用",
    "compensation": "经济补偿",
    "goodwill": "致歉补偿",
    "non_monetary": "非货币补救（致歉、更正、流程改进）",
}


@dataclass
class Report:
    primary: int = 0
    reviews: int = 0
    steps: int = 0
    stopped_at_horizon: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    refused_samples: list[str] = field(default_factory=list)

    def refuse(self, spec: CaseSpec, exc: ServiceError, step: str) -> None:
        self.refused[exc.code] += 1
        if len(self.refused_samples) < 10:
            label = spec.forced or (spec.situation.key if spec.situation else spec.request_type)
            self.refused_samples.append(f"{step} ({label}, received {spec.received_at:%Y-%m-%d}): {exc.message}")


@dataclass
class World:
    org: DemoOrg
    calendar: WorkCalendar
    horizon: datetime
    report: Report


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _short_date(moment: datetime) -> str:
    d = local_day(moment)
    return f"{d.month}月{d.day}日"


class Story:
    def __init__(self, world: World, spec: CaseSpec) -> None:
        self.w = world
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.tl = Timeline(self.rng, world.calendar, world.horizon, squeeze=spec.squeeze)
        team = world.org.branches[spec.branch]
        self.team = team
        self.handler = team.handlers[self.rng.randrange(2)]
        self.supervisor = team.supervisor
        self.head = team.head
        self.at_head_office = False
        self.respondent = (
            team.tellers.get(spec.outlet, "") if spec.situation and spec.situation.staff_complained else ""
        )
        self.case: Case | None = None
        self.paid = Decimal("0")
        self.step = "register"
        self.slots = self._slots()

    # --- plumbing -------------------------------------------------------------------------------------

    def act(self, moment: datetime, step: str, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        self.step = step
        with self.tl.at(moment):
            result = fn(*args, **kwargs)
        self.w.report.steps += 1
        if isinstance(result, Case) and self.case is not None and result.pk == self.case.pk:
            self.case = result
        return result

    def actor(self, username: str) -> Actor:
        return self.w.org.actor(username)

    @property
    def cid(self) -> int:
        assert self.case is not None
        return int(self.case.pk)

    @property
    def due(self) -> datetime | None:
        return self.case.decision_due_at if self.case is not None else None

    def work(self, lo_hours: float, hi_hours: float) -> datetime:
        """The next working moment after the last step; kept before the decision deadline (with room to
        answer) unless this story is one where the bank answers late."""
        planned = self.tl.after(self.last, lo_hours, hi_hours)
        due = self.due
        if due is None or self.spec.late or self.last >= due - timedelta(hours=8):
            return planned
        if planned <= due - timedelta(hours=8):
            return planned
        return self.tl.before(planned, due, margin_hours=8) or planned

    @property
    def last(self) -> datetime:
        assert self.tl.last is not None
        return self.tl.last

    def _slots(self) -> Slots:
        r, spec = self.rng, self.spec
        customer = spec.customer
        tx = spec.received_at - timedelta(days=r.choice((0, 0, 1, 1, 2, 3, 5, 8, 12)), hours=r.uniform(0, 10))
        amount = spec.amount or Decimal(r.randint(2, 500) * 100)
        age = customer.age if customer and customer.age else r.randint(68, 86)
        outlet = self.w.org.units[spec.outlet].name if spec.outlet else ""
        card = customer.credit_tail if customer and spec.situation and spec.situation.product == "信用卡" else None
        values = {
            "who": "投诉人" if spec.channel == "regulator" else "客户",
            "name": spec.complainant_name or (customer.name if customer else "客户"),
            "age": str(age),
            "date": _short_date(tx),
            "time": f"{tx.astimezone(TZ):%H:%M}",
            "amount": money(amount),
            "fee": money(amount),
            "tail": card or (customer.debit_tail if customer else f"{r.randrange(10000):04d}"),
            "outlet": outlet,
            "branch": self.w.org.units[spec.branch].name,
            "city": CITY.get(spec.branch, ""),
            "other_bank": pick(r, texts.OTHER_BANKS),
            "product_name": pick(r, texts.PRODUCT_NAMES),
            "merchant": pick(r, texts.MERCHANTS),
            "relation": pick(r, texts.RELATIONS),
            "days": str(max(2, (spec.received_at - tx).days + r.randint(1, 4))),
            "phone_tail": customer.phone_tail if customer else f"{r.randrange(10000):04d}",
            "loss": money((amount * Decimal(str(round(r.uniform(0.03, 0.22), 3)))).quantize(Decimal("0.01"))),
            "rate": f"{r.uniform(6.5, 14.8):.2f}%",
            "outage": "9:40至13:20",
            "staff": pick(r, ("柜员", "大堂经理", "理财经理", "网点工作人员")),
            "collector": pick(r, texts.COLLECTORS),
        }
        if spec.mass:
            values["date"] = _short_date(spec.received_at)
        return Slots(values)

    def fill(self, template: str) -> str:
        return self.slots.fill(template)

    # --- who does what ----------------------------------------------------------------------------------

    def registrar(self) -> str:
        spec = self.spec
        if spec.channel in ("regulator", "other"):
            return "hohandler1"
        if spec.channel in ("counter", "self_service"):
            return self.team.tellers.get(spec.unit, self.team.agent)
        if spec.channel == "hotline":
            return "hotline1"
        if spec.channel in ("letter", "email"):
            return self.team.agent
        return "hotline1" if self.rng.random() < 0.6 else self.team.agent

    def approver(self, total: Decimal) -> str | None:
        if total <= 500:
            return None
        if self.at_head_office:
            return "hosupervisor" if total <= 5000 else "senior1"
        if total <= 5000:
            return self.head if self.respondent else self.supervisor
        return self.head if total <= 50000 else "senior1"

    def extension_approver(self, level: int) -> str:
        if level == 2:
            return "senior1"
        if self.at_head_office:
            return "hosupervisor"
        return self.head if self.respondent else self.supervisor

    # --- the story -------------------------------------------------------------------------------------

    def run(self) -> None:
        spec = self.spec
        if spec.request_type in ("consultation", "suggestion"):
            self.short_path()
            return
        self.register()
        if spec.target == "registered":
            return
        if spec.target == "declined":
            self.decline()
            return
        if spec.target == "withdrawn" and spec.withdraw_stage == "registered":
            self.withdraw()
            return
        self.accept()
        for _ in range(spec.duplicates):
            self.duplicate()
        if spec.target == "accepted":
            return
        if spec.target == "withdrawn" and spec.withdraw_stage == "accepted":
            self.withdraw()
            return
        self.investigate()
        if spec.target == "investigating":
            return
        if spec.target == "withdrawn":
            self.withdraw()
            return
        finding = self.finding()
        self.responsibility(finding)
        pending = self.propose(finding, stop_if_pending=spec.target == "pending_approval")
        if pending:
            return
        self.respond(finding)
        if spec.target == "responded":
            return
        self.after_response(finding)

    def description(self) -> str:
        spec, sit = self.spec, self.spec.situation
        assert sit is not None
        if spec.target == "declined":
            return self.fill(pick(self.rng, texts.DECLINE_TEXTS[spec.decline_reason]))
        if spec.english and sit.english:
            return self.fill(pick(self.rng, sit.english))
        first_person = spec.channel in (
            "letter",
            "email",
            "wechat",
            "mobile_banking",
            "online_banking",
            "sms",
            "third_party",
        )
        pool = sit.first_person if first_person and sit.first_person and self.rng.random() < 0.75 else sit.third_person
        text = self.fill(pick(self.rng, pool))
        if spec.channel == "regulator":
            text = f"【{spec.regulator}转办】" + text.replace("客户", "投诉人")
        if spec.representatives:
            text = f"（联名投诉，代表：{'、'.join(spec.representatives)}）" + text
        return text

    def register(self) -> None:
        spec, sit = self.spec, self.spec.situation
        registrar = self.registrar()
        received = spec.received_at
        if spec.channel in ("letter", "email", "regulator"):
            moment = self.tl.after(received, 0.3, 20)
        elif registrar == "hotline1" or spec.mass:
            moment = received + timedelta(minutes=self.rng.uniform(2, 15))
        else:
            moment = self.tl.office(received + timedelta(minutes=self.rng.uniform(3, 40)))
        demand = list(sit.demand[: self.rng.randint(1, len(sit.demand))]) if sit else ["explanation"]
        forwarded = spec.channel == "regulator"
        data = svc.RegisterInput(
            request_type=spec.request_type,
            channel=spec.channel,
            description=self.description(),
            received_at=received,
            customer_id=spec.customer.pk if spec.customer else None,
            complainant_name=spec.complainant_name,
            party_type=self._party_type(),
            product=sit.product if sit else "",
            amount=spec.amount,
            demand=demand,
            transaction_ref=f"{local_day(received):%Y%m%d}{self.rng.randrange(10**10):010d}" if spec.amount else "",
            transaction_date=local_day(received) - timedelta(days=self.rng.randint(0, 6)) if spec.amount else None,
            unit_code=spec.unit,
            respondent_unit_code=spec.outlet if spec.unit != spec.branch or (sit and sit.staff_complained) else "",
            respondent_staff_username=self.respondent,
            source="regulator_forwarded" if forwarded else "customer",
            regulator=spec.regulator if forwarded else "",
            regulator_case_number=self._regulator_number() if forwarded else "",
            regulator_received_at=received - timedelta(days=self.rng.randint(1, 5)) if forwarded else None,
            forwarded_at=received if forwarded else None,
            representatives=spec.representatives,
        )
        self.case = self.act(moment, "register", svc.register_case, data, actor=self.actor(registrar))
        self.w.report.primary += 1

    def _party_type(self) -> str:
        spec = self.spec
        if spec.customer is not None and spec.customer.kind == "corporate":
            return "legal_person"
        if spec.situation is not None and spec.situation.party_type != "natural_person":
            return spec.situation.party_type
        return "natural_person"

    def _regulator_number(self) -> str:
        r, day = self.rng, local_day(self.spec.received_at)
        city = CITY.get(self.spec.branch, "")
        return {
            "12378": f"12378-{day:%Y%m%d}-{r.randrange(10**6):06d}",
            "12363": f"12363{day:%y}{r.randrange(10**7):07d}",
            "NFRA": f"金监消保转〔{day.year}〕{r.randint(100, 999)}号",
            "NFRA_LOCAL": f"{city}金融监管局转〔{day.year}〕{r.randint(100, 9999)}号",
            "PBOC": f"人行{city}分行转办〔{day.year}〕{r.randint(10, 999)}号",
        }.get(self.spec.regulator, f"ZB{day:%Y%m%d}{r.randrange(10**4):04d}")

    def accept(self) -> None:
        spec = self.spec
        base = self.last
        if spec.assign_first:
            moment = self.tl.after(base, 0.1, 3)
            self.act(
                moment,
                "assign",
                svc.assign_case,
                self.cid,
                actor=self.actor(self.supervisor),
                assignee=self.handler,
                reason="按业务条线分派",
            )
        if spec.late_contact:
            moment = self.tl.after(spec.received_at, 50, 80)
        else:
            moment = self.tl.after(max(base, self.last), 0.3, 6)
        reached = self.rng.random() < 0.9
        channel = "in_person" if spec.channel == "counter" and self.rng.random() < 0.4 else "phone"
        self.act(
            moment,
            "accept",
            svc.accept_case,
            self.cid,
            actor=self.actor(self.handler),
            contact_channel=channel,
            contact_outcome="reached" if reached else "not_reached",
            explained="已告知受理及处理时限" if reached else "电话未接通，已发送短信告知受理情况及联系方式",
            no_direct_interest=True,
        )

    def duplicate(self) -> None:
        """The same complainant, same matter, another channel: registered, then merged into this case."""
        assert self.case is not None
        spec = self.spec
        moment = self.tl.next_moment(self.tl.after(self.last, 3, 70, office=False))
        channel = "hotline" if spec.channel != "hotline" else self.rng.choice(("wechat", "mobile_banking", "sms"))
        text = f"客户就同一事项再次投诉（原编号{self.case.case_number}），催促尽快处理：" + self.description()
        data = svc.RegisterInput(
            request_type=spec.request_type,
            channel=channel,
            description=text,
            received_at=moment - timedelta(minutes=self.rng.uniform(2, 10)),
            customer_id=spec.customer.pk if spec.customer else None,
            complainant_name=spec.complainant_name,
            product=spec.situation.product if spec.situation else "",
            amount=spec.amount,
            unit_code=spec.unit,
        )
        registrar = "hotline1"
        dup = self.act(moment, "register duplicate", svc.register_case, data, actor=self.actor(registrar))
        self.w.report.primary += 1
        merge_at = self.tl.after(moment, 0.5, 20)
        self.act(
            merge_at,
            "merge",
            svc.merge_case,
            int(dup.pk),
            actor=self.actor(self.handler),
            into_case_number=self.case.case_number,
            reason="同一投诉人就同一事项重复投诉，无新的事实和理由，合并至原工单处理",
        )

    def note(self, lo_hours: float, hi_hours: float, text: str = "") -> None:
        sit = self.spec.situation
        pool = (sit.notes if sit else ()) + texts.GENERIC_NOTES
        kind = self.rng.choice(texts.NOTE_KINDS)
        moment = self.work(lo_hours, hi_hours)
        self.act(
            moment,
            "note",
            svc.add_note,
            self.cid,
            actor=self.actor(self.handler),
            text=text or self.fill(pick(self.rng, pool)),
            kind=kind,
        )

    def investigate(self) -> None:
        spec, sit = self.spec, self.spec.situation
        self.act(
            self.work(0.05, 2),
            "start investigation",
            svc.start_investigation,
            self.cid,
            actor=self.actor(self.handler),
        )
        if spec.escalate:
            self.escalate()
        if spec.task and sit is not None and sit.department:
            self.task(sit)
        self.note(1, 30)
        if spec.pause and sit is not None and sit.pause is not None:
            if not self.pause(sit):
                return
        if self.rng.random() < 0.5:
            self.note(4, 48)
        for level in range(1, spec.extension + 1):
            self.extend(level)
        if spec.target == "investigating" and self.rng.random() < 0.5:
            self.note(24, 72)

    def escalate(self) -> None:
        spec = self.spec
        to_branch = spec.unit != spec.branch
        target = spec.branch if to_branch else "HO"
        reason = pick(self.rng, texts.ESCALATION_REASONS["to_branch" if to_branch else "to_head_office"])
        moment = self.work(1, 30)
        self.act(
            moment,
            "escalate",
            svc.escalate_case,
            self.cid,
            actor=self.actor(self.supervisor),
            to_unit_code=target,
            reason=reason,
        )
        if not to_branch:
            self.act(
                self.work(0.2, 4),
                "assign at head office",
                svc.assign_case,
                self.cid,
                actor=self.actor("hosupervisor"),
                assignee="hohandler1",
                reason="总行消保部统筹处理",
            )
            self.at_head_office = True
            self.handler, self.supervisor, self.head = "hohandler1", "hosupervisor", "senior1"

    def task(self, sit: Situation) -> None:
        spec = self.spec
        title, request = sit.task
        moment = self.work(0.5, 20)
        self.act(
            moment,
            "open task",
            svc.open_task,
            self.cid,
            actor=self.actor(self.handler),
            department_code=sit.department,
            title=self.fill(title),
            request=self.fill(request),
            blocking=spec.task_blocking,
        )
        if not spec.task_answered:
            return
        task_id = (
            CollaborationTask.objects.filter(case_id=self.cid, status="open")
            .order_by("-pk")
            .values_list("pk", flat=True)
        ).first()
        assert task_id is not None
        reply_at = self.work(3, 40)
        self.act(
            reply_at,
            "reply task",
            svc.reply_task,
            int(task_id),
            actor=self.actor(COLLABORATORS[sit.department]),
            reply=self.fill(pick(self.rng, sit.task_replies)),
        )

    def pause(self, sit: Situation) -> bool:
        """Pause for an external appraisal; resume when it reports. False if the story ends paused."""
        assert sit.pause is not None and self.due is not None
        reason, party, evidence = sit.pause
        moment = self.tl.before(self.tl.after(self.last, 4, 60), self.due, margin_hours=24)
        if moment is None:
            return True
        self.act(
            moment,
            "pause",
            svc.pause_clock,
            self.cid,
            actor=self.actor(self.handler),
            reason=reason,
            external_party=party,
            evidence=evidence,
        )
        if self.spec.target == "investigating":
            return False
        resume = self.tl.after(moment, 5 * 24, 18 * 24)
        self.act(resume, "resume", svc.resume_clock, self.cid, actor=self.actor(self.handler))
        self.note(1, 24, text=f"{party}已出具结论，恢复计算处理期限。")
        return True

    def extend(self, level: int) -> None:
        assert self.due is not None
        planned = self.tl.office(self.due - timedelta(days=self.rng.uniform(1, 4)))
        moment = self.tl.before(planned, self.due, margin_hours=3)
        if moment is None:
            return  # too late to extend: the decision will be late
        reason, justification = texts.EXTENSION_REASONS[level][self.rng.randrange(len(texts.EXTENSION_REASONS[level]))]
        self.act(
            moment,
            f"extend L{level}",
            svc.extend_deadline,
            self.cid,
            actor=self.actor(self.extension_approver(level)),
            level=level,
            reason=reason,
            justification=justification,
        )
        self.note(2, 72)

    def finding(self, reversed_: bool = False) -> Finding:
        sit = self.spec.situation
        assert sit is not None
        if reversed_:
            return next((f for f in sit.findings if f.items and f.outcome == "upheld"), sit.findings[0])
        if self.spec.finding is not None:
            return sit.findings[min(self.spec.finding, len(sit.findings) - 1)]
        return texts.weighted_finding(self.rng, sit)

    def responsibility(self, finding: Finding) -> None:
        moment = self.work(1, 30)
        unit = self.spec.outlet if finding.finding in ("bank", "shared") else ""
        self.act(
            moment,
            "responsibility",
            svc.set_responsibility,
            self.cid,
            actor=self.actor(self.handler),
            finding=finding.finding,
            root_cause_code=finding.root_cause_code,
            root_cause_text=finding.root_cause,
            responsible_unit=unit,
            responsible_staff=self.respondent if finding.finding == "bank" else "",
            measure=finding.measure,
        )

    def items(self, finding: Finding, scale: float = 1.0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for kind, lo, hi in finding.items:
            if hi == 0:
                amount = Decimal("0")
            elif kind == "refund" and self.spec.amount is not None and lo <= self.spec.amount <= hi:
                amount = self.spec.amount
            else:
                amount = Decimal(round(self.rng.uniform(lo, hi) * scale))
            out.append({"kind": kind, "amount": str(amount), "description": ITEM_TEXT[kind]})
        return out

    def propose(self, finding: Finding, *, stop_if_pending: bool = False) -> bool:
        """Propose the solution; get it approved when it is above the handler's limit. True: left pending."""
        if not finding.items:
            return False
        items = self.items(finding)
        total = sum((Decimal(i["amount"]) for i in items), Decimal("0"))
        solution = self.fill(finding.solution or finding.remedy)
        moment = self.work(0.5, 8)
        self.act(
            moment,
            "propose",
            svc.propose_solution,
            self.cid,
            actor=self.actor(self.handler),
            solution=solution,
            items=items,
        )
        approver = self.approver(total)
        self.paid = total
        if approver is None:
            return False
        if stop_if_pending:
            return True
        if self.spec.reject_first:
            self.act(
                self.work(2, 30),
                "reject",
                svc.reject_proposal,
                self.cid,
                actor=self.actor(approver),
                reason="补偿金额测算依据不足，请补充依据并重新测算后提交",
            )
            items = self.items(finding, scale=0.7)
            total = sum((Decimal(i["amount"]) for i in items), Decimal("0"))
            self.act(
                self.work(2, 30),
                "propose again",
                svc.propose_solution,
                self.cid,
                actor=self.actor(self.handler),
                solution=solution + "（已按审批意见调整补偿金额）",
                items=items,
            )
            approver = self.approver(total)
            self.paid = total
            if approver is None:
                return False
        self.act(
            self.work(1, 36),
            "approve",
            svc.approve_proposal,
            self.cid,
            actor=self.actor(approver),
            reason="同意",
        )
        self.paid = total
        return False

    def confirm_codes(self, moment: datetime) -> None:
        """The handler confirms the suggested B and C codes before deciding (a decision needs them)."""
        assert self.case is not None
        stored = self.case.classification or {}
        for axis, fallback in (("business", "B01"), ("cause", "C01")):
            entry = stored.get(axis) or {}
            if entry.get("confirmed"):
                continue
            code = str((entry.get("suggested") or {}).get("code") or fallback)
            actor = self.actor(self.handler)
            self.act(moment, f"confirm {axis}", confirm_classification, self.cid, actor=actor, axis=axis, code=code)

    def respond(self, finding: Finding, *, second: bool = False) -> None:
        spec = self.spec
        assert self.case is not None
        due = self.due
        if due is None or (spec.late and not second):
            base = due or self.last
            moment = self.tl.after(max(base, self.last), 12, 8 * 24)
        else:
            spread = max(1.0, (due - self.last).total_seconds() / 86400 * 0.6)
            planned = self.tl.after(self.last, 4, 24 * spread)
            fitted = self.tl.before(planned, due, margin_hours=2)
            moment = fitted if fitted is not None else self.tl.after(self.last, 1, 8)
        sit = spec.situation
        assert sit is not None
        name = spec.complainant_name or (spec.customer.name if spec.customer else "客户")
        if spec.english:
            reasons_en = texts.EN_REASONS[finding.outcome]
            paid = self.paid
            remedy_en = (
                f"We will pay CNY {money(paid)} to your account within 3 working days." if paid else reasons_en[1]
            )
            content = texts.NOTICE_TEMPLATE_EN.format(
                name=name,
                received=f"{local_day(spec.received_at):%d %B %Y}",
                topic=sit.topic_en or sit.topic,
                number=self.case.case_number,
                reasons=reasons_en[0],
                remedy=remedy_en,
            )
        else:
            content = texts.NOTICE_TEMPLATE.format(
                name=addressee(self.case),  # 先生/女士 where the ID number tells, as the case page's draft
                received=long_date(local_day(spec.received_at)),
                topic=sit.topic,
                number=self.case.case_number,
                reasons=self.fill(finding.reasons),
                remedy=self.fill(finding.remedy),
            )
        if spec.channel in ("regulator", "letter"):
            channel = "letter"
        elif spec.channel in ("email", "wechat"):
            channel = spec.channel
        else:
            channel = "sms" if self.rng.random() < 0.2 else "phone"
        self.confirm_codes(moment)
        self.act(
            moment,
            "respond",
            svc.respond_to_case,
            self.cid,
            actor=self.actor(self.handler),
            outcome=finding.outcome,
            reasons=self.fill(finding.reasons),
            basis=pick(self.rng, sit.basis),
            remedy=self.fill(finding.remedy),
            notice=svc.Notice(channel, content, list(texts.NOTICE_ROUTES)),
        )

    def after_response(self, finding: Finding) -> None:
        spec = self.spec
        result = spec.feedback
        if result == "unreachable":
            moment = self.tl.after(self.last, 7 * 24 + 1, 7 * 24 + 30)
        else:
            moment = self.tl.after(self.last, 3, 5 * 24)
        csat = {
            "satisfied": self.rng.choice((4, 5, 5)),
            "basically_satisfied": self.rng.choice((3, 4)),
            "dissatisfied": self.rng.choice((1, 2)),
            "unreachable": None,
        }[result]
        self.act(
            moment,
            "feedback",
            svc.record_feedback,
            self.cid,
            actor=self.actor(self.handler),
            result=result,
            csat=csat,
            comments=pick(self.rng, texts.FEEDBACK_COMMENTS[result]),
            close_reason=pick(self.rng, texts.DISSATISFIED_CLOSE_REASONS) if result == "dissatisfied" else "",
        )
        if spec.reopen:
            self.reopen()
        self.visit()
        if spec.review:
            self.review()

    def reopen(self) -> None:
        new_facts = self.spec.reopen == "new_facts"
        moment = self.tl.after(self.last, 12, 6 * 24)
        self.act(
            moment,
            "reopen",
            svc.reopen_case,
            self.cid,
            actor=self.actor(self.handler),
            reason=pick(self.rng, texts.REOPEN_REASONS[new_facts]),
            new_facts=new_facts,
        )
        self.note(2, 48)
        finding = self.finding(reversed_=True)
        self.responsibility(finding)
        self.propose(finding)
        self.respond(finding, second=True)
        self.act(
            self.tl.after(self.last, 3, 72),
            "feedback after reopen",
            svc.record_feedback,
            self.cid,
            actor=self.actor(self.handler),
            result="satisfied",
            csat=4,
            comments="客户认可重新处理的结果。",
        )

    def visit(self) -> None:
        visit_id = FollowUpVisit.objects.filter(case_id=self.cid, status="pending").values_list("pk", flat=True).first()
        if visit_id is None or not self.spec.visit:
            return
        moment = self.tl.after(self.last, 20, 6 * 24)
        reached = self.rng.random() < 0.88
        satisfaction = self.rng.choice((5, 5, 4, 4, 4, 3, 2)) if reached else None
        self.act(
            moment,
            "visit",
            svc.record_visit,
            int(visit_id),
            actor=self.actor(self.handler),
            channel=self.rng.choice(("phone", "phone", "phone", "sms", "wechat")),
            reached=reached,
            satisfaction=satisfaction,
            comments=pick(self.rng, texts.FOLLOW_UP_COMMENTS[:4] if reached else texts.FOLLOW_UP_COMMENTS[4:5]),
        )

    def review(self) -> None:
        """The complainant asks the superior body for review (核查); head office decides on a linked case."""
        assert self.case is not None
        out_of_time = self.spec.review == "out_of_time"
        notified = self.case.notified_at or self.last
        if out_of_time:
            moment = max(self.tl.after(notified, 31 * 24 + 2, 40 * 24), self.last + timedelta(hours=1))
            requester = "hosupervisor"
        else:
            moment = self.tl.before(self.tl.after(self.last, 24, 20 * 24), notified + timedelta(days=30), 12) or (
                self.last + timedelta(hours=2)
            )
            requester = "compliance1"
        review = self.act(
            moment,
            "request review",
            svc.request_review,
            self.cid,
            actor=self.actor(requester),
            reason=pick(self.rng, texts.REVIEW_REQUESTS),
            received_at=None,
            override=out_of_time,
        )
        self.w.report.reviews += 1
        self.case = review
        reviewer = "hosupervisor" if self.rng.random() < 0.8 else "hohandler1"
        self.handler = reviewer
        self.act(
            self.tl.after(moment, 0.5, 20),
            "accept review",
            svc.accept_case,
            self.cid,
            actor=self.actor(reviewer),
            contact_channel="phone",
            contact_outcome="reached",
            explained="已告知核查受理及30日内作出核查决定",
            no_direct_interest=True,
        )
        self.act(
            self.tl.after(self.last, 0.1, 4),
            "investigate review",
            svc.start_investigation,
            self.cid,
            actor=self.actor(reviewer),
        )
        self.note(4, 72, text="已调阅原案全部卷宗、通话录音及答复材料，审查处理程序、时效和结果。")
        outcome = self.spec.review_outcome
        reasons, remedy = texts.REVIEW_DECISIONS[outcome]
        assert self.due is not None
        planned = self.tl.after(self.last, 2 * 24, 18 * 24)
        at = self.tl.before(planned, self.due, 12) or self.tl.after(self.last, 2, 8)
        content = texts.REVIEW_NOTICE_TEMPLATE.format(
            name=addressee(review), number=review.case_number, reasons=reasons, remedy=remedy
        )
        self.act(
            at,
            "decide review",
            svc.respond_to_case,
            self.cid,
            actor=self.actor(reviewer),
            outcome=outcome,
            reasons=reasons,
            basis="《银行业保险业消费投诉处理管理办法》关于核查的规定及原处理依据",
            remedy=remedy if outcome == "revised" else "",
            notice=svc.Notice("letter", content, list(texts.NOTICE_ROUTES)),
        )
        result = self.rng.choice(("satisfied", "satisfied", "basically_satisfied", "unreachable"))
        self.act(
            self.tl.after(self.last, 7 * 24 + 1, 7 * 24 + 30)
            if result == "unreachable"
            else self.tl.after(self.last, 24, 5 * 24),
            "review feedback",
            svc.record_feedback,
            self.cid,
            actor=self.actor(reviewer),
            result=result,
            csat={"satisfied": 5, "basically_satisfied": 4}.get(result),
            comments=pick(self.rng, texts.FEEDBACK_COMMENTS[result]),
        )

    def withdraw(self) -> None:
        moment = self.tl.after(self.last, 2, 4 * 24)
        self.act(
            moment,
            "withdraw",
            svc.withdraw_case,
            self.cid,
            actor=self.actor(self.handler),
            reason=pick(self.rng, texts.WITHDRAW_REASONS),
        )

    def decline(self) -> None:
        code = self.spec.decline_reason
        moment = self.tl.after(self.last, 1, 30)
        self.act(
            moment,
            "decline",
            svc.decline_case,
            self.cid,
            actor=self.actor(self.handler),
            reason_code=code,
            notice=self.fill(pick(self.rng, texts.DECLINES[code])),
        )

    def short_path(self) -> None:
        spec = self.spec
        short = spec.short
        assert short is not None
        registrar = self.registrar()
        if spec.channel in ("letter", "email"):
            moment = self.tl.after(spec.received_at, 0.3, 20)
        elif registrar == "hotline1":
            moment = spec.received_at + timedelta(minutes=self.rng.uniform(1, 8))
        else:
            moment = self.tl.office(spec.received_at + timedelta(minutes=self.rng.uniform(2, 30)))
        text, answer = short.english if spec.english and short.english else (short.text, short.answer)
        data = svc.RegisterInput(
            request_type=spec.request_type,
            channel=spec.channel,
            description=text,
            received_at=spec.received_at,
            customer_id=spec.customer.pk if spec.customer else None,
            complainant_name="" if spec.customer else "匿名来电",
            product=short.product,
            unit_code=spec.unit,
        )
        self.case = self.act(moment, "register", svc.register_case, data, actor=self.actor(registrar))
        self.w.report.primary += 1
        x = self.rng.random()
        if spec.request_type == "suggestion":
            at, who = self.tl.after(moment, 1, 20), self.supervisor
        elif x < 0.78:
            at, who = moment + timedelta(minutes=self.rng.uniform(1, 12)), registrar
        else:
            at, who = self.tl.after(moment, 2, 30), self.handler
        self.act(at, "answer", svc.answer_case, self.cid, actor=self.actor(who), answer=answer)


def run_stories(world: World, specs: list[CaseSpec], progress: Callable[[int], None] | None = None) -> Report:
    """Each case's whole story in one transaction (the services' own transactions nest inside it)."""
    for spec in specs:
        story = Story(world, spec)
        with transaction.atomic():
            try:
                story.run()
            except Horizon:
                world.report.stopped_at_horizon += 1
            except ServiceError as exc:
                world.report.refuse(spec, exc, story.step)
        if progress:
            progress(1)
    return world.report
