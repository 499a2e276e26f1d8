"""What happens to each demo case: its situation, channel, complainant, time of receipt and the story flags.

``plan_cases`` decides everything up front from one ``random.Random``, so a seed gives the same demo.
The first specs are a fixed list that guarantees every state, channel, request type and special path
(extension L1/L2, pause, reopen, review in and out of time, escalation, merge, …) appears even in a small
demo; the rest are drawn from realistic shares, plus the mass incident (a mobile-banking outage day).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from redressal.cases.models import Case
from redressal.demo.customers import DemoCustomer, weighted_branch
from redressal.demo.timeline import at_local, local_day
from redressal.domain.calendar import WorkCalendar
from redressal.triage.ml import texts
from redressal.triage.ml.texts import ShortPath, Situation

CHANNELS = tuple(Case.Channel.values)
CHANNEL_WEIGHTS = {
    "hotline": 34,
    "counter": 14,
    "self_service": 3,
    "online_banking": 5,
    "mobile_banking": 12,
    "wechat": 10,
    "email": 3,
    "letter": 2,
    "sms": 2,
    "third_party": 4,
    "regulator": 8,
    "other": 3,
}
OUTLET_CHANNELS = ("counter", "self_service")
OFFICE_CHANNELS = ("counter", "letter", "regulator", "email")


@dataclass
class CaseSpec:
    request_type: str
    channel: str
    branch: str
    received_at: datetime
    situation: Situation | None = None
    short: ShortPath | None = None
    customer: DemoCustomer | None = None
    complainant_name: str = ""
    outlet: str = ""
    unit: str = ""  # handling unit: the branch, or the outlet for counter / self-service matters
    regulator: str = ""
    english: bool = False
    amount: Decimal | None = None
    representatives: list[str] = field(default_factory=list)
    # Story flags.
    target: str = "closed"  # the state the story ends in (if the horizon does not stop it first)
    withdraw_stage: str = "investigating"
    decline_reason: str = "not_our_business"
    finding: int | None = None  # index into situation.findings; None: drawn by weight
    extension: int = 0
    pause: bool = False
    task: bool = False
    task_answered: bool = True
    task_blocking: bool = False
    reject_first: bool = False
    late: bool = False
    late_contact: bool = False
    assign_first: bool = False
    feedback: str = "satisfied"
    reopen: str = ""  # "" / "new_facts" / "same"
    review: str = ""  # "" / "in_time" / "out_of_time"
    review_outcome: str = "upheld"
    escalate: bool = False
    duplicates: int = 0
    visit: bool = True
    squeeze: bool = False  # pull late steps back before the horizon rather than stop (fixed-state cases)
    mass: bool = False
    forced: str = ""  # label of the fixed scenario, for the report
    seed: int = 0  # the story's own random stream, so one story never shifts the next


SITUATIONS = {s.key: s for s in texts.SITUATIONS}


def _weighted(rng: random.Random, options: dict[str, float]) -> str:
    total = sum(options.values())
    x = rng.random() * total
    for key, w in options.items():
        x -= w
        if x <= 0:
            return key
    return next(reversed(options))


def amount_for(rng: random.Random, situation: Situation) -> Decimal | None:
    if situation.amount is None:
        return None
    if situation.key == "annual_fee_twice":
        return Decimal((200, 300, 480, 580, 600, 880, 1000, 1800, 2000, 3600)[rng.randrange(10)])
    lo, hi = situation.amount
    value = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    if value >= 10000:
        return Decimal(round(value / 100) * 100)
    if value >= 1000:
        return Decimal(round(value / 10) * 10)
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


class Planner:
    def __init__(
        self, rng: random.Random, customers: list[DemoCustomer], horizon: datetime, calendar: WorkCalendar
    ) -> None:
        self.rng = rng
        self.horizon = horizon
        self.calendar = calendar
        self.by_branch: dict[str, list[DemoCustomer]] = {}
        self.elderly: dict[str, list[DemoCustomer]] = {}
        self.english: list[DemoCustomer] = []
        for c in customers:
            self.by_branch.setdefault(c.branch, []).append(c)
            if c.elderly:
                self.elderly.setdefault(c.branch, []).append(c)
            if c.language == "en":
                self.english.append(c)

    # --- building blocks ----------------------------------------------------------------------------

    def situation(self) -> Situation:
        keys = {s.key: s.weight for s in texts.SITUATIONS}
        return SITUATIONS[_weighted(self.rng, keys)]

    def channel_for(self, situation: Situation | None) -> str:
        if situation is not None and self.rng.random() < 0.7:
            return situation.channels[self.rng.randrange(len(situation.channels))]
        return _weighted(self.rng, {k: float(v) for k, v in CHANNEL_WEIGHTS.items()})

    def customer_for(self, branch: str, situation: Situation | None) -> DemoCustomer | None:
        pool = self.by_branch.get(branch) or [c for cs in self.by_branch.values() for c in cs]
        if not pool:
            return None
        share = situation.elderly if situation is not None else 0.2
        if self.rng.random() < share and self.elderly.get(branch):
            elderly = self.elderly[branch]
            return elderly[self.rng.randrange(len(elderly))]
        for _ in range(6):
            c = pool[self.rng.randrange(len(pool))]
            if c.language == "zh-hans" and c.kind == "individual":
                return c
        return pool[self.rng.randrange(len(pool))]

    def received_at(self, days_ago_lo: float, days_ago_hi: float, channel: str) -> datetime:
        """A receipt time ``days_ago`` before the horizon, at an hour that suits the channel."""
        day = local_day(self.horizon - timedelta(days=self.rng.uniform(days_ago_lo, days_ago_hi)))
        if channel in OFFICE_CHANNELS:
            day = self.calendar.next_working_day(day, inclusive=True) if self.rng.random() < 0.9 else day
            hour = self.rng.randint(9, 16)
        elif channel in ("hotline", "self_service"):
            hour = self.rng.choice((8, 9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 17, 19, 20, 21, 22))
        else:
            hour = self.rng.choice((0, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15, 16, 18, 19, 20, 20, 21, 21, 22, 23))
        moment = at_local(day, hour, self.rng.randint(0, 59)) + timedelta(seconds=self.rng.randint(0, 59))
        latest = self.horizon - timedelta(minutes=30)
        if moment > latest:  # later today: the same time yesterday, or just now
            moment = max(moment - timedelta(days=1), self.horizon - timedelta(days=days_ago_hi))
        return min(moment, latest)

    def place(self, spec: CaseSpec) -> None:
        """Outlet, handling unit and (for forwarded cases) the regulator."""
        outlets = [f"{spec.branch}{n:02d}" for n in range(1, 6)]
        spec.outlet = outlets[self.rng.randrange(5)]
        at_outlet = spec.channel in OUTLET_CHANNELS or (spec.situation is not None and spec.situation.staff_complained)
        spec.unit = spec.outlet if at_outlet and spec.request_type in ("complaint", "other") else spec.branch
        if spec.channel == "regulator" and not spec.regulator:
            prefer = spec.situation.regulator if spec.situation else "12378"
            if prefer in ("PBOC", "12363"):
                spec.regulator = self.rng.choice(("12363", "12363", "PBOC"))
            else:
                spec.regulator = self.rng.choice(("12378", "12378", "NFRA_LOCAL", "NFRA"))

    def complaint(self, branch: str | None = None, situation: Situation | None = None, **flags: object) -> CaseSpec:
        situation = situation or self.situation()
        branch = branch or weighted_branch(self.rng)
        channel = str(flags.pop("channel", "")) or self.channel_for(situation)
        spec = CaseSpec(
            request_type=str(flags.pop("request_type", "complaint")),
            channel=channel,
            branch=branch,
            received_at=self.horizon,
            situation=situation,
        )
        for key, value in flags.items():
            setattr(spec, key, value)
        spec.customer = spec.customer or self.customer_for(branch, situation)
        if spec.customer is None or self.rng.random() < 0.04:
            spec.customer = None
            spec.complainant_name = self.rng.choice("王李张刘陈杨黄赵吴周") + self.rng.choice(("先生", "女士"))
        if spec.customer is not None and spec.customer.language == "en" and situation.english:
            spec.english = True
        spec.amount = amount_for(self.rng, situation)
        if situation.key in ("wealth_missold", "mortgage_prepayment") and self.rng.random() < 0.05:
            spec.representatives = [
                self.rng.choice("王李张刘陈杨黄赵") + self.rng.choice(("建国", "秀英", "志强", "丽华", "海波"))
                for _ in range(self.rng.randint(2, 5))
            ]
        self.place(spec)
        if situation.department and "task" not in flags:
            spec.task = self.rng.random() < 0.4
            spec.task_answered = self.rng.random() < 0.92
            spec.task_blocking = spec.task_answered and self.rng.random() < 0.3
        return spec

    def short_path(self, request_type: str, branch: str | None = None, channel: str = "") -> CaseSpec:
        branch = branch or weighted_branch(self.rng)
        pool = texts.CONSULTATIONS if request_type == "consultation" else texts.SUGGESTIONS
        short = pool[self.rng.randrange(len(pool))]
        channel = channel or self.rng.choice(
            ("hotline", "hotline", "hotline", "counter", "wechat", "mobile_banking", "online_banking", "email", "sms")
        )
        spec = CaseSpec(
            request_type=request_type, channel=channel, branch=branch, received_at=self.horizon, short=short
        )
        spec.customer = self.customer_for(branch, None)
        if short.english and self.english and self.rng.random() < 0.06:
            spec.customer = self.english[self.rng.randrange(len(self.english))]
            spec.branch = spec.customer.branch
            spec.english = True
        self.place(spec)
        spec.unit = spec.branch
        return spec

    # --- the fixed scenarios --------------------------------------------------------------------------

    def fixed(self) -> list[CaseSpec]:
        """One case per state and special path, so a small demo still shows everything."""
        s = SITUATIONS
        r = self.rng
        out: list[tuple[CaseSpec, float, float]] = []

        def add(spec: CaseSpec, lo: float, hi: float, label: str) -> None:
            spec.forced = label
            out.append((spec, lo, hi))

        add(
            self.complaint("BJ", s["transfer_failed"], channel="hotline", target="registered", squeeze=True),
            0.05,
            0.2,
            "registered",
        )
        add(
            self.complaint("BJ", s["fee_charges"], channel="letter", target="registered", squeeze=True),
            3,
            5,
            "registered, first contact overdue",
        )
        add(
            self.complaint(
                "BJ", s["mobile_login"], channel="mobile_banking", target="accepted", squeeze=True, assign_first=True
            ),
            1,
            2,
            "accepted",
        )
        add(
            self.complaint(
                "BJ",
                s["unauthorised_deduction"],
                channel="wechat",
                target="investigating",
                squeeze=True,
                task=True,
                task_answered=False,
                task_blocking=False,
            ),
            3,
            6,
            "investigating, task open",
        )
        add(
            self.complaint(
                "SH",
                s["credit_report_error"],
                channel="online_banking",
                target="investigating",
                squeeze=True,
                task=False,
            ),
            22,
            40,
            "investigating, overdue",
        )
        add(
            self.complaint(
                "BJ",
                s["atm_card_swallowed"],
                channel="self_service",
                target="investigating",
                squeeze=True,
                pause=True,
                task=False,
            ),
            6,
            10,
            "investigating, paused",
        )
        add(
            self.complaint(
                "BJ",
                s["wealth_missold"],
                channel="counter",
                target="pending_approval",
                squeeze=True,
                finding=0,
                task=False,
            ),
            5,
            9,
            "pending approval",
        )
        add(
            self.complaint(
                "BJ", s["annual_fee_twice"], channel="sms", target="responded", squeeze=True, finding=0, task=False
            ),
            6,
            9,
            "responded",
        )
        add(self.complaint("GZ", s["collection_calls"], channel="email"), 60, 200, "closed")
        add(
            self.complaint(
                "BJ", s["transfer_failed"], channel="third_party", extension=1, task=True, task_answered=True
            ),
            60,
            200,
            "extended L1",
        )
        add(
            self.complaint(
                "SH", s["insurance_as_deposit"], channel="regulator", extension=2, finding=0, regulator="NFRA_LOCAL"
            ),
            100,
            250,
            "extended L2, regulator-forwarded",
        )
        add(
            self.complaint("BJ", s["wealth_missold"], channel="letter", pause=True, finding=1),
            80,
            250,
            "paused and resumed",
        )
        add(
            self.complaint(
                "BJ",
                s["unauthorised_deduction"],
                channel="hotline",
                finding=0,
                feedback="dissatisfied",
                reopen="new_facts",
            ),
            60,
            250,
            "reopened with new facts",
        )
        add(
            self.complaint(
                "BJ",
                s["collection_calls"],
                channel="hotline",
                finding=1,
                feedback="dissatisfied",
                review="in_time",
                review_outcome="revised",
                escalate=False,
            ),
            120,
            300,
            "reviewed",
        )
        add(
            self.complaint(
                "SZ", s["transfer_failed"], channel="wechat", finding=0, feedback="dissatisfied", review="out_of_time"
            ),
            120,
            300,
            "review out of time",
        )
        add(
            self.complaint(
                "BJ", s["account_restricted"], channel="counter", target="withdrawn", withdraw_stage="investigating"
            ),
            30,
            200,
            "withdrawn",
        )
        add(self.complaint("CD", s["fee_charges"], channel="other", target="declined"), 30, 200, "declined")
        add(
            self.complaint("BJ", s["annual_fee_twice"], channel="hotline", duplicates=1, finding=0),
            30,
            200,
            "merged duplicate",
        )
        add(
            self.complaint("BJ", s["wealth_missold"], channel="counter", finding=0, feedback="satisfied"),
            60,
            250,
            "compensation above branch limit",
        )
        add(
            self.complaint(
                "BJ",
                s["mobile_login"],
                channel="mobile_banking",
                task=True,
                task_answered=True,
                task_blocking=True,
                finding=0,
            ),
            30,
            200,
            "collaboration task answered",
        )
        add(
            self.complaint("WH", s["collection_calls"], channel="other", escalate=True, finding=0),
            30,
            200,
            "escalated to head office",
        )
        add(
            self.complaint(
                "SH", s["credit_report_error"], channel="regulator", late=True, regulator="12363", finding=0
            ),
            40,
            200,
            "late decision, regulator-forwarded",
        )
        add(self.short_path("consultation", "BJ", "hotline"), 2, 200, "consultation")
        add(self.short_path("suggestion", "BJ", "wechat"), 20, 200, "suggestion")
        add(
            self.complaint("BJ", texts.OTHER_MATTER, channel="online_banking", request_type="other"),
            30,
            200,
            "other request type",
        )
        english = self.complaint("SH", s["annual_fee_twice"], channel="email", finding=0)
        if self.english:
            english.customer = self.english[r.randrange(len(self.english))]
            english.branch = english.customer.branch
            self.place(english)
        english.english = True
        add(english, 30, 200, "English")
        add(
            self.complaint(
                "BJ", s["atm_card_swallowed"], channel="self_service", finding=0, reject_first=True, task=False
            ),
            30,
            200,
            "proposal rejected, then approved",
        )
        add(
            self.complaint("BJ", s["elderly_service"], channel="counter", escalate=True, finding=0),
            30,
            200,
            "escalated to the branch, staff complained about",
        )
        for spec, lo, hi in out:
            spec.received_at = self.received_at(lo, hi, spec.channel)
        return [spec for spec, _, _ in out]

    # --- the rest ---------------------------------------------------------------------------------------

    def random(self) -> CaseSpec:
        r = self.rng
        kind = _weighted(r, {"complaint": 78, "consultation": 12, "suggestion": 5, "other": 5})
        if kind in ("consultation", "suggestion"):
            spec = self.short_path(kind)
            spec.received_at = self.received_at(0, 365, spec.channel)
            return spec
        spec = self.complaint(request_type=kind, situation=texts.OTHER_MATTER if kind == "other" else None)
        spec.received_at = self.received_at(0, 365, spec.channel)
        self.story_flags(spec)
        return spec

    def story_flags(self, spec: CaseSpec) -> None:
        r = self.rng
        situation = spec.situation
        assert situation is not None
        end = _weighted(r, {"closed": 88.5, "withdrawn": 4, "declined": 2.5, "stall": 1.2, "dup": 3.8})
        if end == "withdrawn":
            spec.target = "withdrawn"
            spec.withdraw_stage = r.choice(("registered", "accepted", "investigating", "investigating"))
        elif end == "declined":
            spec.target = "declined"
            spec.decline_reason = "not_our_business" if r.random() < 0.7 else "not_by_complainant"
        elif end == "stall":
            spec.target = "investigating"
            spec.received_at = self.received_at(18, 60, spec.channel)
        elif end == "dup":
            spec.duplicates = 1 if r.random() < 0.85 else 2
        x = r.random()
        spec.extension = 2 if x < 0.02 else 1 if x < 0.11 else 0
        spec.pause = situation.pause is not None and r.random() < 0.12
        spec.late = r.random() < 0.04 and spec.extension == 0
        spec.late_contact = r.random() < 0.05
        spec.assign_first = r.random() < 0.5
        spec.reject_first = r.random() < 0.08
        spec.escalate = r.random() < 0.03
        spec.feedback = _weighted(
            r, {"satisfied": 55, "basically_satisfied": 20, "dissatisfied": 12, "unreachable": 13}
        )
        if spec.feedback == "dissatisfied":
            y = r.random()
            if y < 0.3:
                spec.reopen = "new_facts" if r.random() < 0.6 else "same"
            elif y < 0.65 and spec.unit == spec.branch and not spec.escalate:
                spec.review = "in_time" if r.random() < 0.85 else "out_of_time"
                spec.review_outcome = "revised" if r.random() < 0.3 else "upheld"
        spec.visit = r.random() < 0.93

    def mass_incident(self, count: int) -> list[CaseSpec]:
        """A mobile-banking transfer outage: ``count`` complaints on one working day, across the country."""
        r = self.rng
        day = local_day(self.horizon - timedelta(days=r.randint(90, 200)))
        while not self.calendar.is_working_day(day) or day.weekday() == 0:
            day -= timedelta(days=1)
        out: list[CaseSpec] = []
        for i in range(count):
            channel = _weighted(
                r,
                {"mobile_banking": 30, "hotline": 35, "wechat": 15, "third_party": 8, "other": 5, "online_banking": 7},
            )
            spec = self.complaint(situation=texts.MOBILE_OUTAGE, channel=channel, mass=True)
            # Most complaints come in during the outage (09:40–13:20) and the afternoon after it.
            x = r.random()
            lo, hi = (9 * 60 + 45, 14 * 60) if x < 0.6 else (14 * 60, 18 * 60) if x < 0.9 else (18 * 60, 23 * 60)
            minutes = r.randint(lo, hi - 1)
            spec.received_at = at_local(day, minutes // 60, minutes % 60) + timedelta(seconds=r.randint(0, 59))
            spec.task = r.random() < 0.7
            spec.task_answered = True
            spec.task_blocking = spec.task and r.random() < 0.5
            spec.feedback = _weighted(
                r, {"satisfied": 60, "basically_satisfied": 25, "dissatisfied": 8, "unreachable": 7}
            )
            spec.assign_first = r.random() < 0.3
            spec.duplicates = 1 if r.random() < 0.1 else 0
            spec.extension = 1 if r.random() < 0.05 else 0
            spec.escalate = i == 0
            spec.forced = "mass incident" if i == 0 else ""
            out.append(spec)
        return out


def plan_cases(
    n: int, rng: random.Random, customers: list[DemoCustomer], horizon: datetime, calendar: WorkCalendar
) -> list[CaseSpec]:
    if n <= 0:
        return []
    planner = Planner(rng, customers, horizon, calendar)
    specs = planner.fixed()[:n]
    if len(specs) < n:
        mass = 40 if n >= 400 else (n - len(specs)) // 8
        specs += planner.mass_incident(mass)
    while len(specs) < n:
        specs.append(planner.random())
    for spec in specs:
        spec.seed = rng.getrandbits(64)
    specs.sort(key=lambda s: s.received_at)
    return specs
