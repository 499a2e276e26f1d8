"""What a training enrolment follows from, across apps that may not import each other (decision 0023).

Training (``redressal.library``) enrols a member of staff *because of* an accountability measure
(``redressal.improvement``) or a QA inspection's finding (``redressal.quality``); the three are
siblings in the layers. Each app that can be a cause registers a :class:`CauseSource` here in its
``AppConfig.ready``; the training service resolves the reference a manager gives through it (the
source checks that the record exists, may be seen by that manager, is about that person and still
calls for training) and tells it when the training was attended and passed, so the source can record
its own follow-through (an accountability measure becomes carried out). The enrolment then keeps a
real foreign key to the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from redressal.core.errors import ValidationFailed

# ``redressal.org.authz.Actor``: core sits below org and names it only by shape.
Actor = Any


@dataclass(frozen=True)
class Cause:
    """A resolved cause: its kind, its row, whom it is about and how people cite it."""

    kind: str
    id: int
    staff_id: int
    reference: str  # "AM-12", "QA-2026-05-12"
    label: str  # what it says, e.g. "问责措施：培训（老年客户服务规范再培训并考试）"


@dataclass(frozen=True)
class Trained:
    """The outcome of a training session for an enrolment that follows from a cause."""

    enrolment_reference: str  # "TR-<enrolment id>"
    course: str
    attended: bool
    score: int | None
    passed: bool


class CauseSource(Protocol):
    def resolve(self, actor: Actor, reference: str) -> Cause:
        """The record ``reference`` names, if ``actor`` may assign training for it; else a refusal."""
        ...

    def trained(self, cause_id: int, *, actor: Actor, outcome: Trained) -> None:
        """The training was recorded (by ``actor``, its trainer or manager): follow through, if any."""
        ...


_sources: dict[str, CauseSource] = {}


def register(kind: str, source: CauseSource) -> None:
    _sources[kind] = source


def source(kind: str) -> CauseSource:
    found = _sources.get(kind)
    if found is None:
        raise ValidationFailed("invalid_choice", f"no training cause of kind '{kind}'", field="reason_kind")
    return found
