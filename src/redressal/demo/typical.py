"""The demo library's three typical cases (issue 15), each replayed through the services from
registration to the follow-up visit, then followed through and written up:

* **A failed interbank transfer that was debited** (mobile banking): the technology department finds
  the interface did not reverse the debit after a time-out; the bank refunds the amount and waives the
  fee (above the supervisor's limit, approved by the branch head); the interface fix is an improvement
  action of a root-cause issue opened from the case, done with its release note, and the issue closed.
* **An elderly customer treated impatiently at the counter**: the outlet's CCTV is the evidence; the
  teller is named in the responsibility finding; the bank apologises; the teller is held to account
  (retraining and a performance deduction), attends a retraining session and passes its exam.
* **A wealth product sold as “稳健型” to a conservative customer who lost money**: the dual recording
  (双录) and the risk questionnaire are the evidence; the salesperson is named; the compensation is
  above the branch's authority and approved by a senior manager; the salesperson is held to account.

Each case is marked typical, written up with its lessons (anonymised by the library), reviewed and
published by compliance (a second person). The moments are fixed relative to the seed's horizon; the
case's own steps run on a :class:`~redressal.demo.timeline.Timeline`, as every demo story does.

``replay_typical`` runs the three case stories (inside the seeder's replayed year, before routing
rules exist: the stories pick their handlers); ``follow_through`` the accountability, improvement,
training and library steps that come after the cases closed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from redressal.cases import services as svc
from redressal.cases.models import CollaborationTask, FollowUpVisit
from redressal.cases.notice_pdf import addressee, long_date
from redressal.core.clock import at_time
from redressal.demo.cases import Story, World
from redressal.demo.customers import DemoCustomer
from redressal.demo.org import DemoOrg
from redressal.demo.plan import SITUATIONS, CaseSpec
from redressal.demo.timeline import at_local, local_day
from redressal.domain.calendar import WorkCalendar
from redressal.improvement import services as improvement
from redressal.improvement.models import AccountabilityMeasure
from redressal.library.models import Enrolment, LibraryEntry
from redressal.library.services.entries import EntryInput, edit_entry, mark_typical, publish_entry, submit_entry
from redressal.library.services.training import add_session, create_course, enrol, record_result
from redressal.triage.ml import texts
from redressal.triage.services import confirm_classification

# Raw bytes that pass the upload checks for their declared type (the demo keeps no real recordings).
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
PDF = b"%PDF-1.4\n% Redressal demo document\n%%EOF\n"
PUBLISHER = "compliance1"
TAG = "典型案例"


@dataclass
class TypicalCase:
    key: str  # "transfer", "elderly", "wealth"
    case_id: int
    closed_at: datetime


@dataclass
class TypicalReport:
    cases: list[TypicalCase] = field(default_factory=list)
    entries: list[int] = field(default_factory=list)
    issues: list[int] = field(default_factory=list)
    accountabilities: list[int] = field(default_factory=list)
    enrolments: list[int] = field(default_factory=list)


def _pick_customer(customers: list[DemoCustomer], *, branch: str, elderly: bool, rng: random.Random) -> DemoCustomer:
    pool = [
        c
        for c in customers
        if c.branch == branch and c.kind == "individual" and c.language == "zh-hans" and c.elderly == elderly
    ]
    pool = pool or [c for c in customers if c.kind == "individual" and c.elderly == elderly] or customers
    return pool[rng.randrange(len(pool))]


class TypicalStory(Story):
    """One scripted story: the steps of :class:`Story` with this case's own texts and people."""

    def __init__(self, world: World, spec: CaseSpec, *, handler: str) -> None:
        super().__init__(world, spec)
        self.handler = handler

    def evidence(self, kind: str, filename: str, content_type: str, data: bytes, description: str) -> None:
        self.act(
            self.work(1, 20),
            f"evidence {kind}",
            svc.add_evidence,
            self.cid,
            actor=self.actor(self.handler),
            kind=kind,
            filename=filename,
            content_type=content_type,
            stream=io.BytesIO(data),
            description=description,
        )

    def ask(self, department: str, title: str, request: str, reply: str, collaborator: str) -> None:
        self.act(
            self.work(1, 10),
            "open task",
            svc.open_task,
            self.cid,
            actor=self.actor(self.handler),
            department_code=department,
            title=title,
            request=request,
            blocking=True,
        )
        task_id = (
            CollaborationTask.objects.filter(case_id=self.cid, status="open")
            .order_by("-pk")
            .values_list("pk", flat=True)[0]
        )
        self.act(
            self.work(4, 30), "reply task", svc.reply_task, int(task_id), actor=self.actor(collaborator), reply=reply
        )

    def write_note(self, text: str, kind: str = "investigation") -> None:
        self.act(self.work(1, 20), "note", svc.add_note, self.cid, actor=self.actor(self.handler), text=text, kind=kind)

    def find(self, finding: str, cause: str, text: str, unit: str, staff: str, measure: str) -> None:
        self.act(
            self.work(2, 24),
            "responsibility",
            svc.set_responsibility,
            self.cid,
            actor=self.actor(self.handler),
            finding=finding,
            root_cause_code=cause,
            root_cause_text=text,
            responsible_unit=unit,
            responsible_staff=staff,
            measure=measure,
        )

    def settle(self, solution: str, items: list[tuple[str, str, str]], approver: str | None) -> None:
        self.act(
            self.work(1, 8),
            "propose",
            svc.propose_solution,
            self.cid,
            actor=self.actor(self.handler),
            solution=solution,
            items=[{"kind": k, "amount": a, "description": d} for k, a, d in items],
        )
        if approver:
            self.act(
                self.work(2, 30), "approve", svc.approve_proposal, self.cid, actor=self.actor(approver), reason="同意"
            )

    def decide(self, outcome: str, codes: tuple[str, str], topic: str, reasons: str, basis: str, remedy: str) -> None:
        assert self.case is not None
        moment = self.work(4, 30)
        for axis, code in zip(("business", "cause"), codes, strict=True):
            self.act(
                moment,
                f"confirm {axis}",
                confirm_classification,
                self.cid,
                actor=self.actor(self.handler),
                axis=axis,
                code=code,
            )
        content = texts.NOTICE_TEMPLATE.format(
            name=addressee(self.case),
            received=long_date(local_day(self.spec.received_at)),
            topic=topic,
            number=self.case.case_number,
            reasons=reasons,
            remedy=remedy,
        )
        self.act(
            moment,
            "respond",
            svc.respond_to_case,
            self.cid,
            actor=self.actor(self.handler),
            outcome=outcome,
            reasons=reasons,
            basis=basis,
            remedy=remedy,
            notice=svc.Notice(
                "sms" if self.spec.channel == "mobile_banking" else "phone", content, list(texts.NOTICE_ROUTES)
            ),
        )

    def close(self, csat: int, comments: str, visit: str, visit_score: int) -> TypicalCase:
        self.act(
            self.tl.after(self.last, 4, 48),
            "feedback",
            svc.record_feedback,
            self.cid,
            actor=self.actor(self.handler),
            result="satisfied",
            csat=csat,
            comments=comments,
        )
        closed_at = self.last
        visit_id = FollowUpVisit.objects.filter(case_id=self.cid, status="pending").values_list("pk", flat=True)[0]
        self.act(
            self.tl.after(self.last, 3 * 24, 6 * 24),
            "visit",
            svc.record_visit,
            int(visit_id),
            actor=self.actor(self.handler),
            channel="phone",
            reached=True,
            satisfaction=visit_score,
            comments=visit,
        )
        return TypicalCase(key="", case_id=self.cid, closed_at=closed_at)


