"""The demo bank's QA (质检) and scorecards' history (SPEC §12), built through ``redressal.quality``.

Each month of the replayed year that has ended is sampled on the first working morning after it, as
the scheduler would; the inspectors score most of the sample over the following days (the last month
only in part: its scoring is still going on), one case a month is scored a second time blind by the
other inspector for calibration, and a few handlers appeal — one appeal upheld, one revised. Scores
lean to the good with a weak item now and then, from a seeded random generator.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from redressal.core.clock import at_time
from redressal.core.errors import ServiceError
from redressal.demo.org import DemoOrg
from redressal.demo.timeline import at_local, local_day
from redressal.domain.calendar import WorkCalendar
from redressal.domain.quality.months import Month
from redressal.quality import facts
from redressal.quality import services as qa
from redressal.quality.models import QaInspection
from redressal.quality.services.config import rubric_of

INSPECTORS = ("qa1", "qa2")
REMARKS = {
    "attitude": "通话中语气生硬，未先安抚客户情绪",
    "disclosure": "告知书未写明申请核查的期限",
    "records": "调查记录缺少与业务部门的沟通记录",
    "investigation": "未调取交易流水即作出结论",
    "timeliness": "首次联系晚于一个工作日",
}
APPEALS = (
    ("upheld", "客户当时情绪激动，我已多次致歉并解释", "录音显示语气确有不当，维持原评分"),
    ("revised", "沟通记录已在协办任务中留存，请复核", "协办任务中有完整沟通记录，记录完整性改判为满分"),
)


@dataclass
class QualityReport:
    months: int = 0
    sampled: int = 0
    scored: int = 0
    calibrated: int = 0
    appealed: int = 0
    refused: int = 0


def _working_morning(day_after: datetime, calendar: WorkCalendar, hour: int) -> datetime:
    day = local_day(day_after)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return at_local(day, hour)


def _scores(
    rng: random.Random, codes: tuple[str, ...], maxima: dict[str, int]
) -> tuple[dict[str, int], dict[str, str]]:
    scores = {c: maxima[c] if rng.random() < 0.7 else maxima[c] - 1 for c in codes}
    comments: dict[str, str] = {}
    if rng.random() < 0.35:  # a weak item, with the inspector's reason
        weak = rng.choice([c for c in codes if c in REMARKS])
        scores[weak] = rng.randint(1, 3)
        comments[weak] = REMARKS[weak]
    return scores, comments


def build_quality(
    org: DemoOrg,
    calendar: WorkCalendar,
    start: datetime,
    horizon: datetime,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> QualityReport:
    rng = random.Random(seed * 7 + 15)
    report = QualityReport()
    tz = facts.tz()
    month = Month.of(start, tz).next()  # the first whole month of the replay
    last = Month.of(horizon, tz).previous()
    appeals = list(APPEALS)
    while month <= last:
        drawn_at = _working_morning(month.end(tz), calendar, 9)
        if drawn_at >= horizon:
            break
        with at_time(drawn_at):
            sample, added = qa.draw_sample(month, actor=org.actor("qa1"))
        report.months += 1
        report.sampled += added
        rubric = rubric_of(sample.config)
        maxima = {i.code: i.max_score for i in rubric.items}
        share = 0.5 if month == last else 0.9
        inspections = list(QaInspection.objects.filter(sample=sample).order_by("pk"))
        calibrated = False
        for n, inspection in enumerate(inspections):
            if rng.random() > share:
                continue
            moment = min(drawn_at + timedelta(hours=2 + n * 3 + rng.randint(0, 90) / 60), horizon - timedelta(hours=1))
            first = INSPECTORS[n % 2]
            scores, comments = _scores(rng, rubric.codes, maxima)
            try:
                with at_time(moment):
                    qa.submit_score(inspection.pk, actor=org.actor(first), scores=scores, comments=comments)
                report.scored += 1
                if not calibrated and moment + timedelta(days=2) < horizon:
                    second = INSPECTORS[(n + 1) % 2]
                    with at_time(moment + timedelta(hours=1)):
                        qa.request_calibration(inspection.pk, actor=org.actor(first), calibrator=second)
                    blind = {c: max(0, min(maxima[c], v + rng.choice((-1, 0, 0, 1)))) for c, v in scores.items()}
                    with at_time(moment + timedelta(days=1)):
                        qa.submit_score(inspection.pk, actor=org.actor(second), scores=blind, comments={})
                    calibrated = True
                    report.calibrated += 1
                elif appeals and comments and month.month % 4 == 0 and moment + timedelta(days=3) < horizon:
                    result, reason, decision = appeals.pop(0)
                    decider = INSPECTORS[(n + 1) % 2]
                    with at_time(moment + timedelta(days=1)):
                        qa.file_appeal(inspection.pk, actor=org.actor(inspection.handler.username), reason=reason)
                    revised = {**scores, **{c: maxima[c] for c in comments}} if result == "revised" else None
                    with at_time(moment + timedelta(days=2)):
                        qa.decide_appeal(
                            inspection.pk,
                            actor=org.actor(decider),
                            revise=revised is not None,
                            reason=decision,
                            scores=revised,
                        )
                    report.appealed += 1
            except ServiceError:
                report.refused += 1  # e.g. an inspector who handled the case: left for the other one
        if progress:
            progress(1)
        month = month.next()
    return report
