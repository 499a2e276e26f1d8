from django.urls import path

from redressal.web import views

app_name = "web"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("healthz", views.healthz, name="healthz"),
]
