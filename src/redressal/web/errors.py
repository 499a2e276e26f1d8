"""The pages for 400, 403, 404, 413 and 500 (Django's own are bare English), in the workbench's style.

404 and 403 come after the middleware, so they render with the signed-in header. 400 and 413 can be
raised before the session is read, and 500 may be the database failing, so those render without the
request: no context processor runs (no query, no user), only the template and the language.

Under ``/api/`` these pages never reach the caller: ``redressal.api.middleware`` answers in the JSON
error shape of SPEC §14 instead.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

TEMPLATE = "web/http_error.html"


def _texts(status: int) -> tuple[str, str]:
    if status == 400:
        return gettext("请求无效"), gettext("无法处理此请求，请返回上一页重试。")
    if status == 403:
        return gettext("无权访问"), gettext("您没有访问此页面的权限。")
    if status == 404:
        return gettext("页面不存在"), gettext("您要找的页面不存在或已被移除。")
    if status == 413:
        limit = settings.REQUEST_MAX_BYTES // (1024 * 1024)
        return gettext("上传内容过大"), gettext("提交的内容超过了 %(mb)s MB 的上限。") % {"mb": limit}
    return gettext("系统出错"), gettext("系统暂时无法完成此操作，请稍后再试。")


def _language(request: HttpRequest) -> str:
    """The language StaffLanguageMiddleware would choose, for pages answered before it ran."""
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return choice if choice in {code for code, _ in settings.LANGUAGES} else settings.LANGUAGE_CODE


def bare_error(request: HttpRequest, status: int) -> HttpResponse:
    with translation.override(_language(request)):
        title, message = _texts(status)
        html = render_to_string(TEMPLATE, {"status": status, "title": title, "message": message})
    return HttpResponse(html, status=status)


def page_error(request: HttpRequest, status: int) -> HttpResponse:
    title, message = _texts(status)
    return render(request, TEMPLATE, {"status": status, "title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return bare_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return page_error(request, 403) if hasattr(request, "user") else bare_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return page_error(request, 404) if hasattr(request, "user") else bare_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return bare_error(request, 500)
