from django.urls import path

from redressal.web.views import admin as admin_views
from redressal.web.views import approvals, audit, notifications, queue, register, shell, tasks, team

app_name = "web"

# Each area of the workbench owns its URL module; this list only stitches them together.
urlpatterns = [
    path("", queue.case_list, name="case_list"),
    path("login/", shell.StaffLoginView.as_view(), name="login"),
    path("logout/", shell.logout_view, name="logout"),
    path("cases/<int:case_id>/", shell.case_detail, name="case_detail"),
    path("healthz", shell.healthz, name="healthz"),
    # wintake: registration, my queue, the all-cases list and their exports
    path("cases/export.xlsx", queue.case_list_export, name="case_list_export"),
    path("queue/", queue.queue, name="queue"),
    path("queue/export.xlsx", queue.queue_export, name="queue_export"),
    path("filters/save/", queue.save_filter, name="saved_filter_save"),
    path("filters/<int:filter_id>/delete/", queue.delete_filter, name="saved_filter_delete"),
    path("register/", register.register, name="register"),
    path("register/lookup/", register.lookup, name="register_lookup"),
    path("register/customer/<int:customer_id>/", register.pick_customer, name="register_pick_customer"),
    path("register/done/<int:case_id>/", register.done, name="register_done"),
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
