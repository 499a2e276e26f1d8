from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "redressal.triage"
    label = "triage"
    verbose_name = "Triage"
