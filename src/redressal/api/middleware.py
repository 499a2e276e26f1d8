"""Every error under ``/api/`` in the JSON shape of SPEC §14, including the ones the API's own
handlers never see: an unknown path (Django's 404), a method the path does not take (django-ninja's
bare 405), a refused body size (413), a malformed request (400) and a crash (500)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

CODES = {
    400: ("bad_request", "the request could not be understood"),
    403: ("forbidden", "not allowed"),
    404: ("not_found", "no such resource"),
    405: ("method_not_allowed", "this path does not accept that method"),
    413: ("request_too_large", "the request body is larger than the server accepts"),
    500: ("server_error", "the server failed to answer; the failure is logged"),
}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = CODES.get(response.status_code, ("http_error", "the request was refused"))
        shaped = JsonResponse(
            {"error": {"code": code, "message": message, "field": None}}, status=response.status_code
        )
        for header in ("Allow", "Cache-Control", "Expires", "Pragma", "Vary", "Retry-After"):
            if header in response:
                shaped[header] = response[header]
        shaped.cookies = response.cookies  # a session ended on the way (idle timeout) stays ended
        return shaped

