from django.urls import path

from redressal.web.views import admin as admin_views
from redressal.web.views import approvals, audit, notifications, shell, tasks, team

app_name = "web"

# Each area of the workbench owns its URL module; this list only stitches them together.
urlpatterns = [
    path("", shell.case_list, name="case_list"),
    path("login/", shell.StaffLoginView.as_view(), name="login"),
    path("logout/", shell.logout_view, name="logout"),
    path("cases/<int:case_id>/", shell.case_detail, name="case_detail"),
    path("healthz", shell.healthz, name="healthz"),
    # wmanage: team, approvals, tasks, audit, notifications, administration
    path("team/", team.team_page, name="team"),
    path("team/assign/", team.assign, name="team_assign"),
    path("approvals/", approvals.approvals_page, name="approvals"),
    path("approvals/proposal/", approvals.decide_proposal, name="approvals_proposal"),
    path("approvals/extension/", approvals.decide_extension, name="approvals_extension"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("audit/", audit.audit_search, name="audit"),
    path("audit/cases/<int:case_id>/", audit.case_trail, name="audit_case"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/badge/", notifications.badge, name="notifications_badge"),
    path("notifications/read-all/", notifications.mark_all_read, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", notifications.mark_read, name="notification_read"),
    path("session/ping/", notifications.session_ping, name="session_ping"),
    path("admin-home/", admin_views.admin_home, name="admin_home"),
    path("admin-home/codes/", admin_views.code_tables, name="admin_codes"),
    path("admin-home/profiles/", admin_views.profiles, name="admin_profiles"),
    path("admin-home/notices/", admin_views.notice_rules, name="admin_notices"),
]
