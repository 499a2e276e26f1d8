"""Who may score, appeal and decide an appeal (质检的回避与申诉). Pure: the app passes ids.

An inspector never scores a case they took part in handling (the same independence a review asks of
its reviewer, domain.recusal); the handler may appeal their own inspection once, within the window;
the appeal is decided by someone other than the inspector whose scores are appealed and the handler.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from redressal.domain.errors import DomainError

# Days after the scores reached the handler within which they may appeal (a bank's own rule).
APPEAL_WINDOW_DAYS = 10


def check_inspector(inspector_id: int, handling_people: Collection[int]) -> None:
    if inspector_id in handling_people:
        raise DomainError("qa.own_case", "an inspector cannot inspect a case they handled", field="inspector")


def check_second_score(inspector_id: int, scorer_ids: Collection[int]) -> None:
    if inspector_id in scorer_ids:
        raise DomainError("qa.already_scored", "you have already scored this inspection", field="inspector")
    if len(scorer_ids) >= 2:
        raise DomainError("qa.calibrated", "this inspection already has two independent scores", field="inspector")


def check_appeal(
    appellant_id: int, handler_id: int, *, already_appealed: bool, scored_at: datetime | None, at: datetime
) -> None:
    if appellant_id != handler_id:
        raise DomainError("qa.appeal_not_handler", "only the handler of the case may appeal", field="appellant")
    if scored_at is None:
        raise DomainError("qa.not_scored", "the inspection has not been scored yet", field="inspection")
    if already_appealed:
        raise DomainError("qa.appeal_once", "an inspection can be appealed once", field="inspection")
    if at > scored_at + timedelta(days=APPEAL_WINDOW_DAYS):
        raise DomainError(
            "qa.appeal_window", f"appeals are made within {APPEAL_WINDOW_DAYS} days of the scores", field="inspection"
        )


def check_appeal_decider(decider_id: int, *, inspector_ids: Collection[int], handler_id: int) -> None:
    if decider_id in inspector_ids:
        raise DomainError(
            "qa.appeal_own_scores", "the appeal is decided by someone other than the inspector", field="decider"
        )
    if decider_id == handler_id:
        raise DomainError("qa.appeal_self", "the handler cannot decide their own appeal", field="decider")