def _spec(
    world: World,
    key: str,
    *,
    channel: str,
    unit: str,
    outlet: str,
    received_at: datetime,
    customer: DemoCustomer,
    amount: Decimal | None,
    seed: int,
) -> CaseSpec:
    return CaseSpec(
        request_type="complaint",
        channel=channel,
        branch="BJ",
        received_at=received_at,
        situation=SITUATIONS[key],
        customer=customer,
        outlet=outlet,
        unit=unit,
        amount=amount,
        seed=seed,
    )


def _register(story: TypicalStory, registrar: str, description: str, demand: list[str], respondent: str = "") -> None:
    spec = story.spec
    sit = spec.situation
    assert sit is not None and spec.customer is not None
    data = svc.RegisterInput(
        request_type="complaint",
        channel=spec.channel,
        description=description,
        received_at=spec.received_at,
        customer_id=spec.customer.pk,
        party_type="natural_person",
        product=sit.product,
        amount=spec.amount,
        demand=demand,
        transaction_ref=f"{local_day(spec.received_at):%Y%m%d}{story.rng.randrange(10**10):010d}"
        if spec.amount
        else "",
        transaction_date=local_day(spec.received_at) - timedelta(days=1) if spec.amount else None,
        unit_code=spec.unit,
        respondent_unit_code=spec.outlet if respondent else "",
        respondent_staff_username=respondent,
    )
    moment = story.tl.office(spec.received_at + timedelta(minutes=story.rng.uniform(5, 40)))
    story.case = story.act(moment, "register", svc.register_case, data, actor=story.actor(registrar))
    story.w.report.primary += 1


