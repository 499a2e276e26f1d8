from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "redressal.workdays"
    label = "workdays"
    default_auto_field = "django.db.models.BigAutoField"
