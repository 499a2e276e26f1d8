"""The decision's commands, whose choices ``services.decision`` still defines (NOTICE_CHANNELS,
DECLINE_REASONS): declared apart from the package root, which that module imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from annotated_types import MaxLen

from redressal.cases.commands import Command, Moment, OneOf, Text, Version
from redressal.cases.services.decision import DECLINE_REASONS, NOTICE_CHANNELS
from redressal.domain.lifecycle import CHALLENGE_ROUTES, Outcome, ReviewOutcome

# A review (核查) upholds or revises the original decision; a first decision has the four outcomes.
OUTCOMES = tuple(dict.fromkeys([*(o.value for o in Outcome), *(o.value for o in ReviewOutcome)]))


@dataclass(frozen=True, kw_only=True)
class NoticeBody:
    """The decision notice as given to the complainant, with the ways to challenge it they were told."""

    channel: Annotated[str, OneOf(NOTICE_CHANNELS)]
    content: Text
    routes: Annotated[tuple[Annotated[str, OneOf(CHALLENGE_ROUTES)], ...], MaxLen(len(CHALLENGE_ROUTES))] = ()
    at: Moment | None = None


@dataclass(frozen=True, kw_only=True)
class Respond(Command):
    action: ClassVar[str] = "respond"

    outcome: Annotated[str, OneOf(OUTCOMES)]
    reasons: Text
    basis: Text
    remedy: Text = ""
    notice: NoticeBody
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Decline(Command):
    action: ClassVar[str] = "decline"

    reason_code: Annotated[str, OneOf(DECLINE_REASONS)]
    notice: Text
    expected_version: Version | None = None
