"""Request and response shapes. Inputs are strict: unknown fields, booleans posing as numbers,
numbers posing as strings and NUL bytes are refused with a 422 naming the field (ARCHITECTURE §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from redressal.domain.customers import VULNERABLE
from redressal.domain.dates import EARLIEST_DAY, LATEST_DAY, day_in_range
from redressal.domain.registration import DEMANDS

Text = Annotated[str, StringConstraints(max_length=20000, pattern=r"^[^\x00]*$")]
Short = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
Code = Annotated[str, StringConstraints(max_length=40, pattern=r"^[A-Za-z0-9_.\-]*$")]
Money = Annotated[str, StringConstraints(pattern=r"^\d{1,15}(\.\d{1,2})?$")]


def _in_range(value: date) -> date:
    if not day_in_range(value):
        raise ValueError(f"the date must lie between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}")
    return value


def _in_utc(value: datetime) -> datetime:
    """The same instant in UTC: ISO 8601 allows offsets to ±23:59, PostgreSQL only to ±15:59 (else a 500)."""
    _in_range(value.date())
    if value.tzinfo is None:
        return value  # refused where a moment is required (``resolve_at``)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("date out of range") from None


When = Annotated[datetime, Field(strict=False), AfterValidator(_in_utc)]
Day = Annotated[date, Field(strict=False), AfterValidator(_in_range)]
Version = Annotated[int, Field(ge=0, le=2_000_000_000)]


class In(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class Error(Schema):
    error: ErrorBody


class TokenIn(In):
    username: Short
    password: Short


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_at: str


class CustomerIn(In):
    name: Short
    kind: Literal["individual", "corporate"] = "individual"
    phone: Annotated[str, StringConstraints(max_length=20, pattern=r"^[0-9+\- ]*$")] = ""
    id_number: Annotated[str, StringConstraints(max_length=30, pattern=r"^[0-9A-Za-z]*$")] = ""
    card_number: Annotated[str, StringConstraints(max_length=30, pattern=r"^[0-9 ]*$")] = ""
    address: Short = ""
    birth_date: Day | None = None
    vulnerable: Annotated[
        list[Literal["elderly", "disabled", "low_literacy", "bereaved"]], Field(max_length=len(VULNERABLE))
    ] = []


class CaseIn(In):
    request_type: Literal["complaint", "consultation", "suggestion", "other"]
    channel: Literal[
        "hotline",
        "counter",
        "self_service",
        "online_banking",
        "mobile_banking",
        "wechat",
        "email",
        "letter",
        "sms",
        "third_party",
        "regulator",
        "other",
    ]
    description: Annotated[str, StringConstraints(min_length=1, max_length=20000, pattern=r"^[^\x00]*$")]
    received_at: When | None = None
    customer: CustomerIn | None = None
    customer_id: Annotated[int, Field(ge=1, le=2**62)] | None = None
    complainant_name: Short = ""
    product: Short = ""
    amount: Money | None = None
    demand: Annotated[
        list[
            Literal["refund", "compensation", "apology", "explanation", "correct_record", "cancel_contract", "other"]
        ],
        Field(max_length=len(DEMANDS)),
    ] = []
    unit: Code = ""
    respondent_unit: Code = ""
    respondent_staff: Code = ""
    source: Literal["customer", "regulator_forwarded"] = "customer"
    regulator: Literal["", "NFRA", "NFRA_LOCAL", "PBOC", "12378", "12363", "other"] = ""
    regulator_case_number: Short = ""
    regulator_received_at: When | None = None
    forwarded_at: When | None = None
    # A consultation or suggestion answered on first contact: registered and answered in one command.
    answer: Annotated[str, StringConstraints(max_length=20000, pattern=r"^[^\x00]*$")] = ""














class TaskReplyIn(In):
    reply: Annotated[str, StringConstraints(min_length=1, max_length=20000, pattern=r"^[^\x00]*$")]


































class ReviewIn(In):
    reason: Text
    received_at: When | None = None
    override: bool = False




class VisitIn(In):
    channel: Literal["phone", "sms", "email", "wechat", "visit"]
    reached: bool
    satisfaction: Annotated[int, Field(ge=1, le=5)] | None = None
    comments: Text = ""


class RevealIn(In):
    field: Literal["id_number", "phone", "card_number", "address", "birth_date"]
    reason: Text


class DeadlineOut(Schema):
    kind: str
    due_at: str
    legal_due_at: str
    state: Literal["running", "paused", "met", "breached", "stopped"]
    history: list[dict[str, Any]] = []


class SuggestionOut(Schema):
    code: str
    label: str
    confidence: float
    model_version: str


class ConfirmedOut(Schema):
    code: str
    label: str
    by: str
    at: str


class AxisOut(Schema):
    suggested: SuggestionOut | None
    confirmed: ConfirmedOut | None


class ClassificationOut(Schema):
    """Each axis as suggested by the model and as confirmed by staff. ``channel`` is confirmed at
    registration (by whoever registered the case) when intake recorded the channel of receipt; the
    model suggests it only for regulator transfers and media/other."""

    request_type: AxisOut
    business: AxisOut
    cause: AxisOut
    channel: AxisOut
    product: AxisOut


class FactorOut(Schema):
    factor: str
    points: int
    detail: str


class FlagOut(Schema):
    code: str
    evidence: list[str]


class TriageOut(Schema):
    emotion: Literal["calm", "dissatisfied", "angry", "distressed"]
    risk_flags: list[str]
    vulnerable: list[str]
    priority: Literal["P1", "P2", "P3", "P4"]
    priority_factors: list[FactorOut]
    # The evidence behind the codes: on the case itself, not in lists.
    flags: list[FlagOut] | None
    vulnerable_evidence: list[FlagOut] | None
    emotion_evidence: list[str] | None


class DuplicateOut(Schema):
    case_number: str
    status: str
    score: float
    reasons: list[str]


class MassIncidentRef(Schema):
    id: int
    key: str
    status: str




class CaseSummaryOut(Schema):
    id: int
    case_number: str
    kind: str
    request_type: str
    channel: str
    status: str
    priority: str
    unit: str
    assignee: str | None
    received_at: str | None
    decision_due_at: str | None
    complainant_name: str
    product: str
    version: int
    classification: ClassificationOut
    triage: TriageOut


class CaseOut(CaseSummaryOut):
    source: str
    regulator: str | None
    regulator_case_number: str | None
    description: str
    amount: str | None
    demand: list[str]
    customer: dict[str, Any] | None
    duplicate_candidates: list[DuplicateOut]
    mass_incidents: list[MassIncidentRef]
    responsibility: dict[str, Any] | None
    outcome: str | None
    extension_level: int
    paused: bool
    review_of: str | None
    merged_into: str | None
    registered_at: str | None
    accepted_at: str | None
    decided_at: str | None
    notified_at: str | None
    closed_at: str | None
    profile: str
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]


class CasePage(Schema):
    count: int  # exact up to 10,000; beyond that 10,000 with count_capped true
    count_capped: bool
    items: list[CaseSummaryOut]


class EventOut(Schema):
    seq: int
    type: str
    actor: str | None
    role: str
    unit: str
    at: str | None
    recorded_at: str | None
    reason: str
    payload: dict[str, Any]
    backdated: bool
    hash: str


class BackdatedOut(Schema):
    """An action recorded more than one working day after it happened (补录)."""

    case_id: int
    case_number: str
    action: str
    at: str
    recorded_at: str
    actor: str
    role: str
    reason: str


class TaskOut(Schema):
    id: int
    case_number: str
    department: str
    title: str
    request: str
    blocking: bool
    status: str
    due_at: str
    reply: str


class CustomerOut(Schema):
    id: int
    customer_no: str
    name: str
    kind: str
    age_band: str
    vulnerable: list[str]
    phone: str
    id_number: str
    card_number: str
    can_reveal: bool
    open_cases: list[str]


class ContactRevealIn(In):
    reason: Text


class RevealOut(Schema):
    field: str
    value: str


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    created_at: str
    read: bool
