"""Each case action as a typed command, and the one way it reaches its service (ARCHITECTURE §2,
"Commands in, events out").

A command is a frozen dataclass that declares the action's input once: types, limits and choices as
``typing.Annotated`` metadata (``annotated_types`` bounds, plus ``OneOf`` and ``Pattern`` below). The API
derives its request schemas from these declarations, the web builds them from its forms, the scheduler
and every channel build them directly; all hand them to ``execute``.

``execute`` finds the command's handler in a table that the services fill (``cases/commands/table.py``
for this app's services, ``triage/commands.py`` for classification): this package imports no service,
so a service may itself build a command (the automatic close of ``services.decision``).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import IO, Annotated, Any, ClassVar, Protocol, Union, get_args, get_origin, get_type_hints

from annotated_types import Ge, Le, MaxLen, MinLen

from redressal.cases.models import Case
from redressal.core.errors import ValidationFailed
from redressal.domain.authority import MAX_PROPOSAL_ITEMS
from redressal.domain.choices import (
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    DECLINE_REASONS,
    FINDINGS,
    ITEM_KINDS,
    MEASURES,
    NOTE_KINDS,
    NOTICE_CHANNELS,
    PAUSE_REASON_LABELS,
)
from redressal.domain.lifecycle import CHALLENGE_ROUTES, FeedbackResult, Outcome, ReviewOutcome
from redressal.org.authz import Actor


@dataclass(frozen=True)
class OneOf:
    """The value must be one of ``values`` (a choice list; the API shows it as an enum)."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Pattern:
    """The whole string must match ``regex``."""

    regex: str


NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store a NUL byte in text
CODE = r"^[A-Za-z0-9_.\-]*$"
MONEY = r"^\d{1,15}(\.\d{1,2})?$"

Text = Annotated[str, MaxLen(20000), Pattern(NO_NUL)]
FilledText = Annotated[str, MinLen(1), MaxLen(20000), Pattern(NO_NUL)]
Short = Annotated[str, MaxLen(200), Pattern(NO_NUL)]
Code = Annotated[str, MaxLen(40), Pattern(CODE)]
Money = Annotated[str, Pattern(MONEY)]
Version = Annotated[int, Ge(0), Le(2_000_000_000)]
# A real-world moment; blank is now. Recorded more than one working day after it, the action needs
# ``backdate_reason`` (the service refuses it without, naming the field).
Moment = datetime

# 办法 第十八条第二款: only external appraisal, testing or evaluation stops the clock. "other" is accepted
# as input (the API always took it) for the profile to judge: ``domain.deadlines`` refuses what it does
# not allow, naming the reason.
PAUSE_REASONS = (*PAUSE_REASON_LABELS, "other")


class Command:
    """Base of every case command; ``action`` is the lifecycle's name for it."""

    action: ClassVar[str]


class Handler(Protocol):
    def __call__(self, case_id: int, command: Any, actor: Actor | None) -> Case: ...


_HANDLERS: dict[type[Command], Handler] = {}


def register(command: type[Command], handler: Handler) -> None:
    """Say which service runs ``command``; each command has exactly one."""
    if command in _HANDLERS and _HANDLERS[command] is not handler:
        raise ValueError(f"{command.__name__} already has a handler")
    _HANDLERS[command] = handler


def handled() -> Mapping[type[Command], Handler]:
    return dict(_HANDLERS)


def arguments(command: Command) -> dict[str, Any]:
    """The command's fields as keyword arguments (nested values as they are)."""
    assert is_dataclass(command)
    return {f.name: getattr(command, f.name) for f in fields(command)}


@dataclass(frozen=True)
class Calls:
    """A handler that calls ``service(case_id, actor=..., **fields)``: ``rename`` maps a command field to the
    service's argument, ``shape`` turns the command into the arguments where a field needs more."""

    service: Callable[..., Case]
    rename: Mapping[str, str] = field(default_factory=dict)
    shape: Callable[..., dict[str, Any]] | None = None

    def arguments(self, command: Command) -> dict[str, Any]:
        kwargs = self.shape(command) if self.shape else arguments(command)
        for field_name, argument in self.rename.items():
            kwargs[argument] = kwargs.pop(field_name)
        return kwargs

    def __call__(self, case_id: int, command: Any, actor: Actor | None) -> Case:
        return self.service(case_id, actor=actor, **self.arguments(command))


def calling(
    service: Callable[..., Case],
    *,
    rename: Mapping[str, str] | None = None,
    shape: Callable[..., dict[str, Any]] | None = None,
) -> Calls:
    return Calls(service, rename or {}, shape)


def execute(case_id: int, command: Command, actor: Actor | None) -> Case:
    """The one way an adapter changes a case: run ``command`` through its service, as ``actor`` (None: the
    system, for automatic actions). The service checks permission, scope, state and version."""
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise ValidationFailed("unknown_command", f"'{type(command).__name__}' is not a case command")
    return handler(case_id, command, actor)


