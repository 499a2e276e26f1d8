"""Overdue warnings of improvement actions, run by ``redressal scheduler`` (found by redressal.core.apps).

One in-app notification per action per stage (due soon, overdue) to the action's owner and the
issue's owner: the key carries the action and the stage, so a repeated run or a second scheduler
delivers nothing twice."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from redressal.core.clock import now
from redressal.core.scheduler import PeriodicJob, register
from redressal.domain.improvement import warning_stage
from redressal.improvement.models import ImprovementAction
from redressal.notify.services import StaffNotice, notify_staff_bulk
from redressal.workdays.services import work_calendar

KIND = {"due_soon": "improvement_due", "overdue": "improvement_overdue"}


def warn_actions(today: date | None = None) -> int:
    """The notices due today; returns how many (action, stage) warnings were considered."""
    day = today or timezone.localdate(now())
    calendar = work_calendar()
    horizon = calendar.next_working_day(day, inclusive=False)
    rows = ImprovementAction.objects.filter(state="open", due_date__lte=horizon).select_related("issue")
    notices = []
    for action in rows.iterator(chunk_size=500):
        stage = warning_stage(calendar, action.due_date, day)
        if stage is None:
            continue
        notices.append(
            StaffNotice(
                recipients=[action.owner_id, action.issue.owner_id],
                kind=KIND[stage],
                message=f"RC-{action.issue_id}: {action.title} due {action.due_date.isoformat()}",
                key=f"improvement:{action.pk}:{stage}",
                payload={
                    "issue": action.issue_id,
                    "action": action.pk,
                    "title": action.title,
                    "due": action.due_date.isoformat(),
                },
            )
        )
    notify_staff_bulk(notices)
    return len(notices)


def warn_actions_now() -> None:
    warn_actions()


register(PeriodicJob("improvement_action_warnings", 3600, warn_actions_now))