def _accept(story: TypicalStory, channel: str, explained: str) -> None:
    story.act(
        story.tl.after(story.last, 0.5, 4),
        "accept",
        svc.accept_case,
        story.cid,
        actor=story.actor(story.handler),
        contact_channel=channel,
        contact_outcome="reached",
        explained=explained,
        no_direct_interest=True,
    )
    story.act(
        story.work(0.1, 2), "start investigation", svc.start_investigation, story.cid, actor=story.actor(story.handler)
    )


# --- the three stories ------------------------------------------------------------------------------


def _transfer(world: World, received_at: datetime, customer: DemoCustomer) -> TypicalCase:
    amount = Decimal("46800.00")
    spec = _spec(
        world,
        "transfer_failed",
        channel="mobile_banking",
        unit="BJ",
        outlet="",
        received_at=received_at,
        customer=customer,
        amount=amount,
        seed=1501,
    )
    story = TypicalStory(world, spec, handler="handler1")
    day = local_day(received_at - timedelta(days=1))
    _register(
        story,
        "agent1",
        f"本人于{day.month}月{day.day}日晚通过贵行手机银行向本人在{texts.OTHER_BANKS[0]}的账户跨行转账46,800.00元，用于支付装修尾款。"
        "页面显示“处理中”近半小时后提示“交易失败”，但我的账户已被扣款46,800.00元，另扣手续费15.00元。"
        "打客服电话被告知“等待系统处理”，至今资金既未到账也未退回。请贵行立即退还款项并说明原因。",
        ["refund", "explanation"],
    )
    _accept(story, "phone", "已告知受理，承诺查明资金状态后尽快答复，并告知处理时限")
    story.ask(
        "TECH",
        "核查手机银行跨行转账超时交易",
        "请核查客户该笔手机银行跨行转账在我行核心系统与网联平台之间的交易状态，说明扣款后未到账、未退回的原因。",
        "经查，该笔交易在我行核心系统已记账扣款，但转账指令发往网联平台时接口响应超时，交易最终失败；"
        "接口超时后未触发自动冲正，资金滞留在过渡账户。该缺陷已确认，同期另有少量同类交易，已列入整改。",
        "collab1",
    )
    story.evidence(
        "transaction_log",
        "交易流水与接口日志.txt",
        "text/plain",
        "交易状态: 扣款成功 / 转出失败(接口超时) / 冲正: 未执行\n".encode(),
        "核心系统交易流水及网联接口日志",
    )
    story.write_note(
        "已确认资金滞留过渡账户，与运营管理部核对后可原路退回；已电话告知客户资金安全、正在办理退款。",
        "records_request",
    )
    story.find("bank", "system_failure", "跨行转账接口超时后未自动冲正，资金被扣而转账未成功", "TECH", "", "none")
    story.settle(
        "原路退还被扣款项46,800.00元；减免本笔跨行转账手续费15.00元；接口缺陷纳入整改。",
        [("refund", "46800.00", "退还被扣转账款项"), ("fee_waiver", "15.00", "减免跨行转账手续费")],
        "branchhead1",  # above the supervisor's 5,000: the branch head's authority
    )
    story.decide(
        "upheld",
        ("B04", "C02"),
        "手机银行跨行转账失败但已扣款",
        "您的跨行转账因我行系统接口超时未能转出，系统未及时自动冲正，导致款项被扣而未到账，责任在我行，特此致歉。",
        "《中国人民银行金融消费者权益保护实施办法》关于保障资金安全的规定及《电子银行个人客户服务协议》",
        "被扣款项46,800.00元已原路退回您的账户，本笔手续费15.00元已减免；我行已对接口缺陷立项整改。",
    )
    done = story.close(5, "客户确认款项已退回，对处理速度表示满意。", "客户表示退款已到账，之后转账未再出现问题。", 5)
    done.key = "transfer"
    return done


