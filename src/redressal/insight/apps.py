from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "redressal.insight"
    label = "insight"
    default_auto_field = "django.db.models.BigAutoField"
