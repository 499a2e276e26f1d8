"""The NinjaAPI instance: authentication, the error shape of SPEC §14, and the routers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from redressal.api.auth import BearerToken, StaffSession
from redressal.core.errors import ServiceError

api = NinjaAPI(
    title="Redressal API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), StaffSession()],
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path", "form", "data")]
    field = ".".join(loc) or None
    message = first.get("msg", "invalid input")
    return _error(request, 422, "invalid_input", f"{field}: {message}" if field else message, field)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "a valid bearer token or session is required", "Authorization")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "no such resource")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


from redressal.api import audit as _audit  # noqa: E402
from redressal.api import cases as _cases  # noqa: E402
from redressal.api import improvement as _improvement  # noqa: E402
from redressal.api import library as _library  # noqa: E402
from redressal.api import quality as _quality  # noqa: E402
from redressal.api import reports as _reports  # noqa: E402
from redressal.api import triage as _triage  # noqa: E402

api.add_router("", _cases.router)
api.add_router("", _triage.router)
api.add_router("", _audit.router)
api.add_router("", _improvement.router)
api.add_router("", _library.router)
api.add_router("", _quality.router)
api.add_router("", _reports.router)
