"""The official account's server endpoint, ``/wechat/callback`` (SPEC §9).

GET: URL verification (the platform's ``echostr`` echoed when the signature holds). POST: a pushed
message or event, plain or in safe mode (``encrypt_type=aes``, checked by ``msg_signature`` and
decrypted with the EncodingAESKey), answered at once with a passive reply (encrypted in safe mode).

A missing or wrong signature, or a body that does not decrypt, is refused with 403 and one log line
naming the reason, the mode and the caller's address — never the content or the openid (a sender is
logged as a keyed hash, ``conversations.keys.party_ref``). Nothing is stored for a refused push.
"""

from __future__ import annotations

import logging
import time

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from redressal.conversations.keys import party_ref
from redressal.core.errors import ServiceError
from redressal.wechat import config
from redressal.wechat.inbound import reply_text

log = logging.getLogger("redressal.wechat")

MAX_BODY = 64 * 1024  # a WeChat push is a few KB; anything larger is not from WeChat


def _refuse(request: HttpRequest, reason: str, mode: str, status: int = 403) -> HttpResponse:
    log.warning(
        "wechat.refused reason=%s mode=%s method=%s remote=%s",
        reason,
        mode,
        request.method,
        request.META.get("REMOTE_ADDR", ""),
    )
    return HttpResponse(status=status)


def _signature_ok(token: str, request: HttpRequest) -> bool:
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import check_signature

    signature = request.GET.get("signature", "")
    timestamp = request.GET.get("timestamp", "")
    nonce = request.GET.get("nonce", "")
    if not (signature and timestamp and nonce):
        return False
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        return False
    return True


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest) -> HttpResponse:
    settings = config.load()
    safe = request.GET.get("encrypt_type", "raw").lower() == "aes"
    mode = "aes" if safe else "plain"
    if not settings.token:
        return _refuse(request, "not_configured", mode, status=404)
    if not _signature_ok(settings.token, request):
        return _refuse(request, "bad_signature", mode)
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return _refuse(request, "too_large", mode, status=413)
    body = request.body
    if len(body) > MAX_BODY:
        return _refuse(request, "too_large", mode, status=413)
    started = time.perf_counter()
    crypto = None
    if safe:
        from wechatpy.crypto import WeChatCrypto

        if not (settings.aes_key and settings.appid):
            return _refuse(request, "aes_not_configured", mode)
        try:
            crypto = WeChatCrypto(settings.token, settings.aes_key, settings.appid)
            xml = crypto.decrypt_message(
                body,
                request.GET.get("msg_signature", ""),
                request.GET.get("timestamp", ""),
                request.GET.get("nonce", ""),
            )
        except Exception:  # wrong msg_signature, appid, key or padding: one refusal, no detail leaked
            return _refuse(request, "bad_encryption", mode)
    else:
        xml = body.decode("utf-8", errors="replace")
    from wechatpy import create_reply, parse_message

    try:
        message = parse_message(xml)
        source = str(message.source)
        kind = str(message.type)
    except Exception:  # not the XML WeChat sends (the signature held, so a platform change or a bug)
        return _refuse(request, "bad_xml", mode, status=400)
    try:
        text = reply_text(message, settings)
    except ServiceError as exc:  # nowhere to put it (no organisation, no intake unit): WeChat retries
        log.error("wechat.not_stored code=%s mode=%s kind=%s", exc.code, mode, kind)
        return HttpResponse(status=503)
    if text is None:
        answer = "success"
    else:
        answer = create_reply(text, message).render()
        if crypto is not None:
            answer = crypto.encrypt_message(answer, request.GET.get("nonce", ""), request.GET.get("timestamp", ""))
    log.info(
        "wechat.push mode=%s kind=%s from=%s ms=%.1f",
        mode,
        kind,
        party_ref("wechat", source),
        (time.perf_counter() - started) * 1000,
    )
    return HttpResponse(answer, content_type="application/xml" if text is not None else "text/plain")
