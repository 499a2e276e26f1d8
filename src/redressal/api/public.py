"""The public API for customers (SPEC §9 online/mobile banking): ``/api/v1/public/…``.

A NinjaAPI of its own, with its own OpenAPI document (``/api/v1/public/openapi.json``, docs at
``/api/v1/public/docs``), apart from the staff API: a customer signs in with their phone and a
one-time code and gets a bearer token for their own cases, nothing else. Errors have the staff API's
shape (SPEC §14); another customer's case answers exactly like a case that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from pydantic import Field

from redressal.cases.commands import Upload
from redressal.cases.notice_pdf import render_notice_pdf
from redressal.core.errors import ServiceError
from redressal.faq import assistant
from redressal.portal import auth, selectors, services
from redressal.portal.models import CustomerSession


class CustomerBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> CustomerSession | None:
        return auth.session_for(token)


public_api = NinjaAPI(
    title="Redressal public API (customers)",
    version="1",
    urls_namespace="public_api",
    auth=[CustomerBearer()],
    docs_url="/docs",
    description="Customers' own cases: sign in by phone and a one-time SMS code, then submit, follow, "
    "rate, request a review or withdraw. See docs/portal.md.",
)

# Any text: what is not one of the customer's case numbers is not found, one answer for all.
CaseNumber = Annotated[str, Field(max_length=40)]
Text = Annotated[str, Field(max_length=services.MAX_TEXT, pattern=r"^[^\x00]*$")]


class Error(Schema):
    error: dict[str, Any]


ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


def _error(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None, **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "field": field}}
    body.update(extra)
    return public_api.create_response(request, body, status=status)


@public_api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    if isinstance(exc, auth.CaptchaRequired):
        from captcha.helpers import captcha_image_url

        captcha = {"key": exc.key, "image_url": captcha_image_url(exc.key)}
        return _error(request, exc.status, exc.code, exc.message, exc.field, captcha=captcha)
    response = _error(request, exc.status, exc.code, exc.message, exc.field)
    if isinstance(exc, auth.RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@public_api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    loc = [
        str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path", "form", "data", "file")
    ]
    field = ".".join(loc) or None
    message = first.get("msg", "invalid input")
    return _error(request, 422, "invalid_input", f"{field}: {message}" if field else message, field)


@public_api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "a valid customer bearer token is required", "Authorization")


@public_api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "no such resource")


@public_api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def session_of(request: HttpRequest) -> CustomerSession:
    session = request.auth  # type: ignore[attr-defined]
    assert isinstance(session, CustomerSession)
    return session


# --- signing in ---------------------------------------------------------------------------------


class OtpIn(Schema):
    phone: str = Field(max_length=32)
    captcha_key: str = Field("", max_length=64)
    captcha_answer: str = Field("", max_length=32)


class OtpOut(Schema):
    expires_at: datetime
    demo_code: str | None = Field(None, description="demo mode only: the code (nothing is sent)")


class SessionIn(OtpIn):
    code: str = Field(max_length=16)


class SessionOut(Schema):
    token: str
    token_type: str = "bearer"
    expires_at: datetime


@public_api.post("/otp", auth=None, response={200: OtpOut, 503: Error, **ERRORS})
def request_code(request: HttpRequest, body: OtpIn) -> Any:
    """Send a one-time sign-in code to the phone (limited per phone and per address; a captcha
    after failed tries: the answer is then ``captcha_required`` with a captcha to solve)."""
    sent = auth.send_code(
        body.phone, ip=client_ip(request), captcha_key=body.captcha_key, captcha_answer=body.captcha_answer
    )
    return {"expires_at": sent.expires_at, "demo_code": sent.demo_code or None}


@public_api.post("/session", auth=None, response={201: SessionOut, **ERRORS})
def open_session(request: HttpRequest, body: SessionIn) -> Any:
    """Exchange the phone and its code for a bearer token."""
    token, session = auth.verify_code(
        body.phone, body.code, ip=client_ip(request), captcha_key=body.captcha_key, captcha_answer=body.captcha_answer
    )
    return Status(201, {"token": token, "expires_at": session.expires_at})


@public_api.delete("/session", response={204: None, **ERRORS})
def close_session(request: HttpRequest) -> Any:
    """Sign out: the token stops working at once."""
    auth.end_session(session_of(request))
    return Status(204, None)


# --- cases --------------------------------------------------------------------------------------


class CaseSummaryOut(Schema):
    case_number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    product: str
    received_at: datetime
    deadline: date | None = Field(description="the day (Asia/Shanghai) the decision is due; none once closed")


class TimelineOut(Schema):
    at: datetime
    label: str
    text: str


class CaseDetailOut(CaseSummaryOut):
    description: str
    amount: Decimal | None
    demand: list[str]
    handler: str = Field(description="the handler's display name, if any")
    has_notice: bool
    review_until: date | None
    review_case: str
    review_of: str
    rating: int | None
    rating_comment: str
    can_rate: bool
    can_request_review: bool
    can_withdraw: bool
    timeline: list[TimelineOut]
    files: list[str]


def _summary(s: selectors.CaseSummary) -> dict[str, Any]:
    return {
        "case_number": s.case_number,
        "kind": s.kind,
        "kind_label": s.kind_label,
        "status": s.status,
        "status_label": s.status_label,
        "product": s.product,
        "received_at": s.received_at,
        "deadline": s.deadline,
    }


def _detail(session: CustomerSession, case_number: str) -> dict[str, Any]:
    view = selectors.case_view(session, case_number)
    return {
        **_summary(view.summary),
        "description": view.description,
        "amount": view.amount,
        "demand": view.demand,
        "handler": view.handler,
        "has_notice": view.has_notice,
        "review_until": view.review_until,
        "review_case": view.review_case,
        "review_of": view.review_of,
        "rating": view.rating,
        "rating_comment": view.rating_comment,
        "can_rate": view.allowed.rate,
        "can_request_review": view.allowed.review,
        "can_withdraw": view.allowed.withdraw,
        "timeline": [{"at": e.at, "label": e.label, "text": e.text} for e in view.timeline],
        "files": view.files,
    }


@public_api.get("/cases", response={200: list[CaseSummaryOut], **ERRORS})
def list_cases(request: HttpRequest) -> Any:
    """The signed-in customer's cases, newest first, with status and deadline."""
    return [_summary(s) for s in selectors.list_cases(session_of(request))]


