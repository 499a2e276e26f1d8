from django.urls import path

from redressal.web.views import (
    account,
    accountability,
    approvals,
    audit,
    case,
    case_actions,
    dashboards,
    notifications,
    outbox,
    quality,
    queue,
    register,
    reports,
    reviews,
    shell,
    tasks,
    team,
    visits,
)
from redressal.web.views import admin as admin_views
from redressal.web.views import conversations as chat_views
from redressal.web.views import cti as cti_views
from redressal.web.views import faq as faq_views
from redressal.web.views import improvement as improvement_views
from redressal.web.views import library as library_views
from redressal.web.views import mailin as mailin_views
from redressal.web.views import mass_incidents as incident_views
from redressal.web.views import training as training_views
from redressal.web.views import transfers as transfer_views
from redressal.web.views import triage as triage_views

app_name = "web"

# Each area of the workbench has its own view module; the routes are grouped by area.
urlpatterns = [
    path("", queue.case_list, name="case_list"),
    path("login/", shell.StaffLoginView.as_view(), name="login"),
    path("logout/", shell.logout_view, name="logout"),
    path("account/password/", account.password_change, name="password_change"),
    path("healthz", shell.healthz, name="healthz"),
    # Team, approvals, tasks, audit, notifications, administration
    path("team/", team.team_page, name="team"),
    path("team/assign/", team.assign, name="team_assign"),
    path("approvals/", approvals.approvals_page, name="approvals"),
    path("approvals/proposal/", approvals.decide_proposal, name="approvals_proposal"),
    path("approvals/extension/", approvals.decide_extension, name="approvals_extension"),
    path("outbox/", outbox.outbox_page, name="outbox"),
    path("outbox/<int:message_id>/retry/", outbox.outbox_retry, name="outbox_retry"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("audit/", audit.audit_search, name="audit"),
    path("audit/cases/<int:case_id>/", audit.case_trail, name="audit_case"),
    path("audit/backdated/", audit.backdated, name="audit_backdated"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/badge/", notifications.badge, name="notifications_badge"),
    path("notifications/read-all/", notifications.mark_all_read, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", notifications.mark_read, name="notification_read"),
    path("session/ping/", notifications.session_ping, name="session_ping"),
    path("admin-home/", admin_views.admin_home, name="admin_home"),
    # Insight (SPEC §12): the regulatory statistics and the dashboard
    path("reports/regulatory/", reports.regulatory_page, name="regulatory"),
    path("reports/regulatory/export.<str:fmt>", reports.regulatory_export, name="regulatory_export"),
    path("reports/regulatory/cases/", reports.regulatory_cases, name="regulatory_cases"),
    path("reports/regulatory/bases/", reports.reporting_base, name="reporting_base"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("admin-home/codes/", admin_views.code_tables, name="admin_codes"),
    path("admin-home/profiles/", admin_views.profiles, name="admin_profiles"),
    path("admin-home/notices/", admin_views.notice_rules, name="admin_notices"),
    # The case page, its actions, reviews (核查) and follow-up visits (回访)
    path("cases/<int:case_id>/", case.case_detail, name="case_detail"),
    path("cases/<int:case_id>/act/<slug:action>/", case_actions.case_action, name="case_action"),
    path("cases/<int:case_id>/reveal/", case.reveal, name="case_reveal"),
    path("cases/<int:case_id>/contact/", case.contact_phone, name="case_contact"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/", case.evidence_file, name="evidence_file"),
    path("cases/<int:case_id>/notice.pdf", case.notice_pdf, name="notice_pdf"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/<int:case_id>/", reviews.review_page, name="review_page"),
    path("visits/", visits.visit_list, name="visits"),
    path("visits/<int:visit_id>/record/", visits.record, name="visit_record"),
    # Registration, my queue, the all-cases list and their exports
    path("cases/export.xlsx", queue.case_list_export, name="case_list_export"),
    path("queue/", queue.queue, name="queue"),
    path("queue/export.xlsx", queue.queue_export, name="queue_export"),
    path("filters/save/", queue.save_filter, name="saved_filter_save"),
    path("filters/<int:filter_id>/delete/", queue.delete_filter, name="saved_filter_delete"),
    path("register/", register.register, name="register"),
    path("register/lookup/", register.lookup, name="register_lookup"),
    path("register/customer/<int:customer_id>/", register.pick_customer, name="register_pick_customer"),
    path("register/done/<int:case_id>/", register.done, name="register_done"),
    # The case page's triage panel and the mass incidents (SPEC §6)
    path("cases/<int:case_id>/triage/", triage_views.panel, name="triage_panel"),
    path("cases/<int:case_id>/triage/confirm/", triage_views.confirm, name="triage_confirm"),
    path("incidents/", incident_views.incident_list_page, name="mass_incidents"),
    path("incidents/<int:incident_id>/", incident_views.incident_page, name="mass_incident"),
    path(
        "incidents/<int:incident_id>/bulk-respond/",
        incident_views.incident_bulk_respond,
        name="mass_incident_bulk_respond",
    ),
    path(
        "incidents/<int:incident_id>/root-cause/",
        incident_views.incident_root_cause,
        name="mass_incident_root_cause",
    ),
    # Root-cause issues and improvement actions (溯源整改); accountability (问责) and the staff record
    path("improvement/", improvement_views.issue_list, name="improvement"),
    path("improvement/new/", improvement_views.issue_new, name="improvement_new"),
    path("improvement/<int:issue_id>/", improvement_views.issue_page, name="improvement_issue"),
    path("improvement/<int:issue_id>/link/", improvement_views.issue_link, name="improvement_link"),
    path("improvement/<int:issue_id>/actions/", improvement_views.action_add, name="improvement_action_add"),
    path("improvement/<int:issue_id>/close/", improvement_views.issue_close, name="improvement_close"),
    path("improvement/actions/<int:action_id>/complete/", improvement_views.action_complete,
         name="improvement_action_complete"),
    path("improvement/actions/<int:action_id>/cancel/", improvement_views.action_cancel,
         name="improvement_action_cancel"),
    path("improvement/actions/<int:action_id>/evidence/", improvement_views.action_evidence,
         name="improvement_action_evidence"),
    path("cases/<int:case_id>/accountability/", accountability.accountability_new, name="accountability_new"),
    path("accountability/measures/<int:measure_id>/done/", accountability.measure_done, name="measure_done"),
    path("accountability/measures/<int:measure_id>/cancel/", accountability.measure_cancel, name="measure_cancel"),
    path("staff/<str:username>/", accountability.staff_record, name="staff_record"),
    # The typical-case library (案例库) and training (培训考核), SPEC §12
    path("library/", library_views.library_list, name="library"),
    path("library/drafts/", library_views.library_drafts, name="library_drafts"),
    path("library/<int:entry_id>/", library_views.library_entry, name="library_entry"),
    path("library/<int:entry_id>/work/", library_views.library_work, name="library_work"),
    path("library/<int:entry_id>/review/", library_views.library_review, name="library_review"),
    path("library/<int:entry_id>/withdraw/", library_views.library_withdraw, name="library_withdraw"),
    path("cases/<int:case_id>/typical/", library_views.library_mark_typical, name="library_mark_typical"),
    path("training/", training_views.training_home, name="training"),
    path("training/me/", training_views.training_record, name="training_me"),
    path("training/staff/<int:staff_id>/", training_views.training_record, name="training_record"),
    path("training/courses/<int:course_id>/", training_views.training_course, name="training_course"),
    path(
        "training/courses/<int:course_id>/sessions/", training_views.training_add_session, name="training_add_session"
    ),
    path(
        "training/courses/<int:course_id>/sessions/<int:session_id>/enrol/",
        training_views.training_enrol,
        name="training_enrol",
    ),
    path("training/enrolments/<int:enrolment_id>/result/", training_views.training_result, name="training_result"),
    # QA inspection (质检) and the service scorecards (考核)
    path("quality/inspections/", quality.inspections, name="qa_inspections"),
    path("quality/draw/", quality.draw, name="qa_draw"),
    path("quality/mine/", quality.mine, name="qa_mine"),
    path("quality/settings/", quality.settings_page, name="qa_settings"),
    path("quality/inspections/<int:inspection_id>/", quality.inspection, name="qa_inspection"),
    path("quality/inspections/<int:inspection_id>/score/", quality.score, name="qa_score"),
    path("quality/inspections/<int:inspection_id>/calibrate/", quality.calibrate, name="qa_calibrate"),
    path("quality/inspections/<int:inspection_id>/appeal/", quality.appeal, name="qa_appeal"),
    path("quality/inspections/<int:inspection_id>/decide/", quality.decide, name="qa_decide"),
    path("quality/scorecards/", quality.scorecards, name="qa_scorecards"),
    path("quality/scorecards/export.xlsx", quality.scorecards_export, name="qa_scorecards_export"),
    # Regulator transfer lists (监管转办导入) and the call pop (来电弹屏)
    path("transfers/", transfer_views.transfers_home, name="transfers"),
    path("transfers/preview/", transfer_views.transfers_preview, name="transfers_preview"),
    path("transfers/import/", transfer_views.transfers_import, name="transfers_import"),
    path("transfers/batches/<int:batch_id>/", transfer_views.transfers_batch, name="transfers_batch"),
    path("transfers/reply.xlsx", transfer_views.transfers_reply, name="transfers_reply"),
    path("calls/pop/", cti_views.cti_pop, name="cti_pop"),
    path("calls/pop/<int:pop_id>/dismiss/", cti_views.cti_pop_dismiss, name="cti_pop_dismiss"),
    # Customer conversations (WeChat): the waiting list, its live rows, one conversation and its actions
    path("conversations/", chat_views.conversation_list, name="conversations"),
    path("conversations/rows/", chat_views.conversation_rows, name="conversation_rows"),
    path("conversations/<int:conversation_id>/", chat_views.conversation_detail, name="conversation_detail"),
    path("conversations/<int:conversation_id>/answer/", chat_views.conversation_answer, name="conversation_answer"),
    path(
        "conversations/<int:conversation_id>/transcript/",
        chat_views.conversation_transcript,
        name="conversation_transcript",
    ),
    path("conversations/<int:conversation_id>/close/", chat_views.conversation_close, name="conversation_close"),
    path("conversations/<int:conversation_id>/case/", chat_views.conversation_to_case, name="conversation_to_case"),
    # The complaint mailbox: quarantined and fetched mail (mailin)
    path("mail/", mailin_views.mail_page, name="mail"),
    path("mail/<int:mail_id>/retry/", mailin_views.mail_retry, name="mail_retry"),
    path("mail/<int:mail_id>/dismiss/", mailin_views.mail_dismiss, name="mail_dismiss"),
    # The FAQ knowledge base (decision 0025): entries, versions, review, the assistant's open questions
    path("faq/", faq_views.faq_list, name="faq"),
    path("faq/new/", faq_views.faq_new, name="faq_new"),
    path("faq/review/", faq_views.faq_review, name="faq_review"),
    path("faq/open-questions/", faq_views.faq_open_questions, name="faq_open_questions"),
    path("faq/<int:entry_id>/", faq_views.faq_entry, name="faq_entry"),
    path("faq/versions/<int:version_id>/submit/", faq_views.faq_submit, name="faq_submit"),
    path("faq/versions/<int:version_id>/approve/", faq_views.faq_approve, name="faq_approve"),
    path("faq/versions/<int:version_id>/reject/", faq_views.faq_reject, name="faq_reject"),
]
