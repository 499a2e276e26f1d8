from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "redressal.triage"
    label = "triage"
    verbose_name = _("分类与分派")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registration, as Django does signals: the classification command's handler (cases.commands.execute).
        import_module("redressal.triage.commands")