class SubmitIn(Schema):
    business: str = Field(
        max_length=32, description="debit_card, credit_card, loan, deposit, wealth, payment, e_banking or other"
    )
    description: Text
    name: str = Field("", max_length=100, description="needed only when the bank does not know the phone yet")
    amount: Decimal | None = None
    demand: list[Annotated[str, Field(max_length=32)]] = Field(default_factory=list)
    channel: str = Field("online_banking", max_length=20, description="online_banking or mobile_banking")


class MaterialIn(Schema):
    text: Text = ""


@public_api.post("/cases", response={201: CaseDetailOut, **ERRORS})
def submit_case(
    request: HttpRequest,
    data: Form[SubmitIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """File a complaint (multipart: the fields and any attachments)."""
    session = session_of(request)
    case = services.submit_case(
        session,
        services.Submission(
            name=data.name,
            business=data.business,
            description=data.description,
            amount=data.amount,
            demand=data.demand,
            channel=data.channel,
            attachments=[Upload.of(f) for f in attachments or []],
        ),
    )
    return Status(201, _detail(session, case.case_number))


@public_api.get("/cases/{case_number}", response={200: CaseDetailOut, **ERRORS})
def case_detail(request: HttpRequest, case_number: CaseNumber) -> Any:
    """One of the customer's cases: status, deadline, the customer-safe timeline."""
    return _detail(session_of(request), case_number)


@public_api.post("/cases/{case_number}/material", response={200: CaseDetailOut, **ERRORS})
def add_material(
    request: HttpRequest,
    case_number: CaseNumber,
    data: Form[MaterialIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """Add a message and/or files to the case (multipart)."""
    session = session_of(request)
    services.add_material(session, case_number, data.text, [Upload.of(f) for f in attachments or []])
    return _detail(session, case_number)


@public_api.get("/cases/{case_number}/notice.pdf", response={200: None, **ERRORS})
def notice_pdf(request: HttpRequest, case_number: CaseNumber) -> Any:
    """The decision notice as a PDF, once the customer has been told the decision."""
    case, decision = services.notice_of(session_of(request), case_number)
    response = HttpResponse(render_notice_pdf(case, decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.case_number}-notice.pdf"'
    return response


class RatingIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: Text = ""


class ReviewIn(Schema):
    reason: Text


class WithdrawIn(Schema):
    reason: Text = ""


@public_api.post("/cases/{case_number}/rating", response={200: CaseDetailOut, **ERRORS})
def rate(request: HttpRequest, case_number: CaseNumber, body: RatingIn) -> Any:
    """Rate the decision 1–5 with an optional comment (closes the case, as the complainant's feedback)."""
    session = session_of(request)
    services.rate_case(session, case_number, body.score, body.comment)
    return _detail(session, case_number)


@public_api.post("/cases/{case_number}/review", response={201: CaseDetailOut, **ERRORS})
def request_review(request: HttpRequest, case_number: CaseNumber, body: ReviewIn) -> Any:
    """Ask for a review of the decision, within the review window; answers the new review case."""
    session = session_of(request)
    review = services.request_review(session, case_number, body.reason)
    return Status(201, _detail(session, review.case_number))


@public_api.post("/cases/{case_number}/withdraw", response={200: CaseDetailOut, **ERRORS})
def withdraw(request: HttpRequest, case_number: CaseNumber, body: WithdrawIn) -> Any:
    """Withdraw the complaint; handling ends that day."""
    session = session_of(request)
    services.withdraw(session, case_number, body.reason)
    return _detail(session, case_number)


# --- the FAQ assistant (SPEC §11, decision 0025) ---------------------------------------------------


def _anyone(request: HttpRequest) -> str:
    """Asking needs no sign-in: anonymous visitors are limited per address (``domain.assistant``)."""
    return "anonymous"


class AskIn(Schema):
    question: str = Field(min_length=1, max_length=500, pattern=r"^[^\x00]*$")
    conversation: str | None = Field(None, max_length=400, description="the reference from the previous answer")


class AssistantAnswerOut(Schema):
    faq_id: int
    question: str
    answer: str = Field(description="Markdown-lite: plain text, [label](https://…) links, blank-line paragraphs")
    score: float


class AskOut(Schema):
    conversation: str
    answers: list[AssistantAnswerOut]
    handover: bool
    reason: str = Field(description='"" when answered; asked_for_person, complaint_intent or low_confidence')


class FeedbackIn(Schema):
    conversation: str = Field(max_length=400)
    faq_id: int = Field(ge=1, le=2**62)
    helpful: bool


class FeedbackOut(Schema):
    conversation: str
    faq_id: int
    helpful: bool


def _assistant_party(request: HttpRequest) -> str | None:
    session = request.auth  # type: ignore[attr-defined]
    return session.phone if isinstance(session, CustomerSession) else None


@public_api.post("/assistant/ask", auth=[CustomerBearer(), _anyone], response={200: AskOut, **ERRORS})
def assistant_ask(request: HttpRequest, body: AskIn) -> Any:
    """Ask the FAQ assistant: the best answer and the next two, and whether the customer is handed over
    to a person (the conversation then waits for staff). Signed in (bearer token) the conversation is
    the customer's; without a token it is anonymous and limited per address. Send ``conversation``
    back with the next question to continue."""

    reply = assistant.ask(
        body.question, body.conversation, channel="api", party=_assistant_party(request), ip=client_ip(request)
    )
    return {
        "conversation": reply.conversation,
        "answers": [
            {"faq_id": a.faq_id, "question": a.question, "answer": a.answer, "score": a.score} for a in reply.answers
        ],
        "handover": reply.handover,
        "reason": reply.reason,
    }


@public_api.post("/assistant/feedback", auth=[CustomerBearer(), _anyone], response={200: FeedbackOut, **ERRORS})
def assistant_feedback(request: HttpRequest, body: FeedbackIn) -> Any:
    """Did this answer solve it? An unhelpful answer's question goes to the knowledge-base owners."""

    assistant.feedback(body.conversation, body.faq_id, body.helpful, channel="api", party=_assistant_party(request))
    return {"conversation": body.conversation, "faq_id": body.faq_id, "helpful": body.helpful}
