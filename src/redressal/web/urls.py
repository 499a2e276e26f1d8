from django.urls import path

from redressal.web.views import case, case_actions, reviews, shell, visits

app_name = "web"

# Each area of the workbench owns its URL module; this list only stitches them together.
urlpatterns = [
    path("", shell.case_list, name="case_list"),
    path("login/", shell.StaffLoginView.as_view(), name="login"),
    path("logout/", shell.logout_view, name="logout"),
    path("healthz", shell.healthz, name="healthz"),
    # wcase: the case page, its actions, reviews (核查) and follow-up visits (回访)
    path("cases/<int:case_id>/", case.case_detail, name="case_detail"),
    path("cases/<int:case_id>/act/<slug:action>/", case_actions.case_action, name="case_action"),
    path("cases/<int:case_id>/reveal/", case.reveal, name="case_reveal"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/", case.evidence_file, name="evidence_file"),
    path("cases/<int:case_id>/notice.pdf", case.notice_pdf, name="notice_pdf"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/<int:case_id>/", reviews.review_page, name="review_page"),
    path("visits/", visits.visit_list, name="visits"),
    path("visits/<int:visit_id>/record/", visits.record, name="visit_record"),
]
