"""What every workbench view needs: the acting staff member, and service errors shown, not raised.

Views parse, authorise coarsely, call one service or selector and render (ARCHITECTURE §2). The
fine-grained permission and org-scope checks live in the services and selectors; a view never
writes a model itself.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from redressal.core.errors import ServiceError
from redressal.org.authz import Actor, request_actor
from redressal.org.models import Staff
from redressal.web.refusals import refusal_text


def current_staff(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff), "workbench views run behind login_required"
    return user


def current_actor(request: HttpRequest) -> Actor:
    """The request's actor, built once per request (grants are read from the database)."""
    actor = request_actor(request)
    assert actor is not None, "workbench views run behind login_required"
    return actor


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (django-htmx's middleware parses the headers)."""
    return bool(getattr(request, "htmx", False))


def error_page(request: HttpRequest, exc: ServiceError, **context: Any) -> HttpResponse:
    """A refused request as a page with the service's message and its HTTP status (4xx)."""
    return render(request, "web/error.html", {"message": refusal_text(exc), "error": exc, **context}, status=exc.status)
