"""The demo bank's case library and training (issue 15, items 7 and 8), built through their services.

A handful of the replayed year's closed complaints, one per business line where there is one, are
marked typical by their branch's supervisor, written up with lessons for their cause, and published
by compliance (a second person); two courses teach from them, with sessions, enrolments (one for an
accountability measure), attendance and scores. Deterministic: the seeder's random generator.

The three typical cases with their full stories (issue 15: the failed interbank transfer, the elderly
customer at the counter, the mis-sold "稳健型" product) are replayed by their own module and added to
the library there; ``MAX_ENTRIES`` leaves them room beside these.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from redressal.cases.models import Case
from redressal.core.clock import at_time
from redressal.core.errors import ServiceError
from redressal.demo.org import DemoOrg
from redressal.demo.timeline import at_local, local_day
from redressal.domain.lifecycle import State
from redressal.improvement.models import AccountabilityMeasure
from redressal.library.models import Enrolment, LibraryEntry
from redressal.library.services.entries import EntryInput, edit_entry, mark_typical, publish_entry, submit_entry
from redressal.library.services.training import add_session, create_course, enrol, record_result
from redressal.library.sources import confirmed_code

MAX_ENTRIES = 6
PUBLISHER = "compliance1"

# What a reader should take away, by the cause (JR/T 0169 C) of the case: written for the demo.
LESSONS: dict[str, str] = {
    "C01": "对老年客户和情绪激动的客户，先倾听、再解释，语速放慢、用通俗语言；"
    "服务用语不当须当面致歉，并纳入网点晨会通报。",
    "C02": "系统或设备故障引发的投诉，先确认资金状态并主动告知进展；同类故障集中出现时及时上报科技部门排查根因。",
    "C03": "业务规则须在办理前讲清楚；规则本身不合理的，记录并反馈给产品部门，而不是让一线反复解释。",
    "C04": "营销须与客户风险等级匹配，禁止夸大收益；双录和风险测评是厘清责任的关键证据，应完整留存。",
    "C05": "收费、风险和条款变更须事前充分告知并留痕；客户称“未被告知”时，以告知记录为准核实。",
    "C06": "产品收益不及预期的投诉，区分市场波动与销售误导；对客户解释净值变化时给出具体数据。",
    "C07": "不得捆绑销售或强制开通服务；客户要求解约的，按约定及时办理并告知办理结果。",
    "C08": "合同条款争议以合同原文为据，解释时逐条对照；格式条款中对客户不利的内容须重点提示。",
    "C09": "涉及资金安全的投诉须第一时间冻结风险、核查流水，并在时限内给出明确答复，避免客户反复催问。",
    "C10": "个人信息的调取和使用须有授权记录；催收等外呼不得向无关第三人透露客户信息。",
    "C11": "收费争议先核对收费依据和告知记录；确属重复或错误收费的，主动退还并说明原因。",
    "C12": "催收须遵守时间、频次和用语规范；接到第三人投诉的，及时删除其联系方式并核查外包机构。",
}
DEFAULT_LESSON = "按时限受理、调查和答复，处理过程留痕；处理结束后做好回访，把投诉中暴露的问题反馈到制度和流程。"


@dataclass
class LibraryReport:
    entries: int = 0
    courses: int = 0
    enrolments: int = 0
    scored: int = 0
    skipped: list[str] = field(default_factory=list)


def _writer(org: DemoOrg, case: Case) -> str:
    """The case's branch supervisor (head office's for a head-office case): who marks it typical."""
    branch = org.branch_of(case.unit.code)
    team = org.branches.get(branch)
    return team.supervisor if team else "hosupervisor"


def _pick(cases: list[Case], rng: random.Random, limit: int) -> list[Case]:
    """One case per business line (B major code), as many lines as there are up to ``limit``."""
    by_line: dict[str, list[Case]] = {}
    for case in cases:
        business = confirmed_code(case, "business")
        if business and confirmed_code(case, "cause"):
            by_line.setdefault(business[:3], []).append(case)
    lines = sorted(by_line)
    rng.shuffle(lines)
    return [rng.choice(by_line[line]) for line in lines[:limit]]


def _publish(org: DemoOrg, case: Case, rng: random.Random, horizon: datetime) -> LibraryEntry:
    assert case.closed_at is not None
    start = min(case.closed_at + timedelta(days=rng.randint(2, 10)), horizon - timedelta(hours=3))
    writer = org.actor(_writer(org, case))
    with at_time(start):
        entry = mark_typical(case.pk, actor=writer, reason="年度典型案例评选", rng=rng)
    with at_time(start + timedelta(minutes=40)):
        lessons = LESSONS.get(entry.cause_code[:3], DEFAULT_LESSON)
        data = EntryInput(
            title=entry.title,
            summary=entry.summary,
            facts=entry.facts,
            handling=entry.handling,
            outcome=entry.outcome,
            lessons=lessons,
            business_code=entry.business_code,
            cause_code=entry.cause_code,
            tags=[*entry.tags, "年度典型案例"],
        )
        edit_entry(entry.pk, actor=writer, data=data)
        submit_entry(entry.pk, actor=writer)
    with at_time(start + timedelta(hours=2)):
        publish_entry(entry.pk, actor=org.actor(PUBLISHER), note="审核通过")
    return entry


def _session_moment(horizon: datetime, days_before: int) -> datetime:
    return at_local(local_day(horizon - timedelta(days=days_before)), 14, 0)


def _teach(
    org: DemoOrg,
    rng: random.Random,
    horizon: datetime,
    report: LibraryReport,
    *,
    manager: str,
    unit: str,
    topic: str,
    description: str,
    pass_mark: int,
    entries: list[LibraryEntry],
    sessions: list[tuple[int, str, str, list[str]]],  # (days before the horizon, trainer, place, trainees)
    reasons: dict[str, tuple[str, str, str]],  # trainee → (kind, reference, text)
) -> None:
    actor = org.actor(manager)
    first = _session_moment(horizon, max(s[0] for s in sessions)) - timedelta(days=14)
    # A course teaches from entries already published when it is set up.
    entries = [e for e in entries if e.current_version is not None and e.current_version.published_at <= first]
    with at_time(first):
        course = create_course(
            actor=actor,
            topic=topic,
            unit=org.units[unit],
            description=description,
            pass_mark=pass_mark,
            entry_ids=[e.pk for e in entries],
        )
    report.courses += 1
    for days_before, trainer, place, trainees in sessions:
        starts = _session_moment(horizon, days_before)
        with at_time(first + timedelta(hours=1)):
            session = add_session(
                course.pk,
                actor=actor,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                trainer=org.staff[trainer],
                place=place,
            )
        with at_time(starts - timedelta(days=7)):
            enrolled: list[Enrolment] = []
            for username in trainees:
                kind, ref, text = reasons.get(username, (Enrolment.ReasonKind.OTHER, "", "年度服务规范轮训"))
                enrolled.append(
                    enrol(
                        session.pk,
                        actor=actor,
                        staff=org.staff[username],
                        reason_kind=kind,
                        reason_ref=ref,
                        reason_text=text,
                    )
                )
                report.enrolments += 1
        with at_time(starts + timedelta(hours=3)):
            for enrolment in enrolled:
                if rng.random() < 0.1:
                    record_result(enrolment.pk, actor=org.actor(trainer), attendance=Enrolment.Attendance.ABSENT)
                    continue
                # Most pass; a few fall short of the mark and are retrained.
                score = min(100, max(40, round(rng.gauss(pass_mark + 14, 10))))
                record_result(
                    enrolment.pk, actor=org.actor(trainer), attendance=Enrolment.Attendance.PRESENT, score=score
                )
                report.scored += 1


def build_library(org: DemoOrg, rng: random.Random, horizon: datetime) -> LibraryReport:
    report = LibraryReport()
    closed = list(
        Case.objects.filter(status=State.CLOSED, kind=Case.Kind.PRIMARY, request_type="complaint")
        .exclude(closed_at=None)
        .filter(library_entries__isnull=True)  # not the typical cases, already written up (demo/typical.py)
        .filter(closed_at__lt=horizon - timedelta(days=1))
        .select_related("unit")
        .order_by("closed_at", "pk")
    )
    entries: list[LibraryEntry] = []
    for case in _pick(closed, rng, MAX_ENTRIES):
        try:
            entries.append(_publish(org, case, rng, horizon))
        except ServiceError as exc:  # reported in the seed's summary, as the stories report theirs
            report.skipped.append(f"{case.case_number}: {exc.code}")
    entries = list(LibraryEntry.objects.filter(pk__in=[e.pk for e in entries]).select_related("current_version"))
    report.entries = len(entries)
    service = [e for e in entries if e.cause_code.startswith("C01")] or entries[:2]
    # A teller with a training measure still open from an accountability finding is enrolled for it.
    measure = (
        AccountabilityMeasure.objects.filter(
            accountability__staff__username="teller1", kind="training", state="ordered"
        )
        .order_by("pk")
        .first()
    )
    teller_reason = (
        (Enrolment.ReasonKind.ACCOUNTABILITY, f"AM-{measure.pk}", "服务规范再培训（问责措施）")
        if measure is not None
        else (Enrolment.ReasonKind.OTHER, "", "适老化服务再培训")
    )
    _teach(
        org,
        rng,
        horizon,
        report,
        manager="compliance1",
        unit="HO",
        topic="适老化服务与沟通技巧",
        description="结合案例库中的服务态度类典型案例，讲解老年客户接待、情绪安抚和通俗解释的方法。",
        pass_mark=70,
        entries=service,
        sessions=[
            (45, "supervisor1", "北京分行三楼培训室", ["teller1", "agent1", "handler1", "handler2"]),
            (30, "supervisor2", "上海分行二楼会议室", ["teller2", "agent2", "handler3", "handler4"]),
        ],
        reasons={"teller1": teller_reason},
    )
    _teach(
        org,
        rng,
        horizon,
        report,
        manager="supervisor1",
        unit="BJ",
        topic="投诉处理时限与处理决定告知规范",
        description="处理时限的计算、延期和中止的条件，处理决定告知书的必备内容（含救济途径）。",
        pass_mark=60,
        entries=entries[:3],
        sessions=[(20, "branchhead1", "北京分行五楼报告厅", ["handler1", "handler2", "agent1"])],
        reasons={},
    )
    return report
