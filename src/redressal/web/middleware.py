"""Session idle timeout (SPEC §13): a staff session left alone for too long is ended."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# The idle clock is kept to this granularity: writing the session on every page view would turn each
# read into a database write (and a commit) for nothing.
IDLE_STAMP_GRANULARITY = 30


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith("/api/"):
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
