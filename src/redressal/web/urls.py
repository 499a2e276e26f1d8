from django.urls import path

from redressal.web.views import queue, register, shell

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
]
