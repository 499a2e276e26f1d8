"""Session idle timeout (SPEC §13): a staff session left alone for too long is ended.

It applies to every request the session cookie authenticates, the same-origin ``/api/`` calls
included: a browser left open on a page that calls the API would otherwise keep an abandoned session
usable there. Bearer-token calls carry no session and have their own expiry (``API_TOKEN_TTL_SECONDS``).
An expired session on ``/api/`` is simply no longer signed in, so the API answers its 401.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from redressal.web.errors import bare_error

# The idle clock is kept to this granularity: writing the session on every page view would turn each
# read into a database write (and a commit) for nothing.
IDLE_STAMP_GRANULARITY = 30


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif not request.headers.get("X-Idle-Passive") and (
                now - int(last) >= IDLE_STAMP_GRANULARITY or "last_seen" not in request.session
            ):
                # A background poll (the notification badge) is not the person at work: it must
                # not keep an abandoned session alive.
                request.session["last_seen"] = now
        return self.get_response(request)


class StaffLanguageMiddleware:
    """zh-CN unless the person chose otherwise (SPEC: zh-CN default, English switchable per user).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a bank PC with an English
    Windows would show English to staff who never asked for it. The choice is the language cookie set
    by the switcher, else the staff member's saved preference, else the default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if choice not in self.supported:
            user = getattr(request, "user", None)
            preferred = getattr(user, "language", None) if user is not None and user.is_authenticated else None
            choice = preferred if preferred in self.supported else settings.LANGUAGE_CODE
        translation.activate(choice)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)  # type: ignore[attr-defined]
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ``REQUEST_MAX_BYTES`` with 413, before
    anything reads it.

    Django spools uploaded files to disk (``FILE_UPLOAD_MAX_MEMORY_SIZE``), but it still receives and
    writes the whole body first; without a cap, five oversized attachments cost the worker hundreds of
    megabytes and the disk as much again. A body without a Content-Length is read by Django as empty.
    A body that is not multipart (JSON, a plain form) is held in memory whole, so it gets the smaller
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``: past it the answer is the same 413, not Django's bare 400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.REQUEST_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if declared > limit:
            return bare_error(request, 413)
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything a signed-in person is shown and on every API answer:
    case pages carry complainants' personal data, and a shared branch PC's browser cache (or a proxy)
    must not keep a copy after the session ends. Static files are answered by WhiteNoise before this
    runs and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"  # for HTTP/1.0 proxies
        return response


class PasswordChangeRequiredMiddleware:
    """After an approved password reset the temporary password signs in, but the session can do
    nothing until its owner chooses a new password (``org.password_resets``): the approving
    administrator has seen the temporary one, and must not be able to work as its owner."""

    ALLOWED = ("/account/password/", "/logout/", "/i18n/", "/static/", "/session/ping/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED)
        ):
            if request.path.startswith("/api/"):
                message = "choose a new password in the workbench before using this session"
                return JsonResponse(
                    {"error": {"code": "password_change_required", "message": message, "field": None}},
                    status=403,
                )
            target = reverse("web:password_change")
            if request.headers.get("HX-Request"):
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
        return self.get_response(request)
