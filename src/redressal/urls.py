from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from redressal.api.public import public_api
from redressal.api.router import api


def favicon(request: HttpRequest) -> HttpResponseBase:
    """Browsers ask for /favicon.ico on every page whatever the <link rel=icon> says."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("api/v1/public/", public_api.urls),  # the customers' API: before the staff API's prefix
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("portal/", include("redressal.portal.urls")),
    path("captcha/", include("captcha.urls")),
    path("cti/", include("redressal.cti.urls")),
    path("", include("redressal.web.urls")),
    path("wechat/", include("redressal.wechat.urls")),
]
_ = i18n_patterns

# The workbench's translated pages; under /api/ the API's middleware turns them into the JSON shape.
handler400 = "redressal.web.errors.bad_request"
handler403 = "redressal.web.errors.permission_denied"
handler404 = "redressal.web.errors.page_not_found"
handler500 = "redressal.web.errors.server_error"
