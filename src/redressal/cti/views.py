"""``POST /cti/calls``: the telephony system's webhook (SPEC §9), signed with a shared secret.

Answers JSON: 200 recorded or duplicate; 401 a missing, wrong or stale signature; 503 when no secret
is configured (the webhook is off); 4xx naming the field for a body the rules refuse."""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from redressal.core.errors import ServiceError
from redressal.cti.services import parse_call, receive_call
from redressal.domain.cti import check_signature
from redressal.domain.errors import DomainError

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


def _refuse(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": field}, status=status)


@csrf_exempt
@require_POST
def calls(request: HttpRequest) -> JsonResponse:
    secret = settings.CTI_SECRET
    if not secret:
        return _refuse(503, "cti_disabled", "the telephony webhook is off: REDRESSAL_CTI_SECRET is not set")
    body = request.body
    if len(body) > MAX_BODY:
        return _refuse(413, "too_large", "the body exceeds 64 KB", "body")
    try:
        check_signature(
            secret,
            request.headers.get("X-Redressal-Timestamp", ""),
            body,
            request.headers.get("X-Redressal-Signature", ""),
            time.time(),
        )
    except DomainError as exc:
        log.warning("cti webhook refused: %s", exc.rule)
        return _refuse(401, exc.rule, exc.message, exc.field)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _refuse(400, "invalid_json", "the body is not JSON", "body")
    try:
        result = receive_call(parse_call(data))
    except ServiceError as exc:
        return _refuse(exc.status, exc.code, exc.message, exc.field)
    return JsonResponse(result)