def _elderly(world: World, received_at: datetime, customer: DemoCustomer) -> TypicalCase:
    spec = _spec(
        world,
        "elderly_service",
        channel="counter",
        unit="BJ01",
        outlet="BJ01",
        received_at=received_at,
        customer=customer,
        amount=None,
        seed=1502,
    )
    story = TypicalStory(world, spec, handler="handler1")
    age = customer.age or 78
    _register(
        story,
        "agent1",
        f"客户{customer.name}（{age}岁）当日上午到{world.org.units['BJ01'].name}柜台领取养老金，因看不清签字位置询问两次，"
        "柜员语气不耐烦，称“说了多少遍了，看不懂就让子女来办”，并催促客户“后面还有人排队”。"
        "客户当场情绪激动，认为受到轻视，要求网点道歉并对柜员严肃处理。",
        ["apology", "explanation"],
        respondent="teller1",
    )
    _accept(story, "in_person", "已当面致歉安抚，告知受理及处理时限，客户同意等待调查结果")
    story.evidence(
        "audio_video",
        "柜面监控录像.mp4",
        "video/mp4",
        MP4,
        "当日上午柜面监控录像（含音频）",
    )
    story.write_note(
        "已调阅柜面监控录像：柜员确有语气生硬、催促客户的情况，未主动提供放大镜及协助签字。", "investigation"
    )
    story.write_note("已约谈当事柜员，本人承认服务态度欠佳，已写出书面说明；网点爱心窗口当日未开放。", "interview")
    story.find(
        "bank",
        "staff_conduct",
        "柜员适老化服务意识不足，未执行老年客户优先及耐心解释的服务要求",
        "BJ01",
        "teller1",
        "training",
    )
    story.settle(
        "网点负责人当面向客户致歉，由专人陪同办理后续业务；当事柜员接受适老化服务再培训。",
        [("non_monetary", "0", "当面致歉")],
        None,
    )
    story.decide(
        "upheld",
        ("B01", "C01"),
        "网点人员对老年客户服务态度差",
        "经调阅监控并约谈当事员工，网点柜员服务态度确有不当，未落实老年客户优先及耐心解释的服务要求。",
        "我行《营业网点服务规范》关于老年客户优先服务的要求",
        "网点负责人已当面向您致歉；当事柜员将接受适老化服务再培训并按制度考核；网点已恢复爱心窗口。",
    )
    done = story.close(
        4, "客户接受道歉，希望今后不再发生。", "回访时客户表示后来办理业务时有专人协助，对改进表示认可。", 5
    )
    done.key = "elderly"
    return done


