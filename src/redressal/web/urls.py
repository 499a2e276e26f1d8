from django.urls import path

from redressal.web.views import shell

app_name = "web"

# Each area of the workbench owns its URL module; this list only stitches them together.
urlpatterns = [
    path("", shell.case_list, name="case_list"),
    path("login/", shell.StaffLoginView.as_view(), name="login"),
    path("logout/", shell.logout_view, name="logout"),
    path("cases/<int:case_id>/", shell.case_detail, name="case_detail"),
    path("healthz", shell.healthz, name="healthz"),
]
