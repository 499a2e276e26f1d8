"""Bearer tokens (hashed, expiring) and the session for same-origin browser calls (SPEC §13)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from axes.helpers import get_lockout_message
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.security import HttpBearer, SessionAuth

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.org.authz import Actor, actor_for
from redressal.org.models import ApiToken, Staff


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(request: HttpRequest | None, username: str, password: str) -> tuple[str, ApiToken]:
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise ServiceError("invalid_credentials", "wrong username or password", field="password")
    if user.must_change_password:
        # A temporary password from an approved reset (org.password_resets) opens nothing, a token least
        # of all: the administrator who approved the reset has seen it.
        raise PermissionDenied(
            "password_change_required", "choose a new password in the workbench first", field="password"
        )
    token = secrets.token_urlsafe(32)
    current = now()
    row = ApiToken.objects.create(
        staff=user,
        token_hash=_hash(token),
        created_at=current,
        expires_at=current + timedelta(seconds=settings.API_TOKEN_TTL_SECONDS),
    )
    record_audit("auth.token_issued", actor_id=user.pk, object_type="staff", object_id=user.username)
    return token, row


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes' answer once a login is locked out (AXES_LOCKOUT_CALLABLE): on the API the §14
    error shape with the documented 429, elsewhere axes' own plain-text message."""
    if request.path.startswith("/api/"):
        message = "too many failed logins; try again later"
        return JsonResponse({"error": {"code": "locked_out", "message": message, "field": "username"}}, status=429)
    return HttpResponse(get_lockout_message(), status=429)


def revoke_token(request: HttpRequest, actor: Actor) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ServiceError("not_a_token", "this request was not made with a bearer token", field="Authorization")
    ApiToken.objects.filter(token_hash=_hash(token), staff_id=actor.id, revoked_at__isnull=True).update(
        revoked_at=now()
    )
    record_audit("auth.token_revoked", actor_id=actor.id, object_type="staff", object_id=actor.staff.username)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        if not token or len(token) > 200:
            return None
        row = ApiToken.objects.select_related("staff__unit").filter(token_hash=_hash(token)).first()
        if row is None or row.revoked_at is not None or row.expires_at <= now() or not row.staff.is_active:
            return None
        if row.staff.must_change_password:
            return None
        actor = actor_for(row.staff)
        request.actor = actor  # type: ignore[attr-defined]
        return actor


class StaffSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if isinstance(user, Staff):
            actor = actor_for(user)
            request.actor = actor  # type: ignore[attr-defined]
            return actor
        return None


def actor_of(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined,no-any-return]