def _wealth(world: World, received_at: datetime, customer: DemoCustomer) -> TypicalCase:
    amount = Decimal("300000.00")
    spec = _spec(
        world,
        "wealth_missold",
        channel="counter",
        unit="BJ",
        outlet="BJ01",
        received_at=received_at,
        customer=customer,
        amount=amount,
        seed=1503,
    )
    story = TypicalStory(world, spec, handler="handler2")
    _register(
        story,
        "agent1",
        f"客户{customer.name}反映：去年在{world.org.units['BJ01'].name}存款到期时，理财经理推荐购买“{texts.PRODUCT_NAMES[0]}”"
        "30万元，称产品是“稳健型、跟定期存款差不多、不会亏本”。客户明确表示这是养老钱、不能承受亏损，风险测评为保守型。"
        "现产品净值下跌，赎回亏损72,600元。客户认为银行误导销售，要求赔偿全部损失并对理财经理追责。",
        ["compensation", "explanation"],
        respondent="wealth1",
    )
    _accept(story, "phone", "已告知受理及处理时限，说明将调取双录及风险测评材料核实")
    story.ask(
        "RETAIL",
        "调取理财销售双录及风险测评材料",
        "请提供客户购买该理财产品的双录视频、风险承受能力评估问卷及产品风险揭示书签收记录。",
        "已上传双录视频及风险评估问卷。问卷评估结果为C1保守型，所购产品风险等级为R3；"
        "双录中理财经理有“稳健型”“基本不会亏”等表述，风险揭示环节语速过快，未确认客户理解。",
        "collab4",
    )
    story.evidence("dual_recording", "理财销售双录.mp4", "video/mp4", MP4, "销售过程双录视频（录音录像）")
    story.evidence(
        "written",
        "风险承受能力评估问卷.pdf",
        "application/pdf",
        PDF,
        "客户签字的风险承受能力评估问卷（结果：C1保守型）",
    )
    story.write_note(
        "双录显示理财经理将R3产品介绍为“稳健型”，风险测评为C1保守型，产品与客户风险等级不匹配。", "investigation"
    )
    story.write_note("已约谈理财经理，其承认强调了历史业绩、未充分揭示净值波动风险。", "interview")
    story.find(
        "bank",
        "sales_practice",
        "理财经理向保守型客户销售R3产品并称“稳健型”，风险揭示不充分，违反适当性要求",
        "BJ01",
        "wealth1",
        "performance_deduction",
    )
    # 60,000 is above the branch head's 50,000: only a senior manager of head office may approve it.
    story.settle(
        "依据双录与风险测评结论，我行对销售不适当承担主要责任，补偿客户本金损失60,000.00元。",
        [("compensation", "60000.00", "补偿本金损失")],
        "senior1",
    )
    story.decide(
        "upheld",
        ("B0801", "C04"),
        "“稳健型”理财产品销售误导",
        "经调阅销售双录及风险承受能力评估问卷，您的风险测评结果为保守型，所购产品风险等级为R3，"
        "销售人员将其介绍为“稳健型”且风险揭示不充分，我行承担主要责任。",
        "《商业银行理财业务监督管理办法》关于销售适当性及风险揭示的规定",
        "我行补偿您本金损失60,000.00元，三个工作日内划入您的账户；对销售人员已依规问责。",
    )
    done = story.close(4, "客户接受补偿方案，表示理解。", "回访时客户确认补偿款已到账，对处理结果基本满意。", 4)
    done.key = "wealth"
    return done


def replay_typical(world: World, customers: list[DemoCustomer]) -> TypicalReport:
    """The three case stories, each in one transaction, at fixed distances before the horizon."""
    rng = random.Random(15)
    report = TypicalReport()
    horizon = world.horizon
    stories = (
        (_transfer, 170, _pick_customer(customers, branch="BJ", elderly=False, rng=rng)),
        (_elderly, 150, _pick_customer(customers, branch="BJ", elderly=True, rng=rng)),
        (_wealth, 130, _pick_customer(customers, branch="BJ", elderly=False, rng=rng)),
    )
    for run, days, customer in stories:
        received = world.calendar.next_working_day(local_day(horizon - timedelta(days=days)), inclusive=True)
        with transaction.atomic():
            report.cases.append(run(world, at_local(received, 10, 12), customer))
    return report


# --- after the cases closed -------------------------------------------------------------------------


def _later(calendar: WorkCalendar, moment: datetime, days: int, hour: int = 10) -> datetime:
    return at_local(calendar.add_working_days(local_day(moment), days), hour)