def base_type(annotation: Any) -> Any:
    """The type under ``Annotated`` metadata and ``| None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _converted(annotation: Any, value: Any) -> Any:
    base = base_type(annotation)
    if value is None:
        return None
    if base is Upload and not isinstance(value, Upload):
        return Upload.of(value)
    if get_origin(base) is tuple:
        return tuple(_converted(get_args(base)[0], v) for v in value)
    if isinstance(base, type) and is_dataclass(base) and isinstance(value, Mapping):
        return from_mapping(base, value)
    return value


def from_mapping(declaration: type[Any], data: Mapping[str, Any], rename: Mapping[str, str] | None = None) -> Any:
    """Build ``declaration`` (a command or a value nested in one) from parsed input: an API body, a form's
    cleaned data. ``rename`` gives the input's name of a field where it differs (dotted for a nested
    field: ``notice.channel``); a nested value may come flat, its fields beside the command's. A field
    the input lacks keeps its default; lists become tuples, an uploaded file an ``Upload``."""
    return _build(declaration, data, rename or {}, "")


def _build(declaration: type[Any], data: Mapping[str, Any], rename: Mapping[str, str], prefix: str) -> Any:
    hints = get_type_hints(declaration, include_extras=True)
    kwargs: dict[str, Any] = {}
    for f in fields(declaration):
        path = prefix + f.name
        key = rename.get(path, f.name)
        base = base_type(hints[f.name])
        if key in data:
            kwargs[f.name] = _converted(hints[f.name], data[key])
        elif isinstance(base, type) and is_dataclass(base) and base is not Upload:
            kwargs[f.name] = _build(base, data, rename, path + ".")
    return declaration(**kwargs)


@dataclass(frozen=True, kw_only=True)
class Assign(Command):
    action: ClassVar[str] = "assign"

    assignee: Code
    reason: Text = ""
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class StartInvestigation(Command):
    action: ClassVar[str] = "start_investigation"

    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class AddNote(Command):
    action: ClassVar[str] = "add_note"

    text: FilledText
    kind: Annotated[str, OneOf(NOTE_KINDS)] = "investigation"
    expected_version: Version | None = None


@dataclass(frozen=True)
class Upload:
    """A received file: its name and type as the sender gave them, and the stream to read it from."""

    filename: str
    content_type: str
    stream: IO[bytes]

    @classmethod
    def of(cls, received: Any) -> Upload:
        """From an uploaded file (Django's or ninja's ``UploadedFile``): the one place a file is shaped."""
        return cls(
            filename=received.name or "evidence",
            content_type=received.content_type or "application/octet-stream",
            stream=received,
        )


@dataclass(frozen=True, kw_only=True)
class AddEvidence(Command):
    action: ClassVar[str] = "add_evidence"

    kind: Code
    file: Upload
    description: Annotated[str, MaxLen(2000), Pattern(NO_NUL)] = ""
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class OpenTask(Command):
    action: ClassVar[str] = "open_task"

    department: Code
    title: Short
    request: Text
    blocking: bool = False
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class Approve(Command):
    action: ClassVar[str] = "approve"

    reason: Text = ""
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class Reject(Command):
    action: ClassVar[str] = "reject"

    reason: Text = ""
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class RecordFeedback(Command):
    action: ClassVar[str] = "record_feedback"

    result: Annotated[str, OneOf(tuple(r.value for r in FeedbackResult))]
    csat: Annotated[int, Ge(1), Le(5)] | None = None
    comments: Text = ""
    close_reason: Text = ""
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Reopen(Command):
    action: ClassVar[str] = "reopen"

    reason: Text
    new_facts: bool = False
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Extend(Command):
    action: ClassVar[str] = "extend"

    level: Annotated[int, Ge(1), Le(2)]
    reason: Text
    justification: Text
    customer_notified: bool = True
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class RequestExtension(Command):
    """A handler asks the approver for an extension; the approver's decision records it."""

    action: ClassVar[str] = "extend"

    level: Annotated[int, Ge(1), Le(2)]
    reason: Text
    justification: Text
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Pause(Command):
    action: ClassVar[str] = "pause"

    reason: Annotated[str, OneOf(PAUSE_REASONS)]
    external_party: Short = ""
    evidence: Text = ""
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Resume(Command):
    action: ClassVar[str] = "resume"

    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class RestartClock(Command):
    action: ClassVar[str] = "restart_clock"

    reason: Text
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Withdraw(Command):
    action: ClassVar[str] = "withdraw"

    reason: Text = ""
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Merge(Command):
    action: ClassVar[str] = "merge"

    into: Code  # the case number of the case this one is merged into
    reason: Text = ""
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class Escalate(Command):
    action: ClassVar[str] = "escalate"

    to_unit: Code
    reason: Text
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class Answer(Command):
    action: ClassVar[str] = "answer"

    answer: Text
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class Accept(Command):
    action: ClassVar[str] = "accept"

    contact_channel: Annotated[str, OneOf(CONTACT_CHANNELS)]
    contact_outcome: Annotated[str, OneOf(CONTACT_OUTCOMES)]
    explained: Text = ""
    # 办法 第十六条 (recusal): the handler declares no direct interest; the service refuses an unticked box.
    no_direct_interest: bool
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class SetResponsibility(Command):
    action: ClassVar[str] = "set_responsibility"

    finding: Annotated[str, OneOf(FINDINGS)]
    root_cause_code: Code = ""
    root_cause_text: Text = ""
    responsible_unit: Code = ""
    responsible_staff: Code = ""
    measure: Annotated[str, OneOf(MEASURES)] = "none"
    expected_version: Version | None = None


@dataclass(frozen=True, kw_only=True)
class Item:
    kind: Annotated[str, OneOf(ITEM_KINDS)]
    amount: Money
    description: Short = ""


@dataclass(frozen=True, kw_only=True)
class ProposeSolution(Command):
    action: ClassVar[str] = "propose_solution"

    solution: FilledText
    items: Annotated[tuple[Item, ...], MaxLen(MAX_PROPOSAL_ITEMS)] = ()
    expected_version: Version | None = None


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
