"""Signing a customer in: the one-time code by SMS, the captcha after failures, the session it opens.

The code is sent straight through the SMS transport (``notify.channels``), not through the outbox: it
is no message about a case, it is useless a few minutes later, and a customer waiting at the screen
needs to know at once whether it went. It is never logged and never stored in clear. In demo mode
nothing leaves the machine: the code is handed back to the caller to show (docs/portal.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.config import demo_mode
from redressal.core.crypto import blind_index
from redressal.core.errors import ServiceError, ValidationFailed
from redressal.domain import otp
from redressal.domain.errors import DomainError
from redressal.notify.channels import transports
from redressal.notify.transports import DeliveryError, Outgoing
from redressal.portal.models import CustomerSession, OtpChallenge, OtpFailure


class RateLimited(ServiceError):
    status = 429

    def __init__(self, code: str, message: str, retry_after: int) -> None:
        super().__init__(code, message, field="phone")
        self.retry_after = retry_after


class CaptchaRequired(ServiceError):
    """After failures a solved captcha comes first; ``key`` is a fresh one to show."""

    status = 403

    def __init__(self, key: str, *, wrong: bool = False) -> None:
        message = "the captcha answer is wrong" if wrong else "solve the captcha first"
        super().__init__("captcha_required", message, field="captcha")
        self.key = key


class GatewayUnavailable(ServiceError):
    status = 503


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def phone_of(raw: str) -> str:
    try:
        return otp.normalise_phone(raw)
    except DomainError as exc:
        raise ValidationFailed(exc.rule, exc.message, field=exc.field) from None


def phone_index(phone: str) -> str:
    return blind_index(phone)


def _failures(index: str, ip: str, current: datetime) -> tuple[int, int]:
    since = current - otp.FAILURE_WINDOW
    by_phone = OtpFailure.objects.filter(phone_index=index, at__gt=since).count()
    by_ip = OtpFailure.objects.filter(ip=ip, at__gt=since).count() if ip else 0
    return by_phone, by_ip


def new_captcha() -> str:
    from captcha.models import CaptchaStore

    return str(CaptchaStore.generate_key())


def _solved(key: str, answer: str) -> bool:
    """The captcha answered right; each captcha is good for one try, right or wrong."""
    from captcha.models import CaptchaStore
    from django.utils import timezone

    if not key or not answer or len(key) > 64 or len(answer) > 32:
        return False
    row = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if row is None:
        return False
    row.delete()
    return hmac.compare_digest(row.response, answer.strip().lower())


def _check_captcha(index: str, ip: str, current: datetime, captcha_key: str, captcha_answer: str) -> None:
    if not otp.captcha_required(*_failures(index, ip, current)):
        return
    if not _solved(captcha_key, captcha_answer):
        raise CaptchaRequired(new_captcha(), wrong=bool(captcha_key or captcha_answer))


def captcha_needed(raw_phone: str, ip: str) -> bool:
    """Whether the sign-in form should show a captcha before the customer types anything more."""
    try:
        index = phone_index(otp.normalise_phone(raw_phone))
    except DomainError:
        index = ""
    by_phone, by_ip = _failures(index, ip, now())
    return otp.captcha_required(by_phone if index else 0, by_ip)


@dataclass(frozen=True)
class CodeSent:
    expires_at: datetime
    # Demo mode only: the code itself, for the page to show (nothing was sent).
    demo_code: str = ""


def send_code(raw_phone: str, *, ip: str, captcha_key: str = "", captcha_answer: str = "") -> CodeSent:
    """Send a new one-time code to the phone, within the limits (``domain.otp``)."""
    phone = phone_of(raw_phone)
    index = phone_index(phone)
    current = now()
    _check_captcha(index, ip, current, captcha_key, captcha_answer)
    sender = None
    if not demo_mode():
        sender = transports().get("sms")
        if sender is None:
            raise GatewayUnavailable("otp.unavailable", "no SMS gateway is configured", field="phone")
    code = otp.code_from(secrets.randbelow(10**otp.CODE_LENGTH))
    with transaction.atomic():
        since = current - otp.SEND_WINDOW
        last = (
            OtpChallenge.objects.select_for_update()
            .filter(phone_index=index, created_at__gt=since)
            .order_by("-created_at")
            .first()
        )
        history = otp.SendHistory(
            last_to_phone=last.created_at if last else None,
            sends_to_phone=OtpChallenge.objects.filter(phone_index=index, created_at__gt=since).count(),
            sends_from_ip=OtpChallenge.objects.filter(ip=ip, created_at__gt=since).count() if ip else 0,
        )
        try:
            otp.check_send(history, current)
        except otp.Throttled as exc:
            raise RateLimited(exc.rule, exc.message, exc.retry_after) from None
        challenge = OtpChallenge.objects.create(
            phone_index=index,
            code_hash=_hash(f"{index}:{code}"),
            ip=ip,
            created_at=current,
            expires_at=current + otp.CODE_TTL,
        )
    if sender is None:
        return CodeSent(challenge.expires_at, demo_code=code)
    text = _("【%(bank)s】您的登录验证码为 %(code)s，%(minutes)d 分钟内有效。请勿告诉他人。") % {
        "bank": _bank_name(),
        "code": code,
        "minutes": int(otp.CODE_TTL.total_seconds() // 60),
    }
    try:
        sender.send(Outgoing(key=f"otp-{challenge.pk}", to=phone, subject="", text=text))
    except DeliveryError as exc:
        # The code never arrived: it does not count against the customer's sends, and cannot be used.
        OtpChallenge.objects.filter(pk=challenge.pk).delete()
        raise GatewayUnavailable("otp.send_failed", f"the code could not be sent ({exc})", field="phone") from None
    finally:
        sender.close()
    return CodeSent(challenge.expires_at)


def _bank_name() -> str:
    from django.conf import settings

    return str(settings.BANK_NAME or _("银行"))


def _fail(index: str, ip: str, current: datetime, challenge_id: int | None) -> None:
    """A failed try is counted whatever happens next (its own transaction); nothing else changes."""
    with transaction.atomic():
        if challenge_id is not None:
            OtpChallenge.objects.filter(pk=challenge_id).update(attempts=F("attempts") + 1)
        OtpFailure.objects.create(phone_index=index, ip=ip, at=current)


def verify_code(
    raw_phone: str, code: str, *, ip: str, captcha_key: str = "", captcha_answer: str = ""
) -> tuple[str, CustomerSession]:
    """The code proves the phone: a new session and its bearer token (shown once, stored hashed)."""
    phone = phone_of(raw_phone)
    index = phone_index(phone)
    current = now()
    _check_captcha(index, ip, current, captcha_key, captcha_answer)
    try:
        typed = otp.check_code_format(code)
    except DomainError as exc:
        _fail(index, ip, current, None)
        raise ValidationFailed(exc.rule, exc.message, field=exc.field) from None
    challenge = OtpChallenge.objects.filter(phone_index=index).order_by("-created_at", "-pk").first()
    state = (
        otp.ChallengeState(challenge.expires_at, challenge.attempts, challenge.used_at is not None)
        if challenge is not None
        else None
    )
    try:
        otp.check_usable(state, current)
    except DomainError as exc:
        _fail(index, ip, current, None)
        raise ValidationFailed(exc.rule, exc.message, field=exc.field) from None
    assert challenge is not None
    if not hmac.compare_digest(challenge.code_hash, _hash(f"{index}:{typed}")):
        _fail(index, ip, current, challenge.pk)
        raise ValidationFailed("otp.wrong_code", "the code is not the one sent", field="code")
    with transaction.atomic():
        # Used once: a second request with the same code (a double submit, a replay) finds it spent.
        spent = OtpChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=current)
        if not spent:
            raise ValidationFailed("otp.no_code", "no code is waiting for this phone; ask for a new one", field="code")
        token, session = open_session(phone, via=CustomerSession.Via.OTP)
    return token, session


def open_session(phone: str, *, via: str) -> tuple[str, CustomerSession]:
    """A session for a phone the caller has verified (a code, the bank's login)."""
    current = now()
    token = secrets.token_urlsafe(32)
    session = CustomerSession.objects.create(
        token_hash=_hash(token),
        phone_index=phone_index(phone),
        phone=phone,
        via=via,
        created_at=current,
        expires_at=current + otp.SESSION_MAX,
        last_seen_at=current,
    )
    record_audit(
        "portal.signed_in",
        actor_id=None,
        actor_role="customer",
        object_type="customer_session",
        object_id=str(session.pk),
    )
    return token, session


LAST_SEEN_GRANULARITY = 30  # seconds: a page view writes last_seen at most this often


def session_for(token: str) -> CustomerSession | None:
    """The live session behind a token, or None (unknown, revoked, idle too long or too old)."""
    if not token or len(token) > 200:
        return None
    session = CustomerSession.objects.filter(token_hash=_hash(token)).first()
    current = now()
    if session is None or session.revoked_at is not None or current >= session.expires_at:
        return None
    if not otp.session_alive(session.created_at, session.last_seen_at, current):
        return None
    if (current - session.last_seen_at).total_seconds() >= LAST_SEEN_GRANULARITY:
        CustomerSession.objects.filter(pk=session.pk).update(last_seen_at=current)
        session.last_seen_at = current
    return session


def end_session(session: CustomerSession) -> None:
    CustomerSession.objects.filter(pk=session.pk, revoked_at__isnull=True).update(revoked_at=now())
    record_audit(
        "portal.signed_out",
        actor_id=None,
        actor_role="customer",
        object_type="customer_session",
        object_id=str(session.pk),
    )