LESSONS = {
    "transfer": (
        "手机银行跨行转账失败但已扣款",
        "客户跨行转账失败却被扣款，根因是接口超时后未自动冲正；退款、减免手续费并立项修复接口。",
        "资金类投诉第一时间确认资金状态并告知客户；系统缺陷造成的损失主动退还，不让客户等待“系统处理”。"
        "同类交易要排查，根因交科技部门整改，整改完成后跟踪投诉是否下降。",
    ),
    "elderly": (
        "老年客户在柜面遭遇不耐烦对待",
        "柜员对看不清签字位置的老年客户语气生硬；网点当面致歉，柜员接受再培训并考核，回访确认改进。",
        "对老年客户先倾听、放慢语速、主动协助；爱心窗口按要求开放。服务态度投诉以监控录像为据，"
        "认定后当面致歉，责任人的再培训要有考核成绩，并在回访中确认客户感受。",
    ),
    "wealth": (
        "“稳健型”理财产品误导销售保守型客户",
        "R3级产品被称为“稳健型”卖给保守型客户并出现亏损；以双录和风险测评为据认定销售不适当，补偿超出分行权限报总行审批，销售人员被问责。",
        "销售须与客户风险等级匹配，不得用“稳健型”“不会亏”替代风险揭示；双录和风险测评问卷是厘清责任的关键证据，"
        "应完整留存；补偿金额超出分行权限的，及时报上级审批，避免久拖不决。",
    ),
}


def _write_up(org: DemoOrg, typical: TypicalCase, horizon: datetime, writer: str) -> LibraryEntry:
    start = min(typical.closed_at + timedelta(days=20), horizon - timedelta(hours=3))
    title, summary, lessons = LESSONS[typical.key]
    with at_time(start):
        entry = mark_typical(
            typical.case_id, actor=org.actor(writer), reason="年度典型案例", rng=random.Random(typical.case_id)
        )
    with at_time(start + timedelta(hours=1)):
        edit_entry(
            entry.pk,
            actor=org.actor(writer),
            data=EntryInput(
                title=title,
                summary=summary,
                facts=entry.facts,
                handling=entry.handling,
                outcome=entry.outcome,
                lessons=lessons,
                business_code=entry.business_code,
                cause_code=entry.cause_code,
                tags=[*entry.tags, TAG],
            ),
        )
        submit_entry(entry.pk, actor=org.actor(writer))
    with at_time(start + timedelta(hours=4)):
        publish_entry(entry.pk, actor=org.actor(PUBLISHER), note="审核通过，列入年度典型案例")
    return entry


def _interface_fix(org: DemoOrg, calendar: WorkCalendar, typical: TypicalCase, report: TypicalReport) -> None:
    opened = _later(calendar, typical.closed_at, 1)
    with at_time(opened):
        issue = improvement.open_issue(
            actor=org.actor("compliance1"),
            case_id=typical.case_id,
            title="跨行转账接口超时未自动冲正",
            root_cause="手机银行跨行转账在网联接口响应超时后，核心系统已扣款但未触发自动冲正，资金滞留过渡账户",
            unit_code="HO",
            owner="hosupervisor",
            cause_code="C02",
            business_code="B04",
        )
        fix = improvement.add_action(
            issue.pk,
            actor=org.actor("hosupervisor"),
            title="修复接口超时自动冲正缺陷",
            description="接口超时30秒未确认即自动冲正，并向客户推送资金状态提醒",
            owner="collab1",
            due_in_working_days=15,
        )
    with at_time(_later(calendar, opened, 11, 16)):
        improvement.complete_action(
            fix.pk,
            actor=org.actor("collab1"),
            note="冲正逻辑已上线，历史滞留交易已全部退回",
            filename="上线说明.pdf",
            content_type="application/pdf",
            stream=io.BytesIO(PDF),
        )
    with at_time(_later(calendar, opened, 14, 15)):
        improvement.close_issue(
            issue.pk, actor=org.actor("hosupervisor"), note="接口缺陷已修复，上线后未再出现扣款未冲正"
        )
    report.issues.append(issue.pk)


