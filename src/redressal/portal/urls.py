from django.urls import path

from redressal.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("signin/verify/", views.verify, name="verify"),
    path("signout/", views.signout, name="signout"),
    path("text-size/", views.text_size, name="text_size"),
    path("oidc/start/", views.oidc_start, name="oidc_start"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("new/", views.submit, name="submit"),
    path("cases/<str:case_number>/", views.case, name="case"),
    path("cases/<str:case_number>/material/", views.material, name="material"),
    path("cases/<str:case_number>/rate/", views.rate, name="rate"),
    path("cases/<str:case_number>/review/", views.review, name="review"),
    path("cases/<str:case_number>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<str:case_number>/notice.pdf", views.notice, name="notice"),
    path("assistant/", views.assistant_ask, name="assistant_ask"),
    path("assistant/feedback/", views.assistant_feedback, name="assistant_feedback"),
]
