"""The customer portal's pages (``/portal/``): mobile-first, zh-CN with English, a large-text mode.

The pages only parse, call one service or selector and render. The customer's session is the same
:class:`CustomerSession` as the public API's bearer token, carried in a signed, HTTP-only cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from redressal.cases.commands import Upload
from redressal.cases.notice_pdf import render_notice_pdf
from redressal.core.errors import ServiceError
from redressal.domain.choices import DEMAND_LABELS
from redressal.faq import assistant
from redressal.faq.markup import render as render_answer
from redressal.portal import auth, oidc, selectors, services
from redressal.portal.models import CustomerSession
from redressal.portal.refusals import refusal_text

COOKIE = "redressal_portal"
COOKIE_SALT = "redressal.portal.session"
LARGE_TEXT_COOKIE = "redressal_portal_large"
MAX_FILES = 5

View = Callable[..., HttpResponseBase]


def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def current_session(request: HttpRequest) -> CustomerSession | None:
    token = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    return auth.session_for(str(token)) if token else None


def _signed_in(response: HttpResponse, token: str) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE,
        token,
        salt=COOKIE_SALT,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEMO_MODE,
        path="/portal/",
    )
    return response


def customer_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        session = current_session(request)
        if session is None:
            return redirect(reverse("portal:signin") + "?" + urlencode({"next": request.get_full_path()}))
        request.customer = session  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _session(request: HttpRequest) -> CustomerSession:
    session = request.customer  # type: ignore[attr-defined]
    assert isinstance(session, CustomerSession)
    return session


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("large_text", request.COOKIES.get(LARGE_TEXT_COOKIE) == "1")
    context.setdefault("signed_in", getattr(request, "customer", None) is not None)
    context.setdefault("oidc_enabled", oidc.enabled())
    return render(request, f"portal/{template}", context, status=status)


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        if target.startswith("/"):
            return target
    return fallback


# --- signing in ----------------------------------------------------------------------------------


def _captcha(key: str = "") -> dict[str, str]:
    from captcha.helpers import captcha_image_url

    key = key or auth.new_captcha()
    return {"key": key, "image_url": captcha_image_url(key)}


@never_cache
def signin(request: HttpRequest) -> HttpResponse:
    """Step one: the phone (and a captcha after failed tries); a code is sent."""
    next_url = _next(request, reverse("portal:home"))
    phone = request.POST.get("phone", "")[:32]
    context: dict[str, Any] = {"phone": phone, "next": next_url}
    if request.method == "POST":
        try:
            sent = auth.send_code(
                phone,
                ip=_ip(request),
                captcha_key=request.POST.get("captcha_key", "")[:64],
                captcha_answer=request.POST.get("captcha_answer", "")[:32],
            )
        except auth.CaptchaRequired as exc:
            context.update(error=refusal_text(exc), captcha=_captcha(exc.key))
            return _page(request, "signin.html", context, status=403)
        except ServiceError as exc:
            context.update(error=refusal_text(exc), field=exc.field)
            if auth.captcha_needed(phone, _ip(request)):
                context["captcha"] = _captcha()
            return _page(request, "signin.html", context, status=exc.status)
        context.update(expires_at=sent.expires_at, demo_code=sent.demo_code)
        if auth.captcha_needed(phone, _ip(request)):
            context["captcha"] = _captcha()
        return _page(request, "code.html", context)
    if current_session(request) is not None:
        return redirect(next_url)
    if auth.captcha_needed("", _ip(request)):
        context["captcha"] = _captcha()
    return _page(request, "signin.html", context)


@never_cache
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code; the session cookie is set."""
    next_url = _next(request, reverse("portal:home"))
    phone = request.POST.get("phone", "")[:32]
    context: dict[str, Any] = {"phone": phone, "next": next_url}
    try:
        token, _session_row = auth.verify_code(
            phone,
            request.POST.get("code", "")[:16],
            ip=_ip(request),
            captcha_key=request.POST.get("captcha_key", "")[:64],
            captcha_answer=request.POST.get("captcha_answer", "")[:32],
        )
    except auth.CaptchaRequired as exc:
        context.update(error=refusal_text(exc), captcha=_captcha(exc.key))
        return _page(request, "code.html", context, status=403)
    except ServiceError as exc:
        context.update(error=refusal_text(exc), field=exc.field)
        if auth.captcha_needed(phone, _ip(request)):
            context["captcha"] = _captcha()
        return _page(request, "code.html", context, status=exc.status)
    return _signed_in(HttpResponseRedirect(next_url), token)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    session = current_session(request)
    if session is not None:
        auth.end_session(session)
    response = redirect("portal:signin")
    response.delete_cookie(COOKIE, path="/portal/")
    return response


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """The large-text mode for elderly customers: a toggle kept in a cookie for a year."""
    response = redirect(_next(request, reverse("portal:home")))
    large = request.POST.get("large") == "1"
    response.set_cookie(LARGE_TEXT_COOKIE, "1" if large else "0", max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


# --- the bank's own login (OIDC) -----------------------------------------------------------------


def oidc_start(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    class Start(OIDCAuthenticationRequestView):
        get_settings = staticmethod(oidc.setting)

    return Start.as_view()(request)  # type: ignore[no-any-return]


@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states", {})
    entry = states.pop(state, None) if state else None
    request.session["oidc_states"] = states
    phone = None
    if entry is not None:
        backend = oidc.PortalOIDCBackend()
        phone = backend.authenticate(request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"))
    if not isinstance(phone, str):
        context = {"error": _("银行登录未能完成，请改用短信验证码登录"), "next": reverse("portal:home")}
        return _page(request, "signin.html", context, status=403)
    token, _row = auth.open_session(phone, via=CustomerSession.Via.OIDC)
    return _signed_in(HttpResponseRedirect(reverse("portal:home")), token)


# --- the customer's cases ------------------------------------------------------------------------


@customer_required
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, "cases.html", {"cases": selectors.list_cases(_session(request))})


# --- the FAQ assistant on the home page (decision 0025) -------------------------------------------


@customer_required
@require_POST
def assistant_ask(request: HttpRequest) -> HttpResponse:
    """The assistant box: the best answer and the next two, "did this solve it?", and 转人工."""

    session = _session(request)
    question = "转人工" if request.POST.get("person") else request.POST.get("question", "")
    context: dict[str, Any] = {"cases": selectors.list_cases(session)}
    try:
        reply = assistant.ask(
            question, request.POST.get("conversation") or None, channel="portal", party=session.phone, ip=_ip(request)
        )
    except ServiceError as exc:
        context["assistant_error"] = refusal_text(exc)
        return _page(request, "cases.html", context, status=exc.status)
    context["assistant"] = {
        "question": question,
        "conversation": reply.conversation,
        "handover": reply.handover,
        "reason": reply.reason,
        "answers": [
            {"faq_id": a.faq_id, "question": a.question, "html": render_answer(a.answer)} for a in reply.answers
        ],
    }
    return _page(request, "cases.html", context)


@customer_required
@require_POST
def assistant_feedback(request: HttpRequest) -> HttpResponse:

    session = _session(request)
    context: dict[str, Any] = {"cases": selectors.list_cases(session)}
    try:
        assistant.feedback(
            request.POST.get("conversation", ""),
            int(request.POST.get("faq_id", "0") or 0),
            request.POST.get("helpful") == "yes",
            channel="portal",
            party=session.phone,
        )
    except (ServiceError, ValueError):
        context["assistant_error"] = _("没有找到这条答案，请重新提问。")
        return _page(request, "cases.html", context, status=404)
    context["assistant_thanks"] = True
    context["assistant_conversation"] = request.POST.get("conversation", "")
    return _page(request, "cases.html", context)


def _uploads(request: HttpRequest) -> list[Upload]:
    files = request.FILES.getlist("attachments")
    if len(files) > MAX_FILES:
        raise ServiceError("too_many_files", f"at most {MAX_FILES} files", field="attachments")
    return [Upload.of(f) for f in files if f.size]


def _amount(raw: str) -> Decimal | None:
    raw = raw.strip().replace(",", "")
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ServiceError("invalid_amount", "not an amount", field="amount") from None


def _form_choices() -> dict[str, Any]:
    return {
        "businesses": [(code, _(label)) for code, label in services.BUSINESS_TYPES.items()],
        "demands": [(code, _(label)) for code, label in DEMAND_LABELS.items()],
        "max_files": MAX_FILES,
    }


@customer_required
def submit(request: HttpRequest) -> HttpResponse:
    session = _session(request)
    context: dict[str, Any] = {**_form_choices(), "known": services.known_customer(session), "form": {}}
    if request.method == "POST":
        form: dict[str, Any] = {k: request.POST.get(k, "") for k in ("name", "business", "description", "amount")}
        form["demand"] = [d for d in request.POST.getlist("demand") if isinstance(d, str)]
        context["form"] = form
        try:
            case = services.submit_case(
                session,
                services.Submission(
                    name=form["name"][:100],
                    business=form["business"],
                    description=form["description"],
                    amount=_amount(form["amount"]),
                    demand=form["demand"],
                    attachments=_uploads(request),
                ),
            )
        except ServiceError as exc:
            context.update(error=refusal_text(exc), field=exc.field)
            return _page(request, "submit.html", context, status=exc.status)
        return redirect("portal:case", case_number=case.case_number)
    return _page(request, "submit.html", context)


def _case_page(
    request: HttpRequest, case_number: str, *, error: str = "", field: str | None = None, status: int = 200
) -> HttpResponse:
    try:
        view = selectors.case_view(_session(request), case_number)
    except ServiceError as exc:
        return _page(request, "not_found.html", {"error": refusal_text(exc)}, status=exc.status)
    return _page(request, "case.html", {"view": view, "error": error, "field": field}, status=status)


@customer_required
def case(request: HttpRequest, case_number: str) -> HttpResponse:
    return _case_page(request, case_number)


def _act(request: HttpRequest, case_number: str, action: Callable[[], object], done: str) -> HttpResponse:
    try:
        action()
    except ServiceError as exc:
        return _case_page(request, case_number, error=refusal_text(exc), field=exc.field, status=exc.status)
    target = reverse("portal:case", kwargs={"case_number": case_number})
    return redirect(f"{target}?{urlencode({'done': done})}")


@customer_required
@require_POST
def material(request: HttpRequest, case_number: str) -> HttpResponse:
    session = _session(request)
    return _act(
        request,
        case_number,
        lambda: services.add_material(session, case_number, request.POST.get("text", ""), _uploads(request)),
        "material",
    )


@customer_required
@require_POST
def rate(request: HttpRequest, case_number: str) -> HttpResponse:
    session = _session(request)
    raw = request.POST.get("score", "")
    score = int(raw) if raw.isdigit() and len(raw) == 1 else 0
    return _act(
        request,
        case_number,
        lambda: services.rate_case(session, case_number, score, request.POST.get("comment", "")),
        "rated",
    )


@customer_required
@require_POST
def review(request: HttpRequest, case_number: str) -> HttpResponse:
    session = _session(request)
    try:
        created = services.request_review(session, case_number, request.POST.get("reason", ""))
    except ServiceError as exc:
        return _case_page(request, case_number, error=refusal_text(exc), field=exc.field, status=exc.status)
    return redirect("portal:case", case_number=created.case_number)


@customer_required
def withdraw(request: HttpRequest, case_number: str) -> HttpResponse:
    """A confirmation page first; withdrawing ends the handling."""
    session = _session(request)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _act(
            request,
            case_number,
            lambda: services.withdraw(session, case_number, request.POST.get("reason", "")),
            "withdrawn",
        )
    try:
        view = selectors.case_view(session, case_number)
    except ServiceError as exc:
        return _page(request, "not_found.html", {"error": refusal_text(exc)}, status=exc.status)
    return _page(request, "withdraw.html", {"view": view})


@customer_required
def notice(request: HttpRequest, case_number: str) -> HttpResponse:
    try:
        found, decision = services.notice_of(_session(request), case_number)
    except ServiceError as exc:
        return _page(request, "not_found.html", {"error": refusal_text(exc)}, status=exc.status)
    response = HttpResponse(render_notice_pdf(found, decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.case_number}-notice.pdf"'
    return response