def _hold_to_account(
    org: DemoOrg,
    typical: TypicalCase,
    *,
    actor: str,
    staff: str,
    finding: str,
    measures: list[improvement.MeasureInput],
) -> int:
    with at_time(typical.closed_at + timedelta(hours=3)):
        acc = improvement.record_accountability(
            typical.case_id, actor=org.actor(actor), staff=staff, finding=finding, measures=measures
        )
    for measure in acc.measures.exclude(kind="training").order_by("pk"):
        with at_time(typical.closed_at + timedelta(days=3)):
            improvement.carry_out_measure(measure.pk, actor=org.actor(actor), evidence_note="已按制度执行，记录存档")
    return int(acc.pk)


def _retrain(
    org: DemoOrg, calendar: WorkCalendar, typical: TypicalCase, accountability_id: int, report: TypicalReport
) -> None:
    """The teller's retraining: a session she attends with an exam score, for the training measure."""
    measure = (
        AccountabilityMeasure.objects.filter(accountability_id=accountability_id, kind="training")
        .order_by("pk")
        .first()
    )
    assert measure is not None
    set_up = _later(calendar, typical.closed_at, 2)
    starts = _later(calendar, typical.closed_at, 8, 14)
    with at_time(set_up):
        course = create_course(
            actor=org.actor("supervisor1"),
            topic="老年客户服务规范再培训",
            unit=org.units["BJ"],
            description="针对服务态度类投诉的再培训：老年客户接待、耐心解释、协助签字与爱心窗口服务，课后闭卷考试。",
            pass_mark=80,
        )
        session = add_session(
            course.pk,
            actor=org.actor("supervisor1"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            trainer=org.staff["branchhead1"],
            place="北京分行三楼培训室",
        )
        enrolment = enrol(
            session.pk,
            actor=org.actor("supervisor1"),
            staff=org.staff["teller1"],
            reason_kind=Enrolment.ReasonKind.ACCOUNTABILITY,
            reason_ref=f"AM-{measure.pk}",
            reason_text="适老化服务再培训（问责措施）",  # AM-<id>: resolved to the measure by its app
        )
    # Attended and passed: the training measure is carried out by this recording (decision 0023).
    with at_time(starts + timedelta(hours=4)):
        record_result(enrolment.pk, actor=org.actor("branchhead1"), attendance=Enrolment.Attendance.PRESENT, score=88)
    report.enrolments.append(int(enrolment.pk))


def follow_through(org: DemoOrg, calendar: WorkCalendar, horizon: datetime, replayed: TypicalReport) -> TypicalReport:
    """Accountability, the interface fix, the retraining and the library entries of the three cases."""
    report = replayed
    by_key = {t.key: t for t in replayed.cases}
    with transaction.atomic():
        _interface_fix(org, calendar, by_key["transfer"], report)
        teller = _hold_to_account(
            org,
            by_key["elderly"],
            actor="supervisor1",
            staff="teller1",
            finding="对老年客户服务态度生硬、催促客户，未落实老年客户优先及耐心解释的服务要求",
            measures=[
                improvement.MeasureInput(
                    kind="training", description="老年客户服务规范再培训并考试", due_in_working_days=15
                ),
                improvement.MeasureInput(
                    kind="performance_deduction", description="当月服务质量绩效扣减", due_in_working_days=5
                ),
            ],
        )
        report.accountabilities.append(teller)
        _retrain(org, calendar, by_key["elderly"], teller, report)
        sales = _hold_to_account(
            org,
            by_key["wealth"],
            actor="branchhead1",
            staff="wealth1",
            finding="向保守型客户销售R3级产品并称“稳健型”，风险揭示不充分，违反销售适当性要求",
            measures=[
                improvement.MeasureInput(
                    kind="performance_deduction", description="扣减当年绩效", due_in_working_days=5
                ),
                improvement.MeasureInput(kind="other", description="暂停理财产品销售资格三个月", due_in_working_days=3),
                improvement.MeasureInput(kind="training", description="理财销售适当性管理培训", due_in_working_days=20),
            ],
        )
        report.accountabilities.append(sales)
        for typical in replayed.cases:
            entry = _write_up(org, typical, horizon, "supervisor1")
            report.entries.append(int(entry.pk))
    return report
